"""The figures a diff compares: the summary's numbers, the indicators' values and statuses, and each target's
actual, progress, pace needed and status, with their names."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon import labels as _labels
from carbon.account import AnnualAccount
from carbon.diff.rows import figure_moved, frame_of
from carbon.schema.outputs import SUMMARY_FIGURES

__all__ = [
    "FIGURE_COLUMNS",
    "INDICATOR",
    "TARGET",
    "TARGET_FIELDS",
    "figure_name_of",
    "figure_table",
    "figures_of",
    "is_status",
    "statuses_of",
    "target_figure",
    "typed_figures",
]

#: The columns of :attr:`carbon.diff.Diff.figures`.
FIGURE_COLUMNS = (
    "figure",
    "source",
    "name_zh",
    "name_en",
    "unit",
    "a",
    "b",
    "change",
    "relative",
    "status_a",
    "status_b",
    "causes",
)

#: Summary keys that are no figures of the account (facts, stated as causes when they change); nor are the
#: method choices the summary repeats (``method_scope2`` ...): a changed choice is a cause.
_NOT_FIGURES = frozenset({"year", "baseline_year"})
_METHOD = "method_"
#: Names of the summary figures that the summary sheet does not show: key -> (中文, English, unit).
_MORE_NAMES = {
    "total_tco2": ("排放合计（结论所用方法）", "Total, headline method", "tCO2"),
    "energy_tce_equivalent": ("综合能源消费量（当量值）", "Energy consumption, calorific equivalent", "tce"),
    "energy_tce_equal_value": ("综合能源消费量（等价值）", "Energy consumption, equal value", "tce"),
    "green_factories_new": ("新增绿色工厂", "New green factories", "家"),
    "boilers_total": ("锅炉台数", "Boilers listed", "台"),
    "baseline_total_tco2": ("基准年排放合计", "Baseline total", "tCO2"),
    "baseline_carbon_per_energy_tco2_per_tce": ("基准年单位能耗碳排放", "Baseline carbon per energy", "tCO2/tce"),
    "baseline_park910_tco2": ("基准年园区碳排放（附件4）", "Baseline E_park", "tCO2"),
    "baseline_reported_total_tco2": ("基准年排放合计（原报）", "Baseline total as reported", "tCO2"),
    "baseline_reported_park910_tco2": ("基准年园区碳排放（附件4，原报）", "Baseline E_park as reported", "tCO2"),
    "baseline_restated": ("基准年按当前边界重述", "Baseline restated on the current boundary", "bool"),
    "change_tco2_per_tce": ("单位能耗碳排放较基准年变化", "Change of carbon per energy against baseline", "fraction"),
    "output_value_constant": ("工业总产值（可比价）", "Industrial output, constant prices", "万元"),
    "added_value_constant": ("工业增加值（可比价）", "Industrial added value, constant prices", "万元"),
}
_NAMES = {f.name: (f.zh, f.en, f.unit) for f in SUMMARY_FIGURES} | _MORE_NAMES
INDICATOR = "indicator:"
#: A target's figures: ``target:<indicator>:<year>:<field>``.
TARGET = "target:"
#: The figures of each target (its columns in the account's ``targets`` table): field -> (中文, English). The
#: status has no number: its figure carries ``status_a`` and ``status_b`` only.
TARGET_FIELDS = {
    "actual": ("实际值", "actual"),
    "progress": ("进度", "progress"),
    "pace_needed": ("所需年均变化", "pace needed"),
    "status": ("状态", "status"),
}
_STATUS = "status"


def _number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _summary_value(value: object) -> float | None:
    """A summary value as a figure: a number, or a boolean as 1 or 0 (``baseline_restated``)."""
    if isinstance(value, (bool, np.bool_)):
        return float(bool(value))
    return float(value) if _number(value) else None  # type: ignore[arg-type]


def target_figure(indicator: object, year: object, field: str) -> str:
    """The key of a target's figure: ``target:energy_intensity_reduction:2025:actual``."""
    return f"{TARGET}{indicator}:{_year(year)}:{field}"


def is_status(figure: str) -> bool:
    """A figure that is a status only (a target's): no number, no column of the attribution."""
    return figure.startswith(TARGET) and figure.endswith(f":{_STATUS}")


def _year(year: object) -> object:
    try:
        return int(year)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return year


def _targets(account: AnnualAccount) -> list[dict[str, object]]:
    """The account's targets (none in a 碳账本 of an earlier release without the table or its columns)."""
    frame = account._tables.get("targets")  # read only
    if frame is None or not {"indicator", "year"} <= set(frame.columns):
        return []
    return frame.to_dict("records")


