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

energy_rows = st.lists(
    st.tuples(
        st.sampled_from(FIRMS),
        st.integers(2019, 2024),
        st.sampled_from(ENERGY),
        st.one_of(st.floats(0, 5_000, allow_nan=False), st.just(np.nan)),
    ),
    max_size=40,
)
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
    energy = pd.DataFrame(
        [(e, float(y), c, q, u) for e, y, (c, u), q in rows],
        columns=["enterprise_id", "year", "carrier", "quantity", "unit"],
    )
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
