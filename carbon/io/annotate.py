"""Annotating a copy of the staff's own workbook: a problem list first, each problem cell highlighted, with its
message as a comment.

The copy opens on its first sheet, 问题清单 (problem list): one row per problem in reading order (sheet by
sheet in the template's order, then row and column: :func:`carbon.validation.problems.sort_problems`), with
severity, sheet, cell, the value found and the message in Chinese and English; each location is a link to its
cell. The tabs of the sheets with problems are coloured: red with an error, amber with warnings only. Every
text of the list is written as text, never as a formula (a value typed as ``=1+1`` stays ``=1+1``).

The input file is never modified: the copy is written next to its destination and renamed into place.
openpyxl keeps the cells, formats, data validations and comments; it drops text boxes and shapes, which a
park workbook does not need. Annotating an annotated copy replaces its problem list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from carbon.errors import CarbonError, bilingual
from carbon.io.excel import atomic_write, display_width
from carbon.validation.problems import FILE, Problem, sort_problems

__all__ = ["LIST_SHEET", "annotate_workbook", "sheet_link"]

#: The name of the problem list, the first sheet of the annotated copy.
LIST_SHEET = "问题清单"
_FILLS = {"error": PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C")}
_TABS = {"error": "C00000", "warning": "FFC000"}
_A1 = re.compile(r"^[A-Z]{1,3}[1-9][0-9]*$")
_ROW = re.compile(r"([1-9][0-9]*)$")
_SEVERITY = {"error": "错误 error", "warning": "警告 warning", "notice": "提示 notice"}
_HEADER = (
    "序号 no.",
    "严重程度 severity",
    "工作表 sheet",
    "单元格 cell",
    "值 value",
    "问题（中文）",
    "problem (English)",
)
_WIDTHS = (8, 14, 24, 10, 24, 50, 60)
_TITLE = "问题清单 problem list"


def sheet_link(sheet: str, cell: str = "A1") -> str:
    """The location of a cell for an internal link: ``'能源消费 energy'!B7`` (the name always quoted, its own
    apostrophes doubled)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def _text(value: object) -> str:
    """Text as a cell can hold it (characters XML does not allow removed)."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """Write ``value`` as text, never as a formula (nothing for empty text)."""
    text = _text(value)
    if not text:
        return
    cell = sheet.cell(row, column)
    cell.value = text
    cell.data_type = "s"  # openpyxl takes a string starting with '=' for a formula


def _target(problem: Problem) -> str:
    """The cell a problem's link goes to: its cell, the first cell of its row, or A1 of its sheet."""
    if _A1.match(problem.cell):
        return problem.cell
    row = problem.row or (int(m.group(1)) if (m := _ROW.search(problem.cell)) else None)
    return f"A{row}" if row else "A1"


def _remove_old_list(book: openpyxl.Workbook) -> str:
    """Remove the problem list of an earlier annotation; the name for the new list."""
    name, number = LIST_SHEET, 1
    while name in book.sheetnames:
        old = book[name]
        if str(old["A1"].value or "").startswith(_TITLE):
            book.remove(old)
            break
        number += 1
        name = f"{LIST_SHEET} ({number})"
    return name


