"""The park's boundary over the years, and the baseline restated on the current boundary.

An enterprise is inside the park's boundary in ``year`` when ``joined_year <= year < left_year`` (a blank bound
is open): the account of a year counts only the enterprises inside it then, and lists the rows it leaves out.

Restating the baseline follows the GHG Protocol Corporate Standard (revised edition, 2004), chapter 5 "Tracking
emissions over time": a base year is recalculated for *structural* changes, the transfer of emitting activities
into or out of the boundary (here 划入 ``moved_in`` and 划出 ``moved_out``: a boundary adjustment, a relocation),
and *not* for organic growth or decline (新建投产 ``new_build``, 关停 ``closed``: a plant built or shut inside the
boundary). The Protocol leaves the significance threshold to the reporter; carbon restates for every structural
change and shows the baseline as reported beside the restated one, so either can be used.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from carbon.account.facts import sheet_of

__all__ = [
    "Boundary",
    "inside",
    "of_year",
    "restated_members",
    "restatement_note",
    "restatement_table",
    "restates",
    "unrestated_notes",
    "within",
]

#: Boundary changes that restate the baseline (structural), and those that do not (organic).
STRUCTURAL = ("moved_in", "moved_out")
ORGANIC = ("new_build", "closed")

#: The enterprise columns of the tables a boundary filters (the flows name two enterprises).
_FLOW_SIDES = ("supplier_id", "receiver_id")


def _years(firms: pd.DataFrame, column: str) -> np.ndarray:
    if column not in firms.columns:
        return np.full(len(firms), np.nan)
    return pd.to_numeric(firms[column], errors="coerce").to_numpy(dtype=float)


def inside(firms: pd.DataFrame, year: int) -> np.ndarray:
    """Which enterprises (rows of ``firms``) are inside the park's boundary in ``year``."""
    joined, left = _years(firms, "joined_year"), _years(firms, "left_year")
    return (np.isnan(joined) | (joined <= year)) & (np.isnan(left) | (left > year))


def restated_members(firms: pd.DataFrame, baseline_year: int, year: int) -> np.ndarray:
    """The enterprises whose baseline-year data the restated baseline counts: those inside in the baseline year,
    less those moved out by ``year``, plus those moved in by ``year`` (closures and new builds change nothing, and a
    moved-in enterprise that has left again counts as closed)."""
    change = firms["boundary_change"] if "boundary_change" in firms.columns else pd.Series(None, index=firms.index)
    change = change.to_numpy(dtype=object)
    joined, left = _years(firms, "joined_year"), _years(firms, "left_year")
    moved_out = np.array([c == "moved_out" for c in change], dtype=bool) & (left > baseline_year) & (left <= year)
    moved_in = np.array([c == "moved_in" for c in change], dtype=bool) & (joined > baseline_year) & (joined <= year)
    # one moved in that has left again by ``year`` stays: an enterprise holds one change, so its departure is taken
    # as a closure (organic: no restatement), as the README asks staff to enter it
    return (inside(firms, baseline_year) & ~moved_out) | moved_in


#: The tables whose rows become energy facts (on-site generation is a green_power row): a row of theirs naming no
#: enterprise, which only a ledger built in Python holds, is kept by the boundary so that the account refuses it
#: with its row, as it does where every enterprise is inside, rather than leaving it out unsaid.
_FACT_TABLES = ("energy", "conversion_outputs", "green_power")


def _filtered(frame: pd.DataFrame, ids: set[str], keep_blank: bool = False) -> pd.DataFrame:
    """``frame`` with the rows of the enterprises ``ids`` only; ``keep_blank``: and the rows naming none."""
    if "enterprise_id" in frame.columns:
        ids_of_rows = frame["enterprise_id"].astype(object)
        kept = ids_of_rows.isin(ids) | ids_of_rows.isna() if keep_blank else ids_of_rows.isin(ids)
        return frame[kept.to_numpy()]
    if all(side in frame.columns for side in _FLOW_SIDES):  # a flow across the boundary comes from / goes outside
        out = frame.copy()
        for side in _FLOW_SIDES:
            out[side] = out[side].where(out[side].isna() | out[side].isin(ids), None)
        return out[out[list(_FLOW_SIDES)].notna().any(axis=1).to_numpy()]
    return frame


