"""carbon/validation/tables.py: the row-model gate passes a categorical column whose every category is valid
without finding the values its rows use; the same problems as the general path, whatever the categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon.schema.inputs import table
from carbon.validation import tables
from carbon.validation.problems import Collector, ReadReport

ENERGY = table("energy")
_USES = st.sampled_from(["fuel", "power", "bogus", "", "Fuel"])  # valid, not a choice, empty, wrong case
_CODES = st.sampled_from(["91350100M000100Y43", "", "x"])


def _problems(raw: tables.RawTable, typed: pd.DataFrame, rejected: set) -> list:
    report = ReadReport("x")
    out = Collector(report, set())
    if rejected:
        out.rejected[raw.table.name] = set(rejected)
    tables._pydantic_gate(raw, typed, out)
    return report.problems


def _as_the_general_path(spec, typed: pd.DataFrame, rejected: set, shortcut: str) -> None:
    """The gate's problems with ``shortcut`` (a test of the gate's module that lets a column pass) and without."""
    n = len(typed)
    raw = tables.RawTable(
        spec, spec.sheet, typed, pd.Series(np.arange(n) + 2, index=typed.index), {c: "A" for c in typed.columns}
    )
    rejected = {r for r in rejected if r < n}
    fast = _problems(raw, typed, rejected)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(tables, shortcut, lambda *args: False)
        general = _problems(raw, typed, rejected)
    assert fast == general


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.one_of(st.none(), _CODES), st.one_of(st.none(), _USES)), min_size=1, max_size=20),
    st.lists(_USES, max_size=3),
    st.lists(_CODES, max_size=2),
    st.sets(st.integers(0, 19)),
    st.booleans(),
)
def test_the_gate_on_categoricals_reports_as_the_general_path(rows, extra_uses, extra_codes, rejected, numbers):
    n = len(rows)
    codes = pd.Series([r[0] for r in rows], dtype="category")
    uses = pd.Series([r[1] for r in rows], dtype="category")
    # unused categories, valid or not, beside those of the rows
    uses = uses.cat.add_categories([u for u in dict.fromkeys(extra_uses) if u not in uses.cat.categories])
    codes = codes.cat.add_categories([c for c in dict.fromkeys(extra_codes) if c not in codes.cat.categories])
    if numbers:  # categories of another type than the field's
        uses = pd.Series(pd.Categorical([len(u) if isinstance(u, str) else None for u in uses]))
    index = pd.RangeIndex(n)
    typed = pd.DataFrame(
        {
            "enterprise_id": codes,
            "year": np.full(n, 2023.0),
            "carrier": pd.Series(["coal"] * n, dtype="category"),
            "quantity": np.ones(n),
            "unit": pd.Series(["t"] * n, dtype="category"),
            "use": uses,
        },
        index=index,
    )
    _as_the_general_path(ENERGY, typed, rejected, "_categories_valid")


ENTERPRISES = table("enterprises")
_TEXTS = st.one_of(
    st.none(),
    st.sampled_from(["91350100M000100Y43", "", "x", "企业", float("nan"), 3.0, np.str_("y"), True]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_TEXTS, _TEXTS), min_size=1, max_size=20), st.sets(st.integers(0, 19)))
def test_the_gate_on_text_reports_as_the_general_path(rows, rejected):
    """Text columns of objects (codes and names, every one distinct in a large park) pass on a check of their
    types and lengths; whatever they hold, the problems are those of the general path."""
    n = len(rows)
    index = pd.RangeIndex(n)
    typed = pd.DataFrame(
        {"enterprise_id": pd.Series([r[0] for r in rows], dtype=object), "name": [r[1] for r in rows]}, index=index
    )
    _as_the_general_path(ENTERPRISES, typed, rejected, "_text_long_enough")
