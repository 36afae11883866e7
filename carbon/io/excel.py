"""Helpers shared by the Excel writers: atomic write, print layout, display width and the safe cell writer.

Every workbook carbon writes is written next to its destination and renamed into place (an interrupted write
never leaves half a file nor spoils the previous one), with xlsxwriter's ``strings_to_formulas``,
``strings_to_urls`` and ``strings_to_numbers`` off, so text from users is always stored as text (a name
starting with ``=`` stays a name).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from carbon.errors import CarbonError, bilingual

__all__ = ["SAFE_TEXT", "atomic_write", "column_writer", "display_width", "print_setup", "write_cell"]

#: xlsxwriter options under which text is always written as text.
SAFE_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


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
    """
    target = Path(path)
    if target.is_dir():
        raise CarbonError(
            bilingual(
                f"输出路径「{target}」是文件夹，请给出文件名",
                f"the output path {str(target)!r} is a folder: give a file name",
            )
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            suffix=target.suffix or ".tmp", dir=target.parent, prefix=f".{target.stem}."
        )
    except OSError as exc:
        raise CarbonError(
            bilingual(f"无法写入「{target}」：{exc.strerror}", f"cannot write {str(target)!r}: {exc.strerror}")
        ) from None
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


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
            sheet.write_number(row, column, float(value), fmt)
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
                number(row, column, value, fmt)

        return write_float
    return lambda row, column, value, fmt: write_cell(sheet, row, column, value, fmt)
