"""benchmarks/nation.py at a tiny size: carbon collect takes its generator of ledgers one park at a time, and the
dataset it writes is one that carbon province accounts (its national figures the sums of the parks' own)."""

from __future__ import annotations

import importlib.util
import math
import sys
import weakref

import pytest
from conftest import REPO

from carbon.dataset import collect

sys.path.insert(0, str(REPO / "benchmarks"))
import nation  # noqa: E402

needs_dask = pytest.mark.skipif(importlib.util.find_spec("dask") is None, reason="needs the dataset extra (dask)")


def test_the_plan_makes_the_rows_exact_over_the_provinces():
    parks = nation.plan(72 * 1_234)
    assert sum(size for _, _, size in parks) == 1_234
    assert all(nation.SMALLEST <= size <= nation.LARGEST for _, _, size in parks[:-1])
    assert [province for _, province, _ in parks] == [nation.PROVINCES[i % 30] for i in range(len(parks))]
    assert nation.plan(72 * 1_234) == parks  # the same nation every time


def test_collect_takes_a_generator_one_park_at_a_time(tmp_path):
    parks = nation.plan(72 * 900)
    alive = []

    def one_at_a_time():
        for ledger in nation.ledgers(parks):
            assert all(held() is None for held in alive)  # collect let the park before go
            alive.append(weakref.ref(ledger))
            yield ledger
            del ledger

    lines = []
    written = collect(one_at_a_time(), tmp_path / "nation", on_park=lines.append)
    assert written.written == len(parks) > 1 and written.refused == 0
    assert lines[0].startswith("[1] ")  # no total: a generator's length is not known
    assert written.total("rows_written") == written.total("rows_read")


@needs_dask
def test_the_tiny_nation_is_accounted_by_carbon_province(tmp_path):
    from carbon.dataset import account_dataset

    parks = nation.plan(72 * 900)
    made = nation.generate(72 * 900, tmp_path / "nation", progress=False)
    assert made["rows"] == 72 * 900 and made["parks"] == len(parks)
    result = account_dataset(tmp_path / "nation", scheduler="synchronous")
    assert len(result.parks) == len(parks) and (result.parks["status"] == "ok").all()
    assert result.provinces["province"].nunique() == len(parks)
    national = result.national["park910_tco2"].iloc[0]
    assert math.isclose(national, result.parks["park910_tco2"].sum(), rel_tol=1e-12)
    number, province, size = parks[1]  # a park's figures are its own account's
    own = next(nation.ledgers([parks[1]])).account().summary["park910_tco2"]
    row = result.parks.set_index("name").loc[f"合成园区{number:05d}号"]
    assert row["province"] == province and math.isclose(row["park910_tco2"], own, rel_tol=1e-9)
    small = nation.subset(tmp_path / "nation", tmp_path / "first2", 2)
    assert len(account_dataset(small, scheduler="synchronous").parks) == 2
