"""Pre-flight of an .xlsx file: what a cell reader does not tell, checked before any sheet is loaded.

python-calamine reads cell values fast, but it reads a formula whose value was never calculated and an error
value such as ``#DIV/0!`` as a blank, takes the last of two cells written with one reference, and allocates
the whole bounding box of the cells present (and as many shared strings as the file declares), so one cell
placed far away, or one false count, costs gigabytes or aborts the process. This module therefore reads the
zip directory and each worksheet's XML once, bounded by the limits below, and reports:

- the sheets in order, with their XML part, and whether each is hidden;
- each sheet's last row and column and its cells (so an oversized sheet is refused before it is read);
- formula cells, those without a calculated value, and cells holding an error value;
- hidden rows, merged ranges, and whether the workbook uses the 1904 date system.

A worksheet is read as XML: streamed through expat, namespace-aware, so that every spelling the reader
accepts (a namespace prefix, single quotes, attributes in any order, rows and cells without their ``r``, line
breaks inside tags, character references) is the spelling the checks see. A sheet in the one spelling that
Excel, WPS and xlsxwriter write takes a faster path: its spelling is first proven by byte counts and a few
searches, then read by byte patterns; anything else goes through the XML parse. On what the fast path
accepts both give the same :class:`SheetInfo` (tested side by side on many spellings, and on spellings made
to slip past the counts). What a reader would resolve silently is refused: a cell or row written twice, a
cell inside another row, two values in a cell, anything after a cell's value, a value written as CDATA or
with a reference inside (the reader reads its first part only), two zip parts of one name, a shared-strings
table declaring more entries than its part could hold.

XML metadata parts are parsed with defusedxml; nothing in a workbook is ever executed.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import numpy as np
from defusedxml import ElementTree

from carbon.errors import WorkbookFormatError, printable
from carbon.validation.problems import column_letter

__all__ = ["CODES", "LIMITS", "SheetInfo", "WorkbookFormatError", "WorkbookInfo", "inspect_xlsx"]

#: Every code a refusal of the pre-flight carries (``WorkbookFormatError.code``).
CODES = frozenset(
    {
        "not_a_path",
        "not_found",
        "empty_file",
        "not_xlsx",
        "old_or_encrypted",
        "damaged",
        "too_many_parts",
        "duplicate_part",
        "too_large",
        "zip_bomb",
        "unsafe_xml",
        "declared_size",
        "sheet_too_large",
        "sparse_sheet",
        "duplicate_cell",
        "ambiguous_xml",
        "bad_reference",
        "too_many_flagged",
    }
)

#: Limits applied before anything is read into memory. A sheet may hold at most ``max_cells`` cells in its
#: bounding box (last row x last column: what the reader allocates, about 30 bytes a cell, and then hands
#: back as one Python object a cell; 12 million is a full sheet of 11 columns), and a box above
#: ``sparse_cells`` may be at most ``sparse_ratio`` times the cells the sheet really holds, so one cell placed
#: at XFD1048576 or K1048576 is refused instead of costing gigabytes. Zip parts above 1 MB may be compressed at
#: most ``max_ratio``:1. Any part declaring a DTD or entities is refused. At most ``max_flagged`` error values
#: and uncalculated formulas a sheet are listed one by one (a sheet with more is refused). A sheet part up to
#: ``fast_part`` bytes may take the fast path (read whole); a larger one is streamed.
LIMITS = {
    "max_members": 10_000,
    "max_total_uncompressed": 2 * 1024**3,
    "max_member_uncompressed": 1024**3,
    "max_ratio": 200,
    "max_cells": 12_000_000,
    "sparse_cells": 1_000_000,
    "sparse_ratio": 10,
    "max_flagged": 10_000,
    "fast_part": 64 * 1024**2,
}


@dataclass
class SheetInfo:
    """What the pre-flight found in one worksheet."""

    name: str
    part: str
    hidden: bool = False
    max_row: int = 0
    max_column: int = 0
    uncalculated: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    hidden_rows: list[int] = field(default_factory=list)
    #: the formula cells, calculated or not (a 碳账本 written by carbon holds none): the first
    #: ``LIMITS["max_flagged"]`` of them, and how many there are
    formulas: list[str] = field(default_factory=list)
    formula_count: int = 0
    #: the cells written in the sheet (with or without a value)
    cells: int = 0
    #: the cells covered by merged ranges, and the farthest corner of one (``""`` without any)
    merged_cells: int = 0
    merged_far: str = ""
    #: the cells that set the last row and the last column (named by a refusal)
    far: list[str] = field(default_factory=list)
    #: which scan read the sheet: ``"fast"`` (the usual spelling) or ``"xml"`` (the reference parse)
    scanned: str = ""
    _merged_far_box: int = field(default=0, repr=False)


@dataclass
class WorkbookInfo:
    """The sheets of a workbook, in order, and its date system."""

    sheets: list[SheetInfo]
    date1904: bool = False
    macros: bool = False  # an .xlsm's VBA project: never run, reported

    def sheet(self, name: str) -> SheetInfo:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_directory(path: str, archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > LIMITS["max_members"]:
        raise WorkbookFormatError(
            path, f"压缩包成员过多（{len(members)}）", f"too many parts in the file ({len(members)})", "too_many_parts"
        )
    seen: set[str] = set()
    for m in members:  # two parts of one name: which one a reader takes is the reader's choice, never the user's
        name = m.filename.replace("\\", "/").lower()
        if name in seen:
            raise WorkbookFormatError(
                path,
                f"压缩包中有两个同名部件 {m.filename}，无法确定读取哪一个；请在 Excel 或 WPS 中另存为 .xlsx",
                f"the file holds two parts named {m.filename}; which one is meant cannot be told: save it again as "
                ".xlsx in Excel or WPS",
                "duplicate_part",
            )
        seen.add(name)
    total = sum(m.file_size for m in members)
    if total > LIMITS["max_total_uncompressed"]:
        raise WorkbookFormatError(
            path,
            f"解压后大小 {total / 1024**2:.0f} MB 超出上限",
            f"uncompressed size {total / 1024**2:.0f} MB exceeds the limit",
            "too_large",
        )
    for m in members:
        if m.file_size > LIMITS["max_member_uncompressed"]:
            raise WorkbookFormatError(path, f"部件 {m.filename} 过大", f"part {m.filename} is too large", "too_large")
        if m.file_size > 1024**2 and m.compress_size and m.file_size / m.compress_size > LIMITS["max_ratio"]:
            raise WorkbookFormatError(
                path,
                f"部件 {m.filename} 压缩比异常（{m.file_size / m.compress_size:.0f}:1），疑似压缩炸弹",
                f"part {m.filename} has a suspicious compression ratio ({m.file_size / m.compress_size:.0f}:1)",
                "zip_bomb",
            )


def _sheets(path: str, archive: zipfile.ZipFile) -> tuple[list[SheetInfo], bool]:
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        raise WorkbookFormatError(
            path, "不是 Excel 工作簿（缺少 xl/workbook.xml）", "not an Excel workbook (no xl/workbook.xml)", "not_xlsx"
        ) from None
    except Exception as exc:  # defusedxml refusals and malformed XML alike
        raise WorkbookFormatError(
            path,
            f"工作簿结构无法解析（{type(exc).__name__}）",
            f"workbook structure cannot be parsed ({type(exc).__name__})",
            "unsafe_xml" if type(exc).__module__.startswith("defusedxml") else "damaged",
        ) from None
    targets = {}
    for rel in relations:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = target
    date1904 = False
    sheets: list[SheetInfo] = []
    for element in workbook.iter():
        name = _local(element.tag)
        if name == "workbookPr":
            date1904 = element.get("date1904", "0") in ("1", "true")
        elif name == "sheet":
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            part = targets.get(rid, "")
            state = element.get("state", "visible")
            sheets.append(SheetInfo(element.get("name", ""), part, hidden=state != "visible"))
    return sheets, date1904


def _refuse_doctype(path: str, part: str, data: bytes) -> None:
    """A document type declaration (entity definitions: 'billion laughs', external entities) has no place in
    a workbook part; refused before any parser sees it."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise WorkbookFormatError(
            path,
            f"部件 {part} 含有 DTD/实体声明（可能是 XML 实体攻击），拒绝读取",
            f"part {part} declares a DTD or entities (an XML entity attack?); refused",
            "unsafe_xml",
        )


