"""The diff workbook (``carbon diff A B -o diff.xlsx``), and the words of a diff that its text shares.

Three sheets, Chinese with English beside (or one language): 概要 Summary (the two sides, then every figure that
changed with the causes that moved it), 原因 Causes (one row per cause: the sheet, its Excel row in A and B, the
row's key, the column, the old and the new value, the figures it moved) and 归因 Attribution (one row per step,
one column per figure, a total row, and B - A below it for the check). Written with xlsxwriter like the 碳账本:
values, never formulas; text always as text (``strings_to_formulas`` off), so a cell that starts with ``=`` in a
park's workbook stays text here too.

``diff`` is a :class:`carbon.diff.Diff` (read through its tables, not imported: this module sits below it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import xlsxwriter

from carbon import labels as _labels
from carbon.io.account_sheets import Formats, page_footer
from carbon.io.excel import SAFE_TEXT, atomic_write, display_width, print_setup, write_cell
from carbon.io.words import Words
from carbon.schema import CHOICES
from carbon.schema import table as input_table
from carbon.schema.outputs import FINE, FRACTION, SUMMARY_FACTS

__all__ = [
    "CHANGES",
    "KINDS",
    "cell_text",
    "change_text",
    "column_text",
    "column_zh",
    "figure_name",
    "key_text",
    "parse_cause_numbers",
    "show_change",
    "show_value",
    "status_text",
    "unit_text",
    "where_text",
    "write_diff",
]

#: The words of each kind of cause.
KINDS = {
    "method": ("核算方法", "method"),
    "park": ("园区信息", "park fact"),
    "input_row": ("输入行", "input row"),
    "input_table": ("输入表", "input table"),
    "input_file": ("输入文件", "input file"),
    "factor": ("因子", "factor"),
}
#: The words of each change.
CHANGES = {"added": ("新增", "added"), "removed": ("删除", "removed"), "changed": ("修改", "changed")}
#: How a step of the attribution was found.
BASES = {
    "recomputed": ("重算", "recomputed"),
    "lineage": ("数据来源", "lineage"),
    "only_cause": ("唯一原因", "the only cause"),
}
#: Units counted in whole numbers.
COUNTS = frozenset({"个", "家", "台", "项", "张", "enterprises"})


# -- the words of a diff ------------------------------------------------------------------------------------


def show_value(value: object, unit: str, words: Words | None = None) -> str:
    """A figure's value as the summary shows it (a fraction as a percentage, a count whole, a yes or no (unit
    ``bool``) in words)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if unit == "bool":
        return str((words or Words()).label("bool", bool(number)))
    if unit == "fraction":
        return f"{number:.2%}"
    if unit in COUNTS:
        return f"{number:,.0f}"
    if "/" in unit:
        return f"{number:,.4f}"
    return f"{number:,.2f}"


def unit_text(unit: str, words: Words, percent: str = "%") -> str:
    """A figure's unit as written beside it: ``percent`` for a fraction, nothing for a yes or no."""
    if unit == "fraction":
        return percent
    return "" if unit == "bool" else words.unit(unit)


def status_text(status: object, words: Words) -> str:
    """A status in words (— for none: a target on one side only)."""
    return str(words.label("status", status)) if isinstance(status, str) else "—"


def _signed(value: float, decimals: int) -> str:
    """``value`` with a sign and ``decimals`` decimals, more (up to 8) where those would show a change as 0."""
    while decimals < 8 and value and abs(value) < 0.5 * 10**-decimals:
        decimals += 1
    return f"{value:+,.{decimals}f}"


def show_change(change: float, relative: float, unit: str, words: Words, with_unit: bool = False) -> str:
    """A change with its sign (a fraction's in percentage points), and the relative change when given; none for
    a yes or no (its values say it)."""
    if math.isnan(change) or unit == "bool":
        return ""
    if unit == "fraction":
        return _signed(change * 100, 2) + " " + words.pair("个百分点", "pp")
    text = _signed(change, 0 if unit in COUNTS else 4 if "/" in unit else 2)
    text += f" {words.unit(unit)}" if with_unit and unit else ""
    return f"{text} ({relative:+.2%})" if not math.isnan(relative) else text


def column_zh(table: str, column: str) -> str:
    """The 中文 name of a column of an input table (the column itself when it is none)."""
    try:
        return input_table(table).column(column).zh
    except KeyError:
        return column


