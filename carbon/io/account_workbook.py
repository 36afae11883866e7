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
"""

from __future__ import annotations

import datetime as dt
import json
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook

from carbon._codes import categorical, encode
from carbon.account import AnnualAccount, Methods
from carbon.errors import AccountFormatError, bilingual
from carbon.io.account_sheets import (
    Formats,
    colour,
    not_printed,
    page_footer,
    read_input_tables,
    read_manifest,
    write_charts,
    write_manifest,
    write_summary,
)
from carbon.io.excel import SAFE_TEXT, atomic_write, column_writer, display_width, print_setup, write_cell
from carbon.io.trend_sheet import write_trend
from carbon.io.words import LANGS, Words, booleans
from carbon.io.xlsx_preflight import inspect_xlsx
from carbon.labels import codes
from carbon.schema.outputs import (
    AMOUNT,
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
    OutputColumn,
    OutputSheet,
    output_table,
    table_sheets,
)

__all__ = ["ROW_LIMIT", "account_frames", "read_account", "read_ledger", "write_account", "write_ledger"]

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


def _write_columns(book: xlsxwriter.Workbook, meta: list[tuple]) -> None:
    columns = book.add_worksheet(COLUMNS)
    for position, text in enumerate(("table", "sheet", "column", "dtype", "position", "sheet_column")):
        columns.write_string(0, position, text)
    for row, values in enumerate(meta, start=1):
        for position, value in enumerate(values):
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
    target = Path(path)
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
        write_manifest(book, f, account, created, words)
        _write_columns(book, meta)
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


def _read_sheet(book: CalamineWorkbook, path: Path, sheet: str, where: dict[str, object]) -> pd.DataFrame:
    """The rows of one table sheet (or its Parquet companion), total row left out, as text and numbers, with
    the columns ``where`` places on it (column -> its index on the sheet)."""
    kind = _KINDS.get(sheet)
    if sheet.startswith("file:"):
        frame = pd.read_parquet(path.with_name(sheet.removeprefix("file:"))).astype(object)
        stem = sheet.removesuffix(".parquet").rsplit(".", 1)[-1]
        kind = {s.key: s.kind for s in SHEETS if s.kind}.get(stem)
        return frame.assign(kind=kind) if kind and "kind" not in frame.columns else frame
    grid = _grid(book, sheet)
    body = grid[1:]
    while body and all(v in ("", None) for v in body[-1]):
        body = body[:-1]
    if sheet in _TOTALLED and body and body[-1] and body[-1][0] in _TOTALS:
        body = body[:-1]  # the total row: the last, on a sheet that has one (a row named 合计 above it is data)
    if all(i in ("", None) for i in where.values()):  # a ledger of the previous release: headers name the columns
        names = {str(h).split(" ")[-1]: i for i, h in enumerate(grid[0])} if grid else {}
        where = {c: names.get(c) for c in where}
    columns = {c: int(i) for c, i in where.items() if i != "" and i is not None}
    if not body:
        return pd.DataFrame(columns=list(columns) + (["kind"] if kind else []), dtype=object)
    width = max(columns.values(), default=-1) + 1
    body = [r + [""] * (width - len(r)) if len(r) < width else r for r in body]
    frame = pd.DataFrame({c: [r[i] for r in body] for c, i in columns.items()}, dtype=object)
    if kind and "kind" not in columns:
        frame["kind"] = kind
    return frame


def _read_tables(book: CalamineWorkbook, path: Path) -> dict[str, pd.DataFrame]:
    """Every table, its columns and dtypes restored from the hidden ``_columns`` sheet."""
    grid = _grid(book, COLUMNS)
    rows = [(list(r[:6]) + [None] * 6)[:6] for r in grid[1:]]  # the previous release wrote five columns
    meta = pd.DataFrame(rows, columns=["table", "sheet", "column", "dtype", "position", "where"])
    meta["position"] = meta["position"].astype(int)
    tables: dict[str, pd.DataFrame] = {}
    for table, spec in meta.groupby("table", sort=False):
        spec = spec.sort_values("position")
        order = spec.drop_duplicates("column")["column"].tolist()
        dtypes = dict(zip(spec["column"], spec["dtype"], strict=False))
        parts = [
            _read_sheet(book, path, sheet, dict(zip(rows["column"], rows["where"], strict=True)))
            for sheet, rows in spec.groupby("sheet", sort=False)
        ]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        frame = frame.reindex(columns=order)
        for column in order:
            frame[column] = _cast(_codes_of(frame[column], column, table, dtypes[column]), dtypes[column])
        if {"key", "level"} <= set(frame.columns):  # the park row's key is written as its label (园区)
            frame.loc[frame["level"] == "park", "key"] = "park"
        tables[table] = frame.reset_index(drop=True)
    return tables


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


def read_account(path: str | Path) -> AnnualAccount:
    """Read an account workbook written by :func:`write_account` back into an :class:`AnnualAccount`.

    Parameters
    ----------
    path : str or Path
        The workbook (its Parquet companions, if any, beside it).

    Returns
    -------
    AnnualAccount
        The tables equal the originals to float precision (dtypes restored from the hidden ``_columns``
        sheet; totals rows skipped); ``methods`` is the :class:`~carbon.account.Methods` recorded in the
        manifest; ``source`` carries the input file, its SHA-256 and the manifest digest.

    Raises
    ------
    AccountFormatError
        When the workbook is not such an account workbook.
    """
    info = inspect_xlsx(path)
    names = {s.name for s in info.sheets}
    if COLUMNS not in names or MANIFEST not in names:
        raise AccountFormatError(
            bilingual(
                f"{path} 不是 carbon 生成的碳账本（缺少 {COLUMNS} 或 {MANIFEST}）",
                f"{path} is not a carbon ledger workbook (no {COLUMNS} or {MANIFEST} sheet)",
            )
        )
    book = CalamineWorkbook.from_path(str(path))
    tables = _read_tables(book, Path(path))
    for spec in OUTPUTS:  # a table without columns (no projects and no boilers) has no row in _columns
        if spec.name not in OPTIONAL_TABLES:
            tables.setdefault(spec.name, pd.DataFrame())
    sections = read_manifest(_grid(book, MANIFEST))
    entries = {str(r[0]): r[1] for r in sections.get("manifest", [])}
    park = {str(r[0]): json.loads(r[1]) for r in sections.get("park", [])}
    if isinstance(park.get("sub_parks"), list):
        park["sub_parks"] = tuple(park["sub_parks"])
    source = {
        "path": str(entries.get("input_file", "")),
        "sha256": str(entries.get("input_sha256", "")),
        "manifest_digest": str(entries.get("manifest_digest", "")),
        "input_tables": read_input_tables(entries),
    }
    return AnnualAccount(
        year=int(entries["year"]),
        park=MappingProxyType(park),
        methods=_methods(entries),
        summary=MappingProxyType(_summary(sections.get("summary", []))),
        notes=tuple(str(r[0]) for r in sections.get("notes", [])),
        _tables=MappingProxyType(tables),
        source=MappingProxyType(source),
    )


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
