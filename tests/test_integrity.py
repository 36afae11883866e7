"""Integrity, second round (issue 17), the parts that do not touch the pre-flight: control characters never reach a
terminal raw, -0 is written as 0, a text longer than a cell holds and a list in a cell are refused at their cell."""

from __future__ import annotations

import math
import shutil

import openpyxl
import pytest
import xlsxwriter

import carbon
from carbon.cli import main
from carbon.errors import CarbonError, printable
from carbon.io.excel import column_writer, write_cell
from carbon.validation.cells import CELL_LIMIT


@pytest.fixture(scope="module")
def tables():
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    return dict(ledger.park), {k: v.drop(columns=["source_row"]) for k, v in ledger.tables.items() if len(v)}


def test_printable_escapes_every_control_character():
    assert printable("a\x1b[31mb\x07\x08c") == "a\\x1b[31mb\\x07\\x08c"
    assert printable("line\nnext\ttab") == "line\\x0anext\\x09tab"  # one problem, one line
    assert printable("line\nnext\ttab\r", lines=True) == "line\nnext\ttab\\x0d"
    assert printable("\x9b2J 中文") == "\\x9b2J 中文"  # C1 CSI too; other text as it is


def test_a_cells_escape_sequence_is_escaped_in_the_report(tables):
    park, frames = tables
    firms = frames["enterprises"].copy()
    firms.loc[firms.index[0], "sub_park"] = "片区\x1b[2J\x1b[31m"
    with pytest.raises(CarbonError) as error:
        carbon.Ledger.from_frames(park, **{**frames, "enterprises": firms})
    text = str(error.value.report.problems[0])
    assert "\x1b" not in text and "\\x1b[2J" in text


def test_the_command_line_prints_no_control_character(tmp_path, capsys):
    """A workbook whose cell holds an escape sequence (xlsxwriter stores it as _x001B_, the reader decodes it)."""
    path = tmp_path / "park.xlsx"
    shutil.copy(carbon.sample_workbook_path(), path)
    book = openpyxl.load_workbook(path)
    sheet = book["企业 enterprises"] if "企业 enterprises" in book.sheetnames else book["企业"]
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header, start=1) if h and "片区" in str(h))
    sheet.cell(row=2, column=column).value = "片区_x001B_[2J"
    book.save(path)
    code = main(["validate", str(path)])
    out = capsys.readouterr()
    assert code == 1
    assert "\x1b" not in out.out and "\x1b" not in out.err
    assert "\\x1b[2J" in out.out


def test_a_text_longer_than_a_cell_is_refused_at_its_cell(tables):
    park, frames = tables
    firms = frames["enterprises"].copy()
    firms.loc[firms.index[0], "name"] = "园" * (CELL_LIMIT + 1)
    with pytest.raises(CarbonError) as error:
        carbon.Ledger.from_frames(park, **{**frames, "enterprises": firms})
    line = str(error.value).splitlines()[1]
    assert "enterprises!name row 1" in line and "32,767" in line and "32,768" in line
    assert len(line) < 600  # the value is named, not repeated in full
    firms.loc[firms.index[0], "name"] = "园" * CELL_LIMIT  # exactly the limit: accepted
    assert (
        len(carbon.Ledger.from_frames(park, **{**frames, "enterprises": firms}).enterprises.iloc[0]["name"])
        == CELL_LIMIT
    )


def test_a_list_in_a_cell_is_refused_with_its_place(tables):
    park, frames = tables
    energy = frames["energy"].copy().astype(object)
    energy.at[energy.index[2], "quantity"] = [1.0, 2.0]
    energy.at[energy.index[4], "unit"] = {"t": 1}
    with pytest.raises(CarbonError) as error:
        carbon.Ledger.from_frames(park, **{**frames, "energy": energy})
    text = str(error.value)
    assert "energy!quantity row 3: list" in text and "energy!unit row 5: dict" in text and " / " in text


def test_minus_zero_is_written_as_zero(tmp_path):
    path = tmp_path / "z.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    write_cell(sheet, 0, 0, -0.0, None)
    column_writer(sheet, "float64")(1, 0, -0.0, None)
    book.close()
    values = [row[0] for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    assert values == [0, 0] and all(math.copysign(1, v) == 1 for v in values)


@pytest.mark.parametrize("year", [2999, 1989, 2101])
def test_the_parks_years_are_range_checked_like_every_year_column(tables, year):
    park, frames = tables
    with pytest.raises(CarbonError) as error:
        carbon.Ledger.from_frames({**park, "reporting_year": year}, **frames)
    problem = error.value.report.problems[0]
    assert problem.sheet == "park" and problem.value == str(year) and "1990 and 2100" in problem.message_en


@pytest.mark.parametrize(("unit", "hint"), [("mWh", "MWh"), ("mJ", "MJ"), ("tCO2/mWh", "MWh")])
def test_a_unit_a_case_away_from_another_is_refused_with_a_hint(unit, hint):
    """mWh is pint's milliwatt-hour, a billion times less than the MWh meant: refused, never converted."""
    from carbon.errors import UnknownUnitError

    with pytest.raises(UnknownUnitError, match=f"write {hint}"):
        carbon.to_tce(1.0, unit, "电力")
    assert carbon.to_tce(1.0, "mwh", "电力") == carbon.to_tce(1.0, "MWh", "电力")  # the casual spelling stays MWh


@pytest.mark.parametrize("text", ["7.983,35", "7 983,35", "7983,35", "12,5", "1,2345"])
def test_a_decimal_comma_is_refused_at_its_cell(tables, text):
    """Another locale's number (a decimal comma) was read 1,000 or 100 times off; now it is refused, named."""
    park, frames = tables
    energy = frames["energy"].copy().astype(object)
    energy.at[energy.index[0], "quantity"] = text
    with pytest.raises(CarbonError) as error:
        carbon.Ledger.from_frames(park, **{**frames, "energy": energy})
    problem = error.value.report.problems[0]
    assert problem.cell.startswith("quantity row 1") or "row 1" in problem.where
    assert "not a thousands separator" in problem.message_en and text in problem.message_en


@pytest.mark.parametrize(
    ("text", "value"), [("1,234", 1234.0), ("1,234.5", 1234.5), ("12,000", 12000.0), ("7 983", 7983.0)]
)
def test_thousands_separators_still_read(tables, text, value):
    park, frames = tables
    energy = frames["energy"].copy().astype(object)
    energy.at[energy.index[0], "quantity"] = text
    ledger = carbon.Ledger.from_frames(park, **{**frames, "energy": energy})
    assert ledger.energy.iloc[0]["quantity"] == value


def test_one_name_under_two_codes_is_warned(tables):
    park, frames = tables
    firms = frames["enterprises"].copy()
    firms.loc[firms.index[5], "name"] = " " + str(firms.loc[firms.index[2], "name"])  # a stray blank: the same name
    ledger = carbon.Ledger.from_frames(park, **{**frames, "enterprises": firms})
    warned = [p for p in ledger.report.problems if p.code == "same_name"]
    assert len(warned) == 1 and warned[0].severity == "warning" and "row 3" in warned[0].message_en
    assert "enterprises!name row 6" in str(warned[0]) or warned[0].cell.endswith("6")
