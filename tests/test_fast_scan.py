"""The pre-flight's fast path, read on NumPy arrays of a sheet's bytes a slice at a time, takes the decision the
byte-count fast path it replaced took (kept in ``tests/old_fast_scan.py``) and reports the same view: on sheets
in every spelling of ``tests/test_preflight_xml.py``, on those sheets with bytes inserted, deleted or changed
(the syntax's own bytes, so that tags, attributes, references and values break in every way), with slices as
small as one byte (a tag, an ``=`` or a reference cut between two slices), and on every sheet of the sample
workbook. Where either takes the fast path, the XML parse agrees (``tests/test_preflight_xml.py``)."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from old_fast_scan import old_fast_scan
from test_preflight_xml import SPELLINGS, models, render

import carbon
from carbon.io import xlsx_preflight as xp

VIEW = (
    "max_row",
    "max_column",
    "cells",
    "uncalculated",
    "errors",
    "hidden_rows",
    "formulas",
    "formula_count",
    "merged_cells",
    "merged_far",
    "scanned",
)

#: Bytes of the syntax a mutation inserts or puts in place of another.
SYNTAX = b"<>=\"' /\n\t&#;rcvfistRCVA019:-_x" + "名".encode()


def _outcome(scan, data: bytes) -> tuple[object, dict[str, object]]:
    sheet = xp.SheetInfo("S", "xl/worksheets/sheet1.xml")
    try:
        taken: object = scan(sheet, data)
    except xp._Refusal as refusal:  # too many flagged cells: refused by both, at the same cell
        taken = (refusal.code, refusal.cell)
    return taken, {name: getattr(sheet, name) for name in VIEW}


def _same(data: bytes) -> None:
    assert _outcome(xp._fast_scan, data) == _outcome(old_fast_scan, data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    model=models(),
    how=st.sets(st.sampled_from(SPELLINGS), max_size=2),
    step=st.sampled_from([1, 3, 8, 64, 1 << 20]),
    data=st.data(),
)
def test_the_numpy_fast_path_decides_as_the_byte_counts_did(monkeypatch, model, how, step, data):
    monkeypatch.setattr(xp, "_STEP", step)
    sheet = render(model, how)
    _same(sheet)
    for _ in range(3):  # the same sheet with a few bytes inserted, deleted or changed
        mutated = bytearray(sheet)
        for _ in range(data.draw(st.integers(1, 3))):
            at = data.draw(st.integers(0, len(mutated) - 1))
            action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
            byte = data.draw(st.sampled_from(list(SYNTAX)))
            if action == "insert":
                mutated.insert(at, byte)
            elif action == "delete":
                del mutated[at]
            else:
                mutated[at] = byte
        _same(bytes(mutated))


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b'<row r="1"/>',
        b'<row r="1" hidden="1"/><row r="3" hidden="true"><c r="A3"><v>1</v></c></row>',
        b'<c r="A1"><v>1</v></c><row r="1"><c r="B1"><v>1</v></c></row>',  # a cell before any row
        b'<row r="1"><c r="A0"><v>1</v></c></row>',
        b'<row r="1"><c r="A1"><v>1</v></c></row><c r="B1"><v>2</v></c><row r="2"></row>',  # after its row
        b'<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>',  # out of order
        b'<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row>',
        b'<row r="1"><c r="XFD1"><v>1</v></c><c r="XFE1"><v>1</v></c></row>',
        b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>',
        b'<row r="1048577"><c r="A1048577"><v>1</v></c></row>',
        b'<row r="12345678"><c r="A12345678"><v>1</v></c></row>',
        b'<row r="1"><c r="AAAA1"><v>1</v></c></row>',
        b'<row r="1"><c r="a1"><v>1</v></c></row>',
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1" t="e"><v>#N/A</v></c></row>',
        b'<row r="1"><c r="A1" t="inlineStr"><v>1</v></c></row>',
        b'<row r="1"><c r="A1" t="e"/><c r="B1"><f>1+1</f></c><c r="C1"><f>1</f><v>2</v></c></row>',
        b'<row r="1"><c r="A1"><v>t="inlineStr" hidden="1" ="e"</v></c></row>',
        b'<row r="1"><c r="A1" s ="0"><v>1</v></c></row>',  # a space before "=" only
        b'<row r="1"><c r="A1" r ="XFD1048576"><v>1</v></c></row>',
        b'<row r="1"><c r="A1" s="0"><v>1 &gt; 0</v></c></row>',
        b'<row r="1"><c r="B1"><v>2>1</v></c></row>',  # a ">" in a value
        b'<row r="1"><c r="A1"><v>1</v></c><x/></row>',  # a tag of no known kind
        b'<row r="2"/><row r="1"/><row r="1"/>',
        b'<row r="1"><c r="A1"\nt="e"><v>#N/A</v></c></row>',
        b'<row r="1"><c r="A1" r="XFD1"><v>1</v></c></row>',  # an r twice
        b'<row r="1" r="9"><c r="A1"><v>1</v></c></row>',
        b'<row r="1"><c r="A1"><v>1</v><f>1+1</f></c></row>',  # something after the value
        b'<row r="1"><c r="A1"><v>1</v><v>2</v></c></row>',
    ],
)
@pytest.mark.parametrize("step", [1, 5, 1 << 20])
def test_edge_bodies_are_decided_alike(monkeypatch, body, step):
    monkeypatch.setattr(xp, "_STEP", step)
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="m"><sheetData>'
    _same(head + body + b"</sheetData></worksheet>")
    _same(b"\xef\xbb\xbf" + head + body + b"</sheetData>")  # a byte-order mark; no room after the body


def test_every_sheet_of_the_sample_is_read_alike():
    with zipfile.ZipFile(carbon.sample_workbook_path()) as archive:
        parts = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert parts
        for part in parts:
            data = archive.read(part)
            taken, view = _outcome(xp._fast_scan, data)
            assert taken is True, part
            assert (taken, view) == _outcome(old_fast_scan, data), part
