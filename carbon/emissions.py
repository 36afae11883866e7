"""CO2 emissions from fuel combustion (Scope 1), purchased electricity and purchased heat (Scope 2), and
industrial processes (发改环资〔2025〕910号 附件4: output × factor, or a carbon mass balance)."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd

from carbon._arrays import ArrayLike, as_float_array, broadcast, like_input, per_group, scale, template_of
from carbon.energy import heat_content_factor
from carbon.errors import IncompatibleUnitError, InputValueError, UnknownNameError
from carbon.factorset import Coefficient, Factor, FactorSet, as_given, resolve_factor_set, warn_fallback
from carbon.names import resolve_carrier, resolve_product
from carbon.units import (
    conversion_factor,
    conversion_factors,
    normalize_unit_text,
    parse_unit,
    ureg,
)

__all__ = [
    "CO2_PER_C",
    "electricity_co2",
    "electricity_co2_factor",
    "fuel_co2",
    "fuel_co2_factor",
    "fuel_non_co2",
    "fuel_non_co2_factor",
    "heat_co2",
    "heat_co2_factor",
    "mass_balance_co2",
    "process_co2",
    "process_co2_factor",
]

#: Mass of CO2 per mass of carbon, 44/12, as written in the formula of GB/T 32151 and the NDRC accounting
#: guidelines (E = AD x NCV x CC x OF x 44/12).
CO2_PER_C = 44.0 / 12.0

_ENERGY = ureg.parse_units("GJ").dimensionality
_PROCESS_FACTOR = ureg.parse_units("tCO2/t").dimensionality
_CARBON = ureg.parse_units("tC").dimensionality
_OUTPUT_NAME = "emissions_tco2"


def _defaults_or_missing(factors: FactorSet, fuel: str, given: dict[str, Factor | None]) -> dict[str, Factor]:
    """The set's defaults of a fuel; where the set has none but some parameters were measured, an error naming
    the parameters still missing (an enterprise that measures 原煤 must give all three)."""
    try:
        return factors.fuel(fuel)._asdict()
    except UnknownNameError:
        if not any(v is not None for v in given.values()):
            raise  # names the sets that have the fuel, or what to give
        missing = [k for k, v in given.items() if v is None]
        names_zh = {"ncv": "低位发热量", "carbon_content": "单位热值含碳量", "oxidation_rate": "碳氧化率"}
        raise InputValueError(
            f"因子集 {factors.name} 没有「{fuel}」的缺省值：请同时给出实测的" + "、".join(names_zh[k] for k in missing),
            f"set {factors.name} has no defaults for {fuel!r}: give the measured {', '.join(missing)} as well",
            argument=missing[0],
        ) from None


@functools.lru_cache(maxsize=4096)
def fuel_co2_factor(
    unit: str,
    fuel: str,
    *,
    factor_set: FactorSet | str | None = None,
    ncv: Factor | None = None,
    carbon_content: Factor | None = None,
    oxidation_rate: Factor | None = None,
) -> Coefficient:
    """Tonnes of CO2 per unit of fuel burned: the coefficient :func:`fuel_co2` multiplies by.

    Parameters
    ----------
    unit : str
        The unit of the activity: mass or volume fitting the NCV, or an energy.
    fuel : str
        Any spelling of the fuel. Biomass is biogenic: 0, with no factor.
    factor_set : FactorSet or str, optional
        The fuel-default set (default ``'gbt32151'``).
    ncv, carbon_content, oxidation_rate : Factor, optional
        Measured values that replace the set's defaults [GJ/unit, tC/GJ or tC/TJ, fraction or %]
        (see :func:`carbon.factorset.given_factor`). A parameter not given comes from the set.

    Returns
    -------
    Coefficient
        ``value`` [tCO2/unit] and the factors used (NCV, carbon content, oxidation rate; no NCV for energy).

    Notes
    -----
    .. math:: EF = NCV \\times CC \\times OF \\times 44/12
    """
    factors = resolve_factor_set(factor_set)
    fuel_id = resolve_carrier(fuel)
    if fuel_id == "biomass":
        return Coefficient(0.0, f"tCO2/{unit}", (), "biogenic: CO2 of biomass is not counted")
    given = {"ncv": ncv, "carbon_content": carbon_content, "oxidation_rate": oxidation_rate}
    needs_ncv = parse_unit(unit).dimensionality != _ENERGY
    if any(v is None for k, v in given.items() if k != "ncv" or needs_ncv):
        defaults = _defaults_or_missing(factors, fuel, given)
        given = {k: v if v is not None else defaults[k] for k, v in given.items()}
    used = []
    heat = heat_content_factor(unit, fuel_id, ncv=given["ncv"], factor_set=factors)
    gigajoules = heat.value
    used.extend(heat.factors)
    cc, of = given["carbon_content"], given["oxidation_rate"]
    tonnes_c_per_gj = float(ureg.Quantity(cc.value, cc.unit).m_as("tC/GJ"))
    oxidation_fraction = float(ureg.Quantity(of.value, of.unit).m_as(""))
    value = gigajoules * tonnes_c_per_gj * oxidation_fraction * CO2_PER_C
    method = "measured" if any(f.confidence == "measured" for f in (*used, cc, of)) else f"defaults ({factors.name})"
    return Coefficient(value, f"tCO2/{unit}", (*used, cc, of), method)


@functools.lru_cache(maxsize=4096)
def fuel_non_co2_factor(
    unit: str,
    fuel: str,
    gas: str,
    *,
    gwp: str = "AR6",
    factor_set: FactorSet | str | None = None,
    ncv: Factor | None = None,
) -> Coefficient:
    """Tonnes of CO2e of CH4 or N2O per unit of fuel burned (IPCC 2006 Vol. 2 Ch. 2 Table 2.3 x GWP100).

    The fuel's heat comes from ``ncv`` or the set's default NCV (an energy unit needs none). Biomass is 0 here:
    its CH4 and N2O are not in the library.

    Notes
    -----
    .. math:: EF_{CO2e} = NCV \\times EF_{gas} [kg/TJ] \\times 10^{-6} \\times GWP_{gas}
    """
    factors = resolve_factor_set(factor_set)
    fuel_id = resolve_carrier(fuel)
    if fuel_id == "biomass":
        return Coefficient(0.0, f"tCO2e/{unit}", (), "biomass: no CH4/N2O factor in the library")
    potential = factors.gwp(gas, gwp)
    ch4, n2o = factors.non_co2(fuel)
    emission = {"CH4": ch4, "N2O": n2o}[gas]
    heat = heat_content_factor(unit, fuel, ncv=ncv, factor_set=factors)
    gigajoules, used = heat.value, list(heat.factors)
    tonnes_per_gj = float(ureg.Quantity(emission.value, emission.unit).m_as("t/GJ"))
    value = gigajoules * tonnes_per_gj * potential.value
    return Coefficient(value, f"tCO2e/{unit}", (*used, emission, potential), f"IPCC 2006 Table 2.3 x {gwp}")


@functools.lru_cache(maxsize=4096)
def electricity_co2_factor(
    unit: str,
    *,
    region: str,
    year: int,
    method: str = "location",
    factor: Factor | None = None,
    factor_set: FactorSet | str | None = None,
) -> Coefficient:
    """Tonnes of CO2 per unit of grid electricity not covered by green instruments (see :func:`electricity_co2`).

    ``factor`` replaces the library's factor (a supplier-specific rate, market-based only) [tCO2/MWh]."""
    factors = resolve_factor_set(factor_set)
    if method not in ("location", "market"):
        raise UnknownNameError("method", method, ["location", "market"], context="scope-2 method")
    if factor is not None and method != "market":
        raise InputValueError(
            "供电商排放因子只用于市场法",
            "a supplier's factor applies to the market-based method only",
            argument="factor",
        )
    chosen = factor if factor is not None else factors.electricity(region, year, method)
    tco2_per_mwh = float(ureg.Quantity(chosen.value, chosen.unit).m_as("tCO2/MWh"))
    return Coefficient(conversion_factor(unit, "MWh") * tco2_per_mwh, f"tCO2/{unit}", (chosen,), method)


