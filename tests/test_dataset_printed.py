"""The printed layout of the summary workbook's sheets (carbon/dataset/printed.py): a grid of many columns goes on
pages across, PAGE_VALUES value columns a page with its labels repeated; a long block starts a page."""

from __future__ import annotations

import openpyxl
import pandas as pd
import xlsxwriter

from carbon.dataset.printed import HEADER_ROW, PAGE_BLOCK, PAGE_VALUES, Column, PrintFormats, Row, grid, table, title
from carbon.io.words import Words
from carbon.schema.outputs import AMOUNT, OutputColumn


def _write(path, columns: int, blocks: int, rows: int) -> None:
    book = xlsxwriter.Workbook(path)
    f = PrintFormats(book)
    sheet = book.add_worksheet("grid")
    title(sheet, f, Words(), ("分省汇总", "By province"))
    heads = [f"省{j}" for j in range(columns)]
    parts = [
        (f"{2020 + b} 年", [Row(f"指标{i} figure {i}", "tCO2", [float(i * j) for j in range(columns)], "#,##0") for i in range(rows)])
        for b in range(blocks)
    ]  # fmt: skip
    grid(sheet, f, Words(), "一行说明 / a line", heads, parts, 12)
    book.close()


def test_a_wide_grid_prints_eight_value_columns_a_page_with_its_labels_repeated(tmp_path):
    _write(tmp_path / "g.xlsx", columns=20, blocks=2, rows=PAGE_BLOCK)
    sheet = openpyxl.load_workbook(tmp_path / "g.xlsx")["grid"]
    assert [b.id for b in sheet.col_breaks.brk] == [2 + PAGE_VALUES, 2 + 2 * PAGE_VALUES]
    assert sheet.print_title_cols == "$A:$B" and sheet.print_title_rows == f"$1:${HEADER_ROW + 1}"
    assert sheet.freeze_panes == f"C{HEADER_ROW + 2}" and sheet.page_setup.orientation == "landscape"
    assert 40 <= sheet.page_setup.scale < 100 and not sheet.sheet_properties.pageSetUpPr.fitToPage
    # the second year's block starts a page: its heading's row
    assert [b.id for b in sheet.row_breaks.brk] == [HEADER_ROW + 1 + 1 + PAGE_BLOCK]
    assert sheet.cell(HEADER_ROW + 1, 3).value == "省0" and sheet.cell(HEADER_ROW + 2, 1).value == "2020 年"


def test_a_narrow_grid_fits_its_page_without_breaks(tmp_path):
    _write(tmp_path / "g.xlsx", columns=3, blocks=1, rows=10)
    sheet = openpyxl.load_workbook(tmp_path / "g.xlsx")["grid"]
    assert not sheet.col_breaks.brk and not sheet.row_breaks.brk and sheet.print_title_cols is None
    assert sheet.page_setup.scale in (None, 100)  # short and narrow: full size (100 is the default, not written)


def test_a_list_fits_the_width_and_wraps_long_text(tmp_path):
    book = xlsxwriter.Workbook(tmp_path / "l.xlsx")
    f = PrintFormats(book)
    frame = pd.DataFrame({"name": ["甲园区", "乙园区"], "tco2": [1234.5, float("nan")], "message": ["", "长" * 200]})
    columns = (
        Column("name", OutputColumn("name", "园区名称", "Park")),
        Column("tco2", OutputColumn("tco2", "排放量", "emissions", "tCO2", AMOUNT)),
        Column("message", OutputColumn("message", "说明", "Message"), width=30, wrap=True),
    )
    table(book.add_worksheet("list"), f, Words(), ("园区", "Parks"), "", frame, 1, columns)
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "l.xlsx")["list"]
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (1, None)
    assert sheet.cell(HEADER_ROW + 1, 2).value == "排放量（tCO2）\nemissions (tCO2)"
    assert sheet.cell(HEADER_ROW + 2, 2).number_format == "#,##0" and sheet.cell(HEADER_ROW + 3, 2).value is None
    assert sheet.row_dimensions[HEADER_ROW + 2].height is None  # one line: the default height
    assert sheet.row_dimensions[HEADER_ROW + 3].height >= 8 * 13.5  # 200 wide characters in 30: wrapped, 8 lines shown
    assert sheet.auto_filter.ref == f"A{HEADER_ROW + 1}:C{HEADER_ROW + 3}"
