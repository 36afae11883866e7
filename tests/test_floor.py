"""The account's NumPy floors (benchmarks/floor.py) compute what the account computes.

The benchmark prints the account's time as a ratio against them; a floor that drifted from the account (a
column left out, a total computed another way) would make the ratio meaningless. Each floor's totals are
checked here against the account of the same synthetic ledger, and the full floor's columns against the
account's."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import floor  # noqa: E402
from synthetic import make_ledger  # noqa: E402


@pytest.fixture(scope="module")
def ledger_and_account():
    ledger = make_ledger(120)
    return ledger, ledger.account()


def test_the_full_floor_has_every_per_fact_column_of_the_account(ledger_and_account):
    ledger, account = ledger_and_account
    coefficients = floor.coefficients(ledger)
    result = floor.account_floor(ledger, coefficients, floor.lineage(ledger, coefficients))
    assert set(result["detail"]) == set(account.detail.columns)
    assert set(result["emissions"]) == set(account.emissions.columns)
    assert len(result["emissions"]["emissions_tco2"]) == len(account.emissions)
    assert len(result["detail"]["tce"]) == len(account.detail)


def test_the_full_floor_totals_and_e_park_equal_the_account(ledger_and_account):
    ledger, account = ledger_and_account
    coefficients = floor.coefficients(ledger)
    result = floor.account_floor(ledger, coefficients, floor.lineage(ledger, coefficients))
    summary = account.summary
    park = result["park"]
    for mine, theirs in (
        ("scope1_tco2", "scope1_tco2"),
        ("scope2_location_tco2", "scope2_location_tco2"),
        ("scope2_market_tco2", "scope2_market_tco2"),
        ("tce", "energy_tce"),
    ):
        assert math.isclose(park[mine], summary[theirs], rel_tol=1e-9), mine
    terms = result["park_method"]["terms"]
    assert math.isclose(terms["total"], summary["park910_tco2"], rel_tol=1e-9)
    for term in ("fuel", "electricity", "heat"):
        assert math.isclose(terms[term], summary[f"park910_{term}_tco2"], rel_tol=1e-9), term
    # the market-based green power per fact, shared as the account shares it
    market = account.emissions["scope2_method"] == "market"
    green = account.emissions.loc[market & (account.emissions["carrier"] == "electricity"), "green_mwh"].sum()
    mine = np.nansum(result["emissions"]["green_mwh"])
    assert math.isclose(mine, green, rel_tol=1e-9)
    # the park method's lines: one per enterprise with grid inflow, green inflow and heat inflow
    lines = account.tables["park_method"]
    for item in ("inflow_grid", "inflow_green", "inflow_fossil"):
        assert len(result["park_method"]["inflow"][item]["quantity"]) == int((lines["item"] == item).sum()), item


def test_the_arithmetic_floor_totals_equal_the_account(ledger_and_account):
    ledger, account = ledger_and_account
    park = floor.arithmetic_floor(ledger, floor.coefficients(ledger))["park"]
    assert math.isclose(park["scope1_tco2"], account.summary["scope1_tco2"], rel_tol=1e-9)
    assert math.isclose(park["scope2_location_tco2"], account.summary["scope2_location_tco2"], rel_tol=1e-9)
    assert math.isclose(park["tce"], account.summary["energy_tce"], rel_tol=1e-9)
