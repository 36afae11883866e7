"""carbon._codes.distinct and row_keys: their fast paths (numbers hashed as numbers, a categorical of many
categories coded by direct addressing) against the object path of the reference, pandas' factorisation of the
column's Python objects; carbon/validation/coded.py's key_groups against hashing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon import _codes
from carbon.validation import coded

_FLOATS = st.one_of(
    st.sampled_from([0.0, -0.0, np.nan, np.inf, -np.inf, 1.0, 2023.0, 1e15, 5e-324]),
    st.floats(allow_nan=True, allow_infinity=True),
)


def _objects(values) -> np.ndarray:
    """The column as Python objects (missing as NaN or None): what the reference hashes."""
    if isinstance(values, np.ndarray):
        return np.asarray(values, dtype=object)
    if isinstance(values.dtype, pd.CategoricalDtype):  # each row's category as it is (to_numpy makes 457 457.0)
        codes = values.cat.codes.to_numpy()
        return np.append(np.asarray(values.cat.categories, dtype=object), None)[codes]  # -1: the None at the end
    return values.to_numpy(dtype=object)


def _object_rows_keys(columns) -> list[tuple]:
    """Each row's values as a tuple of the objects' codes (a blank a value of its own): the reference's rows."""
    codes = [pd.factorize(_objects(column), use_na_sentinel=True)[0].tolist() for column in columns]
    return list(zip(*codes, strict=True))


def _same(values) -> None:
    """_codes.distinct gives what factorising the column's Python objects gives: the same codes, the same values
    of the same types (the first row's zero of 0.0 and -0.0, as the objects' hash keeps it)."""
    codes, distinct = _codes.distinct(values)
    expected_codes, expected = pd.factorize(_objects(values), use_na_sentinel=True)
    assert codes.tolist() == expected_codes.tolist()
    assert len(distinct) == len(expected)
    for got, want in zip(distinct.tolist(), list(expected), strict=True):
        assert type(got) is type(want)
        assert got == want or (got != got and want != want)
        if isinstance(want, float) and want == 0:
            assert np.signbit(got) == np.signbit(want)


@given(st.lists(_FLOATS, max_size=40))
def test_distinct_of_floats_equals_the_objects_reference(values):
    _same(pd.Series(np.array(values, dtype=float)))
    _same(np.array(values, dtype=float))


@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=40))
def test_distinct_of_integers_equals_the_objects_reference(values):
    _same(pd.Series(np.array(values, dtype=np.int64)))


@given(st.lists(st.booleans(), max_size=40))
def test_distinct_of_booleans_equals_the_objects_reference(values):
    _same(pd.Series(np.array(values, dtype=bool)))


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(np.array([3, 1, 3], dtype=np.int8)),
        pd.Series(np.array([2**64 - 1, 1, 2**64 - 1], dtype=np.uint64)),
        pd.Series(np.array([1.5, np.nan, 1.5], dtype=np.float32)),
        pd.Series([1, 1.0, None, "1", 2.5], dtype=object),  # cells: the object path itself
        pd.Series(["b", None, "a", "b"], dtype="str"),
        pd.Series(["b", None, "a", "b"], dtype="category"),
        pd.Series([2023, None, 2024], dtype="Int64"),
        pd.Series([True, None, False], dtype="boolean"),
        pd.Series([1 + 2j, 1 + 2j]),
        pd.Series(pd.to_datetime(["2024-01-05", None, "2024-01-05"])),
    ],
)
def test_distinct_of_any_other_column_is_the_reference(values):
    _same(values)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", None]),
            st.sampled_from([2023.0, 2024.0, np.nan, -0.0, 0.0]),
            st.sampled_from([1.0, np.nan]),
            st.integers(0, 2),
        ),
        max_size=30,
    )
)
def test_row_keys_equal_the_reference(rows):
    columns = [
        pd.Series([r[0] for r in rows], dtype="category"),
        pd.Series([r[1] for r in rows], dtype=float),
        pd.Series([r[2] for r in rows], dtype=float),
        pd.Series(np.array([r[3] for r in rows], dtype=np.int64)),
    ]
    _same_rows(_codes.row_keys(columns), columns)


@given(
    st.lists(st.sampled_from(["a", "b", None]), min_size=1, max_size=20),
    st.sampled_from([2023.0, -0.0, 7, np.nan]),
    st.booleans(),
)
def test_row_keys_leave_out_a_column_of_one_number_only(labels, number, blank_one):
    """A column of one number in every row adds nothing to the keys; one with a blank somewhere still does."""
    n = len(labels)
    numbers = np.full(n, number, dtype=float if isinstance(number, float) else np.int64)
    if blank_one and numbers.dtype == float:
        numbers[-1] = np.nan
    columns = [pd.Series(labels, dtype="category"), pd.Series(numbers), pd.Series(np.zeros(n) - 0.0 * numbers)]
    _same_rows(_codes.row_keys(columns), columns)


def _same_rows(keys: np.ndarray, columns) -> None:
    """Rows have equal keys exactly where their objects are equal, column by column (a blank a value of its own):
    both partitions numbered in the order of their first rows, then compared."""
    by_keys = pd.factorize(keys)[0].tolist()
    by_objects = pd.factorize(pd.Series(_object_rows_keys(columns), dtype=object))[0].tolist()
    assert by_keys == by_objects


