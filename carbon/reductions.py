"""Emission reductions of boiler retrofits and energy-saving projects: the pure arithmetic.

The account (:mod:`carbon.account`) looks up the factors and calls these functions with whole columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["boiler_reduction", "share_of_year"]


def share_of_year(dates: pd.Series, year: int) -> np.ndarray:
    """Share of ``year`` during which something completed on ``dates`` was in service.

    0 before the completion year, 1 after it, and in the completion year the days from the completion date
    to the end of the year (the completion day counts) over the days of the year. Missing dates give NaN.

    Parameters
    ----------
    dates : pandas.Series of datetime64
        Completion or retrofit dates.
    year : int
        The accounting year.

    Returns
    -------
    numpy.ndarray
        Fractions in [0, 1]. [1]
    """
    stamps = pd.to_datetime(dates)
    start = pd.Timestamp(year=year, month=1, day=1)
    end = pd.Timestamp(year=year + 1, month=1, day=1)
    days = (end - start).days
    in_service = (end - stamps).dt.days.to_numpy(dtype=float) / days
    share = np.clip(in_service, 0.0, 1.0)
    return np.where(stamps.isna().to_numpy(), np.nan, share)


def boiler_reduction(
    heat_gj: np.ndarray,
    efficiency_before: np.ndarray,
    efficiency_after: np.ndarray,
    tco2_per_gj_fuel_before: np.ndarray,
    tco2_per_gj_after: np.ndarray,
) -> dict[str, np.ndarray]:
    """Annual emissions before and after a boiler retrofit, with the heat output held constant.

    Parameters
    ----------
    heat_gj : array
        Annual useful heat output Q. [GJ]
    efficiency_before, efficiency_after : array
        Thermal efficiencies (fractions). After a removal (heat bought instead) pass 1. [1]
    tco2_per_gj_fuel_before : array
        CO2 per GJ of fuel burned before. [tCO2/GJ]
    tco2_per_gj_after : array
        CO2 per GJ of energy taken after: fuel (gas), electricity (grid factor), 0 for biomass, or the
        purchased-heat factor for a removed boiler. [tCO2/GJ]

    Returns
    -------
    dict of arrays
        ``fuel_before_gj`` = Q / eta_before, ``energy_after_gj`` = Q / eta_after, ``before_tco2``,
        ``after_tco2`` and ``annual_reduction_tco2`` = before - after.

    Notes
    -----
    .. math:: E_{before} = \\frac{Q}{\\eta_{before}} EF_{before}, \\quad
              E_{after} = \\frac{Q}{\\eta_{after}} EF_{after}, \\quad R = E_{before} - E_{after}
    """
    fuel_before = heat_gj / efficiency_before
    energy_after = heat_gj / efficiency_after
    before = fuel_before * tco2_per_gj_fuel_before
    after = energy_after * tco2_per_gj_after
    return {
        "fuel_before_gj": fuel_before,
        "energy_after_gj": energy_after,
        "before_tco2": before,
        "after_tco2": after,
        "annual_reduction_tco2": before - after,
    }