def _choice(table: str, column: str, value: object) -> tuple[str, str] | None:
    """The words of a choice of an input column that :mod:`carbon.labels` has no vocabulary for."""
    try:
        choices = input_table(table).column(column).choices
    except KeyError:
        return None
    for choice in CHOICES.get(choices or "", ()):
        if choice.id == value:
            return choice.zh, (choice.aliases[-1] if choice.aliases else choice.id.replace("_", " "))
    return None


def cell_text(value: object, column: str, table: str, words: Words) -> str:
    """A value of a cause: a code as its words, a number as it was typed, a blank as 空."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return words.pair("（空）", "(blank)")
    if isinstance(value, bool):
        return str(words.label("bool", value))
    if isinstance(value, (int, float)):
        return format(value, ".10g")
    if table == "methods":
        return str(_labels.label(f"methods.{column}", value, words.lang))
    if _labels.vocabulary(column, table) is None and (choice := _choice(table, column, value)) is not None:
        return words.pair(*choice)
    return str(_labels.label(column, value, words.lang, table))


def column_text(table: str, column: str, words: Words) -> str:
    """The name of a changed column (a method choice, a park fact, a column of an input table)."""
    if table == "methods":
        zh, en = SUMMARY_FACTS.get(column, ("GWP" if column == "gwp" else column, column))
        return words.pair(zh, en)
    if table == "park" and column == "year":
        return words.pair("核算年份", "year accounted")
    if table == "factors" or not column:
        return column
    return words.pair(column_zh(table, column), column)


def figure_name(row: Mapping[str, object], words: Words) -> str:
    """A figure's name, an indicator marked as such."""
    name = words.pair(str(row["name_zh"]), str(row["name_en"]))
    return name + (f" [{words.pair('指标', 'indicator')}]" if row["source"] == "indicators" else "")


def key_text(cause: Mapping[str, object], words: Words) -> str:
    """The key of a cause's row, each part in words (a blank part as —)."""
    table = str(cause["table"])
    if cause["kind"] != "input_row":
        return str(cause["key"] or "")
    columns = str(cause["key_columns"]).split(", ")
    parts = str(cause["key"]).split(" / ")
    return " / ".join(cell_text(v, c, table, words) if v else "—" for c, v in zip(columns, parts, strict=False))


def where_text(cause: Mapping[str, object], words: Words) -> str:
    """Where a cause is: a method or park fact, or the sheet, its rows in A and B and the row's key."""
    table, kind = str(cause["table"]), cause["kind"]
    if kind in ("method", "park", "input_file"):
        return words.pair(*KINDS[str(kind)])
    if kind == "factor":
        return words.pair("因子", "factor") + f" {cause['key']}"
    spec = input_table(table)
    place = words.pair(spec.zh, spec.name)
    if kind == "input_table":
        return place
    a, b = cause["row_a"], cause["row_b"]
    if pd.isna(a):
        rows = words.pair(f"B 第 {b} 行（新增）", f"B row {b} (added)")
    elif pd.isna(b):
        rows = words.pair(f"A 第 {a} 行（删除）", f"A row {a} (removed)")
    else:
        rows = words.pair(f"第 {a} 行", f"row {a}") if a == b else words.pair(f"第 {a} → {b} 行", f"row {a} → {b}")
    key = key_text(cause, words)
    return f"{place} {rows}" + (f"（{key}）" if key else "")


def change_text(cause: Mapping[str, object], words: Words) -> str:
    """What changed: ``column: old → new``, or what a row added or removed held."""
    table, column = str(cause["table"]), str(cause["column"] or "")
    if cause["change"] == "added":
        return words.pair("新增", "added") + f": {cause['new']}"
    if cause["change"] == "removed":
        return words.pair("删除", "removed") + f": {cause['old']}"
    if cause["kind"] == "input_table":
        what = {"rows": ("行数", "rows"), "digest": ("内容摘要", "content digest")}.get(column, (column, column))
        name = words.pair(*what)
    else:
        name = column_text(table, column, words)
    old = cell_text(cause["old"], column, table, words)
    new = cell_text(cause["new"], column, table, words)
    note = f"（{words.note(str(cause['note']))}）" if cause["note"] else ""
    return f"{name}: {old} → {new}{note}"


# -- the workbook -------------------------------------------------------------------------------------------

#: The sheets of the diff workbook.
SUMMARY_SHEET, CAUSES_SHEET, ATTRIBUTION_SHEET = "概要 Summary", "原因 Causes", "归因 Attribution"

