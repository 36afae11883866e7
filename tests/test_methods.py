"""carbon/account/methods.py: every method choice in one frozen model, validated once, recorded on the account
and driving the command line's options."""

from __future__ import annotations

import pickle

import pydantic
import pytest

import carbon
from carbon.account import Methods
from carbon.account.methods import cli_options
from carbon.cli import _build_parser


def test_defaults_are_the_documented_ones():
    m = Methods()
    assert dict(m) == {
        "scope2": "both",
        "gwp": "AR6",
        "factor_set": "gbt32151",
        "electricity_tce": "equivalent",
        "non_co2": False,
        "clean_energy": "natural_gas+non_fossil",
    }
    assert m.headline == "market"
    assert Methods(scope2="location").headline == "location"


@pytest.mark.parametrize(
    ("choice", "value", "message"),
    [
        ("scope2", "residual", r"unknown method 'residual' \(scope2\); 可选 valid: both, location, market"),
        ("gwp", "AR3", r"unknown method 'AR3' \(gwp\); 可选 valid: AR4, AR5, AR6"),
        ("factor_set", "ipcc1996", r"unknown factor set 'ipcc1996'; 可选 valid: cn_set_b, gbt32151, ipcc2006"),
        ("electricity_tce", "当量", r"unknown method '当量' \(electricity_tce\)"),
        ("clean_energy", "gas", r"unknown method 'gas' \(clean_energy\)"),
        ("non_co2", "yes", r"unknown method 'yes' \(non_co2\)"),
    ],
)
def test_a_choice_outside_the_list_is_a_bilingual_error(choice, value, message):
    with pytest.raises(carbon.UnknownNameError, match=message) as caught:
        Methods(**{choice: value})
    assert str(caught.value).startswith("未知")


def test_frozen_and_no_unknown_choice():
    m = Methods()
    with pytest.raises(pydantic.ValidationError):
        m.scope2 = "location"
    with pytest.raises(carbon.UnknownNameError, match="unknown method 'scope'"):
        Methods.of(scope="location")
    assert m.replace(scope2="market") == Methods(scope2="market")
    assert pickle.loads(pickle.dumps(m)) == m


def test_factor_set_object_is_recorded_by_name():
    assert Methods(factor_set=carbon.load_factors("cn_set_b")).factor_set == "cn_set_b"
    assert Methods.of(factor_set=None).factor_set == "gbt32151"


@pytest.fixture(scope="module")
def sample():
    return carbon.read_workbook(carbon.sample_workbook_path())


def test_the_account_records_its_methods(sample):
    account = sample.account(scope2="location", clean_energy="non_fossil")
    assert isinstance(account.methods, Methods)
    assert account.methods == Methods(scope2="location", clean_energy="non_fossil")
    assert account.methods["scope2"] == "location"  # read like a mapping, as before
    assert account.summary["method_clean_energy"] == "non_fossil"
    # keywords win over a Methods given beside them
    again = sample.account(methods=Methods(scope2="location"), scope2="market")
    assert again.methods.scope2 == "market"


def test_the_command_line_offers_every_choice_with_its_default():
    parser = _build_parser()
    ledger = next(a for a in parser._subparsers._group_actions[0].choices.items() if a[0] == "ledger")[1]
    flags = {action.dest: action for action in ledger._actions}
    for option in cli_options():
        action = flags[option["dest"]]
        assert option["flag"] in action.option_strings
        assert action.default == Methods.model_fields[option["dest"]].default
        if not option["flag_only"]:
            assert list(action.choices) == option["choices"]
    assert set(Methods.model_fields) <= set(flags)


def test_clean_energy_from_the_command_line_changes_the_indicator(tmp_path, capsys):
    from carbon.cli import main

    assert main(["ledger", "--clean-energy", "non_fossil", "-o", str(tmp_path / "a.xlsx")]) == 0
    narrow = capsys.readouterr().out
    assert main(["ledger", "-o", str(tmp_path / "b.xlsx")]) == 0
    wide = capsys.readouterr().out
    share = [line for line in narrow.splitlines() if "clean-energy share" in line]
    assert share and share != [line for line in wide.splitlines() if "clean-energy share" in line]
