"""Validation of the ledger tables, whatever file they came from: every problem collected, each at its cell.

The input is one :class:`RawTable` per table (raw cell values under the glossary column names, with the
Excel row number of every row and the letter of every column) and the raw park facts. The output is the
typed tables, or None when any error was found; the report always says what happened to every row.

Order of work: per column, parse (tolerant, :mod:`carbon.validation.cells`); per cell, required and range
checks; then the rules across rows and tables (duplicates, enterprise references checked once for the whole
park by :mod:`carbon.validation.references`, and the rules of
:mod:`carbon.validation.rules`: units that must fit the carrier, balances, green power against electricity
use, certificates claimed twice); last, per row, the pydantic model (:mod:`carbon.schema.models`) as the gate.
This module knows no file format: the readers of :mod:`carbon.io` build the raw tables.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

import annotated_types
import numpy as np
import pandas as pd
import pyarrow.compute as pc
from pydantic import TypeAdapter, ValidationError

from carbon import _codes
from carbon.errors import CarbonError
from carbon.names import regions, resolve_region
from carbon.schema.inputs import CERTIFICATE_UNITS, INDICATOR_UNITS, TABLES, Column, Table, header_key, table
from carbon.schema.models import row_model
from carbon.validation import cells, coded, park910, reconcile, references, rules
from carbon.validation.problems import Collector, ReadReport, SheetCount, show

__all__ = [
    "MAX_MAGNITUDE",
    "RawPark",
    "RawTable",
    "column_index",
    "park_from_grid",
    "table_keys",
    "validate_raw_tables",
]

#: No figure of a park ledger comes near this (a province uses about 1e12 kWh a year), and above it float64
#: no longer holds every integer (2**53 is about 9e15): a larger value is a typing or unit error.
MAX_MAGNITUDE = 1e15


@dataclass
class RawTable:
    """One table as read: raw values under glossary names, Excel row numbers, column letters."""

    table: Table
    sheet: str
    frame: pd.DataFrame
    rows: pd.Series
    letters: dict[str, str]
    blank_rows: int = 0
    rows_read: int = 0
    header_row: int | None = None


@dataclass
class RawPark:
    """The park facts as read: glossary name -> (raw value, cell)."""

    sheet: str
    values: dict[str, tuple[object, str]]


# -- finding tables and columns by their names -------------------------------------------------------------


def table_keys(spec: Table) -> set[str]:
    """The spellings under which a sheet or file holds table ``spec``, as :func:`header_key` gives them."""
    return {header_key(spec.zh), header_key(spec.name), header_key(spec.sheet), header_key(f"{spec.name} {spec.zh}")}


def column_index(spec: Table) -> dict[str, str]:
    """Every accepted spelling of a column header of ``spec`` (中文, glossary name, both), to the glossary name."""
    index: dict[str, str] = {}
    for column in spec.columns:
        for spelling in (column.zh, column.name, f"{column.zh} {column.name}", f"{column.name} {column.zh}"):
            index[header_key(spelling)] = column.name
    return index


def park_from_grid(spec: Table, sheet: str, grid: pd.DataFrame) -> RawPark:
    """The park facts of a grid of cells: item labels in the first column, values in the second (cells B1, B2 ...)."""
    index = column_index(spec)
    values: dict[str, tuple[object, str]] = {}
    for row in range(len(grid)):
        label = grid.iat[row, 0] if grid.shape[1] else ""
        name = index.get(header_key(label))
        if name is None:
            continue
        value = grid.iat[row, 1] if grid.shape[1] > 1 else ""
        values[name] = (value, f"B{row + 1}")
    return RawPark(sheet, values)


# -- per column ---------------------------------------------------------------------------------------------

#: Tables whose text columns are typed as categoricals: the energy table reaches millions of rows (a province's
#: monthly data), and its labels take few distinct values.
LABELLED = frozenset({"energy"})


#: Column kinds parsed as text by :func:`carbon.validation.cells.parse_text`.
_TEXT_KINDS = frozenset({"text", "enterprise", "enterprise_id"})


def _mostly_distinct(values: pd.Series, sample: int = 2048) -> bool:
    """Whether ``values`` is Arrow text whose first rows are mostly distinct (codes, names): parsed row by row by
    Arrow (about 12 ms for 100,000 names) rather than by its distinct values (about 80 ms, each made a Python
    string to find them). Either way gives the same values; only the cost differs."""
    text = cells.arrow_text(values)
    if text is None:
        return False
    head = text.slice(0, sample)
    return pc.count_distinct(head).as_py() * 2 > len(head)


def _parse_column(raw: RawTable, column: Column, date1904: bool) -> cells.Parsed:
    values = raw.frame[column.name]
    if column.kind in _TEXT_KINDS and raw.table.name not in LABELLED and _mostly_distinct(values):
        return cells.parse_text(values, column)  # trimmed by Arrow row by row: no distinct values found first
    if column.kind not in ("number", "percent", "year", "month"):
        # labels repeat: parse each distinct value once and spread the result over the rows
        return cells.by_unique(
            values, lambda distinct: _parse_values(raw, column, distinct, date1904), labels=raw.table.name in LABELLED
        )
    return _parse_values(raw, column, values, date1904)


def _parse_values(raw: RawTable, column: Column, values: pd.Series, date1904: bool) -> cells.Parsed:
    kind = column.kind
    if kind in _TEXT_KINDS:
        return cells.parse_text(values, column)
    if kind in ("number", "percent"):
        unit_column = {
            "quantity": "unit",
            "saving_quantity": "saving_unit",
            "fuel_before_quantity": "fuel_before_unit",
            "value": "unit",
        }
        companion = unit_column.get(column.name)
        row_units = raw.frame[companion] if companion in raw.frame.columns else None
        if raw.table.name == "targets":
            row_units = _target_units(raw, row_units)
        return cells.parse_number(values, column, row_units)
    if kind in ("year", "month"):
        return cells.parse_number(values, column, integer=True)
    if kind == "date":
        return cells.parse_date(values, column, date1904)
    if kind == "choice":
        return cells.parse_choice(values, column)
    if kind == "bool":
        return cells.parse_bool(values, column)
    if kind == "carrier":
        return cells.parse_carrier(values, column)
    if kind == "unit":
        extra = CERTIFICATE_UNITS if raw.table.name == "green_power" else ()
        return cells.parse_unit_column(values, column, extra)
    if kind == "list":
        return cells.parse_list(values, column)
    raise ValueError(kind)  # pragma: no cover - the schema only uses the kinds above


def _target_units(raw: RawTable, given: pd.Series | None) -> pd.Series | None:
    """The unit of each target row: the unit typed, or where it is blank the indicator's (as 填表说明 says), so
    that ``50%`` with a blank unit is 50 of an indicator in %."""
    if "indicator" not in raw.frame.columns:
        return given
    indicator = cells.parse_choice(raw.frame["indicator"], raw.table.column("indicator")).values
    default = indicator.map(INDICATOR_UNITS)
    if given is None:
        return default
    return given.where(~cells.blank(given), default)


def _absent(raw: RawTable, column: Column, index: pd.Index, out: Collector) -> pd.Series:
    """An absent column is blank: NaN for numbers (so comparisons stay numeric), None for text; an absent
    required column refuses every row."""
    numeric = column.kind in ("number", "percent")
    blank = 0.0 if column.blank_means_zero else np.nan  # documented default, as for blank cells
    if column.required:
        where_zh = f"表头（第 {raw.header_row} 行）" if raw.header_row else "表"
        where_en = f"the header (row {raw.header_row})" if raw.header_row else "the table"
        out.sheet(
            raw.sheet,
            f"{where_zh}缺少必填列「{column.header}」",
            f"{where_en} lacks the required column {column.header!r}",
            "missing_column",
        )
        out.rejected.setdefault(raw.table.name, set()).update(raw.frame.index)
    return pd.Series(blank, index=index, dtype=float if numeric else object)


def _check_bounds(raw: RawTable, column: Column, values: pd.Series, out: Collector) -> None:
    """The column's minimum and maximum, if it has them."""
    # a column of floats (what parse_number gives) compared as it is: to_numeric would copy its 7.2 M rows
    numbers = values if values.dtype == np.float64 else pd.to_numeric(values, errors="coerce")
    if column.minimum is not None and not _all_within(numbers, column.minimum, np.inf):
        low = numbers < column.minimum
        for index in values.index[low]:
            if column.minimum == 0:
                out.cell(raw, index, column.name, "不能为负数", "must not be negative", "negative")
            else:
                out.cell(
                    raw,
                    index,
                    column.name,
                    f"应不小于 {_percent(column.minimum, column)}",
                    f"must be at least {_percent(column.minimum, column)}",
                    "range",
                    value=_percent(numbers[index], column),
                )
    if column.maximum is not None and not _all_within(numbers, -np.inf, column.maximum):
        high = numbers > column.maximum
        for index in values.index[high]:
            out.cell(
                raw,
                index,
                column.name,
                f"应不大于 {_percent(column.maximum, column)}",
                f"must be at most {_percent(column.maximum, column)}",
                "range",
                value=_percent(numbers[index], column),
            )


