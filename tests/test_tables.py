"""carbon/io/table_folder.py: the ledger's tables from a folder of CSV or Parquet files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import carbon
from carbon.errors import TableFolderError

E1 = "91350100M000100Y43"


@pytest.fixture(scope="module")
def sample():
    return carbon.read_workbook(carbon.sample_workbook_path())


def export(ledger, folder, parquet=("energy",)):
    """The sample's tables as files: Parquet for the names in ``parquet``, CSV for the rest."""
    folder.mkdir(exist_ok=True)
    for name, frame in ledger.tables.items():
        frame = frame.drop(columns="source_row")
        if name in parquet:
            frame.to_parquet(folder / f"{name}.parquet")
        else:
            frame.to_csv(folder / f"{name}.csv", index=False)
    park = ledger.park
    rows = [
        ["name", park["name"]],
        ["province", "青海"],
        ["reporting_year", park["reporting_year"]],
        ["baseline_year", park["baseline_year"]],
        ["sub_parks", "、".join(park["sub_parks"])],
    ]
    pd.DataFrame(rows).to_csv(folder / "park.csv", index=False, header=False)
    return folder


def test_the_same_tables_and_account_from_files(sample, tmp_path):
    ledger = carbon.read_tables(export(sample, tmp_path / "tables"))
    assert ledger.report.ok and not ledger.report.problems
    for name in sample.tables:
        pd.testing.assert_frame_equal(
            ledger.table(name).drop(columns="source_row"),
            sample.table(name).drop(columns="source_row"),
            check_dtype=False,
            obj=name,
        )
    assert ledger.account().summary["total_tco2"] == pytest.approx(sample.account().summary["total_tco2"])
    assert len(ledger.sha256) == 64


def test_problems_are_located_by_file_column_and_line(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    pd.DataFrame([["园区名称", "园"], ["所在省份", "青海"], ["报告年度", 2023], ["基准年", 2023]]).to_csv(
        folder / "park.csv", index=False, header=False
    )
    pd.DataFrame([{"统一社会信用代码": E1, "企业名称": "甲", "行业": "化工", "规上企业": "是"}]).to_csv(
        folder / "企业.csv", index=False
    )
    energy = pd.DataFrame(
        [
            {"enterprise_id": E1, "year": 2023, "carrier": "天然气", "quantity": "12", "unit": "万Nm3"},
            {"enterprise_id": E1, "year": 2023, "carrier": "天然气", "quantity": "abc", "unit": "万Nm3"},
            {"enterprise_id": "91630100MA00000000", "year": 2023, "carrier": "电力", "quantity": "-1", "unit": "kWh"},
        ]
    )
    energy.to_csv(folder / "energy.csv", index=False)
    report = carbon.validate_tables(folder)
    where = {(p.sheet, p.cell, p.code) for p in report.errors}
    assert where == {
        ("energy.csv", "quantity line 3", "unreadable"),
        ("energy.csv", "quantity line 4", "negative"),
        ("energy.csv", "enterprise_id line 4", "unknown_enterprise"),
    }
    with pytest.raises(carbon.WorkbookError):
        carbon.read_tables(folder)


def test_codes_stay_text_in_csv(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    pd.DataFrame([["name", "园"], ["province", "青海"], ["reporting_year", 2023], ["baseline_year", 2023]]).to_csv(
        folder / "park.csv", index=False, header=False
    )
    # an all-digit credit code (valid check character) must not become a float
    (folder / "enterprises.csv").write_text(
        "enterprise_id,name,industry,above_designated_size\n914403001922038216,甲,化工,是\n", encoding="utf-8"
    )
    ledger = carbon.read_tables(folder)
    assert ledger.enterprises.at[0, "enterprise_id"] == "914403001922038216"


def test_missing_folder_and_empty_folder(tmp_path):
    with pytest.raises(TableFolderError, match="not found"):
        carbon.read_tables(tmp_path / "nope")
    with pytest.raises(TableFolderError, match="no table files"):
        carbon.read_tables(tmp_path)


def test_ledger_command_accepts_a_folder(sample, tmp_path, capsys):
    from carbon.cli import main

    folder = export(sample, tmp_path / "tables")
    code = main(["ledger", str(folder), "-o", str(tmp_path / "l.xlsx")])
    assert code == 0 and (tmp_path / "l.xlsx").is_file()
    assert main(["validate", str(folder)]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    ("column", "values", "bad"),
    [
        ("quantity", [1.0, -2.0, 3.0], {1}),  # float: the bounds shortcut fails, and each value is then checked
        ("quantity", [0.0, 5.0, 7.5], set()),
        ("year", pd.array([2023, 1900, 2024], dtype="Int64"), {1}),
        ("year", [2023.0, 2023.5, 2024.0], {1}),  # an int field on floats: 2023.5 lies between valid extremes
        ("month", pd.array([1, 12, None], dtype="Int64"), set()),
    ],
)
def test_the_row_model_gate_checks_every_value_of_a_number_column(column, values, bad):
    from carbon.schema.inputs import table
    from carbon.validation.problems import Collector, ReadReport
    from carbon.validation.tables import RawTable, _pydantic_gate

    typed = pd.DataFrame({column: values})
    raw = RawTable(table("energy"), "能源消费 energy", typed, pd.Series([2, 3, 4]), {column: "E"})
    report = ReadReport("(test)")
    _pydantic_gate(raw, typed, Collector(report, set()))
    assert {p.row - 2 for p in report.problems if p.code == "model"} == bad


@pytest.mark.parametrize(
    "columns",
    [
        {"a": [None, 1.0, None], "b": pd.array([None, None, "x"], dtype="str")},
        {"a": [np.nan, np.nan], "b": pd.array([None, None], dtype="str"), "c": pd.array([None, 3], dtype="Int64")},
        {"a": pd.Series([None, "", " "], dtype=object)},  # only missing cells are blank here, not empty text
        {"a": pd.Series(["x", None], dtype="category"), "b": [pd.NaT, pd.Timestamp("2024-01-05")]},
        {},
    ],
)
def test_blank_rows_of_a_parquet_table_are_those_of_isna_all(columns):
    from carbon.io.table_folder import _blank_rows

    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(next(iter(columns.values()), []))))
    expected = frame.isna().all(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), dtype=bool)
    assert _blank_rows(frame).tolist() == expected.tolist()


