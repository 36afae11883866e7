"""carbon/ledger.py: building a ledger from Python data goes through the same validation as a workbook."""

from __future__ import annotations

import pandas as pd
import pytest

import carbon
from carbon.errors import WorkbookError

E1 = "91350100M000100Y43"
PARK = {"name": "园区", "province": "Qinghai", "reporting_year": 2023, "baseline_year": 2022}
FIRMS = pd.DataFrame([{"enterprise_id": E1, "name": "甲", "industry": "化工", "above_designated_size": True}])


def test_from_frames_builds_typed_tables():
    energy = pd.DataFrame([{"enterprise_id": E1, "year": 2023, "carrier": "天然气", "quantity": 1.5, "unit": "万Nm3"}])
    ledger = carbon.Ledger.from_frames(PARK, enterprises=FIRMS, energy=energy)
    assert ledger.energy.at[0, "carrier"] == "natural_gas"
    assert ledger.energy["year"].dtype == "Int64"
    assert ledger.green_power.empty and "certificate_id" in ledger.green_power.columns
    assert ledger.park["province"] == "Qinghai"
    assert "energy=1" in repr(ledger)


def test_tables_are_copies():
    ledger = carbon.Ledger.from_frames(PARK, enterprises=FIRMS)
    frame = ledger.enterprises
    frame.loc[0, "name"] = "乙"
    assert ledger.enterprises.at[0, "name"] == "甲"


def test_problems_are_located_by_table_column_and_row():
    energy = pd.DataFrame(
        [
            {"enterprise_id": E1, "year": 2023, "carrier": "天然气", "quantity": -1.0, "unit": "万Nm3"},
            {"enterprise_id": "nobody", "year": 2023, "carrier": "电力", "quantity": 1.0, "unit": "kWh"},
        ]
    )
    with pytest.raises(WorkbookError) as info:
        carbon.Ledger.from_frames(PARK, enterprises=FIRMS, energy=energy)
    where = {(p.where, p.code) for p in info.value.report.errors}
    assert where == {("energy!quantity row 1", "negative"), ("energy!enterprise_id row 2", "unknown_enterprise")}


def test_unknown_tables_and_columns_are_refused():
    with pytest.raises(carbon.UnknownNameError, match="unknown table 'power'"):
        carbon.Ledger.from_frames(PARK, power=FIRMS)
    with pytest.raises(carbon.CarbonError, match="unknown columns \\['colour'\\]"):
        carbon.Ledger.from_frames(PARK, enterprises=FIRMS.assign(colour="red"))
    with pytest.raises(carbon.UnknownNameError):
        carbon.Ledger.from_frames(PARK, enterprises=FIRMS).table("power")


def test_park_facts_are_checked():
    with pytest.raises(WorkbookError, match="baseline year is after the reporting year"):
        carbon.Ledger.from_frames({**PARK, "baseline_year": 2024}, enterprises=FIRMS)
    with pytest.raises(WorkbookError, match="expected a province"):
        carbon.Ledger.from_frames({**PARK, "province": "西北"}, enterprises=FIRMS)


@pytest.mark.parametrize(
    ("table", "rows", "code"),
    [
        ("green_power", [{"year": 2023, "instrument": "绿证", "quantity": 5.0, "unit": "张"}], "required"),
        (
            "green_power",
            [{"year": 2023, "instrument": "绿电交易", "quantity": 5.0, "unit": "MWh", "certificate_id": "X"}],
            "green_above_use",
        ),
        (
            "green_power",
            [{"instrument": "绿电交易", "quantity": 5.0, "unit": "MWh", "certificate_id": "X"}],
            "missing_column",
        ),
        (
            "projects",
            [
                {
                    "project_id": "P",
                    "name": "n",
                    "category": "其他",
                    "status": "已完成",
                    "responsible_unit": "u",
                    "responsible_person": "p",
                    "planned_completion": "2023-05-01",
                }
            ],
            "required",
        ),
        (
            "boilers",
            [
                {
                    "boiler_id": "B",
                    "capacity": 4.0,
                    "fuel_before": "电力",
                    "fuel_after": "天然气",
                    "retrofit_date": "2023-05-01",
                    "heat_output": 1.0,
                }
            ],
            "not_a_fuel",
        ),
        (
            "boilers",
            [
                {
                    "boiler_id": "B",
                    "capacity": 4.0,
                    "fuel_before": "原煤",
                    "fuel_after": "天然气",
                    "retrofit_date": "2023-05-01",
                }
            ],
            "required",
        ),
        (
            "solid_waste",
            [{"year": 2023, "waste_type": "渣", "generated": 10.0, "utilized": 5.0, "prior_stock_utilized": 6.0}],
            "waste_balance",
        ),
        ("resources", [{"year": 2023, "water_total": 10.0, "water_reused": 11.0}], "resource_balance"),
        (
            "custom_factors",
            [{"parameter": "低位发热量", "carrier": "原煤", "value": 20.0, "unit": "tCO2/MWh", "evidence": "e"}],
            "unit_parameter",
        ),
        ("targets", [{"indicator": "新增绿色工厂数", "year": 2024, "value": 4.0, "unit": "%"}], "unit_indicator"),
        (
            "energy",
            [
                {"year": 2023, "carrier": "电力", "quantity": 1.0, "unit": "kWh"},
                {"year": 2023, "month": 1, "carrier": "电力", "quantity": 1.0, "unit": "kWh"},
            ],
            "annual_and_monthly",
        ),
    ],
)
def test_rules_across_columns(table, rows, code):
    frame = pd.DataFrame([row if table == "targets" else {"enterprise_id": E1, **row} for row in rows])
    with pytest.raises(WorkbookError) as info:
        carbon.Ledger.from_frames(PARK, enterprises=FIRMS, **{table: frame})
    assert code in {p.code for p in info.value.report.errors}


