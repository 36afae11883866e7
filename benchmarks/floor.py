"""The NumPy floors of the account: the same per-fact arrays and totals, built with nothing but array operations.

What :meth:`carbon.Ledger.account` produces for a synthetic ledger (:func:`synthetic.make_ledger`: every energy
row a fuel, electricity or heat fact of one year), written as directly as NumPy allows, so that the account's
time can be printed as a ratio against it. Two floors:

:func:`account_floor`, the floor issue 18 asks for ("numpy building the same per-fact arrays"):

- the text columns of the energy table factorised once (``pandas.factorize``, the fastest hash factorisation
  there is; NumPy's ``unique`` sorts and is slower);
- ``detail``: every one of the account's 21 columns per energy fact: tce both ways (当量值, 等价值) and the
  headline tce, the methods and factor ids of each, source, sheet, row, clean flag and category, as codes and
  numbers;
- ``emissions``: every one of the account's 22 columns per emission fact (fuel CO2 in scope 1; grid electricity
  and purchased heat in scope 2, each location- and market-based, green power shared pro rata over an
  enterprise's grid rows as the account shares it), with the enterprise's name, sub-park and industry;
- the totals: per enterprise scope 1, scope 2 both ways and tce (``numpy.bincount``), energy per (enterprise,
  carrier, use), per sub-park and for the park;
- the park method (发改环资〔2025〕910号 附件4): fuel lines per (use, carrier, unit), each enterprise's grid
  inflow (green-covered apart) and heat inflow as lines at the notice's factors, the terms and E_park.

:func:`arithmetic_floor`, the floor of the stops before: the quantities, tce and tCO2 with their key columns and
the totals only (12 columns of emission facts, no park method); kept so that figures stay comparable.

The coefficients (per carrier and unit: tce both ways and tCO2; the grid and heat factors; the labels) are
taken, outside the timed part, from the account of a small ledger of the same carriers and units
(:func:`coefficients`, :func:`lineage`): the floors compute, they do not look factors up. They skip what the
account does beyond building arrays (factor resolution and provenance records, validation of the year,
indicators, problems, the tables' final pandas form), so they are floors, not rivals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["account_floor", "arithmetic_floor", "coefficients"]


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


def _numbers(energy: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The energy table's quantity, month and input row as NumPy arrays."""
    return (
        energy["quantity"].to_numpy(dtype=float),
        energy["month"].to_numpy(dtype=np.int8),
        energy["source_row"].to_numpy(dtype=np.int32),
    )


def _result(detail: dict, emissions: dict, per_enterprise: dict, per_carrier, per_sub_park) -> dict[str, object]:
    """What a floor returns (so that nothing is optimised away), the park's totals summed from the enterprises'."""
    park = {name: float(values.sum()) for name, values in per_enterprise.items()}
    return {
        "detail": detail,
        "emissions": emissions,
        "per_enterprise": per_enterprise,
        "per_carrier": per_carrier,
        "per_sub_park": per_sub_park,
        "park": park,
    }


def arithmetic_floor(ledger, coefficients: dict[str, dict]) -> dict[str, object]:
    """The arithmetic of the account in NumPy: the per-fact quantities, tce and tCO2 with their key columns, and
    the totals; not the lineage columns nor the park method (see :func:`account_floor`). Returns them (so nothing
    is optimised away)."""
    energy = ledger.table("energy")
    firms = ledger.table("enterprises")
    (enterprise, enterprise_values), (carrier, carrier_values), (unit, unit_values), (use, use_values) = (
        pd.factorize(energy[column]) for column in ("enterprise_id", "carrier", "unit", "use")
    )
    quantity, month, input_row = _numbers(energy)
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
    return _result(detail, emissions, per_enterprise, per_carrier, per_sub_park)


