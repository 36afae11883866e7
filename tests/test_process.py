"""Industrial-process CO2 (发改环资〔2025〕910号 附件4: E_process = Σ output_i × EF_i, or a carbon mass balance):
the products (carbon/data/products.csv), the IPCC 2006 Vol. 3 Tier 1 defaults (factors/ipcc_2006_v3_process.csv),
FactorSet.process, and carbon.emissions.process_co2 / process_co2_factor / mass_balance_co2."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carbon
from carbon import factorfiles
from carbon.emissions import CO2_PER_C, mass_balance_co2, process_co2, process_co2_factor
from carbon.errors import (
    CarbonError,
    FactorFileError,
    FactorNotFoundError,
    IncompatibleUnitError,
    InputValueError,
    UnknownNameError,
)
from carbon.factorset import given_factor
from carbon.names import products, resolve_product

# -- the published values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("product", "value"),
    [
        # IPCC 2006 Vol.3 Ch.2 Eq. 2.4: 0.51 x 1.02 (65 % CaO clinker, cement kiln dust correction)
        ("clinker_portland", 0.52),
        # IPCC 2006 Vol.3 Ch.2 Table 2.4 / Eq. 2.8: lime of unknown type (high-calcium 0.75)
        ("lime", 0.75),
        # IPCC 2006 Vol.3 Ch.4 Table 4.10: prebake anode consumption (Soderberg 1.7 is not shipped)
        ("primary_aluminium", 1.6),
        # IPCC 2006 Vol.3 Ch.4 Table 4.5: ferroalloys and silicon metal, reductant carbon included
        ("ferrosilicon_45", 2.5),
        ("ferrosilicon_65", 3.6),
        ("ferrosilicon_75", 4.0),
        ("ferrosilicon_90", 4.8),
        ("silicomanganese", 1.4),
        ("ferromanganese_high_carbon", 1.3),
        ("ferromanganese_1c", 1.5),
        ("ferrochromium", 1.3),
        ("ferrochromium_sinter", 1.6),
        ("silicon_metal", 5.0),
        # IPCC 2006 Vol.3 Ch.3 Table 3.8: per t of calcium carbide produced
        ("calcium_carbide", 1.090),
    ],
)
def test_published_ipcc_tier1_defaults(product, value):
    factor = carbon.load_factors().process(product)
    assert (factor.value, factor.unit, factor.parameter, factor.carrier) == (value, "tCO2/t", "process_co2", product)
    assert factor.id == f"process.ipcc2006.{product}"
    assert factor.file == "ipcc_2006_v3_process.csv"
    assert factor.confidence == "secondary"
    assert factor.note  # the Chinese name and the caveat


def test_exactly_the_fourteen_defaults_are_shipped():
    table = factorfiles.library()
    process = table[table["kind"] == "process_co2"]
    assert len(process) == 14
    assert set(process["carrier"]) <= set(products()["id"])
    assert (process["parameter"] == "process_co2").all()
    for product in (
        "ammonia_coal",
        "ammonia_natural_gas",
        "methanol_coal",
        "crude_steel",
        "clinker_white",
        "clinker_sulfoaluminate",
        "clinker_aluminate",
        "ferronickel",
        "ferrosilicon",
        "ferromanganese",
        "other",
    ):
        assert product not in set(process["carrier"]), product


def test_reductant_caveat_is_in_the_notes():
    fs = carbon.load_factors()
    for product in ("silicon_metal", "ferrosilicon_75", "silicomanganese", "calcium_carbide"):
        assert "feedstock (原料), not fuel" in fs.process(product).note
    assert "工业硅" in fs.process("silicon_metal").note


def test_file_header_is_honest_about_what_was_read():
    sources = carbon.load_factors().sources
    header = sources[sources["file"] == "ipcc_2006_v3_process.csv"].iloc[0]
    assert header["kind"] == "process_co2"
    assert "aravindjk03/invty-ghg-portal" in header["read_from"]
    assert "mamhoff/datasets" in header["read_from"]
    assert "ClimateView/transition-element-framework" in header["read_from"]
    assert "PDFs were not read" in header["read_from"]
    for reason in ("ammonia", "methanol", "crude steel", "ferronickel", "unstated grade"):
        assert reason in header["notes"], reason


def test_process_defaults_do_not_depend_on_the_fuel_set():
    for name in ("gbt32151", "cn_set_b", "ipcc2006"):
        assert carbon.load_factors(name).process("工业硅").value == 5.0


# -- products ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "product"),
    [
        ("工业硅", "silicon_metal"),
        ("金属硅", "silicon_metal"),
        ("silicon metal", "silicon_metal"),
        ("电石", "calcium_carbide"),
        ("碳化钙", "calcium_carbide"),
        ("FeSi75", "ferrosilicon_75"),
        ("fesi 75", "ferrosilicon_75"),
        ("硅铁75", "ferrosilicon_75"),
        ("熟料", "clinker_portland"),
        ("电解铝", "primary_aluminium"),
        ("ferrosilicon_75", "ferrosilicon_75"),
    ],
)
def test_resolve_product_spellings(spelling, product):
    assert resolve_product(spelling) == product


def test_unknown_product_lists_the_choices():
    with pytest.raises(UnknownNameError) as info:
        resolve_product("chewing gum")
    assert info.value.kind == "product"
    assert "silicon_metal 工业硅" in info.value.valid
    assert "silicon_metal" in str(info.value)
    with pytest.raises(UnknownNameError):
        resolve_product(None)


def test_products_table_is_cached_and_has_unique_ids():
    table = products()
    assert products() is table
    assert list(table.columns) == ["id", "name_zh", "name_en", "group", "aliases"]
    assert table["id"].is_unique


# -- a product without a default -----------------------------------------------------------------------------


@pytest.mark.parametrize("product", ["煤制合成氨", "煤制甲醇", "粗钢", "白水泥熟料", "镍铁", "硅铁", "其他"])
def test_a_product_without_a_default_is_refused_in_both_languages(product):
    with pytest.raises(FactorNotFoundError) as info:
        carbon.load_factors().process(product)
    message = str(info.value)
    assert "附件4未给出缺省值" in message and "自有排放因子" in message and "质量平衡" in message
    assert "附件4 gives no default" in message and "own factor with evidence" in message and "mass balance" in message
    assert info.value.key == resolve_product(product)
    assert "silicon_metal" in info.value.available


def test_an_alloy_of_unstated_grade_names_the_grades():
    with pytest.raises(FactorNotFoundError, match="ferrosilicon_75"):
        carbon.load_factors().process("硅铁")


def test_process_co2_without_a_default_and_without_a_factor_is_refused():
    with pytest.raises(FactorNotFoundError):
        process_co2(100, "t", "煤制甲醇")
    # with the enterprise's own factor it is counted
    assert process_co2(100, "t", "煤制甲醇", factor=(0.5, "tCO2/t")) == pytest.approx(50.0)


# -- process_co2 and its factor ------------------------------------------------------------------------------


def test_one_wan_tonne_of_silicon_metal_is_fifty_thousand_tco2():
    # 1 万吨 = 10,000 t x 5.0 tCO2/t (IPCC 2006 Vol.3 Ch.4 Table 4.5)
    assert process_co2(1, "万吨", "工业硅") == pytest.approx(50_000.0)
    assert carbon.process_co2(1, "万吨", "工业硅") == pytest.approx(50_000.0)


@pytest.mark.parametrize(
    ("unit", "per_unit"),
    [("t", 5.0), ("吨", 5.0), ("万吨", 50_000.0), ("kg", 0.005), ("kt", 5_000.0)],
)
def test_process_co2_factor_per_unit(unit, per_unit):
    coefficient = process_co2_factor(unit, "silicon_metal")
    assert coefficient.value == pytest.approx(per_unit)
    assert coefficient.unit == f"tCO2/{unit}"
    assert coefficient.factor_ids == "process.ipcc2006.silicon_metal"
    assert not coefficient.measured


def test_process_co2_is_vectorised():
    output = pd.Series([1.0, 2.0, np.nan], index=["a", "b", "c"])
    result = process_co2(output, ["万吨", "t", "t"], ["工业硅", "电石", "FeSi75"])
    assert isinstance(result, pd.Series) and list(result.index) == ["a", "b", "c"]
    assert result["a"] == pytest.approx(50_000.0)
    assert result["b"] == pytest.approx(2.18)
    assert np.isnan(result["c"])
    array = process_co2(np.array([10.0, 20.0]), "t", "lime")
    assert isinstance(array, np.ndarray)
    np.testing.assert_allclose(array, [7.5, 15.0])
    assert isinstance(process_co2(10, "t", "lime"), float)


def test_own_factor_overrides_the_default():
    assert process_co2(1000, "t", "电石", factor=(1.05, "tCO2/t")) == pytest.approx(1050.0)
    assert process_co2(1000, "t", "电石", factor=(1050, "kgCO2/t")) == pytest.approx(1050.0)
    coefficient = process_co2_factor("万吨", "工业硅", factor=(4.2, "tCO2/t"))
    assert coefficient.value == pytest.approx(42_000.0)
    assert coefficient.measured and coefficient.method == "own factor"
    assert coefficient.factors[0].carrier == "silicon_metal"
    own = given_factor(4.2, "tCO2/t", "process_co2", carrier="silicon_metal", source="test report 2024-017")
    assert process_co2_factor("t", "工业硅", factor=own).factors == (own,)
    # an own factor makes a product without a default countable
    assert process_co2(10, "t", "ferronickel", factor=(2.0, "tCO2/t")) == pytest.approx(20.0)


@pytest.mark.parametrize("factor", [(0.5, "tCO2/MWh"), (0.5, "tCO2/GJ"), (0.5, "tC/t"), (50, "%")])
def test_own_factor_of_the_wrong_dimension_is_refused(factor):
    with pytest.raises(IncompatibleUnitError):
        process_co2(100, "t", "工业硅", factor=factor)


def test_a_library_factor_of_the_wrong_dimension_is_refused():
    electricity = carbon.load_factors().electricity("national", 2023)
    with pytest.raises(IncompatibleUnitError, match="tCO2/MWh"):
        process_co2_factor("t", "工业硅", factor=electricity)


@pytest.mark.parametrize("factor", [(-1.0, "tCO2/t"), (float("nan"), "tCO2/t"), (5.0,), "5 tCO2/t"])
def test_a_malformed_own_factor_is_refused(factor):
    with pytest.raises(InputValueError):
        process_co2(100, "t", "工业硅", factor=factor)


def test_one_own_factor_for_several_products_is_refused():
    with pytest.raises(InputValueError, match="one product"):
        process_co2([1, 2], "t", ["工业硅", "电石"], factor=(1.0, "tCO2/t"))
    # several spellings of one product are one product
    np.testing.assert_allclose(process_co2([1, 2], "t", ["工业硅", "金属硅"], factor=(1.0, "tCO2/t")), [1.0, 2.0])


@pytest.mark.parametrize("unit", ["MWh", "GJ", "万Nm3", "tCO2"])
def test_output_in_a_unit_that_is_not_a_mass_is_refused(unit):
    with pytest.raises(IncompatibleUnitError):
        process_co2(100, unit, "工业硅")


def test_unknown_product_in_process_co2():
    with pytest.raises(UnknownNameError):
        process_co2(100, "t", "chewing gum")


# -- mass balance --------------------------------------------------------------------------------------------


def test_mass_balance_arithmetic():
    # (100 - 40) tC x 44/12 = 220 tCO2 (910号 附件4 三（三）2 质量平衡法)
    assert mass_balance_co2(100, 40) == pytest.approx(220.0)
    assert carbon.mass_balance_co2(100, 40) == pytest.approx(220.0)
    assert mass_balance_co2(100, 40, "tC") == pytest.approx(220.0)
    assert mass_balance_co2(100, 40, "吨") == pytest.approx(220.0)
    assert mass_balance_co2(100_000, 40_000, "kg") == pytest.approx(220.0)
    assert mass_balance_co2(1, 0.4, "万吨") == pytest.approx(22_000.0)
    assert mass_balance_co2(5, 5) == 0.0
    assert mass_balance_co2(12, 0) == pytest.approx(12 * CO2_PER_C)


def test_mass_balance_is_vectorised():
    result = mass_balance_co2(pd.Series([100.0, 12.0], index=[3, 4]), np.array([40.0, 0.0]))
    assert isinstance(result, pd.Series) and list(result.index) == [3, 4]
    np.testing.assert_allclose(result, [220.0, 44.0])
    np.testing.assert_allclose(mass_balance_co2([100.0, 52.0], 40.0), [220.0, 44.0])


def test_mass_balance_refuses_more_carbon_out_than_in():
    with pytest.raises(InputValueError) as info:
        mass_balance_co2([100, 40], [40, 100])
    assert isinstance(info.value, CarbonError)
    assert info.value.positions == (1,)
    assert "输出碳量大于输入碳量" in str(info.value) and "carbon out exceeds carbon in" in str(info.value)


@pytest.mark.parametrize(
    ("carbon_in", "carbon_out", "argument"),
    [(-1, 0, "carbon_in"), (10, -1, "carbon_out"), (float("nan"), 0, "carbon_in"), (10, float("nan"), "carbon_out")],
)
def test_mass_balance_refuses_negative_and_missing_values(carbon_in, carbon_out, argument):
    with pytest.raises(InputValueError) as info:
        mass_balance_co2(carbon_in, carbon_out)
    assert info.value.argument == argument
    assert "须为非负有限数值" in str(info.value) and "finite number >= 0" in str(info.value)


def test_mass_balance_refuses_a_unit_that_is_not_a_mass():
    with pytest.raises(IncompatibleUnitError):
        mass_balance_co2(100, 40, "GJ")


def test_mass_balance_refuses_text():
    with pytest.raises(InputValueError):
        mass_balance_co2("100", 40)


# -- the factor-file format ----------------------------------------------------------------------------------

PROCESS_HEADER = """# document: d
# number: n
# table: t
# year: 2006
# kind: process_co2
# read_from: r
"""
COLUMNS = "id,parameter,carrier,region,data_year,value,unit,source,confidence,note\n"


def test_a_valid_process_file_parses():
    header, rows = factorfiles._parse_file(
        "p.csv", PROCESS_HEADER + COLUMNS + "p.1,process_co2,silicon_metal,,,5.0,tCO2/t,s,secondary,工业硅\n"
    )
    assert header.kind == "process_co2"
    assert rows[0].carrier == "silicon_metal"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # a carrier id is not a product id
        (
            "p.1,process_co2,raw_coal,,,5.0,tCO2/t,s,secondary,\n",
            r"line 8 \(p.1\): carrier 'raw_coal' is not a product id",
        ),
        # a spelling is not the canonical id
        (
            "p.1,process_co2,工业硅,,,5.0,tCO2/t,s,secondary,\n",
            r"line 8 \(p.1\): carrier '工业硅'.*use 'silicon_metal'",
        ),
        ("p.1,process_co2,,,,5.0,tCO2/t,s,secondary,\n", r"line 8 \(p.1\): carrier: a process_co2 row must name"),
        ("p.1,co2_default,silicon_metal,,,5.0,tCO2/t,s,secondary,\n", r"line 8 \(p.1\): parameter 'co2_default'"),
        ("p.1,process_co2,silicon_metal,,,5.0,tCO2/MWh,s,secondary,\n", r"line 8 \(p.1\): unit 'tCO2/MWh'"),
    ],
)
def test_a_broken_process_row_is_located(body, message):
    with pytest.raises(FactorFileError, match=message) as info:
        factorfiles._parse_file("p.csv", PROCESS_HEADER + COLUMNS + body)
    assert info.value.file == "p.csv"


def test_a_product_id_is_not_a_carrier_in_other_kinds():
    header = PROCESS_HEADER.replace("process_co2", "heat_co2")
    with pytest.raises(FactorFileError, match="not a canonical carrier id"):
        factorfiles._parse_file(
            "x.csv", header + COLUMNS + "h.1,co2_default,silicon_metal,,,0.1,tCO2/GJ,s,secondary,\n"
        )
