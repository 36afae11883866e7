"""The dataset door (issue 18): many parks into one Parquet dataset (carbon collect) and their account on Dask
(carbon province), equal to the single-machine account park by park, province by province and nationally.

The provinces are built from the bundled sample park: each park a copy with its own name, province, enterprise
codes and energy (scaled), so that a park's figures differ from every other's and a mix-up shows.
"""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from conftest import REPO

import carbon
from carbon.cli import main
from carbon.dataset import account_dataset, collect, layout
from carbon.dataset.account import RATIOS, SUMMED
from carbon.dataset.layout import partition_path, read_park
from carbon.indicators import ratio
from carbon.schema import table
from carbon.validation.uscc import uscc_check_character

#: The Dask tests run where the dataset extra is installed (pip install '.[dataset]'): it is not in the test extra,
#: as pint imports dask.base (and dask jinja2) on every import of carbon once dask is installed.
needs_dask = pytest.mark.skipif(
    importlib.util.find_spec("dask") is None, reason="needs the dataset extra (dask): pip install '.[dataset]'"
)

PROVINCES = ("Qinghai", "Gansu", "Ningxia", "Xinjiang", "Sichuan")
SIZES = (2, 5, 12)


@pytest.fixture(scope="module")
def sample() -> carbon.Ledger:
    return carbon.read_workbook(carbon.sample_workbook_path())


def variant(ledger: carbon.Ledger, number: int, province: str | None = None) -> carbon.Ledger:
    """Park ``number`` of a synthetic province: the sample with its own name, province (``PROVINCES`` in turn),
    enterprise codes (the division code replaced, the check character recomputed; an internal id suffixed) and energy x (1 + number/10)."""
    tables = ledger.tables
    codes = tables["enterprises"]["enterprise_id"]
    mapping = {}
    for code in codes:
        if len(code) == 18:
            first17 = f"{code[:2]}{number:06d}{code[8:17]}"
            mapping[code] = first17 + uscc_check_character(first17)
        else:  # an internal id (id_type internal)
            mapping[code] = f"{code}-{number}"
    assert len(set(mapping.values())) == len(mapping)
    for name, frame in tables.items():
        for column in table(name).columns:
            if column.kind in ("enterprise", "enterprise_id") and column.name in frame.columns:
                values = frame[column.name].astype(object)
                frame[column.name] = values.map(lambda v: mapping.get(v, v))
    tables["energy"]["quantity"] = tables["energy"]["quantity"] * (1 + number / 10)
    park = dict(ledger.park)
    park["name"] = f"{park['name']}{number}号"
    park["province"] = province or PROVINCES[number % len(PROVINCES)]
    return carbon.Ledger(park, tables)


@pytest.fixture(scope="module")
def parks(sample) -> list[carbon.Ledger]:
    return [variant(sample, number) for number in range(max(SIZES))]


@pytest.fixture(scope="module")
def accounts(parks) -> list[carbon.AnnualAccount]:
    """The single-machine account of every park."""
    return [ledger.account() for ledger in parks]


@pytest.fixture(scope="module")
def expected(accounts) -> list[dict]:
    """The single-machine account of every park: its summary."""
    return [dict(account.summary) for account in accounts]


@pytest.fixture(scope="module")
def cluster():
    """A small LocalCluster (two workers of one thread, in this process: quick to start, reliable in CI) reached by
    its TCP address, as a real cluster is (--scheduler tcp://...)."""
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0"
    ) as local:
        yield local.scheduler_address


