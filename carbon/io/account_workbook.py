"""The account workbook (碳账本): what a park hands in, and reading it back.

:func:`write_account` writes the summary, one sheet per account table and the run manifest, as
:data:`carbon.schema.outputs.SHEETS` lists them, in the staff's language (``lang``: labels for codes, headers
with units, notes; :mod:`carbon.io.words`), with thousands separators, fixed decimals, percentages, frozen
headers, fitted widths, wrapped long text, totals rows, green/red status cells, native Excel charts on the
summary sheet, an A4 print setup that keeps per-fact detail out of the print, and the run manifest (input
SHA-256, toolkit version, factor editions, method choices, time, and a digest of everything but the time).
Values are written, never formulas, and text from users is always text (xlsxwriter with
``strings_to_formulas`` off). A hidden sheet ``_columns`` records each table's columns, dtypes and places on
the sheets, so :func:`read_account` gives back the account's tables as they were, labels turned back into
codes (notes come back in the language they were written in).

The manifest also records a content digest (:func:`account_digest`: the year, park facts, method choices,
summary, notes, input record, factor editions and every table, numbers as the workbook gives them back), and
``_columns`` each column's part of it. :func:`read_account` recomputes it from what it reads and checks the rest
of what it does not read back (total rows, the cover, the chart data, the trend's grid, formulas, the sheets
there): ``source["verified"]`` says whether the workbook is as written, ``source["integrity"]`` where it is not.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook

from carbon._codes import categorical, encode
from carbon.account import AnnualAccount, Methods
from carbon.errors import AccountFormatError, WorkbookFormatError, bilingual, printable
from carbon.io.account_sheets import (
    SHORT,
    Formats,
    account_digest,
    canonical,
    colour,
    content_parts,
    digest_of,
    not_printed,
    page_footer,
    read_input_tables,
    read_manifest,
    write_charts,
    write_manifest,
    write_summary,
)
from carbon.io.excel import SAFE_TEXT, atomic_write, column_writer, display_width, output_path, print_setup, write_cell
from carbon.io.trend_sheet import write_trend
from carbon.io.words import LANGS, Words, booleans
from carbon.io.xlsx_preflight import inspect_xlsx
from carbon.labels import codes
from carbon.schema.outputs import (
    AMOUNT,
    CHART_DATA,
    COLUMNS,
    DATE,
    FLAG_COLOURS,
    FRACTION,
    MANIFEST,
    OPTIONAL_TABLES,
    OUTPUTS,
    SHEETS,
    SUMMARY,
    TOTAL,
    TREND_SHEET,
    OutputColumn,
    OutputSheet,
    output_table,
    table_sheets,
)
from carbon.validation.problems import column_letter

__all__ = [
    "ROW_LIMIT",
    "AccountIntegrityWarning",
    "Finding",
    "account_digest",
    "account_frames",
    "read_account",
    "read_ledger",
    "write_account",
    "write_ledger",
]

#: The widest a column is made (Excel character units); wider text wraps.
MAX_WIDTH = 56
#: Column width (Excel character units) printed across one A4 landscape page (at about 62 % scale, 10-point text as 6-point).
PAGE_WIDTH = 240
#: Columns whose labels wrap narrower than :data:`MAX_WIDTH` (an indicator's 中文 and English name).
WRAP_AT = {"indicator": 36}

#: A long table reports its progress every this many rows.
PROGRESS_ROWS = 50_000
#: Tables longer than this keep the default row height (their wrapped rows are not measured).
WRAP_ROWS = 20_000
#: Points per line of wrapped 10-point text.
LINE_HEIGHT = 12.75

#: The unit of a figure that is a fraction (0.277), shown as a percentage (27.7%).
FRACTION_UNIT = "fraction"
#: Units of counts, shown as whole numbers (20 个, not 20.0000 个).
COUNT_UNITS = frozenset({"个", "家", "台", "项", "张", "enterprises"})
#: Whole numbers with thousands separators.
COUNT = "#,##0"

#: A table with more rows than this goes to a Parquet file beside the workbook (Excel stops at 1,048,576 rows).
ROW_LIMIT = 1_000_000


# -- one table on its sheet ----------------------------------------------------------------------------------


@dataclass
class _Part:
    """What one sheet shows: the rows and columns of a table (``frame``, codes; ``shown``, the same with codes
    as words), its total row and its bold rows."""

    sheet: OutputSheet
    frame: pd.DataFrame
    totals: dict[str, float] | None
    bold: set[int]
    shown: pd.DataFrame | None = None

    def words(self, words: Words) -> pd.DataFrame:
        """The rows with every code as its label in ``words``' language (booleans as 是/否, the park row's key
        as 园区; an industry or sub-park named ``park`` stays itself)."""
        if self.shown is None:
            table = self.sheet.table
            self.shown = self.frame.assign(
                **{str(c): words.column(self.frame[c], str(c), table) for c in self.frame.columns}
            )
            if {"key", "level"} <= set(self.frame.columns):
                park = (self.frame["level"] == "park").to_numpy()
                self.shown["key"] = self.shown["key"].astype(object).where(~park, words.label("level", "park"))
        return self.shown


def _with_rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Intensities with the enterprises ranked by total tCO2 (1 = most); rows keep the account's order."""
    totals = frame["total_tco2"].where(frame["level"] == "enterprise")
    return frame.assign(rank=totals.rank(ascending=False, method="min").astype("Int64"))


def _part(sheet: OutputSheet, table: pd.DataFrame) -> _Part:
    frame = table
    if sheet.kind is not None:
        frame = frame[frame["kind"] == sheet.kind] if len(frame) else frame
        frame = frame.dropna(axis=1, how="all") if len(frame) else frame
        # the sheet is the kind: no column says it again (the reader restores it from the sheet)
        frame = frame.drop(columns="kind", errors="ignore")
    if sheet.table == "intensities":
        frame = _with_rank(frame)
    if sheet.lead:
        lead = [c for c in sheet.lead if c in frame.columns]
        frame = frame[lead + [c for c in frame.columns if c not in sheet.lead]]
    totals = None
    if sheet.totals is not None:
        totals = {c: frame[c].sum(skipna=c not in sheet.strict_totals) for c in sheet.totals if c in frame.columns}
    bold = {i for i, level in enumerate(frame["level"]) if level == "park"} if sheet.bold_park else set()
    return _Part(sheet, frame, totals, bold)


def _parts(account: AnnualAccount) -> list[_Part]:
    tables = account._tables  # read only: no copy of every table per sheet
    return [
        _part(sheet, tables[sheet.table])
        for sheet in table_sheets()
        if sheet.table in tables and (sheet.table not in OPTIONAL_TABLES or len(tables[sheet.table]))
    ]


def account_frames(account: AnnualAccount) -> list[tuple[str, pd.DataFrame]]:
    """The (sheet, table) pairs the account workbook writes, for benchmarks that write the same cells."""
    return [(part.sheet.name, part.frame) for part in _parts(account)]


