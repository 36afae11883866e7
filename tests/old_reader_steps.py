"""The reader's steps from a sheet's cells to a table as they were up to commit b015f41 (the cells as a
DataFrame of the rows calamine returns, the table cut out of it with ``iloc``), kept verbatim but for the
module prefix as the reference that ``tests/test_reader_reference.py`` compares the reader with. Not used by
carbon itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from carbon.errors import WorkbookFormatError
from carbon.io import park_workbook
from carbon.schema.inputs import Table, header_key
from carbon.validation.problems import Problem, ReadReport, column_letter
from carbon.validation.tables import RawTable, column_index


def _header_row(grid: pd.DataFrame, index: dict[str, str]) -> int | None:
    best, best_score = None, 0
    for row in range(min(park_workbook.HEADER_SEARCH_ROWS, len(grid))):
        score = sum(1 for value in grid.iloc[row] if header_key(value) in index)
        if score > best_score:
            best, best_score = row, score
    return best


def old_read_table(spec: Table, sheet: str, grid: pd.DataFrame, report: ReadReport) -> RawTable | None:
    index = column_index(spec)
    header = _header_row(grid, index)
    if header is None:
        report.add(
            Problem(
                "error",
                sheet,
                "",
                "",
                "找不到表头行（前 10 行中没有可识别的列名）",
                "no header row found (no known column names in the first 10 rows)",
                "no_header",
            )
        )
        return None
    positions: dict[str, int] = {}
    for position, value in enumerate(grid.iloc[header]):
        ref = f"{column_letter(position)}{header + 1}"
        if park_workbook._blank_cells(np.array([value], dtype=object))[0]:
            continue
        name = index.get(header_key(value))
        if name is None:
            report.add(
                Problem(
                    "notice", sheet, ref, str(value), "不认识的列，已忽略", "unknown column; ignored", "extra_column"
                )
            )
        elif name in positions:
            report.add(
                Problem(
                    "error",
                    sheet,
                    ref,
                    str(value),
                    f"与 {column_letter(positions[name])} 列重复",
                    f"duplicate of column {column_letter(positions[name])}",
                    "duplicate_column",
                )
            )
        else:
            positions[name] = position
    body = grid.iloc[header + 1 :, list(positions.values())]
    body.columns = list(positions)
    blank = park_workbook._blank_rows(body.to_numpy(dtype=object)) if not body.empty else np.zeros(0, dtype=bool)
    data = body[~blank] if len(blank) else body
    data = pd.DataFrame(
        {
            name: pd.Series(column, index=data.index, dtype=object if column.dtype == object else None, copy=False)
            for name in data.columns
            for column in [park_workbook._numbers_or_cells(data[name].to_numpy())]
        }
    )
    rows = pd.Series(data.index + 1, index=data.index)
    letters = {name: column_letter(position) for name, position in positions.items()}
    return RawTable(spec, sheet, data, rows, letters, blank_rows=int(blank.sum()), rows_read=len(body))


def old_grid(book: CalamineWorkbook, name: str, path: str) -> pd.DataFrame:
    try:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for damaged parts
        raise WorkbookFormatError(
            path,
            f"工作表「{name}」无法读取（{type(exc).__name__}）",
            f"sheet {name!r} cannot be read ({type(exc).__name__})",
            "damaged",
        ) from None
    return pd.DataFrame(rows, dtype=object)
