"""Reading a park workbook (.xlsx) into a :class:`~carbon.ledger.Ledger`.

Sheets are found by name (Chinese, English or both, any order), the header row by its labels (within the
first ten rows), columns by their Chinese label or glossary name. Cell values come from python-calamine,
after the pre-flight of :mod:`carbon.io.xlsx_preflight` has refused oversized sheets and located formulas that
were never calculated. Every row is accounted for: read = accepted + rejected + blank.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from carbon.errors import WorkbookError, WorkbookFormatError
from carbon.io.xlsx_preflight import WorkbookInfo, inspect_xlsx
from carbon.ledger import Ledger
from carbon.schema.inputs import TABLES, Table, header_key
from carbon.validation.problems import Problem, ReadReport, column_letter
from carbon.validation.tables import RawTable, column_index, park_from_grid, table_keys, validate_raw_tables

__all__ = ["read_sheets", "read_workbook", "validate_workbook"]

#: Sheets of the template that hold no data.
HELPER_SHEETS = {
    header_key("填表说明 instructions"),
    header_key("填表说明"),
    header_key("instructions"),
    header_key("lists"),
    header_key("问题清单"),  # the problem list of an annotated copy (carbon.io.annotate.LIST_SHEET)
}
HEADER_SEARCH_ROWS = 10

#: The name of the last step reported to a ``progress`` callback: the checks of every table and rule.
CHECKING = "校验 checking"

Progress = Callable[[str, int, int], object]


def _match_sheets(info: WorkbookInfo, report: ReadReport) -> dict[str, str]:
    found: dict[str, str] = {}
    for sheet in info.sheets:
        key = header_key(sheet.name)
        match = next((t for t in TABLES if key in table_keys(t)), None)
        if match is None:
            if key not in HELPER_SHEETS:
                report.add(
                    Problem(
                        "notice",
                        sheet.name,
                        "",
                        "",
                        "不是台账表格，已忽略",
                        "not a ledger sheet; ignored",
                        "extra_sheet",
                    )
                )
            continue
        if match.name in found:
            report.add(
                Problem(
                    "error",
                    sheet.name,
                    "",
                    "",
                    f"与工作表「{found[match.name]}」重复（同为 {match.sheet}）",
                    f"a second sheet for {match.name} (also {found[match.name]!r})",
                    "duplicate_sheet",
                )
            )
            continue
        if sheet.hidden:
            report.add(
                Problem(
                    "warning",
                    sheet.name,
                    "",
                    "",
                    "该工作表在 Excel 中被隐藏，已照常读取",
                    "the sheet is hidden in Excel; it was read",
                    "hidden_sheet",
                )
            )
        found[match.name] = sheet.name
    _report_missing(found, report)
    return found


def _report_missing(found: dict[str, str], report: ReadReport) -> None:
    """A required table without its sheet is an error; any other is empty (a notice)."""
    for spec in TABLES:
        if spec.name in found:
            continue
        if spec.required:
            zh, en, severity = "缺少必需的工作表", "required sheet is missing", "error"
        else:
            zh, en, severity = "没有该工作表，按空表处理", "no such sheet; the table is empty", "notice"
        report.add(Problem(severity, spec.sheet, "", "", zh, en, "missing_sheet"))


def _blocked_cells(info: WorkbookInfo, sheets: dict[str, str], report: ReadReport) -> set[tuple[str, str]]:
    blocked: set[tuple[str, str]] = set()
    for sheet_name in sheets.values():
        sheet = info.sheet(sheet_name)
        for ref in sheet.uncalculated:
            blocked.add((sheet_name, ref))
            report.add(
                Problem(
                    "error",
                    sheet_name,
                    ref,
                    "",
                    "公式未经计算，没有数值；请在 Excel 或 WPS 中打开并保存该文件，或直接填写数值",
                    "a formula that was never calculated has no value; open and save the file in Excel or WPS, or type the value",
                    "uncalculated_formula",
                )
            )
        for ref, code in sheet.errors.items():
            blocked.add((sheet_name, ref))
            report.add(
                Problem(
                    "error",
                    sheet_name,
                    ref,
                    code,
                    f"单元格为错误值 {code}",
                    f"the cell holds the error value {code}",
                    "error_value",
                )
            )
        if sheet.hidden_rows:
            shown = sheet.hidden_rows[:20]
            report.add(
                Problem(
                    "warning",
                    sheet_name,
                    "",
                    "",
                    f"有 {len(sheet.hidden_rows)} 个隐藏行（{shown}），已照常读取",
                    f"{len(sheet.hidden_rows)} hidden row(s) ({shown}) were read",
                    "hidden_rows",
                )
            )
    return blocked


def _header_row(grid: np.ndarray, index: dict[str, str]) -> int | None:
    best, best_score = None, 0
    for row in range(min(HEADER_SEARCH_ROWS, len(grid))):
        score = sum(1 for value in grid[row] if header_key(value) in index)
        if score > best_score:
            best, best_score = row, score
    return best


def _blank_cells(values: np.ndarray) -> np.ndarray:
    """Which of ``values`` (cells as the reader returns them) are blank: an empty cell, None, NaN or text made only
    of blanks, as :func:`carbon.validation.cells.blank` decides (each distinct value checked once)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)  # True and 1.0 hash alike: neither is blank
    per_value = np.array([isinstance(v, str) and not v.strip() for v in distinct] + [True], dtype=bool)
    return per_value[np.where(codes >= 0, codes, len(distinct))]


