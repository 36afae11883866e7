"""Label columns carried as integer codes.

The per-fact tables of an account (``detail`` and ``emissions``) hold one row per input fact: millions of
rows for a province. Their text columns (enterprise, carrier, unit, factor id...) take few distinct values, so
each is factorised once, carried through the calculation as integer codes, and handed out as a pandas
``Categorical`` whose categories are the values that occur, sorted. Sorted, observed-only categories make the
dtype a function of the values alone, so a table read back from the ledger workbook equals the one written.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "categorical",
    "code_dtype",
    "dense",
    "distinct",
    "encode",
    "filled",
    "first_rows",
    "groups",
    "isin",
    "listed",
    "row_keys",
    "spread",
    "subset",
]


def distinct(values: pd.Series | pd.api.extensions.ExtensionArray | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``values`` (-1 where missing) and the distinct values they index, as Python objects, in the order
    of their first row.

    What ``pandas.factorize(values.to_numpy(dtype=object))`` gives, without turning millions of cells into
    Python objects first: a column of NumPy numbers is hashed as the numbers it holds (NaN missing; 0.0 and -0.0
    one value, as Python's hash and equality take them: 0.05 s against 0.65 s for 7.2 M years hashed as
    objects), a categorical of many categories is coded from its codes by direct addressing
    (:func:`_categorical_distinct`), one of a few categories gives its codes to pandas, an Arrow-backed text
    column is dictionary-encoded by Arrow. Only the distinct values become objects. A column of objects (cells
    as read) is hashed as objects, its booleans apart from the numbers 1 and 0."""
    array = values.array if isinstance(values, pd.Series) else values
    cells = isinstance(array, pd.arrays.NumpyExtensionArray)  # a Series' NumPy values: objects unless numbers
    if cells:
        array = array.to_numpy()
    if isinstance(array, np.ndarray) and array.dtype.kind in _NUMERIC_KINDS:
        codes, uniques = pd.factorize(array, use_na_sentinel=True)
        objects = np.empty(len(uniques), dtype=object)
        objects[:] = np.asarray(uniques).tolist()  # Python numbers, as the objects' hash gives them
        return np.asarray(codes), objects
    if (
        isinstance(array, pd.Categorical)
        and len(array.categories) > DIRECT_CATEGORIES
        and addressable(len(array.categories), len(array))
    ):
        return _categorical_distinct(array)
    if cells or isinstance(array, np.ndarray) and array.dtype == object:
        return _object_distinct(np.asarray(array, dtype=object))
    codes, uniques = pd.factorize(array, use_na_sentinel=True)
    if isinstance(uniques, pd.CategoricalIndex | pd.Categorical):
        uniques = uniques.astype(object)
    objects = np.empty(len(uniques), dtype=object)
    objects[:] = np.asarray(uniques, dtype=object)
    return np.asarray(codes), objects


#: NumPy kinds hashed as they are by :func:`distinct`: booleans, signed and unsigned integers, floats (a column
#: of one type holds no value of another, so True and 1 never meet in it).
_NUMERIC_KINDS = frozenset("biuf")

#: A categorical with more categories than this (enterprise codes) is coded by direct addressing of its codes
#: (where its categories are :func:`addressable` over its rows); one with fewer is hashed by pandas, which is as
#: fast for a handful of values.
DIRECT_CATEGORIES = 1024


def _categorical_distinct(array: pd.Categorical) -> tuple[np.ndarray, np.ndarray]:
    """:func:`distinct` of a categorical from its codes: each category's first row found by direct addressing
    (no hash table of the rows' codes), the categories that occur numbered in the order of their first rows."""
    codes = np.asarray(array.codes)
    size, n = len(array.categories), len(codes)
    first = first_rows(codes, size + 1)  # the last slot takes the missing (-1)
    present = np.flatnonzero(first[:size] < n)
    order = present[np.argsort(first[present], kind="stable")]
    renumber = np.full(size + 1, -1, dtype=code_dtype(size))  # codes in their smallest type: a narrow pass
    renumber[order] = np.arange(len(order))
    objects = np.empty(len(order), dtype=object)
    objects[:] = np.asarray(array.categories, dtype=object)[order]
    return renumber[codes], objects


