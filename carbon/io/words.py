"""The words of the account workbook in the language asked for: ``zh``, ``en`` or ``zh+en`` (the default).

Fixed texts come from :mod:`carbon.schema.outputs` as (中文, English) pairs; codes in the account's tables
become their labels through :mod:`carbon.labels`. The workbook's tables keep their codes in the account
(analysts filter on them); only what is written changes, and :func:`carbon.io.account_workbook.read_account`
turns the labels back into codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carbon import labels as _labels
from carbon.errors import UnknownNameError
from carbon.schema.outputs import FRACTION, OutputColumn

__all__ = ["LANGS", "Words", "booleans"]

LANGS = _labels.LANGS

#: Columns of notes written ``中文 / English``: shown in one language when one is asked for.
NOTES = frozenset({"note", "method", "assumptions", "reading", "other_reading", "basis_name", "reason"})

#: Columns of symbols, shown once (``≤``, ``能效等级 ≤``) rather than in both languages.
SYMBOLS = frozenset({"comparison"})

#: Units as staff write them in Chinese.
_UNITS_ZH = {"t": "吨", "kg": "千克", "t/h": "蒸吨/小时"}


def booleans(values: pd.Series) -> bool:
    """A column of booleans with blanks (object dtype, the reductions' ``overdue``): shown as 是/否 like any
    boolean, and recorded as such for the reader."""
    if values.dtype != object or not len(values):
        return False
    distinct = values.dropna().unique()
    return bool(len(distinct)) and all(isinstance(v, (bool, np.bool_)) for v in distinct)


@dataclass(frozen=True)
class Words:
    """Texts in one language."""

    lang: str = "zh+en"

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise UnknownNameError("language", self.lang, list(LANGS))

    def pair(self, zh: str, en: str, sep: str = " ") -> str:
        """``zh``, ``en`` or both, Chinese first."""
        if self.lang == "zh" or not en:
            return zh
        if self.lang == "en":
            return en
        return zh if zh == en else f"{zh}{sep}{en}"

    def of(self, text: tuple[str, str] | str, sep: str = " ") -> str:
        """A (中文, English) pair in the language; a plain string as it is."""
        return text if isinstance(text, str) else self.pair(text[0], text[1], sep)

    def unit(self, unit: str) -> str:
        """A unit as staff write it (吨 for t in Chinese)."""
        return unit if self.lang == "en" else _UNITS_ZH.get(unit, unit)

    def header(self, column: OutputColumn) -> str:
        """A column's header: ``排放量（tCO2）`` / ``Emissions (tCO2)`` / both on two lines. A fraction shown as a
        percentage says %; a unit given per row (``unit``, ``the row's unit``) is left to the row."""
        unit = column.unit
        if column.num_format == FRACTION:
            unit = "%"
        elif "unit" in unit or unit == "fraction":
            unit = ""
        zh = f"{column.zh}（{self.unit(unit)}）" if unit else column.zh
        en = f"{column.en} ({unit})" if unit else column.en
        return self.pair(zh, en, "\n")

    def label(self, column: str, value: object, table: str = "") -> object:
        """The words of one code (a value without a vocabulary as it is)."""
        return _labels.label(column, value, self._lang(column), table)

    def _lang(self, column: str) -> str:
        """Symbols read the same in both languages: a comparison is shown once, in Chinese, beside English."""
        return "zh" if column in SYMBOLS and self.lang == "zh+en" else self.lang

    def column(self, values: pd.Series, column: str, table: str = "") -> pd.Series:
        """A column of codes as words; booleans as 是/否; notes in the language; other columns as they are."""
        if pd.api.types.is_bool_dtype(values.dtype) or booleans(values):
            return _labels.labels(values.astype(object), "bool", self.lang)
        coded = _labels.vocabulary(column, table) is not None
        # a factor's note is the factor file's text, in the language it was written in
        if column in NOTES and not coded and table != "factors" and self.lang != "zh+en" and len(values):
            distinct = pd.unique(values.dropna())
            mapping = {v: self.note(v) if isinstance(v, str) else v for v in distinct}
            return values.astype(object).map(mapping).where(values.notna(), None)
        return _labels.labels(values, column, self._lang(column), table)

    def note(self, text: str) -> str:
        """A note written as ``中文 / English`` (parts joined by ``; ``) in the language: each part's side."""
        if self.lang == "zh+en" or " / " not in text:
            return text
        parts = [_labels.sides(part)[0 if self.lang == "zh" else 1] for part in re.split(r";\s+", text)]
        return ("；" if self.lang == "zh" else "; ").join(parts)
