"""Two 碳账本: the causes they show (method choices and park facts of the manifest, the factors used, the input
tables' digests, the rows their tables trace to an input sheet and row) and the link from a cause to a figure by
lineage (an energy row's own tce and tCO2, a project's own reduction, a target's own figures): no
recomputation."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from carbon.account import AnnualAccount
from carbon.diff.attribution import STATUS_MOVES, cause_numbers, group_name
from carbon.diff.figures import figures_of, is_status, statuses_of, target_figure
from carbon.diff.rows import Change, compare_rows, method_changes, park_changes
from carbon.ledger import TABLE_NAMES
from carbon.schema import table as input_table

__all__ = ["account_changes", "describe", "lineage"]

#: The rows an account's tables trace to an input sheet: (account table, input table, the account's key columns
#: as the input names them, the account's columns renamed to the input's, which rows).
_TRACED = (
    ("detail", "energy", {}, lambda t: t["input_sheet"] == input_table("energy").sheet),
    ("reductions", "projects", {"item_id": "project_id"}, lambda t: t["kind"] == "project"),
    ("reductions", "boilers", {"item_id": "boiler_id"}, lambda t: t["kind"] == "boiler"),
    ("solid_waste", "solid_waste", {}, lambda t: t["level"] == "row"),
    ("green_power", "green_power", {}, None),
    ("targets", "targets", {"target": "value"}, None),
)


def _traced(account: AnnualAccount, spec: tuple) -> pd.DataFrame:
    name, _, renamed, which = spec
    frame = account._tables.get(name)
    if frame is None or not len(frame.columns):
        return pd.DataFrame()
    if which is not None and len(frame):
        try:
            frame = frame[which(frame).fillna(False).to_numpy(dtype=bool)]
        except KeyError:  # a 碳账本 of an earlier release without the column: not traced
            return pd.DataFrame()
    return frame.rename(columns=renamed).reset_index(drop=True)


def _traced_changes(a: AnnualAccount, b: AnnualAccount) -> list[Change]:
    """Input rows changed as the two accounts' tables show them (those tables carry the input's values)."""
    out = []
    for spec in _TRACED:
        fa, fb = _traced(a, spec), _traced(b, spec)
        if not len(fa.columns) or not len(fb.columns):
            continue
        table = input_table(spec[1])
        key = [c for c in table.key if c in fa.columns and c in fb.columns]
        columns = [c for c in table.names if c not in key and c in fa.columns and c in fb.columns]
        out += compare_rows(spec[1], fa, fb, key, columns, "input_row")
    return out


_CUSTOM_ROW = re.compile(r"custom_factors row (\d+)")


def _factor_frame(account: AnnualAccount, custom: bool) -> pd.DataFrame:
    """The factors used (custom: those the park measured, by enterprise, parameter and carrier, with their row on
    the 自定义因子 sheet)."""
    factors = account._tables["factors"]
    if not len(factors.columns):
        return pd.DataFrame(columns=["id"])
    mine = factors["id"].astype(str).str.startswith("custom:").to_numpy()
    frame = factors[mine if custom else ~mine].reset_index(drop=True)
    if not custom:
        return frame
    parts = frame["id"].astype(str).str.split(":", expand=True).reindex(columns=range(4))
    rows = frame["note"].astype(str).str.extract(_CUSTOM_ROW, expand=False)
    return pd.DataFrame(
        {
            "enterprise_id": parts[1],
            "parameter": parts[2],
            "carrier": parts[3],
            "value": frame["value"],
            "unit": frame["unit"],
            "evidence": frame["source"],
            "input_row": pd.to_numeric(rows, errors="coerce").astype("Int64"),
        }
    )


#: The columns of a factor whose change is a new value or a new edition.
_FACTOR_COLUMNS = ("value", "unit", "source", "document", "number", "data_year")


def _factor_changes(a: AnnualAccount, b: AnnualAccount) -> tuple[list[Change], list[Change]]:
    """The park's measured factors changed (as input rows of 自定义因子), and the library's factors changed
    (same id, another value or edition) or used on one side only."""
    ca, cb = _factor_frame(a, True), _factor_frame(b, True)
    custom = compare_rows(
        "custom_factors", ca, cb, ["enterprise_id", "parameter", "carrier"], ["value", "unit", "evidence"], "input_row"
    )
    la, lb = _factor_frame(a, False), _factor_frame(b, False)
    columns = [c for c in _FACTOR_COLUMNS if c in la.columns and c in lb.columns]
    library = compare_rows("factors", la, lb, ["id"], columns, "")
    for change in library:
        change.kind = "factor"
        if change.change != "changed":
            removed = change.change == "removed"
            change.cells = [("id", change.key[0] if removed else None, None if removed else change.key[0])]
    return custom, library


def _digest_changes(a: AnnualAccount, b: AnnualAccount, found: list[Change]) -> tuple[list[Change], list[str]]:
    """Input tables whose rows or contents differ by the manifests' records, where no row of them was found
    changed; or, for a 碳账本 that does not record them, the input file."""
    ra = json.loads(str(a.source.get("input_tables") or "{}"))
    rb = json.loads(str(b.source.get("input_tables") or "{}"))
    same_file = a.source.get("sha256") and a.source.get("sha256") == b.source.get("sha256")
    if same_file:
        return [], []
    seen = {c.table for c in found}
    if not ra or not rb:
        note = (
            "碳账本未记录各输入表的摘要（由早期版本写出），无法说明哪些输入表有变化 / a 碳账本 written by an earlier "
            "release records no digest per input table: which input tables changed cannot be said"
        )
        if found:
            return [], [note]
        old, new = str(a.source.get("sha256", ""))[:12], str(b.source.get("sha256", ""))[:12]
        return [Change("input_file", "changed", "", ("file",), ("sha256",), [("sha256", old, new)])], [note]
    out = []
    for name in (n for n in TABLE_NAMES if n in ra and n in rb and ra[n] != rb[n] and n not in seen):
        (rows_a, digest_a), (rows_b, digest_b) = ra[name], rb[name]
        cells = [("rows", rows_a, rows_b)] if rows_a != rows_b else [("digest", digest_a, digest_b)]
        out.append(Change("input_table", "changed", name, (), (), cells))
    return out, []


def account_changes(a: AnnualAccount, b: AnnualAccount) -> tuple[list[Change], list[str]]:
    """Every cause two 碳账本 show, in the order of the attribution of two workbooks."""
    notes: list[str] = []
    changes = method_changes(a.methods, b.methods) + park_changes(a.park, b.park)
    if a.year != b.year:
        changes.append(Change("park", "changed", "park", ("item",), ("year",), [("year", a.year, b.year)]))
        rows: list[Change] = []
        notes.append(
            "两个碳账本的核算年份不同：不逐行比较 / the two 碳账本 account different years: their rows are not compared"
        )
    else:
        rows = _traced_changes(a, b)
    custom, library = _factor_changes(a, b)
    rows += custom if a.year == b.year else []
    order = {name: i for i, name in enumerate(TABLE_NAMES)}
    rows.sort(key=lambda c: order.get(c.table, len(order)))
    tables, digest_notes = _digest_changes(a, b, rows)
    notes += digest_notes
    changes += rows + tables
    edited = [c for c in library if c.change == "changed"]
    one_side = [c for c in library if c.change != "changed"]
    if changes or edited:
        if one_side:
            notes.append(
                f"{len(one_side)} 个因子只在一方使用，随上列原因而变 / {len(one_side)} factor(s) used on one side "
                "only follow from the causes above"
            )
        return changes + edited, notes
    return changes + library, notes


#: Figures an input row of energy moves by its own facts: figure -> (account table, column, which rows).
_ENERGY_LINEAGE = {
    "energy_tce": ("detail", "tce", None),
    "energy_tce_equivalent": ("detail", "tce_equivalent", None),
    "energy_tce_equal_value": ("detail", "tce_equal_value", None),
    "total_tco2": ("emissions", "emissions_tco2", lambda e: e["in_total"].fillna(False).astype(bool)),
    "scope1_tco2": ("emissions", "emissions_tco2", lambda e: e["scope"] == 1),
    "scope2_location_tco2": ("emissions", "emissions_tco2", lambda e: e["scope2_method"] == "location"),
    "scope2_market_tco2": ("emissions", "emissions_tco2", lambda e: e["scope2_method"] == "market"),
    "total_location_tco2": (
        "emissions",
        "emissions_tco2",
        lambda e: e["scope2_method"].fillna("location") == "location",
    ),
    "total_market_tco2": ("emissions", "emissions_tco2", lambda e: e["scope2_method"].fillna("market") == "market"),
}


def _per_row(account: AnnualAccount, figure: str) -> pd.Series:
    """A figure's own part in each row of the energy sheet (by its Excel row)."""
    name, column, which = _ENERGY_LINEAGE[figure]
    frame = account._tables.get(name, pd.DataFrame())
    try:
        mask = (frame["input_sheet"] == input_table("energy").sheet).fillna(False).to_numpy(dtype=bool)
        if which is not None:
            mask = mask & which(frame).fillna(False).to_numpy(dtype=bool)
        rows = frame[mask]
        return rows.groupby(rows["input_row"].astype("Int64"))[column].sum(min_count=1)
    except KeyError:  # a 碳账本 of an earlier release without the column: no lineage
        return pd.Series(dtype=float)