def figures_of(account: AnnualAccount) -> dict[str, float]:
    """The figures a diff compares: the summary's numbers (``total_tco2``; a boolean as 1 or 0), each indicator's
    value (``indicator:carbon_per_energy``) and each target's actual, progress and pace needed where it has one
    (``target:energy_intensity_reduction:2025:actual``)."""
    values = {
        k: number
        for k, v in account.summary.items()
        if k not in _NOT_FIGURES and not k.startswith(_METHOD) and (number := _summary_value(v)) is not None
    }
    indicators = account._tables["indicators"]  # read only
    values |= {f"{INDICATOR}{i}": float(v) for i, v in zip(indicators["indicator"], indicators["value"], strict=True)}
    for target in _targets(account):
        for field in TARGET_FIELDS:
            value = target.get(field)
            if field != _STATUS and _number(value) and not np.isnan(value):  # type: ignore[call-overload]
                values[target_figure(target["indicator"], target["year"], field)] = float(value)  # type: ignore[arg-type]
    return values


def statuses_of(account: AnnualAccount) -> dict[str, str]:
    """Each indicator's status (by its value's figure) and each target's (by its status figure)."""
    indicators = account._tables["indicators"]  # read only
    out = {f"{INDICATOR}{i}": str(s) for i, s in zip(indicators["indicator"], indicators["status"], strict=True)}
    for target in _targets(account):
        status = target.get(_STATUS)
        if isinstance(status, str) and status:
            out[target_figure(target["indicator"], target["year"], _STATUS)] = status
    return out


def _target_ids(account: AnnualAccount) -> list[str]:
    return [target_figure(t["indicator"], t["year"], field) for t in _targets(account) for field in TARGET_FIELDS]


def figure_name_of(figure: str, account: AnnualAccount) -> tuple[str, str, str]:
    """The 中文 and English name of a figure and its unit (``fraction`` for a share, shown as %; ``bool`` for a
    yes or no)."""
    if figure.startswith(INDICATOR):
        code = figure.removeprefix(INDICATOR)
        indicators = account._tables["indicators"]
        units = dict(zip(indicators["indicator"], indicators["unit"], strict=True))
        zh, en = (str(_labels.label("indicator", code, lang)) for lang in ("zh", "en"))
        return zh, en, str(units.get(code, ""))
    if figure.startswith(TARGET):
        code, year, field = figure.removeprefix(TARGET).rsplit(":", 2)
        zh, en = (str(_labels.label("indicator", code, lang)) for lang in ("zh", "en"))
        field_zh, field_en = TARGET_FIELDS[field]
        unit = "" if field == _STATUS else "fraction"
        if field == "actual":  # the target's own unit
            units = {target_figure(t["indicator"], t["year"], field): t.get("unit") for t in _targets(account)}
            unit = units.get(figure) if isinstance(units.get(figure), str) else ""  # type: ignore[assignment]
        return f"目标 {zh} {year}：{field_zh}", f"target {en} {year}: {field_en}", unit
    return _NAMES.get(figure, (figure, figure.replace("_", " "), ""))


def _source(figure: str) -> str:
    if figure.startswith(INDICATOR):
        return "indicators"
    return "targets" if figure.startswith(TARGET) else "summary"


def figure_table(a: AnnualAccount, b: AnnualAccount) -> pd.DataFrame:
    """Every figure that changed from ``a`` to ``b``: the summary's first (in the order of the summary sheet), then
    the indicators', then the targets' (each target's actual, progress, pace needed and status; a target on one
    side only is a change too)."""
    fa, fb, sa, sb = figures_of(a), figures_of(b), statuses_of(a), statuses_of(b)
    shown = [f.name for f in SUMMARY_FIGURES]
    order = [k for k in shown if k in fa or k in fb]
    every = dict.fromkeys([*fa, *fb])
    order += [k for k in every if k not in order and not k.startswith((INDICATOR, TARGET))]
    order += [k for k in every if k.startswith(INDICATOR)]
    order += list(dict.fromkeys([*_target_ids(a), *_target_ids(b)]))
    rows = []
    for figure in order:
        x, y = fa.get(figure), fb.get(figure)
        if not figure_moved(x, y) and sa.get(figure) == sb.get(figure):
            continue
        zh, en, unit = figure_name_of(figure, b if figure in fb or figure in sb else a)
        change = y - x if x is not None and y is not None else np.nan
        rows.append(
            {
                "figure": figure,
                "source": _source(figure),
                "name_zh": zh,
                "name_en": en,
                "unit": unit,
                "a": np.nan if x is None else x,
                "b": np.nan if y is None else y,
                "change": change,
                "relative": change / abs(x) if x and unit != "bool" else np.nan,
                "status_a": sa.get(figure),
                "status_b": sb.get(figure),
                "causes": "",
            }
        )
    return typed_figures(frame_of(rows, FIGURE_COLUMNS))


def typed_figures(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("a", "b", "change", "relative"):
        out[column] = out[column].astype(float)
    for column in ("status_a", "status_b"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out
