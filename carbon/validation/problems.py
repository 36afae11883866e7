"""Problems found in a park ledger, the report that collects them, and the collector the rules report through.

Every problem names the sheet and cell (``能源消费!F12``), the value found, and what is wrong, in Chinese and
English. Severities: ``error`` (the ledger cannot be built), ``warning`` (built, but look at it) and
``notice`` (something the reader did on your behalf, such as ignoring an extra column).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from carbon.errors import WorkbookError, bilingual, printable
from carbon.schema.inputs import TABLES, header_key

if TYPE_CHECKING:
    from carbon.validation.tables import RawTable

__all__ = [
    "FILE",
    "Collector",
    "Problem",
    "ReadReport",
    "SheetCount",
    "WorkbookError",
    "column_letter",
    "show",
    "sort_problems",
]

Severity = Literal["error", "warning", "notice"]


def column_letter(index: int) -> str:
    """Excel column letters for a zero-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One located problem."""

    severity: Severity
    sheet: str
    cell: str
    value: str
    message_zh: str
    message_en: str
    code: str = ""
    column: str = ""
    row: int | None = None

    @property
    def where(self) -> str:
        """``sheet!cell``, the sheet alone for a problem with the whole sheet, or ``文件 file`` for the file."""
        if not self.sheet:
            return FILE
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        """One line: severity, where, the value and the message, control characters escaped (a cell's text
        never moves a terminal's cursor or starts a new line of the report)."""
        value = f" 「{self.value}」" if self.value else ""
        return printable(f"[{self.severity}] {self.where}{value}: {bilingual(self.message_zh, self.message_en)}")

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


#: Where a problem with the whole file (not a sheet of it) is located.
FILE = "文件 file"


@dataclass
class SheetCount:
    """Rows of one sheet: read = accepted + rejected + blank."""

    sheet: str
    table: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    blank: int = 0


class ReadReport:
    """Everything the reader found, and how every row was accounted for.

    :attr:`problems` always comes out in reading order, whatever order the rules ran in: problems with the
    whole file first, then sheet by sheet in the template's order (园区, 企业, 经济, 能源消费 ...: the order of
    :data:`carbon.schema.inputs.TABLES`; a CSV or Parquet file by its table; sheets that are no table last, in
    the order they were first reported), and within a sheet the problems with the whole sheet (a missing
    column, hidden rows) first, as they explain the rest, then by row and column. Problems at the same cell
    keep the order they were found in (the first reason found first). Add problems with :meth:`add`.
    """

    def __init__(
        self,
        source: str,
        problems: Iterable[Problem] = (),
        counts: dict[str, SheetCount] | None = None,
        readable: bool = True,
    ) -> None:
        self.source = source
        self.counts: dict[str, SheetCount] = dict(counts or {})
        self.readable = readable  # False when the file is not a readable workbook at all
        self._problems: list[Problem] = []
        self._sorted = True
        for problem in problems:
            self.add(problem)

    def __repr__(self) -> str:
        return f"ReadReport(source={self.source!r}, problems={len(self._problems)}, readable={self.readable})"

    @property
    def problems(self) -> list[Problem]:
        """Every problem, in reading order (see the class doc)."""
        if not self._sorted:
            self._problems[:] = sort_problems(self._problems)
            self._sorted = True
        return self._problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings and notices allowed)."""
        return not any(p.severity == "error" for p in self._problems)

    def add(self, problem: Problem) -> None:
        self._problems.append(problem)
        self._sorted = False

    def replace(self, old: Problem, new: Problem) -> None:
        """Put ``new`` where ``old`` was (a message completed once more is known)."""
        self._problems[self._problems.index(old)] = new
        self._sorted = False

    def frame(self) -> pd.DataFrame:
        """The problems as a table (severity, sheet, cell, value, message_zh, message_en, code, column, row)."""
        return pd.DataFrame([p.to_dict() for p in self.problems], columns=list(Problem.__dataclass_fields__))

    def counts_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(c) for c in self.counts.values()])

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        n = len(self.problems) - e - w
        return f"{e} 个错误、{w} 个警告、{n} 条提示 / {e} error(s), {w} warning(s), {n} notice(s)"


_A1 = re.compile(r"^([A-Z]{1,3})([1-9][0-9]*)$")
_TRAILING_NUMBER = re.compile(r"([0-9]+)\s*$")
_FILE_SUFFIX = re.compile(r"\.(csv|parquet|xlsx|xlsm)$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _table_positions() -> dict[str, int]:
    """Every spelling of every table's sheet name (as :func:`header_key` gives it) -> its template position."""
    positions: dict[str, int] = {}
    for position, spec in enumerate(TABLES):
        for name in (spec.zh, spec.name, spec.sheet, f"{spec.name} {spec.zh}"):
            positions.setdefault(header_key(name), position)
    return positions


