"""carbon/_arrays.py: same kind in and out, and one computation per group of labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon._arrays import as_float_array, like_input, per_group
from carbon.errors import InputValueError

LABELS = st.sampled_from(["t", "kg", "万Nm3", "kWh", "原煤", 7, 2.5])


@given(
    rows=st.lists(st.tuples(LABELS, LABELS, LABELS), min_size=1, max_size=200),
)
def test_per_group_equals_row_by_row(rows):
    a, b, c = (np.array(column, dtype=object) for column in zip(*rows, strict=True))
    calls = []

    def compute(a, b, c, scale):
        calls.append((a, b, c))
        return hash((str(a), str(b), str(c))) % 1000 + scale

    out = per_group(compute, a=a, b=b, c=c, scale=0.5)
    expected = [hash((str(x), str(y), str(z))) % 1000 + 0.5 for x, y, z in rows]
    assert out.tolist() == expected
    assert len(calls) == len({(str(x), str(y), str(z)) for x, y, z in rows})


def test_per_group_with_scalars_only_is_one_call():
    assert per_group(lambda unit, carrier: 2.0, unit="t", carrier="原煤") == 2.0


def test_per_group_locates_missing_labels_and_length_mismatch():
    with pytest.raises(InputValueError, match=r"positions \[0, 2\]"):
        per_group(lambda unit: 1.0, unit=[None, "t", np.nan])
    with pytest.raises(InputValueError, match="different lengths"):
        per_group(lambda unit, carrier: 1.0, unit=["t", "t"], carrier=["原煤"])


def test_a_blank_label_can_be_a_key_of_its_own():
    """With ``blank_is_a_key`` every blank (None, NaN, NA) is one key, handed over as NaN, computed once."""
    calls = []

    def compute(unit, carrier):
        calls.append((unit, carrier))
        return 10.0 if isinstance(unit, float) and np.isnan(unit) else 1.0

    units = pd.Series([None, "t", np.nan, pd.NA, "t"], dtype=object)
    out = per_group(compute, blank_is_a_key=True, unit=units, carrier=["原煤"] * 5)
    assert out.tolist() == [10.0, 1.0, 10.0, 10.0, 1.0]
    assert len(calls) == 2 and ("t", "原煤") in calls


def test_like_input_keeps_the_kind():
    series = pd.Series([1.0, 2.0], index=[5, 6])
    assert like_input(series, np.array([3.0, 4.0]), name="x").index.tolist() == [5, 6]
    assert isinstance(like_input(1.0, np.array(3.0)), float)
    assert isinstance(like_input([1.0], np.array([3.0])), np.ndarray)


def test_nullable_and_object_numbers_become_floats_with_nan():
    assert np.isnan(as_float_array(pd.Series([1.0, pd.NA], dtype="Float64"), "v")[1])
    assert as_float_array(np.array([1, None], dtype=object), "v")[0] == 1.0
    with pytest.raises(InputValueError, match="must be numeric"):
        as_float_array(np.array(["1", 2], dtype=object), "v")
