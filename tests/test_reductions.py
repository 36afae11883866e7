"""carbon/reductions.py: share of the year in service and the boiler arithmetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbon.reductions import boiler_reduction, share_of_year


def test_share_of_year():
    dates = pd.Series(pd.to_datetime(["2023-01-01", "2023-07-01", "2023-12-31", "2022-05-01", "2024-02-01", None]))
    share = share_of_year(dates, 2023)
    # 1 Jan: the whole year; 1 Jul: 184 of 365 days (1 Jul to 31 Dec inclusive); 31 Dec: one day
    assert share[:5] == pytest.approx([1.0, 184 / 365, 1 / 365, 1.0, 0.0])
    assert np.isnan(share[5])
    # leap year
    assert share_of_year(pd.Series(pd.to_datetime(["2024-07-01"])), 2024)[0] == pytest.approx(184 / 366)


def test_boiler_reduction_holds_heat_constant():
    result = boiler_reduction(
        np.array([100_000.0]), np.array([0.7]), np.array([0.92]), np.array([0.089]), np.array([0.0555])
    )
    assert result["fuel_before_gj"][0] == pytest.approx(100_000 / 0.7)
    assert result["energy_after_gj"][0] == pytest.approx(100_000 / 0.92)
    assert result["annual_reduction_tco2"][0] == pytest.approx(100_000 / 0.7 * 0.089 - 100_000 / 0.92 * 0.0555)
