"""The printed layout of the summary workbook's sheets: grids (a figure per row, a value per column) and lists
(a row per park or enterprise), each printed A4 landscape with its header rows repeated and its panes frozen.

Nothing here knows the account: :mod:`carbon.dataset.summary` says what each sheet holds, in which words. The
cell formats are the 碳账本's (:class:`carbon.io.account_sheets.Formats`) with a thin grey border, as a printed
row of numbers is read along its lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import xlsxwriter

from carbon.io.account_sheets import Formats, page_footer
from carbon.io.excel import display_width, write_cell
from carbon.io.words import Words
from carbon.schema.outputs import AMOUNT, OutputColumn

__all__ = [
    "HEADER_ROW",
    "LINE",
    "PAGE_BLOCK",
    "PAGE_VALUES",
    "WHOLE",
    "Column",
    "PrintFormats",
    "Row",
    "grid",
    "lines",
    "number_format",
    "table",
    "title",
]

#: Value columns (years, provinces) on one printed page; more go on further pages across.
PAGE_VALUES = 8
#: Whole numbers with thousands separators: tCO2 and tce read on paper to the tonne.
WHOLE = AMOUNT.replace(".00", "")


def number_format(spec: OutputColumn) -> str | None:
    """A figure's format on paper: tonnes whole, ratios to four decimals, shares as percentages."""
    if spec.num_format == AMOUNT:
        return WHOLE
    return spec.num_format


@dataclass
class Row:
    """A row of a grid: its label, unit, values (one per value column), number format, cell colours."""

    label: str
    unit: str
    values: list[object]
    num_format: str | None | list[str | None]
    colours: list[str | None] = field(default_factory=list)

    def format_of(self, j: int) -> str | None:
        return self.num_format[j] if isinstance(self.num_format, list) else self.num_format


class PrintFormats(Formats):
    """The 碳账本's formats (font, header, title, status colours), every cell of a grid or list with a thin grey
    border: printed, a row of numbers is read along its lines."""

    def get(
        self, num_format: str | None = None, bold: bool = False, colour: str | None = None, wrap: bool = False
    ) -> xlsxwriter.format.Format:
        key = ("cell", num_format, bold, colour, wrap)
        if key not in self._cache:
            spec = {**self.base, "valign": "top", "border": 1, "border_color": "#BFBFBF"}
            if num_format:
                spec["num_format"] = num_format
            if bold:
                spec.update({"bold": True, "bg_color": "#F2F2F2"})
            if colour:
                spec.update(self.status[colour])
            if wrap:
                spec["text_wrap"] = True
            self._cache[key] = self.book.add_format(spec)
        return self._cache[key]


def _px(width: float) -> int:
    """A column's width (characters) in pixels where the default font is wide: about 10 pixels a character as
    LibreOffice draws Excel's default font when Calibri is missing (Excel itself: 7), so that each page across
    holds :data:`PAGE_VALUES` columns in either (measured: at 9 the eighth went to a page of its own)."""
    return int(width * 10 + 5)


#: The printable width of an A4 landscape page with 0.5 inch margins, in pixels.
_PAGE_PX = int((11.69 - 1.0) * 96)
#: Its printable height (0.6 and 0.7 inch margins, the footer's line kept clear), in points.
_PAGE_PT = (8.27 - 1.3) * 72 - 16
#: A block of a grid of at least this many rows starts a printed page.
PAGE_BLOCK = 20
#: Points per line of 10-point text.
LINE = 13.5
#: The height of a grid's row of one line, in points (a little air between the lines of figures).
ROW = 15.0
#: The most lines a wrapped cell of a list makes its row show (the rest is in the cell and the Parquet file).
WRAP_LINES = 8
#: The row of the header of every grid and list (below the title and the line that says what the sheet is).
HEADER_ROW = 3