def _blank_rows(body: np.ndarray) -> np.ndarray:
    """Which rows of a 2-D array of cells are blank in every column. A column is looked at only in the rows
    still blank in the columns before it, so a table of filled rows costs one column's check."""
    blank = np.ones(len(body), dtype=bool)
    for column in range(body.shape[1]):
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        blank[rows] = _blank_cells(body[rows, column])
    return blank


def _numbers_or_cells(values: np.ndarray) -> np.ndarray:
    """A column of cells as the checks take it: float64 (NaN where a cell is empty) when every cell is a number
    or empty, so that the parsers need not look at each cell; the cells as they are (objects) otherwise. A
    number is the same float either way, and an empty cell is blank either way: nothing typed is changed. A
    column of no cells at all (a table without rows) is float64 too: there is nothing to parse, and the
    parsers of numbers take it without their steps for text."""
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if kind in ("floating", "empty"):
        return values.astype(float)
    if kind != "mixed":  # text, dates, booleans ...
        return values
    empty = values == ""
    filled = values[~empty]
    if pd.api.types.infer_dtype(filled, skipna=False) != "floating":
        return values
    numbers = np.full(len(values), np.nan)
    numbers[~empty] = filled.astype(float)
    return numbers


def _read_table(spec: Table, sheet: str, grid: np.ndarray, report: ReadReport) -> RawTable | None:
    """The table of a sheet's grid of cells (a 2-D array of objects, row 0 the sheet's first row)."""
    index = column_index(spec)
    header = _header_row(grid, index)
    if header is None:
        report.add(
            Problem(
                "error",
                sheet,
                "",
                "",
                "找不到表头行（前 10 行中没有可识别的列名）",
                "no header row found (no known column names in the first 10 rows)",
                "no_header",
            )
        )
        return None
    positions: dict[str, int] = {}
    for position, value in enumerate(grid[header]):
        ref = f"{column_letter(position)}{header + 1}"
        if _blank_cells(np.array([value], dtype=object))[0]:
            continue
        name = index.get(header_key(value))
        if name is None:
            report.add(
                Problem(
                    "notice", sheet, ref, str(value), "不认识的列，已忽略", "unknown column; ignored", "extra_column"
                )
            )
        elif name in positions:
            report.add(
                Problem(
                    "error",
                    sheet,
                    ref,
                    str(value),
                    f"与 {column_letter(positions[name])} 列重复",
                    f"duplicate of column {column_letter(positions[name])}",
                    "duplicate_column",
                )
            )
        else:
            positions[name] = position
    # the table's columns, one a row of ``cut`` (each column's cells contiguous): a copy of the cells'
    # references, never of the cells, taken once
    cut = grid.T[list(positions.values()), header + 1 :]
    places = pd.RangeIndex(header + 1, len(grid))  # the rows' places in the sheet (0-based): the frame's index
    blank = _blank_rows(cut.T) if cut.size else np.zeros(0, dtype=bool)
    if blank.any():  # (a RangeIndex cut by a mask of none is itself again: nothing to cut)
        places, cut = places[~blank], cut.compress(~blank, axis=1)  # (each column contiguous still)
    data = pd.DataFrame(
        {
            name: pd.Series(column, index=places, dtype=object if column.dtype == object else None, copy=False)
            for name, cells in zip(positions, cut, strict=True)
            for column in [_numbers_or_cells(cells)]
        },
        index=places,
    )
    rows = pd.Series(places + 1, index=places)
    letters = {name: column_letter(position) for name, position in positions.items()}
    return RawTable(spec, sheet, data, rows, letters, blank_rows=int(blank.sum()), rows_read=len(grid) - header - 1)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused: a sheet's rows are one list each (100,000 new container objects for 100,000
    rows), none in a cycle, and freed as soon as they are stacked; collecting while they are built would
    traverse every object of the process again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _grid(book: CalamineWorkbook, name: str, path: str) -> np.ndarray:
    """A sheet's cells as a 2-D array of objects (as the reader returns them), row 0 the sheet's first row and
    column 0 its column A, whatever the cells' first row and column."""
    with _no_cycle_collection():
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types for damaged parts
            raise WorkbookFormatError(
                path,
                f"工作表「{name}」无法读取（{type(exc).__name__}）",
                f"sheet {name!r} cannot be read ({type(exc).__name__})",
                "damaged",
            ) from None
        grid = _stacked(rows)
        del rows  # freed while the collector is paused: it never sees them
    return grid


