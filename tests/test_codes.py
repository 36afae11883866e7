"""carbon/_codes.py: label columns carried as integer codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon import _codes


def test_encode_merges_the_values_of_several_parts():
    codes, values = _codes.encode(pd.Series(["b", "a", None, "b"]), np.array(["c", "a"], dtype=object))
    assert values.tolist() == ["b", "a", "c"]
    assert codes.tolist() == [0, 1, -1, 0, 2, 1]


_PART = st.lists(st.sampled_from(["甲", "乙", "丙", None]), max_size=8)


@given(_PART, _PART, _PART, st.booleans())
def test_encode_of_parts_some_empty_gives_the_concatenation(first, second, third, coded):
    """Empty later parts are skipped; a categorical first part keeps its codes' type and is never written to."""
    head = (
        pd.Series(pd.Categorical(first, categories=["乙", "甲", "丙", "丁"]))
        if coded
        else pd.Series(first, dtype=object)
    )
    own = head.cat.codes.to_numpy().copy() if coded else None
    parts = [head, np.array(second, dtype=object), pd.Series(third, dtype=object)]
    codes, values = _codes.encode(*parts)
    decoded = [values[c] if c >= 0 else None for c in codes.tolist()]
    assert decoded == first + second + third
    assert len(set(values.tolist())) == len(values)
    if coded:
        codes[:] = -1  # the result is the caller's: the categorical's own codes are not behind it
        assert head.cat.codes.to_numpy().tolist() == own.tolist()
        if not second and not third:
            assert codes.dtype == head.cat.codes.dtype  # no wider copy of the codes


def test_categorical_keeps_the_used_values_sorted():
    out = _codes.categorical(np.array([2, 2, -1, 0]), np.array(["z", "unused", "a"], dtype=object))
    assert out.categories.tolist() == ["a", "z"]  # sorted, and "unused" dropped
    assert out.tolist()[:2] == ["a", "a"] and pd.isna(out[2]) and out[3] == "z"
    assert str(out.categories.dtype) == "str"


def test_categorical_merges_equal_text_under_distinct_codes():
    out = _codes.categorical(np.array([0, 1]), np.array(["x", "x"], dtype=object))
    assert out.categories.tolist() == ["x"] and out.codes.tolist() == [0, 0]


@given(st.lists(st.sampled_from(["甲", "乙", "丙", None]), max_size=50))
def test_categorical_round_trips_any_labels(labels):
    codes, values = _codes.encode(np.array(labels, dtype=object))
    out = _codes.categorical(codes, values)
    expected = [v if v is not None else None for v in labels]
    assert [None if pd.isna(v) else v for v in out] == expected
    assert out.categories.tolist() == sorted({v for v in labels if v is not None})


@pytest.mark.parametrize("size", [10, 10**9])  # direct addressing and hashing
def test_dense_numbers_groups_by_sorted_key(size):
    key = np.array([7, 3, 7, 9, 3])
    group, distinct = _codes.dense(key, size)
    assert distinct.tolist() == [3, 7, 9]
    assert group.tolist() == [1, 0, 1, 2, 0]


def test_groups_decode_their_keys_and_first_rows():
    carrier = (np.array([0, 1, 0, 0, -1]), np.array(["coal", "gas"], dtype=object))
    unit = (np.array([0, 0, 1, 0, 0]), np.array(["t", "GJ"], dtype=object))
    group, keys, first = _codes.groups([carrier, unit])
    assert len(keys) == 4
    by_key = dict(zip(keys, first.tolist(), strict=True))
    assert by_key == {("coal", "t"): 0, ("gas", "t"): 1, ("coal", "GJ"): 2, (None, "t"): 4}
    assert group[0] == group[3] and len(set(group.tolist())) == 4


def test_spread_per_group_results_over_rows():
    group = np.array([1, 0, 1])
    assert _codes.spread([1.5, 2.5], group, "float").tolist() == [2.5, 1.5, 2.5]
    assert _codes.spread([True, False], group, "bool").tolist() == [False, True, False]
    labels = _codes.spread(["a", ""], group, "category")
    assert pd.isna(labels[0]) and labels[1] == "a"  # an empty label is missing
    assert str(_codes.spread(["a", None], group, "str").dtype) == "str"


_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(-3, 3, allow_nan=False).map(lambda x: round(x, 1)),
    st.sampled_from(["1", "甲", " ", "", "True"]),
)


@given(st.lists(_CELLS, max_size=40))
def test_distinct_codes_every_cell_as_pandas_does_and_keeps_booleans_apart(cells):
    values = pd.Series(cells, dtype=object)
    codes, distinct = _codes.distinct(values)
    # every cell is given back by its code: the same value, of the same kind (True is not 1, False not 0.0)
    for value, code in zip(cells, codes, strict=True):
        if value is None:
            assert code == -1
        else:
            assert distinct[code] == value and isinstance(distinct[code], bool) == isinstance(value, bool)
    assert len(set(codes[codes >= 0].tolist())) == len(distinct)


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["b", None, "a", "b"], dtype="str"),  # Arrow-backed text: encoded by Arrow
        pd.Series(["b", None, "a", "b"], dtype="category"),  # the categorical's own codes
        pd.Series([1.5, np.nan, 1.5]),
        pd.Series([2023, None, 2024], dtype="Int64"),
        pd.Series([True, None, False], dtype="boolean"),
    ],
)
def test_distinct_of_a_typed_column_equals_factorising_its_objects(values):
    codes, distinct = _codes.distinct(values)
    expected_codes, expected = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    assert codes.tolist() == expected_codes.tolist()
    assert [(v, type(v)) for v in distinct] == [(v, type(v)) for v in expected]