@lru_cache(maxsize=1024)
def _sheet_position(sheet: str) -> int | None:
    positions = _table_positions()
    found = positions.get(header_key(sheet))
    if found is None:
        found = positions.get(header_key(_FILE_SUFFIX.sub("", sheet)))
    return found


def _letters_value(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    return value


def _place(problem: Problem) -> tuple[int, int, int]:
    """(0 for the whole sheet else 1, row, column) of a problem within its sheet."""
    if not problem.cell:
        return (0, 0, 0)
    match = _A1.match(problem.cell)
    if match:
        return (1, int(match.group(2)), _letters_value(match.group(1)))
    row = problem.row
    if row is None:
        number = _TRAILING_NUMBER.search(problem.cell)
        row = int(number.group(1)) if number else 0
    column = 0
    position = _sheet_position(problem.sheet)
    if problem.column and position is not None:
        names = TABLES[position].names
        column = names.index(problem.column) + 1 if problem.column in names else len(names) + 1
    return (1, row, column)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: the file, then sheet by sheet in the template's order, then row and column
    (see :class:`ReadReport`). The sort is stable: problems at one cell keep their order."""
    problems = list(problems)
    others: dict[str, int] = {}
    for problem in problems:
        if problem.sheet and _sheet_position(problem.sheet) is None:
            others.setdefault(problem.sheet, len(others))

    def key(problem: Problem) -> tuple[int, int, tuple[int, int, int]]:
        if not problem.sheet:
            return (0, 0, (0, 0, 0))
        position = _sheet_position(problem.sheet)
        if position is None:
            return (2, others[problem.sheet], _place(problem))
        return (1, position, _place(problem))

    return sorted(problems, key=key)


class Collector:
    """Adds problems to the report; remembers rejected rows and cells already explained.

    Every cross-table rule reports through :meth:`cell` (a problem at one cell of a raw table, with a Chinese
    and an English sentence and a stable ``code``) or :meth:`sheet` (a problem with a whole sheet)."""

    def __init__(self, report: ReadReport, blocked: set[tuple[str, str]]) -> None:
        self.report = report
        self.blocked = blocked
        self.rejected: dict[str, set[object]] = {}
        self.flagged: set[tuple[str, str]] = set()
        self.first: dict[tuple[str, str], Problem] = {}  # the error reported at each flagged cell

    def cell(
        self,
        raw: RawTable,
        index: object,
        column: str,
        zh: str,
        en: str,
        code: str,
        severity: str = "error",
        value: object = None,
    ) -> None:
        letter = raw.letters.get(column, "")
        row = int(raw.rows[index])
        ref = f"{letter}{row}" if letter else f"row {row}"
        key = (raw.sheet, ref)
        if key in self.blocked:
            return  # the cell already carries a more basic problem (an uncalculated formula)
        if severity == "error":
            self.rejected.setdefault(raw.table.name, set()).add(index)
            if key in self.flagged:
                return  # one error per cell: the first reason found
            self.flagged.add(key)
        if value is None and column in raw.frame.columns:
            value = raw.frame.at[index, column]
        problem = Problem(severity, raw.sheet, ref, show(value), zh, en, code, column=column, row=row)  # type: ignore[arg-type]
        if severity == "error":
            self.first[key] = problem
        self.report.add(problem)

    def amend(self, raw: RawTable, index: object, column: str, zh: str, en: str) -> bool:
        """Add a sentence (``zh``, ``en``, each starting with its separator) to the error already reported at
        a cell, so that one cause stays one problem. False when the cell has no error to add to."""
        letter = raw.letters.get(column, "")
        row = int(raw.rows[index])
        key = (raw.sheet, f"{letter}{row}" if letter else f"row {row}")
        old = self.first.get(key)
        if old is None:
            return False
        new = replace(old, message_zh=old.message_zh + zh, message_en=old.message_en + en)
        self.report.replace(old, new)
        self.first[key] = new
        return True

    def sheet(
        self, sheet: str, zh: str, en: str, code: str, severity: str = "error", cell: str = "", value: str = ""
    ) -> None:
        self.report.add(Problem(severity, sheet, cell, value, zh, en, code))  # type: ignore[arg-type]


def show(value: object) -> str:
    """A raw or typed value as the report shows it (``12`` for 12.0, a date without its time)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    text = str(value)
    if not text.isascii():  # a lone surrogate shown as its escape: the report is printed and written as UTF-8
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) > SHOWN:  # a megabyte typed into a cell is named, not repeated in every report
        return f"{text[: SHOWN - 20]}…（共 {len(text):,} 字符 characters）"
    return text


#: The most characters of a cell's value a problem repeats.
SHOWN = 200
