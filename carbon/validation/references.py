"""Enterprise references across the sheets: every code the other sheets give is one the enterprises sheet
lists, checked once for the whole park so that one mistyped code is one problem.

A code the other sheets give that the enterprises sheet does not list is compared with the listed codes
(:func:`nearest`: edit distance, a swap of two neighbouring characters counting as one edit, at most one
edit per six characters), and with the listed names (a name typed where the code belongs). Then:

- the nearest listed code is itself wrong (its check character fails, so it is reported already) or no row of
  the other sheets gives it, and the code given is a valid credit code (or the listed one is internal): the
  mistake is on the enterprises sheet. It is reported once, at that cell, saying which rows give the similar
  code and suggesting it; those rows are held back (counted as rejected), not reported one by one;
- otherwise the mistake is in the referencing row, reported at its cell as before, with the nearest listed
  code (and its enterprise's name) as a suggestion when there is one.

A reference that differs from a listed credit code only in upper and lower case is that code: credit codes
are upper-cased on the enterprises sheet, and so they are where they are referred to.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from carbon import _codes
from carbon.schema.inputs import TABLES
from carbon.validation import cells
from carbon.validation.problems import Collector
from carbon.validation.uscc import uscc_problem, uscc_valid

if TYPE_CHECKING:
    from carbon.validation.tables import RawTable

__all__ = ["check_references", "edit_distance", "nearest", "row_ranges"]

#: At most this many distinct unknown codes are compared with the listed ones (a sheet of garbage must not
#: take minutes: each comparison with a few thousand listed codes takes milliseconds); the rest are reported
#: without a suggestion.
MAX_COMPARED = 200


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace a character, or swap two neighbouring ones) that turn ``a`` into ``b``."""
    return int(_distances(a, [b])[0])


def _distances(value: str, candidates: list[str]) -> np.ndarray:
    """:func:`edit_distance` from ``value`` to every candidate at once (optimal string alignment)."""
    n = len(candidates)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lengths = np.array([len(c) for c in candidates])
    width = int(lengths.max())
    table = np.full((n, width), -1, dtype=np.int64)
    for row, text in enumerate(candidates):
        table[row, : len(text)] = [ord(ch) for ch in text]
    start = np.tile(np.arange(width + 1, dtype=np.int64), (n, 1))
    before, previous = None, start
    for i, ch in enumerate(value, start=1):
        current = np.empty_like(previous)
        current[:, 0] = i
        code = ord(ch)
        for j in range(1, width + 1):
            cost = (table[:, j - 1] != code).astype(np.int64)
            best = np.minimum(np.minimum(previous[:, j] + 1, current[:, j - 1] + 1), previous[:, j - 1] + cost)
            if before is not None and j > 1 and i > 1:
                swap = (table[:, j - 1] == ord(value[i - 2])) & (table[:, j - 2] == code)
                best = np.where(swap, np.minimum(best, before[:, j - 2] + 1), best)
            current[:, j] = best
        before, previous = previous, current
    return previous[np.arange(n), lengths]


def _allowed(code: str) -> int:
    """How many edits still count as a typing slip for a code of this length (3 for an 18-character code)."""
    return max(1, len(code) // 6)


def nearest(value: str, codes: list[str]) -> str | None:
    """The listed code nearest to ``value`` within a typing slip (case ignored), or None; on a tie the first."""
    if not codes:
        return None
    distances = _distances(value.upper(), [c.upper() for c in codes])
    best = int(np.argmin(distances))
    return codes[best] if distances[best] <= _allowed(codes[best]) else None


def row_ranges(rows: Iterable[int], most: int = 6) -> tuple[str, bool]:
    """Rows as ranges (``4–5、41–79``); True when more ranges than ``most`` were left out."""
    ordered = sorted(set(rows))
    spans: list[tuple[int, int]] = []
    for row in ordered:
        if spans and row == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], row)
        else:
            spans.append((row, row))
    text = [f"{a}" if a == b else f"{a}–{b}" for a, b in spans[:most]]
    return "、".join(text), len(spans) > most


