"""Turning what people type into typed values, one column at a time.

Each parser takes a column of raw cell values (as a cell reader returns them: float, str, date, datetime,
bool or ``''`` for an empty cell) and returns the typed column plus the reasons for the cells it could not
read. The work is vectorised over the column; only the text cells take the string path.

Tolerated: blanks and stray spaces; full-width characters (NFKC); thousands separators (``1,234.5``); a unit
typed after a number when it is the row's unit (``12吨``); ``85%`` in percent columns; dates as Excel
serials, ``2024-01-05``, ``2024/1/5``, ``2024.1.5``, ``2024年1月5日`` or ``20240105``; ``2023年`` and ``1月``.
Refused: anything else, in particular ``05/01/2024`` (day and month order is ambiguous) and booleans in
number columns.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from carbon import _codes
from carbon.errors import CarbonError, UnknownUnitError
from carbon.names import resolve_carrier
from carbon.schema.inputs import CHOICES, Column, header_key
from carbon.units import normalize_unit_text, parse_unit

__all__ = [
    "Parsed",
    "Reason",
    "blank",
    "by_unique",
    "kinds",
    "kinds_and_blanks",
    "nfkc",
    "parse_bool",
    "parse_carrier",
    "parse_choice",
    "parse_date",
    "parse_list",
    "parse_number",
    "parse_text",
    "parse_unit_column",
    "storable",
]

Reason = tuple[str, str]

_NUMBER = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(.*)$")
_DATE = re.compile(r"^(\d{4})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "t", "对"}
_FALSE = {"否", "n", "no", "false", "0", "×", "x", "f", "不是"}
_EXCEL_1900 = dt.date(1899, 12, 30)
_EXCEL_1904 = dt.date(1904, 1, 1)


@dataclass
class Parsed:
    """A parsed column: typed values (NaN/None where blank or unreadable) and reasons per bad cell."""

    values: pd.Series
    reasons: dict[object, Reason] = field(default_factory=dict)


def _kind(value: object) -> type:
    if isinstance(value, (bool, np.bool_)):
        return bool
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float
    if isinstance(value, str):
        return str
    return type(value)


def _kinds_of(values: list[object]) -> np.ndarray:
    """The kind (:func:`_kind`) of each value, and ``type(None)`` last (the slot of a missing cell). Values all of
    type str (labels, codes: the common case) are text without a call per value, nor an array built from a list
    of types (NumPy takes 0.07 s to make one of 100,000)."""
    if all(type(value) is str for value in values):
        kinds = np.full(len(values) + 1, str, dtype=object)
    else:
        kinds = np.empty(len(values) + 1, dtype=object)
        kinds[:-1] = [_kind(value) for value in values]
    kinds[-1] = type(None)
    return kinds


def by_unique(raw: pd.Series, parse: Callable[[pd.Series], Parsed], *, labels: bool = False) -> Parsed:
    """Run ``parse`` on the distinct values of ``raw`` and spread values and reasons back over its rows.

    Labels (codes, carriers, units, choices) repeat across millions of rows; parsing each once keeps reading
    linear in the rows and cheap in Python work. With ``labels``, a column parsed to text only is given as a
    categorical (its codes are those of the distinct values: no text object per row, and the checks after
    parsing group and compare on integers).

    A categorical's own categories are parsed with ``labels`` (a Parquet column stored as a dictionary): its codes
    stand for the distinct values, found by no pass over the rows but the one that marks the categories used;
    Arrow text stays Arrow text for the parser."""
    used = None
    if labels and isinstance(raw.dtype, pd.CategoricalDtype) and len(raw.cat.categories) * 2 <= len(raw):
        categories = raw.cat.categories
        codes = raw.cat.codes.to_numpy()
        seen = np.zeros(len(categories) + 1, dtype=bool)
        seen[codes] = True  # code -1 (missing) marks the last slot
        used = seen[:-1]
        held = arrow_text(pd.Series(categories, copy=False)) is not None
        parsed = parse(pd.Series(categories, copy=False) if held else pd.Series(np.asarray(categories, dtype=object)))
    else:
        codes, distinct = _codes.distinct(raw)
        if len(distinct) * 2 > len(raw):
            return parse(raw)
        parsed = parse(pd.Series(distinct, dtype=object))
    values = parsed.values.to_numpy()
    categorical = _as_labels(values, codes, used) if labels and len(values) else None
    if categorical is not None:
        out = pd.Series(categorical, index=raw.index)
    elif len(values):
        spread = values.take(np.where(codes >= 0, codes, 0))
        missing = codes < 0
        if missing.any():
            spread = spread.astype(object) if spread.dtype.kind not in "fM" else spread.copy()
            spread[missing] = np.nan if spread.dtype.kind in "fO" else np.datetime64("NaT")
    else:
        spread = np.full(len(raw), None, dtype=object)
    if categorical is None:
        out = pd.Series(spread, index=raw.index, dtype=object if spread.dtype == object else None)  # no text copy
    reasons: dict[object, Reason] = {}
    if parsed.reasons:
        bad = np.array(list(parsed.reasons))
        rows = np.flatnonzero(np.isin(codes, bad))
        for row in rows:
            reasons[raw.index[row]] = parsed.reasons[int(codes[row])]
    return Parsed(out, reasons)


def _as_labels(values: np.ndarray, codes: np.ndarray, used: np.ndarray | None = None) -> pd.Categorical | None:
    """The parsed distinct values spread over the rows as a categorical, when every one is text or blank; None
    for any other result. (Two values parsed to one text become one category: :func:`carbon._codes.categorical`.)

    ``used`` marks the values that occur in ``codes``; without it, ``codes`` are those of
    :func:`carbon._codes.distinct`, so every value occurs in them. The values used are those not parsed to a
    blank, known without a pass over the rows."""
    if values.dtype != object:
        return None
    blank = pd.isna(values)  # None and NaN, and other missing values, told apart below: no Python loop per value
    if not all(v is None or isinstance(v, float) for v in values[blank].tolist()):
        return None
    if not set(map(type, values[~blank].tolist())) <= {str}:
        return None  # a value that is not text (a subclass of str included)
    if blank.any():
        codes = np.where(blank[np.maximum(codes, 0)], -1, codes)
    return _codes.categorical(codes, values, used=~blank if used is None else used & ~blank)


def kinds(raw: pd.Series) -> pd.Series:
    """The kind of every cell: float for any real number (numpy included), bool, str, or the value's type.

    Each distinct value is classified once."""
    if pd.api.types.is_float_dtype(raw.dtype) or pd.api.types.is_integer_dtype(raw.dtype):
        return pd.Series(float, index=raw.index, dtype=object)
    if isinstance(raw.dtype, pd.StringDtype):  # a text column (Parquet, CSV): str, or missing
        per_value = np.array([str, type(None)], dtype=object)
        return pd.Series(per_value[raw.isna().to_numpy(dtype=np.intp)], index=raw.index)
    codes, distinct = _codes.distinct(raw)
    per_value = _kinds_of(distinct.tolist())  # last: missing
    return pd.Series(per_value[np.where(codes >= 0, codes, len(distinct))], index=raw.index)


#: The characters Python takes for white space (``str.isspace``, ``str.strip()``, ``\\s`` of :mod:`re`): what
#: Arrow is given to trim, so that it trims as Python does (tests/test_cells_arrow.py derives the set again).
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def arrow_text(raw: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow array under a column of pandas' Arrow-backed text (what Parquet and CSV give), without a copy;
    None for any other column."""
    dtype = raw.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        array = pa.array(raw.array)  # the column's own chunks (pandas hands them over)
        return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])
    return None


