"""carbon/waste.py: the NBS comprehensive utilisation rate of general industrial solid waste."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carbon
from carbon.errors import InputValueError


def test_formula_with_prior_stock():
    # NBS 基101表: 综合利用量 / (产生量 + 综合利用往年贮存量); utilised includes the prior stock
    assert carbon.waste_utilization_rate(1000, 950, 100) == pytest.approx(950 / 1100)


def test_park_figure_from_the_seed_documents():
    # 46 000 t generated, 96.8 % utilisation: 44 528 t utilised
    assert carbon.waste_utilization_rate(46000, 44528) == pytest.approx(0.968)


def test_nothing_to_utilise_is_undefined_not_zero():
    assert np.isnan(carbon.waste_utilization_rate(0, 0))


def test_missing_input_stays_missing():
    out = carbon.waste_utilization_rate(np.array([100.0, np.nan]), np.array([50.0, 10.0]))
    assert out[0] == 0.5 and np.isnan(out[1])


@pytest.mark.parametrize(
    ("args", "argument", "message"),
    [
        ((-1, 0), "generated", "generated must not be negative"),
        ((10, -1), "utilized", "utilized must not be negative"),
        ((10, 5, -1), "prior_stock_utilized", "must not be negative"),
        ((10, 5, 6), "prior_stock_utilized", "prior stock utilised exceeds the total utilised"),
        ((10, 20, 5), "utilized", "more utilised than generated plus prior stock"),
    ],
)
def test_impossible_balances_are_refused(args, argument, message):
    with pytest.raises(InputValueError, match=message) as info:
        carbon.waste_utilization_rate(*args)
    assert info.value.argument == argument


def test_series_in_series_out():
    generated = pd.Series([100.0, 200.0], index=["e1", "e2"])
    utilized = pd.Series([90.0, 200.0], index=["e1", "e2"])
    out = carbon.waste_utilization_rate(generated, utilized)
    assert list(out.index) == ["e1", "e2"]
    assert out.name == "utilization_rate"
    assert out.tolist() == [0.9, 1.0]


def test_positions_of_bad_rows_are_reported():
    with pytest.raises(InputValueError, match=r"positions \[2\]") as info:
        carbon.waste_utilization_rate(np.array([1.0, 1.0, 1.0]), np.array([1.0, 0.5, 2.0]))
    assert info.value.positions == (2,)


@given(
    generated=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    used_share=st.floats(min_value=0, max_value=1),
    prior=st.floats(min_value=0, max_value=1e9, allow_nan=False),
)
def test_rate_lies_in_zero_one(generated, used_share, prior):
    utilized = prior + generated * used_share  # any valid balance: the prior stock plus part of this year's
    rate = carbon.waste_utilization_rate(generated, utilized, prior)
    assert np.isnan(rate) or 0.0 <= rate <= 1.0
