"""The runner of the account: facts -> totals -> programmes -> indicators -> result.

:func:`compute_account` is short on purpose: every step is a function of its own module, and every
coefficient comes from the function layer through :class:`~carbon.account.resolve.Resolver`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pandas as pd

from carbon.account import boundary as _boundary
from carbon.account import facts as _facts
from carbon.account import totals as _totals
from carbon.account.indicators import Figures, core_bases_table, indicators_table, targets_table
from carbon.account.methods import Methods
from carbon.account.park910 import ParkMethod, park_method
from carbon.account.programmes import (
    boiler_reductions,
    green_factories,
    heat_sources,
    project_reductions,
    waste_table,
)
from carbon.account.reconcile import reconciliation_table
from carbon.account.resolve import Resolver, factor_table
from carbon.account.result import AnnualAccount, LazySource
from carbon.errors import AccountError, FactorNotFoundError
from carbon.factorset import FactorSet, resolve_factor_set

__all__ = ["compute_account"]


def _energy_years(ledger, year: int) -> list[int]:
    years = sorted(int(y) for y in ledger._tables["energy"]["year"].dropna().unique())
    if year not in years:
        raise FactorNotFoundError(
            f"台账中没有 {year} 年的能源数据；已有年份：{years}",
            f"the ledger has no energy data for {year}; years with data: {years}",
            key="year",
            available=years,
        )
    return years


class _Year(NamedTuple):
    """What one year's facts give: the resolver, the energy facts, the emission facts, per-enterprise totals
    and the grid power green instruments leave uncovered [MWh]."""

    resolver: Resolver
    detail: pd.DataFrame
    emissions: pd.DataFrame
    per_enterprise: pd.DataFrame
    uncovered_mwh: float
    park910: ParkMethod
    claims: pd.DataFrame  # the year's green-power claims, each once
    energy: _totals.EnergySums  # the energy facts summed per (enterprise, carrier, use)


def _year(ledger, year: int, methods: Methods, factors: FactorSet) -> _Year:
    """The facts and totals of one year."""
    resolver = Resolver(
        factors,
        ledger.custom_factors,
        year,
        ledger.park["province"],
        methods.electricity_tce,
        _facts.sheet_of("custom_factors"),
    )
    facts = _facts.energy_detail(ledger, year, resolver, methods.clean_energy)
    emissions, uncovered_mwh, kinds = _facts.emissions_table(
        facts, ledger, year, resolver, methods.non_co2, methods.gwp, methods.headline
    )
    if resolver.problems:
        # one problem per cell and message (CO2, CH4 and N2O of a fuel may fail on the same row alike)
        unique = {(p.sheet, p.cell, p.message_en): p for p in resolver.problems}
        raise AccountError(list(unique.values()))
    energy = _totals.EnergySums(facts.detail)
    per_enterprise = _totals.per_enterprise(emissions, facts.detail, ledger, year, energy, kinds)
    park910 = park_method(ledger, year, resolver, facts.detail, emissions, facts.claims, kinds, facts.parts)
    return _Year(resolver, facts.detail, emissions, per_enterprise, uncovered_mwh, park910, facts.claims, energy)


class _Totals(NamedTuple):
    """What the baseline and the targets take of a year on a boundary: its per-enterprise totals and its 附件4
    account (the year's facts themselves let go)."""

    per_enterprise: pd.DataFrame
    park910: ParkMethod


class _Boundaries:
    """The ledger cut to a boundary (a mask of its enterprises) and a year's totals on it, each made once per
    account: the baseline year on the current boundary is both the restated baseline and a target's base year
    (the sample park's account computed it twice, and cut the ledger six times for three boundaries).

    ``keep_ledgers=False`` keeps only the totals: for a memo that outlives one account (the history of many years'
    accounts), where a cut ledger kept per boundary would be a near copy of the ledger each."""

    def __init__(self, whole, methods: Methods, factors: FactorSet, *, keep_ledgers: bool = True) -> None:
        self.whole, self._methods, self._factors = whole, methods, factors
        self._keep_ledgers = keep_ledgers
        self._ledgers: dict[bytes, object] = {}
        self._totals: dict[tuple[int, bytes], _Totals] = {}

    def ledger(self, members: np.ndarray):
        """The ledger with only the enterprises marked in ``members`` (:func:`carbon.account.boundary.within`)."""
        key = np.asarray(members, dtype=bool).tobytes()
        if key in self._ledgers:
            return self._ledgers[key]
        cut = _boundary.within(self.whole, members)
        if self._keep_ledgers:
            self._ledgers[key] = cut
        return cut

    def keep(self, members: np.ndarray, ledger) -> None:
        """Take ``ledger`` as the ledger cut to ``members`` (the account's own year, cut before)."""
        self._ledgers[np.asarray(members, dtype=bool).tobytes()] = ledger

    def totals(self, members: np.ndarray, year: int) -> _Totals:
        """The totals of ``year`` on the boundary ``members``."""
        key = (year, np.asarray(members, dtype=bool).tobytes())
        if key not in self._totals:
            computed = _year(self.ledger(members), year, self._methods, self._factors)
            self._totals[key] = _Totals(computed.per_enterprise, computed.park910)
        return self._totals[key]


class _Baseline(NamedTuple):
    """The baseline the change is measured against (restated on the current boundary when enterprises moved in or
    out), the baseline as reported on its own year's boundary, and the restatement's table."""

    levels: pd.DataFrame | None
    park910: ParkMethod | None
    reported_levels: pd.DataFrame | None
    reported_park910: ParkMethod | None
    restatement: pd.DataFrame


_NO_BASELINE = _Baseline(None, None, None, None, pd.DataFrame())


def _baseline(year: int, years: list[int], methods: Methods, boundaries: _Boundaries, notes: list[str]) -> _Baseline:
    """The baseline year's levels and 附件4 account, as reported and restated (with a note when data are missing)."""
    ledger = boundaries.whole
    baseline_year = int(ledger.park["baseline_year"])
    if baseline_year == year:
        return _NO_BASELINE
    if baseline_year not in years:
        notes.append(
            f"基准年 {baseline_year} 无能源数据，不计较基准年的变化 / no energy data for the baseline year "
            f"{baseline_year}: no change against baseline"
        )
        return _NO_BASELINE
    firms = ledger._tables["enterprises"]
    name = ledger.park.get("name")
    reported_members = _boundary.inside(firms, baseline_year)
    reported = boundaries.totals(reported_members, baseline_year)
    reported_levels = _totals.levels(reported.per_enterprise, methods.headline, name)
    notes.extend(_scope_notes(ledger, year, baseline_year))
    members = _boundary.restated_members(firms, baseline_year, year) if baseline_year < year else reported_members
    if np.array_equal(members, reported_members):
        table = _boundary.restatement_table(firms, baseline_year, year, reported, reported, methods.headline)
        return _Baseline(reported_levels, reported.park910, reported_levels, reported.park910, table)
    restated = boundaries.totals(members, baseline_year)
    table = _boundary.restatement_table(firms, baseline_year, year, reported, restated, methods.headline)
    notes.extend(_boundary.unrestated_notes(table, baseline_year))
    if not _boundary.restates(table):  # only enterprises without baseline-year data moved: nothing to restate
        return _Baseline(reported_levels, reported.park910, reported_levels, reported.park910, table)
    levels = _totals.levels(restated.per_enterprise, methods.headline, name)
    notes.append(_boundary.restatement_note(table, baseline_year, (reported_levels, levels), (reported, restated)))
    return _Baseline(levels, restated.park910, reported_levels, reported.park910, table)


#: The tables the park method reads beside energy: a baseline without them is counted on another scope.
PARK_TABLES = ("products", "power_heat_flows", "generation", "conversion_outputs")


def _scope_notes(ledger, year: int, baseline_year: int) -> list[str]:
    """A note for each park-method table with rows in the year but none in the baseline year: the change of
    E_park against the baseline then mixes a change of scope with a change of emissions."""
    notes = []
    for name in PARK_TABLES:
        frame = ledger._tables[name]
        years = set(frame["year"].dropna().astype(int)) if len(frame) else set()
        if year in years and baseline_year not in years:
            sheet = _facts.sheet_of(name)
            notes.append(
                f"「{sheet}」有 {year} 年数据而无基准年 {baseline_year} 年数据：园区排放较基准年的变化含口径变化 / "
                f"{sheet} has rows for {year} but none for the baseline year {baseline_year}: the change of E_park "
                "against the baseline mixes a change of scope with a change of emissions"
            )
    return notes


class _History:
    """The park's figures of other years on the boundary of the account's year (restated as the baseline is), for
    targets against a base year: computed when first asked for, once per year."""

    def __init__(
        self,
        ledger,
        year: int,
        methods: Methods,
        factors: FactorSet,
        current: _Year,
        years: list[int] | None = None,
        boundaries: _Boundaries | None = None,
    ) -> None:
        self._ledger, self._year, self._methods = ledger, year, methods
        # a history of its own outlives an account (many years' accounts ask it): it keeps totals, not cut ledgers
        self._boundaries = boundaries or _Boundaries(ledger, methods, factors, keep_ledgers=False)
        self._figures: dict[int, dict[str, float] | None] = {}
        self._years = years  # the ledger's years with energy data, where the caller has them
        self._current = current

    @property
    def tce_method(self) -> str:
        """``equivalent`` (当量值) or ``equal-value`` (等价值): how the figures' tce counts electricity."""
        return self._methods.electricity_tce

    def years(self) -> list[int]:
        if self._years is None:  # asked once per year computed: the energy table may hold millions of rows
            self._years = sorted(int(y) for y in self._ledger._tables["energy"]["year"].dropna().unique())
        return self._years

    def park(self, year: int) -> dict[str, float] | None:
        """tce, E_park, the scope 1 + 2 total and output and added value (current and constant prices) of the
        park in ``year``, or None without energy data for it."""
        if year not in self._figures:
            self._figures[year] = self._compute(year)
        return self._figures[year]

    def _compute(self, year: int) -> dict[str, float] | None:
        if year not in self.years():
            return None
        firms = self._ledger._tables["enterprises"]
        members = (
            _boundary.inside(firms, year)
            if year == self._year
            else _boundary.restated_members(firms, year, self._year)
            if year < self._year
            else _boundary.inside(firms, self._year)
        )
        ledger = self._boundaries.ledger(members)
        facts = self._current if year == self._year else self._boundaries.totals(members, year)
        per = facts.per_enterprise
        figures = {
            "tce": float(per["tce"].sum()),
            "park910_tco2": float(facts.park910.terms["total"]),
            "total_tco2": float((per["scope1_tco2"] + per[f"scope2_{self._methods.headline}_tco2"]).sum()),
        }
        economics = ledger._tables["economics"]
        economics = economics[(economics["year"] == year).fillna(False).to_numpy(dtype=bool)]
        # enterprises with energy in the year whose figure is not given: the intensity would be too high (counted
        # on indexes of the codes: no Python set of a province's enterprises)
        energy_ids = per.loc[per["tce"].fillna(0).to_numpy() > 0, "enterprise_id"].astype(str)
        with_energy = pd.Index(energy_ids.to_numpy(dtype=object), dtype=object).unique()  # Arrow text: isin is slow
        ids = pd.Index(economics["enterprise_id"].astype(str).to_numpy(dtype=object), dtype=object)
        where = with_energy.get_indexer(ids)  # each economics row's enterprise among those with energy: hashed once
        listed = where >= 0

        def missing(given: pd.Series) -> int:
            """Enterprises with energy and no row of ``economics`` giving the figure."""
            covered = np.zeros(len(with_energy), dtype=bool)
            if len(given) == len(where):
                covered[where[listed & given.notna().to_numpy()]] = True
            return int(len(with_energy) - covered.sum())

        for column in ("output_value", "added_value"):
            current = economics[column].astype(float) if column in economics else pd.Series(dtype=float)
            constant = economics.get(f"{column}_constant", pd.Series(np.nan, index=economics.index)).astype(float)
            figures[column] = float(current.sum(min_count=1))
            figures[f"{column}_constant"] = float(constant.sum(min_count=1))
            figures[f"missing_{column}"] = missing(current)
            figures[f"missing_{column}_constant"] = missing(constant)
        return figures


def _programme_counts(reductions: pd.DataFrame, year: int) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """Projects completed in the year, boilers retrofitted in the year, all boilers."""
    if not len(reductions):
        return 0, pd.DataFrame(columns=["kind"]), pd.DataFrame(columns=["kind"])
    projects = reductions[reductions["kind"] == "project"]
    boilers = reductions[reductions["kind"] == "boiler"]
    completed = 0
    if len(projects):
        completed = int(
            ((projects["status"] == "completed") & (pd.to_datetime(projects["completion_date"]).dt.year == year)).sum()
        )
    retrofitted = boilers[pd.to_datetime(boilers["retrofit_date"]).dt.year == year] if len(boilers) else boilers
    return completed, retrofitted, boilers


def _park910_summary(park910: ParkMethod, baseline: ParkMethod | None, tce: float) -> dict[str, object]:
    """The 附件4 figures of the summary: E_park and its terms, the direct-supply share, the change on baseline."""
    terms = park910.terms
    base = baseline.terms["total"] if baseline is not None else np.nan
    return {
        "park910_tco2": terms["total"],
        **{f"park910_{term}_tco2": terms[term] for term in ("fuel", "conversion", "electricity", "heat", "process")},
        "park910_bunkers_tco2": terms["bunkers"],
        "direct_supply_share": float(park910.direct_supply["value"]),
        "baseline_park910_tco2": base,
        "change_park910": terms["total"] / base - 1 if base == base and base else np.nan,
    }


def _summary(
    park: pd.Series, indicators: Mapping[str, float], programmes: dict[str, object], methods: Methods
) -> dict[str, object]:
    """The headline figures of the year."""
    gf = programmes["green_factories"].set_index("level")
    retrofitted, reductions = programmes["retrofitted"], programmes["reductions"]
    equal_value = park["tce_equal_value"]
    return {
        "year": programmes["year"],
        **{k: float(park[k]) for k in ("scope1_tco2", "scope2_location_tco2", "scope2_market_tco2")},
        **{k: float(park[k]) for k in ("total_location_tco2", "total_market_tco2", "total_tco2")},
        "energy_tce": float(park["tce"]),
        "energy_tce_equivalent": float(park["tce_equivalent"]),
        "energy_tce_equal_value": float(equal_value) if pd.notna(equal_value) else np.nan,
        "carbon_per_energy_tco2_per_tce": float(indicators["carbon_per_energy"]),
        "carbon_per_energy_location": float(park["total_location_tco2"]) / float(park["tce"])
        if park["tce"]
        else np.nan,
        "carbon_per_energy_market": float(park["total_market_tco2"]) / float(park["tce"]) if park["tce"] else np.nan,
        "clean_energy_share": float(indicators["clean_energy_share"]),
        "solid_waste_utilization_rate": float(indicators["solid_waste_utilization"]),
        "waste_heat_utilization_rate": float(indicators["waste_heat_utilization"]),
        "water_reuse_rate": float(indicators["water_reuse"]),
        "green_factories_national": int(gf.at["national", "count"]),
        "green_factories_provincial": int(gf.at["provincial", "count"]),
        "green_factories_new": int(gf.at["all", "new_in_year"]),
        "boiler_retrofits": len(retrofitted),
        "boiler_capacity_t_per_h": float(retrofitted["capacity"].sum()) if len(retrofitted) else 0.0,
        "boilers_total": programmes["boilers_total"],
        "projects_completed": programmes["completed"],
        "reduction_tco2": float(reductions["reduction_in_year_tco2"].sum(min_count=1)) if len(reductions) else 0.0,
        "green_power_mwh": programmes["green_mwh"],
        "intensity_tco2_per_10k_yuan_output": float(park["tco2_per_10k_yuan_output"]),
        "intensity_tco2_per_10k_yuan_added_value": float(park["tco2_per_10k_yuan_added_value"]),
        "baseline_year": programmes["baseline_year"],
        "change_total": float(park["change_total"]),
        "change_tco2_per_tce": float(park["change_tco2_per_tce"]),
        **{f"method_{k}": v for k, v in methods.items()},
    }


def _notes(resolver: Resolver, detail: pd.DataFrame, notes: list[str], methods: Methods) -> tuple[str, ...]:
    for factor in resolver.used.values():
        if factor.fallback:  # an earlier year, or a later one for a year before the first publication
            notes.append(f"{factor.id}: {factor.fallback_text} ({factor.parameter})")
    if methods.non_co2:
        notes.append(
            "含 CH4 和 N2O（CO2 当量）：零碳园区核算方法（910号 附件4）只计 CO2 / CH4 and N2O included (CO2e): the "
            "zero-carbon-park method (910号 附件4) counts CO2 only"
        )
    if detail["tce_equal_value"].isna().any():
        notes.append(
            "该数据年份无电力等价值，电力的等价值折标留空 / electricity 等价值 is not published for this data year: the "
            "equal-value tce of electricity is left blank"
        )
    return tuple(dict.fromkeys(notes))


def _indicator_figures(ledger, year, current: _Year, park_row, waste, methods, green_mwh) -> Figures:
    resources = ledger.resources
    resolver, detail, uncovered_mwh = current.resolver, current.detail, current.uncovered_mwh
    return Figures(
        resolver,
        park_row,
        detail,
        uncovered_mwh,
        green_mwh,
        waste,
        resources[resources["year"] == year],
        methods.headline,
        methods.clean_energy,
        current.park910,
    )


def _programmes(ledger, year: int, current: _Year, notes: list[str]) -> dict:
    """Reductions of projects and boilers, solid waste, green factories and green power of the year."""
    resolver, per_enterprise = current.resolver, current.per_enterprise
    projects = ledger._tables["projects"]
    heat_savers = set(projects.loc[projects["saving_carrier"].isin(["heat", "steam"]), "enterprise_id"])
    sources = heat_sources(current.detail, current.emissions, heat_savers)
    reductions = pd.concat(
        [
            project_reductions(ledger, year, resolver, notes, sources),
            boiler_reductions(ledger, year, resolver, notes),
        ],
        ignore_index=True,
    )
    completed, retrofitted, boilers = _programme_counts(reductions, year)
    return {
        "year": year,
        "reductions": reductions,
        "waste": waste_table(ledger, year),
        "green_factories": green_factories(ledger, year, per_enterprise),
        "green_mwh": float(_facts.green_mwh_by_enterprise(current.claims).sum()),
        "retrofitted": retrofitted,
        "boilers_total": len(boilers),
        "completed": completed,
        "baseline_year": int(ledger.park["baseline_year"]),
    }


def _actual(values: Mapping[str, float], programmes: dict, park_row: pd.Series) -> dict[str, float]:
    """Every figure a target may name, for the year."""
    return {
        **values,
        "completed_retrofits": programmes["completed"],
        "new_green_factories": int(programmes["green_factories"].set_index("level").at["all", "new_in_year"]),
        "total_emissions": float(park_row["total_tco2"]),
        "energy_consumption": float(park_row["tce"]),
    }


def _with_baseline_summary(summary: dict, baseline: _Baseline) -> dict:
    """The baseline's figures (restated on the current boundary where enterprises moved in or out) and the
    baseline as reported on its own year's boundary."""
    for prefix, levels in (("baseline", baseline.levels), ("baseline_reported", baseline.reported_levels)):
        base = levels[levels["level"] == "park"].iloc[0] if levels is not None else None
        summary[f"{prefix}_total_tco2"] = float(base["total_tco2"]) if base is not None else np.nan
        if prefix == "baseline":
            summary["baseline_carbon_per_energy_tco2_per_tce"] = (
                float(base["tco2_per_tce"]) if base is not None else np.nan
            )
    reported = baseline.reported_park910
    summary["baseline_reported_park910_tco2"] = reported.terms["total"] if reported is not None else np.nan
    summary["baseline_restated"] = bool(baseline.levels is not None and baseline.levels is not baseline.reported_levels)
    return summary


def _tables(resolver, ledger, year, methods: Methods, frames: dict[str, pd.DataFrame], programmes: dict) -> dict:
    """The account's tables by name, in their final form (empty text is blank)."""
    emissions = frames["emissions"]
    if methods.scope2 != "both":
        kept = emissions["scope2_method"].isna().to_numpy() | _totals.is_value(
            emissions["scope2_method"], methods.scope2
        )
        emissions = _totals.rows_where(emissions, kept)
    tables = {
        "emissions": emissions,
        "detail": frames["detail"],
        "energy": _totals.energy_by_carrier(frames["detail"], frames["energy"]),
        "intensities": frames["intensities"],
        "reductions": programmes["reductions"],
        "solid_waste": programmes["waste"],
        "green_factories": programmes["green_factories"],
        "indicators": frames["indicators"],
        "targets": frames["targets"],
        "factors": factor_table(resolver),
        "green_power": _totals.green_power_table(ledger, year),
        "park_method": frames["park910"].lines,
        "park_terms": _park_terms(
            frames["park910"], float(frames["intensities"].query("level == 'park'")["tce"].iloc[0])
        ),
        "core_bases": frames["core_bases"],
        "reconciliation": frames["reconciliation"],
        "direct_supply": pd.DataFrame([frames["park910"].direct_supply]),
        "open_points": frames["park910"].open_points,
    }
    if len(frames["restatement"]):  # only when enterprises changed the boundary
        tables["restatement"] = frames["restatement"]
    return {name: _totals.blanks_to_none(frame) for name, frame in tables.items()}


_TERM_NAMES = {
    "fuel": ("E_用作燃料", "E_fuel: fossil fuel burned"),
    "conversion": ("E_加工转换", "E_conversion: carbon lost in energy conversion"),
    "electricity": ("E_电", "E_electricity: net inflow of electricity"),
    "heat": ("E_热", "E_heat: net inflow of heat"),
    "process": ("E_工业过程", "E_process: industrial processes"),
    "total": ("E_园区（各项之和）", "E_park: the sum of the terms"),
    "bunkers": ("国际航空航海（单独列出）", "international bunkers, listed apart (not in E_park)"),
}


def _park_terms(park910: ParkMethod, tce: float) -> pd.DataFrame:
    """The formula of 附件4 term by term [tCO2], E_park, bunkers apart, the park's tce and the core indicator."""
    total = park910.terms["total"]
    lines = park910.lines["term"].value_counts()  # one count of the lines per term (not a comparison per term)
    rows = [
        {
            "term": term,
            "name_zh": _TERM_NAMES[term][0],
            "name_en": _TERM_NAMES[term][1],
            "value": park910.terms[term],
            "unit": "tCO2",
            "share": park910.terms[term] / total if total else np.nan,
            "lines": int(lines.get(term, 0)) if term != "total" else len(park910.lines),
        }
        for term in ("fuel", "conversion", "electricity", "heat", "process", "total", "bunkers")
    ]
    rows.append(
        {"term": "tce", "name_zh": "综合能源消费量", "name_en": "energy consumption", "value": tce, "unit": "tce"}
    )
    rows.append(
        {
            "term": "carbon_per_energy",
            "name_zh": "单位能耗碳排放 = E_园区 / 综合能源消费量",
            "name_en": "core indicator: E_park / tce",
            "value": total / tce if tce else np.nan,
            "unit": "tCO2/tce",
        }
    )
    return pd.DataFrame(rows)


def _resolve_methods(methods, choices: dict) -> tuple[Methods, FactorSet]:
    given_set = choices.get("factor_set")
    methods = Methods.of(methods, **choices)
    factors = given_set if isinstance(given_set, FactorSet) else resolve_factor_set(methods.factor_set)
    factors.gwp("CH4", methods.gwp)  # validates the edition
    return methods, factors


def compute_account(
    ledger,
    year: int | None = None,
    *,
    methods: Methods | Mapping[str, object] | None = None,
    **choices,
) -> AnnualAccount:
    """Compute the account of ``year`` (default: the park's reporting year). See :class:`AnnualAccount`.

    ``methods`` (a :class:`~carbon.account.Methods`) and keyword ``choices`` (``scope2=``, ``gwp=``,
    ``factor_set=``, ``electricity_tce=``, ``non_co2=``, ``clean_energy=``) set the method choices; the
    keywords win. ``factor_set`` may also be a :class:`~carbon.FactorSet` object."""
    year = int(ledger.park["reporting_year"] if year is None else year)
    methods, factors = _resolve_methods(methods, choices)
    years = _energy_years(ledger, year)
    whole, (ledger, boundary_notes) = ledger, _boundary.of_year(ledger, year)  # the enterprises inside in the year
    current = _year(ledger, year, methods, factors)
    resolver, detail, emissions, per_enterprise = current[:4]
    notes: list[str] = [*boundary_notes, *current.park910.notes]
    boundaries = _Boundaries(whole, methods, factors)
    boundaries.keep(_boundary.inside(whole._tables["enterprises"], year), ledger)
    baseline = _baseline(year, years, methods, boundaries, notes)
    levels = _totals.levels(per_enterprise, methods.headline, ledger.park.get("name"))
    intensities = _totals.with_baseline(levels, baseline.levels)
    park_row = intensities[intensities["level"] == "park"].iloc[0]
    programmes = _programmes(ledger, year, current, notes)
    reconciliation, reconciliation_notes = reconciliation_table(ledger, year, resolver, programmes["reductions"])
    notes.extend(reconciliation_notes)
    figures = _indicator_figures(ledger, year, current, park_row, programmes["waste"], methods, programmes["green_mwh"])
    indicators = indicators_table(figures)
    values = dict(zip(indicators["indicator"], indicators["value"], strict=True))
    history = _History(whole, year, methods, factors, current, years, boundaries)
    frames = {
        "emissions": emissions,
        "detail": detail,
        "energy": current.energy,
        "intensities": intensities,
        "indicators": indicators,
        "targets": targets_table(ledger, year, _actual(values, programmes, park_row), history),
        "park910": current.park910,
        "core_bases": core_bases_table(figures),
        "reconciliation": reconciliation,
        "restatement": baseline.restatement,
    }
    summary = _with_baseline_summary(_summary(park_row, values, programmes, methods), baseline)
    summary |= _park910_summary(current.park910, baseline.park910, float(park_row["tce"]))
    figures_now = history.park(year)
    for key in (
        "output_value",
        "added_value",
    ):  # a constant-price total only when every enterprise with energy gives it
        complete = not figures_now[f"missing_{key}_constant"]
        summary[f"{key}_constant"] = figures_now[f"{key}_constant"] if complete else np.nan
    return AnnualAccount(
        year,
        MappingProxyType(dict(ledger.park)),
        methods,
        MappingProxyType(summary),
        _notes(resolver, detail, notes, methods),
        MappingProxyType(_tables(resolver, ledger, year, methods, frames, programmes)),
        LazySource(whole),
    )


def history_of(ledger, year: int, *, methods=None, **choices) -> _History:
    """The park's figures of any year on the boundary of ``year`` (restated as the baseline is): ``.park(y)``."""
    methods, factors = _resolve_methods(methods, choices)
    current = _year(_boundary.of_year(ledger, year).ledger, year, methods, factors)
    return _History(ledger, year, methods, factors, current)
