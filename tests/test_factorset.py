"""carbon/factorset.py and factors/: the library loads from the installed package, holds the published
values, and looks them up with a recorded fallback."""

from __future__ import annotations

import importlib.resources

import pandas as pd
import pytest

import carbon
from carbon import factorfiles, factorset
from carbon.errors import FactorFileError, FactorNotFoundError, UnknownNameError
from carbon.units import parse_unit


def test_every_factor_file_in_the_source_folder_is_in_the_installed_package(repo):
    installed = set(factorset.factor_files())
    source = {p.name for p in (repo / "factors").glob("*.csv")}
    assert installed == source
    assert len(installed) >= 15
    # the README that documents the format ships too
    assert (importlib.resources.files("carbon.factors") / "README.md").is_file()


def test_every_factor_file_loads_and_validates():
    table = factorset.library()
    assert set(table["file"]) == set(factorset.factor_files())
    assert table["id"].is_unique
    assert set(table["confidence"]) <= {"primary", "secondary", "unconfirmed"}
    assert table["value"].notna().all()
    for unit in table["unit"].unique():
        parse_unit(unit)
    assert (table["source"].str.len() > 0).all()


def test_every_file_header_names_document_number_table_and_year():
    sources = carbon.load_factors().sources
    for column in ("document", "number", "table", "year", "kind", "read_from"):
        assert sources[column].str.len().gt(0).all(), column


def test_load_factors_from_outside_the_source_tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert carbon.load_factors().name == "gbt32151"


def test_load_factors_is_cached_and_immutable():
    first = carbon.load_factors()
    assert carbon.load_factors() is first
    table = first.table
    table.loc[:, "value"] = 0.0
    assert (first.table["value"] != 0.0).any()


@pytest.mark.parametrize(
    ("year", "national", "residual", "fossil", "notice"),
    [
        # 生态环境部 国家统计局 公告2024年第12号, 附件1 表1/表4/表5 (data year 2021)
        (2021, 0.5568, 0.5942, 0.8426, "公告2024年第12号"),
        # 公告2024年第33号 (data year 2022)
        (2022, 0.5366, 0.5856, 0.8325, "公告2024年第33号"),
        # 公告2025年第47号 (data year 2023)
        (2023, 0.5306, 0.6096, 0.8273, "公告2025年第47号"),
    ],
)
def test_national_electricity_factors(year, national, residual, fossil, notice):
    factors = carbon.load_factors()
    average = factors.electricity("全国", year)
    assert average.value == national
    assert average.unit == "tCO2/MWh"
    assert notice in average.source
    assert factors.electricity("national", year, method="market").value == residual
    assert factors.get(f"elec.{year}.national.fossil").value == fossil


@pytest.mark.parametrize(
    ("region", "year", "value"),
    [
        # 公告2025年第47号 附件1 表3 (provincial, data year 2023)
        ("青海", 2023, 0.1796),
        ("青海省", 2023, 0.1796),
        ("四川", 2023, 0.1564),
        ("广东", 2023, 0.4419),
        ("云南", 2023, 0.1333),
        # 公告2024年第33号 附件1 表3 (data year 2022)
        ("Qinghai", 2022, 0.1567),
        ("内蒙古自治区", 2022, 0.6849),
        # 公告2024年第12号 附件1 表3 (data year 2021)
        ("qinghai", 2021, 0.1326),
        ("陕西", 2021, 0.6336),
        ("山西", 2021, 0.7222),
        # 表2 regional averages
        ("西北", 2023, 0.5543),
        ("西南电网", 2022, 0.2268),
        ("华北", 2021, 0.7120),
    ],
)
def test_regional_and_provincial_electricity_factors(region, year, value):
    assert carbon.load_factors().electricity(region, year).value == value


def test_each_notice_has_40_rows_1_7_30_1_1():
    table = factorset.library()
    for year in (2021, 2022, 2023):
        rows = table[table["file"] == f"mee_nbs_electricity_{year}.csv"]
        assert len(rows) == 40
        assert (rows["parameter"] == "co2_average").sum() == 1 + 7 + 30


