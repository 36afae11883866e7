"""Annotating a copy of the staff's own workbook: each problem cell highlighted, with its message as a comment.

The input file is never modified: the copy is written next to its destination and renamed into place.
openpyxl keeps the cells, formats, data validations and comments; it drops text boxes and shapes, which a
park workbook does not need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from carbon.errors import CarbonError, bilingual
from carbon.io.excel import atomic_write
from carbon.validation.problems import Problem

__all__ = ["annotate_workbook"]

_FILLS = {"error": PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C")}
_A1 = re.compile(r"^[A-Z]{1,3}[1-9][0-9]*$")


def annotate_workbook(source: str | Path, problems: Iterable[Problem], out: str | Path) -> tuple[Path, int]:
    """Write a copy of ``source`` to ``out`` with every error (red) and warning (yellow) cell marked.

    Returns the path written and the number of cells marked. Problems without a cell (a missing sheet, say)
    cannot be marked and are left to the printed list.
    """
    if Path(source).resolve() == Path(out).resolve():
        raise CarbonError(bilingual("标注文件不能覆盖原文件", "the annotated copy must not overwrite the input"))
    book = openpyxl.load_workbook(source)
    marked: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        if problem.severity in _FILLS and problem.cell and _A1.match(problem.cell) and problem.sheet in book.sheetnames:
            marked.setdefault((problem.sheet, problem.cell), []).append(problem)
    for (sheet, ref), found in marked.items():
        cell = book[sheet][ref]
        severity = "error" if any(p.severity == "error" for p in found) else "warning"
        cell.fill = _FILLS[severity]
        text = "\n".join(f"[{p.severity}] {p.message_zh}\n{p.message_en}" for p in found)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n---\n{text}"
        comment = Comment(text, "carbon validate")
        comment.width, comment.height = 320, 140
        cell.comment = comment

    def save(path: str) -> None:
        book.save(path)

    return atomic_write(out, save), len(marked)
