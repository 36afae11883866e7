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

openpyxl builds an object for every cell it loads, every cell of a merged range and of a hyperlink range, and
every comment, so before it opens anything the file passes the reader's pre-flight
(:func:`carbon.io.xlsx_preflight.inspect_xlsx`) and a count of what openpyxl would build, bounded by
:data:`LIMITS` (peak memory stays well under 500 MB). Beyond :data:`LIMITS` ``listed`` problems the list stops
with a note, and beyond ``comments`` comments a problem cell is highlighted without one. Whatever openpyxl
cannot load or save is a :class:`~carbon.errors.WorkbookFormatError`, never a traceback.
"""

from __future__ import annotations

import math
import os
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from carbon.errors import CarbonError, WorkbookFormatError, bilingual
from carbon.io.excel import atomic_write, display_width
from carbon.io.xlsx_preflight import WorkbookInfo, inspect_xlsx
from carbon.validation.problems import FILE, Problem, sort_problems

__all__ = ["LIMITS", "LIST_SHEET", "annotate_workbook", "sheet_link"]

#: What an annotated copy may hold; openpyxl takes about 500 bytes per cell (loaded and saved) and 8 kB per
#: comment. ``cells``: cells, rows and the cells of merged and hyperlink ranges, all sheets together;
#: ``merged_cells``: the cells merged ranges cover (a park sheet merges a few header cells); ``comments``: the
#: comments the workbook holds (and at most as many are written: further problem cells are highlighted
#: only); ``rules``: data validations and conditional formatting rules; ``strings``: the entries of the
#: shared-strings table (openpyxl keeps each as a Python string: about 65 bytes and 10 µs each); ``bytes``: the
#: file's parts, uncompressed; ``listed``: the rows of the problem list.
LIMITS = {
    "cells": 400_000,
    "merged_cells": 100_000,
    "comments": 5_000,
    "rules": 10_000,
    "strings": 1_000_000,
    "bytes": 100 * 1024**2,
    "listed": 5_000,
}

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
    cut_zh = cut_en = ""
    if len(problems) > LIMITS["listed"]:  # a list as long as a sheet helps no one, and costs memory
        cut_zh = f"；仅列出前 {LIMITS['listed']:,} 条，改正后请再次检查"
        cut_en = f"; only the first {LIMITS['listed']:,} are listed: correct them and check again"
        problems = problems[: LIMITS["listed"]]
    _put(
        sheet,
        1,
        1,
        f"{_TITLE}：{errors} 个错误、{warnings} 个警告、{notices} 条提示{cut_zh} / {errors} error(s), {warnings} "
        f"warning(s), {notices} notice(s){cut_en}。点击单元格位置跳转 / click a location to go to the cell",
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


@dataclass
class _Census:
    """What openpyxl would build from a workbook: see :data:`LIMITS`."""

    cells: int = 0
    merged: int = 0
    widest: tuple[int, str, str] = (0, "", "")  # the merged range covering most cells: cells, sheet, ref
    comments: int = 0
    rules: int = 0


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _elements(handle) -> Iterator:
    """Each element of an XML part as it ends, then dropped from its parent: what is held stays the elements
    still open, however long the part."""
    from defusedxml.ElementTree import iterparse

    open_elements = []
    for event, element in iterparse(handle, events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            continue
        open_elements.pop()
        yield element
        if open_elements:
            open_elements[-1].remove(element)


def _span(ref: str | None, rows: int, columns: int) -> int:
    """The cells of a range such as ``A1:XFD1048576``; an open side (``A:A``, ``1:1``) reaches the sheet's edge."""
    try:
        first_column, first_row, last_column, last_row = range_boundaries(str(ref or ""))
    except (TypeError, ValueError):
        return 0  # not a range: openpyxl refuses it, and that refusal is reported
    width = (last_column or columns) - (first_column or 1) + 1
    height = (last_row or rows) - (first_row or 1) + 1
    return max(width, 0) * max(height, 0)


def _over(census: _Census) -> bool:
    return (
        census.cells > LIMITS["cells"]
        or census.merged > LIMITS["merged_cells"]
        or census.comments > LIMITS["comments"]
        or census.rules > LIMITS["rules"]
    )