@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.integers(0, 2), st.sampled_from([1.5, None])), max_size=30)
)
def test_row_keys_are_equal_exactly_for_equal_rows(rows):
    frame = pd.DataFrame(rows, columns=["text", "number", "float"], dtype=object)
    keys = _codes.row_keys([frame[c] for c in frame.columns])
    for i in range(len(rows)):
        for j in range(len(rows)):
            assert (keys[i] == keys[j]) == (rows[i] == rows[j])


def test_row_keys_stay_exact_past_the_radix_limit():
    # 8 columns of 400 distinct values: 401**8 passes 2**62, so the key is made dense again on the way
    rng = np.random.default_rng(0)
    values = rng.integers(0, 400, size=(2_000, 8))
    values[1] = values[0]  # one repeated row
    keys = _codes.row_keys([pd.Series(values[:, c]) for c in range(8)])
    assert keys[0] == keys[1]
    assert len(set(keys.tolist())) == len({tuple(r) for r in values.tolist()}) == 1_999


@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(2020, 2024)), st.integers(-2, 2)), max_size=30))
def test_row_keys_of_nullable_integer_columns(rows):
    years = pd.array([r[0] for r in rows], dtype="Int64")  # nullable: a blank is a value of its own
    small = np.array([r[1] for r in rows], dtype=np.int64)
    keys = _codes.row_keys([pd.Series(years), pd.Series(small)])
    for i in range(len(rows)):
        for j in range(len(rows)):
            assert (keys[i] == keys[j]) == (rows[i] == rows[j])


def test_categorical_keeps_text_that_differs_by_a_trailing_nul():
    out = _codes.categorical(np.array([0, 1, 1]), np.array(["X\x00", "X", "X"], dtype=object))
    assert sorted(out.categories.tolist()) == ["X", "X\x00"] and out[0] == "X\x00" and out[1] == "X"


_TEXTS = st.one_of(
    st.sampled_from(["", "X", "X\x00", "a", "B", "甲", "乙", "😀", "\ud800", " a", "ａ"]),
    st.text(max_size=4),
)


@given(st.lists(_TEXTS, max_size=30))
def test_sorted_labels_equal_pandas_sorted_factorisation(texts):
    """The labels sorted by Arrow (or by pandas where a text is no UTF-8) against pandas' sorted factorisation."""
    expected_inverse, expected = pd.factorize(pd.Index(texts, dtype=object), sort=True)
    try:
        expected = pd.Index(np.asarray(expected, dtype=object), dtype="str")
    except UnicodeEncodeError:  # a lone surrogate: no text Index holds it, either way
        with pytest.raises(UnicodeEncodeError):
            _codes._sorted_labels(texts)
        return
    inverse, labels = _codes._sorted_labels(texts)
    assert inverse.tolist() == expected_inverse.tolist()
    assert labels.tolist() == expected.tolist()
    assert labels.dtype == expected.dtype


@given(
    st.integers(1, 40),
    st.lists(st.tuples(st.integers(-1, 39), st.integers(1, 3000)), min_size=1, max_size=12),
)
def test_first_rows_in_chunks_equal_those_of_every_row(size, runs):
    """Few groups: the rows are looked at in growing chunks until every group has its first row; long tables
    (past the first chunk) with groups that start late or never occur, and -1 in the last slot."""
    top = max(size - 2, 0)  # the last group is left for the last row alone (for one group: a -1 there)
    group = np.concatenate([np.full(length, min(code, top)) for code, length in runs]).astype(np.intp)
    group = np.tile(group, 1 + (_codes._FIRST_CHUNK * 3) // len(group))[: _codes._FIRST_CHUNK * 3 + len(runs)]
    group[-1] = size - 1 if size > 1 else -1  # a group (or a blank) seen only in the last row
    expected = np.full(size, len(group), dtype=np.intp)
    np.minimum.at(expected, group, np.arange(len(group), dtype=np.intp))
    assert _codes.first_rows(group, size).tolist() == expected.tolist()


def test_a_float32_beside_a_number_beyond_its_range_is_coded_without_numpy_warning():
    """Hashing a float32 cell with 1e300 compares them, casting 1e300 to float32 (infinity), which NumPy warned of
    ("overflow encountered in cast") where the two met in the hash table: the codes are right, so no warning is
    passed on. The cells in 20 orders, as where they meet depends on it."""
    import warnings

    cells = np.array([np.float32(2.5), 1e300, 10**30, float("inf"), 7, "x", None] * 3, dtype=object)
    for seed in range(20):
        np.random.default_rng(seed).shuffle(cells)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            codes, distinct = _codes.distinct(pd.Series(cells, dtype=object))
        assert not caught
        assert len(distinct) == 6 and (codes >= 0).sum() == 18
