"""The account's fast paths decide what the general paths decide.

Each shortcut the account takes on millions of rows (a category set known without a pass over the rows, sums
over a key space, one bincount for the three scope totals) is checked here against the general step it
replaces: on small arrays built to reach every branch, and on whole accounts computed with the shortcuts
switched off.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carbon
from carbon import _codes
from carbon.account import totals as _totals

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import make_ledger  # noqa: E402


def _same_categorical(a: pd.Categorical, b: pd.Categorical) -> None:
    assert a.categories.tolist() == b.categories.tolist()
    assert str(a.categories.dtype) == str(b.categories.dtype)
    assert a.codes.tolist() == b.codes.tolist()


# -- the pieces --------------------------------------------------------------------------------------------

TEXT = st.sampled_from(["甲", "乙", "a", "a\x00", "b", "", " ", None])


@given(st.lists(TEXT, max_size=40))
def test_sorted_categorical_equals_encode_then_categorical(values):
    array = np.array(values, dtype=object)
    _same_categorical(_codes.sorted_categorical(array), _codes.categorical(*_codes.encode(array)))


@pytest.mark.parametrize(
    "values",
    [
        [1, "a", None],  # values that do not compare: the general path
        [np.str_("b"), "a"],  # a text subclass: the general path
        [float("nan"), "x", pd.NA],
        [],
    ],
)
def test_sorted_categorical_takes_the_general_path_where_it_must(values):
    array = np.array(values, dtype=object)
    _same_categorical(_codes.sorted_categorical(array), _codes.categorical(*_codes.encode(array)))


@given(
    st.lists(st.integers(-1, 4), max_size=40), st.lists(TEXT.filter(lambda v: v is not None), min_size=5, max_size=5)
)
def test_categorical_with_the_used_values_given_equals_the_pass_over_the_rows(codes, values):
    codes = np.array(codes, dtype=np.int64)
    values = np.array(values, dtype=object)
    used = np.zeros(len(values), dtype=bool)
    used[codes[codes >= 0]] = True
    _same_categorical(_codes.categorical(codes, values, used), _codes.categorical(codes, values))


@given(st.lists(st.integers(0, 3), min_size=1, max_size=30), st.data())
def test_subset_of_every_row_equals_the_general_subset(codes, data):
    column = _codes.categorical(np.array(codes), np.array(["w", "x", "y", "z"], dtype=object))  # trimmed
    n = len(codes)
    rows = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=n, max_size=3 * n)))
    rows[:n] = np.arange(n)  # every position at least once
    rows = data.draw(st.permutations(rows.tolist()))
    _same_categorical(_codes.subset(column, np.array(rows), every_row=True), _codes.subset(column, np.array(rows)))


@given(st.lists(st.integers(0, 7), max_size=30), st.lists(st.sampled_from(["x", "y", ""]), min_size=8, max_size=8))
def test_spread_category_finds_the_values_on_the_groups(group_of_rows, values):
    group = np.unique(np.array(group_of_rows, dtype=np.intp), return_inverse=True)[1]  # every group has rows
    n_groups = int(group.max()) + 1 if len(group) else 0
    per_group = values[:n_groups]
    out = _codes.spread(per_group, group, "category")
    expected = [None if per_group[g] == "" else per_group[g] for g in group.tolist()]
    assert [None if pd.isna(v) else v for v in out] == expected
    assert out.categories.tolist() == sorted({v for v in expected if v is not None})


def _masked_scope_sums(emissions: pd.DataFrame) -> list[np.ndarray]:
    """The three scope totals as they were summed before: one masked pass per total."""
    firm = _totals.Totals.of(emissions["enterprise_id"])
    scope = emissions["scope"].to_numpy()
    method = emissions["scope2_method"]
    tco2 = emissions["emissions_tco2"]
    return [
        firm.sum(tco2, mask=scope == 1),
        firm.sum(tco2, mask=(scope == 2) & _totals.is_value(method, "location")),
        firm.sum(tco2, mask=(scope == 2) & _totals.is_value(method, "market")),
    ]


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["e1", "e2", "e3", "e4"]),
            st.sampled_from([1, 2, 3]),
            st.sampled_from(["location", "market", None]),
            st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_scope_sums_in_one_pass_equal_the_masked_sums(rows):
    firms, scopes, methods, tco2 = zip(*rows, strict=True)
    emissions = pd.DataFrame(
        {
            "enterprise_id": pd.Categorical(firms, categories=["e1", "e2", "e3", "e4"]),
            "scope": np.array(scopes, dtype=np.int8),
            "scope2_method": pd.Categorical(methods),
            "emissions_tco2": np.array(tco2, dtype=float),
        }
    )
    for fast, slow in zip(_totals._scope_sums(emissions), _masked_scope_sums(emissions), strict=True):
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-6, equal_nan=True)


@given(st.lists(st.integers(0, 29), min_size=1, max_size=60), st.data())
def test_key_sums_over_the_key_space_equal_the_sums_over_numbered_groups(keys, data):
    key = np.array(keys, dtype=np.intp)
    values = np.array(
        data.draw(
            st.lists(st.one_of(st.floats(-100, 100), st.just(float("nan"))), min_size=len(key), max_size=len(key))
        )
    )
    group, distinct = _codes.dense(key, 30)
    numbered = _totals.Totals(group, len(distinct))
    direct = _totals._KeySums(key, 30)
    assert direct.keys.tolist() == np.asarray(distinct).tolist()
    assert direct.counts().tolist() == numbered.counts().tolist()
    for rule in ("skipna", "min_count", "strict"):
        np.testing.assert_allclose(direct.sum(values, rule), numbered.sum(values, rule), equal_nan=True)


# -- whole accounts, the shortcuts switched off ------------------------------------------------------------


def _general_paths(monkeypatch) -> None:
    """Every shortcut replaced by the general step it stands for."""
    categorical, encode = _codes.categorical, _codes.encode
    monkeypatch.setattr(_codes, "categorical", lambda codes, values, used=None: categorical(codes, values))
    monkeypatch.setattr(_codes, "sorted_categorical", lambda values: categorical(*encode(values)))
    monkeypatch.setattr(_totals, "_scope_sums", _masked_scope_sums)
    monkeypatch.setattr(_totals, "_one_row_each", lambda ids: False)  # the enterprise level grouped and merged

    class _Numbered(_totals.Totals):  # the key-space sums replaced by numbered groups
        def __init__(self, key, space):
            group, self.keys = _codes.dense(key, space)
            super().__init__(group, len(self.keys))

    monkeypatch.setattr(_totals, "_KeySums", _Numbered)


def _tables(account) -> dict[str, pd.DataFrame]:
    return {"detail": account.detail, "emissions": account.emissions, **account.tables}


def _ledgers():
    sample = carbon.read_workbook(carbon.sample_workbook_path())
    synthetic = make_ledger(40)
    # facts without emissions (on-site renewables): the subset of the facts is not every row
    green = synthetic.table("green_power")
    onsite = green.head(3).assign(instrument="onsite", quantity=[5.0, 6.0, 7.0], certificate_id=None)
    with_onsite = carbon.Ledger(
        synthetic.park,
        {
            **{name: synthetic.table(name) for name in ("enterprises", "energy", "economics")},
            "green_power": pd.concat([green, onsite], ignore_index=True),
        },
    )
    # labels given as categoricals with categories no row uses (the Ledger codes them afresh), two years
    energy = synthetic.table("energy")
    earlier = energy.head(200).assign(year=2022)
    energy = pd.concat([energy, earlier], ignore_index=True)
    for column in ("enterprise_id", "carrier", "unit"):
        values = energy[column].astype(str)
        energy[column] = pd.Categorical(values, categories=sorted({*values, "zz unused"}))
    unused = carbon.Ledger(
        synthetic.park,
        {**{name: synthetic.table(name) for name in ("enterprises", "economics", "green_power")}, "energy": energy},
    )
    return {
        "sample park": sample,
        "synthetic": synthetic,
        "with on-site renewables": with_onsite,
        "with unused categories and two years": unused,
    }


@pytest.mark.parametrize(
    "which", ["sample park", "synthetic", "with on-site renewables", "with unused categories and two years"]
)
def test_the_account_is_the_same_with_the_shortcuts_switched_off(monkeypatch, which):
    ledger = _ledgers()[which]
    fast = _tables(ledger.account())
    with monkeypatch.context() as patch:
        _general_paths(patch)
        general = _tables(ledger.account())
    assert fast.keys() == general.keys()
    for name, frame in fast.items():
        pd.testing.assert_frame_equal(frame, general[name], check_exact=False, rtol=1e-12, obj=name)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["", " ", "a", "用量", None, float("nan"), pd.NA, b"", 0, 1.5, True]),
            st.text(max_size=3),
        ),
        max_size=30,
    )
)
def test_empty_text_of_an_object_column_equals_pandas_comparison(values):
    column = pd.Series(values, dtype=object)
    pd.testing.assert_series_equal(_totals._empty_text(column), column.eq("").astype(bool), check_names=False)