def within(ledger, members: np.ndarray):
    """``ledger`` with only the enterprises marked in ``members`` (aligned with ``ledger.enterprises``); the
    ledger itself when it holds them all."""
    firms = ledger._tables["enterprises"]
    if bool(np.all(members)):
        return ledger
    ids = set(firms.loc[members, "enterprise_id"].astype(str))
    tables = {name: _filtered(frame, ids, name in _FACT_TABLES) for name, frame in ledger._tables.items()}
    return type(ledger)(ledger.park, tables, ledger.report, source=ledger.source, sha256=ledger.sha256)


class Boundary(NamedTuple):
    """What the boundary does to one year's account: the ledger it counts and a note per table of the rows it
    leaves out."""

    ledger: object
    notes: list[str]


def of_year(ledger, year: int) -> Boundary:
    """The ledger of the enterprises inside the boundary in ``year``, with a note of the rows left out."""
    firms = ledger._tables["enterprises"]
    members = inside(firms, year)
    counted = within(ledger, members)
    if counted is ledger:
        return Boundary(ledger, [])
    return Boundary(counted, _left_out(ledger, counted, year, set(firms.loc[~members, "enterprise_id"].astype(str))))


def _left_out(ledger, counted, year: int, outside: set[str]) -> list[str]:
    """One note: the enterprises outside the boundary in ``year`` that have rows of that year, and the rows."""
    rows, having = [], set()
    for name, frame in ledger._tables.items():
        if name == "enterprises":
            continue
        if "year" in frame.columns:  # the rows of the year
            in_year = frame["year"].eq(year).fillna(False).to_numpy(dtype=bool)
            kept = counted._tables[name]["year"].eq(year).fillna(False).to_numpy(dtype=bool)
            left = int(in_year.sum()) - int(kept.sum())
        else:  # projects, boilers, green factories: rows of no single year
            in_year = np.ones(len(frame), dtype=bool)
            left = len(frame) - len(counted._tables[name])
        if left:
            rows.append((name, left))
        if "enterprise_id" in frame.columns:
            having |= set(frame.loc[in_year, "enterprise_id"].astype(str)) & outside
    if not rows:
        return []
    firms = ledger._tables["enterprises"]
    names = firms.loc[firms["enterprise_id"].astype(str).isin(having), "name"].astype(str).tolist()
    who = "、".join(names)
    zh = "；".join(f"「{sheet_of(name)}」{n} 行" for name, n in rows)
    en = ", ".join(f"{name} {n} row{'s' if n != 1 else ''}" for name, n in rows)
    return [
        f"{year} 年不在园区边界内的企业（{who}）的数据不计入：{zh} / data of enterprises outside the park's boundary "
        f"in {year} ({len(names)}) left out: {en}"
    ]


_CHANGE_WORDS = {
    "moved_in": ("划入", "moved in"),
    "moved_out": ("划出", "moved out"),
    "new_build": ("新建投产", "new build"),
    "closed": ("关停", "closed"),
}


def _headline_total(per_enterprise: pd.DataFrame, headline: str) -> pd.Series:
    """Each enterprise's scope 1 + 2 total by the headline scope-2 method [tCO2], by id."""
    frame = per_enterprise.set_index("enterprise_id")
    return frame["scope1_tco2"] + frame[f"scope2_{headline}_tco2"]


def _reason(change: str, restates: bool, has_data: bool, baseline_year: int) -> str:
    zh, en = _CHANGE_WORDS[change]
    if change in ORGANIC:
        return (
            f"{zh}属有机增减，基准年不重述 / {en} is organic growth or decline: the baseline is not restated "
            "(GHG Protocol, ch. 5)"
        )
    if not restates:
        return f"{zh}发生在基准年之前或报告年之后，不影响本期 / {en} outside the years compared: no effect"
    if not has_data:
        return (
            f"{zh}，但无 {baseline_year} 年数据，未能重述 / {en}, but no data for {baseline_year}: "
            "the baseline could not be restated for it"
        )
    sign = ("计入", "added to") if change == "moved_in" else ("扣除", "removed from")
    return (
        f"结构性变动（{zh}），其 {baseline_year} 年排放{sign[0]}基准年 / structural change ({en}): its "
        f"{baseline_year} emissions are {sign[1]} the baseline (GHG Protocol, ch. 5)"
    )


