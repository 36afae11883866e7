"""The indicator registry of the account: the 1 + 5 zero-carbon-park indicators (发改环资〔2025〕910号 附件3)
and the targets a park sets itself.

Each indicator is one :class:`Indicator` entry: its name, type, unit, which direction is better, and the
function that computes its row from the year's figures with the arithmetic of :mod:`carbon.indicators`.
A new indicator is one entry here (and its threshold in ``factors/``).

Shares and rates are fractions (0.2768 for 27.68 %), their unit :data:`FRACTION` (``"fraction"``): the value,
the threshold (the factor files state 90 %: it is converted by its unit where it is read, :func:`_share_threshold`)
and the targets of such an indicator alike. Only a display shows them as percentages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbon.account.resolve import Resolver
from carbon.factorset import Factor
from carbon.indicators import (
    at_least_gap,
    at_most_gap,
    green_power_to_close,
    pace_needed,
    pace_so_far,
    ratio,
    reduction,
    status,
)
from carbon.labels import label, sides
from carbon.schema import INDICATOR_UNITS
from carbon.units import conversion_factor

__all__ = ["FRACTION", "INDICATORS", "Figures", "Indicator", "core_bases_table", "indicators_table", "targets_table"]

#: The unit of a share or rate stated as a fraction (0.9 for 90 %) in the account's tables.
FRACTION = "fraction"


@dataclass(frozen=True)
class Figures:
    """What the indicators are computed from: the park's totals row, the energy facts, green power, waste and
    the resource figures of the year, and the resolver (factors and thresholds)."""

    resolver: Resolver
    park: pd.Series
    detail: pd.DataFrame
    uncovered_mwh: float
    green_mwh: float
    waste: pd.DataFrame
    resources: pd.DataFrame
    headline: str
    clean_energy: str
    park910: object = None  # carbon.account.park910.ParkMethod


@dataclass(frozen=True)
class Indicator:
    """One indicator: ``row(figures)`` gives its row of the indicators table."""

    name: str
    type: str
    unit: str
    better: str  # "lower" or "higher"
    row: Callable[[Figures], dict[str, object]]


def _threshold(figures: Figures, name: str, condition: float | None = None) -> Factor:
    factor = figures.resolver.factors.threshold(name, condition)
    figures.resolver.use(factor)
    return factor


def _share_threshold(figures: Figures, name: str) -> tuple[Factor, float]:
    """The threshold of a share and its value as a fraction: the factor files state it in percent (90, unit
    ``%``), converted here by the factor's unit."""
    factor = _threshold(figures, name)
    return factor, float(factor.value) / conversion_factor("1", factor.unit)  # 90 / 100: correctly rounded


def _at_least(
    name: str,
    threshold: Factor,
    fraction: float,
    value: float,
    gap: float,
    gap_unit: str,
    note: str,
    parts: tuple[float, float] = (np.nan, np.nan),
) -> dict[str, object]:
    """An indicator row for a share (a fraction) that must reach at least its threshold (``fraction``); ``parts``
    are its numerator and denominator, in ``gap_unit``."""
    return {
        "indicator": name,
        "type": "guidance",
        "value": value,
        "unit": FRACTION,
        **_parts(parts[0], parts[1], gap_unit),
        "threshold": fraction,
        "comparison": ">=",
        "status": status(value, fraction, "higher"),
        "gap": gap,
        "gap_unit": gap_unit,
        "threshold_id": threshold.id,
        "note": note,
    }


def _parts(numerator: float, denominator: float, unit: str, denominator_unit: str | None = None) -> dict[str, object]:
    """The numerator and denominator of an indicator's value, so that the value of many parks is the ratio of
    their sums (carbon province), never an average of ratios."""
    return {
        "numerator": float(numerator),
        "numerator_unit": unit,
        "denominator": float(denominator),
        "denominator_unit": denominator_unit or unit,
    }