def lineage(ledger, coefficients: dict[str, dict]) -> dict[str, dict]:
    """What the full floor takes, beside the arithmetic's coefficients, from the account of a small ledger of
    the same carriers and units (outside the timed part): per (carrier, unit) the source and the tce methods and
    factor ids of an energy fact; per carrier its clean flag and category; per emission kind its factor id; the
    market rate of grid power; the park method's factors; the units' MWh and GJ."""
    import carbon
    from carbon.units import conversion_factor

    tables = {name: ledger.table(name) for name in ("enterprises", "energy", "economics", "green_power")}
    firms = tables["enterprises"]["enterprise_id"].iloc[:50]
    small = {name: frame[frame["enterprise_id"].isin(firms)] for name, frame in tables.items()}
    account = carbon.Ledger(ledger.park, small).account()
    detail, emissions, lines = account.detail, account.emissions, account.tables["park_method"]
    per_combo = {}
    for column in (*_DETAIL_LABELS, "clean", "category"):
        for (carrier, unit), part in detail.groupby(["carrier", "unit"], observed=True):
            per_combo.setdefault(column, {})[(carrier, unit)] = part[column].iloc[0]
    factor_ids = {}
    for (carrier, unit, scope, method), part in emissions.groupby(
        ["carrier", "unit", "scope", "scope2_method"], observed=True, dropna=False
    ):
        factor_ids[(carrier, unit, int(scope), None if pd.isna(method) else method)] = str(part["factor_id"].iloc[0])
    market = emissions[(emissions["scope2_method"] == "market") & (emissions["carrier"] == "electricity")]
    per_mwh = market["unit"].astype(str).map(lambda u: conversion_factor(u, "MWh")).to_numpy(dtype=float)
    mwh = market["quantity"].to_numpy() * per_mwh
    uncovered = mwh - market["green_mwh"].to_numpy()
    keep = uncovered > 1e-9
    rate = float(np.median(market["emissions_tco2"].to_numpy()[keep] / uncovered[keep]))
    park = {item: float(part["factor_value"].iloc[0]) for item, part in lines.groupby("item")}
    units = detail["unit"].astype(str).unique()
    return {
        "per_combo": per_combo,
        "factor_ids": factor_ids,
        "market_rate": rate,
        "park": park,
        "mwh": {u: conversion_factor(u, "MWh") for u in units if _converts(u, "MWh")},
        "gj": {u: conversion_factor(u, "GJ") for u in units if _converts(u, "GJ")},
    }


def _converts(unit: str, target: str) -> bool:
    from carbon.units import conversion_factor

    try:
        conversion_factor(unit, target)
    except Exception:
        return False
    return True


#: The lineage columns of an energy fact (``detail``) that depend on its carrier and unit only.
_DETAIL_LABELS = (
    "source",
    "tce_equivalent_method",
    "tce_equivalent_factor_id",
    "tce_equal_value_method",
    "tce_equal_value_factor_id",
    "tce_method",
    "tce_factor_id",
)


