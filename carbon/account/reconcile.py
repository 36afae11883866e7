"""The ledger checks itself: what the reductions claim against what the energy data show, year over year.

For every enterprise with a project or a boiler retrofit, and every carrier those claims or its energy rows
name: its energy in tce the year before and the year, the change, the change its claims explain (each claim's
annual saving times the change in its share of the year in service), and the rest. A claimed decrease that the
energy data do not show is flagged, never refused: a verifier looks at it.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from carbon._arrays import per_group
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
    firm_codes = energy["enterprise_id"].array  # a categorical (the ledger codes its energy labels)
    listed = pd.Index(firm_codes.categories).isin(list(firms))  # hashed: per enterprise, not per row
    wanted = np.append(listed, False)[np.asarray(firm_codes.codes)]  # (code -1, no enterprise: not wanted)
    rows = energy[wanted & energy["year"].isin(years).to_numpy(dtype=bool, na_value=False)]
    if rows.empty:
        return pd.DataFrame(columns=["enterprise_id", "year", "carrier", "tce"])
    columns = ["enterprise_id", "year", "carrier", "unit"]
    # summed on the labels' codes, then the (few) sums labelled as text and put in the order of text keys
    sums = rows.groupby(columns, observed=True, dropna=False)["quantity"].sum().reset_index()
    for column in ("enterprise_id", "carrier", "unit"):
        sums[column] = sums[column].astype(str).astype(object)
    sums["year"] = sums["year"].astype(int)
    sums = sums.sort_values(columns, ignore_index=True, kind="stable")
    # a factor per (group, carrier, unit), the group the enterprise's own factors make it (else the park's): a
    # lookup for each group, not for each enterprise
    groups = [resolver.group_key(e, c) for e, c in zip(sums["enterprise_id"], sums["carrier"], strict=True)]
    sums["tce"] = sums["quantity"] * per_group(
        functools.partial(_tce_per_unit, resolver), group=groups, carrier=sums["carrier"], unit=sums["unit"]
    )
    return sums.groupby(["enterprise_id", "year", "carrier"], as_index=False)["tce"].sum()


def _texts(values: pd.Series) -> np.ndarray:
    """Each value as Python's ``str`` makes it (a blank id as ``None`` or ``nan``, as the claims always showed it):
    pandas' text conversion keeps a blank blank, which no list of claims can join."""
    return np.array([str(value) for value in values], dtype=object)


def _tce_per_unit(resolver: Resolver, group: str, carrier: object, unit: object) -> float:
    """tce 当量值 per unit of ``carrier`` for an enterprise's factor group (``""``: the park's); NaN where the
    library has none (the account reports that itself)."""
    try:
        return resolver.tce(group, carrier, unit, "equivalent").value
    except CarbonError:
        return np.nan


def _per_unit(resolver: Resolver, carriers: pd.Series, units: pd.Series | str) -> np.ndarray:
    """:func:`_tce_per_unit` of each row's carrier at the park's factor, looked up once per distinct (carrier,
    unit), a blank being one of them."""
    return np.asarray(
        per_group(functools.partial(_tce_per_unit, resolver, ""), blank_is_a_key=True, carrier=carriers, unit=units),
        dtype=float,
    )


def _steps(dates: pd.Series, year: int) -> np.ndarray:
    """How much more of the year than of the year before each claim completed on ``dates`` was in service."""
    stamps = pd.to_datetime(pd.Series(dates.to_numpy(dtype=object)))
    return share_of_year(stamps, year) - share_of_year(stamps, year - 1)


def _claimed(reductions: pd.DataFrame, resolver: Resolver, year: int) -> pd.DataFrame:
    """Per enterprise and carrier: the change in tce the claims explain between the year before and the year.

    Each claim's annual saving in tce (its carrier's factor, looked up once per distinct carrier and unit) times
    the change in its share of the year in service; a boiler's claim is its fuel before given up and its energy
    after taken. Claims not in service longer this year than last, and those whose carrier has no factor, explain
    nothing. The claims' rows, projects first, then each boiler's fuel before and energy after, in their order."""
    parts = []
    projects = reductions[reductions["kind"] == "project"]
    needed = ["saving_quantity", "saving_unit", "saving_carrier", "completion_date"]
    projects = projects.dropna(subset=needed) if set(needed) <= set(projects.columns) else projects.iloc[:0]
    if len(projects):
        step = _steps(projects["completion_date"], year)
        factor = _per_unit(resolver, projects["saving_carrier"], projects["saving_unit"])
        tce = factor * projects["saving_quantity"].to_numpy(dtype=float)
        kept = (step != 0) & ~np.isnan(factor)
        parts.append(
            pd.DataFrame(
                {
                    "enterprise_id": projects["enterprise_id"].to_numpy(dtype=object)[kept],
                    "carrier": projects["saving_carrier"].to_numpy(dtype=object)[kept],
                    "claimed_change_tce": (-tce * step)[kept],
                    "item": _texts(projects["item_id"])[kept],
                }
            )
        )
    boilers = reductions[reductions["kind"] == "boiler"]
    boilers = boilers.dropna(subset=["retrofit_date"]) if "retrofit_date" in boilers else boilers.iloc[:0]
    if len(boilers):
        step = _steps(boilers["retrofit_date"], year)
        after_carrier = boilers["fuel_after"].map(_AFTER)
        gj_before = boilers["fuel_before_gj"].to_numpy(dtype=float)
        factors = _per_unit(resolver, boilers["fuel_before"], "GJ"), _per_unit(resolver, after_carrier, "GJ")
        before = factors[0] * gj_before
        after = factors[1] * boilers["energy_after_gj"].to_numpy(dtype=float)
        kept = (step != 0) & ~np.isnan(gj_before) & ~np.isnan(factors[0]) & ~np.isnan(factors[1])
        count = int(kept.sum())
        firms = boilers["enterprise_id"].to_numpy(dtype=object)[kept]
        items = _texts(boilers["item_id"])[kept]
        # each boiler's two rows one after the other: its fuel before given up, then its energy after taken
        pairs = {
            "enterprise_id": np.repeat(firms, 2),
            "carrier": np.column_stack(
                [boilers["fuel_before"].to_numpy(dtype=object)[kept], after_carrier.to_numpy(dtype=object)[kept]]
            ).reshape(2 * count),
            "claimed_change_tce": np.column_stack([(-before * step)[kept], (after * step)[kept]]).reshape(2 * count),
            "item": np.repeat(items, 2),
        }
        parts.append(pd.DataFrame(pairs))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if frame.empty:
        return pd.DataFrame(columns=["enterprise_id", "carrier", "claimed_change_tce", "claims"])
    keys = ["enterprise_id", "carrier"]
    sums = frame.groupby(keys, as_index=False)["claimed_change_tce"].sum()
    # each group's distinct items joined in order: the items sorted within their groups, cut where a group starts
    items = frame[[*keys, "item"]].dropna(subset=keys).drop_duplicates()  # (as the sums, no blank key's group)
    items = items.sort_values([*keys, "item"], ignore_index=True, kind="stable")
    group = items[keys].ne(items[keys].shift()).any(axis=1).to_numpy()
    texts = items["item"].to_numpy(dtype=object)
    starts = [*np.flatnonzero(group).tolist(), len(texts)]
    sums["claims"] = [", ".join(texts[a:b]) for a, b in zip(starts, starts[1:], strict=False)]
    return sums


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
