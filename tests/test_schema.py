"""carbon/schema/: the table descriptions everything else is built from (inputs, outputs, row models)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from carbon.schema import CHOICES, INDICATOR_UNITS, TABLES, header_key, table
from carbon.schema.models import row_model


def test_sheet_names_fit_excel():
    for spec in TABLES:
        assert len(spec.sheet) <= 31, spec.sheet
        assert not set(spec.sheet) & set("[]:*?/\\")


def test_columns_are_unique_and_choices_exist():
    for spec in TABLES:
        assert len(spec.names) == len(set(spec.names)), spec.name
        for column in spec.columns:
            if column.kind == "choice":
                assert column.choices in CHOICES
            assert column.help_en, (spec.name, column.name)
        assert set(spec.key) <= set(spec.names)


def test_every_indicator_has_a_unit():
    assert {c.id for c in CHOICES["indicator"]} == set(INDICATOR_UNITS)


def test_choice_spellings_are_unambiguous():
    for name, choices in CHOICES.items():
        owner: dict[str, str] = {}
        for choice in choices:
            for spelling in (choice.id, choice.zh, *choice.aliases):
                assert owner.setdefault(header_key(spelling), choice.id) == choice.id, (name, spelling)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("数量 quantity [吨]", "数量quantity"),
        ("Enterprise_ID", "enterpriseid"),
        ("  企业  enterprises ", "企业enterprises"),
        ("产值（万元）", "产值"),
    ],
)
def test_header_key(text, key):
    assert header_key(text) == key


def test_headers_show_label_name_and_unit():
    assert table("economics").column("output_value").header == "工业总产值 output_value [万元]"
    assert table("energy").column("quantity").header == "消费量 quantity"


def test_row_models_forbid_extra_fields_and_enforce_rules():
    model = row_model("energy")
    good = {"enterprise_id": "X", "year": 2023, "carrier": "natural_gas", "quantity": 1.0, "unit": "万Nm3"}
    assert model(**good).use is None
    with pytest.raises(ValidationError, match="extra"):
        model(**good, colour="red")
    with pytest.raises(ValidationError, match="greater than or equal"):
        model(**{**good, "quantity": -1.0})
    with pytest.raises(ValidationError, match="finite"):
        model(**{**good, "quantity": float("inf")})
    with pytest.raises(ValidationError, match="fuel"):
        model(**{**good, "use": "burning"})


def test_the_readme_glossary_is_the_generated_one(repo):
    from carbon.schema import glossary_markdown
    from carbon.schema.outputs import outputs_markdown, sheets_markdown

    readme = (repo / "README.md").read_text(encoding="utf-8")
    for generated, start, end in (
        (glossary_markdown(), "<!-- glossary:start", "<!-- glossary:end -->"),
        (sheets_markdown(), "<!-- sheets:start", "<!-- sheets:end -->"),
        (outputs_markdown(), "<!-- outputs:start", "<!-- outputs:end -->"),
    ):
        between = readme.split(start, 1)[1].split(end, 1)[0].split("\n", 1)[1]
        assert between == generated, "run: python tools/update_glossary.py"


def test_output_sheets_fit_excel_and_name_their_table():
    from carbon.schema.outputs import OUTPUTS, SHEETS, table_sheets

    names = [s.name for s in SHEETS]
    assert len(names) == len(set(names))
    for sheet in SHEETS:
        assert len(sheet.name) <= 31 and not set(sheet.name) & set("[]:*?/\\"), sheet.name
    tables = {t.name for t in OUTPUTS}
    assert {s.table for s in table_sheets()} == tables  # every table has a sheet, every sheet a table
    for sheet in table_sheets():
        english = sheet.name.split(" ", 1)[1].lower().replace(" ", "_")
        assert english == sheet.key, (sheet.name, sheet.table, sheet.kind)  # the sheet is named after its table


def test_output_columns_are_described_once_and_completely():
    from carbon.schema.outputs import DATE, OUTPUTS, SHEETS, SUMMARY_FIGURES

    for spec in OUTPUTS:
        assert len(spec.names) == len(set(spec.names)), spec.name
        for column in spec.columns:
            assert column.zh and column.en and " " not in column.name, (spec.name, column.name)
            assert column.num_format in (None, "0", "#,##0.00", "#,##0.0000", "#,##0.0###", "0.0%", "0.0", DATE)
        headers = [c.header for c in spec.columns]
        assert len(headers) == len(set(headers)), spec.name
    for sheet in SHEETS:
        if sheet.table:
            names = OUTPUTS[[t.name for t in OUTPUTS].index(sheet.table)].names
            assert set(sheet.lead) | set(sheet.totals or ()) <= set(names), sheet.name
            assert set(sheet.strict_totals) <= set(sheet.totals or ()), sheet.name
    assert len({f.name for f in SUMMARY_FIGURES}) == len(SUMMARY_FIGURES)


def test_the_example_enterprise_code_is_itself_valid():
    from carbon.validation.uscc import uscc_problem

    for spec in TABLES:
        for column in spec.columns:
            if column.name == "enterprise_id":
                assert uscc_problem(column.example) is None, spec.name
