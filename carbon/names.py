"""The vocabulary of carriers (energy types and fuels), regions and industrial products, in Chinese and English.

Every name a person may type is resolved here to one English id: ``原煤``, ``raw coal`` and ``raw_coal``
all become ``raw_coal``; ``青海``, ``青海省`` and ``qinghai`` become ``Qinghai``. Matching ignores case,
full-width forms, blanks, hyphens and underscores. The tables live in ``carbon/data/carriers.csv``,
``carbon/data/regions.csv`` and ``carbon/data/products.csv`` (the products whose output drives industrial-process
CO2, 发改环资〔2025〕910号 附件4: ``工业硅``, ``金属硅`` and ``silicon metal`` become ``silicon_metal``).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata

import pandas as pd

from carbon.errors import UnknownNameError

__all__ = ["carriers", "is_fuel", "products", "regions", "resolve_carrier", "resolve_product", "resolve_region"]


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\s_\-]+", "", text)


def _read(filename: str) -> pd.DataFrame:
    source = importlib.resources.files("carbon") / "data" / filename
    with source.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    return table


def _index(table: pd.DataFrame, kind: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for row in table.itertuples(index=False):
        spellings = [row.id, row.name_zh, row.name_en, *filter(None, row.aliases.split("|"))]
        for spelling in spellings:
            key = _key(spelling)
            if index.get(key, row.id) != row.id:
                raise RuntimeError(f"{kind} spelling {spelling!r} names both {index[key]!r} and {row.id!r}")
            index[key] = row.id
    return index


@functools.cache
def carriers() -> pd.DataFrame:
    """The carriers carbon knows: id, name_zh, name_en, category, aliases (``|``-separated)."""
    return _read("carriers.csv")


@functools.cache
def _fuel_carriers() -> dict[str, bool]:
    table = carriers()
    return {carrier: "fuel" in category for carrier, category in zip(table["id"], table["category"], strict=True)}


def is_fuel(carrier: pd.Series, unknown: bool = False) -> pd.Series:
    """Per row: whether the carrier (an id of :func:`carriers`) is a fuel, by its category (solid, liquid or
    gaseous fuel); a blank or an id carbon does not know gives ``unknown``."""
    return carrier.astype(object).map(_fuel_carriers()).fillna(unknown).astype(bool)


@functools.cache
def regions() -> pd.DataFrame:
    """The regions carbon knows: id, name_zh, name_en, level (national / grid region / province), aliases."""
    return _read("regions.csv")


@functools.cache
def products() -> pd.DataFrame:
    """The industrial products of process CO2 (发改环资〔2025〕910号 附件4, E_process = Σ output_i × EF_i):
    id, name_zh, name_en, group (clinker, lime, ferroalloy ...), aliases (``|``-separated)."""
    return _read("products.csv")


@functools.cache
def _carrier_index() -> dict[str, str]:
    return _index(carriers(), "carrier")


@functools.cache
def _region_index() -> dict[str, str]:
    return _index(regions(), "region")


@functools.cache
def _product_index() -> dict[str, str]:
    return _index(products(), "product")


def _choices(table: pd.DataFrame) -> list[str]:
    return [f"{row.id} {row.name_zh}" for row in table.itertuples(index=False)]


def _resolve(kind: str, name: object, index: dict[str, str], table: pd.DataFrame, context: str = "") -> str:
    if isinstance(name, str):
        found = index.get(_key(name))
        if found is not None:
            return found
    raise UnknownNameError(kind, name, _choices(table), context)


def resolve_carrier(name: object) -> str:
    """Return the carrier id for any known spelling.

    Raises
    ------
    UnknownNameError
        The name is not a known carrier; the message lists the valid ones.
    """
    return _resolve("carrier", name, _carrier_index(), carriers())


def resolve_region(name: object) -> str:
    """Return the region id (``'national'``, a grid region such as ``'northwest'``, or a province such as
    ``'Qinghai'``) for any known spelling.

    Raises
    ------
    UnknownNameError
        The name is not a known region; the message lists the valid ones.
    """
    return _resolve("region", name, _region_index(), regions())


def resolve_product(name: object) -> str:
    """Return the product id (``'silicon_metal'``, ``'calcium_carbide'``, ``'ferrosilicon_75'`` ...) for any known
    spelling: ``'工业硅'``, ``'金属硅'``, ``'电石'``, ``'FeSi75'``.

    Raises
    ------
    UnknownNameError
        The name is not a known product; the message lists the valid ones (``kind`` is ``"product"``).
    """
    return _resolve("product", name, _product_index(), products(), "工业产品 industrial product, 910号 附件4")
