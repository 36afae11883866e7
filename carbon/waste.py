"""General industrial solid waste: the comprehensive utilisation rate (一般工业固体废物综合利用率)."""

from __future__ import annotations

import numpy as np

from carbon._arrays import ArrayLike, as_float_array, broadcast, like_input, template_of
from carbon.errors import InputValueError

__all__ = ["waste_utilization_rate"]


def _positions(mask: np.ndarray) -> list[int]:
    return np.flatnonzero(mask).tolist()


def _refuse(mask: np.ndarray, argument: str, zh: str, en: str) -> None:
    where = _positions(mask)
    if where:
        raise InputValueError(
            f"{zh}（位置 {where[:10]}）", f"{en} (positions {where[:10]})", argument=argument, positions=where
        )


def waste_utilization_rate(
    generated: ArrayLike, utilized: ArrayLike, prior_stock_utilized: ArrayLike = 0.0
) -> ArrayLike:
    """Comprehensive utilisation rate of general industrial solid waste, as a fraction.

    Parameters
    ----------
    generated : float, numpy.ndarray or pandas.Series
        Waste generated in the year (产生量). [t]
    utilized : float, numpy.ndarray or pandas.Series
        Waste comprehensively utilised in the year (综合利用量), *including* stock from earlier years that
        was utilised. [t]
    prior_stock_utilized : float, numpy.ndarray or pandas.Series, default 0
        Of which: stock from earlier years utilised (其中：综合利用往年贮存量). [t]

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Utilisation rate in [0, 1], same kind as the first Series (or array) argument. NaN where
        generated + prior stock utilised is zero (nothing to utilise: the rate is undefined, not 0) or an
        input is missing. [1]

    Raises
    ------
    InputValueError
        A quantity is negative, the prior stock exceeds what was utilised, or more was utilised than was
        available (generated + prior stock).

    Notes
    -----
    .. math:: r = \\frac{U}{G + U_{prior}}

    Adding the prior stock to the denominator keeps the rate at or below 100 % when old stock is drawn down.

    References
    ----------
    .. [1] 国家统计局 / 生态环境部 环境统计报表制度 (基101表): 一般工业固体废物综合利用率 = 综合利用量 /
       (产生量 + 综合利用往年贮存量) x 100 %.

    Examples
    --------
    >>> waste_utilization_rate(1000, 900)
    0.9
    """
    template = template_of(generated, utilized, prior_stock_utilized)
    g, u, p = broadcast(
        as_float_array(generated, "generated"),
        as_float_array(utilized, "utilized"),
        as_float_array(prior_stock_utilized, "prior_stock_utilized"),
        names=["generated", "utilized", "prior_stock_utilized"],
    )
    with np.errstate(invalid="ignore"):
        for name, array, label in (
            ("generated", g, "产生量"),
            ("utilized", u, "综合利用量"),
            ("prior_stock_utilized", p, "往年贮存量利用量"),
        ):
            _refuse(array < 0, name, f"{label}不能为负", f"{name} must not be negative")
        _refuse(
            p > u,
            "prior_stock_utilized",
            "往年贮存量利用量大于综合利用量",
            "prior stock utilised exceeds the total utilised",
        )
        available = g + p
        _refuse(
            u > available * (1 + 1e-12),
            "utilized",
            "综合利用量大于产生量与往年贮存量利用量之和",
            "more utilised than generated plus prior stock utilised",
        )
        rate = np.where(available > 0, u / np.where(available > 0, available, 1.0), np.nan)
    rate = np.where(np.isnan(g) | np.isnan(u) | np.isnan(p), np.nan, rate)
    return like_input(template, rate, name="utilization_rate")
