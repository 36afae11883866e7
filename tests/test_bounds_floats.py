"""carbon.validation.tables._check_bounds: a column of floats is compared as it is, without pandas.to_numeric's
copy; the problems are those of the general path (the same numbers as objects, through to_numeric)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from carbon.schema.inputs import table
from carbon.validation.problems import Collector, ReadReport
from carbon.validation.tables import RawTable, _check_bounds

_NUMBERS = st.one_of(
    st.sampled_from([0.0, -0.0, -1.0, 0.5, 1.0, 1.5, 100.0, np.nan, np.inf, -np.inf, -5e-324]),
    st.floats(allow_nan=True, allow_infinity=True),
)


def _problems(name: str, column: str, values: pd.Series) -> list[tuple]:
    spec = table(name)
    frame = pd.DataFrame({column: values})
    raw = RawTable(spec, spec.sheet, frame, pd.Series(frame.index + 2, index=frame.index), {column: "C"})
    report = ReadReport("test")
    with np.errstate(over="ignore"):  # a percent past 1.8e306 is shown as inf% in the message, on either path
        _check_bounds(raw, spec.column(column), values, Collector(report, set()))
    return [(p.cell, p.message_zh, p.message_en, p.code, p.value) for p in report.problems]


@given(st.lists(_NUMBERS, max_size=30), st.sampled_from([("energy", "quantity"), ("boilers", "efficiency_before")]))
def test_bounds_of_floats_as_through_to_numeric(numbers, where):
    name, column = where
    floats = pd.Series(np.array(numbers, dtype=float))
    assert _problems(name, column, floats) == _problems(name, column, floats.astype(object))


def test_bounds_of_floats_report_a_negative_quantity():
    found = _problems("energy", "quantity", pd.Series([1.0, -2.0, np.nan]))
    assert [p[0] for p in found] == ["C3"] and found[0][3] == "negative"


def _checked(name: str, column: str, values: pd.Series) -> list[tuple]:
    """The problems of both checks of a column of numbers: its bounds and its plausibility."""
    from carbon.validation.tables import _check_plausible

    spec = table(name)
    frame = pd.DataFrame({column: values})
    raw = RawTable(spec, spec.sheet, frame, pd.Series(frame.index + 2, index=frame.index), {column: "C"})
    report = ReadReport("test")
    out = Collector(report, set())
    with np.errstate(over="ignore"):
        _check_bounds(raw, spec.column(column), values, out)
        _check_plausible(raw, spec.column(column), values, out)
    return [(p.cell, p.message_zh, p.code, p.value) for p in report.problems]


_PLAUSIBLE = st.one_of(
    _NUMBERS, st.sampled_from([1989.0, 1990.0, 2100.0, 2100.5, 0.0, 12.0, 13.0, 1e15, 1.0000001e15, -1e16])
)


@given(
    st.lists(_PLAUSIBLE, max_size=20),
    st.sampled_from(
        [("energy", "quantity"), ("energy", "year"), ("energy", "month"), ("boilers", "efficiency_before")]
    ),
)
def test_a_column_within_its_bounds_is_passed_on_its_extremes_as_by_its_masks(numbers, where):
    import pytest

    from carbon.validation import tables

    name, column = where
    floats = pd.Series(np.array(numbers, dtype=float))
    fast = _checked(name, column, floats)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(tables, "_all_within", lambda *args: False)
        assert fast == _checked(name, column, floats)
