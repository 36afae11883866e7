"""The park's programmes in the account: energy-saving projects and boiler retrofits (reductions), solid waste
and green factories.

Every coefficient comes from the :class:`~carbon.account.resolve.Resolver` (the function layer); the
reduction equations are :func:`carbon.reductions.boiler_reduction` and :func:`carbon.reductions.share_of_year`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon import _codes
from carbon.account.facts import COMBUSTION_USES, sheet_of
from carbon.account.park910 import factor_per
from carbon.account.resolve import Resolver, evaluate
from carbon.labels import label
from carbon.names import carriers
from carbon.reductions import boiler_reduction, share_of_year
from carbon.units import conversion_factor
from carbon.validation.problems import Problem

__all__ = ["boiler_reductions", "green_factories", "heat_sources", "project_reductions", "waste_table"]


def _apply(
    frame: pd.DataFrame,
    problems: list[Problem],
    keys: list[str],
    compute,
    outputs: list[tuple[str, str]],
    *,
    sheet: str = "",
) -> pd.DataFrame:
    """Evaluate ``compute`` once per distinct combination of ``keys`` and add its ``outputs`` as columns.

    ``outputs`` are (name, kind) pairs, kind ``float``, ``bool`` or ``str`` (see :func:`carbon._codes.spread`).
    A missing factor is a problem located at the first input row it affects, and its outputs are blank."""
    out = frame.reset_index(drop=True)
    coded = [_codes.encode(out[key].to_numpy(dtype=object)) for key in keys]
    group, key_tuples, first_rows = _codes.groups(coded)
    rows = out["source_row"].to_numpy(dtype=object) if "source_row" in out else np.full(len(out), "", dtype=object)
    values = evaluate(key_tuples, first_rows, compute, len(outputs), lambda r: (sheet, rows[r]), problems)
    out = out.copy(deep=False)
    for position, (name, kind) in enumerate(outputs):
        out[name] = _codes.spread([v[position] for v in values], group, kind)
    return out


# -- projects ---------------------------------------------------------------------------------------------


def heat_sources(detail: pd.DataFrame, emissions: pd.DataFrame, enterprises: set) -> pd.DataFrame:
    """Per enterprise (of ``enterprises``): whether it buys heat in the year, the CO2 per tce of the fuel it
    burns and its main fuel. A heat saving is valued at the source that made the heat."""
    info = pd.DataFrame(index=pd.Index(sorted(enterprises), dtype=object))
    if not enterprises:
        return info.assign(buys_heat=pd.Series(dtype=bool), tco2_per_tce_fuel=np.nan, main_fuel=None)

    def of(frame: pd.DataFrame) -> pd.DataFrame:  # the rows of these enterprises, compared on the codes
        firms = frame["enterprise_id"].array
        codes, values = np.asarray(firms.codes), np.asarray(firms.categories, dtype=object)
        return frame[np.isin(values, list(enterprises))[codes] & (codes >= 0)]

    facts = of(detail)
    carrier = facts["carrier"].astype(str)
    enterprise = facts["enterprise_id"].astype(str)
    info["buys_heat"] = pd.Series(True, index=enterprise[carrier.isin(["heat", "steam"])].unique())
    info["buys_heat"] = info["buys_heat"].fillna(False).astype(bool)
    burned = facts[facts["use"].astype(str).isin(COMBUSTION_USES) & (facts["tce"] > 0)]
    burned = burned[burned["carrier"].map(carriers().set_index("id")["category"]).astype(str).str.contains("fuel")]
    tce = burned.groupby(burned["enterprise_id"].astype(str))["tce"].sum()
    mine = of(emissions)
    co2 = mine[(mine["source"].astype(str) == "fuel_combustion") & (mine["gas"].astype(str) == "CO2")]
    tco2 = co2.groupby(co2["enterprise_id"].astype(str))["emissions_tco2"].sum()
    info["tco2_per_tce_fuel"] = (tco2 / tce).reindex(info.index)
    main = burned.groupby([burned["enterprise_id"].astype(str), burned["carrier"].astype(str)])["tce"].sum()
    info["main_fuel"] = (
        main.groupby(level=0).idxmax().map(lambda key: key[1]).reindex(info.index) if len(main) else None
    )
    return info


#: The size taken for an enterprise's own boilers where a heat saving is valued at their fuel and their size is
#: unknown: 10 t/h, the small band of GB 24500-2020 for coal (<= 20 t/h) and biomass (<= 10 t/h); gas and oil have
#: one band. The efficiency used, with its band, is said on the row as an assumption.
ASSUMED_CAPACITY_T_PER_H = 10.0


def _own_boilers(resolver: Resolver, source: pd.Series, unit: str) -> tuple[float, float, str, str]:
    """A heat saving of an enterprise that buys no heat: tCO2 per unit at the CO2 per tce of the fuel it burns
    over the GB 24500-2020 efficiency of its main fuel (assumed, said on the row), the same both ways."""
    efficiency = resolver.factors.boiler_efficiency(source["main_fuel"], ASSUMED_CAPACITY_T_PER_H)
    resolver.use(efficiency)
    per_gj = float(source["tco2_per_tce_fuel"]) / conversion_factor("tce", "GJ") / (float(efficiency.value) / 100)
    rate = per_gj * conversion_factor(unit, "GJ")
    fuel_zh = label("carrier", source["main_fuel"], "zh")
    per_tce = f"{source['tco2_per_tce_fuel']:.3f} tCO2/tce"
    method = (
        f"自有锅炉：节能量 ÷ 效率 {efficiency.value:g} %（假设）× 所烧{fuel_zh}的 {per_tce} / "
        f"own boilers: saving ÷ {efficiency.value:g} % (assumed) x {per_tce} of the {source['main_fuel']} they burn"
    )
    return rate, rate, method, efficiency.id


def _project_rates(projects: pd.DataFrame, resolver: Resolver, notes: list[str], sources: pd.DataFrame):
    """Per project with a saving: tCO2 per unit of its annual saving on the 附件4 basis and location-based, and
    the method of each; and which projects give a saving.

    Electricity at 附件4's 0.8325 kgCO2/kWh (location: the grid factor); heat at 0.11 where the enterprise buys
    heat, else at its own boiler fuel (the CO2 per tce of the fuel it burns, over the GB 24500-2020 efficiency
    of its main fuel, an assumption said on the row); a fuel at its factor."""
    grid = resolver.factors.park_method("co2_grid")
    fossil_heat = resolver.factors.park_method("co2_heat_fossil")
    location_id = resolver.grid("location").id
    heat_id = resolver.heat_co2("GJ").factor_ids

    def annual(enterprise, carrier, unit):
        if carrier == "electricity":
            headline = factor_per(grid, unit)
            resolver.use(grid)
            location = resolver.electricity(unit, "location").value
            return (
                headline,
                location,
                "节能量 × 附件4 电力因子，基于位置 × 电网因子 / saving x the 附件4 power factor, location-based x the grid's",
                f"{grid.id}|{location_id}",
            )
        if carrier in ("heat", "steam"):
            source = sources.loc[enterprise] if enterprise in sources.index else None
            if source is None or source["buys_heat"] or pd.isna(source["tco2_per_tce_fuel"]):
                resolver.use(fossil_heat)
                ghg = resolver.heat_co2(unit).value
                return (
                    factor_per(fossil_heat, unit),
                    ghg,
                    "购入热力：节能量 × 附件4 热力因子，基于位置 × 热力因子 / "
                    "purchased heat: saving x the 附件4 heat factor, location-based x the heat factor",
                    f"{fossil_heat.id}|{heat_id}",
                )
            return _own_boilers(resolver, source, unit)
        coefficient = resolver.co2(resolver.group_key(enterprise, carrier), carrier, unit)
        ids = coefficient.factor_ids
        return coefficient.value, coefficient.value, "节能量 × 燃料因子 / saving x the fuel factor", ids

    has = projects["saving_quantity"].notna() & projects["saving_unit"].notna() & projects["saving_carrier"].notna()
    keyed = projects[has].assign(
        key_e=projects["enterprise_id"], key_c=projects["saving_carrier"], key_u=projects["saving_unit"]
    )
    outputs = [
        ("tco2_per_unit", "float"),
        ("tco2_per_unit_location", "float"),
        ("method", "str"),
        ("factor_ids", "str"),
    ]
    per_unit = _apply(
        keyed, _AsNotes(notes, "project"), ["key_e", "key_c", "key_u"], annual, outputs, sheet=sheet_of("projects")
    )
    per_unit.index = keyed.index
    return per_unit, has


def project_reductions(ledger, year: int, resolver: Resolver, notes: list[str], sources=None) -> pd.DataFrame:
    """One row per project: annual reduction (附件4 basis, location-based beside), the part in ``year``, the
    cumulative part, declared against computed. ``sources``: :func:`heat_sources` of the year."""
    projects = ledger.projects.copy()
    if projects.empty:
        return pd.DataFrame()
    if sources is None:
        sources = pd.DataFrame(columns=["buys_heat", "tco2_per_tce_fuel", "main_fuel"])
    rates, has = _project_rates(projects, resolver, notes, sources)
    projects["annual_reduction_tco2"] = np.nan
    projects.loc[has, "annual_reduction_tco2"] = projects.loc[has, "saving_quantity"] * rates["tco2_per_unit"].astype(
        float
    )
    projects["annual_reduction_location_tco2"] = np.nan
    projects.loc[has, "annual_reduction_location_tco2"] = projects.loc[has, "saving_quantity"] * rates[
        "tco2_per_unit_location"
    ].astype(float)
    projects["method"] = ""
    projects.loc[has, "method"] = rates["method"]
    projects["factor_id"] = ""
    projects.loc[has, "factor_id"] = rates["factor_ids"]
    completed = projects["status"] == "completed"
    share = share_of_year(projects["completion_date"], year)
    completion_year = pd.to_datetime(projects["completion_date"]).dt.year
    # each project's share of its own completion year, for the projects of each year at once
    first_share = np.full(len(projects), np.nan)
    for done in completion_year.dropna().unique():
        of_year = (completion_year == done).to_numpy()
        first_share[of_year] = share_of_year(projects["completion_date"][of_year], int(done))
    years_after = np.clip(year - completion_year.to_numpy(dtype=float), 0, None)
    projects["share_of_year"] = np.where(completed, share, 0.0)
    # nothing is reduced before a project is in service, whether or not its saving is known
    projects["reduction_in_year_tco2"] = np.where(
        projects["share_of_year"] > 0, projects["annual_reduction_tco2"] * projects["share_of_year"], 0.0
    )
    cumulative_share = np.where(completed & (completion_year <= year), first_share + years_after, 0.0)
    projects["cumulative_reduction_tco2"] = np.where(
        cumulative_share > 0, projects["annual_reduction_tco2"] * cumulative_share, 0.0
    )
    projects["difference_tco2"] = projects["declared_reduction"] - projects["annual_reduction_tco2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        projects["difference_relative"] = projects["difference_tco2"] / projects["annual_reduction_tco2"]
    year_end = pd.Timestamp(year=year, month=12, day=31)
    projects["overdue"] = ~completed & (pd.to_datetime(projects["planned_completion"]) <= year_end)
    projects["assumptions"] = np.where(
        has,
        np.where(
            projects["annual_reduction_tco2"].isna(), "no factor for the saving's carrier and unit: see notes", ""
        ),
        "no annual saving given: no reduction computed",
    )
    out = projects.rename(columns={"project_id": "item_id", "source_row": "input_row"})
    out.insert(0, "kind", "project")
    out["input_sheet"] = sheet_of("projects")
    return out


# -- boilers ----------------------------------------------------------------------------------------------

_AFTER_CARRIER = {"natural_gas": "natural_gas", "electricity": "electricity", "biomass": "biomass"}


def _efficiencies(boilers: pd.DataFrame, resolver: Resolver) -> tuple[list[float], list[float], list[list[str]]]:
    """Efficiency before and after (given, or the GB 24500-2020 limit as the documented default)."""
    assumptions: list[list[str]] = [[] for _ in range(len(boilers))]
    before, after = [], []
    for position, row in enumerate(boilers.itertuples(index=False)):
        if pd.notna(row.efficiency_before):
            before.append(row.efficiency_before)
        else:
            default = resolver.factors.boiler_efficiency(row.fuel_before, row.capacity)
            resolver.use(default)
            before.append(default.value / 100)
            assumptions[position].append(
                f"η前 {default.value:g} %（{default.id}，假设） / η_b {default.value:g} % ({default.id}, assumed)"
            )
        if row.fuel_after == "removed":
            after.append(1.0)
            assumptions[position].append("拆除，同样热量改为购入 / removed: the same heat bought")
        elif pd.notna(row.efficiency_after):
            after.append(row.efficiency_after)
        else:
            default = resolver.factors.boiler_efficiency(_AFTER_CARRIER[row.fuel_after], row.capacity)
            resolver.use(default)
            after.append(default.value / 100)
            assumptions[position].append(
                f"η后 {default.value:g} %（{default.id}，假设） / η_a {default.value:g} % ({default.id}, assumed)"
            )
    return before, after, assumptions


class _AsNotes(list):
    """A problem list whose problems become notes: a reduction may be left out (and said so) where the
    emissions may not."""

    def __init__(self, notes: list[str], kind: str) -> None:
        super().__init__()
        self._notes = notes
        self._kind = kind

    def append(self, problem: Problem) -> None:
        zh = {"project": "项目", "boiler": "锅炉"}.get(self._kind, self._kind)
        self._notes.append(
            f"{zh}减排量未计算：{problem.value}（{problem.sheet} {problem.cell}）：{problem.message_zh} / "
            f"{self._kind} reduction not computed for {problem.value} ({problem.sheet} {problem.cell}): "
            f"{problem.message_en}"
        )


def _fuel_before(boilers: pd.DataFrame, resolver: Resolver, notes: list[str]) -> pd.DataFrame:
    """GJ per unit of the fuel before, tCO2 per GJ of it, and the factor ids, per boiler."""

    def fuel_before(enterprise, carrier, unit):
        key = resolver.group_key(enterprise, carrier)
        gj = resolver.heat(key, carrier, unit).value if unit else np.nan
        co2 = resolver.co2(key, carrier, "GJ")
        return gj, co2.value, co2.factor_ids

    keyed = boilers.assign(
        k_e=boilers["enterprise_id"], k_c=boilers["fuel_before"], k_u=boilers["fuel_before_unit"].fillna("")
    )
    outputs = [("gj_per_unit", "float"), ("tco2_per_gj_before", "float"), ("factor_ids", "str")]
    resolved = _apply(
        keyed, _AsNotes(notes, "boiler"), ["k_e", "k_c", "k_u"], fuel_before, outputs, sheet=sheet_of("boilers")
    )
    resolved.index = boilers.index
    return resolved


def _rate_after(boilers: pd.DataFrame, resolver: Resolver, basis: str) -> np.ndarray:
    """tCO2 per GJ of what each boiler burns or buys after its retrofit: electricity and bought heat at the
    附件4 factors (``basis`` ``park910``) or at the grid and heat factors of the GHG view (``location``)."""

    def rate(fuel_after: str, enterprise: str) -> float:
        if fuel_after == "natural_gas":
            return resolver.co2(resolver.group_key(enterprise, "natural_gas"), "natural_gas", "GJ").value
        if fuel_after == "biomass":
            return 0.0
        if basis == "location":
            if fuel_after == "electricity":
                return resolver.electricity("GJ", "location").value
            return resolver.heat_co2("GJ").value
        factor = resolver.factors.park_method("co2_grid" if fuel_after == "electricity" else "co2_heat_fossil")
        resolver.use(factor)
        return factor_per(factor, "GJ")

    return np.array([rate(f, e) for f, e in zip(boilers["fuel_after"], boilers["enterprise_id"], strict=True)])


def _saving_tce(boilers: pd.DataFrame, resolver: Resolver) -> np.ndarray:
    """tce of the fuel before minus tce of what is used after, each by :func:`carbon.energy.tce_factor` on its
    energy (GJ): a fuel at its calorific content, electricity by the account's 当量值 or 等价值, heat at GB/T 2589."""
    option = resolver.electricity_tce
    after = boilers["fuel_after"].map({"removed": "heat"}).fillna(boilers["fuel_after"])
    tce_before = np.array([resolver.tce("", c, "GJ", option).value for c in boilers["fuel_before"]])
    tce_after = np.array([resolver.tce("", c, "GJ", option).value for c in after])
    return (
        boilers["fuel_before_gj"].to_numpy(dtype=float) * tce_before
        - boilers["energy_after_gj"].to_numpy(dtype=float) * tce_after
    )