_TCE_NAMES = {"equivalent": ("当量值", "equivalent"), "equal-value": ("等价值", "equal value")}
#: What counts as clean energy, in Chinese (the choices of Methods.clean_energy).
_CLEAN_ZH = {"natural_gas+non_fossil": "天然气 + 非化石能源", "non_fossil": "非化石能源"}


def _status_zh(status_id: str) -> str:
    """A verdict in Chinese (达标, 未达标 ...), for the Chinese side of a note."""
    return str(label("status", status_id, "zh"))


_BASES = {
    "park910": "910号 附件4（园区净受入） / the park's net inflow",
    "location": "范围一+二 基于位置（企业加总） / scope 1 + 2 location-based",
    "market": "范围一+二 基于市场（企业加总） / scope 1 + 2 market-based",
}


def _tce_both(figures: Figures) -> dict[str, float]:
    """The park's tce both ways (等价值 blank where not published for the year)."""
    park = figures.park
    return {"equivalent": float(park["tce_equivalent"]), "equal-value": float(park["tce_equal_value"])}


def _tco2_by_basis(figures: Figures) -> dict[str, float]:
    park = figures.park
    return {
        "park910": float(figures.park910.terms["total"]),
        "location": float(park["total_location_tco2"]),
        "market": float(park["total_market_tco2"]),
    }


def core_bases_table(figures: Figures) -> pd.DataFrame:
    """The core indicator on every basis side by side: 附件4, GHG location and market, each with the park's tce
    counted 当量值 and 等价值, its band, threshold and status. ``headline`` marks the verdict's cell."""
    rows = []
    for basis, tco2 in _tco2_by_basis(figures).items():
        for option, tce in _tce_both(figures).items():
            blank = not tce == tce
            threshold = figures.resolver.factors.threshold("carbon_per_energy", tce) if not blank else None
            value = ratio(tco2, tce) if not blank else np.nan
            rows.append(
                {
                    "basis": basis,
                    "basis_name": _BASES[basis],
                    "tce_method": option,
                    "tco2": tco2,
                    "tce": tce,
                    "value": value,
                    "threshold": threshold.value if threshold else np.nan,
                    "status": status(value, threshold.value, "lower") if threshold else "missing_data",
                    "threshold_id": threshold.id if threshold else "",
                    "headline": basis == "park910" and option == figures.resolver.electricity_tce,
                }
            )
    return pd.DataFrame(rows)


def _band_notes(figures: Figures, tce: float, core: Factor, e_park: float) -> list[str]:
    """What the band and verdict rest on where 附件3 is open, shown both ways: a park below the lowest band's
    floor (reported against the lowest band), a park exactly at a band's edge, and 当量值 against 等价值 where
    they fall in different bands or give different verdicts."""
    bands = figures.resolver.factors.thresholds()
    bands = bands[bands["parameter"] == "carbon_per_energy"].sort_values("condition_min")
    floor, lowest = float(bands["condition_min"].iloc[0]), float(bands["value"].iloc[0])
    notes = []
    if tce < floor:
        notes.append(
            f"园区能耗 {tce:,.0f} tce 低于最低档下限 {floor:,.0f} tce，按最低档 {lowest:g} 评价（附件3 未规定） / park energy "
            f"{tce:,.0f} tce is below the {floor:,.0f} tce of the lowest band, reported against {lowest:g} (附件3 is silent)"
        )
    edges = set(bands["condition_min"].dropna()) | set(bands["condition_max"].dropna())
    if tce in edges:
        below = figures.resolver.factors.threshold("carbon_per_energy", tce - 1e-6)
        edge = status(ratio(e_park, tce), below.value, "lower")
        notes.append(
            f"园区能耗恰为 {tce:,.0f} tce（档位边界）：按 ≤ {core.value:g} 评价；若归入下一档则为 ≤ {below.value:g}"
            f"（{_status_zh(edge)}） / park energy is exactly {tce:,.0f} tce, a band edge: judged against <= "
            f"{core.value:g}, in the other band <= {below.value:g} ({edge})"
        )
    method = figures.resolver.electricity_tce
    other_method = "equivalent" if method == "equal-value" else "equal-value"
    other_tce = _tce_both(figures)[other_method]
    if other_tce == other_tce:  # not blank
        other = figures.resolver.factors.threshold("carbon_per_energy", other_tce)
        here = status(ratio(e_park, tce), core.value, "lower")
        there = status(ratio(e_park, other_tce), other.value, "lower")
        if other.value != core.value or here != there:
            (zh, en), (other_zh, other_en) = _TCE_NAMES[method], _TCE_NAMES[other_method]
            this_value, other_value = ratio(e_park, tce), ratio(e_park, other_tce)
            notes.append(
                f"按{zh}（{tce:,.0f} tce）：{this_value:.4f}，≤ {core.value:g}，{_status_zh(here)}；按{other_zh}"
                f"（{other_tce:,.0f} tce）：{other_value:.4f}，≤ {other.value:g}，{_status_zh(there)}（910号 未规定用哪一种） / "
                f"by {en} ({tce:,.0f} tce): {this_value:.4f}, <= {core.value:g}, {here}, by {other_en} "
                f"({other_tce:,.0f} tce): {other_value:.4f}, <= {other.value:g}, {there} (910号 does not say which tce counts)"
            )
    return notes


