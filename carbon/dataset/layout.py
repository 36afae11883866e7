"""Where a dataset of many parks keeps what, and how one park's ledger is read back from it.

A dataset is a folder::

    _carbon_dataset.json                   what this folder is (format, layout, tables, carbon version)
    parks.parquet                          one row per input: status, the park facts, rows read = written + rejected
    row_counts.parquet                     the same per input and table
    problems.parquet                       every problem found, located (input, sheet, cell), in both languages
    <table>/province=<province>/park=<park>/reporting_year=<year>/part-0.parquet

Each input table (``energy``, ``enterprises`` ...) is a Parquet dataset partitioned the Hive way, which
pyarrow, pandas, Dask, DuckDB and Spark read as one table with the columns ``province``, ``park`` and
``reporting_year`` added from the folder names. ``province`` is the region id of the park sheet's 所在省份
(``Qinghai``), ``park`` a key of the province and the park's name (16 hexadecimal characters: a park's name is
Chinese and can be long, a folder name cannot), ``reporting_year`` the ledger's 报告年度. The partition is named
``reporting_year``, not ``year``: the tables hold a ``year`` of their own (the year of each row). One ledger is
one partition: the account needs the ledger whole (its baseline year's rows are in it too).

Columns are typed from :mod:`carbon.schema` (text as strings, years and months as nullable integers, amounts as
float64, dates as timestamps), the same in every partition, so that the partitions of a table read as one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from carbon.errors import CarbonError, WorkbookError, bilingual
from carbon.io.table_folder import dictionary_categorical
from carbon.ledger import CODED_LABELS, TABLE_NAMES, Ledger
from carbon.schema import table

__all__ = [
    "COUNTS",
    "FORMAT",
    "MARKER",
    "PARKS",
    "PARTITIONS",
    "PROBLEMS",
    "arrow_schema",
    "open_dataset",
    "park_facts",
    "park_key",
    "partition_digest",
    "partition_path",
    "read_park",
    "to_arrow",
]

#: The file that says a folder is a carbon dataset.
MARKER = "_carbon_dataset.json"
#: The format written in the marker: a reader refuses another.
FORMAT = "carbon-dataset/1"
PARKS = "parks.parquet"
COUNTS = "row_counts.parquet"
PROBLEMS = "problems.parquet"
#: The partition keys, outermost first.
PARTITIONS = ("province", "park", "reporting_year")

#: The Arrow type of a column of each kind (any other kind is text).
_KIND_TYPES = {
    "year": pa.int64(),
    "month": pa.int64(),
    "number": pa.float64(),
    "percent": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.timestamp("ms"),
}


def park_key(province: str, name: str) -> str:
    """The ``park`` partition value: 16 hexadecimal characters of SHA-256 over the province and the park's name,
    the same for every year of a park."""
    return hashlib.sha256(f"{province}\x1f{name}".encode()).hexdigest()[:16]


def partition_path(root: str | Path, name: str, province: str, park: str, year: int) -> Path:
    """The file of table ``name`` of one ledger. The province is written as Hive readers decode it (percent
    escapes: ``Inner%20Mongolia``)."""
    return (
        Path(root)
        / name
        / f"province={quote(province, safe='')}"
        / f"park={park}"
        / f"reporting_year={year}"
        / ("part-0.parquet")
    )


def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of input table ``name``: its columns in the schema's order, then ``source_row``."""
    fields = [pa.field(c.name, _KIND_TYPES.get(c.kind, pa.string())) for c in table(name).columns]
    return pa.schema([*fields, pa.field("source_row", pa.int64())])


def _text(values: pd.Series) -> pa.Array:
    """A column of labels and names as Arrow strings, blanks as nulls."""
    values = values.astype(object)
    missing = values.isna().to_numpy(dtype=bool)
    if missing.any() or not all(isinstance(v, str) for v in values):
        values = pd.Series(
            [None if gone else (v if isinstance(v, str) else str(v)) for v, gone in zip(values, missing, strict=True)],
            dtype=object,
        )
    return pa.array(values, type=pa.string())


