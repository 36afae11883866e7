"""The result of the account: :class:`AnnualAccount`, frozen, its tables handed out as new DataFrames."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from carbon.account.methods import Methods
from carbon.account.totals import LEVELS
from carbon.errors import UnknownNameError

__all__ = ["AnnualAccount"]


@dataclass(frozen=True)
class AnnualAccount:
    """The account of one year. Every table is returned as a new DataFrame.

    Every column of every table, with its 中文 label, unit and meaning, is described once in
    :mod:`carbon.schema.outputs` (and in the README's table of outputs, generated from it). In short:

    - ``emissions``: one row per input fact (and per scope-2 method): enterprise_id, name, sub_park, industry,
      year, month, source (fuel_combustion / purchased_electricity / purchased_heat), carrier, use, scope,
      scope2_method, gas, quantity, unit, factor_id, factor_value [tCO2 per unit], custom_factor, emissions_tco2,
      input_sheet, input_row.
    - ``detail``: one row per input fact of energy: quantity, unit, tce_equivalent, tce_equal_value [tce],
      tce_method, tce_factor_id, clean (counted as clean energy), input_sheet, input_row.
    - ``energy``: tce per enterprise and carrier (当量值 and 等价值) and the quantity in the carrier's unit.
    - ``intensities``: per level (enterprise, sub_park, industry, park): scope1, scope2 location and market,
      totals [tCO2], tce, output and added value [万元], tCO2/tce, tCO2 per 万元, and the baseline's values with
      the change.
    - ``reductions``: one row per project and per boiler with method, assumptions and tCO2.
    - ``solid_waste``: per input row, per enterprise and the park: generated, utilised, rate, balance.
    - ``green_factories``: counts by level, new in the year, share of the park's energy and emissions covered.
    - ``indicators``: the 1 + 5 zero-carbon-park indicators with value, threshold, status and gap.
    - ``targets``: each target against the actual.
    - ``factors``: every factor used, with its provenance and any fallback.
    """

    year: int
    park: Mapping[str, object]
    methods: Methods
    summary: Mapping[str, object]
    notes: tuple[str, ...]
    _tables: Mapping[str, pd.DataFrame] = field(repr=False)
    source: Mapping[str, str] = field(default_factory=dict)

    def _get(self, name: str) -> pd.DataFrame:
        return self._tables[name].copy()

    emissions = property(lambda self: self._get("emissions"))
    detail = property(lambda self: self._get("detail"))
    energy = property(lambda self: self._get("energy"))
    intensities = property(lambda self: self._get("intensities"))
    reductions = property(lambda self: self._get("reductions"))
    solid_waste = property(lambda self: self._get("solid_waste"))
    green_factories = property(lambda self: self._get("green_factories"))
    indicators = property(lambda self: self._get("indicators"))
    targets = property(lambda self: self._get("targets"))
    factors = property(lambda self: self._get("factors"))
    green_power = property(lambda self: self._get("green_power"))

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, as new DataFrames."""
        return {name: frame.copy() for name, frame in self._tables.items()}

    def to_excel(self, path, **options) -> object:
        """Write the account workbook (碳账本); ``options`` go to :func:`carbon.io.account_workbook.write_account`.

        The writer is imported inside the method, as pandas does for ``DataFrame.to_excel``: the one place
        where the account reaches up to the file layer (documented in the layer contract)."""
        from carbon.io.account_workbook import write_account

        return write_account(self, path, **options)

    def by(self, level: str) -> pd.DataFrame:
        """Emissions and energy totalled at one level: ``enterprise``, ``sub_park``, ``industry`` or ``park``."""
        if level not in LEVELS:
            raise UnknownNameError("level", level, list(LEVELS))
        frame = self._tables["intensities"]
        return frame[frame["level"] == level].drop(columns="level").reset_index(drop=True)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"AnnualAccount({self.park.get('name')!r}, {self.year}, {s['total_market_tco2']:,.0f} tCO2 market-based, "
            f"{s['energy_tce']:,.0f} tce, {s['carbon_per_energy_tco2_per_tce']:.3f} tCO2/tce)"
        )
