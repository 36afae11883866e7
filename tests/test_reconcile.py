"""The ledger checks itself: each reconciliation rule fires on a broken case and stays quiet on a sound one,
reductions are valued at what they displace, and the reconciliation table explains the year-over-year change.

Factors: GB/T 32151 表C.1 (烟煤 19.57 GJ/t, 26.1 tC/TJ, 93 %; natural gas 389.31 GJ/万Nm3, 15.3 tC/TJ, 99 %);
GB/T 2589-2020 (natural gas 1.33 kgce/m3, electricity 0.1229 kgce/kWh); 烟煤 tce by its NCV / 29.3076;
GB 24500-2020 grade-3 limits (natural gas 92 %, coal <= 20 t/h 80 %); 附件4 0.8325 kgCO2/kWh.
"""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd
import pytest

import carbon
from carbon.errors import WorkbookError

C = 44 / 12
E1 = "91350100M000100Y43"
PARK = {"name": "核对园区", "province": "青海", "reporting_year": 2023, "baseline_year": 2022}
ENERGY = [
    (2022, "烟煤", 1_000.0, "吨"),  # 19,570 GJ, 667.75 tce
    (2022, "天然气", 50.0, "万Nm3"),  # 665 tce
    (2022, "电力", 2_000.0, "MWh"),
    (2023, "天然气", 100.0, "万Nm3"),  # 1,330 tce, 2,162.19 tCO2
    (2023, "电力", 1_000.0, "MWh"),
]


def project(**changes):
    row = {
        "project_id": "P1",
        "enterprise_id": E1,
        "name": "项目",
        "category": "电机系统节能",
        "status": "已完成",
        "responsible_unit": "u",
        "responsible_person": "p",
        "planned_completion": dt.date(2023, 6, 30),
        "completion_date": dt.date(2023, 4, 1),
        "saving_quantity": 100.0,
        "saving_unit": "万kWh",
        "saving_carrier": "电力",
    }
    return {**row, **changes}


def boiler(**changes):
    row = {
        "boiler_id": "B1",
        "enterprise_id": E1,
        "capacity": 10.0,
        "fuel_before": "烟煤",
        "fuel_after": "天然气",
        "retrofit_date": dt.date(2023, 3, 1),
        "heat_output": 10_000.0,
        "efficiency_before": 0.7,
        "efficiency_after": 0.92,
    }
    return {**row, **changes}


def tables(projects=(), boilers=(), green=()):
    out = {
        "enterprises": pd.DataFrame(
            [{"enterprise_id": E1, "name": "甲", "industry": "化工", "above_designated_size": True}]
        ),
        "energy": pd.DataFrame(
            [{"enterprise_id": E1, "year": y, "carrier": c, "quantity": q, "unit": u} for y, c, q, u in ENERGY]
        ),
    }
    if projects:
        out["projects"] = pd.DataFrame(list(projects))
    if boilers:
        out["boilers"] = pd.DataFrame(list(boilers))
    if green:
        out["green_power"] = pd.DataFrame(list(green))
    return out