def to_arrow(frame: pd.DataFrame, name: str) -> pa.Table:
    """Table ``name`` of a ledger as an Arrow table of :func:`arrow_schema` (a column the frame lacks is null)."""
    schema = arrow_schema(name)
    arrays = []
    for field in schema:
        values = frame[field.name] if field.name in frame.columns else pd.Series([None] * len(frame), dtype=object)
        values = values.reset_index(drop=True)
        if pa.types.is_string(field.type):
            arrays.append(_text(values))
        elif pa.types.is_timestamp(field.type):
            arrays.append(pa.array(pd.to_datetime(values).astype("datetime64[ms]"), type=field.type, from_pandas=True))
        elif pa.types.is_boolean(field.type):
            arrays.append(pa.array(values.astype("boolean"), type=field.type, from_pandas=True))
        elif pa.types.is_integer(field.type):
            arrays.append(pa.array(values.astype("Int64"), type=field.type, from_pandas=True))
        else:
            arrays.append(pa.array(values.astype("float64"), type=field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=schema)


#: Arrow types read back as pandas' nullable types (what a ledger holds).
_NULLABLE = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


#: Each table's frame without rows, as :func:`_read_table` first read it from a file of none (a park's optional
#: tables are mostly empty: reading them again cost 3-6 ms each, together more than a park's energy table of
#: 36,000 rows).
_EMPTY: dict[str, pd.DataFrame] = {}


def _read_table(data: bytes, name: str, path: Path | None = None) -> pd.DataFrame:
    """A table's file as a validated ledger holds the table (see :func:`_read_file`); a file of no rows gives the
    table's frame without rows, read once per process."""
    if pq.read_metadata(pa.BufferReader(data)).num_rows:
        return _read_file(data, name, path)
    if name not in _EMPTY:
        _EMPTY[name] = _read_file(data, name, path, coded=False)  # typed as a ledger built in Python types it
    return _EMPTY[name].copy()


def _read_file(data: bytes, name: str, path: Path | None = None, *, coded: bool = True) -> pd.DataFrame:
    """A table's file as a validated ledger holds the table: text as Python strings (blanks NaN, or None when the
    whole column is blank), years and months Int64, flags boolean, dates datetime64[ns]; the energy table's labels
    (:data:`carbon.ledger.CODED_LABELS`) as categoricals made from the file's dictionaries of distinct texts, as
    the ledger holds them (it puts their categories in order), so that no Python string is made per row (7.2 M
    energy rows: 10 s to 0.3 s). ``path`` names the file in an error."""
    plain = arrow_schema(name)
    labels = [c for c in CODED_LABELS if c in plain.names] if coded and name == "energy" else []
    dictionary = pa.dictionary(pa.int32(), pa.string())
    schema = pa.schema([pa.field(f.name, dictionary) if f.name in labels else f for f in plain])
    try:
        whole = pq.read_table(pa.BufferReader(data), schema=schema, read_dictionary=labels or None)
    except (pa.ArrowNotImplementedError, pa.ArrowTypeError, pa.ArrowInvalid):
        if not labels:  # nothing read otherwise than the schema says: the file itself is at fault
            raise
        # a label stored as another type (another tool wrote numbers): read as text, as every other text column
        # is (Arrow casts numbers to text, not to a dictionary of text); the ledger codes the labels itself
        labels, schema = [], plain
        whole = pq.read_table(pa.BufferReader(data), schema=schema)
    read = whole.drop_columns(labels)
    frame = read.to_pandas(types_mapper=_NULLABLE.get)
    if labels:
        shown = path or Path(f"{name}.parquet")
        for label in labels:
            frame[label] = dictionary_categorical(whole.column(label), shown, label)
        frame = frame[schema.names]
    for field in read.schema:
        values = frame[field.name]
        if pa.types.is_string(field.type):
            values = values.astype(object)
            blank = values.isna()
            frame[field.name] = values.where(~blank, None if blank.all() else np.nan)
        elif pa.types.is_timestamp(field.type):
            frame[field.name] = values.astype("datetime64[ns]")
    return frame


def partition_digest(files: Mapping[str, bytes]) -> str:
    """SHA-256 over the files of one ledger's partition (table name and bytes, in the tables' order)."""
    digest = hashlib.sha256()
    for name in TABLE_NAMES:
        digest.update(f"\x1e{name}\x1f{len(files[name])}\x1f".encode())
        digest.update(files[name])
    return digest.hexdigest()


def park_facts(entry: Mapping[str, object]) -> dict[str, object]:
    """The park facts of a row of ``parks.parquet`` (its ``fact_*`` columns), as a ledger takes them."""
    facts: dict[str, object] = {}
    for column in table("park").columns:
        value = entry.get(f"fact_{column.name}")
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        if column.kind == "list":
            facts[column.name] = tuple(str(v) for v in value)
        elif column.kind == "year":
            facts[column.name] = int(value)
        else:
            facts[column.name] = value
    return facts


def read_park(root: str | Path, entry: Mapping[str, object]) -> Ledger:
    """One park's ledger from the dataset at ``root``: ``entry`` is its row of ``parks.parquet``.

    ``carbon collect`` validated the ledger and recorded the digest of the files it wrote
    (``partition_sha256``). Files with that digest are read as they are; files changed since (another tool wrote
    them) go through :meth:`Ledger.from_frames`, the same validation as a workbook: checked again, not trusted.
    Either way the ledger keeps each row's ``source_row`` (its row in the workbook) and its input's path and
    SHA-256, so that the account's ``input_row`` points at the workbook.

    Raises
    ------
    CarbonError
        A table's file is missing or unreadable (named), or the ledger breaks a rule (``WorkbookError``).
    """
    files, tables = {}, {}
    province, park, year = str(entry["province"]), str(entry["park"]), int(entry["reporting_year"])
    for name in TABLE_NAMES:
        path = partition_path(root, name, province, park, year)
        try:
            files[name] = path.read_bytes()
            tables[name] = _read_table(files[name], name, path)
        except (OSError, pa.ArrowException) as exc:
            raise CarbonError(
                bilingual(
                    f"数据集中 {path} 无法读取（{type(exc).__name__}）",
                    f"{path} of the dataset cannot be read ({type(exc).__name__}: {exc})",
                )
            ) from None
    source = str(entry.get("input") or "(dataset)")
    sha256 = entry.get("sha256") if isinstance(entry.get("sha256"), str) else None
    facts = park_facts(entry)
    if partition_digest(files) == entry.get("partition_sha256"):
        return Ledger(facts, tables, source=source, sha256=sha256)
    try:
        checked = Ledger.from_frames(facts, **tables)
    except WorkbookError as exc:
        shown = "\n".join(str(p) for p in exc.report.errors[:20])
        folder = partition_path(root, "<table>", province, park, year).parent
        raise CarbonError(
            bilingual(
                f"数据集中园区「{facts.get('name')}」的表格（{folder}）在 carbon collect 之后被改动，未通过校验"
                "（行号为表格文件中的行）",
                f"the tables of park {facts.get('name')!r} ({folder}) changed after carbon collect and break a "
                "rule (rows are rows of the table file)",
            )
            + "\n"
            + shown
        ) from None
    typed = checked.tables  # from_frames numbers the rows from 1: the workbook's rows are put back
    for name, frame in typed.items():
        frame["source_row"] = tables[name]["source_row"].to_numpy() if len(frame) == len(tables[name]) else pd.NA
        frame["source_row"] = frame["source_row"].astype("Int64")
    return Ledger(checked.park, typed, checked.report, source=source, sha256=sha256)


def open_dataset(root: str | Path) -> tuple[dict[str, object], pd.DataFrame]:
    """The marker and ``parks.parquet`` of the dataset at ``root``; a folder that is not one is refused."""
    folder = Path(root)
    marker = folder / MARKER
    if not marker.is_file():
        raise CarbonError(
            bilingual(
                f"「{root}」不是 carbon 数据集（没有 {MARKER}）；先用 carbon collect 写出数据集",
                f"{str(root)!r} is not a carbon dataset (no {MARKER}); write one with carbon collect",
            )
        )
    try:
        about = json.loads(marker.read_text(encoding="utf-8"))
        parks = pd.read_parquet(folder / PARKS)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CarbonError(
            bilingual(
                f"数据集「{root}」无法读取（{type(exc).__name__}）",
                f"the dataset {str(root)!r} cannot be read ({type(exc).__name__}: {exc})",
            )
        ) from None
    if not isinstance(about, dict) or about.get("format") != FORMAT:
        found = about.get("format") if isinstance(about, dict) else None
        raise CarbonError(
            bilingual(
                f"数据集「{root}」的格式为 {found!r}，本版本读取 {FORMAT}",
                f"the dataset {str(root)!r} is of format {found!r}; this version reads {FORMAT}",
            )
        )
    return about, parks