#: The columns of the figures on the summary sheet: (中文, English), width.
_FIGURE_HEADERS = (
    (("数字", "figure"), 40),
    (("单位", "unit"), 10),
    (("A", "A"), 16),
    (("B", "B"), 16),
    (("变化", "change"), 14),
    (("相对变化", "relative"), 11),
    (("状态", "status"), 18),
    (("原因", "causes"), 12),
    (("原因说明", "what the causes are"), 60),
)
#: The columns of the causes sheet: (中文, English), width.
_CAUSE_HEADERS = (
    (("序号", "no."), 6),
    (("类别", "kind"), 12),
    (("变化", "change"), 10),
    (("工作表", "sheet"), 16),
    (("A 行", "row in A"), 9),
    (("B 行", "row in B"), 9),
    (("键", "key"), 36),
    (("列", "column"), 16),
    (("原值", "old"), 20),
    (("新值", "new"), 20),
    (("步骤", "step"), 6),
    (("影响的数字", "figures moved"), 48),
    (("说明", "note"), 30),
)
#: At most this many causes are described beside a figure on the summary sheet.
_DESCRIBED = 5


def _number_format(unit: str, change: bool = False) -> str:
    if unit == "fraction":
        return "0.0000%" if change else FRACTION
    if unit in COUNTS or unit == "bool":
        return "#,##0"
    return FINE if "/" in unit else "#,##0.00"


def _header(sheet, f: Formats, row: int, headers, words: Words) -> None:
    for position, ((zh, en), width) in enumerate(headers):
        sheet.write_string(row, position, words.pair(zh, en, "\n"), f.header)
        sheet.set_column(position, position, width)
    sheet.set_row(row, 30 if words.lang == "zh+en" else 16)


def _fit(sheet, row: int, texts: list[tuple[object, int]]) -> None:
    """The height of a row whose wrapped texts (each with its column's width) run over several lines."""
    lines = max((_lines(text, width) for text, width in texts), default=1)
    if lines > 1:
        sheet.set_row(row, 13 * lines + 3)


def _lines(text: object, width: int) -> int:
    return sum(max(1, math.ceil(display_width(part) / max(width - 1, 1))) for part in str(text or "").split("\n"))


def _side(facts: Mapping[str, object], words: Words) -> str:
    methods = facts.get("methods") or {}
    chosen = ", ".join(f"{k}={v}" for k, v in dict(methods).items())  # type: ignore[call-overload]
    kind = (
        words.pair("碳账本", "碳账本") if facts.get("kind") == "account" else words.pair("园区工作簿", "park workbook")
    )
    return f"{facts.get('path')}（{kind}；{facts.get('park')} {facts.get('year')}；{chosen}）"


def _write_summary(book, f: Formats, diff, words: Words) -> None:
    sheet = book.add_worksheet(SUMMARY_SHEET)
    sheet.write_string(0, 0, f"carbon diff：{diff.b.get('park', '')}", f.title)
    figures, causes = diff._figures, diff._causes
    verdict = (
        words.pair("无变化", "no change")
        if diff.identical
        else words.pair(
            f"{len(figures)} 个数字变化，{len(causes)} 项原因",
            f"{len(figures)} figure(s) changed, {len(causes)} cause(s)",
        )
    )
    basis = BASES["recomputed" if diff.recomputed else "lineage"]
    facts = [
        ("A", _side(diff.a, words)),
        ("B", _side(diff.b, words)),
        (words.pair("结果", "result"), verdict),
        (words.pair("归因依据", "attribution by"), words.pair(*basis)),
    ]
    for row, (label, value) in enumerate(facts, start=2):
        sheet.write_string(row, 0, label, f.get(None))  # at the top, beside a value that may wrap
        sheet.merge_range(row, 1, row, len(_FIGURE_HEADERS) - 1, value, f.wrap)
        _fit(sheet, row, [(value, sum(width for _, width in _FIGURE_HEADERS[1:]))])
    row = len(facts) + 3
    sheet.write_string(row, 0, words.pair("变化的数字", "figures changed", " / "), f.subtitle)
    _header(sheet, f, row + 1, _FIGURE_HEADERS, words)
    sheet.freeze_panes(row + 2, 1)
    described = {c["cause"]: c for c in causes.to_dict("records")}
    row += 2
    for figure in figures.to_dict("records"):
        _write_figure(sheet, f, row, figure, described, words)
        row += 1
    for note in diff.notes:
        row += 1
        sheet.merge_range(row, 0, row, len(_FIGURE_HEADERS) - 1, words.note(note), f.wrap)
        sheet.set_row(row, 15 * max(1, math.ceil(len(words.note(note)) / 150)))
    print_setup(sheet, header_rows=0)
    page_footer(sheet, words)


