"""carbon/ledger.py: Ledger.__init__'s shortcuts against its general path.

The energy labels already coded as carbon._codes.categorical codes them are kept as they are (not re-encoded),
and the tables are shallow copies under pandas' copy-on-write: each is checked to give what the general path
gives, and the ledger's tables to stay as given whatever the caller does to its frames afterwards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carbon
from carbon import _codes
from carbon import ledger as ledger_module
from carbon.ledger import CODED_LABELS, Ledger

PARK = {"name": "p", "province": "310000", "reporting_year": 2023, "baseline_year": 2020}

_LABELS = st.sampled_from(["a", "b", "c", "甲", "X\x00", "X", " ", ""])


def _same_frames(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_categorical=True)
    for column in want.columns:
        if isinstance(want[column].dtype, pd.CategoricalDtype):
            assert got[column].cat.categories.dtype == want[column].cat.categories.dtype
            assert got[column].cat.codes.dtype == want[column].cat.codes.dtype
            assert got[column].cat.categories.tolist() == want[column].cat.categories.tolist()


@st.composite
def _label_columns(draw):
    """A label column as a ledger may be given it: text, or a categorical whose categories are sorted or not,
    all used or not, text (str or object) or numbers, some rows missing."""
    rows = draw(st.lists(st.one_of(st.none(), _LABELS), min_size=1, max_size=30))
    form = draw(st.sampled_from(["text", "coded", "unused", "unsorted", "object", "numbers", "wide_codes"]))
    if form == "text":
        return pd.Series(rows, dtype=object)
    if form == "numbers":
        return pd.Series(pd.Categorical([None if r is None else len(r) for r in rows]))
    codes, values = _codes.encode(np.array(rows, dtype=object))
    coded = _codes.categorical(codes, values)  # as validation types the labels
    if form == "coded":
        return pd.Series(coded)
    if form == "unused":
        return pd.Series(coded.add_categories(["zz-unused"]))
    if form == "unsorted":
        return (
            pd.Series(coded.reorder_categories(coded.categories[::-1])) if len(coded.categories) else pd.Series(coded)
        )
    if form == "wide_codes":  # the same values, codes of a wider type than their number needs
        return pd.Series(pd.Categorical.from_codes(coded.codes.astype(np.int32), dtype=coded.dtype, validate=False))
    return pd.Series(pd.Categorical(coded.astype(object), categories=pd.Index(list(coded.categories), dtype=object)))


@settings(max_examples=150, deadline=None)
@given(st.lists(_label_columns(), min_size=4, max_size=4))
def test_energy_labels_kept_as_coded_equal_the_re_encoded_labels(columns):
    n = min(len(c) for c in columns)
    energy = pd.DataFrame(
        {name: c.iloc[:n].reset_index(drop=True) for name, c in zip(CODED_LABELS, columns, strict=True)}
    )
    energy["quantity"] = np.arange(n, dtype=float)
    fast = Ledger(PARK, {"energy": energy})._tables["energy"]
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(ledger_module, "_coded_already", lambda values: False)  # every label re-encoded
        general = Ledger(PARK, {"energy": energy})._tables["energy"]
    _same_frames(fast, general)


def test_a_read_ledger_keeps_its_energy_labels_as_validation_coded_them():
    ledger = carbon.read_workbook(ledger_module.sample_workbook_path())
    energy = ledger._tables["energy"]
    assert all(ledger_module._coded_already(energy[c]) for c in CODED_LABELS if energy[c].notna().any())
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(ledger_module, "_coded_already", lambda values: False)
        again = Ledger(ledger.park, ledger._tables)._tables["energy"]
    _same_frames(energy, again)


@pytest.mark.parametrize("last", ["used", "unused"])
def test_a_category_used_only_past_the_first_slice_of_codes(last):
    rows = 3 * (1 << 16) + 5  # past the slices the codes are counted by
    codes = np.arange(rows) % 2
    if last == "used":
        codes[-1] = 2
    labels = pd.Categorical.from_codes(codes, categories=pd.Index(["a", "b", "c"], dtype="str"))
    energy = pd.DataFrame({name: labels for name in CODED_LABELS})
    assert ledger_module._coded_already(energy["carrier"]) == (last == "used")
    fast = Ledger(PARK, {"energy": energy})._tables["energy"]
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(ledger_module, "_coded_already", lambda values: False)
        general = Ledger(PARK, {"energy": energy})._tables["energy"]
    _same_frames(fast, general)


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.__setitem__("quantity", 0.0),
        lambda f: f.loc.__setitem__((0, "quantity"), -1.0),
        lambda f: f.iloc.__setitem__((1, 0), "a"),
        lambda f: f.update(pd.DataFrame({"quantity": [7.0, 7.0, 7.0]})),
        lambda f: f.__delitem__("unit"),
        lambda f: f.insert(0, "extra", 1),
        lambda f: f["carrier"].cat.rename_categories(lambda c: c + "!"),
        lambda f: f.pop("quantity"),
    ],
)
def test_the_tables_stay_as_given_whatever_the_callers_frames_become(change):
    energy = pd.DataFrame(
        {
            "enterprise_id": pd.Categorical(["b", "a", "b"]),
            "carrier": pd.Categorical(["coal", "coal", "gas"]),
            "unit": ["t", "t", "m3"],
            "quantity": [1.0, np.nan, 3.0],
        }
    )
    enterprises = pd.DataFrame({"enterprise_id": ["a", "b"], "name": ["A", "B"]})
    ledger = Ledger(PARK, {"energy": energy, "enterprises": enterprises})
    before = {name: frame.copy(deep=True) for name, frame in ledger._tables.items()}
    change(energy)
    enterprises.loc[0, "name"] = "changed"
    for name, frame in ledger._tables.items():
        _same_frames(frame, before[name])
    out = ledger.energy  # a table handed out is the caller's to change
    out.loc[0, "quantity"] = 99.0
    _same_frames(ledger._tables["energy"], before["energy"])
