"""carbon/io/account_workbook.py and account_sheets.py: the account workbook (碳账本), its presentation, safety and
round trip."""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import zipfile

import openpyxl
import pandas as pd
import pytest
from conftest import render_pdf

import carbon
from carbon.account import Methods
from carbon.errors import AccountFormatError
from carbon.io import account_sheets, account_workbook
from carbon.io.account_workbook import read_account, write_account
from carbon.io.words import Words
from carbon.schema.outputs import COLUMNS, MANIFEST, OPTIONAL_TABLES, SHEET_NAMES, SUMMARY

CREATED = dt.datetime(2024, 3, 1, 9, 0)


@pytest.fixture(scope="module")
def account():
    return carbon.read_workbook(carbon.sample_workbook_path()).account()


@pytest.fixture(scope="module")
def written(account, tmp_path_factory):
    return account.to_excel(tmp_path_factory.mktemp("ledger") / "ledger.xlsx")


def test_every_sheet_is_there(written, account):
    names = openpyxl.load_workbook(written, read_only=True).sheetnames
    assert names[0] == SUMMARY
    for key, sheet in SHEET_NAMES.items():
        table = "reductions" if key in ("projects", "boilers") else key
        # an optional table's sheet is there exactly when the account has rows for it
        assert (sheet in names) == (table not in OPTIONAL_TABLES or len(account.tables.get(table, ())) > 0), sheet
    assert "restatement" in account.tables  # the sample's enterprises moved in and out: its sheet is written
    assert "trend" not in account.tables  # one year: no trend sheet
    assert MANIFEST in names and COLUMNS in names
    for required in (
        "封面汇总",
        "排放与强度",
        "能源消费",
        "节能降碳项目",
        "锅炉改造",
        "固废利用",
        "绿电",
        "绿色工厂",
        "零碳指标",
        "目标进度",
        "排放因子",
        "排放明细",
        "能耗明细",
        "运行信息",
    ):
        assert any(name.startswith(required) for name in names), required


def test_reading_the_ledger_back_gives_the_tables_unchanged(account, written):
    again = read_account(written)
    assert again.year == account.year
    assert dict(again.park) == dict(account.park)
    assert dict(again.methods) == dict(account.methods)
    assert again.notes == account.notes
    for name, frame in account.tables.items():
        pd.testing.assert_frame_equal(again.tables[name], frame, check_exact=False, rtol=1e-12, obj=name)
    for key, value in account.summary.items():
        got = again.summary[key]
        if isinstance(value, float):
            assert (math.isnan(value) and math.isnan(got)) or got == pytest.approx(value, rel=1e-12), key
        else:
            assert got == value, key


def _formulas(path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name))
        ]


def test_values_not_formulas(written):
    assert _formulas(written) == []


def test_a_formula_named_enterprise_stays_text(tmp_path):
    code = "91350100M000100Y43"
    park = {"name": "=cmd|'/C calc'!A0", "province": "青海", "reporting_year": 2023, "baseline_year": 2023}
    ledger = carbon.Ledger.from_frames(
        park,
        enterprises=pd.DataFrame(
            [
                {
                    "enterprise_id": code,
                    "name": '=HYPERLINK("http://x","y")',
                    "sub_park": None,
                    "industry": "+化工",
                    "above_designated_size": True,
                }
            ]
        ),
        energy=pd.DataFrame(
            [{"enterprise_id": code, "year": 2023, "carrier": "电力", "quantity": 10.0, "unit": "MWh"}]
        ),
    )
    path = ledger.account().to_excel(tmp_path / "ledger.xlsx")
    assert _formulas(path) == []
    again = read_account(path)
    assert again.tables["emissions"]["name"].iloc[0] == '=HYPERLINK("http://x","y")'
    assert again.park["name"] == park["name"]


