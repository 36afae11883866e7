"""The one unit registry of carbon, and unit conversion that understands what park staff type.

carbon keeps quantities as plain float columns with the unit as text (a long table, pyam style). pint is
used only to work out one conversion factor per distinct unit text; the factor is then applied to the
whole group with numpy. No pint object ever enters a table and no pint call is made per row.

The registry is pint's default registry extended by ``units.txt`` (beside this module), which documents
every custom unit: tce and kgce, tCO2 (its own dimension), Nm3 and m3, 蒸吨, the 万- and 亿-quantities and
the Chinese spellings. It refuses redefinition, so a definition can never silently change an existing unit.

User text never reaches pint raw: :func:`parse_unit` normalises it (NFKC: full-width to half-width, ``m³`` to
``m3``, ``tCO₂`` to ``tCO2``), refuses known traps (``ton`` is the short ton in pint, ``mt`` a millitonne,
``T`` the tesla) and only then asks the registry.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import re
import unicodedata
from collections.abc import Hashable

import numpy as np
import pandas as pd
import pint

from carbon._arrays import ArrayLike, per_group, scale
from carbon.errors import IncompatibleUnitError, UnknownUnitError

__all__ = [
    "CERTIFICATE_UNITS",
    "CERTIFICATE_VALID_YEARS",
    "conversion_factor",
    "conversion_factors",
    "convert",
    "dimension_name",
    "normalize_unit_text",
    "parse_unit",
    "mwh_per_unit",
    "ureg",
]

#: Units that count green-electricity certificates (绿证, GEC). One certificate is 1,000 kWh (1 MWh) of
#: renewable electricity: 国家发展改革委 财政部 国家能源局 发改能源〔2023〕1044号 (1个绿证单位对应1000千瓦时可再生
#: 能源电量); quoted-secondary, four reprints agree (see factors/README.md). A certificate is not a physical
#: unit, so it is not in the registry: :func:`mwh_per_unit` is its one conversion.
CERTIFICATE_UNITS = ("张", "个", "certificate", "certificates", "GEC")

#: Years a green-electricity certificate stays valid, counted from the month its power was generated (绿证有效期2年，
#: 逾期自动核销): the NEA's rules for issuing and trading certificates (2024; 《可再生能源绿色电力证书核发和交易规则》,
#: number not confirmed), read in one news report of them (bornforlove.cn/news/8189.html). Confidence: secondary.
CERTIFICATE_VALID_YEARS = 2


def _build_registry() -> pint.UnitRegistry:
    registry = pint.UnitRegistry(on_redefinition="raise", cache_folder=None)
    # pint ships ``kt`` as the knot; in emissions work it is the kilotonne (as in iam_units/openscm-units).
    # This is the one sanctioned redefinition; it must happen before anything is parsed, because pint
    # caches parsed names.
    registry._on_redefinition = "ignore"
    registry.define("kilotonne = 1000 * metric_ton = kt")
    registry._on_redefinition = "raise"
    definitions = importlib.resources.files("carbon") / "units.txt"
    with importlib.resources.as_file(definitions) as path:
        registry.load_definitions(str(path))
    return registry


#: The registry. Use it for quantities you build yourself; never create a second one.
ureg: pint.UnitRegistry = _build_registry()

# Spellings pint accepts but that mean something other than what staff mean.
_TRAPS: dict[str, tuple[str, str]] = {
    "ton": ("pint 中 ton 为短吨 907.18 kg，请写 t 或 吨", "in pint 'ton' is the short ton (907.18 kg); write t or 吨"),
    "tons": ("请写 t 或 吨", "write t or 吨 for tonnes"),
    "tonnes": ("请写 t 或 吨", "write t or 吨 for tonnes"),
    "mt": ("pint 中 mt 为毫吨 (1 kg)，请写 t 或 吨", "in pint 'mt' is a millitonne (1 kg); write t or 吨"),
    "MT": ("请写 t（吨）或 Mt（百万吨）", "write t (tonne) or Mt (megatonne)"),
    "T": ("T 为特斯拉，请写 t 或 吨", "'T' is the tesla; write t or 吨"),
    "Nm": ("标准立方米请写 Nm3", "write Nm3 for normal cubic metres"),
    "cal": ("请用 kJ、MJ 或 GJ", "use kJ, MJ or GJ (calorie variants differ)"),
    "kcal": ("请用 kJ、MJ 或 GJ", "use kJ, MJ or GJ (calorie variants differ)"),
    "万": ("万 须与单位连写，如 万kWh、万Nm3、万吨", "write 万 joined to a unit: 万kWh, 万Nm3, 万吨"),
    "亿": ("亿 须与单位连写，如 亿kWh、亿元", "write 亿 joined to a unit: 亿kWh, 亿元"),
    # spellings that differ from a common unit only by case and mean another thing, a billion times off: refused
    "mWh": ("「mWh」是毫瓦时；兆瓦时请写 MWh", "'mWh' is the milliwatt-hour; write MWh for megawatt-hours"),
    "mJ": ("「mJ」是毫焦；兆焦请写 MJ", "'mJ' is the millijoule; write MJ for megajoules"),
    "gJ": ("「gJ」不是单位；吉焦请写 GJ", "'gJ' is not a unit; write GJ for gigajoules"),
    "mW": ("「mW」是毫瓦；兆瓦请写 MW", "'mW' is the milliwatt; write MW for megawatts"),
}
_TOKEN = re.compile(r"[^\s*/()^·.+\-0-9][^\s*/()^·.+\-]*")

_DIMENSION_NAMES = {
    ureg.parse_units(example).dimensionality: names
    for example, names in [
        ("t", ("质量", "a mass (t, kg, 吨, 万吨)")),
        ("m3", ("体积", "a volume (m3, Nm3, 万Nm3, 立方米)")),
        ("GJ", ("能量", "an energy (kWh, MWh, GJ, tce)")),
        ("MW", ("功率", "a power (MW, 蒸吨)")),
        ("tCO2", ("二氧化碳质量", "a CO2 mass (tCO2)")),
        ("tC", ("碳质量", "a carbon mass (tC)")),
        ("yuan", ("金额", "an amount of money (元, 万元)")),
        ("%", ("无量纲", "a pure number (%, 1)")),
    ]
}


def normalize_unit_text(text: str) -> str:
    """Return the unit text as carbon looks it up: NFKC-normalised, trimmed, inner blanks folded.

    ``'ｋＷｈ'`` becomes ``'kWh'``, ``'m³'`` becomes ``'m3'``, ``'tCO₂'`` becomes ``'tCO2'`` and
    ``' 万 Nm3 '`` becomes ``'万Nm3'`` (blanks next to a CJK character are dropped).
    """
    if not isinstance(text, str):
        raise UnknownUnitError(repr(text), "单位须为文字", "the unit must be text")
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ").strip()
    text = re.sub(r"\s+", " ", text)
    # "万 kWh" -> "万kWh"; keep blanks between ASCII words ("kW h" stays a product).
    text = re.sub(r"(?<=[\u3400-\u9fff]) | (?=[\u3400-\u9fff])", "", text)
    return text


@functools.lru_cache(maxsize=4096)
def _parse_normalized(text: str) -> pint.Unit:
    if not text:
        raise UnknownUnitError(text, "单位为空", "the unit is empty")
    for token in _TOKEN.findall(text):
        if token in _TRAPS:
            raise UnknownUnitError(text, *_TRAPS[token])
    try:
        unit = ureg.parse_units(text)
    except Exception as exc:  # pint's parser fails on malformed text in assorted ways (even AssertionError)
        if "scaling factor" in str(exc):
            raise UnknownUnitError(
                text, "单位中不能含数值，数值请填在数量中", "a unit cannot contain a number; put it in the quantity"
            ) from exc
        raise UnknownUnitError(text) from exc
    if not unit._units and text not in ("1", "%"):
        # parse_units("") style results: a text that is only numbers or operators
        raise UnknownUnitError(text)
    return unit


def parse_unit(text: object) -> pint.Unit:
    """Parse a unit as typed by a person into a registry unit.

    Parameters
    ----------
    text : str
        The unit, in any spelling carbon knows: ``'吨'``, ``'t'``, ``'万千瓦时'``, ``'kWh'``, ``'度'``,
        ``'万Nm3'``, ``'tCO2/MWh'``, ``'GJ/t'``, full-width or with superscripts.

    Returns
    -------
    pint.Unit

    Raises
    ------
    UnknownUnitError
        The text is empty, undefined, or a known trap (``ton``, ``mt``, ``T``, a bare ``万``).
    """
    return _parse_normalized(normalize_unit_text(text))


def dimension_name(unit: str | pint.Unit, language: str = "en") -> str:
    """Describe the dimension of a unit in words (``'an energy (kWh, MWh, GJ, tce)'`` / ``'能量'``)."""
    parsed = parse_unit(unit) if isinstance(unit, str) else unit
    text = str(parsed.dimensionality)
    zh, en = _DIMENSION_NAMES.get(parsed.dimensionality, (text, text))
    return zh if language == "zh" else en


def denominator_mismatch(
    unit: str, coefficient_id: str, coefficient_unit: str, subject: str, detail_zh: str = "", detail_en: str = ""
) -> IncompatibleUnitError:
    """The error for a quantity whose unit fits neither a per-unit coefficient (``GJ/万Nm3``, ``kgce/kg``) nor
    an energy. ``subject`` names the carrier or fuel; the detail defaults to naming the coefficient."""
    denominator = coefficient_unit.split("/", 1)[1]
    return IncompatibleUnitError(
        unit,
        f"{dimension_name(denominator, 'zh')}（{denominator}）或能量（GJ）",
        f"{dimension_name(denominator)} or an energy (GJ) for {subject}",
        detail_zh or f"{coefficient_id} 以 {coefficient_unit} 计",
        detail_en or f"{coefficient_id} is in {coefficient_unit}",
    )


def _round15(x: float) -> float:
    """Round to 15 significant digits: removes binary round-off that pint accumulates along a chain of
    definitions (kWh -> MJ comes out as 3.5999999999999996), while every carbon unit is a decimal multiple."""
    if x == 0.0 or not math.isfinite(x):
        return x
    return float(f"{x:.15g}")


@functools.lru_cache(maxsize=4096)
def _factor_normalized(from_text: str, to_text: str) -> float:
    source = _parse_normalized(from_text)
    target = _parse_normalized(to_text)
    if source.dimensionality != target.dimensionality:
        raise IncompatibleUnitError(
            from_text,
            f"{dimension_name(target, 'zh')}，如「{to_text}」",
            dimension_name(target),
            f"「{from_text}」是{dimension_name(source, 'zh')}",
            f"{from_text!r} is {dimension_name(source)}",
        )
    zero = ureg.Quantity(0.0, source).m_as(target)
    if zero != 0.0:
        raise IncompatibleUnitError(
            from_text,
            "比例单位",
            "a multiplicative unit",
            "不支持 °C 等偏移单位",
            "offset units such as °C are not supported",
        )
    return _round15(ureg.Quantity(1.0, source).m_as(target))


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """The number that turns a magnitude in ``from_unit`` into one in ``to_unit``.

    One pint call per distinct pair, cached. Raises :class:`IncompatibleUnitError` when the dimensions
    differ and :class:`UnknownUnitError` when either unit is unknown.
    """
    return _factor_normalized(normalize_unit_text(from_unit), normalize_unit_text(to_unit))


def conversion_factors(units: ArrayLike | str, to_unit: str) -> np.ndarray | float:
    """Conversion factors to ``to_unit`` for a whole column of unit texts.

    The column is factorised first, so pint is asked once per distinct unit text, never once per row.

    Parameters
    ----------
    units : str or array-like of str
        One unit for all rows, or one unit per row.
    to_unit : str
        The target unit.

    Returns
    -------
    float or numpy.ndarray
        A float for a single unit, otherwise one factor per row.

    Raises
    ------
    InputValueError
        A unit cell is missing (None or NaN); names the positions.
    UnknownUnitError, IncompatibleUnitError
        As :func:`conversion_factor`.
    """
    return per_group(lambda unit: conversion_factor(unit, to_unit), unit=units)


def convert(value: ArrayLike, from_unit: str | ArrayLike, to_unit: str) -> ArrayLike:
    """Convert quantities from one unit to another.

    Parameters
    ----------
    value : float, numpy.ndarray or pandas.Series
        The magnitudes. [from_unit]
    from_unit : str or array-like of str
        Their unit: one for all, or one per value (converted per unit group, one pint call each).
    to_unit : str
        The unit wanted.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same kind as ``value`` (a Series keeps its index and name). [to_unit]

    Examples
    --------
    >>> convert(12.5, "万千瓦时", "kWh")
    125000.0
    >>> convert(1, "tce", "GJ")
    29.3076
    """
    factors = conversion_factors(from_unit, to_unit)
    return scale(value, factors, name=_series_name(value), factor_argument="from_unit")


def _series_name(value: object) -> Hashable | None:
    return value.name if isinstance(value, pd.Series) else None


def mwh_per_unit(unit: str) -> float:
    """MWh per unit of a green-power quantity: 1 for a certificate unit (1 GEC = 1 MWh, 发改能源〔2023〕1044号),
    else the energy conversion (raises :class:`~carbon.errors.IncompatibleUnitError` for a non-energy unit)."""
    return 1.0 if unit in CERTIFICATE_UNITS else conversion_factor(unit, "MWh")
