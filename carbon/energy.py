"""Energy in standard coal equivalent (tce), per GB/T 2589-2020 《综合能耗计算通则》."""

from __future__ import annotations

import functools

from carbon._arrays import ArrayLike, per_group, scale
from carbon.errors import FactorNotFoundError, IncompatibleUnitError, UnknownNameError
from carbon.factorset import (
    _ELECTRICITY_OPTIONS,
    Coefficient,
    Factor,
    FactorSet,
    as_given,
    fuel_sets,
    resolve_factor_set,
    warn_fallback,
)
from carbon.names import carriers, resolve_carrier
from carbon.units import conversion_factor, denominator_mismatch, dimension_name, normalize_unit_text, parse_unit, ureg

__all__ = ["heat_content_factor", "tce_factor", "to_tce"]

_ENERGY = ureg.parse_units("GJ").dimensionality


def _other_sets(fuel_id: str, unit: str, factor_set: FactorSet) -> list[str]:
    """The other fuel sets whose NCV of ``fuel_id`` accepts ``unit``."""
    fitting = []
    for name in fuel_sets():
        if name == factor_set.name:
            continue
        try:
            ncv = resolve_factor_set(name).fuel(fuel_id).ncv
        except UnknownNameError:
            continue
        if (ureg.Quantity(1.0, parse_unit(unit)) * ureg.Quantity(ncv.value, ncv.unit)).dimensionality == _ENERGY:
            fitting.append(name)
    return fitting


def _gj_per_unit(unit: str, fuel_id: str, ncv: Factor, factor_set: FactorSet) -> float:
    """GJ per unit of fuel by its NCV; a unit of another kind than the NCV's denominator is a clear error that
    says what the staff can write instead: the quantity as energy (GJ), in the unit the NCV takes where the
    carrier may be reported in it, or another set whose NCV takes their unit."""
    heat = ureg.Quantity(1.0, parse_unit(unit)) * ureg.Quantity(ncv.value, ncv.unit)
    if heat.dimensionality == _ENERGY:
        return float(heat.m_as("GJ"))
    measured = ncv.confidence == "measured"
    others = [] if measured else _other_sets(fuel_id, unit, factor_set)
    denominator = ncv.unit.split("/", 1)[-1]
    kind = dimension_name(denominator, "en").split(" ")[-1] if "/" in ncv.unit else ""
    reported = carriers().set_index("id")["unit_kind"].get(fuel_id, "")
    allowed_zh, allowed_en = "能量（GJ）", "an energy (GJ)"
    if kind and reported == kind:  # the carrier may be reported in the NCV's kind of unit
        allowed_zh = f"{dimension_name(denominator, 'zh')}或能量（GJ）"
        allowed_en = f"{dimension_name(denominator)} or an energy (GJ)"
    zh = f"低位发热量 {ncv.id}" + ("" if measured else f"（因子集 {factor_set.name}）") + f" 以 {ncv.unit} 计"
    en = f"NCV {ncv.id}" + ("" if measured else f" of set {factor_set.name}") + f" is in {ncv.unit}"
    if others:
        zh += f"；或选用低位发热量以该单位计的因子集 {others}"
        en += f"; or choose a factor set whose NCV takes this unit: {others}"
    raise IncompatibleUnitError(unit, f"{allowed_zh}（{fuel_id}）", f"{allowed_en} for {fuel_id}", zh, en)


@functools.lru_cache(maxsize=4096)
def heat_content_factor(
    unit: str, fuel: str, *, ncv: Factor | None = None, factor_set: FactorSet | str | None = None
) -> Coefficient:
    """GJ of heat per unit of a fuel: its net calorific value (measured ``ncv`` or the set's default).

    A fuel given as energy needs no NCV. A unit that does not fit the NCV (natural gas in 万Nm3 against the
    IPCC set's TJ/Gg) raises :class:`~carbon.IncompatibleUnitError` naming the sets whose NCV takes it.

    Notes
    -----
    .. math:: Q_{GJ} = AD \\times NCV
    """
    if parse_unit(unit).dimensionality == _ENERGY:
        return Coefficient(conversion_factor(unit, "GJ"), f"GJ/{unit}", (), "energy content")
    factors = resolve_factor_set(factor_set)
    fuel_id = resolve_carrier(fuel)
    chosen = ncv if ncv is not None else factors.fuel(fuel).ncv  # raises, naming the sets that have the fuel
    method = "measured NCV" if ncv is not None else f"default NCV ({factors.name})"
    return Coefficient(_gj_per_unit(unit, fuel_id, chosen, factors), f"GJ/{unit}", (chosen,), method)


