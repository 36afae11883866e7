"""Same kind in, same kind out: scalars, numpy arrays and pandas Series for the calculation functions.

A scalar gives a float, an ndarray (or a list) gives an ndarray, a Series gives a Series with the same
index. Missing values (None, NaN, pd.NA) stay NaN; they are never turned into zero. Text and booleans are
refused rather than coerced: "12" or True in a numeric argument is a mistake upstream.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from carbon.errors import InputValueError

ArrayLike: TypeAlias = float | int | np.ndarray | pd.Series | Sequence[float]

_NUMERIC_INFERRED = {"floating", "integer", "mixed-integer-float", "decimal", "empty"}


def as_float_array(value: object, argument: str) -> np.ndarray:
    """Return ``value`` as a float ndarray (0-d for a scalar), refusing text and booleans."""
    if isinstance(value, (str, bytes, bool, np.bool_)):
        raise _not_numeric(argument, value)
    if isinstance(value, pd.Series):
        if pd.api.types.is_bool_dtype(value.dtype) or not (
            pd.api.types.is_numeric_dtype(value.dtype) or value.dtype == object
        ):
            raise _not_numeric(argument, value.dtype)
        if value.dtype == object:
            _check_object_values(value.to_numpy(), argument)
        return value.to_numpy(dtype=float, na_value=np.nan)
    array = np.asarray(value)
    if array.dtype.kind in "iuf":
        return array.astype(float, copy=False)
    if array.dtype.kind == "O":
        _check_object_values(array.ravel(), argument)
        return np.asarray(pd.Series(array.ravel(), dtype=object).to_numpy(dtype=float, na_value=np.nan)).reshape(
            array.shape
        )
    raise _not_numeric(argument, array.dtype)


def _check_object_values(values: np.ndarray, argument: str) -> None:
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind not in _NUMERIC_INFERRED:
        raise _not_numeric(argument, kind)


def _not_numeric(argument: str, what: object) -> InputValueError:
    return InputValueError(
        f"参数 {argument} 须为数值（标量、numpy 数组或 pandas Series），收到 {what!r}",
        f"argument {argument!r} must be numeric (scalar, numpy array or pandas Series); got {what!r}",
        argument=argument,
    )


def template_of(*values: object) -> object:
    """The input whose kind the result takes: the first Series, else the first array-like, else a scalar.

    Several Series must share one index: carbon never aligns them silently (alignment would insert NaN).
    """
    series = [v for v in values if isinstance(v, pd.Series)]
    for other in series[1:]:
        if not other.index.equals(series[0].index):
            raise InputValueError(
                "多个 Series 的索引不一致，请先对齐",
                "Series arguments have different indexes; align them first (carbon does not align silently)",
                argument="index",
            )
    if series:
        return series[0]
    for v in values:
        if np.ndim(v) > 0:
            return v
    return values[0]


def like_input(template: object, result: np.ndarray, name: Hashable | None = None) -> object:
    """Wrap ``result`` in the kind of ``template``: float, ndarray or Series (same index)."""
    if isinstance(template, pd.Series):
        return pd.Series(np.asarray(result, dtype=float), index=template.index, name=name)
    if np.ndim(template) == 0:
        return float(np.asarray(result, dtype=float).reshape(()))
    return np.asarray(result, dtype=float)


def broadcast(*arrays: np.ndarray, names: Sequence[str]) -> list[np.ndarray]:
    """Broadcast numeric arrays against each other, with a located message when their lengths differ."""
    try:
        return list(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(f"{n}={np.shape(a)}" for n, a in zip(names, arrays, strict=True))
        raise InputValueError(
            f"参数长度不一致：{shapes}",
            f"arguments have different lengths: {shapes}",
            argument=names[0],
        ) from None


def per_group(compute: Callable[..., float], *, blank_is_a_key: bool = False, **keys: object) -> float | np.ndarray:
    """Evaluate ``compute`` once per distinct combination of keys and spread the results over the rows.

    Each keyword is a scalar (the same for every row) or an array-like of labels (one per row). With only
    scalars the result is a float. Otherwise the rows are factorised first, so ``compute`` (which may
    call pint or look up a factor) runs once per group, never once per row. ``blank_is_a_key``: a missing
    label (None, NaN, NA) is a key of its own, handed to ``compute`` as NaN, instead of refused (the checks,
    which report such rows themselves, and the account's reconciliation, which leaves them out).

    Raises
    ------
    InputValueError
        A label is missing (None/NaN) and ``blank_is_a_key`` is not set, or the array-like keys have different
        lengths.
    """
    arrays = {k: v for k, v in keys.items() if not isinstance(v, str) and np.ndim(v) > 0}
    if not arrays:
        return float(compute(**keys))
    lengths = {k: len(v) for k, v in arrays.items()}
    n = next(iter(lengths.values()))
    if len(set(lengths.values())) > 1:
        raise InputValueError(
            f"参数长度不一致：{lengths}", f"arguments have different lengths: {lengths}", argument=next(iter(lengths))
        )
    # Factorise each label column on its own and combine the integer codes: much cheaper than
    # factorising tuples of labels. Each group's labels are read back from its first row.
    combined = np.zeros(n, dtype=np.int64)
    column_codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, column in arrays.items():
        codes, uniques = pd.factorize(np.asarray(column, dtype=object), use_na_sentinel=True)
        missing = np.flatnonzero(codes < 0)
        if missing.size and blank_is_a_key:  # the blanks one more key, after the labels
            codes = np.where(codes < 0, len(uniques), codes)
            uniques = np.append(np.asarray(uniques, dtype=object), np.nan)
        elif missing.size:
            raise InputValueError(
                f"{name} 有 {missing.size} 个空值（位置 {missing[:10].tolist()}）",
                f"{missing.size} missing {name} value(s) (positions {missing[:10].tolist()})",
                argument=name,
                positions=missing.tolist(),
            )
        combined = combined * len(uniques) + codes
        column_codes[name] = (codes, np.asarray(uniques, dtype=object))
    codes, group_ids = pd.factorize(combined)
    first_row = np.empty(len(group_ids), dtype=np.int64)
    first_row[codes[::-1]] = np.arange(n - 1, -1, -1)
    groups = [
        {name: uniques[column[row]] for name, (column, uniques) in column_codes.items()} for row in first_row.tolist()
    ]
    scalars = {k: v for k, v in keys.items() if k not in arrays}
    results = np.array([compute(**scalars, **group) for group in groups], dtype=float)
    return results[codes]


def scale(value: object, factors: float | np.ndarray, *, name: Hashable | None, factor_argument: str) -> object:
    """``value`` times per-row ``factors``, returned in the kind of ``value``.

    ``factors`` is a float (one for all rows) or an array with one factor per row of ``value``.
    """
    magnitudes = as_float_array(value, "value")
    if np.ndim(factors) and np.shape(factors) != np.shape(magnitudes):
        raise InputValueError(
            f"{factor_argument} 的个数（{np.size(factors)}）与数值个数（{np.size(magnitudes)}）不一致",
            f"{np.size(factors)} {factor_argument} value(s) given for {np.size(magnitudes)} value(s)",
            argument=factor_argument,
        )
    return like_input(value, magnitudes * factors, name=name)