def test_ets_national_factors_and_their_years():
    # 0.6101: "2015年全国电网平均排放因子" (MEE tables 2019); 0.5810: 2022 reporting notice (2021-2022 data);
    # 0.5703: 2023 power-sector notice (2022 data on).
    table = factorset.library().set_index("id")
    assert table.loc["ets.grid.0.6101", "value"] == 0.6101
    assert (table.loc["ets.grid.0.6101", "applies_from"], table.loc["ets.grid.0.6101", "applies_to"]) == (2019, 2020)
    assert table.loc["ets.grid.0.5810", "value"] == 0.5810
    assert (table.loc["ets.grid.0.5810", "applies_from"], table.loc["ets.grid.0.5810", "applies_to"]) == (2021, 2022)
    assert table.loc["ets.grid.0.5703", "value"] == 0.5703
    assert "unconfirmed" in table.loc["ets.grid.0.5810", "number"]


def test_purchased_heat_default():
    # MEE 补充数据表 2019/2023: "若数据不可得，采用0.11tCO2/GJ"
    heat = carbon.load_factors().heat()
    assert (heat.value, heat.unit) == (0.11, "tCO2/GJ")


@pytest.mark.parametrize(
    ("carrier", "value", "unit"),
    [
        # GB/T 2589-2020 附录A
        ("原煤", 0.7143, "kgce/kg"),
        ("洗精煤", 0.9000, "kgce/kg"),
        ("焦炭", 0.9714, "kgce/kg"),
        ("原油", 1.4286, "kgce/kg"),
        ("汽油", 1.4714, "kgce/kg"),
        ("柴油", 1.4571, "kgce/kg"),
        ("液化石油气", 1.7143, "kgce/kg"),
        ("天然气", 1.3300, "kgce/m3"),
        ("电力", 0.1229, "kgce/kWh"),
        ("热力", 0.03412, "kgce/MJ"),
    ],
)
def test_standard_coal_coefficients(carrier, value, unit):
    factor = carbon.load_factors().standard_coal(carrier)
    assert (factor.value, factor.unit) == (value, unit)
    assert factor.number == "GB/T 2589-2020"


def test_electricity_equal_value_is_per_year_with_fallback():
    factors = carbon.load_factors()
    # CEC: 302.4 gce/kWh national thermal supply coal consumption, 2024
    exact = factors.standard_coal("电力", electricity="equal-value", year=2024)
    assert exact.value == 0.3024
    assert not exact.fallback
    later = factors.standard_coal("electricity", electricity="等价值", year=2026)
    assert later.value == 0.3024
    assert later.fallback and later.requested_year == 2026 and later.data_year == 2024
    # earlier years are in cec_ndrc_supply_coal_consumption_2015_2022.csv (tests/test_equal_value_series.py); a
    # year before the first (2015) takes 2015, flagged (tests/test_factors_years.py)
    before = factors.standard_coal("电力", electricity="equal-value", year=2014)
    assert (before.data_year, before.requested_year, before.before_first) == (2015, 2014, True)
    with pytest.raises(FactorNotFoundError, match="pass year="):
        factors.standard_coal("电力", electricity="equal-value")


@pytest.mark.parametrize(
    ("fuel", "ncv", "cc", "of"),
    [
        # GB/T 32151.22-2024 / GB/T 32151.10-2023 表C.1
        ("天然气", 389.31, 15.3, 99),
        ("无烟煤", 26.7, 27.4, 94),
        ("烟煤", 19.570, 26.1, 93),
        ("柴油", 42.652, 20.2, 98),
        ("液化天然气", 51.498, 15.3, 98),
    ],
)
def test_default_fuel_set_a(fuel, ncv, cc, of):
    params = carbon.load_factors().fuel(fuel)
    assert (params.ncv.value, params.carbon_content.value, params.oxidation_rate.value) == (ncv, cc, of)
    assert params.carbon_content.unit == "tC/TJ"


def test_unconfirmed_values_are_marked():
    table = factorset.library().set_index("id")
    assert table.loc["fuel.gbt32151.crude_oil.ncv", "confidence"] == "unconfirmed"
    assert (table[table["set"] == "cn_set_b"]["confidence"] == "unconfirmed").all()
    assert table.loc["gwp.AR6.CH4_non_fossil", "confidence"] == "unconfirmed"
    assert table.loc["gbt2589.coke_oven_gas", "confidence"] == "unconfirmed"


