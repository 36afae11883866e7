"""The 碳账本 speaks the staff's language and prints as a hand-in: labels for codes, integers as integers,
every indicator on the attainment chart, per-fact detail kept out of the print."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import render_pdf
from python_calamine import CalamineWorkbook

import carbon
from carbon import labels
from carbon.errors import UnknownNameError
from carbon.io.account_workbook import read_account, write_account
from carbon.io.words import NOTES, Words
from carbon.schema.outputs import CHART_DATA, COLUMNS, SHEETS, SUMMARY, SUMMARY_FIGURES


@pytest.fixture(scope="module")
def account():
    return carbon.read_workbook(carbon.sample_workbook_path()).account(2023)


@pytest.fixture(scope="module")
def books(account, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lang")
    return {lang: write_account(account, folder / f"{lang}.xlsx", lang=lang) for lang in ("zh", "en", "zh+en")}


def _columns(path) -> pd.DataFrame:
    """The hidden _columns sheet: which column of which table is where on which sheet."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(COLUMNS).to_python()
    return pd.DataFrame(grid[1:], columns=grid[0])


@pytest.mark.parametrize("lang", ["zh", "en", "zh+en"])
def test_every_language_reads_back_to_the_same_account(account, books, lang):
    """Codes, numbers and dates come back exactly in every language; a note written in one language comes
    back in that language (the ``中文 / English`` note's side)."""
    again = read_account(books[lang])
    words = Words(lang)
    for name, frame in account.tables.items():
        expected = frame.copy()
        for column in NOTES & set(frame.columns):
            if labels.vocabulary(column, name) is None:
                shown = frame[column].map(lambda v: words.note(v) if isinstance(v, str) else v)
                expected[column] = shown.astype(frame[column].dtype)
        pd.testing.assert_frame_equal(again.tables[name], expected, check_exact=False, rtol=1e-12, obj=name)


def test_a_note_shows_the_side_of_its_language():
    assert Words("zh").note("节能量 × 燃料因子 / saving x the fuel factor; 假设 / assumed") == "节能量 × 燃料因子；假设"
    assert (
        Words("en").note("节能量 × 燃料因子 / saving x the fuel factor; 假设 / assumed")
        == "saving x the fuel factor; assumed"
    )
    assert Words("zh+en").note("甲 / a") == "甲 / a"
    assert Words("zh").note("no translation") == "no translation"


def test_the_chinese_ledger_shows_no_code_that_has_a_chinese_label(account, books):
    """Every cell of a coded column (carrier, status, category, level, province ...) shows its 中文 label."""
    path = books["zh"]
    book = CalamineWorkbook.from_path(str(path))
    where = _columns(path)
    checked = 0
    for row in where.itertuples(index=False):
        if row.sheet_column in ("", None) or str(row.sheet).startswith("file:"):
            continue
        vocabulary = labels.vocabulary(row.column, row.table)
        if vocabulary is None:
            continue
        coded = {str(k) for k, (zh, _) in vocabulary.items() if zh != str(k)}
        grid = book.get_sheet_by_name(row.sheet).to_python()
        values = [r[int(row.sheet_column)] for r in grid[1:] if len(r) > int(row.sheet_column)]
        shown = [v for v in values if isinstance(v, str) and v in coded]
        assert not shown, f"{row.sheet} / {row.column} shows codes {sorted(set(shown))[:5]}"
        checked += len(values)
    assert checked > 1000  # the check saw the tables, not an empty workbook
    summary = [c for r in book.get_sheet_by_name(SUMMARY).to_python() for c in r if isinstance(c, str)]
    text = " ".join(summary)
    assert "青海" in text and "Qinghai" not in text
    for code in ("both", "gbt32151", "False", "True", "achieved", "carbon_per_energy"):
        assert not re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", text), code
    assert "两种都算" in text and "GB/T 32151 缺省值" in text


def test_booleans_read_as_yes_and_no_in_the_staffs_language(books):
    book = openpyxl.load_workbook(books["zh"], read_only=True)
    flags = {c for r in book["绿电 Green power"].iter_rows(values_only=True) for c in r} | {
        c for r in book["排放因子 Factors"].iter_rows(values_only=True) for c in r
    }
    assert {"是", "否"} <= flags and not any(isinstance(c, bool) for c in flags)