def _write_figure(sheet, f: Formats, row: int, figure: Mapping[str, object], causes: Mapping, words: Words) -> None:
    unit = str(figure["unit"] or "")
    top = f.get(None)
    sheet.write_string(row, 0, figure_name(figure, words), f.wrap)
    sheet.write_string(row, 1, unit_text(unit, words), top)
    for position, column in ((2, "a"), (3, "b"), (4, "change")):
        value = figure[column]
        if unit == "bool" and column != "change" and not pd.isna(value):  # a yes or no in words
            sheet.write_string(row, position, show_value(value, unit, words), top)
        else:
            write_cell(sheet, row, position, value, f.get(_number_format(unit, column == "change")))
    write_cell(sheet, row, 5, figure["relative"], f.get("0.00%"))
    status_a, status_b = figure["status_a"], figure["status_b"]
    if isinstance(status_a, str) or isinstance(status_b, str):
        text = f"{status_text(status_a, words)} → {status_text(status_b, words)}"
        sheet.write_string(row, 6, text if status_a != status_b else status_text(status_b, words), f.wrap)
    sheet.write_string(row, 7, str(figure["causes"] or ""), f.wrap)
    numbers = parse_cause_numbers(str(figure["causes"] or ""))
    lines = [f"{n}. {_short(causes[n], words)}" for n in numbers[:_DESCRIBED]]
    if len(numbers) > _DESCRIBED:
        more = len(numbers) - _DESCRIBED
        lines.append(words.pair(f"……另 {more} 项，见「{CAUSES_SHEET}」", f"... {more} more on {CAUSES_SHEET}"))
    sheet.write_string(row, 8, "\n".join(lines), f.wrap)
    widths = [width for _, width in _FIGURE_HEADERS]
    _fit(sheet, row, [(figure_name(figure, words), widths[0]), ("\n".join(lines), widths[8])])


def _short(cause: Mapping[str, object], words: Words) -> str:
    """A cause in a few words: where it is and which column (or 新增 / 删除)."""
    table, kind = str(cause["table"]), cause["kind"]
    if kind != "input_row":
        return change_text(cause, words)
    spec = input_table(table)
    row = cause["row_b"] if not pd.isna(cause["row_b"]) else cause["row_a"]
    place = words.pair(f"{spec.zh} 第 {row} 行", f"{spec.name} row {row}")
    if cause["change"] != "changed":
        return f"{place}: {words.pair(*CHANGES[str(cause['change'])])}"
    return f"{place}: {column_text(table, str(cause['column']), words)}"


def parse_cause_numbers(text: str) -> list[int]:
    """The numbers of a list of causes written ``1, 3-5``."""
    out: list[int] = []
    for part in filter(None, (p.strip() for p in str(text or "").split(","))):
        first, _, last = part.partition("-")
        out += list(range(int(first), int(last or first) + 1))
    return out


def _write_causes(book, f: Formats, diff, words: Words) -> None:
    sheet = book.add_worksheet(CAUSES_SHEET)
    _header(sheet, f, 0, _CAUSE_HEADERS, words)
    names = {r["figure"]: figure_name(r, words) for r in diff._figures.to_dict("records")}
    for row, cause in enumerate(diff._causes.to_dict("records"), start=1):
        table, column = str(cause["table"]), str(cause["column"] or "")
        spec_sheet = str(cause["sheet"] or "")
        values = [
            cause["cause"],
            words.pair(*KINDS.get(str(cause["kind"]), (cause["kind"], cause["kind"]))),
            words.pair(*CHANGES.get(str(cause["change"]), (cause["change"], cause["change"]))),
            words.pair(*spec_sheet.split(" ", 1)) if " " in spec_sheet else spec_sheet,
            cause["row_a"],
            cause["row_b"],
            key_text(cause, words),
            column_text(table, column, words) if cause["kind"] != "input_table" else column,
            _cause_value(cause["old"], column, table, words),
            _cause_value(cause["new"], column, table, words),
            cause["step"],
            _moved_names(str(cause["figures"] or ""), names, words),
            words.note(str(cause["note"])) if cause["note"] else "",
        ]
        for position, value in enumerate(values):
            write_cell(sheet, row, position, None if value is pd.NA else value, f.wrap)
        _fit(sheet, row, [(v, w) for v, (_, w) in zip(values, _CAUSE_HEADERS, strict=True) if isinstance(v, str)])
    sheet.freeze_panes(1, 1)
    if len(diff._causes):
        sheet.autofilter(0, 0, len(diff._causes), len(_CAUSE_HEADERS) - 1)
    print_setup(sheet)
    page_footer(sheet, words)


