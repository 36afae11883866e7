"""carbon/validation/reconcile.py: the project-savings rule, which looks each claim's use up in the sums of the
claimants' energy rows, against the rule as it was (``tests/old_reconcile.py``: a pass over those rows per
claim), on random parks: the same problems, in the same order, with the same figures."""

from __future__ import annotations

import datetime as dt

import numpy as np
import old_reconcile
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon.schema.inputs import table
from carbon.validation import reconcile
from carbon.validation.problems import Collector, ReadReport
from carbon.validation.tables import RawTable

FIRMS = ["E1", "E2", "E3", "E4"]
#: (carrier, unit) of energy rows: each convertible to tce, but for the last (a unit of the wrong kind)
ENERGY = [
    ("electricity", "MWh"),
    ("electricity", "万kWh"),
    ("natural_gas", "万Nm3"),
    ("bituminous_coal", "t"),
    ("diesel", "t"),
    ("heat", "GJ"),
    ("steam", "GJ"),
    ("natural_gas", "MWh"),
]
#: (carrier, unit) of savings: in the carrier's own units, in standard coal, and some that do not convert
SAVINGS = [*ENERGY, ("electricity", "tce"), ("heat", "kgce"), ("natural_gas", "吨标煤"), ("diesel", "万Nm3")]
DATES = st.one_of(st.none(), st.dates(dt.date(2019, 1, 1), dt.date(2025, 12, 31)))


def _energy_rows(first: int, last: int, carriers: list, most: float):
    """Energy rows (enterprise, year, (carrier, unit), quantity or NaN) of the claimants, at most 40."""
    return st.lists(
        st.tuples(
            st.sampled_from(FIRMS),
            st.integers(first, last),
            st.sampled_from(carriers),
            st.one_of(st.floats(0, most, allow_nan=False), st.just(np.nan)),
        ),
        max_size=40,
    )


energy_rows = _energy_rows(2019, 2024, ENERGY, 5_000)
claims = st.lists(
    st.tuples(
        st.sampled_from(FIRMS),
        DATES,
        DATES,
        st.sampled_from(SAVINGS),
        st.floats(0, 10_000, allow_nan=False),
    ),
    min_size=1,
    max_size=25,
)


def _energy(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [(e, float(y), c, q, u) for e, y, (c, u), q in rows],
        columns=["enterprise_id", "year", "carrier", "quantity", "unit"],
    )


def _problems(rule, projects: pd.DataFrame, energy: pd.DataFrame) -> list:
    report = ReadReport("x")
    spec = table("projects")
    raw = RawTable(
        spec, spec.sheet, projects, pd.Series(projects.index + 2, index=projects.index), {"saving_quantity": "K"}
    )
    rule(raw, projects, energy, "能源消费", Collector(report, set()))
    return report.problems


@settings(max_examples=300, deadline=None)
@given(energy_rows, claims)
def test_the_project_rule_finds_what_it_found_claim_by_claim(rows, given):
    energy = _energy(rows)
    projects = pd.DataFrame(
        [
            {
                "enterprise_id": e,
                "completion_date": pd.NaT if done is None else pd.Timestamp(done),
                "planned_completion": pd.NaT if planned is None else pd.Timestamp(planned),
                "saving_carrier": c,
                "saving_unit": u,
                "saving_quantity": q,
            }
            for e, done, planned, (c, u), q in given
        ]
    )
    projects.index = projects.index * 3 + 1  # positions are not labels
    expected = _problems(old_reconcile.project_savings_are_within_use, projects, energy)
    assert _problems(reconcile.project_savings_are_within_use, projects, energy) == expected


def test_the_comparison_finds_a_saving_above_use():  # the property above is not vacuous
    energy = pd.DataFrame(
        [("E1", 2022.0, "electricity", 100.0, "MWh")], columns=["enterprise_id", "year", "carrier", "quantity", "unit"]
    )
    projects = pd.DataFrame(
        [
            {
                "enterprise_id": "E1",
                "completion_date": pd.Timestamp("2023-05-01"),
                "planned_completion": pd.NaT,
                "saving_carrier": "electricity",
                "saving_unit": "MWh",
                "saving_quantity": quantity,
            }
            for quantity in (50.0, 150.0)
        ]
    )
    problems = _problems(reconcile.project_savings_are_within_use, projects, energy)
    assert [(p.cell, p.code) for p in problems] == [("K3", "saving_above_use")]
    assert "2022" in problems[0].message_en and np.isfinite(float(problems[0].value))


