"""Electricity 等价值 (primary-energy equivalent) per data year: factors/cec_ndrc_supply_coal_consumption_2015_2022.csv.

Every value is pinned with the source it was read from. None was read in an official PDF: 2020 and 2022 come from
reprints of the official text (secondary); 2015 and 2021 are derived from a published difference and are
unconfirmed. 2023 is left out: its only source gives a change whose unit is not stated (two readings), so data
year 2023 falls back to 2022, flagged.
"""

from __future__ import annotations

import pytest

import carbon

SERIES = {
    # NDRC/NEA 《全国煤电机组改造升级实施方案》 (2021): 2020 = 305.5 gce/kWh, 9.9 below 2015 -> 315.4 (unconfirmed)
    2015: (0.3154, "unconfirmed"),
    # NDRC/NEA 《全国煤电机组改造升级实施方案》 (2021): 2020年全国煤电机组平均供电煤耗305.5克标准煤/千瓦时
    2020: (0.3055, "secondary"),
    # CEC 《中国电力行业年度发展报告2023》: 2022 = 300.7, 比上年降低1.0克/千瓦时 -> 2021 = 301.7 (unconfirmed)
    2021: (0.3017, "unconfirmed"),
    # CEC 《中国电力行业年度发展报告2023》: 全国6000千瓦及以上火电厂供电标准煤耗300.7克/千瓦时
    2022: (0.3007, "secondary"),
}
FILE = "cec_ndrc_supply_coal_consumption_2015_2022.csv"


@pytest.mark.parametrize(("year", "value", "confidence"), [(y, v, c) for y, (v, c) in SERIES.items()])
def test_each_published_year_is_used_without_fallback(year, value, confidence):
    factor = carbon.load_factors().standard_coal("electricity", electricity="equal-value", year=year)
    assert factor.value == value
    assert factor.unit == "kgce/kWh"
    assert factor.id == f"equal_value.electricity.{year}"
    assert factor.data_year == year
    assert not factor.fallback
    assert factor.confidence == confidence
    assert factor.file == FILE


def test_the_series_and_the_2024_edition_do_not_overlap():
    table = carbon.load_factors().table
    rows = table[table["parameter"] == "tce_equal_value"]
    assert sorted(rows.loc[rows["file"] == FILE, "data_year"].astype(int)) == sorted(SERIES)
    assert not rows["data_year"].duplicated().any()
    assert rows.set_index("data_year").loc[2024, "file"] == "cec_electricity_equal_value.csv"


def test_years_without_a_published_value_fall_back_to_the_latest_earlier_one():
    # 2016-2019 were not found: the 2015 value stands in, and says so
    factor = carbon.load_factors().standard_coal("电力", electricity="等价值", year=2018)
    assert (factor.value, factor.data_year, factor.requested_year) == (0.3154, 2015, 2018)
    assert factor.fallback


def test_a_year_before_the_first_takes_the_first_flagged():
    factor = carbon.load_factors().standard_coal("electricity", electricity="equal-value", year=2014)
    assert (factor.value, factor.data_year, factor.requested_year) == (0.3154, 2015, 2014)
    assert factor.fallback and factor.before_first


def test_to_tce_uses_the_year_value():
    # 1000 kWh x 0.3007 kgce/kWh = 300.7 kgce = 0.3007 tce (CEC, data year 2022)
    assert carbon.to_tce(1000, "kWh", "电力", electricity="equal-value", year=2022) == pytest.approx(0.3007)


def test_2023_is_not_guessed_between_two_readings():
    # the only 2023 source is ambiguous (301.9 or 300.9 gce/kWh): 2022 stands in, flagged as a fallback
    factor = carbon.load_factors().standard_coal("electricity", electricity="equal-value", year=2023)
    assert (factor.data_year, factor.requested_year, factor.fallback) == (2022, 2023, True)