@dataclass
class _Unknown:
    """One code the other sheets give that the enterprises sheet does not list, and where it is given."""

    value: str
    places: list[tuple[RawTable, object, str]] = field(default_factory=list)  # (table, row index, column)


def _name_key(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def _where(unknowns: list[_Unknown]) -> tuple[str, str, int]:
    """Where the rows that give these codes are: Chinese, English, and how many rows."""
    by_sheet: dict[str, list[int]] = {}
    order: dict[str, int] = {}
    for unknown in unknowns:
        for raw, index, _ in unknown.places:
            by_sheet.setdefault(raw.sheet, []).append(int(raw.rows[index]))
            order.setdefault(raw.sheet, [t.name for t in TABLES].index(raw.table.name))
    zh, en, total = [], [], 0
    for sheet in sorted(by_sheet, key=order.__getitem__):
        rows = by_sheet[sheet]
        total += len(set(rows))
        ranges, more = row_ranges(rows)
        zh.append(f"{sheet} 第 {ranges}{' 等' if more else ''} 行")
        en.append(
            f"{sheet} row{'s' if len(set(rows)) > 1 else ''} {ranges.replace('、', ', ')}{' ...' if more else ''}"
        )
    return "；".join(zh), "; ".join(en), total


class _Listed:
    """What the enterprises sheet lists, beyond its codes, for placing a code it does not list: each part made
    the first time it is asked for (a park whose references are all listed never needs them)."""

    def __init__(self, enterprises: pd.DataFrame, listed: pd.Series, listed_text: pd.Series) -> None:
        self.enterprises, self.listed, self.listed_text = enterprises, listed, listed_text

    @cached_property
    def credit_codes(self) -> np.ndarray:
        """The listed codes not marked internal, each once."""
        enterprises, listed, listed_text = self.enterprises, self.listed, self.listed_text
        if "id_type" in enterprises.columns:
            listed_credit = listed_text[~(enterprises.loc[listed.index, "id_type"] == "internal").to_numpy()]
        else:
            listed_credit = listed_text
        return pd.unique(listed_credit.to_numpy(dtype=object))

    @cached_property
    def credit(self) -> set[str]:
        return set(self.credit_codes.tolist())

    @cached_property
    def upper_codes(self) -> np.ndarray:
        return np.array([c.upper() for c in self.credit_codes], dtype=object)

    @cached_property
    def invalid(self) -> set[str]:
        """The listed credit codes whose check character fails."""
        return set(self.credit_codes[~uscc_valid(self.upper_codes)].tolist())

    @cached_property
    def by_upper(self) -> dict[str, str]:
        """Each upper-cased listed credit code, to the first listed code (in sorted order) that gives it."""
        by_upper: dict[str, str] = {}
        for code, upper in sorted(zip(self.credit_codes.tolist(), self.upper_codes.tolist(), strict=True)):
            by_upper.setdefault(upper, code)
        return by_upper

    @cached_property
    def names(self) -> dict[str, str]:
        """Each listed name (as :func:`_name_key` gives it), to the code of the first enterprise of that name."""
        names: dict[str, str] = {}
        if "name" in self.enterprises.columns:
            given = self.enterprises.loc[self.listed.index, "name"]
            named = given.map(lambda v: isinstance(v, str) and bool(v.strip())).to_numpy(dtype=bool)
            for key, code in zip(given[named].map(_name_key).tolist(), self.listed_text[named].tolist(), strict=True):
                names.setdefault(key, code)  # the first enterprise of a name
        return names

    @cached_property
    def first_row(self) -> dict[str, object]:
        """Each listed code, to the index of its first row."""
        firsts = ~self.listed_text.duplicated(keep="first").to_numpy()
        return dict(zip(self.listed_text[firsts].tolist(), self.listed.index[firsts], strict=True))


def check_references(
    raws: dict[str, RawTable], typed: dict[str, pd.DataFrame], out: Collector, *, sub_tables: Iterable[str]
) -> dict[str, str | None]:
    """Check every enterprise reference of ``sub_tables`` against the enterprises sheet (see the module doc);
    returns each code given that is not listed, with the listed code it is taken for (None: no guess).

    ``typed["enterprises"]`` has its credit codes upper-cased already (by
    :func:`carbon.validation.rules.credit_codes_are_valid`); a reference that matches one but for case is
    upper-cased in its typed table."""
    enterprises, listing = typed["enterprises"], raws["enterprises"]
    listed = enterprises["enterprise_id"].dropna()
    listed_text = listed.astype(str)  # one pass over the enterprises, no Python work per row
    codes = pd.unique(listed_text.to_numpy(dtype=object)).tolist()
    ids = set(codes)
    value_set = cells.arrow_text(listed_text)  # the same codes held by Arrow (pandas' text): no copy
    found = _Listed(enterprises, listed, listed_text)  # the rest of the listing: made only once a code is unknown

    givers: list[Callable[[], Iterable]] = []  # the listed codes each column gives: wanted only for unknown codes
    unknown: dict[str, _Unknown] = {}
    for name in sub_tables:
        raw, frame = raws[name], typed[name]
        for column in raw.table.columns:
            if column.kind != "enterprise" or column.name not in frame.columns:
                continue
            values = frame[column.name]
            present, missing, given = _listed_or_not(values, ids, value_set)
            if missing.any() and isinstance(values.dtype, pd.CategoricalDtype):  # coded: fixed on the categories
                categories = values.cat.categories.tolist()
                fixed_categories = [c if c in ids else found.by_upper.get(str(c).upper(), c) for c in categories]
                if fixed_categories != categories:  # a credit code in lower case: the listed code
                    coded = _codes.categorical(values.cat.codes.to_numpy(), np.array(fixed_categories, dtype=object))
                    frame[column.name] = pd.Series(coded, index=frame.index)
                    values = frame[column.name]
                    present, missing, given = _listed_or_not(values, ids, value_set)
            elif missing.any():
                upper = values[missing].astype(str).str.upper().map(found.by_upper)
                fixed = upper.notna()
                if fixed.any():  # a credit code in lower case: the listed code
                    frame.loc[upper.index[fixed], column.name] = upper[fixed]
                    values = frame[column.name]
                    present, missing, given = _listed_or_not(values, ids, value_set)
            givers.append(given)
            for index in values.index[missing]:
                text = str(values[index])
                entry = unknown.setdefault(text, _Unknown(text))
                entry.places.append((raw, index, column.name))

    referenced: set[str] = set()
    for given in givers if unknown else ():  # every code known (the usual case): no pass to find those given
        referenced.update(given())
    listing_slips: dict[str, list[_Unknown]] = {}
    guesses: dict[str, str | None] = {}
    for position, (text, entry) in enumerate(unknown.items()):
        by_name = found.names.get(_name_key(text))
        if by_name is not None:
            guesses[text] = by_name
            _report_rows(entry, out, by_name, typed, as_name=True)
            continue
        near = guesses[text] = nearest(text, codes) if position < MAX_COMPARED else None
        plausible = near is not None and (near not in found.credit or uscc_problem(text.upper()) is None)
        if plausible and (near in found.invalid or near not in referenced):
            listing_slips.setdefault(near, []).append(entry)
        else:
            _report_rows(entry, out, near, typed)
    for code, entries in listing_slips.items():
        _report_listing(listing, found.first_row[code], code in found.invalid, entries, out)
    return guesses


def _listed_or_not(
    values: pd.Series, ids: set[str], value_set: pa.ChunkedArray | None = None
) -> tuple[np.ndarray, np.ndarray, Callable[[], Iterable]]:
    """The rows that give a code, those whose code ``ids`` does not list, and a function giving the listed codes
    the rows give (each once): ``values.notna()``, ``values.notna() & ~values.isin(ids)`` and
    ``pandas.unique`` of the rest.

    A categorical column (the energy table's 7.2 M enterprise codes) is looked up per category and its rows
    read off their codes: no hashing of the rows (``isin`` of a categorical hashes its codes) nor a copy of the
    rows that give a listed code to find the codes they give."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        present = values.notna()
        missing = present & ~_codes.listed(values, ids, value_set)
        return present.to_numpy(dtype=bool), missing.to_numpy(dtype=bool), lambda: pd.unique(values[present & ~missing])
    categories = values.cat.categories
    codes = values.cat.codes.to_numpy()
    listed = np.zeros(len(categories) + 1, dtype=bool)
    listed[:-1] = _codes.listed(categories, ids, value_set)
    listed[-1] = True  # the last slot: a missing row (code -1), not unlisted
    present = codes >= 0
    missing = ~listed[codes]

    def given() -> Iterable:
        used = np.zeros(len(categories) + 1, dtype=bool)
        used[codes] = True
        return categories[used[:-1] & listed[:-1]].tolist()

    return present, missing, given


def _suggestion(code: str, typed: dict[str, pd.DataFrame]) -> tuple[str, str]:
    enterprises = typed["enterprises"]
    names = enterprises.loc[enterprises["enterprise_id"] == code, "name"].dropna()
    return (f"{code}（{names.iloc[0]}）", f"{code} ({names.iloc[0]})") if len(names) else (code, code)


def _report_rows(entry: _Unknown, out: Collector, near: str | None, typed, *, as_name: bool = False) -> None:
    """One error per referencing row, with the nearest listed code as a suggestion."""
    hint_zh = hint_en = ""
    if near is not None:
        zh, en = _suggestion(near, typed)
        if as_name:
            hint_zh, hint_en = (
                f"；这是企业名称，请填写其统一社会信用代码 {near}",
                f"; this is an enterprise's name: give its code {near}",
            )
        else:
            hint_zh, hint_en = f"；是否应为 {zh}？", f"; did you mean {en}?"
    for raw, index, column in entry.places:
        outside_zh, outside_en = ("", "")
        if not raw.table.column(column).required:
            outside_zh, outside_en = (
                "，不是园区企业；园区外请留空",
                ": not a park enterprise; leave it blank for outside the park",
            )
        out.cell(
            raw,
            index,
            column,
            f"「企业」表中没有该企业{outside_zh}{hint_zh}",
            f"no such enterprise on the enterprises sheet{outside_en}{hint_en}",
            "unknown_enterprise",
        )


def _report_listing(listing: RawTable, index: object, invalid: bool, entries: list[_Unknown], out: Collector) -> None:
    """One problem at the listed code that the other sheets give differently; their rows are held back."""
    where_zh, where_en, total = _where(entries)
    given = "、".join(e.value for e in entries)
    given_en = ", ".join(e.value for e in entries)
    for entry in entries:
        for raw, row_index, _ in entry.places:
            out.rejected.setdefault(raw.table.name, set()).add(row_index)
    plural = "s" if total > 1 else ""
    if invalid:  # the check character already reported here: one message, completed
        done = out.amend(
            listing,
            index,
            "enterprise_id",
            f"；其他表有 {total} 行填的是相近的代码 {given}（{where_zh}），是否应为 {given}？改正后这些行即可读入",
            f"; {total} row{plural} on other sheets give the similar code {given_en} ({where_en}): did you mean "
            f"{given_en}? Those rows are held back until the codes agree",
        )
        if done:
            return
    out.cell(
        listing,
        index,
        "enterprise_id",
        f"其他表没有一行填此代码，却有 {total} 行填了相近的代码 {given}（{where_zh}），而本表没有 {given}："
        f"是否应为 {given}？改正后这些行即可读入",
        f"no row on the other sheets gives this code, but {total} row{plural} give the similar code {given_en} "
        f"({where_en}), which is not listed here: did you mean {given_en}? Those rows are held back until the "
        f"codes agree",
        "unknown_enterprise",
    )