# -- the reference: a streaming, namespace-aware XML parse of a worksheet ------------------------------------

#: Excel's grid: a reference beyond it is refused (a reader would place it, and allocate up to it).
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
_CHUNK = 1 << 20
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,9})")


def _letters_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ord(ch) - 64)
    return number


class _Refusal(Exception):
    """Raised inside the XML handlers; turned into a located :class:`WorkbookFormatError` by the caller."""

    def __init__(self, zh: str, en: str, code: str, cell: str = "") -> None:
        super().__init__(en)
        self.zh, self.en, self.code, self.cell = zh, en, code, cell

    def located(self, path: str, sheet: str) -> WorkbookFormatError:
        return WorkbookFormatError(
            path, f"工作表「{sheet}」{self.zh}", f"sheet {sheet!r}: {self.en}", self.code, sheet, self.cell
        )


class _SheetParser:
    """One worksheet part through expat, fed in 1 MB chunks (memory bounded by one row, never by the sheet).

    Cells are placed the way the reader (python-calamine) places them: by their ``r`` attribute, else after
    the previous cell of the row; a row without ``r`` follows the previous row. Element names are matched by
    their local name whatever their namespace prefix; attributes only without a prefix (``x:r`` is not ``r``),
    as the reader does. What the reader would resolve silently is refused: a cell reference used twice, a row
    number used twice, a cell written inside another row, two values in one cell, a value written as CDATA
    (the reader drops it), a value spelled with a character reference, a comment or an instruction inside (the
    reader reads its first part only: ``1&#46;5`` is 1), a value in an inline-text cell (ignored by the reader),
    anything after a cell's value (the reader takes the last part)."""

    def __init__(self, sheet: SheetInfo) -> None:
        self.sheet = sheet
        self.names: dict[str, str] = {}
        self.in_data = False
        self.data_seen = False
        self.row = -1
        self.column = -1
        self.row_columns: set[int] = set()
        self.rows_seen = bytearray(MAX_ROWS + 1)
        self.cell: list | None = None  # [ref, type, has formula, values, value text, value ended]
        self.text: list[str] | None = None
        self.text_start = -1
        self.codec = "utf-8"
        self.far_row = self.far_column = ""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = False
        parser.XmlDeclHandler = self.declaration
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.StartCdataSectionHandler = self.cdata
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.entity
        self.parser = parser

    def local(self, name: str) -> str:
        local = self.names.get(name)
        if local is None:
            local = self.names[name] = name.rpartition(" ")[2]
        return local

    def declaration(self, _version: str, encoding: str | None, _standalone: int) -> None:
        if encoding and encoding.lower().replace("_", "-") in ("utf-16", "utf-16le", "utf-16be"):
            self.codec = "utf-16-le"

    def chars(self, data: str) -> None:
        if self.text_start < 0:
            self.text_start = self.parser.CurrentByteIndex
        self.text.append(data)

    def doctype(self, *_args) -> None:
        raise _Refusal("含有 DTD/实体声明", "declares a DTD or entities", "unsafe_xml")

    entity = doctype

    def cdata(self) -> None:
        if self.in_data:
            raise _Refusal(
                f"{self.where()}的值写成 CDATA，读取器会丢弃它；请在 Excel 或 WPS 中另存为 .xlsx",
                f"a value at {self.where()} is written as CDATA, which the reader drops; save it again as .xlsx "
                "in Excel or WPS",
                "ambiguous_xml",
                self.cell[0] if self.cell is not None else "",
            )

    def where(self) -> str:
        if self.cell is not None:
            return self.cell[0]
        return f"第 {self.row + 1} 行" if self.row >= 0 else "sheetData"

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = self.local(name)
        if not self.in_data:
            if local == "sheetData":
                if self.data_seen:
                    raise _Refusal("含有两个 sheetData", "holds two sheetData parts", "ambiguous_xml")
                self.in_data = self.data_seen = True
            elif local == "mergeCell":
                self.merge(attrs.get("ref", ""))
            return
        cell = self.cell
        if cell is not None and cell[5]:
            if local == "v":
                raise _Refusal(
                    f"单元格 {cell[0]} 有两个值", f"cell {cell[0]} holds two values", "duplicate_cell", cell[0]
                )
            raise _Refusal(
                f"单元格 {cell[0]} 的值后还有内容（读取器以最后一项为准）",
                f"cell {cell[0]} holds more after its value (the reader takes the last part)",
                "ambiguous_xml",
                cell[0],
            )
        if local == "c":
            self.start_cell(attrs)
        elif local == "v":
            if cell is not None:
                cell[3] += 1
                if cell[3] > 1:
                    raise _Refusal(
                        f"单元格 {cell[0]} 有两个值", f"cell {cell[0]} holds two values", "duplicate_cell", cell[0]
                    )
                if cell[1] == "inlineStr":
                    raise _Refusal(
                        f"单元格 {cell[0]} 是内联文本却写有数值（读取器忽略它）",
                        f"cell {cell[0]} is an inline text but holds a value (which the reader ignores)",
                        "ambiguous_xml",
                        cell[0],
                    )
                self.text, self.text_start = [], -1
                self.parser.CharacterDataHandler = self.chars
        elif local == "f":
            if self.cell is not None:
                self.cell[2] = True
        elif local == "row":
            self.start_row(attrs)

    def start_row(self, attrs: dict[str, str]) -> None:
        r = attrs.get("r")
        if r is None:
            row = self.row + 1
        elif r.isdigit() and r.isascii() and 0 < int(r) <= MAX_ROWS:
            row = int(r) - 1
        else:
            raise _Refusal(f"行号 {r!r} 无效", f"row number {r!r} is not valid", "bad_reference")
        if row >= MAX_ROWS:
            raise _Refusal("行数超出 Excel 的上限", "rows beyond Excel's last row", "bad_reference")
        if self.rows_seen[row]:
            raise _Refusal(
                f"第 {row + 1} 行出现两次，无法确定取哪一行",
                f"row {row + 1} is written twice; which one is meant cannot be told",
                "duplicate_cell",
            )
        self.rows_seen[row] = 1
        self.row, self.column = row, -1
        self.row_columns.clear()
        sheet = self.sheet
        if row + 1 > sheet.max_row:
            sheet.max_row = row + 1
        hidden = attrs.get("hidden")
        if hidden is not None and hidden.strip().lower() in ("1", "true"):
            sheet.hidden_rows.append(row + 1)

    def start_cell(self, attrs: dict[str, str]) -> None:
        if self.row < 0:
            raise _Refusal("单元格不在任何行内", "a cell outside any row", "ambiguous_xml")
        r = attrs.get("r")
        if r is None:
            column = self.column + 1
        else:
            match = _REF.fullmatch(r)
            if match is None or int(match.group(2)) == 0:
                raise _Refusal(f"单元格引用 {r!r} 无效", f"cell reference {r!r} is not valid", "bad_reference", r)
            column = _letters_number(match.group(1)) - 1
            if int(match.group(2)) != self.row + 1:
                raise _Refusal(
                    f"单元格 {r} 写在第 {self.row + 1} 行内",
                    f"cell {r} is written inside row {self.row + 1}",
                    "ambiguous_xml",
                    r,
                )
        if column >= MAX_COLUMNS:
            raise _Refusal(
                f"单元格 {r} 超出 Excel 的最后一列 XFD",
                f"cell {r} lies beyond Excel's last column XFD",
                "bad_reference",
            )
        ref = f"{column_letter(column)}{self.row + 1}"
        if column in self.row_columns:
            raise _Refusal(
                f"单元格 {ref} 出现两次，无法确定取哪一个值",
                f"cell {ref} is written twice; which value is meant cannot be told",
                "duplicate_cell",
                ref,
            )
        self.row_columns.add(column)
        self.column = column
        sheet = self.sheet
        sheet.cells += 1
        if column + 1 > sheet.max_column:
            sheet.max_column = column + 1
            self.far_column = ref
        if self.row + 1 >= sheet.max_row:
            self.far_row = ref
        self.cell = [ref, attrs.get("t"), False, 0, None, False]

    def end(self, name: str) -> None:
        if not self.in_data:
            return
        local = self.local(name)
        if local == "v":
            if self.text is not None:
                self.parser.CharacterDataHandler = None
                text, self.text = "".join(self.text), None
                cell = self.cell
                if cell is not None:
                    cell[4], cell[5] = text, True
                    written = self.parser.CurrentByteIndex - self.text_start if self.text_start >= 0 else 0
                    if written != len(text.encode(self.codec)) and cell[1] not in ("str", "inlineStr"):
                        raise _Refusal(
                            f"单元格 {cell[0]} 的值含字符引用、注释或指令，读取器只读其第一段",
                            f"the value of cell {cell[0]} holds a character reference, a comment or an instruction; "
                            "the reader reads only its first part",
                            "ambiguous_xml",
                            cell[0],
                        )
        elif local == "c":
            cell, self.cell = self.cell, None
            if cell is not None and (cell[1] == "e" or cell[2]):
                _flag(self.sheet, cell[0], cell[1] == "e", cell[2], cell[4])
        elif local == "sheetData":
            self.in_data = False

    def merge(self, ref: str) -> None:
        _merge(self.sheet, ref)

    def feed(self, stream) -> None:
        while chunk := stream.read(_CHUNK):
            self.parser.Parse(chunk, False)
        self.parser.Parse(b"", True)


