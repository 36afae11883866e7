"""``carbon collect``: many parks' workbooks (or folders of tables) into one Parquet dataset.

Each input is read and validated by :func:`carbon.read_workbook` or :func:`carbon.read_tables`, exactly as one
park's ledger is; a park with errors is not written, and every problem of every input is kept, located, in
``problems.parquet``. Rows are accounted for per park and table: rows read (blank rows aside) = rows written +
rows rejected. The layout is described in :mod:`carbon.dataset.layout`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from carbon._version import __version__
from carbon.dataset.folders import move_into_place, staging_folder
from carbon.dataset.layout import (
    COUNTS,
    FORMAT,
    MARKER,
    PARKS,
    PARTITIONS,
    PROBLEMS,
    park_key,
    partition_digest,
    partition_path,
    to_arrow,
)
from carbon.errors import CarbonError, WorkbookError, WorkbookFormatError, bilingual, printable
from carbon.io.excel import output_path
from carbon.io.park_workbook import read_workbook
from carbon.io.table_folder import read_tables
from carbon.ledger import TABLE_NAMES, Ledger
from carbon.schema import table
from carbon.validation.problems import Problem, ReadReport

__all__ = ["Collected", "collect"]

#: The columns of ``problems.parquet`` that say whose problem it is; the :class:`Problem` fields follow.
_WHOSE = ["input_no", "input", "status", "province", "park", "reporting_year", "park_name"]
_ROWS = ["rows_read", "rows_blank", "rows_written", "rows_rejected", "rows_with_errors"]


@dataclass(frozen=True)
class Collected:
    """What :func:`collect` wrote.

    Attributes
    ----------
    path : Path
        The dataset folder.
    parks : pandas.DataFrame
        ``parks.parquet``: one row per input, its ``status`` (``written`` or ``refused``), partition keys, park
        facts (``fact_*``), problem counts and rows (read, blank, written, rejected, with errors).
    counts : pandas.DataFrame
        ``row_counts.parquet``: the rows per input and table.
    problems : pandas.DataFrame
        ``problems.parquet``: every problem of every input, with the input and, where known, its park.
    """

    path: Path
    parks: pd.DataFrame
    counts: pd.DataFrame
    problems: pd.DataFrame

    def total(self, column: str) -> int:
        """The sum of a ``rows_*`` column over the inputs."""
        return int(self.parks[column].sum())

    @property
    def written(self) -> int:
        """The number of parks (ledgers) written."""
        return int((self.parks["status"] == "written").sum())

    @property
    def refused(self) -> int:
        """The number of inputs not written."""
        return int((self.parks["status"] != "written").sum())

    def total_line(self) -> str:
        """The totals, one line in both languages."""
        read, written, rejected = (self.total(c) for c in ("rows_read", "rows_written", "rows_rejected"))
        return (
            f"合计 / total: {len(self.parks)} 个输入 inputs，写入 {self.written} 个园区 parks written，"
            f"未写入 {self.refused} / refused {self.refused}；行 rows: 读 read {read:,} = 写 written {written:,} + "
            f"拒 rejected {rejected:,}"
        )


_NO_INPUTS = bilingual("没有输入：请给出园区工作簿或表格文件夹", "no inputs: give park workbooks or folders of tables")


def _refuse_overlap(target: Path, item: object) -> None:
    """An input path that a generator yields, checked as it comes (a list's are checked before any is read)."""
    given, resolved = output_path(item).resolve(), target.resolve()
    if given == resolved or resolved in given.parents or given in resolved.parents:
        raise CarbonError(
            bilingual(f"输出文件夹与输入「{item}」重叠", f"the output folder overlaps the input {item!r}")
        )


def _split(message: str) -> tuple[str, str]:
    zh, _, en = message.partition(" / ")
    return zh, en or zh


def _read(item: object) -> tuple[str, str, Ledger | None, ReadReport]:
    """(source, kind, ledger or None, report) of one input: a workbook, a folder of tables or a Ledger."""
    if isinstance(item, Ledger):
        return item.source, "python", item, item.report
    source = str(output_path(item))  # a path, or refused in one line
    report = ReadReport(source)
    kind = "folder" if Path(source).is_dir() else "workbook"
    try:
        ledger = read_tables(source) if kind == "folder" else read_workbook(source)
        return source, kind, ledger, ledger.report
    except WorkbookError as exc:
        return source, kind, None, exc.report
    except WorkbookFormatError as exc:
        report.add(Problem("error", exc.sheet, exc.cell, "", exc.message_zh, exc.message_en, exc.code))
        report.readable = False
    except CarbonError as exc:  # a folder without tables, a file that cannot be read
        zh, en = _split(str(exc).splitlines()[0])
        report.add(Problem("error", "", "", "", zh, en, "unreadable"))
        report.readable = False
    return source, kind, None, report


def _counts(ledger: Ledger | None, report: ReadReport, written: bool) -> list[dict[str, object]]:
    """Rows per table: read (blank rows aside) = written + rejected. A refused park's rows are all rejected,
    those with an error of their own counted apart; a ledger built in Python without counts read what it holds."""
    rows = []
    tables = ledger.tables if ledger is not None else {}
    for name in TABLE_NAMES:
        count = report.counts.get(name)
        held = len(tables[name]) if ledger is not None else 0
        if count is None and ledger is None:
            continue
        read = count.read - count.blank if count is not None else held
        with_errors = count.rejected if count is not None else 0
        rows_written = held if written else 0
        rejected = with_errors if written else read
        if read != rows_written + rejected:
            raise RuntimeError(f"{report.source} {name}: {read} rows read, {rows_written} written, {rejected} rejected")
        rows.append(
            {
                "table": name,
                "sheet": count.sheet if count is not None else table(name).sheet,
                "rows_read": read,
                "rows_blank": count.blank if count is not None else 0,
                "rows_written": rows_written,
                "rows_rejected": rejected,
                "rows_with_errors": with_errors,
            }
        )
    return rows


def _facts(park: dict[str, object] | None) -> dict[str, object]:
    park = park or {}
    facts = {}
    for column in table("park").columns:
        value = park.get(column.name)
        facts[f"fact_{column.name}"] = list(value) if column.kind == "list" and value is not None else value
    return facts


def _line(number: int, total: int | None, entry: dict[str, object], report_problems: list[Problem]) -> str:
    rows = (
        f"行 rows: 读 read {entry['rows_read']:,} = 写 written {entry['rows_written']:,} + "
        f"拒 rejected {entry['rows_rejected']:,}"
    )
    errors, warnings = entry["errors"], entry["warnings"]
    place = f"[{number}]" if total is None else f"[{number}/{total}]"
    if entry["status"] == "written":
        head = (
            f"{place} 已写入 / written: {entry['fact_name']}（{entry['province']}，{entry['reporting_year']}）"
            f" ← {entry['input']}"
        )
        return printable(f"{head}；{rows}；{errors} 个错误 errors，{warnings} 个警告 warnings")
    first = next((p for p in report_problems if p.severity == "error"), None)
    shown = f"；首个 first: {first}" if first is not None else ""
    return printable(
        f"{place} 未写入 / refused: {entry['input']}：{errors} 个错误 errors{shown}；{rows}"
        f"（其中 {entry['rows_with_errors']:,} 行有错误 / {entry['rows_with_errors']:,} with errors）"
    )


def collect(
    inputs: Iterable[object],
    out: str | Path,
    *,
    replace: bool = False,
    on_park: Callable[[str], object] | None = None,
) -> Collected:
    """Read, validate and write many parks' ledgers into one Parquet dataset.

    Parameters
    ----------
    inputs : iterable
        Park workbooks (.xlsx), folders of tables (CSV or Parquet, see :func:`carbon.read_tables`), or
        :class:`~carbon.Ledger` objects; each is one park's ledger of one reporting year. An iterator (a
        generator of ledgers) is taken one input at a time, so that no more than one ledger is held at once;
        its paths are checked against ``out`` as they come.
    out : str or Path
        The dataset folder: new, empty, or (with ``replace``) an earlier dataset, which is replaced whole once
        the new one is complete. It is written beside and renamed into place.
    replace : bool
        Replace an earlier dataset at ``out``.
    on_park : callable, optional
        Called with one line of text per input once it is done (``carbon collect`` prints it).

    Returns
    -------
    Collected
        The dataset's path and its tables of parks, row counts and problems.

    Notes
    -----
    An input with an error (any located problem of severity ``error``; a park without its 所在省份; a second
    ledger of the same park, province and reporting year) is not written: its problems are in
    ``problems.parquet``, its rows counted as rejected. A province is the region id the park sheet's 所在省份
    resolves to (``Qinghai``).

    Raises
    ------
    CarbonError
        ``out`` cannot or must not be written (said before any input is read).
    """
    streamed = isinstance(inputs, Iterator)  # a generator of ledgers: one at a time, never all in memory
    items = inputs if streamed else list(inputs)
    total = None if streamed else len(items)
    if total == 0:
        raise CarbonError(_NO_INPUTS)
    target, staging = staging_folder(
        out, replace, [] if streamed else [i for i in items if not isinstance(i, Ledger)], MARKER
    )
    try:
        parks, counts, problems = [], [], []
        seen: dict[tuple[str, str, int], int] = {}
        number = 0
        for item in items:  # not enumerate(): its result tuple holds the last input while the next is made
            number += 1
            if streamed and not isinstance(item, Ledger):
                _refuse_overlap(target, item)
            source, kind, ledger, report = _read(item)
            extra: list[Problem] = []
            facts = dict(ledger.park) if ledger is not None else None
            province = facts.get("province") if facts else None
            key = year = None
            if ledger is not None and not province:
                extra.append(
                    Problem(
                        "error",
                        table("park").sheet,
                        "",
                        "",
                        "缺少所在省份：数据集按省份分区，园区须填写所在省份",
                        "the province is missing: the dataset is partitioned by province",
                        "no_province",
                        column="province",
                    )
                )
            elif ledger is not None:
                key, year = park_key(str(province), str(facts["name"])), int(facts["reporting_year"])
                earlier = seen.get((province, key, year))
                if earlier is not None:
                    extra.append(
                        Problem(
                            "error",
                            table("park").sheet,
                            "",
                            str(facts["name"]),
                            f"与第 {earlier} 个输入是同一园区、同一报告年度，未写入",
                            f"the same park and reporting year as input {earlier}; not written",
                            "duplicate_park",
                        )
                    )
            written = ledger is not None and not extra
            rows = _counts(ledger, report, written)
            all_problems = [*report.problems, *extra]
            status = "written" if written else "refused"
            digest = None
            if written:
                seen[(province, key, year)] = number
                digest = _write_partition(staging, ledger, str(province), key, year)
            whose = {
                "input_no": number,
                "input": source,
                "status": status,
                "province": province if written else None,
                "park": key if written else None,
                "reporting_year": year if written else None,
                "park_name": facts.get("name") if facts else None,
            }
            entry = {
                **whose,
                "kind": kind,
                "sha256": ledger.sha256 if written else None,
                "partition_sha256": digest,
                **_facts(facts),
                "errors": sum(p.severity == "error" for p in all_problems),
                "warnings": sum(p.severity == "warning" for p in all_problems),
                "notices": sum(p.severity == "notice" for p in all_problems),
                **{column: sum(int(r[column]) for r in rows) for column in _ROWS},
            }
            parks.append(entry)
            counts += [{"input_no": number, "input": source, "status": status, **r} for r in rows]
            problems += [{**whose, **p.to_dict()} for p in all_problems]
            if on_park is not None:
                on_park(_line(number, total, entry, all_problems))
            ledger = item = None  # let it go before the next input is read (or made, by a generator)
        if not parks:
            raise CarbonError(_NO_INPUTS)
        result = _write_tables(staging, parks, counts, problems)
        move_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Collected(target, *result)


def _write_partition(staging: Path, ledger: Ledger, province: str, key: str, year: int) -> str:
    """Write one ledger's tables; returns the digest of the files (:func:`partition_digest`)."""
    files = {}
    for name, frame in ledger.tables.items():
        path = partition_path(staging, name, province, key, year)
        path.parent.mkdir(parents=True, exist_ok=True)
        sink = pa.BufferOutputStream()
        pq.write_table(to_arrow(frame, name), sink)
        files[name] = sink.getvalue().to_pybytes()
        path.write_bytes(files[name])
    return partition_digest(files)


def _write_tables(
    staging: Path, parks: list[dict], counts: list[dict], problems: list[dict]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    fields = list(Problem.__dataclass_fields__)
    parks_frame = pd.DataFrame(parks)
    counts_frame = pd.DataFrame(counts, columns=["input_no", "input", "status", "table", "sheet", *_ROWS])
    problems_frame = pd.DataFrame(problems, columns=[*_WHOSE, *fields])
    for frame in (parks_frame, problems_frame):
        frame["reporting_year"] = frame["reporting_year"].astype("Int64")
    problems_frame["row"] = problems_frame["row"].astype("Int64")
    parks_frame.to_parquet(staging / PARKS, index=False)
    counts_frame.to_parquet(staging / COUNTS, index=False)
    problems_frame.astype({c: object for c in ("province", "park", "park_name")}).to_parquet(
        staging / PROBLEMS, index=False, schema=_problems_schema(fields)
    )
    about = {
        "format": FORMAT,
        "carbon": __version__,
        "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "layout": "<table>/province=<province>/park=<park>/reporting_year=<year>/part-0.parquet",
        "partitions": list(PARTITIONS),
        "tables": list(TABLE_NAMES),
        "parks": int((parks_frame["status"] == "written").sum()),
        "inputs": len(parks_frame),
    }
    (staging / MARKER).write_text(json.dumps(about, ensure_ascii=False, indent=1), encoding="utf-8")
    return parks_frame, counts_frame, problems_frame


def _problems_schema(fields: list[str]) -> pa.Schema:
    """``problems.parquet`` typed even when it has no rows (or no park is known)."""
    types = {"input_no": pa.int64(), "reporting_year": pa.int64(), "row": pa.int64()}
    return pa.schema([pa.field(name, types.get(name, pa.string())) for name in [*_WHOSE, *fields]])