@functools.lru_cache(maxsize=4096)
def tce_factor(
    unit: str,
    carrier: str,
    *,
    electricity: str = "equivalent",
    year: int | None = None,
    ncv: Factor | None = None,
    factor_set: FactorSet | str | None = None,
) -> Coefficient:
    """Tonnes of standard coal per unit of a carrier: the coefficient :func:`to_tce` multiplies by.

    Parameters
    ----------
    unit : str
        The unit of the activity (t, 万Nm3, kWh, GJ ...).
    carrier : str
        Any spelling of the carrier.
    electricity : {'equivalent', 'equal-value'}, default 'equivalent'
        当量值 or 等价值, for electricity only.
    year : int, optional
        Data year, needed for electricity 等价值.
    ncv : Factor, optional
        A measured net calorific value [GJ per unit of mass or volume] (see :func:`carbon.factorset.given_factor`);
        it takes precedence over the GB/T 2589 coefficient of a fuel.
    factor_set : FactorSet or str, optional
        The fuel-default set whose NCV is used for a fuel that GB/T 2589 does not list (default set if None).

    Returns
    -------
    Coefficient
        ``value`` [tce/unit], the factors used and the route (``method``).

    Notes
    -----
    The routes, in order: electricity, heat and steam take their GB/T 2589 coefficient (当量值, or for
    electricity 等价值 of the data year); a fuel given as energy is its calorific content (1 tce = 29.3076 GJ,
    the unit registry's definition); a fuel with a measured NCV is NCV / 29.3076; a fuel that GB/T 2589 lists
    takes its coefficient; any other fuel takes the NCV of the fuel-default set.

    References
    ----------
    .. [1] GB/T 2589-2020 《综合能耗计算通则》, 附录A (1 kgce = 29 307.6 kJ).
    """
    carrier_id = resolve_carrier(carrier)
    option = _ELECTRICITY_OPTIONS.get(electricity)
    if option is None:
        raise UnknownNameError("method", electricity, ["equivalent", "equal-value"], context="electricity tce")
    parsed = parse_unit(unit)
    factors = resolve_factor_set(factor_set)
    is_energy = parsed.dimensionality == _ENERGY
    if carrier_id in ("electricity", "heat", "steam"):
        # Steam given as heat (GJ) uses the heat coefficient; steam tonnes are refused below.
        coefficient = factors.standard_coal(
            "heat" if carrier_id == "steam" else carrier_id, electricity=option, year=year
        )
        product = ureg.Quantity(coefficient.value, coefficient.unit) * ureg.Quantity(1.0, parsed)
        if product.dimensionality != _ENERGY:
            hint = ("蒸汽请按焓值折算为热量（GJ）后填报", "give steam as heat (GJ), converted with its enthalpy")
            raise denominator_mismatch(
                unit, coefficient.id, coefficient.unit, carrier_id, *(hint if carrier_id == "steam" else ())
            )
        method = "GB/T 2589 等价值" if option == "equal-value" and carrier_id == "electricity" else "GB/T 2589 当量值"
        return Coefficient(float(product.m_as("tce")), f"tce/{unit}", (coefficient,), method)
    if is_energy:
        # A fuel given by its energy content: 当量值 is the calorific value itself.
        return Coefficient(conversion_factor(unit, "tce"), f"tce/{unit}", (), "energy content")
    gj_per_tce = conversion_factor("tce", "GJ")
    if ncv is not None:
        heat = heat_content_factor(unit, carrier_id, ncv=ncv, factor_set=factors)
        return Coefficient(heat.value / gj_per_tce, f"tce/{unit}", heat.factors, heat.method)
    try:
        coefficient = factors.standard_coal(carrier_id)
    except FactorNotFoundError:
        heat = heat_content_factor(unit, carrier, factor_set=factors)
        return Coefficient(heat.value / gj_per_tce, f"tce/{unit}", heat.factors, heat.method)
    product = ureg.Quantity(coefficient.value, coefficient.unit) * ureg.Quantity(1.0, parsed)
    if product.dimensionality != _ENERGY:
        raise denominator_mismatch(unit, coefficient.id, coefficient.unit, carrier_id)
    return Coefficient(float(product.m_as("tce")), f"tce/{unit}", (coefficient,), "GB/T 2589 当量值")


def to_tce(
    value: ArrayLike,
    unit: str | ArrayLike,
    carrier: str | ArrayLike,
    *,
    electricity: str = "equivalent",
    year: int | None = None,
    ncv: Factor | tuple[float, str] | None = None,
    factor_set: FactorSet | str | None = None,
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
    ncv : Factor or (value, unit), optional
        A measured net calorific value of the fuel, e.g. ``(20.9, "GJ/t")``; it replaces the coefficient.
    factor_set : FactorSet or str, optional
        The fuel-default set whose NCV is used for a fuel GB/T 2589 does not list (``'无烟煤'`` in t);
        default ``'gbt32151'``.

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
        No 等价值 for the year.
    UnknownNameError
        A fuel with neither a GB/T 2589 coefficient nor defaults in the fuel set (原煤 is listed in GB/T 2589).

    Notes
    -----
    For a carrier given in the unit of its coefficient c [kgce/unit]:

    .. math:: E_{tce} = AD \\times c / 1000

    For a fuel given as energy (GJ, MJ, kWh of fuel heat) the 当量值 is its calorific content,
    :math:`E_{tce} = Q_{GJ} / 29.3076`, and likewise with a measured or default NCV,
    :math:`E_{tce} = AD \\times NCV / 29.3076`. Heat uses the published 0.03412 kgce/MJ; steam given as heat
    is heat. Each coefficient is looked up once per distinct (unit, carrier) pair by :func:`tce_factor`.

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
    given = as_given(ncv, "ncv")
    used: dict[str, Factor] = {}

    def per_unit(unit: str, carrier: str) -> float:
        coefficient = tce_factor(
            normalize_unit_text(unit), carrier, electricity=option, year=year, ncv=given, factor_set=factor_set
        )
        used.update((f.id, f) for f in coefficient.factors)
        return coefficient.value

    factors = per_group(per_unit, unit=unit, carrier=carrier)
    for factor in used.values():
        warn_fallback(factor)
    return scale(value, factors, name="tce", factor_argument="unit/carrier")