def close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@needs_dask
@pytest.mark.parametrize("size", SIZES)
def test_the_dask_account_equals_the_single_machine_account(size, parks, expected, cluster, tmp_path):
    written = collect(parks[:size], tmp_path / "dataset")
    assert written.written == size and written.refused == 0
    result = account_dataset(tmp_path / "dataset", scheduler=cluster)
    assert result.scheduler.startswith("cluster at tcp://")
    assert len(result.parks) == size and (result.parks["status"] == "ok").all()
    # park by park: the figures of its own account
    by_name = result.parks.set_index("name")
    for ledger, summary in zip(parks[:size], expected[:size], strict=True):
        row = by_name.loc[ledger.park["name"]]
        assert row["province"] == ledger.park["province"] and row["year"] == summary["year"]
        for key in (*SUMMED, *RATIOS):
            assert close(row[key], summary[key]), (ledger.park["name"], key, row[key], summary[key])
    # province by province and nationally: the sums of the single-machine figures, ratios of the sums
    frame = pd.DataFrame(
        [{"province": ledger.park["province"], **s} for ledger, s in zip(parks[:size], expected[:size], strict=True)]
    )
    sums = frame.groupby("province")[list(SUMMED)].sum()
    provinces = result.provinces.set_index("province")
    assert sorted(provinces.index) == sorted(sums.index)
    for province, want in sums.iterrows():
        got = provinces.loc[province]
        assert got["parks"] == (frame["province"] == province).sum() and got["complete"]
        for key in SUMMED:
            assert close(got[key], want[key]), (province, key)
        for key, (numerator, denominator) in RATIOS.items():
            assert close(got[key], want[numerator] / want[denominator]), (province, key)
    national = result.national.iloc[0]
    assert len(result.national) == 1 and national["parks"] == size
    for key in SUMMED:
        assert close(national[key], frame[key].sum()), key
    assert close(national["carbon_per_energy_tco2_per_tce"], frame["park910_tco2"].sum() / frame["energy_tce"].sum())


def test_a_parks_ratio_is_what_its_account_says(expected):
    """RATIOS names the numerator and denominator of each summary ratio: for one park the ratio of its own
    figures is the account's value, so the province's ratio of sums is the same quantity."""
    for summary in expected:
        for key, (numerator, denominator) in RATIOS.items():
            assert close(ratio(summary[numerator], summary[denominator]), summary[key]), key


def test_the_readme_reads_a_park_back_through_the_package(sample, tmp_path):
    """The README's lines: ``carbon.dataset.read_park`` given the park's row of ``parks.parquet``."""
    from carbon.dataset import read_park as exported

    collect([sample], tmp_path / "省数据集")
    parks = pd.read_parquet(tmp_path / "省数据集" / "parks.parquet")
    ledger = exported(tmp_path / "省数据集", parks[parks["status"] == "written"].iloc[0])
    assert ledger.account().summary == sample.account().summary


def test_a_park_reads_back_from_the_dataset_as_it_was_written(sample, tmp_path):
    written = collect([sample], tmp_path / "dataset")
    entry = written.parks.iloc[0].to_dict()
    again = read_park(tmp_path / "dataset", entry)
    assert dict(again.park) == dict(sample.park) and again.source == sample.source and again.sha256 == sample.sha256
    for name, frame in sample.tables.items():
        pd.testing.assert_frame_equal(again.table(name), frame)


def test_tables_without_rows_read_back_as_written_each_a_copy(sample, tmp_path):
    """A park's empty tables come from a frame read once per process (reading their files again cost more,
    together, than a park's energy table): two parks with empty tables read back as they were written, and each read is a new
    frame, so that a change to one park's table is not another's."""
    empty = ("custom_factors", "targets", "boilers")
    parks = [
        carbon.Ledger(ledger.park, {**ledger.tables, **{n: ledger.tables[n].iloc[:0] for n in empty}})
        for ledger in (sample, variant(sample, 1))
    ]
    written = collect(parks, tmp_path / "dataset")
    first, second = (read_park(tmp_path / "dataset", entry) for entry in written.parks.to_dict("records"))
    for name, frame in parks[0].tables.items():  # (the variant's relabelled codes are typed otherwise in Python)
        pd.testing.assert_frame_equal(first.table(name), frame)
    for name in empty:
        pd.testing.assert_frame_equal(second.table(name), first.table(name))
    key = (written.parks.loc[0, "province"], written.parks.loc[0, "park"], int(written.parks.loc[0, "reporting_year"]))
    data = partition_path(tmp_path / "dataset", "targets", *key).read_bytes()
    first = layout._read_table(data, "targets")
    pd.testing.assert_frame_equal(first, layout._read_file(data, "targets"))
    first["source_row"] = first["source_row"].astype("float64")
    assert layout._read_table(data, "targets")["source_row"].dtype == "Int64"


