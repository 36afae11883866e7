"""The figures a diff compares: the summary's numbers and the indicators' values and statuses, with their names."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon import labels as _labels
from carbon.account import AnnualAccount
from carbon.diff.rows import figure_moved, frame_of
from carbon.schema.outputs import SUMMARY_FIGURES

__all__ = ["FIGURE_COLUMNS", "INDICATOR", "figure_table", "figures_of", "typed_figures"]

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

#: Summary keys that are no figures of the account (facts, stated as causes when they change).
_NOT_FIGURES = frozenset({"year", "baseline_year"})
#: Names of the summary figures that the summary sheet does not show.
_MORE_NAMES = {
    "total_tco2": ("排放合计（结论所用方法）", "Total, headline method", "tCO2"),
    "energy_tce_equivalent": ("综合能源消费量（当量值）", "Energy consumption, calorific equivalent", "tce"),
    "energy_tce_equal_value": ("综合能源消费量（等价值）", "Energy consumption, equal value", "tce"),
    "green_factories_new": ("新增绿色工厂", "New green factories", "家"),
    "boilers_total": ("锅炉台数", "Boilers listed", "台"),
    "baseline_total_tco2": ("基准年排放合计", "Baseline total", "tCO2"),
    "baseline_carbon_per_energy_tco2_per_tce": ("基准年单位能耗碳排放", "Baseline carbon per energy", "tCO2/tce"),
    "baseline_park910_tco2": ("基准年园区碳排放（附件4）", "Baseline E_park", "tCO2"),
    "change_tco2_per_tce": ("单位能耗碳排放较基准年变化", "Change of carbon per energy against baseline", "fraction"),
}
_NAMES = {f.name: (f.zh, f.en, f.unit) for f in SUMMARY_FIGURES} | _MORE_NAMES
INDICATOR = "indicator:"


def _number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def figures_of(account: AnnualAccount) -> dict[str, float]:
    """The figures a diff compares: the summary's numbers (``total_tco2``) and each indicator's value
    (``indicator:carbon_per_energy``)."""
    values = {k: float(v) for k, v in account.summary.items() if _number(v) and k not in _NOT_FIGURES}
    indicators = account._tables["indicators"]  # read only
    values |= {f"{INDICATOR}{i}": float(v) for i, v in zip(indicators["indicator"], indicators["value"], strict=True)}
    return values


def _statuses(account: AnnualAccount) -> dict[str, str]:
    indicators = account._tables["indicators"]
    return {f"{INDICATOR}{i}": str(s) for i, s in zip(indicators["indicator"], indicators["status"], strict=True)}


def _name(figure: str, account: AnnualAccount) -> tuple[str, str, str]:
    """The 中文 and English name of a figure and its unit."""
    if figure.startswith(INDICATOR):
        code = figure.removeprefix(INDICATOR)
        indicators = account._tables["indicators"]
        units = dict(zip(indicators["indicator"], indicators["unit"], strict=True))
        zh, en = (str(_labels.label("indicator", code, lang)) for lang in ("zh", "en"))
        return zh, en, str(units.get(code, ""))
    return _NAMES.get(figure, (figure, figure.replace("_", " "), ""))


def figure_table(a: AnnualAccount, b: AnnualAccount) -> pd.DataFrame:
    """Every figure that changed from ``a`` to ``b``: the summary's first (in the order of the summary sheet), then
    the indicators'."""
    fa, fb, sa, sb = figures_of(a), figures_of(b), _statuses(a), _statuses(b)
    shown = [f.name for f in SUMMARY_FIGURES]
    order = [k for k in shown if k in fa or k in fb]
    order += [k for k in dict.fromkeys([*fa, *fb]) if k not in order and not k.startswith(INDICATOR)]
    order += [k for k in dict.fromkeys([*fa, *fb]) if k.startswith(INDICATOR)]
    rows = []
    for figure in order:
        x, y = fa.get(figure), fb.get(figure)
        if not figure_moved(x, y) and sa.get(figure) == sb.get(figure):
            continue
        zh, en, unit = _name(figure, b if figure in fb else a)
        change = y - x if x is not None and y is not None else np.nan
        rows.append(
            {
                "figure": figure,
                "source": "indicators" if figure.startswith(INDICATOR) else "summary",
                "name_zh": zh,
                "name_en": en,
                "unit": unit,
                "a": np.nan if x is None else x,
                "b": np.nan if y is None else y,
                "change": change,
                "relative": change / abs(x) if x else np.nan,
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