def _all_within(values: pd.Series, low: float, high: float) -> bool:
    """Whether every number of a float64 column lies in [low, high] (blanks aside): its least and greatest, two
    passes that make no array of the rows, so that a column with nothing to report costs no masks. False for
    anything else (other types, a column of blanks only, an infinity outside), which the masks then decide."""
    if values.dtype != np.float64 or not len(values):
        return False
    numbers = values.to_numpy()
    least, greatest = np.fmin.reduce(numbers), np.fmax.reduce(numbers)  # NaN only where every value is
    return bool(low <= least and greatest <= high)


#: The years a ledger may hold, the park's reporting and baseline years included.
YEARS = (1990, 2100)


def _check_plausible(raw: RawTable, column: Column, values: pd.Series, out: Collector) -> None:
    """No number above :data:`MAX_MAGNITUDE`; years within 1990-2100, months within 1-12."""
    if pd.api.types.is_float_dtype(values.dtype) and not _all_within(values, -MAX_MAGNITUDE, MAX_MAGNITUDE):
        absurd = values.abs() > MAX_MAGNITUDE
        for index in values.index[absurd.fillna(False)]:
            out.cell(
                raw,
                index,
                column.name,
                f"数值大得不合理（超过 {MAX_MAGNITUDE:.0e}），请检查单位和小数点",
                f"implausibly large (above {MAX_MAGNITUDE:.0e}): check the unit and the decimal point",
                "magnitude",
            )
    if column.kind in ("year", "month"):
        low, high = YEARS if column.kind == "year" else (1, 12)
        if _all_within(values, low, high):
            return
        outside = values.notna() & ((values < low) | (values > high))
        for index in values.index[outside]:
            out.cell(raw, index, column.name, f"应在 {low}–{high} 之间", f"must be between {low} and {high}", "range")


