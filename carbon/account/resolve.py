"""Coefficients for the account: enterprise-measured values passed to the function layer, every factor used
recorded with its provenance, and a missing factor turned into a located problem.

The account never computes a coefficient itself: tce per unit comes from :func:`carbon.energy.tce_factor`,
heat per unit from :func:`carbon.energy.heat_content_factor`, CO2 per unit from the ``*_factor`` functions
of :mod:`carbon.emissions`. This module only chooses their arguments (the enterprise's measured NCV, carbon
content, oxidation rate or supplier factor where it has one) and evaluates them once per distinct key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from carbon import _codes
from carbon.emissions import electricity_co2_factor, fuel_co2_factor, fuel_non_co2_factor, heat_co2_factor
from carbon.energy import heat_content_factor, tce_factor
from carbon.errors import CarbonError, UnitError
from carbon.factorset import Coefficient, Factor, FactorSet, given_factor
from carbon.validation.problems import Problem

__all__ = ["Resolver", "evaluate", "factor_table"]

_FUEL_PARAMETERS = ("ncv", "carbon_content", "oxidation_rate")


class Resolver:
    """Coefficients per (enterprise, carrier, unit), with enterprise-measured values overriding the defaults.

    ``used`` collects every factor that took part, by id, in the order first used; ``problems`` collects
    what could not be resolved (see :func:`evaluate`)."""

    def __init__(
        self,
        factors: FactorSet,
        custom: pd.DataFrame,
        year: int,
        province: str,
        electricity_tce: str,
        custom_sheet: str = "",
    ) -> None:
        self.factors = factors
        self.year = year
        self.province = province
        self.electricity_tce = electricity_tce
        self.used: dict[str, Factor] = {}
        self.problems: list[Problem] = []
        applicable = custom[custom["year"].isna() | (custom["year"] == year)].copy()
        # a value for this year wins over one for every year
        applicable["specific"] = applicable["year"].notna()
        applicable = applicable.sort_values("specific").drop_duplicates(
            ["enterprise_id", "parameter", "carrier"], keep="last"
        )
        self.custom: dict[tuple[str, str, str], Factor] = {
            (row.enterprise_id, row.parameter, row.carrier): given_factor(
                row.value,
                row.unit,
                row.parameter,
                carrier=row.carrier,
                id=f"custom:{row.enterprise_id}:{row.parameter}:{row.carrier}",
                source=row.evidence,
                note=f"{custom_sheet} row {row.source_row}",
            )
            for row in applicable.itertuples(index=False)
        }
        self.custom_enterprises = {(e, c) for e, _, c in self.custom}

    def use(self, factor: Factor) -> str:
        """Record a factor as used; its id."""
        self.used.setdefault(factor.id, factor)
        return factor.id

    def _record(self, coefficient: Coefficient) -> Coefficient:
        for factor in coefficient.factors:
            self.use(factor)
        return coefficient

    def group_key(self, enterprise: str, carrier: str) -> str:
        """The enterprise when it has custom factors for the carrier, else '' (so groups are shared)."""
        return enterprise if (enterprise, carrier) in self.custom_enterprises else ""

    def _measured(self, enterprise: str, carrier: str, parameters: Sequence[str]) -> dict[str, Factor | None]:
        return {p: self.custom.get((enterprise, p, carrier)) if enterprise else None for p in parameters}

    def heat(self, enterprise: str, carrier: str, unit: str) -> Coefficient:
        """GJ per unit of a fuel (measured NCV, else the set's)."""
        ncv = self._measured(enterprise, carrier, ["ncv"])["ncv"]
        return self._record(heat_content_factor(unit, carrier, ncv=ncv, factor_set=self.factors))

    def co2(self, enterprise: str, carrier: str, unit: str) -> Coefficient:
        """tCO2 per unit of fuel burned."""
        measured = self._measured(enterprise, carrier, _FUEL_PARAMETERS)
        return self._record(fuel_co2_factor(unit, carrier, factor_set=self.factors, **measured))

    def conversion_co2(self, enterprise: str, carrier: str, unit: str) -> Coefficient:
        """tCO2 per unit of the carbon a conversion takes in or gives out: the fuel's factor with the oxidation
        rate 附件4 fixes for conversion (100 %)."""
        measured = self._measured(enterprise, carrier, ("ncv", "carbon_content"))
        oxidation = self.factors.park_method("oxidation_rate_conversion")
        return self._record(
            fuel_co2_factor(unit, carrier, factor_set=self.factors, oxidation_rate=oxidation, **measured)
        )

    def non_co2(self, enterprise: str, carrier: str, unit: str, gas: str, gwp: str) -> Coefficient:
        """tCO2e of CH4 or N2O per unit of fuel burned."""
        ncv = self._measured(enterprise, carrier, ["ncv"])["ncv"]
        return self._record(fuel_non_co2_factor(unit, carrier, gas, gwp=gwp, factor_set=self.factors, ncv=ncv))

    def tce(self, enterprise: str, carrier: str, unit: str, option: str) -> Coefficient:
        """tce per unit, 当量值 or 等价值 (``option``)."""
        ncv = self._measured(enterprise, carrier, ["ncv"])["ncv"]
        coefficient = tce_factor(unit, carrier, electricity=option, year=self.year, ncv=ncv, factor_set=self.factors)
        return self._record(coefficient)

    def electricity(self, unit: str, method: str, enterprise: str = "") -> Coefficient:
        """tCO2 per unit of grid electricity: the province's average (location), or the enterprise's supplier
        factor or the national residual factor (market)."""
        supplier = self.custom.get((enterprise, "electricity_co2", "electricity")) if enterprise else None
        coefficient = electricity_co2_factor(
            unit,
            region=self.province,
            year=self.year,
            method=method,
            factor=supplier if method == "market" else None,
            factor_set=self.factors,
        )
        return self._record(coefficient)

    def grid(self, method: str) -> Factor:
        """The grid factor of the province and year (location) or the national residual factor (market)."""
        return self.electricity("MWh", method).factors[0]

    def heat_co2(self, unit: str) -> Coefficient:
        """tCO2 per unit of purchased heat."""
        return self._record(heat_co2_factor(unit, factor_set=self.factors))

    def suppliers(self) -> set[str]:
        """Enterprises with a supplier-specific electricity factor."""
        return {e for e, parameter, _ in self.custom if parameter == "electricity_co2"}


def evaluate(
    key_tuples: Sequence[tuple],
    first_rows: np.ndarray,
    compute: Callable[..., tuple],
    n_outputs: int,
    locate: Callable[[int], tuple[str, object]],
    problems: list[Problem],
    rows_of: Callable[[int], np.ndarray] | None = None,
) -> list[tuple]:
    """``compute(*key)`` once per distinct key, in the order the keys first appear in the input.

    A :class:`~carbon.CarbonError` (a fuel without defaults in the set, a unit the set's NCV does not take,
    an 等价值 not published) becomes a problem located at the key's first input row, naming how many rows
    share it (``rows_of(position)`` gives them), and a blank result."""
    results: list[tuple] = [()] * len(key_tuples)
    for position in np.argsort(first_rows, kind="stable").tolist():
        key, first = key_tuples[position], int(first_rows[position])
        try:
            results[position] = compute(*(k if k is not None else "" for k in key))
        except CarbonError as exc:
            problems.append(_problem(exc, key, locate, first, rows_of(position) if rows_of else None))
            results[position] = (None,) * n_outputs
    return results


def other_rows(rows: np.ndarray, first: int, locate) -> tuple[int, str]:
    """The rows of one problem besides its ``first`` (which ``rows`` holds): how many, and the input rows of up to
    five of them, "… (+n)" for the rest."""
    others = [str(locate(int(r))[1]) for r in rows[:6] if int(r) != first][:5]
    more = len(rows) - 1 - len(others)
    return len(rows) - 1, ", ".join(others) + (f" … (+{more})" if more > 0 else "")


def _problem(exc: CarbonError, key: tuple, locate, first: int, rows: np.ndarray | None) -> Problem:
    sheet, row = locate(first)
    zh, _, en = str(exc).partition(" / ")
    en = en or zh
    if rows is not None and len(rows) > 1:
        count, listing = other_rows(rows, first, locate)
        zh += f"（同一品种和单位的另外 {count} 行：{listing}）"
        en += f" (and {count} more row(s) with the same carrier and unit: {listing})"
    code = "unit_not_for_factor_set" if isinstance(exc, UnitError) else "missing_factor"
    carrier = next((str(k) for k in key[1:2] if k is not None), "")
    return Problem("error", str(sheet), f"row {row}", carrier, zh, en, code)


def group_rows(group: np.ndarray) -> Callable[[int], np.ndarray]:
    """For :func:`evaluate`: the rows of each group, found only when asked (that is, on a problem)."""
    return lambda position: np.flatnonzero(group == position)


def spread_results(results: list[tuple], position: int, group: np.ndarray, kind: str) -> np.ndarray:
    """One output of :func:`evaluate` per row (a blank result is NaN for floats)."""
    values = [r[position] for r in results]
    if kind == "float":
        values = [np.nan if v is None else v for v in values]
    return _codes.spread(values, group, kind)


def factor_table(resolver: Resolver) -> pd.DataFrame:
    """Every factor used, with its provenance and any fallback."""
    rows = [
        {
            "id": ident,
            "value": factor.value,
            "unit": factor.unit,
            "source": factor.source,
            "confidence": factor.confidence,
            "document": factor.document,
            "number": factor.number,
            "data_year": factor.data_year,
            "requested_year": factor.requested_year,
            "fallback": factor.fallback,
            "note": factor.note,
        }
        for ident, factor in resolver.used.items()
    ]
    return pd.DataFrame(rows)
