"""carbon/io/table_folder.py: a Parquet table's dictionary columns made categoricals chunk dictionary by chunk
dictionary, against pandas.read_parquet's conversion of the same columns (the same frame: categories in the
same order, the same codes, the same index)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbon.io import table_folder

_TEXT = st.one_of(st.none(), st.sampled_from(["91350100M000100Y43", "甲", "", " a", "a", "X\x00", "b"]))


def _same(path, columns, dictionaries) -> None:
    got = table_folder._read_parquet(path, columns, dictionaries)
    want = pd.read_parquet(path, columns=columns, read_dictionary=dictionaries)
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_categorical=True, check_index_type=True)
    for name in dictionaries or ():
        assert got[name].cat.categories.tolist() == want[name].cat.categories.tolist()  # the same order
        assert got[name].cat.categories.dtype == want[name].cat.categories.dtype
        assert got[name].cat.codes.tolist() == want[name].cat.codes.tolist()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(_TEXT, _TEXT, st.floats(0, 10)), max_size=40),
    st.integers(1, 7),
    st.sampled_from([pa.string(), pa.large_string()]),
)
def test_dictionary_columns_read_as_pandas_reads_them(tmp_path, rows, row_group_size, text_type):
    path = tmp_path / "energy.parquet"
    table = pa.table(
        {
            "enterprise_id": pa.array([r[0] for r in rows], type=text_type),
            "quantity": pa.array([r[2] for r in rows], type=pa.float64()),
            "carrier": pa.array([r[1] for r in rows], type=text_type),
        }
    )
    pq.write_table(table, path, row_group_size=row_group_size)  # several row groups, each its own dictionary
    _same(path, ["enterprise_id", "quantity", "carrier"], ["enterprise_id", "carrier"])
    _same(path, ["carrier", "enterprise_id"], ["enterprise_id", "carrier"])  # dictionaries only, in another order
    _same(path, ["quantity", "carrier"], ["carrier"])


def test_a_pandas_file_with_its_index_and_unused_categories(tmp_path):
    path = tmp_path / "energy.parquet"
    frame = pd.DataFrame(
        {
            "enterprise_id": pd.Categorical(["b", None, "a", "b"], categories=["z", "b", "a"]),
            "quantity": [1.0, 2.0, np.nan, 4.0],
            "unit": ["t", "t", None, "kWh"],
        },
        index=pd.Index([10, 11, 12, 13], name="line"),
    )
    frame.to_parquet(path, row_group_size=3)
    _same(path, ["enterprise_id", "quantity", "unit"], ["enterprise_id", "unit"])
    _same(path, ["unit"], ["unit"])


def test_a_file_of_many_chunks_sharing_each_row_groups_dictionary(tmp_path):
    path = tmp_path / "energy.parquet"
    rng = np.random.default_rng(0)
    codes = np.array([f"91350100M{i:09d}" for i in range(5_000)], dtype=object)
    values = codes[rng.integers(0, len(codes), size=300_000)]
    values[rng.integers(0, len(values), size=100)] = None
    pq.write_table(pa.table({"enterprise_id": values}), path, row_group_size=140_000)  # chunks of 131,072 rows read
    assert pq.read_table(path, read_dictionary=["enterprise_id"]).column(0).num_chunks > 3
    _same(path, ["enterprise_id"], ["enterprise_id"])


@pytest.mark.parametrize("rows", [0, 3])
def test_a_column_without_values(tmp_path, rows):
    path = tmp_path / "energy.parquet"
    pq.write_table(pa.table({"unit": pa.array([None] * rows, type=pa.string()), "quantity": [1.0] * rows}), path)
    _same(path, ["unit", "quantity"], ["unit"])
