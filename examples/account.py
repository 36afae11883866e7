"""The sample park's annual account: headline figures, the zero-carbon-park indicators and the retrofits.

Run it with ``python examples/account.py``. Shows the analyst's idioms: shares are fractions (formatted as
percentages only when printed), ``select`` filters with Chinese names, ``in_total`` / ``total_tco2()`` count
scope 2 once, and ``by(level)`` carries each level's names. Saves ``account_by_industry.png`` where matplotlib
is installed (the ``plot`` extra; a pandas plot with Chinese labels: ``cjk_fonts.use_cjk_font`` picks an
installed CJK font first).
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
# shares and changes are fractions: the format shows them as percentages
print(f"  change against {s['baseline_year']}       {s['change_total']:>14.1%}")
print(f"  clean-energy share         {s['clean_energy_share']:>14.1%}")
print(f"  boilers retrofitted        {s['boiler_retrofits']:>14d} ({s['boiler_capacity_t_per_h']:.1f} t/h)")
print(f"  reductions in the year     {s['reduction_tco2']:>14,.0f} tCO2")

# the emission rows: scope 2 is there once per method; in_total marks the rows of the headline total
e = account.emissions
print(f"\n  headline total             {e.loc[e['in_total'], 'emissions_tco2'].sum():>14,.0f} tCO2 (in_total rows)")
print(f"  = account.total_tco2()     {account.total_tco2():>14,.0f} tCO2")
# filter with the names staff use: 电力 is the id electricity, 基于市场 the method market
power = account.select("emissions", carrier="电力", scope2_method="基于市场")
print(f"  grid electricity, market   {power['emissions_tco2'].sum():>14,.0f} tCO2 ({len(power):,} rows)")

indicators = account.indicators[["indicator", "value", "unit", "threshold", "status", "gap", "gap_unit"]]
with pd.option_context("display.width", 200, "display.float_format", "{:,.4f}".format):
    print("\nzero-carbon-park indicators (发改环资〔2025〕910号; shares as fractions):")
    print(indicators.to_string(index=False))
    print("\nemissions by sub-park (tCO2, scope 1 + 2 market-based):")
    print(account.by("片区")[["sub_park", "total_tco2", "tce", "tco2_per_tce"]].to_string(index=False))

try:  # the plot needs matplotlib: pip install 'carbon-ledger[plot]'
    import matplotlib
except ImportError:
    print("\nno plot: matplotlib is not installed (pip install '.[plot]')")
else:
    matplotlib.use("Agg")
    from cjk_fonts import use_cjk_font  # beside this script

    use_cjk_font()  # Chinese labels, not boxes (a warning, and boxes, where no CJK font is installed)
    by_industry = account.by("industry").sort_values("total_tco2", ascending=False)
    ax = (by_industry.set_index("industry")["total_tco2"] / 1e4).plot.bar(figsize=(7, 4.5), rot=45)
    ax.set_xlabel("行业 industry")
    ax.set_ylabel("排放 万tCO2 (scope 1 + 2)")
    ax.set_title(f"{ledger.park['name']} {account.year} 各行业排放")
    ax.figure.tight_layout()
    ax.figure.savefig("account_by_industry.png", dpi=120)
    print("\nplot saved: account_by_industry.png")
