"""carbon/io (park_template, park_workbook, xlsx_preflight, annotate): the template, reading with tolerance and
strictness, annotation, and format errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from breakage import break_sample

import carbon
from carbon.errors import WorkbookError, WorkbookFormatError
from carbon.io.annotate import annotate_workbook
from carbon.schema import CHOICES, TABLES, table

SAMPLE = carbon.sample_workbook_path()
E1, E2 = "91350100M000100Y43", "914403001922038216"  # valid codes (GB 32100-2015 check digit)

PARK = {
    "name": "测试园区",
    "province": "青海",
    "reporting_year": 2023,
    "baseline_year": 2022,
    "sub_parks": "东区、西区",
}
DATA = {
    "enterprises": [
        {
            "enterprise_id": E1,
            "name": "甲公司",
            "sub_park": "东区",
            "industry": "多晶硅",
            "above_designated_size": "是",
        },
        {
            "enterprise_id": E2,
            "name": '=HYPERLINK("http://x","y")',
            "sub_park": "西区",
            "industry": "食品",
            "above_designated_size": "否",
        },
    ],
    "economics": [{"enterprise_id": E1, "year": 2023, "output_value": 125000.5, "added_value": 31000}],
    "energy": [
        {
            "enterprise_id": E1,
            "year": 2023,
            "month": 1,
            "carrier": "天然气",
            "quantity": 12.5,
            "unit": "万Nm3",
            "use": "燃料",
        },
        {
            "enterprise_id": E1,
            "year": 2023,
            "month": 1,
            "carrier": "电力",
            "quantity": 850,
            "unit": "万kWh",
            "use": "燃料",
        },
        {"enterprise_id": E2, "year": 2023, "carrier": "柴油", "quantity": 3.25, "unit": "吨"},
    ],
    "green_power": [
        {
            "enterprise_id": E1,
            "year": 2023,
            "instrument": "绿电交易",
            "quantity": 4000,
            "unit": "MWh",
            "certificate_id": "C-1",
            "source": "光伏",
        }
    ],
    "projects": [
        {
            "project_id": "P1",
            "enterprise_id": E1,
            "name": "余热回收",
            "category": "余热余压利用",
            "status": "已完成",
            "responsible_unit": "经发局",
            "responsible_person": "张三",
            "planned_completion": dt.datetime(2023, 6, 30),
            "completion_date": dt.datetime(2023, 6, 1),
            "investment": 800,
            "saving_quantity": 120,  # within the 166.2 tce of fuel its enterprise burned
            "saving_unit": "tce",
            "saving_carrier": "热力",
        },
    ],
    "boilers": [
        {
            "boiler_id": "B1",
            "enterprise_id": E2,
            "capacity": 10,
            "fuel_before": "原煤",
            "fuel_after": "天然气",
            "retrofit_date": dt.datetime(2023, 9, 30),
            "heat_output": 60000,
            "efficiency_before": 70,
        }
    ],
    "solid_waste": [
        {
            "enterprise_id": E1,
            "year": 2023,
            "waste_type": "冶炼废渣",
            "generated": 5000,
            "utilized": 4800,
            "disposed": 150,
            "stored": 50,
        }
    ],
    "green_factories": [{"enterprise_id": E1, "level": "国家级", "year_awarded": 2021}],
    "resources": [
        {
            "enterprise_id": E1,
            "year": 2023,
            "waste_heat_recoverable": 20000,
            "waste_heat_utilized": 12000,
            "water_total": 800000,
            "water_reused": 700000,
            "product_energy_level": "二级",
        }
    ],
    "targets": [{"indicator": "新增绿色工厂数", "year": 2024, "value": 4}],
    "custom_factors": [
        {
            "enterprise_id": E2,
            "parameter": "低位发热量",
            "carrier": "原煤",
            "value": 21.5,
            "unit": "GJ/t",
            "evidence": "检测报告 1",
        }
    ],
}


def fill_template(template: Path, out: Path, park: dict, data: dict) -> None:
    """Fill the template by header name, as a script of the park's staff would."""
    book = openpyxl.load_workbook(template)
    park_sheet = book[table("park").sheet]
    for row in park_sheet.iter_rows(min_row=2):
        for column in table("park").columns:
            if row[0].value == column.header and column.name in park:
                row[1].value = park[column.name]
    for name, records in data.items():
        spec = table(name)
        sheet = book[spec.sheet]
        position = {cell.value: cell.column for cell in sheet[1]}
        for r, record in enumerate(records, start=2):
            for column, value in record.items():
                sheet.cell(r, position[spec.column(column).header]).value = value
                if isinstance(value, str) and value.startswith("="):
                    sheet.cell(r, position[spec.column(column).header]).data_type = "s"
    book.save(out)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    carbon.write_template(folder / "t.xlsx")
    fill_template(folder / "t.xlsx", folder / "filled.xlsx", PARK, DATA)
    return folder / "filled.xlsx"


