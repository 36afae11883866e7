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
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carbon
from carbon import _codes
from carbon.account import facts as _facts
from carbon.account import park910
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
    firms = emissions["enterprise_id"]
    firm = _totals.Totals(firms.cat.codes.to_numpy(), len(firms.cat.categories))
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


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["e1", "e2", "e3", "e4"]),
            st.sampled_from(["coal", "electricity", "heat"]),
            st.sampled_from(["fuel", "material"]),
            st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))),
        ),
        max_size=40,
    )
)
def test_energy_sums_per_enterprise_equal_the_sums_over_the_facts(rows):
    """Each enterprise's tce as the sum of its (carrier, use) sums equals the sum over its facts, by each rule
    (blank where every part is, or any part is); the order of addition differs, so to rounding."""
    firms, carriers, uses, tce = zip(*rows, strict=True) if rows else ((), (), (), ())
    detail = pd.DataFrame(
        {
            "enterprise_id": pd.Categorical(firms, categories=["e1", "e2", "e3", "e4"]),
            "carrier": pd.Categorical(carriers, categories=["coal", "electricity", "heat"]),
            "use": pd.Categorical(uses, categories=["fuel", "material"]),
            "tce": np.array(tce, dtype=float),
        }
    )
    sums = _totals.EnergySums(detail)
    facts = _totals.Totals(detail["enterprise_id"].cat.codes.to_numpy(), 4)
    for rule in ("skipna", "min_count", "strict"):
        np.testing.assert_allclose(
            sums.per_enterprise("tce", rule), facts.sum(detail["tce"], rule), rtol=1e-12, atol=1e-6, equal_nan=True
        )
    keyed = pd.DataFrame({"firm": sums.firm, "carrier": sums.carrier, "use": sums.use})
    expected = detail.groupby(["enterprise_id", "carrier", "use"], observed=True)["tce"]
    assert len(keyed) == expected.ngroups
    np.testing.assert_allclose(
        sums.per_key("tce", "min_count"), expected.sum(min_count=1).to_numpy(), rtol=1e-12, atol=1e-6, equal_nan=True
    )


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-1, 2), st.integers(0, 2), st.integers(0, 1)), min_size=1, max_size=40), st.data()
)
def test_subgroups_equal_the_groups_of_the_rows(facts, data):
    """The groups of some facts taken from the groups of all (the fuel's from the tce's) equal the groups made
    afresh on those facts' keys: numbers, key values and first rows."""
    firms, carriers, units = (np.array(column) for column in zip(*facts, strict=True))
    keys = [
        (firms, np.array(["f0", "f1", "f2"], dtype=object)),
        (carriers, np.array(["coal", "gas", "oil"], dtype=object)),
    ]
    keys.append((units, np.array(["t", "GJ"], dtype=object)))
    group, key_tuples, _ = _codes.groups(keys)
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, len(facts) - 1)))), dtype=np.intp)
    expected = _codes.groups([(codes[rows], values) for codes, values in keys])
    got = _facts._subgroups(group, key_tuples, rows)
    assert got[0].tolist() == expected[0].tolist()
    assert got[1] == expected[1]
    assert got[2].tolist() == expected[2].tolist()


@given(
    st.lists(st.one_of(st.none(), st.integers(-128, 127)), max_size=30),
    st.sampled_from(["Int8", "Int32", "Int64"]),
    st.data(),
)
def test_integers_taken_without_their_mask_equal_pandas_take(values, dtype, data):
    array = pd.array(values, dtype=dtype)
    rows = np.array(
        data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=40)) if values else [], dtype=np.intp
    )
    got, expected = _facts._taken(array, rows), array.take(rows)
    pd.testing.assert_extension_array_equal(got, expected)


def test_energy_sums_of_arrays_made_one_after_another_are_their_own():
    """The sums are kept by the array they were taken of (the headline tce is one method's very array); an array
    freed and another made at its address must not be given the first one's sums."""
    n = 20_000  # arrays of this size are given back to the allocator and handed out again at the same address
    detail = pd.DataFrame(
        {
            "enterprise_id": pd.Categorical(np.where(np.arange(n) % 2, "e1", "e2")),
            "carrier": pd.Categorical(np.where(np.arange(n) % 3, "coal", "gas")),
            "use": pd.Categorical(["fuel"] * n),
        }
    )
    sums = _totals.EnergySums(detail)
    rows = sums.totals.counts()
    for k in range(1, 20):  # temporaries, each freed after its call
        assert (sums.per_key(f"values {k}", "skipna", np.full(n, float(k))) == k * rows).all(), k