def _flag(sheet: SheetInfo, ref: str, error: bool, formula: bool, value: str | None) -> None:
    """Record a formula cell, an error value or a formula without a calculated value."""
    if formula:
        sheet.formula_count += 1
        if len(sheet.formulas) < LIMITS["max_flagged"]:
            sheet.formulas.append(ref)
    if error:
        sheet.errors[ref] = (value or "").strip() or "#ERROR"
    elif formula and not (value or "").strip():
        sheet.uncalculated.append(ref)
    if len(sheet.errors) + len(sheet.uncalculated) > LIMITS["max_flagged"]:
        raise _Refusal(
            f"错误值或未计算的公式超过 {LIMITS['max_flagged']:,} 个；请在 Excel 或 WPS 中改为数值后再提交",
            f"more than {LIMITS['max_flagged']:,} error values or uncalculated formulas; paste them as values in "
            "Excel or WPS first",
            "too_many_flagged",
            ref,
        )


def _merge(sheet: SheetInfo, ref: str) -> None:
    """Count the cells of a merged range (``A1:C3``) and keep its farthest corner."""
    corners = [_REF.fullmatch(part) for part in ref.split(":")]
    if not ref or None in corners:
        return
    rows = [int(m.group(2)) for m in corners]
    columns = [_letters_number(m.group(1)) for m in corners]
    cells = (max(rows) - min(rows) + 1) * (max(columns) - min(columns) + 1)
    sheet.merged_cells += cells
    far = max(rows) * max(columns)
    if far > sheet._merged_far_box:
        sheet._merged_far_box = far
        sheet.merged_far = ref.split(":")[-1].upper()