def _label_to_id(spec_column, value):
    if spec_column.kind == "choice":
        labels = {a: c.id for c in CHOICES[spec_column.choices] for a in c.aliases}
        return {**labels, **{c.zh: c.id for c in CHOICES[spec_column.choices]}}.get(value, value)
    if spec_column.kind == "carrier":
        return carbon.names.resolve_carrier(value)
    if spec_column.kind == "bool":
        return value == "是"
    if spec_column.kind == "percent":
        return value / 100
    if spec_column.kind == "date":
        return pd.Timestamp(value)
    return value


def test_acceptance_template_filled_by_header_reads_back_exactly(filled):
    ledger = carbon.read_workbook(filled)
    assert dict(ledger.park) == {**PARK, "province": "Qinghai", "sub_parks": ("东区", "西区")}
    for name, records in DATA.items():
        frame = ledger.table(name)
        assert len(frame) == len(records), name
        for i, record in enumerate(records):
            for column, value in record.items():
                got = frame.at[i, column]
                want = _label_to_id(table(name).column(column), value)
                if isinstance(want, float | int) and not isinstance(want, bool):
                    assert got == pytest.approx(want), (name, column)
                else:
                    assert got == want, (name, column)
    # what the template leaves blank stays blank, except the documented defaults
    assert pd.isna(ledger.energy.at[2, "month"])
    assert ledger.targets.at[0, "unit"] == "家"
    assert ledger.solid_waste.at[0, "prior_stock_utilized"] == 0.0
    assert ledger.energy["source_row"].tolist() == [2, 3, 4]


def test_formula_lookalike_text_is_kept_as_text(filled):
    ledger = carbon.read_workbook(filled)
    assert ledger.enterprises.at[1, "name"] == '=HYPERLINK("http://x","y")'


def test_template_layout(tmp_path):
    path = carbon.write_template(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "填表说明 instructions"
    assert [t.sheet for t in TABLES] == book.sheetnames[1:-1]
    assert book["lists"].sheet_state == "hidden"
    energy = book[table("energy").sheet]
    assert [c.value for c in energy[1]] == [c.header for c in table("energy").columns]
    assert energy.freeze_panes == "A2"
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in energy.data_validations.dataValidation}
    assert validations["A2"] == "enterprise_ids" and validations["D2"] == "list_carrier"
    assert "list_use" in validations["G2"]
    assert energy["A1"].comment is not None
    instructions = [row[1] for row in book["填表说明 instructions"].iter_rows(values_only=True)]
    assert "消费量 quantity" in instructions


def test_ledger_written_in_template_format_reads_back_equal(tmp_path):
    ledger = carbon.read_workbook(SAMPLE)
    again = carbon.read_workbook(carbon.write_workbook(ledger, tmp_path / "again.xlsx"))
    assert dict(again.park) == dict(ledger.park)
    for name in ledger.tables:
        pd.testing.assert_frame_equal(again.table(name), ledger.table(name), check_dtype=True, obj=name)


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


PARK_ROWS = [["name", "东川"], ["province", "青海省"], ["reporting_year", "2023年"], ["baseline_year", 2022]]