# -- whole accounts, the shortcuts switched off ------------------------------------------------------------


def _objects(values) -> np.ndarray:
    """Values as Python objects, an Arrow array's nulls as None."""
    if isinstance(values, pa.Array):
        return np.array(values.to_pylist() + [None], dtype=object)[:-1]  # (no 2-D array of equal-length texts)
    return np.asarray(values, dtype=object)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=12), st.data())
def test_enterprise_attributes_held_by_arrow_equal_those_held_as_objects(attributes, data):
    """name, sub-park and industry per emission fact, from an enterprises table of pandas' text (taken and
    encoded by Arrow) and of Python objects (the general path), with enterprises not listed (blank)."""
    from carbon.account import facts

    ids = [f"E{i:02d}" for i in range(len(attributes))]
    names, parks = zip(*attributes, strict=True)
    listed = data.draw(st.lists(st.sampled_from(range(len(ids))), min_size=1, unique=True))
    table = pd.DataFrame(
        {
            "enterprise_id": [ids[i] for i in listed],
            "name": [names[i] for i in listed],
            "sub_park": [parks[i] for i in listed],
            "industry": [names[i] for i in listed],
        }
    )
    rows = data.draw(st.lists(st.sampled_from(range(len(ids))), min_size=1, max_size=30))
    enterprise = pd.Categorical([ids[i] for i in rows], categories=sorted({ids[i] for i in rows}))
    as_text = table.astype({c: "str" for c in table.columns})
    as_objects = table.astype(object)
    assert isinstance(as_text["name"].dtype, pd.StringDtype)
    fast = facts._enterprise_columns(enterprise, as_text)
    general = facts._enterprise_columns(enterprise, as_objects)
    for column in ("name", "sub_park", "industry"):
        _same_categorical(fast[column], general[column])


@given(st.lists(TEXT, max_size=40))
def test_sorted_categorical_of_arrow_text_equals_that_of_objects(values):
    arrow = pa.array(values, type=pa.string())
    _same_categorical(
        _codes.sorted_categorical(arrow), _codes.sorted_categorical(np.array(values + [None], dtype=object)[:-1])
    )


def _general_paths(monkeypatch) -> None:
    """Every shortcut replaced by the general step it stands for."""
    categorical, encode = _codes.categorical, _codes.encode
    monkeypatch.setattr(_codes, "categorical", lambda codes, values, used=None: categorical(codes, values))
    monkeypatch.setattr(_codes, "sorted_categorical", lambda values: categorical(*encode(_objects(values))))
    monkeypatch.setattr(_totals, "_scope_sums", _masked_scope_sums)
    monkeypatch.setattr(_totals, "_scope_sums_by_kind", lambda emissions, kinds: _masked_scope_sums(emissions))
    rows_of = park910._rows_of  # the park method's rows found on the codes, not taken from the blocks' kinds
    monkeypatch.setattr(park910, "_rows_of", lambda emissions, kinds, *wanted: rows_of(emissions, None, *wanted))
    tce_columns = _facts._tce_columns  # the fuel's groups made afresh, not taken from the facts' tce groups
    monkeypatch.setattr(_facts, "_tce_columns", lambda *arguments: (tce_columns(*arguments)[0], None))
    used = park910._used  # nor from the input parts of the facts
    monkeypatch.setattr(park910, "_used", lambda *arguments, within=None: used(*arguments[:4]))
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
    # energy of one kind only: the sources present found from the parts (all grid power; no grid power)
    tables = {name: synthetic.table(name) for name in ("enterprises", "economics", "green_power")}
    power = synthetic.table("energy")
    only_power = carbon.Ledger(synthetic.park, {**tables, "energy": power[power["carrier"] == "electricity"]})
    no_power = carbon.Ledger(synthetic.park, {**tables, "energy": power[power["carrier"] != "electricity"]})
    # every enterprise gone before the year: the year's energy table is empty, its categories unused
    gone = sample.table("enterprises").assign(left_year=pd.array([2022] * len(sample.table("enterprises")), "Int64"))
    all_left = carbon.Ledger(
        sample.park, {**{name: sample.table(name) for name in carbon.ledger.TABLE_NAMES}, "enterprises": gone}
    )
    return {
        "all enterprises gone before the year": all_left,
        "sample park": sample,
        "synthetic": synthetic,
        "with on-site renewables": with_onsite,
        "with unused categories and two years": unused,
        "grid power only": only_power,
        "no grid power": no_power,
    }


