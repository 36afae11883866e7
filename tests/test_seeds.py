"""seeds/: the sample park reproduces the published park-level figures and is generated deterministically."""

from __future__ import annotations

import hashlib
import importlib.util

import pandas as pd
import pytest
from conftest import REPO

import carbon


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
