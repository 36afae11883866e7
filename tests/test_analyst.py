"""Issue 14, part 6: the traps an analyst met in the Python API, each pinned by a test that failed before.

1. ``by(level)`` carries the level's attributes (it left ``industry``, ``name`` and ``sub_park`` blank);
2. shares are fractions in every table and the summary alike (the indicators held 27.68 '%', the summary 0.2768);
3. ``select`` filters with ids, 中文 names and aliases, and refuses a name that matches nothing (filtering the
   ids with ``"电力"`` returned an empty frame in silence);
4. ``in_total`` marks the emission rows of the headline total (summing ``emissions_tco2`` counted scope 2 twice);
5. the plotting examples draw Chinese with a CJK font (it came out as boxes).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from test_account import small_park

import carbon
from carbon.errors import UnknownNameError


@pytest.fixture(scope="module")
def ledger():
    return carbon.read_workbook(carbon.sample_workbook_path())


@pytest.fixture(scope="module")
def account(ledger):
    return ledger.account()


# -- 1. by(level) carries the level's attributes ----------------------------------------------------------


def test_by_industry_names_its_industry_and_drops_what_makes_no_sense(account):
    industries = account.by("industry")
    assert len(industries) > 1
    assert industries["industry"].tolist() == industries["key"].tolist()
    assert industries["industry"].notna().all()
    assert "name" not in industries.columns and "sub_park" not in industries.columns and "level" not in industries


def test_by_sub_park_names_its_sub_park(account, ledger):
    sub_parks = account.by("sub_park")
    assert sub_parks["sub_park"].tolist() == sub_parks["key"].tolist()
    assert set(sub_parks["sub_park"]) == set(ledger.enterprises["sub_park"])
    assert "name" not in sub_parks.columns and "industry" not in sub_parks.columns


def test_by_park_has_the_parks_name(account, ledger):
    park = account.by("park")
    assert len(park) == 1 and park.at[0, "name"] == ledger.park["name"] == "西宁经济技术开发区东川工业园区"
    assert "sub_park" not in park.columns and "industry" not in park.columns


def test_by_enterprise_has_name_sub_park_and_industry_from_the_enterprises(account, ledger):
    firms = account.by("enterprise").set_index("key")
    assert list(firms.columns[:3]) == ["name", "sub_park", "industry"]  # right after the key
    register = ledger.enterprises.set_index("enterprise_id").loc[firms.index]
    for column in ("name", "sub_park", "industry"):
        assert (firms[column] == register[column]).all(), column


def test_the_intensities_table_shows_the_attributes_on_every_level(account):
    # the 碳账本's 排放与强度 sheet shows the table: its sub-park and industry rows are named too
    table = account.intensities
    for level, column in (("sub_park", "sub_park"), ("industry", "industry"), ("park", "name")):
        rows = table[table["level"] == level]
        assert rows[column].notna().all(), level
    sub_parks = table[table["level"] == "sub_park"]
    assert (sub_parks["sub_park"] == sub_parks["key"]).all()


def test_by_takes_the_level_in_chinese_and_refuses_another(account):
    pd.testing.assert_frame_equal(account.by("片区"), account.by("sub_park"))
    with pytest.raises(UnknownNameError, match="sub_park"):
        account.by("district")


# -- 2. shares are fractions everywhere ----------------------------------------------------------------------

#: The verdicts of the sample park before shares became fractions: the change of scale must not move one.
SAMPLE_STATUSES = {
    "carbon_per_energy": "gap",
    "clean_energy_share": "gap",
    "solid_waste_utilization": "achieved",
    "waste_heat_utilization": "achieved",
    "water_reuse": "achieved",
    "product_energy_level": "achieved",
}
SHARES = {
    "clean_energy_share": "clean_energy_share",
    "solid_waste_utilization": "solid_waste_utilization_rate",
    "waste_heat_utilization": "waste_heat_utilization_rate",
    "water_reuse": "water_reuse_rate",
}


def test_a_share_is_the_same_number_in_the_summary_and_the_indicators(account):
    indicators = account.indicators.set_index("indicator")
    for indicator, key in SHARES.items():
        assert indicators.at[indicator, "value"] == account.summary[key], indicator
        assert indicators.at[indicator, "unit"] == "fraction"
        assert 0 <= indicators.at[indicator, "value"] <= 1
    assert indicators.at["clean_energy_share", "value"] == pytest.approx(0.2768, abs=5e-5)
    # the solid-waste rate is the park row of the solid-waste table (a fraction there already)
    park = account.solid_waste.set_index("level").loc["park"]
    assert indicators.at["solid_waste_utilization", "value"] == pytest.approx(park["utilization_rate"], rel=1e-12)


def test_thresholds_are_converted_from_the_factor_files_percent(account):
    factors = carbon.load_factors()
    indicators = account.indicators.set_index("indicator")
    for indicator in SHARES:
        factor = factors.threshold(indicator)
        assert factor.unit == "%" and factor.value > 1  # the file says 90 %: unchanged
        assert indicators.at[indicator, "threshold"] == factor.value / 100
    assert indicators.at["clean_energy_share", "threshold"] == 0.9


def test_the_sample_verdicts_are_unchanged(account):
    assert dict(zip(account.indicators["indicator"], account.indicators["status"], strict=True)) == SAMPLE_STATUSES


def test_gaps_stay_in_their_units(account):
    # a share's gap is what the park lacks, in tce, t or GJ: 90 % of the tce less the clean tce
    row = account.indicators.set_index("indicator").loc["clean_energy_share"]
    tce = account.summary["energy_tce"]
    assert row["gap_unit"] == "tce"
    assert row["gap"] == pytest.approx(0.9 * tce - row["value"] * tce, rel=1e-9)


def test_no_table_column_or_summary_key_is_in_percent(account):
    for name, frame in account.tables.items():
        assert not [c for c in frame.columns if c.endswith("_pct")], name
        if "unit" in frame.columns and name not in ("factors", "detail", "emissions", "energy", "park_method"):
            assert "%" not in set(frame["unit"].dropna().astype(str)), name
    assert not [k for k in account.summary if k.endswith("_pct")]


def test_changes_against_the_baseline_are_fractions(account, ledger):
    s = account.summary
    # against the baseline restated on the 2023 boundary (the sample's enterprises moved in and out); the 2022
    # account of its own boundary is the baseline as reported
    assert s["baseline_reported_total_tco2"] == pytest.approx(ledger.account(2022).summary["total_tco2"], rel=1e-12)
    assert s["change_total"] == pytest.approx(s["total_tco2"] / s["baseline_total_tco2"] - 1, rel=1e-12)
    assert -1 < s["change_total"] < 0  # -0.117: 11.7 % below 2022
    park = account.by("park").iloc[0]
    assert park["change_total"] == s["change_total"]
    assert park["change_tco2_per_tce"] == pytest.approx(park["tco2_per_tce"] / park["baseline_tco2_per_tce"] - 1)
    assert s["change_park910"] == pytest.approx(s["park910_tco2"] / s["baseline_park910_tco2"] - 1, rel=1e-12)


def test_a_projects_relative_difference_is_a_fraction(account):
    projects = account.reductions.dropna(subset=["difference_relative"])
    assert len(projects)
    expected = projects["difference_tco2"] / projects["annual_reduction_tco2"]
    np.testing.assert_allclose(projects["difference_relative"], expected, rtol=1e-12)


def test_the_direct_supply_share_is_a_fraction(account):
    row = account.tables["direct_supply"].iloc[0]
    assert row["threshold"] == 0.5
    assert row["value"] == pytest.approx(account.summary["direct_supply_share"], rel=1e-12)
    expected = (row["direct_line_mwh"] + row["onsite_mwh"] + row["internal_non_fossil_mwh"]) / row[
        "electricity_used_mwh"
    ]
    assert row["value"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("typed", "unit", "target", "status"),
    [
        ("50%", "%", 0.5, "achieved"),  # typed as text with its sign
        (96.0, "%", 0.96, "not_achieved"),  # 96 with the unit %
        (0.95, None, 0.95, "not_achieved"),  # a cell formatted as percent: Excel stores 95 % as 0.95
    ],
)
def test_a_shares_target_is_a_fraction_however_it_was_typed(typed, unit, target, status):
    # the small park's clean-energy share is 0.9438
    targets = pd.DataFrame([{"indicator": "清洁能源消费占比", "year": 2023, "value": typed, "unit": unit}])
    account = small_park(targets=targets).account()
    row = account.targets.iloc[0]
    actual = account.indicators.set_index("indicator").at["clean_energy_share", "value"]
    assert actual == pytest.approx(0.9438, abs=1e-4)
    assert (row["target"], row["unit"], row["status"]) == (pytest.approx(target), "fraction", status)
    assert row["progress"] == pytest.approx(actual / target)


# -- 3. select: ids, Chinese names and aliases; no silent empty frame -------------------------------------


def test_select_takes_chinese_names_where_the_table_holds_ids(account):
    e = account.emissions
    assert not (e["carrier"] == "电力").any()  # the trap: the table holds the id
    by_id = account.select("emissions", carrier="electricity", scope=2)
    by_name = account.select("emissions", carrier="电力", scope=2)
    assert len(by_name) == ((e["carrier"] == "electricity") & (e["scope"] == 2)).sum() > 0
    pd.testing.assert_frame_equal(by_name, by_id)
    market = account.select("emissions", carrier="电力", scope2_method="基于市场", source="购入电力")
    assert (
        len(market)
        and set(market["scope2_method"]) == {"market"}
        and set(market["source"]) == {"purchased_electricity"}
    )
    # the index is the rows' positions in the whole table
    assert (e.loc[market.index, "scope2_method"] == "market").all()


def test_select_takes_several_values_and_blank(account):
    e = account.emissions
    fuels = account.select("emissions", carrier=["原煤", "natural gas", "LNG"])
    assert set(fuels["carrier"]) == {"raw_coal", "natural_gas", "lng"}
    assert len(fuels) == e["carrier"].isin(["raw_coal", "natural_gas", "lng"]).sum()
    scope1 = account.select("emissions", scope2_method=None)
    assert len(scope1) == (e["scope"] == 1).sum()


def test_select_filters_free_text_as_the_table_holds_it(account):
    sub_park = account.by("sub_park")["key"].iloc[0]
    rows = account.select("emissions", sub_park=sub_park, in_total=True)
    assert rows["emissions_tco2"].sum() == pytest.approx(account.by("sub_park").at[0, "total_tco2"], rel=1e-12)


@pytest.mark.parametrize(
    ("where", "suggested"),
    [
        ({"carrier": "电立"}, "电力"),  # a typo of a carrier
        ({"scope2_method": "marketing"}, "market"),
        ({"sub_park": "光伏片区"}, "光伏材料片区"),  # free text: the nearest values the table holds
        ({"scope": 3}, "1, 2"),
        ({"colour": "red"}, "carrier"),  # no such column
    ],
)
def test_select_refuses_a_name_that_matches_nothing(account, where, suggested):
    with pytest.raises(UnknownNameError) as raised:
        account.select("emissions", **where)
    message = str(raised.value)
    assert suggested in message and " / " in message  # bilingual, with suggestions


def test_select_refuses_an_unknown_table(account):
    with pytest.raises(UnknownNameError, match="emissions"):
        account.select("emission", carrier="电力")


def test_a_known_carrier_the_park_does_not_use_selects_no_rows(account):
    # coke is a carrier (not a typo): no rows is the answer, as documented
    assert "coke" not in set(account.emissions["carrier"])
    assert account.select("emissions", carrier="焦炭").empty


def test_select_works_on_the_small_tables_too(account):
    rows = account.select("indicators", status="达标")
    assert set(rows["indicator"]) == {k for k, v in SAMPLE_STATUSES.items() if v == "achieved"}


# -- 4. in_total: scope 2 once -------------------------------------------------------------------------------


def test_in_total_rows_add_up_to_the_headline_total(account):
    assert account.methods["scope2"] == "both"
    e = account.emissions
    assert e["in_total"].dtype == bool
    total = account.summary["total_tco2"]
    assert e.loc[e["in_total"], "emissions_tco2"].sum() == pytest.approx(total, rel=1e-12)
    assert account.total_tco2() == pytest.approx(total, rel=1e-12)
    # the plain sum counts scope 2 twice: location-based on top
    plain = e["emissions_tco2"].sum()
    assert plain == pytest.approx(total + account.summary["scope2_location_tco2"], rel=1e-12)
    assert abs(plain - total) > 1e5
    # what in_total marks: scope 1, and scope 2 market-based (the headline method)
    expected = (e["scope"] == 1) | (e["scope2_method"] == "market")
    assert (e["in_total"] == expected).all()


def test_in_total_per_sub_park_gives_the_levels_totals(account):
    per_sub_park = account.by("sub_park").set_index("key")["total_tco2"]
    for sub_park, total in per_sub_park.items():
        assert account.total_tco2(sub_park=sub_park) == pytest.approx(total, rel=1e-12), sub_park


@pytest.mark.parametrize(
    ("choices", "total"),
    [({"scope2": "location"}, "total_location_tco2"), ({"scope2": "market"}, "total_market_tco2")],
)
def test_in_total_follows_the_headline_method(choices, total):
    account = small_park().account(**choices)
    e = account.emissions
    assert e["in_total"].all()  # one method kept: every row counts
    assert e.loc[e["in_total"], "emissions_tco2"].sum() == pytest.approx(account.summary[total], rel=1e-12)
    assert account.summary["total_tco2"] == account.summary[total]


def test_in_total_with_ch4_and_n2o():
    account = small_park().account(non_co2=True)
    e = account.emissions
    assert {"CH4", "N2O"} <= set(e.loc[e["in_total"], "gas"])
    assert account.total_tco2() == pytest.approx(account.summary["total_tco2"], rel=1e-12)


# -- 5. Chinese in plots ----------------------------------------------------------------------------------------


def _cjk_fonts_module():
    """A fresh copy of examples/cjk_fonts.py (its warn-once flag starts unset)."""
    spec = importlib.util.spec_from_file_location("cjk_fonts_under_test", REPO / "examples" / "cjk_fonts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _has_cjk_font() -> bool:
    from matplotlib import font_manager

    return any("cjk" in path.lower() or "wqy" in path.lower() for path in font_manager.findSystemFonts())


def test_the_helper_draws_chinese_without_missing_glyphs():
    if not _has_cjk_font():
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def glyph_warnings() -> list[str]:
        fig, ax = plt.subplots()
        ax.set_title("各片区排放 电力")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
        plt.close(fig)
        return [str(w.message) for w in caught if "missing from font" in str(w.message)]

    with matplotlib.rc_context():
        assert glyph_warnings()  # the default font has no Chinese
        font = _cjk_fonts_module().use_cjk_font()
        assert font and matplotlib.rcParams["font.sans-serif"][0] == font
        assert matplotlib.rcParams["axes.unicode_minus"] is False
        assert glyph_warnings() == []


def test_the_helper_warns_once_and_goes_on_without_a_cjk_font(monkeypatch):
    import matplotlib

    module = _cjk_fonts_module()
    monkeypatch.setattr(module, "CJK_FONTS", ("No Such Font CJK",))
    monkeypatch.setattr(module, "_FILE_HINTS", ())
    with matplotlib.rc_context():
        before = list(matplotlib.rcParams["font.sans-serif"])
        with pytest.warns(UserWarning, match="no CJK font found"):
            assert module.use_cjk_font() is None
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert module.use_cjk_font() is None  # once only
        assert list(matplotlib.rcParams["font.sans-serif"]) == before


@pytest.mark.parametrize("script", ["scenario_green_power.py", "account.py"])
def test_the_plotting_examples_draw_chinese(script, tmp_path):
    if not _has_cjk_font():
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    result = subprocess.run(
        [sys.executable, str(REPO / "examples" / script)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "missing from font" not in result.stderr
    assert list(tmp_path.glob("*.png"))


def test_select_takes_a_number_typed_as_text_and_refuses_what_is_no_value(account):
    assert len(account.select("emissions", scope="2")) == len(account.select("emissions", scope=2)) > 0
    with pytest.raises(carbon.CarbonError, match="one value or a list"):
        account.select("emissions", enterprise_id={"a": 1})


def test_total_tco2_refuses_another_scope2_method_rather_than_giving_0(account):
    with pytest.raises(carbon.CarbonError, match="headline method"):
        account.total_tco2(scope2_method="location")


def test_at_least_gap_refuses_a_threshold_in_percent():
    from carbon.indicators import at_least_gap

    assert at_least_gap(50.0, 100.0, 0.8) == pytest.approx(30.0)
    with pytest.raises(ValueError, match="not a fraction"):
        at_least_gap(50.0, 100.0, 80)
