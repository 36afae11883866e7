"""Properties over random valid ledgers (hypothesis): the invariants hold whatever the data.

- totals are the sums of their parts, at every level;
- scaling all activity by k scales emissions and energy by k and leaves intensities unchanged;
- every rate lies in [0, 1];
- a ledger written as a workbook reads back the same;
- reading never drops a row without reporting it, even with damaged cells;
- byte-level corruption of a valid workbook gives a report, never an exception.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import carbon
from carbon.io import xlsx_preflight
from carbon.schema import table
from carbon.validation.uscc import uscc_check_character

PARK = {
    "name": "随机园区",
    "province": "青海",
    "reporting_year": 2023,
    "baseline_year": 2023,
    "sub_parks": ("东区", "西区"),
}
CARRIERS = [("电力", "MWh"), ("电力", "万kWh"), ("天然气", "万Nm3"), ("柴油", "吨"), ("烟煤", "吨"), ("热力", "GJ")]
FILE_CODES = xlsx_preflight.CODES  # a file refused whole carries one of the pre-flight's codes
SLOW = settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _code(number: int) -> str:
    first17 = f"9163010000000{number:04d}"
    return first17 + uscc_check_character(first17)


quantity = st.floats(min_value=0.01, max_value=1e5, allow_nan=False, allow_infinity=False)


@st.composite
def ledgers(draw) -> carbon.Ledger:
    n = draw(st.integers(1, 4))
    ids = [_code(i) for i in range(n)]
    enterprises = pd.DataFrame(
        {
            "enterprise_id": ids,
            "name": [f"企业{i}" for i in range(n)],
            "sub_park": [draw(st.sampled_from(["东区", "西区"])) for _ in ids],
            "industry": [draw(st.sampled_from(["化工", "食品", "锂电材料"])) for _ in ids],
            "above_designated_size": True,
        }
    )
    energy, green, waste, economics = [], [], [], []
    for enterprise in ids:
        rows = draw(
            st.lists(st.tuples(st.sampled_from(CARRIERS), st.integers(1, 12), quantity), min_size=1, max_size=6)
        )
        mwh = 0.0
        for (carrier, unit), month, amount in rows:
            energy.append(
                {
                    "enterprise_id": enterprise,
                    "year": 2023,
                    "month": month,
                    "carrier": carrier,
                    "quantity": amount,
                    "unit": unit,
                }
            )
            if carrier == "电力":
                mwh += amount * (10 if unit == "万kWh" else 1)
        if mwh and draw(st.booleans()):
            share = draw(st.floats(0.0, 1.0))
            green.append(
                {
                    "enterprise_id": enterprise,
                    "year": 2023,
                    "instrument": "绿电交易",
                    "quantity": round(mwh * share * 0.999, 6),
                    "unit": "MWh",
                    "certificate_id": f"T-{enterprise}",
                }
            )
        if draw(st.booleans()):
            generated = draw(st.floats(1.0, 1e5))
            utilized = generated * draw(st.floats(0.0, 1.0))
            waste.append(
                {
                    "enterprise_id": enterprise,
                    "year": 2023,
                    "waste_type": "粉煤灰",
                    "generated": generated,
                    "utilized": utilized,
                    "disposed": (generated - utilized) * 0.5,
                    "stored": 0.0,
                }
            )
        economics.append(
            {"enterprise_id": enterprise, "year": 2023, "output_value": draw(st.floats(1.0, 1e6)), "added_value": 100.0}
        )
    tables = {"enterprises": enterprises, "energy": pd.DataFrame(energy), "economics": pd.DataFrame(economics)}
    if green:
        tables["green_power"] = pd.DataFrame(green)
    if waste:
        tables["solid_waste"] = pd.DataFrame(waste)
    return carbon.Ledger.from_frames(PARK, **tables)


def _scaled(ledger: carbon.Ledger, k: float) -> carbon.Ledger:
    tables = ledger.tables
    tables["energy"] = tables["energy"].assign(quantity=tables["energy"]["quantity"] * k)
    tables["green_power"] = tables["green_power"].assign(quantity=tables["green_power"]["quantity"] * k)
    return carbon.Ledger(ledger.park, tables)


@SLOW
@given(ledgers())
def test_totals_are_the_sums_of_their_parts(ledger):
    account = ledger.account()
    levels = account.intensities
    firms = levels[levels["level"] == "enterprise"]
    park = levels[levels["level"] == "park"].iloc[0]
    for column in ("scope1_tco2", "scope2_location_tco2", "scope2_market_tco2", "tce"):
        assert firms[column].sum() == pytest.approx(park[column], rel=1e-9, abs=1e-9)
        for level in ("sub_park", "industry"):
            part = levels[levels["level"] == level]
            assert part[column].sum() == pytest.approx(park[column], rel=1e-9, abs=1e-9)
    assert park["total_market_tco2"] == pytest.approx(park["scope1_tco2"] + park["scope2_market_tco2"])
    emissions = account.emissions
    market = emissions[emissions["scope2_method"].isna() | (emissions["scope2_method"] == "market")]
    assert market["emissions_tco2"].sum() == pytest.approx(account.summary["total_market_tco2"], rel=1e-9)
    np.testing.assert_allclose(emissions["emissions_tco2"], emissions["quantity"] * emissions["factor_value"])


@SLOW
@given(ledgers(), st.sampled_from([0.5, 3.0, 1000.0]))
def test_scaling_activity_scales_emissions_and_energy(ledger, k):
    base, scaled = ledger.account().summary, _scaled(ledger, k).account().summary
    for key in ("scope1_tco2", "scope2_location_tco2", "scope2_market_tco2", "energy_tce"):
        assert scaled[key] == pytest.approx(base[key] * k, rel=1e-9, abs=1e-9)
    assert scaled["carbon_per_energy_tco2_per_tce"] == pytest.approx(base["carbon_per_energy_tco2_per_tce"], rel=1e-9)


@SLOW
@given(ledgers())
def test_every_rate_lies_between_0_and_1(ledger):
    account = ledger.account()
    s = account.summary
    for key in ("clean_energy_share", "solid_waste_utilization_rate"):
        assert np.isnan(s[key]) or 0.0 <= s[key] <= 1.0 + 1e-12, key
    rates = account.solid_waste["utilization_rate"].dropna()
    assert ((rates >= 0) & (rates <= 1 + 1e-12)).all()
    shares = account.green_factories[["energy_share", "emissions_share"]].stack().dropna()
    assert ((shares >= 0) & (shares <= 1 + 1e-12)).all()


@SLOW
@given(ledgers())
def test_a_ledger_written_as_a_workbook_reads_back_the_same(tmp_path_factory, ledger):
    path = carbon.write_workbook(ledger, tmp_path_factory.mktemp("round") / "park.xlsx")
    again = carbon.read_workbook(path)
    for name in ledger.tables:  # source_row counts from 1 in Python and from the header's next row in Excel
        expected, found = (t.table(name).drop(columns="source_row") for t in (ledger, again))
        pd.testing.assert_frame_equal(found, expected, check_dtype=True, obj=name)


damage = st.sampled_from(["", "十二", "-5", "1e30", "=1+1", "xyz", "2023年13月", "NaN", "  ", "１２"])


@SLOW
@given(ledgers(), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6), damage), max_size=6))
def test_reading_never_drops_a_row_without_reporting_it(tmp_path_factory, ledger, edits):
    import openpyxl

    path = carbon.write_workbook(ledger, tmp_path_factory.mktemp("damaged") / "park.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[table("energy").sheet]
    rows = len(ledger.energy)
    for row, column, value in edits:
        sheet.cell(2 + row % rows, 1 + column, value)
    book.save(path)
    report = carbon.validate_workbook(path)
    count = report.counts["energy"]
    assert count.read == rows  # every data row written is read...
    assert count.read == count.accepted + count.rejected + count.blank  # ...and accounted for
    rows_with_errors = {
        int(re.sub(r"\D", "", p.cell)) for p in report.errors if p.sheet == table("energy").sheet and p.cell
    }
    assert count.rejected == len(rows_with_errors)  # a row is rejected exactly when an error names it


@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=8), st.booleans())
def test_corrupted_bytes_give_a_report_never_an_exception(tmp_path_factory, flips, inside):
    sample = Path(carbon.sample_workbook_path()).read_bytes()
    if inside:  # damage inside a sheet's XML, re-zipped, so that the parsers meet it
        with zipfile.ZipFile(io.BytesIO(sample)) as archive:
            parts = {name: bytearray(archive.read(name)) for name in archive.namelist()}
        part = parts["xl/worksheets/sheet4.xml"]
        for position, value in flips:
            part[position % len(part)] = value
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, bytes(data))
        data = buffer.getvalue()
    else:
        raw = bytearray(sample)
        for position, value in flips:
            raw[position % len(raw)] = value
        data = bytes(raw)
    path = tmp_path_factory.mktemp("bytes") / "park.xlsx"
    path.write_bytes(data)
    report = carbon.validate_workbook(path)  # never raises
    if not report.readable:  # a file refused whole: one error, with its code
        assert len(report.errors) == 1 and report.errors[0].code in FILE_CODES
    for problem in report.problems:
        assert problem.message_zh and problem.message_en and "Traceback" not in str(problem)
