"""The reader's fast steps give what its reference steps give: the same Ledger, the same problems and the same
row counts, on workbooks whose columns mix what people type (numbers typed as text, Chinese units in a number
cell, dates, booleans, error values, uncalculated formulas, blank and whitespace-only cells, blank rows, rows
blank but for a space or an ignored column).

The references are the steps as they were before the reader was made faster: a table's blank rows found by
:func:`carbon.validation.cells.blank` over the stacked cells of the table, every column handed to the checks as
the cells' objects (not a column of numbers as float64), the pre-flight's byte-count fast path
(``tests/old_fast_scan.py``), and a sheet's cells as a DataFrame of calamine's rows with the table cut out of it
by ``iloc`` (``tests/old_reader_steps.py``; the reader stacks them in a 2-D array and takes its columns). A value dropped, coerced or counted in another row by a fast step shows
here as a different table, problem or count."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from old_fast_scan import old_fast_scan
from old_reader_steps import old_grid, old_read_table

import carbon
from carbon.errors import WorkbookError
from carbon.io import park_workbook, xlsx_preflight
from carbon.schema import TABLES, table
from carbon.validation import cells
from carbon.validation.problems import ReadReport, column_letter

SHEETS = {t.name: t.sheet for t in TABLES}


def _reference_blank_rows(body: np.ndarray) -> np.ndarray:
    """Blank rows as the reader found them before: every stacked cell through cells.blank, then per row."""
    frame = pd.DataFrame(body, dtype=object)
    return cells.blank(frame.stack(future_stack=True)).unstack().all(axis=1).to_numpy(dtype=bool)


def _both(monkeypatch, read):
    """``read()`` with the reader's fast steps, then with its reference steps."""
    fast = read()
    with monkeypatch.context() as patch:
        patch.setattr(park_workbook, "_blank_rows", _reference_blank_rows)
        patch.setattr(park_workbook, "_numbers_or_cells", lambda cells: cells)  # every column as objects
        patch.setattr(xlsx_preflight, "_fast_scan", old_fast_scan)
        patch.setattr(park_workbook, "_grid", old_grid)
        patch.setattr(park_workbook, "_read_table", old_read_table)
        reference = read()
    return fast, reference


def _column(name: str, column: str) -> str:
    return column_letter(table(name).names.index(column))


def _mixed(path, *, with_errors: bool) -> None:
    """The sample with its energy and enterprise sheets given mixed cells, blank rows and whitespace rows."""
    book = openpyxl.load_workbook(carbon.sample_workbook_path())
    energy = book[SHEETS["energy"]]
    quantity, unit, year = _column("energy", "quantity"), _column("energy", "unit"), _column("energy", "year")
    last = energy.max_row
    tolerated = {
        2: "1,234.5",  # thousands separator
        3: "１２３",  # full-width digits
        4: " 56.5 ",  # stray spaces
        5: 0,  # a zero is a value, not a blank
        6: 7.25,
    }
    for row, value in tolerated.items():
        energy[f"{quantity}{row}"] = value
    energy[f"{year}{7}"] = "2023"  # a year typed as text
    energy[f"{quantity}{8}"] = f"12{energy[f'{unit}8'].value}"  # the row's unit after the number
    # blank rows inside the table: empty, a space, a full-width space, and a value only in an ignored column
    for column in range(1, energy.max_column + 1):
        letter = column_letter(column - 1)
        energy[f"{letter}{last + 1}"] = None
        energy[f"{letter}{last + 2}"] = " " if column == 2 else None
        energy[f"{letter}{last + 3}"] = "\u3000" if column == 1 else ""
    energy[f"{column_letter(energy.max_column + 1)}1"] = "备注 remark"  # an extra column: ignored
    energy[f"{column_letter(energy.max_column - 1)}{last + 4}"] = "只在备注列"
    # a row copied below the blank ones: counted, read like the others
    for column in range(1, energy.max_column):
        letter = column_letter(column - 1)
        energy[f"{letter}{last + 5}"] = energy[f"{letter}{last}"].value
    if with_errors:
        energy[f"{quantity}{9}"] = "十二"  # text in a number cell
        energy[f"{quantity}{10}"] = True  # a boolean in a number cell
        energy[f"{quantity}{11}"] = dt.datetime(2024, 1, 5)  # a date in a number cell
        energy[f"{quantity}{12}"] = "#N/A"  # an error value (openpyxl writes an error cell)
        energy[f"{quantity}{13}"] = "=1+1"  # a formula never calculated
        energy[f"{quantity}{14}"] = "12吨吨"
        energy[f"{quantity}{15}"] = " "  # whitespace only: an empty required cell
        energy[f"{unit}{16}"] = 12.0  # a number in a unit cell
        energy[f"{year}{17}"] = 2023.5
        economics = book[SHEETS["economics"]]  # columns of numbers but for one boolean, one date
        economics[f"{_column('economics', 'output_value')}3"] = True
        economics[f"{_column('economics', 'added_value')}4"] = dt.datetime(2023, 6, 30)
        economics[f"{_column('economics', 'added_value')}5"] = None
        enterprises = book[SHEETS["enterprises"]]
        enterprises[f"{_column('enterprises', 'enterprise_id')}3"] = 91350100.0  # a code stored as a number
        enterprises[f"{_column('enterprises', 'name')}4"] = dt.date(2024, 1, 5)  # a date as a name
    book.save(path)