LEDGERS = [
    "all enterprises gone before the year",
    "sample park",
    "synthetic",
    "with on-site renewables",
    "with unused categories and two years",
    "grid power only",
    "no grid power",
]


@pytest.mark.parametrize("which", LEDGERS)
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


def _compact_as_before(parts: list, dtype: str) -> pd.arrays.IntegerArray:
    """facts._compact as it was: every part through pandas' Int64, then narrowed where every value fits."""
    arrays = [pd.array(p, dtype="Int64") for p in parts]
    info = np.iinfo(pd.api.types.pandas_dtype(dtype).numpy_dtype)
    fits = all(a.isna().all() or (info.min <= a.min() and a.max() <= info.max) for a in arrays if len(a))
    arrays = [a.astype(dtype if fits else "Int64") for a in arrays if len(a)] or [arrays[0].astype(dtype)]
    return arrays[0] if len(arrays) == 1 else pd.concat([pd.Series(x) for x in arrays], ignore_index=True).array


PART = st.one_of(
    st.lists(st.integers(-(2**40), 2**40), max_size=6).map(lambda v: pd.Series(v, dtype="int64")),
    st.lists(st.one_of(st.none(), st.integers(-200, 200)), max_size=6).map(lambda v: pd.Series(v, dtype="Int64")),
    st.lists(st.one_of(st.none(), st.integers(-30000, 30000)), max_size=6).map(lambda v: pd.array(v, dtype="Int32")),
    st.lists(st.one_of(st.just(float("nan")), st.integers(-5, 5).map(float)), max_size=6).map(pd.Series),
    st.integers(0, 4).map(lambda n: pd.Series(pd.NA, index=range(n))),
    st.lists(st.integers(0, 100), max_size=6).map(lambda v: np.array(v, dtype=np.int64)),
)


@given(st.lists(PART, min_size=1, max_size=3), st.sampled_from(["Int8", "Int32"]))
def test_compact_equals_its_earlier_form(parts, dtype):
    from carbon.account.facts import _compact

    expected = _compact_as_before(parts, dtype)
    got = _compact(parts, dtype)
    assert str(got.dtype) == str(expected.dtype)
    assert got.tolist() == expected.tolist()


def test_compact_refuses_what_is_not_a_whole_number_as_before():
    from carbon.account.facts import _compact

    with pytest.raises((TypeError, ValueError)):
        _compact_as_before([pd.Series([1.5])], "Int32")
    with pytest.raises((TypeError, ValueError)):
        _compact([pd.Series([1.5])], "Int32")


def test_the_history_counts_enterprises_with_energy_but_no_figure():
    """missing_* counts the enterprises with energy whose economics row does not give the figure; an enterprise
    listed in economics without energy does not count, nor stand in for another."""
    from carbon.account.run import history_of

    ledger = make_ledger(30, years=(2022, 2023))
    tables = {name: ledger.table(name) for name in ("enterprises", "energy", "green_power")}
    economics = ledger.table("economics")
    this_year = economics["year"] == 2023
    ids = sorted(economics.loc[this_year, "enterprise_id"])
    blank = economics["enterprise_id"].isin(ids[-3:]) & this_year  # the last ids: no added value
    economics.loc[blank, "added_value"] = np.nan
    energy = tables["energy"]
    idle = ids[0]  # economics with its figures, but no energy in 2023
    tables["energy"] = energy[~((energy["enterprise_id"] == idle) & (energy["year"] == 2023))]
    history = history_of(carbon.Ledger(ledger.park, {**tables, "economics": economics}), 2023)
    assert history.years() == [2022, 2023]
    figures = history.park(2023)
    assert figures["missing_added_value"] == 3
    assert figures["missing_output_value"] == 0
    assert figures["park910_tco2"] > 0 and history.park(2022) is not None