def _xml_scan(path: str, sheet: SheetInfo, archive: zipfile.ZipFile) -> None:
    """The reference scan of a worksheet: every spelling the reader accepts, streamed."""
    for field_name in ("uncalculated", "formulas", "hidden_rows"):
        getattr(sheet, field_name).clear()
    sheet.errors.clear()
    sheet.max_row = sheet.max_column = sheet.cells = sheet.merged_cells = sheet.formula_count = 0
    sheet.merged_far, sheet._merged_far_box = "", 0
    parser = _SheetParser(sheet)
    try:
        with archive.open(sheet.part) as stream:
            parser.feed(stream)
    except _Refusal as refusal:
        raise refusal.located(path, sheet.name) from None
    except expat.ExpatError as exc:
        raise WorkbookFormatError(
            path,
            f"工作表「{sheet.name}」的 XML 已损坏（第 {exc.lineno} 行第 {exc.offset + 1} 列）",
            f"sheet {sheet.name!r}: its XML is damaged at line {exc.lineno}, column {exc.offset + 1} "
            f"({expat.errors.messages.get(exc.code, 'error') if hasattr(expat.errors, 'messages') else exc})",
            "damaged",
        ) from None
    sheet.scanned = "xml"
    sheet.far = [ref for ref in dict.fromkeys((parser.far_row, parser.far_column)) if ref]


# -- the fast path: one spelling, proven by byte counts, read by byte patterns -------------------------------

#: Bytes a sheet body in the one spelling Excel, WPS and xlsxwriter write holds only in text, if at all: tabs
#: and line breaks (never inside a tag), NUL (never), and the quote and ampersand of single-quoted attributes
#: and references (``hidden="&#49;"``), looked for only when the body holds such a byte. Comments, CDATA and
#: instructions are caught by the count of ``<``.
_UNUSUAL = b"&'\t\n\r\x00"
_SINGLE_QUOTED = re.compile(rb"= *'")
_BREAK = re.compile(rb"[\t\n\r]")
_REFERENCE_IN_ATTRIBUTE = re.compile(rb'= *"[^"<>]*&')
_ORDINARY = bytes(b for b in range(256) if b not in _UNUSUAL)
_HIDDEN_ROW = re.compile(rb'<row r="(\d+)"[^<]*? hidden="(?i: *(?:1|true) *)"')
_ERROR_CELL = re.compile(rb'<c r="[A-Z]{1,3}\d+"[^<]*? t="e"')
_SPACED_EQUALS = re.compile(rb" =|= ")
_REFERENCE_IN_VALUE = re.compile(rb"<v>[^<]*&")
_FORMULA = re.compile(rb"<f[ >/]")
_CELL_START = re.compile(rb'<c r="([A-Z]{1,3}\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"/>')
_DECLARATION = re.compile(rb'<\?xml version="1\.0"(?: encoding="(?i:utf-8)")?(?: standalone="(?:yes|no)")? ?\?>')