def test_a_parquet_table_with_blank_rows_counts_and_locates_them(tmp_path):
    pd.DataFrame(
        {"enterprise_id": [E1], "name": ["甲"], "id_type": ["uscc"]},
    ).to_csv(tmp_path / "enterprises.csv", index=False)
    energy = pd.DataFrame(
        {
            "enterprise_id": [E1, None, E1, None],
            "year": pd.array([2023, None, 2023, None], dtype="Int64"),
            "carrier": ["electricity", None, "raw_coal", None],
            "quantity": [10.0, None, -1.0, None],
            "unit": ["MWh", None, "t", None],
        }
    )
    energy.to_parquet(tmp_path / "energy.parquet")
    pd.DataFrame([["name", "园"], ["province", "青海"], ["reporting_year", 2023], ["baseline_year", 2020]]).to_csv(
        tmp_path / "park.csv", index=False, header=False
    )
    report = carbon.validate_tables(tmp_path)
    assert report.counts["energy"].blank == 2 and report.counts["energy"].read == 4
    assert [(p.cell, p.code) for p in report.errors if p.sheet == "energy.parquet"] == [("quantity row 3", "negative")]


def _energy_folder(tmp_path, energy: pd.DataFrame, labels_as: str):
    folder = tmp_path / labels_as
    folder.mkdir()
    pd.DataFrame({"enterprise_id": [E1], "name": ["甲"], "id_type": ["uscc"]}).to_csv(
        folder / "enterprises.csv", index=False
    )
    pd.DataFrame([["name", "园"], ["province", "青海"], ["reporting_year", 2023], ["baseline_year", 2020]]).to_csv(
        folder / "park.csv", index=False, header=False
    )
    frame = energy.copy()
    for name in ("enterprise_id", "carrier", "unit", "use"):
        frame[name] = frame[name].astype(labels_as)
    frame.to_parquet(folder / "energy.parquet", index=False)
    return folder


