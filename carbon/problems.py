"""Problems found in a workbook, and the report that collects them.

Every problem names the sheet and cell (``能源消费!F12``), the value found, and what is wrong, in Chinese and
English. Severities: ``error`` (the ledger cannot be built), ``warning`` (built, but look at it) and
``notice`` (something the reader did on your behalf, such as ignoring an extra column).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

import pandas as pd

from carbon.errors import WorkbookError, bilingual

__all__ = ["Problem", "ReadReport", "SheetCount", "WorkbookError"]

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