@np.errstate(over="ignore")
def _object_distinct(objects: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`distinct` of a column of objects (cells as read): hashed as objects, a boolean apart from 1 and 0.
    Comparing a NumPy float32 with a number beyond its range (1e300) casts that number to infinity, which NumPy
    warns of; the comparison is right (they differ), so the warning is not passed on."""
    if pd.api.types.infer_dtype(objects, skipna=True).startswith("mixed"):
        # True == 1 and False == 0 in Python: hashed as they are, a TRUE typed among numbers would take the
        # number's reading. Booleans are hashed apart.
        booleans = np.fromiter((type(v) is bool or type(v) is np.bool_ for v in objects), bool, len(objects))
        if booleans.any():
            objects = objects.copy()
            objects[booleans] = [_Boolean(bool(v)) for v in objects[booleans]]
            codes, uniques = pd.factorize(objects, use_na_sentinel=True)
            return codes, np.array([u.value if isinstance(u, _Boolean) else u for u in uniques] or [], dtype=object)
    codes, uniques = pd.factorize(objects, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def filled(column: pd.Series, value: object) -> pd.Series:
    """``column.fillna(value)``, a categorical column included (``value`` is added to its categories first)."""
    if isinstance(column.dtype, pd.CategoricalDtype) and value not in column.cat.categories and column.isna().any():
        column = column.cat.add_categories([value])
    return column.fillna(value)


def isin(column: pd.Series, values: Sequence[object] | np.ndarray) -> np.ndarray:
    """``column.isin(values)`` as a boolean array; a categorical's rows read off its categories (each category
    looked up once, no hash of the rows' codes: about 5 ms against 50 ms for 7.2 M enterprise codes)."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.isin(values).to_numpy(dtype=bool)
    values = np.asarray(values, dtype=object)
    found = np.append(listed(column.cat.categories, values), bool(pd.isna(values).any()))
    return found[column.cat.codes.to_numpy()]  # code -1 (missing): the last slot, as isin takes a NaN


def listed(values, among, value_set: pa.ChunkedArray | pa.Array | None = None) -> np.ndarray:
    """Whether each of ``values`` (an Index, a Series or an array) is one of ``among``: by Arrow's ``is_in`` where
    both are text it holds (``value_set``: ``among`` already as Arrow text), about 3 ms for 100,000 codes among
    100,000; else by a hash index of Python objects (``Index.isin`` of pandas' Arrow text makes an Arrow scalar
    of each value: 0.4 s for 100,000; a lone surrogate is text Arrow cannot hold)."""
    try:
        if value_set is None:
            value_set = pa.array(list(among), type=pa.string())
        if isinstance(values, pd.Index | pd.Series) and isinstance(values.dtype, pd.StringDtype):
            held = pa.array(values.array)  # pandas' Arrow text as it is held
        else:
            held = pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)
        return pc.fill_null(pc.is_in(held, value_set=value_set), False).to_numpy(zero_copy_only=False)
    except (pa.ArrowException, UnicodeEncodeError, TypeError):
        return pd.Index(np.asarray(values, dtype=object), dtype=object).isin(list(among))


def _one_number(column) -> bool:
    """Whether a column of NumPy numbers holds one value in every row, none missing (its least and greatest equal:
    two passes, where its codes take a hash of every row). NaN makes both NaN, which equals nothing."""
    array = column.array if isinstance(column, pd.Series) else column
    if isinstance(array, pd.arrays.NumpyExtensionArray):
        array = array.to_numpy()
    if not isinstance(array, np.ndarray) or array.dtype.kind not in "iuf" or not len(array):
        return False
    return bool(array.min() == array.max())


def row_keys(columns: Sequence[pd.Series]) -> np.ndarray:
    """One integer per row standing for its values in ``columns`` (a blank is a value of its own): rows with equal
    values, and only those, have equal keys. Mixed-radix over each column's codes (:func:`distinct`), made dense
    again only when the radix product would pass 2**62.

    Each column's codes (-1 for a blank) are its digits less one: the keys are those of the digits less a
    constant, as distinct. A column of one value in every row (the year of a year's table) adds nothing and is
    left out: two passes over the rows saved for each."""
    n = len(columns[0]) if columns else 0
    key: np.ndarray | None = None
    size = 1
    for column in columns:
        if _one_number(column):
            continue  # the same number in every row (the year of a year's table): no codes made to find it
        codes, values = distinct(column)
        if len(values) <= 1 and (len(values) == 0 or not (codes < 0).any()):
            continue  # one value, or blank, in every row
        width = len(values) + 1
        if key is None:
            key = codes.astype(np.int64)  # a copy: the codes may be another's
            size = width
            continue
        if size * width >= 1 << 62:
            key, uniques = pd.factorize(key)
            key = key.astype(np.int64, copy=False)
            size = len(uniques)
        key *= width  # in place: no temporary array of the rows per step
        key += codes
        size *= width
    return np.zeros(n, dtype=np.int64) if key is None else key