def test_counts_are_integers_and_capacity_has_one_decimal(books):
    sheet = openpyxl.load_workbook(books["zh+en"])[SUMMARY]
    formats = {}
    for row in sheet.iter_rows(min_col=1, max_col=2):
        if isinstance(row[0].value, str):
            formats[row[0].value] = row[1].number_format
    words = Words("zh+en")
    label = {figure.name: words.pair(figure.zh, figure.en) for figure in SUMMARY_FIGURES}
    assert formats[label["boiler_retrofits"]] == "0"
    assert formats[label["projects_completed"]] == "0"
    assert formats[label["green_factories_national"]] == "0"
    assert formats[label["boiler_capacity_t_per_h"]] == "#,##0.0"


def test_shares_in_the_indicators_sheet_show_as_percentages(account, books):
    sheet = openpyxl.load_workbook(books["zh"])["零碳指标 Indicators"]
    rows = list(sheet.iter_rows(min_row=2, max_col=4))
    shares = [r for r, unit in zip(rows, account.indicators["unit"], strict=False) if unit == "fraction"]
    assert shares, "the sample has share indicators"
    assert all(r[2].number_format == "0.0%" for r in shares)
    assert {r[3].value for r in shares} == {"%"}


def test_the_other_languages_columns_are_hidden_not_dropped(books):
    sheet = openpyxl.load_workbook(books["zh"])["附件4核算 Park terms"]
    header = [c.value for c in sheet[1]]
    english = header.index("说明") + 1
    letter = openpyxl.utils.get_column_letter(english)
    assert sheet.column_dimensions[letter].hidden


def test_an_unknown_language_is_refused_before_anything_is_written(account, tmp_path):
    with pytest.raises(UnknownNameError, match="fr"):
        write_account(account, tmp_path / "x.xlsx", lang="fr")
    assert not list(tmp_path.iterdir())


def test_every_indicator_is_on_the_attainment_chart(account, books):
    grid = CalamineWorkbook.from_path(str(books["zh"])).get_sheet_by_name(CHART_DATA).to_python()
    titles = [i for i, r in enumerate(grid) if r and str(r[0]).startswith("指标达标程度")]
    assert len(titles) == 1
    block = []
    for r in grid[titles[0] + 1 :]:
        if not r or r[0] in ("", None):
            break
        block.append(r)
    assert len(block) == len(account.indicators)
    assert all(isinstance(v, float) and math.isfinite(v) for _, v, *rest in block)
    achieved = account.indicators["status"] == "achieved"
    assert all(v >= 1 for (_, v, *rest), ok in zip(block, achieved, strict=True) if ok)


def test_small_slices_of_the_energy_mix_are_put_together(account, books):
    grid = CalamineWorkbook.from_path(str(books["zh"])).get_sheet_by_name(CHART_DATA).to_python()
    start = next(i for i, r in enumerate(grid) if r and str(r[0]).startswith("能源消费结构"))
    block = []
    for r in grid[start + 1 :]:
        if not r or r[0] in ("", None):
            break
        block.append(r)
    total = sum(v for _, v, *rest in block)
    positive = account.energy.groupby("carrier")["tce_equivalent"].sum()
    assert total == pytest.approx(positive[positive > 0].sum())
    others = [r for r in block if str(r[0]).startswith("其他")]
    assert len(others) == 1
    assert all(v >= 0.03 * total for name, v, *rest in block if not str(name).startswith("其他"))


def test_detail_sheets_print_only_their_header(books):
    book = openpyxl.load_workbook(books["zh+en"])
    for spec in SHEETS:
        if spec.hidden or spec.name not in book.sheetnames:  # an optional sheet (the trend) not in this ledger
            continue
        sheet = book[spec.name]
        area = sheet.print_area
        if spec.printed:
            assert not area, spec.name
        else:
            assert area and re.fullmatch(r"'?[^!]+'?!\$A\$1:\$[A-Z]+\$1", area), (spec.name, area)
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            assert sheet.page_setup.fitToHeight in (None, 1) and sheet.page_setup.fitToWidth in (None, 1)


def _pdf_pages(pdf) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_the_printed_hand_in_part_is_at_most_30_pages(books, tmp_path):
    """The sample's ledger rendered by LibreOffice: the pages of the printed sheets, per-fact detail left out
    (each sheet kept out of the print prints its header row on one page, checked above)."""
    result = render_pdf(books["zh+en"], tmp_path)
    pdf = tmp_path / "zh+en.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    present = set(openpyxl.load_workbook(books["zh+en"], read_only=True).sheetnames)
    stubs = sum(1 for spec in SHEETS if not spec.printed and not spec.hidden and spec.name in present)
    pages = _pdf_pages(pdf)
    assert stubs < pages - stubs <= 30, (pages, stubs)


