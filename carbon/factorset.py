"""The factor library: every emission factor and conversion coefficient carbon uses, with its source.

The data live in the top-level ``factors/`` folder of the project (installed as the data package
``carbon.factors``), one CSV file per source and edition. Each file opens with ``# key: value`` lines naming
the document, its number, the table and the year, then one row per value with its id, keys (parameter,
carrier, region, data year), value, unit, source, confidence and a note. ``factors/README.md`` describes the
format.

:func:`load_factors` returns a :class:`FactorSet`: the whole library with exactly one set of fuel defaults
(GB/T 32151 set A unless another is named). Lookups return a :class:`Factor` that carries its value, unit and
id, and records when another data year stood in for the one requested: the latest earlier one, or, for a year
before the first publication of a series, the earliest later one of the same series (``factors/README.md``,
"Years before the first publication").
"""

from __future__ import annotations

import copy
import functools
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from carbon.errors import (
    CarbonError,
    FactorFallbackWarning,
    FactorNotFoundError,
    IncompatibleUnitError,
    InputValueError,
    UnknownNameError,
)
from carbon.factorfiles import Kind, _load_library, factor_files, library
from carbon.names import products, resolve_carrier, resolve_product, resolve_region
from carbon.units import parse_unit

__all__ = [
    "DEFAULT_FUEL_SET",
    "Coefficient",
    "Factor",
    "FactorSet",
    "FuelParameters",
    "Kind",
    "factor_files",
    "given_factor",
    "library",
    "load_factors",
]

#: Coals without a rank (not IPCC fuel types) and the ranked coals of IPCC 2006 Table 2.3 (see FactorSet.non_co2).
_UNRANKED_COALS = ("raw_coal", "washed_coal")
_RANKED_COALS = ("anthracite", "bituminous_coal", "sub_bituminous_coal", "lignite")

#: The fuel-default set used when none is named: GB/T 32151 表C.1 ("set A").
DEFAULT_FUEL_SET = "gbt32151"

_ELECTRICITY_OPTIONS = {
    "equivalent": "equivalent",
    "当量值": "equivalent",
    "equal-value": "equal-value",
    "equal_value": "equal-value",
    "等价值": "equal-value",
}


@dataclass(frozen=True)
class Factor:
    """One factor from the library, as used in a calculation.

    ``value`` is in ``unit``. ``requested_year`` is the data year asked for (None where the factor has no
    year); ``fallback`` is True when another published year stood in for it: the latest earlier one, or, for a
    year before the first published one, the earliest later one (``before_first``).
    """

    id: str
    value: float
    unit: str
    parameter: str
    carrier: str | None
    region: str | None
    data_year: int | None
    source: str
    confidence: str
    note: str
    document: str
    number: str
    file: str
    requested_year: int | None = None

    @property
    def fallback(self) -> bool:
        """True when the factor's data year is not the year requested (an earlier or a later one stood in)."""
        return self.requested_year is not None and self.data_year is not None and self.data_year != self.requested_year

    @property
    def before_first(self) -> bool:
        """True when a later data year stands in for a year before the first published one of its series."""
        return self.fallback and self.data_year > self.requested_year  # type: ignore[operator]

    @property
    def fallback_text(self) -> str:
        """The stand-in in words, ``中文 / English`` (empty when the data year is the one requested):
        ``数据年份 2021 代替 2020（早于首个发布年份） / data year 2021 used for 2020 (before the first published
        year)``, or for a later year ``... (latest published at or before it)``."""
        if not self.fallback:
            return ""
        if self.before_first:
            zh, en = "早于首个发布年份", "before the first published year"
        else:
            zh, en = "沿用此前最近的发布年份", "latest published at or before it"
        years_zh = f"数据年份 {self.data_year} 代替 {self.requested_year}"
        return f"{years_zh}（{zh}） / data year {self.data_year} used for {self.requested_year} ({en})"

    def describe(self) -> str:
        """One line: id, value and unit, source, and the fallback if any."""
        text = f"{self.id} = {self.value:g} {self.unit} ({self.source}; {self.confidence})"
        if self.fallback:
            text += "; " + self.fallback_text.partition(" / ")[2]
        return text