@functools.lru_cache(maxsize=4096)
def heat_co2_factor(unit: str, *, factor_set: FactorSet | str | None = None) -> Coefficient:
    """Tonnes of CO2 per unit of purchased heat at the default factor (see :func:`heat_co2`)."""
    factor = resolve_factor_set(factor_set).heat()
    tco2_per_gj = float(ureg.Quantity(factor.value, factor.unit).m_as("tCO2/GJ"))
    try:
        to_gj = conversion_factor(unit, "GJ")
    except IncompatibleUnitError as exc:
        raise IncompatibleUnitError(
            exc.unit,
            "能量（GJ、吉焦、MJ）",
            "an energy (GJ, 吉焦, MJ)",
            "蒸汽吨数须按焓值折算为热量",
            "steam tonnes must be converted to heat with their enthalpy",
        ) from exc
    return Coefficient(to_gj * tco2_per_gj, f"tCO2/{unit}", (factor,), "default heat factor")


def fuel_co2(
    value: ArrayLike,
    unit: str | ArrayLike,
    fuel: str | ArrayLike,
    *,
    factor_set: FactorSet | str | None = None,
    ncv: Factor | tuple[float, str] | None = None,
    carbon_content: Factor | tuple[float, str] | None = None,
    oxidation_rate: Factor | tuple[float, str] | None = None,
) -> ArrayLike:
    """CO2 from burning a fossil fuel, with default parameters of one factor set or measured ones.

    Parameters
    ----------
    value : float, numpy.ndarray or pandas.Series
        Activity data: the quantity of fuel burned. [unit]
    unit : str or array-like of str
        Its unit: mass or volume matching the set's net calorific value (t, 万Nm3, Nm3 ...), or an energy
        (GJ, TJ) when the heat content is known. One for all values or one per value.
    fuel : str or array-like of str
        The fuel (``'天然气'``, ``'diesel'``, ``'无烟煤'``...), one for all or one per value.
    factor_set : FactorSet or str, optional
        The set of fuel defaults: ``'gbt32151'`` (default), ``'cn_set_b'`` or ``'ipcc2006'``. A fuel not in
        the set is an error; sets are never mixed.
    ncv, carbon_content, oxidation_rate : Factor or (value, unit), optional
        Measured parameters that replace the set's defaults, e.g. ``ncv=(20.9, "GJ/t")``,
        ``carbon_content=(26.4, "tC/TJ")``, ``oxidation_rate=(94, "%")``; with all three, a fuel no set
        lists (原煤) can be counted. Biomass gives 0 (biogenic CO2 is not counted).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same kind as ``value``. [tCO2]

    Raises
    ------
    UnknownNameError
        The fuel is unknown or has no defaults in the set (lists the fuels the set has).
    UnknownUnitError, IncompatibleUnitError
        The unit is unknown or does not fit the set's NCV (e.g. IPCC natural gas given in Nm3).

    Notes
    -----
    .. math:: E = AD \\times NCV \\times CC \\times OF \\times 44/12

    with AD the activity data, NCV the net calorific value [GJ/unit], CC the carbon content per heat
    [tC/GJ] and OF the oxidation rate. When AD is already an energy, :math:`AD \\times NCV` is AD itself.

    References
    ----------
    .. [1] GB/T 32151.10-2023 and GB/T 32151.22-2024, 表C.1 常用化石燃料相关参数缺省值.
    .. [2] 2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 2, Ch. 1, Tables 1.2-1.4.

    Examples
    --------
    >>> round(fuel_co2(100, "万Nm3", "天然气"), 2)
    2162.19
    """
    factors = resolve_factor_set(factor_set)
    given = {
        "ncv": as_given(ncv, "ncv"),
        "carbon_content": as_given(carbon_content, "carbon_content"),
        "oxidation_rate": as_given(oxidation_rate, "oxidation_rate"),
    }
    per_unit = per_group(
        lambda unit, fuel: fuel_co2_factor(normalize_unit_text(unit), fuel, factor_set=factors, **given).value,
        unit=unit,
        fuel=fuel,
    )
    return scale(value, per_unit, name=_OUTPUT_NAME, factor_argument="unit/fuel")


