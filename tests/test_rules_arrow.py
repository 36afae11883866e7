"""The enterprise-name rule groups names by Arrow (NFKC, white space removed) as pandas' text methods group them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon.validation import cells, rules


def _pandas_keys(names: pd.Series) -> np.ndarray:
    """The formulation the rule had: pandas' text methods, then codes (-1: no name left)."""
    squeezed = names.astype(str).str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
    named = names.notna().to_numpy() & squeezed.ne("").to_numpy()
    codes, _ = pd.factorize(squeezed.to_numpy(dtype=object))
    return np.where(named, codes, -1)


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal where -1, and rows share a code in one exactly where they do in the other."""
    if not np.array_equal(a < 0, b < 0):
        return False
    pairs = set(zip(a[a >= 0].tolist(), b[b >= 0].tolist(), strict=True))
    return len(pairs) == len({x for x, _ in pairs}) == len({y for _, y in pairs})


# U+1CCD6 and U+1E030 have NFKC mappings in newer Unicode than some Pythons know: Python's NFKC decides
_ALPHABET = st.sampled_from(list(cells.SPACES) + list("企业Ａａa1１ﬁfi\u200b㈱\U0001ccd6\U0001e030а"))
_NAME = st.one_of(st.none(), st.just(float("nan")), st.text(_ALPHABET, max_size=5))


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAME, max_size=12))
def test_names_group_as_pandas_groups_them(names):
    series = pd.Series(names, dtype=object)
    assert _same_partition(rules._name_keys(series), _pandas_keys(series))


def test_full_width_and_spaced_spellings_are_one_name():
    series = pd.Series(
        ["西宁 化工", "西宁化工", "西宁\u3000化工 ", "ＡＢ公司", "AB公司", " ", None, "其他"], dtype=object
    )
    keys = rules._name_keys(series)
    assert keys[0] == keys[1] == keys[2] != keys[3] == keys[4] != keys[7]
    assert keys[5] == keys[6] == -1


def test_names_are_normalised_by_the_unicode_python_knows():
    """Arrow's NFKC may know newer characters (U+1CCD6 OUTLINED LATIN CAPITAL LETTER A, Unicode 16): the names are
    grouped as Python's unicodedata groups them, whichever version it holds."""
    import unicodedata

    series = pd.Series(["晶阳A公司", "晶阳\U0001ccd6公司", "晶阳Ａ公司"], dtype=object)
    keys = rules._name_keys(series)
    assert keys[0] == keys[2]
    assert (keys[1] == keys[0]) == (unicodedata.normalize("NFKC", "\U0001ccd6") == "A")
    assert _same_partition(keys, _pandas_keys(series))


def test_a_name_arrow_cannot_hold_is_grouped_in_python():
    series = pd.Series(["\ud800 公司", "\ud800公司", "公司", None], dtype=object)
    keys = rules._name_keys(series)
    assert keys[0] == keys[1] != keys[2]
    assert keys[3] == -1


# -- certificates of trades and the claimants' rows, found on codes ---------------------------------------------

from carbon import _codes  # noqa: E402


def _certificates_by_tuples(green: pd.DataFrame) -> np.ndarray:
    """The formulation certificates_of_trades had: a set of (enterprise, year, month, id) tuples, blanks as ''."""
    keys = ["enterprise_id", "year", "month", "certificate_id"]
    with_id = green["certificate_id"].notna().to_numpy()
    if not with_id.any():
        return np.zeros(len(green), dtype=bool)
    frame = green[keys].astype(object).where(green[keys].notna(), "")
    trades = set(map(tuple, frame[(green["instrument"] == "trade").to_numpy() & with_id].to_numpy().tolist()))
    certificate = (green["instrument"] == "certificate").to_numpy() & with_id
    return certificate & np.array([tuple(k) in trades for k in frame.to_numpy().tolist()], dtype=bool)


_ROW = st.tuples(
    st.sampled_from(["E1", "E2", None]),
    st.sampled_from([2023.0, 2024.0, np.nan]),
    st.sampled_from([1.0, 2.0, np.nan]),
    st.sampled_from(["trade", "certificate", "direct_line", "onsite", None]),
    st.sampled_from(["C1", "C2", None]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ROW, max_size=14), st.booleans())
def test_certificates_of_trades_as_by_tuples(rows, coded):
    green = pd.DataFrame(rows, columns=["enterprise_id", "year", "month", "instrument", "certificate_id"])
    green = green.astype({"enterprise_id": object, "instrument": object, "certificate_id": object})
    if coded:
        green = green.astype({"enterprise_id": "category", "instrument": "category"})
    assert rules.certificates_of_trades(green).tolist() == _certificates_by_tuples(green).tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", None]), max_size=12),
    st.lists(st.sampled_from(["a", "c", "d", None]), max_size=4),
    st.booleans(),
)
def test_isin_is_pandas_isin(rows, values, coded):
    column = pd.Series(rows, dtype=object)
    if coded:
        column = column.astype(pd.CategoricalDtype(["a", "b", "c", "unused"]))
    values = np.array([np.nan if v is None else v for v in values], dtype=object)
    assert _codes.isin(column, values).tolist() == column.isin(values).tolist()
