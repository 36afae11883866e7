"""carbon.validation.references._listed_or_not: a categorical column of enterprise codes looked up per category
and read off its codes gives what pandas' ``notna``, ``isin`` and ``unique`` give over its rows (the general
path, taken for any other column)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon import _codes
from carbon.validation import references

_CODES = st.sampled_from(["A1", "B2", "C3", "c3", "D4", "", " ", "X\x00", "中文"])


def _general(values: pd.Series, ids: set[str]) -> tuple[np.ndarray, np.ndarray, set]:
    present = values.notna()
    missing = present & ~values.isin(ids)
    return present.to_numpy(dtype=bool), missing.to_numpy(dtype=bool), set(pd.unique(values[present & ~missing]))


@given(
    st.lists(st.one_of(_CODES, st.none()), max_size=60),
    st.lists(_CODES, max_size=5),
    st.sets(_CODES, max_size=6),
    st.sampled_from(["object", "str"]),
)
def test_a_categorical_is_looked_up_per_category_as_isin_does_per_row(rows, unused, ids, text):
    categories = sorted({r for r in rows if r is not None} | set(unused))
    values = pd.Series(pd.Categorical(rows, categories=pd.Index(categories, dtype=text)))
    present, missing, given_codes = references._listed_or_not(values, ids)
    expected = _general(values, ids)
    assert np.array_equal(present, expected[0])
    assert np.array_equal(missing, expected[1])
    assert set(given_codes()) == expected[2]
    # the same as the column of objects, which takes the general path
    as_objects = references._listed_or_not(values.astype(object), ids)
    assert np.array_equal(as_objects[0], present) and np.array_equal(as_objects[1], missing)
    assert set(as_objects[2]()) == expected[2]


def test_a_missing_row_is_not_unlisted_nor_given():
    values = pd.Series(pd.Categorical([None, "A1", "B2", None], categories=["A1", "B2", "Z9"]))
    present, missing, given_codes = references._listed_or_not(values, {"A1"})
    assert present.tolist() == [False, True, True, False]
    assert missing.tolist() == [False, False, True, False]
    assert set(given_codes()) == {"A1"}  # Z9 unused, B2 unlisted


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "企业", "A", "", "\ud800"]), unique=True, max_size=6),
    st.sets(st.sampled_from(["a", "企业", "c", "", "\ud800"]), max_size=4),
    st.booleans(),
)
def test_the_categories_listed_are_those_isin_finds(categories, ids, arrow):
    """Arrow's is_in where both hold text, a hash index of Python objects otherwise: what Index.isin tells."""
    if arrow and "\ud800" in categories:
        categories.remove("\ud800")  # pandas' Arrow text cannot hold it
    index = pd.Index(categories, dtype="str" if arrow else object)
    expected = pd.Index(categories, dtype=object).isin(list(ids))
    assert _codes.listed(index, ids).tolist() == expected.tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "企业", "", "\ud800", 3])), max_size=10),
    st.sets(st.sampled_from(["a", "企业", "c", ""]), max_size=4),
    st.sampled_from(["object", "str", "held"]),
)
def test_codes_are_found_listed_as_isin_finds_them(values, ids, how):
    """A column of codes looked up by Arrow (the listed codes given as Arrow text, or made so) or by pandas."""
    column = pd.Series(values, dtype=object)
    if how == "str":
        if any(v == "\ud800" or isinstance(v, int) for v in values):
            return  # pandas' Arrow text holds neither
        column = column.astype("str")
    value_set = references.cells.arrow_text(pd.Series(sorted(ids), dtype="str")) if how == "held" else None
    expected = column.isin(ids).tolist()
    assert _codes.listed(column, ids, value_set).tolist() == expected
