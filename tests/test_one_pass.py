"""Errors fixed in one pass (issue 14, part 3): one root cause is one message, problems come sorted by sheet and
row, the annotated copy opens on its problem list, and the reader does what 填表说明 promises."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from breakage import break_sample
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

import carbon
from carbon.cli import main
from carbon.errors import WorkbookError
from carbon.io.annotate import LIST_SHEET, annotate_workbook
from carbon.io.park_template import INSTRUCTIONS
from carbon.names import carriers
from carbon.schema import table
from carbon.validation.problems import Problem, ReadReport, column_letter
from carbon.validation.uscc import uscc_check_character

SAMPLE = carbon.sample_workbook_path()
ENTERPRISES = table("enterprises").sheet
PARK = {"name": "一遍改完园区", "province": "青海", "reporting_year": 2023, "baseline_year": 2022}
E1, E2 = "91350100M000100Y43", "914403001922038216"  # valid codes (GB 32100-2015 check character)
FIRMS = pd.DataFrame(
    [
        {"enterprise_id": E1, "name": "甲公司", "industry": "化工", "above_designated_size": "是"},
        {"enterprise_id": E2, "name": "乙公司", "industry": "化工", "above_designated_size": "否"},
    ]
)


def _energy(*codes: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"enterprise_id": code, "year": 2023, "month": month, "carrier": "电力", "quantity": 10.0, "unit": "MWh"}
            for month, code in enumerate(codes, start=1)
        ]
    )


def _errors(**tables) -> list[Problem]:
    with pytest.raises(WorkbookError) as caught:
        carbon.Ledger.from_frames(PARK, **tables)
    return caught.value.report.errors


def _references(book: openpyxl.Workbook, code: str) -> dict[str, list[int]]:
    """The rows of every sheet but the enterprises sheet that give ``code`` in an enterprise column."""
    found: dict[str, list[int]] = {}
    for sheet in book.worksheets:
        if sheet.title == ENTERPRISES:
            continue
        header = [str(c.value or "") for c in sheet[1]]
        columns = [i for i, h in enumerate(header) if h.startswith(("统一社会信用代码", "供方", "受方"))]
        for row in sheet.iter_rows(min_row=2):
            if any(row[i].value == code for i in columns if i < len(row)):
                found.setdefault(sheet.title, []).append(row[0].row)
    return found


# -- one root cause, one message -----------------------------------------------------------------------------


def test_a_mistyped_code_on_the_enterprises_sheet_is_one_error_naming_the_rows_and_the_code(tmp_path):
    book = openpyxl.load_workbook(SAMPLE)
    right = book[ENTERPRISES]["A3"].value
    wrong = right[:17] + next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != right[17])
    book[ENTERPRISES]["A3"] = wrong
    referring = _references(book, right)
    path = tmp_path / "园区.xlsx"
    book.save(path)

    report = carbon.validate_workbook(path)

    assert [(p.sheet, p.cell, p.code, p.value) for p in report.errors] == [(ENTERPRISES, "A3", "uscc", wrong)]
    (problem,) = report.errors
    total = sum(len(rows) for rows in referring.values())
    assert total > 30  # the sample's enterprise has rows on many sheets
    assert f"did you mean {right}?" in problem.message_en and f"是否应为 {right}？" in problem.message_zh
    assert f"{total} rows on other sheets" in problem.message_en and f"有 {total} 行" in problem.message_zh
    for sheet in referring:
        assert sheet in problem.message_en and sheet in problem.message_zh
    # the rows are held back, not accepted: every row accounted for
    by_sheet = {count.sheet: count for count in report.counts.values()}
    for sheet, rows in referring.items():
        assert by_sheet[sheet].rejected == len(rows)
    with pytest.raises(WorkbookError):
        carbon.read_workbook(path)


def test_a_valid_but_mistyped_listed_code_is_reported_at_the_enterprises_sheet():
    slip = E1[:16] + "1"  # one character off, with a valid check character again: only the references tell
    slip += uscc_check_character(slip)
    firms = FIRMS.assign(enterprise_id=[slip, E2])
    errors = _errors(enterprises=firms, energy=_energy(E1, E1, E1, E2))
    assert [(p.sheet, p.cell, p.code) for p in errors] == [("enterprises", "enterprise_id row 1", "unknown_enterprise")]
    assert f"3 rows give the similar code {E1}" in errors[0].message_en
    assert f"did you mean {E1}?" in errors[0].message_en and "energy rows 1–3" in errors[0].message_en


def test_a_typo_in_a_referring_row_suggests_the_listed_code():
    typo = E1[:15] + E1[16] + E1[15] + E1[17:]  # two neighbouring characters swapped
    errors = _errors(enterprises=FIRMS, energy=_energy(E1, typo, E2, "91630100MA00000000"))
    found = {p.cell: p for p in errors}
    assert set(found) == {"enterprise_id row 2", "enterprise_id row 4"}
    assert found["enterprise_id row 2"].message_en.endswith(f"did you mean {E1} (甲公司)?")
    assert f"是否应为 {E1}（甲公司）？" in found["enterprise_id row 2"].message_zh
    # a code like no listed one gets no guess
    assert found["enterprise_id row 4"].message_en == "no such enterprise on the enterprises sheet"


def test_a_typo_of_a_code_other_rows_give_is_reported_at_its_row_not_at_the_listing():
    # internal codes (no check character): whether the listed code is given elsewhere decides where the slip is
    firms = FIRMS.assign(enterprise_id=["QH-0001", "QH-0002"], id_type="内部编码")
    errors = _errors(enterprises=firms, energy=_energy("QH-0001", "QH-0001", "QH-0O01", "QH-0002"))
    assert [(p.sheet, p.cell, p.code) for p in errors] == [("energy", "enterprise_id row 3", "unknown_enterprise")]
    assert errors[0].message_en.endswith("did you mean QH-0001 (甲公司)?")
    # given by no row, the listed code is the slip: reported once, at the enterprises sheet
    errors = _errors(enterprises=firms, energy=_energy("QH-0O01", "QH-0O01", "QH-0002"))
    assert [(p.sheet, p.cell, p.code) for p in errors] == [("enterprises", "enterprise_id row 1", "unknown_enterprise")]


def test_a_code_mistyped_alike_on_the_other_sheets_is_reported_where_it_is_wrong():
    # the enterprises sheet is right (the code is valid), the rows are not (their check character fails)
    wrong = E1[:17] + ("0" if E1[17] != "0" else "1")
    errors = _errors(enterprises=FIRMS, energy=_energy(wrong, wrong, E2))
    assert [(p.cell, p.code) for p in errors] == [
        ("enterprise_id row 1", "unknown_enterprise"),
        ("enterprise_id row 2", "unknown_enterprise"),
    ]
    assert all(p.message_en.endswith(f"did you mean {E1} (甲公司)?") for p in errors)


def test_a_refused_energy_row_is_not_reported_again_through_the_claims_on_that_energy():
    typo = E1[:15] + E1[16] + E1[15] + E1[17:]
    energy = pd.DataFrame(
        [
            {"enterprise_id": typo, "year": 2023, "carrier": "电力", "quantity": 1000.0, "unit": "MWh"},
            {"enterprise_id": E2, "year": 2023, "carrier": "电力", "quantity": 1000.0, "unit": "MWh"},
        ]
    )
    green = pd.DataFrame(
        [
            {"enterprise_id": code, "year": 2023, "instrument": "绿电交易", "quantity": 500.0, "unit": "MWh"}
            | {"certificate_id": f"GT-{code}"}
            for code in (E1, E2)
        ]
    )
    errors = _errors(enterprises=FIRMS, energy=energy, green_power=green)
    # the typo is the one cause: 甲's green power is not also reported above an electricity use it lost
    assert [(p.sheet, p.cell, p.code) for p in errors] == [("energy", "enterprise_id row 1", "unknown_enterprise")]
    # a claim above use of an enterprise whose energy rows all stand is still reported
    green.loc[1, "quantity"] = 5000.0
    errors = _errors(enterprises=FIRMS, energy=energy, green_power=green)
    assert ("green_power", "quantity row 2", "green_above_use") in {(p.sheet, p.cell, p.code) for p in errors}


def test_an_enterprise_name_typed_for_its_code_is_answered_with_the_code():
    (problem,) = _errors(enterprises=FIRMS, energy=_energy(E1, "乙公司"))
    assert problem.cell == "enterprise_id row 2" and f"give its code {E2}" in problem.message_en


def test_a_credit_code_in_lower_case_is_the_listed_code():
    ledger = carbon.Ledger.from_frames(PARK, enterprises=FIRMS, energy=_energy(E1.lower(), E1))
    assert ledger.report.ok
    assert list(ledger.energy["enterprise_id"]) == [E1, E1]


# -- problems sorted by sheet, row and column ----------------------------------------------------------------


def _reading_order(sheets: list[str]):
    def key(problem: dict) -> tuple:
        if not problem["sheet"]:
            return (-1, 0, 0, 0)
        if not problem["cell"]:
            return (sheets.index(problem["sheet"]), 0, 0, 0)
        letters, row = coordinate_from_string(problem["cell"])
        return (sheets.index(problem["sheet"]), 1, row, column_index_from_string(letters))

    return key


def test_problems_come_sorted_by_sheet_row_and_column_to_every_consumer(tmp_path, capsys):
    broken = tmp_path / "broken.xlsx"
    break_sample(SAMPLE, broken)
    book = openpyxl.load_workbook(broken)
    book.create_sheet("备注")  # a sheet that is no table: its notice has no cell
    book.save(broken)
    sheets = book.sheetnames  # the sample's sheets are in the template's order

    report = carbon.validate_workbook(broken)
    found = [p.to_dict() for p in report.problems]
    assert len(found) > 10 and len({p["sheet"] for p in found}) > 5
    assert found == sorted(found, key=_reading_order(sheets))
    assert [p.to_dict() for p in report.errors] == [p for p in found if p["severity"] == "error"]

    assert main(["validate", str(broken), "--format", "json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed == found


def test_whole_sheet_problems_come_first_in_their_sheet_and_the_file_before_all():
    report = ReadReport("x.xlsx")
    energy, enterprises = table("energy").sheet, table("enterprises").sheet
    added = [
        Problem("error", energy, "B12", "", "z", "z"),
        Problem("error", energy, "AA3", "", "z", "z"),
        Problem("error", "其他", "", "", "z", "z"),
        Problem("error", energy, "C3", "", "z", "z"),
        Problem("warning", enterprises, "A9", "", "z", "z"),
        Problem("error", energy, "", "", "z", "z"),
        Problem("error", "", "", "", "z", "z"),
    ]
    for problem in added:
        report.add(problem)
    assert [(p.sheet, p.cell) for p in report.problems] == [
        ("", ""),
        (enterprises, "A9"),
        (energy, ""),
        (energy, "C3"),
        (energy, "AA3"),
        (energy, "B12"),
        ("其他", ""),
    ]


# -- the annotated copy opens on its problem list ------------------------------------------------------------


def _broken_for_annotation(tmp_path: Path) -> Path:
    book = openpyxl.load_workbook(SAMPLE)
    energy = book[table("energy").sheet]
    carrier = energy["D2"]
    carrier.value, carrier.data_type = "=SUM(A1:A3)", "s"  # text that looks like a formula: an unknown carrier
    energy["E3"] = "十二"
    waste = book[table("solid_waste").sheet]
    stored = f"{column_letter(table('solid_waste').names.index('stored'))}2"
    waste[stored] = (waste[stored].value or 0) + 1000  # the balance does not close: a warning only
    book.create_sheet("备注 notes")  # not a table: a notice without a cell
    path = tmp_path / "园区 (复核).xlsx"
    book.save(path)
    return path


def test_the_annotated_copy_opens_on_a_problem_list_that_links_to_every_cell(tmp_path):
    broken = _broken_for_annotation(tmp_path)
    report = carbon.validate_workbook(broken)
    out, _ = annotate_workbook(broken, report.problems, tmp_path / "标注.xlsx")

    book = openpyxl.load_workbook(out)
    original = openpyxl.load_workbook(broken)
    assert book.sheetnames == [LIST_SHEET, *original.sheetnames]
    assert book.active.title == LIST_SHEET
    assert [s.title for s in book.worksheets if s.sheet_view.tabSelected] == [LIST_SHEET]
    listing = book[LIST_SHEET]
    assert listing.freeze_panes == "A3"
    header = [c.value for c in listing[2]]
    assert header[:4] == ["序号 no.", "严重程度 severity", "工作表 sheet", "单元格 cell"]
    rows = list(listing.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(report.problems)
    for number, (row, problem) in enumerate(zip(rows, report.problems, strict=True), start=1):
        assert row[0] == number and row[2] == problem.sheet
        assert (row[3] or "") == problem.cell and (row[4] or "") == problem.value
        assert row[5] == problem.message_zh and row[6] == problem.message_en
    for index, problem in enumerate(report.problems, start=3):
        linked = listing.cell(index, 4 if problem.cell else 3)
        location = linked.hyperlink.location
        match = re.fullmatch(r"'((?:[^']|'')+)'!([A-Z]+[0-9]+)", location)
        assert match, location
        sheet, cell = match.group(1).replace("''", "'"), match.group(2)
        assert sheet == problem.sheet and sheet in book.sheetnames
        assert cell == (problem.cell or "A1")
    notes = [p for p in report.problems if p.sheet == "备注 notes"]
    assert notes and not notes[0].cell  # listed with its sheet only


def test_problem_sheets_tabs_are_red_for_errors_and_amber_for_warnings(tmp_path):
    broken = _broken_for_annotation(tmp_path)
    report = carbon.validate_workbook(broken)
    book = openpyxl.load_workbook(annotate_workbook(broken, report.problems, tmp_path / "标注.xlsx")[0])
    worst = {}
    for problem in report.problems:
        if problem.severity == "error" or (problem.severity == "warning" and worst.get(problem.sheet) != "error"):
            worst[problem.sheet] = problem.severity
    assert "error" in worst.values() and "warning" in worst.values()
    for sheet in book.worksheets:
        colour = sheet.sheet_properties.tabColor.rgb[-6:] if sheet.sheet_properties.tabColor else None
        assert colour == {"error": "C00000", "warning": "FFC000"}.get(worst.get(sheet.title)), sheet.title


def test_formula_like_values_stay_text_in_the_problem_list(tmp_path):
    broken = _broken_for_annotation(tmp_path)
    report = carbon.validate_workbook(broken)
    assert any(p.value == "=SUM(A1:A3)" for p in report.problems)
    out, _ = annotate_workbook(broken, report.problems, tmp_path / "标注.xlsx")
    listing = openpyxl.load_workbook(out)[LIST_SHEET]
    cells = [c for row in listing.iter_rows() for c in row if c.value == "=SUM(A1:A3)"]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(out) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()  # the list: no formula at all


def test_annotating_an_annotated_copy_replaces_its_problem_list(tmp_path):
    broken = _broken_for_annotation(tmp_path)
    report = carbon.validate_workbook(broken)
    first, _ = annotate_workbook(broken, report.problems, tmp_path / "标注.xlsx")
    again, _ = annotate_workbook(first, report.problems[:1], tmp_path / "标注2.xlsx")
    book = openpyxl.load_workbook(again)
    assert book.sheetnames.count(LIST_SHEET) == 1 and book.sheetnames[0] == LIST_SHEET
    assert book[LIST_SHEET].max_row == 3


# -- what 填表说明 promises is what the reader does ----------------------------------------------------------


def test_a_percent_target_with_a_blank_unit_takes_the_indicators_unit():
    targets = pd.DataFrame(
        [
            {"indicator": "清洁能源消费占比", "year": 2025, "value": "50%", "unit": None},
            {"indicator": "工业用水重复利用率", "year": 2025, "value": "92 %", "unit": ""},
        ]
    )
    ledger = carbon.Ledger.from_frames(PARK, enterprises=FIRMS, targets=targets)
    assert ledger.report.ok
    assert ledger.targets[["value", "unit"]].to_numpy().tolist() == [[50.0, "%"], [92.0, "%"]]


def test_a_percent_sign_on_a_target_not_in_percent_is_refused():
    targets = pd.DataFrame([{"indicator": "碳排放总量", "year": 2025, "value": "50%", "unit": None}])
    (problem,) = _errors(enterprises=FIRMS, targets=targets)
    assert problem.code == "unreadable" and "tCO2" in problem.message_en


def test_the_instructions_list_the_carriers_that_the_error_message_sends_staff_to(tmp_path):
    report = carbon.validate_workbook(_broken_for_annotation(tmp_path))
    (unknown,) = [p for p in report.errors if p.value == "=SUM(A1:A3)"]
    assert "see the instructions sheet" in unknown.message_en
    path = carbon.write_template(tmp_path / "模板.xlsx")
    text = " ".join(
        str(c) for row in openpyxl.load_workbook(path)[INSTRUCTIONS].iter_rows(values_only=True) for c in row
    )
    assert [name for name in carriers()["name_zh"] if name not in text] == []


def test_an_annotated_copy_checked_again_says_nothing_of_its_problem_list(tmp_path):
    """Staff fix the annotated copy and check it again: its 问题清单 is the tool's sheet, not an unknown one."""
    broken = _broken_for_annotation(tmp_path)
    report = carbon.validate_workbook(broken)
    out, _ = annotate_workbook(broken, report.problems, tmp_path / "标注.xlsx")
    again = carbon.validate_workbook(out)
    assert not [p for p in again.problems if p.sheet == LIST_SHEET]
    assert len(again.problems) == len(report.problems)


def test_a_problem_inside_a_merged_range_marks_its_first_cell(tmp_path):
    """A problem cell in a merged range (staff merge cells for layout) was a traceback (MergedCell)."""
    book = openpyxl.load_workbook(carbon.sample_workbook_path())
    energy = book["能源消费 energy"]
    energy["E3"] = "十二"
    energy.merge_cells("D3:E3")
    broken = tmp_path / "merged.xlsx"
    book.save(broken)
    report = carbon.validate_workbook(broken)
    assert report.errors
    out, marked = annotate_workbook(broken, report.problems, tmp_path / "标注.xlsx")
    assert marked >= 1
    copy = openpyxl.load_workbook(out)["能源消费 energy"]
    assert any(copy[ref].comment is not None for ref in ("D3", "E3"))