def _num_format(column: OutputColumn | None, dtype: object) -> str | None:
    """The number format of a column of this dtype: none for text and booleans, dates as dates, numbers as
    the column's description says (a column described as text that holds numbers: :data:`AMOUNT`)."""
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return DATE
    if not pd.api.types.is_numeric_dtype(dtype):
        return None
    described = column.num_format if column is not None else None
    return described if described and described != DATE else AMOUNT


def _show(value: object) -> str:
    """A value as text, to measure the width of its column."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, (pd.Timestamp, dt.date)):
        return str(value)[:10]
    return str(value)


def _set_up_columns(
    sheet, f: Formats, table: str, frame: pd.DataFrame, shown: pd.DataFrame, words: Words
) -> tuple[list[str | None], list[float], list[bool]]:
    """Headers, widths and number formats of every column; returns the number formats, the widths and
    which columns wrap their text (text wider than a column may be: it would be cut off in print)."""
    spec = output_table(table)
    described = set(spec.names)
    numbers: list[str | None] = []
    widths: list[float] = []
    wrapped: list[bool] = []
    lines: list[int] = []
    for position, name in enumerate(frame.columns):
        column = spec.column(name) if name in described else None
        header = words.header(column) if column is not None else str(name)
        numbers.append(_num_format(column, frame[name].dtype))
        sample = [display_width(_show(v)) for v in shown[name].iloc[:300].tolist()]
        widest_line = max(display_width(line) for line in header.split("\n"))
        widest = max([widest_line * 0.6, *sample, 6]) + 2
        limit = WRAP_AT.get(name, MAX_WIDTH)
        width = min(max(widest, 8), limit)

        # a column in the other language only (name_en in a Chinese ledger) is kept, hidden
        other = {"zh": "_en", "en": "_zh"}.get(words.lang)
        hidden = other is not None and str(name).endswith(other)
        wrapped.append(widest > limit and numbers[-1] is None and not hidden)
        widths.append(0 if hidden else width)
        sheet.set_column(position, position, width, None, {"hidden": True} if hidden else None)
        sheet.write_string(0, position, header, f.header)
        lines.append(sum(math.ceil(display_width(line) / max(width - 1, 1)) for line in header.split("\n")))
    sheet.set_row(0, LINE_HEIGHT * max(lines, default=2) + 4)
    return numbers, widths, wrapped


def _per_row_unit(table: str, columns: list[str]) -> dict[int, int]:
    """Columns whose figures are in the unit another column of the row names (``unit``, ``gap_unit``):
    position -> the position of that column."""
    spec = output_table(table)
    described = set(spec.names)
    return {
        i: columns.index(spec.column(c).unit)
        for i, c in enumerate(columns)
        if c in described and spec.column(c).unit in ("unit", "gap_unit") and spec.column(c).unit in columns
    }


def _row_format(unit: object, number: str | None, level: bool) -> str | None:
    """The number format of a figure in a row's own unit: a fraction as a percentage, a count or a level
    (能效等级 2) as a whole number, else the column's."""
    if level or unit in COUNT_UNITS:
        return COUNT
    return FRACTION if unit == FRACTION_UNIT else number


def _row_heights(shown: pd.DataFrame, wrapped: list[bool], widths: list[float]) -> list[float | None]:
    """The height of each row whose wrapped text runs over more than one line (None: the default height).
    Set by the writer, since not every spreadsheet program fits rows to wrapped text when it opens a file."""
    positions = [i for i, wrap in enumerate(wrapped) if wrap]
    if not positions or len(shown) > WRAP_ROWS:
        return [None] * len(shown)
    lines = np.ones(len(shown))
    for i in positions:
        per_line = max(widths[i] - 2, 1)
        text = shown.iloc[:, i]
        counts = [math.ceil(display_width(str(v)) / per_line) if isinstance(v, str) else 1 for v in text]
        lines = np.maximum(lines, counts)
    return [LINE_HEIGHT * n + 3 if n > 1 else None for n in lines]


def _write_rows(
    sheet,
    f: Formats,
    part: _Part,
    shown: pd.DataFrame,
    numbers: list[str | None],
    wrapped: list[bool],
    widths: list[float],
    tick: Callable[[int], object] | None = None,
) -> None:
    """The cells, row by row (the order constant-memory mode needs), one writer per column; colours follow
    the codes, the cells show the words."""
    frame, bold_rows = part.frame, part.bold
    columns = list(frame.columns)
    coloured = [column == "status" or column in FLAG_COLOURS for column in columns]
    plain = [f.get(number, wrap=wrap) for number, wrap in zip(numbers, wrapped, strict=True)]
    writers = [column_writer(sheet, shown[column].dtype) for column in columns]
    # figures in the row's unit (indicators, targets): a fraction as a percentage, a count whole
    per_row = _per_row_unit(part.sheet.table, columns)
    # a threshold stated as a level (能效等级 <= 2) is a level, whatever the unit of the value
    comparison = columns.index("comparison") if "comparison" in columns else None
    special = any(coloured) or bool(per_row)
    codes = frame.itertuples(index=False, name=None) if special else None
    heights = _row_heights(shown, wrapped, widths)
    for row, values in enumerate(shown.itertuples(index=False, name=None), start=1):
        if tick is not None and row % PROGRESS_ROWS == 0:
            tick(row)
        if heights[row - 1] is not None:
            sheet.set_row(row, heights[row - 1])
        if row - 1 in bold_rows or special:
            bold = row - 1 in bold_rows
            raw = next(codes) if codes is not None else values
            is_level = comparison is not None and str(raw[comparison]).startswith("level")
            for position, value in enumerate(values):
                fill = colour(columns[position], raw[position]) if coloured[position] else None
                number = numbers[position]
                if position in per_row:
                    level = is_level and columns[position] == "threshold"
                    number = _row_format(raw[per_row[position]], number, level)
                fmt = (
                    f.get(number, bold, fill, wrapped[position])
                    if (bold or fill or number != numbers[position])
                    else plain[position]
                )
                writers[position](row, position, value, fmt)
        else:
            for position, value in enumerate(values):
                writers[position](row, position, value, plain[position])


def _write_totals(sheet, f: Formats, part: _Part, numbers: list[str | None], words: Words) -> None:
    row = len(part.frame) + 1
    sheet.write_string(row, 0, words.of(TOTAL), f.get(None, True))
    for position, column in enumerate(list(part.frame.columns)[1:], start=1):
        if column in part.totals:
            write_cell(sheet, row, position, part.totals[column], f.get(numbers[position], True))
        else:
            sheet.write_blank(row, position, None, f.get(None, True))