def report(**parts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return carbon.Ledger.from_frames(PARK, **tables(**parts)).report.problems
        except WorkbookError as exc:
            return exc.report.problems


def found(problems, code):
    return [p for p in problems if p.code == code]


# -- a project's saving against the enterprise's use ------------------------------------------------------------


def test_a_saving_within_use_is_quiet():
    assert not found(report(projects=[project()]), "saving_above_use")  # 1,000 MWh saved of 2,000 MWh used


def test_a_saving_above_use_is_an_error_naming_both_figures():
    (problem,) = found(report(projects=[project(saving_quantity=300.0)]), "saving_above_use")
    # 300 万kWh = 3,000 MWh x 0.1229 = 368.7 tce against 2,000 MWh x 0.1229 = 245.8 tce used in 2022
    assert problem.severity == "error" and problem.column == "saving_quantity"
    assert "368.7 tce" in problem.message_en and "245.8 tce" in problem.message_en and "2022" in problem.message_zh


def test_a_heat_saving_without_bought_heat_is_compared_with_the_fuel_burned():
    heat = project(saving_quantity=5_000.0, saving_unit="GJ", saving_carrier="热力", category="余热余压利用")
    assert not found(report(projects=[heat]), "saving_above_use")  # 170.6 tce of 1,332.7 tce of fuel
    (problem,) = found(report(projects=[{**heat, "saving_quantity": 50_000.0}]), "saving_above_use")
    assert "fuel burned" in problem.message_en and "1,706.0 tce" in problem.message_en


# -- a boiler's fuel before, and its fuel after ----------------------------------------------------------------


def test_boiler_fuel_before_within_the_year_before_is_quiet():
    # 10,000 GJ / 70 % = 14,286 GJ of coal against 19,570 GJ burned in 2022
    assert not found(report(boilers=[boiler()]), "boiler_fuel_above_use")


def test_boiler_fuel_before_above_the_year_before_is_an_error():
    (problem,) = found(report(boilers=[boiler(heat_output=20_000.0)]), "boiler_fuel_above_use")
    # 20,000 / 0.7 = 28,571 GJ against 1,000 t x 19.57 = 19,570 GJ (105 % = 20,549)
    assert problem.column == "heat_output" and "28,571 GJ" in problem.message_en and "19,570 GJ" in problem.message_en


def test_boilers_before_the_data_are_not_checked():
    # retrofitted in 2020: no energy data for 2019, nothing to compare with
    assert not found(
        report(boilers=[boiler(retrofit_date=dt.date(2020, 3, 1), heat_output=90_000.0)]), "boiler_fuel_above_use"
    )


def test_an_efficiency_before_of_zero_is_its_range_error_alone():
    # 0 % is refused by the range check (30-110 %); the rule divided the heat output by it and raised
    problems = report(boilers=[boiler(efficiency_before=0.0)])
    assert [p.code for p in problems if p.column == "efficiency_before"] == ["range"]
    assert not found(problems, "boiler_fuel_above_use")


def test_fuel_after_missing_is_a_warning():
    assert not found(report(boilers=[boiler()]), "fuel_after_missing")  # gas is on the 2023 energy rows
    (problem,) = found(report(boilers=[boiler(fuel_after="生物质")]), "fuel_after_missing")
    assert problem.severity == "warning" and problem.column == "fuel_after" and "2023" in problem.message_en


# -- certificates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("generated", "severity"), [(2023, None), (2022, None), (2021, "warning"), (2020, "error"), (2024, "error")]
)
def test_certificate_vintage(generated, severity):
    # valid 2 years from the month of generation (NEA rules, 2024, secondary): claimed in 2023
    row = {
        "enterprise_id": E1,
        "year": 2023,
        "instrument": "绿证",
        "quantity": 10.0,
        "unit": "张",
        "certificate_id": "G1",
        "generation_year": generated,
    }
    problems = found(report(green=[row]), "certificate_vintage")
    assert [p.severity for p in problems] == ([severity] if severity else [])
    assert all(p.column == "generation_year" for p in problems)


# -- reductions valued at what they displace ------------------------------------------------------------------