def _carbon_per_energy(figures: Figures) -> dict[str, object]:
    """The core indicator on the basis of 附件4: E_park per tce, its band by the park's tce, the gap in tCO2 and
    in MWh of green power that would replace grid power at the 附件4 factor (0.8325 kgCO2/kWh)."""
    park, method = figures.park910, figures.park
    tce = float(method["tce"])
    e_park = float(park.terms["total"])
    value = ratio(e_park, tce)
    core = _threshold(figures, "carbon_per_energy", tce)
    notes = _band_notes(figures, tce, core, e_park)
    gap_tco2 = at_most_gap(e_park, core.value, tce)
    gap_mwh = green_power_to_close(gap_tco2, park.grid_factor)
    if gap_mwh > park.grid_inflow_mwh + 1e-6:
        notes.append(
            f"仅靠绿电无法弥补差距：按 0.8325 计的电网受入电量只有 {park.grid_inflow_mwh:,.0f} MWh / green power alone "
            f"cannot close the gap: only {park.grid_inflow_mwh:,.0f} MWh of grid inflow is counted at 0.8325"
        )
    detail = figures.detail
    uses = detail["use"].array  # a categorical of millions of rows: compared on its codes
    bunker_code = list(uses.categories).index("bunkers") if "bunkers" in uses.categories else -2
    bunkers_tce = float(detail["tce"].to_numpy()[np.asarray(uses.codes) == bunker_code].sum())
    if bunkers_tce > 0:
        notes.append(
            f"综合能源消费量含国际航空航海燃料 {bunkers_tce:,.1f} tce（其排放单独列出）；不含时为 "
            f"{ratio(e_park, tce - bunkers_tce):.4f} / the tce includes {bunkers_tce:,.1f} tce of international "
            f"bunkers (their CO2 is listed apart); without them {ratio(e_park, tce - bunkers_tce):.4f}"
        )
    for row in park.open_points.itertuples(index=False):
        other = ratio(row.other_e_park_tco2, tce)
        verdict = status(other, core.value, "lower")
        (note_zh, note_en), (reading_zh, reading_en) = sides(row.note), sides(row.reading)
        other_zh, other_en = sides(row.other_reading)
        notes.append(
            f"附件4 未明确：{note_zh}；{reading_zh}：{value:.4f}；{other_zh}：{other:.4f}（{_status_zh(verdict)}） / "
            f"open in 附件4: {note_en}, {reading_en}: {value:.4f}, {other_en}: {other:.4f} ({verdict})"
        )
    return {
        "indicator": "carbon_per_energy",
        "type": "core",
        "value": value,
        "unit": "tCO2/tce",
        **_parts(e_park, tce, "tCO2", "tce"),
        "value_location": ratio(float(method["total_location_tco2"]), tce),
        "value_market": ratio(float(method["total_market_tco2"]), tce),
        "method": "park910",
        "threshold": core.value,
        "comparison": "<=",
        "status": status(value, core.value, "lower"),
        "gap": gap_tco2,
        "gap_unit": "tCO2",
        "gap_green_mwh": gap_mwh,
        "threshold_id": core.id,
        "note": "; ".join(notes),
    }