def _body_span(data: bytes) -> tuple[bytes, int, int, bytes] | None:
    """The part before the cells, where the cells start and stop in ``data`` (the body, not copied) and the
    part after, for a sheet in the usual spelling; None for any other (then the reference scan reads it)."""
    offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    declaration = _DECLARATION.match(data, offset)
    if declaration is None and not data.startswith(b"<worksheet ", offset):
        return None
    start = data.find(b"<sheetData>", offset)
    if start < 0:
        return None
    end = data.rfind(b"</sheetData>", offset)
    if end < start:
        return None
    head, tail = data[offset:start], data[end + 12 :]
    outer = (head[declaration.end() - offset :] if declaration else head).lstrip(b" \r\n")
    if any(mark in part for part in (outer, tail) for mark in (b"<!", b"<?", b"sheetData")):
        return None  # a comment or a second sheetData (prefixed, empty) could hide the cells the reader reads
    if not outer.startswith(b"<worksheet ") or b"<worksheet" in tail or outer.count(b"<worksheet") != 1:
        return None
    return head, start + 11, end, tail


def _body(data: bytes) -> tuple[bytes, bytes, bytes] | None:
    """The part before the cells, the cells and the part after (see :func:`_body_span`)."""
    span = _body_span(data)
    if span is None:
        return None
    head, start, stop, tail = span
    return head, data[start:stop], tail


def _in_a_tag(body: bytes, pattern: re.Pattern) -> bool:
    """Whether a match of ``pattern`` lies inside a tag (between ``<`` and ``>``), for a body whose ``<`` and
    ``>`` are as many (none in values or texts); more than 10,000 matches count as inside."""
    for number, found in enumerate(pattern.finditer(body)):
        if number >= 10_000 or body.rfind(b"<", 0, found.start()) > body.rfind(b">", 0, found.start()):
            return True
    return False


def _starting(words: np.ndarray, pattern: bytes) -> np.ndarray:
    """Which tags start with ``pattern`` (at most 8 bytes); ``words`` holds the 8 bytes from each tag's ``<``, as
    big-endian integers."""
    return (words >> np.uint64(64 - 8 * len(pattern))) == np.uint64(int.from_bytes(pattern, "big"))


def _preceded(array: np.ndarray, positions: np.ndarray, text: bytes) -> np.ndarray:
    """Which of ``positions`` have ``text`` just before them."""
    match = np.ones(len(positions), bool)
    for back, byte in enumerate(reversed(text), 1):
        match &= array[positions - back] == byte
    return match


