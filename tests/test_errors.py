"""carbon/errors.py: one home for every exception, each picklable with its attributes (a process pool or a
Dask worker sends errors between processes)."""

from __future__ import annotations

import inspect
import pickle

import pandas as pd
import pytest

import carbon
from carbon import errors
from carbon.validation import cells
from carbon.validation.problems import Problem, ReadReport

_PROBLEM = Problem("error", "能源消费 energy", "F12", "abc", "应为数值", "expected a number", "not_a_number")


def _report() -> ReadReport:
    report = ReadReport(source="园区.xlsx")
    report.add(_PROBLEM)
    return report


# one instance of every exception class, built as carbon builds it
INSTANCES = {
    "UnknownUnitError": errors.UnknownUnitError("ton", "写 t", "write t"),
    "IncompatibleUnitError": errors.IncompatibleUnitError("t", "能量", "an energy", "细节", "detail"),
    "UnknownNameError": errors.UnknownNameError("carrier", "coal?", ["raw_coal", "coke"], context="energy"),
    "FactorNotFoundError": errors.FactorNotFoundError("没有", "none", key="year", available=[2021, 2022]),
    "InputValueError": errors.InputValueError("负数", "negative", argument="green", positions=[3, 5]),
    "FactorFileError": errors.FactorFileError("x.csv", ["line 3: bad unit"]),
    "AccountError": errors.AccountError([_PROBLEM]),
    "WorkbookError": errors.WorkbookError(_report()),
    "WorkbookFormatError": errors.WorkbookFormatError("a.xlsx", "不是工作簿", "not a workbook", "not_xlsx"),
    "TableFolderError": errors.TableFolderError(errors.bilingual("没有表", "no tables")),
    "AccountFormatError": errors.AccountFormatError(errors.bilingual("不是碳账本", "not an account workbook")),
    "UnitError": errors.UnitError("x"),
    "CarbonError": errors.CarbonError("x"),
}


def test_every_error_class_is_covered():
    defined = {
        value.__name__
        for value in vars(errors).values()
        if inspect.isclass(value) and issubclass(value, errors.CarbonError) and value.__module__ == errors.__name__
    }
    assert defined == set(INSTANCES)


@pytest.mark.parametrize("name", sorted(INSTANCES))
def test_error_pickles_with_message_and_attributes(name):
    error = INSTANCES[name]
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert again.args == error.args
    for attribute, value in vars(error).items():
        restored = getattr(again, attribute)
        if attribute == "report":
            assert [str(p) for p in restored.problems] == [str(p) for p in value.problems]
        elif attribute == "problems" and value and isinstance(value[0], Problem):
            assert restored == value
        else:
            assert restored == value, attribute


def test_errors_are_raised_by_the_public_api_and_pickle():
    with pytest.raises(carbon.UnknownNameError) as caught:
        carbon.fuel_co2(1, "t", "no such fuel")
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.valid == caught.value.valid and str(again) == str(caught.value)


def test_public_errors_are_exported_and_subclass_builtins():
    for name in INSTANCES:
        assert name in carbon.__all__ and getattr(carbon, name) is getattr(errors, name)
    assert issubclass(carbon.UnknownNameError, KeyError)
    assert issubclass(carbon.AccountError, ValueError)
    assert issubclass(carbon.WorkbookFormatError, ValueError)
    assert str(carbon.UnknownNameError("carrier", "x", ["a"])).startswith("未知能源品种")  # KeyError would quote it


def test_old_name_of_the_account_format_error_is_the_same_class_and_warns():
    with pytest.warns(DeprecationWarning, match="LedgerFormatError is now AccountFormatError"):
        assert errors.LedgerFormatError is errors.AccountFormatError
    with pytest.raises(AttributeError):
        errors.NoSuchError  # noqa: B018