@pytest.mark.parametrize("rows", [3, 600])  # few rows: parsed cell by cell; many: each distinct value once
@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("carrier", "  "),  # blank text in a required column
        ("carrier", "unobtanium"),
        ("unit", "m3"),  # a volume for electricity
        ("unit", "\u00a0"),
        ("use", "burning"),
        ("enterprise_id", E1.lower()),  # fixed to the listed code
        ("enterprise_id", "91XXXXXXXXXXXXXXXX"),
        ("enterprise_id", None),
        ("carrier", "原煤"),  # a Chinese spelling
    ],
)
def test_labels_stored_as_dictionaries_read_as_labels_stored_as_text(tmp_path, monkeypatch, rows, column, cell):
    """A label column read as text, or as a dictionary (as the reader does for the energy table), or written as
    one (a categorical column): the same problems, counts and ledger."""
    import carbon.io.table_folder as table_folder

    months = [1 + i % 12 for i in range(rows)]
    energy = pd.DataFrame(
        {
            "enterprise_id": [E1] * rows,
            "year": [2023 - i // 12 for i in range(rows)],
            "month": months,
            "carrier": ["electricity"] * rows,
            "quantity": [1.0 + i for i in range(rows)],
            "unit": ["MWh"] * rows,
            "use": ["fuel"] * rows,
        },
        dtype=object,
    ).astype({"year": "int64", "month": "int64", "quantity": "float64"})
    energy.loc[1, column] = cell
    found = {}
    as_dictionaries = table_folder._as_dictionaries
    for labels_as in ("str", "category"):  # Parquet: string columns, and dictionary columns
        folder = _energy_folder(tmp_path, energy, labels_as)
        for dictionaries in (True, False):
            monkeypatch.setattr(table_folder, "_as_dictionaries", as_dictionaries if dictionaries else lambda *a: None)
            report = carbon.validate_tables(folder)
            found[labels_as, dictionaries] = ([p.to_dict() for p in report.problems], report.counts)
            if report.ok:
                ledger = carbon.read_tables(folder)
                found[labels_as, dictionaries] += (ledger.energy.astype(object).to_dict("list"),)
    assert len({repr(v) for v in found.values()}) == 1, found


def _gate_numbers(low: int, high: int):
    """Whole numbers mostly within the field's bounds, and values that are not: a fraction between two valid
    numbers, infinities, NaN, -0.0, numbers past int64."""
    middle = (low + high) / 2
    return st.one_of(
        st.integers(low - 2, high + 2).map(float),
        st.integers(low, high).map(float),
        st.sampled_from([middle + 0.5, np.inf, -np.inf, np.nan, -0.0, 1e300, 2.0**63]),
    )


_GATE_COLUMNS = st.sampled_from([("year", 1990, 2100), ("month", 1, 12)]).flatmap(
    lambda spec: st.tuples(st.just(spec[0]), st.lists(_gate_numbers(spec[1], spec[2]), min_size=1, max_size=12))
)


@settings(max_examples=150, deadline=None)
@given(_GATE_COLUMNS)
@example(("year", [2023.0, 2023.5, 2024.0]))  # a fraction between two valid whole numbers
@example(("month", [1.0, np.inf]))
def test_the_row_model_gate_decides_with_its_extremes_as_value_by_value(case):
    """int fields on floats of whole numbers: the least and greatest stand for all only where that gives what
    checking each value gives."""
    from carbon.schema.inputs import table
    from carbon.validation import tables
    from carbon.validation.problems import Collector, ReadReport

    column, values = case

    def gate() -> list[tuple]:
        typed = pd.DataFrame({column: np.array(values, dtype=float)})
        raw = tables.RawTable(table("energy"), "能源消费 energy", typed, pd.Series(range(2, 2 + len(values))), {})
        report = ReadReport("(test)")
        tables._pydantic_gate(raw, typed, Collector(report, set()))
        return sorted((p.row, p.message_en) for p in report.problems)

    fast = gate()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(tables, "_extremes_stand_for_all", lambda info, values: False)
        slow = gate()
    assert fast == slow


def _bytes_as_text(values: list[bytes]):
    """An Arrow text array of these bytes as they are (Arrow does not check them: a damaged file's text)."""
    import pyarrow as pa

    offsets = np.cumsum([0] + [len(v) for v in values]).astype(np.int32)
    buffers = [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(values))]
    return pa.Array.from_buffers(pa.string(), len(values), buffers)


@pytest.mark.parametrize(("name", "column", "dictionary"), [("enterprises", "name", False), ("energy", "unit", True)])
def test_a_parquet_file_whose_text_is_not_utf8_is_refused_by_name(sample, tmp_path, name, column, dictionary):
    """Parquet does not check that text is UTF-8: such a file is refused with its name and column, not a traceback
    from the first string made of it (review). The energy table's labels are read as dictionaries."""
    import pyarrow.parquet as pq

    folder = export(sample, tmp_path / "f", parquet=(name,))
    table = pq.read_table(folder / f"{name}.parquet")
    values = [v.encode() for v in table.column(column).to_pylist()]
    values[1] = values[1] + b"\xff"
    text = _bytes_as_text(values)
    table = table.set_column(
        table.schema.get_field_index(column), column, text.dictionary_encode() if dictionary else text
    )
    pq.write_table(table, folder / f"{name}.parquet")
    with pytest.raises(TableFolderError) as caught:
        carbon.read_tables(folder)
    message = str(caught.value)
    assert f"{name}.parquet" in message and repr(column) in message and "not valid UTF-8" in message
    assert "UTF-8 编码" in message and message.count("cannot read") == 1
