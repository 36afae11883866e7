"""The pre-flight's fast path as it was up to commit 720771f (byte counts, one search of the whole body per
pattern, references as Python bytes), kept verbatim as the reference that the NumPy fast path of
:mod:`carbon.io.xlsx_preflight` is compared with in ``tests/test_fast_scan.py``: on every sheet both must take
the same decision and report the same view. Not used by carbon itself."""

from __future__ import annotations

import re

import numpy as np

from carbon.io import xlsx_preflight as xp

_ROW_R = re.compile(rb'<row r="(\d{1,7})"')
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3}\d{1,7})"')
_SLICE = 8 << 20


def _places(refs: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns (1-based) of cell references (``b"A1"``, ``b"XFD1048576"``), on a NumPy array of their
    bytes: one vectorised step per character position, never a step per cell."""
    array = np.array(refs)  # dtype S<longest reference>: one step per character of the longest
    width = array.dtype.itemsize
    codes = array.view(np.uint8).reshape(-1, width).astype(np.int64)
    rows = np.zeros(len(refs), np.int64)
    columns = np.zeros(len(refs), np.int64)
    for j in range(width):
        code = codes[:, j]
        letter = (code >= 65) & (code <= 90)
        columns = np.where(letter, columns * 26 + code - 64, columns)
        digit = (code >= 48) & (code <= 57)
        rows = np.where(digit, rows * 10 + code - 48, rows)
    return rows, columns


def old_fast_scan(sheet: xp.SheetInfo, data: bytes) -> bool:
    """Scan a sheet written in the usual spelling with byte patterns, after proving the spelling by counts and
    a few searches: one unprefixed ``sheetData`` and no comment or instruction around it; as many ``>`` as
    ``<`` (none in a value or a text); no line break, tab, space around ``=``, single quote or reference inside
    a tag, no reference in a value; every ``<`` opening or closing a ``row``, ``c``, ``v``, ``f`` or inline
    text element without a prefix; every row and cell with its ``r`` first and only once; each value the last
    thing of its cell and none in an inline-text cell; rows in ascending order, the cells of a row in
    ascending order (so none twice), every cell inside its own row (checked on NumPy arrays of the references,
    not cell by cell). Returns False (nothing recorded) for anything else: the XML parse reads it."""
    parts = xp._body(data)
    if parts is None:
        return False
    _head, body, tail = parts
    opened = body.count(b"<")
    if opened != body.count(b">"):
        return False  # a ">" in a value or a text: "inside a tag" below could not be told
    unusual = body.translate(None, xp._ORDINARY)
    if unusual:
        if b"\x00" in unusual or len(unusual) > 10_000:
            return False
        if unusual.strip(b"&'") and xp._in_a_tag(body, xp._BREAK):
            return False  # a line break or tab between attributes
        if b"'" in unusual and xp._SINGLE_QUOTED.search(body):
            return False
        if b"&" in unusual and (xp._REFERENCE_IN_ATTRIBUTE.search(body) or xp._REFERENCE_IN_VALUE.search(body)):
            return False  # a reference in an attribute, or in a value (the reader reads its first part only)
    spaced = b" =" in body or body.count(b"=") != body.count(b'="')  # else each "=" is followed by its quote
    if spaced and xp._in_a_tag(body, xp._SPACED_EQUALS):
        return False  # spaces around "=": an attribute twice (r ="XFD1048576") would slip past the counts
    cells, values = body.count(b"<c"), body.count(b"<v>")
    known = cells + body.count(b"</c>") + body.count(b"<row") + body.count(b"</row>") + 2 * values
    if values != body.count(b"</v></c>"):
        return False
    if b"<f" in body:
        known += body.count(b"<f") + body.count(b"</f>")
    if b"<is>" in body or b"inlineStr" in body:
        inline = body.count(b"<is>")
        if inline != body.count(b't="inlineStr"') or b"</is><v>" in body:
            return False  # a value in an inline-text cell, ignored by the reader
        known += inline + body.count(b"</is>") + body.count(b"<t>") + body.count(b"</t>")
    if known != opened or b"sheetData" in body:
        return False
    rows: list[np.ndarray] = []
    max_column = cells_seen = 0
    position = 0
    while position < len(body):
        cut = body.find(b"</row>", position + _SLICE)
        cut = len(body) if cut < 0 else cut + 6
        piece = body[position:cut]
        position = cut
        row_numbers = _ROW_R.findall(piece)
        if len(row_numbers) != piece.count(b"<row"):
            return False
        numbers = np.array(row_numbers or [b"0"], dtype="S9").astype(np.int64)[: len(row_numbers)]
        rows.append(numbers)
        refs = _CELL_REF.findall(piece)
        cells_seen += len(refs)
        if not refs:
            continue
        cell_rows, columns = _places(refs)
        per_row = [chunk.count(b"<c") for chunk in piece.split(b"<row ")[1:]]
        if sum(per_row) != len(refs) or not np.array_equal(cell_rows, np.repeat(numbers, per_row)):
            return False  # a cell inside another row, or outside any
        if np.any(np.diff(cell_rows * (xp.MAX_COLUMNS + 1) + columns) <= 0):
            return False  # cells out of order in a row, or one written twice: the XML parse decides
        max_column = max(max_column, int(columns.max()))
    if cells_seen != cells or body.count(b' r="') != cells + sum(map(len, rows)):  # no r twice in a tag
        return False
    numbers = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    if len(numbers) and (np.any(np.diff(numbers) <= 0) or numbers[0] < 1 or numbers[-1] > xp.MAX_ROWS):
        return False
    if max_column > xp.MAX_COLUMNS:
        return False
    rows = numbers.tolist()
    sheet.max_row, sheet.max_column, sheet.cells = (rows[-1] if rows else 0), max_column, cells
    sheet.hidden_rows = [int(r) for r in xp._HIDDEN_ROW.findall(body)] if b"hidden" in body else []
    starts: set[int] = set()
    if b"<f" in body:
        starts.update(body.rfind(b"<c r=", 0, m.start()) for m in xp._FORMULA.finditer(body))
    if b'"e"' in body:
        starts.update(m.start() for m in xp._ERROR_CELL.finditer(body))
    for start in sorted(starts):
        opening = body.find(b">", start)
        end = opening + 1 if body[opening - 1 : opening] == b"/" else body.find(b"</c>", start)
        segment = body[start : end if end >= 0 else len(body)]
        ref = xp._CELL_START.match(segment)
        if ref is None:
            return False
        value = xp._VALUE.search(segment)
        text = value.group(1).decode("utf-8", "replace") if value else None
        error = xp._ERROR_CELL.match(segment) is not None
        xp._flag(sheet, ref.group(1).decode(), error, xp._FORMULA.search(segment) is not None, text)
    sheet.merged_cells, sheet.merged_far, sheet._merged_far_box = 0, "", 0
    if b":mergeCell" in tail:
        return False
    if b"<mergeCell" in tail:
        refs = xp._MERGE.findall(tail)
        if len(refs) != tail.count(b"<mergeCell "):
            return False
        for ref in refs:
            xp._merge(sheet, ref.decode())
    sheet.scanned = "fast"
    return True