def test_presentation(written):
    book = openpyxl.load_workbook(written)
    emissions = book[SHEET_NAMES["intensities"]]
    assert emissions["A1"].value == "层级\nlevel" and emissions.freeze_panes == "A2"
    indicators = book[SHEET_NAMES["indicators"]]
    header = [c.value for c in indicators[1]]
    status = header.index("状态\nstatus") + 1
    fills = {
        indicators.cell(r, status).value: indicators.cell(r, status).fill.fgColor.rgb
        for r in range(2, indicators.max_row + 1)
    }
    assert fills["达标 achieved"].endswith("C6EFCE") and fills["未达标 gap"].endswith("FFC7CE")
    projects = book[SHEET_NAMES["projects"]]
    assert projects.cell(projects.max_row, 1).value == "合计 total"
    assert len(book[SUMMARY]._charts) == 5
    assert book[COLUMNS].sheet_state == "hidden"
    energy = book[SHEET_NAMES["energy"]]
    tce = [c.value for c in energy[1]].index("当量值（tce）\ntce, calorific equivalent (tce)") + 1
    assert energy.cell(2, tce).number_format == "#,##0.00"


def test_the_manifest_records_input_version_factors_and_methods(account, written):
    book = openpyxl.load_workbook(written, read_only=True)
    entries = {row[0]: row[1] for row in book[MANIFEST].iter_rows(values_only=True) if row and row[0]}
    assert entries["input_sha256"] == account.source["sha256"] and len(entries["input_sha256"]) == 64
    assert entries["carbon_version"] == carbon.__version__
    assert "公告2025年第47号" in entries["factor_files"]
    assert entries["method_scope2"] == "both" and entries["method_factor_set"] == "gbt32151"
    assert len(entries["manifest_digest"]) == 64 and entries["generated_at"]


def test_same_inputs_give_the_same_manifest_digest(tmp_path):
    digests = set()
    for attempt in range(2):
        account = carbon.read_workbook(carbon.sample_workbook_path()).account()
        path = write_account(account, tmp_path / f"l{attempt}.xlsx", created=CREATED + dt.timedelta(hours=attempt))
        digests.add(read_account(path).source["manifest_digest"])
    assert len(digests) == 1
    other = carbon.read_workbook(carbon.sample_workbook_path()).account(scope2="location")
    path = write_account(other, tmp_path / "other.xlsx")
    assert read_account(path).source["manifest_digest"] not in digests


def test_reading_something_that_is_not_a_ledger(tmp_path):
    with pytest.raises(AccountFormatError, match="not a carbon ledger"):
        read_account(carbon.sample_workbook_path())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_ledger_converts_to_pdf(written, tmp_path):
    result = render_pdf(written, tmp_path)
    pdf = tmp_path / "ledger.pdf"
    assert result.returncode == 0 and pdf.is_file() and pdf.stat().st_size > 50_000, result.stderr


def test_tables_beyond_the_row_limit_go_to_parquet_beside_the_workbook(account, tmp_path):
    path = write_account(account, tmp_path / "ledger.xlsx", row_limit=1000)
    assert (tmp_path / "ledger.emissions.parquet").is_file() and (tmp_path / "ledger.detail.parquet").is_file()
    book = openpyxl.load_workbook(path, read_only=True)
    assert "ledger.emissions.parquet" in [
        c for row in book[SHEET_NAMES["emissions"]].iter_rows(values_only=True) for c in row if c
    ]
    again = read_account(path)
    for name, frame in account.tables.items():
        pd.testing.assert_frame_equal(again.tables[name], frame, check_exact=False, rtol=1e-12, obj=name)