def _count_sheet(archive: zipfile.ZipFile, name: str, part: str, extent: tuple[int, int], census: _Census) -> None:
    """Add what openpyxl builds from one worksheet: its cells and rows, the cells of its merged ranges and
    hyperlink ranges, its data validations and conditional formatting rules (stops once over a limit)."""
    with archive.open(part) as handle:
        for element in _elements(handle):
            tag = _local(element.tag)
            if tag in ("c", "row"):
                census.cells += 1
            elif tag == "mergeCell":
                ref = element.get("ref")
                cells = _span(ref, *extent)
                census.merged += cells
                census.cells += cells
                if cells > census.widest[0]:
                    census.widest = (cells, name, str(ref))
            elif tag == "hyperlink" and ":" in (element.get("ref") or ""):
                census.cells += _span(element.get("ref"), *extent)
            elif tag in ("dataValidation", "cfRule"):
                census.rules += 1
            else:
                continue
            if _over(census):
                return


def _relations(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str]]:
    """The (type, part) of each internal relationship of ``part``."""
    from defusedxml.ElementTree import fromstring

    folder = posixpath.dirname(part)
    rels = _rels_part(part)
    if rels not in archive.namelist():
        return []
    found = []
    for element in fromstring(archive.read(rels)):
        target = element.get("Target", "")
        if element.get("TargetMode") == "External" or not target:
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((element.get("Type", ""), resolved))
    return found


def _refuse(path: str, zh: str, en: str, code: str) -> WorkbookFormatError:
    return WorkbookFormatError(path, f"无法写出标注副本：{zh}", f"the annotated copy cannot be written: {en}", code)


def _rels_part(part: str) -> str:
    folder, file = posixpath.split(part)
    return posixpath.join(folder, "_rels", file + ".rels")


def _check_chart_sheets(path: str, archive: zipfile.ZipFile, info: WorkbookInfo) -> None:
    """A chart sheet without its relationships part (where its chart would be found; openpyxl cannot read it)
    is refused, named. A chart sheet with its chart, or with an empty relationships part, is kept as it is."""
    names = set(archive.namelist())
    for sheet in info.sheets:
        if "chartsheets/" in sheet.part and _rels_part(sheet.part) not in names:
            raise _refuse(
                path,
                f"图表工作表「{sheet.name}」没有图表（缺少其关系部件）；请删除该工作表，或在 Excel/WPS 中另存后重试",
                f"the chart sheet {sheet.name!r} has no chart (its relationships part is missing): delete the sheet, "
                "or save the file again in Excel or WPS, and retry",
                "chart_sheet_without_chart",
            )


def _census(path: str, info: WorkbookInfo) -> _Census:
    """Refuse, before openpyxl loads anything, a workbook above :data:`LIMITS` (see the module doc)."""
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(member.file_size for member in archive.infolist())
            if size > LIMITS["bytes"]:
                raise _refuse(
                    path,
                    f"文件解压后 {size / 1024**2:,.0f} MB，超出标注上限 {LIMITS['bytes'] / 1024**2:,.0f} MB",
                    f"the file holds {size / 1024**2:,.0f} MB uncompressed, above the limit of "
                    f"{LIMITS['bytes'] / 1024**2:,.0f} MB for an annotated copy",
                    "annotate_too_large",
                )
            _check_chart_sheets(path, archive, info)
            _check_strings(path, archive)
            census = _Census()
            for sheet in info.sheets:
                if "worksheets/" not in sheet.part or _over(census):
                    continue
                extent = (max(sheet.max_row, 1), max(sheet.max_column, 1))
                _count_sheet(archive, sheet.name, sheet.part, extent, census)
                for kind, part in _relations(archive, sheet.part):
                    if kind.endswith("/comments") and part in archive.namelist() and not _over(census):
                        with archive.open(part) as handle:
                            census.comments += sum(_local(e.tag) == "comment" for e in _elements(handle))
    except WorkbookFormatError:
        raise
    except Exception as exc:  # malformed XML, refused entities, a damaged zip: openpyxl would fail alike
        raise _refuse(
            path,
            f"文件结构无法解析（{type(exc).__name__}）",
            f"its structure cannot be parsed ({type(exc).__name__})",
            "damaged",
        ) from None
    _check_census(path, census)
    return census


_ENTRY = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?si[\s/>]")  # an entry's start tag, prefixed or not


def _entries(text: bytes) -> int:
    return len(_ENTRY.findall(text))


