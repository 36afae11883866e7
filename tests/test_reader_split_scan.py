"""The pre-flight's fast path reads a large sheet body in two halves at once (the second in a worker thread) and
joins their tallies. The joined tally must be the tally of the whole body read in one piece: tested by cutting
bodies at every byte (inside a tag, an attribute, a reference, a value, between a row and its cells), and by
running the fast path's own tests (``tests/test_fast_scan.py``: the decision and the view against the
byte-count scan it replaced) with every body read in two halves."""

from __future__ import annotations

import numpy as np
import pytest
import test_fast_scan
from test_fast_scan import _outcome

from carbon.io import xlsx_preflight as xp

#: What a tally tells (its counts and its order checks), compared between the whole and the joined halves.
FACTS = (
    "tags",
    "opened",
    "closed",
    "spaced",
    "spelled_r",
    "inline_types",
    "hidden",
    "error",
    "row",
    "place",
    "max_column",
)

HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="m"><sheetData>'
TAIL = b"</sheetData></worksheet>"

BODIES = [
    b'<row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1"><v>2.5</v></c></row>'
    b'<row r="2" spans="1:3"><c r="A2" t="s"><v>1</v></c><c r="C2"><v>-1E-3</v></c></row>'
    b'<row r="4" hidden="1"><c r="AB4" t="inlineStr"><is><t>x</t></is></c><c r="XFD4" t="e"><v>#N/A</v></c></row>'
    b'<row r="10"><c r="A10"><f>1+1</f><v>2</v></c><c r="B10"><f>A1</f></c><c r="C10"/></row>',
    # wrongly placed in ways a cut could hide: each must be refused however the body is cut
    b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row><row r="2"><c r="B1"><v>3</v></c></row>',
    b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="B1"><v>3</v></c></row>',
    b'<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>1</v></c><c r="C1"><v>1</v></c><c r="D1"><v>1</v></c></row>',
    b'<row r="1"><c r="B1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="A2"><v>2</v></c></row>',
    b'<c r="A1"><v>1</v></c><c r="B1"><v>1</v></c><row r="1"><c r="C1"><v>1</v></c></row>',
    b'<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>',
    b'<row r="1"><c r="A1"><v>1</v></c></row><c r="B1"><v>2</v></c><c r="C2"><v>2</v></c>',
    b'<row r="1"><c r="A1"><v>1</v></c><c r="B2"><v>1</v></c><c r="C2"><v>1</v></c></row>',
]


def _arrays(data: bytes) -> tuple[np.ndarray, np.ndarray, int, int]:
    head, body, _ = xp._body(data)
    start = len(head) + len(b"<sheetData>")
    array = np.frombuffer(data + bytes(24), np.uint8)
    return array, np.ndarray((len(array) - 7,), ">u8", array, 0, (1,)), start, start + len(body)


def _facts(tally: xp._Tally) -> dict[str, object]:
    facts = {name: getattr(tally, name) for name in FACTS}
    facts["rows"] = np.concatenate(tally.rows).tolist() if tally.rows else []
    return facts


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("step", [1, 7, 1 << 20])
def test_two_halves_cut_at_any_byte_tally_as_the_whole_body(monkeypatch, body, step):
    monkeypatch.setattr(xp, "_STEP", step)
    array, words, start, stop = _arrays(HEAD + body + TAIL)
    whole = xp._tally(array, words, start, stop)
    for middle in range(start, stop + 1):
        joined = xp._tally(array, words, start, middle).join(xp._tally(array, words, middle, stop, xp._UNKNOWN_ROW))
        assert joined.well_placed == whole.well_placed, middle
        if whole.well_placed:
            assert _facts(joined) == _facts(whole), middle


def test_the_bodies_above_hold_both_decisions():
    """The cuts above are tested on well-placed bodies and on badly placed ones alike."""
    decided = set()
    for body in BODIES:
        array, words, start, stop = _arrays(HEAD + body + TAIL)
        decided.add(xp._tally(array, words, start, stop).well_placed)
    assert decided == {True, False}


def test_the_fast_path_tests_pass_with_every_body_read_in_two_halves(monkeypatch):
    """tests/test_fast_scan.py's comparisons with the byte-count scan (generated and mutated spellings, slices
    down to one byte, every sheet of the sample), every body read in two halves."""
    monkeypatch.setattr(xp, "_SPLIT_BYTES", 0)
    test_fast_scan.test_the_numpy_fast_path_decides_as_the_byte_counts_did(monkeypatch=monkeypatch)
    monkeypatch.setattr(xp, "_STEP", 4096)
    test_fast_scan.test_every_sheet_of_the_sample_is_read_alike()


def test_a_large_body_is_read_in_two_halves(monkeypatch):
    """The split is taken at its size: a body of _SPLIT_BYTES or more goes to a worker thread."""
    calls = []
    real = xp._tally
    monkeypatch.setattr(xp, "_tally", lambda *args: calls.append(args[2:]) or real(*args))
    monkeypatch.setattr(xp, "_SPLIT_BYTES", 64)
    data = HEAD + BODIES[0] + TAIL
    assert _outcome(xp._fast_scan, data)[0] is True
    assert len(calls) == 2
