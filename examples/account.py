"""The sample park's annual account: headline figures, the zero-carbon-park indicators and the retrofits.

Run it with ``python examples/account.py``.
"""

import pandas as pd

import carbon

ledger = carbon.read_workbook(carbon.sample_workbook_path())
account = ledger.account()  # reporting year 2023; verdicts on the 910号 附件4 basis, scope 2 both ways beside
s = account.summary

print(f"{ledger.park['name']} {account.year}")
print(
    f"  E_park (910号 附件4)        {s['park910_tco2']:>14,.0f} tCO2, {s['carbon_per_energy_tco2_per_tce']:.3f} tCO2/tce"
)
for term in ("fuel", "conversion", "electricity", "heat", "process"):
    print(f"    {term:<24} {s[f'park910_{term}_tco2']:>14,.0f} tCO2")
print(f"  Scope 1                    {s['scope1_tco2']:>14,.0f} tCO2")
print(f"  Scope 2 location / market  {s['scope2_location_tco2']:>14,.0f} / {s['scope2_market_tco2']:,.0f} tCO2")
print(f"  energy                     {s['energy_tce']:>14,.0f} tce")
print(f"  change against {s['baseline_year']}       {s['change_total']:>14.1%}")  # a fraction
print(f"  boilers retrofitted        {s['boiler_retrofits']:>14d} ({s['boiler_capacity_t_per_h']:.1f} t/h)")
print(f"  reductions in the year     {s['reduction_tco2']:>14,.0f} tCO2")

indicators = account.indicators[["indicator", "value", "unit", "threshold", "status", "gap", "gap_unit"]]
with pd.option_context("display.width", 200, "display.float_format", "{:,.2f}".format):
    print("\nzero-carbon-park indicators (发改环资〔2025〕910号):")
    print(indicators.to_string(index=False))
    print("\nemissions by sub-park (tCO2, scope 1 + 2 market-based):")
    print(account.by("sub_park")[["key", "total_tco2", "tce", "tco2_per_tce"]].to_string(index=False))
