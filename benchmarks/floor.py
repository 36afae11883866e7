"""The NumPy floor of the account: the same per-fact arrays and totals, built with nothing but array operations.

What :meth:`carbon.Ledger.account` produces for a synthetic ledger (:func:`synthetic.make_ledger`: every energy
row a fuel, electricity or heat fact of one year), written as directly as NumPy allows, so that the account's
time can be printed as a ratio against it:

- the text columns of the energy table factorised once (``pandas.factorize``, the fastest hash factorisation
  there is; NumPy's ``unique`` sorts and is slower);
- ``detail``: per energy fact its tce both ways (当量值, 等价值) and the headline tce, with the enterprise,
  carrier, unit, use, month and input row of each fact as codes;
- ``emissions``: per emission fact (fuel CO2 in scope 1; grid electricity and purchased heat in scope 2, each
  location- and market-based) the fact it comes from, its scope, factor value and tCO2, with the enterprise's
  name, sub-park and industry as codes;
- the totals: per enterprise scope 1, scope 2 both ways and tce (``numpy.bincount``), per carrier, per sub-park
  and for the park.

The coefficients (per carrier and unit: tce both ways and tCO2; the grid and heat factors) are taken, outside
the timed part, from the account of a small ledger of the same carriers and units (:func:`coefficients`): the
floor computes, it does not look factors up. It skips what the account does beyond the arithmetic (factor
provenance per fact, validation of the year, the park method's terms, indicators, problems), so it is a floor,
not a rival.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["account_floor", "coefficients"]


def coefficients(ledger) -> dict[str, dict]:
    """Per (carrier, unit): tce equivalent, tce equal value and tCO2 per unit (scope 1 for fuels; scope 2
    location and market for electricity and heat), read from the account of the first 50 enterprises."""
    import carbon

    tables = {name: ledger.table(name) for name in ("enterprises", "energy", "economics", "green_power")}
    firms = tables["enterprises"]["enterprise_id"].iloc[:50]
    small = {name: frame[frame["enterprise_id"].isin(firms)] for name, frame in tables.items()}
    account = carbon.Ledger(ledger.park, small).account()
    detail, emissions = account.detail, account.emissions
    tce = {}
    for (carrier, unit), part in detail.groupby(["carrier", "unit"], observed=True):
        q = part["quantity"].to_numpy()
        tce[(carrier, unit)] = (
            float(np.median(part["tce_equivalent"].to_numpy() / q)),
            float(np.median(part["tce_equal_value"].to_numpy() / q)),
        )
    co2 = {}
    for (carrier, unit, scope, method), part in emissions.groupby(
        ["carrier", "unit", "scope", "scope2_method"], observed=True, dropna=False
    ):
        co2[(carrier, unit, int(scope), None if pd.isna(method) else method)] = float(
            np.median(part["factor_value"].to_numpy())
        )
    return {"tce": tce, "co2": co2}


def account_floor(ledger, coefficients: dict[str, dict]) -> dict[str, object]:
    """The per-fact arrays and totals of the account, in NumPy. Returns them (so nothing is optimised away)."""
    energy = ledger.table("energy")
    firms = ledger.table("enterprises")
    enterprise, enterprise_values = pd.factorize(energy["enterprise_id"])
    carrier, carrier_values = pd.factorize(energy["carrier"])
    unit, unit_values = pd.factorize(energy["unit"])
    use, use_values = pd.factorize(energy["use"])
    quantity = energy["quantity"].to_numpy(dtype=float)
    month = energy["month"].to_numpy(dtype=np.int8)
    input_row = energy["source_row"].to_numpy(dtype=np.int32)
    n_units = len(unit_values)
    combo = carrier.astype(np.int64) * n_units + unit

    def per_combo(value) -> np.ndarray:
        table = np.full(len(carrier_values) * n_units, np.nan)
        for c, carrier_name in enumerate(carrier_values):
            for u, unit_name in enumerate(unit_values):
                table[c * n_units + u] = value(carrier_name, unit_name)
        return table

    tce_table = coefficients["tce"]
    co2_table = coefficients["co2"]
    equivalent = quantity * per_combo(lambda c, u: tce_table.get((c, u), (np.nan, np.nan))[0])[combo]
    equal_value = quantity * per_combo(lambda c, u: tce_table.get((c, u), (np.nan, np.nan))[1])[combo]
    detail = {
        "enterprise_id": enterprise,
        "month": month,
        "carrier": carrier,
        "use": use,
        "unit": unit,
        "quantity": quantity,
        "input_row": input_row,
        "tce_equivalent": equivalent,
        "tce_equal_value": equal_value,
        "tce": equivalent,
    }

    # emission facts: scope 1 once per fuel fact, scope 2 twice (location, market) per electricity or heat fact
    scope1 = per_combo(lambda c, u: co2_table.get((c, u, 1, None), np.nan))
    location = per_combo(lambda c, u: co2_table.get((c, u, 2, "location"), np.nan))
    market = per_combo(lambda c, u: co2_table.get((c, u, 2, "market"), np.nan))
    fuel_rows = np.flatnonzero(~np.isnan(scope1[combo]))
    bought_rows = np.flatnonzero(~np.isnan(location[combo]))
    rows = np.concatenate([fuel_rows, bought_rows, bought_rows])
    factor_value = np.concatenate([scope1[combo[fuel_rows]], location[combo[bought_rows]], market[combo[bought_rows]]])
    scope = np.concatenate([np.ones(len(fuel_rows), np.int8), np.full(2 * len(bought_rows), 2, np.int8)])
    method = np.concatenate(
        [np.full(len(fuel_rows), -1, np.int8), np.zeros(len(bought_rows), np.int8), np.ones(len(bought_rows), np.int8)]
    )
    row_enterprise = enterprise[rows]
    row_quantity = quantity[rows]
    firm_position = pd.Index(firms["enterprise_id"]).get_indexer(enterprise_values)
    firm_columns = {}
    for column in ("name", "sub_park", "industry"):
        codes, _ = pd.factorize(firms[column])
        firm_columns[column] = codes[firm_position][row_enterprise]
    emissions = {
        "enterprise_id": row_enterprise,
        **firm_columns,
        "month": month[rows],
        "carrier": carrier[rows],
        "use": use[rows],
        "unit": unit[rows],
        "scope": scope,
        "scope2_method": method,
        "quantity": row_quantity,
        "factor_value": factor_value,
        "emissions_tco2": row_quantity * factor_value,
        "input_row": input_row[rows],
    }

    # totals per enterprise, carrier, sub-park and for the park
    n = len(enterprise_values)
    tco2 = emissions["emissions_tco2"]
    per_enterprise = {
        "scope1_tco2": np.bincount(row_enterprise, weights=np.where(scope == 1, tco2, 0.0), minlength=n),
        "scope2_location_tco2": np.bincount(row_enterprise, weights=np.where(method == 0, tco2, 0.0), minlength=n),
        "scope2_market_tco2": np.bincount(row_enterprise, weights=np.where(method == 1, tco2, 0.0), minlength=n),
        "tce": np.bincount(enterprise, weights=equivalent, minlength=n),
        "tce_equal_value": np.bincount(enterprise, weights=equal_value, minlength=n),
    }
    per_carrier = np.bincount(carrier, weights=equivalent, minlength=len(carrier_values))
    sub_park = firm_columns["sub_park"]
    per_sub_park = np.bincount(sub_park, weights=np.where(method != 1, tco2, 0.0))
    park = {name: float(values.sum()) for name, values in per_enterprise.items()}
    return {
        "detail": detail,
        "emissions": emissions,
        "per_enterprise": per_enterprise,
        "per_carrier": per_carrier,
        "per_sub_park": per_sub_park,
        "park": park,
    }