def fuel_non_co2(
    value: ArrayLike,
    unit: str | ArrayLike,
    fuel: str | ArrayLike,
    *,
    gas: str,
    gwp: str = "AR6",
    factor_set: FactorSet | str | None = None,
    ncv: Factor | tuple[float, str] | None = None,
) -> ArrayLike:
    """CH4 or N2O from burning a fuel, in CO2 equivalent, with IPCC 2006 defaults.

    Parameters
    ----------
    value : float, numpy.ndarray or pandas.Series
        Fuel burned. [unit]
    unit, fuel : str or array-like of str
        As for :func:`fuel_co2`.
    gas : {'CH4', 'N2O'}
        The gas.
    gwp : {'AR4', 'AR5', 'AR6'}, default 'AR6'
        The GWP100 edition.
    factor_set : FactorSet or str, optional
        The set whose default NCV gives the fuel's heat.
    ncv : Factor or (value, unit), optional
        A measured NCV.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same kind as ``value``. [tCO2e]

    Notes
    -----
    .. math:: E = AD \\times NCV \\times EF_{gas} \\times 10^{-6} \\times GWP_{gas}

    Raw coal and washed coal, which Table 2.3 does not list, take the factor the table gives identically to
    every coal type (see :meth:`carbon.FactorSet.non_co2`).

    References
    ----------
    .. [1] 2006 IPCC Guidelines, Vol. 2, Ch. 2, Table 2.3 (manufacturing industries and construction).
    .. [2] IPCC AR4 / AR5 / AR6 WGI, GWP100.
    """
    factors = resolve_factor_set(factor_set)
    given = as_given(ncv, "ncv")
    per_unit = per_group(
        lambda unit, fuel: (
            fuel_non_co2_factor(normalize_unit_text(unit), fuel, gas, gwp=gwp, factor_set=factors, ncv=given).value
        ),
        unit=unit,
        fuel=fuel,
    )
    return scale(value, per_unit, name="emissions_tco2e", factor_argument="unit/fuel")