def _problems(report) -> list[tuple]:
    return [dataclasses.astuple(p) for p in report.problems]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    clean, broken = folder / "clean.xlsx", folder / "broken.xlsx"
    _mixed(clean, with_errors=False)
    _mixed(broken, with_errors=True)
    return clean, broken


def test_a_workbook_of_mixed_cells_reads_to_the_same_ledger(monkeypatch, books):
    def read():
        ledger = carbon.read_workbook(books[0])
        return dict(ledger.tables), _problems(ledger.report), ledger.report.counts_frame()

    fast, reference = _both(monkeypatch, read)
    energy = fast[2].set_index("sheet").loc[SHEETS["energy"]]
    assert energy["blank"] == 4  # empty; a space; a full-width space and ""; a value in an ignored column only
    assert fast[0].keys() == reference[0].keys()
    for name in fast[0]:
        pd.testing.assert_frame_equal(fast[0][name], reference[0][name], check_exact=True)
    assert fast[1] == reference[1]
    pd.testing.assert_frame_equal(fast[2], reference[2])


def test_a_workbook_of_mixed_bad_cells_gives_the_same_problems(monkeypatch, books):
    def read():
        with pytest.raises(WorkbookError) as raised:
            carbon.read_workbook(books[1])
        return _problems(raised.value.report), raised.value.report.counts_frame()

    fast, reference = _both(monkeypatch, read)
    codes = {(p[2], p[6]) for p in fast[0] if p[1] == SHEETS["energy"]}
    quantity = _column("energy", "quantity")
    for row, code in [(9, "unreadable"), (12, "error_value"), (13, "uncalculated_formula"), (15, "required")]:
        assert (f"{quantity}{row}", code) in codes
    economics = {(p[2], p[6]) for p in fast[0] if p[1] == SHEETS["economics"]}
    assert {(f"{_column('economics', 'output_value')}3", "unreadable")} <= economics  # TRUE is not the number 1
    assert {(f"{_column('economics', 'added_value')}4", "unreadable")} <= economics
    assert fast[0] == reference[0]
    pd.testing.assert_frame_equal(fast[1], reference[1])


def _emptied(path, *, missing: bool) -> None:
    """The sample with tables of no rows: sheets cut to their header (with ``missing``, one without a required
    column), one whose rows are all blank, one whose rows are blank but for an ignored column."""
    book = openpyxl.load_workbook(carbon.sample_workbook_path())
    for name in ("products", "projects", "boilers", "targets", "custom_factors", "solid_waste"):
        sheet = book[SHEETS[name]]
        sheet.delete_rows(2, sheet.max_row)
    if missing:
        book[SHEETS["targets"]].delete_cols(1)  # its first column, required
    green = book[SHEETS["green_factories"]]
    for row in green.iter_rows(min_row=2):
        for cell in row:
            cell.value = " " if cell.column == 1 else None
    resources = book[SHEETS["resources"]]
    extra = resources.max_column + 1
    resources.cell(1, extra, "备注 remark")
    for row in range(2, resources.max_row + 1):
        for column in range(1, extra):
            resources.cell(row, column).value = None
        resources.cell(row, extra, "只在备注列")
    book.save(path)


def test_tables_of_no_rows_read_as_the_reference_does(monkeypatch, tmp_path):
    """A table without rows hands its columns to the checks as empty float64 columns (nothing to parse): the
    same tables (columns, dtypes), problems and counts as with every column as objects."""
    path, broken = tmp_path / "empty.xlsx", tmp_path / "broken.xlsx"
    _emptied(path, missing=False)
    _emptied(broken, missing=True)

    def read():
        ledger = carbon.read_workbook(path)
        return dict(ledger.tables), _problems(ledger.report), ledger.report.counts_frame()

    def refused():
        with pytest.raises(WorkbookError) as raised:
            carbon.read_workbook(broken)
        return _problems(raised.value.report), raised.value.report.counts_frame()

    fast, reference = _both(monkeypatch, read)
    assert {name for name, frame in fast[0].items() if frame.empty} >= {"products", "green_factories", "resources"}
    counts = fast[2].set_index("table")
    assert counts.loc["green_factories", "blank"] > 0 and counts.loc["resources", "blank"] > 0
    assert fast[0].keys() == reference[0].keys()
    for name in fast[0]:
        pd.testing.assert_frame_equal(fast[0][name], reference[0][name], check_exact=True)
    assert fast[1] == reference[1]
    pd.testing.assert_frame_equal(fast[2], reference[2])
    fast, reference = _both(monkeypatch, refused)
    assert any(p[6] == "missing_column" and p[1] == SHEETS["targets"] for p in fast[0])
    assert fast[0] == reference[0]
    pd.testing.assert_frame_equal(fast[1], reference[1])