def _references(array: np.ndarray, starts: np.ndarray, letters: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """The rows and columns (1-based) written from each of ``starts``: ``[A-Z]{1,3}`` (with ``letters``, else
    none: the column is 0) then ``[0-9]{1,7}`` then a quote. None if any is written otherwise. One vectorised
    step per character position (at most 11), never a step per cell."""
    count = len(starts)
    rows = np.zeros(count, np.int32)  # at most 7 digits
    columns = np.zeros(count, np.int32)  # at most 3 letters
    letters_seen = np.zeros(count, np.int8)
    digits_seen = np.zeros(count, np.int8)
    done = np.zeros(count, bool)
    for offset in range(11 if letters else 8):
        live = ~done
        if not live.any():
            break
        code = array[starts + offset]
        value = code - np.uint8(48)  # uint8: wraps below "0", so one comparison tells a digit
        digit = live & (value < 10)
        quote = live & (code == 34)
        if letters:
            letter = live & ((code - np.uint8(65)) < 26) & (digits_seen == 0)
            if np.any(live & ~(letter | digit | quote)):
                return None
            columns = np.where(letter, columns * 26 + (code.astype(np.int32) - 64), columns)
            letters_seen += letter
        elif np.any(live & ~(digit | quote)):
            return None
        rows = np.where(digit, rows * 10 + value, rows)
        digits_seen += digit
        done |= quote
    if not done.all() or np.any((digits_seen < 1) | (digits_seen > 7)):
        return None
    if letters and np.any((letters_seen < 1) | (letters_seen > 3)):
        return None
    rows, columns = rows.astype(np.int64), columns.astype(np.int64)
    return rows, columns


#: The body of a sheet is read in slices of this many bytes, each as NumPy arrays small enough to stay in the
#: processor's cache: on a virtual machine memory touched for the first time costs more than the arithmetic.
_STEP = 1 << 20
_TAGS = (b"<c", b"</c>", b"<row", b"</row>", b"<v>", b"</v></c>", b"<f", b"</f>", b"<is>", b"</is>", b"<t>", b"</t>")
_CELL_WORD = b'<c r="'
_ROW_WORD = np.uint64(int.from_bytes(b'<row r="', "big"))
_NO_ROW = -1
#: The row open before the second half of a body, read apart from the first: known when the halves are joined.
_UNKNOWN_ROW = -2
#: A body of at least this many bytes is read in two halves at once, the second in a worker thread (NumPy lets
#: go of the interpreter's lock while it works on a slice, so the halves take the two cores).
_SPLIT_BYTES = 4 << 20


class _Tally:
    """What the slices of a sheet body add up to: the tags by kind, what the ``=`` of the attributes show, the
    rows, and the cells checked against their rows and their order."""

    def __init__(self, row: int = _NO_ROW) -> None:
        self.tags = dict.fromkeys(_TAGS, 0)
        self.opened = self.closed = 0
        self.spaced = False  # a space before an "=", or an "=" not followed by a quote
        self.spelled_r = 0  # ' r="'
        self.inline_types = 0  # 't="inlineStr"'
        self.hidden = self.error = False  # 'hidden="' or '="e"' written somewhere
        self.well_placed = True  # every row and cell with its r first, well written, in order, in its row
        self.rows: list[np.ndarray] = []
        self.row = row  # the number of the last row opened (_UNKNOWN_ROW: in the half before, not read yet)
        self.place = -1  # the place of the last cell: row * (MAX_COLUMNS + 1) + column
        self.max_column = 0
        self.lead_row = _NO_ROW  # the row of the cells before the first row opened, when that is _UNKNOWN_ROW
        self.first_place = -1  # the place of the first cell

    def add(self, array: np.ndarray, words: np.ndarray, start: int, stop: int) -> None:
        """Add the bytes ``start:stop`` of ``array`` (``words``: the 8 bytes from each of its positions)."""
        piece = array[start:stop]
        opens = np.flatnonzero(piece == 60) + start
        self.opened += len(opens)
        self.closed += int(np.count_nonzero(piece == 62))
        equals = np.flatnonzero(piece == 61) + start
        before, after = array[equals - 1], array[equals + 1]
        self.spaced = self.spaced or bool(np.any(before == 32)) or not bool(np.all(after == 34))
        self.spelled_r += int(np.count_nonzero((after == 34) & (before == 114) & (array[equals - 2] == 32)))
        quoted = equals[after == 34]
        self.error = self.error or bool(np.any((array[quoted + 2] == 101) & (array[quoted + 3] == 34)))
        self.hidden = self.hidden or bool(np.any(_preceded(array, equals[before == 110], b"hidden")))
        inline = quoted[(array[quoted - 1] == 116) & (array[quoted + 2] == 105)]  # t="i...
        for offset, byte in enumerate(b'="inlineStr"'):
            inline = inline[array[inline + offset] == byte]
        self.inline_types += len(inline)
        if not len(opens):
            return
        tags = words[opens]
        for tag in _TAGS:
            self.tags[tag] += int(np.count_nonzero(_starting(tags, tag)))
        is_cell, is_row = _starting(tags, b"<c"), _starting(tags, b"<row")
        if not (np.all(_starting(tags[is_cell], _CELL_WORD)) and np.all(tags[is_row] == _ROW_WORD)):
            self.well_placed = False  # a cell or a row without its r first
            return
        row_places = _references(array, opens[is_row] + 8, letters=False)
        cell_places = _references(array, opens[is_cell] + 6, letters=True)
        if row_places is None or cell_places is None:
            self.well_placed = False
            return
        numbers = row_places[0]
        cell_rows, columns = cell_places
        if len(cell_rows):
            opened = np.concatenate(([self.row], numbers))  # the row open before the slice, then its rows
            around = opened[np.cumsum(is_row)[is_cell]]  # the row each cell is written in: the last one opened
            places = cell_rows * (MAX_COLUMNS + 1) + columns
            if around[0] == _UNKNOWN_ROW:  # cells of the row left open by the half before: all of one row
                if self.lead_row == _NO_ROW:
                    self.lead_row = int(cell_rows[0])
                around = np.where(around == _UNKNOWN_ROW, self.lead_row, around)
            if around[0] == _NO_ROW or not np.array_equal(cell_rows, around):
                self.well_placed = False  # a cell inside another row, or outside any
                return
            if places[0] <= self.place or np.any(np.diff(places) <= 0):
                self.well_placed = False  # cells out of order in a row, or one written twice: the XML parse decides
                return
            if self.first_place < 0:
                self.first_place = int(places[0])
            self.place = int(places[-1])
            self.max_column = max(self.max_column, int(columns.max()))
        if len(numbers):
            self.rows.append(numbers)
            self.row = int(numbers[-1])

    def join(self, second: _Tally) -> _Tally:
        """This tally (of a body's first half) and ``second`` (of the half after it, begun with _UNKNOWN_ROW) as
        one: the counts added, and the cells of the second half checked against the last row and cell of the
        first, as one tally of the whole body would have checked them."""
        if second.lead_row != _NO_ROW and second.lead_row != self.row:
            self.well_placed = False  # cells before the second half's first row, not in the first half's last
        if second.first_place >= 0 and second.first_place <= self.place:
            self.well_placed = False
        self.well_placed = self.well_placed and second.well_placed
        for tag, count in second.tags.items():
            self.tags[tag] += count
        self.opened += second.opened
        self.closed += second.closed
        self.spelled_r += second.spelled_r
        self.inline_types += second.inline_types
        self.spaced = self.spaced or second.spaced
        self.hidden = self.hidden or second.hidden
        self.error = self.error or second.error
        self.rows += second.rows
        if second.row != _UNKNOWN_ROW:
            self.row = second.row
        if second.first_place >= 0:
            self.place = second.place
        self.max_column = max(self.max_column, second.max_column)
        return self


def _tally(array: np.ndarray, words: np.ndarray, start: int, stop: int, row: int = _NO_ROW) -> _Tally:
    """The tally of the bytes ``start:stop``, a slice at a time (stopped at the first slice badly placed)."""
    tally = _Tally(row)
    for step in range(start, stop, _STEP):
        tally.add(array, words, step, min(step + _STEP, stop))
        if not tally.well_placed:
            break
    return tally


def _tally_body(array: np.ndarray, words: np.ndarray, start: int, stop: int) -> _Tally:
    """The tally of a body: of a large one, its two halves at once (the second in a worker thread), joined."""
    if stop - start < _SPLIT_BYTES:
        return _tally(array, words, start, stop)
    middle = (start + stop) // 2
    with ThreadPoolExecutor(1) as worker:
        second = worker.submit(_tally, array, words, middle, stop, _UNKNOWN_ROW)
        first = _tally(array, words, start, middle)
        return first.join(second.result())


def _fast_scan(sheet: SheetInfo, data: bytes) -> bool:
    """Scan a sheet written in the usual spelling with byte patterns, after proving the spelling by counts and
    a few searches: one unprefixed ``sheetData`` and no comment or instruction around it; as many ``>`` as
    ``<`` (none in a value or a text); no line break, tab, space around ``=``, single quote or reference inside
    a tag, no reference in a value; every ``<`` opening or closing a ``row``, ``c``, ``v``, ``f`` or inline
    text element without a prefix; every row and cell with its ``r`` first and only once; each value the last
    thing of its cell and none in an inline-text cell; rows in ascending order, the cells of a row in
    ascending order (so none twice), every cell inside its own row. Returns False (nothing recorded) for
    anything else: the XML parse reads it.

    The body is read as NumPy arrays of its bytes, a slice at a time: the tags are told apart by the 8 bytes
    from each ``<``, the attributes by the bytes around each ``=``, and the references are read on arrays of
    their bytes, so every count and check is a vectorised step, never a step per cell."""
    span = _body_span(data)
    if span is None:
        return False
    _, start, stop, tail = span
    # the bytes of the part, without a copy: "<sheetData>" before the body (nothing read before it is a match),
    # and at least 24 bytes after (a word or a reference read past the body's end stays inside the array)
    array = np.frombuffer(data if len(data) - stop >= 24 else data + bytes(24), np.uint8)
    words = np.ndarray((len(array) - 7,), ">u8", array, 0, (1,))  # the 8 bytes from each position
    tally = _tally_body(array, words, start, stop)
    if not tally.well_placed:
        return False
    if tally.opened != tally.closed:
        return False  # a ">" in a value or a text: "inside a tag" below could not be told
    # the unusual bytes of the body: those of the whole part, less those before and after it (no copy of the body)
    unusual = data.translate(None, _ORDINARY)
    if unusual:
        before, after = (len(part.translate(None, _ORDINARY)) for part in (data[:start], data[stop:]))
        unusual = unusual[before : len(unusual) - after]
    rare = unusual or tally.spaced or tally.tags[b"<f"] or tally.error or tally.hidden
    body = data[start:stop] if rare else b""  # the body's bytes, copied only where a closer look needs them
    if unusual:
        if b"\x00" in unusual or len(unusual) > 10_000:
            return False
        if unusual.strip(b"&'") and _in_a_tag(body, _BREAK):
            return False  # a line break or tab between attributes
        if b"'" in unusual and _SINGLE_QUOTED.search(body):
            return False
        if b"&" in unusual and (_REFERENCE_IN_ATTRIBUTE.search(body) or _REFERENCE_IN_VALUE.search(body)):
            return False  # a reference in an attribute, or in a value (the reader reads its first part only)
    if tally.spaced and _in_a_tag(body, _SPACED_EQUALS):
        return False  # spaces around "=": an attribute twice (r ="XFD1048576") would slip past the counts
    tags = tally.tags
    cells, values = tags[b"<c"], tags[b"<v>"]
    known = cells + tags[b"</c>"] + tags[b"<row"] + tags[b"</row>"] + 2 * values
    if values != tags[b"</v></c>"]:
        return False
    if tags[b"<f"]:
        known += tags[b"<f"] + tags[b"</f>"]
    inline = tags[b"<is>"]
    if inline or tally.inline_types:
        if inline != tally.inline_types or data.find(b"</is><v>", start, stop) >= 0:
            return False  # a value in an inline-text cell, ignored by the reader
        known += inline + tags[b"</is>"] + tags[b"<t>"] + tags[b"</t>"]
    if known != tally.opened or not tally.well_placed or data.find(b"sheetData", start, stop) >= 0:
        return False
    numbers = np.concatenate(tally.rows) if tally.rows else np.zeros(0, np.int64)
    if tally.spelled_r != cells + len(numbers):  # no r twice in a tag
        return False
    if len(numbers) and (np.any(np.diff(numbers) <= 0) or numbers[0] < 1 or numbers[-1] > MAX_ROWS):
        return False
    if tally.max_column > MAX_COLUMNS:
        return False
    sheet.max_row, sheet.max_column, sheet.cells = (int(numbers[-1]) if len(numbers) else 0), tally.max_column, cells
    sheet.hidden_rows = [int(r) for r in _HIDDEN_ROW.findall(body)] if tally.hidden else []
    starts: set[int] = set()
    if tags[b"<f"]:
        starts.update(body.rfind(b"<c r=", 0, m.start()) for m in _FORMULA.finditer(body))
    if tally.error:
        starts.update(m.start() for m in _ERROR_CELL.finditer(body))
    for start in sorted(starts):
        opening = body.find(b">", start)
        end = opening + 1 if body[opening - 1 : opening] == b"/" else body.find(b"</c>", start)
        segment = body[start : end if end >= 0 else len(body)]
        ref = _CELL_START.match(segment)
        if ref is None:
            return False
        value = _VALUE.search(segment)
        text = value.group(1).decode("utf-8", "replace") if value else None
        error = _ERROR_CELL.match(segment) is not None
        _flag(sheet, ref.group(1).decode(), error, _FORMULA.search(segment) is not None, text)
    sheet.merged_cells, sheet.merged_far, sheet._merged_far_box = 0, "", 0
    if b":mergeCell" in tail:
        return False
    if b"<mergeCell" in tail:
        refs = _MERGE.findall(tail)
        if len(refs) != tail.count(b"<mergeCell "):
            return False
        for ref in refs:
            _merge(sheet, ref.decode())
    sheet.scanned = "fast"
    return True


def _check_extent(path: str, sheet: SheetInfo, archive: zipfile.ZipFile) -> None:
    """Refuse a sheet whose bounding box (what a cell reader allocates) is above ``max_cells``, or is a sparse
    box: far larger than its cells (one cell placed at XFD1048576 costs hundreds of megabytes). The refusal
    names the cells that set the last row and column, found by the reference parse."""
    box = sheet.max_row * sheet.max_column
    if box <= LIMITS["sparse_cells"]:
        return
    if box <= LIMITS["max_cells"] and box <= LIMITS["sparse_ratio"] * max(sheet.cells, 1):
        return
    if sheet.scanned != "xml":
        _xml_scan(path, sheet, archive)
    far = " / ".join(sheet.far) or f"{column_letter(sheet.max_column - 1)}{sheet.max_row}"
    if box > LIMITS["max_cells"]:
        raise WorkbookFormatError(
            path,
            f"工作表「{sheet.name}」范围过大（至 {far}：{sheet.max_row} 行 × {sheet.max_column} 列）",
            f"sheet {sheet.name!r} spans {sheet.max_row} rows x {sheet.max_column} columns (to {far}), above the "
            f"limit of {LIMITS['max_cells']:,} cells",
            "sheet_too_large",
            sheet.name,
            sheet.far[0] if sheet.far else "",
        )
    raise WorkbookFormatError(
        path,
        f"工作表「{sheet.name}」只有 {sheet.cells:,} 个单元格，范围却延伸到 {far}：请删除数据区以外的单元格或格式",
        f"sheet {sheet.name!r} holds {sheet.cells:,} cells but extends to {far}: delete the cells or formatting "
        "outside the data",
        "sparse_sheet",
        sheet.name,
        sheet.far[0] if sheet.far else "",
    )


class _First(Exception):
    pass


def _check_shared_strings(path: str, archive: zipfile.ZipFile) -> None:
    """The reader reserves as many shared strings as the table declares (``uniqueCount``) before reading one:
    a declaration above what the part could hold (an entry takes at least 5 bytes, ``<si/>``) is refused."""
    for member in archive.infolist():
        if not member.filename.lower().endswith("sharedstrings.xml"):
            continue
        with archive.open(member) as handle:
            head = handle.read(65_536)
        _refuse_doctype(path, member.filename, head)
        found: dict[str, str] = {}

        def first(_name: str, attrs: dict[str, str], found: dict[str, str] = found) -> None:
            found.update(attrs)
            raise _First

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = first
        try:
            parser.Parse(head, False)
        except (_First, expat.ExpatError):
            pass
        declared = found.get("uniqueCount", "0").strip()
        room = member.file_size // 5 + 1
        if not declared.isdigit() or int(declared) > room:
            raise WorkbookFormatError(
                path,
                f"共享字符串表声明了 {declared} 项，但其部件最多只能容纳 {room:,} 项；文件已损坏或被改动",
                f"the shared-strings table declares {declared} entries, but its part can hold at most {room:,}; "
                "the file is damaged or altered",
                "declared_size",
            )


def _scan_sheet(path: str, sheet: SheetInfo, archive: zipfile.ZipFile) -> None:
    try:
        member = archive.getinfo(sheet.part)
    except KeyError:
        raise WorkbookFormatError(
            path, f"工作表「{sheet.name}」缺失", f"sheet {sheet.name!r} is missing its part", "damaged"
        ) from None
    with archive.open(member) as handle:
        _refuse_doctype(path, sheet.part, handle.read(4096))
    try:
        fast = member.file_size <= LIMITS["fast_part"] and _fast_scan(sheet, archive.read(member))
    except _Refusal as refusal:
        raise refusal.located(path, sheet.name) from None
    if not fast:
        _xml_scan(path, sheet, archive)
    _check_extent(path, sheet, archive)


def inspect_xlsx(path: str | Path) -> WorkbookInfo:
    """Inspect an .xlsx (or .xlsm) file without loading its cells.

    Raises
    ------
    WorkbookFormatError
        The file is missing, empty, not a zip/xlsx workbook, password-protected (an encrypted file is not a
        zip), or exceeds :data:`LIMITS`.
    """
    if not isinstance(path, (str, os.PathLike)) or "\x00" in str(path):
        shown = printable(repr(path))[:80]
        raise WorkbookFormatError(
            shown, f"不是文件路径（{type(path).__name__}）", f"not a file path ({type(path).__name__})", "not_a_path"
        )
    name = str(path)
    file = Path(path)
    if not file.is_file():
        raise WorkbookFormatError(name, "文件不存在", "file not found", "not_found")
    if file.stat().st_size == 0:
        raise WorkbookFormatError(name, "文件为空", "the file is empty", "empty_file")
    if not zipfile.is_zipfile(file):
        head = file.read_bytes()[:8]
        code = "old_or_encrypted" if head.startswith(b"\xd0\xcf\x11\xe0") else "not_xlsx"
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            zh, en = (
                "是 .xls 旧格式或已加密的工作簿；请在 Excel/WPS 中取消密码并另存为 .xlsx",
                "an old .xls or a password-protected workbook; remove the password and save it as .xlsx in Excel or WPS",
            )
        else:
            zh, en = (
                "不是 .xlsx 工作簿（可能是 CSV 或已损坏）；请另存为 .xlsx",
                "not an .xlsx workbook (CSV or damaged?); save it as .xlsx",
            )
        raise WorkbookFormatError(name, zh, en, code)
    try:
        with zipfile.ZipFile(file) as archive:
            _check_directory(name, archive)
            sheets, date1904 = _sheets(name, archive)
            _check_shared_strings(name, archive)
            for sheet in sheets:
                _scan_sheet(name, sheet, archive)
            for part in ("xl/styles.xml",):
                if part in archive.namelist():
                    with archive.open(part) as handle:
                        _refuse_doctype(name, part, handle.read(4096))
            macros = "xl/vbaProject.bin" in archive.namelist()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise WorkbookFormatError(
            name, f"文件已损坏（{type(exc).__name__}）", f"the file is damaged ({type(exc).__name__})", "damaged"
        ) from None
    return WorkbookInfo(sheets, date1904, macros)
