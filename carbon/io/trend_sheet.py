"""The printed trend sheet of the account workbook (碳账本): a figure per row, a year per column, notes and charts.

The ``trend`` table itself (one row per figure and year, the machine's record that
:func:`carbon.io.account_workbook.read_account` reads back) is on its own sheet, not printed; this sheet is what
staff read and hand in. A year whose figure is missing, incomplete or stood in for by another year's factor is
marked with a numbered note below the grid, never shown as zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xlsxwriter

from carbon.io.account_sheets import Formats, page_footer
from carbon.io.excel import print_setup, write_cell
from carbon.io.words import Words
from carbon.schema.outputs import AMOUNT, FINE, FRACTION, INTEGER, TREND_SHEET

__all__ = ["TREND_CHARTS", "write_trend"]

#: The charts below the grid: title, unit and the figures drawn, each a line over the years.
TREND_CHARTS = (
    (("园区碳排放", "Park emissions"), "tCO2", ("park910_tco2", "total_tco2")),
    (("单位能耗碳排放（附件4）", "Carbon per energy (附件4)"), "tCO2/tce", ("carbon_per_energy_tco2_per_tce",)),
    (
        ("单位工业增加值能耗（可比价）", "Energy per 万元 added value (constant prices)"),
        "tce/万元",
        ("tce_per_10k_yuan_added_value_constant_restated", "tce_per_10k_yuan_added_value_constant"),
    ),
    (("综合能源消费量", "Energy consumption"), "tce", ("energy_tce",)),
)

#: Units counted in whole numbers.
_COUNTS = ("家", "个", "台")


def _number_format(unit: str) -> str:
    if unit == "fraction":
        return FRACTION
    if unit in _COUNTS:
        return INTEGER
    return FINE if "/" in unit else AMOUNT.replace(".00", "")


def _name(row: pd.Series, words: Words) -> str:
    if isinstance(row["name_zh"], str) and row["name_zh"]:
        return words.pair(row["name_zh"], row["name_en"])
    return str(row["figure"])


#: How the grid's cells are coloured.
_LEGEND = (
    "绿色：达到零碳园区指标阈值；红色：未达到；黄色：数据不全或沿用他年因子（见附注）；灰色：无数据",
    "green: the indicator meets its threshold; red: it does not; yellow: data incomplete or a factor of another year "
    "(see notes); grey: no data",
)


def _colour(value: float, status: str, verdict: object) -> str | None:
    """A year's cell: grey without a value, yellow when its data are not complete, else the indicator's verdict."""
    if value != value:
        return "grey"
    if status != "ok":
        return "yellow"
    return {"achieved": "green", "gap": "red"}.get(verdict) if isinstance(verdict, str) else None


def _unit(unit: str, words: Words) -> str:
    return "%" if unit == "fraction" else words.unit(unit)


def write_trend(book: xlsxwriter.Workbook, f: Formats, trend: pd.DataFrame, words: Words) -> None:
    """The trend sheet: title, the grid (figure, unit, a column per year, coloured by the indicators' verdicts),
    numbered notes for every year not ``ok``, and line charts of the main figures below."""
    sheet = book.add_worksheet(TREND_SHEET)
    years = sorted(int(y) for y in trend["year"].dropna().unique())
    figures = list(dict.fromkeys(trend["figure"]))
    by = trend.set_index(["figure", "year"])
    sheet.write_string(0, 0, words.pair("逐年趋势", "Trend by year", " / "), f.title)
    header = 2
    sheet.set_row(header, 30)
    sheet.write_string(header, 0, words.pair("数据项", "figure", "\n"), f.header)
    sheet.write_string(header, 1, words.pair("单位", "unit", "\n"), f.header)
    for j, year in enumerate(years):
        sheet.write_number(header, 2 + j, year, f.header)
    verdict_col = 2 + len(years)
    sheet.write_string(header, verdict_col, words.pair("附注", "notes", "\n"), f.header)
    notes: dict[str, int] = {}
    rows: dict[str, int] = {}
    for i, figure in enumerate(figures):
        row = header + 1 + i
        rows[figure] = row
        first = trend[trend["figure"] == figure].iloc[0]
        unit = str(first["unit"])
        sheet.write_string(row, 0, _name(first, words), f.get(wrap=True))
        sheet.write_string(row, 1, _unit(unit, words), f.text)
        marks = []
        for j, year in enumerate(years):
            cell = by.loc[(figure, year)] if (figure, year) in by.index else None
            value = cell["value"] if cell is not None else np.nan
            status = cell["status"] if cell is not None else "no_account"
            verdict = cell["verdict"] if cell is not None else None
            colour = _colour(value, status, verdict)
            # a missing year is a blank cell (grey, with its note): a chart draws a gap there, never a zero
            write_cell(sheet, row, 2 + j, float(value), f.get(_number_format(unit), colour=colour))
            if cell is not None and status != "ok" and isinstance(cell["note"], str):
                number = notes.setdefault(words.note(cell["note"]), len(notes) + 1)
                marks.append(f"{year} [{number}]")
        if marks:
            sheet.write_string(row, verdict_col, "；".join(marks) if words.lang != "en" else "; ".join(marks), f.text)
    row = header + len(figures) + 2
    sheet.write_string(row, 0, words.pair(*_LEGEND, " / "), f.text)
    row += 2
    if notes:
        sheet.write_string(row, 0, words.pair("附注", "Notes", " / "), f.subtitle)
        for text, number in notes.items():
            row += 1
            sheet.write_string(row, 0, f"[{number}] {text}", f.text)
    sheet.set_column(0, 0, 58 if words.lang == "zh+en" else 44)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 1 + len(years), 14)
    sheet.set_column(verdict_col, verdict_col, 36)
    sheet.freeze_panes(header + 1, 2)
    _charts(book, sheet, rows, header, years, row + 2, words)
    print_setup(sheet, header_rows=header + 1)
    page_footer(sheet, words)


def _charts(book, sheet, rows: dict[str, int], header: int, years: list[int], first_row: int, words: Words) -> None:
    """Line charts of :data:`TREND_CHARTS`, two abreast below the notes, each series a row of the grid."""
    last = 1 + len(years)
    placed = 0
    for title, unit, figures in TREND_CHARTS:
        chart = book.add_chart({"type": "line"})
        for figure in figures:
            if figure not in rows:
                continue
            chart.add_series(
                {
                    "name": [sheet.name, rows[figure], 0],
                    "categories": [sheet.name, header, 2, header, last],
                    "values": [sheet.name, rows[figure], 2, rows[figure], last],
                    "marker": {"type": "circle", "size": 6},
                }
            )
        if not chart.series:
            continue
        chart.set_title({"name": f"{words.of(title)}（{unit}）", "name_font": {"size": 11}})
        chart.show_blanks_as("gap")
        chart.set_y_axis({"num_format": "#,##0.00" if "/" in unit else "#,##0", "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 480, "height": 290})
        sheet.insert_chart(first_row + (placed // 2) * 16, (placed % 2) * 3, chart, {"x_offset": 4, "y_offset": 4})
        placed += 1
