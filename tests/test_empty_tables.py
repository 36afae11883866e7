"""carbon/validation/tables.py: the shortcut for tables without rows (most optional sheets of a park) against the
general path, column by column and through a whole validation: the same typed frames, the same problems (a
required column or table still reported missing), the same row counts."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carbon
from carbon.errors import WorkbookError
from carbon.schema.inputs import TABLES
from carbon.validation import tables
from carbon.validation.problems import Collector, ReadReport

SPECS = [spec for spec in TABLES if not spec.key_value]
E1 = "91350100M000100Y43"
PARK = {"name": "园区", "province": "Qinghai", "reporting_year": 2023, "baseline_year": 2022}
FIRMS = pd.DataFrame([{"enterprise_id": E1, "name": "甲", "industry": "化工", "above_designated_size": True}])
ENERGY = pd.DataFrame([{"enterprise_id": E1, "year": 2023, "carrier": "天然气", "quantity": 1.5, "unit": "万Nm3"}])


def _general(patched: pytest.MonkeyPatch) -> None:
    patched.setattr(tables, "_empty_and_plain", lambda raw: False)


def _typed(raw: tables.RawTable) -> tuple[pd.DataFrame, list, dict]:
    report = ReadReport("x")
    out = Collector(report, set())
    frame = tables._typed(raw, out, False)
    return frame, report.problems, out.rejected


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(SPECS),
    st.sampled_from(sorted(tables._PLAIN_EMPTY)),
    st.data(),
    st.sampled_from(["range", "int64", "object"]),
    st.sampled_from([None, 3]),
)
def test_an_empty_table_is_typed_as_the_general_path_types_it(spec, dtype, data, index_kind, header_row):
    names = data.draw(st.lists(st.sampled_from(spec.names), unique=True))  # some columns absent, required or not
    index = {"range": pd.RangeIndex(0), "int64": pd.Index([], dtype="int64"), "object": pd.Index([], dtype=object)}
    frame = pd.DataFrame({name: pd.Series([], dtype=dtype) for name in names}, index=index[index_kind])
    raw = tables.RawTable(
        spec, spec.sheet, frame, pd.Series([], dtype="int64"), {n: "A" for n in names}, header_row=header_row
    )
    assert tables._empty_and_plain(raw)
    fast, fast_problems, fast_rejected = _typed(raw)
    with pytest.MonkeyPatch.context() as patched:
        _general(patched)
        general, problems, rejected = _typed(raw)
    pd.testing.assert_frame_equal(fast, general, check_exact=True, check_index_type=True, check_column_type=True)
    assert list(fast.dtypes) == list(general.dtypes)
    assert fast_problems == problems
    assert fast_rejected == rejected


def test_a_table_with_rows_or_an_unusual_column_type_takes_the_general_path():
    spec = SPECS[0]
    rows = tables.RawTable(spec, spec.sheet, pd.DataFrame({spec.names[0]: ["x"]}), pd.Series([2]), {})
    dates = tables.RawTable(
        spec, spec.sheet, pd.DataFrame({spec.names[0]: pd.Series([], dtype="datetime64[ns]")}), pd.Series([]), {}
    )
    assert not tables._empty_and_plain(rows) and not tables._empty_and_plain(dates)


def _outcome(**frames: pd.DataFrame) -> tuple[list, dict, dict | None]:
    try:
        ledger = carbon.Ledger.from_frames(PARK, **frames)
    except WorkbookError as exc:
        return exc.report.problems, dict(exc.report.counts), None
    return ledger.report.problems, dict(ledger.report.counts), ledger.tables


def _empty(name: str, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    spec = next(s for s in SPECS if s.name == name)
    return pd.DataFrame(columns=[n for n in spec.names if n not in drop])


@pytest.mark.parametrize(
    "frames",
    [
        {"enterprises": FIRMS, "energy": ENERGY, **{s.name: _empty(s.name) for s in SPECS[2:]}},
        # every optional table empty, one lacking its required columns: still reported missing
        {"enterprises": FIRMS, "energy": ENERGY, "projects": _empty("projects", ("project_id", "enterprise_id"))},
        # a required table empty, and without its required columns
        {"enterprises": _empty("enterprises", ("enterprise_id",)), "energy": _empty("energy")},
        {"enterprises": FIRMS, "energy": _empty("energy", ("year", "carrier")), "green_power": _empty("green_power")},
    ],
    ids=["all-empty", "optional-lacks-columns", "required-empty", "energy-empty-lacking"],
)
def test_a_park_with_empty_tables_validates_as_the_general_path_validates_it(frames):
    fast = _outcome(**frames)
    with pytest.MonkeyPatch.context() as patched:
        _general(patched)
        general = _outcome(**frames)
    assert fast[0] == general[0] and fast[1] == general[1]
    assert (fast[2] is None) == (general[2] is None)
    for name, frame in (fast[2] or {}).items():
        pd.testing.assert_frame_equal(frame, general[2][name], check_exact=True)


@pytest.mark.parametrize(
    "spec", [s for s in SPECS if any(s.name in c for c in tables.TABLE_RULES)], ids=lambda s: s.name
)
def test_no_rule_of_one_table_reports_on_a_table_without_rows(spec):
    """What lets validation skip a table's own rules where it has no rows: each finds nothing there, whichever of
    its columns are present (every column, and none but the required ones)."""
    for names in (spec.names, [c.name for c in spec.columns if c.required]):
        raw = tables.RawTable(spec, spec.sheet, pd.DataFrame(columns=names), pd.Series([], dtype="int64"), {})
        report = ReadReport("x")
        out = Collector(report, set())
        typed = tables._typed(raw, Collector(ReadReport("y"), set()), False)
        for catalogue in tables.TABLE_RULES:
            for check in catalogue.get(spec.name, ()):
                check(raw, typed, out)
        assert report.problems == [], (spec.name, names)