def _unstorable(values: pd.Series) -> list:
    """The index of each cell holding text no file can store."""
    return [index for index, value in zip(values.index, values.tolist(), strict=True) if not cells.storable(value)]


def _parse_storable(raw: RawTable, column: Column, date1904: bool, error: UnicodeEncodeError) -> cells.Parsed:
    """:func:`_parse_column` of a column holding text no file can store (a lone surrogate, U+D800-U+DFFF): each
    such cell refused at its place and parsed as blank, the rest as they are. Where the text is in a column the
    parse reads beside its own (a row's unit, a target's indicator), that column's cells are taken as blank for
    this parse: they are refused where that column itself is parsed."""
    unstorable = {name: _unstorable(raw.frame[name]) for name in raw.frame.columns}
    if not any(unstorable.values()):  # the error came from elsewhere
        raise error
    cleaned = {}
    for name, cells_at in unstorable.items():
        if cells_at:
            values = raw.frame[name].astype(object)
            values[cells_at] = np.nan
            cleaned[name] = values
    parsed = _parse_column(dataclasses.replace(raw, frame=raw.frame.assign(**cleaned)), column, date1904)
    parsed.reasons.update(dict.fromkeys(unstorable.get(column.name, []), cells.UNSTORABLE))
    return parsed


def _parsed(raw: RawTable, column: Column, date1904: bool) -> cells.Parsed:
    """:func:`_parse_column`, a column holding text no file can store parsed by :func:`_parse_storable`."""
    try:
        return _parse_column(raw, column, date1904)
    except UnicodeEncodeError as error:  # a lone surrogate (a ledger built in Python): pandas' text cannot hold it
        return _parse_storable(raw, column, date1904, error)