# -- a table cut out of a sheet's cells: the 2-D array of objects against the DataFrame of rows ----------------

#: Cells as calamine returns them: "" for an empty cell, blanks, numbers, text, numbers as text, dates,
#: booleans (True hashes as 1.0), a NaN and a None (never from calamine; blank for both).
CELLS = st.sampled_from(
    [
        "",
        " ",
        "\u3000",
        "\xa0",
        0.0,
        1.0,
        -2.5,
        12.0,
        float("nan"),
        None,
        True,
        False,
        "12",
        "1,234.5",
        "吨",
        "电力",
        "2023",
        dt.date(2024, 1, 5),
        dt.datetime(2024, 1, 5, 8, 30),
        dt.time(8, 30),
    ]
)


def _labels(spec_name: str) -> list[object]:
    """What a header cell may hold: each column's Chinese label and glossary name, both, an unknown label, a
    blank, a number."""
    spec = table(spec_name)
    labels: list[object] = ["备注 remark", "", " ", 3.0]
    for column in spec.columns:
        labels += [column.zh, column.name, f"{column.zh} {column.name}"]
    return labels


@st.composite
def sheets(draw):
    """A sheet's rows (as calamine returns them: every row as wide as the widest) for the energy or the
    economics table: blank rows or a title above the header, a header of known, unknown, blank and repeated
    labels, then rows of mixed cells, some blank."""
    name = draw(st.sampled_from(["energy", "economics"]))
    width = draw(st.integers(1, 9))
    above = draw(
        st.lists(st.lists(st.sampled_from(["", "标题 title", 2023.0]), min_size=width, max_size=width), max_size=3)
    )
    header = draw(st.lists(st.sampled_from(_labels(name)), min_size=width, max_size=width))
    body = draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=12))
    return name, above + [header] + body


def _read(read_table, grid, name: str) -> tuple[object, list[tuple]]:
    report = ReadReport("x.xlsx")
    raw = read_table(table(name), "S", grid, report)
    return raw, _problems(report)


class _Sheet:
    """The little of a calamine sheet that the grid steps use."""

    def __init__(self, rows):
        self.rows = rows

    def get_sheet_by_name(self, _name):
        return self

    def to_python(self, *, skip_empty_area):
        assert skip_empty_area is False
        return [list(row) for row in self.rows]


@settings(max_examples=200, deadline=None)
@given(sheet=sheets())
def test_a_table_is_cut_out_of_the_cells_as_the_dataframe_steps_did(sheet):
    name, rows = sheet
    fast, fast_problems = _read(park_workbook._read_table, park_workbook._grid(_Sheet(rows), "S", "x"), name)
    reference, reference_problems = _read(old_read_table, old_grid(_Sheet(rows), "S", "x"), name)
    assert fast_problems == reference_problems
    assert (fast is None) == (reference is None)
    if fast is None:
        return
    pd.testing.assert_frame_equal(fast.frame, reference.frame, check_exact=True, check_index_type=True)
    assert type(fast.frame.index) is type(reference.frame.index)
    assert [fast.frame[c].dtype for c in fast.frame] == [reference.frame[c].dtype for c in reference.frame]
    for column in fast.frame:  # an object column holds the very objects the sheet gave both: no cell converted
        if fast.frame[column].dtype == object:
            pairs = zip(fast.frame[column], reference.frame[column], strict=True)
            assert all(a is b for a, b in pairs)
    pd.testing.assert_series_equal(fast.rows, reference.rows, check_index_type=True)
    assert (fast.letters, fast.blank_rows, fast.rows_read) == (
        reference.letters,
        reference.blank_rows,
        reference.rows_read,
    )


def test_rows_of_unequal_length_are_padded_with_none():
    grid = park_workbook._grid(_Sheet([["a", 1.0], ["b"], []]), "S", "x")
    assert grid.shape == (3, 2) and grid.dtype == object
    assert grid.tolist() == [["a", 1.0], ["b", None], [None, None]]
    assert park_workbook._grid(_Sheet([]), "S", "x").shape == (0, 0)


def test_the_cycle_collector_is_paused_only_while_a_sheet_is_read():
    import gc

    seen = []

    class Watching(_Sheet):
        def to_python(self, *, skip_empty_area):
            seen.append(gc.isenabled())
            return super().to_python(skip_empty_area=skip_empty_area)

    class Broken(_Sheet):
        def to_python(self, *, skip_empty_area):
            raise RuntimeError("damaged")

    assert gc.isenabled()
    park_workbook._grid(Watching([[1.0]]), "S", "x")
    assert seen == [False] and gc.isenabled()
    with pytest.raises(carbon.errors.WorkbookFormatError):
        park_workbook._grid(Broken([]), "S", "x")
    assert gc.isenabled()
    gc.disable()
    try:
        park_workbook._grid(Watching([[1.0]]), "S", "x")
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