def _reduction(account: AnnualAccount, kind: str, figure: str) -> pd.Series:
    """Per project (or boiler), its own reduction in the year [tCO2], or whether it was completed in the year."""
    frame = account._tables.get("reductions", pd.DataFrame())
    if not len(frame):
        return pd.Series(dtype=float)
    if not {"kind", "item_id", "status", "completion_date", "reduction_in_year_tco2"} <= set(frame.columns):
        return pd.Series(dtype=float)
    rows = frame[frame["kind"] == kind]
    if figure == "projects_completed":
        done = (rows["status"] == "completed") & (pd.to_datetime(rows["completion_date"]).dt.year == account.year)
        return done.astype(float).groupby(rows["item_id"]).sum()
    return rows.groupby("item_id")["reduction_in_year_tco2"].sum(min_count=1)


def _own(series: pd.Series, at: object) -> float:
    if at is None or at not in series.index or pd.isna(series.get(at)):
        return 0.0
    return float(series[at])


def _target_moves(a: AnnualAccount, b: AnnualAccount, change: Change, figures: list[str]) -> tuple[dict, list]:
    """A target's own figures that changed with its input row (their change; the statuses that changed)."""
    prefix = target_figure(change.key[0], change.key[1], "")
    fa, fb, sa, sb = figures_of(a), figures_of(b), statuses_of(a), statuses_of(b)
    deltas = {f: fb[f] - fa[f] for f in figures if f.startswith(prefix) and not is_status(f) and f in fa and f in fb}
    return deltas, [f for f in figures if f.startswith(prefix) and is_status(f) and sa.get(f) != sb.get(f)]