def test_fuel_sets_are_never_mixed():
    set_b = carbon.load_factors("cn_set_b")
    # set B: 烟煤 NCV 23.204 GJ/t, where set A prints 19.570
    assert set_b.fuel("烟煤").ncv.value == 23.204
    assert set(set_b.table.loc[set_b.table["kind"] == "fuel", "set"]) == {"cn_set_b"}
    ipcc = carbon.load_factors("ipcc2006")
    assert ipcc.fuel("natural gas").ncv.unit == "TJ/Gg"
    with pytest.raises(UnknownNameError, match=r"only in set\(s\) \['gbt32151'\]"):
        ipcc.fuel("液化天然气")


def test_ipcc_co2_factors_match_carbon_content_times_44_over_12():
    # IPCC 2006 Vol.2 Ch.1: Table 1.4 EF = Table 1.3 CC x 44/12 (oxidation 1), printed to 3 significant digits
    table = carbon.load_factors("ipcc2006").table
    fuel = table[table["kind"] == "fuel"].pivot(index="carrier", columns="parameter", values="value")
    derived = fuel["carbon_content"] * 44 / 12 * 1000
    relative = (derived - fuel["co2_ef_table"]).abs() / fuel["co2_ef_table"]
    assert (relative < 0.005).all(), relative[relative >= 0.005]
    assert (fuel["oxidation_rate"] == 100).all()


@pytest.mark.parametrize(
    ("edition", "ch4", "n2o"),
    [
        ("AR4", 25, 298),  # IPCC AR4 WGI Table 2.14
        ("AR5", 28, 265),  # IPCC AR5 WGI Table 8.7, without climate-carbon feedbacks
        ("AR6", 27.9, 273),  # IPCC AR6 WGI Table 7.15
    ],
)
def test_gwp100(edition, ch4, n2o):
    factors = carbon.load_factors()
    assert factors.gwp("CH4", edition).value == ch4
    assert factors.gwp("N2O", edition).value == n2o


def test_gwp_errors_list_the_valid_choices():
    factors = carbon.load_factors()
    with pytest.raises(UnknownNameError, match="AR4, AR5, AR6"):
        factors.gwp("CH4", "SAR")
    with pytest.raises(UnknownNameError, match="valid: .*N2O"):
        factors.gwp("SF6")


def test_fallback_to_the_latest_earlier_data_year_is_recorded():
    factor = carbon.load_factors().electricity("青海", 2025)
    assert factor.value == 0.1796
    assert factor.data_year == 2023 and factor.requested_year == 2025
    assert factor.fallback
    assert "data year 2023 used for 2025" in factor.describe()
    assert not carbon.load_factors().electricity("青海", 2023).fallback


def test_a_year_before_the_first_published_takes_the_earliest_and_says_so():
    # the MEE/NBS series starts at data year 2021: 2020 takes 2021, flagged (tests/test_factors_years.py)
    factor = carbon.load_factors().electricity("青海", 2020)
    assert (factor.id, factor.data_year, factor.requested_year) == ("elec.2021.Qinghai", 2021, 2020)
    assert factor.fallback and factor.before_first
    assert "data year 2021 used for 2020 (before the first published year)" in factor.describe()


def test_year_must_be_an_integer():
    with pytest.raises(FactorNotFoundError, match="must be an integer"):
        carbon.load_factors().electricity("青海", "2023")


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(UnknownNameError, match="valid: gbt32151, cn_set_b|valid: cn_set_b, gbt32151, ipcc2006") as info:
        carbon.load_factors("set_z")
    assert isinstance(info.value, KeyError)
    assert info.value.valid == ("cn_set_b", "gbt32151", "ipcc2006")
    with pytest.raises(UnknownNameError, match="Qinghai 青海"):
        carbon.load_factors().electricity("青海湖", 2023)
    with pytest.raises(UnknownNameError, match="raw_coal 原煤"):
        carbon.load_factors().standard_coal("泥煤")
    with pytest.raises(UnknownNameError, match="location, market"):
        carbon.load_factors().electricity("青海", 2023, method="hourly")
    with pytest.raises(UnknownNameError, match="carbon factors") as info:
        carbon.load_factors().get("elec.2099.Qinghai")
    assert "elec.2023.Qinghai" in info.value.valid


def test_raw_coal_has_no_fuel_default_and_says_what_to_do():
    with pytest.raises(UnknownNameError, match="name the coal type"):
        carbon.load_factors().fuel("原煤")


def test_regions_without_a_published_factor():
    with pytest.raises(FactorNotFoundError, match="no electricity factor is published for Xizang"):
        carbon.load_factors().electricity("西藏", 2023)