def account(**parts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return carbon.Ledger.from_frames(PARK, **tables(**parts)).account()


def test_electricity_savings_on_the_headline_basis_with_location_beside():
    r = account(projects=[project()]).reductions.set_index("item_id")
    assert r.at["P1", "annual_reduction_tco2"] == pytest.approx(1_000 * 0.8325)  # 附件4
    assert r.at["P1", "annual_reduction_location_tco2"] == pytest.approx(1_000 * 0.1796)  # 青海 2023
    assert "park910.electricity.grid" in r.at["P1", "factor_id"] and "附件4" in r.at["P1", "method"]


def test_a_heat_saving_is_valued_at_the_enterprises_own_boiler_fuel():
    heat = project(saving_quantity=5_000.0, saving_unit="GJ", saving_carrier="热力", category="余热余压利用")
    r = account(projects=[heat]).reductions.set_index("item_id")
    # it buys no heat: 2023 fuel is 100 万Nm3 gas, 2,162.19 tCO2 over 1,330 tce; its main fuel's boiler limit 92 %
    per_tce = 100 * 389.31 * 15.3e-3 * 0.99 * C / 1_330
    expected = 5_000 / 29.3076 / 0.92 * per_tce
    assert r.at["P1", "annual_reduction_tco2"] == pytest.approx(expected, rel=1e-6)
    assert "own boilers" in r.at["P1", "method"] and "assumed" in r.at["P1", "method"]


def test_an_electrified_boiler_on_the_headline_basis():
    r = account(boilers=[boiler(fuel_after="电力", efficiency_after=0.97)]).reductions.set_index("item_id")
    before = 10_000 / 0.7 * 19.57 / 19.57 * 26.1e-3 * 0.93 * C  # per GJ of coal
    after_park910 = 10_000 / 0.97 / 3.6 * 0.8325  # GJ -> MWh at 0.8325 tCO2/MWh
    after_location = 10_000 / 0.97 / 3.6 * 0.1796
    assert r.at["B1", "annual_reduction_tco2"] == pytest.approx(before - after_park910, rel=1e-6)
    assert r.at["B1", "annual_reduction_location_tco2"] == pytest.approx(before - after_location, rel=1e-6)


# -- the reconciliation table ------------------------------------------------------------------------------------


def test_the_reconciliation_table_explains_the_change():
    rows = account(boilers=[boiler()]).tables["reconciliation"].set_index("carrier")
    # coal: 667.75 tce in 2022, none in 2023; the boiler (in service from 1 Mar 2023: 306/365 of 2023, none of
    # 2022) explains -14,286 GJ / 29.3076 x 306/365 of it
    coal = 1_000 * 19.57 / 29.3076
    explained = -(10_000 / 0.7) / 29.3076 * 306 / 365
    assert rows.at["bituminous_coal", "change_tce"] == pytest.approx(-coal, rel=1e-6)
    assert rows.at["bituminous_coal", "claimed_change_tce"] == pytest.approx(explained, rel=1e-6)
    assert rows.at["bituminous_coal", "unexplained_tce"] == pytest.approx(-coal - explained, rel=1e-6)
    assert not rows["flag"].any()


def test_a_claimed_decrease_the_energy_does_not_show_is_flagged():
    # a project saving 100 万kWh from 1 Apr 2022: its electricity should fall in 2022, not seen in 2023 either way;
    # here: saves gas from 1 Jan 2023 while gas use doubles
    gas = project(
        saving_quantity=40.0, saving_unit="万Nm3", saving_carrier="天然气", completion_date=dt.date(2023, 1, 1)
    )
    result = account(projects=[gas])
    rows = result.tables["reconciliation"].set_index("carrier")
    assert rows.at["natural_gas", "flag"]
    assert rows.at["natural_gas", "claimed_change_tce"] == pytest.approx(-40 * 13.3)
    assert any("less than half visible" in n for n in result.notes)


# -- the sample park: its tables agree, and a broken copy is caught ---------------------------------------------

RECONCILIATION_CODES = {"saving_above_use", "boiler_fuel_above_use", "fuel_after_missing", "certificate_vintage"}


def test_the_sample_park_reconciles():
    report_ = carbon.validate_workbook(carbon.sample_workbook_path())
    assert not [p for p in report_.problems if p.code in RECONCILIATION_CODES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sample = carbon.read_workbook(carbon.sample_workbook_path()).account()
    table = sample.tables["reconciliation"]
    assert len(table) and not table["flag"].any()


def test_a_broken_copy_of_the_sample_is_caught(tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(carbon.sample_workbook_path())
    projects = book["节能降碳项目 projects"]
    header = [c.value for c in projects[1]]
    saving = header.index(next(h for h in header if str(h).startswith("年节能量"))) + 1
    projects.cell(2, saving).value = 1e9  # a saving no enterprise could have used
    boilers = book["锅炉改造 boilers"]
    header = [c.value for c in boilers[1]]
    heat = header.index(next(h for h in header if str(h).startswith("年供热量"))) + 1
    date = header.index(next(h for h in header if str(h).startswith("改造完成日期"))) + 1
    boilers.cell(2, heat).value = 1e9
    boilers.cell(2, date).value = dt.datetime(2023, 3, 1)
    book.save(tmp_path / "broken.xlsx")
    codes = {p.code for p in carbon.validate_workbook(tmp_path / "broken.xlsx").problems}
    assert {"saving_above_use", "boiler_fuel_above_use"} <= codes


def test_a_projects_cumulative_reduction_counts_its_first_year_in_part_and_each_year_after():
    # 10 MWh a year at 附件4's 0.8325 kgCO2/kWh: 8.325 tCO2 a year. Completed 1 Jul 2021: 184 of 365 days of 2021,
    # then 2022 and 2023 whole; 1 Oct 2022: 92 days of 2022, then 2023; 1 Apr 2023: 275 days of 2023
    done = [dt.date(2021, 7, 1), dt.date(2022, 10, 1), dt.date(2023, 4, 1)]
    projects = [
        project(project_id=f"P{i}", completion_date=day, saving_quantity=10.0, saving_unit="MWh")
        for i, day in enumerate(done)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reductions = carbon.Ledger.from_frames(PARK, **tables(projects=projects)).account().reductions
    assert reductions["annual_reduction_tco2"].tolist() == pytest.approx([8.325] * 3, rel=1e-12)
    expected = [8.325 * (2 + 184 / 365), 8.325 * (1 + 92 / 365), 8.325 * 275 / 365]
    assert reductions["cumulative_reduction_tco2"].tolist() == pytest.approx(expected, rel=1e-12)
    assert reductions["reduction_in_year_tco2"].tolist() == pytest.approx([8.325, 8.325, 8.325 * 275 / 365], rel=1e-12)