def electricity_co2(
    value: ArrayLike,
    unit: str | ArrayLike,
    *,
    region: str,
    year: int,
    method: str = "location",
    green: ArrayLike = 0.0,
    factor: Factor | tuple[float, str] | None = None,
    factor_set: FactorSet | str | None = None,
) -> ArrayLike:
    """CO2 from purchased grid electricity (Scope 2), location- or market-based.

    Parameters
    ----------
    value : float, numpy.ndarray or pandas.Series
        Electricity consumed from the grid. [unit]
    unit : str or array-like of str
        Its unit (kWh, 万kWh, MWh, 度 ...), one for all or one per value.
    region : str
        Province (``'青海'``), grid region (``'西北'``) or ``'national'`` whose average factor applies
        (location-based). Validated for the market-based method too, where it does not change the factor.
    year : int
        Data year of the factor; where it is not published, the latest earlier year is used and a
        :class:`~carbon.errors.FactorFallbackWarning` is issued.
    method : {'location', 'market'}, default 'location'
        ``'location'``: all consumption at the region's average factor. ``'market'``: ``green`` at zero and
        the rest at the national factor excluding market-traded non-fossil power.
    green : float, numpy.ndarray or pandas.Series, default 0
        Electricity covered by green-power instruments (green-power trades, certificates, direct lines),
        same unit as ``value``. Used by the market-based method only; must lie between 0 and ``value``.
    factor_set : FactorSet or str, optional
        The factor library to use (default: :func:`~carbon.load_factors`).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same kind as ``value`` (or ``green`` if only that is a Series). [tCO2]

    Raises
    ------
    InputValueError
        ``green`` is negative or exceeds ``value``.
    UnknownNameError
        Unknown region or method.
    FactorNotFoundError
        No factor published at or before ``year``.

    Notes
    -----
    Location-based: :math:`E = AD_{MWh} \\times EF_{region,year}`.
    Market-based: :math:`E = (AD_{MWh} - G_{MWh}) \\times EF_{residual,year}`.

    References
    ----------
    .. [1] 生态环境部 国家统计局 公告2024年第12号, 2024年第33号, 2025年第47号: 电力二氧化碳排放因子
       (data years 2021, 2022, 2023), 附件1 表1-表5.
    .. [2] GHG Protocol Scope 2 Guidance (2015): location- and market-based methods.

    Examples
    --------
    >>> round(electricity_co2(10000, "MWh", region="青海", year=2023), 1)
    1796.0
    >>> round(electricity_co2(10000, "MWh", region="青海", year=2023, method="market", green=4000), 1)
    3657.6
    """
    factors = resolve_factor_set(factor_set)
    if method not in ("location", "market"):
        raise UnknownNameError("method", method, ["location", "market"], context="scope-2 method")
    factors.electricity(region, year, "location")  # the region is validated for either method
    per_mwh = electricity_co2_factor(
        "MWh", region=region, year=year, method=method, factor=as_given(factor, "electricity_co2"), factor_set=factors
    )
    warn_fallback(per_mwh.factors[0])
    tco2_per_mwh = per_mwh.value
    to_mwh = conversion_factors(unit, "MWh")
    consumed = as_float_array(value, "value")
    if method == "location":
        return scale(value, np.asarray(to_mwh) * tco2_per_mwh, name=_OUTPUT_NAME, factor_argument="unit")
    covered = as_float_array(green, "green")
    consumed, covered, to_mwh = broadcast(consumed, covered, np.asarray(to_mwh), names=["value", "green", "unit"])
    negative = np.flatnonzero(covered < 0)
    if negative.size:
        raise InputValueError(
            f"绿电量不能为负（位置 {negative[:10].tolist()}）",
            f"green-power quantity must not be negative (positions {negative[:10].tolist()})",
            argument="green",
            positions=negative.tolist(),
        )
    excess = np.flatnonzero(covered > consumed)
    if excess.size:
        first = int(excess[0])
        raise InputValueError(
            f"绿电量大于用电量（位置 {excess[:10].tolist()}，如 {covered.flat[first]:g} > {consumed.flat[first]:g}）",
            f"green-power quantity exceeds consumption (positions {excess[:10].tolist()}, e.g. "
            f"{covered.flat[first]:g} > {consumed.flat[first]:g})",
            argument="green",
            positions=excess.tolist(),
        )
    residual_mwh = (consumed - covered) * to_mwh
    return like_input(template_of(value, green), residual_mwh * tco2_per_mwh, name=_OUTPUT_NAME)