def boiler_reductions(ledger, year: int, resolver: Resolver, notes: list[str]) -> pd.DataFrame:
    """One row per boiler: heat held constant, fuel before and energy after, annual and in-year reduction."""
    boilers = ledger.boilers.copy()
    if boilers.empty:
        return pd.DataFrame()
    location_id = resolver.grid("location").id
    heat_id = resolver.heat_co2("GJ").factor_ids
    before, after, assumptions = _efficiencies(boilers, resolver)
    boilers["efficiency_before_used"] = before
    boilers["efficiency_after_used"] = after
    resolved = _fuel_before(boilers, resolver, notes)
    heat = boilers["heat_output"].where(
        boilers["heat_output"].notna(),
        boilers["fuel_before_quantity"] * resolved["gj_per_unit"].astype(float) * boilers["efficiency_before_used"],
    )
    for position in np.flatnonzero(boilers["heat_output"].isna().to_numpy()):
        assumptions[position].append("Q = 改造前燃料 × η前 / Q = fuel before x η_b")
    arguments = (
        heat.to_numpy(dtype=float),
        boilers["efficiency_before_used"].to_numpy(dtype=float),
        boilers["efficiency_after_used"].to_numpy(dtype=float),
        resolved["tco2_per_gj_before"].astype(float).to_numpy(),
    )
    for name, values in boiler_reduction(*arguments, _rate_after(boilers, resolver, "park910")).items():
        boilers[name] = values
    location = boiler_reduction(*arguments, _rate_after(boilers, resolver, "location"))
    boilers["annual_reduction_location_tco2"] = location["annual_reduction_tco2"]
    boilers["heat_gj"] = heat
    boilers["share_of_year"] = share_of_year(boilers["retrofit_date"], year)
    boilers["reduction_in_year_tco2"] = boilers["annual_reduction_tco2"] * boilers["share_of_year"]
    boilers["saving_tce"] = _saving_tce(boilers, resolver)
    after_method = {
        "natural_gas": ("天然气按燃料因子", "gas at the fuel factor"),
        "electricity": ("电力按附件4因子，基于位置按电网因子", "power at the 附件4 factor, location-based the grid's"),
        "biomass": ("生物质计 0", "biomass at 0 (biogenic)"),
        "removed": ("改为购入热力，按附件4热力因子", "heat bought instead, at the 附件4 heat factor"),
    }
    boilers["method"] = boilers["fuel_after"].map(
        {
            key: f"Q 不变：Q/η前×EF前 − Q/η后×EF后，{zh} / Q held: Q/η_b×EF_b − Q/η_a×EF_a, {en}"
            for key, (zh, en) in after_method.items()
        }
    )
    # the factors of the fuel before, and of what replaced it where the method names one
    after_ids = {"electricity": f"park910.electricity.grid|{location_id}", "removed": f"park910.heat.fossil|{heat_id}"}
    after = boilers["fuel_after"].map(after_ids).fillna("")
    boilers["factor_id"] = [b if not a else f"{b}|{a}" for b, a in zip(resolved["factor_ids"], after, strict=True)]
    boilers["assumptions"] = ["; ".join(a) for a in assumptions]
    out = boilers.rename(columns={"boiler_id": "item_id", "source_row": "input_row"})
    out.insert(0, "kind", "boiler")
    out["input_sheet"] = sheet_of("boilers")
    out["status"] = np.where(out["share_of_year"] > 0, "retrofitted", "planned")
    return out