def _check_strings(path: str, archive: zipfile.ZipFile) -> None:
    """Count the shared strings (``<si>`` entries, prefixed or not), streamed and stopping past the limit,
    before openpyxl makes one Python string of each."""
    for member in archive.infolist():
        if not member.filename.lower().endswith("sharedstrings.xml"):
            continue
        entries, carry = 0, b""
        with archive.open(member) as handle:
            while chunk := handle.read(1 << 20):
                text = carry + chunk
                carry = text[-64:]  # a start tag cut by the chunk is counted with the next one
                entries += _entries(text) - _entries(carry)
                if entries > LIMITS["strings"]:
                    break
        entries += _entries(carry)
        if entries > LIMITS["strings"]:
            raise _refuse(
                path,
                f"共享字符串表超过 {LIMITS['strings']:,} 项（标注上限）",
                f"the shared-strings table holds more than {LIMITS['strings']:,} entries, the limit for an annotated "
                "copy",
                "too_many_strings",
            )


def _check_census(path: str, census: _Census) -> None:
    if census.merged > LIMITS["merged_cells"]:
        cells, sheet, ref = census.widest
        raise _refuse(
            path,
            f"工作表「{sheet}」的合并区域 {ref} 覆盖 {cells:,} 个单元格（合并单元格上限 {LIMITS['merged_cells']:,}）；"
            "请取消该合并后重试",
            f"the merged range {ref} of sheet {sheet!r} covers {cells:,} cells (the limit for merged cells is "
            f"{LIMITS['merged_cells']:,}): unmerge it and retry",
            "merged_too_large",
        )
    if census.cells > LIMITS["cells"]:
        raise _refuse(
            path,
            f"工作簿的单元格（含行、合并区域和超链接区域）超过 {LIMITS['cells']:,} 个；请删除数据区以外的单元格、"
            "格式和超链接，或将工作簿拆分后分别检查",
            f"the workbook holds more than {LIMITS['cells']:,} cells (rows and the cells of merged and hyperlink "
            "ranges included): delete the cells, formatting and links outside the data, or split the workbook",
            "too_many_cells",
        )
    if census.comments > LIMITS["comments"]:
        raise _refuse(
            path,
            f"工作簿有超过 {LIMITS['comments']:,} 条批注；请删除不需要的批注后重试",
            f"the workbook holds more than {LIMITS['comments']:,} comments: delete those not needed and retry",
            "too_many_comments",
        )
    if census.rules > LIMITS["rules"]:
        raise _refuse(
            path,
            f"工作簿有超过 {LIMITS['rules']:,} 条数据验证或条件格式规则；请删除不需要的规则后重试",
            f"the workbook holds more than {LIMITS['rules']:,} data validations or conditional formatting rules: "
            "delete those not needed and retry",
            "too_many_rules",
        )


def _load(path: str) -> openpyxl.Workbook:
    """openpyxl's reading of a workbook that passed the pre-flight and :func:`_census`; what it still cannot read
    is a located error."""
    try:
        return openpyxl.load_workbook(path)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl raises, the user gets one located line
        raise _refuse(
            path,
            f"openpyxl 无法读取该文件（{type(exc).__name__}）；请在 Excel/WPS 中另存为 .xlsx 后重试",
            f"openpyxl cannot read the file ({type(exc).__name__}): save it again as .xlsx in Excel or WPS and retry",
            "unreadable_for_annotation",
        ) from None


def _drop_empty_chart_sheets(book: openpyxl.Workbook) -> list[Problem]:
    """Leave out of the copy each chart sheet openpyxl found no chart in (it would write a reference to a
    drawing it does not write, a file Excel repairs); a notice in the list says so."""
    notes = []
    for chart_sheet in list(book.chartsheets):
        if not chart_sheet._charts:
            book.remove(chart_sheet)
            notes.append(
                Problem(
                    "notice",
                    chart_sheet.title,
                    "",
                    "",
                    "图表工作表中没有可读的图表，标注副本中已略去（原文件不变）",
                    "the chart sheet holds no chart that can be read; it is left out of the annotated copy (the "
                    "input is unchanged)",
                    "chart_sheet_dropped",
                )
            )
    return notes