def given_factor(
    value: float,
    unit: str,
    parameter: str,
    *,
    carrier: str | None = None,
    id: str = "",
    source: str = "given by the caller",
    note: str = "",
) -> Factor:
    """A factor that does not come from the library: an enterprise's measured NCV, carbon content or oxidation
    rate, or a supplier's electricity factor. ``confidence`` is ``measured``; ``unit`` must parse."""
    _check_given_unit(unit or "", parameter)
    return Factor(
        id=id or f"given.{parameter}" + (f".{carrier}" if carrier else ""),
        value=float(value),
        unit=unit,
        parameter=parameter,
        carrier=carrier,
        region=None,
        data_year=None,
        source=source,
        confidence="measured",
        note=note,
        document="enterprise measurement (自定义因子)",
        number="",
        file="",
    )


def warn_fallback(factor: Factor) -> None:
    """Warn :class:`~carbon.FactorFallbackWarning` when another data year stood in for the one requested (the
    latest earlier one, or a later one for a year before the first publication)."""
    if factor.fallback:
        warnings.warn(f"{factor.id}: {factor.fallback_text}", FactorFallbackWarning, stacklevel=3)


#: What a measured parameter must convert to (its unit is checked when it is given).
_GIVEN_UNITS = {
    "carbon_content": "tC/GJ",
    "oxidation_rate": "",
    "electricity_co2": "tCO2/MWh",
    "process_co2": "tCO2/t",
}


def _check_given_unit(unit: str, parameter: str) -> None:
    parsed = parse_unit(unit)  # raises UnknownUnitError for a unit text carbon cannot read
    if parameter == "ncv":
        energy = parse_unit("GJ").dimensionality
        if not any((parsed * parse_unit(per)).dimensionality == energy for per in ("t", "m3")):
            raise IncompatibleUnitError(
                unit, "每单位质量或体积的热量（GJ/t、GJ/万Nm3）", "heat per mass or volume (GJ/t, GJ/万Nm3)"
            )
    elif parameter in _GIVEN_UNITS:
        target = _GIVEN_UNITS[parameter]
        if parsed.dimensionality != parse_unit(target or "%").dimensionality:
            raise IncompatibleUnitError(
                unit, f"可换算为 {target or '%'} 的单位", f"a unit convertible to {target or '%'}"
            )


def as_given(value: Factor | tuple[float, str] | None, parameter: str) -> Factor | None:
    """A Factor from a Factor, a ``(value, unit)`` pair (``(20.9, "GJ/t")``) or None (then None)."""
    if value is None or isinstance(value, Factor):
        return value
    if not (isinstance(value, tuple | list) and len(value) == 2 and isinstance(value[1], str)):
        raise InputValueError(
            f'{parameter} 应为 (数值, 单位)，如 (20.9, "GJ/t")；收到 {value!r}',
            f'{parameter} must be a (value, unit) pair such as (20.9, "GJ/t"); got {value!r}',
            argument=parameter,
        )
    number, unit = value
    return given_factor(float(number), unit, parameter)


@dataclass(frozen=True)
class Coefficient:
    """A per-unit coefficient of the function layer (tce or tCO2 per unit of activity) and what it came from.

    ``value`` is in ``unit`` (``"tce/t"``, ``"tCO2/万Nm3"``); ``factors`` are the library or given factors it
    was built from, in the order of the equation; ``method`` says which route was taken."""

    value: float
    unit: str
    factors: tuple[Factor, ...] = ()
    method: str = ""

    @property
    def factor_ids(self) -> str:
        """The ids of the factors used, joined by ``|``."""
        return "|".join(f.id for f in self.factors)

    @property
    def measured(self) -> bool:
        """True when an enterprise-measured (given) factor took part."""
        return any(f.confidence == "measured" for f in self.factors)


class FuelParameters(NamedTuple):
    """The three defaults of one fuel in one set: net calorific value, carbon content, oxidation rate."""

    ncv: Factor
    carbon_content: Factor
    oxidation_rate: Factor


def _factor_from_row(row: pd.Series, requested_year: int | None = None) -> Factor:
    values = {}
    for f in fields(Factor):
        if f.name == "requested_year":
            continue
        item = row[f.name]
        values[f.name] = None if pd.isna(item) else item
    values["value"] = float(values["value"])
    values["data_year"] = None if values["data_year"] is None else int(values["data_year"])
    return Factor(**values, requested_year=requested_year)


