"""carbon.diff and ``carbon diff``: what changed between two runs, and why.

The acceptance test edits a copy of the bundled sample park with openpyxl, three cells found by their content
(never by a fixed row: the sample is regenerated as it grows), and expects exactly those three causes, each with
the figures it moved, and only figures that moved.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import openpyxl
import pandas as pd
import pytest

import carbon
from carbon import Ledger, Methods
from carbon.cli import main
from carbon.diff import Diff
from carbon.diff.figures import _NAMES, figure_name_of, figures_of, target_figure
from carbon.diff.rows import TOLERANCE
from carbon.errors import CarbonError
from carbon.io.diff_workbook import ATTRIBUTION_SHEET, CAUSES_SHEET, SUMMARY_SHEET, show_value
from carbon.io.words import Words
from carbon.schema import table as input_table

SAMPLE = carbon.sample_workbook_path()


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return carbon.read_workbook(SAMPLE)


def _column(sheet, name: str) -> int:
    """The column of the sheet whose header names the glossary column ``name`` (``消费量 quantity``)."""
    for row in sheet.iter_rows(min_row=1, max_row=3):
        for cell in row:
            if isinstance(cell.value, str) and name in cell.value.replace("\n", " ").split():
                return cell.column
    raise KeyError(name)


def _edits(ledger: Ledger) -> dict[str, pd.Series]:
    """The three rows to edit, found by what they hold: the first 2023 electricity row of the enterprise that
    uses the most electricity; the first project completed in the reporting year; the first measured calorific
    value of a fuel its enterprise burns in that year."""
    year = int(ledger.park["reporting_year"])
    energy = ledger.energy
    power = energy[(energy["year"] == year) & (energy["carrier"] == "electricity")]
    biggest = power.groupby("enterprise_id", observed=True)["quantity"].sum().idxmax()
    name = ledger.enterprises.set_index("enterprise_id").at[biggest, "name"]
    first = power[power["enterprise_id"] == biggest].sort_values("source_row").iloc[0]
    projects = ledger.projects
    done = projects[(projects["status"] == "completed") & (projects["completion_date"].dt.year == year)]
    burned = energy[(energy["year"] == year) & (energy["use"] == "fuel")]
    burned = set(zip(burned["enterprise_id"].astype(str), burned["carrier"].astype(str), strict=True))
    custom = ledger.custom_factors
    measured = custom[
        (custom["parameter"] == "ncv")
        & np.array([(e, c) in burned for e, c in zip(custom["enterprise_id"], custom["carrier"], strict=True)])
    ]
    assert name and len(done) and len(measured)
    return {"energy": first, "projects": done.iloc[0], "custom_factors": measured.iloc[0]}


@pytest.fixture(scope="module")
def edited(ledger, tmp_path_factory) -> tuple[str, dict[str, pd.Series]]:
    """A copy of the sample with three cells changed: an energy quantity, a project's status (已完成 -> 在建) and a
    measured net calorific value."""
    path = tmp_path_factory.mktemp("diff") / "园区_修订.xlsx"
    shutil.copy(SAMPLE, path)
    rows = _edits(ledger)
    book = openpyxl.load_workbook(path)
    for table, column, value in (
        ("energy", "quantity", float(rows["energy"]["quantity"]) + 1000.0),
        ("projects", "status", "在建"),
        ("custom_factors", "value", round(float(rows["custom_factors"]["value"]) * 1.05, 4)),
    ):
        sheet = book[input_table(table).sheet]
        sheet.cell(int(rows[table]["source_row"]), _column(sheet, column)).value = value
    book.save(path)
    return str(path), rows


@pytest.fixture(scope="module")
def three(edited) -> Diff:
    return carbon.diff(SAMPLE, edited[0])


def test_three_edits_are_exactly_the_three_causes(three, edited):
    _, rows = edited
    causes = three.causes
    assert len(causes) == 3, three.to_text()
    assert list(zip(causes["table"], causes["column"], strict=True)) == [
        ("energy", "quantity"),
        ("projects", "status"),
        ("custom_factors", "value"),
    ]
    assert list(causes["kind"]) == ["input_row"] * 3 and list(causes["change"]) == ["changed"] * 3
    for cause in causes.to_dict("records"):
        row = int(rows[cause["table"]]["source_row"])
        assert cause["row_a"] == cause["row_b"] == row
        assert cause["sheet"] == input_table(cause["table"]).sheet
    energy, project, factor = causes.to_dict("records")
    assert energy["new"] == pytest.approx(energy["old"] + 1000.0)
    assert (project["old"], project["new"]) == ("completed", "under_construction")
    assert factor["new"] == pytest.approx(factor["old"] * 1.05)
    assert energy["key"].startswith(str(rows["energy"]["enterprise_id"]))
    assert "custom:" in factor["note"]


def test_each_cause_moved_its_figures_and_only_changed_figures_are_listed(three, edited, ledger):
    moved = {c["table"]: set(c["figures"].split(", ")) for c in three.causes.to_dict("records")}
    assert {"energy_tce", "total_tco2", "park910_tco2", "indicator:carbon_per_energy"} <= moved["energy"]
    assert {"projects_completed", "reduction_tco2"} <= moved["projects"]
    assert "energy_tce" not in moved["projects"] and "projects_completed" not in moved["energy"]
    assert {"scope1_tco2", "park910_fuel_tco2"} <= moved["custom_factors"]
    # only figures that moved, every one of them, each with the causes that moved it
    before = figures_of(ledger.account())
    after = figures_of(carbon.read_workbook(edited[0]).account())
    changed = {
        k for k in before if abs(after[k] - before[k]) > TOLERANCE * max(1.0, abs(before[k])) or np.isnan(after[k])
    }
    figures = three.figures.set_index("figure")
    assert set(figures.index) == changed
    assert all(figures["causes"] != "")
    assert set(moved["energy"] | moved["projects"] | moved["custom_factors"]) == changed


def test_the_steps_add_up_to_the_total_change(three):
    attribution, figures = three.attribution, three.figures.set_index("figure")
    assert list(attribution["basis"]) == ["recomputed"] * 3 and three.recomputed
    assert list(attribution["causes"]) == ["1", "2", "3"]
    for figure, change in figures["change"].items():
        assert attribution[figure].sum() == pytest.approx(change, rel=1e-9, abs=1e-9)
    assert any("sequential replacement" in note and "order" in note for note in three.notes)


def test_the_text_lists_the_three_causes_and_what_they_moved(three):
    text = three.to_text()
    assert "原因 / causes: 3" in text and "\n  4. " not in text
    for table in ("energy", "projects", "custom_factors"):
        spec = input_table(table)
        assert f"{spec.zh} {spec.name}" in text
    assert "已完成 completed → 在建 under construction" in text
    english = three.to_text("en")
    assert "causes: 3" in english and "completed → under construction" in english
    assert "已完成" not in english
    assert "在建" in three.to_text("zh") and "under construction" not in three.to_text("zh")


@pytest.fixture(scope="module")
def constant_prices(ledger, tmp_path_factory) -> tuple[str, pd.Series]:
    """A copy of the sample with one cell changed: the constant-price added value of the base year (2020) of the
    enterprise with the most, 10 % more (the row found by what it holds)."""
    economics = ledger.economics
    base = economics[economics["year"] == 2020]
    row = base.loc[base["added_value_constant"].idxmax()]
    path = tmp_path_factory.mktemp("diff") / "园区_可比价.xlsx"
    shutil.copy(SAMPLE, path)
    book = openpyxl.load_workbook(path)
    sheet = book[input_table("economics").sheet]
    cell = sheet.cell(int(row["source_row"]), _column(sheet, "added_value_constant"))
    assert cell.value == pytest.approx(float(row["added_value_constant"]))
    cell.value = round(float(row["added_value_constant"]) * 1.1, 1)
    book.save(path)
    return str(path), row


def test_an_edit_of_the_base_year_moves_the_targets(constant_prices, ledger, capsys):
    path, row = constant_prices
    found = carbon.diff(SAMPLE, path)
    causes = found.causes
    assert len(causes) == 1, found.to_text()
    cause = causes.iloc[0]
    assert (cause["table"], cause["column"], cause["row_a"], cause["row_b"]) == (
        "economics",
        "added_value_constant",
        int(row["source_row"]),
        int(row["source_row"]),
    )
    targets = ledger.targets
    year = int(targets.loc[targets["indicator"] == "energy_intensity_reduction", "year"].iloc[0])
    actual = target_figure("energy_intensity_reduction", year, "actual")
    figures = found.figures.set_index("figure")
    assert actual in figures.index and actual in cause["figures"].split(", ")
    assert set(figures["causes"]) == {"1"} and set(figures["source"]) == {"targets"}
    moved = figures.loc[actual]
    assert moved["name_zh"] == f"目标 单位工业增加值能耗降低率 {year}：实际值"
    assert moved["name_en"] == f"target energy intensity reduction {year}: actual"
    assert moved["unit"] == "fraction" and moved["b"] < moved["a"]  # more added value in the base year: less fall
    before = ledger.account().targets.set_index("indicator").at["energy_intensity_reduction", "actual"]
    assert moved["a"] == pytest.approx(before)
    # the one step is the whole change, in the text, the JSON and the workbook
    assert found.attribution[actual].tolist() == pytest.approx([moved["change"]])
    text = found.to_text()
    assert "figures changed: 0" not in text
    assert f"目标 单位工业增加值能耗降低率 {year}：实际值 target energy intensity reduction {year}: actual" in text
    assert f"{show_value(moved['a'], 'fraction')} → {show_value(moved['b'], 'fraction')}" in text
    assert actual in [f["figure"] for f in json.loads(found.to_json())["figures"]]
    code, out, _ = _run(capsys, "diff", str(SAMPLE), path, "--no-progress", "--exit-code", "--lang", "en")
    assert code == 3 and f"target energy intensity reduction {year}: actual" in out


def test_a_target_changed_or_removed_is_compared(ledger, tmp_path):
    tables = ledger.tables
    targets = tables["targets"]
    count = targets[targets["indicator"] == "completed_retrofits"].index[0]
    targets.loc[count, "value"] = targets.loc[count, "value"] * 10  # achieved early -> in progress
    gone = targets[targets["indicator"] == "new_green_factories"].iloc[0]
    targets = targets.drop(targets[targets["indicator"] == "new_green_factories"].index)
    changed = Ledger(ledger.park, {**tables, "targets": targets})
    found = carbon.diff(ledger, changed)
    assert list(zip(found.causes["table"], found.causes["change"], strict=True)) == [
        ("targets", "changed"),
        ("targets", "removed"),
    ]
    figures = found.figures.set_index("figure")
    retrofits = target_figure("completed_retrofits", targets.at[count, "year"], "status")
    assert (figures.at[retrofits, "status_a"], figures.at[retrofits, "status_b"]) == ("achieved_early", "in_progress")
    assert figures.at[retrofits, "causes"] == "1" and np.isnan(figures.at[retrofits, "a"])
    assert retrofits not in found.attribution.columns  # a status has no number to attribute
    for field in ("actual", "progress", "status"):  # a target on one side only
        figure = target_figure("new_green_factories", gone["year"], field)
        assert figures.at[figure, "causes"] == "2"
    removed = figures.loc[target_figure("new_green_factories", gone["year"], "actual")]
    assert removed["a"] == 4 and np.isnan(removed["b"]) and removed["unit"] == "家"
    text = found.to_text()
    assert "已提前达成 achieved early → 进行中 in progress" in text and "已提前达成 achieved early → —" in text
    assert Diff.from_json(found.to_json()).to_json() == found.to_json()
    book = openpyxl.load_workbook(found.to_excel(tmp_path / "目标.xlsx"))
    names = [c.value for c in book[ATTRIBUTION_SHEET][1]]
    assert not any(str(name).startswith("目标 完成节能降碳改造项目数 2024：状态") for name in names)
    # two accounts: the target's own row is linked to its own figures by lineage
    lineage = carbon.diff(ledger.account(), changed.account())
    linked = lineage.figures.set_index("figure")["causes"]
    assert linked[retrofits] == "1" and linked[target_figure("completed_retrofits", 2024, "progress")] == "1"


def test_every_figure_of_the_summary_has_a_name(ledger):
    account = ledger.account()
    numeric = [k for k, v in account.summary.items() if isinstance(v, (int, float, np.number, bool, np.bool_))]
    figures = figures_of(account)
    for key in numeric:
        if key in ("year", "baseline_year") or key.startswith("method_"):
            assert key not in figures  # facts and method choices: causes, not figures
            continue
        assert key in figures and key in _NAMES, key
        zh, en, unit = figure_name_of(key, account)
        assert zh != key and en != key.replace("_", " ") and unit, key
    names = {k: figure_name_of(k, account) for k in figures}
    assert names["added_value_constant"][2] == names["output_value_constant"][2] == "万元"
    assert names["baseline_reported_total_tco2"][2] == names["baseline_reported_park910_tco2"][2] == "tCO2"
    assert names["baseline_restated"][2] == "bool" and figures["baseline_restated"] in (0.0, 1.0)
    assert show_value(1.0, "bool", Words("zh+en")) == "是 yes"


def test_identical_inputs_change_nothing(ledger):
    same = carbon.diff(ledger, ledger)
    assert same.identical and not len(same.figures) and not len(same.causes) and not len(same.attribution)
    assert "无变化：各数字和输入均相同 / no change" in same.to_text() and not same.notes


@pytest.fixture(scope="module")
def ledgers_written(ledger, tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("ledgers")
    paths = {"a": folder / "碳账本_a.xlsx", "b": folder / "碳账本_b.xlsx"}
    ledger.account().to_excel(paths["a"])
    ledger.account(factor_set="cn_set_b").to_excel(paths["b"])
    return {k: str(v) for k, v in paths.items()}


def test_two_ledgers_with_other_methods_have_the_method_as_their_cause(ledgers_written):
    found = carbon.diff(ledgers_written["a"], ledgers_written["b"])
    assert found.compared == "accounts" and not found.recomputed
    causes = found.causes
    assert len(causes) == 1
    cause = causes.iloc[0]
    assert (cause["kind"], cause["column"], cause["old"], cause["new"]) == (
        "method",
        "factor_set",
        "gbt32151",
        "cn_set_b",
    )
    assert len(found.figures) and set(found.figures["causes"]) == {"1"}
    assert list(found.attribution["basis"]) == ["only_cause"]
    assert "燃料缺省因子 fuel factor set" in found.to_text()


def test_two_ledgers_are_compared_by_what_they_record(edited, ledgers_written, tmp_path):
    corrected = tmp_path / "碳账本_修订.xlsx"
    carbon.read_workbook(edited[0]).account().to_excel(corrected)
    found = carbon.diff(ledgers_written["a"], corrected)
    assert not found.recomputed and any("lineage" in note for note in found.notes)
    causes = found.causes
    assert list(zip(causes["table"], causes["column"], strict=True)) == [
        ("energy", "quantity"),
        ("projects", "status"),
        ("custom_factors", "value"),
    ]
    assert list(causes["row_b"]) == [int(edited[1][t]["source_row"]) for t in ("energy", "projects", "custom_factors")]
    lineage = found.attribution.set_index("causes")
    assert lineage.at["1", "energy_tce"] > 0 and lineage.at["2", "projects_completed"] == -1


def test_two_ledgers_say_which_input_tables_changed(ledger, ledgers_written, tmp_path):
    tables = ledger.tables
    economics = tables["economics"]
    economics.loc[economics.index[0], "output_value"] = economics["output_value"].iloc[0] * 2
    changed = Ledger(ledger.park, {**tables, "economics": economics}, source="changed.xlsx", sha256="changed")
    path = tmp_path / "碳账本_产值.xlsx"
    changed.account().to_excel(path)
    found = carbon.diff(ledgers_written["a"], path)
    assert list(zip(found.causes["kind"], found.causes["table"], strict=True)) == [("input_table", "economics")]


def test_the_manifest_records_each_input_table(ledger, ledgers_written):
    record = json.loads(carbon.read_account(ledgers_written["a"]).source["input_tables"])
    assert record["energy"][0] == len(ledger.energy) and len(record["energy"][1]) == 16
    assert record == json.loads(ledger.account().source["input_tables"])


def test_a_ledger_of_the_previous_release_can_be_compared(repo, ledgers_written):
    old = repo / "tests" / "data" / "ledgers" / "previous_release.xlsx"
    assert carbon.diff(old, old).identical
    found = carbon.diff(old, ledgers_written["a"])
    assert len(found.figures) and any("earlier release" in note for note in found.notes)


def test_a_ledger_and_a_workbook_cannot_be_compared(ledgers_written):
    with pytest.raises(CarbonError, match="只能比较两个园区工作簿，或两个碳账本 / .* compare two park workbooks"):
        carbon.diff(ledgers_written["a"], SAMPLE)
    with pytest.raises(CarbonError, match="takes no year and no method choices"):
        carbon.diff(ledgers_written["a"], ledgers_written["b"], scope2="location")


def test_a_change_of_methods_between_two_workbooks_is_attributed(ledger):
    found = carbon.diff(ledger, ledger, methods=(Methods(), Methods(factor_set="cn_set_b")))
    assert list(found.causes["kind"]) == ["method"] and list(found.attribution["basis"]) == ["recomputed"]
    for figure, change in found.figures.set_index("figure")["change"].items():
        assert found.attribution[figure].sum() == pytest.approx(change)


def test_many_changed_rows_of_a_table_are_one_step(ledger):
    tables = ledger.tables
    energy = tables["energy"]
    rows = energy.index[(energy["year"] == 2023) & (energy["carrier"] == "electricity")][:25]
    energy.loc[rows, "quantity"] = energy.loc[rows, "quantity"] * 1.01
    changed = Ledger(ledger.park, {**tables, "energy": energy})
    found = carbon.diff(ledger, changed)
    assert len(found.causes) == 25 and set(found.causes["step"]) == {1}
    assert len(found.attribution) == 1 and found.attribution["label_en"].iloc[0] == "energy: 25 rows"
    assert "……另 15 项" in found.to_text()


def test_json_round_trips(three):
    text = three.to_json()
    data = json.loads(text)
    assert list(data) == [
        "format",
        "version",
        "compared",
        "recomputed",
        "identical",
        "a",
        "b",
        "figures",
        "causes",
        "attribution",
        "notes",
    ]
    again = Diff.from_json(text)
    pd.testing.assert_frame_equal(again.figures, three.figures)
    pd.testing.assert_frame_equal(again.causes, three.causes)
    pd.testing.assert_frame_equal(again.attribution, three.attribution)
    assert again.to_json() == text and again.to_text() == three.to_text()
    with pytest.raises(CarbonError, match="not the JSON of a carbon diff"):
        Diff.from_json("{}")


def test_the_workbook_has_three_sheets_and_text_stays_text(three, ledger, tmp_path):
    path = three.to_excel(tmp_path / "差异.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SUMMARY_SHEET, CAUSES_SHEET, ATTRIBUTION_SHEET]
    causes = book[CAUSES_SHEET]
    assert causes.max_row == 4 and causes["B1"].value == "类别\nkind"
    attribution = book[ATTRIBUTION_SHEET]
    assert [attribution.cell(r, 3).value for r in (2, 3, 4)] == ["1", "2", "3"]
    # a park's text that looks like a formula is written as text
    tables = ledger.tables
    projects = tables["projects"]
    projects.loc[projects.index[0], "name"] = '=HYPERLINK("http://x")'
    found = carbon.diff(ledger, Ledger(ledger.park, {**tables, "projects": projects}), attribute=False)
    book = openpyxl.load_workbook(found.to_excel(tmp_path / "公式.xlsx", lang="zh"))
    cell = book[CAUSES_SHEET]["J2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line(capsys, edited, ledgers_written, tmp_path):
    code, out, _ = _run(capsys, "diff", str(SAMPLE), edited[0], "--no-progress", "--lang", "zh")
    assert code == 0 and "原因: 3" in out and "已完成 → 在建" in out
    out_path = tmp_path / "差异.xlsx"
    code, out, err = _run(capsys, "diff", ledgers_written["a"], ledgers_written["b"], "--json", "-o", str(out_path))
    assert code == 0 and json.loads(out)["causes"][0]["column"] == "factor_set" and out_path.exists()
    assert "diff written" in err
    assert _run(capsys, "diff", ledgers_written["a"], ledgers_written["b"], "--exit-code")[0] == 3
    assert _run(capsys, "diff", ledgers_written["a"], ledgers_written["a"], "--exit-code")[0] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nowhere.xlsx", "{a}"], "nowhere.xlsx：文件不存在 / nowhere.xlsx: file not found"),
        (["{a}", str(SAMPLE)], "是碳账本，「"),
        (["{a}", "{b}", "--factor-set", "ipcc2006"], "takes no year and no method choices"),
        (["{a}", "{b}", "-o", "差异.txt"], "must end in .xlsx"),
    ],
)
def test_the_command_line_refuses_in_one_line(capsys, ledgers_written, argv, message):
    code, out, err = _run(capsys, "diff", *(a.format(**ledgers_written) for a in argv), "--no-progress")
    assert code == 1 and not out
    assert err.count("\n") == 1 and message in err and " / " in err