def _trimmed(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """Each text with no-break spaces made spaces and white space trimmed as ``str.strip()`` trims it."""
    return pc.utf8_trim(pc.replace_substring(text, "\u00a0", " "), characters=SPACES)


def blank(raw: pd.Series) -> pd.Series:
    """True for empty cells, None, NaN and text made only of blanks (each distinct value checked once; a column of
    Arrow text checked by Arrow, row by row, trimming what Python trims).

    A categorical column (a Parquet column stored as a dictionary) is text like any other: its blank texts are
    blank, as they are in a text column."""
    arrow = arrow_text(raw)
    if arrow is not None:
        empty = pc.fill_null(pc.equal(pc.utf8_length(pc.utf8_trim(arrow, characters=SPACES)), 0), True)
        return pd.Series(empty.to_numpy(), index=raw.index)
    text = raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype)
    if not (text or isinstance(raw.dtype, pd.CategoricalDtype)):
        return raw.isna()
    codes, distinct = _codes.distinct(raw)
    per_value = np.array([isinstance(v, str) and not v.strip() for v in distinct] + [True], dtype=bool)
    return pd.Series(per_value[np.where(codes >= 0, codes, len(distinct))], index=raw.index)


def kinds_and_blanks(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(kinds(raw), blank(raw))``, a column of cells (objects) or a categorical classified from one pass over
    its distinct values instead of two."""
    if not (raw.dtype == object or isinstance(raw.dtype, pd.CategoricalDtype)):
        return kinds(raw), blank(raw)
    codes, distinct = _codes.distinct(raw)
    values = distinct.tolist()
    at = np.where(codes >= 0, codes, len(values))  # the last slot: missing
    per_kind = _kinds_of(values)
    per_blank = np.array([isinstance(v, str) and not v.strip() for v in values] + [True], dtype=bool)
    return pd.Series(per_kind[at], index=raw.index), pd.Series(per_blank[at], index=raw.index)


def nfkc(text: pd.Series) -> pd.Series:
    return text.astype(str).str.normalize("NFKC").str.replace("\u00a0", " ").str.strip()


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_text(raw: pd.Series, column: Column) -> Parsed:
    """Text: trimmed; a whole number typed into a text cell becomes its digits (``12345.0`` -> ``12345``)."""
    arrow = arrow_text(raw)
    if arrow is not None:
        return _parse_arrow_text(raw, arrow)
    out = pd.Series(None, index=raw.index, dtype=object)
    reasons: dict[object, Reason] = {}
    type_of, empty = kinds_and_blanks(raw)
    text = type_of.eq(str) & ~empty
    out[text] = raw[text].astype(str).str.replace("\u00a0", " ").str.strip()
    numbers = type_of.isin([float, int]) & ~empty
    if column.kind in ("enterprise_id", "enterprise"):
        for index in raw.index[numbers]:
            reasons[index] = (
                "代码被存成了数字，Excel 只保留 15 位有效数字；请将该列设为文本格式后重新输入",
                "the code was stored as a number (Excel keeps only 15 digits); format the column as text and retype it",
            )
    else:
        out[numbers] = raw[numbers].map(_show)
    other = ~(text | numbers | empty)
    for index in raw.index[other]:
        out[index] = _show(raw[index])
    lengths = out[text].str.len()
    for index in lengths.index[(lengths > CELL_LIMIT).to_numpy()]:  # Excel would cut it in the 碳账本
        reasons[index] = (
            f"文本长 {lengths[index]:,} 个字符，超过 Excel 单元格上限 {CELL_LIMIT:,}",
            f"the text is {lengths[index]:,} characters long, more than an Excel cell holds ({CELL_LIMIT:,})",
        )
        out[index] = None
    return Parsed(out, reasons)


UNSTORABLE = (
    "含有无法存储的字符（单独的代理码位 U+D800–U+DFFF），请删除后重新输入",
    "holds a character no file can store (a lone surrogate, U+D800-U+DFFF): delete it and retype the text",
)


def storable(value: object) -> bool:
    """Whether ``value`` is no text, or text that can be written as UTF-8 (it holds no lone surrogate)."""
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parse_arrow_text(raw: pd.Series, arrow: pa.ChunkedArray) -> Parsed:
    """:func:`parse_text` of a column of Arrow text (no number in it, nor any other type), worked by Arrow over the
    rows: a Python string is made of each row's result only, none of its cell. The same values and reasons as
    the general path (tests/test_cells_arrow.py compares them)."""
    text = _trimmed(arrow)
    lengths = pc.utf8_length(text)
    kept = pc.fill_null(pc.and_(pc.greater(lengths, 0), pc.less_equal(lengths, CELL_LIMIT)), False)
    reasons: dict[object, Reason] = {}
    long = pc.fill_null(pc.greater(lengths, CELL_LIMIT), False).to_numpy(zero_copy_only=False)
    if long.any():  # Excel would cut it in the 碳账本
        for position in np.flatnonzero(long):
            count = lengths[int(position)].as_py()
            reasons[raw.index[position]] = (
                f"文本长 {count:,} 个字符，超过 Excel 单元格上限 {CELL_LIMIT:,}",
                f"the text is {count:,} characters long, more than an Excel cell holds ({CELL_LIMIT:,})",
            )
    values = text.to_numpy(zero_copy_only=False)
    values[~kept.to_numpy(zero_copy_only=False)] = np.nan  # blank or missing: NaN, and too long None, as the general
    values[long] = None  # path gives them
    return Parsed(pd.Series(values, index=raw.index, dtype=object), reasons)


#: The most characters an Excel cell holds (a longer text would be cut, silently, when the 碳账本 is written).
CELL_LIMIT = 32_767


#: A number whose commas are thousands separators: one every three digits, before any decimal point.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,.])")


def _decimal_commas(text: pd.Series) -> list[object]:
    """The cells whose commas cannot be thousands separators (a decimal comma, ``7.983,35``, ``12,5``): refused,
    never read as another number."""
    squeezed = nfkc(text).str.replace(r"[\s']", "", regex=True)
    comma = squeezed.str.contains(",", regex=False)
    if not comma.any():
        return []
    grouped = squeezed[comma].str.match(_GROUPED)
    return list(grouped.index[~grouped.to_numpy(dtype=bool)])


def parse_number(
    raw: pd.Series, column: Column, row_units: pd.Series | None = None, *, integer: bool = False
) -> Parsed:
    """Numbers: floats as they are; text with separators, full-width digits, a trailing unit or ``%``."""
    percent = column.kind == "percent"
    if _numbers_only(raw):  # a typed column (Parquet, a DataFrame): no cell to classify, no text to read
        values = pd.Series(raw.to_numpy(dtype=float, na_value=np.nan), index=raw.index)
        if percent:
            values = values.where(~(values > 1.5), values / 100.0)  # 85 means 85 %, as below
        elif pd.api.types.is_integer_dtype(raw.dtype):
            return Parsed(values, {})  # integers are whole and finite as floats too (a Parquet year or month)
        return _whole_and_finite(values, {}, integer)
    values = pd.Series(np.nan, index=raw.index, dtype=float)
    reasons: dict[object, Reason] = {}
    type_of, empty = kinds_and_blanks(raw)
    numeric = type_of.isin([float, int])
    values[numeric] = raw[numeric].astype(float)
    booleans = type_of.eq(bool)
    for index in raw.index[booleans]:
        reasons[index] = ("应为数字，而非 TRUE/FALSE", "expected a number, not TRUE/FALSE")
    text = type_of.eq(str) & ~empty
    explicit_percent = pd.Series(False, index=raw.index)
    if text.any():
        cleaned = nfkc(raw[text]).str.replace(r"[,\s']", "", regex=True)
        if integer:
            cleaned = cleaned.str.replace(r"(年|月|年度)$", "", regex=True)
        parts = cleaned.str.extract(_NUMBER)
        numbers = pd.to_numeric(parts[0], errors="coerce").astype(float)
        suffix = parts[1].fillna("")
        unreadable = numbers.isna()
        for index in cleaned.index[unreadable]:
            reasons[index] = (_number_expected(column)[0], _number_expected(column)[1])
        has_suffix = ~unreadable & suffix.ne("")
        if has_suffix.any():
            for index in cleaned.index[has_suffix]:
                tail = suffix[index]
                if tail == "%" and percent:
                    numbers[index] = numbers[index] / 100.0
                    explicit_percent[index] = True
                    continue
                expected = column.unit or (row_units[index] if row_units is not None else None)
                if not isinstance(expected, str):
                    expected = None  # a blank unit: None, NaN or pd.NA (whose truth pandas refuses)
                if expected and _same_unit(tail, expected):
                    continue
                numbers[index] = np.nan
                reasons[index] = (
                    f"数字后的「{tail}」与本行单位「{expected or '无'}」不符；请只填数字",
                    f"{tail!r} after the number does not match the row's unit {expected or '(none)'!r}; type the number only",
                )
        for index in _decimal_commas(raw[text]):  # 7.983,35 / 7 983,35 / 7983,35: another locale, read 1,000x off
            numbers[index] = np.nan
            reasons[index] = (
                f"「{raw[index]}」中的逗号不是千位分隔（千位分隔为每三位一个「,」）；小数点请用「.」，如 7983.35",
                f"the comma in {raw[index]!r} is not a thousands separator (one ',' every three digits); write the "
                "decimal point as '.', e.g. 7983.35",
            )
        values[text] = numbers
    if percent:
        # percent columns: 85 means 85 %; a value of at most 1.5 is taken as a fraction already
        # (a cell formatted as percent stores 85 % as 0.85)
        large = ~explicit_percent & (values > 1.5)
        values[large] = values[large] / 100.0
    other = ~(numeric | booleans | text | empty)
    for index in raw.index[other]:
        reasons[index] = _number_expected(column)
    return _whole_and_finite(values, reasons, integer)


def _numbers_only(raw: pd.Series) -> bool:
    """A column whose type holds numbers only (float, integer, nullable integer), not booleans or objects."""
    dtype = raw.dtype
    api = pd.api.types
    return api.is_numeric_dtype(dtype) and not (api.is_bool_dtype(dtype) or api.is_complex_dtype(dtype))


def _whole_and_finite(values: pd.Series, reasons: dict[object, Reason], integer: bool) -> Parsed:
    """The last checks of a number column: whole numbers where ``integer``, never an infinity."""
    if integer:
        fractional = values.notna() & (values != np.floor(values.fillna(0)))
        for index in values.index[fractional]:
            reasons[index] = ("应为整数", "expected a whole number")
            values[index] = np.nan
    finite = values.isna() | np.isfinite(values)
    for index in values.index[~finite]:
        reasons[index] = ("数值无效（无穷大）", "not a finite number")
        values[index] = np.nan
    return Parsed(values, reasons)


def _number_expected(column: Column) -> Reason:
    unit = f"（单位 {column.unit}）" if column.unit else ""
    unit_en = f" (in {column.unit})" if column.unit else ""
    return (f"应为数字{unit}", f"expected a number{unit_en}")


def _same_unit(a: str, b: str) -> bool:
    if normalize_unit_text(a) == normalize_unit_text(b):
        return True
    try:
        return parse_unit(a) == parse_unit(b)
    except CarbonError:
        return False


def parse_date(raw: pd.Series, column: Column, date1904: bool = False) -> Parsed:
    """Dates: date cells, Excel serials (with the workbook's epoch), and the text forms in the module doc."""
    values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    reasons: dict[object, Reason] = {}
    type_of = kinds(raw)
    epoch = _EXCEL_1904 if date1904 else _EXCEL_1900
    for index, value in raw[~blank(raw)].items():
        kind = type_of[index]
        parsed: dt.date | None = None
        if kind is np.datetime64:
            value, kind = pd.Timestamp(value), pd.Timestamp
        if kind is dt.datetime or kind is pd.Timestamp:
            parsed = value.date()
        elif kind is dt.date:
            parsed = value
        elif kind in (float, int):
            number = float(value)
            if 19000101 <= number <= 21001231 and number.is_integer():
                parsed = _ymd(*_COMPACT_DATE.match(str(int(number))).groups())
            elif number.is_integer() and 1 <= number < 80000:
                parsed = epoch + dt.timedelta(days=int(number))
        elif kind is str:
            text = unicodedata.normalize("NFKC", value).strip()
            match = _DATE.match(text) or _COMPACT_DATE.match(text)
            if match:
                parsed = _ymd(*match.groups())
        if parsed is None:
            reasons[index] = (
                "应为日期，如 2024-01-05 或 2024年1月5日（不接受 05/01/2024 这类日月顺序不明的写法）",
                "expected a date such as 2024-01-05 or 2024年1月5日 (05/01/2024 is ambiguous and refused)",
            )
        elif not dt.date(1990, 1, 1) <= parsed <= dt.date(2100, 12, 31):
            reasons[index] = ("日期超出 1990–2100 年范围", "date outside 1990-2100")
        else:
            values[index] = pd.Timestamp(parsed)
    return Parsed(values, reasons)


def _ymd(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _lookup(raw: pd.Series, resolve: Callable[[str], str | None]) -> tuple[pd.Series, list[object]]:
    """Resolve each distinct text once; returns the mapped column and the indexes that did not resolve."""
    values = pd.Series(None, index=raw.index, dtype=object)
    present = ~blank(raw)
    if not present.any():
        return values, []
    texts = raw[present].map(_show).astype(str)
    mapping = {text: resolve(text) for text in pd.unique(texts)}
    mapped = texts.map(mapping)
    values[present] = mapped
    return values, list(mapped.index[mapped.isna()])


def _choice_index(name: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for choice in CHOICES[name]:
        for spelling in (choice.id, choice.zh, *choice.aliases):
            index[header_key(spelling)] = choice.id
    return index


def parse_choice(raw: pd.Series, column: Column) -> Parsed:
    """One of a fixed list of choices, by id, Chinese label or alias."""
    index = _choice_index(column.choices or "")
    values, bad = _lookup(raw, lambda text: index.get(header_key(text)))
    valid = "、".join(c.zh for c in CHOICES[column.choices or ""])
    valid_en = ", ".join(c.id for c in CHOICES[column.choices or ""])
    return Parsed(values, {i: (f"应为以下之一：{valid}", f"expected one of: {valid_en}") for i in bad})


def parse_bool(raw: pd.Series, column: Column) -> Parsed:
    """Yes/no: 是/否, yes/no, y/n, true/false, 1/0, √/×."""
    values = pd.Series(None, index=raw.index, dtype=object)
    reasons: dict[object, Reason] = {}
    for index, value in raw[~blank(raw)].items():
        key = unicodedata.normalize("NFKC", _show(value)).strip().casefold()
        if isinstance(value, bool):
            values[index] = value
        elif key in _TRUE:
            values[index] = True
        elif key in _FALSE:
            values[index] = False
        else:
            reasons[index] = ("应为 是 或 否", "expected yes or no (是 / 否)")
    return Parsed(values, reasons)


def parse_carrier(raw: pd.Series, column: Column) -> Parsed:
    """A carrier by any known spelling (原煤, natural gas, 电力 ...)."""

    def resolve(text: str) -> str | None:
        try:
            return resolve_carrier(text)
        except CarbonError:
            return None

    values, bad = _lookup(raw, resolve)
    return Parsed(
        values,
        {
            i: (
                "未知能源品种；可选品种见「填表说明」及下拉列表",
                "unknown carrier; see the instructions sheet and the dropdown",
            )
            for i in bad
        },
    )


def parse_unit_column(raw: pd.Series, column: Column, extra: tuple[str, ...] = ()) -> Parsed:
    """A unit text the registry parses (kept as typed, NFKC-normalised); ``extra`` spellings are let through."""

    def resolve(text: str) -> str | None:
        normal = normalize_unit_text(text)
        if normal in extra:
            return normal
        try:
            parse_unit(normal)
        except CarbonError:
            return None
        return normal

    values, bad = _lookup(raw, resolve)
    return Parsed(values, {i: _unit_reason(raw[i]) for i in bad})


def _unit_reason(text: object) -> Reason:
    """Why a unit is refused: the unit's own hint where it has one (``mWh`` is the milliwatt-hour: write MWh)."""
    try:
        parse_unit(normalize_unit_text(str(text)))
    except UnknownUnitError as error:
        if error.hint:
            return f"无法识别的单位：{error.hint_zh}", f"unknown unit: {error.hint}"
    except CarbonError:
        pass
    return "无法识别的单位", "unknown unit"


def parse_list(raw: pd.Series, column: Column) -> Parsed:
    """Comma- or 顿号-separated text, as a tuple of trimmed items."""
    parsed = parse_text(raw, column)
    values = parsed.values.map(
        lambda v: tuple(p.strip() for p in re.split(r"[,，、;；]", v) if p.strip()) if isinstance(v, str) else None
    )
    return Parsed(values, parsed.reasons)