def test_tolerant_of_what_people_do(tmp_path):
    path = _workbook(
        tmp_path / "messy.xlsx",
        {
            "energy": [
                ["能源消费台账"],
                [],
                ["enterprise_id", "Year", " 能源品种 ", "quantity", "unit", "备注 remark"],
                [E1, 2023, "天然气", "1,234.5", "万 Nm3", "随便写"],
                [],
                [f" {E1} ", "2023", "电力", "１２", "万千瓦时", ""],
                [E1, 2023, "电力", "30吨", "吨", ""],
            ],
            "企业": [["统一社会信用代码", "企业名称", "行业", "规上企业"], [E1, "甲", "化工", "Y"]],
            "园区 park": [
                ["name", "东川"],
                ["所在省份", "青海省"],
                ["报告年度 reporting_year", "2023年"],
                ["基准年", 2022],
            ],
        },
    )
    report = carbon.validate_workbook(path)
    errors = [p for p in report.problems if p.severity == "error"]
    assert [(p.cell, p.code) for p in errors] == [("E7", "unit_carrier")]  # electricity in 吨 is refused
    notices = {(p.sheet, p.cell, p.code) for p in report.problems if p.severity == "notice"}
    assert ("energy", "F3", "extra_column") in notices
    count = report.counts["energy"]
    assert (count.read, count.accepted, count.rejected, count.blank) == (4, 2, 1, 1)
    assert count.read == count.accepted + count.rejected + count.blank


def test_nothing_lost_counts_on_the_sample():
    report = carbon.validate_workbook(SAMPLE)
    assert report.ok and not report.problems
    for count in report.counts.values():
        assert count.read == count.accepted + count.rejected + count.blank
    assert report.counts["energy"].accepted == 2113


def test_acceptance_broken_sample_one_message_per_break(tmp_path):
    broken = tmp_path / "broken.xlsx"
    expected = break_sample(SAMPLE, broken)
    report = carbon.validate_workbook(broken)
    found = {(p.sheet, p.cell): p.code for p in report.problems if p.severity != "notice"}
    assert found == expected
    assert len(report.errors) == len(expected)
    for problem in report.errors:
        assert problem.message_zh and problem.message_en
    with pytest.raises(WorkbookError, match="has errors") as info:
        carbon.read_workbook(broken)
    assert len(info.value.report.errors) == len(expected)


def test_annotate_marks_exactly_the_problem_cells_and_never_touches_the_input(tmp_path):
    broken = tmp_path / "broken.xlsx"
    expected = break_sample(SAMPLE, broken)
    before = hashlib.sha256(broken.read_bytes()).hexdigest()
    report = carbon.validate_workbook(broken)
    out, marked = annotate_workbook(broken, report.problems, tmp_path / "marked.xlsx")
    assert hashlib.sha256(broken.read_bytes()).hexdigest() == before
    assert marked == len(expected)
    book = openpyxl.load_workbook(out)
    flagged = {
        (sheet.title, cell.coordinate)
        for sheet in book.worksheets[1:]  # the first is the problem list (tests/test_one_pass.py)
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill is not None and cell.fill.fgColor is not None and cell.fill.fgColor.rgb in ("00FFC7CE", "00FFEB9C")
    }
    assert flagged == set(expected)
    sheet, ref = next(iter(expected))
    assert "carbon" not in book[sheet][ref].comment.text or book[sheet][ref].comment.text
    with pytest.raises(carbon.CarbonError, match="must not overwrite"):
        annotate_workbook(broken, report.problems, broken)


def test_a_missing_park_fact_is_named(tmp_path):
    path = _workbook(
        tmp_path / "x.xlsx",
        {"园区": PARK_ROWS[1:], "企业": [["enterprise_id", "name", "industry", "above_designated_size"]]},
    )
    report = carbon.validate_workbook(path)
    assert [p.message_en for p in report.errors] == [
        "the fact '园区名称 name' is missing (item in column A, value in column B)"
    ]


