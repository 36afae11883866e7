"""The pre-flight sees the XML the reader sees: for sheets written in many valid spellings, what
:func:`carbon.io.xlsx_preflight.inspect_xlsx` reports (extent, formulas, error values, hidden rows) equals the
sheet as written, what python-calamine returns for it, and what the reference XML parse reports; and what a
reader would resolve silently (a cell or row twice, a value as CDATA, a false declared size) is refused.

Each sheet is generated from a small model (cells of five kinds in rows, some rows hidden), then spelled one way:
as Excel writes it, or with a namespace prefix, single quotes, spaces around ``=``, attributes in another order,
rows or cells without ``r``, line breaks inside tags, character references, indentation, comments, another
declaration or encoding, or the strict namespace. Hypothesis draws the models and the spellings."""

from __future__ import annotations

import io
import math
import subprocess
import sys
import zipfile
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

import carbon
from carbon.errors import WorkbookFormatError
from carbon.io import xlsx_preflight as xp
from carbon.validation.problems import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
KINDS = ("number", "text", "error", "formula", "uncalculated")
SPELLINGS = (
    "prefix",  # x:row, x:c, x:v, x:f (the .NET Open XML SDK)
    "single_quotes",
    "spaced_equals",
    "reordered",  # s and t before r
    "rows_without_r",
    "cells_without_r",
    "newline_in_tag",
    "char_refs",  # &#49; for 1 in hidden, numeric references in style ids
    "indented",
    "comments",
    "no_declaration",
    "utf16",
    "strict",
)


@dataclass(frozen=True)
class Cell:
    row: int  # 1-based
    column: int  # 0-based
    kind: str
    value: float

    @property
    def ref(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


@dataclass(frozen=True)
class Model:
    cells: tuple[Cell, ...]  # in row, then column order
    hidden: frozenset[int]

    @property
    def rows(self) -> list[int]:
        return sorted({c.row for c in self.cells} | set(self.hidden))


@st.composite
def models(draw) -> Model:
    rows = draw(st.lists(st.integers(1, 40), min_size=1, max_size=8, unique=True))
    cells = []
    for row in sorted(rows):
        columns = draw(st.lists(st.integers(0, 30), min_size=1, max_size=5, unique=True))
        for column in sorted(columns):
            kind = draw(st.sampled_from(KINDS))
            cells.append(Cell(row, column, kind, draw(st.integers(-999, 999)) / 4))
    hidden = draw(st.frozensets(st.sampled_from(sorted(rows)), max_size=2))
    return Model(tuple(cells), hidden)


def _attrs(pairs: list[tuple[str, str]], how: set[str]) -> str:
    quote = "'" if "single_quotes" in how else '"'
    equals = " = " if "spaced_equals" in how else "="
    gap = "\n  " if "newline_in_tag" in how else " "
    if "reordered" in how:
        pairs = pairs[1:] + pairs[:1]
    return "".join(f"{gap}{name}{equals}{quote}{value}{quote}" for name, value in pairs)


def render(model: Model, how: set[str]) -> bytes:
    """The worksheet XML of ``model`` in the spelling ``how``."""
    p = "x:" if "prefix" in how else ""
    nl = "\n  " if "indented" in how else ""
    namespace = STRICT if "strict" in how else MAIN
    root = f'<{p}worksheet xmlns{":x" if p else ""}="{namespace}">'
    body = []
    previous_row = 0
    for row in model.rows:
        attrs = []
        if "rows_without_r" not in how or row != previous_row + 1:
            attrs.append(("r", str(row)))
        if row in model.hidden:
            attrs.append(("hidden", "&#49;" if "char_refs" in how else "1"))
        attrs.append(("spans", "1:31"))
        previous_row = row
        cells = []
        previous_column = -1
        for cell in (c for c in model.cells if c.row == row):
            pairs = []
            if "cells_without_r" not in how or cell.column != previous_column + 1:
                pairs.append(("r", cell.ref))
            previous_column = cell.column
            pairs.append(("s", "&#48;" if "char_refs" in how else "0"))
            inner = ""
            if cell.kind == "number":
                inner = f"<{p}v>{cell.value!r}</{p}v>"
            elif cell.kind == "text":
                pairs.append(("t", "inlineStr"))
                inner = f"<{p}is><{p}t>名称 {cell.value}</{p}t></{p}is>"
            elif cell.kind == "error":
                pairs.append(("t", "e"))
                inner = f"<{p}v>#DIV/0!</{p}v>"
            elif cell.kind == "formula":
                inner = f"<{p}f>1+1</{p}f><{p}v>{cell.value!r}</{p}v>"
            else:
                inner = f"<{p}f>A1*2</{p}f>"
            cells.append(f"{nl}<{p}c{_attrs(pairs, how)}>{inner}</{p}c>")
        comment = "<!-- a row -->" if "comments" in how else ""
        body.append(f"{nl}{comment}<{p}row{_attrs(attrs, how)}>{''.join(cells)}</{p}row>")
    xml = f"{root}{nl}<{p}sheetData>{''.join(body)}{nl}</{p}sheetData></{p}worksheet>"
    if "utf16" in how:
        return ('<?xml version="1.0" encoding="UTF-16"?>\n' + xml).encode("utf-16")
    if "no_declaration" in how:
        return xml.encode()
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + xml).encode()