def heat_co2(value: ArrayLike, unit: str | ArrayLike, *, factor_set: FactorSet | str | None = None) -> ArrayLike:
    """CO2 from purchased heat (steam, hot water) at the default factor (Scope 2).

    Parameters
    ----------
    value : float, numpy.ndarray or pandas.Series
        Heat purchased. [unit]
    unit : str or array-like of str
        An energy unit (GJ, 吉焦, MJ, 万GJ). Steam in tonnes must first be turned into heat with its
        enthalpy: carbon does not guess pressure and temperature.
    factor_set : FactorSet or str, optional
        The factor library to use (default: :func:`~carbon.load_factors`).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same kind as ``value``. [tCO2]

    Notes
    -----
    .. math:: E = Q_{GJ} \\times 0.11\\ tCO_2/GJ

    References
    ----------
    .. [1] 生态环境部 企业温室气体排放核算补充数据表 (2019, 2023): "若数据不可得，采用0.11tCO2/GJ";
       the same default in the NDRC accounting guidelines (2013-2015) and GB/T 32150-2025 §7.5.6-7.5.7.

    Examples
    --------
    >>> round(heat_co2(1000, "GJ"), 6)
    110.0
    """
    factors = resolve_factor_set(factor_set)
    per_unit = per_group(lambda unit: heat_co2_factor(normalize_unit_text(unit), factor_set=factors).value, unit=unit)
    return scale(value, per_unit, name=_OUTPUT_NAME, factor_argument="unit")


def _tonnes_per_unit(unit: str, what_zh: str, what_en: str) -> float:
    """Tonnes per ``unit`` of a mass (t, 吨, 万吨, kg), with a bilingual error for any other dimension."""
    try:
        return conversion_factor(unit, "t")
    except IncompatibleUnitError as exc:
        raise IncompatibleUnitError(
            exc.unit, "质量（t、吨、万吨、kg）", "a mass (t, 吨, 万吨, kg)", what_zh, what_en
        ) from exc


def _own_process_factor(factor: Factor | tuple[float, str], product_id: str) -> Factor:
    """An enterprise's own process factor, checked: tCO2 per mass of product, finite and not negative."""
    given = as_given(factor, "process_co2")  # a (value, unit) pair: the unit is checked against tCO2/t here
    if parse_unit(given.unit).dimensionality != _PROCESS_FACTOR:  # a Factor from elsewhere (tCO2/MWh ...)
        raise IncompatibleUnitError(
            given.unit,
            "每单位产品质量的二氧化碳（tCO2/t、kgCO2/t）",
            "CO2 per mass of product (tCO2/t, kgCO2/t)",
            f"因子 {given.id}",
            f"factor {given.id}",
        )
    if not np.isfinite(given.value) or given.value < 0:
        raise InputValueError(
            f"工业过程排放因子须为非负有限数值，收到 {given.value!r}",
            f"a process-CO2 factor must be a finite number >= 0; got {given.value!r}",
            argument="factor",
        )
    if given.carrier is None and given.confidence == "measured":
        given = dataclasses.replace(given, carrier=product_id, id=f"given.process_co2.{product_id}")
    return given


