"""The comparison and its result: :func:`diff` reads the two sides, finds the causes, compares the figures,
attributes (two park workbooks) or links by lineage (two 碳账本), and returns a :class:`Diff`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from carbon.account import AnnualAccount, Methods
from carbon.diff.attribution import (
    STATUS_MOVES,
    STEP_COLUMNS,
    Progress,
    Run,
    attribute,
    cause_numbers,
    parse_cause_numbers,
)
from carbon.diff.figures import FIGURE_COLUMNS, figure_table, is_status, typed_figures
from carbon.diff.lineage import account_changes, describe, lineage
from carbon.diff.rows import Change, frame_of, input_changes, method_changes, park_changes, plain
from carbon.diff.text import render
from carbon.errors import CarbonError, bilingual
from carbon.io.account_workbook import read_account
from carbon.io.diff_workbook import write_diff
from carbon.io.park_workbook import read_workbook
from carbon.io.table_folder import read_tables
from carbon.io.words import Words
from carbon.io.xlsx_preflight import inspect_xlsx
from carbon.ledger import Ledger
from carbon.schema import table as input_table
from carbon.schema.outputs import MANIFEST

__all__ = ["CAUSE_COLUMNS", "LINEAGE_NOTE", "ORDER_NOTE", "Diff", "diff"]

#: The columns of :attr:`Diff.causes`.
CAUSE_COLUMNS = (
    "cause",
    "kind",
    "change",
    "table",
    "sheet",
    "key_columns",
    "key",
    "row_a",
    "row_b",
    "column",
    "old",
    "new",
    "step",
    "figures",
    "note",
)

# -- the two sides ------------------------------------------------------------------------------------------


def _load(side: object) -> tuple[Ledger | AnnualAccount, str]:
    """A park ledger or an account from a path (a 碳账本 is known by its manifest sheet), and how to name it."""
    if isinstance(side, (Ledger, AnnualAccount)):
        return side, str(side.source if isinstance(side, Ledger) else side.source.get("path", "")) or "(python)"
    if not isinstance(side, (str, Path)):
        raise CarbonError(
            bilingual(
                f"只能比较文件路径、Ledger 或 AnnualAccount，而非 {type(side).__name__}",
                f"carbon.diff compares paths, Ledgers or AnnualAccounts, not {type(side).__name__}",
            )
        )
    path = Path(side)
    if path.is_dir():
        return read_tables(path), str(side)
    names = {sheet.name for sheet in inspect_xlsx(path).sheets}  # a missing or broken file: a located error
    return (read_account(path) if MANIFEST in names else read_workbook(path)), str(side)


def _what(side: Ledger | AnnualAccount) -> tuple[str, str]:
    return ("碳账本", "a 碳账本") if isinstance(side, AnnualAccount) else ("园区工作簿", "a park workbook")


def _same_kind(a, b, name_a: str, name_b: str) -> None:
    if isinstance(a, AnnualAccount) != isinstance(b, AnnualAccount):
        (za, ea), (zb, eb) = _what(a), _what(b)
        raise CarbonError(
            bilingual(
                f"「{name_a}」是{za}，「{name_b}」是{zb}：只能比较两个园区工作簿，或两个碳账本",
                f"{name_a!r} is {ea} and {name_b!r} is {eb}: compare two park workbooks, or two 碳账本",
            )
        )


def _methods(methods: object, choices: Mapping[str, object]) -> tuple[Methods, Methods]:
    """The method choices of A and B: one set for both, or a pair ``(methods_a, methods_b)``."""
    if isinstance(methods, tuple) and len(methods) == 2:
        return Methods.of(methods[0], **choices), Methods.of(methods[1], **choices)
    chosen = Methods.of(methods, **choices)  # type: ignore[arg-type]
    return chosen, chosen


def _side_facts(name: str, side: Ledger | AnnualAccount, account: AnnualAccount) -> dict[str, object]:
    return {
        "path": name,
        "kind": "account" if isinstance(side, AnnualAccount) else "workbook",
        "park": str(account.park.get("name", "")),
        "year": int(account.year),
        "methods": {k: v for k, v in account.methods.items()},
        "input_sha256": str(account.source.get("sha256", "")),
    }


# -- the comparison -----------------------------------------------------------------------------------------


def _number_causes(changes: list[Change]) -> None:
    number = 0
    for change in changes:
        change.causes = list(range(number + 1, number + len(change.cells) + 1))
        number += len(change.cells)


def _sheet(table: str) -> str:
    try:
        return input_table(table).sheet
    except KeyError:
        return ""


def _cause_table(changes: list[Change]) -> pd.DataFrame:
    rows = []
    for change in changes:
        for number, (column, old, new) in zip(change.causes, change.cells, strict=True):
            rows.append(
                {
                    "cause": number,
                    "kind": change.kind,
                    "change": change.change,
                    "table": change.table,
                    "sheet": _sheet(change.table),
                    "key_columns": ", ".join(change.key_columns),
                    "key": " / ".join("" if v is None else str(v) for v in change.key),
                    "row_a": change.row_a,
                    "row_b": change.row_b,
                    "column": column,
                    "old": plain(old),
                    "new": plain(new),
                    "step": change.step,
                    "figures": ", ".join(change.figures),
                    "note": change.note,
                }
            )
    return _typed_causes(frame_of(rows, CAUSE_COLUMNS))


def _typed_causes(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("cause", "row_a", "row_b", "step"):
        out[column] = pd.array(out[column].tolist(), dtype="Int64") if len(out) else pd.array([], dtype="Int64")
    for column in ("old", "new"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def _attributed(figures: pd.DataFrame) -> list[str]:
    """The figures with a column in the attribution: all but a status only (a target's)."""
    return [f for f in figures["figure"] if not is_status(f)]


def _status_moves(steps: list[dict]) -> dict[int, set[str]]:
    """The statuses each step changed, taken out of the steps' rows (they have no column)."""
    return {row["step"]: set(row.pop(STATUS_MOVES, ())) for row in steps}


def _link(
    figures: pd.DataFrame, changes: list[Change], attribution: pd.DataFrame, statuses: dict[int, set[str]]
) -> pd.DataFrame:
    """Which causes moved each figure and which figures each cause moved, from the steps' changes (a status only,
    from the steps that changed it)."""
    by_number = {n: c for c in changes for n in c.causes}
    moved: dict[str, list[int]] = {f: [] for f in figures["figure"]}
    for row in attribution.to_dict("records"):
        numbers = parse_cause_numbers(row["causes"])
        for figure in moved:
            if is_status(figure):
                hit = figure in statuses.get(row["step"], ())
            else:
                delta = row.get(figure)
                # a blank change: a figure blank on one side (recomputed), or no lineage to it (lineage)
                hit = (row["basis"] != "lineage") if pd.isna(delta) else delta != 0
            if hit:
                moved[figure] += numbers
                for change in {id(by_number[n]): by_number[n] for n in numbers if n in by_number}.values():
                    change.figures = list(dict.fromkeys([*change.figures, figure]))
    out = figures.copy()
    out["causes"] = [cause_numbers(moved[f]) for f in out["figure"]]
    return out


def _diff_ledgers(la: Ledger, lb: Ledger, names: tuple[str, str], run: dict) -> Diff:
    ma, mb, year, progress = run["ma"], run["mb"], run["year"], run["progress"]
    if progress is not None:
        progress("A", 0, 2)
    account_a = la.account(year, methods=ma)
    if progress is not None:
        progress("B", 1, 2)
    account_b = lb.account(year, methods=mb)
    changes = method_changes(ma, mb) + park_changes(la.park, lb.park) + input_changes(la, lb)
    for change in changes:
        if change.table == "custom_factors" and change.kind == "input_row":
            factor = "custom:" + ":".join(str(v) for v in change.key[:3])
            change.note = f"因子 {factor} / factor {factor}"
    _number_causes(changes)
    figures = figure_table(account_a, account_b)
    ids = figures["figure"].tolist()
    steps: list[dict] = []
    notes: list[str] = []
    if run["attribute"] and (changes or ids):
        state = Run(la, lb, ma, mb, year, account_b, progress)
        steps, notes = attribute(state, account_a, changes, ids)
    statuses = _status_moves(steps)
    attribution = frame_of(steps, [*STEP_COLUMNS, *_attributed(figures)])
    figures = _link(figures, changes, attribution, statuses)
    if steps:
        notes.append(ORDER_NOTE)
    return Diff(
        _side_facts(names[0], la, account_a),
        _side_facts(names[1], lb, account_b),
        "workbooks",
        bool(run["attribute"]),
        figures,
        _cause_table(changes),
        attribution,
        tuple(notes),
    )


ORDER_NOTE = (
    "归因为顺序替换：从 A 出发，依次换入方法选择、园区信息、各输入表（按工作表顺序，变化不超过 20 行的表逐行，否则整表），"
    "每步重算账目，各步之差之和等于总变化；原因之间有交互时，换一种顺序分摊会不同 / attribution by sequential "
    "replacement: from A, the method choices, the park facts and the input tables (in sheet order; row by row in a "
    "table with at most 20 changed rows, else the table at once) are replaced by B's, the account recomputed at each "
    "step; the steps add up to the total change. Where causes interact, another order would share it differently"
)
LINEAGE_NOTE = (
    "碳账本不含可重算的输入：原因与数字按数据来源联系（一行能源数据自身的 tce 和排放、一个项目自身的减排量、"
    "一个目标自身的进度），不是重算的归因，各部分之和不必等于总变化 / a 碳账本 holds no inputs to recompute: causes "
    "are linked to figures by lineage (an energy row's own tce and emissions, a project's own reduction, a target's "
    "own progress), not by recomputation; the parts need not add up to the total change"
)


def _diff_accounts(a: AnnualAccount, b: AnnualAccount, names: tuple[str, str]) -> Diff:
    changes, notes = account_changes(a, b)
    _number_causes(changes)
    figures = figure_table(a, b)
    ids = figures["figure"].tolist()
    if len(changes) == 1 and len(changes[0].cells) == 1 and ids:  # the one cause: every change is its
        zh, en = describe(changes[0])
        row = {"step": 1, "basis": "only_cause", "label_zh": zh, "label_en": en, "causes": "1"}
        changes[0].step = 1
        steps = [row | dict(zip(ids, figures["change"], strict=True)) | {STATUS_MOVES: ids}]
    else:
        steps = lineage(a, b, changes, ids)
        if changes or ids:
            notes.append(LINEAGE_NOTE)
    statuses = _status_moves(steps)
    attribution = frame_of(steps, [*STEP_COLUMNS, *_attributed(figures)])
    figures = _link(figures, changes, attribution, statuses)
    return Diff(
        _side_facts(names[0], a, a),
        _side_facts(names[1], b, b),
        "accounts",
        False,
        figures,
        _cause_table(changes),
        attribution,
        tuple(notes),
    )


def diff(
    a: str | Path | Ledger | AnnualAccount,
    b: str | Path | Ledger | AnnualAccount,
    *,
    year: int | None = None,
    methods: Methods | Mapping[str, object] | tuple | None = None,
    attribute: bool = True,
    progress: Progress | None = None,
    **choices: object,
) -> Diff:
    """What changed from ``a`` to ``b``, and why.

    Parameters
    ----------
    a, b : str, Path, Ledger or AnnualAccount
        Two park workbooks (a path to a workbook or a folder of tables, or a :class:`~carbon.Ledger`), or two
        碳账本 (a path to one, known by its run-manifest sheet, or an :class:`~carbon.AnnualAccount`).
    year : int, optional
        The year to account, for two park workbooks (default: each one's reporting year).
    methods : Methods, mapping or a pair of them, optional
        The method choices of the accounts of two park workbooks; a pair ``(methods_a, methods_b)`` compares two
        sets of choices (their change is then a cause). Keyword ``choices`` (``scope2=``, ``factor_set=`` ...)
        apply to both sides.
    attribute : bool
        Attribute each figure's change to its causes by recomputation (two park workbooks): one account per step,
        at most :data:`MAX_STEPS` steps. False lists the causes and figures only.
    progress : callable, optional
        ``progress(step, done, total)`` before each account is computed.

    Returns
    -------
    Diff
        ``figures``, ``causes`` and ``attribution`` (see :class:`Diff`).

    Raises
    ------
    CarbonError
        A park workbook and a 碳账本 (they cannot be compared); method choices or a year for two 碳账本 (they are
        computed already); a path that cannot be read (one located, bilingual message).
    """
    side_a, name_a = _load(a)
    side_b, name_b = _load(b)
    _same_kind(side_a, side_b, name_a, name_b)
    if isinstance(side_a, AnnualAccount) and isinstance(side_b, AnnualAccount):
        given = methods is not None or any(v is not None for v in choices.values())
        if given or (year is not None and {side_a.year, side_b.year} != {year}):
            raise CarbonError(
                bilingual(
                    "碳账本已按其年份和方法核算：比较两个碳账本时不能再选年份或核算方法",
                    "a 碳账本 is computed already, for its year and with its methods: a diff of two 碳账本 takes "
                    "no year and no method choices",
                )
            )
        return _diff_accounts(side_a, side_b, (name_a, name_b))
    ma, mb = _methods(methods, choices)
    run = {"ma": ma, "mb": mb, "year": year, "progress": progress, "attribute": attribute}
    return _diff_ledgers(side_a, side_b, (name_a, name_b), run)  # type: ignore[arg-type]


# -- the result ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Diff:
    """What changed between two runs of the account, and why. Every table is returned as a new DataFrame.

    - ``figures``: one row per figure that changed (the summary's numbers, ``source`` ``summary``, a yes or no
      as 1 or 0 with unit ``bool``; the indicators, ``indicator:<id>``, ``source`` ``indicators``; each target's
      ``actual``, ``progress``, ``pace_needed`` and ``status``, ``target:<indicator>:<year>:<field>``, ``source``
      ``targets``, a target on one side only too): ``name_zh``, ``name_en``, ``unit``, ``a``, ``b``, ``change``
      (b - a), ``relative`` (change / |a|, a fraction), ``status_a`` and ``status_b`` (an indicator's, or a
      target's on its ``status`` figure, which has no number), ``causes`` (the numbers of the causes that moved
      it, ``1, 3-5``).
    - ``causes``: one row per changed cell (an added or removed row is one cause): ``cause`` (its number),
      ``kind`` (``method``, ``park``, ``input_row``, ``input_table``, ``input_file``, ``factor``), ``change``
      (``added``, ``removed``, ``changed``), ``table`` (an input table, ``methods``, ``park`` or ``factors``),
      ``sheet`` (its sheet in the park workbook), ``key_columns`` and ``key`` (the row's key, `` / ``-joined),
      ``row_a`` and ``row_b`` (its Excel row in A and in B), ``column``, ``old``, ``new`` (what an added or
      removed row held, as ``column=value; ...``), ``step`` (its step of the attribution), ``figures`` (the
      figures it moved), ``note``.
    - ``attribution``: one row per step (``basis`` ``recomputed``) or, for two 碳账本, per cause with lineage
      (``basis`` ``lineage``; ``only_cause`` when there is one cause): ``step``, ``label_zh``, ``label_en``,
      ``causes``, then one column per changed figure (but a target's status) with its change in the step.
      Recomputed steps add up to ``figures.change``.

    ``a`` and ``b`` describe the two sides (path, kind, park, year, methods, input SHA-256); ``compared`` is
    ``workbooks`` or ``accounts``; ``recomputed`` says whether the attribution recomputed the account; ``notes``
    are ``中文 / English``.
    """

    a: Mapping[str, object]
    b: Mapping[str, object]
    compared: str
    recomputed: bool
    _figures: pd.DataFrame = field(repr=False)
    _causes: pd.DataFrame = field(repr=False)
    _attribution: pd.DataFrame = field(repr=False)
    notes: tuple[str, ...] = ()

    figures = property(lambda self: self._figures.copy())
    causes = property(lambda self: self._causes.copy())
    attribution = property(lambda self: self._attribution.copy())

    @property
    def identical(self) -> bool:
        """No figure changed and no cause was found."""
        return not len(self._figures) and not len(self._causes)

    def __repr__(self) -> str:
        return (
            f"Diff({self.a.get('path')!r} -> {self.b.get('path')!r}: {len(self._figures)} figure(s) changed, "
            f"{len(self._causes)} cause(s))"
        )

    def to_text(self, lang: str = "zh+en") -> str:
        """The diff as a report to print: the figures changed with their causes, each cause with the figures it
        moved, the notes. ``lang``: ``zh+en`` (default), ``zh`` or ``en``."""
        return render(self, Words(lang))

    def to_dict(self) -> dict[str, object]:
        """The diff as plain data (stable keys; codes, not words; blanks as None): what :meth:`to_json` writes."""
        return {
            "format": "carbon-diff",
            "version": 1,
            "compared": self.compared,
            "recomputed": self.recomputed,
            "identical": self.identical,
            "a": dict(self.a),
            "b": dict(self.b),
            "figures": _records(self._figures),
            "causes": _records(self._causes),
            "attribution": _records(self._attribution),
            "notes": list(self.notes),
        }

    def to_json(self, indent: int | None = 1) -> str:
        """The diff as JSON (:meth:`to_dict`); :meth:`from_json` reads it back."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> Diff:
        """A diff written by :meth:`to_json`."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != "carbon-diff":
            raise CarbonError(bilingual("不是 carbon diff 的 JSON", "not the JSON of a carbon diff"))
        figures = typed_figures(frame_of(data["figures"], FIGURE_COLUMNS))
        ids = _attributed(figures)
        attribution = frame_of(data["attribution"], [*STEP_COLUMNS, *ids])
        attribution[ids] = attribution[ids].astype(float)
        attribution["step"] = attribution["step"].astype(int)
        return cls(
            data["a"],
            data["b"],
            data["compared"],
            bool(data["recomputed"]),
            figures,
            _typed_causes(frame_of(data["causes"], CAUSE_COLUMNS)),
            attribution,
            tuple(data["notes"]),
        )

    def to_excel(self, path: str | Path, *, lang: str = "zh+en") -> Path:
        """Write the diff workbook: 概要 (the figures changed with their causes), 原因 (the causes) and 归因 (the
        attribution, step by step); see :func:`carbon.io.diff_workbook.write_diff`."""
        return write_diff(self, path, lang=lang)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
