"""Attribution by sequential replacement: from A to B one group of causes at a time, the account recomputed at
each step with the public API; the steps' changes add up to the total change. The order is documented in
:mod:`carbon.diff`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbon.account import AnnualAccount, Methods
from carbon.diff.figures import figures_of, is_status, statuses_of
from carbon.diff.rows import Change, figure_moved
from carbon.io.diff_workbook import column_zh, parse_cause_numbers
from carbon.ledger import TABLE_NAMES, Ledger
from carbon.schema import table as input_table
from carbon.schema.outputs import SUMMARY_FACTS

__all__ = [
    "MAX_STEPS",
    "ROWS_PER_STEP",
    "STATUS_MOVES",
    "STEP_COLUMNS",
    "Progress",
    "Run",
    "attribute",
    "cause_numbers",
    "group_name",
    "parse_cause_numbers",
]

#: A table with at most this many changed rows is attributed row by row; with more, as one step.
ROWS_PER_STEP = 20
#: At most this many steps of attribution (each recomputes the account): the tables with the most row steps are
#: taken as one step each until the steps fit.
MAX_STEPS = 60
#: The first columns of :attr:`carbon.diff.Diff.attribution`; one column per changed figure follows (a status
#: only, a target's, has none: it has no number).
STEP_COLUMNS = ("step", "basis", "label_zh", "label_en", "causes")
#: The key of a step's row that lists the statuses that changed in the step (taken out before the table is made).
STATUS_MOVES = "_statuses"

Progress = Callable[[str, int, int], object]


@dataclass
class _Group:
    """Causes applied in one step of the attribution, and how the step is named."""

    changes: list[Change]
    zh: str
    en: str


def group_name(change: Change) -> tuple[str, str]:
    """How a step of one cause is named (中文, English): the method choice, the park fact, or the sheet and row."""
    name = change.key[0] if change.key else ""
    if change.kind == "method":
        zh, en = SUMMARY_FACTS.get(str(name), (name, name))
        return f"核算方法：{zh}", f"method: {en}"
    if change.kind == "park":
        zh = column_zh("park", str(name))
        return f"园区信息：{zh}", f"park: {name}"
    spec = input_table(change.table)
    if change.row_b is not None:
        return f"{spec.zh} 第 {change.row_b} 行", f"{spec.name} row {change.row_b}"
    return f"{spec.zh} 第 {change.row_a} 行（A，删除）", f"{spec.name} row {change.row_a} (A, removed)"


def _groups(changes: list[Change]) -> list[_Group]:
    """The steps of the attribution, in the documented order (see the module's docstring)."""
    singles = [_Group([c], *group_name(c)) for c in changes if c.kind in ("method", "park")]
    per_table: dict[str, list[Change]] = {}
    for change in changes:
        if change.kind == "input_row":
            per_table.setdefault(change.table, []).append(change)
    whole = {name for name, rows in per_table.items() if len(rows) > ROWS_PER_STEP}
    while len(singles) + sum(1 if n in whole else len(r) for n, r in per_table.items()) > MAX_STEPS:
        rest = {n: len(r) for n, r in per_table.items() if n not in whole}
        if not rest:
            break
        whole.add(max(rest, key=rest.__getitem__))
    groups = list(singles)
    for name, rows in per_table.items():
        spec = input_table(name)
        if name in whole:
            groups.append(_Group(rows, f"{spec.zh}：{len(rows)} 行", f"{name}: {len(rows)} rows"))
        else:
            groups += [_Group([row], *group_name(row)) for row in rows]
    return groups


def _mixed(a: pd.DataFrame, b: pd.DataFrame, rows: list[Change]) -> pd.DataFrame:
    """Table ``a`` with ``rows`` of ``b`` in place: a changed row where it stood in A, an added one after A's."""
    replaced = {c.pos_a for c in rows if c.pos_a is not None}
    kept = np.array([i for i in range(len(a)) if i not in replaced], dtype=int)
    taken = [c for c in rows if c.pos_b is not None]
    order = np.concatenate([kept.astype(float), [c.pos_a if c.pos_a is not None else len(a) + c.pos_b for c in taken]])
    parts = [part for part in (a.iloc[kept], b.iloc[[c.pos_b for c in taken]]) if len(part)]
    if not parts:
        return a.iloc[:0]
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    return frame.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def _state(a: Ledger, b: Ledger, applied: list[Change]) -> Ledger:
    """Ledger A with the ``applied`` park facts and input rows of B."""
    park = dict(a.park)
    for change in applied:
        if change.kind == "park":
            name = change.key[0]
            if name in b.park:
                park[name] = b.park[name]
            else:
                park.pop(name, None)
    tables = dict(a._tables)  # read only: the Ledger copies what it is given
    for name in TABLE_NAMES:
        rows = [c for c in applied if c.kind == "input_row" and c.table == name]
        if rows:
            tables[name] = _mixed(a._tables[name], b._tables[name], rows)
    return Ledger(park, tables, source="(carbon diff)", sha256="")


def _methods_of(ma: Methods, mb: Methods, applied: list[Change]) -> Methods:
    return ma.replace(**{c.key[0]: mb[c.key[0]] for c in applied if c.kind == "method"})


@dataclass
class Run:
    """What the attribution needs: both sides, their methods, the year asked for, progress."""

    a: Ledger
    b: Ledger
    ma: Methods
    mb: Methods
    year: int | None
    account_b: AnnualAccount
    progress: Progress | None = None


def attribute(run: Run, account_a: AnnualAccount, changes: list[Change], figures: list[str]) -> tuple:
    """Sequential replacement from A to B: per step its causes, the change of every figure in ``figures`` and,
    under :data:`STATUS_MOVES`, the statuses of ``figures`` that changed in the step; returns the steps' rows and
    the notes."""
    groups = _groups(changes)
    rows: list[dict] = []
    notes: list[str] = []
    numbers, statuses = [f for f in figures if not is_status(f)], [f for f in figures if is_status(f)]
    before, status_before = figures_of(account_a), statuses_of(account_a)
    applied: list[Change] = []
    pending: list[_Group] = []
    for number, group in enumerate(groups, start=1):
        if run.progress is not None:
            run.progress(group.en, number - 1, len(groups))
        applied += group.changes
        pending.append(group)
        if number < len(groups):
            try:
                state = _state(run.a, run.b, applied)
                account = state.account(run.year, methods=_methods_of(run.ma, run.mb, applied))
                after, status_after = figures_of(account), statuses_of(account)
            except Exception as error:  # noqa: BLE001 - a state between A and B may break a rule A and B keep
                notes.append(
                    f"「{group.zh}」之后的中间状态无法核算（{error}），与下一步合并 / the state after "
                    f"{group.en!r} could not be computed ({error}); joined to the next step"
                )
                continue
        else:
            after, status_after = figures_of(run.account_b), statuses_of(run.account_b)
        row = _step_row(len(rows) + 1, pending, before, after, numbers)
        rows.append(row | {STATUS_MOVES: [f for f in statuses if status_before.get(f) != status_after.get(f)]})
        before, status_before, pending = after, status_after, []
    return rows, notes


def _step_row(step: int, groups: list[_Group], before: dict, after: dict, figures: list[str]) -> dict:
    causes = [n for g in groups for c in g.changes for n in c.causes]
    for group in groups:
        for change in group.changes:
            change.step = step
    row = {
        "step": step,
        "basis": "recomputed",
        "label_zh": "；".join(g.zh for g in groups),
        "label_en": "; ".join(g.en for g in groups),
        "causes": cause_numbers(causes),
    }
    for figure in figures:
        x, y = before.get(figure, np.nan), after.get(figure, np.nan)
        row[figure] = y - x if figure_moved(x, y) else 0.0  # a blank on one side: blank
    return row


def cause_numbers(numbers: Sequence[int]) -> str:
    """Cause numbers as text, runs joined: ``1, 3-7``."""
    numbers = sorted(set(numbers))
    parts, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(n) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(parts)