# -- solid waste and green factories ------------------------------------------------------------------------


def waste_table(ledger, year: int) -> pd.DataFrame:
    """Solid waste per input row, enterprise, waste type and the park: rate by the NBS formula and balance."""
    waste = ledger.solid_waste
    waste = waste[waste["year"] == year].copy()
    columns = ["generated", "utilized", "prior_stock_utilized", "disposed", "stored"]
    keep = ["level", "key", "enterprise_id", "waste_type", *columns, "utilization_rate", "balance_t", "input_row"]
    if waste.empty:
        return pd.DataFrame(columns=keep)
    waste[columns] = waste[columns].astype(float)
    rows = waste.assign(level="row", key=waste["enterprise_id"] + " / " + waste["waste_type"])
    per_enterprise = (
        waste.groupby("enterprise_id")[columns].sum().reset_index().rename(columns={"enterprise_id": "key"})
    )
    per_enterprise["level"] = "enterprise"
    per_type = waste.groupby("waste_type")[columns].sum().reset_index().rename(columns={"waste_type": "key"})
    per_type["level"] = "waste_type"
    park = waste[columns].sum().to_frame().T.assign(level="park", key="park")
    frame = pd.concat([rows, per_enterprise, per_type, park], ignore_index=True)
    available = frame["generated"] + frame["prior_stock_utilized"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["utilization_rate"] = np.where(available > 0, frame["utilized"] / available, np.nan)
    frame["balance_t"] = (
        frame["generated"] - (frame["utilized"] - frame["prior_stock_utilized"]) - frame["disposed"] - frame["stored"]
    )
    frame = frame.rename(columns={"source_row": "input_row"})
    return frame[[c for c in keep if c in frame.columns]]


def green_factories(ledger, year: int, per_enterprise: pd.DataFrame) -> pd.DataFrame:
    """Green factories by level: count, new in the year, share of the park's energy and emissions covered."""
    factories = ledger.green_factories
    factories = factories[factories["year_awarded"] <= year]
    total_tce = per_enterprise["tce"].sum()
    total_tco2 = (per_enterprise["scope1_tco2"] + per_enterprise["scope2_market_tco2"]).sum()
    rows = []
    for level in ("national", "provincial", "municipal", "all"):
        chosen = factories if level == "all" else factories[factories["level"] == level]
        firms = set(chosen["enterprise_id"])
        covered = per_enterprise[per_enterprise["enterprise_id"].isin(firms)]
        rows.append(
            {
                "level": level,
                "count": len(chosen) if level != "all" else len(firms),
                "new_in_year": int((chosen["year_awarded"] == year).sum())
                if level != "all"
                else int(chosen[chosen["year_awarded"] == year]["enterprise_id"].nunique()),
                "energy_share": covered["tce"].sum() / total_tce if total_tce else np.nan,
                "emissions_share": (covered["scope1_tco2"] + covered["scope2_market_tco2"]).sum() / total_tco2
                if total_tco2
                else np.nan,
                "enterprises": ", ".join(sorted(firms)),
            }
        )
    return pd.DataFrame(rows)
