"""Claims checked against the energy data, as a verifier would: project savings within the enterprise's use,
boiler fuel before within what the enterprise burned the year before, the fuel after present after the
retrofit, and green certificates of a vintage that fits the year they are claimed in.

Each rule is named as the sentence it checks and reports at the cell that carries the claim, with the numbers
compared, in Chinese and English. Energy is compared in tce (projects) or GJ (boilers) with the default factor
set (:func:`carbon.energy.to_tce`, :func:`carbon.energy.heat_content_factor`); the rules read only the
enterprises that make a claim, so a province's energy table is not grouped whole.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from carbon._arrays import per_group
from carbon.energy import heat_content_factor, to_tce
from carbon.errors import CarbonError
from carbon.factorset import resolve_factor_set
from carbon.names import carriers, is_fuel
from carbon.units import CERTIFICATE_VALID_YEARS, conversion_factor, normalize_unit_text
from carbon.validation.problems import Collector

if TYPE_CHECKING:
    from carbon.validation.tables import RawTable

__all__ = [
    "boiler_fuel_before_is_within_use",
    "certificates_fit_the_year",
    "fuel_after_appears_after_the_retrofit",
    "project_savings_are_within_use",
]

#: Coal types a boiler ledger and an energy sheet may name differently: one family when fuel before is compared.
_COAL = {"raw_coal", "washed_coal", "anthracite", "bituminous_coal", "sub_bituminous_coal", "lignite"}
#: The carriers that show a retrofit's fuel after on the energy sheet.
_AFTER = {"natural_gas": {"natural_gas", "lng"}, "electricity": {"electricity"}, "biomass": {"biomass"}}
_AFTER["removed"] = {"heat", "steam"}
_AFTER_ZH = {"natural_gas": "天然气", "electricity": "电力", "biomass": "生物质", "removed": "外购热力"}
#: Units of standard coal (tce, kgce, 吨标煤 ...): a saving stated in them is already tce.
_STANDARD_COAL = re.compile(r"(ce|标煤|标准煤)$")


@functools.cache
def _names_zh() -> dict[str, object]:
    return carriers().set_index("id")["name_zh"].to_dict()


def _name(carrier: str) -> str:
    return str(_names_zh().get(carrier, carrier))


def _family(carrier: object) -> object:
    return "coal" if carrier in _COAL else carrier


def _energy_of(energy: pd.DataFrame | None, enterprises: set) -> pd.DataFrame:
    """The energy rows of these enterprises, with their tce (NaN where the default set has no factor)."""
    if energy is None or not enterprises:
        return pd.DataFrame(columns=["enterprise_id", "year", "carrier", "quantity", "unit", "use", "tce"])
    rows = energy[energy["enterprise_id"].isin(enterprises)].dropna(subset=["carrier", "quantity", "unit", "year"])
    rows = rows.copy()
    rows["tce"] = np.nan
    for (carrier, unit), group in rows.groupby(["carrier", "unit"]):
        try:
            rows.loc[group.index, "tce"] = group["quantity"].to_numpy(float) * float(to_tce(1.0, unit, carrier))
        except CarbonError:
            continue  # a unit the default set cannot convert: reported where the account needs it
    return rows


def _gj_per_unit(unit: str, carrier: str) -> float:
    try:
        return float(heat_content_factor(unit, carrier).value)
    except CarbonError:
        return np.nan


def _reference_year(years: set, year: int) -> int | None:
    """The year before ``year`` the enterprise has energy data for: ``year - 1``, else the latest earlier one,
    else ``year`` itself; None without any."""
    before = [y for y in years if y < year]
    if year - 1 in years:
        return year - 1
    if before:
        return max(before)
    return year if year in years else None


# -- projects ------------------------------------------------------------------------------------------------


def _saving_tce(quantity: np.ndarray, unit: str, carrier: str) -> np.ndarray:
    """Savings in tce: as given where they are stated in standard coal, else converted from the carrier (NaN
    where the unit does not convert)."""
    try:
        if _STANDARD_COAL.search(normalize_unit_text(unit)):
            return quantity * conversion_factor(unit, "tce")
        return np.asarray(to_tce(quantity, unit, carrier), dtype=float)
    except CarbonError:
        return np.full(len(quantity), np.nan)


def _reference_years(rows: pd.DataFrame, enterprises: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Per claim: :func:`_reference_year` of its enterprise's data years and its year (NaN for None), found once
    per distinct (enterprise, year)."""
    have = rows[["enterprise_id", "year"]].drop_duplicates()
    data_years: dict[object, set[int]] = {}
    for enterprise, year in zip(have["enterprise_id"].tolist(), have["year"].astype(int).tolist(), strict=True):
        data_years.setdefault(enterprise, set()).add(year)
    found: dict[tuple[object, int], float] = {}
    out = np.full(len(years), np.nan)
    for position, key in enumerate(zip(enterprises.tolist(), years.tolist(), strict=True)):
        if key not in found:
            year = _reference_year(data_years.get(key[0], set()), key[1])
            found[key] = np.nan if year is None else float(year)
        out[position] = found[key]
    return out