def _typed_column(raw: RawTable, column: Column, out: Collector, date1904: bool) -> pd.Series:
    """One present column parsed and checked cell by cell: unreadable, required, bounds, plausibility."""
    parsed = _parsed(raw, column, date1904)
    for index, (zh, en) in parsed.reasons.items():
        out.cell(raw, index, column.name, zh, en, "unreadable")
    values = parsed.values
    missing = values.isna()
    if column.required:
        for index in values.index[missing.to_numpy(dtype=bool)]:  # the empty cells (no isin over every row)
            if index not in parsed.reasons:  # an unreadable cell is reported as such, not as empty
                out.cell(raw, index, column.name, "必填，不能为空", "required; the cell is empty", "required")
    elif column.blank_means_zero and missing.any():
        values = values.where(~missing, 0.0)
    if column.minimum is not None or column.maximum is not None:
        _check_bounds(raw, column, values, out)
    _check_plausible(raw, column, values, out)
    return values


def _typed(raw: RawTable, out: Collector, date1904: bool) -> pd.DataFrame:
    if _empty_and_plain(raw):
        return _typed_empty(raw, out)
    columns: dict[str, pd.Series] = {}
    for column in raw.table.columns:
        if column.name not in raw.frame.columns:
            columns[column.name] = _absent(raw, column, raw.frame.index, out)
        else:
            columns[column.name] = _typed_column(raw, column, out, date1904)
    typed = pd.DataFrame(columns, index=raw.frame.index, copy=False)  # built once: no block copied per column
    zeroed = [c.name for c in raw.table.columns if c.blank_means_zero and c.name in raw.frame.columns]
    for name in zeroed:
        count = int(cells.blank(raw.frame[name]).sum())
        if count:
            out.sheet(
                raw.sheet,
                f"「{raw.table.column(name).zh}」有 {count} 个空白单元格按 0 计",
                f"{count} blank {name} cell(s) counted as 0",
                "blank_as_zero",
                "notice",
            )
    return typed


#: Column kinds parsed to float64 (every other kind is parsed to objects by :func:`carbon.validation.cells.by_unique`).
_NUMBER_KINDS = frozenset({"number", "percent", "year", "month"})

#: Types of a column read without rows whose parse is known without parsing: float64 for the kinds of
#: :data:`_NUMBER_KINDS`, objects for the others (tests/test_empty_tables.py checks each against the parsers).
_PLAIN_EMPTY = frozenset({"object", "float64", "int64", "str", "category", "bool", "Int64", "boolean"})


def _empty_and_plain(raw: RawTable) -> bool:
    """A table without rows whose columns are of the types of :data:`_PLAIN_EMPTY` (what the readers give)."""
    frame = raw.frame
    return len(frame) == 0 and all(str(dtype) in _PLAIN_EMPTY for dtype in frame.dtypes)


def _typed_empty(raw: RawTable, out: Collector) -> pd.DataFrame:
    """:func:`_typed` of a table without rows (most optional sheets of a park): each present column of the type its
    parser gives no rows, an absent one as :func:`_absent` makes it, and reports (a required column missing).
    No cell is checked, as there is none; no blank is counted as 0. About 6 ms of pandas calls saved a table."""
    index = raw.frame.index
    columns: dict[str, pd.Series] = {}
    for column in raw.table.columns:
        if column.name not in raw.frame.columns:
            columns[column.name] = _absent(raw, column, index, out)
        else:
            columns[column.name] = pd.Series(index=index, dtype=float if column.kind in _NUMBER_KINDS else object)
    return pd.DataFrame(columns, index=index, copy=False)


def _percent(value: float, column: Column) -> str:
    return f"{value * 100:g}%" if column.kind == "percent" else f"{value:g}"


# -- per row: the pydantic gate ----------------------------------------------------------------------------


