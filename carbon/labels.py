"""What a code in the account's tables says to staff, and back: ``electricity`` is 电力, 电力 is ``electricity``.

The account's tables hold codes (``electricity``, ``completed``, ``Qinghai``), which analysts filter on and
which stay stable when a label is reworded. Staff read and type labels. This module joins every vocabulary
that gives a code its words:

- the carriers, regions and products (``carbon/data/*.csv``: 中文 name, English name, aliases);
- the choices staff pick in the park workbook (:data:`carbon.schema.inputs.CHOICES`);
- the codes only the account makes (statuses, levels, terms ...: :data:`carbon.schema.outputs.CODES`).

:func:`label` gives the words of a code in a language (``zh``, ``en`` or ``zh+en``); :func:`code` takes any
of a code's spellings (the code, its 中文 or English label, either label with the other, an alias) back to the
code, and refuses a spelling that names nothing, with the nearest names. :func:`labels` and :func:`codes` do
the same for a whole column, once per distinct value. A value with no vocabulary (an enterprise name, a
sub-park) is its own label.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping

import pandas as pd

from carbon import names
from carbon.errors import UnknownNameError
from carbon.schema.inputs import CHOICES
from carbon.schema.outputs import CODES

__all__ = ["LANGS", "code", "codes", "label", "labels", "sides", "vocabulary"]

#: The languages of an output: Chinese, English, or Chinese with English beside (the default).
LANGS = ("zh+en", "zh", "en")

#: Columns (``column`` or ``table.column``) and the vocabularies that give their codes words, in order.
_SOURCES: dict[str, tuple[str, ...]] = {
    "carrier": ("carriers",),
    "saving_carrier": ("carriers",),
    "fuel_before": ("carriers",),
    "fuel_after": ("choice:fuel_after", "carriers"),
    "use": ("choice:use", "item"),
    "process": ("choice:conversion_process",),
    "origin": ("choice:origin",),
    "instrument": ("choice:instrument",),
    "green_power.source": ("choice:power_source",),
    "emissions.source": ("emissions.source",),
    "detail.source": ("detail.source",),
    "detail.category": ("detail.category",),
    "tce_equivalent_method": ("tce_method",),
    "tce_equal_value_method": ("tce_method",),
    "category": ("choice:project_category",),
    "status": ("choice:status", "status"),
    "level": ("choice:level", "level"),
    "product_energy_level": ("choice:product_energy_level",),
    "indicator": ("choice:indicator", "indicator"),
    "product": ("products",),
    "province": ("regions",),
    "region": ("regions",),
    "item": ("item", "products"),
    "kind": ("kind",),
    "scope2_method": ("scope2_method",),
    "type": ("type",),
    "indicators.method": ("method",),
    "indicators.unit": ("indicators.unit",),
    "targets.unit": ("targets.unit",),
    "trend.unit": ("trend.unit",),
    "trend.status": ("trend.status",),
    "verdict": ("status",),
    "boundary_change": ("choice:boundary_change",),
    "gap_unit": ("gap_unit",),
    "comparison": ("comparison",),
    "term": ("term",),
    "basis": ("basis",),
    "tce_method": ("tce_method",),
    "confidence": ("confidence",),
    "point": ("point",),
    "bool": ("bool",),
    "methods.scope2": ("methods.scope2",),
    "methods.factor_set": ("methods.factor_set",),
    "methods.electricity_tce": ("methods.electricity_tce",),
    "methods.non_co2": ("methods.non_co2",),
    "methods.clean_energy": ("methods.clean_energy",),
    "methods.gwp": (),
}

#: Indicators the account reports that staff do not set targets on (so not in the input's choices).
_INDICATORS = {"product_energy_level": ("主要产品能效达到二级及以上的企业占比", "product energy level")}


#: English labels of choices whose code does not read as English words.
_ENGLISH = {
    "choice:use": {"fuel": "end use", "recovered": "recovered energy", "conversion": "conversion input"},
    "choice:power_source": {"pv": "solar PV"},
    "choice:project_category": {"process": "process improvement", "digital": "digital energy management"},
    "choice:id_type": {"uscc": "credit code", "internal": "internal code"},
    "choice:factor_parameter": {"ncv": "net calorific value"},
}


def _english(source: str, choice_id: str) -> str:
    """A choice's English label: its code in words, unless the code does not read as English."""
    return _ENGLISH.get(source, {}).get(choice_id, choice_id.replace("_", " "))