def lineage(a: AnnualAccount, b: AnnualAccount, changes: list[Change], figures: list[str]) -> list[dict]:
    """Per cause, the change of each figure its own rows carry (no recomputation: the parts need not add up), and
    under :data:`~carbon.diff.attribution.STATUS_MOVES` the statuses of its own target that changed."""
    numbers = [f for f in figures if not is_status(f)]
    wanted = [f for f in numbers if f in _ENERGY_LINEAGE]
    energy = {f: (_per_row(a, f), _per_row(b, f)) for f in wanted}
    rows = []
    for change in changes:
        deltas: dict[str, float] = {}
        statuses: list[str] = []
        if change.table == "energy" and change.kind == "input_row":
            for figure, (sa, sb) in energy.items():
                deltas[figure] = _own(sb, change.row_b) - _own(sa, change.row_a)
        elif change.table in ("projects", "boilers") and change.kind == "input_row":
            kind, item = change.table.removesuffix("s"), change.key[0]
            for figure in ("reduction_tco2", "projects_completed")[: 2 if kind == "project" else 1]:
                if figure in figures:
                    deltas[figure] = _own(_reduction(b, kind, figure), item) - _own(_reduction(a, kind, figure), item)
        elif change.table == "targets" and change.kind == "input_row" and len(change.key) >= 2:
            deltas, statuses = _target_moves(a, b, change, figures)
        deltas = {f: d for f, d in deltas.items() if abs(d) > 0}
        if deltas or statuses:
            zh, en = describe(change)
            change.step = len(rows) + 1
            row = {"step": change.step, "basis": "lineage", "label_zh": zh, "label_en": en}
            row |= {"causes": cause_numbers(change.causes)} | {f: deltas.get(f, np.nan) for f in numbers}
            rows.append(row | {STATUS_MOVES: statuses})
    return rows


def describe(change: Change) -> tuple[str, str]:
    if change.kind in ("method", "park") or change.table in TABLE_NAMES and change.kind == "input_row":
        return group_name(change)
    if change.kind == "input_table":
        spec = input_table(change.table)
        return f"{spec.zh}（整表）", f"{spec.name} (the table)"
    if change.kind == "factor":
        return f"因子 {change.key[0]}", f"factor {change.key[0]}"
    return "输入文件", "input file"