def test_the_ledger_command_writes_the_language_asked_for(tmp_path, capsys):
    from carbon.cli import main

    out = tmp_path / "碳账本.xlsx"
    assert main(["ledger", "-o", str(out), "--lang", "zh", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "[未达标] 单位能耗碳排放" in printed and "carbon_per_energy" not in printed
    summary = [c for r in CalamineWorkbook.from_path(str(out)).get_sheet_by_name(SUMMARY).to_python() for c in r]
    assert "青海" in summary and "Qinghai" not in summary
    assert read_account(out).park["province"] == "Qinghai"


def test_counts_in_a_rows_own_unit_are_whole_numbers(account, books):
    """Targets of 20 个 and 4 家 read as counts (they printed as 20.0000); a level threshold (能效等级 2) too."""
    sheet = openpyxl.load_workbook(books["zh"])["目标进度 Targets"]
    header = [c.value for c in sheet[1]]
    target, unit = header.index("目标值") + 1, header.index("单位") + 1
    counted = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, unit).value in ("个", "家")]
    assert counted and all(sheet.cell(r, target).number_format == "#,##0" for r in counted)
    indicators = openpyxl.load_workbook(books["zh"])["零碳指标 Indicators"]
    row = 2 + list(account.indicators["indicator"]).index("product_energy_level")
    threshold = [c.value for c in indicators[1]].index("阈值") + 1
    assert indicators.cell(row, threshold).value == 2 and indicators.cell(row, threshold).number_format == "#,##0"


def test_long_text_on_the_factor_sheet_wraps_in_rows_tall_enough(books):
    """Text wider than its column wraps, and the writer sets the row's height (not every program fits rows
    to wrapped text when it opens a file: the factor sheet's text ran over its neighbours in print)."""
    sheet = openpyxl.load_workbook(books["zh+en"])["排放因子 Factors"]
    header = [c.value.split("\n")[0] for c in sheet[1]]
    document = header.index("文件") + 1
    long = [r for r in range(2, sheet.max_row + 1) if len(str(sheet.cell(r, document).value or "")) > 60]
    assert long
    for r in long:
        assert sheet.cell(r, document).alignment.wrap_text
        assert (sheet.row_dimensions[r].height or 0) >= 2 * 12


def test_chart_axes_have_thousands_separators(books):
    import zipfile

    with zipfile.ZipFile(books["zh"]) as book:
        charts = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/chart")]
    columns = [c for c in charts if "<c:barChart>" in c and '<c:barDir val="col"/>' in c]
    assert len(columns) == 2  # emissions by sub-park and by industry
    assert all('formatCode="#,##0"' in c for c in columns)


def _notes_of(account) -> set[str]:
    texts = set(account.notes)
    for name, frame in account.tables.items():
        if name == "factors":  # a factor's note is its file's text
            continue
        for column in NOTES & set(frame.columns):
            if labels.vocabulary(column, name) is None:
                texts |= {v for v in frame[column].dropna().unique() if isinstance(v, str) and v}
    return texts


@pytest.mark.parametrize("choices", [{}, {"non_co2": True, "scope2": "location"}], ids=str)
def test_every_note_is_chinese_then_english_part_by_part(choices):
    """Notes are parts joined by '; ', each '中文 / English' with one ' / ': the form Words.note reads (a note
    that broke it lost its figures and kept English in a Chinese ledger)."""
    account = carbon.read_workbook(carbon.sample_workbook_path()).account(2023, **choices)
    texts = _notes_of(account)
    assert len(texts) > 20
    for text in texts:
        for part in re.split(r";\s+", text):
            zh, separator, en = part.partition(" / ")
            assert separator and " / " not in en and re.search(r"[\u4e00-\u9fff]", zh), part


def test_the_core_indicators_note_in_chinese_keeps_its_figures(account):
    note = account.indicators.set_index("indicator").at["carbon_per_energy", "note"]
    zh = Words("zh").note(note)
    value = account.indicators.set_index("indicator").at["carbon_per_energy", "value"]
    bases = account.tables["core_bases"]
    equal_value = bases[(bases["basis"] == "park910") & (bases["tce_method"] == "equal-value")]["value"].iloc[0]
    point = account.tables["open_points"].iloc[0]
    other = point["other_e_park_tco2"] / account.summary["energy_tce"]
    # the figures of the note: this basis, 等价值, and the other reading of what 附件4 leaves open
    assert f"{value:.4f}" in zh and f"{equal_value:.4f}" in zh and f"{other:.4f}" in zh
    assert not re.search(r"\b(gap|achieved|equivalent|equal-value|open in)\b", zh), zh
    en = Words("en").note(note)
    assert f"{value:.4f}" in en and not re.search(r"[\u4e00-\u9fff]{3}", en.replace("附件4", "").replace("910号", ""))


