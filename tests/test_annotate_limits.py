"""carbon/io/annotate.py: what openpyxl would build from a workbook is counted and bounded before it loads
anything, and whatever it cannot read or write is one located, bilingual error."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

import carbon.io.annotate as annotate
from carbon.cli import main
from carbon.errors import CarbonError, WorkbookFormatError
from carbon.io.annotate import annotate_workbook
from carbon.validation.problems import Problem

CJK = re.compile(r"[\u4e00-\u9fff]")
SHEET = "企业 enterprises"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _relations(*items: tuple[str, str, str]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{R}/{kind}" Target="{target}"/>' for i, kind, target in items)
    return f'{HEAD}<Relationships xmlns="{RELS}">{body}</Relationships>'


def build(path: Path, *, after_data: str = "", comments: int = 0, chart_sheet: str = "") -> Path:
    """A two-cell workbook written by hand: ``after_data`` goes after its sheetData (merged ranges, links ...);
    ``comments`` legacy comments on column A; ``chart_sheet`` "bare" adds a chart sheet without its
    relationships part, "empty" one whose drawing holds no chart."""
    types = [
        ("/xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", "spreadsheetml.worksheet+xml"),
    ]
    sheets = f'<sheet name="{SHEET}" sheetId="1" r:id="rId1"/>'
    book_rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    files: dict[str, str] = {}
    if comments:
        types.append(("/xl/comments1.xml", "spreadsheetml.comments+xml"))
        files["xl/worksheets/_rels/sheet1.xml.rels"] = _relations(("rId1", "comments", "../comments1.xml"))
        listed = "".join(
            f'<comment ref="A{i}" authorId="0"><text><t>c</t></text></comment>' for i in range(1, comments + 1)
        )
        files["xl/comments1.xml"] = (
            f'{HEAD}<comments xmlns="{MAIN}"><authors><author>a</author></authors>'
            f"<commentList>{listed}</commentList></comments>"
        )
    if chart_sheet:
        types.append(("/xl/chartsheets/sheet1.xml", "spreadsheetml.chartsheet+xml"))
        sheets += '<sheet name="图表 chart" sheetId="2" r:id="rId2"/>'
        book_rels.append(("rId2", "chartsheet", "chartsheets/sheet1.xml"))
        files["xl/chartsheets/sheet1.xml"] = (
            f'{HEAD}<chartsheet xmlns="{MAIN}" xmlns:r="{R}"><sheetPr/><sheetViews><sheetView workbookViewId="0"/>'
            '</sheetViews><drawing r:id="rId1"/></chartsheet>'
        )
        if chart_sheet == "empty":
            types.append(("/xl/drawings/drawing1.xml", "drawing+xml"))
            files["xl/chartsheets/_rels/sheet1.xml.rels"] = _relations(("rId1", "drawing", "../drawings/drawing1.xml"))
            files["xl/drawings/drawing1.xml"] = (
                f'{HEAD}<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"/>'
            )
    overrides = "".join(
        f'<Override PartName="{name}" ContentType="application/vnd.openxmlformats-officedocument.{kind}"/>'
        for name, kind in types
    )
    files["[Content_Types].xml"] = (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )
    files["_rels/.rels"] = _relations(("rId1", "officeDocument", "xl/workbook.xml"))
    files["xl/workbook.xml"] = f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{R}"><sheets>{sheets}</sheets></workbook>'
    files["xl/_rels/workbook.xml.rels"] = _relations(*book_rels)
    files["xl/worksheets/sheet1.xml"] = (
        f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{R}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t>'
        f'</is></c><c r="B1"><v>1</v></c></row></sheetData>{after_data}</worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


PROBLEMS = [Problem("error", SHEET, "B1", "1", "数值错误", "wrong number", "x")]
WHOLE_SHEET = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'


def refused(source: Path, out: Path) -> WorkbookFormatError:
    with pytest.raises(WorkbookFormatError) as caught:
        annotate_workbook(source, PROBLEMS, out)
    error = caught.value
    assert str(source) in str(error) and CJK.search(error.message_zh) and " / " in str(error)
    assert not out.exists()
    return error


def test_a_merged_range_over_the_whole_sheet_is_refused_named(tmp_path):
    error = refused(build(tmp_path / "merged.xlsx", after_data=WHOLE_SHEET), tmp_path / "out.xlsx")
    assert error.code == "merged_too_large"
    assert "A1:XFD1048576" in error.message_en and SHEET in error.message_en and "17,179,869,184" in str(error)


def test_the_merged_range_costs_little_memory(tmp_path):
    """Measured in a child process: openpyxl would build 17 billion merged cells (gigabytes) without the count."""
    source = build(tmp_path / "merged.xlsx", after_data=WHOLE_SHEET)
    child = (
        "import sys\n"
        "from carbon.errors import CarbonError\n"
        "from carbon.io.annotate import annotate_workbook\n"
        "from carbon.validation.problems import Problem\n"
        f"problems = [Problem('error', {SHEET!r}, 'B1', '1', '错', 'wrong')]\n"
        "try:\n"
        f"    annotate_workbook({str(source)!r}, problems, {str(tmp_path / 'out.xlsx')!r})\n"
        "except CarbonError as error:\n"
        "    print(error.code)\n"
    )
    parent = (
        "import resource, subprocess, sys\n"
        f"done = subprocess.run([sys.executable, '-c', {child!r}], capture_output=True, text=True)\n"
        "print(done.returncode, done.stdout.strip(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run([sys.executable, "-c", parent], capture_output=True, text=True, check=True)
    code, said, peak_kb = result.stdout.split()
    assert (code, said) == ("0", "merged_too_large"), result.stdout + result.stderr
    assert int(peak_kb) < 500 * 1024, f"peak {int(peak_kb) / 1024:.0f} MB"


def test_a_hyperlink_over_the_whole_sheet_is_refused(tmp_path):
    links = '<hyperlinks><hyperlink ref="A1:XFD1048576" location="A1"/></hyperlinks>'
    error = refused(build(tmp_path / "link.xlsx", after_data=links), tmp_path / "out.xlsx")
    assert error.code == "too_many_cells" and "400,000" in error.message_en


def test_a_hundred_thousand_comments_are_refused(tmp_path):
    error = refused(build(tmp_path / "comments.xlsx", comments=100_000), tmp_path / "out.xlsx")
    assert error.code == "too_many_comments" and "5,000 comments" in error.message_en


def test_ten_thousand_data_validations_are_refused(tmp_path):
    rules = "".join(
        f'<dataValidation type="whole" sqref="B{i}"><formula1>0</formula1></dataValidation>' for i in range(1, 10_002)
    )
    after = f'<dataValidations count="10001">{rules}</dataValidations>'
    error = refused(build(tmp_path / "rules.xlsx", after_data=after), tmp_path / "out.xlsx")
    assert error.code == "too_many_rules"


def test_what_openpyxl_cannot_read_is_a_located_error(tmp_path):
    after = '<dataValidations count="1"><dataValidation type="nonsense" sqref="A1"/></dataValidations>'
    error = refused(build(tmp_path / "odd.xlsx", after_data=after), tmp_path / "out.xlsx")
    assert error.code == "unreadable_for_annotation" and "ValueError" in error.message_en


def test_a_few_merged_header_cells_are_kept(tmp_path):
    source = build(tmp_path / "header.xlsx", after_data='<mergeCells count="1"><mergeCell ref="C1:F1"/></mergeCells>')
    path, marked = annotate_workbook(source, PROBLEMS, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)
    assert marked == 1 and [str(r) for r in book[SHEET].merged_cells.ranges] == ["C1:F1"]
    assert book[SHEET]["B1"].comment is not None


def test_a_chart_sheet_without_its_relationships_is_refused_named(tmp_path):
    error = refused(build(tmp_path / "bare.xlsx", chart_sheet="bare"), tmp_path / "out.xlsx")
    assert error.code == "chart_sheet_without_chart" and "图表 chart" in error.message_en


def test_a_chart_sheet_without_a_chart_is_left_out_with_a_notice(tmp_path):
    path, _ = annotate_workbook(build(tmp_path / "empty.xlsx", chart_sheet="empty"), PROBLEMS, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)  # openpyxl would otherwise write a drawing reference without its part
    assert book.sheetnames == ["问题清单", SHEET]
    listed = [[c.value for c in row] for row in book["问题清单"].iter_rows(min_row=3)]
    assert any(row[2] == "图表 chart" and "left out of the annotated copy" in row[6] for row in listed)


def test_a_chart_sheet_with_its_chart_is_kept(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    for i in range(1, 5):
        sheet.append([i, i * 2])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=4))
    book.create_chartsheet("图表 chart").add_chart(chart)
    book.save(tmp_path / "chart.xlsx")
    path, _ = annotate_workbook(tmp_path / "chart.xlsx", PROBLEMS, tmp_path / "out.xlsx")
    copy = openpyxl.load_workbook(path)
    assert copy.sheetnames == ["问题清单", SHEET, "图表 chart"] and len(copy.chartsheets[0]._charts) == 1


def test_the_list_and_the_comments_stop_at_their_limits(tmp_path, monkeypatch):
    monkeypatch.setitem(annotate.LIMITS, "listed", 3)
    monkeypatch.setitem(annotate.LIMITS, "comments", 4)  # the workbook holds one: three more are written
    source = build(tmp_path / "many.xlsx", comments=1)
    problems = [Problem("error", SHEET, f"B{row}", "", "错", "wrong", "x") for row in range(1, 11)]
    path, marked = annotate_workbook(source, problems, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)
    listing = book["问题清单"]
    assert listing.max_row == 2 + 3 and "only the first 3 are listed" in listing["A1"].value
    commented = [row for row in range(1, 11) if book[SHEET][f"B{row}"].comment is not None]
    filled = [row for row in range(1, 11) if book[SHEET][f"B{row}"].fill.fgColor.rgb.endswith("FFC7CE")]
    assert marked == 10 and commented == [1, 2, 3] and filled == list(range(1, 11))


@pytest.mark.parametrize(
    ("source", "problems", "out", "words"),
    [
        (123, [], "out.xlsx", "source must be a file path"),
        ("{park}", None, "out.xlsx", "problems must be a sequence"),
        ("{park}", "B1", "out.xlsx", "problems must be a sequence"),
        ("{park}", [{"sheet": SHEET}], "out.xlsx", "problems must be a sequence"),
        ("{park}", [], b"out.xlsx", "out must be a file path"),
        ("{park}", [], "{folder}", "is a folder: give a file name"),
        ("{park}", [], "{park}", "must not overwrite the input"),
        ("{folder}", [], "out.xlsx", "file not found"),
        ("{text}", [], "out.xlsx", "not an .xlsx workbook"),
    ],
)
def test_odd_arguments_are_one_carbon_error(source, problems, out, words, tmp_path):
    places = {"park": str(build(tmp_path / "park.xlsx")), "folder": str(tmp_path), "text": str(tmp_path / "a.xlsx")}
    (tmp_path / "a.xlsx").write_text("name,value\n")

    def place(value):
        return value.format(**places) if isinstance(value, str) else value

    out = place(out) if out in ("{folder}", "{park}") else (str(tmp_path / out) if isinstance(out, str) else out)
    with pytest.raises(CarbonError) as caught:
        annotate_workbook(place(source), problems, out)
    assert words in str(caught.value) and CJK.search(str(caught.value))


def test_the_command_line_says_one_line_and_exits_1(tmp_path, capsys):
    source = build(tmp_path / "merged.xlsx", after_data=WHOLE_SHEET)
    code = main(["validate", str(source), "--annotate", str(tmp_path / "out.xlsx"), "--no-progress"])
    _, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    assert err.startswith("carbon: ") and err.count("\n") == 1 and "merged range A1:XFD1048576" in err, err
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("spelling", ["<si><t>s</t></si>", "<x:si><x:t>s</x:t></x:si>"])
def test_a_shared_strings_table_above_the_limit_is_refused(tmp_path, monkeypatch, spelling):
    monkeypatch.setitem(annotate.LIMITS, "strings", 200_000)
    source = build(tmp_path / "strings.xlsx")
    entries = 200_001  # more than one 1 MB chunk, so marks cut between chunks are counted once
    with zipfile.ZipFile(source, "a") as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            f'{HEAD}<sst xmlns="{MAIN}" xmlns:x="{MAIN}" uniqueCount="{entries}">{spelling * entries}</sst>',
        )
    error = refused(source, tmp_path / "out.xlsx")
    assert error.code == "too_many_strings" and "more than 200,000 entries" in error.message_en
    monkeypatch.setitem(annotate.LIMITS, "strings", entries)
    path, _ = annotate_workbook(source, PROBLEMS, tmp_path / "out.xlsx")  # exactly at the limit: annotated
    assert path.exists()
