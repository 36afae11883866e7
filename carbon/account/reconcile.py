"""The ledger checks itself: what the reductions claim against what the energy data show, year over year.

For every enterprise with a project or a boiler retrofit, and every carrier those claims or its energy rows
name: its energy in tce the year before and the year, the change, the change its claims explain (each claim's
annual saving times the change in its share of the year in service), and the rest. A claimed decrease that the
energy data do not show is flagged, never refused: a verifier looks at it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon.account.facts import sheet_of
from carbon.account.resolve import Resolver
from carbon.errors import CarbonError
from carbon.reductions import share_of_year

__all__ = ["UNEXPLAINED", "reconciliation_table"]

#: A claimed decrease is flagged when less than this share of it shows in the energy data (and it is at least
#: :data:`SMALLEST` tce): half, a verifier's first look, not a standard.
UNEXPLAINED = 0.5
SMALLEST = 10.0

_AFTER = {"natural_gas": "natural_gas", "electricity": "electricity", "biomass": "biomass", "removed": "heat"}
_COLUMNS = [
    "enterprise_id",
    "carrier",
    "tce_previous",
    "tce_current",
    "change_tce",
    "claimed_change_tce",
    "unexplained_tce",
    "claims",
    "flag",
]


def _tce_by_carrier(ledger, years: list[int], firms: set, resolver: Resolver) -> pd.DataFrame:
    """tce 当量值 per enterprise, year and carrier, of the enterprises with claims."""
    energy = ledger._tables["energy"]
    firm_codes = energy["enterprise_id"].array
    wanted = np.isin(np.asarray(firm_codes.categories, dtype=object), list(firms))[np.asarray(firm_codes.codes)]
    rows = energy[wanted & energy["year"].isin(years).to_numpy(dtype=bool, na_value=False)]
    if rows.empty:
        return pd.DataFrame(columns=["enterprise_id", "year", "carrier", "tce"])
    keys = [
        rows["enterprise_id"].astype(str),
        rows["year"].astype(int),
        rows["carrier"].astype(str),
        rows["unit"].astype(str),
    ]
    sums = rows["quantity"].groupby(keys).sum().reset_index()
    sums.columns = ["enterprise_id", "year", "carrier", "unit", "quantity"]
    per_unit = {}
    for enterprise, carrier, unit in (
        sums[["enterprise_id", "carrier", "unit"]].drop_duplicates().itertuples(index=False)
    ):
        key = resolver.group_key(enterprise, carrier)
        try:
            per_unit[(enterprise, carrier, unit)] = resolver.tce(key, carrier, unit, "equivalent").value
        except CarbonError:
            per_unit[(enterprise, carrier, unit)] = np.nan  # reported by the account itself
    sums["tce"] = sums["quantity"] * [
        per_unit[k] for k in zip(sums["enterprise_id"], sums["carrier"], sums["unit"], strict=True)
    ]
    return sums.groupby(["enterprise_id", "year", "carrier"], as_index=False)["tce"].sum()


def _claimed(reductions: pd.DataFrame, resolver: Resolver, year: int) -> pd.DataFrame:
    """Per enterprise and carrier: the change in tce the claims explain between the year before and the year."""
    rows = []
    if reductions.empty:
        return pd.DataFrame(columns=["enterprise_id", "carrier", "claimed_change_tce", "claims"])
    projects = reductions[reductions["kind"] == "project"]
    needed = ["saving_quantity", "saving_unit", "saving_carrier", "completion_date"]
    projects = projects.dropna(subset=needed) if set(needed) <= set(projects.columns) else projects.iloc[:0]
    for row in projects.itertuples(index=False):
        step = _step(row.completion_date, year)
        if not step:
            continue
        try:
            tce = resolver.tce("", row.saving_carrier, row.saving_unit, "equivalent").value * row.saving_quantity
        except CarbonError:
            continue
        rows.append((row.enterprise_id, row.saving_carrier, -tce * step, str(row.item_id)))
    boilers = reductions[reductions["kind"] == "boiler"]
    boilers = boilers.dropna(subset=["retrofit_date"]) if "retrofit_date" in boilers else boilers.iloc[:0]
    for row in boilers.itertuples(index=False):
        step = _step(row.retrofit_date, year)
        if not step or pd.isna(row.fuel_before_gj):
            continue
        try:
            before = resolver.tce("", row.fuel_before, "GJ", "equivalent").value * row.fuel_before_gj
            after_carrier = _AFTER[row.fuel_after]
            after = resolver.tce("", after_carrier, "GJ", "equivalent").value * row.energy_after_gj
        except CarbonError:
            continue
        rows.append((row.enterprise_id, row.fuel_before, -before * step, str(row.item_id)))
        rows.append((row.enterprise_id, after_carrier, after * step, str(row.item_id)))
    frame = pd.DataFrame(rows, columns=["enterprise_id", "carrier", "claimed_change_tce", "claims"])
    if frame.empty:
        return frame
    return frame.groupby(["enterprise_id", "carrier"], as_index=False).agg(
        claimed_change_tce=("claimed_change_tce", "sum"), claims=("claims", lambda ids: ", ".join(sorted(set(ids))))
    )


def _step(date, year: int) -> float:
    """How much more of the year than of the year before a claim completed on ``date`` was in service."""
    stamp = pd.Series([pd.Timestamp(date)])
    return float(share_of_year(stamp, year)[0] - share_of_year(stamp, year - 1)[0])


def reconciliation_table(
    ledger, year: int, resolver: Resolver, reductions: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """The reconciliation table of ``year`` against the year before, and the notes it gives."""
    if reductions.empty:
        return pd.DataFrame(columns=_COLUMNS), []
    firms = set(reductions["enterprise_id"].dropna())
    years = set(int(y) for y in ledger._tables["energy"]["year"].dropna().unique())
    if year - 1 not in years:
        return pd.DataFrame(columns=_COLUMNS), [
            f"核对：没有 {year - 1} 年能源数据，减排量未与能源数据核对 / reconciliation: no energy data for {year - 1}, "
            "the reductions are not checked against the energy data"
        ]
    tce = _tce_by_carrier(ledger, [year - 1, year], firms, resolver)
    wide = tce.pivot_table(index=["enterprise_id", "carrier"], columns="year", values="tce", aggfunc="sum")
    wide = wide.reindex(columns=[year - 1, year]).fillna(0.0)
    wide.columns = ["tce_previous", "tce_current"]
    frame = wide.reset_index().merge(_claimed(reductions, resolver, year), on=["enterprise_id", "carrier"], how="outer")
    frame[["tce_previous", "tce_current", "claimed_change_tce"]] = frame[
        ["tce_previous", "tce_current", "claimed_change_tce"]
    ].fillna(0.0)
    frame["claims"] = frame["claims"].fillna("")
    frame["change_tce"] = frame["tce_current"] - frame["tce_previous"]
    frame["unexplained_tce"] = frame["change_tce"] - frame["claimed_change_tce"]
    decrease = -frame["claimed_change_tce"]
    seen = -frame["change_tce"]
    frame["flag"] = (decrease >= SMALLEST) & (seen < decrease * UNEXPLAINED)
    frame = frame[_COLUMNS].sort_values(["enterprise_id", "carrier"], ignore_index=True)
    notes = []
    flagged = frame[frame["flag"]]
    if len(flagged):
        notes.append(
            f"核对：{flagged['enterprise_id'].nunique()} 家企业声称的节能量有 {len(flagged)} 项在能源数据中看不到一半以上"
            f"（「核对」表） / reconciliation: {len(flagged)} claimed decrease(s) of {flagged['enterprise_id'].nunique()} "
            f"enterprise(s) are less than half visible in the energy data (sheet 核对 Reconciliation, {sheet_of('energy')})"
        )
    return frame, notes