def account_floor(ledger, coefficients: dict[str, dict], lineage: dict[str, dict]) -> dict[str, object]:
    """Every per-fact column of the account's ``detail`` (21) and ``emissions`` (22), as codes and numbers, their
    totals, and the park method (附件4): its fuel lines by (use, carrier, unit), its per-enterprise electricity
    (grid and green) and heat inflow lines, its terms and E_park. What :meth:`carbon.Ledger.account` builds per
    fact and per enterprise, in NumPy; for the synthetic ledgers (no flows between enterprises, no products, no
    conversion). Returns them (so nothing is optimised away)."""
    energy = ledger.table("energy")
    firms = ledger.table("enterprises")
    year = int(energy["year"].iloc[0])
    (enterprise, enterprise_values), (carrier, carrier_values), (unit, unit_values), (use, use_values) = (
        pd.factorize(energy[column]) for column in ("enterprise_id", "carrier", "unit", "use")
    )
    quantity, month, input_row = _numbers(energy)
    n, n_units = len(quantity), len(unit_values)
    combo = carrier.astype(np.int64) * n_units + unit
    pairs = [(c, u) for c in carrier_values for u in unit_values]

    def per_combo(value) -> np.ndarray:
        return np.array([value(c, u) for c, u in pairs], dtype=float)

    def coded(values: list[object]) -> np.ndarray:
        """Codes of per-combination labels (-1 where none)."""
        known = sorted({v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))}, key=str)
        return np.array([known.index(v) if v in known else -1 for v in values], dtype=np.int8)

    tce_table = coefficients["tce"]
    equivalent = quantity * per_combo(lambda c, u: tce_table.get((c, u), (np.nan, np.nan))[0])[combo]
    equal_value = quantity * per_combo(lambda c, u: tce_table.get((c, u), (np.nan, np.nan))[1])[combo]
    labels = lineage["per_combo"]
    detail = {
        "enterprise_id": enterprise,
        "year": np.full(n, year, np.int16),
        "month": month,
        "carrier": carrier,
        "use": use,
        "quantity": quantity,
        "unit": unit,
        "input_sheet": np.zeros(n, np.int8),
        "input_row": input_row,
        **{column: coded([labels[column].get(p) for p in pairs])[combo] for column in _DETAIL_LABELS},
        "tce_equivalent": equivalent,
        "tce_equal_value": equal_value,
        "tce": equivalent,
        "clean": np.array([bool(labels["clean"].get(p, False)) for p in pairs])[combo],
        "category": coded([labels["category"].get(p) for p in pairs])[combo],
    }

    # emission facts: scope 1 once per fuel fact; scope 2 twice (location, market) per electricity or heat fact
    co2, ids = coefficients["co2"], lineage["factor_ids"]
    scope1 = per_combo(lambda c, u: co2.get((c, u, 1, None), np.nan))
    location = per_combo(lambda c, u: co2.get((c, u, 2, "location"), np.nan))
    market = per_combo(lambda c, u: co2.get((c, u, 2, "market"), np.nan))
    mwh_per = per_combo(lambda c, u: lineage["mwh"].get(u, np.nan) if c == "electricity" else np.nan)
    gj_per = per_combo(lambda c, u: lineage["gj"].get(u, np.nan) if c in ("heat", "steam") else np.nan)
    fuel_rows = np.flatnonzero(~np.isnan(scope1[combo]))
    bought_rows = np.flatnonzero(~np.isnan(location[combo]))
    bought_combo = combo[bought_rows]
    electric = ~np.isnan(mwh_per[bought_combo])

    # market-based grid power: green claims shared over the enterprise's grid rows pro rata, the rest at the
    # market rate; heat at its factor both ways
    n_firms = len(enterprise_values)
    mwh = quantity[bought_rows] * np.where(electric, mwh_per[bought_combo], 0.0)
    firm_of_bought = enterprise[bought_rows]
    used_mwh = np.bincount(firm_of_bought, weights=mwh, minlength=n_firms)
    green = ledger.table("green_power")
    claims = green[(green["year"] == year) & green["instrument"].isin(["trade", "certificate", "direct_line"])]
    claim_firm = pd.Index(enterprise_values).get_indexer(claims["enterprise_id"])
    claimed = np.bincount(claim_firm, weights=claims["quantity"].to_numpy(dtype=float), minlength=n_firms)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(used_mwh > 0, np.minimum(claimed / np.where(used_mwh > 0, used_mwh, 1.0), 1.0), 0.0)
    covered = share[firm_of_bought]
    green_mwh = np.where(electric, mwh * covered, np.nan)
    market_value = np.where(
        electric, lineage["market_rate"] * mwh_per[bought_combo] * (1 - covered), market[bought_combo]
    )
    rows = np.concatenate([fuel_rows, bought_rows, bought_rows])
    factor_value = np.concatenate([scope1[combo[fuel_rows]], location[bought_combo], market_value])
    m_fuel, m_bought = len(fuel_rows), len(bought_rows)
    scope = np.concatenate([np.ones(m_fuel, np.int8), np.full(2 * m_bought, 2, np.int8)])
    method = np.concatenate([np.full(m_fuel, -1, np.int8), np.zeros(m_bought, np.int8), np.ones(m_bought, np.int8)])
    source = np.concatenate([np.zeros(m_fuel, np.int8), np.tile(np.where(electric, 1, 2).astype(np.int8), 2)])
    id_codes = {
        kind: coded([ids.get((c, u, *kind)) for c, u in pairs]) for kind in ((1, None), (2, "location"), (2, "market"))
    }
    factor_id = np.concatenate(
        [
            id_codes[(1, None)][combo[fuel_rows]],
            id_codes[(2, "location")][bought_combo],
            id_codes[(2, "market")][bought_combo],
        ]
    )
    row_enterprise = enterprise[rows]
    row_quantity = quantity[rows]
    tco2 = row_quantity * factor_value
    firm_position = pd.Index(firms["enterprise_id"]).get_indexer(enterprise_values)
    firm_columns = {}
    for column in ("name", "sub_park", "industry"):
        codes, _ = pd.factorize(firms[column], sort=True)
        firm_columns[column] = codes[firm_position][row_enterprise]
    m = len(rows)
    row_green_mwh = np.empty(m)  # one allocation: blank but for the market-based rows
    row_green_mwh[: m_fuel + m_bought] = np.nan
    row_green_mwh[m_fuel + m_bought :] = green_mwh
    emissions = {
        "enterprise_id": row_enterprise,
        **firm_columns,
        "year": np.full(m, year, np.int16),
        "month": month[rows],
        "source": source,
        "carrier": carrier[rows],
        "use": use[rows],
        "scope": scope,
        "scope2_method": method,
        "gas": np.zeros(m, np.int8),
        "quantity": row_quantity,
        "unit": unit[rows],
        "green_mwh": row_green_mwh,
        "factor_id": factor_id,
        "factor_value": factor_value,
        "custom_factor": np.zeros(m, bool),
        "emissions_tco2": tco2,
        "in_total": method != 0,
        "input_sheet": np.zeros(m, np.int8),
        "input_row": input_row[rows],
    }

    # totals per enterprise, carrier, sub-park and for the park
    per_enterprise = {
        "scope1_tco2": np.bincount(row_enterprise, weights=np.where(scope == 1, tco2, 0.0), minlength=n_firms),
        "scope2_location_tco2": np.bincount(
            row_enterprise, weights=np.where(method == 0, tco2, 0.0), minlength=n_firms
        ),
        "scope2_market_tco2": np.bincount(row_enterprise, weights=np.where(method == 1, tco2, 0.0), minlength=n_firms),
        "tce": np.bincount(enterprise, weights=equivalent, minlength=n_firms),
        "tce_equal_value": np.bincount(enterprise, weights=equal_value, minlength=n_firms),
    }
    # energy per (enterprise, carrier, use), summed over the key space (direct addressing: no sort, no hash)
    energy_key = (enterprise.astype(np.int64) * len(carrier_values) + carrier) * len(use_values) + use
    key_space = n_firms * len(carrier_values) * len(use_values)
    groups = np.flatnonzero(np.bincount(energy_key, minlength=key_space))
    per_carrier = {
        "keys": groups,
        **{
            name: np.bincount(energy_key, weights=values, minlength=key_space)[groups]
            for name, values in (
                ("quantity", quantity),
                ("tce_equivalent", equivalent),
                ("tce_equal_value", equal_value),
            )
        },
    }
    per_sub_park = np.bincount(firm_columns["sub_park"], weights=np.where(method != 1, tco2, 0.0))

    # the park method: fuel lines by (use, carrier, unit); each enterprise's net grid inflow (green-covered apart)
    # and heat inflow, each a line at the notice's factor
    factors = lineage["park"]
    fuel_key = combo[fuel_rows] * len(use_values) + use[fuel_rows]
    space = len(pairs) * len(use_values)
    fuel_lines = {
        "rows": np.bincount(fuel_key, minlength=space),
        "quantity": np.bincount(fuel_key, weights=quantity[fuel_rows], minlength=space),
        "tco2": np.bincount(fuel_key, weights=tco2[:m_fuel], minlength=space),
    }
    covered_mwh = np.minimum(claimed, used_mwh)
    uncovered_mwh = used_mwh - covered_mwh
    gj = quantity[bought_rows] * np.where(electric, 0.0, gj_per[bought_combo])
    used_gj = np.bincount(firm_of_bought, weights=gj, minlength=n_firms)
    inflow = {}
    for item, amount in (("inflow_grid", uncovered_mwh), ("inflow_green", covered_mwh), ("inflow_fossil", used_gj)):
        keep = np.flatnonzero(amount > 0)
        inflow[item] = {"enterprise_id": keep, "quantity": amount[keep], "tco2": amount[keep] * factors[item]}
    terms = {
        "fuel": float(fuel_lines["tco2"].sum()),
        "electricity": float(inflow["inflow_grid"]["tco2"].sum() + inflow["inflow_green"]["tco2"].sum()),
        "heat": float(inflow["inflow_fossil"]["tco2"].sum()),
    }
    terms["total"] = sum(terms.values())
    return {
        **_result(detail, emissions, per_enterprise, per_carrier, per_sub_park),
        "park_method": {"fuel_lines": fuel_lines, "inflow": inflow, "terms": terms},
    }