def test_an_interrupted_export_leaves_the_previous_file_and_no_half_file(tmp_path, monkeypatch):
    account = carbon.read_workbook(carbon.sample_workbook_path()).account()
    target = tmp_path / "碳账本.xlsx"
    target.write_bytes(b"the previous ledger")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # the user pressing Ctrl-C half-way through the sheets

    monkeypatch.setattr(account_workbook, "write_charts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        account.to_excel(target)
    assert target.read_bytes() == b"the previous ledger"
    assert [p.name for p in tmp_path.iterdir()] == ["碳账本.xlsx"]  # no temporary file left behind


def test_reading_back_gives_the_methods_model(account, written):
    again = read_account(written)
    assert isinstance(again.methods, Methods)
    assert again.methods == account.methods
    other = carbon.read_workbook(carbon.sample_workbook_path()).account(
        scope2="location", non_co2=True, gwp="AR5", electricity_tce="equal-value", clean_energy="non_fossil"
    )
    assert read_account(write_account(other, written.with_name("other.xlsx"))).methods == other.methods


def test_the_names_of_the_previous_release_warn_when_called(account, written, tmp_path):
    with pytest.warns(DeprecationWarning, match="write_account"):
        path = account_workbook.write_ledger(account, tmp_path / "old.xlsx", created=CREATED)
    with pytest.warns(DeprecationWarning, match="read_account"):
        again = account_workbook.read_ledger(path)
    assert again.methods == account.methods


def test_every_table_sheet_shows_its_table(written):
    """Sheet names and table names agree: the _columns sheet records which table each sheet shows."""
    book = openpyxl.load_workbook(written, read_only=True)
    shown = {(row[0], row[1]) for row in book[COLUMNS].iter_rows(min_row=2, values_only=True)}
    assert shown == {
        ("park_terms", "附件4核算 Park terms"),
        ("core_bases", "核心指标口径 Core bases"),
        ("park_method", "附件4明细 Park method"),
        ("direct_supply", "直接供应 Direct supply"),
        ("reconciliation", "核对 Reconciliation"),
        ("open_points", "未明确事项 Open points"),
        ("intensities", "排放与强度 Intensities"),
        ("energy", "能源消费 Energy"),
        ("reductions", "节能降碳项目 Projects"),
        ("reductions", "锅炉改造 Boilers"),
        ("solid_waste", "固废利用 Solid waste"),
        ("green_power", "绿电 Green power"),
        ("restatement", "基准年重述 Restatement"),  # the sample's enterprises moved in and out
        ("green_factories", "绿色工厂 Green factories"),
        ("indicators", "零碳指标 Indicators"),
        ("targets", "目标进度 Targets"),
        ("factors", "排放因子 Factors"),
        ("emissions", "排放明细 Emissions"),
        ("detail", "能耗明细 Detail"),
    }


def test_headers_and_labels_come_from_the_output_schema(account, written):
    from carbon.schema.outputs import SUMMARY_FIGURES, output_table

    book = openpyxl.load_workbook(written, read_only=True)
    header = next(book[SHEET_NAMES["emissions"]].iter_rows(max_row=1, values_only=True))
    words = Words("zh+en")
    assert list(header) == [words.header(output_table("emissions").column(name)) for name in account.emissions.columns]
    labels = {row[0] for row in book[SUMMARY].iter_rows(values_only=True) if row and row[0]}
    assert {words.pair(figure.zh, figure.en) for figure in SUMMARY_FIGURES} <= labels
    assert account_sheets.colour("status", "achieved") == "green"


@pytest.mark.parametrize(
    "choices", [{}, {"scope2": "location"}, {"non_co2": True}, {"electricity_tce": "equal-value"}], ids=str
)
def test_every_column_the_account_writes_is_described(choices):
    """A new column of an account table needs its entry in carbon/schema/outputs.py (label, unit, format)."""
    from carbon.schema.outputs import OUTPUTS, output_table

    account = carbon.read_workbook(carbon.sample_workbook_path()).account(**choices)
    # every table, the optional ones (trend, restatement) when the account has them
    assert set(account.tables) - set(OPTIONAL_TABLES) == {t.name for t in OUTPUTS} - set(OPTIONAL_TABLES)
    assert set(account.tables) <= {t.name for t in OUTPUTS}
    for name, frame in account.tables.items():
        missing = [c for c in frame.columns if c not in output_table(name).names]
        assert not missing, f"describe {missing} in carbon/schema/outputs.py (table {name})"
