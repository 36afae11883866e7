"""The project-savings rule of ``carbon/validation/reconcile.py`` as it was up to commit ed844f8 (a pass over the
claimants' energy rows per claim), kept verbatim but for the module prefixes as the reference that
``tests/test_reconcile_vectorised.py`` compares the rule with. Not used by carbon itself."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon.energy import to_tce
from carbon.errors import CarbonError
from carbon.names import carriers
from carbon.units import conversion_factor, normalize_unit_text
from carbon.validation.problems import Collector
from carbon.validation.reconcile import _STANDARD_COAL, _energy_of
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
