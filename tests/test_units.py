"""carbon/units.py and carbon/units.txt: the registry, staff spellings, traps and vectorised conversion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import carbon
from carbon import units
from carbon.errors import IncompatibleUnitError, InputValueError, UnitError, UnknownUnitError


def test_acceptance_wan_kwh_to_kwh_is_exact():
    assert carbon.convert(12.5, "万千瓦时", "kWh") == 125000


def test_kgce_is_29_3076_megajoules():
    # GB/T 2589-2020: 1 kgce = 29 307.6 kJ (7 000 kcal x 4.1868 kJ/kcal).
    assert carbon.convert(1, "kgce", "MJ") == pytest.approx(29.3076, rel=1e-12)
    assert carbon.convert(1, "tce", "GJ") == pytest.approx(29.3076, rel=1e-12)
    assert carbon.convert(1, "万tce", "tce") == 1e4


def test_steam_tonne_per_hour_is_0_7_megawatt_by_convention():
    # Boiler-trade convention; GB 24500-2020 pairs "<= 20 t/h (or <= 14 MW)".
    assert carbon.convert(20, "蒸吨", "MW") == pytest.approx(14.0)
    assert carbon.convert(212.3, "蒸吨", "MW") == pytest.approx(148.61)


def test_kt_is_a_kilotonne_not_a_knot():
    assert carbon.convert(1, "kt", "t") == 1000
    with pytest.raises(IncompatibleUnitError):
        carbon.convert(1, "kt", "m/s")


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("吨", "kg", 1000.0),
        ("t", "kg", 1000.0),
        ("千克", "kg", 1.0),
        ("kg", "g", 1000.0),
        ("千瓦时", "kWh", 1.0),
        ("kWh", "Wh", 1000.0),
        ("度", "kWh", 1.0),
        ("兆瓦时", "kWh", 1000.0),
        ("MWh", "kWh", 1000.0),
        ("立方米", "m3", 1.0),
        ("标准立方米", "Nm3", 1.0),
        ("吉焦", "MJ", 1000.0),
        ("GJ", "MJ", 1000.0),
        ("吨标准煤", "kgce", 1000.0),
        ("吨标煤", "tce", 1.0),
        ("吨二氧化碳", "kgCO2", 1000.0),
        ("万kWh", "kWh", 1e4),
        ("万千瓦时", "kWh", 1e4),
        ("万m3", "m3", 1e4),
        ("万Nm3", "Nm3", 1e4),
        ("万立方米", "m3", 1e4),
        ("万吨", "t", 1e4),
        ("万tce", "tce", 1e4),
        ("万元", "元", 1e4),
        ("亿元", "万元", 1e4),
        ("Nm3", "m3", 1.0),
    ],
)
def test_staff_spellings(text, target, expected):
    assert carbon.convert(1, text, target) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "normal"),
    [("ｋＷｈ", "kWh"), ("m³", "m3"), ("tCO₂", "tCO2"), (" 万 Nm3 ", "万Nm3"), ("万m³", "万m3"), ("kWh\u00a0", "kWh")],
)
def test_text_is_normalised_before_lookup(text, normal):
    assert units.normalize_unit_text(text) == normal
    assert units.parse_unit(text) == units.parse_unit(normal)


def test_wan_m3_is_ten_thousand_cubic_metres_not_1e12():
    # pint applies prefixes before exponents, so a 万- prefix would make 万m³ = (1e4 m)^3.
    assert carbon.convert(1, "万m³", "m3") == 1e4


@pytest.mark.parametrize("text", ["ton", "mt", "T", "万", "Nm**3", "kcal", "3 万 kWh", "1e4 kWh"])
def test_traps_are_refused_with_a_hint(text):
    with pytest.raises(UnknownUnitError) as info:
        units.parse_unit(text)
    assert info.value.hint
    assert info.value.unit


@pytest.mark.parametrize("text", ["", "   ", "xyzzy", "吨/年", "2*3", "万km"])
def test_unknown_units_raise_a_value_error_naming_the_unit(text):
    with pytest.raises(UnknownUnitError, match="unknown unit") as info:
        units.parse_unit(text)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, carbon.CarbonError)


def test_non_text_unit_is_refused():
    with pytest.raises(UnknownUnitError, match="must be text"):
        units.parse_unit(3.0)


def test_incompatible_units_name_both_dimensions():
    with pytest.raises(IncompatibleUnitError, match=r"expected an energy.*'吨' is a mass") as info:
        carbon.convert(1, "吨", "kWh")
    assert info.value.unit == "吨"
    assert "energy" in info.value.expected
    assert isinstance(info.value, UnitError)


def test_co2_is_its_own_dimension():
    with pytest.raises(IncompatibleUnitError):
        carbon.convert(1, "tCO2", "t")
    with pytest.raises(IncompatibleUnitError):
        carbon.convert(1, "tC", "tCO2")


def test_offset_units_are_refused():
    with pytest.raises(IncompatibleUnitError, match="offset"):
        carbon.convert(20, "degC", "K")


def test_the_registry_refuses_redefinition():
    with pytest.raises(pint.errors.RedefinitionError):
        carbon.ureg.define("tce = 29.27 GJ")
    assert carbon.convert(1, "tce", "GJ") == pytest.approx(29.3076)


def test_conversion_factors_are_clean_decimals():
    # pint's chain gives 3.5999999999999996; carbon rounds to 15 significant digits.
    assert units.conversion_factor("kWh", "MJ") == 3.6
    assert units.conversion_factor("MWh", "GJ") == 3.6


def test_same_kind_out():
    series = pd.Series([1.0, 2.0], index=["a", "b"], name="quantity")
    out = carbon.convert(series, "万kWh", "kWh")
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b"]
    assert out.name == "quantity"
    assert out.tolist() == [1e4, 2e4]
    array = carbon.convert(np.array([1.0, 2.0]), "t", "kg")
    assert isinstance(array, np.ndarray)
    assert array.tolist() == [1000.0, 2000.0]
    assert isinstance(carbon.convert(1, "t", "kg"), float)
    assert carbon.convert([1, 2], "t", "kg").tolist() == [1000.0, 2000.0]


def test_missing_values_stay_missing():
    out = carbon.convert(np.array([1.0, np.nan]), "t", "kg")
    assert out[0] == 1000.0
    assert np.isnan(out[1])


def test_a_column_of_units_converts_per_unit_group():
    values = pd.Series([1.0, 2.0, 3.0, 4.0])
    unit_column = pd.Series(["万kWh", "MWh", "kWh", "度"])
    assert carbon.convert(values, unit_column, "kWh").tolist() == [1e4, 2000.0, 3.0, 4.0]


def test_pint_is_called_once_per_distinct_unit_not_per_row(monkeypatch):
    calls = []
    real = units.conversion_factor

    def counting(from_unit, to_unit):
        calls.append(from_unit)
        return real(from_unit, to_unit)

    monkeypatch.setattr(units, "conversion_factor", counting)
    n = 30_000
    unit_column = np.array(["kWh", "万kWh", "MWh"] * (n // 3), dtype=object)
    out = units.convert(np.ones(n), unit_column, "kWh")
    assert sorted(calls) == ["MWh", "kWh", "万kWh"]
    assert out[:3].tolist() == [1.0, 1e4, 1000.0]


def test_a_missing_unit_in_a_column_is_located():
    with pytest.raises(InputValueError, match=r"positions \[1\]") as info:
        carbon.convert([1.0, 2.0], ["t", None], "kg")
    assert info.value.positions == (1,)


def test_unit_column_of_the_wrong_length_is_refused():
    with pytest.raises(InputValueError, match="different lengths|given for"):
        carbon.convert(np.ones(3), ["t", "kg"], "kg")


def test_text_and_booleans_are_not_numbers():
    with pytest.raises(InputValueError, match="must be numeric"):
        carbon.convert("12", "t", "kg")
    with pytest.raises(InputValueError, match="must be numeric"):
        carbon.convert(True, "t", "kg")
    with pytest.raises(InputValueError, match="must be numeric"):
        carbon.convert(pd.Series(["1", "2"]), "t", "kg")


def test_dimension_names_in_both_languages():
    assert units.dimension_name("万Nm3") == "a volume (m3, Nm3, 万Nm3, 立方米)"
    assert units.dimension_name("kWh", "zh") == "能量"


UNIT_PAIRS = [
    ("万kWh", "kWh"),
    ("t", "万吨"),
    ("GJ", "tce"),
    ("MWh", "GJ"),
    ("万Nm3", "m3"),
    ("tCO2", "kgCO2"),
    ("蒸吨", "MW"),
]


@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    pair=st.sampled_from(UNIT_PAIRS),
)
def test_conversion_round_trips(value, pair):
    a, b = pair
    back = carbon.convert(carbon.convert(value, a, b), b, a)
    assert back == pytest.approx(value, rel=1e-12, abs=1e-9)


@given(
    values=st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=50),
    k=st.floats(min_value=0.001, max_value=1000),
)
def test_conversion_is_linear(values, k):
    array = np.array(values)
    assert carbon.convert(array * k, "万kWh", "MWh") == pytest.approx(
        carbon.convert(array, "万kWh", "MWh") * k, rel=1e-9, abs=1e-9
    )


def test_a_green_certificate_is_one_mwh():
    # 发改能源〔2023〕1044号: 1个绿证单位对应1000千瓦时可再生能源电量
    from carbon.units import CERTIFICATE_UNITS, mwh_per_unit

    assert all(mwh_per_unit(u) == 1.0 for u in CERTIFICATE_UNITS)
    assert mwh_per_unit("万kWh") == 10.0 and mwh_per_unit("kWh") == 0.001
    with pytest.raises(carbon.IncompatibleUnitError):
        mwh_per_unit("t")
