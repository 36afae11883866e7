"""The rules that run on integer codes decide what their row-by-row form decided: each is run beside a copy of
that form (the reference, kept here) on generated tables, and the problems must be the same."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon.schema.inputs import table
from carbon.validation import rules
from carbon.validation.problems import Collector, ReadReport
from carbon.validation.tables import RawTable


def _raw(name: str, frame: pd.DataFrame) -> RawTable:
    letters = {column: chr(ord("A") + i) for i, column in enumerate(frame.columns)}
    rows = pd.Series(frame.index.to_numpy() + 2, index=frame.index)
    return RawTable(table(name), table(name).sheet, frame, rows, letters)


def _problems(check, raw: RawTable, typed: pd.DataFrame) -> list[tuple]:
    report = ReadReport("test")
    out = Collector(report, set())
    check(raw, typed, out)
    return sorted((p.cell, p.message_zh, p.message_en, p.code, p.severity) for p in report.problems)


def _units_fit_the_carrier_by_rows(raw, typed, unit, carrier, out):
    """The reference: the rows grouped by (unit, carrier), each group's pair checked once."""
    pairs = typed[[unit, carrier]].dropna()
    if pairs.empty:
        return
    for (u, c), group in pairs.groupby([unit, carrier], sort=False):
        problem = rules._unit_fits(u, c)
        if problem:
            for index in group.index:
                out.cell(raw, index, unit, *problem, "unit_carrier")


_UNITS = st.sampled_from(["t", "GJ", "kWh", "m3", "万Nm3", "tce", "MWh", None])
_CARRIERS = st.sampled_from(["raw_coal", "natural_gas", "electricity", "steam", "diesel", "heat", None])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_UNITS, _CARRIERS), max_size=30), st.booleans(), st.integers(0, 5))
def test_units_fit_the_carrier_as_row_by_row(rows, labelled, offset):
    frame = pd.DataFrame(rows, columns=["unit", "carrier"], dtype=object)
    frame.index = frame.index * 3 + offset  # an index that is not the positions (rows dropped as blank)
    typed = frame.astype("category") if labelled else frame
    raw = _raw("energy", frame)
    fast = _problems(rules.energy_units_fit_the_carrier, raw, typed)
    slow = _problems(
        lambda raw, typed, out: _units_fit_the_carrier_by_rows(raw, typed, "unit", "carrier", out), raw, typed
    )
    assert fast == slow


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_UNITS, _CARRIERS), max_size=30), st.randoms(use_true_random=False))
def test_units_fit_the_carrier_of_categoricals_with_unused_categories(rows, random):
    """A categorical's own codes and categories (unused ones, in any order) report what the objects do."""
    frame = pd.DataFrame(rows, columns=["unit", "carrier"], dtype=object)
    typed = frame.copy()
    for column, extra in (("unit", ["kg", "万kWh"]), ("carrier", ["diesel", "coke"])):
        categories = sorted({v for v in frame[column] if v is not None} | set(extra))
        random.shuffle(categories)
        typed[column] = pd.Categorical(frame[column], categories=categories)
    raw = _raw("energy", frame)
    assert _problems(rules.energy_units_fit_the_carrier, raw, typed) == _problems(
        rules.energy_units_fit_the_carrier, raw, frame
    )


_GREEN_ROW = st.tuples(
    st.sampled_from(["c1", "c2", "c3", None]),
    st.sampled_from(["trade", "certificate", "direct_line", None]),
    st.sampled_from(["E1", "E2"]),
    st.sampled_from([2023, 2024]),
    st.sampled_from([1.0, 2.0, np.nan]),
    st.sampled_from([10.0, 20.0]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_GREEN_ROW, max_size=25))
def test_green_ids_are_claimed_once_as_when_every_group_was_visited(rows):
    from carbon.validation import park910

    frame = pd.DataFrame(
        rows, columns=["certificate_id", "instrument", "enterprise_id", "year", "month", "quantity"]
    ).astype({"certificate_id": object, "instrument": object, "year": float})
    frame["unit"] = "MWh"
    raw = _raw("green_power", frame)
    fast = _problems(park910.green_ids_are_claimed_once, raw, frame)
    kept = park910._on_several_rows
    park910._on_several_rows = lambda rows: rows  # the reference: every id's group visited, one row or more
    try:
        slow = _problems(park910.green_ids_are_claimed_once, raw, frame)
    finally:
        park910._on_several_rows = kept
    assert fast == slow


def _yearly_and_monthly_by_hashing(raw, typed, keys, out, zh, en):
    """The reference: the rows of a year grouped by pandas' factorize of their keys' objects."""
    scope = typed[typed["year"].notna().to_numpy(dtype=bool)]
    if scope.empty:
        return
    objects = scope[keys].astype(object).where(scope[keys].notna(), None)
    group, _ = pd.factorize(pd.Series(list(map(tuple, objects.to_numpy().tolist())), dtype=object))
    annual = scope["month"].isna().to_numpy(dtype=bool)
    rows = np.bincount(group)
    annual_rows = np.bincount(group, weights=annual, minlength=len(rows))
    mixed = ((annual_rows > 0) & (annual_rows < rows))[group]
    for index in scope.index[mixed & annual]:
        out.cell(raw, index, "month", zh, en, "annual_and_monthly")