def process_co2_factor(
    unit: str,
    product: str,
    *,
    factor: Factor | tuple[float, str] | None = None,
    factor_set: FactorSet | str | None = None,
) -> Coefficient:
    """Tonnes of CO2 per unit of product output from an industrial process: the coefficient :func:`process_co2`
    multiplies by.

    Parameters
    ----------
    unit : str
        The unit of the output: a mass (``'t'``, ``'吨'``, ``'万吨'``, ``'kg'``).
    product : str
        Any spelling of a product of ``carbon/data/products.csv`` (``'工业硅'``, ``'电石'``, ``'FeSi75'``).
    factor : Factor or (value, unit), optional
        The enterprise's own factor, e.g. ``(4.2, "tCO2/t")``; it replaces the default and must be CO2 per mass
        of product (a factor in tCO2/MWh is refused). Without it the default of the factor set is used.
    factor_set : FactorSet or str, optional
        The factor library (process defaults are the same in every fuel set).

    Returns
    -------
    Coefficient
        ``value`` [tCO2/unit], the factor used, and ``method`` (``'own factor'`` or ``'default (IPCC 2006 Tier
        1)'``).

    Raises
    ------
    UnknownNameError
        Unknown product.
    FactorNotFoundError
        No ``factor`` given and the product has no default (ammonia, methanol, crude steel ...).
    IncompatibleUnitError
        ``unit`` is not a mass, or ``factor`` is not CO2 per mass.

    Notes
    -----
    .. math:: EF_{unit} = EF_i [tCO_2/t] \\times t/unit
    """
    product_id = resolve_product(product)
    if factor is not None:
        chosen = _own_process_factor(factor, product_id)
        method = "own factor" if chosen.confidence == "measured" else f"given factor ({chosen.id})"
    else:
        chosen = resolve_factor_set(factor_set).process(product_id)
        method = "default (IPCC 2006 Tier 1)"
    tco2_per_t = float(ureg.Quantity(chosen.value, chosen.unit).m_as("tCO2/t"))
    return Coefficient(
        tco2_per_t * _tonnes_per_unit(unit, "产品产量的单位", "the unit of a product's output"),
        f"tCO2/{unit}",
        (chosen,),
        method,
    )


def process_co2(
    output: ArrayLike,
    unit: str | ArrayLike,
    product: str | ArrayLike,
    *,
    factor: Factor | tuple[float, str] | None = None,
    factor_set: FactorSet | str | None = None,
) -> ArrayLike:
    """CO2 from an industrial process (clinker, lime, aluminium, ferroalloys, silicon metal, calcium carbide ...):
    the product's output times its emission factor.

    Parameters
    ----------
    output : float, numpy.ndarray or pandas.Series
        Output of the product in the year. [unit]
    unit : str or array-like of str
        Its unit, a mass (t, 吨, 万吨, kg), one for all values or one per value.
    product : str or array-like of str
        The product (``'工业硅'``, ``'calcium_carbide'``, ``'FeSi75'``), one for all or one per value.
    factor : Factor or (value, unit), optional
        The enterprise's own factor, e.g. ``(4.2, "tCO2/t")``, which replaces the default; it must be CO2 per mass
        of product. One factor for every value: with ``factor`` all values must be of one product.
    factor_set : FactorSet or str, optional
        The factor library (default: :func:`~carbon.load_factors`).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same kind as ``output``. [tCO2]

    Raises
    ------
    UnknownNameError
        Unknown product.
    FactorNotFoundError
        A product without a default and no ``factor``: 附件4 gives none; the enterprise must give its own factor
        with evidence, or use :func:`mass_balance_co2`.
    IncompatibleUnitError
        ``unit`` is not a mass, or ``factor`` is not CO2 per mass of product.

    Notes
    -----
    .. math:: E_{process} = \\sum_i AD_i \\times EF_i

    with :math:`AD_i` the output of product *i* [t] and :math:`EF_i` its factor [tCO2/t]. The defaults are IPCC
    2006 Tier 1 values; those of ferroalloys, silicon metal and calcium carbide include the reductant's carbon, so
    the reductant (coal, coke, char) must be recorded as feedstock, not as fuel, or it is counted twice.

    References
    ----------
    .. [1] 发改环资〔2025〕910号 附件4《零碳园区碳排放核算方法（试行）》: 工业过程排放.
    .. [2] 2006 IPCC Guidelines, Vol. 3, Ch. 2 Eq. 2.4 and Table 2.4, Ch. 3 Table 3.8, Ch. 4 Tables 4.5 and 4.10.

    Examples
    --------
    >>> round(process_co2(1, "万吨", "工业硅"), 6)
    50000.0
    >>> round(process_co2(1000, "t", "电石", factor=(1.05, "tCO2/t")), 6)
    1050.0
    """
    factors = resolve_factor_set(factor_set)
    if factor is not None and not isinstance(product, str) and np.ndim(product) > 0:
        named = {resolve_product(p) for p in pd.unique(np.asarray(product, dtype=object)) if not pd.isna(p)}
        if len(named) > 1:
            raise InputValueError(
                f"自有排放因子只能用于一种产品，收到 {sorted(named)}；请按产品分别计算",
                f"an own factor applies to one product; got {sorted(named)}: compute each product separately",
                argument="factor",
            )
    per_unit = per_group(
        lambda unit, product: (
            process_co2_factor(normalize_unit_text(unit), product, factor=factor, factor_set=factors).value
        ),
        unit=unit,
        product=product,
    )
    return scale(output, per_unit, name=_OUTPUT_NAME, factor_argument="unit/product")


