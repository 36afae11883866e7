"""The annual account of a park: emissions, energy, intensities, reductions and zero-carbon indicators.

:meth:`carbon.Ledger.account` calls :func:`compute_account`, which returns a frozen :class:`AnnualAccount`.
Every emission row keeps the sheet and row it came from and the id of each factor used; every factor used
is listed with its provenance in :attr:`AnnualAccount.factors`.

Method choices, all recorded in :attr:`AnnualAccount.methods`:

- ``scope2``: ``"both"`` (default; the verdicts use market-based), ``"location"`` or ``"market"``;
- ``gwp``: ``"AR4"``, ``"AR5"`` or ``"AR6"`` (used only with ``non_co2=True``);
- ``factor_set``: fuel defaults ``"gbt32151"`` (default), ``"cn_set_b"`` or ``"ipcc2006"``;
- ``electricity_tce``: ``"equivalent"`` (当量值, default) or ``"equal-value"`` (等价值) for the headline tce;
- ``non_co2``: add CH4 and N2O from combustion in CO2e (off by default: the park method counts CO2 only);
- ``clean_energy``: what counts as clean energy: ``"natural_gas+non_fossil"`` (default) or ``"non_fossil"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from carbon import _codes
from carbon.account.methods import Methods
from carbon.errors import AccountError, CarbonError, FactorNotFoundError, UnknownNameError
from carbon.factorset import Factor, FactorSet, resolve_factor_set
from carbon.names import carriers
from carbon.validation.problems import Problem
from carbon.reductions import boiler_reduction, share_of_year
from carbon.schema import CERTIFICATE_UNITS, INDICATOR_UNITS, table
from carbon.units import conversion_factor, parse_unit, ureg

__all__ = ["AccountError", "AnnualAccount", "compute_account"]

CO2_PER_C = 44.0 / 12.0
GJ_PER_TCE = 29.3076
_ENERGY = ureg.parse_units("GJ").dimensionality
_SHEET = {t: table(t).sheet for t in ("energy", "green_power", "projects", "boilers", "solid_waste", "custom_factors")}
LEVELS = ("enterprise", "sub_park", "industry", "park")


# -- the result ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualAccount:
    """The account of one year. Every table is returned as a new DataFrame.

    Tables (units in the column names where not stated):

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
    methods: Mapping[str, object]
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

    def to_excel(self, path) -> object:
        """Write the annual carbon ledger workbook (碳账本); see :func:`carbon.ledgerbook.write_ledger`."""
        from carbon.ledgerbook import write_ledger

        return write_ledger(self, path)

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


# -- factors with custom overrides -------------------------------------------------------------------------


class _Resolver:
    """Factors per (enterprise, carrier, unit), with enterprise-measured values overriding the defaults."""

    def __init__(
        self, factors: FactorSet, custom: pd.DataFrame, year: int, province: str, electricity_tce: str
    ) -> None:
        self.factors = factors
        self.year = year
        self.province = province
        self.electricity_tce = electricity_tce
        self.used: dict[str, Factor | dict[str, object]] = {}
        self.problems: list[Problem] = []
        applicable = custom[custom["year"].isna() | (custom["year"] == year)].copy()
        # a value for this year wins over one for every year
        applicable["specific"] = applicable["year"].notna()
        applicable = applicable.sort_values("specific").drop_duplicates(
            ["enterprise_id", "parameter", "carrier"], keep="last"
        )
        self.custom = {
            (row.enterprise_id, row.parameter, row.carrier): row for row in applicable.itertuples(index=False)
        }
        self.custom_enterprises = {(row.enterprise_id, row.carrier) for row in applicable.itertuples(index=False)}
        self.info = carriers().set_index("id")

    def use(self, factor: Factor) -> str:
        self.used.setdefault(factor.id, factor)
        return factor.id

    def _custom(self, enterprise: str, parameter: str, carrier: str, unit: str) -> tuple[float, str] | None:
        row = self.custom.get((enterprise, parameter, carrier))
        if row is None:
            return None
        ident = f"custom:{enterprise}:{parameter}:{carrier}"
        self.used.setdefault(
            ident,
            {
                "id": ident,
                "value": row.value,
                "unit": row.unit,
                "source": row.evidence,
                "confidence": "measured",
                "document": "enterprise measurement (自定义因子)",
                "note": f"{_SHEET['custom_factors']} row {row.source_row}",
            },
        )
        return float(ureg.Quantity(row.value, row.unit).m_as(unit)), ident

    def group_key(self, enterprise: str, carrier: str) -> str:
        """The enterprise when it has custom factors for the carrier, else '' (so groups are shared)."""
        return enterprise if (enterprise, carrier) in self.custom_enterprises else ""

    # energy content of a fuel quantity, for CO2
    def _gj(self, enterprise: str, carrier: str, unit: str) -> tuple[float, list[str]]:
        parsed = parse_unit(unit)
        if parsed.dimensionality == _ENERGY:
            return conversion_factor(unit, "GJ"), []
        custom = self._custom(enterprise, "ncv", carrier, f"GJ/{unit}") if enterprise else None
        if custom is not None:
            return custom[0], [custom[1]]
        try:
            ncv = self.factors.fuel(carrier).ncv
        except UnknownNameError as exc:
            raise _Missing(carrier, str(exc)) from None
        per_unit = float((ureg.Quantity(1.0, parsed) * ureg.Quantity(ncv.value, ncv.unit)).m_as("GJ"))
        return per_unit, [self.use(ncv)]

    def co2_per_unit(self, enterprise: str, carrier: str, unit: str) -> tuple[float, str, bool]:
        """tCO2 per unit of fuel burned, the factor ids joined by '|', and whether a custom value was used."""
        if carrier == "biomass":
            return 0.0, "biogenic", False
        ids: list[str] = []
        try:
            gj, ids = self._gj(enterprise, carrier, unit)
            parts = []
            for parameter, target in (("carbon_content", "tC/GJ"), ("oxidation_rate", "")):
                custom = self._custom(enterprise, parameter, carrier, target) if enterprise else None
                if custom is not None:
                    parts.append(custom[0])
                    ids.append(custom[1])
                    continue
                default = getattr(self.factors.fuel(carrier), parameter)
                parts.append(float(ureg.Quantity(default.value, default.unit).m_as(target)))
                ids.append(self.use(default))
        except (UnknownNameError, FactorNotFoundError) as exc:
            raise _Missing(carrier, str(exc)) from None
        return gj * parts[0] * parts[1] * CO2_PER_C, "|".join(ids), any(i.startswith("custom:") for i in ids)

    def tce_per_unit(self, enterprise: str, carrier: str, unit: str, option: str) -> tuple[float, str, str]:
        """tce per unit, the method and the factor id."""
        parsed = parse_unit(unit)
        coefficient_carrier = "heat" if carrier == "steam" else carrier
        if carrier in ("electricity", "heat", "steam"):
            coefficient = self.factors.standard_coal(coefficient_carrier, electricity=option, year=self.year)
            product = ureg.Quantity(coefficient.value, coefficient.unit) * ureg.Quantity(1.0, parsed)
            method = "GB/T 2589 等价值" if option == "equal-value" and carrier == "electricity" else "GB/T 2589 当量值"
            return float(product.m_as("tce")), method, self.use(coefficient)
        if parsed.dimensionality == _ENERGY:
            return conversion_factor(unit, "tce"), "energy content", ""
        custom = self._custom(enterprise, "ncv", carrier, f"GJ/{unit}") if enterprise else None
        if custom is not None:
            return custom[0] / GJ_PER_TCE, "measured NCV", custom[1]
        try:
            coefficient = self.factors.standard_coal(carrier)
            product = ureg.Quantity(coefficient.value, coefficient.unit) * ureg.Quantity(1.0, parsed)
            return float(product.m_as("tce")), "GB/T 2589 当量值", self.use(coefficient)
        except FactorNotFoundError:
            pass
        try:
            ncv = self.factors.fuel(carrier).ncv
        except UnknownNameError as exc:
            raise _Missing(carrier, str(exc)) from None
        per_unit = float((ureg.Quantity(1.0, parsed) * ureg.Quantity(ncv.value, ncv.unit)).m_as("GJ"))
        return per_unit / GJ_PER_TCE, f"default NCV ({self.factors.name})", self.use(ncv)

    def grid(self, method: str) -> Factor:
        factor = self.factors.electricity(self.province, self.year, method)
        self.use(factor)
        return factor

    def supplier_factor(self, enterprise: str) -> tuple[float, str] | None:
        return self._custom(enterprise, "electricity_co2", "electricity", "tCO2/MWh")


class _Missing(Exception):
    def __init__(self, carrier: str, message: str) -> None:
        self.carrier = carrier
        self.message = message


