"""Text held by Arrow (pandas' ``str`` columns, as Parquet and CSV give them) is parsed by Arrow: the same values,
blanks and reasons as the general path gives the same cells held as Python objects."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon.schema.inputs import table
from carbon.validation import cells

_NAME = table("enterprises").column("name")
_CODE = table("enterprises").column("enterprise_id")


def _both(values: list[str | None], column=_NAME):
    arrow = pd.Series(values, dtype="str", index=pd.RangeIndex(3, 3 + len(values)))
    assert cells.arrow_text(arrow) is not None
    objects = arrow.astype(object)
    assert cells.arrow_text(objects) is None
    return cells.parse_text(arrow, column), cells.parse_text(objects, column), arrow, objects


def _shown(parsed) -> list[object]:
    """The values, NaN told apart from None (the general path gives NaN for a blank, None for a refused text)."""
    return ["NaN" if isinstance(v, float) and np.isnan(v) else v for v in parsed.values.tolist()]


def test_the_spaces_are_those_python_strips():
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert cells.SPACES == every
    assert all(("x" + c + "x" + c).strip() == "x" + c + "x" for c in cells.SPACES)


_ALPHABET = st.sampled_from(list(cells.SPACES) + list("ab企业\u200b\u00ad\u3001-12"))
_TEXT = st.one_of(st.none(), st.text(_ALPHABET, max_size=6), st.text(max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=12))
def test_arrow_text_is_parsed_as_the_same_text_held_as_objects(values):
    fast, general, arrow, objects = _both(values)
    assert fast.values.dtype == object == general.values.dtype
    assert fast.values.index.equals(general.values.index)
    assert _shown(fast) == _shown(general)
    assert fast.reasons == general.reasons
    assert cells.blank(arrow).tolist() == cells.blank(objects).tolist()


def test_every_kind_of_blank_and_padding():
    values = [None, "", " ", "\u3000", "\xa0", " \xa0企业A\u3000", "\x1cB\x1f", "\u200bC", "x\ty", "x\xa0y"]
    fast, general, arrow, objects = _both(values, _CODE)
    assert _shown(fast) == ["NaN"] * 5 + ["企业A", "B", "\u200bC", "x\ty", "x y"]
    assert _shown(fast) == _shown(general)
    assert cells.blank(arrow).tolist() == [True] * 5 + [False] * 5 == cells.blank(objects).tolist()


def test_a_text_longer_than_a_cell_is_refused_at_its_row_either_way():
    long = "长" * (cells.CELL_LIMIT + 1)
    fast, general, _, _ = _both(["a", f"  {long}  ", "\u3000" + "b" * cells.CELL_LIMIT])
    assert list(fast.reasons) == [4] == list(general.reasons)
    assert fast.reasons == general.reasons
    assert f"{cells.CELL_LIMIT + 1:,}" in fast.reasons[4][1]
    assert _shown(fast) == ["a", None, "b" * cells.CELL_LIMIT] == _shown(general)


def test_arrow_text_in_chunks_and_other_columns_keep_the_general_path():
    chunked = pd.Series(pd.array(["a ", None] * 3, dtype="str"))
    chunked = pd.concat([chunked, chunked], ignore_index=True)  # two chunks
    fast = cells.parse_text(chunked, _NAME)
    assert _shown(fast) == ["a", "NaN"] * 6
    assert cells.arrow_text(pd.Series(["a"], dtype="string[python]")) is None
    assert cells.arrow_text(pd.Series(["a"], dtype="category")) is None
    assert cells.arrow_text(pd.Series([1.0])) is None


@pytest.mark.parametrize("values", [[], [None, None]])
def test_no_text_at_all(values):
    fast, general, _, _ = _both(values)
    assert _shown(fast) == _shown(general)
    assert np.asarray(fast.values).dtype == object


# -- a categorical's categories parsed in place of its distinct values (a Parquet dictionary) -----------------

_CARRIER = table("energy").column("carrier")


def _parse_text(values: pd.Series):
    return cells.parse_text(values, _NAME)


def _parse_carrier(values: pd.Series):
    return cells.parse_carrier(values, _CARRIER)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", " a", "a\u3000", "b", "  ", "\xa0", "企业", "x" * 3]), min_size=1, max_size=6),
    st.lists(st.integers(-1, 9), min_size=12, max_size=40),
    st.booleans(),
)
def test_a_categorical_is_parsed_by_its_categories_as_by_its_distinct_values(categories, picks, arrow):
    categories = list(dict.fromkeys(categories)) + ["unused"]
    codes = np.array([p % (len(categories) - 1) if p >= 0 else -1 for p in picks], dtype=np.int8)
    dtype = pd.CategoricalDtype(pd.Index(categories, dtype="str" if arrow else object))
    coded = pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=pd.RangeIndex(5, 5 + len(codes)))
    objects = coded.astype(object)
    fast = cells.by_unique(coded, _parse_text, labels=True)
    general = cells.by_unique(objects, _parse_text, labels=True)
    assert fast.values.equals(general.values)
    assert isinstance(fast.values.dtype, pd.CategoricalDtype)
    assert list(fast.values.cat.categories) == list(general.values.cat.categories)  # the used ones, sorted
    assert fast.reasons == general.reasons


def test_a_categorical_of_carriers_gives_the_reasons_of_its_rows():
    coded = pd.Series(pd.Categorical(["电力", "煤炭?", "电力", None, "煤炭?"], categories=["电力", "煤炭?", "热力"]))
    fast = cells.by_unique(coded, _parse_carrier, labels=True)
    general = cells.by_unique(coded.astype(object), _parse_carrier, labels=True)
    assert fast.values.astype(object).tolist() == general.values.astype(object).tolist()
    assert sorted(fast.reasons) == [1, 4] == sorted(general.reasons)


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        (["a", None, "b"], True),
        (["a", float("nan"), "b"], True),
        ([np.float64("nan"), "a", "b"], True),
        ([None, None, None], True),
        (["a", pd.NA, "b"], False),
        (["a", 1.0, "b"], False),
        (["a", np.str_("x"), "b"], False),
    ],
)
def test_only_text_and_blanks_become_labels(values, labels):
    made = cells._as_labels(np.array(values, dtype=object), np.array([0, 1, 2, 1]))
    assert (made is not None) == labels
