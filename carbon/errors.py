"""Exceptions raised by carbon.

Every error that carbon raises on purpose derives from :class:`CarbonError`. Each concrete error also
derives from the matching built-in exception (``ValueError``, ``KeyError``, ``LookupError``), so callers
that already catch those keep working. Errors carry structured attributes as well as a message; the
message is bilingual, Chinese first, then English, separated by `` / ``.

Every exception here pickles and unpickles with its attributes intact (a process pool or a Dask worker sends
them between processes): :meth:`CarbonError.__reduce__` rebuilds the object from its message and attributes
without calling ``__init__`` again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = [
    "AccountError",
    "AccountFormatError",
    "CarbonError",
    "FactorFallbackWarning",
    "FactorFileError",
    "FactorNotFoundError",
    "IncompatibleUnitError",
    "InputValueError",
    "TableFolderError",
    "UnitError",
    "UnknownNameError",
    "UnknownUnitError",
    "WorkbookError",
    "WorkbookFormatError",
    "printable",
]


#: Control characters (C0, DEL, C1): a terminal obeys them, so text from a cell must not reach it raw.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_AND_LINES = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: object, *, lines: bool = False) -> str:
    """``text`` safe to print: every control character (an escape sequence's ESC, a bell, a backspace, a carriage
    return) written as ``\\xNN``, so a cell's value cannot move the cursor, recolour or rewrite a terminal.
    ``lines`` keeps line feeds and tabs (a multi-line report); without it they are escaped too (one problem, one
    line)."""
    pattern = _CONTROL if lines else _CONTROL_AND_LINES
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def bilingual(zh: str, en: str) -> str:
    """Join a Chinese and an English sentence into one message line."""
    return f"{zh} / {en}"


def _listing(items: Iterable[str], limit: int = 60) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f", … (+{len(items) - limit})"
    return shown


def _restore(cls: type, args: tuple) -> CarbonError:
    """Unpickle an error: a bare instance with the original message; pickle then restores ``__dict__``."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    return error


class CarbonError(Exception):
    """Root of every error carbon raises on purpose."""

    def __reduce__(self):
        # Exception's default pickling calls cls(*args), which fails for errors whose __init__ takes
        # structured arguments; rebuild from the message and the attributes instead.
        return _restore, (type(self), self.args), self.__dict__ or None


class UnitError(CarbonError, ValueError):
    """A unit that carbon cannot use here."""


class UnknownUnitError(UnitError):
    """A unit text that is not defined, or that is a known trap (``ton``, ``mt``, ``T``).

    Attributes
    ----------
    unit : str
        The unit text as given.
    hint : str
        What to write instead (English), or an empty string.
    hint_zh : str
        The same in Chinese.
    """

    def __init__(self, unit: str, hint_zh: str = "", hint_en: str = "") -> None:
        self.unit = unit
        self.hint = hint_en
        self.hint_zh = hint_zh
        zh = f"无法识别的单位「{unit}」"
        en = f"unknown unit {unit!r}"
        if hint_zh or hint_en:
            zh, en = f"{zh}：{hint_zh}", f"{en}: {hint_en}"
        else:
            zh += "；可用示例：吨、千克、kWh、万千瓦时、Nm3、万Nm3、GJ、tce"
            en += "; examples of valid units: t, kg, kWh, 万kWh, Nm3, 万Nm3, GJ, tce"
        super().__init__(bilingual(zh, en))


class IncompatibleUnitError(UnitError):
    """A unit of the wrong dimension, e.g. a mass where an energy is expected.

    Attributes
    ----------
    unit : str
        The unit text as given.
    expected : str
        What was expected instead (English).
    """

    def __init__(self, unit: str, expected_zh: str, expected_en: str, detail_zh: str = "", detail_en: str = "") -> None:
        self.unit = unit
        self.expected = expected_en
        zh = f"单位「{unit}」的量纲不符，应为{expected_zh}"
        en = f"unit {unit!r} has the wrong dimension; expected {expected_en}"
        if detail_zh or detail_en:
            zh, en = f"{zh}（{detail_zh}）", f"{en} ({detail_en})"
        super().__init__(bilingual(zh, en))