def test_row_keys_stay_exact_past_the_radix_limit():
    rng = np.random.default_rng(0)
    values = rng.integers(0, 400, size=(2_000, 8)).astype(float)
    values[1] = values[0]
    columns = [pd.Series(values[:, c]) for c in range(8)]
    keys = _codes.row_keys(columns)
    _same_rows(keys, columns)
    assert keys[0] == keys[1] and len(set(keys.tolist())) == 1_999


@given(st.lists(st.tuples(st.integers(-1, 2_999), st.integers(-1, 3)), max_size=60))
def test_row_keys_of_a_large_categorical_equal_the_reference(rows):
    categories = [f"91350100M{i:09d}" for i in range(3_000)]  # past the direct limit: coded from its codes
    columns = [
        pd.Series(pd.Categorical.from_codes([r[0] for r in rows], categories=categories)),
        pd.Series(np.array([r[1] for r in rows], dtype=float)).replace(-1.0, np.nan),
    ]
    _same_rows(_codes.row_keys(columns), columns)


def _groups_by_hashing(key: np.ndarray) -> tuple[list[int], list[int]]:
    """The reference: each row's first row of its key (pandas' factorize), and duplicated(keep="first")."""
    group, _ = pd.factorize(key)
    first = {}
    for row, g in enumerate(group.tolist()):
        first.setdefault(g, row)
    return [first[g] for g in group.tolist()], pd.Series(key).duplicated(keep="first").tolist()


@given(st.lists(st.integers(-3, 40), max_size=200), st.booleans())
def test_key_groups_equal_hashing_sorted_or_not(values, in_order):
    key = np.array(sorted(values) if in_order else values, dtype=np.int64)  # sorted: the path of the stable sort
    group, first_rows = coded.key_groups(key)
    firsts, repeated = _groups_by_hashing(key)
    assert first_rows[group].tolist() == firsts
    assert (first_rows[group] != np.arange(len(key))).tolist() == repeated
    assert sorted(set(group.tolist())) == list(range(len(first_rows)))  # numbered 0 .. groups - 1
    assert all(key[first_rows[g]] == key[row] for row, g in enumerate(group.tolist()))


def _key_with_descents(descents: int) -> np.ndarray:
    """128 sorted keys with ``descents`` places where a key is less than the one before."""
    rng = np.random.default_rng(descents)
    key = np.sort(rng.integers(0, 30, size=128))
    for position in rng.choice(np.arange(1, 128), size=descents, replace=False):
        key[position] = -1  # a descent before each
    return key


@pytest.mark.parametrize("descents", [0, 1, 2, 50])
def test_key_groups_on_both_sides_of_the_sorted_enough_limit(descents):
    key = _key_with_descents(descents)
    group, first_rows = coded.key_groups(key)
    firsts, repeated = _groups_by_hashing(key)
    assert first_rows[group].tolist() == firsts
    assert (first_rows[group] != np.arange(len(key))).tolist() == repeated


@given(
    st.lists(st.one_of(st.none(), st.sampled_from(["b", "a", "c", "甲", ""])), max_size=40),
    st.sampled_from([["a", "b", "c", "d", "甲", ""], ["甲", "", "d", "c", "b", "a"]]),
)
def test_distinct_of_a_large_categorical_by_its_codes_is_the_reference(labels, categories):
    column = pd.Series(pd.Categorical(labels, categories=categories))  # unused categories, missing labels
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_codes, "DIRECT_CATEGORIES", -1)  # every categorical by direct addressing
        _same(column)


@pytest.mark.parametrize(
    "categories",
    [
        [f"91350100M{i:09d}" for i in range(3_000)],
        [float(i) + 0.5 for i in range(3_000)],
        list(range(3_000, 0, -1)),
    ],
)
def test_distinct_of_a_categorical_past_the_direct_limit(categories):
    rng = np.random.default_rng(0)
    codes = rng.integers(-1, len(categories) - 10, size=20_000)  # some categories unused, some rows missing
    column = pd.Series(pd.Categorical.from_codes(codes, categories=categories))
    assert len(categories) > _codes.DIRECT_CATEGORIES
    _same(column)


def _repeats_by_hashing(key: np.ndarray) -> tuple[list[int], list[int]]:
    """The reference: the rows pandas' duplicated(keep="first") marks, and each one's first row of its key."""
    firsts, repeated = _groups_by_hashing(key)
    rows = [row for row, again in enumerate(repeated) if again]
    return rows, [firsts[row] for row in rows]


@given(st.lists(st.integers(-3, 40), max_size=200), st.sampled_from(["sorted", "unsorted", "descending"]))
def test_repeats_equal_hashing_sorted_or_not(values, order):
    key = np.array(sorted(values, reverse=order == "descending") if order != "unsorted" else values, dtype=np.int64)
    rows, firsts = coded.repeats(key)
    assert (rows.tolist(), firsts.tolist()) == _repeats_by_hashing(key)


@pytest.mark.parametrize("descents", [0, 1, 2, 50])
def test_repeats_on_both_sides_of_the_sorted_enough_limit(descents):
    key = _key_with_descents(descents)
    rows, firsts = coded.repeats(key)
    assert (rows.tolist(), firsts.tolist()) == _repeats_by_hashing(key)
