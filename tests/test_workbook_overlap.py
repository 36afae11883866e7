"""The reader's worker thread: python-calamine reads each sheet once the pre-flight has passed it, while the
pre-flight goes on with the later sheets and the tables of the sheets read are built.

Whatever the overlap, a read gives what a read in sequence gives (the pre-flight handing nothing over early,
as for a workbook whose parts are not plainly named): the same ledger, problems and progress calls, the same
error in the same precedence, and no thread left running."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from breakage import break_sample
from python_calamine import CalamineWorkbook

import carbon
from carbon.errors import WorkbookError, WorkbookFormatError
from carbon.io import park_workbook as pw
from carbon.io import xlsx_preflight as xp

SAMPLE = carbon.sample_workbook_path()
ENERGY = "能源消费 energy"
GREEN = "绿电 green_power"  # four sheets after the energy sheet
GREEN_PART = "xl/worksheets/sheet9.xml"


def _workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("carbon-calamine")]


def _in_sequence(monkeypatch) -> None:
    """The pre-flight hands nothing over early: every sheet is read after the whole pre-flight."""
    monkeypatch.setattr(xp, "_sheets_plainly_named", lambda sheets, archive: False)


def _rewritten(path: Path, edits: dict[str, object]) -> Path:
    """A copy of the sample with parts' bytes replaced: ``edits`` maps a part to a function of its bytes."""
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member, edits[member.filename](data) if member.filename in edits else data)
    return path


def _far_cell(data: bytes) -> bytes:
    """A sheet with one cell placed far below its data: refused as a sparse sheet."""
    return data.replace(b"</sheetData>", b'<row r="900000"><c r="K900000"><v>1</v></c></row></sheetData>')


def _failure(call) -> tuple:
    with pytest.raises(WorkbookFormatError) as caught:
        call()
    error = caught.value
    return type(error), error.code, error.message_zh, error.message_en, error.sheet, error.cell


def _progress_and_failure(path) -> tuple[list, tuple]:
    calls: list = []
    failure = _failure(lambda: carbon.read_workbook(path, progress=lambda *step: calls.append(step)))
    return calls, failure


class _Recorded:
    """python-calamine's workbook, each opening and sheet read recorded in ``events``."""

    events: list[str] = []
    fail: dict[str, Exception] = {}

    def __init__(self, book: CalamineWorkbook) -> None:
        self.book = book

    @classmethod
    def from_path(cls, path: str) -> _Recorded:
        cls.events.append("open")
        if "open" in cls.fail:
            raise cls.fail["open"]
        return cls(CalamineWorkbook.from_path(path))

    def get_sheet_by_name(self, name: str):
        self.events.append(f"read {name}")
        if name in self.fail:
            raise self.fail[name]
        return self.book.get_sheet_by_name(name)


@pytest.fixture
def recorded(monkeypatch):
    """Record the reader's and the pre-flight's steps, in the order they happen."""
    events: list[str] = []
    monkeypatch.setattr(_Recorded, "events", events)
    monkeypatch.setattr(_Recorded, "fail", {})
    monkeypatch.setattr(pw, "CalamineWorkbook", _Recorded)
    strings, extent = xp._check_shared_strings, xp._check_extent

    def check_strings(path, archive):
        strings(path, archive)
        events.append("shared strings")

    def check_extent(path, sheet, archive):
        extent(path, sheet, archive)
        events.append(f"checked {sheet.name}")

    monkeypatch.setattr(xp, "_check_shared_strings", check_strings)
    monkeypatch.setattr(xp, "_check_extent", check_extent)
    return events


def test_a_sheet_is_read_only_after_its_checks_and_while_the_preflight_goes_on(recorded):
    before = threading.active_count()
    carbon.read_workbook(SAMPLE)
    assert recorded.index("open") > recorded.index("shared strings")
    reads = [e for e in recorded if e.startswith("read ")]
    assert len(reads) == 16
    for read in reads:
        assert recorded.index(read) > recorded.index(f"checked {read[5:]}")
    last_check = max(i for i, e in enumerate(recorded) if e.startswith("checked "))
    assert recorded.index(f"read {ENERGY}") < last_check  # the energy sheet is read while later sheets are checked
    assert threading.active_count() == before and not _workers()


def test_in_sequence_every_sheet_is_read_after_the_whole_preflight(recorded, monkeypatch):
    _in_sequence(monkeypatch)
    carbon.read_workbook(SAMPLE)
    last_check = max(i for i, e in enumerate(recorded) if e.startswith("checked "))
    assert recorded.index("open") > last_check


def test_the_same_ledger_problems_and_progress_as_in_sequence(monkeypatch):
    overlapped: list = []
    ledger = carbon.read_workbook(SAMPLE, progress=lambda *step: overlapped.append(step))
    with monkeypatch.context() as patch:
        _in_sequence(patch)
        sequential: list = []
        expected = carbon.read_workbook(SAMPLE, progress=lambda *step: sequential.append(step))
    assert overlapped == sequential
    sheets = [step for step, _, _ in overlapped]
    assert sheets[-1] == pw.CHECKING and len(sheets) == 17
    assert [done for _, done, _ in overlapped] == list(range(17))
    assert {total for _, _, total in overlapped} == {17}
    assert ledger.report.problems == expected.report.problems
    assert ledger.sha256 == expected.sha256
    for name in expected.tables:
        pd.testing.assert_frame_equal(ledger.tables[name], expected.tables[name])