_ENERGY_ROW = st.tuples(
    st.sampled_from(["E1", "E2", None]),
    st.sampled_from([2023.0, 2024.0, np.nan]),
    st.sampled_from([1.0, 2.0, np.nan]),
    st.sampled_from(["electricity", "raw_coal", None]),
    st.sampled_from(["fuel", "feedstock", None]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_ENERGY_ROW, max_size=40), st.booleans(), st.booleans())
def test_yearly_and_monthly_as_by_hashing(rows, labelled, in_order):
    frame = pd.DataFrame(rows, columns=["enterprise_id", "year", "month", "carrier", "use"])
    if in_order:  # keys nearly in order: grouped by the stable sort
        frame = frame.sort_values(["enterprise_id", "year", "carrier", "use"], na_position="first").reset_index(
            drop=True
        )
    typed = frame.astype({c: "category" if labelled else object for c in ("enterprise_id", "carrier", "use")})
    raw = _raw("energy", frame)
    keys = ["enterprise_id", "year", "carrier", "use"]
    fast = _problems(lambda raw, typed, out: rules.yearly_and_monthly(raw, typed, keys, out, "甲", "a"), raw, typed)
    slow = _problems(
        lambda raw, typed, out: _yearly_and_monthly_by_hashing(raw, typed, keys, out, "甲", "a"), raw, typed
    )
    assert fast == slow


@settings(max_examples=80, deadline=None)
@given(
    st.lists(_ENERGY_ROW, min_size=1, max_size=40),
    st.sampled_from(["all monthly", "all yearly", "one yearly", "one monthly", "as drawn"]),
    st.booleans(),
)
def test_yearly_and_monthly_shortcut_as_the_general_path(rows, months, labelled):
    """Where every dated row is a whole-year row, or every one monthly, the rule returns before grouping: the
    same problems as the general path (the shortcut switched off) and as hashing, and none; one row of the other
    kind is grouped as before."""
    frame = pd.DataFrame(rows, columns=["enterprise_id", "year", "month", "carrier", "use"])
    if months == "all monthly":
        frame["month"] = frame["month"].fillna(3.0)
    elif months == "all yearly":
        frame["month"] = np.nan
    elif months in ("one yearly", "one monthly"):
        frame["month"] = 3.0 if months == "one yearly" else np.nan
        frame.loc[len(frame) // 2, "month"] = np.nan if months == "one yearly" else 4.0
    typed = frame.astype({c: "category" if labelled else object for c in ("enterprise_id", "carrier", "use")})
    raw = _raw("energy", frame)
    keys = ["enterprise_id", "year", "carrier", "use"]

    def check(raw, typed, out):
        rules.yearly_and_monthly(raw, typed, keys, out, "甲", "a")

    fast = _problems(check, raw, typed)
    rules._SHORTCUTS = False
    try:
        general = _problems(check, raw, typed)
    finally:
        rules._SHORTCUTS = True
    slow = _problems(
        lambda raw, typed, out: _yearly_and_monthly_by_hashing(raw, typed, keys, out, "甲", "a"), raw, typed
    )
    assert fast == general == slow
    if months in ("all monthly", "all yearly"):
        assert fast == []


def test_yearly_and_monthly_reports_a_year_row_among_monthly_ones():
    frame = pd.DataFrame(
        {
            "enterprise_id": ["E1"] * 3 + ["E2"] * 2,
            "year": [2024.0] * 5,
            "month": [1.0, np.nan, 2.0, 1.0, 2.0],
            "carrier": ["electricity"] * 5,
            "use": ["fuel"] * 5,
        }
    )
    raw = _raw("energy", frame)
    keys = ["enterprise_id", "year", "carrier", "use"]
    found = _problems(lambda raw, typed, out: rules.yearly_and_monthly(raw, typed, keys, out, "甲", "a"), raw, frame)
    assert [p[0] for p in found] == ["C3"]


def _green_units_by_rows(raw, typed, out):
    """The reference: each row's unit converted to MWh on its own."""
    units = typed["unit"]
    for index in typed.index[units.notna()]:
        if np.isnan(rules._safe(rules.mwh_per_unit, units[index])):
            out.cell(
                raw,
                index,
                "unit",
                "绿电单位应为 MWh、kWh、万kWh 或 张（绿证）",
                "green power is in MWh, kWh, 万kWh or 张 (certificates)",
                "unit_carrier",
            )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["MWh", "kWh", "万kWh", "张", "t", "GJ", "bananas", None]), max_size=25))