def _check_year(year: object) -> int:
    if isinstance(year, (int, np.integer)) and not isinstance(year, (bool, np.bool_)):
        return int(year)
    raise FactorNotFoundError(
        f"数据年份须为整数，收到 {year!r}", f"the data year must be an integer, got {year!r}", key="year"
    )


def _remembered(method):
    """A lookup of a :class:`FactorSet`, remembered per set and arguments (each argument with its type, so that
    2023 and 2023.0, or True and 1, stay apart): a set never changes, its lookups filter the factor table with
    pandas (1-3 ms each), and the account and the checks ask the same ones again and again (a factor per
    boiler, per project). What is returned is immutable (:class:`Factor`, tuples of them). A lookup that fails
    with carbon's own error (a fuel without defaults in the set) fails again from memory: the same error,
    raised anew, without the search that builds its message."""
    name = method.__name__

    @functools.wraps(method)
    def lookup(self, *args, **kwargs):
        key = (name, *((type(a), a) for a in args), *((k, type(v), v) for k, v in sorted(kwargs.items())))
        try:
            found = self._remembered[key]
        except KeyError:
            pass
        except TypeError:  # an argument that cannot be a key: looked up each time
            return method(self, *args, **kwargs)
        else:
            if isinstance(found, CarbonError):
                raise copy.copy(found)  # a fresh error each time: the one remembered never gains a traceback
            return found
        try:
            found = method(self, *args, **kwargs)
        except CarbonError as error:
            # a copy (carbon's errors pickle, tested): the error raised gains the frames it passes through, whose
            # locals (an account's arrays) the set would otherwise keep alive
            remembered = copy.copy(error)
            remembered.__traceback__ = remembered.__context__ = remembered.__cause__ = None
            self._remembered[key] = remembered
            raise
        self._remembered[key] = found
        return found

    return lookup


