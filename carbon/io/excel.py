"""Helpers shared by the Excel writers: atomic write, print layout, display width and the safe cell writer.

Every workbook carbon writes is written next to its destination and renamed into place (an interrupted write
never leaves half a file nor spoils the previous one; the file gets the permissions a plain ``open()`` would
give), with xlsxwriter's ``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` off, so text
from users is always stored as text (a name starting with ``=`` stays a name). :func:`check_output_path`
refuses, before any work, an output path that cannot or must not be written.
"""

from __future__ import annotations

import datetime as dt
import errno
import math
import os
import secrets
import stat
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from carbon.errors import CarbonError, bilingual

__all__ = [
    "SAFE_TEXT",
    "atomic_write",
    "check_output_path",
    "column_writer",
    "display_width",
    "output_path",
    "print_setup",
    "write_cell",
]

#: xlsxwriter options under which text is always written as text.
SAFE_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def _create_beside(target: Path) -> str:
    """Create an empty, uniquely named hidden file beside ``target`` and return its path.

    Created with ``os.open(..., 0o666)`` as a plain ``open()`` would, so the operating system applies the umask
    (and a folder's default ACL): no process-wide ``os.umask`` call, which would not be thread-safe.
    ``tempfile.mkstemp`` would give mode 0600 instead."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = target.parent / f".{target.stem}.{secrets.token_hex(4)}{target.suffix or '.tmp'}"
        try:
            handle = os.open(name, flags, 0o666)
        except FileExistsError:
            continue
        os.close(handle)
        return str(name)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def output_path(path: object) -> Path:
    """``path`` as a :class:`~pathlib.Path`; anything that is not a file path (a number, None, bytes, a text
    holding a NUL character) is refused in one line."""
    if isinstance(path, (str, os.PathLike)) and not isinstance(path, bytes):
        try:
            text = os.fspath(path)
        except TypeError:
            text = None
        if isinstance(text, str) and "\x00" not in text:
            return Path(text)
    shown = "含 NUL 字符的文本" if isinstance(path, str) else type(path).__name__
    shown_en = "a text holding a NUL character" if isinstance(path, str) else type(path).__name__
    raise CarbonError(
        bilingual(
            f"输出路径应为文件路径（str 或 Path），实为 {shown}",
            f"the output path must be a file path (str or Path), not {shown_en}",
        )
    )


def atomic_write(path: str | Path, write: Callable[[str], object]) -> Path:
    """Call ``write(temporary)`` on a temporary file beside ``path``, then rename it into place.

    Parameters
    ----------
    path : str or Path
        The file to write (its folder is created if needed).
    write : callable
        Writes the whole file to the temporary path it is given.

    Returns
    -------
    Path
        ``path``. On any exception (``KeyboardInterrupt`` included) the temporary file is removed and the
        previous file at ``path``, if any, is left as it was.

    Notes
    -----
    Permissions are those a plain ``open(path, "w")`` would give: a new file gets ``0o666 & ~umask`` (0644
    under the usual umask 022), and a file that is replaced keeps its permission bits (its owner and group
    are those of the writer). Use :func:`check_output_path` first to refuse a wrong or unwritable path.
    """
    target = output_path(path)
    if target.is_dir():
        raise CarbonError(
            bilingual(
                f"输出路径「{target}」是文件夹，请给出文件名",
                f"the output path {str(target)!r} is a folder: give a file name",
            )
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = _create_beside(target)
        if target.is_file():  # keep the permissions of the file replaced, as a plain open() would
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
    except OSError as exc:
        raise CarbonError(
            bilingual(f"无法写入「{target}」：{exc.strerror}", f"cannot write {str(target)!r}: {exc.strerror}")
        ) from None
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def check_output_path(
    path: str | Path, *, suffix: str = ".xlsx", inputs: Iterable[str | Path] = (), replace: bool = True
) -> Path:
    """Refuse, before any work is done, an output path that cannot or must not be written.

    Parameters
    ----------
    path : str or Path
        Where a file is to be written.
    suffix : str
        The extension the file must have (compared case-insensitively): what is written is of that format.
    inputs : iterable of str or Path
        Files the command reads; the output must be none of them.
    replace : bool
        Whether an existing file may be replaced (``carbon template`` replaces one only with ``--force``).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    CarbonError
        One line in Chinese and English: an empty path, a folder, a wrong extension, a folder that does not
        exist or is not a folder, a folder that cannot be written, an existing file that is read-only or not a
        regular file (a device, say), an existing file when ``replace`` is False, or one of ``inputs``.
    """
    target = output_path(path)
    text = str(path)
    _check_name(target, text, suffix)
    _check_folder(target.parent, text)
    if target.exists():
        _check_existing(target, text, inputs, replace)
    return target


def _check_name(target: Path, text: str, suffix: str) -> None:
    """An output name: not empty, not a folder, with the format's extension."""
    if not text.strip():
        raise CarbonError(bilingual("输出文件名为空", "the output file name is empty"))
    if target.is_dir():
        raise CarbonError(
            bilingual(
                f"输出路径「{text}」是文件夹，请给出文件名", f"the output path {text!r} is a folder: give a file name"
            )
        )
    if target.suffix.lower() != suffix.lower():
        example = f"{target.stem or 'out'}{suffix}"
        raise CarbonError(
            bilingual(
                f"输出文件「{text}」的扩展名应为 {suffix}（写出的是 {suffix} 文件），例如「{example}」",
                f"the output file {text!r} must end in {suffix} (a {suffix} file is written), e.g. {example!r}",
            )
        )