class _Boolean:
    """A boolean cell value hashed apart from the numbers 1 and 0 (see :func:`distinct`)."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Boolean) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("bool", self.value))


def encode(*parts: pd.Series | np.ndarray | Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Codes over the concatenated ``parts`` (-1 where missing) and the distinct values they index.

    Each part is factorised on its own (a categorical part gives its codes without hashing); the later
    parts' distinct values are merged into the first's, so only their (short) codes are remapped."""
    all_codes: list[np.ndarray] = []
    values: list[object] = []
    position: dict[object, int] = {}
    shared = False  # the first part's codes are a categorical's own array
    for part in parts:
        if all_codes and len(part) == 0:
            continue  # nothing to merge: neither the first part's positions nor a wider copy of its codes made
        array = part.array if isinstance(part, pd.Series) else part
        if isinstance(array, pd.Categorical):
            codes, uniques = np.asarray(array.codes), array.categories
        else:
            codes, uniques = pd.factorize(array, use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object).tolist()
        if not all_codes:  # the first part's codes stand as they are
            values = list(uniques)
            all_codes.append(codes)
            shared = isinstance(array, pd.Categorical)
            continue
        if len(position) < len(values):  # the first part's positions, made only when a second part comes
            position = dict(zip(values, range(len(values)), strict=True))
        remap = np.empty(len(uniques) + 1, dtype=np.int64)
        for i, value in enumerate(uniques):
            remap[i] = position.setdefault(value, len(values))
            if remap[i] == len(values):
                values.append(value)
        remap[-1] = -1  # code -1 (missing) stays missing
        all_codes.append(remap[codes])
    if len(all_codes) == 1:  # one part: its codes in their own type, copied only if they are a categorical's own
        return all_codes[0].copy() if shared else all_codes[0], np.asarray(values, dtype=object)
    codes = np.concatenate(all_codes) if all_codes else np.empty(0, dtype=np.int64)
    return codes, np.asarray(values, dtype=object)


def categorical(
    codes: np.ndarray, values: Sequence[object] | np.ndarray, used: np.ndarray | None = None
) -> pd.Categorical:
    """A Categorical of ``values[codes]`` (-1 missing) whose categories are the values used, sorted.

    ``used``, where the caller knows it from something smaller than the rows (a table whose categories are all
    used, per-group values whose groups all have rows), marks the values that occur in ``codes``: the pass over
    the rows that finds them is then skipped. It must be exact."""
    values = np.asarray(values, dtype=object)
    codes = np.asarray(codes)
    if used is None:
        seen = np.zeros(len(values) + 1, dtype=bool)
        seen[codes] = True  # code -1 marks the extra last slot
        used = seen[:-1]
    kept = np.flatnonzero(used)
    if len(kept) == len(values) and _strictly_increasing(values):
        # every value used, already sorted and distinct (a categorical's own categories): the codes stand
        return pd.Categorical.from_codes(
            codes.astype(code_dtype(len(values)), copy=False), pd.Index(values, dtype="str"), validate=False
        )
    # distinct codes may carry equal text (values merged from several sources): one category each
    # Python text, not NumPy's fixed-width strings (which drop a trailing NUL: "X\x00" would merge with "X")
    inverse, labels = _sorted_labels([str(v) for v in values[kept].tolist()])
    dtype = code_dtype(len(labels))
    if len(kept) == len(values) and (inverse == np.arange(len(values))).all():
        row_codes = codes.astype(dtype, copy=False)
    else:
        remap = np.full(len(values) + 1, -1, dtype=dtype)
        remap[kept] = inverse
        row_codes = remap[codes]
    return pd.Categorical.from_codes(row_codes, categories=labels, validate=False)


