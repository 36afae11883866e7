"""Quickstart: a small park's energy and emissions with the carbon Python API.

Run it with ``python examples/quickstart.py``. Every function takes a scalar, a numpy array or a pandas
Series, so a whole table is computed in one call per column; the unit and carrier may differ row by row.
"""

import pandas as pd

import carbon

# What staff report: quantity, unit and carrier, one row per enterprise and carrier.
energy = pd.DataFrame(
    {
        "enterprise_id": ["E01", "E01", "E02", "E02", "E03"],
        "carrier": ["天然气", "电力", "柴油", "电力", "热力"],
        "quantity": [120.0, 850.0, 35.0, 2_300.0, 18_000.0],
        "unit": ["万Nm3", "万kWh", "吨", "MWh", "GJ"],
    }
)

# Energy in standard coal (GB/T 2589-2020, 当量值), per row.
energy["tce"] = carbon.to_tce(energy["quantity"], energy["unit"], energy["carrier"])

# Scope 1: fuels burned, with the GB/T 32151 defaults (set A).
fuels = energy["carrier"].isin(["天然气", "柴油"])
energy.loc[fuels, "scope1_tco2"] = carbon.fuel_co2(
    energy.loc[fuels, "quantity"], energy.loc[fuels, "unit"], energy.loc[fuels, "carrier"]
)

# Scope 2: grid electricity at Qinghai's 2023 average factor (公告2025年第47号), and purchased heat.
power = energy["carrier"] == "电力"
energy.loc[power, "scope2_tco2"] = carbon.electricity_co2(
    energy.loc[power, "quantity"], energy.loc[power, "unit"], region="青海", year=2023
)
heat = energy["carrier"] == "热力"
energy.loc[heat, "scope2_tco2"] = carbon.heat_co2(energy.loc[heat, "quantity"], energy.loc[heat, "unit"])

energy["tco2"] = energy[["scope1_tco2", "scope2_tco2"]].sum(axis=1, min_count=1)
print(energy.round(1).to_string(index=False))

total_tce = energy["tce"].sum()
total_tco2 = energy["tco2"].sum()
print(f"\npark total: {total_tce:,.1f} tce, {total_tco2:,.1f} tCO2, {total_tco2 / total_tce:.3f} tCO2/tce")

# Market-based Scope 2: 2 000 of E02's 2 300 MWh are covered by green-power trades (绿电交易).
location = carbon.electricity_co2(2_300, "MWh", region="青海", year=2023)
market = carbon.electricity_co2(2_300, "MWh", region="青海", year=2023, method="market", green=2_000)
print(f"E02 electricity: location-based {location:,.1f} tCO2, market-based {market:,.1f} tCO2")

# Every number has a source.
print("\n" + carbon.load_factors().electricity("青海", 2023).describe())
