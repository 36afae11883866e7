"""Many years in one ledger: the trend, the boundary of each year, the restated baseline, targets and their pace.

Expectations are computed from the accounts of single years (and by hand from their figures), never typed in:
the sample park grows new years of data."""

from __future__ import annotations

import math
import zipfile

import numpy as np
import pandas as pd
import pytest

import carbon
from carbon.account.years import TREND_FIGURES, parse_years
from carbon.cli import main
from carbon.errors import CarbonError
from carbon.io.account_workbook import read_account


@pytest.fixture(scope="module")
def sample():
    return carbon.read_workbook(carbon.sample_workbook_path())


def _frames(ledger):
    return {name: frame.drop(columns=["source_row"]) for name, frame in ledger.tables.items() if len(frame)}


def _with(ledger, **changes):
    """The sample rebuilt through Ledger.from_frames with some tables changed (validated as a workbook is)."""
    tables = _frames(ledger)
    tables.update(changes)
    return carbon.Ledger.from_frames(dict(ledger.park), **tables)


def _firm_with_both_years(ledger) -> str:
    """An enterprise with energy in 2022 and 2023 and in no park-method flow (its own boundary change is simple)."""
    energy = ledger.energy
    flows = ledger.power_heat_flows
    in_flows = set(flows["supplier_id"].dropna()) | set(flows["receiver_id"].dropna())
    both = set(energy.loc[energy["year"] == 2022, "enterprise_id"]) & set(
        energy.loc[energy["year"] == 2023, "enterprise_id"]
    )
    changed = set(ledger.enterprises.loc[ledger.enterprises["boundary_change"].notna(), "enterprise_id"])
    return sorted(str(e) for e in both - in_flows - changed)[0]


def _firm_total(account, enterprise: str) -> float:
    firms = account.by("enterprise").set_index("key")
    return float(firms.at[enterprise, "total_tco2"])


def test_parse_years():
    assert parse_years("2020-2023") == [2020, 2021, 2022, 2023]
    assert parse_years("2023,2020-2021") == [2020, 2021, 2023]
    assert parse_years("2021，2022") == [2021, 2022]
    assert parse_years([2023, 2021, 2021]) == [2021, 2023]
    for bad in ("20x0", "", "1800-1801", "2020-2090,2095-2200"):
        with pytest.raises(CarbonError, match="/"):
            parse_years(bad)


def test_trend_equals_each_years_account(sample):
    yearly = sample.accounts("2022-2023")
    trend = yearly.trend.set_index(["figure", "year"])
    for year in (2022, 2023):
        single = sample.account(year)
        for key in ("park910_tco2", "total_tco2", "energy_tce", "carbon_per_energy_tco2_per_tce", "scope1_tco2"):
            assert trend.at[(key, year), "value"] == pytest.approx(single.summary[key], rel=1e-12)
        park = single.by("park").iloc[0]
        assert trend.at[("added_value", year), "value"] == pytest.approx(park["added_value"])
        assert trend.at[("tce_per_10k_yuan_added_value", year), "value"] == pytest.approx(
            single.summary["energy_tce"] / park["added_value"]
        )
        # the indicators' verdicts ride on their headline rows (no second row of the same number)
        verdicts = trend.xs(year, level="year").dropna(subset=["verdict"])["verdict"]
        assert dict(verdicts) == {
            figure.key: single.indicators.set_index("indicator").at[figure.indicator, "status"]
            for figure in TREND_FIGURES
            if figure.indicator
        }
        assert trend.at[("product_energy_level", year), "value"] == pytest.approx(
            single.indicators.set_index("indicator").at["product_energy_level", "value"]
        )
    assert yearly.account.year == sample.park["reporting_year"]


def test_a_year_without_data_is_blank_and_said_never_zero(sample):
    have = sorted(int(y) for y in sample.energy["year"].unique())
    missing = min(have) - 1
    yearly = sample.accounts([missing, *have])
    assert missing in yearly.missing and missing not in yearly.accounts
    rows = yearly.trend[yearly.trend["year"] == missing]
    assert rows["value"].isna().all()
    assert set(rows["status"]) == {"no_account"}
    assert rows["note"].str.contains("no energy data").all()


def test_a_figure_without_its_sheets_rows_is_blank_and_said(sample):
    waste = _frames(sample)["solid_waste"]
    ledger = _with(sample, solid_waste=waste[waste["year"] != 2021])
    trend = ledger.accounts("2021-2022").trend.set_index(["figure", "year"])
    row = trend.loc[("solid_waste_utilization_rate", 2021)]
    assert row["status"] == "no_data" and math.isnan(row["value"]) and "solid_waste" in row["note"]
    assert trend.loc[("solid_waste_utilization_rate", 2022), "status"] == "ok"


