"""Energy in standard coal equivalent (tce), per GB/T 2589-2020 《综合能耗计算通则》."""

from __future__ import annotations

import functools

from carbon._arrays import ArrayLike, per_group, scale
from carbon.errors import UnknownNameError
from carbon.factorset import _ELECTRICITY_OPTIONS, load_factors
from carbon.names import resolve_carrier
from carbon.units import conversion_factor, denominator_mismatch, normalize_unit_text, parse_unit, ureg

__all__ = ["to_tce"]

_ENERGY = ureg.parse_units("GJ").dimensionality


@functools.lru_cache(maxsize=4096)
def _tce_per_unit(unit: str, carrier: str, option: str, year: int | None) -> float:
    carrier_id = resolve_carrier(carrier)
    # Steam given as heat (GJ) uses the heat coefficient; steam tonnes are refused below.
    coefficient_carrier = "heat" if carrier_id == "steam" else carrier_id
    parsed = parse_unit(unit)
    factors = load_factors()
    is_energy = parsed.dimensionality == _ENERGY
    if is_energy and coefficient_carrier not in ("electricity", "heat"):
        # A fuel given by its energy content: 当量值 is the calorific value itself (1 tce = 29.3076 GJ).
        return conversion_factor(unit, "tce")
    coefficient = factors.standard_coal(coefficient_carrier, electricity=option, year=year)
    product = ureg.Quantity(coefficient.value, coefficient.unit) * ureg.Quantity(1.0, parsed)
    if product.dimensionality != _ENERGY:
        if carrier_id in ("steam", "heat"):
            raise denominator_mismatch(
                unit,
                coefficient.id,
                coefficient.unit,
                carrier_id,
                "蒸汽请按焓值折算为热量（GJ）后填报",
                "give steam as heat (GJ), converted with its enthalpy",
            )
        raise denominator_mismatch(unit, coefficient.id, coefficient.unit, carrier_id)
    return float(product.m_as("tce"))


def to_tce(
    value: ArrayLike,
    unit: str | ArrayLike,
    carrier: str | ArrayLike,
    *,
    electricity: str = "equivalent",
    year: int | None = None,
) -> ArrayLike:
    """Energy in tonnes of standard coal equivalent (吨标准煤).

    Parameters
    ----------
    value : float, numpy.ndarray or pandas.Series
        Quantity of the carrier. [unit]
    unit : str or array-like of str
        Its unit: a mass (t, 吨, kg) or volume (m3, Nm3, 万Nm3) matching the carrier's coefficient, or an
        energy (kWh, GJ, tce). One for all values or one per value.
    carrier : str or array-like of str
        The energy carrier (``'原煤'``, ``'natural_gas'``, ``'电力'``...), one for all or one per value.
    electricity : {'equivalent', 'equal-value'}, default 'equivalent'
        Standard-coal method for electricity: 当量值 (calorific equivalent, 0.1229 kgce/kWh) or 等价值
        (primary-energy equivalent: the year's national average thermal supply coal consumption).
    year : int, optional
        Data year; required for ``electricity='equal-value'`` (the latest published year at or before it
        is used).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same kind as ``value``. [tce]

    Raises
    ------
    UnknownNameError
        Unknown carrier or electricity method.
    UnknownUnitError, IncompatibleUnitError
        Unknown unit, or a unit that does not fit the carrier (e.g. natural gas in t, steam in t).
    FactorNotFoundError
        No coefficient for the carrier (e.g. 无烟煤 in t; give GJ), or no 等价值 for the year.

    Notes
    -----
    For a carrier given in the unit of its coefficient c [kgce/unit]:

    .. math:: E_{tce} = AD \\times c / 1000

    For a fuel given as energy (GJ, MJ, kWh of fuel heat) the 当量值 is its calorific content,
    :math:`E_{tce} = Q_{GJ} / 29.3076`. Heat uses the published 0.03412 kgce/MJ; steam given as heat is
    heat. Each coefficient is looked up once per distinct (unit, carrier) pair.

    References
    ----------
    .. [1] GB/T 2589-2020 《综合能耗计算通则》, 附录A 各种能源折标准煤参考系数 (1 kgce = 29 307.6 kJ).

    Examples
    --------
    >>> round(to_tce(1000, "t", "原煤"), 1)
    714.3
    """
    option = _ELECTRICITY_OPTIONS.get(electricity)
    if option is None:
        raise UnknownNameError("method", electricity, ["equivalent", "equal-value"], context="electricity tce")
    factors = per_group(
        lambda unit, carrier: _tce_per_unit(normalize_unit_text(unit), carrier, option, year),
        unit=unit,
        carrier=carrier,
    )
    return scale(value, factors, name="tce", factor_argument="unit/carrier")