def _clean_energy_share(figures: Figures) -> dict[str, object]:
    """Clean energy (natural gas by default, non-fossil, grid power covered by green instruments) as a fraction
    of tce."""
    tce = float(figures.park["tce"])
    mwh_tce = figures.resolver.tce("", "electricity", "MWh", figures.resolver.electricity_tce).value
    detail = figures.detail
    clean_tce = float(detail.loc[detail["clean"], "tce"].sum()) + figures.green_mwh * mwh_tce
    share = ratio(clean_tce, tce)
    threshold, fraction = _share_threshold(figures, "clean_energy_share")
    gap_tce = at_least_gap(clean_tce, tce, fraction)
    row = _at_least(
        "clean_energy_share",
        threshold,
        fraction,
        share,
        gap_tce,
        "tce",
        f"清洁能源 = {_CLEAN_ZH[figures.clean_energy]} + 绿电覆盖的电网电力 / clean = "
        f"{figures.clean_energy.replace('+', ' + ')}, and grid electricity covered by green-power instruments",
        (clean_tce, tce),
    )
    row["gap_green_mwh"] = green_power_to_close(gap_tce, mwh_tce)
    return row


def _solid_waste_utilization(figures: Figures) -> dict[str, object]:
    """General industrial solid waste utilised / (generated + prior stock utilised), the NBS formula."""
    park_waste = figures.waste[figures.waste["level"] == "park"]
    threshold, fraction = _share_threshold(figures, "solid_waste_utilization")
    if park_waste.empty or not float(park_waste["generated"].iloc[0] + park_waste["prior_stock_utilized"].iloc[0]):
        rate, gap, parts = np.nan, np.nan, (np.nan, np.nan)
    else:
        w = park_waste.iloc[0]
        rate = float(w["utilization_rate"])
        parts = (float(w["utilized"]), float(w["generated"] + w["prior_stock_utilized"]))
        gap = at_least_gap(*parts, fraction)
    note = "国家统计局口径：综合利用量 ÷（产生量 + 综合利用往年贮存量） / NBS formula: utilised ÷ (generated + prior stock utilised)"
    return _at_least("solid_waste_utilization", threshold, fraction, rate, gap, "t", note, parts)


def _share_of_resources(name: str, part: str, whole: str, unit: str) -> Callable[[Figures], dict[str, object]]:
    """An indicator that is the sum of one resource column over the sum of another, over enterprises reporting both."""

    def row(figures: Figures) -> dict[str, object]:
        threshold, fraction = _share_threshold(figures, name)
        both = figures.resources[[part, whole]].dropna()
        total, used = float(both[whole].sum()), float(both[part].sum())
        rate = ratio(used, total)
        gap = at_least_gap(used, total, fraction) if total else np.nan
        note = f"{len(both)} 家企业填报 / {len(both)} enterprise(s) reporting"
        parts = (used, total) if len(both) else (np.nan, np.nan)
        return _at_least(name, threshold, fraction, rate, gap, unit, note, parts)

    return row