class FactorSet:
    """The factor library with one chosen set of fuel defaults.

    Obtain it with :func:`load_factors`. It is immutable: :attr:`table` returns a copy.

    Attributes
    ----------
    name : str
        The fuel-default set in use (``'gbt32151'``, ``'cn_set_b'`` or ``'ipcc2006'``).
    """

    def __init__(self, name: str, table: pd.DataFrame, sources: pd.DataFrame) -> None:
        self._name = name
        self._table = table
        self._sources = sources
        self._thresholds: pd.DataFrame | None = None  # the set never changes: filtered once
        self._remembered: dict[tuple, object] = {}  # lookups by their arguments (:func:`_remembered`)

    @property
    def name(self) -> str:
        return self._name

    @property
    def table(self) -> pd.DataFrame:
        """The factors in this set (all electricity, heat, standard-coal and GWP factors, and the fuel
        defaults of this set only), as a new DataFrame."""
        return self._table.copy()

    @property
    def sources(self) -> pd.DataFrame:
        """One row per factor file in this set, with its header: document, number, table, year, kind, ..."""
        return self._sources.copy()

    def __repr__(self) -> str:
        return f"FactorSet(name={self._name!r}, factors={len(self._table)}, files={len(self._sources)})"

    def __len__(self) -> int:
        return len(self._table)

    def __iter__(self) -> Iterator[Factor]:
        for _, row in self._table.iterrows():
            yield _factor_from_row(row)

    # -- lookups ---------------------------------------------------------------------------------------
    @_remembered
    def get(self, factor_id: str) -> Factor:
        """The factor with this id."""
        match = self._table[self._table["id"] == factor_id]
        if match.empty:
            raise UnknownNameError(
                "factor",
                factor_id,
                sorted(self._table["id"]),
                f"factor set {self._name}",
                "所有因子编号见 carbon factors",
                "every factor id is listed by: carbon factors",
            )
        return _factor_from_row(match.iloc[0])

    def _for_year(self, rows: pd.DataFrame, year: object, what_zh: str, what_en: str) -> Factor:
        """The factor of ``rows``, one series of data years of one publisher and method, for data year ``year``:
        that year where published, else the latest earlier one, else (a year before the first publication) the
        earliest later one of the same series, its note saying so. A stand-in is recorded on the Factor
        (``requested_year``, ``fallback``, ``before_first``); a series without data years is an error."""
        year = _check_year(year)
        years = rows["data_year"].dropna().astype(int)
        if years.empty:
            raise FactorNotFoundError(
                f"{what_zh}没有按数据年份发布的值",
                f"no {what_en} is published by data year",
                key=what_en,
                available=[],
            )
        earlier = years[years <= year]
        if not earlier.empty:
            return _factor_from_row(rows.loc[earlier.idxmax()], requested_year=year)
        first = _factor_from_row(rows.loc[years.idxmin()], requested_year=year)
        rule = (
            f"used for data year {year}, before the first published data year {first.data_year}: the nearest "
            "later year of this series stands in, not an earlier publication of another method (factors/README.md, "
            "'Years before the first publication')"
        )
        return replace(first, note=f"{first.note}; {rule}" if first.note else rule)

    @_remembered
    def electricity(self, region: str, year: int, method: str = "location") -> Factor:
        """The grid electricity CO2 factor for a region and data year.

        Parameters
        ----------
        region : str
            A province (``'青海'``, ``'Qinghai'``), a grid region (``'西北'``) or ``'national'``.
        year : int
            The data year. Where it is not published, the latest earlier year is used; for a year before the
            first published one (2021 for the MEE/NBS series), the earliest published year of the same series.
            Either is recorded (``Factor.fallback``, ``Factor.requested_year``; ``Factor.before_first`` for the
            second). Earlier factors of other publishers and methods (NDRC regional averages, MEE's ETS national
            factors) are in the library but never stand in: a park's trend keeps one method across its years.
        method : {'location', 'market'}
            ``'location'``: the average factor of ``region``; ``'market'``: the national factor excluding
            market-traded non-fossil power (for grid power not covered by green-power instruments; the
            region is validated but does not change the factor).

        Returns
        -------
        Factor
            In tCO2/MWh.
        """
        region_id = resolve_region(region)
        if method == "location":
            rows = self._table[(self._table["parameter"] == "co2_average") & (self._table["region"] == region_id)]
            what = (f"{region}的电力平均排放因子", f"average electricity factor for {region_id}")
        elif method == "market":
            rows = self._table[(self._table["parameter"] == "co2_residual") & (self._table["region"] == "national")]
            what = ("全国电力平均排放因子（不包括市场化交易的非化石能源电量）", "national residual electricity factor")
        else:
            raise UnknownNameError("method", method, ["location", "market"], context="scope-2 method")
        if rows.empty:  # a known region with no published factor (西藏, 香港, 澳门, 台湾)
            raise FactorNotFoundError(
                f"生态环境部、国家统计局未发布{region}的电力排放因子；请明确选用区域电网或全国因子",
                f"no electricity factor is published for {region_id}; name a grid region or 'national' explicitly",
                key=region_id,
            )
        return self._for_year(rows, year, *what)

    @_remembered
    def park_method(self, parameter: str) -> Factor:
        """A constant the zero-carbon-park accounting method states itself (发改环资〔2025〕910号 附件4):
        ``co2_grid`` (0.8325 kgCO2/kWh), ``co2_green``, ``co2_heat_fossil`` (0.11 tCO2/GJ),
        ``co2_heat_non_fossil``, ``oxidation_rate_conversion`` (100 %), ``direct_supply_share`` (50 %)."""
        rows = self._table[(self._table["kind"] == "park_method") & (self._table["parameter"] == parameter)]
        if rows.empty:
            valid = sorted(self._table.loc[self._table["kind"] == "park_method", "parameter"])
            raise UnknownNameError("factor", parameter, valid, context="910号 附件4")
        return _factor_from_row(rows.iloc[0])

    @_remembered
    def process(self, product: str) -> Factor:
        """The default industrial-process CO2 factor of a product [tCO2/t of product], for the term
        E_process = Σ output_i × EF_i of 发改环资〔2025〕910号 附件4.

        The defaults are the IPCC 2006 Vol. 3 Tier 1 values (``factors/ipcc_2006_v3_process.csv``). They do not
        depend on the fuel set: every set holds the same ones.

        Parameters
        ----------
        product : str
            Any spelling of a product of ``carbon/data/products.csv`` (``'工业硅'``, ``'电石'``, ``'FeSi75'``).

        Returns
        -------
        Factor
            In tCO2/t.

        Raises
        ------
        UnknownNameError
            The product is not known (``kind`` ``"product"``; the message lists the products).
        FactorNotFoundError
            A known product without a default (synthetic ammonia, methanol, crude steel, clinker other than
            Portland, ferronickel, an alloy of unstated grade, other products): the enterprise must give its own
            factor with evidence, or a mass balance (:func:`carbon.emissions.mass_balance_co2`).
        """
        product_id = resolve_product(product)
        table = self._table[self._table["kind"] == "process_co2"]
        rows = table[table["carrier"] == product_id]
        if rows.empty:
            have = sorted(table["carrier"].unique())
            names = products().set_index("id")
            name_zh = names.at[product_id, "name_zh"] if product_id in names.index else product_id
            grades = [p for p in have if p.startswith(product_id + "_")]
            grade_zh = f"若知牌号，请选用具体牌号：{grades}；" if grades else ""
            grade_en = f"if the grade is known, name it: {grades}; " if grades else ""
            raise FactorNotFoundError(
                f"「{name_zh}」（{product_id}）的工业过程排放因子没有缺省值：910号附件4未给出缺省值，本库也未收录；"
                f"{grade_zh}请由企业提供自有排放因子及其依据（检测报告、物料平衡计算），或按质量平衡法核算"
                f"（carbon.emissions.mass_balance_co2）。有缺省值的产品：{have}",
                f"no default process-CO2 factor for {product_id!r}: 发改环资〔2025〕910号 附件4 gives no default and "
                f"the library holds none; {grade_en}the enterprise must give its own factor with evidence (test "
                "report, material-balance calculation) or account by mass balance (carbon.emissions.mass_balance_co2). "
                f"Products with a default: {have}",
                key=product_id,
                available=have,
            )
        return _factor_from_row(rows.iloc[0])

    @_remembered
    def heat(self) -> Factor:
        """The default CO2 factor of purchased heat [tCO2/GJ]."""
        rows = self._table[(self._table["kind"] == "heat_co2") & (self._table["parameter"] == "co2_default")]
        return _factor_from_row(rows.iloc[0])

    @_remembered
    def standard_coal(self, carrier: str, *, electricity: str = "equivalent", year: int | None = None) -> Factor:
        """The GB/T 2589-2020 standard-coal coefficient of a carrier.

        Parameters
        ----------
        carrier : str
            Any spelling of a carrier (``'原煤'``, ``'raw_coal'``).
        electricity : {'equivalent', 'equal-value'}
            For electricity only: 当量值 (calorific equivalent, default) or 等价值 (primary-energy
            equivalent, the year's national thermal supply coal consumption; needs ``year``).
        year : int, optional
            The data year, required for electricity 等价值. A year without a published value takes the latest
            earlier one, a year before the first published one the earliest (both recorded on the Factor).
        """
        carrier_id = resolve_carrier(carrier)
        option = _ELECTRICITY_OPTIONS.get(electricity)
        if option is None:
            raise UnknownNameError("method", electricity, ["equivalent", "equal-value"], context="electricity tce")
        if carrier_id == "electricity" and option == "equal-value":
            rows = self._table[self._table["parameter"] == "tce_equal_value"]
            if year is None:
                raise FactorNotFoundError(
                    "电力等价值按年度取值，请给出数据年份 year",
                    "electricity 等价值 (equal-value) depends on the data year; pass year=",
                    key="tce_equal_value",
                    available=sorted(int(y) for y in rows["data_year"].dropna()),
                )
            return self._for_year(rows, year, "电力等价值折标系数", "electricity equal-value coefficient")
        rows = self._table[(self._table["parameter"] == "tce_equivalent") & (self._table["carrier"] == carrier_id)]
        if rows.empty:
            have = sorted(self._table.loc[self._table["parameter"] == "tce_equivalent", "carrier"])
            raise FactorNotFoundError(
                f"GB/T 2589-2020 没有「{carrier}」的折标准煤系数；请以热量单位（GJ）给出，"
                f"或提供实测低位发热量。有系数的品种：{have}",
                f"GB/T 2589-2020 lists no standard-coal coefficient for {carrier_id!r}; give the quantity in an "
                f"energy unit (GJ) or a measured calorific value. Carriers with a coefficient: {have}",
                key=carrier_id,
                available=have,
            )
        return _factor_from_row(rows.iloc[0])

    def fuels(self) -> list[str]:
        """The fuels that have defaults in this set."""
        rows = self._table[self._table["kind"] == "fuel"]
        return sorted(rows["carrier"].unique())

    @_remembered
    def fuel(self, fuel: str) -> FuelParameters:
        """Net calorific value, carbon content and oxidation rate of a fuel, from this set only."""
        fuel_id = resolve_carrier(fuel)
        rows = self._table[(self._table["kind"] == "fuel") & (self._table["carrier"] == fuel_id)]
        if rows.empty:
            table = _load_library()[0]
            elsewhere = sorted(table.loc[(table["kind"] == "fuel") & (table["carrier"] == fuel_id), "set"].unique())
            if elsewhere:
                hint = (
                    f"该燃料仅见于因子集 {elsewhere}；因子集不混用",
                    f"it has defaults only in set(s) {elsewhere}; sets are never mixed",
                )
            else:
                hint = (
                    (
                        "无缺省值：请注明煤种（无烟煤、烟煤、褐煤）或提供实测低位发热量和含碳量",
                        "no set has defaults for it: name the coal type (anthracite, bituminous, lignite) "
                        "or supply a measured NCV and carbon content",
                    )
                    if fuel_id == "raw_coal"
                    else ("无缺省值", "no set has defaults for it")
                )
            raise UnknownNameError("fuel", fuel, self.fuels(), f"factor set {self._name}", *hint)
        by_parameter = {row["parameter"]: row for _, row in rows.iterrows()}
        return FuelParameters(
            _factor_from_row(by_parameter["ncv"]),
            _factor_from_row(by_parameter["carbon_content"]),
            _factor_from_row(by_parameter["oxidation_rate"]),
        )

    def thresholds(self) -> pd.DataFrame:
        """The zero-carbon-park indicator thresholds (发改环资〔2025〕910号 附件3), one row per threshold."""
        return self._threshold_rows().copy()

    def _threshold_rows(self) -> pd.DataFrame:
        """The thresholds' rows, filtered once (the set never changes); not to be changed by the caller."""
        if self._thresholds is None:
            self._thresholds = self._table[self._table["kind"] == "indicator_threshold"].reset_index(drop=True)
        return self._thresholds

    @_remembered
    def threshold(self, indicator: str, condition: float | None = None) -> Factor:
        """The threshold of one indicator; ``condition`` (the park's annual tce) picks the band where there are
        several. ``condition_min`` is inclusive and ``condition_max`` exclusive. Below the lowest band the
        lowest band's threshold is returned (the caller notes that the park is below it)."""
        every = self._threshold_rows()
        rows = every[every["parameter"] == indicator]
        if rows.empty:
            raise UnknownNameError("indicator", indicator, sorted(every["parameter"].unique()))
        if len(rows) > 1 and condition is not None:
            low = rows["condition_min"].fillna(-np.inf)
            high = rows["condition_max"].fillna(np.inf)
            inside = rows[(low <= condition) & (condition < high)]
            rows = inside if not inside.empty else rows.sort_values("condition_min").head(1)
        return _factor_from_row(rows.iloc[0])

    @_remembered
    def boiler_efficiency(self, carrier: str, capacity_t_per_h: float) -> Factor:
        """The GB 24500-2020 limit efficiency (grade 3) for a boiler burning ``carrier`` of the given capacity,
        used as the documented default when the efficiency is not given. Every coal uses the coal row; diesel
        uses the oil row. ``condition_min`` is exclusive and ``condition_max`` inclusive (<= 20 t/h)."""
        carrier_id = resolve_carrier(carrier)
        family = {
            "raw_coal": "bituminous_coal",
            "washed_coal": "bituminous_coal",
            "anthracite": "bituminous_coal",
            "lignite": "bituminous_coal",
            "sub_bituminous_coal": "bituminous_coal",
            "diesel": "fuel_oil",
            "crude_oil": "fuel_oil",
            "lng": "natural_gas",
        }.get(carrier_id, carrier_id)
        rows = self._table[(self._table["kind"] == "boiler_efficiency") & (self._table["carrier"] == family)]
        if rows.empty:
            valid = sorted(self._table.loc[self._table["kind"] == "boiler_efficiency", "carrier"].unique())
            raise UnknownNameError("carrier", carrier, valid, context="GB 24500-2020 boiler efficiency")
        low = rows["condition_min"].fillna(-np.inf)
        high = rows["condition_max"].fillna(np.inf)
        inside = rows[(low < capacity_t_per_h) & (capacity_t_per_h <= high)]
        return _factor_from_row((inside if not inside.empty else rows).iloc[0])

    @_remembered
    def non_co2(self, fuel: str) -> tuple[Factor, Factor]:
        """IPCC 2006 Table 2.3 CH4 and N2O factors of a fuel [kg/TJ].

        原煤 (raw coal) and 洗精煤 (washed coal) are not IPCC fuel types. Table 2.3 gives one CH4 factor
        (10 kg/TJ) and one N2O factor (1.5 kg/TJ) to every coal type it lists (anthracite, other bituminous,
        sub-bituminous, lignite), so these two take that common value whatever their rank: the factor of
        the first coal row is returned with a note saying so. Should the coal rows ever differ, they are
        refused like any fuel without a row."""
        fuel_id = resolve_carrier(fuel)
        table = self._table[self._table["kind"] == "fuel_non_co2"]
        rows = table[table["carrier"] == fuel_id]
        if rows.empty and fuel_id in _UNRANKED_COALS:
            coals = table[table["carrier"].isin(_RANKED_COALS)]
            common = coals.groupby("parameter")["value"].nunique()
            if len(coals) and (common == 1).all():
                rows = coals.drop_duplicates("parameter")
                note = (
                    f"used for {fuel_id}: IPCC 2006 Table 2.3 gives this value to every coal type "
                    f"({', '.join(_RANKED_COALS)}), so the rank of the coal does not change it"
                )
                # an id of its own (the library row's id, then the fuel), so the note travels with it
                rows = rows.assign(note=rows["note"] + "; " + note, id=rows["id"] + "@" + fuel_id, carrier=fuel_id)
        if rows.empty:
            valid = sorted(table["carrier"].unique())
            raise UnknownNameError("fuel", fuel, valid, context="IPCC 2006 CH4/N2O")
        by_parameter = {row["parameter"]: row for _, row in rows.iterrows()}
        return _factor_from_row(by_parameter["ch4_ef"]), _factor_from_row(by_parameter["n2o_ef"])

    @_remembered
    def gwp(self, gas: str, edition: str = "AR6") -> Factor:
        """The 100-year global warming potential of a gas (``'CH4'``, ``'N2O'``) in an IPCC edition."""
        rows = self._table[(self._table["kind"] == "gwp")]
        editions = sorted(rows["set"].unique())
        if edition not in editions:
            raise UnknownNameError("GWP edition", edition, editions)
        rows = rows[rows["set"] == edition]
        match = rows[rows["carrier"] == gas]
        if match.empty:
            raise UnknownNameError("gas", gas, sorted(rows["carrier"]), context=f"IPCC {edition}")
        return _factor_from_row(match.iloc[0])