def restatement_table(firms: pd.DataFrame, baseline_year: int, year: int, reported, restated, headline: str):
    """One row per enterprise with a boundary change: its change, years and reason, whether the baseline as
    reported and as restated count it, its baseline-year tCO2 (headline basis) and the adjustment it makes."""
    if "boundary_change" not in firms.columns or not firms["boundary_change"].notna().any():
        return pd.DataFrame()
    in_reported = inside(firms, baseline_year)
    in_restated = restated_members(firms, baseline_year, year) if baseline_year < year else in_reported
    totals = pd.concat(
        [_headline_total(reported.per_enterprise, headline), _headline_total(restated.per_enterprise, headline)]
    )
    totals = totals[~totals.index.duplicated()]
    rows = []
    for position in np.flatnonzero(firms["boundary_change"].notna().to_numpy()):
        firm = firms.iloc[position]
        change, enterprise = str(firm["boundary_change"]), str(firm["enterprise_id"])
        before, after = bool(in_reported[position]), bool(in_restated[position])
        tco2 = float(totals.get(enterprise, np.nan))
        rows.append(
            {
                "enterprise_id": enterprise,
                "name": firm["name"],
                "boundary_change": change,
                "joined_year": firm.get("joined_year"),
                "left_year": firm.get("left_year"),
                "boundary_note": firm.get("boundary_note"),
                "in_baseline_reported": before,
                "in_baseline_restated": after,
                "baseline_tco2": tco2,
                "adjustment_tco2": (float(after) - float(before)) * tco2 if before != after else 0.0,
                "reason": _reason(change, before != after, tco2 == tco2, baseline_year),
            }
        )
    return pd.DataFrame(rows)


def restates(table: pd.DataFrame) -> bool:
    """Whether the restatement changes the baseline: an enterprise with baseline-year data moved in or out."""
    if table.empty:
        return False
    moved = table["in_baseline_reported"] != table["in_baseline_restated"]
    return bool((moved & table["baseline_tco2"].notna()).any())


def unrestated_notes(table: pd.DataFrame, baseline_year: int) -> list[str]:
    """A note for the enterprises moved in whose baseline-year data are missing: the baseline lacks them."""
    if table.empty:
        return []
    lacking = table[(table["boundary_change"] == "moved_in") & table["in_baseline_restated"]]
    lacking = lacking[lacking["baseline_tco2"].isna()]
    if lacking.empty:
        return []
    names = "、".join(lacking["name"].astype(str))
    return [
        f"划入企业（{names}）无 {baseline_year} 年数据，基准年未能为其重述，较基准年的变化偏高 / enterprises moved in "
        f"({len(lacking)}) have no data for {baseline_year}: the baseline could not be restated for them, the change "
        "against it reads high"
    ]


def restatement_note(table: pd.DataFrame, baseline_year: int, levels, years) -> str:
    """The account's note on a restated baseline, on both bases: E_park (附件4) and the scope 1 + 2 total."""
    moved = table[(table["in_baseline_reported"] != table["in_baseline_restated"]) & table["baseline_tco2"].notna()]
    was, now = (y.park910.terms["total"] for y in years)
    ghg_was, ghg_now = (float(frame.loc[frame["level"] == "park", "total_tco2"].iloc[0]) for frame in levels)
    return (
        f"基准年 {baseline_year} 按当前园区边界重述（划入、划出 {len(moved)} 家）：E_园区 {was:,.1f} → {now:,.1f} tCO2，"
        f"范围一+二 {ghg_was:,.1f} → {ghg_now:,.1f} tCO2，较基准年的变化按重述值，见「基准年重述」 / baseline "
        f"{baseline_year} restated on the current boundary ({len(moved)} enterprises moved in or out): E_park "
        f"{was:,.1f} → {now:,.1f} tCO2, scope 1 + 2 {ghg_was:,.1f} → {ghg_now:,.1f} tCO2, the change against the "
        "baseline uses them (基准年重述 Restatement)"
    )