def _savings_tce(claims: pd.DataFrame) -> np.ndarray:
    """:func:`_saving_tce` of each claim, computed once per distinct (unit, carrier) over its claims' quantities."""
    quantity = claims["saving_quantity"].to_numpy(dtype=float)
    out = np.full(len(claims), np.nan)
    pairs = pd.Series(list(zip(claims["saving_unit"].tolist(), claims["saving_carrier"].tolist(), strict=True)))
    for (unit, carrier), positions in pairs.groupby(pairs, sort=False).indices.items():
        out[positions] = _saving_tce(quantity[positions], unit, carrier)
    return out


def project_savings_are_within_use(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """A project's annual saving of a carrier is at most what its enterprise used of it in the year before the
    project (its completion, or its planned completion). A heat saving in an enterprise that buys no heat is
    heat its own boilers made: it is compared with the fuel it burned.

    Each claim's use is looked up in the sums of the claimants' energy rows per (enterprise, year, carrier) and,
    for heat, per (enterprise, year) of their fuels: no pass over the energy rows per claim."""
    claims = typed.dropna(subset=["enterprise_id", "saving_quantity", "saving_unit", "saving_carrier"])
    if claims.empty:
        return
    when = pd.to_datetime(claims["completion_date"]).where(
        claims["completion_date"].notna(), pd.to_datetime(claims["planned_completion"])
    )
    claims = claims[when.notna().to_numpy()]
    if claims.empty:
        return
    rows = _energy_of(energy, set(claims["enterprise_id"]))
    enterprises = claims["enterprise_id"].to_numpy(dtype=object)
    carrier = claims["saving_carrier"].to_numpy(dtype=object)
    year = _reference_years(rows, enterprises, when[claims.index].dt.year.to_numpy(dtype=int))
    saved = _savings_tce(claims)
    fuel = is_fuel(rows["carrier"])
    keys = ["enterprise_id", "year", "carrier"]
    of_carrier = rows.groupby(keys, observed=True, sort=False)["tce"].sum(min_count=1).to_dict()
    of_fuel = rows[fuel.to_numpy(dtype=bool)].groupby(keys[:2], observed=True, sort=False)["tce"].sum(min_count=1)
    of_fuel = of_fuel.to_dict()
    for position, index in enumerate(claims.index):
        if np.isnan(year[position]) or np.isnan(saved[position]):
            continue
        key = (enterprises[position], year[position])
        used = of_carrier.get((*key, carrier[position]), np.nan)
        what_zh, what_en = f"{_name(carrier[position])}用量", f"use of {carrier[position]}"
        if carrier[position] in ("heat", "steam") and pd.isna(used):
            used = of_fuel.get(key, np.nan)
            what_zh, what_en = (
                "燃料用量（不外购热力，热量由自有锅炉产生）",
                "fuel burned (it buys no heat: its boilers make it)",
            )
        used = 0.0 if pd.isna(used) else float(used)
        if saved[position] <= used * (1 + 1e-9):
            continue
        out.cell(
            raw,
            index,
            "saving_quantity",
            f"年节能量折 {saved[position]:,.1f} tce，大于该企业 {int(year[position])} 年{what_zh} {used:,.1f} tce"
            f"（「{energy_sheet}」）",
            f"the annual saving is {saved[position]:,.1f} tce, more than the enterprise's {what_en} in "
            f"{int(year[position])}: {used:,.1f} tce ({energy_sheet})",
            "saving_above_use",
        )


# -- boilers -------------------------------------------------------------------------------------------------


def _efficiency_limit(fuel: str, capacity: float) -> float:
    try:
        return resolve_factor_set(None).boiler_efficiency(fuel, capacity).value / 100
    except CarbonError:
        return np.nan


def _fuel_before_gj(boilers: pd.DataFrame) -> pd.Series:
    """Annual fuel before per boiler [GJ]: as given, or heat output / efficiency before (the GB 24500-2020 limit
    where blank). Blank where neither can be known, or the efficiency before is not above zero (a value the
    range check has refused: no division by it)."""
    quantity = boilers["fuel_before_quantity"].to_numpy(dtype=float, na_value=np.nan)
    given = ~np.isnan(quantity) & boilers["fuel_before_unit"].notna().to_numpy(dtype=bool)
    gj = np.full(len(boilers), np.nan)
    if given.any():
        stated = boilers[given]
        gj[given] = quantity[given] * per_group(
            _gj_per_unit, blank_is_a_key=True, unit=stated["fuel_before_unit"], carrier=stated["fuel_before"]
        )
    heat = boilers["heat_output"].to_numpy(dtype=float, na_value=np.nan)
    made = ~given & ~np.isnan(heat)
    if made.any():
        efficiency = boilers["efficiency_before"].to_numpy(dtype=float, na_value=np.nan)[made]
        blank = np.isnan(efficiency)
        if blank.any():
            chosen = boilers[made][blank]
            # (a blank capacity is a key too: it takes its fuel's limit, as the rule has always taken it)
            efficiency[blank] = per_group(
                _efficiency_limit, blank_is_a_key=True, fuel=chosen["fuel_before"], capacity=chosen["capacity"]
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            gj[made] = np.where(efficiency > 0, heat[made] / efficiency, np.nan)
    return pd.Series(gj, index=boilers.index, dtype=float)


def boiler_fuel_before_is_within_use(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """The fuel before of an enterprise's boilers retrofitted in a year is at most 105 % of what the energy
    sheet shows it burned of that fuel the year before (coal types as one family). Not checked where the
    enterprise has no energy data for that year.

    Each (enterprise, year, family) of boilers is compared at once with the energy rows' sums; only the groups
    above them are gone through, to report each of their boilers."""
    boilers = typed.dropna(subset=["enterprise_id", "fuel_before", "retrofit_date"])
    if boilers.empty:
        return
    boilers = boilers.assign(
        year=pd.to_datetime(boilers["retrofit_date"]).dt.year - 1,
        family=boilers["fuel_before"].map(_family),
        gj=_fuel_before_gj(boilers),
    )
    rows = _energy_of(energy, set(boilers["enterprise_id"]))
    rows = rows.assign(family=rows["carrier"].map(_family))
    gj = per_group(_gj_per_unit, blank_is_a_key=True, unit=rows["unit"], carrier=rows["carrier"])
    rows["gj"] = rows["quantity"].to_numpy(float) * gj
    have_year = set(zip(rows["enterprise_id"], rows["year"].astype(int), strict=True))
    used = rows.groupby(["enterprise_id", "year", "family"])["gj"].sum().to_dict()
    grouped = boilers.groupby(["enterprise_id", "year", "family"])
    claimed, counted = grouped["gj"].sum(), grouped["gj"].count()
    keys = claimed.index.tolist()
    burned = np.array([float(used.get(key, 0.0)) for key in keys])
    known = np.array([(enterprise, int(year)) in have_year for enterprise, year, _ in keys], dtype=bool)
    above = known & (counted.to_numpy() > 0) & ~(claimed.to_numpy() <= burned * 1.05 + 1e-9)
    for position in np.flatnonzero(above):
        (_, year, family), total, fuel_burned = keys[position], float(claimed.iloc[position]), burned[position]
        group = boilers.iloc[grouped.indices[keys[position]]]
        fuel = _name(group["fuel_before"].iloc[0]) if family != "coal" else "煤"
        for index in group.index:
            column = "fuel_before_quantity" if pd.notna(group.at[index, "fuel_before_quantity"]) else "heat_output"
            out.cell(
                raw,
                index,
                column,
                f"该企业 {int(year) + 1} 年改造锅炉的改造前年燃料合计 {total:,.0f} GJ，大于其 {int(year)} 年「{energy_sheet}」"
                f"记录的{fuel}用量 {fuel_burned:,.0f} GJ",
                f"the enterprise's boilers retrofitted in {int(year) + 1} burned {total:,.0f} GJ a year of {family} "
                f"before, more than the {fuel_burned:,.0f} GJ its energy sheet shows for {int(year)}",
                "boiler_fuel_above_use",
            )


def fuel_after_appears_after_the_retrofit(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """Warns where a retrofitted boiler's fuel after (gas, electricity, biomass, or bought heat for a removed
    boiler) is absent from its enterprise's energy rows in a data year after the retrofit (and in the retrofit
    year itself when the retrofit was done by September).

    The boilers are joined with their enterprises' data years at once, each (boiler, year) marked by whether
    the year's rows show the fuel after; only the boilers with a year missing are gone through."""
    boilers = typed.dropna(subset=["enterprise_id", "fuel_after", "retrofit_date"])
    if boilers.empty:
        return
    rows = _energy_of(energy, set(boilers["enterprise_id"]))
    data = pd.DataFrame(
        {
            "enterprise_id": rows["enterprise_id"].to_numpy(dtype=object),
            "year": rows["year"].to_numpy(dtype=float),
            "carrier": rows["carrier"].to_numpy(dtype=object),
        }
    )
    dates = pd.to_datetime(boilers["retrofit_date"])
    wanted = pd.DataFrame(
        {
            "boiler": np.arange(len(boilers)),
            "enterprise_id": boilers["enterprise_id"].to_numpy(dtype=object),
            "after": boilers["fuel_after"].to_numpy(dtype=object),
            "from_year": (dates.dt.year + (dates.dt.month > 9)).to_numpy(dtype=float),  # the first year it shows
        }
    )
    years = data[["enterprise_id", "year"]].drop_duplicates()
    expected = wanted.merge(years, on="enterprise_id")
    expected = expected[expected["year"] >= expected["from_year"]]
    shown = (
        pd.DataFrame(
            [(after, carrier) for after, carriers_after in _AFTER.items() for carrier in carriers_after],
            columns=["after", "carrier"],
        )
        .merge(data, on="carrier")[["after", "enterprise_id", "year"]]
        .drop_duplicates()
    )
    expected = expected.merge(shown.assign(shown=True), on=["after", "enterprise_id", "year"], how="left")
    missing = expected[expected["shown"].isna()].sort_values(["boiler", "year"])
    for boiler, group in missing.groupby("boiler", sort=True):
        index, after = boilers.index[boiler], wanted.at[boiler, "after"]
        listed = "、".join(str(int(year)) for year in group["year"])
        out.cell(
            raw,
            index,
            "fuel_after",
            f"改造后使用{_AFTER_ZH[after]}，但该企业 {listed} 年「{energy_sheet}」没有相应的能源记录",
            f"after the retrofit it uses {after}, but the enterprise's energy rows of {listed} have none",
            "fuel_after_missing",
            severity="warning",
        )


# -- green certificates ----------------------------------------------------------------------------------------


def certificates_fit_the_year(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A certificate's power was generated no later than the year it is claimed in, and within the certificate's
    validity (2 years from the month of generation): claimed two calendar years later it may have expired (a
    warning); later still, or before generation, it cannot count (an error)."""
    if "generation_year" not in typed:
        return
    rows = typed.dropna(subset=["generation_year", "year"])
    rows = rows[(rows["instrument"] == "certificate").to_numpy(dtype=bool, na_value=False)]
    ages = rows["year"].to_numpy(dtype=float) - rows["generation_year"].to_numpy(dtype=float)
    outside = (ages < 0) | (ages >= CERTIFICATE_VALID_YEARS)  # only these are gone through, row by row
    for index, row in rows[outside].iterrows():
        age = int(row["year"]) - int(row["generation_year"])
        if age == CERTIFICATE_VALID_YEARS:
            zh = f"绿证电量生产于 {int(row['generation_year'])} 年，在 {int(row['year'])} 年申报时可能已过 2 年有效期（按月核对）"
            en = (
                f"generated in {int(row['generation_year'])}, the certificate may have passed its 2-year validity by "
                f"{int(row['year'])} (check the month)"
            )
            out.cell(raw, index, "generation_year", zh, en, "certificate_vintage", severity="warning")
            continue
        if age < 0:
            zh = f"绿证电量生产年份 {int(row['generation_year'])} 晚于申报年度 {int(row['year'])}"
            en = f"the certificate's power was generated in {int(row['generation_year'])}, after the year {int(row['year'])} it is claimed in"
        else:
            zh = f"绿证电量生产于 {int(row['generation_year'])} 年，{int(row['year'])} 年已超过 2 年有效期"
            en = f"generated in {int(row['generation_year'])}, the certificate is past its 2-year validity in {int(row['year'])}"
        out.cell(raw, index, "generation_year", zh, en, "certificate_vintage")
