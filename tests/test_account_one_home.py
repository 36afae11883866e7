"""One home for every equation: row by row, the account's emissions and tce equal the public functions
(``fuel_co2``, ``fuel_non_co2``, ``electricity_co2``, ``heat_co2``, ``to_tce``) on the same inputs, for every
fuel set, custom (enterprise-measured) factors and supplier factors included.

The account asks the function layer for every coefficient; this test would fail if either side re-implemented
an equation or a constant and the two drifted apart.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import carbon
from carbon.factorset import fuel_sets
from carbon.units import conversion_factor

RTOL = 1e-12


@pytest.fixture(scope="module")
def sample():
    return carbon.read_workbook(carbon.sample_workbook_path())


def _ledger_for(sample, fuel_set: str):
    """The sample park with one supplier-specific electricity factor added (a market-based contract of
    0.45 tCO2/MWh), and for the IPCC set natural gas given as energy at GB/T 32151's 389.31 GJ/万Nm3 (IPCC's
    NCV is per mass: 万Nm3 cannot be converted without a density, which carbon does not assume)."""
    tables = {name: frame for name, frame in sample.tables.items() if not frame.empty}
    energy = tables["energy"].copy()
    buyer = str(energy.loc[energy["carrier"].astype(str) == "electricity", "enterprise_id"].iloc[0])
    supplier = {
        "enterprise_id": buyer,
        "parameter": "electricity_co2",
        "carrier": "electricity",
        "year": 2023,
        "value": 0.45,
        "unit": "tCO2/MWh",
        "evidence": "售电合同 supplier contract",
    }
    custom = tables["custom_factors"].drop(columns="source_row")
    tables["custom_factors"] = pd.concat([custom, pd.DataFrame([supplier])], ignore_index=True)
    if fuel_set == "ipcc2006":
        energy["unit"] = energy["unit"].astype(object)
        gas = energy["carrier"].astype(str).isin(["natural_gas"]) & energy["unit"].isin(["万Nm3", "Nm3", "m3"])
        energy.loc[gas, "quantity"] = energy.loc[gas, "quantity"] * energy.loc[gas, "unit"].map(
            {"万Nm3": 389.31, "Nm3": 389.31e-4, "m3": 389.31e-4}
        )
        energy.loc[gas, "unit"] = "GJ"
    tables["energy"] = energy
    return carbon.Ledger.from_frames(dict(sample.park), **tables)


def _measured(ledger, year: int, enterprise: str, carrier: str, parameter: str):
    """The enterprise's measured value for ``parameter`` as (value, unit): a value for the year wins over one
    for every year."""
    custom = ledger.custom_factors
    rows = custom[
        (custom["enterprise_id"] == enterprise)
        & (custom["carrier"] == carrier)
        & (custom["parameter"] == parameter)
        & (custom["year"].isna() | (custom["year"] == year))
    ]
    if rows.empty:
        return None
    row = rows.sort_values("year", na_position="first").iloc[-1]
    return float(row["value"]), str(row["unit"])


def _groups(frame: pd.DataFrame, keys: list[str]):
    plain = frame.assign(**{k: frame[k].astype(object) for k in keys})
    yield from plain.groupby(keys, observed=True, sort=False, dropna=False)


CASES = [(s, non_co2) for s in fuel_sets() for non_co2 in (False, True)]


@pytest.mark.parametrize(("fuel_set", "non_co2"), CASES, ids=[f"{s}-{'non_co2' if n else 'co2'}" for s, n in CASES])
def test_every_emission_row_equals_the_public_function(sample, fuel_set, non_co2):
    ledger = _ledger_for(sample, fuel_set)
    account = ledger.account(factor_set=fuel_set, non_co2=non_co2)
    year, province = account.year, ledger.park["province"]
    emissions = account.emissions
    checked = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", carbon.FactorFallbackWarning)
        keys = ["source", "gas", "scope2_method", "enterprise_id", "carrier", "unit"]
        for (source, gas, method, enterprise, carrier, unit), rows in _groups(emissions, keys):
            q = rows["quantity"].to_numpy()
            ncv = _measured(ledger, year, enterprise, carrier, "ncv")
            if source == "fuel_combustion" and gas == "CO2":
                expected = carbon.fuel_co2(
                    q,
                    unit,
                    carrier,
                    factor_set=fuel_set,
                    ncv=ncv,
                    carbon_content=_measured(ledger, year, enterprise, carrier, "carbon_content"),
                    oxidation_rate=_measured(ledger, year, enterprise, carrier, "oxidation_rate"),
                )
            elif source == "energy_conversion":  # carbon balance: 附件4 fixes the oxidation rate at 100 %
                expected = carbon.fuel_co2(
                    q,
                    unit,
                    carrier,
                    factor_set=fuel_set,
                    ncv=ncv,
                    carbon_content=_measured(ledger, year, enterprise, carrier, "carbon_content"),
                    oxidation_rate=(100.0, "%"),
                )
            elif source == "fuel_combustion":
                expected = carbon.fuel_non_co2(q, unit, carrier, gas=gas, gwp="AR6", factor_set=fuel_set, ncv=ncv)
            elif source == "purchased_heat":
                expected = carbon.heat_co2(q, unit)
            elif method == "location":
                expected = carbon.electricity_co2(q, unit, region=province, year=year)
            else:
                green = rows["green_mwh"].to_numpy() / conversion_factor(unit, "MWh")
                supplier = _measured(ledger, year, enterprise, "electricity", "electricity_co2")
                expected = carbon.electricity_co2(
                    q, unit, region=province, year=year, method="market", green=green, factor=supplier
                )
            np.testing.assert_allclose(rows["emissions_tco2"].to_numpy(), expected, rtol=RTOL, atol=0)
            checked += len(rows)
    assert checked == len(emissions)
    sources = set(emissions["source"].astype(str))
    assert {"fuel_combustion", "energy_conversion", "purchased_electricity", "purchased_heat"} <= sources
    assert emissions["custom_factor"].any(), "the sample's measured factors are part of the check"
    market = emissions[(emissions["scope2_method"].astype(str) == "market") & emissions["custom_factor"]]
    assert len(market), "the supplier factor is part of the check"
    assert set(emissions["gas"].astype(str)) == ({"CO2", "CH4", "N2O"} if non_co2 else {"CO2"})


@pytest.mark.parametrize("fuel_set", fuel_sets())
@pytest.mark.parametrize("electricity", ["equivalent", "equal-value"])
def test_every_energy_row_equals_to_tce(sample, fuel_set, electricity):
    ledger = _ledger_for(sample, fuel_set)
    account = ledger.account(factor_set=fuel_set, electricity_tce=electricity)
    detail = account.detail
    column = "tce_equal_value" if electricity == "equal-value" else "tce_equivalent"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", carbon.FactorFallbackWarning)
        for (enterprise, carrier, unit), rows in _groups(detail, ["enterprise_id", "carrier", "unit"]):
            ncv = _measured(ledger, account.year, enterprise, carrier, "ncv")
            expected = carbon.to_tce(
                rows["quantity"].to_numpy(),
                unit,
                carrier,
                electricity=electricity,
                year=account.year,
                ncv=ncv,
                factor_set=fuel_set,
            )
            np.testing.assert_allclose(rows[column].to_numpy(), expected, rtol=RTOL, atol=0)
    # the headline tce is the chosen method's
    np.testing.assert_array_equal(detail["tce"].to_numpy(), detail[column].to_numpy())
    assert account.summary["energy_tce"] == pytest.approx(detail[column].sum(), rel=RTOL)


def test_the_measured_raw_coal_is_counted_with_its_own_factors(sample):
    # the sample's raw-coal user gives NCV, carbon content and oxidation rate: no set lists 原煤
    account = sample.account()
    coal = account.emissions[account.emissions["carrier"].astype(str) == "raw_coal"]
    assert len(coal) and coal["custom_factor"].all()
    assert all(str(i).startswith("custom:") for i in coal["factor_id"].astype(str).str.split("|").explode())
    with pytest.raises(carbon.UnknownNameError, match="raw_coal|原煤"):
        carbon.fuel_co2(1, "t", "原煤")


@pytest.mark.parametrize("electricity", ["equivalent", "equal-value"])
def test_reductions_use_the_same_coefficients(sample, electricity):
    """Boilers: saving in tce = fuel before x tce per GJ - energy after x tce per GJ, each by to_tce with the
    chosen electricity method; projects: annual reduction = saving x the function's tCO2 per unit."""
    account = sample.account(electricity_tce=electricity)
    reductions = account.reductions
    boilers = reductions[reductions["kind"] == "boiler"]
    after = boilers["fuel_after"].replace({"removed": "heat"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", carbon.FactorFallbackWarning)
        before_tce = [
            carbon.to_tce(q, "GJ", c) for q, c in zip(boilers["fuel_before_gj"], boilers["fuel_before"], strict=True)
        ]
        after_tce = [
            carbon.to_tce(q, "GJ", c, electricity=electricity, year=account.year)
            for q, c in zip(boilers["energy_after_gj"], after, strict=True)
        ]
    np.testing.assert_allclose(
        boilers["saving_tce"].to_numpy(), np.subtract(before_tce, after_tce), rtol=RTOL, atol=1e-9
    )
    projects = reductions[(reductions["kind"] == "project") & reductions["annual_reduction_tco2"].notna()]
    province = sample.park["province"]
    for row in projects.itertuples(index=False):
        q, unit, carrier = row.saving_quantity, row.saving_unit, row.saving_carrier
        if carrier == "electricity":  # 附件4 0.8325 kgCO2/kWh; location-based: the province's grid factor
            expected = carbon.convert(q, unit, "kWh") * 0.8325 / 1000
            location = carbon.electricity_co2(q, unit, region=province, year=account.year)
        elif carrier in ("heat", "steam") and "own boilers" in row.method:  # the enterprise's own fuel, both ways
            expected = location = row.annual_reduction_location_tco2
        elif carrier in ("heat", "steam"):
            expected = location = carbon.heat_co2(q, unit)
        else:
            expected = location = carbon.fuel_co2(q, unit, carrier)
        assert row.annual_reduction_tco2 == pytest.approx(expected, rel=RTOL), row.item_id
        assert row.annual_reduction_location_tco2 == pytest.approx(location, rel=RTOL), row.item_id
    assert len(projects) > 10 and len(boilers) == 36
