"""What a province reads beside its sums: how many parks meet each 1 + 5 indicator, and each figure year on year.

Both are counts and sums of what the parks' own accounts give, nothing recomputed: a park's verdict on an
indicator is its account's ``status`` (:mod:`carbon.account.indicators`); a ratio at a level is the ratio of the
sums (:func:`carbon.indicators.ratio`), as :mod:`carbon.dataset.account` forms it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from carbon.account.indicators import INDICATORS
from carbon.indicators import ratio

__all__ = ["COUNT_COLUMNS", "STATUSES", "TREND_COLUMNS", "indicator_counts", "trend"]

#: The verdicts a park's account gives an indicator, each counted.
STATUSES = ("achieved", "gap", "missing_data", "not_applicable")

#: The columns of ``indicator_counts``.
COUNT_COLUMNS = (
    "year",
    "level",
    "province",
    "indicator",
    "type",
    "parks",
    *STATUSES,
    "share_achieved",
    "value",
    "value_unit",
    "numerator_total",
    "denominator_total",
    "parks_with_value",
    "gap_total",
    "gap_unit",
    "gap_green_mwh_total",
)

#: The columns of ``trend``.
TREND_COLUMNS = (
    "level",
    "province",
    "figure",
    "year",
    "value",
    "previous_year",
    "previous",
    "change",
    "parks_accounted",
    "parks_accounted_previous",
    "same_parks",
    "parks_both",
    "change_same_parks",
)


def _levels(provinces: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """(year, level, province, parks accounted) of every province and the nation, nation first each year."""
    frames = [
        national.assign(level="national", province=None),
        provinces.assign(level="province"),
    ]
    out = pd.concat([f[["year", "level", "province", "parks", "parks_failed"]] for f in frames], ignore_index=True)
    out["accounted"] = out["parks"] - out["parks_failed"]
    order = out["level"].map({"national": 0, "province": 1})
    return out.assign(_order=order).sort_values(["year", "_order", "province"], kind="stable").drop(columns="_order")


def indicator_counts(indicators: pd.DataFrame, provinces: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """Per year, for the nation and each province, and each indicator: the parks accounted, how many of them
    the account finds ``achieved``, ``gap``, ``missing_data`` and ``not_applicable``, the share achieved (of the
    parks accounted), the level's own value (the ratio of the parks' numerators and denominators summed, over
    the ``parks_with_value`` that give both), and the sum of the parks' gaps (in the indicator's gap unit) and
    of the green power that would close them.

    ``indicators`` is the gathered ``account.indicators`` of every park (:func:`carbon.dataset.account.park_tables`).
    A province whose every park failed has its rows, with no park accounted."""
    levels = _levels(provinces, national)
    rows = []
    for level in levels.itertuples(index=False):
        mine = indicators[indicators["year"] == level.year]
        if level.level == "province":
            mine = mine[mine["province"] == level.province]
        for indicator in INDICATORS:
            of = mine[mine["indicator"] == indicator.name]
            counts = {s: int((of["status"] == s).sum()) for s in STATUSES}
            gaps = of.loc[of["status"] == "gap"]
            units = of["gap_unit"].dropna().unique()
            valued = of.dropna(subset=["numerator", "denominator"]) if "numerator" in of.columns else of.iloc[:0]
            valued = valued[valued["denominator"] != 0]  # not applicable, or nothing reported: no value to add
            numerator = float(valued["numerator"].sum()) if len(valued) else np.nan
            denominator = float(valued["denominator"].sum()) if len(valued) else np.nan
            rows.append(
                {
                    "year": int(level.year),
                    "level": level.level,
                    "province": level.province,
                    "indicator": indicator.name,
                    "type": indicator.type,
                    "parks": int(level.accounted),
                    **counts,
                    "share_achieved": ratio(counts["achieved"], int(level.accounted)),
                    # the level's own value: the ratio of the parks' numerators and denominators summed
                    "value": ratio(numerator, denominator) if len(valued) else np.nan,
                    "value_unit": indicator.unit,
                    "numerator_total": numerator,
                    "denominator_total": denominator,
                    "parks_with_value": len(valued),
                    "gap_total": float(gaps["gap"].sum()) if len(gaps) else 0.0 if len(of) else np.nan,
                    "gap_unit": str(units[0]) if len(units) else None,
                    "gap_green_mwh_total": float(gaps["gap_green_mwh"].sum(min_count=1))
                    if len(gaps)
                    else (0.0 if of["gap_green_mwh"].notna().any() else np.nan),
                }
            )
    out = pd.DataFrame(rows, columns=list(COUNT_COLUMNS))
    for column in ("year", "parks", "parks_with_value", *STATUSES):
        out[column] = out[column].astype("int64")
    return out


def _park_sets(parks: pd.DataFrame) -> dict[tuple[int, object], frozenset]:
    """The parks accounted in each (year, province) and each (year, None): the nation."""
    ok = parks[parks["status"] == "ok"]
    sets: dict[tuple[int, object], frozenset] = {}
    for (year, province), keys in ok.groupby(["year", "province"])["park"]:
        sets[(int(year), province)] = frozenset(keys)
    for year, keys in ok.groupby("year")["park"]:
        sets[(int(year), None)] = frozenset(keys)
    return sets


def _comparable(
    parks: pd.DataFrame, both: frozenset, year: int, summed: Sequence[str], ratios: Mapping[str, tuple[str, str]]
) -> dict[str, float]:
    """The sums over the parks ``both`` in ``year``, and the ratios of those sums."""
    rows = parks[(parks["year"] == year) & parks["park"].isin(both) & (parks["status"] == "ok")]
    sums = {key: float(rows[key].sum()) for key in summed}
    sums.update({key: ratio(sums[n], sums[d]) for key, (n, d) in ratios.items()})
    return sums


def trend(
    provinces: pd.DataFrame,
    national: pd.DataFrame,
    parks: pd.DataFrame,
    summed: Sequence[str],
    ratios: Mapping[str, tuple[str, str]],
) -> pd.DataFrame:
    """Every figure of the nation and each province by year, with the year before and the change year on year.

    One row per level, province, figure and year (long, as pyam keeps a time series). ``change`` is
    ``value / previous - 1`` of the level's figures (sums, ratios of sums) against the calendar year before,
    blank where that year is not in the dataset. Where the parks accounted differ between the two years
    (``same_parks`` false: a park joined, left or failed), ``change_same_parks`` is the change over the
    ``parks_both`` parks accounted in both years (their sums, the ratios of their sums), a like-for-like
    comparison; where they are the same it equals ``change``."""
    sets = _park_sets(parks)
    figures = ("parks", *summed, *ratios)
    rows = []
    for level, frame in (("national", national.assign(province=None)), ("province", provinces)):
        by = {(int(r["year"]), r["province"]): r for r in frame.to_dict("records")}
        for (year, province), now in by.items():
            before = by.get((year - 1, province))
            mine, theirs = sets.get((year, province), frozenset()), sets.get((year - 1, province), frozenset())
            both = mine & theirs
            same = before is not None and mine == theirs
            if before is not None and not same and both:
                now_both = _comparable(parks, both, year, summed, ratios)
                before_both = _comparable(parks, both, year - 1, summed, ratios)
            for figure in figures:
                value = float(now[figure])
                previous = float(before[figure]) if before is not None else np.nan
                change = ratio(value - previous, previous) if before is not None else np.nan
                if before is None or figure == "parks":
                    like = np.nan
                elif same:
                    like = change
                elif both:
                    like = ratio(now_both[figure] - before_both[figure], before_both[figure])
                else:
                    like = np.nan
                rows.append(
                    {
                        "level": level,
                        "province": province,
                        "figure": figure,
                        "year": year,
                        "value": value,
                        "previous_year": year - 1 if before is not None else None,
                        "previous": previous,
                        "change": change,
                        "parks_accounted": len(mine),
                        "parks_accounted_previous": len(theirs) if before is not None else None,
                        "same_parks": same if before is not None else None,
                        "parks_both": len(both) if before is not None else None,
                        "change_same_parks": like,
                    }
                )
    out = pd.DataFrame(rows, columns=list(TREND_COLUMNS))
    for column in ("previous_year", "parks_accounted_previous", "parks_both"):
        out[column] = out[column].astype("Int64")
    out["same_parks"] = out["same_parks"].astype("boolean")
    out["year"] = out["year"].astype("int64")
    out["parks_accounted"] = out["parks_accounted"].astype("int64")
    return out.reset_index(drop=True)
