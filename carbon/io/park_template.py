"""Writing the park workbook: the blank template staff fill, or a ledger in the same format.

Written with xlsxwriter with ``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` off, so
text from users is always stored as text (a name starting with ``=`` stays a name). The file is written next
to its destination and renamed into place (:func:`carbon.io.excel.atomic_write`), so an interrupted write never
leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import xlsxwriter

from carbon.io.excel import SAFE_TEXT, atomic_write, display_width, print_setup, write_cell
from carbon.names import carriers, regions
from carbon.schema.inputs import CHOICES, TABLES, Column, Table, table
from carbon.validation.problems import column_letter

__all__ = ["write_template", "write_workbook"]

#: Rows of each data sheet that carry dropdowns and formats in a blank template.
TEMPLATE_ROWS = 2000
INSTRUCTIONS = "填表说明 instructions"
LISTS = "lists"
COMMON_UNITS = (
    "吨",
    "千克",
    "万吨",
    "kWh",
    "万kWh",
    "MWh",
    "Nm3",
    "万Nm3",
    "m3",
    "万m3",
    "GJ",
    "MJ",
    "tce",
    "张",
    "GJ/t",
    "GJ/万Nm3",
    "tC/TJ",
    "%",
    "tCO2/MWh",
)


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "top"}
        self.header = book.add_format(
            {**base, "bold": True, "text_wrap": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter"}
        )
        self.required = book.add_format(
            {**base, "bold": True, "text_wrap": True, "bg_color": "#FCE4D6", "border": 1, "valign": "vcenter"}
        )
        self.text = book.add_format({**base, "num_format": "@"})
        self.number = book.add_format({**base, "num_format": "General"})
        self.money = book.add_format({**base, "num_format": "#,##0.00"})
        self.integer = book.add_format({**base, "num_format": "0"})
        self.date = book.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.percent = book.add_format({**base, "num_format": "0.0"})
        self.wrap = book.add_format({**base, "text_wrap": True})
        self.title = book.add_format({**base, "bold": True, "font_size": 14, "valign": "vcenter"})
        self.section = book.add_format({**base, "bold": True, "text_wrap": True, "bg_color": "#F2F2F2", "top": 1})

    def for_column(self, column: Column) -> xlsxwriter.format.Format:
        if column.kind in ("year", "month"):
            return self.integer
        if column.kind == "date":
            return self.date
        if column.kind == "percent":
            return self.percent
        if column.kind == "number":
            return self.money if column.unit in ("万元", "t") else self.number
        return self.text


def _choice_labels(name: str) -> list[str]:
    return [c.zh for c in CHOICES[name]]


def _write_lists(book: xlsxwriter.Workbook, formats: _Formats) -> None:
    sheet = book.add_worksheet(LISTS)
    columns: dict[str, list[str]] = {f"list_{name}": _choice_labels(name) for name in CHOICES}
    columns["list_carrier"] = list(carriers()["name_zh"])
    columns["list_unit"] = list(COMMON_UNITS)
    columns["list_bool"] = ["是", "否"]
    for position, (name, values) in enumerate(columns.items()):
        sheet.write_string(0, position, name)
        for row, value in enumerate(values, start=1):
            sheet.write_string(row, position, value)
        letter = column_letter(position)
        book.define_name(name, f"={LISTS}!${letter}$2:${letter}${len(values) + 1}")
    sheet.hide()


def _validation(column: Column) -> dict[str, object] | None:
    if column.kind == "choice":
        return {
            "validate": "list",
            "source": f"=list_{column.choices}",
            "error_title": "请从下拉列表中选择",
            "error_message": column.help_zh[:255] or "请从下拉列表中选择",
        }
    if column.kind == "carrier":
        return {
            "validate": "list",
            "source": "=list_carrier",
            "error_type": "warning",
            "error_message": "不在常用品种中，请核对",
        }
    if column.kind == "unit":
        return {
            "validate": "list",
            "source": "=list_unit",
            "error_type": "information",
            "error_message": "不在常用单位中，请核对",
        }
    if column.kind == "bool":
        return {"validate": "list", "source": "=list_bool"}
    if column.kind == "enterprise":
        return {
            "validate": "list",
            "source": "=enterprise_ids",
            "error_type": "warning",
            "error_message": "该代码不在「企业」表中",
        }
    if column.kind == "year":
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": 1990,
            "maximum": 2100,
            "error_message": "四位年份",
        }
    if column.kind == "month":
        return {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 12, "error_message": "1-12"}
    if column.kind in ("number", "percent") and column.minimum == 0:
        return {
            "validate": "decimal",
            "criteria": ">=",
            "value": 0,
            "error_message": "不能为负数 / must not be negative",
        }
    return None


_INSTRUCTION_WIDTHS = (22, 34, 10, 10, 46, 46, 24)


def _lines(cells: list[str], widths: tuple[int, ...]) -> int:
    return max(
        1, *(math.ceil(display_width(text) / max(width - 1, 1)) for text, width in zip(cells, widths, strict=False))
    )


def _write_instructions(book: xlsxwriter.Workbook, formats: _Formats) -> None:
    sheet = book.add_worksheet(INSTRUCTIONS)
    last = len(_INSTRUCTION_WIDTHS) - 1
    sheet.set_row(0, 26)
    sheet.merge_range(0, 0, 0, last, "园区碳账本 填表说明 / How to fill in the park ledger workbook", formats.title)
    notes = [
        "每张表第 1 行为表头（中文名 英文名 [单位]），从第 2 行起每行填一条记录；表头浅橙色的列为必填。",
        "One record per row from row 2; orange headers are required. Headers may be in Chinese, English or both.",
        "数字只填数字（可带千分位）；单位填在单位列；日期如 2024-01-05 或 2024年1月5日；请勿使用未计算的公式。",
        "Numbers as numbers; units in the unit column; dates like 2024-01-05; no formulas left uncalculated.",
        "能源品种可选 / carriers: " + "、".join(carriers()["name_zh"]) + "（亦可填英文名或常见别名 / English names"
        " and common aliases are accepted）",
        "检查方法 / to check the file: carbon validate 本文件.xlsx --annotate 标注.xlsx（标注副本打开即见「问题清单」"
        " / the annotated copy opens on its problem list）",
    ]
    for row, note in enumerate(notes, start=1):
        sheet.merge_range(row, 0, row, last, note, formats.wrap)
        sheet.set_row(row, 15 * _lines([note], (sum(_INSTRUCTION_WIDTHS),)))  # merged cells do not grow by themselves
    header = ["工作表 sheet", "列 column", "必填 required", "单位 unit", "说明", "explanation", "示例 example"]
    start = len(notes) + 2
    for position, text in enumerate(header):
        sheet.write_string(start, position, text, formats.header)
    sheet.set_row(start, 30)
    row = start + 1
    for spec in TABLES:
        cells = [spec.sheet, "", "", "", spec.help_zh, spec.help_en, ""]
        for position, text in enumerate(cells):
            sheet.write_string(row, position, text, formats.section)
        sheet.set_row(row, 15 * _lines(cells, _INSTRUCTION_WIDTHS))
        row += 1
        for column in spec.columns:
            choices = f"可选：{'、'.join(_choice_labels(column.choices))}" if column.choices else ""
            cells = [
                spec.sheet,
                column.header,
                "是" if column.required else "",
                column.unit or "",
                "；".join(filter(None, [column.help_zh, choices])),
                column.help_en,
                column.example,
            ]
            for position, text in enumerate(cells):
                sheet.write_string(row, position, text, formats.wrap)
            sheet.set_row(row, 15 * _lines(cells, _INSTRUCTION_WIDTHS))
            row += 1
    for position, width in enumerate(_INSTRUCTION_WIDTHS):
        sheet.set_column(position, position, width)
    sheet.freeze_panes(start + 1, 0)
    print_setup(sheet, start + 1)


def _write_park(book: xlsxwriter.Workbook, formats: _Formats, park: Mapping[str, object] | None) -> None:
    spec = table("park")
    sheet = book.add_worksheet(spec.sheet)
    for position, text in enumerate(("项目 item", "值 value", "说明 help")):
        sheet.write_string(0, position, text, formats.header)
    for row, column in enumerate(spec.columns, start=1):
        sheet.write_string(row, 0, column.header, formats.required if column.required else formats.header)
        sheet.write_string(row, 2, f"{column.help_zh} / {column.help_en}（示例 {column.example}）", formats.wrap)
        value = (park or {}).get(column.name)
        if value is None:
            sheet.write_blank(row, 1, None, formats.text)
        elif column.kind == "year":
            sheet.write_number(row, 1, int(value), formats.integer)
        elif column.kind == "list":
            sheet.write_string(row, 1, "、".join(value), formats.text)
        elif column.name == "province":
            names = regions().set_index("id")["name_zh"]
            sheet.write_string(row, 1, str(names.get(value, value)), formats.text)
        else:
            sheet.write_string(row, 1, str(value), formats.text)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 60)
    sheet.freeze_panes(1, 1)
    print_setup(sheet)


def _labels(column: Column, values: list[object]) -> list[object]:
    """The text staff see for stored values, a whole column at once: Chinese labels for choices, carriers and
    booleans; other values unchanged."""
    if column.kind == "choice":
        mapping = {c.id: c.zh for c in CHOICES[column.choices or ""]}
    elif column.kind == "carrier":
        mapping = dict(zip(carriers()["id"], carriers()["name_zh"], strict=True))
    elif column.kind == "bool":
        mapping = {True: "是", False: "否"}
    else:
        return values
    return [mapping.get(v, v) if isinstance(v, (str, bool)) else v for v in values]


def _write_cell(
    sheet: xlsxwriter.worksheet.Worksheet, row: int, position: int, column: Column, value: object, fmt: object
) -> None:
    """One stored value as its column's kind shows it: dates as dates, percents times 100, text as text."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        value = None
    elif column.kind == "date":
        date = value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value
        value = dt.datetime.combine(date, dt.time())
    elif column.kind in ("number", "year", "month"):
        value = float(value)
    elif column.kind == "percent":
        value = float(value) * 100.0
    else:
        value = str(value)
    write_cell(sheet, row, position, value, fmt)