def _factor_table(resolver: _Resolver) -> pd.DataFrame:
    rows = []
    for ident, factor in resolver.used.items():
        if isinstance(factor, Factor):
            rows.append(
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
            )
        else:
            rows.append({**factor, "number": "", "data_year": None, "requested_year": None, "fallback": False})
    return pd.DataFrame(rows)


# -- energy and emissions --------------------------------------------------------------------------------
#
# The per-fact tables (detail, emissions) reach millions of rows: their text columns are factorised once and
# carried as integer codes (carbon._codes), factors are resolved once per group of rows, and the tables are
# assembled from arrays. No Python loop runs over rows and pint is called once per distinct unit.


def _with_enterprises(frame: pd.DataFrame, firms: pd.DataFrame) -> pd.DataFrame:
    """Add name, sub_park and industry, taken by factorised enterprise codes (no merge)."""
    codes, uniques = pd.factorize(frame["enterprise_id"])
    info = firms.drop_duplicates("enterprise_id").set_index("enterprise_id")[["name", "sub_park", "industry"]]
    info = info.reindex(pd.Index(uniques))
    out = frame.reset_index(drop=True)
    for column in ("name", "sub_park", "industry"):
        out[column] = info[column].take(codes).to_numpy()
    return out


def _compact(parts: list[pd.Series], dtype: str) -> pd.arrays.IntegerArray:
    """Nullable integers of the per-fact tables, in the smaller ``dtype`` (Int8 months, Int32 rows) where
    every value fits, else Int64: never a silent wrap-around."""
    arrays = [pd.array(p, dtype="Int64") for p in parts]
    info = np.iinfo(pd.api.types.pandas_dtype(dtype).numpy_dtype)
    fits = all(a.isna().all() or (info.min <= a.min() and a.max() <= info.max) for a in arrays if len(a))
    arrays = [a.astype(dtype if fits else "Int64") for a in arrays if len(a)] or [arrays[0].astype(dtype)]
    return arrays[0] if len(arrays) == 1 else pd.concat([pd.Series(x) for x in arrays], ignore_index=True).array


def _apply(
    frame: pd.DataFrame,
    resolver: _Resolver,
    keys: list[str],
    compute,
    outputs: list[tuple[str, str]],
    *,
    sheet: str = "",
) -> pd.DataFrame:
    """Evaluate ``compute`` once per distinct combination of ``keys`` and add its ``outputs`` as columns.

    ``outputs`` are (name, kind) pairs, kind ``float``, ``bool`` or ``str`` (see :func:`carbon._codes.spread`).
    A missing factor is collected as a problem located at the first input row it affects, and its outputs
    are blank. For the small tables (projects, boilers); the per-fact tables use :func:`_evaluate`."""
    out = frame.reset_index(drop=True)
    coded = [_codes.encode(out[key].to_numpy(dtype=object)) for key in keys]
    group, key_tuples, first_rows = _codes.groups(coded)
    rows = out["source_row"].to_numpy(dtype=object) if "source_row" in out else np.full(len(out), "", dtype=object)
    values = _evaluate(key_tuples, first_rows, compute, len(outputs), lambda r: (sheet, rows[r]), resolver)
    out = out.copy(deep=False)
    for position, (name, kind) in enumerate(outputs):
        out[name] = _codes.spread([v[position] for v in values], group, kind)
    return out


def _evaluate(key_tuples, first_rows, compute, n_outputs, locate, resolver) -> list[tuple]:
    """``compute(*key)`` per group; a missing factor becomes a problem located by ``locate(first row)`` (which
    gives the sheet and row) and a blank result."""
    results: list[tuple] = [()] * len(key_tuples)
    # in the order the groups first appear, so that factors are listed in the order of the input
    for position in np.argsort(first_rows, kind="stable").tolist():
        key, first = key_tuples[position], int(first_rows[position])
        try:
            results[position] = compute(*(k if k is not None else "" for k in key))
        except _Missing as exc:
            sheet, row = locate(first)
            resolver.problems.append(
                Problem(
                    "error",
                    str(sheet),
                    f"row {row}",
                    str(key[1]),
                    *_halves(exc.message),
                    "missing_factor",
                )
            )
            results[position] = (None,) * n_outputs
    return results


def _halves(message: str) -> tuple[str, str]:
    """The Chinese and English halves of a bilingual message (see :func:`carbon.errors.bilingual`)."""
    zh, _, en = message.partition(" / ")
    return (zh, en) if en else (message, message)


def _blank_results(values: list[tuple], position: int) -> list[object]:
    return [np.nan if v[position] is None else v[position] for v in values]


