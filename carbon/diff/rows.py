"""The rows of two tables compared by key, and the park facts and method choices of two runs: the causes a diff
finds. Values are compared as plain Python (blanks as None, numbers to 1e-12 relative)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from carbon.account import Methods
from carbon.ledger import TABLE_NAMES, Ledger
from carbon.schema import table as input_table

__all__ = [
    "TOLERANCE",
    "Change",
    "compare_rows",
    "figure_moved",
    "frame_of",
    "input_changes",
    "method_changes",
    "park_changes",
    "plain",
    "same_value",
]

#: Two values of a figure differ when they differ by more than this, relative to the larger (at least 1).
TOLERANCE = 1e-9


def plain(value: object) -> object:
    """A value as JSON can hold it: blanks as None, numpy scalars as Python, dates as ISO text, a tuple as text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return "、".join(map(str, value))
    return value


def _normal(values: pd.Series) -> pd.Series:
    """A column as plain objects, blanks as None (what keys are matched on)."""
    out = values.astype(object)
    return out.where(values.notna().to_numpy(), None)


def _equal(x: pd.Series, y: pd.Series) -> np.ndarray:
    """Cell by cell: the same value (numbers to 1e-12 relative), or blank on both sides."""
    nx, ny = x.isna().to_numpy(dtype=bool), y.isna().to_numpy(dtype=bool)
    numeric = all(pd.api.types.is_numeric_dtype(v.dtype) and not pd.api.types.is_bool_dtype(v.dtype) for v in (x, y))
    if numeric:
        xv = x.to_numpy(dtype=float, na_value=np.nan)
        yv = y.to_numpy(dtype=float, na_value=np.nan)
        same = np.isclose(xv, yv, rtol=1e-12, atol=0.0)
    else:
        xv = np.where(nx, None, x.astype(object).to_numpy())
        yv = np.where(ny, None, y.astype(object).to_numpy())
        try:  # text, dates, codes: element by element in numpy's loop
            same = np.asarray(xv == yv, dtype=bool)
        except (TypeError, ValueError):  # a value whose == is no plain truth
            same = np.array([same_value(p, q) for p, q in zip(xv, yv, strict=True)], dtype=bool)
    return np.where(nx | ny, nx & ny, same)


def same_value(x: object, y: object) -> bool:
    """Two values are the same: numbers to 1e-12 relative, a boolean only as a boolean, anything else by ==."""
    if isinstance(x, (bool, np.bool_)) or isinstance(y, (bool, np.bool_)):
        return type(plain(x)) is type(plain(y)) and bool(x == y)
    if isinstance(x, (int, float, np.number)) and isinstance(y, (int, float, np.number)):
        return math.isclose(float(x), float(y), rel_tol=1e-12, abs_tol=0.0)
    return bool(x == y)


def figure_moved(x: float | None, y: float | None) -> bool:
    """Whether a figure moved from ``x`` to ``y`` (a blank that becomes a number moved; blank to blank did not)."""
    blank_x = x is None or math.isnan(x)
    blank_y = y is None or math.isnan(y)
    if blank_x or blank_y:
        return blank_x != blank_y
    return abs(y - x) > TOLERANCE * max(1.0, abs(x), abs(y))


# -- rows of two tables -------------------------------------------------------------------------------------


@dataclass
class Change:
    """One cause: an input row added, removed or changed (its cells), a park fact, a method choice, a factor."""

    kind: str
    change: str
    table: str
    key_columns: tuple[str, ...]
    key: tuple
    cells: list[tuple[str, object, object]]
    row_a: int | None = None
    row_b: int | None = None
    pos_a: int | None = None
    pos_b: int | None = None
    note: str = ""
    step: int | None = None
    causes: list[int] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)


def _keys(frame: pd.DataFrame, key: Sequence[str]) -> pd.DataFrame:
    """The key columns of ``frame`` as plain objects, with ``_n``, the occurrence of a key repeated."""
    out = pd.DataFrame({c: _normal(frame[c]).to_numpy() for c in key}, index=pd.RangeIndex(len(frame)))
    out["_n"] = out.groupby(list(key), dropna=False, sort=False).cumcount() if key and len(out) else 0
    return out


def _column(frame: pd.DataFrame, name: str, positions: np.ndarray) -> pd.Series:
    if name not in frame.columns:
        return pd.Series([None] * len(positions), dtype=object)
    return frame[name].iloc[positions].reset_index(drop=True)


def _summary_of(frame: pd.DataFrame, position: int, columns: Sequence[str]) -> str:
    """A row's values (blanks left out) as ``column=value; ...``: what a row added or removed held."""
    parts = []
    for column in columns:
        if column in frame.columns and (value := plain(frame[column].iat[position])) is not None:
            parts.append(f"{column}={value}")
    return "; ".join(parts)


