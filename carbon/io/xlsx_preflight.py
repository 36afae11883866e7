"""Pre-flight of an .xlsx file: what a cell reader does not tell, checked before any sheet is loaded.

python-calamine reads cell values fast, but it silently drops a formula whose value was never calculated
(and an error value such as ``#DIV/0!``), and it allocates the whole bounding box of the cells present, so
one cell placed far away costs hundreds of megabytes. This module therefore reads the zip directory and
scans each worksheet's XML once, bounded by the limits below, and reports:

- the sheets in order, with their XML part, and whether each is hidden;
- each sheet's last row and column (so an oversized sheet is refused before it is read);
- formula cells without a calculated value, and cells holding an error value;
- hidden rows; and whether the workbook uses the 1904 date system.

XML metadata parts are parsed with defusedxml; nothing in a workbook is ever executed.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

from carbon.errors import WorkbookFormatError
from carbon.validation.problems import column_letter

__all__ = ["LIMITS", "SheetInfo", "WorkbookFormatError", "WorkbookInfo", "inspect_xlsx"]

#: Limits applied before anything is read into memory. A sheet may hold at most ``max_cells`` cells in its
#: bounding box (last row x last column, the width taken as 26 columns when no cell lies beyond Z: every sheet
#: of Excel's 1,048,576 rows fits), and a box above ``sparse_cells`` may be at most ``sparse_ratio`` times
#: the cells the sheet really holds: calamine allocates about 30 bytes per bounding-box cell, so one cell
#: placed at XFD1048576 or K1048576 is refused instead of costing a gigabyte. Zip parts above 1 MB may be
#: compressed at most ``max_ratio``:1. Any part declaring a DTD or entities is refused.
LIMITS = {
    "max_members": 10_000,
    "max_total_uncompressed": 2 * 1024**3,
    "max_member_uncompressed": 1024**3,
    "max_ratio": 200,
    "max_cells": 40_000_000,
    "sparse_cells": 1_000_000,
    "sparse_ratio": 50,
}

_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"')
_WIDE_COLUMN = re.compile(rb'<c r="([A-Z]{2,3})\d+"')
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3}\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_ERROR_CELL = re.compile(rb'<c\b[^>]*?\bt="e"')


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


def _scan(sheet: SheetInfo, data: bytes) -> None:
    rows = _ROW.findall(data)
    sheet.max_row = max((int(r) for r in rows), default=0)
    # Only columns beyond Z need finding one by one; without any, 26 bounds the width (the usual case: this keeps
    # the guard cheap). Cells written without their r attribute are placed by calamine after the last one.
    wide = set(_WIDE_COLUMN.findall(data))
    sheet.max_column = max((_column_number(c) for c in wide), default=26 if b"<c" in data else 0)
    sheet.hidden_rows = [int(r) for r in _HIDDEN_ROW.findall(data)] if b"hidden=" in data else []
    positions: set[int] = set()
    if b"<f" in data:
        positions.update(m.start() for m in re.finditer(rb"<f[\s>/]", data))
    if b't="e"' in data:
        positions.update(m.end() for m in _ERROR_CELL.finditer(data))
    for position in sorted(positions):
        start = data.rfind(b"<c ", 0, position)
        end = data.find(b"</c>", position)
        if start < 0:
            continue
        segment = data[start : end if end >= 0 else len(data)]
        opening = segment[: segment.find(b">") + 1]
        ref_match = _CELL_REF.search(opening)
        ref = ref_match.group(1).decode() if ref_match else "?"
        value = _VALUE.search(segment)
        if b't="e"' in opening:
            sheet.errors[ref] = value.group(1).decode(errors="replace") if value else "#ERROR"
        elif not value or not value.group(1).strip():
            if ref not in sheet.uncalculated:
                sheet.uncalculated.append(ref)


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


def _check_extent(path: str, sheet: SheetInfo, data: bytes) -> None:
    """Refuse a sheet whose bounding box (what a cell reader allocates) is above ``max_cells``, or is a sparse
    box: far larger than its cells (one cell placed at XFD1048576 costs hundreds of megabytes). The cells are
    counted, and the far cell named, only for a box large enough to matter."""
    box = sheet.max_row * sheet.max_column
    if box <= LIMITS["sparse_cells"]:
        return
    cells = data.count(b"<c ") + data.count(b"<c>")
    if box <= LIMITS["max_cells"] and box <= LIMITS["sparse_ratio"] * max(cells, 1):
        return
    refs = _CELL_REF.findall(data[data.rfind(b"<row ") :])
    far = refs[-1].decode() if refs else f"{column_letter(sheet.max_column - 1)}{sheet.max_row}"
    if box > LIMITS["max_cells"]:
        raise WorkbookFormatError(
            path,
            f"工作表「{sheet.name}」范围过大（至 {far}：{sheet.max_row} 行 × {sheet.max_column} 列）",
            f"sheet {sheet.name!r} spans {sheet.max_row} rows x {sheet.max_column} columns (to {far}), above the "
            f"limit of {LIMITS['max_cells']:,} cells",
            "sheet_too_large",
        )
    raise WorkbookFormatError(
        path,
        f"工作表「{sheet.name}」只有 {cells:,} 个单元格，范围却延伸到 {far}：请删除数据区以外的单元格或格式",
        f"sheet {sheet.name!r} holds {cells:,} cells but extends to {far}: delete the cells or formatting "
        "outside the data",
        "sparse_sheet",
    )


def inspect_xlsx(path: str | Path) -> WorkbookInfo:
    """Inspect an .xlsx (or .xlsm) file without loading its cells.

    Raises
    ------
    WorkbookFormatError
        The file is missing, empty, not a zip/xlsx workbook, password-protected (an encrypted file is not a
        zip), or exceeds :data:`LIMITS`.
    """
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
            for sheet in sheets:
                try:
                    data = archive.read(sheet.part)
                except KeyError:
                    raise WorkbookFormatError(
                        name, f"工作表「{sheet.name}」缺失", f"sheet {sheet.name!r} is missing its part", "damaged"
                    ) from None
                _refuse_doctype(name, sheet.part, data)
                _scan(sheet, data)
                _check_extent(name, sheet, data)
            for part in ("xl/sharedStrings.xml", "xl/styles.xml"):
                if part in archive.namelist():
                    with archive.open(part) as handle:
                        _refuse_doctype(name, part, handle.read(4096))
            macros = "xl/vbaProject.bin" in archive.namelist()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise WorkbookFormatError(
            name, f"文件已损坏（{type(exc).__name__}）", f"the file is damaged ({type(exc).__name__})", "damaged"
        ) from None
    return WorkbookInfo(sheets, date1904, macros)