def _print(sheet, words: Words, lead: Sequence[float], values: Sequence[float], tallest: float | None = None) -> None:
    """A4 landscape, the rows down to the header repeated on every page, panes frozen below it and right of
    the ``lead`` columns. A list (``tallest`` None) is fitted to the page's width. A grid is scaled so that
    :data:`PAGE_VALUES` value columns fit the width and, if given, ``tallest`` points (the title, header and
    longest block that keeps to a page) the height; more columns go on pages across, the lead columns
    repeated on each."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.repeat_rows(0, HEADER_ROW)
    sheet.freeze_panes(HEADER_ROW + 1, len(lead))
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    page_footer(sheet, words)
    if tallest is None:
        sheet.fit_to_pages(1, 0)
        return
    across = sum(_px(w) for w in lead) + sum(_px(w) for w in values[:PAGE_VALUES])
    scale = min(97 * _PAGE_PX / across, 100 * _PAGE_PT / tallest if tallest else 100, 100)
    sheet.set_print_scale(max(10, math.floor(scale)))
    if len(values) > PAGE_VALUES:
        sheet.repeat_columns(0, len(lead) - 1)
        sheet.set_v_pagebreaks([len(lead) + k for k in range(PAGE_VALUES, len(values), PAGE_VALUES)])


def lines(text: str, width: float) -> int:
    """The lines ``text`` takes wrapped in a column ``width`` characters wide."""
    # proportional Latin letters are narrower than a character unit: 0.9 of the display width on average
    return sum(max(1, math.ceil(0.9 * display_width(part) / max(width - 1, 1))) for part in text.split("\n"))


def title(sheet, f: Formats, words: Words, title: tuple[str, str]) -> None:
    sheet.write_string(0, 0, words.pair(*title, " / "), f.title)
    sheet.set_row(0, 24)


def _describe(sheet, f: Formats, line: str, widths: Sequence[float]) -> float:
    """The line under the title that says what the sheet shows, wrapped over the sheet's width; its height."""
    if not line:
        return 0.0
    if len(widths) > 1:
        sheet.merge_range(1, 0, 1, len(widths) - 1, line, f.wrap)
    else:
        sheet.write_string(1, 0, line, f.wrap)
    shown = sum(widths[: len(widths) if len(widths) <= PAGE_VALUES + 2 else PAGE_VALUES + 2])
    sheet.set_row(1, LINE * lines(line, shown))
    return LINE * lines(line, shown)


def _heads(sheet, f: Formats, heads: Sequence[object], widths: Sequence[float]) -> float:
    """The header row, as high as its longest wrapped header; the height of the rows down to it."""
    for j, head in enumerate(heads):
        write_cell(sheet, HEADER_ROW, j, head, f.header)
    tallest = max(lines(str(h), w) for h, w in zip(heads, widths, strict=True))
    sheet.set_row(HEADER_ROW, LINE * tallest + 4)
    return 24 + 15 + LINE * tallest + 4  # the title, the blank row and the header


def grid(
    sheet,
    f: Formats,
    words: Words,
    line: str,
    heads: Sequence[object],
    blocks: Sequence[tuple[str, list[Row]]],
    width: float,
    unit_head: tuple[str, str] = ("单位", "unit"),
) -> int:
    """The header row (指标, 单位, ``heads``) and the blocks below it, each under its heading; returns the row
    after the last. A long block (a year of the provinces) starts a page, and the print is scaled so that the
    longest block fits one page, as :data:`PAGE_VALUES` columns fit its width."""
    labels = [item.label for _, rows in blocks for item in rows]
    widest = 56 if len(heads) <= 4 else 40  # a narrow grid has room for its labels on one line
    label_width = float(min(max([display_width(t) for t in labels] + [20]) + 2, widest))
    units = [display_width(item.unit) for _, rows in blocks for item in rows]
    widths = [label_width, float(max([6, *units]) + 2)] + [float(width)] * len(heads)
    top = _heads(sheet, f, [words.pair("指标", "indicator", "\n"), words.pair(*unit_head, "\n"), *heads], widths)
    row = HEADER_ROW + 1
    breaks, tallest = [], 0.0
    for heading, rows in blocks:
        height = 0.0
        if len(rows) >= PAGE_BLOCK and row > HEADER_ROW + 1:
            breaks.append(row)
        if heading:
            sheet.write_string(row, 0, heading, f.get(bold=True))
            for j in range(1, len(widths)):
                sheet.write_blank(row, j, None, f.get(bold=True))
            row, height = row + 1, height + ROW
        for item in rows:
            _grid_row(sheet, f, row, item, label_width)
            row, height = row + 1, height + ROW * lines(item.label, label_width)
        if len(rows) >= PAGE_BLOCK or len(blocks) == 1:  # a block kept to one page
            tallest = max(tallest, height)
    for j, w in enumerate(widths):
        sheet.set_column(j, j, w)
    top += _describe(sheet, f, line, widths)
    _print(sheet, words, widths[:2], widths[2:], top + tallest if tallest else 0.0)
    if breaks:
        sheet.set_h_pagebreaks(breaks)
    return row


