"""The rules that run on integer codes decide what their row-by-row form decided: each is run beside a copy of
that form (the reference, kept here) on generated tables, and the problems must be the same."""

from __future__ import annotations

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
