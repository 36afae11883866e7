"""carbon/account.py: the annual account, checked by hand on a small park and by invariants on the sample."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import carbon
from carbon.errors import AccountError

E1, E2 = "91350100M000100Y43", "914403001922038216"
PARK = {
    "name": "小园区",
    "province": "青海",
    "reporting_year": 2023,
    "baseline_year": 2022,
    "sub_parks": ("东区", "西区"),
}
C = 44 / 12


def small_park(**extra) -> carbon.Ledger:
    tables = {
        "enterprises": pd.DataFrame(
            [
                {
                    "enterprise_id": E1,
                    "name": "甲",
                    "sub_park": "东区",
                    "industry": "化工",
                    "above_designated_size": True,
                },
                {
                    "enterprise_id": E2,
                    "name": "乙",
                    "sub_park": "西区",
                    "industry": "食品",
                    "above_designated_size": True,
                },
            ]
        ),
        "economics": pd.DataFrame(
            [
                {"enterprise_id": E1, "year": 2023, "output_value": 50_000.0, "added_value": 10_000.0},
                {"enterprise_id": E2, "year": 2023, "output_value": 20_000.0, "added_value": 5_000.0},
            ]
        ),
        "energy": pd.DataFrame(
            [
                {"enterprise_id": E1, "year": 2023, "carrier": "天然气", "quantity": 100.0, "unit": "万Nm3"},
                {"enterprise_id": E1, "year": 2023, "carrier": "电力", "quantity": 1000.0, "unit": "MWh"},
                {
                    "enterprise_id": E1,
                    "year": 2023,
                    "carrier": "天然气",
                    "quantity": 50.0,
                    "unit": "万Nm3",
                    "use": "原料",
                },
                {"enterprise_id": E2, "year": 2023, "carrier": "柴油", "quantity": 10.0, "unit": "吨"},
                {"enterprise_id": E2, "year": 2023, "carrier": "热力", "quantity": 1000.0, "unit": "GJ"},
                {"enterprise_id": E1, "year": 2022, "carrier": "电力", "quantity": 2000.0, "unit": "MWh"},
            ]
        ),
        "green_power": pd.DataFrame(
            [
                {
                    "enterprise_id": E1,
                    "year": 2023,
                    "instrument": "绿电交易",
                    "quantity": 400.0,
                    "unit": "MWh",
                    "certificate_id": "T1",
                },
                {"enterprise_id": E2, "year": 2023, "instrument": "自发自用", "quantity": 100.0, "unit": "MWh"},
            ]
        ),
    }
    tables.update(extra)
    return carbon.Ledger.from_frames(PARK, **tables)


# The small park by hand (factors: GB/T 32151 表C.1, GB/T 2589-2020, 公告2025年第47号 青海 0.1796 and
# national residual 0.6096, purchased heat 0.11):
GAS_CO2 = 100 * 389.31 * 15.3e-3 * 0.99 * C  # 100 万Nm3 natural gas burned            = 2162.19 tCO2
DIESEL_CO2 = 10 * 42.652 * 20.2e-3 * 0.98 * C  # 10 t diesel                            =   30.96 tCO2
HEAT_CO2 = 1000 * 0.11  # 1000 GJ purchased heat                                         =  110.00 tCO2
POWER_LOCATION = 1000 * 0.1796  # 1000 MWh at 青海 2023                                   =  179.60 tCO2
POWER_MARKET = (1000 - 400) * 0.6096  # 400 MWh green-power trade at 0, rest residual     =  365.76 tCO2
TCE = (
    1_000_000 * 1.33 / 1000  # 100 万Nm3 gas x 1.3300 kgce/m3                               = 1330 tce
    + 1_000_000 * 0.1229 / 1000  # 1000 MWh x 0.1229 kgce/kWh                             =  122.9 tce
    + 500_000 * 1.33 / 1000  # 50 万Nm3 feedstock gas (in energy, not burned)                =  665 tce
    + 10_000 * 1.4571 / 1000  # 10 t diesel x 1.4571 kgce/kg                              =   14.571 tce
    + 1_000_000 * 0.03412 / 1000  # 1000 GJ heat x 0.03412 kgce/MJ                         =   34.12 tce
    + 100_000 * 0.1229 / 1000  # 100 MWh on-site PV                                         =   12.29 tce
)


@pytest.fixture(scope="module")
def small():
    return small_park().account()


def test_hand_computed_emissions(small):
    s = small.summary
    assert s["scope1_tco2"] == pytest.approx(GAS_CO2 + DIESEL_CO2, rel=1e-4)
    assert s["scope2_location_tco2"] == pytest.approx(POWER_LOCATION + HEAT_CO2, rel=1e-4)
    assert s["scope2_market_tco2"] == pytest.approx(POWER_MARKET + HEAT_CO2, rel=1e-4)
    assert s["total_market_tco2"] == pytest.approx(GAS_CO2 + DIESEL_CO2 + POWER_MARKET + HEAT_CO2, rel=1e-4)
    assert s["total_tco2"] == s["total_market_tco2"]  # market-based is the headline by default


# The same park by 910号 附件4 (grid power not covered by green power at 0.8325 kgCO2/kWh, heat at 0.11 tCO2/GJ):
PARK910 = GAS_CO2 + DIESEL_CO2 + (1000 - 400) * 0.8325 + 1000 * 0.11  # 2162.19 + 30.96 + 499.50 + 110 = 2802.65


def test_hand_computed_energy_and_core_indicator(small):
    s = small.summary
    assert s["energy_tce"] == pytest.approx(TCE, rel=1e-4)
    assert s["park910_tco2"] == pytest.approx(PARK910, rel=1e-4)
    assert s["carbon_per_energy_tco2_per_tce"] == pytest.approx(PARK910 / TCE, rel=1e-4)
    row = small.indicators.set_index("indicator").loc["carbon_per_energy"]
    assert row["threshold"] == 0.2 and row["status"] == "gap" and row["method"] == "park910"
    assert row["value_location"] == pytest.approx((GAS_CO2 + DIESEL_CO2 + POWER_LOCATION + HEAT_CO2) / TCE, rel=1e-4)
    assert row["value_market"] == pytest.approx((GAS_CO2 + DIESEL_CO2 + POWER_MARKET + HEAT_CO2) / TCE, rel=1e-4)
    # the tCO2 to cut to reach 0.2, and the MWh of green power (at 附件4's 0.8325 each) that would close it
    gap = PARK910 - 0.2 * TCE
    assert row["gap"] == pytest.approx(gap, rel=1e-4)
    assert row["gap_green_mwh"] == pytest.approx(gap / 0.8325, rel=1e-4)
    assert "below the 200,000 tce" in row["note"]
    assert "cannot close the gap: only 600 MWh" in row["note"]


def test_hand_computed_clean_energy_share(small):
    # natural gas (burned and feedstock) + on-site PV + 400 MWh covered by the green-power trade
    clean = 1330 + 665 + 12.29 + 400 * 0.1229
    share = small.indicators.set_index("indicator").at["clean_energy_share", "value"]
    assert share == pytest.approx(clean / TCE, rel=1e-4)  # a fraction
    only_non_fossil = small_park().account(clean_energy="non_fossil").indicators.set_index("indicator")
    assert only_non_fossil.at["clean_energy_share", "value"] == pytest.approx((12.29 + 400 * 0.1229) / TCE, rel=1e-4)


def test_feedstock_is_energy_but_not_combustion(small):
    emissions = small.emissions
    assert not ((emissions["carrier"] == "natural_gas") & (emissions["use"] == "feedstock")).any()
    assert (small.detail["use"] == "feedstock").sum() == 1


def test_intensities_per_10k_yuan(small):
    park = small.by("park").iloc[0]
    assert park["tco2_per_10k_yuan_output"] == pytest.approx(park["total_tco2"] / 70_000)
    assert park["tco2_per_10k_yuan_added_value"] == pytest.approx(park["total_tco2"] / 15_000)


def test_location_only_method(small):
    location = small_park().account(scope2="location")
    assert set(location.emissions["scope2_method"].dropna()) == {"location"}
    assert location.emissions.loc[location.emissions["scope"] == 1, "scope2_method"].isna().all()
    assert location.summary["total_tco2"] == pytest.approx(location.summary["total_location_tco2"])
    assert location.methods["scope2"] == "location"
    # the verdict is on the 附件4 basis whatever the scope-2 method of the GHG view
    core = location.indicators.set_index("indicator").loc["carbon_per_energy"]
    assert core["method"] == "park910"
    assert core["value"] == pytest.approx(small.indicators.set_index("indicator").at["carbon_per_energy", "value"])


def test_non_co2_in_co2e():
    account = small_park().account(non_co2=True, gwp="AR6")
    gases = account.emissions.groupby("gas")["emissions_tco2"].sum()
    # natural gas 38.931 TJ x 1 kg CH4/TJ x 27.9 + diesel 0.42652 TJ x 3 kg/TJ x 27.9 (IPCC 2006 Table 2.3, AR6)
    assert gases["CH4"] == pytest.approx((38.931 * 1 + 0.42652 * 3) * 27.9 / 1000, rel=1e-4)
    # N2O: 38.931 x 0.1 + 0.42652 x 0.6 kg/TJ, x 273
    assert gases["N2O"] == pytest.approx((38.931 * 0.1 + 0.42652 * 0.6) * 273 / 1000, rel=1e-4)
    assert carbon.Ledger.account is not None and account.methods["non_co2"] is True


def test_totals_equal_the_sum_of_their_parts(small):
    emissions = small.emissions
    s = small.summary
    assert emissions[emissions["scope"] == 1]["emissions_tco2"].sum() == pytest.approx(s["scope1_tco2"])
    market = emissions[(emissions["scope"] == 2) & (emissions["scope2_method"] == "market")]
    assert market["emissions_tco2"].sum() == pytest.approx(s["scope2_market_tco2"])
    assert small.detail["tce"].sum() == pytest.approx(s["energy_tce"])


def test_every_emission_row_traces_to_input_and_factor(small):
    emissions = small.emissions
    assert emissions["input_sheet"].notna().all() and emissions["input_row"].notna().all()
    known = set(small.factors["id"])
    for ids in emissions["factor_id"]:
        assert set(ids.split("|")) <= known, ids


def test_custom_factors_override_and_are_marked():
    custom = pd.DataFrame(
        [
            {
                "enterprise_id": E2,
                "parameter": "低位发热量",
                "carrier": "柴油",
                "value": 43.0,
                "unit": "GJ/t",
                "evidence": "report 1",
            },
            {
                "enterprise_id": E1,
                "parameter": "供电排放因子",
                "carrier": "电力",
                "value": 0.5,
                "unit": "tCO2/MWh",
                "evidence": "contract 9",
            },
        ]
    )
    account = small_park(custom_factors=custom).account()
    e = account.emissions
    diesel = e[(e["carrier"] == "diesel")].iloc[0]
    assert diesel["custom_factor"] and f"custom:{E2}:ncv:diesel" in diesel["factor_id"]
    assert diesel["emissions_tco2"] == pytest.approx(10 * 43.0 * 20.2e-3 * 0.98 * C)
    market = e[(e["carrier"] == "electricity") & (e["scope2_method"] == "market")].iloc[0]
    assert market["emissions_tco2"] == pytest.approx(600 * 0.5)
    assert market["factor_id"] == f"custom:{E1}:electricity_co2:electricity"
    assert f"custom:{E1}:electricity_co2:electricity" in set(account.factors["id"])


def test_raw_coal_without_measured_factors_is_a_located_error():
    energy = pd.DataFrame(
        [
            {"enterprise_id": E1, "year": 2023, "carrier": "原煤", "quantity": 100.0, "unit": "吨"},
            {"enterprise_id": E1, "year": 2023, "carrier": "电力", "quantity": 1000.0, "unit": "MWh"},
        ]
    )
    with pytest.raises(AccountError, match="name the coal type") as info:
        small_park(energy=energy).account()
    assert info.value.problems[0].where == "能源消费 energy!row 1"


def test_year_without_energy_data_and_unknown_methods():
    with pytest.raises(carbon.FactorNotFoundError, match=r"no energy data for 2019; years with data: \[2022, 2023\]"):
        small_park().account(2019)
    with pytest.raises(carbon.UnknownNameError, match="both, location, market"):
        small_park().account(scope2="residual")
    with pytest.raises(carbon.UnknownNameError, match="AR4, AR5, AR6"):
        small_park().account(gwp="AR7")


def test_equal_value_of_an_unpublished_year_falls_back_and_says_so(small):
    # electricity 等价值 is published for 2015, 2020-2022 and 2024; data year 2023 takes 2022's 0.3007 kgce/kWh
    # (CEC 中国电力行业年度发展报告2023), flagged as a fallback in the notes and the factor table
    assert small.summary["energy_tce_equal_value"] > small.summary["energy_tce_equivalent"]
    assert any(
        "equal_value.electricity.2022" in note and "data year 2022 used for 2023" in note for note in small.notes
    )
    factors = small.factors.set_index("id")
    assert factors.at["equal_value.electricity.2022", "fallback"]
    account = small_park().account(electricity_tce="equal-value")
    assert account.summary["energy_tce"] == account.summary["energy_tce_equal_value"]


def test_project_and_boiler_reductions_by_hand():
    projects = pd.DataFrame(
        [
            {
                "project_id": "P1",
                "enterprise_id": E1,
                "name": "电机变频",
                "category": "电机系统节能",
                "status": "已完成",
                "responsible_unit": "u",
                "responsible_person": "p",
                "planned_completion": dt.date(2023, 6, 30),
                "completion_date": dt.date(2023, 4, 1),
                "saving_quantity": 100.0,
                "saving_unit": "万kWh",
                "saving_carrier": "电力",
                "declared_reduction": 200.0,
            },
            {
                "project_id": "P2",
                "enterprise_id": E1,
                "name": "余热",
                "category": "余热余压利用",
                "status": "计划",
                "responsible_unit": "u",
                "responsible_person": "p",
                "planned_completion": dt.date(2023, 10, 1),
            },
        ]
    )
    boilers = pd.DataFrame(
        [
            {
                "boiler_id": "B1",
                "enterprise_id": E2,
                "capacity": 10.0,
                "fuel_before": "烟煤",
                "fuel_after": "天然气",
                "retrofit_date": dt.date(2023, 7, 1),
                "heat_output": 100_000.0,
                "efficiency_before": 0.7,
                "efficiency_after": 0.92,
            },
            {
                "boiler_id": "B2",
                "enterprise_id": E2,
                "capacity": 4.0,
                "fuel_before": "烟煤",
                "fuel_after": "拆除",
                "retrofit_date": dt.date(2022, 5, 1),
                "heat_output": 10_000.0,
            },
        ]
    )
    account = small_park(projects=projects, boilers=boilers).account()
    r = account.reductions.set_index("item_id")
    # P1: 100 万kWh = 1000 MWh x 0.8325 (附件4) = 832.5 tCO2 a year, location-based x 0.1796 = 179.6;
    # in service from 1 Apr: 275/365 of 2023
    assert r.at["P1", "annual_reduction_tco2"] == pytest.approx(832.5)
    assert r.at["P1", "annual_reduction_location_tco2"] == pytest.approx(179.6)
    assert r.at["P1", "reduction_in_year_tco2"] == pytest.approx(832.5 * 275 / 365)
    assert r.at["P1", "difference_tco2"] == pytest.approx(200 - 832.5)
    assert r.at["P2", "overdue"] and r.at["P2", "reduction_in_year_tco2"] == 0
    # B1: coal (烟煤 26.1 tC/TJ, 93 %) -> gas (15.3 tC/TJ, 99 %), Q = 100,000 GJ, 70 % -> 92 %, from 1 Jul
    before = 100_000 / 0.7 * 26.1e-3 * 0.93 * C
    after = 100_000 / 0.92 * 15.3e-3 * 0.99 * C
    assert r.at["B1", "annual_reduction_tco2"] == pytest.approx(before - after, rel=1e-6)
    assert r.at["B1", "reduction_in_year_tco2"] == pytest.approx((before - after) * 184 / 365, rel=1e-6)
    # B2: removed in 2022, its 10,000 GJ now bought as heat at 0.11; efficiency before by GB 24500 default 80 %
    assert r.at["B2", "annual_reduction_tco2"] == pytest.approx(
        10_000 / 0.8 * 26.1e-3 * 0.93 * C - 10_000 * 0.11, rel=1e-6
    )
    assert "assumed" in r.at["B2", "assumptions"]
    assert r.at["B2", "share_of_year"] == 1.0
    assert account.summary["boiler_retrofits"] == 1 and account.summary["boiler_capacity_t_per_h"] == 10.0
    assert account.summary["projects_completed"] == 1


def test_targets_against_actuals():
    targets = pd.DataFrame(
        [
            {"indicator": "新增绿色工厂数", "year": 2023, "value": 1.0},
            {"indicator": "单位能耗碳排放", "year": 2023, "value": 0.2},
            {"indicator": "完成节能降碳改造项目数", "year": 2024, "value": 20.0},
        ]
    )
    factories = pd.DataFrame([{"enterprise_id": E1, "level": "省级", "year_awarded": 2023}])
    account = small_park(targets=targets, green_factories=factories).account()
    t = account.targets.set_index("indicator")
    assert t.at["new_green_factories", "status"] == "achieved"
    assert t.at["carbon_per_energy", "status"] == "not_achieved"
    assert t.at["completed_retrofits", "status"] == "in_progress"


def test_a_target_met_before_its_year_is_achieved_early():
    """22 retrofits in 2023 against 20 due in 2024: met already, not 'in progress' (was shown at 110 %)."""
    account = carbon.read_workbook(carbon.sample_workbook_path()).account(2023)
    t = account.targets.set_index("indicator")
    assert t.at["completed_retrofits", "progress"] == pytest.approx(1.1)
    assert t.at["completed_retrofits", "status"] == "achieved_early"
    assert t.at["completed_retrofits", "year"] == 2024


@pytest.fixture(scope="module")
def sample():
    return carbon.read_workbook(carbon.sample_workbook_path())


@pytest.fixture(scope="module")
def sample_2023(sample):
    return sample.account()


def test_sample_reproduces_the_published_figures(sample_2023):
    s = sample_2023.summary
    # 东川工业园区 2023: 36台212.3蒸吨锅炉低碳改造; 一般固废4.6万吨 综合利用率96.8%; 国家级绿色工厂6家、省级11家
    assert (s["boiler_retrofits"], s["boiler_capacity_t_per_h"]) == (36, pytest.approx(212.3))
    assert s["solid_waste_utilization_rate"] == pytest.approx(0.968)
    park_waste = sample_2023.solid_waste.set_index("level").loc["park"]
    assert park_waste["generated"] == 46_000
    assert (s["green_factories_national"], s["green_factories_provincial"]) == (6, 11)


@pytest.mark.parametrize("level", ["enterprise", "sub_park", "industry"])
def test_sample_levels_add_up_to_the_park(sample_2023, level):
    park = sample_2023.by("park").iloc[0]
    parts = sample_2023.by(level)
    for column in ("scope1_tco2", "scope2_location_tco2", "scope2_market_tco2", "tce", "output_value", "added_value"):
        assert parts[column].sum() == pytest.approx(park[column], rel=1e-12), column


def test_sample_emission_rows_add_up_per_enterprise(sample_2023):
    e = sample_2023.emissions
    per_row = (
        e[e["scope2_method"].isna() | (e["scope2_method"] == "market")].groupby("enterprise_id")["emissions_tco2"].sum()
    )
    per_enterprise = sample_2023.by("enterprise").set_index("key")["total_market_tco2"]
    assert set(per_row.index) == set(per_enterprise.index)
    for enterprise, value in per_row.items():
        assert value == pytest.approx(per_enterprise[enterprise], rel=1e-12)


def test_sample_baseline_and_reporting_years_are_comparable(sample, sample_2023):
    baseline = sample.account(2022)
    assert baseline.year == 2022 and sample_2023.year == 2023
    assert set(baseline.summary) == set(sample_2023.summary)
    assert np.isnan(baseline.summary["change_total"])  # the baseline against itself
    # the baseline as reported is the baseline year's own account; the change is against the baseline restated
    # on the 2023 boundary (the sample's enterprises moved in and out: tests/test_years.py checks the restatement)
    assert sample_2023.summary["baseline_reported_total_tco2"] == pytest.approx(baseline.summary["total_tco2"])
    assert sample_2023.summary["baseline_restated"] is True
    change = sample_2023.summary["total_tco2"] / sample_2023.summary["baseline_total_tco2"] - 1
    assert sample_2023.summary["change_total"] == pytest.approx(change)  # a fraction


def test_scaling_activity_scales_the_account():
    base = small_park().account().summary
    energy = small_park().energy.drop(columns="source_row")
    green = small_park().green_power.drop(columns="source_row")
    scaled_energy = energy.assign(quantity=energy["quantity"] * 3)
    scaled_green = green.assign(quantity=green["quantity"] * 3)
    scaled = small_park(energy=scaled_energy, green_power=scaled_green).account().summary
    for key in ("scope1_tco2", "scope2_location_tco2", "scope2_market_tco2", "energy_tce"):
        assert scaled[key] == pytest.approx(3 * base[key], rel=1e-9), key
    assert scaled["carbon_per_energy_tco2_per_tce"] == pytest.approx(base["carbon_per_energy_tco2_per_tce"], rel=1e-9)


def test_the_account_is_frozen(small):
    with pytest.raises(AttributeError):
        small.year = 2020
    table = small.emissions
    table["emissions_tco2"] = 0
    assert small.emissions["emissions_tco2"].sum() > 0
    with pytest.raises(TypeError):
        small.summary["energy_tce"] = 0


def test_per_fact_tables_carry_labels_as_sorted_categoricals(small):
    for table in (small.emissions, small.detail):
        for column in ("enterprise_id", "carrier", "unit", "input_sheet"):
            values = table[column]
            assert isinstance(values.dtype, pd.CategoricalDtype), column
            # only the values that occur, sorted: the dtype depends on the values alone
            assert values.cat.categories.tolist() == sorted(values.dropna().unique().tolist()), column
    assert str(small.emissions["scope"].dtype) == "int8"
    assert str(small.detail["month"].dtype) == "Int8" and str(small.detail["input_row"].dtype) == "Int32"


def test_emissions_are_quantity_times_factor(small):
    emissions = small.emissions
    np.testing.assert_allclose(emissions["emissions_tco2"], emissions["quantity"] * emissions["factor_value"])


def test_non_co2_of_measured_raw_coal_uses_the_common_coal_factor():
    # the enterprise's measured NCV covers CO2; IPCC 2006 Table 2.3 has no 原煤 row but gives every coal type
    # 10 kg CH4/TJ and 1.5 kg N2O/TJ, so raw coal takes those: 10 t x 20.9 GJ/t = 0.209 TJ
    energy = pd.DataFrame(
        [
            {"enterprise_id": E1, "year": 2023, "carrier": "电力", "quantity": 1000.0, "unit": "MWh"},
            {"enterprise_id": E1, "year": 2023, "carrier": "原煤", "quantity": 10.0, "unit": "吨"},
        ]
    )
    custom = pd.DataFrame(
        [
            {"enterprise_id": E1, "parameter": "低位发热量", "carrier": "原煤", "value": 20.9, "unit": "GJ/t"},
            {"enterprise_id": E1, "parameter": "单位热值含碳量", "carrier": "原煤", "value": 0.0262, "unit": "tC/GJ"},
            {"enterprise_id": E1, "parameter": "碳氧化率", "carrier": "原煤", "value": 93.0, "unit": "%"},
        ]
    )
    custom["evidence"] = "化验报告"
    ledger = small_park(energy=energy, custom_factors=custom)
    emissions = ledger.account(non_co2=True).emissions
    coal = emissions[emissions["carrier"] == "raw_coal"].set_index("gas")["emissions_tco2"]
    # IPCC AR6 GWP100 (Table 7.15): CH4 27.9 (all methane, the library's default), N2O 273
    ch4_gwp = carbon.load_factors().gwp("CH4", "AR6").value
    assert coal["CH4"] == pytest.approx(0.209 * 10 / 1000 * ch4_gwp, rel=1e-12)
    assert coal["N2O"] == pytest.approx(0.209 * 1.5 / 1000 * 273, rel=1e-12)


def test_non_co2_factor_missing_is_a_located_error():
    # IPCC 2006 Table 2.3 has no CH4/N2O row for LNG (液化天然气); CO2 has its GB/T 32151 defaults
    energy = pd.DataFrame(
        [
            {"enterprise_id": E1, "year": 2023, "carrier": "电力", "quantity": 1000.0, "unit": "MWh"},
            {"enterprise_id": E1, "year": 2023, "carrier": "液化天然气", "quantity": 10.0, "unit": "吨", "month": 1},
            {"enterprise_id": E1, "year": 2023, "carrier": "液化天然气", "quantity": 12.0, "unit": "吨", "month": 2},
        ]
    )
    ledger = small_park(energy=energy)
    assert ledger.account().summary["scope1_tco2"] > 0
    with pytest.raises(
        AccountError, match=r"能源消费 energy!row 2 「lng」: 未知燃料.*CH4/N2O.*and 1 more row"
    ) as caught:
        ledger.account(non_co2=True)
    assert caught.value.problems[0].code == "missing_factor"


def test_location_filter_keeps_scope1_rows(small):
    location = small_park().account(scope2="location").emissions
    assert (location["scope"] == 1).sum() == (small.emissions["scope"] == 1).sum()
    assert location["scope2_method"].cat.categories.tolist() == ["location"]


def test_a_ledger_built_in_python_with_a_blank_enterprise_id_gets_a_located_error():
    """The workbook's check that every energy row names its enterprise is skipped by a Ledger built from
    frames; the account says where the blank ids are instead of failing inside its sums."""
    sample = carbon.read_workbook(carbon.sample_workbook_path())
    tables = {name: sample.table(name) for name in carbon.ledger.TABLE_NAMES}
    energy = tables["energy"]
    energy["enterprise_id"] = energy["enterprise_id"].astype(object)
    in_year = np.flatnonzero((energy["year"] == sample.park["reporting_year"]).to_numpy())
    energy.loc[energy.index[in_year[[3, 9]]], "enterprise_id"] = None
    rows = energy["source_row"].to_numpy()[in_year[[3, 9]]]
    with pytest.raises(AccountError) as info:
        carbon.Ledger(sample.park, tables).account()
    (problem,) = info.value.problems
    assert (problem.sheet, problem.cell, problem.code) == ("能源消费 energy", f"row {rows[0]}", "required")
    assert f"1 more row(s): {rows[1]}" in problem.message_en and "企业编码为空" in problem.message_zh


@pytest.mark.parametrize("table", ["conversion_outputs", "green_power"])
def test_a_blank_enterprise_id_on_a_conversion_output_or_on_site_row_is_refused_too(table):
    """Conversion outputs and on-site generation become energy facts as well: a row of theirs without an
    enterprise id is refused with its sheet and row, in a year with an enterprise outside the boundary (the
    sample's 2023) as where every enterprise is inside, not left out unsaid."""
    sample = carbon.read_workbook(carbon.sample_workbook_path())
    year = sample.park["reporting_year"]
    for all_inside in (False, True):
        tables = {name: sample.table(name) for name in carbon.ledger.TABLE_NAMES}
        frame = tables[table]
        rows = (frame["year"] == year).to_numpy(dtype=bool, na_value=False)
        if table == "green_power":
            rows &= (frame["instrument"] == "onsite").to_numpy(dtype=bool, na_value=False)
        first = frame.index[np.flatnonzero(rows)[0]]
        frame["enterprise_id"] = frame["enterprise_id"].astype(object)
        frame.loc[first, "enterprise_id"] = None
        if all_inside:
            firms = tables["enterprises"]
            firms["left_year"] = pd.array([pd.NA] * len(firms), dtype="Int64")
            firms["joined_year"] = pd.array([pd.NA] * len(firms), dtype="Int64")
        with pytest.raises(AccountError) as info:
            carbon.Ledger(sample.park, tables).account()
        (problem,) = info.value.problems
        assert problem.cell == f"row {frame.loc[first, 'source_row']}" and problem.code == "required", all_inside
        assert table in problem.sheet