def _product_energy_level(figures: Figures) -> dict[str, object]:
    """Share of enterprises whose products reach level 2 (or better) of the national energy-consumption limits,
    as a fraction; the threshold is the level (2, compared ``level <=``), not a share: every enterprise must
    reach it."""
    threshold = _threshold(figures, "product_energy_level")
    levels = figures.resources["product_energy_level"].dropna()
    applicable = levels[levels != "not_applicable"]
    if levels.empty:
        state, value, gap, parts = "missing_data", np.nan, np.nan, (np.nan, np.nan)
    elif applicable.empty:
        state, value, gap, parts = "not_applicable", np.nan, 0.0, (0.0, 0.0)
    else:
        met = applicable.isin(["level_1", "level_2"])
        value = float(met.mean())
        gap = float((~met).sum())
        state = "achieved" if met.all() else "gap"
        parts = (float(met.sum()), float(len(met)))
    return {
        "indicator": "product_energy_level",
        "type": "guidance",
        "value": value,
        "unit": FRACTION,
        **_parts(*parts, "enterprises"),
        "threshold": threshold.value,
        "comparison": "level <=",
        "status": state,
        "gap": gap,
        "gap_unit": "enterprises",
        "threshold_id": threshold.id,
        "note": "数值：主要产品达到国家能耗限额标准二级及以上的企业占比，阈值：每家企业须达到的等级 / value: the "
        "fraction of enterprises at level 2 or better of the national energy-consumption limit standards "
        "(国家能耗限额标准), threshold: the level every enterprise must reach",
    }


#: The 1 + 5 indicators, in the order of 附件3.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("carbon_per_energy", "core", "tCO2/tce", "lower", _carbon_per_energy),
    Indicator("clean_energy_share", "guidance", FRACTION, "higher", _clean_energy_share),
    Indicator("solid_waste_utilization", "guidance", FRACTION, "higher", _solid_waste_utilization),
    Indicator(
        "waste_heat_utilization",
        "guidance",
        FRACTION,
        "higher",
        _share_of_resources("waste_heat_utilization", "waste_heat_utilized", "waste_heat_recoverable", "GJ"),
    ),
    Indicator(
        "water_reuse",
        "guidance",
        FRACTION,
        "higher",
        _share_of_resources("water_reuse", "water_reused", "water_total", "t"),
    ),
    Indicator("product_energy_level", "guidance", FRACTION, "higher", _product_energy_level),
)

#: Figures a target may name beside the indicators, and which direction is better for them.
_TARGET_FIGURES = {"total_emissions": "lower", "energy_consumption": "lower"}


def indicators_table(figures: Figures) -> pd.DataFrame:
    """The indicators of the year, one row each: value, threshold, status, gap; type and unit from the registry."""
    rows = []
    for indicator in INDICATORS:
        row = indicator.row(figures)
        row.update(indicator=indicator.name, type=indicator.type, unit=indicator.unit)
        rows.append(row)
    return pd.DataFrame(rows)


def _target_status(target_year: int, year: int, actual: float, target: float, better: str) -> str:
    """``achieved`` / ``not_achieved`` in the target's year; before it ``achieved_early`` where the actual
    already meets the target (a count of 22 against 20 due next year), else ``in_progress``; after it
    ``not_evaluated`` (the year's actual says nothing of an earlier year's target); ``missing_data`` when the
    actual is blank (never counted as in progress)."""
    if target_year >= year and (actual is None or actual != actual):
        return "missing_data"
    if target_year > year:
        return "achieved_early" if status(actual, target, better) == "achieved" else "in_progress"
    if target_year < year:
        return "not_evaluated"
    return status(actual, target, better).replace("gap", "not_achieved")


def _target(value: float, unit: str, indicator: str) -> tuple[float, str]:
    """A target as the table states it: a share's target as a fraction (unit :data:`FRACTION`).

    Staff type a share's target in percent (``50`` with unit %, or ``50%``, read as 50), or in a cell formatted as
    a percentage (which Excel stores as 0.5): as for the park workbook's percent columns, a value above 1.5 is
    percent and one of at most 1.5 already a fraction."""
    if INDICATOR_UNITS.get(indicator) != "%" or unit not in ("%", FRACTION):
        return value, unit
    if unit == "%" and value == value and value > 1.5:
        value = value / conversion_factor("1", "%")
    return value, FRACTION


