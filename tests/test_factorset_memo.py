"""carbon/factorset.py: a FactorSet's lookups remembered per set and arguments give what a fresh lookup gives:
the same factor (0.1796 tCO2/MWh, 青海 2023: 生态环境部 国家统计局 公告2025年第47号 附件1 表3), the same error
(raised again, each time), arguments of another type kept apart, and the fallback warning of the public
functions on every call."""

from __future__ import annotations

import gc
import warnings
import weakref

import pytest

import carbon
from carbon.errors import FactorNotFoundError, UnknownNameError
from carbon.factorset import load_factors


@pytest.fixture
def fresh():
    """A set of its own (nothing remembered yet), so the first lookups are made here."""
    factors = load_factors()
    return type(factors)(factors.name, factors._table, factors._sources)


def test_a_remembered_lookup_is_the_lookup(fresh):
    first = fresh.electricity("青海", 2023)
    assert first.value == 0.1796 and first.unit == "tCO2/MWh"  # 公告2025年第47号 附件1 表3
    assert fresh.electricity("青海", 2023) is first  # from memory: the same (immutable) factor
    assert fresh.electricity("Qinghai", 2023) == first  # another spelling, looked up: equal
    assert fresh.boiler_efficiency("烟煤", 10.0) is fresh.boiler_efficiency("烟煤", 10.0)
    assert fresh.boiler_efficiency("烟煤", 10.0) != fresh.boiler_efficiency("烟煤", 35.0)  # another band


def test_arguments_of_another_type_are_kept_apart(fresh):
    fresh.electricity("青海", 2023)
    with pytest.raises(FactorNotFoundError, match="must be an integer"):
        fresh.electricity("青海", 2023.0)  # 2023.0 == 2023, but a year must be an integer: still refused


def test_a_failed_lookup_fails_again_with_the_same_error(fresh):
    searches = []
    listing = fresh.fuels
    fresh.fuels = lambda: searches.append(1) or listing()  # what the error's message lists, searched for
    messages = []
    for _ in range(3):
        with pytest.raises(UnknownNameError) as caught:
            fresh.fuel("原煤")  # no default: the coal type must be named
        messages.append(str(caught.value))
    assert len(set(messages)) == 1 and "anthracite" in messages[0]
    assert len(searches) == 1  # the error built once, raised three times


def test_the_fallback_warning_comes_on_every_call():
    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            carbon.electricity_co2(1000, "MWh", region="青海", year=2019)  # before 2021: 2021 stands in
        assert any(issubclass(w.category, carbon.FactorFallbackWarning) for w in caught)


def test_a_remembered_failure_keeps_nothing_of_its_caller_alive(fresh):
    """The error raised gains the frames it passes through: remembered as raised, it kept the caller's locals
    alive (an account's arrays: 1.2 GB more at the second account of 7.2 M rows)."""

    class Held:
        pass

    def caller() -> weakref.ref:
        held = Held()
        try:
            fresh.fuel("原煤")
        except UnknownNameError:
            pass
        return weakref.ref(held)

    for _ in range(2):  # the first failure is remembered, the second raised from memory
        reference = caller()
        gc.collect()
        assert reference() is None
