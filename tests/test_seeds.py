"""seeds/: the sample park reproduces the published park-level figures and is generated deterministically."""

from __future__ import annotations

import hashlib
import importlib.util

import numpy as np
import pandas as pd
import pytest
from conftest import REPO

import carbon
from carbon.validation.uscc import uscc_problem


@pytest.fixture(scope="module")
def sample():
    return carbon.read_workbook(carbon.sample_workbook_path())


def test_the_sample_ships_with_the_package():
    path = carbon.sample_workbook_path()
    assert path.is_file() and path.name == "dongchuan_2023.xlsx"


def test_park_facts(sample):
    assert sample.park["province"] == "Qinghai"
    assert (sample.park["reporting_year"], sample.park["baseline_year"]) == (2023, 2022)
    assert len(sample.park["sub_parks"]) >= 2
    assert 30 <= len(sample.enterprises) <= 60


def test_boilers_36_and_212_3_steam_tonnes(sample):
    # 东川工业园区 2023: 完成36台212.3蒸吨锅炉低碳改造项目
    assert len(sample.boilers) == 36
    assert sample.boilers["capacity"].sum() == pytest.approx(212.3, abs=1e-9)


def test_solid_waste_13_enterprises_46000_t_at_96_8_percent(sample):
    # 督促13家一般固废产生企业 … 一般固废产生量为4.6万吨，固体废物综合利用率达96.8%
    waste = sample.solid_waste
    waste = waste[waste["year"] == 2023]  # the published year (the sample also holds 2020-2022)
    assert waste["enterprise_id"].nunique() == 13
    assert waste["generated"].sum() == 46000
    rate = carbon.waste_utilization_rate(
        waste["generated"].sum(), waste["utilized"].sum(), waste["prior_stock_utilized"].sum()
    )
    assert rate == pytest.approx(0.968, abs=1e-12)


def test_green_factories_6_national_11_provincial(sample):
    # 园区已拥有国家级绿色工厂6家、省级绿色工厂11家
    assert sample.green_factories["level"].value_counts().to_dict() == {"provincial": 11, "national": 6}


def test_2024_targets_and_projects(sample):
    # 2024: 实施20个以上节能降碳技术改造项目，新增4家绿色工厂
    targets = sample.targets.set_index("indicator")
    assert targets.at["completed_retrofits", "value"] == 20
    assert targets.at["new_green_factories", "value"] == 4
    projects = sample.projects
    assert (projects["status"] == "completed").sum() >= 20
    planned = projects[projects["planned_completion"].dt.year == 2024]
    assert len(planned) >= 20
    assert planned[["responsible_unit", "responsible_person", "planned_completion"]].notna().all().all()


def test_monthly_energy_and_instruments(sample):
    energy = sample.energy
    assert set(energy.loc[energy["year"] == 2023, "month"].dropna().astype(int)) == set(range(1, 13))
    assert {"trade", "certificate", "onsite"} <= set(sample.green_power["instrument"])
    assert "raw_coal" in set(sample.custom_factors["carrier"])