def test_a_lone_surrogate_in_a_ledger_built_in_python_is_a_located_error():
    """Text no file can store (a lone surrogate, U+D800-U+DFFF) is refused at its cell; the report prints as UTF-8."""
    import pandas as pd

    import carbon

    firms = pd.DataFrame(
        [
            {
                "enterprise_id": "91350100M000100Y43",
                "name": "甲\ud800公司",
                "industry": "化工",
                "above_designated_size": "是",
            },
            {
                "enterprise_id": "914403001922038216",
                "name": "乙公司",
                "industry": "化\udfff工",
                "above_designated_size": "否",
            },
        ],
        dtype=object,
    )
    energy = pd.DataFrame(
        [{"enterprise_id": "91350100M000100Y43", "year": 2023, "carrier": "电力", "quantity": 1.0, "unit": "MWh"}]
    )
    park = {"name": "园区", "province": "青海", "reporting_year": 2023, "baseline_year": 2022}
    with pytest.raises(carbon.errors.WorkbookError) as caught:
        carbon.Ledger.from_frames(park, enterprises=firms, energy=energy)
    problems = {(p.cell, p.value) for p in caught.value.report.errors}
    assert problems == {("name row 1", "甲\\ud800公司"), ("industry row 2", "化\\udfff工")}
    assert all("lone surrogate" in p.message_en and "代理码位" in p.message_zh for p in caught.value.report.errors)
    str(caught.value).encode("utf-8")  # printable as it is


@pytest.mark.parametrize(
    ("name", "column", "value"),
    [
        ("energy", "enterprise_id", "9\ud800"),
        ("energy", "carrier", "电\ud800"),
        ("energy", "unit", "吨\udfff"),
        ("economics", "enterprise_id", "91\udfff"),
        ("green_power", "certificate_id", "C\ud800"),
        ("projects", "name", "P\ud800"),
    ],
)
def test_a_lone_surrogate_in_any_column_is_refused_at_its_cell(name, column, value):
    """Codes, labels looked up among choices, and text alike (the sample park's tables as Python frames)."""

    import carbon

    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    frames = {key: frame.drop(columns=["source_row"]).astype(object) for key, frame in ledger.tables.items()}
    frames[name].loc[frames[name].index[2], column] = value
    with pytest.raises(carbon.errors.WorkbookError) as caught:
        carbon.Ledger.from_frames(dict(ledger.park), **frames)
    here = [p for p in caught.value.report.errors if p.cell == f"{column} row 3"]
    assert len(here) == 1 and "lone surrogate" in here[0].message_en
    assert here[0].value == value.encode("utf-8", "backslashreplace").decode()
    str(caught.value).encode("utf-8")


#: A park of one enterprise (an internal code), for ledgers built in Python.
_PARK = {"name": "园区", "province": "Qinghai", "reporting_year": 2023, "baseline_year": 2023}
_ONE_FIRM = pd.DataFrame(
    {
        "enterprise_id": ["E1"],
        "id_type": ["internal"],
        "name": ["企业"],
        "industry": ["化工"],
        "above_designated_size": [True],
    }
)


def test_text_no_file_can_store_beside_the_column_parsed_is_refused_at_its_own_cell():
    """A target's value is read in its indicator's unit, so parsing the value reads the indicator too: a lone
    surrogate there raised a bare UnicodeEncodeError; it is refused at the indicator's cell."""
    targets = pd.DataFrame({"indicator": ["x\ud800"], "year": [2025], "value": ["12%"]}, dtype=object)
    with pytest.raises(carbon.WorkbookError) as caught:
        carbon.Ledger.from_frames(_PARK, enterprises=_ONE_FIRM, targets=targets)
    located = [(p.column, p.message_en) for p in caught.value.report.errors]
    assert ("indicator", cells.UNSTORABLE[1]) in located


def test_a_unit_suffix_against_a_row_unit_of_pd_na_is_a_located_error():
    """'12吨' with the row's unit pd.NA (a nullable text column built in Python) raised pandas' TypeError
    ('boolean value of NA is ambiguous'): the suffix is reported against no unit, and the unit as missing."""
    energy = pd.DataFrame(
        {
            "enterprise_id": ["E1"],
            "year": [2023],
            "month": [1],
            "carrier": ["electricity"],
            "quantity": ["12吨"],
            "unit": [pd.NA],
        }
    )
    with pytest.raises(carbon.WorkbookError) as caught:
        carbon.Ledger.from_frames(_PARK, enterprises=_ONE_FIRM, energy=energy)
    located = {(p.column, p.code) for p in caught.value.report.errors}
    assert located == {("quantity", "unreadable"), ("unit", "required")}
    assert any("'(none)'" in p.message_en for p in caught.value.report.errors)