def test_a_stand_in_factor_and_a_missing_park_table_are_flagged(sample):
    products = _frames(sample)["products"]
    ledger = _with(sample, products=products[products["year"] != 2021])
    trend = ledger.accounts("2020-2022").trend.set_index(["figure", "year"])
    # 2020 takes the 2021 electricity factors (the first published): every figure they touch says so
    for figure in ("scope2_location_tco2", "total_tco2"):
        row = trend.loc[(figure, 2020)]
        assert row["status"] == "fallback" and "elec.2021" in row["note"] and row["value"] > 0
    assert trend.loc[("scope1_tco2", 2020), "status"] == "ok"
    # E_park of 2021 counted without 工业产品, which the other years have
    row = trend.loc[("park910_tco2", 2021)]
    assert row["status"] == "incomplete" and "products" in row["note"]
    assert trend.loc[("carbon_per_energy_tco2_per_tce", 2021), "status"] == "incomplete"


def test_enterprises_missing_from_the_economics_make_intensities_incomplete(sample):
    """Ten enterprises with energy but no economics row in 2022: the intensities per 万元 would read high; they are
    flagged, and a reduction target against 2022 is not computed."""
    economics = _frames(sample)["economics"]
    dropped = economics[economics["year"] == 2022].index[:10]
    targets = pd.DataFrame(
        [{"indicator": "energy_intensity_reduction", "year": 2025, "value": 13.5, "unit": "%", "base_year": 2022}]
    )
    ledger = _with(sample, economics=economics.drop(dropped), targets=targets)
    trend = ledger.accounts("2022-2023").trend.set_index(["figure", "year"])
    for figure in ("added_value", "tce_per_10k_yuan_added_value", "park910_per_10k_yuan_added_value"):
        row = trend.loc[(figure, 2022)]
        assert row["status"] == "incomplete" and "no economics" in row["note"], figure
    assert trend.loc[("tce_per_10k_yuan_added_value", 2023), "status"] == "ok"
    target = ledger.account(2023).targets.iloc[0]
    assert math.isnan(target["actual"]) and target["status"] == "missing_data"
    assert "no added value in 2022" in target["note"]


def test_an_enterprise_with_economics_and_no_energy_in_a_year(sample):
    """Economics for a year the enterprise has no energy in (a plant idle that year) is a valid ledger."""
    economics = _frames(sample)["economics"]
    energy = _frames(sample)["energy"]
    linked = set()
    for name in (
        "green_power",
        "products",
        "generation",
        "conversion_outputs",
        "boilers",
        "projects",
        "custom_factors",
    ):
        linked |= set(getattr(sample, name)["enterprise_id"].dropna().astype(str))
    flows = sample.power_heat_flows
    linked |= set(flows["supplier_id"].dropna()) | set(flows["receiver_id"].dropna())
    firm = sorted(set(economics.loc[economics["year"] == 2023, "enterprise_id"].astype(str)) - linked)[0]
    ledger = _with(sample, energy=energy[~((energy["enterprise_id"] == firm) & (energy["year"] == 2023))])
    park = ledger.account(2023).by("park").iloc[0]
    assert park["added_value"] == pytest.approx(economics.loc[economics["year"] == 2023, "added_value"].sum())


