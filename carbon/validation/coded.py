"""Columns of the tables being validated, as integer codes: what the checks group, compare and count on.

:func:`carbon._codes.distinct` turns a column held as a NumPy array of numbers (a float64 ``year`` after
parsing, an int64 column read from Parquet) into Python objects before hashing it: one object per row, and
hashing objects grows faster than the rows (0.65 s against 0.05 s for 7.2 M years). :func:`distinct` here
hashes such a column as the numbers it holds and gives what :func:`carbon._codes.distinct` gives (the same
codes, the same distinct values as Python objects); every other column goes to :func:`carbon._codes.distinct`
unchanged (text, categoricals, mixed cells, where a TRUE among numbers must stay apart from 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from carbon import _codes

__all__ = ["distinct", "key_groups", "row_keys"]

#: NumPy kinds hashed as they are: booleans, signed and unsigned integers, floats (a column of one type holds
#: no value of another, so True and 1 never meet in it).
_NUMERIC_KINDS = frozenset("biuf")


def distinct(values: pd.Series | pd.api.extensions.ExtensionArray | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``values`` (-1 where missing) and the distinct values they index, as Python objects, in the
    order of their first row: :func:`carbon._codes.distinct`'s answer, a column of NumPy numbers hashed as
    numbers (NaN missing; 0.0 and -0.0 one value, as Python's hash and equality take them)."""
    array = values.array if isinstance(values, pd.Series) else values
    if isinstance(array, pd.arrays.NumpyExtensionArray):
        array = array.to_numpy()
    if isinstance(array, pd.Categorical) and len(array.categories) > DIRECT_CATEGORIES:
        return _categorical_distinct(array)
    if not (isinstance(array, np.ndarray) and array.dtype.kind in _NUMERIC_KINDS):
        return _codes.distinct(values)
    codes, uniques = pd.factorize(array, use_na_sentinel=True)
    objects = np.empty(len(uniques), dtype=object)
    objects[:] = np.asarray(uniques).tolist()  # Python numbers, as the objects' hash gives them
    return np.asarray(codes), objects


#: A categorical with more categories than this (enterprise codes) is coded by direct addressing of its codes;
#: one with fewer is hashed by pandas, which is as fast for a handful of values.
DIRECT_CATEGORIES = 1024


def _categorical_distinct(array: pd.Categorical) -> tuple[np.ndarray, np.ndarray]:
    """:func:`distinct` of a categorical from its codes: each category's first row found by direct addressing
    (no hash table of the rows' codes), the categories that occur numbered in the order of their first rows."""
    codes = np.asarray(array.codes)
    size, n = len(array.categories), len(codes)
    first = np.full(size + 1, n, dtype=np.intp)  # the last slot takes the missing (-1)
    np.minimum.at(first, codes, np.arange(n, dtype=np.intp))
    present = np.flatnonzero(first[:size] < n)
    order = present[np.argsort(first[present], kind="stable")]
    renumber = np.full(size + 1, -1, dtype=np.intp)
    renumber[order] = np.arange(len(order))
    objects = np.empty(len(order), dtype=object)
    objects[:] = np.asarray(array.categories, dtype=object)[order]
    return renumber[codes], objects


def row_keys(columns: Sequence[pd.Series]) -> np.ndarray:
    """One integer per row standing for its values in ``columns`` (a blank is a value of its own): rows with equal
    values, and only those, have equal keys. :func:`carbon._codes.row_keys` on the codes of :func:`distinct`."""
    n = len(columns[0]) if columns else 0
    key = np.zeros(n, dtype=np.int64)
    size = 1
    for column in columns:
        codes, values = distinct(column)
        width = len(values) + 1
        if size * width >= 1 << 62:
            key, uniques = pd.factorize(key)
            key = key.astype(np.int64, copy=False)
            size = len(uniques)
        key *= width  # in place: no temporary array of the rows per step
        key += codes
        key += 1
        size *= width
    return key


#: Keys with at most one descent per this many rows are grouped by a stable sort (a table written in the order
#: of its key, as an export is, sorts in about one pass); others by hashing.
_SORTED_ENOUGH = 64


def key_groups(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The group of each row (rows with equal keys, numbered from 0) and the first row of each group.

    What ``pandas.factorize`` and ``duplicated(keep="first")`` tell, found by a stable sort where the keys are
    nearly in order already (timsort runs over them in about one pass: 0.2 s against 1.7 s of hashing for
    7.2 M energy rows exported in key order), and by hashing otherwise. The groups may be numbered in
    another order than factorize's; the first row of a group is always the earliest row of that key."""
    key = np.asarray(key)
    n = len(key)
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    if np.count_nonzero(key[1:] < key[:-1]) * _SORTED_ENOUGH <= n:
        order = np.argsort(key, kind="stable")  # equal keys keep the order of their rows
        ordered = key[order]
        starts = np.empty(n, dtype=bool)
        starts[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
        group = np.empty(n, dtype=np.intp)
        group[order] = np.cumsum(starts) - 1
        return group, order[starts]
    group, _ = pd.factorize(key)  # numbered in the order of first rows
    group = group.astype(np.intp, copy=False)
    seen = np.maximum.accumulate(group)
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.greater(group[1:], seen[:-1], out=first[1:])  # a group number not seen before: its first row
    return group, np.flatnonzero(first)
