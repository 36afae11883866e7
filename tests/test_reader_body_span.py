"""The pre-flight's fast path finds a sheet's body by its place in the part (``xlsx_preflight._body_span``) and
copies it only when a rare spelling needs a closer look; the unusual bytes of the body are those of the whole
part less those before and after it. Tested against the body as it was cut before (``_cut_before`` below,
verbatim) on generated sheets, with a byte-order mark and mutations, and with unusual bytes (NUL, more than
10,000 line breaks, quotes, ampersands) placed before and after the body, where only the body's count: the
decision and the view are those of the byte-count scan (``tests/old_fast_scan.py``), which cuts the body out."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from old_fast_scan import old_fast_scan
from test_fast_scan import _outcome
from test_preflight_xml import SPELLINGS, models, render

from carbon.io import xlsx_preflight as xp


def _cut_before(data: bytes) -> tuple[bytes, bytes, bytes] | None:
    """``xlsx_preflight._body`` as it was before the span (verbatim)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declaration = xp._DECLARATION.match(data)
    if declaration is None and not data.startswith(b"<worksheet "):
        return None
    start = data.find(b"<sheetData>")
    if start < 0:
        return None
    end = data.rfind(b"</sheetData>")
    if end < start:
        return None
    head, body, tail = data[:start], data[start + 11 : end], data[end + 12 :]
    outer = (head[declaration.end() :] if declaration else head).lstrip(b" \r\n")
    if any(mark in part for part in (outer, tail) for mark in (b"<!", b"<?", b"sheetData")):
        return None
    if not outer.startswith(b"<worksheet ") or b"<worksheet" in tail or outer.count(b"<worksheet") != 1:
        return None
    return head, body, tail


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(model=models(), how=st.sets(st.sampled_from(SPELLINGS), max_size=2), bom=st.booleans(), data=st.data())
def test_the_span_cuts_the_body_as_before(model, how, bom, data):
    sheet = bytearray((b"\xef\xbb\xbf" if bom else b"") + render(model, how))
    for _ in range(data.draw(st.integers(0, 2))):
        at = data.draw(st.integers(0, len(sheet) - 1))
        sheet[at : at + data.draw(st.integers(0, 1))] = data.draw(st.sampled_from([b"<", b">", b"?", b"!", b"x", b""]))
    sheet = bytes(sheet)
    before = _cut_before(sheet)
    assert xp._body(sheet) == before
    span = xp._body_span(sheet)
    assert (span is None) == (before is None)
    if span is not None:
        head, start, stop, tail = span
        assert (head, sheet[start:stop], tail) == before


BODY = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2.5</v></c></row><row r="3"><c r="C3"><v>1</v></c></row>'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"", b""),
        (b' a="\x00"', b""),  # a NUL in the worksheet tag: not in the body
        (b"", b"<x>\x00</x>"),  # a NUL after the body
        (b"\n" * 10_001, b""),  # more line breaks before the body than the body may hold
        (b"", b"\n" * 10_001),
        (b' a="&amp;\'"', b"<x a='1'>&amp;\t</x>"),
        (b"\r\n\t", b"\r\n"),
    ],
)
@pytest.mark.parametrize("body", [BODY, BODY.replace(b"<v>2.5", b"<v>2&amp;5"), BODY.replace(b' t="s"', b"\tt='s'")])
def test_unusual_bytes_around_the_body_are_not_the_body_s(before, after, body):
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="m"'
        + before
        + b"><sheetData>"
        + body
        + b"</sheetData>"
        + after
        + b"</worksheet>"
    )
    assert _outcome(xp._fast_scan, sheet) == _outcome(old_fast_scan, sheet)
    assert _outcome(xp._fast_scan, b"\xef\xbb\xbf" + sheet) == _outcome(old_fast_scan, b"\xef\xbb\xbf" + sheet)
