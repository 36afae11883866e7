"""carbon/energy.py: standard coal equivalent per GB/T 2589-2020."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carbon
from carbon.errors import FactorNotFoundError, IncompatibleUnitError, UnknownNameError


def test_acceptance_raw_coal():
    # GB/T 2589-2020 附录A: 原煤 0.7143 kgce/kg
    assert carbon.to_tce(1000, "t", "原煤") == pytest.approx(714.3, rel=1e-12)


@pytest.mark.parametrize(
    ("value", "unit", "carrier", "expected"),
    [
        (1e4, "kWh", "电力", 1.229),  # 0.1229 kgce/kWh (当量值)
        (1, "万kWh", "electricity", 1.229),
        (1, "万Nm3", "天然气", 13.3),  # 1.3300 kgce/m3
        (1000, "GJ", "热力", 34.12),  # 0.03412 kgce/MJ
        (1, "万吨", "柴油", 14571.0),  # 1.4571 kgce/kg
        (500, "kg", "汽油", 0.7357),  # 1.4714 kgce/kg
        (1000, "GJ", "steam", 34.12),  # steam given as heat uses the heat coefficient
    ],
)
def test_published_coefficients(value, unit, carrier, expected):
    assert carbon.to_tce(value, unit, carrier) == pytest.approx(expected, rel=1e-9)


def test_fuel_given_as_energy_uses_the_calorific_definition():
    # 1 tce = 29.3076 GJ: a fuel's 当量值 is its heat content
    assert carbon.to_tce(29.3076, "GJ", "无烟煤") == pytest.approx(1.0, rel=1e-12)
    assert carbon.to_tce(1, "tce", "原煤") == pytest.approx(1.0, rel=1e-12)


def test_electricity_equal_value_needs_a_year():
    # CEC: 302.4 gce/kWh for 2024
    assert carbon.to_tce(1e4, "kWh", "电力", electricity="equal-value", year=2024) == pytest.approx(3.024)
    assert carbon.to_tce(1e4, "kWh", "电力", electricity="等价值", year=2024) == pytest.approx(3.024)
    with pytest.raises(FactorNotFoundError, match="pass year="):
        carbon.to_tce(1e4, "kWh", "电力", electricity="equal-value")
    # a year before the first published one (2015) takes 2015's 0.3154 kgce/kWh, flagged (test_factors_years.py)
    with pytest.warns(carbon.FactorFallbackWarning, match="data year 2015 used for 2014"):
        assert carbon.to_tce(1e4, "kWh", "电力", electricity="equal-value", year=2014) == pytest.approx(3.154)


def test_equal_value_leaves_fuels_alone():
    assert carbon.to_tce(1000, "t", "原煤", electricity="equal-value", year=2024) == pytest.approx(714.3)


def test_unknown_electricity_method():
    with pytest.raises(UnknownNameError, match="equivalent, equal-value"):
        carbon.to_tce(1, "kWh", "电力", electricity="primary")


@pytest.mark.parametrize(
    ("unit", "carrier", "message"),
    [
        ("t", "天然气", "expected a volume"),
        ("t", "蒸汽", "give steam as heat"),
        ("Nm3", "原煤", "expected a mass"),
        ("tCO2", "柴油", "expected a mass"),
    ],
)
def test_units_that_do_not_fit_the_carrier(unit, carrier, message):
    with pytest.raises(IncompatibleUnitError, match=message):
        carbon.to_tce(1, unit, carrier)


def test_a_fuel_without_a_gbt2589_coefficient_takes_the_ncv_of_the_fuel_set():
    # GB/T 2589-2020 lists no 无烟煤 row; GB/T 32151.22-2024 表C.1 gives its NCV as 26.7 GJ/t and 1 tce is
    # 29.3076 GJ (GB/T 2589-2020), so 1000 t is 1000 x 26.7 / 29.3076 tce
    assert carbon.to_tce(1000, "t", "无烟煤") == pytest.approx(1000 * 26.7 / 29.3076, rel=1e-12)
    # the IPCC 2006 set: 26.7 TJ/Gg for anthracite (Vol. 2 Ch. 1 Table 1.2) is the same heat per tonne
    assert carbon.to_tce(1000, "t", "无烟煤", factor_set="ipcc2006") == pytest.approx(1000 * 26.7 / 29.3076, rel=1e-12)
    # a measured NCV wins over every default, for a listed carrier too (原煤 has 0.7143 kgce/kg)
    assert carbon.to_tce(1000, "t", "原煤", ncv=(20.0, "GJ/t")) == pytest.approx(1000 * 20.0 / 29.3076, rel=1e-12)
    with pytest.raises(UnknownNameError, match="unknown fuel '木炭'|unknown carrier '木炭'"):
        carbon.to_tce(1, "t", "木炭")


def test_unknown_carrier():
    with pytest.raises(UnknownNameError, match="unknown carrier '木头'"):
        carbon.to_tce(1, "t", "木头")


def test_vectorised_over_carriers_and_units_keeps_the_index():
    frame = pd.DataFrame(
        {
            "quantity": [1000.0, 1.0, 1e4, 2000.0],
            "unit": ["t", "万Nm3", "kWh", "吨"],
            "carrier": ["原煤", "天然气", "电力", "原煤"],
        },
        index=[10, 11, 12, 13],
    )
    out = carbon.to_tce(frame["quantity"], frame["unit"], frame["carrier"])
    assert isinstance(out, pd.Series)
    assert out.name == "tce"
    assert list(out.index) == [10, 11, 12, 13]
    assert out.to_numpy() == pytest.approx([714.3, 13.3, 1.229, 1428.6])


def test_missing_carrier_in_a_column_is_located():
    with pytest.raises(carbon.InputValueError, match=r"missing carrier value\(s\) \(positions \[1\]\)"):
        carbon.to_tce([1.0, 2.0], "t", ["原煤", None])


def test_missing_quantity_stays_missing():
    out = carbon.to_tce(np.array([np.nan, 1000.0]), "t", "原煤")
    assert np.isnan(out[0]) and out[1] == pytest.approx(714.3)


@given(
    values=st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=30),
    k=st.floats(min_value=0.01, max_value=100),
)
def test_scaling_activity_scales_tce(values, k):
    array = np.array(values)
    assert carbon.to_tce(array * k, "t", "原煤") == pytest.approx(
        carbon.to_tce(array, "t", "原煤") * k, rel=1e-9, abs=1e-9
    )


@given(parts=st.lists(st.floats(min_value=0, max_value=1e8, allow_nan=False), min_size=1, max_size=30))
def test_tce_of_the_total_is_the_sum_of_the_parts(parts):
    total = carbon.to_tce(sum(parts), "万Nm3", "天然气")
    assert carbon.to_tce(np.array(parts), "万Nm3", "天然气").sum() == pytest.approx(total, rel=1e-9, abs=1e-6)


# -- the per-unit coefficients the account uses ------------------------------------------------------------


def test_tce_factor_routes():
    from carbon.energy import heat_content_factor, tce_factor

    # GB/T 2589-2020 附录A: 原煤 0.7143 kgce/kg
    coal = tce_factor("t", "原煤")
    assert (coal.value, coal.method, coal.factor_ids) == (pytest.approx(0.7143), "GB/T 2589 当量值", "gbt2589.raw_coal")
    # electricity 当量值 0.1229 kgce/kWh; 1 GJ is 277.78 kWh
    assert tce_factor("GJ", "电力").value == pytest.approx(0.1229 / 3.6, rel=1e-12)
    # a fuel given as energy is its calorific content: 1 tce = 29.3076 GJ
    assert tce_factor("GJ", "天然气").value == pytest.approx(1 / 29.3076, rel=1e-12)
    assert tce_factor("GJ", "天然气").factors == ()
    # heat content by NCV (GB/T 32151.22-2024 表C.1: 柴油 43.33 GJ/t... as the library holds it)
    diesel_ncv = carbon.load_factors().fuel("柴油").ncv
    assert heat_content_factor("t", "柴油").value == pytest.approx(diesel_ncv.value, rel=1e-12)
    assert heat_content_factor("t", "柴油").factors == (diesel_ncv,)


def test_equal_value_fallback_warns():
    # 等价值 of data year 2023 is not published: 2022's 0.3007 kgce/kWh stands in, with a warning
    with pytest.warns(carbon.FactorFallbackWarning, match="data year 2022 used for 2023"):
        assert carbon.to_tce(1, "MWh", "电力", electricity="equal-value", year=2023) == pytest.approx(0.3007)