def workbook(sheet: bytes, shared: bytes | None = None) -> bytes:
    """A minimal .xlsx holding one sheet ``S`` (and shared strings, if given)."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
        '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>'
        + (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared
            else ""
        )
        + "</Types>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    book = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{rel}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        + (f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
        + "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared:
            archive.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


def _reference(path) -> xp.SheetInfo:
    """The reference parse alone, whatever path inspect_xlsx took."""
    info = xp.inspect_xlsx(path)
    sheet = xp.SheetInfo(info.sheets[0].name, info.sheets[0].part)
    with zipfile.ZipFile(path) as archive:
        xp._xml_scan(str(path), sheet, archive)
    return sheet


VIEW = ("max_row", "max_column", "cells", "uncalculated", "errors", "hidden_rows", "formulas")


def _view(sheet: xp.SheetInfo) -> dict[str, object]:
    return {name: getattr(sheet, name) for name in VIEW}


def _expected(model: Model) -> dict[str, object]:
    return {
        "max_row": max(model.rows),
        "max_column": max(c.column for c in model.cells) + 1,
        "cells": len(model.cells),
        "uncalculated": [c.ref for c in model.cells if c.kind == "uncalculated"],
        "errors": {c.ref: "#DIV/0!" for c in model.cells if c.kind == "error"},
        "hidden_rows": sorted(model.hidden),
        "formulas": [c.ref for c in model.cells if c.kind in ("formula", "uncalculated")],
    }


def _read(path) -> dict[tuple[int, int], object]:
    """What python-calamine returns: the non-blank cells by (row, column), 1-based rows."""
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    grid = sheet.to_python(skip_empty_area=False)
    return {(r + 1, c): v for r, row in enumerate(grid) for c, v in enumerate(row) if v != ""}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(model=models(), how=st.sets(st.sampled_from(SPELLINGS), max_size=3))
def test_the_preflight_sees_what_was_written_in_every_spelling(tmp_path, model, how):
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(render(model, how)))
    sheet = xp.inspect_xlsx(path).sheets[0]
    assert _view(sheet) == _expected(model)
    assert _view(_reference(path)) == _expected(model)  # the reference parse agrees, whichever path ran
    usual = how & {"strict", "no_declaration", "indented"}  # spellings the fast path also reads
    if render(model, how) != render(model, usual):  # an unusual spelling is read as XML, never by byte patterns
        assert sheet.scanned == "xml"
    else:
        assert sheet.scanned == "fast"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(model=models(), how=st.sets(st.sampled_from([s for s in SPELLINGS if s != "utf16"]), max_size=3))
def test_what_the_reader_returns_is_what_the_preflight_let_through(tmp_path, model, how):
    """Every value the reader returns sits inside the extent the pre-flight found; every cell the pre-flight did
    not flag reads as written; every flagged cell (error value, uncalculated formula) is one the reader turns
    into a blank: the cells the validation blocks are exactly those the reader would lose."""
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(render(model, how)))
    sheet = xp.inspect_xlsx(path).sheets[0]
    read = _read(path)
    assert all(r <= sheet.max_row and c < sheet.max_column for r, c in read)
    flagged = set(sheet.uncalculated) | set(sheet.errors)
    for cell in model.cells:
        got = read.get((cell.row, cell.column))
        if cell.ref in flagged:
            assert got is None
        elif cell.kind in ("number", "formula"):
            assert math.isclose(got, cell.value)
        else:
            assert got == f"名称 {cell.value}"


@pytest.mark.parametrize("how", [set(), {"indented"}])
def test_the_usual_spelling_takes_the_fast_path_and_agrees_with_the_xml_parse(tmp_path, how):
    model = Model(
        tuple(Cell(r, c, KINDS[(r + c) % 5], r * 10 + c) for r in range(1, 30) for c in range(0, 12, 3)),
        frozenset({4, 9}),
    )
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(render(model, how)))
    sheet = xp.inspect_xlsx(path).sheets[0]
    assert sheet.scanned == "fast"  # line breaks between tags (not inside one) are the usual spelling too
    assert _view(sheet) == _view(_reference(path)) == _expected(model)


def test_every_sheet_of_the_sample_and_of_a_written_account_takes_the_fast_path_and_agrees(tmp_path):
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    book = ledger.account().to_excel(tmp_path / "book.xlsx")
    for path in (carbon.sample_workbook_path(), book):
        info = xp.inspect_xlsx(path)
        with zipfile.ZipFile(path) as archive:
            for sheet in info.sheets:
                assert sheet.scanned == "fast", sheet.name
                reference = xp.SheetInfo(sheet.name, sheet.part)
                xp._xml_scan(str(path), reference, archive)
                assert _view(sheet) == _view(reference), sheet.name
                assert (sheet.merged_cells, sheet.merged_far) == (reference.merged_cells, reference.merged_far)


def _body(rows: str) -> bytes:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()


@pytest.mark.parametrize(
    ("rows", "code", "words"),
    [
        ('<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>', "duplicate_cell", "cell A1 is written twice"),
        ("<row><c><v>1</v></c><c r='A1'><v>2</v></c></row>", "duplicate_cell", "cell A1 is written twice"),
        (
            '<row r="2"><c r="A2"><v>1</v></c></row><row r="2"><c r="B2"><v>2</v></c></row>',
            "duplicate_cell",
            "row 2 is written twice",
        ),
        ('<row r="3"><c r="B5"><v>1</v></c></row>', "ambiguous_xml", "cell B5 is written inside row 3"),
        ('<row r="1"><c r="A1"><v>1</v><v>2</v></c></row>', "duplicate_cell", "cell A1 holds two values"),
        ('<row r="1"><c r="A1"><v><![CDATA[5]]></v></c></row>', "ambiguous_xml", "CDATA"),
        ('<row r="1"><c r="XFE1"><v>1</v></c></row>', "bad_reference", "beyond Excel's last column"),
        ('<row r="1"><c r="A0"><v>1</v></c></row>', "bad_reference", "'A0' is not valid"),
        ('<row r="1"><c r="A1" r="B1"><v>1</v></c></row>', "damaged", "XML is damaged at line 1"),
    ],
)
def test_what_a_reader_would_resolve_silently_is_refused_at_its_place(tmp_path, rows, code, words):
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(_body(rows)))
    with pytest.raises(WorkbookFormatError) as refusal:
        xp.inspect_xlsx(path)
    assert refusal.value.code == code and code in xp.CODES  # the codes a caller may meet
    assert words in refusal.value.message_en and "S" in refusal.value.message_en
    assert refusal.value.message_zh


def test_prefixed_far_cell_in_a_small_file_is_refused_naming_that_cell(tmp_path):
    """A 100-byte body in the .NET spelling whose last cell lies at ZZ100000: refused before any reader
    allocates 70 million cells, the refusal naming ZZ100000 (not a cell of the last row written)."""
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="100000"><x:c r="ZZ100000"><x:v>2</x:v></x:c>'
        '</x:row><x:row r="100001"><x:c r="A100001"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    ).encode()
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(sheet))
    with pytest.raises(WorkbookFormatError) as refusal:
        xp.inspect_xlsx(path)
    assert refusal.value.code == "sheet_too_large"
    assert "ZZ100000" in refusal.value.message_en and "A100001" in refusal.value.message_en


def test_a_far_column_in_an_early_row_is_the_cell_named(tmp_path, monkeypatch):
    monkeypatch.setitem(xp.LIMITS, "sparse_cells", 1000)
    rows = '<row r="2"><c r="ALL2"><v>1</v></c></row>' + "".join(
        f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(3, 40)
    )
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(_body(rows)))
    with pytest.raises(WorkbookFormatError) as refusal:
        xp.inspect_xlsx(path)
    assert refusal.value.code == "sparse_sheet"
    assert "ALL2" in refusal.value.message_en and "A39" in refusal.value.message_en


def test_a_shared_strings_table_declaring_billions_is_refused_before_the_reader_reserves_them(tmp_path):
    shared = f'<sst xmlns="{MAIN}" count="4000000000" uniqueCount="4000000000"><si><t>hi</t></si></sst>'.encode()
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(_body('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared))
    with pytest.raises(WorkbookFormatError) as refusal:
        xp.inspect_xlsx(path)
    assert refusal.value.code == "declared_size" and "4000000000" in refusal.value.message_en
    honest = f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>hi</t></si></sst>'.encode()
    path.write_bytes(workbook(_body('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), honest))
    assert xp.inspect_xlsx(path).sheets[0].cells == 1


def test_the_reader_itself_would_abort_on_that_file(tmp_path):
    """Why the declared size is checked: python-calamine reserves the declared entries before reading one
    and the process dies of SIGABRT (run in a child under a 3 GB address-space limit)."""
    shared = f'<sst xmlns="{MAIN}" count="1" uniqueCount="4000000000"><si><t>hi</t></si></sst>'.encode()
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(_body('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared))
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30)); "
        "from python_calamine import CalamineWorkbook; "
        f"CalamineWorkbook.from_path({str(path)!r}).get_sheet_by_index(0).to_python()"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert child.returncode != 0 and b"memory allocation" in child.stderr
    with pytest.raises(WorkbookFormatError):
        carbon.read_workbook(path)


def test_more_flagged_cells_than_the_limit_are_refused_not_listed(tmp_path, monkeypatch):
    monkeypatch.setitem(xp.LIMITS, "max_flagged", 5)
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="e"><v>#N/A</v></c></row>' for r in range(1, 10))
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(_body(rows)))
    with pytest.raises(WorkbookFormatError) as refusal:
        xp.inspect_xlsx(path)
    assert refusal.value.code == "too_many_flagged"


def test_merged_ranges_are_counted_in_both_scans(tmp_path):
    tail = '<mergeCells count="2"><mergeCell ref="A1:C2"/><mergeCell ref="B5:B1048576"/></mergeCells>'
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>{tail}'
    for xml in (sheet + "</worksheet>", sheet.replace("<mergeCells", "\n<mergeCells") + "</worksheet>"):
        path = tmp_path / "s.xlsx"
        path.write_bytes(workbook(xml.encode()))
        found = xp.inspect_xlsx(path).sheets[0]
        assert (found.merged_cells, found.merged_far) == (6 + 1048572, "B1048576")


@pytest.mark.parametrize("path", [5, None, b"park.xlsx", "park\x00.xlsx"])
def test_what_is_not_a_path_is_refused_in_one_line(path):
    with pytest.raises(WorkbookFormatError) as refusal:
        carbon.read_workbook(path)
    assert refusal.value.code == "not_a_path" and "\x00" not in str(refusal.value)
    assert [p.code for p in carbon.validate_workbook(path).errors] == ["not_a_path"]


@pytest.mark.parametrize("path", [5, None, b"book.xlsx"])
def test_an_account_written_to_what_is_not_a_path_is_refused_in_one_line(path):
    account = carbon.read_workbook(carbon.sample_workbook_path()).account()
    with pytest.raises(carbon.CarbonError, match="must be a file path"):
        account.to_excel(path)


def _paths_and_reader(tmp_path, sheet: bytes):
    """Run the fast path, the XML parse and inspect_xlsx on one sheet: (fast taken, fast view, refusal or view)."""
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(sheet))
    with zipfile.ZipFile(path) as archive:
        data = archive.read("xl/worksheets/sheet1.xml")
    fast = xp.SheetInfo("S", "xl/worksheets/sheet1.xml")
    taken = xp._fast_scan(fast, data)
    try:
        seen = _view(xp.inspect_xlsx(path).sheets[0])
    except WorkbookFormatError as refusal:
        seen = refusal.value.code if hasattr(refusal, "value") else refusal.code
    return taken, _view(fast), seen


W = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
E = b"</sheetData></worksheet>"


@pytest.mark.parametrize(
    ("sheet", "outcome"),
    [
        # an r twice, the second spaced: the reader takes the last one (XFD1048576: hundreds of GB)
        (W + b'<row r="1"><c r="A1"><v>1</v></c><c r="B1" r ="XFD1048576"><v>9</v></c></row>' + E, "damaged"),
        # a ">" in an attribute value hides a line break before t="e" / hidden="1"
        (
            W + b'<row r="1"><c r="A1" s="0" foo=">"\nt="e"><v>#DIV/0!</v></c><c r="B1"><v>2</v></c></row>' + E,
            {"A1": "#DIV/0!"},
        ),
        (W + b'<row r="2" spans=">"\nhidden="1"><c r="A2"><v>2</v></c></row>' + E, [2]),
        # a prefixed sheetData before the unprefixed one: the reader reads the first
        (
            (
                f'<worksheet xmlns="{MAIN}" xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="e"><x:v>#DIV/0!'
                '</x:v></x:c><x:c r="B1"><x:v>7</x:v></x:c></x:row></x:sheetData><sheetData><row r="1"><c r="A1"><v>1</v>'
                "</c></row></sheetData></worksheet>"
            ).encode(),
            "ambiguous_xml",
        ),
        (
            (
                f'<worksheet xmlns="{MAIN}"><sheetData/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
                "</worksheet>"
            ).encode(),
            "ambiguous_xml",
        ),
        # values the reader reads only in part, or ignores
        (W + b'<row r="1"><c r="A1"><v>1&#46;5</v></c></row>' + E, "ambiguous_xml"),
        (W + b'<row r="1"><c r="A1"><v>&#49;2</v></c></row>' + E, "ambiguous_xml"),
        (W + b'<row r="1"><c r="A1"><v>1<!-- -->5</v></c></row>' + E, "ambiguous_xml"),
        (W + b'<row r="1"><c r="A1"><v>2<?x y?>5</v></c></row>' + E, "ambiguous_xml"),
        (W + b'<row r="1"><c r="A1" t="inlineStr"><v>5</v></c></row>' + E, "ambiguous_xml"),
        (W + b'<row r="1"><c r="A1"><v>1</v><f>1+1</f></c></row>' + E, "ambiguous_xml"),
        (W + b'<row r="1"><c r="A1" t="e"><v>&#35;N/A</v></c></row>' + E, "ambiguous_xml"),
        # spellings the two paths read alike
        (W + b'<row r="1" hidden="TRUE"><c r="A1"><v>1</v></c></row>' + E, [1]),
        (W + b'<row r="0001048576" hidden="1"/><row r="1048577"/>' + E, "bad_reference"),
        (W + b'<row r="1"><c r="A1" t="e"/><c r="B1"><f>1+1</f><v>5</v></c></row>' + E, {"A1": "#ERROR"}),
    ],
)
def test_spellings_made_to_slip_past_the_counts_are_read_as_the_reader_reads_them(tmp_path, sheet, outcome):
    """Each of these once passed the fast path with another view than the reader's: now the fast path declines
    them or reads them as the XML parse does, and the pre-flight refuses or reports what the reader would do."""
    taken, fast, seen = _paths_and_reader(tmp_path, sheet)
    if isinstance(outcome, str):
        assert seen == outcome and outcome in xp.CODES
    elif isinstance(outcome, dict):
        assert seen["errors"] == outcome
    else:
        assert seen["hidden_rows"] == outcome
    if taken:
        assert fast == seen