BOILER_ENERGY = [
    ("bituminous_coal", "t"),
    ("raw_coal", "t"),
    ("lignite", "t"),
    ("natural_gas", "万Nm3"),
    ("electricity", "MWh"),
    ("biomass", "t"),
    ("heat", "GJ"),
    ("steam", "t"),
    ("diesel", "Nm3"),  # a unit of the wrong kind: no GJ
]
boilers = st.lists(
    st.tuples(
        st.sampled_from(FIRMS),
        st.sampled_from([4.0, 10.0, 20.0, 35.0, 75.0]),
        st.sampled_from(["bituminous_coal", "raw_coal", "lignite", "natural_gas", "diesel", "biomass"]),
        st.sampled_from(["natural_gas", "electricity", "biomass", "removed"]),
        st.dates(dt.date(2019, 1, 1), dt.date(2025, 12, 31)),
        st.one_of(st.just(np.nan), st.floats(0, 200_000, allow_nan=False)),
        st.one_of(
            st.just((np.nan, None)),
            st.tuples(st.floats(0, 20_000, allow_nan=False), st.sampled_from(["t", "万Nm3", "GJ", "kWh"])),
        ),
        st.one_of(st.just(np.nan), st.floats(0.3, 1.1)),
    ),
    min_size=1,
    max_size=20,
)


def _boiler_frames(rows, given):
    energy = _energy(rows)
    frame = pd.DataFrame(
        [
            {
                "enterprise_id": e,
                "capacity": capacity,
                "fuel_before": before,
                "fuel_after": after,
                "retrofit_date": pd.Timestamp(date),
                "heat_output": heat,
                "fuel_before_quantity": stated[0],
                "fuel_before_unit": stated[1],
                "efficiency_before": efficiency,
            }
            for e, capacity, before, after, date, heat, stated, efficiency in given
        ]
    )
    frame.index = frame.index * 2 + 5
    return energy, frame


def _boiler_problems(rule, boilers_frame: pd.DataFrame, energy: pd.DataFrame) -> list:
    report = ReadReport("x")
    spec = table("boilers")
    letters = {"fuel_before_quantity": "H", "heat_output": "G", "fuel_after": "E"}
    rows = pd.Series(boilers_frame.index + 2, index=boilers_frame.index)
    rule(
        RawTable(spec, spec.sheet, boilers_frame, rows, letters),
        boilers_frame,
        energy,
        "能源消费",
        Collector(report, set()),
    )
    return report.problems


energy_of_boilers = _energy_rows(2018, 2025, BOILER_ENERGY, 50_000)


@settings(max_examples=200, deadline=None)
@given(energy_of_boilers, boilers)
def test_the_boiler_rules_find_what_they_found_boiler_by_boiler(rows, given):
    energy, frame = _boiler_frames(rows, given)
    for name in ("boiler_fuel_before_is_within_use", "fuel_after_appears_after_the_retrofit"):
        expected = _boiler_problems(getattr(old_reconcile, name), frame, energy)
        assert _boiler_problems(getattr(reconcile, name), frame, energy) == expected, name


def test_the_boiler_comparisons_find_what_is_above_and_missing():  # the property above is not vacuous
    rows = [("E1", 2022, ("bituminous_coal", "t"), 100.0)]  # 1,957 GJ
    given = [
        ("E1", 10.0, "bituminous_coal", "natural_gas", dt.date(2023, 3, 1), 10_000.0, (np.nan, None), 0.7),
        ("E1", 10.0, "bituminous_coal", "natural_gas", dt.date(2023, 3, 1), np.nan, (10.0, "t"), np.nan),
    ]
    energy, frame = _boiler_frames(rows, given)
    above = _boiler_problems(reconcile.boiler_fuel_before_is_within_use, frame, energy)
    assert [(p.cell, p.code) for p in above] == [("G7", "boiler_fuel_above_use"), ("H9", "boiler_fuel_above_use")]
    energy, frame = _boiler_frames([*rows, ("E1", 2023, ("electricity", "MWh"), 5.0)], given)
    missing = _boiler_problems(reconcile.fuel_after_appears_after_the_retrofit, frame, energy)
    assert [(p.cell, p.code, p.severity) for p in missing] == [
        ("E7", "fuel_after_missing", "warning"),
        ("E9", "fuel_after_missing", "warning"),
    ]


def test_an_efficiency_before_of_zero_is_not_divided_by():
    """A boiler whose efficiency before is 0 (refused by its range check) raised ZeroDivisionError in the rule:
    now its fuel before is unknown and it is not compared."""
    rows = [("E1", 2022, ("bituminous_coal", "t"), 100.0)]
    given = [("E1", 10.0, "bituminous_coal", "natural_gas", dt.date(2023, 3, 1), 10_000.0, (np.nan, None), 0.0)]
    energy, frame = _boiler_frames(rows, given)
    assert _boiler_problems(reconcile.boiler_fuel_before_is_within_use, frame, energy) == []
