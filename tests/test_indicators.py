"""carbon/indicators.py (indicator arithmetic) and the registry of carbon/account/indicators.py."""

from __future__ import annotations

import math

import pytest

import carbon
from carbon.account.indicators import INDICATORS
from carbon.indicators import at_least_gap, at_most_gap, green_power_to_close, percent, ratio, status


def test_ratio_and_percent():
    assert ratio(3.0, 4.0) == 0.75  # shares in the account's tables are fractions: ratio, not percent
    assert percent(45.0, 50.0) == pytest.approx(90.0)
    assert math.isnan(ratio(1.0, 0.0)) and math.isnan(percent(1.0, math.nan))


@pytest.mark.parametrize(
    ("value", "threshold", "better", "expected"),
    [
        (0.19, 0.2, "lower", "achieved"),
        (0.2, 0.2, "lower", "achieved"),  # 附件3: 单位能耗碳排放 "≤ 0.2"
        (0.21, 0.2, "lower", "gap"),
        (0.9, 0.9, "higher", "achieved"),  # 清洁能源消费占比 "≥ 90 %", as fractions
        (0.899, 0.9, "higher", "gap"),
        (math.nan, 0.2, "lower", "missing_data"),
        (None, 0.8, "higher", "missing_data"),
    ],
)
def test_status(value, threshold, better, expected):
    assert status(value, threshold, better) == expected


def test_gaps():
    # a park of 500,000 tce emitting 160,000 tCO2 against <= 0.2 tCO2/tce: 60,000 tCO2 too many
    assert at_most_gap(160_000.0, 0.2, 500_000.0) == pytest.approx(60_000.0)
    assert at_most_gap(90_000.0, 0.2, 500_000.0) == 0.0
    # 80 % solid-waste utilisation of 46,000 t needs 36,800 t utilised; 30,000 t lacks 6,800 t (threshold 0.8)
    assert at_least_gap(30_000.0, 46_000.0, 0.8) == pytest.approx(6_800.0)
    assert at_least_gap(40_000.0, 46_000.0, 0.8) == 0.0
    assert math.isnan(at_least_gap(math.nan, 46_000.0, 0.8)) and math.isnan(at_most_gap(1.0, 0.2, math.nan))


def test_green_power_to_close():
    # 60,000 tCO2 at 0.6096 tCO2/MWh of residual grid power (公告2025年第47号 表4, data year 2023)
    assert green_power_to_close(60_000.0, 0.6096) == pytest.approx(60_000.0 / 0.6096)
    assert green_power_to_close(0.0, 0.6096) == 0.0
    assert math.isnan(green_power_to_close(math.nan, 0.6096))


def test_the_registry_is_the_indicators_table():
    account = carbon.read_workbook(carbon.sample_workbook_path()).account()
    table = account.indicators
    assert table["indicator"].tolist() == [i.name for i in INDICATORS]
    assert table["type"].tolist() == [i.type for i in INDICATORS]
    assert table["unit"].tolist() == [i.unit for i in INDICATORS]
    # 附件3: one core indicator and five guidance indicators
    assert [i.type for i in INDICATORS].count("core") == 1 and len(INDICATORS) == 6
    core = table.set_index("indicator").loc["carbon_per_energy"]
    # green power replaces grid power at 附件4's national fossil-power factor, 0.8325 kgCO2/kWh
    assert core["gap_green_mwh"] == pytest.approx(green_power_to_close(core["gap"], 0.8325), rel=1e-12)


def test_the_core_band_note_shows_both_methods_where_they_differ():
    # sample park: 841,941 tce 当量值 (band <= 0.2) but 1,892,003 tce 等价值 (band <= 0.3)
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    for method, shown, other in (("equivalent", 0.2, 0.3), ("equal-value", 0.3, 0.2)):
        core = ledger.account(electricity_tce=method).indicators.set_index("indicator").loc["carbon_per_energy"]
        assert core["threshold"] == shown
        assert f"<= {shown:g}" in core["note"] and f"<= {other:g}" in core["note"]
        assert "does not say which tce counts" in core["note"]


def test_reduction_and_pace_by_hand():
    from carbon.indicators import pace_needed, pace_so_far, reduction

    # the 14th five-year plan's 13.5 % over five years is a fall of 2.86 % a year: 1 - 0.865 ** (1 / 5) = 0.02859
    assert reduction(1.0, 0.865) == pytest.approx(0.135)
    assert pace_so_far("reduction", math.nan, 0.135, 5) == pytest.approx(1 - 0.865**0.2)
    assert pace_so_far("reduction", math.nan, 0.135, 5) == pytest.approx(0.02859, abs=5e-6)
    # 8.9 % reached after three years; 13.5 % by two more: 1 - (0.865 / 0.911) ** (1 / 2)
    assert pace_needed("reduction", 0.089, 0.135, 2) == pytest.approx(1 - (0.865 / 0.911) ** 0.5)
    # a cap of 900,000 from 995,993: -4.94 % a year for two years
    assert pace_needed("level", 995_993, 900_000, 2) == pytest.approx((900_000 / 995_993) ** 0.5 - 1)
    assert pace_so_far("level", 800_000, 995_993, 1) == pytest.approx(995_993 / 800_000 - 1)
    # a share: points a year
    assert pace_needed("share", 0.277, 0.5, 2) == pytest.approx(0.1115)
    # what cannot be said is blank, never zero
    assert math.isnan(reduction(0.0, 1.0)) and math.isnan(reduction(math.nan, 1.0))
    assert math.isnan(pace_so_far("reduction", math.nan, 0.1, 0))
    assert math.isnan(pace_needed("level", 0.0, 1.0, 2)) and math.isnan(pace_needed("count", 1, 2, 2))


def test_every_indicator_gives_the_numerator_and_denominator_of_its_value():
    # carbon province sums them over parks: a province's value is the ratio of the sums, never an average
    account = carbon.read_workbook(carbon.sample_workbook_path()).account()
    table = account.indicators.set_index("indicator")
    for name, row in table.iterrows():
        assert row["value"] == pytest.approx(row["numerator"] / row["denominator"], rel=1e-12), name
    core = table.loc["carbon_per_energy"]
    assert (core["numerator_unit"], core["denominator_unit"]) == ("tCO2", "tce")
    assert core["numerator"] == pytest.approx(account.summary["park910_tco2"], rel=1e-12)
    assert core["denominator"] == pytest.approx(account.summary["energy_tce"], rel=1e-12)
    waste = table.loc["solid_waste_utilization"]  # NBS: utilised / (generated + prior stock utilised), in t
    assert waste["numerator_unit"] == waste["denominator_unit"] == "t"