def _moved_names(figures: str, names: Mapping[str, str], words: Words) -> str:
    """The names of the first figures a cause moved, and how many more (all of them: the attribution sheet)."""
    moved = [names.get(name.strip(), name.strip()) for name in figures.split(",") if name.strip()]
    more = len(moved) - _DESCRIBED
    return "; ".join(moved[:_DESCRIBED]) + (words.pair(f"；另 {more} 项", f"; {more} more") if more > 0 else "")


def _cause_value(value: object, column: str, table: str, words: Words) -> object:
    """An old or new value: a number as a number, anything else as its words (text, never a formula)."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return cell_text(value, column, table, words)


def _write_attribution(book, f: Formats, diff, words: Words) -> None:
    sheet = book.add_worksheet(ATTRIBUTION_SHEET)
    # a figure without a column (a target's status) has no number to attribute
    figures = [f for f in diff._figures.to_dict("records") if f["figure"] in diff._attribution.columns]
    headers = [(("步骤", "step"), 6), (("依据", "basis"), 16), (("原因", "causes"), 10), (("内容", "what"), 36)]
    _header(sheet, f, 0, headers, words)
    for position, figure in enumerate(figures, start=len(headers)):
        unit = str(figure["unit"] or "")
        shown = unit_text(unit, words, words.pair("百分点", "pp"))
        name = figure_name(figure, words)
        sheet.write_string(0, position, f"{name}\n({shown})" if shown else name, f.header)
        sheet.set_column(position, position, 16)
    sheet.set_row(0, 60)
    steps = diff._attribution.to_dict("records")
    for row, step in enumerate(steps, start=1):
        top, label = f.get(None), words.pair(str(step["label_zh"]), str(step["label_en"]))
        sheet.write_number(row, 0, int(step["step"]), top)
        sheet.write_string(row, 1, words.pair(*BASES.get(str(step["basis"]), (step["basis"], step["basis"]))), f.wrap)
        sheet.write_string(row, 2, str(step["causes"]), f.wrap)
        sheet.write_string(row, 3, label, f.wrap)
        _fit(sheet, row, [(label, 36), (str(step["causes"]), 10)])
        for position, figure in enumerate(figures, start=len(headers)):
            fmt = f.get(_number_format(str(figure["unit"] or ""), change=True))
            write_cell(sheet, row, position, step.get(figure["figure"]), fmt)
    row = len(steps) + 1
    recomputed = all(step["basis"] != "lineage" for step in steps)
    totals = [(words.pair("B − A", "B − A"), "change")]
    if recomputed and steps:
        totals.insert(0, (words.pair("各步合计", "sum of the steps"), ""))
    for label, column in totals:
        sheet.write_string(row, 3, label, f.get(None, True))
        for position, figure in enumerate(figures, start=len(headers)):
            unit = str(figure["unit"] or "")
            value = figure["change"] if column else sum(float(s.get(figure["figure"]) or 0.0) for s in steps)
            write_cell(sheet, row, position, value, f.get(_number_format(unit, change=True), True))
        row += 1
    for note in diff.notes:
        sheet.write_string(row + 1, 0, words.note(note), f.text)
        row += 1
    sheet.freeze_panes(1, len(headers))
    print_setup(sheet, pages_wide=max(1, math.ceil(len(figures) / 10)))
    page_footer(sheet, words)


def write_diff(diff, path: str | Path, *, lang: str = "zh+en") -> Path:
    """Write the diff workbook of ``diff`` (a :class:`carbon.diff.Diff`) to ``path`` (beside it, then renamed).

    Parameters
    ----------
    diff : carbon.diff.Diff
        What changed.
    path : str or Path
        The workbook to write (.xlsx).
    lang : {'zh+en', 'zh', 'en'}
        The language of headers and words (sheet names stay bilingual).

    Returns
    -------
    Path
        ``path``.
    """
    words = Words(lang)

    def write(temporary: str) -> None:
        book = xlsxwriter.Workbook(temporary, {**SAFE_TEXT, "nan_inf_to_errors": False})
        book.set_properties({"title": f"carbon diff {diff.a.get('path')} -> {diff.b.get('path')}"})
        f = Formats(book)
        _write_summary(book, f, diff, words)
        _write_causes(book, f, diff, words)
        _write_attribution(book, f, diff, words)
        book.get_worksheet_by_name(SUMMARY_SHEET).activate()
        book.close()

    return atomic_write(path, write)
