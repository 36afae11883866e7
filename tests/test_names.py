"""carbon/names.py: carriers and regions by Chinese name, English name or id."""

from __future__ import annotations

import pytest

from carbon import names
from carbon.errors import UnknownNameError


@pytest.mark.parametrize(
    ("text", "carrier"),
    [
        ("原煤", "raw_coal"),
        ("raw_coal", "raw_coal"),
        ("Raw Coal", "raw_coal"),
        ("天然气", "natural_gas"),
        ("natural gas", "natural_gas"),
        ("电力", "electricity"),
        ("电", "electricity"),
        ("ＬＰＧ", "lpg"),
        ("热力", "heat"),
    ],
)
def test_carriers(text, carrier):
    assert names.resolve_carrier(text) == carrier


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("青海", "Qinghai"),
        ("青海省", "Qinghai"),
        ("Qinghai", "Qinghai"),
        ("qinghai", "Qinghai"),
        ("内蒙古自治区", "Inner Mongolia"),
        ("inner_mongolia", "Inner Mongolia"),
        ("陕西", "Shaanxi"),
        ("山西", "Shanxi"),
        ("西北电网", "northwest"),
        ("全国", "national"),
        ("China", "national"),
    ],
)
def test_regions(text, region):
    assert names.resolve_region(text) == region


def test_every_spelling_names_one_thing():
    # building the indexes raises if two rows share a spelling
    assert len(names._carrier_index()) > len(names.carriers())
    assert len(names._region_index()) > len(names.regions())


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(UnknownNameError, match="valid: raw_coal 原煤") as info:
        names.resolve_carrier("木柴")
    assert info.value.kind == "carrier"
    with pytest.raises(UnknownNameError, match="Qinghai 青海"):
        names.resolve_region(None)
