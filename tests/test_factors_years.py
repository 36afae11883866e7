"""Factors for every year a ledger may hold (2015-2025): the series of data years, the stand-ins for years that are
not published and the wording that flags them (factors/README.md, "Years before the first publication").

Electricity CO2 (MEE/NBS 《电力二氧化碳排放因子》) is published from data year 2021; electricity 等价值 from 2015
with gaps. A year after the last published one takes the latest earlier year; a year before the first takes the
earliest later year of the same series, never an earlier factor of another publisher or method, so a park's
trend from 2020 does not jump where the method changes. Either stand-in is flagged on the Factor, in the warning
and in the account's notes.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import carbon
from carbon.errors import FactorNotFoundError, UnknownNameError
from carbon.factorset import warn_fallback

YEARS = range(2015, 2026)


@pytest.fixture(scope="module")
def factors():
    return carbon.load_factors()


# -- new published values, each with where it was read --------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "value", "confidence"),
    [
        # 《2011年和2012年中国区域电网平均二氧化碳排放因子》 (NDRC 应对气候变化司 / 国家气候战略中心), 2012 column,
        # read in one public code transcription; 华东 also in a verification report of 2020 emissions that used it
        ("north", 0.8843, "unconfirmed"),
        ("northeast", 0.7769, "unconfirmed"),
        ("east", 0.7035, "secondary"),
        ("central", 0.5257, "unconfirmed"),
        ("northwest", 0.6671, "unconfirmed"),
        ("south", 0.5271, "unconfirmed"),
    ],
)
def test_ndrc_2012_regional_averages_are_in_the_library(factors, region, value, confidence):
    factor = factors.get(f"ndrc.grid.2012.{region}")
    assert (factor.value, factor.unit, factor.data_year, factor.confidence) == (value, "tCO2/MWh", 2012, confidence)
    assert factor.parameter == "co2_average_ndrc"
    assert factor.file == "ndrc_regional_grid_2012.csv"


def test_ndrc_factors_never_stand_in_for_the_mee_nbs_series(factors):
    # a region with an NDRC 2012 factor still takes the MEE/NBS 2021 factor for 2012-2020 (one method per trend)
    for year in (2012, 2015, 2020):
        factor = factors.electricity("华东", year)
        assert (factor.id, factor.parameter) == ("elec.2021.east", "co2_average")
    ids = set(factors.table.loc[factors.table["parameter"] == "co2_average", "id"])
    assert not any(i.startswith("ndrc.") for i in ids)


def test_the_2015_national_ets_factor_stays_apart(factors):
    # 0.6101 "2015年全国电网平均排放因子" (MEE 补充数据表 2019) is the ETS factor, not a data year of the MEE/NBS series
    assert factors.get("ets.grid.0.6101").parameter == "co2_ets_national"
    assert factors.electricity("national", 2015).id == "elec.2021.national"


# -- the stand-in for a year before the first publication -------------------------------------------------------


@pytest.mark.parametrize("year", [2015, 2016, 2019, 2020])
def test_a_year_before_2021_takes_2021_flagged(factors, year):
    factor = factors.electricity("青海", year)
    # 公告2024年第12号 附件1 表3: 青海 2021 = 0.1326
    assert (factor.id, factor.value, factor.data_year, factor.requested_year) == (
        "elec.2021.Qinghai",
        0.1326,
        2021,
        year,
    )
    assert factor.fallback and factor.before_first
    assert "before the first published data year 2021" in factor.note
    assert "Years before the first publication" in factor.note
    assert factor.note.startswith("省级电力平均二氧化碳排放因子")  # the file's note is kept, the rule appended


def test_the_market_factor_before_2021_is_the_2021_residual(factors):
    # 公告2024年第12号 附件1 表4: 0.5942
    factor = factors.electricity("青海", 2020, method="market")
    assert (factor.id, factor.value, factor.data_year, factor.requested_year) == (
        "elec.2021.national.residual",
        0.5942,
        2021,
        2020,
    )
    assert factor.before_first


def test_the_equal_value_before_2015_takes_2015(factors):
    factor = factors.standard_coal("电力", electricity="等价值", year=2014)
    assert (factor.id, factor.data_year, factor.requested_year) == ("equal_value.electricity.2015", 2015, 2014)
    assert factor.fallback and factor.before_first


def test_a_published_year_is_not_a_fallback(factors):
    factor = factors.electricity("青海", 2021)
    assert not factor.fallback and not factor.before_first and factor.fallback_text == ""
    assert factor.note == factors.get("elec.2021.Qinghai").note


def test_a_later_year_still_takes_the_latest_earlier(factors):
    factor = factors.electricity("青海", 2025)
    assert (factor.data_year, factor.requested_year, factor.fallback, factor.before_first) == (2023, 2025, True, False)
    assert factor.note == factors.get("elec.2023.Qinghai").note


# -- wording: the Factor, the warning and the account's note -----------------------------------------------------


def test_the_wording_of_each_stand_in(factors):
    before = factors.electricity("青海", 2020)
    assert before.fallback_text == (
        "数据年份 2021 代替 2020（早于首个发布年份） / data year 2021 used for 2020 (before the first published year)"
    )
    assert before.describe().endswith("; data year 2021 used for 2020 (before the first published year)")
    after = factors.electricity("青海", 2025)
    assert after.fallback_text == (
        "数据年份 2023 代替 2025（沿用此前最近的发布年份） / data year 2023 used for 2025 "
        "(latest published at or before it)"
    )
    for factor in (before, after):  # one ' / ' and no '; ': the form of every note of the account
        zh, separator, en = factor.fallback_text.partition(" / ")
        assert separator and " / " not in en and "; " not in factor.fallback_text


def test_the_warning_says_which_stand_in(factors):
    with pytest.warns(carbon.FactorFallbackWarning, match=r"data year 2021 used for 2020 \(before the first"):
        warn_fallback(factors.electricity("青海", 2020))
    with pytest.warns(carbon.FactorFallbackWarning, match=r"data year 2023 used for 2025 \(latest published"):
        warn_fallback(factors.electricity("青海", 2025))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_fallback(factors.electricity("青海", 2023))  # no stand-in, no warning


def test_the_function_layer_warns_before_the_first_year():
    with pytest.warns(carbon.FactorFallbackWarning, match="data year 2021 used for 2020"):
        assert carbon.electricity_co2(1000, "MWh", region="青海", year=2020) == pytest.approx(132.6)
    with pytest.warns(carbon.FactorFallbackWarning, match="data year 2015 used for 2014"):
        # 1000 kWh x 0.3154 kgce/kWh (data year 2015) = 0.3154 tce
        assert carbon.to_tce(1000, "kWh", "电力", electricity="equal-value", year=2014) == pytest.approx(0.3154)


# -- every year a ledger may hold resolves ------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["青海", "national"])
@pytest.mark.parametrize("method", ["location", "market"])
def test_electricity_resolves_for_2015_to_2025(factors, region, method):
    published = {2021, 2022, 2023}
    for year in YEARS:
        factor = factors.electricity(region, year, method)
        expected = min(max(year, 2021), 2023)
        assert (factor.data_year, factor.requested_year) == (expected, year)
        assert factor.fallback == (year not in published)
        assert factor.before_first == (year < 2021)
        assert factor.unit == "tCO2/MWh"


def test_equal_value_resolves_for_2015_to_2025(factors):
    published = {2015, 2020, 2021, 2022, 2024}
    for year in YEARS:
        factor = factors.standard_coal("electricity", electricity="equal-value", year=year)
        assert factor.data_year == max(y for y in published if y <= year)
        assert factor.fallback == (year not in published)
        assert not factor.before_first
        assert factor.unit == "kgce/kWh"


# -- errors that stay errors --------------------------------------------------------------------------------------


def test_unknown_things_still_raise(factors):
    with pytest.raises(UnknownNameError, match="Qinghai 青海"):
        factors.electricity("青海湖", 2020)
    with pytest.raises(UnknownNameError, match="location, market"):
        factors.electricity("青海", 2020, method="hourly")
    with pytest.raises(FactorNotFoundError, match="no electricity factor is published for Xizang") as info:
        factors.electricity("西藏", 2020)  # a known region without any factor: no year stands in
    assert isinstance(info.value, LookupError)
    with pytest.raises(FactorNotFoundError, match="must be an integer"):
        factors.electricity("青海", "2020")
    with pytest.raises(FactorNotFoundError, match="pass year="):
        factors.standard_coal("电力", electricity="equal-value")
    with pytest.raises(UnknownNameError, match="carbon factors"):
        factors.get("elec.2020.Qinghai")  # no factor is invented for a stand-in year


def test_a_series_without_data_years_is_an_error(factors):
    rows = factors.table
    rows = rows[rows["id"] == "ets.grid.0.5810"]  # the 2022 ETS notice states no data year
    with pytest.raises(FactorNotFoundError, match="no ets factor is published by data year"):
        factors._for_year(rows, 2021, "全国电网排放因子", "ets factor")


def test_an_account_of_2020_notes_each_stand_in():
    # one enterprise in 青海 buying 1000 MWh in 2020: location 1000 x 0.1326 (data year 2021), market 1000 x 0.5942
    # (2021), 等价值 1000 MWh x 0.3055 kgce/kWh (2020, published: no note)
    enterprise = "91350100M000100Y43"
    park = {"name": "小园区", "province": "青海", "reporting_year": 2020, "baseline_year": 2020, "sub_parks": ("东区",)}
    firms = pd.DataFrame(
        [
            {
                "enterprise_id": enterprise,
                "name": "甲",
                "sub_park": "东区",
                "industry": "化工",
                "above_designated_size": True,
            }
        ]
    )
    energy = pd.DataFrame(
        [{"enterprise_id": enterprise, "year": 2020, "carrier": "电力", "quantity": 1000.0, "unit": "MWh"}]
    )
    account = carbon.Ledger.from_frames(park, enterprises=firms, energy=energy).account(
        2020, electricity_tce="equal-value"
    )
    assert account.summary["scope2_location_tco2"] == pytest.approx(132.6)
    assert account.summary["scope2_market_tco2"] == pytest.approx(594.2)
    assert account.summary["energy_tce"] == pytest.approx(305.5)
    assert (
        "elec.2021.Qinghai: 数据年份 2021 代替 2020（早于首个发布年份） / data year 2021 used for 2020 "
        "(before the first published year) (co2_average)"
    ) in account.notes
    assert any(n.startswith("elec.2021.national.residual: 数据年份 2021 代替 2020") for n in account.notes)
    assert not any(n.startswith("equal_value.") for n in account.notes)
    used = account.factors.set_index("id")
    assert bool(used.at["elec.2021.Qinghai", "fallback"]) and used.at["elec.2021.Qinghai", "requested_year"] == 2020
    assert "before the first published data year 2021" in used.at["elec.2021.Qinghai", "note"]