def test_a_carrier_without_a_coefficient_says_what_to_give():
    with pytest.raises(FactorNotFoundError, match="energy unit"):
        carbon.load_factors().standard_coal("无烟煤")


def test_factor_lookup_returns_value_unit_and_id():
    factor = carbon.load_factors().electricity("青海", 2023)
    assert (factor.id, factor.value, factor.unit) == ("elec.2023.Qinghai", 0.1796, "tCO2/MWh")
    assert factor.document.startswith("《2023年电力二氧化碳排放因子》")
    assert factor.file == "mee_nbs_electricity_2023.csv"


# -- the file format: broken files give located errors ----------------------------------------------------

GOOD_HEADER = """# document: d
# number: n
# table: t
# year: 2024
# kind: heat_co2
# read_from: r
"""
COLUMNS = "id,parameter,carrier,region,data_year,value,unit,source,confidence,note\n"


def test_a_valid_file_parses():
    header, rows = factorfiles._parse_file(
        "x.csv", GOOD_HEADER + COLUMNS + "h.1,co2_default,heat,national,,0.11,tCO2/GJ,s,secondary,\n"
    )
    assert header.kind == "heat_co2"
    assert rows[0].value == 0.11


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("h.1,co2_default,heat,national,,0.11,tCO2/GJ,s,likely,\n", r"line 8 \(h.1\): confidence"),
        ("h.1,co2_default,heat,national,,0.11,xyzzy,s,secondary,\n", r"line 8 \(h.1\).*unknown unit"),
        ("h.1,co2_default,heat,national,,abc,tCO2/GJ,s,secondary,\n", r"line 8 \(h.1\): value"),
        ("h.1,co2_default,heat,national,,inf,tCO2/GJ,s,secondary,\n", r"line 8 \(h.1\): value"),
        ("h.1,co2_default,heat,青海,,0.11,tCO2/GJ,s,secondary,\n", r"not a canonical id"),
        ("h.1,co2_default,原煤,national,,0.11,tCO2/GJ,s,secondary,\n", r"carrier '原煤' is not a canonical carrier id"),
        ("h 1,co2_default,heat,national,,0.11,tCO2/GJ,s,secondary,\n", r"line 8 .*id"),
        ("h.1,co2_default,heat,national,,0.11,tCO2/GJ,,secondary,\n", r"line 8 \(h.1\): source"),
    ],
)
def test_broken_rows_are_located(body, message):
    with pytest.raises(FactorFileError, match=message) as info:
        factorfiles._parse_file("x.csv", GOOD_HEADER + COLUMNS + body)
    assert info.value.file == "x.csv"
    assert isinstance(info.value, ValueError)


def test_a_header_without_a_document_is_refused():
    with pytest.raises(FactorFileError, match="header document"):
        factorfiles._parse_file("x.csv", GOOD_HEADER.replace("# document: d\n", "") + COLUMNS)


def test_unexpected_columns_are_refused():
    with pytest.raises(FactorFileError, match="unexpected \\['colour'\\]"):
        factorfiles._parse_file("x.csv", GOOD_HEADER + COLUMNS.strip() + ",colour\n")


def test_iterating_a_factor_set_gives_factors():
    factors = list(carbon.load_factors())
    assert len(factors) == len(carbon.load_factors())
    assert all(isinstance(f, carbon.Factor) for f in factors)
    assert isinstance(carbon.load_factors().table, pd.DataFrame)


@pytest.mark.parametrize(
    ("tce", "value"),
    [
        # 发改环资〔2025〕910号 附件3: 20万-100万 tce <= 0.2; >= 100万 tce <= 0.3
        (500_000, 0.2),
        (200_000, 0.2),
        (999_999, 0.2),
        (1_000_000, 0.3),
        (5_000_000, 0.3),
        (50_000, 0.2),  # below the lowest band: reported against 0.2
    ],
)
def test_core_indicator_threshold_bands(tce, value):
    assert carbon.load_factors().threshold("carbon_per_energy", tce).value == value


def test_guidance_thresholds():
    factors = carbon.load_factors()
    # 发改环资〔2025〕910号 附件3 guidance indicators
    assert factors.threshold("clean_energy_share").value == 90
    assert factors.threshold("solid_waste_utilization").value == 80
    assert factors.threshold("waste_heat_utilization").value == 50
    assert factors.threshold("water_reuse").value == 80
    with pytest.raises(UnknownNameError, match="clean_energy_share"):
        factors.threshold("happiness")