def _write_table(
    book: xlsxwriter.Workbook, f: Formats, part: _Part, words: Words, tick: Callable[[int], object] | None = None
) -> None:
    """One table on its sheet: headers, cells, a total row if the sheet has one, frozen header, filter."""
    sheet = book.add_worksheet(part.sheet.name)
    shown = part.words(words)
    numbers, widths, wrapped = _set_up_columns(sheet, f, part.sheet.table, part.frame, shown, words)
    _write_rows(sheet, f, part, shown, numbers, wrapped, widths, tick)
    if part.totals is not None:
        _write_totals(sheet, f, part, numbers, words)
    sheet.freeze_panes(1, 0)
    if len(part.frame):
        sheet.autofilter(0, 0, len(part.frame), len(part.frame.columns) - 1)
    print_setup(sheet, pages_wide=max(1, math.ceil(sum(widths) / PAGE_WIDTH)))
    page_footer(sheet, words)
    if not part.sheet.printed:
        not_printed(sheet, len(part.frame.columns), words)


def _write_companion(book: xlsxwriter.Workbook, f: Formats, sheet_name: str, frame: pd.DataFrame, path: Path) -> None:
    """A table too long for a worksheet: written to a Parquet file beside the workbook, the sheet says where."""
    atomic_write(path, lambda temporary: frame.to_parquet(temporary, index=False))
    sheet = book.add_worksheet(sheet_name)
    sheet.write_string(
        0,
        0,
        f"{len(frame):,} 行，超出本工作簿的行数上限，已写入同目录文件 / {len(frame):,} rows: beyond this workbook's row limit, written beside it to",
        f.subtitle,
    )
    sheet.write_string(1, 0, path.name, f.text)
    sheet.write_string(
        2,
        0,
        "用 pandas.read_parquet 或 carbon.read_account 读取 / read it with pandas.read_parquet or carbon.read_account",
        f.text,
    )
    sheet.write_string(4, 0, "列 columns: " + ", ".join(map(str, frame.columns)), f.text)
    sheet.set_column(0, 0, 120)
    print_setup(sheet, header_rows=0)


# -- the workbook --------------------------------------------------------------------------------------------


def _write_tables(
    book, f: Formats, account: AnnualAccount, target: Path, row_limit: int, words: Words, progress=None
) -> list[tuple]:
    """Every table sheet (or its Parquet companion); returns the rows of the hidden ``_columns`` sheet."""
    meta = []
    parts = _parts(account)
    for done, part in enumerate(parts):
        tick = None
        if progress is not None:
            progress(part.sheet.name, done, len(parts))
            rows = len(part.frame)

            def tick(row, name=part.sheet.name, done=done, rows=rows):
                progress(f"{name} {row:,}/{rows:,}", done, len(parts))

        location = part.sheet.name
        if part.sheet.table == "trend":  # the printed grid and charts first, the machine's rows after
            write_trend(book, f, part.frame, words)
        if len(part.frame) > row_limit:
            companion = target.with_name(f"{target.stem}.{part.sheet.key}.parquet")  # projects, boilers: one each
            _write_companion(book, f, part.sheet.name, part.frame, companion)
            location = f"file:{companion.name}"
        else:
            _write_table(book, f, part, words, tick)
        original = account._tables[part.sheet.table]  # read only: no copy of every table per sheet
        on_sheet = {column: index for index, column in enumerate(part.frame.columns)}
        for position, column in enumerate(original.columns):
            where = on_sheet.get(column, "") if not location.startswith("file:") else ""
            meta.append((part.sheet.table, location, column, _dtype(original[column]), position, where))
    return meta


#: The columns of the hidden ``_columns`` sheet (``digest``: the first characters of the column's part of the
#: content digest, :func:`carbon.io.account_sheets.content_parts`).
COLUMNS_HEADER = ("table", "sheet", "column", "dtype", "position", "sheet_column", "digest")


def _write_columns(book: xlsxwriter.Workbook, meta: list[tuple], parts: Mapping[str, str]) -> None:
    columns = book.add_worksheet(COLUMNS)
    for position, text in enumerate(COLUMNS_HEADER):
        columns.write_string(0, position, text)
    for row, values in enumerate(meta, start=1):
        digest = parts.get(f"column:{values[0]}:{values[2]}", "")[:SHORT]
        for position, value in enumerate((*values, digest)):
            write_cell(columns, row, position, value, None)
    columns.hide()


def write_account(
    account: AnnualAccount,
    path: str | Path,
    *,
    created: dt.datetime | None = None,
    row_limit: int = ROW_LIMIT,
    lang: str = "zh+en",
    progress: Callable[[str, int, int], object] | None = None,
) -> Path:
    """Write the account workbook (碳账本) of ``account`` to ``path`` (written beside it and renamed).

    Parameters
    ----------
    account : AnnualAccount
        The account to write.
    path : str or Path
        The workbook to write (.xlsx).
    created : datetime, optional
        The time recorded in the manifest and the document properties (default: now, UTC).
    row_limit : int
        A table longer than this (the emission facts of a province, say) is written to
        ``<workbook>.<table>.parquet`` beside the workbook and its sheet says so; :func:`read_account` reads
        it back.
    lang : {'zh+en', 'zh', 'en'}
        The language of headers, labels and notes: Chinese with English beside (default), Chinese, or
        English. Codes in the tables (``electricity``, ``completed``) are written as their labels (电力,
        已完成); :func:`read_account` turns them back. Sheet names stay bilingual.
    progress : callable, optional
        Called as ``progress(sheet, done, total)`` before each table sheet is written (a progress bar), and
        within a long table every 50,000 rows (``sheet`` then names the row reached).

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    Sheets, in order: :data:`carbon.schema.outputs.SHEETS` (the summary, one sheet per account table, the
    chart data, the run manifest and the hidden ``_columns``). Written in xlsxwriter's constant-memory mode.
    """
    target = output_path(path)
    words = Words(lang)
    created = created or dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def write(temporary: str) -> None:
        options = {**SAFE_TEXT, "nan_inf_to_errors": False, "constant_memory": True}
        book = xlsxwriter.Workbook(temporary, options)
        title = f"{account.park.get('name', '')} {account.year} 碳账本"
        book.set_properties({"title": title, "created": created})
        f = Formats(book)
        chart_row = write_summary(book, f, account, words)
        meta = _write_tables(book, f, account, target, row_limit, words, progress)
        write_charts(book, f, book.get_worksheet_by_name(SUMMARY), account, chart_row, words)
        parts = content_parts(account, words.lang)
        write_manifest(book, f, account, created, words, parts)
        _write_columns(book, meta, parts)
        book.get_worksheet_by_name(SUMMARY).activate()
        book.close()

    return atomic_write(path, write)


# -- reading -------------------------------------------------------------------------------------------------


def _dtype(values: pd.Series) -> str:
    """A column's dtype as ``_columns`` records it; ``object:bool`` for a column of booleans with blanks (the
    reductions' ``overdue``, blank for boilers), which the sheet shows as 是/否 like any boolean."""
    return "object:bool" if booleans(values) else str(values.dtype)