def compare_rows(
    table: str, a: pd.DataFrame, b: pd.DataFrame, key: Sequence[str], columns: Sequence[str], row: str
) -> list[Change]:
    """The rows of ``b`` added, removed or changed against ``a``, matched by ``key`` (a key repeated is matched
    by its occurrence), ``columns`` compared; ``row`` is the column of each row's Excel row. Rows in the order of
    A's sheet, the added ones after them in B's order."""
    key = list(key)
    left = _keys(a, key).assign(_a=np.arange(len(a)))
    right = _keys(b, key).assign(_b=np.arange(len(b)))
    merged = left.merge(right, on=[*key, "_n"], how="outer", sort=False)
    merged["_order"] = merged["_a"].fillna(len(a) + merged["_b"])
    merged = merged.sort_values("_order", kind="stable").reset_index(drop=True)
    both = (merged["_a"].notna() & merged["_b"].notna()).to_numpy()
    pa = merged.loc[both, "_a"].astype(int).to_numpy()
    pb = merged.loc[both, "_b"].astype(int).to_numpy()
    unequal = {c: ~_equal(_column(a, c, pa), _column(b, c, pb)) for c in columns}
    differs = np.zeros(len(pa), dtype=bool)
    for flags in unequal.values():
        differs |= flags
    changed = dict(zip(np.flatnonzero(both)[differs].tolist(), np.flatnonzero(differs).tolist(), strict=True))
    positions_a, positions_b = merged["_a"].to_numpy(), merged["_b"].to_numpy()
    repeats = merged["_n"].to_numpy()
    keys = [merged[c].to_numpy() for c in key]
    out = []
    for index in range(len(merged)):
        ia = None if pd.isna(positions_a[index]) else int(positions_a[index])
        ib = None if pd.isna(positions_b[index]) else int(positions_b[index])
        if ia is not None and ib is not None and index not in changed:
            continue
        values = tuple(plain(k[index]) for k in keys) + ((f"#{int(repeats[index]) + 1}",) if repeats[index] else ())
        change = Change("input_row", "changed", table, tuple(key), values, [], pos_a=ia, pos_b=ib)
        change.row_a, change.row_b = _row(a, row, ia), _row(b, row, ib)
        if ia is None:
            change.change, change.cells = "added", [("", None, _summary_of(b, ib, columns))]
        elif ib is None:
            change.change, change.cells = "removed", [("", _summary_of(a, ia, columns), None)]
        else:
            at = changed[index]
            change.cells = [(c, _value(a, c, ia), _value(b, c, ib)) for c in columns if unequal[c][at]]
        out.append(change)
    return out


def _value(frame: pd.DataFrame, column: str, position: int) -> object:
    return plain(frame[column].iat[position]) if column in frame.columns else None


def _row(frame: pd.DataFrame, column: str, position: int | None) -> int | None:
    if position is None or column not in frame.columns:
        return None
    value = plain(frame[column].iat[position])
    return int(value) if value is not None else None


def input_changes(a: Ledger, b: Ledger) -> list[Change]:
    """Every input row added, removed or changed, table by table in the order of the workbook's sheets."""
    out = []
    for name in TABLE_NAMES:
        spec = input_table(name)
        fa, fb = a._tables[name], b._tables[name]
        key = [c for c in spec.key if c in fa.columns and c in fb.columns]
        columns = [c for c in spec.names if c not in key and (c in fa.columns or c in fb.columns)]
        if not key:  # a table without a key: rows are matched whole
            key, columns = [c for c in spec.names if c in fa.columns and c in fb.columns], []
        out += compare_rows(name, fa, fb, key, columns, "source_row")
    return out


def park_changes(a: Mapping[str, object], b: Mapping[str, object]) -> list[Change]:
    out = []
    for name in dict.fromkeys([*a, *b]):
        old, new = plain(a.get(name)), plain(b.get(name))
        if not (old is None and new is None) and (old is None or new is None or not same_value(old, new)):
            out.append(Change("park", "changed", "park", ("item",), (name,), [(name, old, new)]))
    return out


def method_changes(a: Methods, b: Methods) -> list[Change]:
    return [
        Change("method", "changed", "methods", ("method",), (name,), [(name, a[name], b[name])])
        for name in Methods.model_fields
        if a[name] != b[name]
    ]


def frame_of(rows: list[dict], columns: Sequence[str]) -> pd.DataFrame:
    """A table of ``rows`` with these columns (and them only, also when there are no rows)."""
    return pd.DataFrame(rows, columns=list(columns)) if rows else pd.DataFrame(columns=list(columns))