def test_energy_labels_another_tool_wrote_as_numbers_read_as_text(tmp_path):
    """Arrow casts numbers to text but not to a dictionary of text: an energy file whose enterprise codes another
    tool wrote as integers is read with its labels as text (then checked again, its digest being another), as
    the labels of the other tables are, not refused with Arrow's "Unsupported cast"."""
    columns = {f.name: pa.nulls(2, f.type) for f in layout.arrow_schema("energy")}
    columns |= {
        "enterprise_id": pa.array([1001, 1002], pa.int64()),
        "carrier": pa.array(["electricity"] * 2),
        "unit": pa.array(["MWh"] * 2),
    }
    pq.write_table(pa.table(columns), tmp_path / "energy.parquet")
    frame = layout._read_table((tmp_path / "energy.parquet").read_bytes(), "energy")
    assert frame["enterprise_id"].tolist() == ["1001", "1002"] and frame["carrier"].tolist() == ["electricity"] * 2


def test_an_energy_table_without_rows_reads_as_a_ledger_built_in_python_types_it(tmp_path):
    """No rows: the labels as Python text (object), as a ledger built in Python or read before holds them, not
    as categoricals without categories."""
    columns = {f.name: pa.array([], f.type) for f in layout.arrow_schema("energy")}
    pq.write_table(pa.table(columns), tmp_path / "energy.parquet")
    frame = layout._read_table((tmp_path / "energy.parquet").read_bytes(), "energy")
    assert len(frame) == 0
    assert all(frame[label].dtype == object for label in ("enterprise_id", "carrier", "unit", "use"))


def test_a_partition_whose_label_text_is_not_utf8_is_refused_naming_its_file(sample, tmp_path):
    """The energy labels are read from the file's dictionaries (no Python string per row): bytes that are not
    UTF-8 in one (a file damaged or altered after carbon collect) refuse the file and name the column, as the
    Parquet door does, instead of failing far from the file."""
    root = tmp_path / "dataset"
    entry = collect([sample], root).parks.iloc[0].to_dict()
    path = partition_path(root, "energy", entry["province"], entry["park"], int(entry["reporting_year"]))
    energy = pq.read_table(path)
    damaged = pa.array([b"\xff\xfe"] * len(energy), pa.binary()).view(pa.string())
    pq.write_table(energy.set_column(energy.schema.get_field_index("carrier"), "carrier", damaged), path)
    with pytest.raises(carbon.CarbonError, match="carrier") as caught:
        read_park(root, entry)
    assert "UTF-8" in str(caught.value) and path.name in str(caught.value)


@needs_dask
def test_a_partition_changed_since_collect_is_checked_again(sample, tmp_path):
    """Files whose digest is not the one carbon collect recorded go through Ledger.from_frames: the same data
    written again (another compression) gives the same account and keeps the workbook's rows; a broken rule is
    a located error of that park, and the other parks are accounted."""
    collect([sample, variant(sample, 1)], tmp_path / "dataset")
    parks = pd.read_parquet(tmp_path / "dataset" / "parks.parquet").to_dict("records")
    first, second = (partition_path(tmp_path / "dataset", "energy", e["province"], e["park"], 2023) for e in parks)
    pq.write_table(pq.read_table(first), first, compression="gzip")
    again = read_park(tmp_path / "dataset", parks[0])
    assert again.report.source == "(python)"  # validated again (from_frames), not read as written
    pd.testing.assert_frame_equal(again.table("energy"), sample.energy)
    assert again.account().summary == sample.account().summary
    energy = pq.read_table(second).to_pandas()
    energy.loc[3, "quantity"] = -1.0
    pq.write_table(pa.Table.from_pandas(energy, preserve_index=False), second)
    result = account_dataset(tmp_path / "dataset", scheduler="synchronous")
    failed = result.parks[result.parks["status"] == "error"]
    assert len(failed) == 1 and failed.iloc[0]["province"] == PROVINCES[1]
    message = failed.iloc[0]["message"]
    assert "energy!quantity row 4" in message and "不能为负数 / must not be negative" in message
    assert variant(sample, 1).park["name"] in message and "changed after carbon collect" in message
    assert result.national.loc[0, "parks_failed"] == 1 and not result.national.loc[0, "complete"]
    assert close(result.national.loc[0, "park910_tco2"], sample.account().summary["park910_tco2"])