def _check_folder(parent: Path, text: str) -> None:
    """The folder of an output: there, a folder, writable."""
    if not parent.exists():
        raise CarbonError(
            bilingual(
                f"输出文件「{text}」所在的文件夹「{parent}」不存在，请先创建",
                f"the folder {str(parent)!r} of the output file {text!r} does not exist: create it first",
            )
        )
    if not parent.is_dir():
        raise CarbonError(
            bilingual(
                f"无法写出「{text}」：「{parent}」不是文件夹",
                f"the output file {text!r} cannot be written: {str(parent)!r} is not a folder",
            )
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise CarbonError(
            bilingual(
                f"没有在文件夹「{parent}」中写入的权限，无法写出「{text}」",
                f"no permission to write in the folder {str(parent)!r}: {text!r} cannot be written",
            )
        )


def _check_existing(target: Path, text: str, inputs: Iterable[str | Path], replace: bool) -> None:
    """An output that exists already: not an input, a regular writable file, replaced only when allowed."""
    for source in inputs:
        if Path(source).exists() and os.path.samefile(source, target):
            raise CarbonError(
                bilingual(
                    f"输出文件「{text}」就是输入文件，不能覆盖输入",
                    f"the output file {text!r} is the input: carbon must not overwrite the input",
                )
            )
    if not target.is_file():
        raise CarbonError(
            bilingual(
                f"输出路径「{text}」已存在且不是普通文件", f"the output path {text!r} exists and is not a regular file"
            )
        )
    if not os.access(target, os.W_OK) or not target.stat().st_mode & stat.S_IWUSR:
        raise CarbonError(
            bilingual(
                f"输出文件「{text}」已存在且为只读，未覆盖：请换一个文件名，或先取消只读",
                f"the output file {text!r} exists and is read-only; it was not replaced: choose another name, "
                "or make it writable first",
            )
        )
    if not replace:
        raise CarbonError(
            bilingual(
                f"{text} 已存在，未覆盖（若是已填写的工作簿，覆盖会丢失数据）：请换一个文件名，或加 --force",
                f"{text} exists and was not replaced (a filled workbook would be lost): choose another name, "
                "or add --force",
            )
        )


def print_setup(sheet: xlsxwriter.worksheet.Worksheet, header_rows: int = 1, pages_wide: int = 1) -> None:
    """A4 landscape, ``pages_wide`` pages across, the header rows repeated on every printed page (and the two
    identifying first columns when the table spans several pages across)."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(pages_wide, 0)
    if header_rows:
        sheet.repeat_rows(0, header_rows - 1)
    if pages_wide > 1:
        sheet.repeat_columns(0, 1)


def display_width(text: str) -> int:
    """Display width in Excel character units: CJK and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_cell(sheet: xlsxwriter.worksheet.Worksheet, row: int, column: int, value: object, fmt: object) -> None:
    """Write one value by its type: blank for None, NA, NaT, NaN and infinities; booleans, numbers, dates
    (as Excel dates) and anything else as text (never a formula)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        sheet.write_blank(row, column, None, fmt)
    elif isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(row, column, bool(value), fmt)
    elif isinstance(value, (int, float, np.integer, np.floating)):
        if not math.isfinite(float(value)):
            sheet.write_blank(row, column, None, fmt)
        else:
            sheet.write_number(row, column, float(value) + 0.0, fmt)  # -0.0 written as 0
    elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        stamp = pd.Timestamp(value).to_pydatetime()
        sheet.write_datetime(row, column, stamp, fmt)
    else:
        sheet.write_string(row, column, str(value), fmt)


def column_writer(sheet: xlsxwriter.worksheet.Worksheet, dtype: object) -> Callable[[int, int, object, object], None]:
    """A cell writer chosen once per column from its dtype (the per-cell type checks cost more than xlsxwriter):
    plain float columns go straight to ``write_number`` (NaN and infinities blank), others to
    :func:`write_cell`."""
    if pd.api.types.is_float_dtype(dtype) and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        number, blank = sheet.write_number, sheet.write_blank

        def write_float(row, column, value, fmt):
            if value != value or value in (math.inf, -math.inf):  # NaN or infinite: blank
                blank(row, column, None, fmt)
            else:
                number(row, column, value + 0.0, fmt)  # -0.0 + 0.0 is 0.0: never a "-0" in the sheet

        return write_float
    return lambda row, column, value, fmt: write_cell(sheet, row, column, value, fmt)
