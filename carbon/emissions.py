"""CO2 emissions from fuel combustion (Scope 1), purchased electricity and purchased heat (Scope 2)."""

from __future__ import annotations

import functools
import warnings

import numpy as np

from carbon._arrays import ArrayLike, as_float_array, broadcast, like_input, per_group, scale, template_of
from carbon.errors import FactorFallbackWarning, IncompatibleUnitError, InputValueError, UnknownNameError
from carbon.factorset import Factor, FactorSet, resolve_factor_set
from carbon.units import (
    conversion_factor,
    conversion_factors,
    denominator_mismatch,
    normalize_unit_text,
    parse_unit,
    ureg,
)

__all__ = ["CO2_PER_C", "electricity_co2", "fuel_co2", "heat_co2"]

#: Mass of CO2 per mass of carbon, 44/12, as written in the formula of GB/T 32151 and the NDRC accounting
#: guidelines (E = AD x NCV x CC x OF x 44/12).
CO2_PER_C = 44.0 / 12.0

_ENERGY = ureg.parse_units("GJ").dimensionality
_OUTPUT_NAME = "emissions_tco2"


def _warn_fallback(factor: Factor) -> None:
    if factor.fallback:
        warnings.warn(
            f"{factor.id}: 数据年份 {factor.data_year} 代替 {factor.requested_year} / data year {factor.data_year} "
            f"used for {factor.requested_year} (latest published at or before it)",
            FactorFallbackWarning,
            stacklevel=3,
        )


@functools.lru_cache(maxsize=4096)
def _tco2_per_unit(unit: str, fuel: str, factor_set: FactorSet) -> float:
    ncv, carbon_content, oxidation = factor_set.fuel(fuel)
    fuel_id = ncv.carrier
    parsed = parse_unit(unit)
    heat = ureg.Quantity(1.0, parsed) * ureg.Quantity(ncv.value, ncv.unit)
    if heat.dimensionality == _ENERGY:
        gigajoules = float(heat.m_as("GJ"))
    elif parsed.dimensionality == _ENERGY:
        gigajoules = conversion_factor(unit, "GJ")
    else:
        raise denominator_mismatch(
            unit,
            ncv.id,
            ncv.unit,
            fuel_id,
            f"因子集 {factor_set.name} 的低位发热量 {ncv.id} 以 {ncv.unit} 计",
            f"NCV {ncv.id} of set {factor_set.name} is in {ncv.unit}",
        )
    tonnes_c_per_gj = float(ureg.Quantity(carbon_content.value, carbon_content.unit).m_as("tC/GJ"))
    oxidation_fraction = float(ureg.Quantity(oxidation.value, oxidation.unit).m_as(""))
    return gigajoules * tonnes_c_per_gj * oxidation_fraction * CO2_PER_C


def fuel_co2(
    value: ArrayLike,
    unit: str | ArrayLike,
    fuel: str | ArrayLike,
    *,
    factor_set: FactorSet | str | None = None,
) -> ArrayLike:
    """CO2 from burning a fossil fuel, with default parameters of one factor set.

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
    per_unit = per_group(
        lambda unit, fuel: _tco2_per_unit(normalize_unit_text(unit), fuel, factors), unit=unit, fuel=fuel
    )
    return scale(value, per_unit, name=_OUTPUT_NAME, factor_argument="unit/fuel")


def electricity_co2(
    value: ArrayLike,
    unit: str | ArrayLike,
    *,
    region: str,
    year: int,
    method: str = "location",
    green: ArrayLike = 0.0,
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
    factor = factors.electricity(region, year, method)
    _warn_fallback(factor)
    tco2_per_mwh = float(ureg.Quantity(factor.value, factor.unit).m_as("tCO2/MWh"))
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
    factor = resolve_factor_set(factor_set).heat()
    tco2_per_gj = float(ureg.Quantity(factor.value, factor.unit).m_as("tCO2/GJ"))
    try:
        to_gj = conversion_factors(unit, "GJ")
    except IncompatibleUnitError as exc:
        raise IncompatibleUnitError(
            exc.unit,
            "能量（GJ、吉焦、MJ）",
            "an energy (GJ, 吉焦, MJ)",
            "蒸汽吨数须按焓值折算为热量",
            "steam tonnes must be converted to heat with their enthalpy",
        ) from exc
    return scale(value, np.asarray(to_gj) * tco2_per_gj, name=_OUTPUT_NAME, factor_argument="unit")
