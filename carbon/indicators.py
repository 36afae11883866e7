"""Indicator arithmetic of the zero-carbon park (发改环资〔2025〕910号 附件3): ratios, status against a threshold,
the gap, and the green power that would close it.

Pure functions on numbers; the account's indicator registry (:mod:`carbon.account.indicators`) calls them.
"""

from __future__ import annotations

import math

__all__ = [
    "at_least_gap",
    "at_most_gap",
    "green_power_to_close",
    "pace_needed",
    "pace_so_far",
    "percent",
    "ratio",
    "reduction",
    "status",
]


def _blank(value: float | None) -> bool:
    return value is None or (isinstance(value, float | int) and math.isnan(value))


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, NaN when the denominator is zero or blank."""
    if _blank(denominator) or not denominator:
        return math.nan
    return numerator / denominator


def percent(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole`` [%], NaN when ``whole`` is zero or blank. The account's tables hold
    shares as fractions (:func:`ratio`); a percentage is for display."""
    return ratio(part, whole) * 100


def status(value: float | None, threshold: float, better: str) -> str:
    """``achieved`` when ``value`` meets ``threshold`` (``better`` is ``lower`` or ``higher``), else ``gap``;
    ``missing_data`` when the value is blank."""
    if _blank(value):
        return "missing_data"
    ok = value <= threshold if better == "lower" else value >= threshold
    return "achieved" if ok else "gap"


def green_power_to_close(gap: float, per_mwh: float) -> float:
    """MWh of grid power that green instruments would have to cover to close ``gap``, each MWh removing
    ``per_mwh`` (tCO2 per MWh of residual grid power, or tce per MWh for a share of clean energy); 0 without a
    gap, NaN where the gap is blank.

    .. math:: G_{MWh} = gap / f
    """
    if _blank(gap):
        return math.nan
    return gap / per_mwh if gap else 0.0


def at_least_gap(part: float, whole: float, threshold: float) -> float:
    """What ``part`` lacks to be the fraction ``threshold`` of ``whole`` (0 when it is), in their unit.

    ``threshold`` is a fraction (0.8 for 80 %), as every share in the account.

    .. math:: gap = \\max(0, t \\times whole - part)
    """
    if not 0 <= threshold <= 1:
        raise ValueError(
            f"threshold {threshold!r} is not a fraction: at_least_gap takes 0.8 for 80 % (since issue 14, was 80)"
        )
    if _blank(part) or _blank(whole):
        return math.nan
    return max(0.0, threshold * whole - part)


def at_most_gap(total: float, threshold_intensity: float, denominator: float) -> float:
    """How much ``total`` exceeds ``threshold_intensity`` x ``denominator`` (0 when it does not).

    For the core indicator: the tCO2 the park emits above 0.2 (or 0.3) tCO2/tce x its tce.

    .. math:: gap = \\max(0, E - t \\times D)
    """
    if _blank(total) or _blank(denominator):
        return math.nan
    return max(0.0, total - threshold_intensity * denominator)


def reduction(base: float, now: float) -> float:
    """The reduction of an intensity (or any level) from ``base`` to ``now``, as a fraction: positive when it fell.
    NaN when either is blank or the base is zero. 单位工业增加值能耗降低率 is this of tce per 万元 of added value at
    constant prices.

    .. math:: r = 1 - I_t / I_0
    """
    if _blank(base) or _blank(now) or not base:
        return math.nan
    return 1 - now / base


def pace_so_far(kind: str, base: float, actual: float, years: int) -> float:
    """The yearly pace from the base year to the actual year (``years`` apart), NaN when it cannot be said.

    ``kind`` ``"reduction"``: ``actual`` is the reduction reached (a fraction), the pace the yearly fall of the
    intensity, :math:`1 - (1 - r)^{1/n}`; ``"level"`` (a cap, a ratio): the yearly relative change,
    :math:`(x_t / x_0)^{1/n} - 1`; ``"share"``: the yearly change in points, :math:`(s_t - s_0) / n`."""
    if years <= 0 or _blank(actual):
        return math.nan
    if kind == "reduction":
        return 1 - (1 - actual) ** (1 / years) if actual < 1 else math.nan
    if _blank(base):
        return math.nan
    if kind == "level":
        return (actual / base) ** (1 / years) - 1 if base > 0 and actual > 0 else math.nan
    return (actual - base) / years if kind == "share" else math.nan


def pace_needed(kind: str, actual: float, target: float, years: int) -> float:
    """The yearly pace needed from the actual year to reach ``target`` in ``years``, in the terms of
    :func:`pace_so_far`: for a reduction :math:`1 - ((1 - R) / (1 - r))^{1/n}`, for a level
    :math:`(T / x_t)^{1/n} - 1` (negative: it must fall), for a share :math:`(T - s_t) / n`. NaN when it cannot be
    said."""
    if years <= 0 or _blank(actual) or _blank(target):
        return math.nan
    if kind == "reduction":
        return 1 - ((1 - target) / (1 - actual)) ** (1 / years) if actual < 1 and target < 1 else math.nan
    if kind == "level":
        return (target / actual) ** (1 / years) - 1 if actual > 0 and target > 0 else math.nan
    return (target - actual) / years if kind == "share" else math.nan