def test_collect_from_workbooks_and_folders_accounts_for_every_row(sample, tmp_path, capsys):
    good = carbon.write_workbook(variant(sample, 1), tmp_path / "园区1.xlsx")
    folder = tmp_path / "园区2表格"
    folder.mkdir()
    other = variant(sample, 2)
    for name, frame in other.tables.items():
        frame.drop(columns="source_row").to_csv(folder / f"{name}.csv", index=False)
    park = other.park
    pd.DataFrame(
        [
            ["name", park["name"]],
            ["province", park["province"]],
            ["reporting_year", park["reporting_year"]],
            ["baseline_year", park["baseline_year"]],
            ["sub_parks", "、".join(park["sub_parks"])],
        ]
    ).to_csv(folder / "park.csv", index=False, header=False)
    # a park with an error (an energy quantity below zero), and a file that is not a workbook
    broken = variant(sample, 3).tables
    broken["energy"].loc[4, "quantity"] = -5.0
    bad = tmp_path / "园区3.xlsx"
    carbon.write_workbook(carbon.Ledger(variant(sample, 3).park, broken), bad)
    not_a_workbook = tmp_path / "说明.xlsx"
    not_a_workbook.write_text("not a workbook")
    out = tmp_path / "省数据集"
    code = main(["collect", str(good), str(folder), str(bad), str(not_a_workbook), str(good), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 1  # some inputs were not written; the dataset is written all the same
    lines = [line for line in captured.out.splitlines() if line.startswith("[")]
    assert len(lines) == 5
    assert lines[0].startswith("[1/5] 已写入 / written") and lines[1].startswith("[2/5] 已写入 / written")
    assert "refused" in lines[2] and "能源消费 energy!" in lines[2]  # located: sheet and cell
    assert "refused" in lines[3] and "refused" in lines[4]
    assert "problems.parquet" in captured.err
    parks = pd.read_parquet(out / "parks.parquet")
    assert parks["status"].tolist() == ["written", "written", "refused", "refused", "refused"]
    assert (parks["rows_read"] == parks["rows_written"] + parks["rows_rejected"]).all()
    assert parks.loc[2, "rows_written"] == 0 and parks.loc[2, "rows_rejected"] == parks.loc[2, "rows_read"] > 0
    assert parks.loc[2, "rows_with_errors"] >= 1
    assert parks.loc[0, "rows_written"] == sum(len(f) for f in sample.tables.values())
    assert f"读 read {parks['rows_read'].sum():,} = 写 written {parks['rows_written'].sum():,}" in captured.out
    counts = pd.read_parquet(out / "row_counts.parquet")
    assert (counts["rows_read"] == counts["rows_written"] + counts["rows_rejected"]).all()
    problems = pd.read_parquet(out / "problems.parquet")
    energy_error = problems[(problems["input_no"] == 3) & (problems["severity"] == "error")]
    assert (energy_error["sheet"] == table("energy").sheet).any() and energy_error["cell"].str.match(r"[A-Z]+\d+").all()
    assert set(problems.loc[problems["input_no"] == 4, "code"]) == {"not_xlsx"}
    assert set(problems.loc[problems["input_no"] == 5, "code"]) == {"duplicate_park"}
    # each table one Hive-partitioned Parquet dataset
    energy = pads.dataset(out / "energy", partitioning="hive").to_table().to_pandas()
    assert len(energy) == 2 * len(sample.energy)
    assert set(energy["province"]) == {PROVINCES[1], PROVINCES[2]} and set(energy["reporting_year"]) == {2023}
    assert energy["park"].nunique() == 2 and set(energy["year"]) == set(sample.energy["year"])


def test_a_park_without_a_province_is_refused_where_it_is_missing(sample, tmp_path):
    park = {k: v for k, v in sample.park.items() if k != "province"}
    written = collect([carbon.Ledger(park, sample.tables)], tmp_path / "dataset")
    assert written.written == 0
    problem = written.problems.iloc[0]
    assert problem["code"] == "no_province" and problem["sheet"] == table("park").sheet
    assert problem["column"] == "province" and "所在省份" in problem["message_zh"]
    # from a workbook, the check of the park sheet locates the empty cell
    workbook = carbon.write_workbook(
        carbon.Ledger({**sample.park, "province": None}, sample.tables), tmp_path / "p.xlsx"
    )
    written = collect([workbook], tmp_path / "dataset2")
    errors = written.problems[written.problems["severity"] == "error"]
    assert (
        written.written == 0 and (errors["sheet"] == table("park").sheet).any() and errors["cell"].str.len().gt(0).any()
    )


def test_outputs_are_refused_before_any_work(sample, tmp_path, capsys):
    other = tmp_path / "其他"
    other.mkdir()
    (other / "a.txt").write_text("keep me")
    assert main(["collect", str(carbon.sample_workbook_path()), "-o", str(other)]) == 1
    assert "不是空的" in capsys.readouterr().err and (other / "a.txt").read_text() == "keep me"
    collect([sample], tmp_path / "dataset")
    assert main(["collect", str(carbon.sample_workbook_path()), "-o", str(tmp_path / "dataset")]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["province", str(other), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "不是 carbon 数据集" in err and "Traceback" not in err and not (tmp_path / "out").exists()


@needs_dask
def test_the_province_command_writes_parquet_and_the_summary_workbook(parks, expected, tmp_path, capsys):
    collect(parks[:2], tmp_path / "dataset")
    out = tmp_path / "省级核算"
    code = main(["province", str(tmp_path / "dataset"), "-o", str(out), "--threads", "--workers", "2"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "全国 national: 2 个园区 parks" in captured.out and "LocalCluster (2 worker threads" in captured.out
    per_park = pd.read_parquet(out / "parks.parquet").set_index("name")
    for ledger, summary in zip(parks[:2], expected[:2], strict=True):
        assert close(per_park.loc[ledger.park["name"], "park910_tco2"], summary["park910_tco2"])
    assert len(pd.read_parquet(out / "provinces.parquet")) == 2
    national = pd.read_parquet(out / "national.parquet")
    assert close(national.loc[0, "scope1_tco2"], expected[0]["scope1_tco2"] + expected[1]["scope1_tco2"])
    book = pd.read_excel(out / "汇总 summary.xlsx", sheet_name=None, header=3, engine="openpyxl")
    assert list(book) == [
        "全国 National",
        "省份 Provinces",
        "达标统计 Indicators",
        "园区 Parks",
        "园区指标 Park indicators",
        "片区 Sub-parks",
        "企业 Enterprises",
        "说明 About",
    ]  # one year: no trend
    national = book["全国 National"].set_index("指标\nindicator")
    assert close(
        national.loc["园区碳排放（910号 附件4） E_park", "2023 年"],
        expected[0]["park910_tco2"] + expected[1]["park910_tco2"],
    )
    assert national.loc["范围一排放 Scope 1", "单位\nunit"] == "tCO2"
    assert len(book["园区 Parks"]) == 2 and {"甘肃 Gansu", "青海 Qinghai"} <= set(book["省份 Provinces"].columns)


@needs_dask
def test_a_park_that_cannot_be_accounted_is_reported_and_left_out(parks, tmp_path, capsys):
    collect(parks[:2], tmp_path / "dataset")
    # ipcc2006 gives NCVs per mass: the sample's gas in 万Nm3 cannot be accounted with it (a located error)
    result = account_dataset(tmp_path / "dataset", scheduler="synchronous", factor_set="ipcc2006")
    assert (result.parks["status"] == "error").all() and result.parks["message"].str.contains("ipcc2006").all()
    assert not result.national.loc[0, "complete"] and result.national.loc[0, "parks_failed"] == 2
    assert math.isnan(result.national.loc[0, "park910_tco2"])  # no park accounted: no sum, not a zero
    code = main(["province", str(tmp_path / "dataset"), "-o", str(tmp_path / "out"), "--scheduler", "synchronous",
                 "--factor-set", "ipcc2006"])  # fmt: skip
    printed = capsys.readouterr()
    assert code == 1 and "未能核算 / not accounted" in printed.err and "Traceback" not in printed.err
    # a message of several lines (the located problem below the sentence) is one line a park, its breaks spaces
    assert result.parks["message"].str.contains("\n").all()
    failed = [line for line in printed.err.splitlines() if "not accounted" in line]
    assert len(failed) == 2 and all("ipcc2006" in line and "\\x0a" not in line for line in failed)
    assert "no park accounted" in printed.out and "nan" not in printed.out  # a blank sum said, not printed as nan


def test_carbon_and_its_dataset_door_import_without_dask():
    """dask is imported where an account is computed, nowhere else: without it carbon, carbon.dataset and the
    command line import, and the account says which extra to install. (pint imports dask.base itself when dask
    is installed.)"""
    code = (
        "import sys; sys.modules['dask'] = None\n"
        "import carbon, carbon.dataset, carbon.cli\n"
        "try:\n"
        "    carbon.dataset.account_dataset(sys.argv[1])\n"
        "except carbon.CarbonError as exc:\n"
        "    print(exc)\n"
    )
    dataset = REPO / "tests" / "data" / "no-such-dataset"
    done = subprocess.run([sys.executable, "-c", code, str(dataset)], capture_output=True, text=True, check=True)
    assert "不是 carbon 数据集" in done.stdout  # the dataset is looked at first; dask only to compute


def test_the_account_without_dask_says_which_extra_to_install(sample, tmp_path):
    collect([sample], tmp_path / "dataset")
    code = (
        "import sys; sys.modules['dask'] = None\n"
        "import carbon.dataset\n"
        "try:\n"
        "    carbon.dataset.account_dataset(sys.argv[1])\n"
        "except carbon.CarbonError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "dataset")], capture_output=True, text=True, check=True
    )
    assert "pip install 'carbon-ledger[dataset]'" in done.stdout and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["collect", "province"])
def test_the_help_is_in_chinese_and_english(command, capsys):
    from test_cli import test_every_help_is_in_chinese_and_english

    test_every_help_is_in_chinese_and_english(command, capsys)


# -- what a province's department reads (issue 18 item 2) -------------------------------------------------------


def earlier(ledger: carbon.Ledger) -> carbon.Ledger:
    """The same park reporting 2022 (the sample holds its 2022 rows as the baseline): a second year of it."""
    return carbon.Ledger({**ledger.park, "reporting_year": 2022, "baseline_year": 2022}, ledger.tables)


@pytest.fixture(scope="module")
def two_years(parks, accounts, tmp_path_factory):
    """A province of two years: 2023 has Qinghai's parks 0 and 5 and Gansu's park 1, 2022 parks 0 and 1 (Qinghai's
    parks differ between the years, Gansu's do not). Returns the dataset's account and the single-machine account
    of each ledger by (name, year)."""
    before = [earlier(parks[0]), earlier(parks[1])]
    ledgers = [parks[0], parks[1], parks[5], *before]
    folder = tmp_path_factory.mktemp("two-years") / "dataset"
    assert collect(ledgers, folder).written == 5
    result = account_dataset(folder, scheduler="synchronous")
    own = {(parks[i].park["name"], 2023): accounts[i] for i in (0, 1, 5)}
    own.update({(ledger.park["name"], 2022): ledger.account() for ledger in before})
    return result, ledgers, own


def _province_of(ledgers, name):
    return next(ledger.park["province"] for ledger in ledgers if ledger.park["name"] == name)


@pytest.mark.parametrize(("table", "level"), [("enterprises", "enterprise"), ("sub_parks", "sub_park")])
def test_a_provinces_enterprise_and_sub_park_rows_are_its_parks_rows(two_years, table, level):
    """A province's enterprise (sub-park) table is the concatenation of its parks' account.by(level) rows, each
    after the park's province, name and year."""
    result, ledgers, own = two_years
    gathered = getattr(result, table)
    assert len(gathered) == sum(len(account.by(level)) for account in own.values())
    for province in gathered["province"].unique():
        got = gathered[gathered["province"] == province].reset_index(drop=True)
        parks = result.parks[result.parks["province"] == province]
        want = pd.concat(
            [
                own[(name, year)]
                .by(level)
                .rename(columns={"key": "enterprise_id"})
                .drop(columns="key", errors="ignore")
                .assign(province=province, park_name=name, year=year)
                for name, year in zip(parks["name"], parks["year"], strict=True)
            ],
            ignore_index=True,
        )
        columns = [c for c in want.columns if c in got.columns]
        assert len(columns) >= 20  # every figure of the level, and who
        pd.testing.assert_frame_equal(got[columns], want[columns], check_dtype=False, rtol=1e-12)


def test_a_provinces_count_of_parks_meeting_an_indicator_matches_their_verdicts(two_years):
    result, ledgers, own = two_years
    verdicts = pd.concat(
        [
            account.indicators.assign(province=_province_of(ledgers, name), year=year)
            for (name, year), account in own.items()
        ]
    )
    counts = result.indicator_counts
    assert len(counts) == (1 + 2) * 6 + (1 + 2) * 6  # per year: the nation and two provinces, six indicators
    for row in counts.itertuples(index=False):
        mine = verdicts[(verdicts["year"] == row.year) & (verdicts["indicator"] == row.indicator)]
        if row.level == "province":
            mine = mine[mine["province"] == row.province]
        assert row.parks == len(mine) == row.achieved + row.gap + row.missing_data + row.not_applicable
        assert row.achieved == (mine["status"] == "achieved").sum(), row
        assert row.gap == (mine["status"] == "gap").sum(), row
        assert close(row.gap_total, mine.loc[mine["status"] == "gap", "gap"].sum())
        assert close(row.share_achieved, row.achieved / row.parks)
        # the level's value: the parks' numerators summed over their denominators summed, not a mean of ratios
        valued = mine.dropna(subset=["numerator", "denominator"])
        valued = valued[valued["denominator"] != 0]
        assert row.parks_with_value == len(valued)
        assert close(row.value, valued["numerator"].sum() / valued["denominator"].sum())
    # each park's verdicts are its own account's
    for (name, year), account in own.items():
        rows = result.park_indicators[
            (result.park_indicators["park_name"] == name) & (result.park_indicators["year"] == year)
        ]
        assert rows["status"].tolist() == account.indicators["status"].tolist()
        assert rows["value"].tolist() == pytest.approx(account.indicators["value"].tolist(), rel=1e-12, nan_ok=True)
    core = counts[
        (counts["indicator"] == "carbon_per_energy") & (counts["level"] == "national") & (counts["year"] == 2023)
    ]
    assert core.iloc[0]["parks"] == 3 and core.iloc[0]["gap_unit"] == "tCO2"
    national = result.national.set_index("year").loc[2023]  # the core value of the sums is the nation's ratio
    assert close(core.iloc[0]["value"], national["park910_tco2"] / national["energy_tce"])


def test_the_trend_gives_the_change_year_on_year(two_years, parks):
    result, _, own = two_years
    trend = result.trend.set_index(["level", "province", "figure", "year"])
    e = {key: account.summary for key, account in own.items()}
    first, second, fifth = (parks[i].park["name"] for i in (0, 1, 5))
    # Gansu: the same park both years, the change is the park's own
    gansu = trend.loc[("province", PROVINCES[1], "park910_tco2", 2023)]
    assert gansu["same_parks"] and gansu["previous_year"] == 2022
    want = e[(second, 2023)]["park910_tco2"] / e[(second, 2022)]["park910_tco2"] - 1
    assert close(gansu["change"], want) and close(gansu["change_same_parks"], want)
    # Qinghai: one park in 2022, two in 2023: the change of the sums, and like for like over the park of both
    qinghai = trend.loc[("province", PROVINCES[0], "park910_tco2", 2023)]
    assert not qinghai["same_parks"] and (qinghai["parks_accounted"], qinghai["parks_accounted_previous"]) == (2, 1)
    now = e[(first, 2023)]["park910_tco2"] + e[(fifth, 2023)]["park910_tco2"]
    assert close(qinghai["change"], now / e[(first, 2022)]["park910_tco2"] - 1)
    assert close(qinghai["change_same_parks"], e[(first, 2023)]["park910_tco2"] / e[(first, 2022)]["park910_tco2"] - 1)
    ratio_row = trend.loc[("province", PROVINCES[0], "carbon_per_energy_tco2_per_tce", 2023)]
    like = e[(first, 2023)]["carbon_per_energy_tco2_per_tce"] / e[(first, 2022)]["carbon_per_energy_tco2_per_tce"] - 1
    assert close(ratio_row["change_same_parks"], like)  # a ratio's change: of the ratios of the sums
    # the first year has no change; the nation's sums by year
    national = result.trend[(result.trend["level"] == "national") & (result.trend["figure"] == "energy_tce")]
    assert national["change"].isna().tolist() == [True, False]
    totals = {y: sum(s["energy_tce"] for (_, year), s in e.items() if year == y) for y in (2022, 2023)}
    assert close(national["change"].iloc[1], totals[2023] / totals[2022] - 1)


def _visible_text(book) -> list[tuple[str, str, str]]:
    return [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


@pytest.mark.parametrize("lang", ["zh+en", "zh"])
def test_the_summary_workbook_reads_as_a_printed_report(two_years, tmp_path, lang):
    """Chinese labels (English beside in zh+en), no internal id in a visible cell, a figure per row and a year per
    column, printed landscape with the header rows repeated and panes frozen; every table also as Parquet."""
    import openpyxl

    from carbon.dataset.account import PARQUET
    from carbon.dataset.summary import SHEETS, SUMMARY_WORKBOOK

    result, _, _ = two_years
    out = result.write(tmp_path / "out", lang=lang)
    for name in PARQUET:
        assert len(pd.read_parquet(out / f"{name}.parquet")) == len(getattr(result, name)), name
    book = openpyxl.load_workbook(out / SUMMARY_WORKBOOK)
    assert book.sheetnames == list(SHEETS.values())  # the trend is there: the dataset holds two years
    national = book[SHEETS["national"]]
    grid = {row[0]: row[1:] for row in national.iter_rows(min_row=5, values_only=True) if row[0]}
    label = "园区碳排放（910号 附件4） E_park" if lang == "zh+en" else "园区碳排放（910号 附件4）"
    assert grid[label][0] == "tCO2"
    assert grid[label][1:] == pytest.approx(result.national["park910_tco2"].tolist(), rel=1e-12)
    assert [c.value for c in national[4][2:4]] == ["2022 年", "2023 年"]
    snake = re.compile(r"(?<![A-Za-z])[a-z][a-z0-9]*_[a-z0-9_]+")
    for sheet, cell, text in _visible_text(book):
        shown = re.sub(r"\S+\.parquet|account\.by\('\w+'\)", "", text)
        assert not snake.search(shown), (sheet, cell, text)
        if lang == "zh" and sheet != SHEETS["about"] and not cell.startswith("A2"):
            assert not re.search(r"[a-z]{5,}", shown), (sheet, cell, text)  # no English beside the Chinese
    provinces = book[SHEETS["provinces"]]
    heads = [c.value for c in provinces[4]]  # the provinces in the yearbooks' order, the nation last
    assert heads[2:] == (
        ["甘肃 Gansu", "青海 Qinghai", "全国 national"] if lang == "zh+en" else ["甘肃", "青海", "全国"]
    )
    for sheet in book:
        assert sheet.page_setup.orientation == "landscape" or sheet.title == SHEETS["about"], sheet.title
        assert sheet.print_title_rows, sheet.title
        if sheet.title != SHEETS["about"]:
            assert sheet.freeze_panes in ("C5", "D5", "B5"), (sheet.title, sheet.freeze_panes)
    trend = book[SHEETS["trend"]]
    assert "2023 较上年" in str(trend["E4"].value)
    notes = [text for sheet, _, text in _visible_text(book) if sheet == SHEETS["trend"] and text.startswith("[1]")]
    assert notes and "2 个" in notes[0]  # Qinghai's or the nation's parks differ between the years: said why


def test_a_large_list_goes_to_parquet_only(two_years, tmp_path, monkeypatch):
    import openpyxl

    from carbon.dataset import summary

    result, _, _ = two_years
    monkeypatch.setattr(summary, "TABLE_ROW_LIMIT", 40)  # the sub-parks (15 rows) stay, the enterprises go
    out = result.write(tmp_path / "out")
    book = openpyxl.load_workbook(out / summary.SUMMARY_WORKBOOK)
    assert summary.SHEETS["enterprises"] not in book.sheetnames and summary.SHEETS["sub_parks"] in book.sheetnames
    about = " ".join(text for sheet, _, text in _visible_text(book) if sheet == summary.SHEETS["about"])
    assert "超过 40 行，未写入本工作簿：见 enterprises.parquet" in about
    assert len(pd.read_parquet(out / "enterprises.parquet")) == len(result.enterprises) > 40


def test_an_unknown_language_is_refused_before_anything_is_written(two_years, tmp_path):
    result, _, _ = two_years
    with pytest.raises(carbon.CarbonError, match="unknown language 'fr'; 可选 valid: zh\\+en, zh, en"):
        result.write(tmp_path / "out", lang="fr")
    assert not (tmp_path / "out").exists() and not list(tmp_path.iterdir())


@needs_dask
def test_each_park_is_accounted_once_and_its_rows_gathered_in_this_process(parks, tmp_path, monkeypatch):
    # the summed figures and the gathered tables come from one graph: a park's kernel runs once for both
    import carbon.dataset.account as dataset_account

    calls = []
    kernel = dataset_account.park_tables
    monkeypatch.setattr(dataset_account, "park_tables", lambda *a, **k: calls.append(1) or kernel(*a, **k))
    collect(parks[:2], tmp_path / "dataset")
    result = account_dataset(tmp_path / "dataset", scheduler="synchronous")
    assert len(calls) == 2 == len(result.parks)
    assert set(result.enterprises["park"]) == set(result.parks["park"])
    assert len(result.park_indicators) == 2 * 6