def test_the_main_year_is_checked(sample, capsys):
    with pytest.raises(CarbonError, match="main year 2021 must be among"):
        sample.accounts("2022-2023", main_year=2021)
    with pytest.raises(CarbonError, match="main year 2019"):
        sample.accounts("2019-2023", main_year=2019)
    assert sample.accounts("2020-2022").main_year == 2022  # the reporting year 2023 not asked for: the latest
    assert main(["ledger", "--year", "2021", "--years", "2022-2023", "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "主年份" in err and "main year" in err and "Traceback" not in err


def test_a_target_against_a_year_without_data(sample):
    rows = [
        {"indicator": "energy_intensity_reduction", "year": 2025, "value": 13.5, "unit": "%", "base_year": 2015},
        {"indicator": "energy_consumption", "year": 2025, "value": 1_100_000, "unit": "tce", "base_year": 2015},
        {"indicator": "clean_energy_share", "year": 2025, "value": 50, "unit": "%", "base_year": 2020},
    ]
    targets = _targets(sample, rows).account(2023).targets.set_index("indicator")
    reduction = targets.loc["energy_intensity_reduction"]
    assert math.isnan(reduction["actual"]) and reduction["status"] == "missing_data"
    assert "no energy data for 2015" in reduction["note"]
    cap = targets.loc["energy_consumption"]
    assert math.isnan(cap["base_value"]) and "no energy data for 2015" in cap["note"]
    share = targets.loc["clean_energy_share"]  # a share: the pace needed, and said why no base value
    assert share["pace_needed"] == pytest.approx((0.5 - share["actual"]) / 2)
    assert "share" in share["note"]


def test_a_move_without_baseline_data_restates_nothing_and_says_so(sample):
    firms = _frames(sample)["enterprises"].copy()
    firms[["joined_year", "left_year", "boundary_change", "boundary_note"]] = None
    # an enterprise new to the boundary in 2023 with no 2022 rows, marked as moved in
    silicon = sample.enterprises.loc[sample.enterprises["boundary_change"] == "new_build", "enterprise_id"].iloc[0]
    energy = _frames(sample)["energy"]
    energy = energy[~((energy["enterprise_id"] == silicon) & (energy["year"] == 2022))]
    at = firms.index[firms["enterprise_id"] == silicon][0]
    firms.loc[at, ["joined_year", "boundary_change"]] = [2023, "moved_in"]
    products = _frames(sample)["products"]
    products = products[~((products["enterprise_id"] == silicon) & (products["year"] == 2022))]
    account = _with(sample, enterprises=firms, energy=energy, products=products).account(2023)
    assert account.summary["baseline_restated"] is False
    assert any("could not be restated" in note for note in account.notes)


def test_no_year_with_data_is_refused(sample):
    with pytest.raises(CarbonError, match="none of the years"):
        sample.accounts("1995-1996")


def test_trend_sheet_chart_and_round_trip(sample, tmp_path):
    yearly = sample.accounts("2022-2023")
    path = yearly.to_excel(tmp_path / "trend.xlsx")
    back = read_account(path)
    got, want = back.tables["trend"], yearly.trend
    assert list(got["figure"]) == list(want["figure"])
    np.testing.assert_allclose(got["value"].astype(float), want["value"].astype(float), rtol=1e-12)
    assert list(got["status"]) == list(want["status"])
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        texts = "".join(archive.read(n).decode() for n in charts)
    assert "逐年趋势 Trend by year" in texts  # a chart reads its series from the trend sheet


def test_moved_in_restates_the_baseline(sample):
    firm = _firm_with_both_years(sample)
    before = sample.account(2023)
    firms = _frames(sample)["enterprises"].copy()
    at = firms.index[firms["enterprise_id"] == firm][0]
    firms.loc[at, ["joined_year", "boundary_change", "boundary_note"]] = [2023, "moved_in", "区划调整划入"]
    moved = _with(sample, enterprises=firms)
    after = moved.account(2023)
    own_2022 = _firm_total(sample.account(2022), firm)
    # the year itself is unchanged: the enterprise is inside in 2023
    assert after.summary["total_tco2"] == pytest.approx(before.summary["total_tco2"], rel=1e-12)
    # as reported, 2022 did not count it; restated on the 2023 boundary, it does
    assert after.summary["baseline_restated"] is True
    assert after.summary["baseline_reported_total_tco2"] == pytest.approx(
        before.summary["baseline_reported_total_tco2"] - own_2022, rel=1e-9
    )
    assert after.summary["baseline_total_tco2"] == pytest.approx(before.summary["baseline_total_tco2"], rel=1e-12)
    row = after.tables["restatement"].set_index("enterprise_id").loc[firm]
    assert not row["in_baseline_reported"] and row["in_baseline_restated"]
    assert row["adjustment_tco2"] == pytest.approx(own_2022)
    assert "restated" in row["reason"] or "added to" in row["reason"]
    assert any("restated on the current boundary" in note for note in after.notes)
    # the 2022 account of its own year leaves the enterprise out, and says so
    own_year = moved.account(2022)
    assert firm not in set(own_year.emissions["enterprise_id"].astype(str))
    assert any("outside the park's boundary in 2022" in note for note in own_year.notes)


def test_moved_out_and_organic_changes(sample):
    firm = _firm_with_both_years(sample)
    firms = _frames(sample)["enterprises"].copy()
    at = firms.index[firms["enterprise_id"] == firm][0]
    firms.loc[at, ["left_year", "boundary_change"]] = [2023, "moved_out"]
    out = _with(sample, enterprises=firms).account(2023)
    base = sample.account(2023)
    # its 2023 rows are left out (and listed); the baseline is restated without it
    assert out.summary["total_tco2"] == pytest.approx(base.summary["total_tco2"] - _firm_total(base, firm), rel=1e-9)
    assert out.summary["baseline_total_tco2"] == pytest.approx(
        base.summary["baseline_total_tco2"] - _firm_total(sample.account(2022), firm), rel=1e-9
    )
    assert out.summary["baseline_reported_total_tco2"] == pytest.approx(
        base.summary["baseline_reported_total_tco2"], rel=1e-12
    )
    # the same departure as a closure is organic: the baseline is not restated for it
    firms.loc[at, "boundary_change"] = "closed"
    closed = _with(sample, enterprises=firms).account(2023)
    assert closed.summary["baseline_total_tco2"] == pytest.approx(base.summary["baseline_total_tco2"], rel=1e-12)
    row = closed.tables["restatement"].set_index("enterprise_id").loc[firm]
    assert row["adjustment_tco2"] == 0 and "not restated" in row["reason"]


def test_boundary_change_needs_its_kind_and_year(sample):
    firms = _frames(sample)["enterprises"].copy()
    firms.loc[firms.index[0], "joined_year"] = 2023
    firms.loc[firms.index[1], ["boundary_change"]] = ["moved_out"]
    with pytest.raises(CarbonError) as error:
        _with(sample, enterprises=firms)
    text = str(error.value)
    assert "enterprises!boundary_change row 1" in text and "enterprises!left_year row 2" in text


def _targets(sample, rows, *, boundary=False):
    """The sample with these targets; without its boundary changes unless ``boundary``."""
    changes = {"targets": pd.DataFrame(rows)}
    if not boundary:
        firms = _frames(sample)["enterprises"].copy()
        firms[["joined_year", "left_year", "boundary_change", "boundary_note"]] = None
        changes["enterprises"] = firms
    return _with(sample, **changes)


def test_reduction_target_progress_and_pace(sample):
    ledger = _targets(
        sample,
        [
            {"indicator": "单位工业增加值能耗降低率", "year": 2025, "value": 13.5, "unit": "%", "base_year": 2022},
            {"indicator": "碳排放强度降低率", "year": 2025, "value": 18, "unit": "%", "base_year": 2022},
            {"indicator": "综合能源消费量", "year": 2025, "value": 900_000, "unit": "tce"},
            {"indicator": "碳排放总量", "year": 2025, "value": 9_000_000, "unit": "tCO2"},
        ],
    )
    account = ledger.account(2023)
    targets = account.targets.set_index("indicator")
    base, now = ledger.account(2022), ledger.account(2023)
    row = targets.loc["energy_intensity_reduction"]
    # by hand: the intensity per 万元 of added value, at the prices the row says (the sample gives constant ones)
    column = "added_value_constant" if "at constant prices" in row["note"] else "added_value"
    economics = ledger.economics
    per = {y: {"added_value": economics.loc[economics["year"] == y, column].sum()} for y in (2022, 2023)}
    energy = 1 - (now.summary["energy_tce"] / per[2023]["added_value"]) / (
        base.summary["energy_tce"] / per[2022]["added_value"]
    )
    assert row["actual"] == pytest.approx(energy, rel=1e-9)
    assert row["progress"] == pytest.approx(energy / 0.135, rel=1e-9)
    assert row["pace_so_far"] == pytest.approx(energy, rel=1e-9)  # one year since the base year
    assert row["pace_needed"] == pytest.approx(1 - ((1 - 0.135) / (1 - energy)) ** 0.5, rel=1e-9)
    carbon_row = targets.loc["carbon_intensity_reduction"]
    e_park = 1 - (now.summary["park910_tco2"] / per[2023]["added_value"]) / (
        base.summary["park910_tco2"] / per[2022]["added_value"]
    )
    assert carbon_row["actual"] == pytest.approx(e_park, rel=1e-9)
    assert "scope 1 + 2" in carbon_row["note"]  # the other basis is shown beside
    assert "at constant prices" in carbon_row["note"] or "at current prices" in carbon_row["note"]
    cap = targets.loc["energy_consumption"]
    # above the cap: the yearly fall needed to be under it by 2025
    assert cap["status"] == "in_progress"
    assert cap["pace_needed"] == pytest.approx((900_000 / now.summary["energy_tce"]) ** 0.5 - 1, rel=1e-9)
    assert cap["pace_needed"] < 0
    # a cap met this year: no pace, and said
    met = targets.loc["total_emissions"]
    assert met["status"] == "achieved_early" and math.isnan(met["pace_needed"]) and "no pace needed" in met["note"]
    assert cap["base_value"] == pytest.approx(base.summary["energy_tce"], rel=1e-9)


def test_constant_prices_are_used_where_given(sample):
    economics = _frames(sample)["economics"].copy()
    economics["added_value_constant"] = economics["added_value"] / np.where(economics["year"] == 2023, 1.05, 1.0)
    firms = _frames(sample)["enterprises"].copy()
    firms[["joined_year", "left_year", "boundary_change", "boundary_note"]] = None
    ledger = _with(
        sample,
        economics=economics,
        enterprises=firms,
        targets=pd.DataFrame(
            [{"indicator": "energy_intensity_reduction", "year": 2025, "value": 13.5, "unit": "%", "base_year": 2022}]
        ),
    )
    row = ledger.account(2023).targets.iloc[0]
    assert row["note"].startswith("按可比价 / at constant prices")
    base, now = ledger.account(2022), ledger.account(2023)
    av = {y: float(economics.loc[economics["year"] == y, "added_value_constant"].sum()) for y in (2022, 2023)}
    # (the sample's economics rows are those of the enterprises with energy in the year)
    expected = 1 - (now.summary["energy_tce"] / av[2023]) / (base.summary["energy_tce"] / av[2022])
    assert row["actual"] == pytest.approx(expected, rel=1e-9)


def test_cli_years(tmp_path, capsys):
    out = tmp_path / "l.xlsx"
    assert main(["ledger", "--years", "2022-2023", "-o", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "趋势 trend" in printed and "2022" in printed
    assert "逐年趋势 Trend by year" in pd.ExcelFile(out, engine="openpyxl").sheet_names
    assert main(["ledger", "--years", "twenty", "-o", str(tmp_path / "m.xlsx"), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "无法识别" in err and "not understood" in err and "Traceback" not in err


def test_a_targets_base_year_is_on_the_current_boundary(sample):
    """With enterprises moved in and out, a cap's base-year value is the base year restated on the year's boundary:
    the base year's own account, less those moved out, plus the base-year figures of those moved in."""
    rows = [{"indicator": "综合能源消费量", "year": 2025, "value": 1_100_000, "unit": "tce", "base_year": 2022}]
    ledger = _targets(sample, rows, boundary=True)
    cap = ledger.account(2023).targets.iloc[0]
    firms = sample.enterprises.set_index("enterprise_id")
    moved_out = firms.index[(firms["boundary_change"] == "moved_out") & (firms["left_year"] <= 2023)]
    moved_in = firms.index[(firms["boundary_change"] == "moved_in") & (firms["joined_year"] > 2022)]
    assert len(moved_out) and len(moved_in)  # the sample carries both
    own = sample.account(2022).by("enterprise").set_index("key")["tce"]
    everyone = _targets(sample, rows).account(2022).by("enterprise").set_index("key")["tce"]
    expected = own.sum() - own.reindex(moved_out).fillna(0).sum() + everyone.reindex(moved_in).fillna(0).sum()
    assert cap["base_value"] == pytest.approx(expected, rel=1e-9)


def test_the_printed_trend_is_a_year_per_column_with_its_notes(sample, tmp_path):
    """What staff read: a row per figure, a column per year, a dash and a numbered note where a year has no data."""
    import openpyxl

    from carbon.schema.outputs import TREND_SHEET

    have = sorted(int(y) for y in sample.energy["year"].unique())
    yearly = sample.accounts([min(have) - 1, *have[-2:]])
    path = yearly.to_excel(tmp_path / "t.xlsx", lang="zh")
    rows = list(openpyxl.load_workbook(path)[TREND_SHEET].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "数据项")
    assert list(header[2:5]) == [min(have) - 1, *have[-2:]]
    e_park = next(r for r in rows if r and str(r[0]).startswith("园区碳排放（910号"))
    assert e_park[2] is None  # the year without data: blank (grey), never 0; its charts draw a gap
    assert e_park[3] == pytest.approx(yearly.accounts[have[-2]].summary["park910_tco2"])
    assert f"{min(have) - 1} [1]" in str(e_park[5])
    assert any(str(r[0]).startswith("[1] ") and "年无能源数据" in str(r[0]) for r in rows if r and r[0])


def test_every_note_of_the_trend_and_targets_is_chinese_then_english(sample):
    """The form Words.note reads: parts joined by '; ', each '中文 / English' (a Chinese 碳账本 shows one side)."""
    import re

    yearly = sample.accounts("2019-2023")
    texts = set(yearly.trend["note"].dropna()) | set(yearly.account.targets["note"].dropna())
    texts |= set(yearly.account.tables["restatement"]["reason"].dropna())
    assert len(texts) > 5
    for text in texts:
        for part in re.split(r";\s+", text):
            zh, separator, en = part.partition(" / ")
            assert separator and " / " not in en and re.search(r"[\u4e00-\u9fff]", zh), part