def fuel_sets() -> list[str]:
    """Names of the fuel-default sets in the library."""
    table = _load_library()[0]
    return sorted(table.loc[table["kind"] == "fuel", "set"].unique())


@functools.cache
def _factor_set(name: str) -> FactorSet:
    table, headers = _load_library()
    keep = (table["kind"] != "fuel") | (table["set"] == name)
    files = set(table.loc[keep, "file"])
    return FactorSet(
        name, table[keep].reset_index(drop=True), headers[headers["file"].isin(files)].reset_index(drop=True)
    )


def load_factors(name: str | None = None) -> FactorSet:
    """Load the factor library with one set of fuel defaults.

    Parameters
    ----------
    name : str, optional
        The fuel-default set: ``'gbt32151'`` (GB/T 32151 表C.1, set A, the default), ``'cn_set_b'`` (the
        widely copied alternative table, every value unconfirmed) or ``'ipcc2006'`` (IPCC 2006 Vol. 2
        Ch. 1). Sets are never mixed: a fuel missing from the chosen set is an error, not a fallback.

    Returns
    -------
    FactorSet

    Raises
    ------
    UnknownNameError
        ``name`` is not a fuel set; the message lists the valid ones.
    """
    chosen = DEFAULT_FUEL_SET if name is None else name
    if not isinstance(chosen, str) or chosen not in fuel_sets():
        raise UnknownNameError("factor set", name, fuel_sets())
    return _factor_set(chosen)


def resolve_factor_set(factor_set: FactorSet | str | None) -> FactorSet:
    """A FactorSet from a FactorSet, a set name or None (the default set)."""
    if isinstance(factor_set, FactorSet):
        return factor_set
    return load_factors(factor_set)