def _generator():
    spec = importlib.util.spec_from_file_location("make_dongchuan", REPO / "seeds" / "make_dongchuan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generation_is_deterministic_and_matches_the_committed_sample(tmp_path, sample):
    generator = _generator()
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    generator.main(first)
    generator.main(second)
    assert hashlib.sha256(first.read_bytes()).hexdigest() == hashlib.sha256(second.read_bytes()).hexdigest()
    regenerated = carbon.read_workbook(first)
    for name in sample.tables:
        pd.testing.assert_frame_equal(regenerated.table(name), sample.table(name), obj=name)


# -- many years in one ledger (issue 16) -------------------------------------------------------------------------

YEARS = [2020, 2021, 2022, 2023]


@pytest.fixture(scope="module")
def generator():
    return _generator()


def test_energy_economics_and_waste_for_every_year_from_2020(sample):
    energy = sample.energy
    for year in YEARS:
        assert (energy["year"] == year).sum() > 100, year
        assert set(sample.solid_waste.loc[sample.solid_waste["year"] == year, "enterprise_id"]) == set(
            sample.solid_waste.loc[sample.solid_waste["year"] == 2023, "enterprise_id"]
        )
    # the years before the reporting year are whole-year totals
    assert energy.loc[energy["year"] < 2023, "month"].isna().all()
    # every enterprise that was in the park in a year has its energy and economics of that year, and so has the
    # one moved in later (its data from before, for the restated baseline); the new build has none before it
    firms = sample.enterprises.set_index("enterprise_id")
    for year in YEARS:
        built = firms["boundary_change"].ne("new_build") | (firms["joined_year"] <= year)
        still = firms["left_year"].isna() | (firms["left_year"] > year)
        expected = set(firms.index[built.fillna(False) & still.fillna(False)])
        assert set(energy.loc[energy["year"] == year, "enterprise_id"]) == expected, year
        assert set(sample.economics.loc[sample.economics["year"] == year, "enterprise_id"]) == expected, year
    assert len(firms) == 46


def test_2020_is_the_covid_year_and_2021_the_recovery(sample):
    energy = sample.energy
    power = energy[energy["carrier"] == "electricity"].pivot_table(
        index="enterprise_id", columns="year", values="quantity", aggfunc="sum", observed=True
    )
    before = power.dropna(subset=[2020, 2021, 2022])
    assert len(before) == 45
    share_2020, share_2021 = before[2020] / before[2022], before[2021] / before[2022]
    assert share_2020.between(0.75, 0.95).all() and share_2021.between(0.85, 1.0).all()
    assert (share_2020 < share_2021).mean() > 0.9
    assert sorted(set(energy["year"])) == YEARS


def test_waste_utilisation_rises_to_the_published_96_8_percent(sample):
    rates, totals = [], []
    for year in YEARS:
        waste = sample.solid_waste[sample.solid_waste["year"] == year]
        totals.append(waste["generated"].sum())
        rates.append(
            carbon.waste_utilization_rate(
                waste["generated"].sum(), waste["utilized"].sum(), waste["prior_stock_utilized"].sum()
            )
        )
    assert totals == [34000, 38000, 42000, 46000]
    assert rates == pytest.approx([0.925, 0.94, 0.955, 0.968], abs=1e-12)


def test_economics_at_2020_prices(sample, generator):
    economics = sample.economics
    assert economics[["output_value_constant", "added_value_constant"]].notna().all().all()
    first = economics[economics["year"] == 2020]
    assert (first["output_value_constant"] == first["output_value"]).all()
    assert (first["added_value_constant"] == first["added_value"]).all()
    # later years deflated by the stated price index (national PPI: +8.1 %, +4.1 %, -3.0 %)
    assert generator.price_index(2023) == pytest.approx(1.081 * 1.041 * 0.970)
    later = economics[economics["year"] > 2020]
    index = later["year"].map(generator.price_index)
    assert (later["output_value_constant"] - later["output_value"] / index).abs().max() <= 0.05


def test_the_park_method_tables_cover_every_year(sample):
    # the heat company, the rooftop PV and the LNG plant in every year; products: the lime kiln of the enterprise
    # that moved out in 2023, then the industrial-silicon works (new in 2022)
    for name in ("generation", "power_heat_flows", "conversion_outputs", "products"):
        assert sorted(set(sample.table(name)["year"])) == YEARS, name
    products = sample.products.groupby("product")["year"].agg(lambda years: sorted(set(years))).to_dict()
    assert products == {"lime": [2020, 2021, 2022], "silicon_metal": [2022, 2023]}
    silicon = sample.enterprises.set_index("name").at["青海西川硅材料有限公司", "enterprise_id"]
    for name in ("energy", "economics", "products"):
        table = sample.table(name)
        assert table.loc[table["enterprise_id"] == silicon, "year"].min() == 2022, name
    # heat sold to a neighbour is at most what it used, every year
    flows = sample.power_heat_flows
    heat = flows[flows["carrier"] == "heat"]
    used = sample.energy[sample.energy["carrier"] == "heat"].groupby(["enterprise_id", "year"])["quantity"].sum()
    for row in heat.itertuples():
        assert row.quantity <= used[(row.receiver_id, row.year)] + 1e-9


def test_boundary_changes(sample):
    firms = sample.enterprises.set_index("name")
    changed = firms[firms["boundary_change"].notna()]
    assert changed["boundary_change"].to_dict() == {
        "青海西川硅材料有限公司": "new_build",
        "青海宏达锂能材料有限公司": "moved_in",
        "青海高原精细化工有限公司": "moved_out",
    }
    assert firms.at["青海西川硅材料有限公司", "joined_year"] == 2022
    assert firms.at["青海宏达锂能材料有限公司", "joined_year"] == 2023
    assert firms.at["青海高原精细化工有限公司", "left_year"] == 2023
    assert changed["boundary_note"].notna().all()
    # the one that left is new, last on the sheet, with a valid code and nothing in 2023
    assert sample.enterprises["name"].iloc[-1] == "青海高原精细化工有限公司"
    left = firms.at["青海高原精细化工有限公司", "enterprise_id"]
    assert uscc_problem(left) is None
    for name in ("energy", "economics", "products"):
        table = sample.table(name)
        assert sorted(set(table.loc[table["enterprise_id"] == left, "year"])) == [2020, 2021, 2022], name
    # the one moved in keeps its data of the years before it joined
    moved_in = firms.at["青海宏达锂能材料有限公司", "enterprise_id"]
    assert sorted(set(sample.energy.loc[sample.energy["enterprise_id"] == moved_in, "year"])) == YEARS
    assert carbon.validate_workbook(carbon.sample_workbook_path()).ok


def test_plan_targets_against_2020(sample):
    targets = sample.targets.set_index("indicator")
    assert targets.at["energy_intensity_reduction", "value"] == 13.5
    assert targets.at["carbon_intensity_reduction", "value"] == 18
    for indicator in ("energy_intensity_reduction", "carbon_intensity_reduction"):
        assert (targets.at[indicator, "year"], targets.at[indicator, "base_year"]) == (2025, 2020)
        assert targets.at[indicator, "unit"] == "%"
    assert targets.at["energy_consumption", "year"] == 2025
    assert targets.at["energy_consumption", "value"] > 995_993  # a cap above 2023's use
    assert len(targets) == 5


#: Rows and the sum of a column of each table in 2022 and 2023, as the sample had them before the years 2020 and 2021
#: were added (the enterprise that left in 2023 aside): the new years leave them alone.
BEFORE_ISSUE_16 = {
    ("energy", "quantity"): {2022: (144, 909764.11), 2023: (1677, 1094596.57)},
    ("economics", "output_value"): {2022: (45, 2056869.5), 2023: (45, 2627112.5)},
    ("conversion_outputs", "quantity"): {2022: (1, 31510.0), 2023: (1, 34250.0)},
    ("generation", "quantity"): {2022: (2, 49337.7), 2023: (2, 53860.5)},
    ("power_heat_flows", "quantity"): {2022: (5, 46269.74), 2023: (5, 50542.27)},
    ("green_power", "quantity"): {2022: (1, 553.3), 2023: (25, 1701999.5)},
    ("products", "output"): {2022: (1, 12000.0), 2023: (1, 40000.0)},
    ("solid_waste", "generated"): {2023: (13, 46000.0)},
    ("resources", "water_total"): {2023: (42, 59052600.0)},
}


def test_the_years_before_leave_2022_and_2023_alone(sample):
    left = sample.enterprises.loc[sample.enterprises["boundary_change"] == "moved_out", "enterprise_id"]
    for (name, column), years in BEFORE_ISSUE_16.items():
        table = sample.table(name)
        if "enterprise_id" in table.columns:
            table = table[~table["enterprise_id"].isin(left)]
        for year, (rows, total) in years.items():
            mine = table[table["year"] == year]
            assert len(mine) == rows, (name, year)
            assert round(float(mine[column].sum()), 2) == total, (name, year)
        # the rows the sample had come first, in their order: the new ones are appended
        positions = np.flatnonzero(table["year"].isin(list(years)).to_numpy())
        assert (positions == np.arange(len(positions))).all(), name


def test_the_2023_account_is_unchanged(sample):
    account = sample.account()
    terms = account.tables["park_terms"].set_index("term")["value"]
    assert round(terms["total"], 1) == 4_392_145.0
    assert round(terms["carbon_per_energy"], 4) == 4.4098
    assert round(terms["tce"]) == 995_993
