"""The summary workbook of a dataset's account: a sheet per level (全国, 省份, 园区) and a sheet of what was run.

Headers come from :mod:`carbon.schema.outputs` (the summary figures of the 碳账本) in the language asked for,
``zh+en`` by default, as the 碳账本 writes them; values, never formulas; text from inputs always text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from carbon._version import __version__
from carbon.io.excel import SAFE_TEXT, atomic_write, display_width, print_setup, write_cell
from carbon.io.words import Words
from carbon.schema.outputs import AMOUNT, INTEGER, SUMMARY_FACTS, SUMMARY_FIGURES, OutputColumn

__all__ = ["SHEETS", "SUMMARY_WORKBOOK", "write_summary"]

#: The workbook's file name in the results folder.
SUMMARY_WORKBOOK = "汇总 summary.xlsx"

#: Sheet names, by level.
SHEETS = {"national": "全国 National", "provinces": "省份 Provinces", "parks": "园区 Parks", "about": "说明 About"}

_FIGURES = {column.name: column for column in SUMMARY_FIGURES}
_OTHER = (
    OutputColumn("total_tco2", "排放合计（结论口径）", "Total, headline basis", "tCO2", AMOUNT),
    OutputColumn("energy_tce_equivalent", "综合能耗（当量值）", "Energy, 当量值", "tce", AMOUNT),
    OutputColumn("energy_tce_equal_value", "综合能耗（等价值）", "Energy, 等价值", "tce", AMOUNT),
    OutputColumn("year", "核算年度", "Year", "", INTEGER),
    OutputColumn("reporting_year", "报告年度", "Reporting year", "", INTEGER),
    OutputColumn("province", "所在省份", "Province"),
    OutputColumn("name", "园区名称", "Park"),
    OutputColumn("park", "园区键", "Park key"),
    OutputColumn("status", "状态", "Status"),
    OutputColumn("message", "说明", "Message"),
    OutputColumn("input", "输入文件", "Input"),
    OutputColumn("parks", "园区数", "Parks", "个", INTEGER),
    OutputColumn("parks_failed", "未能核算的园区", "Parks not accounted", "个", INTEGER),
    OutputColumn("complete", "全部园区已核算", "Every park accounted"),
)
_COLUMNS = {**_FIGURES, **{column.name: column for column in _OTHER}}
_STATUS = {"ok": ("已核算", "accounted"), "error": ("未能核算", "not accounted")}


def _sheet(book, words: Words, name: str, frame: pd.DataFrame, formats: dict) -> None:
    sheet = book.add_worksheet(name)
    for position, column in enumerate(frame.columns):
        spec = _COLUMNS[column]
        header = words.header(spec)
        sheet.write_string(0, position, header, formats["header"])
        width = max(display_width(line) for line in header.splitlines()) + 2
        sheet.set_column(position, position, min(max(width, 10), 40))
        fmt = formats.get(spec.num_format)
        for row, value in enumerate(frame[column].tolist(), 1):
            if column == "province":
                value = words.label("province", value)
            elif column == "status":
                value = words.of(_STATUS.get(value, (value, value)))
            elif column == "complete":
                value = words.pair("是", "yes") if value else words.pair("否", "no")
            write_cell(sheet, row, position, value, fmt)
    sheet.freeze_panes(1, 0)
    print_setup(sheet, pages_wide=max(1, len(frame.columns) // 10))


def _about(book, words: Words, result, formats: dict) -> None:
    sheet = book.add_worksheet(SHEETS["about"])
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 70)
    rows = [
        (("数据集", "dataset"), result.dataset),
        (("园区（账本）", "parks (ledgers)"), len(result.parks)),
        (("未能核算", "not accounted"), int((result.parks["status"] != "ok").sum())),
        (("运行于", "run on"), result.scheduler),
        (("用时（秒）", "seconds"), round(result.seconds, 2)),
        (("carbon 版本", "carbon version"), __version__),
    ]
    for key, value in result.methods.model_dump().items():
        label = SUMMARY_FACTS.get(key, (key, key))
        rows.append((label, words.label(key, value) if isinstance(value, str) else value))
    rows.append(
        (
            ("口径", "basis"),
            words.pair(
                "省级和全国的比值为合计之比（非各园区比值的平均）；未能核算的园区不计入合计",
                "ratios of provinces and the nation are ratios of the sums, not averages of the parks' ratios; a park "
                "not accounted is left out of the sums",
            ),
        )
    )
    for row, (label, value) in enumerate(rows):
        sheet.write_string(row, 0, words.of(label), formats["header"])
        write_cell(sheet, row, 1, value, formats["wrap"])


def write_summary(result, path: str | Path, *, lang: str = "zh+en") -> Path:
    """Write the summary workbook of a :class:`~carbon.dataset.account.DatasetAccount` to ``path``."""
    words = Words(lang)

    def write(temporary: str) -> None:
        book = xlsxwriter.Workbook(temporary, {**SAFE_TEXT, "nan_inf_to_errors": False})
        formats = {
            "header": book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7"}),
            "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
            None: None,
        }
        for number_format in {c.num_format for c in _COLUMNS.values() if c.num_format}:
            formats[number_format] = book.add_format({"num_format": number_format})
        parks = result.parks[
            ["province", "name", "year", "status", *_FIGURE_ORDER, "message", "input", "park", "reporting_year"]
        ]
        for key, frame in (
            ("national", result.national[["year", "parks", "parks_failed", "complete", *_FIGURE_ORDER]]),
            ("provinces", result.provinces[["year", "province", "parks", "parks_failed", "complete", *_FIGURE_ORDER]]),
            ("parks", parks),
        ):
            _sheet(book, words, SHEETS[key], frame, formats)
        _about(book, words, result, formats)
        book.close()

    return atomic_write(path, write)


#: The figures in the order the sheets show them (the summary's order: E_park and its terms first).
_FIGURE_ORDER = (
    "park910_tco2",
    "carbon_per_energy_tco2_per_tce",
    "energy_tce",
    "park910_fuel_tco2",
    "park910_conversion_tco2",
    "park910_electricity_tco2",
    "park910_heat_tco2",
    "park910_process_tco2",
    "park910_bunkers_tco2",
    "carbon_per_energy_location",
    "carbon_per_energy_market",
    "scope1_tco2",
    "scope2_location_tco2",
    "scope2_market_tco2",
    "total_location_tco2",
    "total_market_tco2",
    "total_tco2",
    "energy_tce_equivalent",
    "energy_tce_equal_value",
)
