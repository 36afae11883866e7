"""Problems found in a park ledger, the report that collects them, and the collector the rules report through.

Every problem names the sheet and cell (``能源消费!F12``), the value found, and what is wrong, in Chinese and
English. Severities: ``error`` (the ledger cannot be built), ``warning`` (built, but look at it) and
``notice`` (something the reader did on your behalf, such as ignoring an extra column).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from carbon.errors import WorkbookError, bilingual

if TYPE_CHECKING:
    from carbon.validation.tables import RawTable

__all__ = ["FILE", "Collector", "Problem", "ReadReport", "SheetCount", "WorkbookError", "column_letter", "show"]

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
        value = f" 「{self.value}」" if self.value else ""
        return f"[{self.severity}] {self.where}{value}: {bilingual(self.message_zh, self.message_en)}"

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


@dataclass
class ReadReport:
    """Everything the reader found, and how every row was accounted for."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, SheetCount] = field(default_factory=dict)
    readable: bool = True  # False when the file is not a readable workbook at all

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings and notices allowed)."""
        return not self.errors

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def frame(self) -> pd.DataFrame:
        """The problems as a table (severity, sheet, cell, value, message_zh, message_en, code, column, row)."""
        return pd.DataFrame([p.to_dict() for p in self.problems], columns=list(Problem.__dataclass_fields__))

    def counts_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(c) for c in self.counts.values()])

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        n = len(self.problems) - e - w
        return f"{e} 个错误、{w} 个警告、{n} 条提示 / {e} error(s), {w} warning(s), {n} notice(s)"


class Collector:
    """Adds problems to the report; remembers rejected rows and cells already explained.

    Every cross-table rule reports through :meth:`cell` (a problem at one cell of a raw table, with a Chinese
    and an English sentence and a stable ``code``) or :meth:`sheet` (a problem with a whole sheet)."""

    def __init__(self, report: ReadReport, blocked: set[tuple[str, str]]) -> None:
        self.report = report
        self.blocked = blocked
        self.rejected: dict[str, set[object]] = {}
        self.flagged: set[tuple[str, str]] = set()

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
        self.report.add(
            Problem(severity, raw.sheet, ref, show(value), zh, en, code, column=column, row=row)  # type: ignore[arg-type]
        )

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
    return str(value)