def _pydantic_gate(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """The row model as the last gate, applied to each column's distinct values.

    The models have no rule that spans fields, so checking every distinct value of every field against its
    annotated type and constraints is the same as validating every row, at a cost that grows with the number
    of distinct values instead of rows."""
    rejected = out.rejected.get(raw.table.name, set())
    # no copy of the table, nor of a column, where every row is a candidate and every value present
    candidates = typed.loc[~typed.index.isin(list(rejected))] if rejected else typed
    if candidates.empty:
        return
    model = row_model(raw.table.name)
    for name, info in model.model_fields.items():
        if name not in candidates.columns:
            continue
        values = candidates[name]
        present = values.notna().to_numpy(dtype=bool)
        if not present.any():
            continue
        if not present.all():
            values = values[present]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            values = values.dt.date
        annotation = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        adapter = TypeAdapter(list[annotation])  # type: ignore[valid-type]
        if _extremes_stand_for_all(info, values):
            try:  # a number within bounds: its least and greatest values stand for all (each then checked only if
                adapter.validate_python([values.min().item(), values.max().item()])  # one of them fails)
                continue
            except ValidationError:
                pass
        if isinstance(values.dtype, pd.CategoricalDtype) and _categories_valid(adapter, values.dtype.categories):
            continue
        if _text_long_enough(info, values):
            continue
        codes, distinct = _codes.distinct(values)
        python_values = [v.item() if hasattr(v, "item") else v for v in distinct.tolist()]
        try:
            adapter.validate_python(python_values)
        except ValidationError as exc:
            for error in exc.errors():
                bad = int(error["loc"][0])
                for index in values.index[codes == bad]:
                    out.cell(raw, index, name, f"不符合要求：{error['msg']}", f"invalid: {error['msg']}", "model")


def _text_long_enough(info, values: pd.Series) -> bool:
    """Whether a text field (``str``, with at most a least length) takes every value of an object column (none
    missing): each a Python ``str`` as long as the field asks, checked by two passes in C over the values, not by
    finding their distinct values and handing them to pydantic (the enterprises' codes and names of a large park,
    every one distinct). Where one is not, the general path finds and reports it."""
    if info.annotation not in (str, str | None) or values.dtype != object:
        return False
    if not all(isinstance(m, annotated_types.MinLen) for m in info.metadata):
        return False
    least = max((m.min_length for m in info.metadata), default=0)
    texts = values.tolist()
    return set(map(type, texts)) <= {str} and (not texts or min(map(len, texts)) >= least)


def _categories_valid(adapter: TypeAdapter, categories: pd.Index) -> bool:
    """Whether every category of a categorical column is valid (each value is validated alone: the values of the
    rows, some of the categories, are then valid too), without a pass over the rows to find the values used (the
    energy table's 7.2 M enterprise codes). Where one is not, the general path finds the rows of those used."""
    try:
        adapter.validate_python([v.item() if hasattr(v, "item") else v for v in categories.tolist()])
    except ValidationError:
        return False
    return True


def _extremes_stand_for_all(info, values: pd.Series) -> bool:
    """Whether the least and the greatest of ``values`` (none missing) are valid only if every value is: a number
    column its field takes whole (:func:`_bounded_number`), or an ``int`` field with bounds only on floats that
    are all whole numbers (pydantic takes a whole float as its integer, so the valid values are the whole
    numbers of an interval: 2023.0 between 1990.0 and 2100.0 is as valid as they are; an infinity is the least
    or greatest value and fails there)."""
    if _bounded_number(info, values.dtype):
        return True
    if info.annotation not in (int, int | None) or not pd.api.types.is_float_dtype(values.dtype):
        return False
    if not all(
        isinstance(m, annotated_types.Ge | annotated_types.Gt | annotated_types.Le | annotated_types.Lt)
        for m in info.metadata
    ):
        return False
    numbers = values.to_numpy(dtype=float)
    return bool((numbers == np.floor(numbers)).all())


def _bounded_number(info, dtype: object) -> bool:
    """A field whose constraints are bounds only, on a column of numbers its type takes whole: every value
    between two valid ones is valid, so the least and the greatest stand for all. ``int`` fields qualify on
    integer columns only (2023.5 lies between 2023.0 and 2024.0)."""
    if not all(
        isinstance(m, annotated_types.Ge | annotated_types.Gt | annotated_types.Le | annotated_types.Lt)
        for m in info.metadata
    ):
        return False
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return False
    allowed = {float, float | None} if pd.api.types.is_float_dtype(dtype) else {int, int | None, float, float | None}
    return info.annotation in allowed


# -- across rows and tables --------------------------------------------------------------------------------


def _duplicates(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Every later occurrence of a key is reported, citing the row of the first.

    The key's columns are combined as integer codes (:func:`carbon._codes.distinct`, a blank its own
    value), so no cell is turned into text."""
    key = [k for k in raw.table.key if k in typed.columns]
    if not key or not len(typed):  # no rows: no row repeats another
        return
    rows, firsts = coded.repeats(_codes.row_keys([typed[name] for name in key]))
    if not len(rows):
        return
    complete = typed[[k for k in key if raw.table.column(k).required]].notna().all(axis=1).to_numpy()
    kept = complete[rows]  # a key with a blank required part is reported as blank, not as a repeat
    rows, firsts = rows[kept], firsts[kept]
    if not len(rows):
        return
    severity = "warning" if raw.table.name == "energy" else "error"
    names = "、".join(raw.table.column(k).zh for k in key)
    for position, first in zip(rows.tolist(), firsts.tolist(), strict=True):
        other = int(raw.rows[typed.index[first]])
        zh = f"与第 {other} 行重复（{names} 相同）"
        en = f"duplicate of row {other} (same {', '.join(key)})"
        if severity == "warning":
            zh += "；两行都计入"
            en += "; both rows are counted"
        out.cell(raw, typed.index[position], key[0], zh, en, "duplicate", severity=severity)


# -- the park facts ----------------------------------------------------------------------------------------


def _park(raw: RawPark | None, out: Collector, date1904: bool) -> dict[str, object] | None:
    spec = table("park")
    if raw is None:
        return None
    facts: dict[str, object] = {}
    ok = True
    for column in spec.columns:
        value, ref = raw.values.get(column.name, ("", ""))
        series = pd.Series([value], dtype=object)
        holder = RawTable(spec, raw.sheet, pd.DataFrame({column.name: series}), pd.Series([0]), {})
        parsed = _parse_column(holder, column, date1904)
        reason = parsed.reasons.get(0)
        parsed_value = parsed.values.iloc[0]
        missing = parsed_value is None or (isinstance(parsed_value, float) and np.isnan(parsed_value))
        if reason is None and missing and column.required:
            if column.name in raw.values:
                reason = ("必填，不能为空", "required; the cell is empty")
            else:
                reason = (
                    f"缺少项目「{column.header}」（A 列填项目，B 列填值）",
                    f"the fact {column.header!r} is missing (item in column A, value in column B)",
                )
        if reason is None and column.kind == "year" and not missing and not YEARS[0] <= parsed_value <= YEARS[1]:
            reason = (f"应在 {YEARS[0]}–{YEARS[1]} 之间", f"must be between {YEARS[0]} and {YEARS[1]}")
        if reason is None and column.name == "province" and not missing:
            try:
                region = resolve_region(parsed_value)
                if regions().set_index("id").at[region, "level"] != "province":
                    raise KeyError(region)
                parsed_value = region
            except (CarbonError, KeyError):
                reason = ("应为省级行政区，如 青海", "expected a province, such as 青海 (Qinghai)")
        if reason:
            ok = False
            out.sheet(raw.sheet, reason[0], reason[1], "park", cell=ref, value=show(value))
            continue
        facts[column.name] = int(parsed_value) if column.kind == "year" else parsed_value
    if ok and facts["baseline_year"] > facts["reporting_year"]:
        ok = False
        out.sheet(
            raw.sheet,
            "基准年晚于报告年度",
            "the baseline year is after the reporting year",
            "park",
            cell=raw.values["baseline_year"][1],
            value=str(facts["baseline_year"]),
        )
    if ok:
        facts["sub_parks"] = tuple(facts.get("sub_parks") or ())
        return facts
    return None


# -- driver ------------------------------------------------------------------------------------------------

_DTYPES = {"year": "Int64", "month": "Int64", "number": "float64", "percent": "float64", "bool": "boolean"}


def _finish(raw: RawTable, typed: pd.DataFrame) -> pd.DataFrame:
    """The typed table as the ledger holds it: each column of its final type, the source rows last, the index
    0..n-1. Built at once from its columns (no copy of the table, no block split by setting columns one by one)."""
    columns: dict[str, pd.Series] = {}
    for name in typed.columns:
        values = typed[name]
        column = raw.table.column(name) if name in raw.table.names else None
        if column is None:
            columns[name] = values
            continue
        dtype = _DTYPES.get(column.kind)
        if dtype:
            values = values.astype(dtype)
        elif column.kind == "date":
            values = pd.to_datetime(values)
        elif isinstance(values.dtype, pd.CategoricalDtype) and values.notna().any():
            pass  # labels of a large table stay coded (the ledger keeps them so)
        else:
            values = values.astype(object)
            if len(values) and pd.isna(values.iloc[0]) and values.isna().all():  # no value at all: None, every reader
                values = pd.Series([None] * len(values), index=values.index, dtype=object)
        columns[name] = values
    columns["source_row"] = raw.rows.astype("Int64")
    return pd.DataFrame(columns, index=typed.index, copy=False).reset_index(drop=True)


def _count_rows(raws: dict[str, RawTable], out: Collector, report: ReadReport) -> None:
    """Every row accounted for: read = accepted + rejected + blank (a row with a blocked cell is rejected)."""
    for name, raw in raws.items():
        out.rejected.setdefault(name, set()).update(_blocked_rows(raw, out))
        rejected = len(out.rejected.get(name, set()))
        report.counts[name] = SheetCount(
            raw.sheet, name, raw.rows_read, len(raw.frame) - rejected, rejected, raw.blank_rows
        )


def _refused(name: str, raws: dict[str, RawTable], typed: dict, out: Collector, unreadable: set[str]) -> bool:
    """A table that cannot be compared with: no header row, or every row refused (a missing column)."""
    frame = typed.get(name)
    return name in unreadable or (frame is not None and len(out.rejected.get(name, ())) >= len(raws[name].frame) > 0)


def _blocked_rows(raw: RawTable, out: Collector) -> set[object]:
    """Rows of ``raw`` with a cell already reported as blocked (an uncalculated formula, an error value)."""
    letters = set(raw.letters.values())
    rows: set[object] = set()
    for sheet, ref in out.blocked:
        if sheet == raw.sheet and "".join(ch for ch in ref if ch.isalpha()) in letters:
            row = int("".join(ch for ch in ref if ch.isdigit()) or 0)
            rows.update(raw.rows.index[raw.rows == row])
    return rows


def _uncertain_use(raws: dict[str, RawTable], typed: dict[str, pd.DataFrame], out: Collector, near: dict) -> set:
    """Enterprises whose energy use is not fully known: some of their energy rows were refused (by the code they
    give, or the listed code nearest to it). Their claims are not compared with their use: the refused rows
    are reported already, and a comparison with part of the use would report the same cause again."""
    energy = typed.get("energy")
    if energy is None:
        return set()
    refused = out.rejected.get("energy", set()) | _blocked_rows(raws["energy"], out)
    if not refused:  # every energy row read: no isin over the rows
        return set()
    codes = energy.loc[energy.index.isin(list(refused)), "enterprise_id"].dropna()
    return {near.get(code) or code for code in codes}


def _across_tables(
    raws: dict[str, RawTable],
    typed: dict[str, pd.DataFrame],
    out: Collector,
    unreadable: set[str],
    near: dict[str, str | None],
):
    """The rules that compare two tables (skipped when the other table could not be read, and for the claims of
    enterprises whose energy use is not fully known: :func:`_uncertain_use`)."""
    energy_ok = not _refused("energy", raws, typed, out, unreadable)
    energy, energy_sheet = typed.get("energy"), table("energy").sheet
    uncertain = _uncertain_use(raws, typed, out, near) if energy_ok else set()

    def sure(name: str, column: str = "enterprise_id") -> pd.DataFrame:
        frame = typed[name]
        return frame[~frame[column].isin(uncertain)] if uncertain else frame

    if "green_power" in typed and energy_ok:
        rules.green_power_does_not_exceed_grid_use(raws["green_power"], sure("green_power"), energy, out)
    if "conversion_outputs" in typed and energy_ok:
        park910.conversion_outputs_have_inputs(
            raws["conversion_outputs"], sure("conversion_outputs"), energy, energy_sheet, out
        )
    for name, checks in (
        ("projects", (reconcile.project_savings_are_within_use,)),
        ("boilers", (reconcile.boiler_fuel_before_is_within_use, reconcile.fuel_after_appears_after_the_retrofit)),
    ):
        if name in typed and energy_ok:
            for check in checks:
                check(raws[name], sure(name), energy, energy_sheet, out)
    if "products" in typed and energy_ok:
        park910.reductants_are_not_burned_twice(raws["products"], sure("products"), energy, energy_sheet, out)
    generation_ok = not _refused("generation", raws, typed, out, unreadable)
    outputs_ok = not _refused("conversion_outputs", raws, typed, out, unreadable)
    if "energy" in typed and energy_ok:
        if generation_ok:
            park910.plants_record_what_they_generate(
                raws["energy"], energy, typed.get("generation"), table("generation").sheet, out
            )
        if outputs_ok:
            park910.conversion_inputs_have_outputs(
                raws["energy"], energy, typed.get("conversion_outputs"), table("conversion_outputs").sheet, out
            )
    if "generation" in typed and energy_ok:
        park910.fossil_generation_burns_fuel(raws["generation"], sure("generation"), energy, energy_sheet, out)
    if "power_heat_flows" in typed:
        flows = (raws["power_heat_flows"], typed["power_heat_flows"])
        if energy_ok:
            received = (raws["power_heat_flows"], sure("power_heat_flows", "receiver_id"))
            park910.received_power_and_heat_is_used(*received, energy, energy_sheet, out)
        if generation_ok:
            park910.deliveries_are_at_most_generation(*flows, typed.get("generation"), table("generation").sheet, out)


#: The rules that need nothing but their table, by table: none reports on a table without rows
#: (tests/test_empty_tables.py runs each on every table's empty form), so they are not run on one.
TABLE_RULES = (rules.RULES, park910.RULES, {"green_power": (reconcile.certificates_fit_the_year,)})


def validate_raw_tables(
    raws: dict[str, RawTable],
    park: RawPark | None,
    report: ReadReport,
    *,
    date1904: bool = False,
    blocked: Iterable[tuple[str, str]] = (),
    unreadable: Iterable[str] = (),
) -> tuple[dict[str, object] | None, dict[str, pd.DataFrame] | None]:
    """Validate every table; returns (park facts, typed tables), both None when any error was found.

    ``unreadable`` names tables whose sheet is present but could not be read (no header row): checks against
    them are skipped rather than reported for every row that refers to them.

    ``blocked`` lists (sheet, cell) pairs already reported (uncalculated formulas, error values): no
    further problem is reported for them.
    """
    out = Collector(report, set(blocked))
    facts = _park(park, out, date1904)
    typed: dict[str, pd.DataFrame] = {}
    for spec in TABLES:
        if spec.key_value or spec.name not in raws:
            continue
        typed[spec.name] = _typed(raws[spec.name], out, date1904)

    if "enterprises" in typed:
        enterprises = typed["enterprises"]
        rules.credit_codes_are_valid(raws["enterprises"], enterprises, out)
        sub_parks = facts.get("sub_parks") if facts else None
        rules.sub_parks_are_those_of_the_park(raws["enterprises"], enterprises, sub_parks, out)
    for name, frame in typed.items():
        _duplicates(raws[name], frame, out)
    near: dict[str, str | None] = {}
    if "enterprises" in typed:  # without the enterprises sheet (reported missing) references are not checked
        near = references.check_references(raws, typed, out, sub_tables=[n for n in typed if n != "enterprises"])
    for catalogue in TABLE_RULES:
        for name, checks in catalogue.items():
            if name in typed and len(typed[name]):  # a rule of one table finds nothing in no rows (tested)
                for check in checks:
                    check(raws[name], typed[name], out)
    _across_tables(raws, typed, out, set(unreadable), near)
    if "targets" in typed:
        typed["targets"] = rules.target_units_are_those_of_the_indicator(raws["targets"], typed["targets"], out)
    for name, frame in typed.items():
        _pydantic_gate(raws[name], frame, out)

    _count_rows(raws, out, report)
    if not report.ok or facts is None:
        return None, None
    return facts, {name: _finish(raws[name], frame) for name, frame in typed.items()}
