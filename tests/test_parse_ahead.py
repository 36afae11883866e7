"""carbon/validation/tables.py: the columns of large tables parsed ahead by worker threads (``_parsing_ahead``)
give what parsing each column in turn gives: the same typed tables, the same problems in the same order, the same
row counts; an error raised while parsing comes out where it did and leaves no worker behind."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

import carbon
from carbon.validation import tables

FIRMS = [f"91630100MA{n:06d}XY" for n in range(250)]
ROWS = len(FIRMS) * 12 * 2  # each enterprise's electricity and gas, month by month


def _folder(tmp_path, *, bad: bool):
    """A park of 250 enterprises and ``ROWS`` monthly energy rows as CSV; ``bad``: with cells every check
    reports."""
    rng = np.random.default_rng(7)
    keys = pd.MultiIndex.from_product([FIRMS, range(1, 13), ["electricity", "natural_gas"]]).to_frame(index=False)
    energy = pd.DataFrame(
        {
            "enterprise_id": keys[0],
            "year": 2023,
            "month": keys[1],
            "carrier": keys[2],
            "quantity": rng.random(ROWS).round(3) * 100,
            "unit": np.where(keys[2] == "electricity", "万kWh", "万Nm3"),
            "use": "fuel",
        }
    ).astype({"quantity": object, "month": object, "year": object})
    if bad:
        energy.loc[3, "quantity"] = "十二"  # not a number
        energy.loc[5, "quantity"] = -4  # negative
        energy.loc[8, "unit"] = "吨"  # not a unit of electricity or gas... of this carrier
        energy.loc[13, "carrier"] = "moonlight"  # not a carrier
        energy.loc[21, "month"] = 13  # no such month
        energy.loc[34, "enterprise_id"] = None  # required
        energy.loc[55, "enterprise_id"] = "91630100MA999999XY"  # not listed
        energy.loc[89, "year"] = "二〇二三年"
        energy.loc[144, "quantity"] = "1e300"  # implausible
        energy = pd.concat([energy, energy.iloc[[10, 11]]], ignore_index=True)  # repeated keys
    firms = pd.DataFrame(
        {
            "enterprise_id": FIRMS,
            "id_type": "internal",  # not credit codes: no check digit
            "name": [f"企业{n}" for n in range(len(FIRMS))],
            "industry": "化工",
            "above_designated_size": True,
        }
    )
    park = pd.DataFrame(
        {"key": ["name", "province", "reporting_year", "baseline_year"], "value": ["园区", "Qinghai", 2023, 2023]}
    )
    tmp_path.mkdir(parents=True, exist_ok=True)
    energy.to_csv(tmp_path / "energy.csv", index=False)
    firms.to_csv(tmp_path / "enterprises.csv", index=False)
    park.to_csv(tmp_path / "park.csv", index=False)
    return tmp_path


def _threads_used(monkeypatch) -> set[tuple[str, str]]:
    """(table, thread name) of each column parsed (recorded as it is)."""
    names: set[tuple[str, str]] = set()
    parse = tables._parse_column

    def recording(raw, column, date1904):
        names.add((raw.table.name, threading.current_thread().name))
        return parse(raw, column, date1904)

    monkeypatch.setattr(tables, "_parse_column", recording)
    return names


@pytest.mark.parametrize("bad", [False, True])
def test_parsing_ahead_gives_the_report_and_tables_of_parsing_in_turn(tmp_path, monkeypatch, bad):
    folder = _folder(tmp_path / "park", bad=bad)
    names = _threads_used(monkeypatch)
    monkeypatch.setattr(tables, "_workers", lambda: 2)
    monkeypatch.setattr(tables, "AHEAD_ROWS", 10**12)
    in_turn = carbon.validate_tables(folder)
    assert {thread for _, thread in names} == {threading.current_thread().name}
    monkeypatch.setattr(tables, "AHEAD_ROWS", 1_000)  # the energy table, not the enterprises
    names.clear()
    ahead = carbon.validate_tables(folder)
    energy = {thread for table, thread in names if table == "energy"}
    assert energy and all(thread.startswith("carbon-parse") for thread in energy)
    assert {thread for table, thread in names if table == "enterprises"} == {threading.current_thread().name}
    assert ahead.problems == in_turn.problems
    assert ahead.counts == in_turn.counts
    assert bool(ahead.errors) is bad
    if bad:
        codes = {problem.code for problem in ahead.problems}
        assert {"unreadable", "negative", "required", "range", "duplicate"} <= codes
    else:
        first = carbon.read_tables(folder)
        monkeypatch.setattr(tables, "AHEAD_ROWS", 10**12)
        second = carbon.read_tables(folder)
        for name in ("energy", "enterprises"):
            pd.testing.assert_frame_equal(first.table(name), second.table(name), check_exact=True)


def test_nothing_is_parsed_ahead_on_one_processor(tmp_path, monkeypatch):
    folder = _folder(tmp_path / "park", bad=True)
    names = _threads_used(monkeypatch)
    monkeypatch.setattr(tables, "AHEAD_ROWS", 1_000)
    monkeypatch.setattr(tables, "_workers", lambda: 1)
    carbon.validate_tables(folder)
    assert {thread for _, thread in names} == {threading.current_thread().name}


def test_an_error_while_parsing_ahead_comes_out_and_leaves_no_worker(tmp_path, monkeypatch):
    folder = _folder(tmp_path / "park", bad=False)
    parse = tables._parse_column

    def failing(raw, column, date1904):
        if raw.table.name == "energy" and column.name == "carrier":
            raise RuntimeError("carrier parser failed")
        return parse(raw, column, date1904)

    monkeypatch.setattr(tables, "_parse_column", failing)
    monkeypatch.setattr(tables, "_workers", lambda: 2)
    monkeypatch.setattr(tables, "AHEAD_ROWS", 1_000)
    with pytest.raises(RuntimeError, match="carrier parser failed"):
        carbon.validate_tables(folder)
    assert not [t for t in threading.enumerate() if t.name.startswith("carbon-parse")]


@pytest.mark.parametrize("fails_at", [0, 3])
def test_where_no_worker_can_start_every_column_is_parsed_in_turn(tmp_path, monkeypatch, fails_at):
    """Past the interpreter's shutdown (a job outliving the script's main body) a pool takes no work, and a
    process at its thread limit starts no thread: the report is the one of parsing in turn, not an error."""
    folder = _folder(tmp_path / "park", bad=True)
    monkeypatch.setattr(tables, "_workers", lambda: 2)
    monkeypatch.setattr(tables, "AHEAD_ROWS", 10**12)
    in_turn = carbon.validate_tables(folder)
    submit, calls = tables.ThreadPoolExecutor.submit, []

    def refusing(pool, *args, **kwargs):
        calls.append(1)
        if len(calls) > fails_at:
            raise RuntimeError("cannot schedule new futures after interpreter shutdown")
        return submit(pool, *args, **kwargs)

    monkeypatch.setattr(tables.ThreadPoolExecutor, "submit", refusing)
    monkeypatch.setattr(tables, "AHEAD_ROWS", 1_000)
    refused = carbon.validate_tables(folder)
    assert calls  # the pool was asked
    assert refused.problems == in_turn.problems and refused.counts == in_turn.counts
    assert not [t for t in threading.enumerate() if t.name.startswith("carbon-parse")]