def _sorted_labels(texts: list[str]) -> tuple[np.ndarray, pd.Index]:
    """``pandas.factorize(pd.Index(texts, dtype=object), sort=True)``, the labels as a text Index: the texts
    encoded and their distinct values sorted by Arrow (by UTF-8 bytes, Python's order of code points; a NUL
    kept), about 5x faster than sorting 100,000 Python strings (the energy table's enterprise codes). Text UTF-8
    cannot hold (a lone surrogate) is sorted by pandas."""
    try:
        encoded = pa.array(texts, type=pa.string()).dictionary_encode()
    except (pa.ArrowException, UnicodeEncodeError):
        inverse, labels = pd.factorize(pd.Index(texts, dtype=object), sort=True)
        return inverse, pd.Index(np.asarray(labels, dtype=object), dtype="str")
    rank, labels = _ranked(encoded.dictionary)
    return rank[encoded.indices.to_numpy()], labels


def _ranked(dictionary: pa.Array) -> tuple[np.ndarray, pd.Index]:
    """Each text of an Arrow dictionary (distinct texts) numbered by its place among them sorted, and the texts
    sorted, as a text Index (Arrow sorts by UTF-8 bytes: Python's order of code points)."""
    order = pc.sort_indices(dictionary).to_numpy()
    rank = np.empty(len(dictionary), dtype=np.intp)
    rank[order] = np.arange(len(dictionary))
    return rank, pd.Index(pd.array(dictionary.take(order), dtype="str"))


