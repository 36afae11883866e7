"""carbon/emissions.py: fuel combustion, purchased electricity (location/market) and purchased heat."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carbon
from carbon.errors import (
    FactorFallbackWarning,
    IncompatibleUnitError,
    InputValueError,
    UnknownNameError,
)


def test_acceptance_natural_gas():
    # GB/T 32151 表C.1: 389.31 GJ/10^4 Nm3, 15.3 tC/TJ, 99 %; 100 x 389.31 x 0.0153 x 0.99 x 44/12
    assert carbon.fuel_co2(100, "万Nm3", "天然气") == pytest.approx(2162.19, abs=0.005)


@pytest.mark.parametrize(
    ("fuel", "tco2_per_t"),
    [
        # GB/T 32151 表C.1, the derived emission factors quoted with the defaults (tCO2/t, 2 decimals)
        ("无烟煤", 2.52),
        ("烟煤", 1.74),
        ("焦炭", 2.86),
        ("柴油", 3.10),
        ("汽油", 2.93),
        ("液化石油气", 3.10),
        ("液化天然气", 2.83),
    ],
)
def test_set_a_derived_emission_factors(fuel, tco2_per_t):
    assert carbon.fuel_co2(1, "t", fuel) == pytest.approx(tco2_per_t, abs=0.005)


def test_natural_gas_factor_per_wan_nm3():
    # GB/T 32151 表C.1 derived emission factor: 21.62 tCO2/10^4 Nm3 (2.162 kg/Nm3)
    assert carbon.fuel_co2(1, "万Nm3", "natural gas") == pytest.approx(21.622, abs=0.0005)


def test_ipcc_set_with_full_oxidation():
    # IPCC 2006: Gas/Diesel Oil 43.0 TJ/Gg x 20.2 kgC/GJ x 44/12 (OF = 1)
    assert carbon.fuel_co2(1, "t", "diesel", factor_set="ipcc2006") == pytest.approx(43.0 * 20.2e-3 * 44 / 12)
    # energy input skips the NCV: 1 TJ natural gas -> 56.1 tCO2 (Table 1.4: 56 100 kg/TJ)
    assert carbon.fuel_co2(1, "TJ", "天然气", factor_set="ipcc2006") == pytest.approx(56.1)


def test_energy_input_skips_the_calorific_value():
    assert carbon.fuel_co2(389.31, "GJ", "天然气") == pytest.approx(carbon.fuel_co2(1, "万Nm3", "天然气"))


def test_a_factor_set_object_is_accepted():
    assert carbon.fuel_co2(1, "t", "柴油", factor_set=carbon.load_factors()) == carbon.fuel_co2(1, "t", "柴油")


def test_sets_are_never_mixed():
    with pytest.raises(UnknownNameError, match=r"only in set\(s\) \['gbt32151'\]; sets are never mixed"):
        carbon.fuel_co2(1, "t", "液化天然气", factor_set="ipcc2006")
    with pytest.raises(IncompatibleUnitError, match="NCV fuel.ipcc2006.natural_gas.ncv of set ipcc2006 is in TJ/Gg"):
        carbon.fuel_co2(1, "万Nm3", "天然气", factor_set="ipcc2006")


def test_raw_coal_is_refused_with_advice():
    with pytest.raises(UnknownNameError, match="name the coal type"):
        carbon.fuel_co2(1, "t", "原煤")


def test_electricity_is_not_a_fuel():
    with pytest.raises(UnknownNameError, match="unknown fuel '电力'"):
        carbon.fuel_co2(1, "kWh", "电力")


def test_unknown_factor_set():
    with pytest.raises(UnknownNameError, match="unknown factor set 'A'"):
        carbon.fuel_co2(1, "t", "柴油", factor_set="A")


def test_fuel_co2_over_a_table():
    frame = pd.DataFrame(
        {"quantity": [100.0, 1.0, 2.0], "unit": ["万Nm3", "t", "吨"], "fuel": ["天然气", "柴油", "柴油"]},
        index=["a", "b", "c"],
    )
    out = carbon.fuel_co2(frame["quantity"], frame["unit"], frame["fuel"])
    assert list(out.index) == ["a", "b", "c"]
    assert out.name == "emissions_tco2"
    assert out["a"] == pytest.approx(2162.19, abs=0.005)
    assert out["c"] == pytest.approx(2 * out["b"])


def test_acceptance_electricity_location():
    # 公告2025年第47号 附件1 表3: 青海 0.1796 tCO2/MWh (data year 2023)
    assert carbon.electricity_co2(10000, "MWh", region="青海", year=2023) == pytest.approx(1796.0)


def test_acceptance_electricity_market():
    # 公告2025年第47号 附件1 表4: national excluding market-traded non-fossil power 0.6096
    out = carbon.electricity_co2(10000, "MWh", region="青海", year=2023, method="market", green=4000)
    assert out == pytest.approx(6000 * 0.6096)
    assert out == pytest.approx(3657.6)


def test_electricity_units_and_regions():
    # 1 万kWh = 10 MWh; 华北 2021 0.7120 (公告2024年第12号 表2)
    assert carbon.electricity_co2(1, "万kWh", region="华北", year=2021) == pytest.approx(7.120)
    assert carbon.electricity_co2(1000, "度", region="全国", year=2022) == pytest.approx(0.5366)


def test_fallback_year_warns_and_uses_the_latest_earlier_year():
    with pytest.warns(FactorFallbackWarning, match="data year 2023 used for 2024"):
        out = carbon.electricity_co2(1000, "MWh", region="青海", year=2024)
    assert out == pytest.approx(179.6)


def test_no_warning_when_the_year_is_published():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        carbon.electricity_co2(1000, "MWh", region="青海", year=2023)


def test_a_year_before_the_first_takes_the_first_and_warns():
    # the MEE/NBS series starts at 2021: 2019 takes 青海 2021's 0.1326, flagged (tests/test_factors_years.py)
    with pytest.warns(FactorFallbackWarning, match=r"data year 2021 used for 2019 \(before the first published year\)"):
        assert carbon.electricity_co2(1, "MWh", region="青海", year=2019) == pytest.approx(0.1326)


def test_green_above_consumption_is_an_error():
    with pytest.raises(InputValueError, match=r"exceeds consumption \(positions \[1\]") as info:
        carbon.electricity_co2(
            np.array([100.0, 100.0]), "MWh", region="青海", year=2023, method="market", green=np.array([50.0, 150.0])
        )
    assert info.value.positions == (1,)
    assert info.value.argument == "green"


def test_negative_green_is_an_error():
    with pytest.raises(InputValueError, match="must not be negative"):
        carbon.electricity_co2(100, "MWh", region="青海", year=2023, method="market", green=-1)


def test_market_based_over_series():
    consumed = pd.Series([100.0, 200.0], index=["x", "y"])
    green = pd.Series([100.0, 50.0], index=["x", "y"])
    out = carbon.electricity_co2(consumed, "MWh", region="青海", year=2023, method="market", green=green)
    assert list(out.index) == ["x", "y"]
    assert out.tolist() == pytest.approx([0.0, 150 * 0.6096])


def test_series_with_different_indexes_are_not_aligned_silently():
    with pytest.raises(InputValueError, match="different indexes"):
        carbon.electricity_co2(
            pd.Series([1.0], index=["a"]),
            "MWh",
            region="青海",
            year=2023,
            method="market",
            green=pd.Series([0.0], index=["b"]),
        )


def test_unknown_method_and_region():
    with pytest.raises(UnknownNameError, match="location, market"):
        carbon.electricity_co2(1, "MWh", region="青海", year=2023, method="residual")
    with pytest.raises(UnknownNameError, match="unknown region"):
        carbon.electricity_co2(1, "MWh", region="Atlantis", year=2023, method="market")


def test_electricity_in_the_wrong_unit():
    with pytest.raises(IncompatibleUnitError, match="expected an energy"):
        carbon.electricity_co2(1, "t", region="青海", year=2023)


def test_purchased_heat():
    # MEE default 0.11 tCO2/GJ
    assert carbon.heat_co2(1000, "GJ") == pytest.approx(110.0)
    assert carbon.heat_co2(1, "万吉焦") == pytest.approx(1100.0)
    with pytest.raises(IncompatibleUnitError, match="steam tonnes must be converted"):
        carbon.heat_co2(10, "t")


def test_residual_factor_is_higher_than_the_average():
    location = carbon.electricity_co2(1000, "MWh", region="national", year=2023)
    market = carbon.electricity_co2(1000, "MWh", region="national", year=2023, method="market")
    # 0.5306 vs 0.6096: the residual factor is higher because green power left the denominator
    assert (location, market) == pytest.approx((530.6, 609.6))


@given(
    values=st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=30),
    k=st.floats(min_value=0.01, max_value=100),
    fuel=st.sampled_from(["天然气", "柴油", "无烟煤", "liquefied natural gas"]),
)
def test_scaling_activity_scales_fuel_emissions(values, k, fuel):
    unit = "万Nm3" if fuel == "天然气" else "t"
    array = np.array(values)
    assert carbon.fuel_co2(array * k, unit, fuel) == pytest.approx(
        carbon.fuel_co2(array, unit, fuel) * k, rel=1e-9, abs=1e-9
    )


@given(
    consumed=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    share=st.floats(min_value=0, max_value=1),
    k=st.floats(min_value=0.01, max_value=100),
)
def test_scaling_scales_market_based_electricity(consumed, share, k):
    base = carbon.electricity_co2(consumed, "MWh", region="青海", year=2023, method="market", green=consumed * share)
    scaled = carbon.electricity_co2(
        consumed * k, "MWh", region="青海", year=2023, method="market", green=consumed * share * k
    )
    # consumed - green cancels: the absolute error is bounded by the rounding of the inputs, not of the result
    assert scaled == pytest.approx(base * k, rel=1e-9, abs=1e-12 * max(consumed * k, 1.0))
    assert 0 <= base <= carbon.electricity_co2(consumed, "MWh", region="national", year=2023, method="market") + 1e-9


@given(parts=st.lists(st.floats(min_value=0, max_value=1e8, allow_nan=False), min_size=1, max_size=30))
def test_emissions_of_the_total_are_the_sum_of_the_parts(parts):
    total = carbon.electricity_co2(sum(parts), "kWh", region="青海", year=2023)
    assert carbon.electricity_co2(np.array(parts), "kWh", region="青海", year=2023).sum() == pytest.approx(
        total, rel=1e-9, abs=1e-6
    )


# -- the per-unit coefficients the account uses (carbon.emissions.*_factor) -----------------------------------


def test_fuel_co2_factor_is_what_fuel_co2_multiplies_by():
    # GB/T 32151.22-2024 表C.1, natural gas: 389.31 GJ/万Nm3 x 15.3 tC/TJ x 99 % x 44/12 = 21.6219 tCO2/万Nm3
    coefficient = carbon.emissions.fuel_co2_factor("万Nm3", "天然气")
    assert coefficient.value == pytest.approx(389.31 * 0.0153 * 0.99 * 44 / 12, rel=1e-12)
    assert coefficient.unit == "tCO2/万Nm3"
    assert [f.parameter for f in coefficient.factors] == ["ncv", "carbon_content", "oxidation_rate"]
    assert carbon.fuel_co2(3.0, "万Nm3", "天然气") == pytest.approx(3.0 * coefficient.value, rel=1e-15)
    # given as energy, no NCV takes part
    assert [f.parameter for f in carbon.emissions.fuel_co2_factor("GJ", "天然气").factors] == [
        "carbon_content",
        "oxidation_rate",
    ]


def test_measured_parameters_replace_the_defaults():
    # an enterprise's laboratory values for raw coal: 20.9 GJ/t, 26.4 tC/TJ, 94 %
    expected = 20.9 * 0.0264 * 0.94 * 44 / 12
    measured = {"ncv": (20.9, "GJ/t"), "carbon_content": (26.4, "tC/TJ"), "oxidation_rate": (94, "%")}
    assert carbon.fuel_co2(10, "t", "原煤", **measured) == pytest.approx(10 * expected, rel=1e-12)
    coefficient = carbon.emissions.fuel_co2_factor(
        "t", "原煤", **{k: carbon.factorset.as_given(v, k) for k, v in measured.items()}
    )
    assert coefficient.measured and coefficient.method == "measured"
    # one measured parameter with defaults for the others (diesel has GB/T 32151 defaults)
    default = carbon.fuel_co2(1, "t", "柴油")
    assert carbon.fuel_co2(1, "t", "柴油", oxidation_rate=(49, "%")) == pytest.approx(default * 49 / 98, rel=1e-12)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"ncv": (20.9, "GJ/t")}, carbon.InputValueError, "give the measured carbon_content, oxidation_rate as well"),
        ({"ncv": 20.9}, carbon.InputValueError, r"ncv must be a \(value, unit\) pair"),
        ({"ncv": (20.9, "GJ")}, carbon.IncompatibleUnitError, "heat per mass or volume"),
        ({"carbon_content": (26, "GJ/t")}, carbon.IncompatibleUnitError, "convertible to tC/GJ"),
        ({"oxidation_rate": (94, "GJ")}, carbon.IncompatibleUnitError, "convertible to %"),
    ],
)
def test_measured_parameters_are_checked(arguments, error, message):
    with pytest.raises(error, match=message):
        carbon.fuel_co2(1, "t", "原煤", **arguments)


def test_gas_in_volume_against_a_per_mass_ncv_says_what_to_give():
    with pytest.raises(carbon.IncompatibleUnitError) as caught:
        carbon.fuel_co2(1, "万Nm3", "天然气", factor_set="ipcc2006")
    message = str(caught.value)
    # natural gas is reported by volume: the way out is energy (GJ) or a set whose NCV is per volume
    assert "expected an energy (GJ) for natural_gas" in message
    assert "choose a factor set whose NCV takes this unit: ['cn_set_b', 'gbt32151']" in message
    assert "应为能量（GJ）" in message


def test_supplier_factor_replaces_the_residual_factor_market_based_only():
    # a supplier's contract rate of 0.45 tCO2/MWh for the 6,000 MWh left after 4,000 MWh of green power
    value = carbon.electricity_co2(
        10000, "MWh", region="青海", year=2023, method="market", green=4000, factor=(0.45, "tCO2/MWh")
    )
    assert value == pytest.approx(6000 * 0.45, rel=1e-12)
    coefficient = carbon.emissions.electricity_co2_factor(
        "kWh", region="青海", year=2023, method="market", factor=carbon.factorset.as_given((450, "kgCO2/MWh"), "x")
    )
    assert coefficient.value == pytest.approx(0.45 / 1000, rel=1e-12)
    with pytest.raises(carbon.InputValueError, match="market-based method only"):
        carbon.electricity_co2(1, "MWh", region="青海", year=2023, factor=(0.45, "tCO2/MWh"))
    with pytest.raises(carbon.IncompatibleUnitError, match="tCO2/MWh"):
        carbon.electricity_co2(1, "MWh", region="青海", year=2023, method="market", factor=(0.45, "tCO2/t"))


def test_heat_co2_factor():
    # 0.11 tCO2/GJ (MEE supplementary data tables); 1 MJ is 0.00011 tCO2
    assert carbon.emissions.heat_co2_factor("MJ").value == pytest.approx(0.11 / 1000, rel=1e-12)


def test_fuel_non_co2():
    # IPCC 2006 Table 2.3: diesel 3 kg CH4/TJ and 0.6 kg N2O/TJ; 1 TJ of diesel; AR6: CH4 27.9, N2O 273
    assert carbon.fuel_non_co2(1, "TJ", "柴油", gas="CH4") == pytest.approx(3 / 1000 * 27.9, rel=1e-12)
    assert carbon.fuel_non_co2(1, "TJ", "柴油", gas="N2O", gwp="AR5") == pytest.approx(0.6 / 1000 * 265, rel=1e-12)
    assert carbon.fuel_non_co2(5, "t", "生物质", gas="CH4") == 0.0
    with pytest.raises(carbon.UnknownNameError, match="unknown gas|unknown GWP|CO2"):
        carbon.fuel_non_co2(1, "TJ", "柴油", gas="CO2")
    with pytest.raises(carbon.UnknownNameError, match="IPCC 2006 CH4/N2O"):
        carbon.fuel_non_co2(1, "t", "液化天然气", gas="CH4")