def test_warnings_do_not_stop_a_ledger():
    energy = pd.DataFrame([{"enterprise_id": E1, "year": 2023, "carrier": "电力", "quantity": 1.0, "unit": "kWh"}] * 2)
    ledger = carbon.Ledger.from_frames(PARK, enterprises=FIRMS, energy=energy)
    assert [p.code for p in ledger.report.warnings] == ["duplicate"]
    assert len(ledger.energy) == 2


def test_the_digest_of_a_python_ledger_follows_the_values_not_the_dtypes():
    sample = carbon.read_workbook(carbon.sample_workbook_path())
    tables = sample.tables
    as_str = {
        name: frame.astype({c: "str" for c in frame.columns if frame[c].dtype == object})
        for name, frame in tables.items()
    }
    first = carbon.Ledger(sample.park, tables)
    assert carbon.Ledger(sample.park, as_str).sha256 == first.sha256
    changed = {
        **tables,
        "energy": tables["energy"].assign(quantity=tables["energy"]["quantity"].where(lambda q: q.index != 5, 1.0)),
    }
    assert carbon.Ledger(sample.park, changed).sha256 != first.sha256
    assert carbon.Ledger({**sample.park, "name": "另一园区"}, tables).sha256 != first.sha256


def test_the_energy_table_holds_its_labels_as_categoricals():
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    energy = ledger.energy
    for column in carbon.ledger.CODED_LABELS:
        values = energy[column]
        assert isinstance(values.dtype, pd.CategoricalDtype), column
        assert values.cat.categories.tolist() == sorted(values.dropna().unique().tolist()), column
    # the same ledger built from plain text columns gives the same account
    plain = {**ledger.tables, "energy": energy.astype({c: object for c in carbon.ledger.CODED_LABELS})}
    again = carbon.Ledger(ledger.park, plain)
    assert again.energy["carrier"].dtype == energy["carrier"].dtype
    assert again.account().summary["total_tco2"] == ledger.account().summary["total_tco2"]


def test_a_blank_use_is_fuel_when_the_labels_are_coded():
    # validation types the energy table's labels as categoricals (issue 18): filling a blank use with "fuel"
    # must still work where no row says "fuel", and count as fuel
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    tables = {name: frame.drop(columns="source_row") for name, frame in ledger.tables.items()}
    energy = tables["energy"].astype({"use": object})
    energy.loc[energy["use"] == "fuel", "use"] = None
    assert "fuel" not in set(energy["use"].dropna())
    park = {**ledger.park, "province": "青海"}
    blank = carbon.Ledger.from_frames(park, **{**tables, "energy": energy})
    assert isinstance(blank._tables["energy"]["use"].dtype, pd.CategoricalDtype)
    before, after = ledger.account().summary, blank.account().summary
    for figure in ("park910_tco2", "scope1_tco2", "energy_tce"):
        assert after[figure] == pytest.approx(before[figure], rel=1e-12), figure


def test_a_mistyped_carrier_beside_one_solid_fuel_is_a_located_error():
    # the energy table's carrier is a categorical of one solid fuel and a blank (the unknown cell): the check of
    # reductants burned twice mapped it to a categorical of True and failed filling the blank (found in review)
    other = "91630100M1G8P7JDUH"
    firms = pd.DataFrame(
        {
            "enterprise_id": [E1, other],
            "name": ["甲", "乙"],
            "industry": ["多晶硅"] * 2,
            "above_designated_size": [True] * 2,
        }
    )
    energy = pd.DataFrame(
        {
            "enterprise_id": [E1] * 3 + [other] * 3,
            "year": [2023] * 6,
            "month": [1, 2, 3, 1, 2, 3],
            "carrier": ["原煤"] * 5 + ["煤炭X"],
            "quantity": [10.0, 11, 12, 13, 14, 15],
            "unit": ["吨"] * 6,
        }
    )
    products = pd.DataFrame(
        {"enterprise_id": [E1], "year": [2023], "product": ["silicon_metal"], "output": [100.0], "unit": ["吨"]}
    )
    with pytest.raises(WorkbookError) as caught:
        carbon.Ledger.from_frames(PARK, enterprises=firms, energy=energy, products=products)
    [problem] = [p for p in caught.value.report.problems if p.severity == "error"]
    assert problem.sheet.startswith("energy") and problem.row == 6 and problem.value == "煤炭X"