def sorted_categorical(values: np.ndarray | pa.Array) -> pd.Categorical:
    """``categorical(*encode(values))`` for an object array of text (None or NaN missing), encoded and sorted by
    Arrow: about 3x faster than hashing and sorting Python objects for 100,000 enterprise names. Arrow orders
    text by its UTF-8 bytes, which is Python's order of code points, and keeps a NUL. Anything but text (or
    text UTF-8 cannot hold) takes the general path. An Arrow array of text (a column of pandas' text taken as it
    is held, nulls missing) is encoded as it is: no Python object per value."""
    if isinstance(values, pa.Array) and (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        encoded = values.dictionary_encode()
    else:
        values = np.asarray(values, dtype=object)
        missing = pd.isna(values)  # None, NaN, pd.NA: missing, as pandas' factorisation takes them
        if not all(type(value) is str for value in values[~missing].tolist()):
            return categorical(*encode(values))  # numbers, subclasses of str: as the general path reads them
        try:
            encoded = pa.array(values, type=pa.string(), mask=missing).dictionary_encode()
        except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate
            return categorical(*encode(values))
    size = len(encoded.dictionary)
    rank, labels = _ranked(encoded.dictionary)
    rank = np.append(rank, -1).astype(code_dtype(size))  # the last slot: missing, code -1
    indices = encoded.indices.fill_null(size).to_numpy()
    return pd.Categorical.from_codes(rank[indices], labels, validate=False)


def subset(values: pd.Categorical, rows: np.ndarray, every_row: bool = False) -> pd.Categorical:
    """The categorical at ``rows``, its categories trimmed to the values that remain.

    ``every_row``: ``rows`` holds every position of ``values`` (in any order, any number of times) and every
    category of ``values`` is used, so none is trimmed and the rows need no pass to find the values used."""
    used = np.ones(len(values.categories), dtype=bool) if every_row else None
    return categorical(values.codes[rows], values.categories, used)


def _strictly_increasing(values: np.ndarray) -> bool:
    index = pd.Index(values, dtype=object)
    try:
        return bool(index.is_monotonic_increasing and index.is_unique) and all(isinstance(v, str) for v in values[:1])
    except TypeError:  # values that do not compare
        return False


def code_dtype(n: int) -> type:
    """The smallest integer type that holds codes for ``n`` categories and -1."""
    return np.int8 if n < 127 else np.int16 if n < 32_767 else np.int32


def addressable(size: int, rows: int) -> bool:
    """Whether integer keys in [0, size) over ``rows`` rows are grouped by direct addressing (arrays over the
    key space) rather than by hashing: where the key space is small against the rows."""
    return size <= max(4 * rows, 1 << 16)


def dense(key: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Group numbers of integer keys in [0, size) and the distinct keys, sorted.

    Direct addressing (two passes over the rows, no hashing) where the key space is :func:`addressable`;
    pandas' hash factorisation otherwise."""
    if addressable(size, len(key)):
        present = np.zeros(size, dtype=bool)
        present[key] = True
        distinct = np.flatnonzero(present)
        lookup = np.zeros(size, dtype=np.intp)
        lookup[distinct] = np.arange(len(distinct))
        return lookup[key], distinct
    group, distinct = pd.factorize(key, sort=True)
    return group.astype(np.intp, copy=False), np.asarray(distinct)


#: At most this many groups, :func:`first_rows` looks at the rows in growing chunks from :data:`_FIRST_CHUNK` on.
_FEW_GROUPS = 4096
_FIRST_CHUNK = 1 << 16


def first_rows(group: np.ndarray, size: int) -> np.ndarray:
    """The first row of each group in [0, ``size``) (``len(group)`` for a group without rows); a code of -1
    counts in the last group."""
    n = len(group)
    first = np.full(size, n, dtype=np.intp)
    if size > _FEW_GROUPS or n <= _FIRST_CHUNK:
        np.minimum.at(first, group, np.arange(n, dtype=np.intp))
        return first
    # few groups: rows taken in growing chunks from the top, until every group has its first row (a group's first
    # row lies in the first chunk that holds the group): most tables show every carrier and unit in their first
    # thousand rows, so 7.2 M rows cost a few chunks, not a pass (about 25 ms)
    start, step = 0, _FIRST_CHUNK
    while start < n:
        chunk = group[start : start + step]
        np.minimum.at(first, chunk, np.arange(start, start + len(chunk), dtype=np.intp))
        start += len(chunk)
        step *= 2
        if not (first == n).any():  # each slot's least row over a prefix that holds one of its rows: its first
            break
    return first


def groups(keys: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, list[tuple[object, ...]], np.ndarray]:
    """Rows grouped by the combination of several coded keys.

    ``keys`` holds (codes, values) pairs as from :func:`encode`. Returns the group of each row, each group's
    key values (None where missing) and each group's first row; groups are numbered in the order of their
    keys' codes."""
    n = len(keys[0][0]) if keys else 0
    size = 1
    for _, values in keys:
        size *= len(values) + 1
    # combined in place, in 32 bits where the key space allows (no temporary arrays of millions of rows)
    combined = np.zeros(n, dtype=np.int32 if size < 2**31 else np.int64)
    for codes, values in keys:
        combined *= len(values) + 1
        np.add(combined, np.asarray(codes), out=combined, casting="unsafe")  # codes of any integer type
        combined += 1
    group, distinct = dense(combined, size)
    first = first_rows(group, len(distinct))
    decoded: list[list[object]] = []
    remainder = np.asarray(distinct, dtype=np.int64)
    for _, values in reversed(keys):
        code = remainder % (len(values) + 1) - 1
        remainder = remainder // (len(values) + 1)
        looked_up = np.asarray(values, dtype=object)[np.maximum(code, 0)] if len(values) else code.astype(object)
        decoded.append(np.where(code >= 0, looked_up, None).tolist())
    key_tuples = list(zip(*reversed(decoded), strict=True)) if decoded else []
    return group, key_tuples, first


def spread(values: Sequence[object], group: np.ndarray, kind: str) -> np.ndarray | pd.Categorical:
    """Per-group results spread over the rows: ``float``, ``bool``, ``category`` or ``str``.

    ``group`` numbers the groups as :func:`groups` does: every group in ``range(len(values))`` has rows (the
    categories of a ``category`` result are found on the groups, not on the rows)."""
    if kind == "float":
        return np.asarray(values, dtype=float)[group] if len(values) else np.full(len(group), np.nan)
    if kind == "bool":
        return np.asarray(values, dtype=bool)[group] if len(values) else np.zeros(len(group), dtype=bool)
    codes, distinct = encode(np.asarray([v if v not in ("", None) else None for v in values], dtype=object))
    # the per-group codes in their smallest type before they are taken: no 64-bit code per row
    codes = codes.astype(code_dtype(len(distinct)), copy=False)
    row_codes = codes[group] if len(codes) else np.full(len(group), -1, dtype=np.int8)
    if kind == "category":
        # every group has rows, and each distinct value is some group's: every value is used
        return categorical(row_codes, distinct, np.ones(len(distinct), dtype=bool))
    text = np.append(np.asarray(distinct, dtype=object), None)
    return pd.array(text, dtype="str").take(np.asarray(row_codes, dtype=np.intp))  # -1: the None at the end