def _grid_row(sheet, f: Formats, row: int, item: Row, label_width: float) -> None:
    sheet.write_string(row, 0, item.label, f.get(wrap=True))
    sheet.set_row(row, ROW * lines(item.label, label_width))
    sheet.write_string(row, 1, item.unit, f.get())
    for j, value in enumerate(item.values):
        colour = item.colours[j] if j < len(item.colours) else None
        write_cell(sheet, row, 2 + j, value, f.get(item.format_of(j), colour=colour))


@dataclass(frozen=True)
class Column:
    """A column of a list: the frame's column, its header, how a value is shown, its colour and format."""

    name: str
    spec: OutputColumn
    show: Callable[[object], object] | None = None  # what the cell shows of a value
    colour: Callable[[object], str | None] | None = None  # a value's fill
    num_format: str | Callable[[pd.DataFrame], list[str]] | None = None  # one, or one per row of the frame
    width: float | None = None
    wrap: bool = False  # long text (a message) wrapped, its row up to WRAP_LINES lines high


def _shown_width(values: pd.Series, header: str) -> float:
    """A text column's width: its longest value (of the first thousand rows) or its header's longest line."""
    sample = [display_width(str(v)) for v in values.head(1000) if v is not None and v == v]
    head = max(display_width(line) for line in header.splitlines())
    return float(min(max([head, *sample]) + 2, 50))


def table(
    sheet, f: Formats, words: Words, heading: tuple[str, str], line: str, frame: pd.DataFrame, lead: int,
    columns: Sequence[Column],
) -> None:  # fmt: skip
    """A list on ``sheet``: its title, the line that says what it is, a header row of the columns' labels and
    a row per row of ``frame``, the first ``lead`` columns frozen; printed fitted to the page's width (a list's
    columns are a few names and at most :data:`PAGE_VALUES` figures)."""
    title(sheet, f, words, heading)
    heads, widths = [], []
    tall: dict[int, int] = {}
    for j, column in enumerate(columns):
        spec = column.spec
        heads.append(words.header(spec))
        shown = frame[column.name].map(column.show) if column.show else frame[column.name]
        numeric = pd.api.types.is_numeric_dtype(shown.dtype)
        widths.append(column.width or (13.0 if numeric else _shown_width(shown, heads[-1])))
        sheet.set_column(j, j, widths[-1])
        if callable(column.num_format):
            formats = column.num_format(frame)
        else:
            formats = [column.num_format or (number_format(spec) if numeric else None)] * len(frame)
        colours = frame[column.name].map(column.colour).tolist() if column.colour else [None] * len(frame)
        for i, value in enumerate(shown.tolist()):
            write_cell(sheet, HEADER_ROW + 1 + i, j, value, f.get(formats[i], colour=colours[i], wrap=column.wrap))
            if column.wrap and isinstance(value, str) and value:
                tall[i] = max(tall.get(i, 1), min(lines(value, widths[-1]), WRAP_LINES))
    for i, count in tall.items():
        if count > 1:
            sheet.set_row(HEADER_ROW + 1 + i, LINE * count)
    _heads(sheet, f, heads, widths)
    if len(frame):
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(frame), len(columns) - 1)
    _describe(sheet, f, line, widths)
    _print(sheet, words, widths[:lead], [])