def test_a_refusal_of_a_later_sheet_while_the_worker_reads_an_earlier_one(tmp_path, monkeypatch):
    path = _rewritten(tmp_path / "far.xlsx", {GREEN_PART: _far_cell})
    with monkeypatch.context() as patch:
        _in_sequence(patch)
        expected = _progress_and_failure(path)
    assert expected[1][1] == "sparse_sheet" and expected[0] == []

    holding, refusing = threading.Event(), threading.Event()
    grid, extent = pw._grid, xp._check_extent

    def slow_grid(book, name, file):
        if name == ENERGY:
            holding.set()
            assert refusing.wait(30)  # the worker inside the energy sheet's read while the pre-flight refuses
        return grid(book, name, file)

    def check_extent(file, sheet, archive):
        if sheet.name == GREEN:
            assert holding.wait(30)
            refusing.set()
        extent(file, sheet, archive)

    monkeypatch.setattr(pw, "_grid", slow_grid)
    monkeypatch.setattr(xp, "_check_extent", check_extent)
    before = threading.active_count()
    assert _progress_and_failure(path) == expected
    assert holding.is_set() and refusing.is_set()
    assert threading.active_count() == before and not _workers()
    report = carbon.validate_workbook(path)
    assert [p.code for p in report.errors] == ["sparse_sheet"] and not report.readable


def test_a_sheet_python_calamine_cannot_read_is_damaged_as_in_sequence(recorded, monkeypatch):
    _Recorded.fail[ENERGY] = ValueError("broken")
    overlapped = _progress_and_failure(SAMPLE)
    assert not _workers()
    with monkeypatch.context() as patch:
        _in_sequence(patch)
        assert _progress_and_failure(SAMPLE) == overlapped
    calls, failure = overlapped
    assert failure[1:4] == (
        "damaged",
        f"工作表「{ENERGY}」无法读取（ValueError）",
        f"sheet {ENERGY!r} cannot be read (ValueError)",
    )
    assert [step for step, _, _ in calls][-1] == ENERGY  # reported where the energy sheet is taken, as before


def test_a_workbook_python_calamine_cannot_open_is_damaged_as_in_sequence(recorded, monkeypatch):
    _Recorded.fail["open"] = OSError("broken")
    overlapped = _progress_and_failure(SAMPLE)
    assert not _workers()
    with monkeypatch.context() as patch:
        _in_sequence(patch)
        assert _progress_and_failure(SAMPLE) == overlapped
    calls, failure = overlapped
    assert calls == []
    assert failure[1:4] == ("damaged", "无法打开（OSError）", "cannot be opened (OSError)")


def test_a_progress_callback_that_raises_leaves_no_thread(recorded):
    def stop(step, done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        carbon.read_workbook(SAMPLE, progress=stop)
    assert not _workers()


def test_opening_parts_that_would_be_refused_hand_nothing_over(tmp_path, recorded):
    """styles.xml is read by python-calamine on opening the workbook: with a DTD in it, nothing is opened or
    read before the pre-flight refuses it, after the sheets, as before."""
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'

    def declared(data: bytes) -> bytes:
        return doctype + data.split(b"?>", 1)[1]

    path = _rewritten(tmp_path / "dtd.xlsx", {"xl/styles.xml": declared})
    assert _failure(lambda: carbon.read_workbook(path))[1] == "unsafe_xml"
    assert not any(e == "open" or e.startswith("read ") for e in recorded)
    assert len([e for e in recorded if e.startswith("checked ")]) == 18  # every sheet checked first
    both = _rewritten(tmp_path / "both.xlsx", {"xl/styles.xml": declared, GREEN_PART: _far_cell})
    assert _failure(lambda: carbon.read_workbook(both))[1] == "sparse_sheet"  # the sheet's refusal first, as before


def test_sheets_are_handed_over_early_only_when_plainly_named(tmp_path):
    with zipfile.ZipFile(SAMPLE) as archive:
        sheets, _ = xp._sheets(str(SAMPLE), archive)
        assert xp._sheets_plainly_named(sheets, archive)
        twice = [sheets[0], xp.SheetInfo(sheets[1].name, sheets[0].part)]
        assert not xp._sheets_plainly_named(twice, archive)  # a part used twice
        same_name = [sheets[0], xp.SheetInfo(sheets[0].name, sheets[1].part)]
        assert not xp._sheets_plainly_named(same_name, archive)  # a name used twice
        for part in ("xl/worksheets/../worksheets/sheet1.xml", "xl/worksheets/sheet99.xml", "", "xl/sheet1.xml"):
            assert not xp._sheets_plainly_named([xp.SheetInfo("x", part)], archive)


def test_the_worker_reads_ahead_by_at_most_one_sheet_beyond_the_limit(monkeypatch):
    monkeypatch.setattr(pw, "READ_AHEAD_CELLS", 0)
    outstanding, most = [0], [0]
    lock = threading.Lock()
    grid, done_with = pw._grid, pw._Reader.done_with

    def counted_grid(book, name, file):
        with lock:
            outstanding[0] += 1
            most[0] = max(most[0], outstanding[0])
        return grid(book, name, file)

    def counted_done_with(self, sheet):
        with lock:
            outstanding[0] -= 1
        done_with(self, sheet)

    monkeypatch.setattr(pw, "_grid", counted_grid)
    monkeypatch.setattr(pw._Reader, "done_with", counted_done_with)
    ledger = carbon.read_workbook(SAMPLE)
    assert most[0] == 1 and outstanding[0] == 0 and len(ledger.energy)


def test_a_workbook_with_errors_leaves_no_thread(tmp_path):
    broken = tmp_path / "broken.xlsx"
    break_sample(SAMPLE, broken)
    with pytest.raises(WorkbookError):
        carbon.read_workbook(broken)
    assert not _workers()