def test_an_account_of_a_year_without_green_power_claims():
    """The green-power claims of a year with none of them are numbers (an empty text column of units once made
    the net inflow fail with a TypeError)."""
    ledger = make_ledger(30, years=(2021, 2022, 2023))
    assert not (ledger.table("green_power")["year"] == 2021).any()
    account = ledger.account(2021)
    assert account.summary["energy_tce"] > 0


# -- the park method's lines, joined column by column --------------------------------------------------------

LINE_TEXT = st.sampled_from(["electricity", "heat", "甲", "", None, float("nan")])
LINE_ROW = st.sampled_from([2, 17, None, float("nan")])


@st.composite
def _line_rows(draw):
    """Lines as the park method's small parts give them: dicts with some columns left out."""
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = {}
        for column in park910._COLUMNS:
            if draw(st.booleans()):
                continue  # a column the part does not give: blank
            if column in park910._FLOATS:
                row[column] = draw(st.sampled_from([1.5, -2.0, 0.0, float("nan"), None, 3]))
            elif column == "in_total":
                row[column] = draw(st.booleans())
            elif column == "input_row":
                row[column] = draw(LINE_ROW)
            else:
                row[column] = draw(LINE_TEXT)
        rows.append(row)
    return rows


def _concatenated(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The lines as the park method joined them before: frames concatenated, then each column converted."""
    lines = pd.concat(frames, ignore_index=True)
    for column in ("quantity", "factor_value", "tco2"):
        lines[column] = lines[column].astype(float)
    lines["input_row"] = pd.array(lines["input_row"], dtype="Int64")
    lines["in_total"] = lines["in_total"].astype(bool)
    return lines


def _final(lines: pd.DataFrame) -> pd.DataFrame:
    return _totals.blanks_to_none(lines)


@settings(max_examples=150, deadline=None)
@given(st.lists(_line_rows(), max_size=4), st.integers(0, 5), st.integers(0, 3))
def test_joined_lines_equal_the_concatenated_frames(parts, enterprises, where):
    """Blocks joined column by column give the table that concatenated frames gave, cell types included, once
    blanks are made blank as the account makes them; a per-enterprise block among them too. One difference, on
    purpose: a text column is always Python objects, where the concatenation gave pandas' text when every part
    held text (the dtype depended on which terms a park had)."""

    class Factor:
        id, value, unit = "park910.electricity.grid", 0.8325, "kgCO2/kWh"

    ids = np.array([f"9163{i:014d}" for i in range(enterprises)], dtype=object)
    quantity = np.array([(i % 3) * 1.5 for i in range(enterprises)])  # some zero: no line
    notes = [f"note {i}" for i in range(enterprises)]
    block = park910._per_enterprise(
        "electricity", "inflow_grid", "electricity", "MWh", ids, quantity, Factor, "s", notes
    )
    keep = quantity > 0
    frame = park910._lines(  # the per-enterprise frame as it was built
        pd.DataFrame(
            {
                "term": "electricity",
                "item": "inflow_grid",
                "enterprise_id": ids[keep],
                "carrier": "electricity",
                "quantity": quantity[keep],
                "unit": "MWh",
                "factor_value": park910.factor_per(Factor, "MWh"),
                "factor_unit": "tCO2/MWh",
                "factor_id": Factor.id,
                "tco2": quantity[keep] * park910.factor_per(Factor, "MWh"),
                "in_total": True,
                "input_sheet": "s",
                "input_row": None,
                "note": np.asarray(notes, dtype=object)[keep],
            }
        )
    )
    frames = [park910._lines(rows) for rows in parts]
    blocks = [park910._block(rows) for rows in parts]
    frames.insert(min(where, len(frames)), frame)
    blocks.insert(min(where, len(blocks)), block)
    old, new = _final(_concatenated(frames)), _final(park910._joined(blocks))
    for column in old.columns:  # where every part held text, the concatenation gave pandas' text: now objects
        if pd.api.types.is_string_dtype(old[column].dtype) and old[column].dtype != object:
            assert new[column].dtype == object, column
            old[column] = old[column].astype(object)
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    for column in old.columns:
        if old[column].dtype == object:
            assert [type(v) for v in new[column]] == [type(v) for v in old[column]], column
    terms = park910._term_sums(new, ("electricity", "heat", "甲", "none"))
    for term, value in terms.items():
        expected = float(old.loc[old["term"] == term, "tco2"].sum())
        assert value == expected or (np.isnan(value) and np.isnan(expected)), term