def _write_table(book: xlsxwriter.Workbook, formats: _Formats, spec: Table, frame: pd.DataFrame | None) -> None:
    sheet = book.add_worksheet(spec.sheet)
    n = 0 if frame is None else len(frame)
    last = max(TEMPLATE_ROWS, n + 500)
    for position, column in enumerate(spec.columns):
        sheet.write_string(0, position, column.header, formats.required if column.required else formats.header)
        comment = f"{column.help_zh}\n{column.help_en}\n示例 example: {column.example}".strip()
        sheet.write_comment(0, position, comment, {"x_scale": 2, "y_scale": 1.5})
        column_format = formats.for_column(column)
        sheet.set_column(position, position, column.width, column_format)
        rule = _validation(column)
        if rule:
            sheet.data_validation(1, position, last, position, rule)
        if frame is not None and column.name in frame.columns:
            values = _labels(column, frame[column.name].tolist())
            for row, value in enumerate(values, start=1):
                _write_cell(sheet, row, position, column, value, column_format)
    sheet.set_row(0, 36)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(n, 1), len(spec.columns) - 1)
    print_setup(sheet)


def _write(
    path: str,
    park: Mapping[str, object] | None,
    tables: Mapping[str, pd.DataFrame] | None,
    created: dt.datetime | None = None,
) -> None:
    book = xlsxwriter.Workbook(path, SAFE_TEXT)
    book.set_properties({"title": "园区碳账本 park ledger workbook", "created": created or dt.datetime.now()})
    formats = _Formats(book)
    _write_instructions(book, formats)
    _write_park(book, formats, park)
    for spec in TABLES:
        if not spec.key_value:
            _write_table(book, formats, spec, None if tables is None else tables.get(spec.name))
    _write_lists(book, formats)
    enterprises = table("enterprises").sheet
    book.define_name("enterprise_ids", f"='{enterprises}'!$A$2:$A${TEMPLATE_ROWS + 1}")
    book.get_worksheet_by_name(INSTRUCTIONS).activate()
    book.close()


def write_template(path: str | Path) -> Path:
    """Write the blank park workbook: one sheet per table with bilingual names and headers, an instructions
    sheet (填表说明), dropdowns, frozen headers, widths and number formats."""
    return atomic_write(path, lambda temporary: _write(temporary, None, None))


def write_workbook(ledger: object, path: str | Path, *, created: dt.datetime | None = None) -> Path:
    """Write a ledger's park facts and tables in the template's format (readable by ``read_workbook``).

    ``created`` fixes the document's creation time (default: now); with it, the same ledger gives the
    same bytes.
    """
    park = ledger.park  # type: ignore[attr-defined]
    tables = ledger.tables  # type: ignore[attr-defined]
    return atomic_write(path, lambda temporary: _write(temporary, park, tables, created))
