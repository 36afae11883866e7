"""A sheet's rows of equal length are stacked into the grid of cells in one step (``np.fromiter`` over the cells
one after another); the grid is the one the row-by-row assignment gives (the path rows of unequal length
take): the same shape, the same cells in the same places, the very objects the reader returned."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon.io.park_workbook import _stacked

CELLS = st.one_of(
    st.just(""),
    st.none(),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.just(dt.timedelta(hours=1)),
    st.tuples(st.integers()),  # a sequence as a cell: kept whole, never spread over the row
)


def _row_by_row(rows: list[list[object]]) -> np.ndarray:
    grid = np.full((len(rows), max(map(len, rows), default=0)), None, dtype=object)
    for number, row in enumerate(rows):
        grid[number, : len(row)] = row
    return grid


@settings(max_examples=200, deadline=None)
@given(data=st.data(), height=st.integers(0, 8), width=st.integers(0, 6))
def test_rows_of_equal_length_are_stacked_as_row_by_row(data, height, width):
    rows = data.draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), min_size=height, max_size=height))
    grid, reference = _stacked(rows), _row_by_row(rows)
    assert grid.shape == reference.shape == (height, width if height else 0)
    assert grid.dtype == object and grid.flags.c_contiguous
    assert all(grid[r, c] is rows[r][c] for r in range(height) for c in range(width))
    assert all(a is b for a, b in zip(grid.ravel(), reference.ravel(), strict=True))


def test_rows_of_unequal_length_still_take_the_padding_path():
    rows = [["a", (1, 2)], ["b"], []]
    grid = _stacked(rows)
    assert grid.tolist() == [["a", (1, 2)], ["b", None], [None, None]]
    assert grid[0, 1] is rows[0][1]
