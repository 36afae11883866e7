"""The project-savings and boiler rules of ``carbon/validation/reconcile.py`` as they were up to commit ed844f8 (a
pass over the claimants' energy rows per claim, factor lookups per boiler, a pass per boiler), kept verbatim but
for the module prefixes as the reference that ``tests/test_reconcile_vectorised.py`` compares the rules with. Not
used by carbon itself."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon.energy import to_tce
from carbon.errors import CarbonError
from carbon.factorset import resolve_factor_set
from carbon.names import carriers
from carbon.units import conversion_factor, normalize_unit_text
from carbon.validation.problems import Collector
from carbon.validation.reconcile import _AFTER, _AFTER_ZH, _STANDARD_COAL, _energy_of, _family, _gj_per_unit
from carbon.validation.tables import RawTable


def _name(carrier: str) -> str:
    return str(carriers().set_index("id")["name_zh"].get(carrier, carrier))


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


def _saving_tce(quantity: float, unit: str, carrier: str) -> float:
    """A saving in tce: as given where it is stated in standard coal, else converted from the carrier."""
    try:
        if _STANDARD_COAL.search(normalize_unit_text(unit)):
            return quantity * conversion_factor(unit, "tce")
        return float(to_tce(quantity, unit, carrier))
    except CarbonError:
        return np.nan


def project_savings_are_within_use(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """A project's annual saving of a carrier is at most what its enterprise used of it in the year before the
    project (its completion, or its planned completion). A heat saving in an enterprise that buys no heat is
    heat its own boilers made: it is compared with the fuel it burned."""
    claims = typed.dropna(subset=["enterprise_id", "saving_quantity", "saving_unit", "saving_carrier"])
    if claims.empty:
        return
    rows = _energy_of(energy, set(claims["enterprise_id"]))
    years = rows.groupby("enterprise_id")["year"].agg(lambda y: set(y.astype(int))).to_dict()
    fuel = rows["carrier"].map(carriers().set_index("id")["category"]).fillna("").str.contains("fuel")
    for index, claim in claims.iterrows():
        when = claim["completion_date"] if pd.notna(claim["completion_date"]) else claim["planned_completion"]
        if pd.isna(when):
            continue
        year = _reference_year(years.get(claim["enterprise_id"], set()), pd.Timestamp(when).year)
        if year is None:
            continue
        saved = _saving_tce(float(claim["saving_quantity"]), claim["saving_unit"], claim["saving_carrier"])
        mine = rows[(rows["enterprise_id"] == claim["enterprise_id"]) & (rows["year"] == year)]
        carrier = claim["saving_carrier"]
        used = mine.loc[mine["carrier"] == carrier, "tce"].sum(min_count=1)
        what_zh, what_en = f"{_name(carrier)}用量", f"use of {carrier}"
        if carrier in ("heat", "steam") and pd.isna(used):
            used = mine.loc[fuel.reindex(mine.index).fillna(False).astype(bool), "tce"].sum(min_count=1)
            what_zh, what_en = (
                "燃料用量（不外购热力，热量由自有锅炉产生）",
                "fuel burned (it buys no heat: its boilers make it)",
            )
        used = 0.0 if pd.isna(used) else float(used)
        if np.isnan(saved) or saved <= used * (1 + 1e-9):
            continue
        out.cell(
            raw,
            index,
            "saving_quantity",
            f"年节能量折 {saved:,.1f} tce，大于该企业 {year} 年{what_zh} {used:,.1f} tce（「{energy_sheet}」）",
            f"the annual saving is {saved:,.1f} tce, more than the enterprise's {what_en} in {year}: {used:,.1f} tce "
            f"({energy_sheet})",
            "saving_above_use",
        )


def _fuel_before_gj(boilers: pd.DataFrame) -> pd.Series:
    """Annual fuel before per boiler [GJ]: as given, or heat output / efficiency before (the GB 24500-2020 limit
    where blank)."""
    factors = resolve_factor_set(None)
    values = []
    for row in boilers.itertuples():
        if pd.notna(row.fuel_before_quantity) and pd.notna(row.fuel_before_unit):
            values.append(row.fuel_before_quantity * _gj_per_unit(row.fuel_before_unit, row.fuel_before))
        elif pd.notna(row.heat_output):
            efficiency = row.efficiency_before
            if pd.isna(efficiency):
                try:
                    efficiency = factors.boiler_efficiency(row.fuel_before, row.capacity).value / 100
                except CarbonError:
                    efficiency = np.nan
            values.append(row.heat_output / efficiency)
        else:
            values.append(np.nan)
    return pd.Series(values, index=boilers.index, dtype=float)


def boiler_fuel_before_is_within_use(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """The fuel before of an enterprise's boilers retrofitted in a year is at most 105 % of what the energy
    sheet shows it burned of that fuel the year before (coal types as one family). Not checked where the
    enterprise has no energy data for that year."""
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
    per_unit = {(u, c): _gj_per_unit(u, c) for u, c in set(zip(rows["unit"], rows["carrier"], strict=True))}
    rows["gj"] = rows["quantity"].to_numpy(float) * np.array(
        [per_unit[k] for k in zip(rows["unit"], rows["carrier"], strict=True)], dtype=float
    )
    have_year = set(zip(rows["enterprise_id"], rows["year"].astype(int), strict=True))
    used = rows.groupby(["enterprise_id", "year", "family"])["gj"].sum()
    for (enterprise, year, family), group in boilers.groupby(["enterprise_id", "year", "family"]):
        if (enterprise, int(year)) not in have_year or group["gj"].isna().all():
            continue
        claimed = float(group["gj"].sum())
        burned = float(used.get((enterprise, year, family), 0.0))
        if claimed <= burned * 1.05 + 1e-9:
            continue
        fuel = _name(group["fuel_before"].iloc[0]) if family != "coal" else "煤"
        for index in group.index:
            column = "fuel_before_quantity" if pd.notna(group.at[index, "fuel_before_quantity"]) else "heat_output"
            out.cell(
                raw,
                index,
                column,
                f"该企业 {int(year) + 1} 年改造锅炉的改造前年燃料合计 {claimed:,.0f} GJ，大于其 {int(year)} 年「{energy_sheet}」"
                f"记录的{fuel}用量 {burned:,.0f} GJ",
                f"the enterprise's boilers retrofitted in {int(year) + 1} burned {claimed:,.0f} GJ a year of {family} "
                f"before, more than the {burned:,.0f} GJ its energy sheet shows for {int(year)}",
                "boiler_fuel_above_use",
            )


def fuel_after_appears_after_the_retrofit(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """Warns where a retrofitted boiler's fuel after (gas, electricity, biomass, or bought heat for a removed
    boiler) is absent from its enterprise's energy rows in a data year after the retrofit (and in the retrofit
    year itself when the retrofit was done by September)."""
    boilers = typed.dropna(subset=["enterprise_id", "fuel_after", "retrofit_date"])
    if boilers.empty:
        return
    rows = _energy_of(energy, set(boilers["enterprise_id"]))
    carried = rows.groupby(["enterprise_id", "year"])["carrier"].agg(set).to_dict()
    years_of: dict[object, list] = {}
    for enterprise, year in sorted(carried):
        years_of.setdefault(enterprise, []).append(year)
    for index, boiler in boilers.iterrows():
        date = pd.Timestamp(boiler["retrofit_date"])
        years = years_of.get(boiler["enterprise_id"], [])
        expected = [y for y in years if y > date.year or (y == date.year and date.month <= 9)]
        missing = [int(y) for y in expected if not carried[(boiler["enterprise_id"], y)] & _AFTER[boiler["fuel_after"]]]
        if missing:
            listed = "、".join(map(str, missing))
            out.cell(
                raw,
                index,
                "fuel_after",
                f"改造后使用{_AFTER_ZH[boiler['fuel_after']]}，但该企业 {listed} 年「{energy_sheet}」没有相应的能源记录",
                f"after the retrofit it uses {boiler['fuel_after']}, but the enterprise's energy rows of {listed} have none",
                "fuel_after_missing",
                severity="warning",
            )
