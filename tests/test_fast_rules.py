"""The rules that run on integer codes decide what their row-by-row form decided: each is run beside a copy of
that form (the reference, kept here) on generated tables, and the problems must be the same."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon.schema.inputs import table
from carbon.validation import rules
from carbon.validation.problems import Collector, ReadReport
from carbon.validation.tables import RawTable


def _raw(name: str, frame: pd.DataFrame) -> RawTable:
    letters = {column: chr(ord("A") + i) for i, column in enumerate(frame.columns)}
    rows = pd.Series(frame.index.to_numpy() + 2, index=frame.index)
    return RawTable(table(name), table(name).sheet, frame, rows, letters)


def _problems(check, raw: RawTable, typed: pd.DataFrame) -> list[tuple]:
    report = ReadReport("test")
    out = Collector(report, set())
    check(raw, typed, out)
    return sorted((p.cell, p.message_zh, p.message_en, p.code, p.severity) for p in report.problems)


def _units_fit_the_carrier_by_rows(raw, typed, unit, carrier, out):
    """The reference: the rows grouped by (unit, carrier), each group's pair checked once."""
    pairs = typed[[unit, carrier]].dropna()
    if pairs.empty:
        return
    for (u, c), group in pairs.groupby([unit, carrier], sort=False):
        problem = rules._unit_fits(u, c)
        if problem:
            for index in group.index:
                out.cell(raw, index, unit, *problem, "unit_carrier")


_UNITS = st.sampled_from(["t", "GJ", "kWh", "m3", "万Nm3", "tce", "MWh", None])
_CARRIERS = st.sampled_from(["raw_coal", "natural_gas", "electricity", "steam", "diesel", "heat", None])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_UNITS, _CARRIERS), max_size=30), st.booleans(), st.integers(0, 5))
def test_units_fit_the_carrier_as_row_by_row(rows, labelled, offset):
    frame = pd.DataFrame(rows, columns=["unit", "carrier"], dtype=object)
    frame.index = frame.index * 3 + offset  # an index that is not the positions (rows dropped as blank)
    typed = frame.astype("category") if labelled else frame
    raw = _raw("energy", frame)
    fast = _problems(rules.energy_units_fit_the_carrier, raw, typed)
    slow = _problems(
        lambda raw, typed, out: _units_fit_the_carrier_by_rows(raw, typed, "unit", "carrier", out), raw, typed
    )
    assert fast == slow


_GREEN_ROW = st.tuples(
    st.sampled_from(["c1", "c2", "c3", None]),
    st.sampled_from(["trade", "certificate", "direct_line", None]),
    st.sampled_from(["E1", "E2"]),
    st.sampled_from([2023, 2024]),
    st.sampled_from([1.0, 2.0, np.nan]),
    st.sampled_from([10.0, 20.0]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_GREEN_ROW, max_size=25))
def test_green_ids_are_claimed_once_as_when_every_group_was_visited(rows):
    from carbon.validation import park910

    frame = pd.DataFrame(
        rows, columns=["certificate_id", "instrument", "enterprise_id", "year", "month", "quantity"]
    ).astype({"certificate_id": object, "instrument": object, "year": float})
    frame["unit"] = "MWh"
    raw = _raw("green_power", frame)
    fast = _problems(park910.green_ids_are_claimed_once, raw, frame)
    kept = park910._on_several_rows
    park910._on_several_rows = lambda rows: rows  # the reference: every id's group visited, one row or more
    try:
        slow = _problems(park910.green_ids_are_claimed_once, raw, frame)
    finally:
        park910._on_several_rows = kept
    assert fast == slow


def _yearly_and_monthly_by_hashing(raw, typed, keys, out, zh, en):
    """The reference: the rows of a year grouped by pandas' factorize of their keys' objects."""
    scope = typed[typed["year"].notna().to_numpy(dtype=bool)]
    if scope.empty:
        return
    objects = scope[keys].astype(object).where(scope[keys].notna(), None)
    group, _ = pd.factorize(pd.Series(list(map(tuple, objects.to_numpy().tolist())), dtype=object))
    annual = scope["month"].isna().to_numpy(dtype=bool)
    rows = np.bincount(group)
    annual_rows = np.bincount(group, weights=annual, minlength=len(rows))
    mixed = ((annual_rows > 0) & (annual_rows < rows))[group]
    for index in scope.index[mixed & annual]:
        out.cell(raw, index, "month", zh, en, "annual_and_monthly")


_ENERGY_ROW = st.tuples(
    st.sampled_from(["E1", "E2", None]),
    st.sampled_from([2023.0, 2024.0, np.nan]),
    st.sampled_from([1.0, 2.0, np.nan]),
    st.sampled_from(["electricity", "raw_coal", None]),
    st.sampled_from(["fuel", "feedstock", None]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_ENERGY_ROW, max_size=40), st.booleans(), st.booleans())
def test_yearly_and_monthly_as_by_hashing(rows, labelled, in_order):
    frame = pd.DataFrame(rows, columns=["enterprise_id", "year", "month", "carrier", "use"])
    if in_order:  # keys nearly in order: grouped by the stable sort
        frame = frame.sort_values(["enterprise_id", "year", "carrier", "use"], na_position="first").reset_index(
            drop=True
        )
    typed = frame.astype({c: "category" if labelled else object for c in ("enterprise_id", "carrier", "use")})
    raw = _raw("energy", frame)
    keys = ["enterprise_id", "year", "carrier", "use"]
    fast = _problems(lambda raw, typed, out: rules.yearly_and_monthly(raw, typed, keys, out, "甲", "a"), raw, typed)
    slow = _problems(
        lambda raw, typed, out: _yearly_and_monthly_by_hashing(raw, typed, keys, out, "甲", "a"), raw, typed
    )
    assert fast == slow