@dataclass
class _Facts:
    """The energy facts of the year: ``detail`` and what the emissions need beside it."""

    detail: pd.DataFrame
    key: tuple[np.ndarray, np.ndarray]  # the enterprise where it has custom factors for the carrier, else -1
    grid: np.ndarray  # positions of the grid-electricity facts

    def coded(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """A categorical column of ``detail`` as (codes, values)."""
        return _coded(self.detail[column].array)

    def locate(self, row: int) -> tuple[str, object]:
        """The input sheet and row of a fact."""
        return self.detail["input_sheet"].iat[row], self.detail["input_row"].iat[row]


def _custom_key(resolver: _Resolver, enterprise, carrier) -> np.ndarray:
    """Per row: the enterprise code where it has custom factors for the row's carrier, else -1."""
    codes, values = enterprise
    carrier_codes, carrier_values = carrier
    if not resolver.custom_enterprises:
        return np.full(len(codes), -1, dtype=np.int64)
    e_position = {v: i for i, v in enumerate(values.tolist())}
    c_position = {v: i for i, v in enumerate(carrier_values.tolist())}
    pairs = [
        e_position[e] * len(carrier_values) + c_position[c]
        for e, c in resolver.custom_enterprises
        if e in e_position and c in c_position
    ]
    has_custom = np.isin(codes.astype(np.int64) * len(carrier_values) + carrier_codes, pairs)
    return np.where(has_custom, codes, -1)


def _coded(column: pd.Categorical) -> tuple[np.ndarray, np.ndarray]:
    return column.codes, np.asarray(column.categories, dtype=object)


def _energy_detail(ledger, year: int, resolver: _Resolver, clean_energy: str) -> _Facts:
    energy = ledger._tables["energy"]  # read only: no copy of millions of rows
    in_year = (energy["year"] == year).to_numpy(dtype=bool, na_value=False)
    everything = bool(in_year.all())
    selected = np.flatnonzero(in_year) if not everything else np.empty(0, dtype=np.intp)

    def pick(values: np.ndarray) -> np.ndarray:
        return values if everything else values[selected]

    green = ledger._tables["green_power"]
    onsite = green[(green["year"] == year) & (green["instrument"] == "onsite")]
    n_energy, n_onsite = (len(energy) if everything else len(selected)), len(onsite)
    n = n_energy + n_onsite

    def labels(energy_values, onsite_values) -> pd.Categorical:
        codes, values = _codes.encode(energy_values, onsite_values)
        return _codes.categorical(np.concatenate([pick(codes[: len(energy)]), codes[len(energy) :]]), values)

    enterprise = labels(energy["enterprise_id"], onsite["enterprise_id"])
    carrier = labels(energy["carrier"], np.full(n_onsite, "electricity", dtype=object))
    unit = labels(energy["unit"], onsite["unit"])
    uses = energy["use"]
    uses = uses.astype(object).fillna("fuel") if uses.isna().any() else uses  # a blank use is fuel (documented default)
    use = labels(uses, np.full(n_onsite, "fuel", dtype=object))
    quantity = np.concatenate([pick(energy["quantity"].to_numpy(dtype=float)), onsite["quantity"].to_numpy(float)])
    carriers_ = np.asarray(carrier.categories, dtype=object)
    is_electricity = (carriers_ == "electricity")[carrier.codes]
    source_codes = np.where(is_electricity, 1, 0).astype(np.int8)
    source_codes[n_energy:] = 2
    sources = np.array(["energy", "grid_electricity", "onsite_renewable"], dtype=object)
    sheet_codes = np.zeros(n, dtype=np.int8)
    sheet_codes[n_energy:] = 1
    sheets = np.array([_SHEET["energy"], _SHEET["green_power"]], dtype=object)
    in_energy = slice(None) if everything else selected
    input_row = _compact([energy["source_row"].array[in_energy], onsite["source_row"]], "Int32")
    month = _compact([energy["month"].array[in_energy], onsite["month"]], "Int8")
    key = (_custom_key(resolver, _coded(enterprise), _coded(carrier)), np.asarray(enterprise.categories, dtype=object))

    def both(key_, carrier_, unit_):
        equivalent = resolver.tce_per_unit(key_, carrier_, unit_, "equivalent")
        try:
            equal = resolver.tce_per_unit(key_, carrier_, unit_, "equal-value")
        except FactorNotFoundError:
            equal = (np.nan, "not published", "")
        return (*equivalent, *equal)

    group, key_tuples, first_rows = _codes.groups([key, _coded(carrier), _coded(unit)])

    def locate(row: int) -> tuple[str, object]:
        return sheets[sheet_codes[row]], input_row[row]

    results = _evaluate(key_tuples, first_rows, both, 6, locate, resolver)
    tce_equivalent = quantity * _codes.spread(_blank_results(results, 0), group, "float")
    tce_equal_value = quantity * _codes.spread(_blank_results(results, 3), group, "float")
    if resolver.electricity_tce == "equal-value" and np.isnan(tce_equal_value).any():
        resolver.factors.standard_coal("electricity", electricity="equal-value", year=resolver.year)  # raises
    headline = 3 if resolver.electricity_tce == "equal-value" else 0
    # clean energy: natural gas (by default) and non-fossil energy; grid electricity is clean only where green
    # instruments cover it (added at park level by the indicator), on-site renewables always
    clean_carriers = {"biomass", *(("natural_gas", "lng") if clean_energy == "natural_gas+non_fossil" else ())}
    clean = np.isin(carriers_, list(clean_carriers))[carrier.codes] | (source_codes == 2)
    category = np.array([resolver.info["category"].get(c) for c in carriers_.tolist()], dtype=object)
    methods = {
        name: _codes.spread([r[position] for r in results], group, "category")
        for name, position in (
            ("tce_equivalent_method", 1),
            ("tce_equivalent_factor_id", 2),
            ("tce_equal_value_method", 4),
            ("tce_equal_value_factor_id", 5),
        )
    }
    detail = pd.DataFrame(
        {
            "enterprise_id": enterprise,
            "year": pd.array(np.full(n, year, dtype=np.int16), dtype="Int16"),
            "month": month,
            "carrier": carrier,
            "use": use,
            "quantity": quantity,
            "unit": unit,
            "source": _codes.categorical(source_codes, sources),
            "input_sheet": _codes.categorical(sheet_codes, sheets),
            "input_row": input_row,
            **methods,
            "tce_equivalent": tce_equivalent,
            "tce_equal_value": tce_equal_value,
            "tce_method": methods["tce_equal_value_method" if headline else "tce_equivalent_method"],
            "tce_factor_id": methods["tce_equal_value_factor_id" if headline else "tce_equivalent_factor_id"],
            "tce": tce_equal_value if headline else tce_equivalent,
            "clean": clean,
            "category": _codes.categorical(carrier.codes, category),
        },
        copy=False,
    )
    grid = np.flatnonzero(source_codes == 1)
    return _Facts(detail, key, grid)


def _green_mwh(ledger, year: int) -> pd.Series:
    green = ledger.green_power
    purchased = green[(green["year"] == year) & green["instrument"].isin(["trade", "certificate", "direct_line"])]
    if purchased.empty:
        return pd.Series(dtype=float)
    factors = {u: (1.0 if u in CERTIFICATE_UNITS else conversion_factor(u, "MWh")) for u in purchased["unit"].unique()}
    mwh = purchased["quantity"] * purchased["unit"].map(factors)
    return mwh.groupby(purchased["enterprise_id"]).sum()


def _per_unit(unit_values: np.ndarray, target: str, used: np.ndarray) -> np.ndarray:
    """``target`` per unit of each distinct unit that ``used`` marks (NaN for the others)."""
    out = np.full(len(unit_values), np.nan)
    for position in np.flatnonzero(used):
        out[position] = conversion_factor(unit_values[position], target)
    return out


@dataclass
class _Block:
    """Emission rows of one kind: positions in the facts, and the block's own columns.

    ``factor_codes`` index ``factor_labels`` (the factor ids) per row, or name one label for every row;
    ``factor_value`` is per row, or a (per-group values, group per row) pair. The emissions of every row are
    its quantity times its factor value."""

    rows: np.ndarray
    source: str
    scope: int
    scope2_method: str | None
    gas: str
    factor_labels: list[str | None]
    factor_codes: np.ndarray | int
    factor_value: np.ndarray | tuple[np.ndarray, np.ndarray]
    custom_factor: np.ndarray | bool = False
    green_mwh: np.ndarray | None = None


def _emissions(facts: _Facts, ledger, year: int, resolver: _Resolver, non_co2: bool, gwp: str):
    """The emission facts and the market-based grid power left uncovered by green instruments [MWh]."""
    detail = facts.detail
    quantity = detail["quantity"].to_numpy()
    carrier_codes, carrier_values = facts.coded("carrier")
    unit_codes, unit_values = facts.coded("unit")
    use_codes, use_values = facts.coded("use")
    categories = resolver.info["category"].reindex(carrier_values).fillna("").astype(str)
    is_fuel = categories.str.contains("fuel").to_numpy()
    fuel_use = use_values == "fuel"
    blocks: list[_Block] = []

    combustion = np.flatnonzero(is_fuel[carrier_codes] & fuel_use[use_codes])
    keys = [(facts.key[0][combustion], facts.key[1]), (carrier_codes[combustion], carrier_values)]
    keys.append((unit_codes[combustion], unit_values))
    group, key_tuples, first_rows = _codes.groups(keys)
    del keys

    def locate(row: int) -> tuple[str, object]:
        return facts.locate(int(combustion[row]))

    results = _evaluate(key_tuples, first_rows, resolver.co2_per_unit, 3, locate, resolver)
    blocks.append(
        _Block(
            combustion,
            "fuel_combustion",
            1,
            None,
            "CO2",
            [r[1] or None for r in results],
            group,
            (np.asarray(_blank_results(results, 0), dtype=float), group),
            _codes.spread([bool(r[2]) for r in results], group, "bool"),
        )
    )

    if non_co2 and len(combustion):
        ch4_gwp = resolver.use(resolver.factors.gwp("CH4", gwp))
        n2o_gwp = resolver.use(resolver.factors.gwp("N2O", gwp))
        gwps = {"CH4": resolver.factors.gwp("CH4", gwp).value, "N2O": resolver.factors.gwp("N2O", gwp).value}

        def non_co2_per_unit(key, carrier, unit):
            if carrier == "biomass":
                return 0.0, 0.0, "", ""
            gj, _ = resolver._gj(key, carrier, unit)
            try:
                ch4, n2o = resolver.factors.non_co2(carrier)
            except UnknownNameError as exc:
                raise _Missing(carrier, str(exc)) from None
            return (
                gj * ch4.value / 1e6 * gwps["CH4"],
                gj * n2o.value / 1e6 * gwps["N2O"],
                f"{resolver.use(ch4)}|{ch4_gwp}",
                f"{resolver.use(n2o)}|{n2o_gwp}",
            )

        results = _evaluate(key_tuples, first_rows, non_co2_per_unit, 4, locate, resolver)
        for gas, position in (("CH4", 0), ("N2O", 1)):
            values = np.asarray(_blank_results(results, position), dtype=float)
            labels = [r[position + 2] or None for r in results]
            blocks.append(_Block(combustion, "fuel_combustion", 1, None, gas, labels, group, (values, group)))

    uncovered_mwh = 0.0
    grid = facts.grid
    if len(grid):
        mwh_per_unit = _per_unit(unit_values, "MWh", np.bincount(unit_codes[grid], minlength=len(unit_values)) > 0)
        per_unit = mwh_per_unit[unit_codes[grid]]
        location = resolver.grid("location")
        location_value = per_unit * location.value
        blocks.append(_Block(grid, "purchased_electricity", 2, "location", "CO2", [location.id], 0, location_value))
        # market-based: green power is shared over the enterprise's electricity rows pro rata; the rest at the
        # supplier's factor (custom) or the national factor excluding market-traded non-fossil power
        residual = resolver.grid("market")
        enterprise_codes, enterprise_values = facts.coded("enterprise_id")
        enterprise_codes = enterprise_codes[grid]
        mwh = quantity[grid] * per_unit
        total = np.bincount(enterprise_codes, weights=mwh, minlength=len(enterprise_values))
        green = _green_mwh(ledger, year).reindex(enterprise_values).fillna(0.0).to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            covered_by_enterprise = np.where(total > 0, np.minimum(green / np.where(total > 0, total, 1.0), 1.0), 0.0)
        rate = np.full(len(enterprise_values), residual.value)
        labels: list[str | None] = [residual.id]
        label_of = np.zeros(len(enterprise_values), dtype=np.intp)
        custom = np.zeros(len(enterprise_values), dtype=bool)
        suppliers = {e for e, parameter, _ in resolver.custom if parameter == "electricity_co2"}
        with_supplier = np.isin(enterprise_values, list(suppliers)) & (total > 0) if suppliers else total < 0
        for position in np.flatnonzero(with_supplier).tolist():
            supplier = resolver.supplier_factor(enterprise_values[position])
            if supplier is not None:
                rate[position], custom[position] = supplier[0], True
                label_of[position] = len(labels)
                labels.append(supplier[1])
        covered = covered_by_enterprise[enterprise_codes]
        green_mwh = mwh * covered
        uncovered_mwh = float(np.nansum(mwh - green_mwh))
        del mwh
        market_value = rate[enterprise_codes] * (1 - covered) * per_unit
        blocks.append(
            _Block(
                grid,
                "purchased_electricity",
                2,
                "market",
                "CO2",
                labels,
                label_of[enterprise_codes],
                market_value,
                custom[enterprise_codes],
                green_mwh,
            )
        )

    heat = np.flatnonzero(np.isin(carrier_values, ["heat", "steam"])[carrier_codes])
    if len(heat):
        factor = resolver.factors.heat()
        resolver.use(factor)
        gj_per_unit = _per_unit(unit_values, "GJ", np.bincount(unit_codes[heat], minlength=len(unit_values)) > 0)
        value = factor.value * gj_per_unit[unit_codes[heat]]
        for method in ("location", "market"):
            blocks.append(_Block(heat, "purchased_heat", 2, method, "CO2", [factor.id], 0, value))
    return _assemble(facts, blocks, ledger.enterprises), uncovered_mwh


def _assemble(facts: _Facts, blocks: list[_Block], firms: pd.DataFrame) -> pd.DataFrame:
    """The emissions table: each block's rows of the facts, with the block's own columns.

    Every column is allocated once at its full length and filled block by block (the table reaches
    millions of rows: no per-block copies to concatenate)."""
    lengths = [len(b.rows) for b in blocks]
    n = sum(lengths)
    ends = np.cumsum(lengths)
    spans = [slice(int(end - length), int(end)) for end, length in zip(ends, lengths, strict=True)]
    detail = facts.detail
    rows = np.empty(n, dtype=np.intp)
    factor_value = np.empty(n)
    green_mwh = np.full(n, np.nan)
    custom_factor = np.zeros(n, dtype=bool)
    factor_labels = sorted({label for b in blocks for label in b.factor_labels if label is not None})
    factor_codes = np.empty(n, dtype=_codes.code_dtype(len(factor_labels)))
    for block, span in zip(blocks, spans, strict=True):
        rows[span] = block.rows
        if isinstance(block.factor_value, tuple):
            np.take(block.factor_value[0], block.factor_value[1], out=factor_value[span])
        else:
            factor_value[span] = block.factor_value
        if block.green_mwh is not None:
            green_mwh[span] = block.green_mwh
        custom_factor[span] = block.custom_factor
        remap = np.array([factor_labels.index(x) if x is not None else -1 for x in block.factor_labels])
        factor_codes[span] = remap[block.factor_codes] if len(remap) else -1
    quantity = detail["quantity"].to_numpy()[rows]
    emissions_tco2 = quantity * factor_value

    def per_block(values: list[str | None]) -> pd.Categorical:
        labels = sorted({v for v in values if v is not None})
        codes = np.empty(n, dtype=np.int8)
        for value, span in zip(values, spans, strict=True):
            codes[span] = labels.index(value) if value is not None else -1
        return pd.Categorical.from_codes(codes, pd.Index(labels, dtype="str"), validate=False)

    def taken(column: str):
        values = detail[column].array
        return _codes.subset(values, rows) if isinstance(values, pd.Categorical) else values.take(rows)

    enterprise = taken("enterprise_id")
    columns = {"enterprise_id": enterprise}
    info = firms.drop_duplicates("enterprise_id").set_index("enterprise_id")
    info = info.reindex(pd.Index(np.asarray(enterprise.categories, dtype=object)))
    for column in ("name", "sub_park", "industry"):
        # per enterprise that occurs (so every category is used), then per row by the enterprise's code
        per_enterprise = _codes.categorical(*_codes.encode(info[column].to_numpy(dtype=object)))
        row_codes = per_enterprise.codes[enterprise.codes]
        columns[column] = pd.Categorical.from_codes(row_codes, per_enterprise.categories, validate=False)
    scope = np.empty(n, dtype=np.int8)
    for block, span in zip(blocks, spans, strict=True):
        scope[span] = block.scope
    year = detail["year"].array
    columns.update(
        {
            "year": pd.array(np.full(n, year[0] if len(year) else 0, dtype=year.dtype.numpy_dtype), dtype=year.dtype),
            "month": taken("month"),
            "source": per_block([b.source for b in blocks]),
            "carrier": taken("carrier"),
            "use": taken("use"),
            "scope": scope,
            "scope2_method": per_block([b.scope2_method for b in blocks]),
            "gas": per_block([b.gas for b in blocks]),
            "quantity": quantity,
            "unit": taken("unit"),
            "green_mwh": green_mwh,
            "factor_id": _codes.categorical(factor_codes, factor_labels),
            "factor_value": factor_value,
            "custom_factor": custom_factor,
            "emissions_tco2": emissions_tco2,
            "input_sheet": taken("input_sheet"),
            "input_row": taken("input_row"),
        }
    )
    return pd.DataFrame(columns, copy=False)


# -- levels and intensities ----------------------------------------------------------------------------------

UNASSIGNED = "未分配 unassigned"


def _strict_sum(values: pd.Series, keys) -> pd.Series:
    """Sum per group that is blank when any part is blank (electricity 等价值 is not published every year)."""
    grouped = values.groupby(keys, dropna=False)
    return grouped.sum().where(~values.isna().groupby(keys, dropna=False).any())


def _is(column: pd.Series, value: str) -> np.ndarray:
    """Rows of a categorical column equal to ``value``, compared on the codes."""
    categories = column.cat.categories
    if value not in categories:
        return np.zeros(len(column), dtype=bool)
    return column.cat.codes.to_numpy() == categories.get_loc(value)


class _Totals:
    """Sums per category of a categorical column.

    Counted with ``numpy.bincount`` on the codes (the per-fact tables hold millions of rows). Rules:
    ``skipna`` (blanks ignored, as pandas' ``sum``), ``min_count`` (blank when every part is blank) or
    ``strict`` (blank when any part is; electricity 等价值 is not published for every year). A category
    without rows gets NaN."""

    def __init__(self, codes: np.ndarray, n: int) -> None:
        self.codes = codes.astype(np.intp)
        self.n = n
        self.rows = np.bincount(self.codes, minlength=n)

    @classmethod
    def of(cls, by: pd.Series) -> _Totals:
        return cls(by.cat.codes.to_numpy(), len(by.cat.categories))

    def sum(self, values: pd.Series | np.ndarray, rule: str = "skipna", mask: np.ndarray | None = None) -> np.ndarray:
        codes, weights = self.codes, np.asarray(values, dtype=float)
        if mask is not None:
            codes, weights = codes[mask], weights[mask]
        rows = self.rows if mask is None else np.bincount(codes, minlength=self.n)
        blank = np.isnan(weights)
        if blank.any():
            total = np.bincount(codes, weights=np.where(blank, 0.0, weights), minlength=self.n)
            blanks = np.bincount(codes[blank], minlength=self.n)
            if rule == "min_count":
                total[blanks == rows] = np.nan
            elif rule == "strict":
                total[blanks > 0] = np.nan
        else:
            total = np.bincount(codes, weights=weights, minlength=self.n)
        total = total.astype(float, copy=False)  # bincount over no rows gives integers
        total[rows == 0] = np.nan
        return total


def _per_enterprise(emissions: pd.DataFrame, detail: pd.DataFrame, ledger, year: int, headline: str) -> pd.DataFrame:
    """Totals per enterprise: every enterprise with energy facts or economics in the year, sorted by id."""
    e = emissions
    index = pd.Index(np.asarray(detail["enterprise_id"].cat.categories, dtype=object), name="enterprise_id")
    economics = ledger.economics
    economics = economics[economics["year"] == year].drop_duplicates("enterprise_id")
    extra = pd.Index(economics["enterprise_id"].to_numpy(dtype=object)).difference(index)
    if len(extra):
        index = index.append(extra).sort_values()
    facts = _Totals.of(detail["enterprise_id"])
    in_index = index.get_indexer(pd.Index(detail["enterprise_id"].cat.categories, dtype=object))

    def aligned(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
        out = np.full(len(index), np.nan)
        out[positions] = values
        return out

    scope = e["scope"].to_numpy()
    firm = _Totals.of(e["enterprise_id"])
    firm_in_index = index.get_indexer(pd.Index(e["enterprise_id"].cat.categories, dtype=object))
    tco2 = e["emissions_tco2"]
    columns = {
        "scope1_tco2": firm.sum(tco2, mask=scope == 1),
        "scope2_location_tco2": firm.sum(tco2, mask=(scope == 2) & _is(e["scope2_method"], "location")),
        "scope2_market_tco2": firm.sum(tco2, mask=(scope == 2) & _is(e["scope2_method"], "market")),
    }
    columns = {name: aligned(values, firm_in_index) for name, values in columns.items()}
    columns["tce"] = aligned(facts.sum(detail["tce"], "min_count"), in_index)
    columns["tce_equivalent"] = aligned(facts.sum(detail["tce_equivalent"], "min_count"), in_index)
    # a total is blank when any of its parts is (electricity 等价值 is not published for every year)
    columns["tce_equal_value"] = aligned(facts.sum(detail["tce_equal_value"], "strict"), in_index)
    positions = index.get_indexer(pd.Index(economics["enterprise_id"].to_numpy(dtype=object)))
    for column in ("output_value", "added_value"):
        columns[column] = aligned(economics[column].to_numpy(dtype=float, na_value=np.nan), positions)
    frame = pd.DataFrame(columns, index=index)
    for column in ("scope1_tco2", "scope2_location_tco2", "scope2_market_tco2"):
        # an enterprise with energy facts but none of this kind emits nothing of it (a sum over no rows)
        frame[column] = frame[column].where(frame["tce"].isna() | frame[column].notna(), 0.0)
    frame = frame.reset_index()
    firms = ledger.enterprises[["enterprise_id", "name", "sub_park", "industry"]].drop_duplicates("enterprise_id")
    frame = frame.merge(firms, on="enterprise_id", how="left")
    frame["sub_park"] = frame["sub_park"].fillna(UNASSIGNED)
    frame["industry"] = frame["industry"].fillna(UNASSIGNED)
    return frame


_SUMS = [
    "scope1_tco2",
    "scope2_location_tco2",
    "scope2_market_tco2",
    "tce",
    "tce_equivalent",
    "tce_equal_value",
    "output_value",
    "added_value",
]


def _levels(per_enterprise: pd.DataFrame, headline: str) -> pd.DataFrame:
    frames = []
    for level, key in (
        ("enterprise", "enterprise_id"),
        ("sub_park", "sub_park"),
        ("industry", "industry"),
        ("park", None),
    ):
        if key is None:
            grouped = per_enterprise[_SUMS].sum(min_count=1).to_frame().T
            grouped["tce_equal_value"] = per_enterprise["tce_equal_value"].sum(skipna=False)
            grouped.insert(0, "key", "park")
        else:
            grouped = (
                per_enterprise.groupby(key, dropna=False)[_SUMS]
                .sum(min_count=1)
                .reset_index()
                .rename(columns={key: "key"})
            )
            strict = _strict_sum(per_enterprise["tce_equal_value"], per_enterprise[key])
            grouped["tce_equal_value"] = grouped["key"].map(strict)
        if level == "enterprise":
            grouped = grouped.merge(
                per_enterprise[["enterprise_id", "name", "sub_park", "industry"]],
                left_on="key",
                right_on="enterprise_id",
            ).drop(columns="enterprise_id")
        grouped.insert(0, "level", level)
        frames.append(grouped)
    frame = pd.concat(frames, ignore_index=True)
    frame["total_location_tco2"] = frame["scope1_tco2"] + frame["scope2_location_tco2"]
    frame["total_market_tco2"] = frame["scope1_tco2"] + frame["scope2_market_tco2"]
    frame["total_tco2"] = frame["total_market_tco2" if headline == "market" else "total_location_tco2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["tco2_per_tce"] = frame["total_tco2"] / frame["tce"]
        frame["tco2_per_10k_yuan_output"] = frame["total_tco2"] / frame["output_value"]
        frame["tco2_per_10k_yuan_added_value"] = frame["total_tco2"] / frame["added_value"]
    return frame.replace([np.inf, -np.inf], np.nan)


def _with_baseline(current: pd.DataFrame, baseline: pd.DataFrame | None) -> pd.DataFrame:
    if baseline is None:
        for column in (
            "baseline_total_tco2",
            "baseline_tce",
            "baseline_tco2_per_tce",
            "change_total_pct",
            "change_tco2_per_tce_pct",
        ):
            current[column] = np.nan
        return current
    base = baseline[["level", "key", "total_tco2", "tce", "tco2_per_tce"]].rename(
        columns={"total_tco2": "baseline_total_tco2", "tce": "baseline_tce", "tco2_per_tce": "baseline_tco2_per_tce"}
    )
    frame = current.merge(base, on=["level", "key"], how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["change_total_pct"] = (frame["total_tco2"] / frame["baseline_total_tco2"] - 1) * 100
        frame["change_tco2_per_tce_pct"] = (frame["tco2_per_tce"] / frame["baseline_tco2_per_tce"] - 1) * 100
    return frame.replace([np.inf, -np.inf], np.nan)


# -- reductions -------------------------------------------------------------------------------------------


def _project_reductions(ledger, year: int, resolver: _Resolver) -> pd.DataFrame:
    projects = ledger.projects.copy()
    if projects.empty:
        return pd.DataFrame()
    location = resolver.grid("location")
    heat = resolver.factors.heat()
    resolver.use(heat)

    def annual(enterprise, carrier, unit):
        key = resolver.group_key(enterprise, carrier)
        if carrier == "electricity":
            return conversion_factor(unit, "MWh") * location.value, f"annual saving x grid factor {location.id}"
        if carrier in ("heat", "steam"):
            return conversion_factor(unit, "GJ") * heat.value, f"annual saving x heat factor {heat.id}"
        value, ids, _ = resolver.co2_per_unit(key, carrier, unit)
        return value, f"annual saving x fuel factor {ids}"

    has = projects["saving_quantity"].notna() & projects["saving_unit"].notna() & projects["saving_carrier"].notna()
    keyed = projects[has].assign(
        key_e=projects["enterprise_id"], key_c=projects["saving_carrier"], key_u=projects["saving_unit"]
    )
    per_unit = _apply(
        keyed,
        resolver,
        ["key_e", "key_c", "key_u"],
        annual,
        [("tco2_per_unit", "float"), ("method", "str")],
        sheet=_SHEET["projects"],
    )
    per_unit.index = keyed.index
    projects["annual_reduction_tco2"] = np.nan
    projects.loc[has, "annual_reduction_tco2"] = projects.loc[has, "saving_quantity"] * per_unit[
        "tco2_per_unit"
    ].astype(float)
    projects["method"] = ""
    projects.loc[has, "method"] = per_unit["method"]
    completed = projects["status"] == "completed"
    share = share_of_year(projects["completion_date"], year)
    completion_year = pd.to_datetime(projects["completion_date"]).dt.year
    first_share = np.array(
        [
            share_of_year(pd.Series([d]), int(y))[0] if pd.notna(y) else np.nan
            for d, y in zip(projects["completion_date"], completion_year, strict=True)
        ]
    )
    years_after = np.clip(year - completion_year.to_numpy(dtype=float), 0, None)
    projects["share_of_year"] = np.where(completed, share, 0.0)
    # nothing is reduced before a project is in service, whether or not its saving is known
    projects["reduction_in_year_tco2"] = np.where(
        projects["share_of_year"] > 0, projects["annual_reduction_tco2"] * projects["share_of_year"], 0.0
    )
    cumulative_share = np.where(completed & (completion_year <= year), first_share + years_after, 0.0)
    projects["cumulative_reduction_tco2"] = np.where(
        cumulative_share > 0, projects["annual_reduction_tco2"] * cumulative_share, 0.0
    )
    projects["difference_tco2"] = projects["declared_reduction"] - projects["annual_reduction_tco2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        projects["difference_pct"] = projects["difference_tco2"] / projects["annual_reduction_tco2"] * 100
    year_end = pd.Timestamp(year=year, month=12, day=31)
    projects["overdue"] = ~completed & (pd.to_datetime(projects["planned_completion"]) <= year_end)
    projects["assumptions"] = np.where(has, "", "no annual saving given: no reduction computed")
    out = projects.rename(columns={"project_id": "item_id", "source_row": "input_row"})
    out.insert(0, "kind", "project")
    out["input_sheet"] = _SHEET["projects"]
    return out


def _boiler_reductions(ledger, year: int, resolver: _Resolver, notes: list[str]) -> pd.DataFrame:
    boilers = ledger.boilers.copy()
    if boilers.empty:
        return pd.DataFrame()
    factors = resolver.factors
    location = resolver.grid("location")
    heat_factor = factors.heat()
    resolver.use(heat_factor)
    after_carrier = {"natural_gas": "natural_gas", "electricity": "electricity", "biomass": "biomass"}
    assumptions: list[list[str]] = [[] for _ in range(len(boilers))]
    eff_before, eff_after = [], []
    for position, row in enumerate(boilers.itertuples(index=False)):
        if pd.notna(row.efficiency_before):
            eff_before.append(row.efficiency_before)
        else:
            default = factors.boiler_efficiency(row.fuel_before, row.capacity)
            resolver.use(default)
            eff_before.append(default.value / 100)
            assumptions[position].append(f"efficiency before {default.value:g} % ({default.id}, assumed)")
        if row.fuel_after == "removed":
            eff_after.append(1.0)
            assumptions[position].append("removed: the same heat bought as purchased heat")
        elif pd.notna(row.efficiency_after):
            eff_after.append(row.efficiency_after)
        else:
            default = factors.boiler_efficiency(after_carrier[row.fuel_after], row.capacity)
            resolver.use(default)
            eff_after.append(default.value / 100)
            assumptions[position].append(f"efficiency after {default.value:g} % ({default.id}, assumed)")
    boilers["efficiency_before_used"] = eff_before
    boilers["efficiency_after_used"] = eff_after

    def fuel_before(enterprise, carrier, unit):
        key = resolver.group_key(enterprise, carrier)
        gj, _ = resolver._gj(key, carrier, unit) if unit else (np.nan, [])
        co2, ids, _ = resolver.co2_per_unit(key, carrier, "GJ")
        return gj, co2, ids

    keyed = boilers.assign(
        k_e=boilers["enterprise_id"], k_c=boilers["fuel_before"], k_u=boilers["fuel_before_unit"].fillna("")
    )
    resolved = _apply(
        keyed,
        _NoProblems(notes),
        ["k_e", "k_c", "k_u"],
        fuel_before,
        [("gj_per_unit", "float"), ("tco2_per_gj_before", "float"), ("factor_ids", "str")],
        sheet=_SHEET["boilers"],
    )
    resolved.index = boilers.index
    heat = boilers["heat_output"].where(
        boilers["heat_output"].notna(),
        boilers["fuel_before_quantity"] * resolved["gj_per_unit"].astype(float) * boilers["efficiency_before_used"],
    )
    derived = boilers["heat_output"].isna()
    for position in np.flatnonzero(derived.to_numpy()):
        assumptions[position].append("heat output derived from the annual fuel before x efficiency before")

    def after_rate(fuel_after, enterprise):
        if fuel_after == "natural_gas":
            return resolver.co2_per_unit(resolver.group_key(enterprise, "natural_gas"), "natural_gas", "GJ")[0]
        if fuel_after == "electricity":
            return location.value / 3.6
        if fuel_after == "biomass":
            return 0.0
        return heat_factor.value

    rate_after = np.array(
        [after_rate(f, e) for f, e in zip(boilers["fuel_after"], boilers["enterprise_id"], strict=True)]
    )
    result = boiler_reduction(
        heat.to_numpy(dtype=float),
        boilers["efficiency_before_used"].to_numpy(dtype=float),
        boilers["efficiency_after_used"].to_numpy(dtype=float),
        resolved["tco2_per_gj_before"].astype(float).to_numpy(),
        rate_after,
    )
    for name, values in result.items():
        boilers[name] = values
    boilers["heat_gj"] = heat
    boilers["share_of_year"] = share_of_year(boilers["retrofit_date"], year)
    boilers["reduction_in_year_tco2"] = boilers["annual_reduction_tco2"] * boilers["share_of_year"]
    boilers["saving_tce"] = (boilers["fuel_before_gj"] - boilers["energy_after_gj"]) / GJ_PER_TCE
    boilers["method"] = "Q held constant: Q/eta_before x EF_before - Q/eta_after x EF_after; " + boilers[
        "fuel_after"
    ].map(
        {
            "natural_gas": "gas at the fuel factor",
            "electricity": f"electricity at {location.id}",
            "biomass": "biomass at 0 (biogenic)",
            "removed": f"purchased heat at {heat_factor.id}",
        }
    )
    boilers["factor_id"] = resolved["factor_ids"]
    boilers["assumptions"] = ["; ".join(a) for a in assumptions]
    out = boilers.rename(columns={"boiler_id": "item_id", "source_row": "input_row"})
    out.insert(0, "kind", "boiler")
    out["input_sheet"] = _SHEET["boilers"]
    out["status"] = np.where(out["share_of_year"] > 0, "retrofitted", "planned")
    return out


class _NoProblems:
    """Stands in for the resolver in :func:`_apply` so that missing factors become notes, not errors
    (reductions may be partial where the emissions may not)."""

    def __init__(self, notes: list[str]) -> None:
        self._notes = notes
        self.problems = self

    def append(self, problem: Problem) -> None:
        self._notes.append(f"boiler reduction not computed for fuel {problem.value}: {problem.message_en}")


# -- solid waste, green factories, indicators, targets -------------------------------------------------------


def _waste(ledger, year: int) -> pd.DataFrame:
    waste = ledger.solid_waste
    waste = waste[waste["year"] == year].copy()
    columns = ["generated", "utilized", "prior_stock_utilized", "disposed", "stored"]
    keep = ["level", "key", "enterprise_id", "waste_type", *columns, "utilization_rate", "balance_t", "input_row"]
    if waste.empty:
        return pd.DataFrame(columns=keep)
    waste[columns] = waste[columns].astype(float)
    rows = waste.assign(level="row", key=waste["enterprise_id"] + " / " + waste["waste_type"])
    per_enterprise = (
        waste.groupby("enterprise_id")[columns].sum().reset_index().rename(columns={"enterprise_id": "key"})
    )
    per_enterprise["level"] = "enterprise"
    per_type = waste.groupby("waste_type")[columns].sum().reset_index().rename(columns={"waste_type": "key"})
    per_type["level"] = "waste_type"
    park = waste[columns].sum().to_frame().T.assign(level="park", key="park")
    frame = pd.concat([rows, per_enterprise, per_type, park], ignore_index=True)
    available = frame["generated"] + frame["prior_stock_utilized"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["utilization_rate"] = np.where(available > 0, frame["utilized"] / available, np.nan)
    frame["balance_t"] = (
        frame["generated"] - (frame["utilized"] - frame["prior_stock_utilized"]) - frame["disposed"] - frame["stored"]
    )
    frame = frame.rename(columns={"source_row": "input_row"})
    return frame[[c for c in keep if c in frame.columns]]


def _green_factories(ledger, year: int, per_enterprise: pd.DataFrame) -> pd.DataFrame:
    factories = ledger.green_factories
    factories = factories[factories["year_awarded"] <= year]
    total_tce = per_enterprise["tce"].sum()
    total_tco2 = (per_enterprise["scope1_tco2"] + per_enterprise["scope2_market_tco2"]).sum()
    rows = []
    for level in ("national", "provincial", "municipal", "all"):
        chosen = factories if level == "all" else factories[factories["level"] == level]
        firms = set(chosen["enterprise_id"])
        covered = per_enterprise[per_enterprise["enterprise_id"].isin(firms)]
        rows.append(
            {
                "level": level,
                "count": len(chosen) if level != "all" else len(firms),
                "new_in_year": int((chosen["year_awarded"] == year).sum())
                if level != "all"
                else int(chosen[chosen["year_awarded"] == year]["enterprise_id"].nunique()),
                "energy_share": covered["tce"].sum() / total_tce if total_tce else np.nan,
                "emissions_share": (covered["scope1_tco2"] + covered["scope2_market_tco2"]).sum() / total_tco2
                if total_tco2
                else np.nan,
                "enterprises": ", ".join(sorted(firms)),
            }
        )
    return pd.DataFrame(rows)


def _at_least(
    indicator: str, threshold: Factor, value: float, gap: float, gap_unit: str, note: str
) -> dict[str, object]:
    """An indicator row for a share that must reach at least its threshold [%]."""
    return {
        "indicator": indicator,
        "type": "guidance",
        "value": value,
        "unit": "%",
        "threshold": threshold.value,
        "comparison": ">=",
        "status": _status(value, threshold.value, "higher"),
        "gap": gap,
        "gap_unit": gap_unit,
        "threshold_id": threshold.id,
        "note": note,
    }


def _status(value: float, threshold: float, better: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "missing_data"
    ok = value <= threshold if better == "lower" else value >= threshold
    return "achieved" if ok else "gap"


def _indicators(
    resolver: _Resolver,
    park_row: pd.Series,
    detail: pd.DataFrame,
    uncovered_mwh: float,
    green_mwh: float,
    waste: pd.DataFrame,
    ledger,
    year: int,
    headline: str,
) -> pd.DataFrame:
    factors = resolver.factors
    rows = []
    tce = float(park_row["tce"])
    value_location = float(park_row["total_location_tco2"]) / tce if tce else np.nan
    value_market = float(park_row["total_market_tco2"]) / tce if tce else np.nan
    value = value_market if headline == "market" else value_location
    core = factors.threshold("carbon_per_energy", tce)
    resolver.use(core)
    note = ""
    if tce < 200_000:
        note = f"park energy {tce:,.0f} tce is below the 200,000 tce of the lowest band; reported against 0.2"
    emitted = float(park_row["total_tco2"])
    gap_tco2 = max(0.0, emitted - core.value * tce)
    residual = factors.electricity(resolver.province, year, "market")
    gap_mwh = gap_tco2 / residual.value if gap_tco2 else 0.0
    if gap_mwh > uncovered_mwh + 1e-6:
        note = (
            note + "; " if note else ""
        ) + f"green power alone cannot close the gap: only {uncovered_mwh:,.0f} MWh of grid power is left to cover"
    rows.append(
        {
            "indicator": "carbon_per_energy",
            "type": "core",
            "value": value,
            "unit": "tCO2/tce",
            "value_location": value_location,
            "value_market": value_market,
            "method": headline,
            "threshold": core.value,
            "comparison": "<=",
            "status": _status(value, core.value, "lower"),
            "gap": gap_tco2,
            "gap_unit": "tCO2",
            "gap_green_mwh": gap_mwh,
            "threshold_id": core.id,
            "note": note,
        }
    )

    # clean energy share (%): natural gas (default) + non-fossil + grid electricity covered by green instruments
    mwh_tce = resolver.tce_per_unit("", "electricity", "MWh", resolver.electricity_tce)[0]
    clean_tce = float(detail.loc[detail["clean"], "tce"].sum()) + green_mwh * mwh_tce
    share = clean_tce / tce * 100 if tce else np.nan
    threshold = factors.threshold("clean_energy_share")
    resolver.use(threshold)
    gap_tce = max(0.0, threshold.value / 100 * tce - clean_tce)
    rows.append(
        {
            "indicator": "clean_energy_share",
            "type": "guidance",
            "value": share,
            "unit": "%",
            "threshold": threshold.value,
            "comparison": ">=",
            "status": _status(share, threshold.value, "higher"),
            "gap": gap_tce,
            "gap_unit": "tce",
            "gap_green_mwh": gap_tce / mwh_tce if gap_tce else 0.0,
            "threshold_id": threshold.id,
            "note": f"clean = {resolver.clean_energy.replace('+', ' + ')}, and grid electricity covered by green-power instruments",
        }
    )

    park_waste = waste[waste["level"] == "park"]
    threshold = factors.threshold("solid_waste_utilization")
    resolver.use(threshold)
    if park_waste.empty or not float(park_waste["generated"].iloc[0] + park_waste["prior_stock_utilized"].iloc[0]):
        rate, gap = np.nan, np.nan
    else:
        w = park_waste.iloc[0]
        rate = float(w["utilization_rate"]) * 100
        gap = max(0.0, threshold.value / 100 * (w["generated"] + w["prior_stock_utilized"]) - w["utilized"])
    rows.append(
        _at_least(
            "solid_waste_utilization",
            threshold,
            rate,
            gap,
            "t",
            "NBS formula: utilised / (generated + prior stock utilised)",
        )
    )

    resources = ledger.resources
    resources = resources[resources["year"] == year]
    for indicator, part, whole, unit in (
        ("waste_heat_utilization", "waste_heat_utilized", "waste_heat_recoverable", "GJ"),
        ("water_reuse", "water_reused", "water_total", "t"),
    ):
        threshold = factors.threshold(indicator)
        resolver.use(threshold)
        both = resources[[part, whole]].dropna()
        total = float(both[whole].sum())
        rate = float(both[part].sum()) / total * 100 if total else np.nan
        gap = max(0.0, threshold.value / 100 * total - float(both[part].sum())) if total else np.nan
        rows.append(_at_least(indicator, threshold, rate, gap, unit, f"{len(both)} enterprise(s) reporting"))

    threshold = factors.threshold("product_energy_level")
    resolver.use(threshold)
    levels = resources["product_energy_level"].dropna()
    applicable = levels[levels != "not_applicable"]
    if levels.empty:
        status, value, gap = "missing_data", np.nan, np.nan
    elif applicable.empty:
        status, value, gap = "not_applicable", np.nan, 0.0
    else:
        met = applicable.isin(["level_1", "level_2"])
        value = float(met.mean()) * 100
        gap = float((~met).sum())
        status = "achieved" if met.all() else "gap"
    rows.append(
        {
            "indicator": "product_energy_level",
            "type": "guidance",
            "value": value,
            "unit": "% of enterprises at level 2 or better",
            "threshold": threshold.value,
            "comparison": "level <=",
            "status": status,
            "gap": gap,
            "gap_unit": "enterprises",
            "threshold_id": threshold.id,
            "note": "against the national energy-consumption limit standards (国家能耗限额标准)",
        }
    )
    return pd.DataFrame(rows)


def _targets(ledger, year: int, actual: Mapping[str, float]) -> pd.DataFrame:
    targets = ledger.targets.copy()
    if targets.empty:
        return targets
    lower_is_better = {"carbon_per_energy", "total_emissions", "energy_consumption"}
    rows = []
    for row in targets.itertuples(index=False):
        value = actual.get(row.indicator, np.nan)
        unit_value = value
        if row.year > year:
            status = "in_progress"
        elif row.year < year:
            status = "not_evaluated"
        elif np.isnan(unit_value):
            status = "missing_data"
        else:
            ok = unit_value <= row.value if row.indicator in lower_is_better else unit_value >= row.value
            status = "achieved" if ok else "not_achieved"
        rows.append(
            {
                "indicator": row.indicator,
                "year": row.year,
                "target": row.value,
                "unit": row.unit or INDICATOR_UNITS[row.indicator],
                "actual_year": year,
                "actual": unit_value,
                "progress": unit_value / row.value if row.value else np.nan,
                "status": status,
                "input_row": row.source_row,
            }
        )
    return pd.DataFrame(rows)


# -- driver ----------------------------------------------------------------------------------------------


def _core(
    ledger, year: int, methods: Methods, factors: FactorSet
) -> tuple[_Resolver, pd.DataFrame, pd.DataFrame, pd.DataFrame, float]:
    """The resolver, detail, emissions, per-enterprise totals and the grid power green instruments leave
    uncovered [MWh] of one year."""
    resolver = _Resolver(factors, ledger.custom_factors, year, ledger.park["province"], methods["electricity_tce"])
    resolver.clean_energy = methods["clean_energy"]
    facts = _energy_detail(ledger, year, resolver, methods["clean_energy"])
    detail = facts.detail
    emissions, uncovered_mwh = _emissions(facts, ledger, year, resolver, methods["non_co2"], methods["gwp"])
    if resolver.problems:
        raise AccountError(resolver.problems)
    headline = methods.headline
    per_enterprise = _per_enterprise(emissions, detail, ledger, year, headline)
    return resolver, detail, emissions, per_enterprise, uncovered_mwh


def compute_account(
    ledger,
    year: int | None = None,
    *,
    methods: Methods | Mapping[str, object] | None = None,
    **choices,
) -> AnnualAccount:
    """Compute the account of ``year`` (default: the park's reporting year). See :class:`AnnualAccount`.

    ``methods`` (a :class:`~carbon.account.Methods`) and keyword ``choices`` (``scope2=``, ``gwp=``,
    ``factor_set=``, ``electricity_tce=``, ``non_co2=``, ``clean_energy=``) set the method choices; the
    keywords win. ``factor_set`` may also be a :class:`~carbon.FactorSet` object."""
    year = int(ledger.park["reporting_year"] if year is None else year)
    given_set = choices.get("factor_set")
    methods = Methods.of(methods, **choices)
    factors = given_set if isinstance(given_set, FactorSet) else resolve_factor_set(methods.factor_set)
    factors.gwp("CH4", methods.gwp)  # validates the edition
    energy_years = sorted(int(y) for y in ledger._tables["energy"]["year"].dropna().unique())
    if year not in energy_years:
        raise FactorNotFoundError(
            f"台账中没有 {year} 年的能源数据；已有年份：{energy_years}",
            f"the ledger has no energy data for {year}; years with data: {energy_years}",
            key="year",
            available=energy_years,
        )
    scope2 = methods.scope2
    headline = methods.headline
    resolver, detail, emissions, per_enterprise, uncovered_mwh = _core(ledger, year, methods, factors)
    notes: list[str] = []
    intensities = _levels(per_enterprise, headline)
    baseline_year = int(ledger.park["baseline_year"])
    baseline = None
    if baseline_year != year and baseline_year in energy_years:
        base_enterprises = _core(ledger, baseline_year, methods, factors)[3]
        baseline = _levels(base_enterprises, headline)
    elif baseline_year != year:
        notes.append(f"no energy data for the baseline year {baseline_year}: no change against baseline")
    intensities = _with_baseline(intensities, baseline)
    park_row = intensities[intensities["level"] == "park"].iloc[0]

    reductions = pd.concat(
        [_project_reductions(ledger, year, resolver), _boiler_reductions(ledger, year, resolver, notes)],
        ignore_index=True,
    )
    waste = _waste(ledger, year)
    green_factories = _green_factories(ledger, year, per_enterprise)
    green_mwh = float(_green_mwh(ledger, year).sum())
    indicators = _indicators(resolver, park_row, detail, uncovered_mwh, green_mwh, waste, ledger, year, headline)
    indicator_values = dict(zip(indicators["indicator"], indicators["value"], strict=True))

    projects = reductions[reductions["kind"] == "project"] if len(reductions) else pd.DataFrame(columns=["kind"])
    boilers = reductions[reductions["kind"] == "boiler"] if len(reductions) else pd.DataFrame(columns=["kind"])
    completed_in_year = (
        int(
            (
                (projects.get("status") == "completed")
                & (pd.to_datetime(projects.get("completion_date")).dt.year == year)
            ).sum()
        )
        if len(projects)
        else 0
    )
    retrofitted = boilers[pd.to_datetime(boilers["retrofit_date"]).dt.year == year] if len(boilers) else boilers
    gf = green_factories.set_index("level")
    actual = {
        **indicator_values,
        "completed_retrofits": completed_in_year,
        "new_green_factories": int(gf.at["all", "new_in_year"]),
        "total_emissions": float(park_row["total_tco2"]),
        "energy_consumption": float(park_row["tce"]),
    }
    targets = _targets(ledger, year, actual)
    for factor in resolver.used.values():
        if isinstance(factor, Factor) and factor.fallback:
            notes.append(f"{factor.id}: data year {factor.data_year} used for {factor.requested_year}")
    if detail["tce_equal_value"].isna().any():
        notes.append(
            "electricity 等价值 is not published for this data year: the equal-value tce of electricity is left blank"
        )

    summary = {
        "year": year,
        "scope1_tco2": float(park_row["scope1_tco2"]),
        "scope2_location_tco2": float(park_row["scope2_location_tco2"]),
        "scope2_market_tco2": float(park_row["scope2_market_tco2"]),
        "total_location_tco2": float(park_row["total_location_tco2"]),
        "total_market_tco2": float(park_row["total_market_tco2"]),
        "total_tco2": float(park_row["total_tco2"]),
        "energy_tce": float(park_row["tce"]),
        "energy_tce_equivalent": float(park_row["tce_equivalent"]),
        "energy_tce_equal_value": float(park_row["tce_equal_value"])
        if pd.notna(park_row["tce_equal_value"])
        else np.nan,
        "carbon_per_energy_tco2_per_tce": float(indicator_values["carbon_per_energy"]),
        "clean_energy_share": float(indicator_values["clean_energy_share"]) / 100,
        "solid_waste_utilization_rate": float(indicator_values["solid_waste_utilization"]) / 100,
        "waste_heat_utilization_rate": float(indicator_values["waste_heat_utilization"]) / 100,
        "water_reuse_rate": float(indicator_values["water_reuse"]) / 100,
        "green_factories_national": int(gf.at["national", "count"]),
        "green_factories_provincial": int(gf.at["provincial", "count"]),
        "green_factories_new": int(gf.at["all", "new_in_year"]),
        "boiler_retrofits": len(retrofitted),
        "boiler_capacity_t_per_h": float(retrofitted["capacity"].sum()) if len(retrofitted) else 0.0,
        "boilers_total": len(boilers),
        "projects_completed": completed_in_year,
        "reduction_tco2": float(reductions["reduction_in_year_tco2"].sum(min_count=1)) if len(reductions) else 0.0,
        "green_power_mwh": green_mwh,
        "intensity_tco2_per_10k_yuan_output": float(park_row["tco2_per_10k_yuan_output"]),
        "intensity_tco2_per_10k_yuan_added_value": float(park_row["tco2_per_10k_yuan_added_value"]),
        "baseline_year": baseline_year,
        "change_total_pct": float(park_row["change_total_pct"]),
        "change_tco2_per_tce_pct": float(park_row["change_tco2_per_tce_pct"]),
        **{f"method_{k}": v for k, v in methods.items()},
    }
    energy = _energy_by_carrier(detail)
    if baseline is not None:
        base_park = baseline[baseline["level"] == "park"].iloc[0]
        summary["baseline_total_tco2"] = float(base_park["total_tco2"])
        summary["baseline_carbon_per_energy_tco2_per_tce"] = float(base_park["tco2_per_tce"])
    else:
        summary["baseline_total_tco2"] = np.nan
        summary["baseline_carbon_per_energy_tco2_per_tce"] = np.nan
    tables = {
        "emissions": emissions
        if scope2 == "both"
        else _rows(emissions, emissions["scope2_method"].isna().to_numpy() | _is(emissions["scope2_method"], scope2)),
        "detail": detail,
        "energy": energy,
        "intensities": intensities,
        "reductions": reductions,
        "solid_waste": waste,
        "green_factories": green_factories,
        "indicators": indicators,
        "targets": targets,
        "factors": _factor_table(resolver),
        "green_power": _green_power_table(ledger, year),
    }
    tables = {name: _blanks_to_none(frame) for name, frame in tables.items()}
    source = MappingProxyType({"path": ledger.source, "sha256": ledger.sha256})
    return AnnualAccount(
        year,
        MappingProxyType(dict(ledger.park)),
        methods,
        MappingProxyType(summary),
        tuple(dict.fromkeys(notes)),
        MappingProxyType(tables),
        source,
    )


_CANONICAL = {"mass": "t", "volume": "万Nm3"}


def _rows(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The rows of a per-fact table where ``mask`` holds, categories trimmed to the values that remain."""
    rows = np.flatnonzero(mask)
    columns = {c: frame[c].array for c in frame.columns}
    return pd.DataFrame(
        {c: _codes.subset(v, rows) if isinstance(v, pd.Categorical) else v.take(rows) for c, v in columns.items()},
        copy=False,
    )


def _blanks_to_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty text becomes missing (NaN), so that a table reads back from Excel as it was written; only columns
    that hold an empty string are touched."""
    out = frame.copy(deep=False)  # copy-on-write: the columns replaced below are new, the rest shared
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            empty = values.eq("")
            if empty.any():
                out[column] = values.mask(empty)
            elif values.dtype == object and values.isna().any():
                out[column] = values.where(values.notna(), np.nan)
    return out


def _green_power_table(ledger, year: int) -> pd.DataFrame:
    green = ledger.green_power
    green = green[green["year"] == year].copy()
    units = green["unit"].dropna().unique()
    factors = {u: (1.0 if u in CERTIFICATE_UNITS else conversion_factor(u, "MWh")) for u in units}
    green["mwh"] = green["quantity"] * green["unit"].map(factors).astype(float)
    green = _with_enterprises(green, ledger.enterprises)
    green["input_sheet"] = _SHEET["green_power"]
    columns = [
        "enterprise_id",
        "name",
        "sub_park",
        "year",
        "month",
        "instrument",
        "quantity",
        "unit",
        "mwh",
        "certificate_id",
        "source",
        "input_sheet",
        "source_row",
    ]
    return green[columns].rename(columns={"source_row": "input_row"}).reset_index(drop=True)


def _energy_by_carrier(detail: pd.DataFrame) -> pd.DataFrame:
    """tce and quantity (in the carrier's canonical unit) per enterprise, carrier and use.

    Grouped on the codes of the categorical columns (sorted categories, so the rows come out in the order of
    the text), one pint call per distinct (carrier, unit) pair."""
    info = carriers().set_index("id")
    carrier, unit, use, firm = (detail[c].array for c in ("carrier", "unit", "use", "enterprise_id"))
    n_carrier, n_unit, n_use = len(carrier.categories), len(unit.categories), max(len(use.categories), 1)
    target = np.array(
        [
            "MWh"
            if c == "electricity"
            else "GJ"
            if info.at[c, "unit_kind"] == "energy"
            else _CANONICAL[info.at[c, "unit_kind"]]
            for c in carrier.categories
        ],
        dtype=object,
    )
    factor = np.full(n_carrier * n_unit, np.nan)
    pair = carrier.codes.astype(np.intp) * n_unit + unit.codes
    for code in _codes.dense(pair, n_carrier * n_unit)[1].tolist():
        c, u = divmod(code, n_unit)
        try:
            factor[code] = conversion_factor(unit.categories[u], target[c])
        except CarbonError:  # a fuel given as energy: not expressible in its physical unit
            pass
    canonical = detail["quantity"].to_numpy() * factor[pair]
    key = (firm.codes.astype(np.intp) * n_carrier + carrier.codes) * n_use + use.codes
    group, keys = _codes.dense(key, len(firm.categories) * n_carrier * n_use)
    firm_code, rest = np.divmod(keys, n_carrier * n_use)
    carrier_code, use_code = np.divmod(rest, n_use)
    totals = _Totals(group, len(keys))
    return pd.DataFrame(
        {
            "enterprise_id": pd.array(np.asarray(firm.categories, dtype=object)[firm_code], dtype="str"),
            "carrier": pd.array(np.asarray(carrier.categories, dtype=object)[carrier_code], dtype="str"),
            "use": pd.array(np.asarray(use.categories, dtype=object)[use_code], dtype="str"),
            "unit": pd.array(target[carrier_code], dtype="str"),
            "quantity": totals.sum(canonical, "min_count"),
            "tce_equivalent": totals.sum(detail["tce_equivalent"]),
            "tce_equal_value": totals.sum(detail["tce_equal_value"], "strict"),
            "rows": totals.rows.astype(np.int64),
        }
    )
