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


_ALPHABET = st.sampled_from(list(cells.SPACES) + list("企业Ａａa1１ﬁfi\u200b㈱"))
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


def test_a_name_arrow_cannot_hold_is_grouped_in_python():
    series = pd.Series(["\ud800 公司", "\ud800公司", "公司", None], dtype=object)
    keys = rules._name_keys(series)
    assert keys[0] == keys[1] != keys[2]
    assert keys[3] == -1