def _stacked(rows: list[list[object]]) -> np.ndarray:
    """Rows of cells as one 2-D array of objects. Rows of unequal length (never seen from the reader) are
    padded with None at their end."""
    widths = set(map(len, rows))
    width = max(widths, default=0)
    if len(widths) <= 1:  # the cells one after another into one array: twice as fast as assigning the rows
        cells = np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width)
        return cells.reshape(len(rows), width)
    grid = np.full((len(rows), width), None, dtype=object)
    for number, row in enumerate(rows):
        grid[number, : len(row)] = row
    return grid


def read_sheets(
    path: str | Path, report: ReadReport, *, progress: Progress | None = None
) -> tuple[dict[str, object] | None, dict[str, pd.DataFrame] | None]:
    """Read and validate a workbook; problems go to ``report``. Returns (park, tables) or (None, None).

    ``progress``, if given, is called as ``progress(step, done, total)`` before each ledger sheet is read (``step``
    its sheet name) and once before the checks (``step`` :data:`CHECKING`): ``total`` is the number of ledger
    sheets found plus one, ``done`` counts from 0. It is first called after the pre-flight of the file, and
    not at all for a file that is not a readable workbook."""
    name = str(path)
    info = inspect_xlsx(path)
    if info.macros:
        report.add(
            Problem(
                "warning",
                "",
                "",
                "",
                "启用宏的工作簿（.xlsm）：宏已忽略，从不运行",
                "macro-enabled workbook (.xlsm): its macros are ignored, never run",
                "macros",
            )
        )
    sheets = _match_sheets(info, report)
    blocked = _blocked_cells(info, sheets, report)
    try:
        book = CalamineWorkbook.from_path(name)
    except Exception as exc:
        raise WorkbookFormatError(
            name, f"无法打开（{type(exc).__name__}）", f"cannot be opened ({type(exc).__name__})", "damaged"
        ) from None
    raws: dict[str, RawTable] = {}
    unreadable: list[str] = []
    park = None
    done, total = 0, len(sheets) + 1
    for spec in TABLES:
        sheet = sheets.get(spec.name)
        if sheet is None:
            continue
        if progress is not None:
            progress(sheet, done, total)
        done += 1
        grid = _grid(book, sheet, name)
        if spec.key_value:
            park = park_from_grid(spec, sheet, pd.DataFrame(grid, dtype=object))
            continue
        raw = _read_table(spec, sheet, grid, report)
        if raw is not None:
            raws[spec.name] = raw
        else:
            unreadable.append(spec.name)
    if progress is not None:
        progress(CHECKING, done, total)
    return validate_raw_tables(raws, park, report, date1904=info.date1904, blocked=blocked, unreadable=unreadable)


def validate_workbook(path: str | Path, *, progress: Progress | None = None) -> ReadReport:
    """Check a workbook and return every problem found; never raises for problems in the file or its data.

    A file that is not a readable .xlsx workbook at all (empty, CSV, .xls, password-protected, damaged, above a
    :data:`~carbon.io.xlsx_preflight.LIMITS` limit, unsafe XML) gives one error whose ``code`` says which
    (``empty_file``, ``not_xlsx``, ``old_or_encrypted``, ``damaged``, ``zip_bomb``, ``too_large``,
    ``too_many_parts``, ``sheet_too_large``, ``sparse_sheet``, ``unsafe_xml``, ``not_found``), and
    ``report.readable`` is False. :func:`carbon.read_workbook` raises :class:`WorkbookFormatError` instead.

    ``progress``, if given, is called as ``progress(step, done, total)`` before each step (a progress bar):
    see :func:`read_sheets`.
    """
    report = ReadReport(str(path))
    try:
        read_sheets(path, report, progress=progress)
    except WorkbookFormatError as exc:
        report.add(Problem("error", exc.sheet, exc.cell, "", exc.message_zh, exc.message_en, exc.code))
        report.readable = False
    return report


def read_workbook(path: str | Path, *, progress: Progress | None = None) -> Ledger:
    """Read a park workbook (the template's format) into a :class:`Ledger`.

    Tolerant of what people do (headers in Chinese, English or both; sheets in any order; blank rows; stray
    spaces; numbers typed as text; Chinese units and dates), strict about what matters: every problem is
    collected, each with its sheet and cell.

    ``progress``, if given, is called as ``progress(step, done, total)`` before each sheet is read and once
    before the checks (a progress bar): see :func:`read_sheets`.

    Raises
    ------
    WorkbookError
        The workbook has errors; ``exc.report`` holds every located problem.
    WorkbookFormatError
        The file is not a readable .xlsx workbook.
    """
    report = ReadReport(str(path))
    facts, tables = read_sheets(path, report, progress=progress)
    if tables is None or facts is None:
        raise WorkbookError(report)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return Ledger(facts, tables, report, source=str(path), sha256=digest)