def test_missing_required_sheet_and_column(tmp_path):
    path = _workbook(
        tmp_path / "x.xlsx", {"园区": PARK_ROWS, "能源消费": [["统一社会信用代码", "年度", "能源品种", "计量单位"]]}
    )
    report = carbon.validate_workbook(path)
    codes = {(p.sheet, p.code) for p in report.errors}
    assert ("企业 enterprises", "missing_sheet") in codes
    assert ("能源消费", "missing_column") in codes
    assert any("消费量 quantity" in p.message_zh for p in report.errors)


def test_duplicate_sheets_and_hidden_sheets(tmp_path):
    path = tmp_path / "x.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "园区"
    for row in PARK_ROWS:
        book.active.append(row)
    for name in ("企业", "enterprises"):
        sheet = book.create_sheet(name)
        sheet.append(["enterprise_id", "name", "industry", "above_designated_size"])
    book["enterprises"].sheet_state = "hidden"
    book.save(path)
    report = carbon.validate_workbook(path)
    assert [p.code for p in report.errors] == ["duplicate_sheet"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"enterprise_id,name\n1,2\n", "not an .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
        (b"PK\x03\x04 truncated", "damaged|not an .xlsx"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path, content, message):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookFormatError, match=message):
        carbon.read_workbook(path)
    report = carbon.validate_workbook(path)  # reports instead of raising
    assert not report.readable and len(report.errors) == 1
    assert re.search(message, report.errors[0].message_en)


def test_a_missing_file(tmp_path):
    with pytest.raises(WorkbookFormatError, match="file not found"):
        carbon.read_workbook(tmp_path / "nope.xlsx")


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(WorkbookFormatError, match="no xl/workbook.xml"):
        carbon.read_workbook(path)


def test_a_far_away_cell_is_refused_before_reading(tmp_path, monkeypatch):
    from carbon.io import xlsx_preflight as xlsx

    monkeypatch.setitem(xlsx.LIMITS, "max_cells", 1_000_000)
    path = tmp_path / "far.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "园区"
    book.active["A1"] = "name"
    book.active["ALL10000"] = 1
    book.save(path)
    with pytest.raises(WorkbookFormatError, match="spans 10000 rows x 1000 columns"):
        carbon.read_workbook(path)
    assert [p.code for p in carbon.validate_workbook(path).errors] == ["sheet_too_large"]


def _minimal_book(*codes: str) -> openpyxl.Workbook:
    """A park sheet and an enterprises sheet with one row per code."""
    book = openpyxl.Workbook()
    book.active.title = "园区"
    for row in PARK_ROWS:
        book.active.append(row)
    firms = book.create_sheet("企业")
    firms.append(["enterprise_id", "name", "industry", "above_designated_size"])
    for number, code in enumerate(codes):
        firms.append([code, f"企业{number}", "化工", "是"])
    return book


def test_hidden_rows_are_read_and_flagged(tmp_path):
    path = tmp_path / "hidden.xlsx"
    book = _minimal_book(E1, E2)
    book["企业"].row_dimensions[3].hidden = True
    book.save(path)
    ledger = carbon.read_workbook(path)
    assert len(ledger.enterprises) == 2
    assert [(p.sheet, p.code) for p in ledger.report.warnings] == [("企业", "hidden_rows")]


def test_1904_date_system(tmp_path):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    path = tmp_path / "mac.xlsx"
    book = _minimal_book(E1)
    book.epoch = CALENDAR_MAC_1904
    boilers = book.create_sheet("锅炉改造")
    boilers.append(
        ["boiler_id", "enterprise_id", "capacity", "fuel_before", "fuel_after", "retrofit_date", "heat_output"]
    )
    boilers.append(["B1", E1, 4, "原煤", "天然气", dt.datetime(2023, 9, 30), 1000])
    boilers.append(["B2", E1, 4, "原煤", "天然气", 43737, 1000])  # a bare serial, counted from 1904-01-01
    book.save(path)
    dates = carbon.read_workbook(path).boilers["retrofit_date"].tolist()
    assert dates == [pd.Timestamp("2023-09-30"), pd.Timestamp("2023-09-30")]