@functools.cache
def _vocabulary(source: str) -> Mapping[object, tuple[str, str, tuple[str, ...]]]:
    """One vocabulary: code -> (中文, English, other spellings)."""
    if source.startswith("choice:"):
        choices = CHOICES[source.removeprefix("choice:")]
        return {c.id: (c.zh, _english(source, c.id), c.aliases) for c in choices}
    if source in ("carriers", "regions", "products"):
        table = getattr(names, source)()
        return {
            row.id: (row.name_zh, row.name_en, tuple(filter(None, str(row.aliases).split("|"))))
            for row in table.itertuples()
        }
    if source == "indicator":
        return {k: (*v, ()) for k, v in _INDICATORS.items()}
    return {k: (*v, ()) for k, v in CODES[source].items()}


@functools.cache
def _words(table: str, column: str) -> Mapping[object, tuple[str, str, tuple[str, ...]]] | None:
    sources = _SOURCES.get(f"{table}.{column}") or _SOURCES.get(column)
    if sources is None:
        return None
    words: dict[object, tuple[str, str, tuple[str, ...]]] = {}
    for source in sources:
        for key, value in _vocabulary(source).items():
            words.setdefault(key, value)
    return words


def vocabulary(column: str, table: str = "") -> dict[object, tuple[str, str]] | None:
    """The codes of ``column`` (of ``table``, where the column means something else elsewhere) and their
    (中文, English) labels; None for a column of free text or numbers."""
    words = _words(table, column)
    return None if words is None else {k: (zh, en) for k, (zh, en, _) in words.items()}


def sides(text: object) -> tuple[str, str]:
    """The Chinese and English sides of a ``中文 / English`` text (the text on both sides if it has none):
    the form of every note of the account."""
    zh, _, en = str(text).partition(" / ")
    return (zh, en) if en else (zh, zh)


def _render(zh: str, en: str, lang: str) -> str:
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return zh if zh == en else f"{zh} {en}"


def label(column: str, value: object, lang: str = "zh", table: str = "") -> object:
    """The words of ``value`` (a code of ``column``) in ``lang``; a value without words is returned as is.

    >>> label("carrier", "electricity")
    '电力'
    >>> label("status", "completed", "zh+en")
    '已完成 completed'
    """
    if lang not in LANGS:
        raise UnknownNameError("language", lang, list(LANGS))
    words = _words(table, column)
    if words is None or isinstance(value, float) or value is None or value is pd.NA:
        return value
    try:
        found = words.get(value)
    except TypeError:  # unhashable
        return value
    return value if found is None else _render(found[0], found[1], lang)


@functools.cache
def _index(table: str, column: str) -> Mapping[str, object]:
    """Every spelling of every code of a column, normalised, -> the code."""
    index: dict[str, object] = {}
    for key, (zh, en, aliases) in (_words(table, column) or {}).items():
        spellings = [str(key), zh, en, *aliases, *(_render(zh, en, lang) for lang in LANGS)]
        for spelling in spellings:
            index.setdefault(_norm(spelling), key)
    return index


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def code(column: str, text: object, table: str = "") -> object:
    """The code ``text`` spells in ``column`` (the code itself, a label in either language or both, an alias).

    Raises
    ------
    UnknownNameError
        ``text`` spells no code of the column (with the nearest spellings); a column without a vocabulary
        takes any value as it is.

    >>> code("carrier", "电力")
    'electricity'
    """
    words = _words(table, column)
    if words is None:
        return text
    if not isinstance(text, str):
        try:
            if text in words:
                return text
        except TypeError:
            pass
        raise UnknownNameError(column, text, [str(k) for k in words])
    found = _index(table, column).get(_norm(text))
    if found is None:
        spellings = [s for k, (zh, en, _) in words.items() for s in (str(k), zh)]
        near = difflib.get_close_matches(text, spellings, n=5, cutoff=0.3)
        raise UnknownNameError(column, text, near or [str(k) for k in words])
    return found


def labels(values: pd.Series, column: str, lang: str = "zh", table: str = "") -> pd.Series:
    """A column's codes as words in ``lang``, one lookup per distinct value (blank stays blank)."""
    if lang not in LANGS:
        raise UnknownNameError("language", lang, list(LANGS))
    words = _words(table, column)
    if words is None or not len(values):
        return values
    distinct = pd.unique(values.dropna())
    mapping = {v: label(column, v, lang, table) for v in distinct}
    return values.astype(object).map(mapping).where(values.notna(), None)


def codes(values: pd.Series, column: str, table: str = "") -> pd.Series:
    """Words (in any language) back to a column's codes, one lookup per distinct value; a word that names
    no code is kept as it is (the reader of a 碳账本 gives back what it finds)."""
    words = _words(table, column)
    if words is None or not len(values):
        return values
    index = _index(table, column)
    distinct = pd.unique(values.dropna())
    mapping = {v: index.get(_norm(v), v) if isinstance(v, str) else v for v in distinct}
    return values.map(mapping).where(values.notna(), None)