def _cast(values: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("datetime64"):
        return pd.to_datetime(values.replace("", None)).astype(dtype)
    if dtype.lower().startswith(("float", "int")):  # float64, int8, Int16, Int32, Int64...
        numeric = pd.to_numeric(values.replace("", None), errors="coerce")
        return numeric.astype(dtype)
    if dtype == "object:bool":
        return values.replace("", None).map(lambda v: bool(v) if isinstance(v, (bool, np.bool_)) else np.nan)
    if dtype in ("bool", "boolean"):
        cleaned = values.replace("", None)
        return cleaned.astype("boolean").astype(dtype) if dtype == "bool" else cleaned.astype("boolean")
    out = values.astype(object)
    out = out.where(out.ne("") & out.notna(), np.nan)
    if dtype in ("str", "string"):
        return out.astype(dtype)
    if dtype == "category":  # the per-fact tables: categories are the values that occur, sorted
        codes, distinct = encode(out.to_numpy(dtype=object))
        return pd.Series(categorical(codes, distinct), index=out.index)
    return out


def _grid(book: CalamineWorkbook, name: str) -> list[list[object]]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


_TOTALS = {Words(lang).of(TOTAL) for lang in LANGS}
#: Sheets that show one kind of rows of a table, by sheet name.
_KINDS = {sheet.name: sheet.kind for sheet in SHEETS if sheet.kind}
#: Sheets with a total row below their table.
_TOTALLED = {sheet.name for sheet in SHEETS if sheet.totals is not None}
#: The widest a sheet is (XFD): a place on ``_columns`` beyond it is not a place.
_MAX_COLUMN = 16_384


@dataclass
class _Sheet:
    """What one table sheet gave: its rows, and its total row (its values and its row number, 1-based)."""

    frame: pd.DataFrame
    total: list[object] | None = None
    total_row: int = 0
    others: dict[int, list[object]] = field(default_factory=dict)


def _read_sheet(book: CalamineWorkbook, path: Path, sheet: str, where: dict[str, object]) -> _Sheet:
    """The rows of one table sheet (or its Parquet companion), total row set apart, as text and numbers, with
    the columns ``where`` places on it (column -> its index on the sheet); no rows for a sheet not there."""
    kind = _KINDS.get(sheet)
    if sheet.startswith("file:"):
        frame = pd.read_parquet(path.with_name(sheet.removeprefix("file:"))).astype(object)
        stem = sheet.removesuffix(".parquet").rsplit(".", 1)[-1]
        kind = {s.key: s.kind for s in SHEETS if s.kind}.get(stem)
        return _Sheet(frame.assign(kind=kind) if kind and "kind" not in frame.columns else frame)
    grid = _grid(book, sheet) if sheet in book.sheet_names else []
    body = grid[1:]
    while body and all(v in ("", None) for v in body[-1]):
        body = body[:-1]
    total, total_row = None, 0
    if sheet in _TOTALLED and body and body[-1] and body[-1][0] in _TOTALS:
        total, total_row = body[-1], len(body) + 1  # the last row, on a sheet that has one (合计 above it is data)
        body = body[:-1]
    if all(i in ("", None) for i in where.values()):  # a ledger of the previous release: headers name the columns
        names = {str(h).split(" ")[-1]: i for i, h in enumerate(grid[0])} if grid else {}
        where = {c: names.get(c) for c in where}
    columns = {c: int(i) for c, i in where.items() if i != "" and i is not None}
    if any(not 0 <= i < _MAX_COLUMN for i in columns.values()):
        raise ValueError(f"a column placed outside a sheet: {columns}")
    if not body:
        return _Sheet(pd.DataFrame(columns=list(columns) + (["kind"] if kind else []), dtype=object), total, total_row)
    width = max(columns.values(), default=-1) + 1
    body = [r + [""] * (width - len(r)) if len(r) < width else r for r in body]
    frame = pd.DataFrame({c: [r[i] for r in body] for c, i in columns.items()}, dtype=object)
    if kind and "kind" not in columns:
        frame["kind"] = kind
    placed = set(columns.values())
    others = {i: [r[i] if i < len(r) else "" for r in body] for i in range(len(grid[0])) if i not in placed}
    return _Sheet(frame, total, total_row, others)


def _read_columns(book: CalamineWorkbook) -> pd.DataFrame:
    """The hidden ``_columns`` sheet: one row per table, sheet and column (``digest`` blank when not recorded)."""
    grid = _grid(book, COLUMNS)
    width = len(COLUMNS_HEADER)
    rows = [(list(r[:width]) + [None] * width)[:width] for r in grid[1:]]  # the previous release wrote five columns
    meta = pd.DataFrame(rows, columns=["table", "sheet", "column", "dtype", "position", "where", "digest"])
    meta["position"] = meta["position"].astype(int)
    meta["row"] = np.arange(2, len(meta) + 2)
    if (meta["position"] < 0).any() or not meta["table"].map(lambda v: isinstance(v, str) and v != "").all():
        raise ValueError("a row without a table or with a negative position")
    return meta


def _read_tables(book: CalamineWorkbook, path: Path, meta: pd.DataFrame) -> tuple[dict, dict[str, _Sheet]]:
    """Every table, its columns and dtypes restored from the hidden ``_columns`` sheet; and what each sheet gave."""
    tables: dict[str, pd.DataFrame] = {}
    sheets: dict[str, _Sheet] = {}
    for table, spec in meta.groupby("table", sort=False):
        spec = spec.sort_values("position")
        order = spec.drop_duplicates("column")["column"].tolist()
        dtypes = dict(zip(spec["column"], spec["dtype"], strict=False))
        parts = []
        for sheet, rows in spec.groupby("sheet", sort=False):
            sheets[sheet] = _read_sheet(book, path, sheet, dict(zip(rows["column"], rows["where"], strict=True)))
            parts.append(sheets[sheet].frame)
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        frame = frame.reindex(columns=order)
        for column in order:
            frame[column] = _cast(_codes_of(frame[column], column, table, dtypes[column]), dtypes[column])
        if {"key", "level"} <= set(frame.columns):  # the park row's key is written as its label (园区)
            frame.loc[frame["level"] == "park", "key"] = "park"
        tables[table] = frame.reset_index(drop=True)
    return tables, sheets


def _codes_of(values: pd.Series, column: str, table: str, dtype: str) -> pd.Series:
    """Labels written in any language back to the codes of the account (是/否 back to booleans)."""
    if dtype in ("bool", "boolean", "object:bool"):
        return codes(values.replace("", None), "bool")
    if dtype.lower().startswith(("float", "int", "datetime")):
        return values
    return codes(values, column, table)


def _summary(rows: list[list[object]]) -> dict[str, object]:
    summary: dict[str, object] = {}
    for key, value, kind, *_ in rows:
        if kind == "int":
            summary[key] = int(value)
        elif kind == "bool":
            summary[key] = bool(value)
        elif kind == "float":
            summary[key] = float("nan") if value == "" else float(value)
        else:
            summary[key] = value
    return summary


def _methods(entries: Mapping[str, object]) -> Methods:
    """The method choices recorded in the manifest (``method_*`` entries), validated again."""
    methods = {k.removeprefix("method_"): v for k, v in entries.items() if k.startswith("method_")}
    methods["non_co2"] = methods.get("non_co2") in (True, "True", "true", 1)
    return Methods.of(methods)


# -- is it as written ----------------------------------------------------------------------------------------


class AccountIntegrityWarning(UserWarning):
    """A 碳账本 read back that is not as carbon wrote it (each difference located), or that was written before
    carbon stored a content digest and so cannot be checked."""


@dataclass(frozen=True)
class Finding:
    """One way a 碳账本 read back differs from what was written: the sheet, the cell or column where it shows
    (blank when the whole sheet), and what differs in Chinese and English."""

    sheet: str
    cell: str
    zh: str
    en: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return printable(bilingual(f"「{where}」{self.zh}", f"{where}: {self.en}"))


#: At most this many differences are listed in a warning or an error (``source["integrity"]`` holds all).
SHOWN = 30


def _altered(path: str | Path, findings: list[Finding]) -> str:
    head = printable(
        bilingual(
            f"碳账本 {path} 与写出时不一致（{len(findings)} 处）",
            f"the account workbook {path} is not as written ({len(findings)} differences)",
        )
    )
    lines = [str(f) for f in findings[:SHOWN]]
    if len(findings) > SHOWN:
        lines.append(f"… (+{len(findings) - SHOWN})")
    return "\n".join([head, *lines])


def _manifest_cells(grid: list[list[object]]) -> dict[tuple[str, str], str]:
    """The cell of each entry of the manifest sheet, by (section, key): ``("summary", "total_tco2") -> "B40"``;
    ``(section, "")`` is the section's heading."""
    cells: dict[tuple[str, str], str] = {}
    current = None
    for number, row in enumerate(grid, start=1):
        first = row[0] if row else ""
        if isinstance(first, str) and first.startswith("[") and first.endswith("]"):
            current = first[1:-1]
            cells[(current, "")] = f"A{number}"
        elif first == "" or first is None:
            current = None
        elif current:
            cells.setdefault((current, str(first)), f"B{number}")
    return cells


def _derived_map(account: AnnualAccount, parts: list[_Part]) -> dict[tuple[str, str, str], tuple[str, int, object]]:
    """The ``_columns`` map the tables of ``account`` (shown as ``parts``) imply: (table, sheet, column) -> (dtype,
    position, place on the sheet), as :func:`write_account` writes it (every table on its sheet)."""
    out = {}
    for part in parts:
        original = account._tables[part.sheet.table]
        on_sheet = {column: index for index, column in enumerate(part.frame.columns)}
        for position, column in enumerate(original.columns):
            out[(part.sheet.table, part.sheet.name, str(column))] = (
                _dtype(original[column]),
                position,
                on_sheet.get(column, ""),
            )
    return out


def _place(value: object) -> object:
    """A place on ``_columns`` as read (3.0, "", None) as written (3 or blank)."""
    if value in ("", None) or (isinstance(value, float) and math.isnan(value)):
        return ""
    return int(value) if isinstance(value, (int, float)) and float(value).is_integer() else value


def _check_map(account: AnnualAccount, parts: list[_Part], meta: pd.DataFrame) -> list[Finding]:
    """``_columns`` against the map the tables read imply: each row placing a column elsewhere, giving another
    dtype or position, or naming a column the tables do not have; each column the map leaves out."""
    by_key = {s.key: s.name for s in SHEETS if s.table}
    derived = _derived_map(account, parts)
    findings = []
    seen = set()
    for row in meta.itertuples(index=False):
        sheet = str(row.sheet)
        in_file = sheet.startswith("file:")
        if in_file:
            sheet = by_key.get(sheet.removesuffix(".parquet").rsplit(".", 1)[-1], sheet)
        key = (str(row.table), sheet, str(row.column))
        seen.add(key)
        expected = derived.get(key)
        got = (str(row.dtype), int(row.position), "" if in_file else _place(row.where))
        if expected is not None and in_file:
            expected = (*expected[:2], "")
        if expected != got:
            what = "no such column" if expected is None else f"{got} where the table implies {expected}"
            findings.append(
                Finding(
                    COLUMNS,
                    f"A{row.row}",
                    f"表 {row.table} 的列 {row.column} 的记录与表不符（{got}，应为 {expected}）",
                    f"the row of table {row.table}, column {row.column}: {what}",
                )
            )
    for key in derived.keys() - seen:
        findings.append(
            Finding(
                COLUMNS,
                "",
                f"缺少表 {key[0]} 的列 {key[2]}（{key[1]}）",
                f"no row for table {key[0]}, column {key[2]} ({key[1]})",
            )
        )
    return findings


def _check_totals(parts: list[_Part], sheets: dict[str, _Sheet]) -> list[Finding]:
    """Each total row against the totals of the rows read (to 1e-9 relative): a total changed, a formula in it."""
    findings = []
    for part in parts:
        if part.totals is None or part.sheet.name not in sheets or part.sheet.name.startswith("file:"):
            continue
        read = sheets[part.sheet.name]
        if read.total is None:
            findings.append(Finding(part.sheet.name, "", "缺少合计行", "the total row is missing"))
            continue
        columns = list(part.frame.columns)
        for column, expected in part.totals.items():
            position = columns.index(column)
            got = read.total[position] if position < len(read.total) else ""
            cell = f"{column_letter(position)}{read.total_row}"
            blank = expected is None or (isinstance(expected, float) and math.isnan(expected))
            if blank and got in ("", None):
                continue
            values = pd.to_numeric(part.frame[column], errors="coerce").abs()
            tolerance = 1e-9 * (float(values.sum()) + 1.0)
            number = isinstance(got, (int, float)) and not isinstance(got, bool)
            if blank or not number or not math.isclose(float(got), float(expected), rel_tol=1e-9, abs_tol=tolerance):
                shown = "空白 blank" if got in ("", None) else printable(got)[:60]
                findings.append(
                    Finding(
                        part.sheet.name,
                        cell,
                        f"{column} 的合计为 {shown}，而各行之和为 {float(expected)!r}",
                        f"the total of {column} reads {shown}; its rows add up to {float(expected)!r}",
                    )
                )
    return findings


def _check_others(account: AnnualAccount, parts: list[_Part], sheets: dict[str, _Sheet]) -> list[Finding]:
    """The columns a sheet shows beside its table's (an enterprise's rank) against the same columns computed from
    the rows read."""
    findings = []
    for part in parts:
        read = sheets.get(part.sheet.name)
        if read is None:
            continue
        table = set(account._tables[part.sheet.table].columns)
        for position, column in enumerate(part.frame.columns):
            if column in table:
                continue
            got = read.others.get(position, [])
            expected = part.frame[column].tolist()
            rows = [
                i
                for i in range(max(len(got), len(expected)))
                if not _same(expected[i] if i < len(expected) else None, got[i] if i < len(got) else None)
            ]
            if rows:
                cells = ", ".join(f"{column_letter(position)}{i + 2}" for i in rows[:10])
                findings.append(
                    Finding(
                        part.sheet.name,
                        f"{column_letter(position)}{rows[0] + 2}",
                        f"{column} 与按各行算得的不同（{cells}）",
                        f"{column} differs from what the rows give ({cells})",
                    )
                )
    return findings


def _check_sheets(info, account: AnnualAccount, parts: list[_Part] | None, meta: pd.DataFrame) -> list[Finding]:
    """Sheets deleted or added, and ``_columns`` shown. The sheets written are those of the tables read (a table
    without columns, no projects and no boilers, has a sheet and no row in ``_columns``) and of ``_columns``."""
    present = [s.name for s in info.sheets]
    expected = {SUMMARY, CHART_DATA, MANIFEST, COLUMNS} | {part.sheet.name for part in parts or ()}
    by_key = {s.key: s.name for s in SHEETS if s.table}
    for sheet in {str(s) for s in meta["sheet"]}:  # a table in a Parquet file beside: its sheet says where
        expected.add(
            by_key.get(sheet.removesuffix(".parquet").rsplit(".", 1)[-1], sheet) if sheet.startswith("file:") else sheet
        )
    if len(account._tables.get("trend", ())):
        expected.add(TREND_SHEET)
    findings = [
        Finding(name, "", "工作表已被删除", "the sheet has been deleted") for name in sorted(expected - set(present))
    ]
    findings += [
        Finding(name, "", "工作表不是 carbon 写出的（系后来添加）", "the sheet was not written by carbon (added later)")
        for name in present
        if name not in expected
    ]
    if any(s.name == COLUMNS and not s.hidden for s in info.sheets):
        findings.append(Finding(COLUMNS, "", "隐藏工作表已被取消隐藏", "the hidden sheet has been unhidden"))
    return findings


def _check_parts(
    account: AnnualAccount, meta: pd.DataFrame, entries: Mapping[str, object], grid: list[list[object]]
) -> list[Finding]:
    """The content digest recomputed from what was read against the one stored, each part that differs located."""
    parts = content_parts(account)
    try:
        stored = json.loads(str(entries.get("content_parts") or "{}"))
    except ValueError:
        stored = {}
    cells = _manifest_cells(grid)
    findings = []

    def manifest(section: str, key: str, zh: str, en: str) -> None:
        findings.append(Finding(MANIFEST, cells.get((section, key), cells.get((section, ""), "")), zh, en))

    for row in meta.itertuples(index=False):
        name = f"column:{row.table}:{row.column}"
        digest = str(row.digest or "")
        if digest and parts.get(name, "")[:SHORT] != digest and not str(row.sheet).startswith("file:"):
            place = _place(row.where)
            cell = f"{column_letter(place)}:{column_letter(place)}" if isinstance(place, int) else ""
            findings.append(
                Finding(
                    str(row.sheet),
                    cell,
                    f"列 {row.column} 的数值与写出时不同",
                    f"the values of column {row.column} differ from what was written",
                )
            )
        elif digest and parts.get(name, "")[:SHORT] != digest:
            findings.append(
                Finding(
                    str(row.sheet),
                    "",
                    f"列 {row.column} 的数值与写出时不同",
                    f"column {row.column} differs from what was written",
                )
            )
    labels = {
        "park": ("park", "园区信息", "the park fact"),
        "methods": ("manifest", "方法选择", "the method choice"),
        "summary": ("summary", "汇总数字", "the summary figure"),
    }
    for name, digest in stored.items():
        if parts.get(name, "")[:SHORT] == digest:
            continue
        group, _, key = name.partition(":")
        if group in labels:
            section, zh, en = labels[group]
            entry = f"method_{key}" if group == "methods" else key
            manifest(section, entry, f"{zh} {key} 与写出时不同", f"{en} {key} differs from what was written")
        elif group == "keys":
            section = labels.get(key, ("manifest",))[0]
            manifest(
                section, "", f"[{key}] 的项与写出时不同（有增删）", f"the entries of [{key}] differ (added or removed)"
            )
        elif group == "table":
            sheets = sorted({str(s) for s in meta.loc[meta["table"] == key, "sheet"]}) or [COLUMNS]
            for sheet in sheets:
                findings.append(
                    Finding(
                        sheet,
                        "",
                        f"表 {key} 的行数、列或类型与写出时不同",
                        f"the rows, columns or dtypes of table {key} differ",
                    )
                )
        elif group == "notes":
            manifest("notes", "", "说明与写出时不同", "the notes differ from what was written")
        elif group == "source":
            manifest(
                "manifest",
                "input_file",
                "输入文件的记录与写出时不同",
                "the record of the input differs from what was written",
            )
        elif group == "factor_files":
            manifest(
                "manifest", "factor_files", "因子版本与写出时不同", "the factor editions differ from what was written"
            )
        else:
            manifest("manifest", "year", f"{name} 与写出时不同", f"{name} differs from what was written")
    for name in parts.keys() - stored.keys():
        if not name.startswith(("column:", "table:")) and stored:
            group, _, key = name.partition(":")
            section = labels.get(group, ("manifest",))[0]
            manifest(section, "", f"多出 {name}", f"{name} was not written")
    if not findings and digest_of(parts) != str(entries.get("content_digest")):
        manifest(
            "manifest",
            "content_digest",
            "内容摘要与内容不符（摘要或其分项记录已被改动）",
            "the content digest does not match the content (the digest or its parts have been altered)",
        )
    return findings


class _Cells:
    """A worksheet that keeps the values written to it, by (row, column), and ignores the rest (formats, widths,
    charts, print setup): what a sheet shows, rendered again to compare with what a 碳账本 holds."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], object] = {}

    def _put(self, row: int, column: int, value: object, *_: object) -> None:
        self.cells[(row, column)] = value

    write_string = write_number = write_boolean = write_datetime = write = _put

    def write_blank(self, row: int, column: int, *_: object) -> None:
        self.cells[(row, column)] = None

    def merge_range(self, row: int, column: int, last_row: int, last_column: int, value: object, *_: object) -> None:
        self.cells[(row, column)] = value

    def __getattr__(self, name: str):
        return lambda *args, **options: None


class _Book:
    """A workbook that makes :class:`_Cells` sheets (and formats and charts that are nothing)."""

    def __init__(self) -> None:
        self.sheets: dict[str, _Cells] = {}

    def add_worksheet(self, name: str) -> _Cells:
        self.sheets[name] = _Cells()
        return self.sheets[name]

    def get_worksheet_by_name(self, name: str) -> _Cells | None:
        return self.sheets.get(name)

    def __getattr__(self, name: str):
        return lambda *args, **options: _Cells()


def _same(expected: object, got: object) -> bool:
    """A value shown against the one rendered again: text exactly, numbers to 1e-9 relative (a figure the sheet
    computes, a sum, from numbers read back is not bit for bit the figure written), blanks alike."""
    a, b = canonical(expected), canonical(got)
    if a == b:
        return True
    if a.startswith("n") and b.startswith("n"):
        return math.isclose(float(a[1:]), float(b[1:]), rel_tol=1e-9, abs_tol=1e-9)
    return False


def _check_shown(book: CalamineWorkbook, account: AnnualAccount, entries: Mapping[str, object]) -> list[Finding]:
    """The sheets that show figures but are not read back (the cover, the chart data, the trend's grid) against the
    same sheets rendered again from the account read: a figure changed on them, located."""
    lang = str(entries.get("language") or "zh+en")
    words = Words(lang if lang in LANGS else "zh+en")
    again = _Book()
    f = Formats(again)
    chart_row = write_summary(again, f, account, words)
    if len(account._tables.get("trend", ())):
        write_trend(again, f, account._tables["trend"], words)
    write_charts(again, f, again.sheets[SUMMARY], account, chart_row, words)
    findings = []
    for name, sheet in again.sheets.items():
        if name not in book.sheet_names:
            continue
        grid = _grid(book, name)
        shown = {(r, c): v for r, row in enumerate(grid) for c, v in enumerate(row) if v not in ("", None)}
        differ = []
        for place in sorted(sheet.cells.keys() | shown.keys()):
            expected, got = sheet.cells.get(place), shown.get(place)
            if not _same(expected, got):
                differ.append((place, expected, got))
        for (r, c), expected, got in differ[:SHOWN]:
            text = "空白 blank" if got in ("", None) else printable(got)[:60]
            wanted = "空白 blank" if expected in ("", None) else printable(expected)[:60]
            findings.append(
                Finding(
                    name,
                    f"{column_letter(c)}{r + 1}",
                    f"显示 {text}，按账本数据应为 {wanted}",
                    f"shows {text}; the account read gives {wanted}",
                )
            )
    return findings


def _check_headers(
    book: CalamineWorkbook, parts: list[_Part], sheets: dict[str, _Sheet], entries: Mapping[str, object]
) -> list[Finding]:
    """Each table sheet's header row against the headers its columns are written with: a header renamed (a unit
    changed from tCO2 to ktCO2) changes what a reader takes a figure for without changing the figure."""
    lang = str(entries.get("language") or "zh+en")
    words = Words(lang if lang in LANGS else "zh+en")
    findings = []
    for part in parts:
        name = part.sheet.name
        if name not in sheets or name not in book.sheet_names:  # a table in a Parquet file: no header to read
            continue
        grid = _grid(book, name)
        if not grid:
            continue
        spec = output_table(part.sheet.table)
        for position, column in enumerate(part.frame.columns):
            expected = words.header(spec.column(column)) if column in set(spec.names) else str(column)
            got = grid[0][position] if position < len(grid[0]) else ""
            if str(got) != expected:
                got, expected = (printable(str(v).replace("\n", " "))[:60] for v in (got, expected))
                findings.append(
                    Finding(
                        name,
                        f"{column_letter(position)}1",
                        f"表头为 {got}，应为 {expected}",
                        f"the header reads {got}; it was written {expected}",
                    )
                )
    return findings


def _unchecked(sheet: str, zh: str, en: str, exc: Exception) -> Finding:
    why = f"{type(exc).__name__}: {printable(exc)[:120]}"
    return Finding(sheet, "", f"{zh}（{why}）", f"{en} ({why})")


def _check(
    info,
    book: CalamineWorkbook,
    account: AnnualAccount,
    meta: pd.DataFrame,
    sheets: dict[str, _Sheet],
    entries: Mapping[str, object],
    grid: list[list[object]],
) -> list[Finding]:
    """Every way the 碳账本 read differs from what carbon wrote, located. A check that cannot be made on what was
    read (a table so altered that its sheet cannot be laid out again) is itself a difference."""
    try:
        parts = _parts(account)
    except Exception as exc:
        parts = None
        failed = _unchecked(COLUMNS, "各表无法按工作表重排", "the tables cannot be laid out on their sheets", exc)
    findings = _check_sheets(info, account, parts, meta)
    if parts is None:
        findings.append(failed)
    findings.extend(_formulas(info))
    checks = (
        [
            (COLUMNS, lambda: _check_map(account, parts, meta)),
            (COLUMNS, lambda: _check_totals(parts, sheets)),
            (COLUMNS, lambda: _check_others(account, parts, sheets)),
            (COLUMNS, lambda: _check_headers(book, parts, sheets, entries)),
        ]
        if parts is not None
        else []
    )
    checks += [
        (MANIFEST, lambda: _check_parts(account, meta, entries, grid)),
        (SUMMARY, lambda: _check_shown(book, account, entries)),
    ]
    for sheet, check in checks:
        try:
            findings += check()
        except Exception as exc:
            findings.append(_unchecked(sheet, "无法核对", "cannot be checked", exc))
    gone = {f.sheet for f in findings if not f.cell and f.en == "the sheet has been deleted"}
    return [f for f in findings if f.sheet not in gone or f.en == "the sheet has been deleted"]


def _not_readable(path: str | Path, what_zh: str, what_en: str, exc: BaseException | None = None) -> AccountFormatError:
    """The error for a 碳账本 that cannot be read back: what could not be read, and why where an error says."""
    why = f"（{type(exc).__name__}: {printable(exc)[:200]}）" if exc is not None else ""
    why_en = f" ({type(exc).__name__}: {printable(exc)[:200]})" if exc is not None else ""
    return AccountFormatError(
        bilingual(
            f"无法读取碳账本 {printable(path)}：{what_zh}{why}",
            f"cannot read the account workbook {printable(path)}: {what_en}{why_en}",
        )
    )


def _formulas(info) -> list[Finding]:
    """A finding per sheet holding a formula: carbon writes values only, so any formula is an alteration."""
    findings = []
    for sheet in (s for s in info.sheets if s.formulas):
        refs, count = sheet.formulas, sheet.formula_count
        shown = ", ".join(refs[:10]) + (f", … (+{count - 10})" if count > 10 else "")
        findings.append(
            Finding(
                sheet.name,
                refs[0],
                f"含公式（{shown}）：carbon 只写数值",
                f"holds formulas ({shown}): carbon writes values only",
            )
        )
    return findings


def read_account(path: str | Path, *, strict: bool = False) -> AnnualAccount:
    """Read an account workbook written by :func:`write_account` back into an :class:`AnnualAccount`, and check
    that it is as written.

    Parameters
    ----------
    path : str or Path
        The workbook (its Parquet companions, if any, beside it).
    strict : bool
        Raise :class:`~carbon.errors.AccountFormatError` when the workbook is not as written, or cannot be
        checked (it holds no content digest), instead of warning.

    Returns
    -------
    AnnualAccount
        The tables equal the originals to float precision (dtypes restored from the hidden ``_columns``
        sheet; totals rows skipped); ``methods`` is the :class:`~carbon.account.Methods` recorded in the
        manifest; ``source`` carries the input file, its SHA-256, the manifest digest, the factor editions
        recorded, the stored ``content_digest``, ``verified`` and ``integrity``.

    Notes
    -----
    ``source["verified"]`` says whether the workbook is as written: True when the content digest recomputed
    from what was read (:func:`account_digest`) is the one stored and nothing else was found; False when
    anything differs; None when the workbook was written before carbon stored a content digest (it is read,
    with an :class:`AccountIntegrityWarning` saying it cannot be checked). ``source["integrity"]`` lists what
    differs, each located (sheet, cell or column): a figure of any table or of the manifest's summary, park
    facts, method choices, notes, input record or factor editions; a total row that is not its column's total
    (to 1e-9 relative: the total of the numbers read back is not bit for bit the total written); any formula
    (carbon writes values only); a sheet deleted or added; ``_columns`` shown or placing a column elsewhere
    than its table implies. When ``verified`` is False an :class:`AccountIntegrityWarning` names them all.

    Raises
    ------
    AccountFormatError
        When the workbook is not such an account workbook, is damaged or cannot be read back (a truncated
        file, a ``_columns`` sheet that is no map of columns, a manifest entry that is not what it records);
        with ``strict``, when it is not as written or holds no content digest.
    """
    try:
        info = inspect_xlsx(path)
    except WorkbookFormatError as exc:
        raise AccountFormatError(
            bilingual(
                f"{printable(exc.path)} 不是可读的碳账本：{exc.message_zh}",
                f"{printable(exc.path)} is not a readable account workbook: {exc.message_en}",
            )
        ) from None
    names = {s.name for s in info.sheets}
    if COLUMNS not in names or MANIFEST not in names:
        raise AccountFormatError(
            bilingual(
                f"{printable(path)} 不是 carbon 生成的碳账本（缺少 {COLUMNS} 或 {MANIFEST}）",
                f"{printable(path)} is not a carbon ledger workbook (no {COLUMNS} or {MANIFEST} sheet)",
            )
        )
    try:
        book = CalamineWorkbook.from_path(str(path))
        manifest_grid = _grid(book, MANIFEST)
    except Exception as exc:  # python-calamine's errors: a damaged part
        raise _not_readable(path, "文件已损坏", "the file is damaged", exc) from None
    try:
        meta = _read_columns(book)
    except Exception as exc:
        raise _not_readable(
            path, f"隐藏工作表 {COLUMNS} 不是列的对照表", f"the hidden sheet {COLUMNS} is no map of columns", exc
        ) from None
    try:
        tables, sheets = _read_tables(book, Path(path), meta)
    except Exception as exc:
        raise _not_readable(
            path, f"按 {COLUMNS} 无法读回各表", f"the tables cannot be read back by the map of {COLUMNS}", exc
        ) from None
    for spec in OUTPUTS:  # a table without columns (no projects and no boilers) has no row in _columns
        if spec.name not in OPTIONAL_TABLES:
            tables.setdefault(spec.name, pd.DataFrame())
    sections = read_manifest(manifest_grid)
    entries = {str(r[0]): r[1] for r in sections.get("manifest", [])}
    try:
        park = {str(r[0]): json.loads(r[1]) for r in sections.get("park", [])}
        if isinstance(park.get("sub_parks"), list):
            park["sub_parks"] = tuple(park["sub_parks"])
        year = int(entries["year"])
        methods = _methods(entries)
        summary = _summary(sections.get("summary", []))
        input_tables = read_input_tables(entries)
    except Exception as exc:
        raise _not_readable(
            path, f"「{MANIFEST}」的内容无法读回", f"the sheet {MANIFEST!r} cannot be read back", exc
        ) from None
    source: dict[str, object] = {
        "path": str(entries.get("input_file", "")),
        "sha256": str(entries.get("input_sha256", "")),
        "manifest_digest": str(entries.get("manifest_digest", "")),
        "input_tables": input_tables,
    }
    for key in ("factor_files", "language"):
        if key in entries:
            source[key] = str(entries[key])
    account = AnnualAccount(
        year=year,
        park=MappingProxyType(park),
        methods=methods,
        summary=MappingProxyType(summary),
        notes=tuple(str(r[0]) for r in sections.get("notes", [])),
        _tables=MappingProxyType(tables),
        source=MappingProxyType(source),
    )
    stored = str(entries.get("content_digest", "") or "")
    findings: list[Finding] = []
    if stored:
        findings = _check(info, book, account, meta, sheets, entries, manifest_grid)
    else:
        findings = _formulas(info)  # what needs no digest is checked all the same
        if meta["digest"].map(lambda v: v not in ("", None)).any():
            findings.append(
                Finding(
                    MANIFEST,
                    "",
                    f"内容摘要已被删除（{COLUMNS} 仍记有各列的摘要）",
                    f"the content digest has been removed ({COLUMNS} still holds each column's digest)",
                )
            )
    verified = False if findings else (True if stored else None)
    source["content_digest"] = stored
    source["verified"] = verified
    source["integrity"] = tuple(str(f) for f in findings)
    if findings:
        message = _altered(path, findings)
        if strict:
            raise AccountFormatError(message)
        warnings.warn(message, AccountIntegrityWarning, stacklevel=2)
    elif verified is None:
        message = bilingual(
            f"碳账本 {printable(path)} 没有内容摘要（较早版本写出，或摘要被删去），无法核对是否与写出时一致",
            f"the account workbook {printable(path)} holds no content digest (written by an earlier release, or the "
            "digest removed): whether it is as written cannot be checked",
        )
        if strict:
            raise AccountFormatError(message)
        warnings.warn(message, AccountIntegrityWarning, stacklevel=2)
    return account


# -- the names of the previous release -----------------------------------------------------------------------


def write_ledger(account: AnnualAccount, path: str | Path, **options) -> Path:
    """Deprecated: :func:`write_account` (the output workbook is the account workbook; a Ledger is the input)."""
    warnings.warn(
        "write_ledger is now carbon.io.account_workbook.write_account (or account.to_excel)",
        DeprecationWarning,
        stacklevel=2,
    )
    return write_account(account, path, **options)


def read_ledger(path: str | Path) -> AnnualAccount:
    """Deprecated: :func:`read_account` (the output workbook is the account workbook; a Ledger is the input)."""
    warnings.warn(
        "read_ledger is now carbon.read_account (carbon.io.account_workbook.read_account)",
        DeprecationWarning,
        stacklevel=2,
    )
    return read_account(path)
