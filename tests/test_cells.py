"""carbon/validation/cells.py: tolerant parsing of what people type."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon.schema import TABLES, table
from carbon.validation import cells

QUANTITY = table("energy").column("quantity")
EFFICIENCY = table("boilers").column("efficiency_before")
OUTPUT = table("economics").column("output_value")
DATE = table("projects").column("planned_completion")
YEAR = table("energy").column("year")


def column(*values):
    return pd.Series(list(values), dtype=object)


def test_numbers_typed_as_text():
    parsed = cells.parse_number(
        column(1234.5, "1,234.5", " 12 ", "１２３", "12\u00a0", "1e3", "１２，３４５．６"), QUANTITY
    )
    assert parsed.values.tolist() == [1234.5, 1234.5, 12.0, 123.0, 12.0, 1000.0, 12345.6]
    assert parsed.reasons == {}


def test_a_unit_after_the_number_must_be_the_rows_unit():
    parsed = cells.parse_number(column("12吨", "12吨", "5 万Nm3"), QUANTITY, column("吨", "kWh", "万Nm3"))
    assert parsed.values[0] == 12.0 and parsed.values[2] == 5.0
    assert np.isnan(parsed.values[1])
    assert "does not match the row's unit 'kWh'" in parsed.reasons[1][1]


def test_fixed_unit_after_the_number():
    parsed = cells.parse_number(column("300万元", "300元"), OUTPUT)
    assert parsed.values[0] == 300.0
    assert 1 in parsed.reasons


def test_text_and_booleans_are_not_numbers():
    parsed = cells.parse_number(column("十二", True, "(123)", "N/A"), QUANTITY)
    assert parsed.values.isna().all()
    assert set(parsed.reasons) == {0, 1, 2, 3}
    assert parsed.reasons[1][1] == "expected a number, not TRUE/FALSE"


def test_blank_cells_are_missing_not_zero():
    parsed = cells.parse_number(column("", None, "  ", np.nan), QUANTITY)
    assert parsed.values.isna().all()
    assert parsed.reasons == {}


def test_percent_columns():
    parsed = cells.parse_number(column(85, 0.85, "85%", "92", 105), EFFICIENCY)
    assert parsed.values.tolist() == pytest.approx([0.85, 0.85, 0.85, 0.92, 1.05])


def test_years_and_months():
    parsed = cells.parse_number(column(2023.0, "2023年", "2023.5"), YEAR, integer=True)
    assert parsed.values[:2].tolist() == [2023, 2023]
    assert parsed.reasons[2][1] == "expected a whole number"


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2024, 1, 5),
        dt.datetime(2024, 1, 5, 0, 0),
        45296.0,
        "2024-01-05",
        "2024/1/5",
        "2024.1.5",
        "2024年1月5日",
        "20240105",
        pd.Timestamp("2024-01-05"),
    ],
)
def test_dates(value):
    parsed = cells.parse_date(column(value), DATE)
    assert parsed.reasons == {}
    assert parsed.values[0] == pd.Timestamp("2024-01-05")


def test_excel_serials_follow_the_workbook_epoch():
    # 1904 date system: serial 43834 is 2024-01-05 (1462 days after the 1900 system's 45296)
    assert cells.parse_date(column(43834.0), DATE, date1904=True).values[0] == pd.Timestamp("2024-01-05")


@pytest.mark.parametrize("value", ["05/01/2024", "2024-13-01", "昨天", "1899-01-01", 12.5])
def test_bad_dates(value):
    parsed = cells.parse_date(column(value), DATE)
    assert 0 in parsed.reasons


def test_choices_by_label_id_or_alias():
    status = table("projects").column("status")
    parsed = cells.parse_choice(column("已完成", "completed", " Under Construction ", "计划", "搁置"), status)
    assert parsed.values[:4].tolist() == ["completed", "completed", "under_construction", "planned"]
    assert "expected one of: planned, under_construction, completed" in parsed.reasons[4][1]


def test_yes_no():
    flag = table("enterprises").column("above_designated_size")
    parsed = cells.parse_bool(column("是", "否", "Y", True, "maybe"), flag)
    assert parsed.values[:4].tolist() == [True, False, True, True]
    assert 4 in parsed.reasons


def test_carriers_and_units():
    carrier = cells.parse_carrier(column("天然气", "electricity", "木柴"), table("energy").column("carrier"))
    assert carrier.values[:2].tolist() == ["natural_gas", "electricity"]
    assert 2 in carrier.reasons
    unit = cells.parse_unit_column(column("万 Nm3", "m³", "ton"), table("energy").column("unit"))
    assert unit.values[:2].tolist() == ["万Nm3", "m3"]
    assert 2 in unit.reasons


def test_enterprise_codes_stored_as_numbers_are_refused():
    parsed = cells.parse_text(
        column(914403001922038216.0, "914403001922038216"), table("energy").column("enterprise_id")
    )
    assert "15 digits" in parsed.reasons[0][1]
    assert parsed.values[1] == "914403001922038216"


def test_a_boolean_among_numbers_is_refused_not_read_as_one():
    # True == 1 in Python: hashed with the numbers, TRUE took the reading of 1 (found with issue 18's columnar
    # factorisation). It is refused, as a boolean alone in a number column is.
    parsed = cells.parse_number(column(1, True, 0, False, 2.5), QUANTITY)
    assert parsed.values.iloc[0] == 1 and parsed.values.iloc[2] == 0 and parsed.values.iloc[4] == 2.5
    assert pd.isna(parsed.values.iloc[1]) and pd.isna(parsed.values.iloc[3])
    assert set(parsed.reasons) == {1, 3}


def test_a_complex_number_is_not_a_number_of_the_ledger():
    parsed = cells.parse_number(pd.Series([3 + 4j, 1 + 0j]), QUANTITY)
    assert parsed.values.isna().all() and set(parsed.reasons) == {0, 1}


@given(st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "甲", "1", "True", "\u00a0"])), max_size=30))
def test_kinds_of_a_text_column_are_those_of_its_cells(cells_):
    from carbon.validation.cells import kinds

    typed = kinds(pd.Series(cells_, dtype="str"))
    as_cells = kinds(pd.Series(cells_, dtype=object))
    assert typed.tolist() == as_cells.tolist()


_ANY_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 1.5, float("nan"), float("inf")]),
    st.sampled_from(["", " ", "\u3000", "\x1c", "甲", " 1 ", "TRUE"]),
    st.sampled_from([dt.date(2024, 1, 5), dt.datetime(2024, 1, 5, 12)]),
)


@given(st.lists(_ANY_CELL, max_size=30), st.sampled_from(["object", "category", "str"]))
def test_kinds_and_blanks_are_kinds_and_blank(cells_, dtype):
    from carbon.validation.cells import blank, kinds, kinds_and_blanks

    if dtype == "object":
        column = pd.Series(cells_, dtype=object)
    else:  # text only: a categorical or Arrow column of the texts
        column = pd.Series([c if isinstance(c, str) else None for c in cells_], dtype=dtype)
    got_kinds, got_blank = kinds_and_blanks(column)
    assert got_kinds.tolist() == kinds(column).tolist()
    assert got_blank.tolist() == blank(column).tolist()


@given(
    st.lists(st.one_of(st.none(), st.sampled_from(["甲", " 甲", "乙", "", "  ", "a\x00", "a"])), max_size=40),
    st.sampled_from(["object", "str", "category"]),
)
def test_labels_by_unique_equal_the_categorical_of_their_values(cells_, dtype):
    """by_unique(labels=True) gives the categorical that a pass over the rows gives (the values used known
    from the distinct values instead)."""
    from carbon import _codes

    column = pd.Series(cells_, dtype=dtype)
    spec = table("energy").column("enterprise_id")
    parsed = cells.by_unique(column, lambda distinct: cells.parse_text(distinct, spec), labels=True)
    expected = [
        None if (v is None or (isinstance(v, float) and np.isnan(v))) else v
        for v in cells.parse_text(pd.Series(cells_, dtype=object), spec).values.tolist()
    ]
    got = [None if pd.isna(v) else v for v in parsed.values.tolist()]
    assert got == expected
    if isinstance(parsed.values.dtype, pd.CategoricalDtype):
        categories = parsed.values.cat.categories.tolist()
        assert categories == sorted({v for v in expected if v is not None})  # the values used only, sorted
        codes = parsed.values.cat.codes.to_numpy()
        rebuilt = _codes.categorical(codes, np.array(categories, dtype=object))  # the pass over the rows
        assert rebuilt.categories.tolist() == categories


@given(
    st.lists(st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)), max_size=30),
    st.sampled_from(["int64", "Int64", "uint64", "int8"]),
    st.sampled_from(["year", "month", "number", "percent"]),
)
def test_an_integer_column_parses_as_the_whole_and_finite_checks_find(numbers, dtype, kind):
    """parse_number takes an integer column's numbers as whole and finite without checking them: what the checks
    of _whole_and_finite find on the same floats (nothing), the same values."""
    if dtype != "Int64":
        numbers = [0 if n is None else n for n in numbers]
    info = np.iinfo(np.dtype(dtype.lower())) if dtype != "Int64" else np.iinfo(np.int64)
    numbers = [None if n is None else min(max(n, info.min), info.max) for n in numbers]
    raw = pd.Series(pd.array(numbers, dtype=dtype))
    column = next(c for spec in TABLES for c in spec.columns if c.kind == kind)
    integer = kind in ("year", "month")
    parsed = cells.parse_number(raw, column, integer=integer)
    values = pd.Series(raw.to_numpy(dtype=float, na_value=np.nan), index=raw.index)
    if kind == "percent":
        values = values.where(~(values > 1.5), values / 100.0)
    expected = cells._whole_and_finite(values, {}, integer)
    pd.testing.assert_series_equal(parsed.values, expected.values, check_exact=True)
    assert parsed.reasons == expected.reasons == {}


def test_a_float_column_is_still_checked_for_fractions_and_infinities():
    column = next(c for spec in TABLES for c in spec.columns if c.kind == "year")
    parsed = cells.parse_number(pd.Series([2023.5, np.inf, 2024.0]), column, integer=True)
    assert sorted(parsed.reasons) == [0, 1] and parsed.values.isna().tolist() == [True, True, False]


class _Text(str):
    """A subclass of str: not the common case of text."""


_VALUES = st.one_of(
    st.text(max_size=3),
    st.sampled_from([np.str_("a"), _Text("b"), True, np.bool_(False), 1, 2.5, np.float64(1.0), np.int64(3)]),
    st.sampled_from([None, dt.date(2024, 1, 5), dt.datetime(2024, 1, 5, 8)]),
)


@given(st.one_of(st.lists(st.text(max_size=3), max_size=30), st.lists(_VALUES, max_size=30)))
def test_kinds_of_values_equal_the_kind_of_each(values):
    """_kinds_of's shortcut for values all of type str against _kind of each value (the last slot: missing)."""
    kinds = cells._kinds_of(values)
    assert kinds.dtype == object
    assert kinds.tolist() == [cells._kind(v) for v in values] + [type(None)]
