"""The park ledger: the park's facts and its tables, validated.

A :class:`Ledger` holds one pandas DataFrame per table of :mod:`carbon.schema` (columns as in the README
glossary, plus ``source_row``: the Excel row each record came from) and the park facts. Build one from a
workbook with :func:`read_workbook`, or from Python data with :meth:`Ledger.from_frames`; both go through the
same validation, so a ledger never holds a row that breaks a rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from carbon import _codes
from carbon._data import data_files
from carbon._moved import moved
from carbon.errors import CarbonError, UnknownNameError, WorkbookError, bilingual
from carbon.schema import TABLES, table
from carbon.validation import tables as _validate
from carbon.validation.problems import ReadReport
from carbon.validation.tables import RawPark, RawTable

__all__ = ["Ledger", "sample_workbook_path"]

TABLE_NAMES = tuple(t.name for t in TABLES if not t.key_value)


def _digest(park: Mapping[str, object], tables: Mapping[str, pd.DataFrame]) -> str:
    """SHA-256 over the park facts and every table (for ledgers built in Python).

    Each column contributes its name, its missing-value mask and its values: numbers as float64 bytes, a
    categorical as its categories and codes, any other value as text joined by NUL. Object and str columns
    with the same values give the same digest. Linear in the data and without a CSV copy of it."""
    digest = hashlib.sha256(repr(sorted(park.items())).encode())
    for name in sorted(tables):
        frame = tables[name]
        digest.update(f"\x1e{name}\x1f{len(frame)}".encode())
        for column in frame.columns:
            values = frame[column]
            missing = values.isna().to_numpy(dtype=bool)
            digest.update(f"\x1d{column}".encode())
            digest.update(np.packbits(missing))
            dtype = values.dtype
            if isinstance(dtype, pd.CategoricalDtype):  # sorted observed categories: canonical for the values
                digest.update(b"t" + "\x00".join(map(str, dtype.categories)).encode())
                digest.update(np.ascontiguousarray(values.cat.codes.to_numpy(), dtype=np.int32))
            elif pd.api.types.is_numeric_dtype(dtype):
                numbers = values.to_numpy(dtype=float, na_value=np.nan)
                digest.update(b"n")
                digest.update(np.ascontiguousarray(np.where(missing, 0.0, numbers)))
            else:
                digest.update(b"t" + "\x00".join(values[~missing].astype(str).tolist()).encode())
    return digest.hexdigest()


#: Whether pandas copies on write (pandas 3 always does; pandas 2 only where asked, and then not here).
_COPY_ON_WRITE = int(pd.__version__.split(".", 1)[0]) >= 3

#: Label columns of the energy table, the one that reaches millions of rows: held as categoricals.
CODED_LABELS = ("enterprise_id", "carrier", "unit", "use")


def _with_coded_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """The energy table with its label columns as categoricals (sorted, observed-only categories): a tenth of
    the memory of text, and the account groups on the codes instead of hashing millions of strings."""
    out = frame.copy(deep=False)
    for column in CODED_LABELS:
        if column in out.columns and len(out) and not _coded_already(out[column]):
            out[column] = _codes.categorical(*_codes.encode(out[column]))
    return out


#: The dtype of the categories :func:`carbon._codes.categorical` gives.
_TEXT = pd.Index(np.array([], dtype=object), dtype="str").dtype


def _coded_already(values: pd.Series) -> bool:
    """Whether ``values`` is a categorical as :func:`carbon._codes.categorical` makes it of its own codes and
    categories (text categories, sorted, each used; codes of the smallest type), so that re-encoding it would
    give it back unchanged: the energy labels as validation types them (about 0.16 s of re-encoding saved at
    7.2 M rows, for a count of each code's rows)."""
    dtype = values.dtype
    if not isinstance(dtype, pd.CategoricalDtype):
        return False
    categories = dtype.categories
    size = len(categories)
    codes = values.cat.codes.to_numpy()
    if size == 0 or categories.dtype != _TEXT or codes.dtype != _codes.code_dtype(size):
        return False
    if not (categories.is_monotonic_increasing and categories.is_unique):
        return False
    return bool(_code_counts(codes, size)[1:].all())


def _code_counts(codes: np.ndarray, size: int) -> np.ndarray:
    """The rows of each code in [-1, size), missing (-1) first: counted a slice at a time, so that the integers
    NumPy's bincount makes of the codes stay in the cache (about 3x faster than one count of 7.2 M codes)."""
    counts = np.zeros(size + 1, dtype=np.intp)
    step = max(1 << 16, 8 * size)
    for start in range(0, len(codes), step):
        counts += np.bincount(codes[start : start + step] + 1, minlength=size + 1)
    return counts


#: The dtype of an empty column of each kind: what reading a sheet without rows gives.
_EMPTY_DTYPES = {"year": "Int64", "month": "Int64", "number": "float64", "percent": "float64", "date": "datetime64[s]"}


def _empty(name: str) -> pd.DataFrame:
    """A table without rows, typed as a sheet without rows reads (so either way round trips alike)."""
    frame = pd.DataFrame({c.name: pd.Series(dtype=_EMPTY_DTYPES.get(c.kind, object)) for c in table(name).columns})
    frame["source_row"] = pd.Series(dtype="Int64")
    return frame


class Ledger:
    """A validated park ledger.

    Attributes
    ----------
    park : Mapping
        name, province (region id), reporting_year, baseline_year, sub_parks (tuple).
    report : ReadReport
        What validation found (warnings and notices; a ledger has no errors).
    enterprises, economics, energy, green_power, projects, boilers, solid_waste, green_factories,
    resources, targets, custom_factors : pandas.DataFrame
        The tables (each access returns a copy). Units are fixed where the glossary fixes them
        (万元, t, GJ, 蒸吨); quantities with a ``unit`` column keep the unit as typed.
    """

    def __init__(
        self,
        park: Mapping[str, object],
        tables: Mapping[str, pd.DataFrame],
        report: ReadReport | None = None,
        *,
        source: str = "(python)",
        sha256: str | None = None,
    ) -> None:
        self._park = MappingProxyType(dict(park))
        # shallow copies under pandas' copy-on-write (always on since pandas 3): a change to the caller's frame
        # copies the data it changes, so the ledger's tables stay as given without copying millions of rows
        self._tables = {
            name: (tables[name].copy(deep=not _COPY_ON_WRITE) if name in tables else _empty(name))
            for name in TABLE_NAMES
        }
        self._tables["energy"] = _with_coded_labels(self._tables["energy"])
        self._report = report or ReadReport(source)
        self._source = source
        self._sha256 = sha256  # of a Python-built ledger: computed when first asked for
        self._table_record: str | None = None

    @property
    def source(self) -> str:
        """The workbook the ledger was read from, or ``(python)``."""
        return self._source

    @property
    def sha256(self) -> str:
        """SHA-256 of the input file, or of the tables' contents for a ledger built in Python."""
        if self._sha256 is None:
            self._sha256 = _digest(self._park, self._tables)
        return self._sha256

    @property
    def table_record(self) -> str:
        """Per input table, its rows and a 64-bit hash of its contents (``source_row`` left out, the order of the
        rows free), as JSON: the 碳账本's manifest records it, so that two 碳账本 say which input tables differ
        (carbon diff). A change detector, not a security checksum: the sum of pandas' row hashes. Computed once
        per ledger (about 0.3 s for 7.2 million energy rows)."""
        if self._table_record is None:
            record = {}
            for name, frame in self._tables.items():
                values = frame.drop(columns="source_row", errors="ignore")
                try:
                    rows = pd.util.hash_pandas_object(values, index=False)
                except TypeError:  # a column of values that cannot be hashed: their text
                    rows = pd.util.hash_pandas_object(values.astype(str), index=False)
                record[name] = [len(frame), format(int(rows.to_numpy().sum(dtype=np.uint64)), "016x")]
            self._table_record = json.dumps(record)
        return self._table_record

    @property
    def park(self) -> Mapping[str, object]:
        return self._park

    @property
    def report(self) -> ReadReport:
        return self._report

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, as new DataFrames."""
        return {name: frame.copy() for name, frame in self._tables.items()}

    def table(self, name: str) -> pd.DataFrame:
        """One table by name, as a new DataFrame."""
        if name not in self._tables:
            raise UnknownNameError("table", name, list(TABLE_NAMES))
        return self._tables[name].copy()

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in TABLE_NAMES:
            raise AttributeError(name)
        return self._tables[name].copy()

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(frame)}" for name, frame in self._tables.items() if len(frame))
        return f"Ledger({self._park.get('name')!r}, {self._park.get('reporting_year')}, {sizes})"

    def account(self, year: int | None = None, *, methods=None, **choices):
        """The annual account of ``year`` (default: the reporting year): see :class:`carbon.account.AnnualAccount`.

        Method choices (a :class:`carbon.account.Methods`, or its fields as keywords; recorded on the result):
        ``scope2`` "both" (verdicts market-based), "location" or "market"; ``gwp`` AR4/AR5/AR6 (for
        ``non_co2``); ``factor_set`` of fuel defaults; ``electricity_tce`` "equivalent" (当量值) or
        "equal-value" (等价值); ``non_co2`` adds CH4 and N2O in CO2e; ``clean_energy``
        "natural_gas+non_fossil" or "non_fossil".
        """
        from carbon.account import compute_account

        return compute_account(self, year, methods=methods, **choices)

    def accounts(self, years=None, *, main_year: int | None = None, methods=None, **choices):
        """The accounts of several years and their trend: see :class:`carbon.account.years.YearlyAccounts`.

        ``years``: ``"2020-2023"``, ``"2020,2022"`` or a list (default: every year with energy data). The method
        choices are those of :meth:`account`, the same for every year. ``main_year`` (default: the reporting
        year when among ``years``, else the latest) is the year whose 碳账本 ``to_excel`` writes, with the trend."""
        from carbon.account.years import compute_accounts

        return compute_accounts(self, years, main_year=main_year, methods=methods, **choices)

    @classmethod
    def from_frames(cls, park: Mapping[str, object], **tables: pd.DataFrame) -> Ledger:
        """Build a ledger from Python data, validated exactly like a workbook.

        Parameters
        ----------
        park : mapping
            name, province, reporting_year, baseline_year and optionally sub_parks.
        **tables : pandas.DataFrame
            Tables by glossary name (``enterprises=...``, ``energy=...``), columns by glossary name.

        Raises
        ------
        WorkbookError
            Any rule is broken; problems are located as ``table!column row N``.
        """
        unknown = set(tables) - set(TABLE_NAMES)
        if unknown:
            raise UnknownNameError("table", sorted(unknown)[0], list(TABLE_NAMES))
        _check_shapes(park, tables)
        report = ReadReport("(python)")
        raws: dict[str, RawTable] = {}
        for name, frame in tables.items():
            spec = table(name)
            extra = [c for c in frame.columns if c not in spec.names and c != "source_row"]
            if extra:
                raise CarbonError(
                    bilingual(
                        f"表 {name} 含未知列 {extra}", f"table {name} has unknown columns {extra}; valid: {spec.names}"
                    )
                )
            data = frame.reset_index(drop=True).astype(object)
            data = data[[c for c in spec.names if c in data.columns]]
            rows = pd.Series(range(1, len(data) + 1), index=data.index)
            letters = {c: f"{c} row " for c in data.columns}
            raws[name] = RawTable(spec, name, data, rows, letters, rows_read=len(data))
        park_raw = RawPark(
            "park",
            {k: (v if not isinstance(v, (list, tuple)) else "、".join(str(x) for x in v), k) for k, v in park.items()},
        )
        refuse_non_scalars(raws)
        facts, typed = _validate.validate_raw_tables(raws, park_raw, report)
        if typed is None or facts is None:
            raise WorkbookError(report)
        return cls(facts, typed, report)


#: Python objects that are not one cell's value.
_NOT_A_CELL = (list, tuple, set, frozenset, dict, np.ndarray, np.void, pd.Series, pd.DataFrame)


def _hashable(value: object) -> bool:
    """Whether ``value`` can be one cell's value at all (a numpy structured scalar, say, cannot)."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _check_shapes(park: object, tables: Mapping[str, object]) -> None:
    """The park a mapping of single values (a list or tuple of sub-parks aside), each table a DataFrame with
    one column of each name; anything else is refused naming what was given."""
    if not isinstance(park, Mapping):
        raise CarbonError(
            bilingual(
                f"park 应为字典（项目 → 值），实为 {type(park).__name__}",
                f"park must be a mapping (item -> value), not {type(park).__name__}",
            )
        )
    for item, value in park.items():
        if isinstance(value, _NOT_A_CELL) and not isinstance(value, (list, tuple)):
            raise CarbonError(
                bilingual(
                    f"园区信息「{item}」的值不是单个数值或文本（{type(value).__name__}）",
                    f"the park's {item!r} holds a {type(value).__name__}, not one value",
                )
            )
    for name, frame in tables.items():
        if not isinstance(frame, pd.DataFrame):
            raise CarbonError(
                bilingual(
                    f"表 {name} 应为 pandas.DataFrame，实为 {type(frame).__name__}",
                    f"table {name} must be a pandas.DataFrame, not {type(frame).__name__}",
                )
            )
        twice = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        if twice:
            raise CarbonError(
                bilingual(f"表 {name} 有重复的列 {twice}", f"table {name} has the same column more than once: {twice}")
            )


def _scalar_dtype(dtype: object) -> bool:
    """A column type whose cells can only be single values (an Arrow list or struct type is not one)."""
    api = pd.api.types
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        return False
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        kind = dtype.pyarrow_dtype
        return not (pa.types.is_nested(kind) or pa.types.is_dictionary(kind))
    return bool(
        isinstance(dtype, pd.CategoricalDtype)
        or api.is_numeric_dtype(dtype)
        or api.is_bool_dtype(dtype)
        or api.is_datetime64_any_dtype(dtype)
        or api.is_string_dtype(dtype)
    )


def refuse_non_scalars(raws: Mapping[str, RawTable]) -> None:
    """A list, a dict, an array or a record given as one cell's value is refused with its table (or file), column
    and row (it cannot be a cell of a workbook; the checks would fail on it with another library's error)."""
    problems = []
    for raw in raws.values():
        for column in raw.frame.columns:
            values = raw.frame[column]
            if _scalar_dtype(values.dtype):  # a typed column (number, text, categorical, date) holds scalars only
                continue
            try:
                pd.factorize(values.to_numpy(dtype=object))  # hashable throughout: the common, fast case
                continue
            except TypeError:
                pass
            for index, value in values.items():
                if isinstance(value, _NOT_A_CELL) or not _hashable(value):
                    problems.append(f"{raw.sheet}!{column} row {raw.rows[index]}: {type(value).__name__}")
    if problems:
        shown = "; ".join(problems[:10]) + (f"; … (+{len(problems) - 10})" if len(problems) > 10 else "")
        raise CarbonError(
            bilingual(
                f"以下单元格的值不是单个数值或文本（列表、字典、数组或结构体）：{shown}",
                f"these cells hold a list, a dict, an array or a record, not one value: {shown}",
            )
        )


def sample_workbook_path() -> Path:
    """Path of the bundled sample park workbook (Dongchuan Industrial Park, reporting year 2023)."""
    return Path(str(data_files("carbon.seeds") / "dongchuan_2023.xlsx"))


# read_workbook, read_tables and validate_tables read files: they live in carbon.io (park_workbook,
# table_folder), above this module; the names stay importable from here for one release, warning on use.
__getattr__ = moved(
    __name__,
    "carbon.io.park_workbook",
    {
        "read_workbook": "carbon.io.park_workbook:read_workbook",
        "read_tables": "carbon.io.table_folder:read_tables",
        "validate_tables": "carbon.io.table_folder:validate_tables",
    },
    only=True,
)