def test_green_power_units_as_row_by_row(units):
    frame = pd.DataFrame({"unit": pd.Series(units, dtype=object)})
    raw = _raw("green_power", frame)
    assert _problems(rules.green_power_is_in_energy_or_certificates, raw, frame) == _problems(
        _green_units_by_rows, raw, frame
    )


def _one_name_by_text_index(raw, typed, out):
    """The reference: each name's first row found by grouping a text index, the codes compared by label."""
    names = typed["name"].astype(str).str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
    names = names[typed["name"].notna().to_numpy() & names.ne("").to_numpy()]
    first = pd.Series(names.index, index=names.to_numpy()).groupby(level=0).first()
    firsts = first.reindex(names.to_numpy()).to_numpy()
    codes = typed["enterprise_id"]
    other = names.duplicated().to_numpy() & (codes.loc[firsts].to_numpy() != codes.loc[names.index].to_numpy())
    for index, at in zip(names.index[other], firsts[other], strict=True):
        row = int(raw.rows[at])
        out.cell(
            raw,
            index,
            "name",
            f"与第 {row} 行企业同名而代码不同；若为同一企业，其能耗会计入两次",
            f"same name as the enterprise on row {row} under another code; if it is one enterprise, its energy "
            "is counted twice",
            "same_name",
            severity="warning",
        )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["甲厂", "甲 厂", "ＡＢ", "AB", "", " ", None, "乙"]),
            st.sampled_from(["91350100M000100Y43", "91350100M000100Y44", None]),
        ),
        max_size=25,
    ),
    st.integers(0, 3),
)
def test_one_name_has_one_code_as_by_a_text_index(rows, offset):
    frame = pd.DataFrame(rows, columns=["name", "enterprise_id"], dtype=object)
    frame.index = frame.index * 2 + offset  # labels that are not positions
    raw = _raw("enterprises", frame)
    assert _problems(rules.one_name_has_one_code, raw, frame) == _problems(_one_name_by_text_index, raw, frame)


def _grid_use_over_every_energy_row(raw, typed, energy, out):
    """The reference: the green power of each enterprise and year against the grid use of every energy row."""
    from carbon import _codes

    purchased = typed[typed["instrument"].isin(["trade", "certificate", "direct_line"])].dropna(
        subset=["quantity", "unit", "enterprise_id", "year"]
    )
    purchased = purchased[~rules.certificates_of_trades(purchased)]
    if purchased.empty:
        return
    green = (
        rules._mwh(purchased["quantity"], purchased["unit"])
        .groupby([purchased["enterprise_id"], purchased["year"]])
        .sum()
    )
    power = energy[(energy["carrier"] == "electricity") & (_codes.filled(energy["use"], "fuel") == "fuel")].dropna(
        subset=["quantity", "unit"]
    )
    used = rules._mwh(power["quantity"], power["unit"]).groupby([power["enterprise_id"], power["year"]]).sum()
    used = used.reindex(green.index).fillna(0.0)
    over = green[green > used * (1 + 1e-9) + 1e-9]
    for (enterprise, year), total in over.items():
        rows = purchased[(purchased["enterprise_id"] == enterprise) & (purchased["year"] == year)]
        for index in rows.index:
            out.cell(
                raw,
                index,
                "quantity",
                f"该企业 {int(year)} 年绿电合计 {total:,.1f} MWh，大于「能源消费」表中的用电量 {used[(enterprise, year)]:,.1f} MWh",
                f"green power for {int(year)} totals {total:,.1f} MWh, more than the {used[(enterprise, year)]:,.1f} MWh of electricity on the energy sheet",
                "green_above_use",
            )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["E1", "E2", "E3"]),
            st.sampled_from([2023.0, 2024.0]),
            st.sampled_from(["electricity", "raw_coal"]),
            st.sampled_from([5.0, 50.0, np.nan]),
            st.sampled_from(["MWh", "kWh", "t"]),
            st.sampled_from(["fuel", "feedstock", None]),
        ),
        max_size=25,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["E1", "E2", "E4"]),
            st.sampled_from([2023.0, 2024.0]),
            st.sampled_from(["trade", "certificate", "direct_line", "self"]),
            st.sampled_from([1.0, 20.0, 200.0]),
            st.sampled_from([None, "c1"]),
        ),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_green_power_against_grid_use_as_over_every_energy_row(energy_rows, green_rows, labelled):
    energy = pd.DataFrame(energy_rows, columns=["enterprise_id", "year", "carrier", "quantity", "unit", "use"])
    energy = energy.astype({c: "category" if labelled else object for c in ("enterprise_id", "carrier", "unit", "use")})
    green = pd.DataFrame(green_rows, columns=["enterprise_id", "year", "instrument", "quantity", "certificate_id"])
    green["unit"], green["month"] = "MWh", np.nan
    raw = _raw("green_power", green)
    fast = _problems(lambda r, t, o: rules.green_power_does_not_exceed_grid_use(r, t, energy, o), raw, green)
    slow = _problems(lambda r, t, o: _grid_use_over_every_energy_row(r, t, energy, o), raw, green)
    assert fast == slow
