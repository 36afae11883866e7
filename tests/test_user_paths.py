"""Whatever a user can pass ends in a CarbonError, bilingual and located, never another library's exception: odd
Python objects given to Ledger.from_frames, odd output paths, folders of CSV or Parquet tables in odd encodings
or shapes; and a credit code typed in lower case is one enterprise wherever it is typed."""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import carbon
from carbon.cli import main
from carbon.errors import CarbonError
from carbon.io.excel import atomic_write, check_output_path
from carbon.schema.inputs import TABLES

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def sample():
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    frames = {name: frame.drop(columns=["source_row"]) for name, frame in ledger.tables.items() if len(frame)}
    return dict(ledger.park), frames, ledger


@pytest.fixture(scope="module")
def total(sample):
    return sample[2].account().summary["total_tco2"]


def bilingual_error(error: BaseException) -> None:
    assert isinstance(error, CarbonError), f"{type(error).__name__}: {error}"
    assert CJK.search(str(error)) and " / " in str(error), str(error)


ODD = {
    "set": {1, 2},
    "bytes": b"\xff\x00ab",
    "DataFrame": pd.DataFrame({"a": [1]}),
    "Decimal": Decimal("1.5"),
    "Decimal NaN": Decimal("NaN"),
    "complex": 1 + 2j,
    "pd.NA": pd.NA,
    "None": None,
    "Period": pd.Period("2023"),
    "Timedelta": pd.Timedelta("1D"),
    "tz-aware": pd.Timestamp("2023-01-01", tz="Asia/Shanghai"),
    "structured": np.zeros(1, dtype=[("a", "i4"), ("b", "f8")])[0],
    "10**30": 10**30,
    "-10**30": -(10**30),
    "inf": math.inf,
    "-inf": -np.inf,
    "NUL": "a\x00b",
    "datetime64": np.datetime64("2023-01-01"),
    "time": dt.time(1, 2),
    "object": object(),
}


@pytest.mark.parametrize("label", list(ODD))
@pytest.mark.parametrize(
    ("table", "column"),
    [("energy", "quantity"), ("energy", "enterprise_id"), ("enterprises", "name"), ("enterprises", "enterprise_id")],
)
def test_an_odd_python_value_in_a_cell_is_a_ledger_or_a_carbon_error(sample, table, column, label):
    park, frames, _ = sample
    frames = {"enterprises": frames["enterprises"], "energy": frames["energy"].head(100)}  # what the check needs
    frame = frames[table].copy().astype(object)
    frame.at[frame.index[0], column] = ODD[label]
    try:
        carbon.Ledger.from_frames(park, **{**frames, table: frame})
    except Exception as error:  # noqa: BLE001 - the point: which class it is
        bilingual_error(error)


def test_a_structured_numpy_value_is_refused_at_its_cell(sample):
    park, frames, _ = sample
    firms = frames["enterprises"].copy().astype(object)
    firms.at[firms.index[1], "name"] = ODD["structured"]
    with pytest.raises(CarbonError) as caught:
        carbon.Ledger.from_frames(park, **{**frames, "enterprises": firms})
    assert "enterprises!name row 2: void" in str(caught.value)


@pytest.mark.parametrize(
    ("park", "tables", "words"),
    [
        (None, {}, "park must be a mapping"),
        ([("name", "x")], {}, "park must be a mapping"),
        ("{park}", {"enterprises": [1, 2]}, "table enterprises must be a pandas.DataFrame, not list"),
        ("{park}", {"enterprises": {"name": ["a"]}}, "must be a pandas.DataFrame, not dict"),
        ("{park}", {"energy": None}, "must be a pandas.DataFrame, not NoneType"),
        ("{park}", {"enterprises": "twice"}, "has the same column more than once: ['name']"),
        ("{park+set}", {}, "the park's 'name' holds a set"),
    ],
)
def test_odd_shapes_given_to_from_frames_are_refused(sample, park, tables, words):
    given_park, frames, _ = sample
    if park == "{park}":
        park = given_park
    elif park == "{park+set}":
        park = {**given_park, "name": {"园区"}}
    if tables.get("enterprises") == "twice":
        firms = frames["enterprises"]
        tables = {"enterprises": pd.concat([firms, firms[["name"]]], axis=1)}
    with pytest.raises(CarbonError) as caught:
        carbon.Ledger.from_frames(park, **{**frames, **tables})
    bilingual_error(caught.value)
    assert words in str(caught.value)


def test_sub_parks_given_as_numbers_are_read_as_text(sample):
    park, frames, _ = sample
    with pytest.raises(CarbonError) as caught:  # joined as text, never a TypeError
        carbon.Ledger.from_frames({**park, "sub_parks": [1, 2]}, **frames)
    assert "not one of the park's sub-parks: 1, 2" in str(caught.value)


@pytest.mark.parametrize("path", [5, None, b"out.xlsx", "out\x00.xlsx"])
def test_an_output_path_that_is_not_a_path_is_refused(path):
    for call in (lambda: atomic_write(path, lambda temporary: None), lambda: check_output_path(path)):
        with pytest.raises(CarbonError) as caught:
            call()
        bilingual_error(caught.value)
        assert "must be a file path" in str(caught.value)


def test_an_output_that_is_a_folder_is_refused_by_the_writer(tmp_path):
    with pytest.raises(CarbonError) as caught:
        atomic_write(tmp_path, lambda temporary: None)
    assert "is a folder: give a file name" in str(caught.value)