def _check_arguments(source: object, problems: object, out: object) -> tuple[str, list[Problem], Path]:
    """The arguments as paths and a list of problems; anything else is refused in one line."""
    for argument, value in (("source", source), ("out", out)):
        if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
            raise CarbonError(
                bilingual(
                    f"{argument} 应为文件路径（str 或 Path），实为 {type(value).__name__}",
                    f"{argument} must be a file path (str or Path), not {type(value).__name__}",
                )
            )
    try:
        given = list(problems)  # type: ignore[call-overload]
    except TypeError:
        given = None
    if given is None or isinstance(problems, (str, bytes)) or not all(isinstance(p, Problem) for p in given):
        raise CarbonError(
            bilingual(
                "problems 应为 carbon.Problem 的序列（如 validate_workbook(...).problems）",
                "problems must be a sequence of carbon.Problem (such as validate_workbook(...).problems)",
            )
        )
    path, target = os.fspath(source), Path(out)
    if target.is_dir():
        raise CarbonError(
            bilingual(
                f"输出路径「{target}」是文件夹，请给出文件名",
                f"the output path {str(target)!r} is a folder: give a file name",
            )
        )
    if Path(path).resolve() == target.resolve() or (
        target.exists() and Path(path).exists() and os.path.samefile(path, target)
    ):
        raise CarbonError(bilingual("标注文件不能覆盖原文件", "the annotated copy must not overwrite the input"))
    return str(path), given, target


def annotate_workbook(source: str | Path, problems: Iterable[Problem], out: str | Path) -> tuple[Path, int]:
    """Write a copy of ``source`` to ``out`` that opens on a problem list (问题清单), with every error (red)
    and warning (yellow) cell marked and commented, and the tabs of sheets with problems coloured.

    Returns the path written and the number of cells marked. Problems without a cell (a missing column, say)
    are listed with their sheet only; those of a sheet the workbook lacks are listed without a link.

    Raises
    ------
    WorkbookFormatError
        ``source`` is not a workbook the reader takes (:func:`~carbon.io.xlsx_preflight.inspect_xlsx`), is
        above :data:`LIMITS` (``code`` ``merged_too_large``, ``too_many_cells``, ``too_many_comments``,
        ``too_many_rules``, ``annotate_too_large``), holds a chart sheet without its chart
        (``chart_sheet_without_chart``), or cannot be read or written by openpyxl (``unreadable_for_annotation``,
        ``unwritable_for_annotation``).
    CarbonError
        A path that is not a path, ``out`` a folder or the input itself, ``problems`` not a sequence of
        :class:`~carbon.Problem`.
    """
    path, given, target = _check_arguments(source, problems, out)
    census = _census(path, inspect_xlsx(path))
    book = _load(path)
    problems = sort_problems([*given, *_drop_empty_chart_sheets(book)])
    marked: dict[tuple[str, str], list[Problem]] = {}
    tabs: dict[str, str] = {}
    for problem in problems:
        if problem.severity not in _FILLS or problem.sheet not in book.sheetnames:
            continue
        if tabs.get(problem.sheet) != "error":
            tabs[problem.sheet] = problem.severity
        if problem.cell and _A1.match(problem.cell):
            marked.setdefault((problem.sheet, problem.cell), []).append(problem)
    room = LIMITS["comments"] - census.comments  # new comments written: the workbook's own count with them
    for (sheet, ref), found in marked.items():
        cell = _writable(book[sheet], ref)
        severity = "error" if any(p.severity == "error" for p in found) else "warning"
        cell.fill = _FILLS[severity]
        if cell.comment is None:
            if room <= 0:
                continue  # highlighted, and listed; no more comments
            room -= 1
        text = "\n".join(f"[{p.severity}] {p.message_zh}\n{p.message_en}" for p in found)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n---\n{text}"
        comment = Comment(_text(text), "carbon validate")
        comment.width, comment.height = 320, 140
        cell.comment = comment
    for sheet, severity in tabs.items():
        book[sheet].sheet_properties.tabColor = _TABS[severity]
    _open_on(book, _write_list(book, problems))

    def save(temporary: str) -> None:
        try:
            book.save(temporary)
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever openpyxl raises, the user gets one located line
            raise _refuse(
                path,
                f"openpyxl 无法写出该工作簿（{type(exc).__name__}）；请在 Excel/WPS 中另存为 .xlsx 后重试",
                f"openpyxl cannot write the workbook ({type(exc).__name__}): save it again as .xlsx in Excel or WPS "
                "and retry",
                "unwritable_for_annotation",
            ) from None

    return atomic_write(target, save), len(marked)