@pytest.mark.parametrize(
    ("carrier", "capacity", "value"),
    [
        # GB 24500-2020 grade 3 (限定值): layer-combustion coal <= 20 t/h 80 %, > 20 t/h 81 %; gas 92 %; electric 97 %
        ("原煤", 10, 80),
        ("烟煤", 20, 80),
        ("烟煤", 35, 81),
        ("天然气", 4, 92),
        ("电力", 2, 97),
        ("生物质", 8, 80),
        ("生物质", 15, 86),
        ("柴油", 2, 90),
    ],
)
def test_boiler_efficiency_defaults(carrier, capacity, value):
    assert carbon.load_factors().boiler_efficiency(carrier, capacity).value == value


def test_non_co2_factors():
    # IPCC 2006 Vol.2 Ch.2 Table 2.3: coal 10 / 1.5 kg/TJ, natural gas 1 / 0.1 (N2O unconfirmed)
    ch4, n2o = carbon.load_factors().non_co2("烟煤")
    assert (ch4.value, n2o.value) == (10, 1.5)
    ch4, n2o = carbon.load_factors().non_co2("天然气")
    assert (ch4.value, n2o.value, n2o.confidence) == (1, 0.1, "unconfirmed")
    # 原煤 and 洗精煤 are not IPCC fuel types: they take the value Table 2.3 gives to every coal type
    ch4, n2o = carbon.load_factors().non_co2("原煤")
    assert (ch4.value, n2o.value) == (10, 1.5) and "every coal type" in ch4.note
    assert carbon.load_factors().non_co2("洗精煤")[1].value == 1.5
    with pytest.raises(UnknownNameError, match="IPCC 2006 CH4/N2O"):
        carbon.load_factors().non_co2("生物质")


def test_python_started_in_the_source_checkout_reads_the_same_files():
    # the README's first commands leave staff inside the project folder, where the source carbon/ shadows the
    # installed package and carbon.factors / carbon.seeds do not exist: the top-level folders stand in
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = (
        "import carbon; print(carbon.__file__); "
        "a = carbon.read_workbook(carbon.sample_workbook_path()).account(); print(len(carbon.load_factors()), a.year)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[-1] == f"{len(carbon.load_factors())} 2023"


@pytest.mark.parametrize(
    ("parameter", "value", "unit"),
    [
        # 发改环资〔2025〕910号 附件4 二（二）3①: 全国化石能源电力排放因子（0.8325kgCO2/kWh）
        ("co2_grid", 0.8325, "kgCO2/kWh"),
        # 附件4 二（二）3①: 电力直供的非化石能源电力、绿证绿电交易获取的可再生能源电力，电力排放因子计为0
        ("co2_green", 0.0, "kgCO2/kWh"),
        # 附件4 二（二）3②: 热力碳排放因子缺省值（0.11 tCO2/GJ）; 非化石能源热力计为0
        ("co2_heat_fossil", 0.11, "tCO2/GJ"),
        ("co2_heat_non_fossil", 0.0, "tCO2/GJ"),
        # 附件4 二（二）2: 排放因子中的碳氧化率取值为100%
        ("oxidation_rate_conversion", 100.0, "%"),
        # 附件4 二（二）3①: 原则上直接供应比例不低于50%
        ("direct_supply_share", 50.0, "%"),
    ],
)
def test_park_method_constants_of_annex_4(parameter, value, unit):
    factor = carbon.load_factors().park_method(parameter)
    assert (factor.value, factor.unit, factor.number) == (value, unit, "发改环资〔2025〕910号")
    assert factor.file == "ndrc_zero_carbon_park_2025_annex4.csv"


def test_the_annex_4_grid_factor_is_the_2022_national_fossil_factor():
    # 附件4 writes the MEE/NBS national fossil-power factor of data year 2022 (公告2024年第33号) as a number
    fs = carbon.load_factors()
    fossil = fs.table.set_index("id").loc["elec.2022.national.fossil"]
    assert fs.park_method("co2_grid").value == fossil["value"] == 0.8325
    with pytest.raises(carbon.UnknownNameError, match="910号 附件4"):
        fs.park_method("co2_outer_space")