def test_a_ledger_of_the_previous_release_reads(tmp_path):
    """tests/data/ledgers/previous_release.xlsx was written by the release before the labels (headers
    '排放量 emissions_tco2', five columns in _columns, codes in the cells)."""
    old = read_account(Path(__file__).parent / "data" / "ledgers" / "previous_release.xlsx")
    reductions = old.tables["reductions"]
    assert reductions["kind"].value_counts().to_dict() == {"project": 2, "boiler": 2}
    park = old.tables["intensities"].query("level == 'park'")
    assert park["total_tco2"].iloc[0] == pytest.approx(old.summary["total_tco2"])
    assert set(old.tables["emissions"]["carrier"]) <= set(carbon.names.carriers()["id"])  # codes, as written


def test_tables_beyond_the_row_limit_keep_both_kinds_of_reductions(account, tmp_path):
    path = write_account(account, tmp_path / "l.xlsx", row_limit=10, lang="zh")
    again = read_account(path)
    expected = account.tables["reductions"]
    got = again.tables["reductions"]
    assert got["kind"].value_counts().to_dict() == expected["kind"].value_counts().to_dict()
    pd.testing.assert_frame_equal(
        got.sort_values(["kind", "item_id"]).reset_index(drop=True)[["kind", "item_id", "annual_reduction_tco2"]],
        expected.sort_values(["kind", "item_id"]).reset_index(drop=True)[["kind", "item_id", "annual_reduction_tco2"]],
        check_exact=False,
        rtol=1e-12,
    )


@pytest.fixture(scope="module")
def awkward(tmp_path_factory):
    """A park whose names look like labels: an industry 园区, a sub-park park, a project numbered 合计."""
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    tables = ledger.tables
    enterprises = tables["enterprises"].copy()
    enterprises.loc[enterprises.index[:3], "industry"] = "园区"
    enterprises.loc[enterprises.index[3:6], "industry"] = "park"
    projects = tables["projects"].copy()
    projects.loc[projects.index[0], "project_id"] = "合计"
    park = dict(ledger.park)
    tables.update(enterprises=enterprises, projects=projects)
    account = carbon.Ledger.from_frames(park, **tables).account(2023)
    folder = tmp_path_factory.mktemp("awkward")
    return account, {lang: write_account(account, folder / f"{lang}.xlsx", lang=lang) for lang in ("zh", "zh+en")}


@pytest.mark.parametrize("lang", ["zh", "zh+en"])
def test_names_that_look_like_labels_read_back_as_themselves(awkward, lang):
    account, paths = awkward
    again = read_account(paths[lang])
    for name in ("intensities", "reductions"):
        got, expected = again.tables[name], account.tables[name]
        assert len(got) == len(expected), name
        assert list(got.get("key", [])) == list(expected.get("key", [])), name
    assert "合计" in set(again.tables["reductions"]["item_id"])
    assert {"园区", "park"} <= set(again.tables["intensities"].query("level == 'industry'")["key"])


def test_booleans_with_blanks_show_as_yes_and_no_and_read_back(account, books):
    sheet = openpyxl.load_workbook(books["zh"])["节能降碳项目 Projects"]
    header = [c.value for c in sheet[1]]
    overdue = header.index("逾期") + 1
    shown = {sheet.cell(r, overdue).value for r in range(2, sheet.max_row)}
    assert shown <= {"是", "否", None} and "是" in shown
    again = read_account(books["zh"]).tables["reductions"]["overdue"]
    expected = account.tables["reductions"]["overdue"]
    assert [v if isinstance(v, bool) else None for v in again] == [
        bool(v) if isinstance(v, (bool, np.bool_)) else None for v in expected
    ]


def test_a_park_without_projects_or_boilers_reads_back_with_an_empty_reductions_table(tmp_path):
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    tables = ledger.tables
    tables.update(projects=tables["projects"].iloc[0:0], boilers=tables["boilers"].iloc[0:0])
    account = carbon.Ledger.from_frames(dict(ledger.park), **tables).account(2023)
    again = read_account(write_account(account, tmp_path / "l.xlsx"))
    assert set(again.tables) == set(account.tables)
    assert again.tables["reductions"].empty and account.tables["reductions"].empty