def _write_list(book: openpyxl.Workbook, problems: list[Problem]) -> Worksheet:
    """The 问题清单 sheet, first in the book: title with the counts, header, one linked row per problem."""
    sheet = book.create_sheet(_remove_old_list(book), 0)
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    notices = len(problems) - errors - warnings
    _put(
        sheet,
        1,
        1,
        f"{_TITLE}：{errors} 个错误、{warnings} 个警告、{notices} 条提示 / {errors} error(s), {warnings} "
        f"warning(s), {notices} notice(s)。点击单元格位置跳转 / click a location to go to the cell",
    )
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(_HEADER))
    sheet["A1"].font = Font(bold=True, size=12)
    sheet["A1"].alignment = Alignment(vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 36
    _write_header(sheet)
    wrap = Alignment(vertical="top", wrap_text=True)
    link_font = Font(color="0563C1", underline="single")
    for number, problem in enumerate(problems, start=1):
        row = number + 2
        sheet.cell(row, 1, number)
        texts = (
            _SEVERITY.get(problem.severity, problem.severity),
            problem.sheet or FILE,
            problem.cell,
            problem.value,
            problem.message_zh,
            problem.message_en,
        )
        for position, text in enumerate(texts, start=2):
            _put(sheet, row, position, text)
        for position in range(1, len(_HEADER) + 1):
            sheet.cell(row, position).alignment = wrap
        if problem.severity in _FILLS:
            sheet.cell(row, 2).fill = _FILLS[problem.severity]
        if problem.sheet and problem.sheet in book.sheetnames:
            linked = sheet.cell(row, 4 if problem.cell else 3)
            linked.hyperlink = Hyperlink(ref=linked.coordinate, location=sheet_link(problem.sheet, _target(problem)))
            linked.font = link_font
        lines = max(
            math.ceil(display_width(str(text)) / max(width - 2, 1))
            for text, width in zip(("", *texts), _WIDTHS, strict=True)
        )
        sheet.row_dimensions[row].height = 15 * max(1, lines)
    _lay_out(sheet, len(problems))
    return sheet


def _write_header(sheet: Worksheet) -> None:
    thin = Side(style="thin", color="BFBFBF")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for position, text in enumerate(_HEADER, start=1):
        _put(sheet, 2, position, text)
        cell = sheet.cell(2, position)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def _lay_out(sheet: Worksheet, rows: int) -> None:
    """Widths, frozen title and header, a filter, and A4 landscape one page wide."""
    for position, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(position)].width = width
    sheet.freeze_panes = "A3"
    if rows:
        sheet.auto_filter.ref = f"A2:{openpyxl.utils.get_column_letter(len(_HEADER))}{rows + 2}"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _open_on(book: openpyxl.Workbook, first: Worksheet) -> None:
    """Make ``first`` the sheet the file opens on, and the only selected tab."""
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet is first
    book.active = book.worksheets.index(first)
    for view in book.views:
        view.activeTab = book.worksheets.index(first)
        view.firstSheet = 0


def _writable(sheet, ref: str):
    """The cell at ``ref``, or the first cell of the merged range it lies in (only that cell of a merged range
    holds a value, a fill and a comment)."""
    cell = sheet[ref]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if ref in merged:
                return sheet.cell(merged.min_row, merged.min_col)
    return cell


def annotate_workbook(source: str | Path, problems: Iterable[Problem], out: str | Path) -> tuple[Path, int]:
    """Write a copy of ``source`` to ``out`` that opens on a problem list (问题清单), with every error (red)
    and warning (yellow) cell marked and commented, and the tabs of sheets with problems coloured.

    Returns the path written and the number of cells marked. Problems without a cell (a missing column, say)
    are listed with their sheet only; those of a sheet the workbook lacks are listed without a link.
    """
    if Path(source).resolve() == Path(out).resolve():
        raise CarbonError(bilingual("标注文件不能覆盖原文件", "the annotated copy must not overwrite the input"))
    problems = sort_problems(problems)
    book = openpyxl.load_workbook(source)
    marked: dict[tuple[str, str], list[Problem]] = {}
    tabs: dict[str, str] = {}
    for problem in problems:
        if problem.severity not in _FILLS or problem.sheet not in book.sheetnames:
            continue
        if tabs.get(problem.sheet) != "error":
            tabs[problem.sheet] = problem.severity
        if problem.cell and _A1.match(problem.cell):
            marked.setdefault((problem.sheet, problem.cell), []).append(problem)
    for (sheet, ref), found in marked.items():
        cell = _writable(book[sheet], ref)
        severity = "error" if any(p.severity == "error" for p in found) else "warning"
        cell.fill = _FILLS[severity]
        text = "\n".join(f"[{p.severity}] {p.message_zh}\n{p.message_en}" for p in found)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n---\n{text}"
        comment = Comment(_text(text), "carbon validate")
        comment.width, comment.height = 320, 140
        cell.comment = comment
    for sheet, severity in tabs.items():
        book[sheet].sheet_properties.tabColor = _TABS[severity]
    _open_on(book, _write_list(book, problems))

    def save(path: str) -> None:
        book.save(path)

    return atomic_write(out, save), len(marked)