class UnknownNameError(CarbonError, KeyError):
    """An unknown carrier, fuel, region, factor set or factor id.

    Attributes
    ----------
    kind : str
        What was looked up (``"carrier"``, ``"region"``, ``"factor set"``, ...).
    name : str
        The name as given.
    valid : tuple of str
        The names that would have been accepted.
    """

    _ZH = {
        "carrier": "能源品种",
        "fuel": "燃料",
        "region": "地区",
        "factor set": "因子集",
        "factor": "因子",
        "gas": "温室气体",
        "GWP edition": "GWP 版本",
        "method": "方法",
        "product": "工业产品",
    }

    def __init__(
        self, kind: str, name: object, valid: Sequence[str], context: str = "", hint_zh: str = "", hint_en: str = ""
    ) -> None:
        self.kind = kind
        self.name = name
        self.valid = tuple(valid)
        zh_kind = self._ZH.get(kind, kind)
        where_zh = f"（{context}）" if context else ""
        where_en = f" ({context})" if context else ""
        zh = f"未知{zh_kind}「{name}」{where_zh}" + (f"：{hint_zh}" if hint_zh else "")
        en = f"unknown {kind} {name!r}{where_en}" + (f": {hint_en}" if hint_en else "")
        en += f"; 可选 valid: {_listing(self.valid)}"
        self.message = bilingual(zh, en)
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class FactorNotFoundError(CarbonError, LookupError):
    """The library has no factor for this key, e.g. no data year at or before the one requested.

    Attributes
    ----------
    key : str
        Description of what was looked up.
    available : tuple
        What the library does hold for that key (years, carriers, ...).
    """

    def __init__(self, zh: str, en: str, key: str = "", available: Sequence[object] = ()) -> None:
        self.key = key
        self.available = tuple(available)
        super().__init__(bilingual(zh, en))


class InputValueError(CarbonError, ValueError):
    """Input values that break a rule of the calculation (e.g. green power above consumption).

    Attributes
    ----------
    argument : str
        The argument that holds the offending values.
    positions : tuple of int
        Zero-based positions of the offending values (at most the first 20).
    """

    def __init__(self, zh: str, en: str, argument: str = "", positions: Sequence[int] = ()) -> None:
        self.argument = argument
        self.positions = tuple(int(p) for p in positions[:20])
        super().__init__(bilingual(zh, en))


class FactorFileError(CarbonError, ValueError):
    """A factor file that breaks the format of ``factors/`` (see factors/README.md).

    Attributes
    ----------
    file : str
        The file name.
    problems : tuple of str
        Every problem found, each naming the line and column.
    """

    def __init__(self, file: str, problems: Sequence[str]) -> None:
        self.file = file
        self.problems = tuple(problems)
        listing = "; ".join(self.problems[:20])
        super().__init__(bilingual(f"因子文件 {file} 格式错误：{listing}", f"factor file {file} is invalid: {listing}"))


class FactorFallbackWarning(UserWarning):
    """A factor of another data year was used because the requested year is not published: the latest earlier one,
    or for a year before the first publication the earliest (``Factor.before_first``)."""


class AccountError(CarbonError, ValueError):
    """The account cannot be computed; ``problems`` lists what is missing, each located where possible.

    Attributes
    ----------
    problems : list of carbon.Problem
        Every problem found, each with its sheet, row, value and a Chinese and an English message.
    """

    def __init__(self, problems: Sequence) -> None:
        self.problems = list(problems)
        lines = "\n".join(str(p) for p in self.problems[:50])
        more = len(self.problems) - 50
        if more > 0:
            lines += f"\n… (+{more})"
        super().__init__(bilingual("无法完成年度核算", "the annual account cannot be computed") + "\n" + lines)


class WorkbookError(CarbonError, ValueError):
    """A workbook that cannot be read into a ledger; ``report`` (a ReadReport) holds every located problem."""

    def __init__(self, report) -> None:
        self.report = report
        lines = [str(p) for p in report.errors[:50]]
        more = len(report.errors) - 50
        if more > 0:
            lines.append(f"… (+{more})")
        head = bilingual(
            f"工作簿 {report.source} 有错误，未能生成台账", f"workbook {report.source} has errors; no ledger was built"
        )
        super().__init__(head + "\n" + "\n".join(lines))


class WorkbookFormatError(CarbonError, ValueError):
    """The file is not a readable .xlsx workbook, or exceeds a documented limit.

    Attributes
    ----------
    path : str
        The file.
    code : str
        A stable code (``empty_file``, ``not_xlsx``, ``zip_bomb``, ``sheet_too_large`` ...).
    message_zh, message_en : str
        The two halves of the message.
    sheet, cell : str
        Where in the file, when the refusal has a place (a cell written twice, the far cell of an oversized
        sheet); ``""`` for the file as a whole.
    """

    def __init__(self, path: str, zh: str, en: str, code: str, sheet: str = "", cell: str = "") -> None:
        self.path = path
        self.code = code
        self.sheet, self.cell = sheet, cell
        self.message_zh, self.message_en = zh, en
        super().__init__(bilingual(f"{path}：{zh}", f"{path}: {en}"))


class TableFolderError(CarbonError, ValueError):
    """The folder is missing or holds no table files."""


class AccountFormatError(CarbonError, ValueError):
    """A workbook that is not a carbon account workbook (碳账本) written by carbon."""


def __getattr__(name: str) -> type:
    # LedgerFormatError: the name AccountFormatError had before the account workbook was called by its name;
    # kept for one release, warning on use
    if name == "LedgerFormatError":
        import warnings

        warnings.warn(
            "carbon.errors.LedgerFormatError is now AccountFormatError (the old name goes in the next release)",
            DeprecationWarning,
            stacklevel=2,
        )
        return AccountFormatError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