def mass_balance_co2(carbon_in: ArrayLike, carbon_out: ArrayLike, unit: str = "t") -> ArrayLike:
    """CO2 of a process by carbon mass balance: the carbon that enters and does not leave in products or wastes.

    Parameters
    ----------
    carbon_in : float, numpy.ndarray or pandas.Series
        Carbon in the process's inputs (raw materials, reductants, electrodes), as a mass of carbon. [unit]
    carbon_out : float, numpy.ndarray or pandas.Series
        Carbon leaving in products, by-products and wastes (not to the air), as a mass of carbon. [unit]
    unit : str, default 't'
        The unit of both, a mass read as mass of carbon (``'t'``, ``'吨'``, ``'kg'``) or a carbon unit
        (``'tC'``, ``'吨碳'``).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same kind as the inputs. [tCO2]

    Raises
    ------
    InputValueError
        A value is negative or missing (NaN), or ``carbon_out`` exceeds ``carbon_in``; names the positions.
    IncompatibleUnitError
        ``unit`` is not a mass.

    Notes
    -----
    .. math:: E = (C_{in} - C_{out}) \\times 44/12

    with :math:`C` in tonnes of carbon. The masses of carbon are the enterprise's: material quantities times
    measured carbon contents.

    References
    ----------
    .. [1] 发改环资〔2025〕910号 附件4《零碳园区碳排放核算方法（试行）》 三（三）2: 质量平衡法.

    Examples
    --------
    >>> round(mass_balance_co2(100, 40), 6)
    220.0
    """
    parsed = parse_unit(unit)
    if parsed.dimensionality == _CARBON:
        to_tc = conversion_factor(unit, "tC")
    else:
        to_tc = _tonnes_per_unit(unit, "碳质量的单位", "the unit of a mass of carbon")
    into = as_float_array(carbon_in, "carbon_in")
    out = as_float_array(carbon_out, "carbon_out")
    into, out = broadcast(into, out, names=["carbon_in", "carbon_out"])
    for name, values in (("carbon_in", into), ("carbon_out", out)):
        bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
        if bad.size:
            raise InputValueError(
                f"{name} 须为非负有限数值（位置 {bad[:10].tolist()}，如 {values.flat[int(bad[0])]:g}）",
                f"{name} must be a finite number >= 0 (positions {bad[:10].tolist()}, e.g. {values.flat[int(bad[0])]:g})",
                argument=name,
                positions=bad.tolist(),
            )
    excess = np.flatnonzero(out > into)
    if excess.size:
        first = int(excess[0])
        raise InputValueError(
            f"输出碳量大于输入碳量（位置 {excess[:10].tolist()}，如 {out.flat[first]:g} > {into.flat[first]:g}）："
            "质量平衡不成立，请核对含碳量与物料量",
            f"carbon out exceeds carbon in (positions {excess[:10].tolist()}, e.g. {out.flat[first]:g} > "
            f"{into.flat[first]:g}): the balance does not close; check the carbon contents and quantities",
            argument="carbon_out",
            positions=excess.tolist(),
        )
    return like_input(template_of(carbon_in, carbon_out), (into - out) * to_tc * CO2_PER_C, name=_OUTPUT_NAME)