#: Reduction targets: the intensity each reduces, as (numerator, denominator) of the park's figures.
REDUCTIONS = {
    "energy_intensity_reduction": ("tce", "added_value"),
    "carbon_intensity_reduction": ("park910_tco2", "added_value"),
}
#: Targets counted within their year (a count of the year, not a level reached): no pace.
_COUNTS = ("completed_retrofits", "new_green_factories")


def intensity_of(figures: Mapping[str, float] | None, numerator: str, denominator: str, price: str) -> float:
    """A park intensity per 万元 (``numerator`` / ``denominator``, at ``constant`` or ``current`` prices) from the
    park's figures of a year (:meth:`carbon.account.run._History.park`); NaN without them."""
    if figures is None:
        return np.nan
    return ratio(figures[numerator], figures[denominator + ("_constant" if price == "constant" else "")])


#: The intensity a reduction target reduces, in words and unit.
_INTENSITY_WORDS = {
    "tce": ("单位工业增加值能耗", "energy per 万元 added value", "tce/万元"),
    "park910_tco2": ("单位工业增加值二氧化碳排放", "CO2 per 万元 added value", "tCO2/万元"),
}

#: What a reduction's basis leaves as it is, said in its note.
_BASIS_NOTES = {
    "tce": "综合能源消费量按{method}，未扣除原料用能和新增可再生能源电力（国家考核口径扣除二者） / energy consumption as "
    "{method_en}, feedstock energy and new renewable power not deducted (the national assessment deducts both)",
    "park910_tco2": "按附件4口径（E_园区，含工业过程排放，电力净受入按 0.8325） / on the 附件4 basis (E_park: process CO2 "
    "included, net grid power at 0.8325)",
}


def _reduction(history, indicator: str, base_year: int, year: int) -> tuple[float, str]:
    """The reduction of an intensity from ``base_year`` to ``year`` (a fraction) and its note: the prices (constant
    where both years give them for every enterprise with energy, else current), both intensities, the basis, and
    for CO2 the figure on the scope 1 + 2 basis. Blank, said why, when a year lacks energy or added value."""
    numerator, denominator = REDUCTIONS[indicator]
    if base_year >= year:
        return np.nan, f"基准年 {base_year} 不早于 {year} 年 / base year {base_year} is not before {year}"
    base, now = history.park(base_year), history.park(year)
    if base is None or now is None:
        missing = base_year if base is None else year
        return np.nan, f"{missing} 年无能源数据 / no energy data for {missing}"
    short = [(y, f["missing_added_value"]) for y, f in ((base_year, base), (year, now)) if f["missing_added_value"]]
    if short:
        text = "；".join(f"{y} 年 {n} 家有能耗的企业缺工业增加值" for y, n in short)
        text_en = ", ".join(f"{n} enterprises with energy but no added value in {y}" for y, n in short)
        return np.nan, f"{text}，不计算降低率 / {text_en}: no reduction computed"
    constant = not (base["missing_added_value_constant"] or now["missing_added_value_constant"])
    price = "constant" if constant else "current"
    first, last = (intensity_of(f, numerator, denominator, price) for f in (base, now))
    zh, en, unit = _INTENSITY_WORDS[numerator]
    method = history.tce_method
    notes = [
        "按可比价 / at constant prices"
        if constant
        else "未提供全部企业的可比价增加值，按当年价计算，含价格变动 / constant-price added value not given for every "
        "enterprise: at current prices, price changes included",
        f"{zh} {base_year} 年 {first:.4f}，{year} 年 {last:.4f} {unit} / {en} {first:.4f} in {base_year}, "
        f"{last:.4f} in {year} {unit}",
        _BASIS_NOTES[numerator].format(
            method={"equivalent": "当量值", "equal-value": "等价值"}[method],
            method_en={
                "equivalent": "calorific equivalent (当量值)",
                "equal-value": "primary-energy equivalent (等价值)",
            }[method],
        ),
    ]
    if numerator == "park910_tco2":
        other = reduction(*(intensity_of(f, "total_tco2", denominator, price) for f in (base, now)))
        notes.append(f"按范围一二合计口径为 {other:.1%} / on the scope 1 + 2 basis {other:.1%}")
    return reduction(first, last), "; ".join(notes)