def test_the_annotated_copy_over_its_own_input_is_one_line(tmp_path, capsys):
    park = tmp_path / "park.xlsx"
    park.write_bytes(carbon.sample_workbook_path().read_bytes())
    before = park.read_bytes()
    code = main(["validate", str(park), "--annotate", str(tmp_path / "." / "park.xlsx"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("carbon: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert "is the input" in err and park.read_bytes() == before


# -- folders of tables ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tables_folder(sample, tmp_path_factory):
    """The sample park as a folder of CSV files, read as it is."""
    park, frames, _ = sample
    root = tmp_path_factory.mktemp("sample") / "tables"
    root.mkdir()
    for name, frame in frames.items():
        frame.to_csv(root / f"{name}.csv", index=False)
    items = [(k, "、".join(v) if isinstance(v, (list, tuple)) else v) for k, v in park.items()]
    pd.DataFrame(items).to_csv(root / "park.csv", index=False, header=False)
    assert carbon.validate_tables(root).ok
    return root


@pytest.fixture
def folder(tables_folder, tmp_path):
    """A copy of the sample's folder of tables, to spoil."""
    return Path(shutil.copytree(tables_folder, tmp_path / "tables"))


def _refused(root: Path, words: str) -> str:
    with pytest.raises(CarbonError) as caught:
        carbon.validate_tables(root)
    bilingual_error(caught.value)
    assert words in str(caught.value), str(caught.value)
    return str(caught.value)


def test_a_gbk_csv_is_refused_at_its_line(folder):
    text = (folder / "enterprises.csv").read_text(encoding="utf-8")
    (folder / "enterprises.csv").write_bytes(text.encode("gb18030"))
    message = _refused(folder, "enterprises.csv line 2: the file is not UTF-8 (GBK/GB18030, it seems)")
    assert "CSV UTF-8" in message


def test_a_utf16_csv_is_refused(folder):
    text = (folder / "energy.csv").read_text(encoding="utf-8")
    (folder / "energy.csv").write_bytes(text.encode("utf-16"))  # with its byte-order mark
    _refused(folder, "energy.csv: the file is UTF-16")


def test_a_csv_with_bytes_of_no_encoding_is_refused_at_its_line(folder):
    lines = (folder / "enterprises.csv").read_bytes().split(b"\n")
    lines[3] = b"\xff\xfe\x80" + lines[3]
    (folder / "enterprises.csv").write_bytes(b"\n".join(lines))
    message = _refused(folder, "enterprises.csv line 4: the file is not UTF-8")
    assert "GBK" not in message


def test_an_empty_csv_is_refused_named(folder):
    (folder / "energy.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    _refused(folder, "energy.csv: the file is empty, without even its header line")


def test_a_csv_with_only_its_header_is_an_empty_table(folder):
    header = (folder / "projects.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "projects.csv").write_text(header + "\n", encoding="utf-8")
    report = carbon.validate_tables(folder)
    assert report.readable and not [p for p in report.errors if p.sheet == "projects.csv"]


def test_a_folder_named_like_a_table_is_not_a_table(folder):
    (folder / "waste.csv").unlink(missing_ok=True)
    (folder / "waste.csv").mkdir()
    assert carbon.validate_tables(folder).ok


def test_a_parquet_column_of_lists_is_refused_at_its_cells(folder, sample):
    _, frames, _ = sample
    firms = frames["enterprises"].copy()
    firms["name"] = [["甲", "乙"]] * len(firms)
    (folder / "enterprises.csv").unlink()
    firms.to_parquet(folder / "enterprises.parquet")
    _refused(folder, "enterprises.parquet!name row 1: ndarray")


@pytest.mark.parametrize("given", [5, None, "a\x00b"])
def test_a_folder_that_is_not_a_path_is_refused(given):
    with pytest.raises(CarbonError) as caught:
        carbon.validate_tables(given)
    bilingual_error(caught.value)


def test_the_command_line_says_one_line_for_a_gbk_folder(folder, capsys):
    text = (folder / "enterprises.csv").read_text(encoding="utf-8")
    (folder / "enterprises.csv").write_bytes(text.encode("gb18030"))
    code = main(["validate", str(folder), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("carbon: ")] == [err.splitlines()[-1]], err
    assert "not UTF-8" in err


# -- credit codes in lower case ------------------------------------------------------------------------------

REFERENCES = {t.name: [c.name for c in t.columns if c.kind == "enterprise"] for t in TABLES}


@pytest.mark.parametrize("where", ["everywhere", "enterprises sheet only", "referencing sheets only"])
def test_a_credit_code_in_lower_case_is_one_enterprise(sample, total, where):
    park, frames, ledger = sample
    firms = frames["enterprises"]
    code = next(
        c
        for c, kind in zip(firms["enterprise_id"], firms["id_type"], strict=True)
        if kind != "internal" and c[-1].isalpha()
    )
    referenced = [n for n, cols in REFERENCES.items() if n in frames and frames[n][cols].eq(code).any().any()]
    assert len(referenced) >= 2  # the code is given on other sheets too: the test says something
    lowered = {}
    for name, frame in frames.items():
        columns = []
        if name == "enterprises" and where != "referencing sheets only":
            columns.append("enterprise_id")
        if name != "enterprises" and where != "enterprises sheet only":
            columns += REFERENCES[name]
        frame = frame.copy()
        for column in columns:
            frame[column] = frame[column].map(lambda v: v.lower() if v == code else v)
        lowered[name] = frame
    rebuilt = carbon.Ledger.from_frames(park, **lowered)
    assert not rebuilt.report.errors
    for name, frame in rebuilt.tables.items():
        for column in REFERENCES.get(name, []) + (["enterprise_id"] if name == "enterprises" else []):
            assert not frame[column].astype(str).eq(code.lower()).any(), (name, column)
    assert len(rebuilt.tables["enterprises"]) == len(ledger.tables["enterprises"])
    assert rebuilt.account().summary["total_tco2"] == pytest.approx(total)