#: What each target indicator's pace is: a reduction, a level (relative change) or a share (points).
def _kind(indicator: str) -> str:
    if indicator in REDUCTIONS:
        return "reduction"
    if indicator in _COUNTS:
        return "count"
    return "share" if INDICATOR_UNITS.get(indicator) == "%" else "level"


#: The park figure of a level target, for its value in the base year.
_LEVELS = {"total_emissions": "total_tco2", "energy_consumption": "tce"}


def _base_value(history, indicator: str, base_year: int, year: int) -> tuple[float, str]:
    """A level target's figure in its base year (on the year's boundary) and a note when it cannot be given."""
    if base_year >= year:
        return np.nan, f"基准年 {base_year} 不早于 {year} 年 / base year {base_year} is not before {year}"
    figures = history.park(base_year)
    if figures is None:
        return np.nan, f"{base_year} 年无能源数据，无基准年数值 / no energy data for {base_year}: no base-year value"
    if indicator in _LEVELS:
        return figures[_LEVELS[indicator]], ""
    if indicator == "carbon_per_energy":
        return ratio(figures["park910_tco2"], figures["tce"]), ""
    return np.nan, (
        "占比类目标不给出基准年数值和已达年均变化 / a share's target gives no base-year value and no pace so far"
    )


def targets_table(ledger, year: int, actual: Mapping[str, float], history=None) -> pd.DataFrame:
    """Each target of the ledger against the actual figure of ``year``, with its base year, the pace so far and the
    pace needed to reach it by its year; shares and reductions as fractions (see :func:`_target`).

    A reduction target (单位工业增加值能耗 / 二氧化碳排放降低率) compares the park's intensity per 万元 of added value in
    ``year`` with that of its base year (the target's, else the park's baseline year), both on the boundary of
    ``year`` (restated as the baseline is) and at constant prices where the economics give them."""
    targets = ledger.targets.copy()
    if targets.empty:
        return targets
    better = {**{i.name: i.better for i in INDICATORS}, **_TARGET_FIGURES, **dict.fromkeys(REDUCTIONS, "higher")}
    park_base = int(ledger.park["baseline_year"])
    rows = []
    for row in targets.itertuples(index=False):
        target, unit = _target(row.value, row.unit or INDICATOR_UNITS[row.indicator], row.indicator)
        base_year = getattr(row, "base_year", None)
        base_year = park_base if pd.isna(base_year) else int(base_year)
        kind, note = _kind(row.indicator), ""
        value = actual.get(row.indicator, np.nan)
        base = np.nan
        if kind == "reduction" and history is not None:
            value, note = _reduction(history, row.indicator, base_year, year)
        elif kind in ("level", "share") and history is not None:
            base, note = _base_value(history, row.indicator, base_year, year)
        state = _target_status(row.year, year, value, target, better.get(row.indicator, "higher"))
        so_far = pace_so_far(kind, base, value, year - base_year) if kind != "count" else np.nan
        needed = pace_needed(kind, value, target, int(row.year) - year) if kind != "count" else np.nan
        if state in ("achieved", "achieved_early") and kind != "count":
            needed = np.nan  # nothing more is needed: a negative "pace" read as a rise allowed confuses
            note = "; ".join(
                filter(
                    None, [note, "本年已达到目标，不列所需年均变化 / the target is met this year: no pace needed shown"]
                )
            )
        rows.append(
            {
                "indicator": row.indicator,
                "year": row.year,
                "target": target,
                "unit": unit,
                "base_year": base_year if kind != "count" else None,
                "base_value": base,
                "actual_year": year,
                "actual": value,
                "progress": value / target if target else np.nan,
                "status": state,
                "pace_so_far": so_far,
                "pace_needed": needed,
                "note": note or None,
                "input_row": row.source_row,
            }
        )
    return pd.DataFrame(rows)
