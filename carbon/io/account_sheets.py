"""The sheets of the account workbook (碳账本) that are not tables: the summary, its charts and the run manifest.

Every label, heading, sheet name and number format comes from :mod:`carbon.schema.outputs`; this module only
places them. :func:`read_manifest` reads the manifest back for :func:`carbon.io.account_workbook.read_account`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import platform

import numpy as np
import pandas as pd
import xlsxwriter

from carbon.account import AnnualAccount
from carbon.factorset import library
from carbon.io.excel import print_setup, write_cell
from carbon.names import carriers
from carbon.schema.outputs import (
    CHART_DATA,
    CHARTS,
    FLAG_COLOURS,
    FRACTION,
    HEADINGS,
    MANIFEST,
    PARK_METHOD,
    STATUS_COLOURS,
    STATUS_LABELS,
    SUMMARY,
    SUMMARY_FACTS,
    SUMMARY_FIGURES,
    SUMMARY_INDICATOR_HEADERS,
    TRAJECTORY,
)

__all__ = ["Formats", "colour", "manifest", "read_manifest", "write_charts", "write_manifest", "write_summary"]

#: The sections of the run manifest, in order; each starts with ``[name]`` in column A and ends at a blank row.
SECTIONS = ("manifest", "summary", "notes", "park")


class Formats:
    """The cell formats of one account workbook, made once each (xlsxwriter keeps every format it is given)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": "Microsoft YaHei", "font_size": 10}
        self.base = base
        self.book = book
        self.header = book.add_format(
            {**base, "bold": True, "text_wrap": True, "valign": "vcenter", "bg_color": "#DDEBF7", "border": 1}
        )
        self.title = book.add_format({**base, "bold": True, "font_size": 16})
        self.subtitle = book.add_format({**base, "bold": True, "font_size": 12, "bottom": 1})
        self.text = book.add_format(base)
        self.wrap = book.add_format({**base, "text_wrap": True, "valign": "top"})
        self._cache: dict[tuple, xlsxwriter.format.Format] = {}
        self.status = {
            "green": {"bg_color": "#C6EFCE", "font_color": "#006100"},
            "red": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
            "grey": {"bg_color": "#EDEDED", "font_color": "#595959"},
            "yellow": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
        }

    def get(
        self, num_format: str | None = None, bold: bool = False, colour: str | None = None
    ) -> xlsxwriter.format.Format:
        """The format with this number format, bold (with a rule above) and fill colour."""
        key = (num_format, bold, colour)
        if key not in self._cache:
            spec = dict(self.base)
            if num_format:
                spec["num_format"] = num_format
            if bold:
                spec.update({"bold": True, "top": 1})
            if colour:
                spec.update(self.status[colour])
            self._cache[key] = self.book.add_format(spec)
        return self._cache[key]


def colour(column: str, value: object) -> str | None:
    """The fill of a status cell (by status) or of a true flag (``overdue``, ``fallback``), else None."""
    if column == "status":
        return STATUS_COLOURS.get(value)  # type: ignore[arg-type]
    if column in FLAG_COLOURS and value is True:
        return FLAG_COLOURS[column]
    return None


def _key_values(sheet, row: int, pairs, fmt) -> int:
    """Label in column A, value in column B, from ``row`` down; returns the next free row."""
    for label, value in pairs:
        sheet.write_string(row, 0, label, fmt)
        write_cell(sheet, row, 1, value, fmt)
        row += 1
    return row


# -- the summary ---------------------------------------------------------------------------------------------


def _facts(account: AnnualAccount) -> list[tuple[str, object]]:
    methods, park = account.methods, account.park
    basis = "基于市场" if methods["scope2"] != "location" else "基于位置"
    return [
        (SUMMARY_FACTS["accounting"], "910号 附件4（零碳园区结论依据）/ 910号 附件4 (the basis of the verdict)"),
        (SUMMARY_FACTS["province"], park.get("province", "")),
        (SUMMARY_FACTS["year"], account.year),
        (SUMMARY_FACTS["baseline_year"], account.summary.get("baseline_year")),
        (SUMMARY_FACTS["scope2"], f"{methods['scope2']}（GHG 视图的排放合计按{basis}）"),
        (SUMMARY_FACTS["factor_set"], methods["factor_set"]),
        (SUMMARY_FACTS["electricity_tce"], methods["electricity_tce"]),
        (SUMMARY_FACTS["non_co2"], f"{methods['non_co2']}（GWP {methods['gwp']}）"),
        (SUMMARY_FACTS["clean_energy"], methods["clean_energy"]),
    ]


def _write_figures(sheet, f: Formats, account: AnnualAccount, row: int) -> int:
    sheet.write_string(row, 0, HEADINGS["figures"], f.subtitle)
    row += 1
    for figure in SUMMARY_FIGURES:
        sheet.write_string(row, 0, figure.label, f.text)
        write_cell(sheet, row, 1, account.summary.get(figure.name), f.get(figure.num_format))
        # a fraction shown as a percentage carries its unit in the number format
        sheet.write_string(row, 2, figure.unit if figure.num_format != FRACTION else "", f.text)
        row += 1
    return row


def _write_verdicts(sheet, f: Formats, account: AnnualAccount, row: int) -> int:
    sheet.write_string(row, 0, HEADINGS["indicators"], f.subtitle)
    row += 1
    for position, text in enumerate(SUMMARY_INDICATOR_HEADERS):
        sheet.write_string(row, position, text, f.header)
    row += 1
    for item in account._tables["indicators"].itertuples(index=False):  # read only
        sheet.write_string(row, 0, f"{item.indicator}", f.text)
        write_cell(sheet, row, 1, item.value, f.get("#,##0.00"))
        unit = item.unit if item.unit in ("%", "tCO2/tce") else ""
        sheet.write_string(row, 2, f"{item.comparison} {item.threshold:g} {unit}".strip(), f.text)
        status = STATUS_LABELS.get(item.status, item.status)
        sheet.write_string(row, 3, status, f.get(None, False, colour("status", item.status)))
        blank = item.gap is None or (isinstance(item.gap, float) and math.isnan(item.gap)) or item.gap == 0
        sheet.write_string(row, 4, "" if blank else f"{item.gap:,.0f} {item.gap_unit}", f.text)
        row += 1
    return row


def write_summary(book: xlsxwriter.Workbook, f: Formats, account: AnnualAccount) -> int:
    """The cover sheet; returns the row where the charts go (they are added once their data sheet exists)."""
    sheet = book.add_worksheet(SUMMARY)
    title = HEADINGS["title"].format(park=account.park.get("name", ""), year=account.year)
    sheet.write_string(0, 0, title, f.title)
    row = _key_values(sheet, 2, _facts(account), f.text) + 1
    row = _write_figures(sheet, f, account, row) + 1
    row = _write_verdicts(sheet, f, account, row)
    if account.notes:
        row += 1
        sheet.write_string(row, 0, HEADINGS["notes"], f.subtitle)
        row += 1
        for note in account.notes:
            sheet.write_string(row, 0, note, f.text)
            row += 1
    for position, width in enumerate((46, 20, 16, 22, 20)):
        sheet.set_column(position, position, width)
    sheet.write_string(row + 1, 0, HEADINGS["charts"], f.subtitle)
    print_setup(sheet, header_rows=0)
    sheet.set_portrait()
    return row + 2


# -- the charts ----------------------------------------------------------------------------------------------


def _attainment(indicators: pd.DataFrame) -> list[float]:
    """Each indicator against its threshold, 1 where it is just met (NaN where it cannot be said)."""
    out = []
    for item in indicators.itertuples(index=False):
        missing = item.value is None or (isinstance(item.value, float) and math.isnan(item.value))
        if missing or item.indicator == "product_energy_level":
            out.append(float("nan"))
        elif item.comparison == "<=":
            out.append(item.threshold / item.value if item.value else float("nan"))
        else:
            out.append(item.value / item.threshold)
    return out


def _chart_data(account: AnnualAccount) -> dict[str, tuple[list[str], list[float]]]:
    """The categories and values of each chart of :data:`~carbon.schema.outputs.CHARTS`, by name."""
    by_sub = account.by("sub_park")
    by_industry = account.by("industry").sort_values("total_tco2", ascending=False)
    names = carriers().set_index("id")["name_zh"]
    mix = account.energy.groupby("carrier")["tce_equivalent"].sum().sort_values(ascending=False)
    mix = mix[mix > 0]  # a carrier a conversion gives out (net negative) has no slice of what the park used
    indicators = account.indicators
    s = account.summary
    core = indicators.set_index("indicator").loc["carbon_per_energy"]
    years = (s["baseline_year"], account.year, None)
    return {
        "by_sub_park": (by_sub["key"].astype(str).tolist(), by_sub["total_tco2"].tolist()),
        "by_industry": (by_industry["key"].astype(str).tolist(), by_industry["total_tco2"].tolist()),
        "energy_mix": ([str(names.get(c, c)) for c in mix.index], mix.tolist()),
        "attainment": (indicators["indicator"].tolist(), _attainment(indicators)),
        "trajectory": (
            [label.format(year=year) for label, year in zip(TRAJECTORY, years, strict=True)],
            [s.get("baseline_park910_tco2", float("nan")), s["park910_tco2"], core["threshold"] * s["energy_tce"]],
        ),
    }


def _add_chart(book, sheet, kind: str, title: str, cells: tuple[int, int], number: int, first_row: int) -> None:
    quoted = f"'{CHART_DATA}'"
    first, last = cells
    chart = book.add_chart({"type": kind})
    series = {
        "name": title,
        "categories": f"={quoted}!$A${first}:$A${last}",
        "values": f"={quoted}!$B${first}:$B${last}",
    }
    if kind == "pie":
        series["data_labels"] = {"percentage": True, "category": True, "leader_lines": True}
    if kind == "line":
        series["marker"] = {"type": "circle", "size": 7}
        series["data_labels"] = {"value": True, "num_format": "#,##0"}
    chart.add_series(series)
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"none": True} if kind != "pie" else {"position": "right"})
    if kind == "bar":
        chart.set_x_axis({"min": 0, "major_gridlines": {"visible": True}})
    chart.set_size({"width": 480, "height": 300})
    sheet.insert_chart(first_row + (number // 2) * 16, (number % 2) * 3, chart, {"x_offset": 4, "y_offset": 4})


def write_charts(book: xlsxwriter.Workbook, f: Formats, sheet, account: AnnualAccount, first_row: int) -> None:
    """Native charts below the summary, fed from the chart-data sheet (written last, before the manifest)."""
    blocks = _chart_data(account)
    data = book.add_worksheet(CHART_DATA)
    data.write_string(0, 0, HEADINGS["chart_data"], f.subtitle)
    row = 2
    for number, chart in enumerate(CHARTS):
        categories, values = blocks[chart.name]
        data.write_string(row, 0, chart.title, f.text)
        for offset, (category, value) in enumerate(zip(categories, values, strict=True), start=1):
            data.write_string(row + offset, 0, category, f.text)
            write_cell(data, row + offset, 1, value, f.get("#,##0.00"))
        cells = (row + 2, row + 1 + len(categories))
        row += len(categories) + 2
        if categories:
            _add_chart(book, sheet, chart.kind, chart.title, cells, number, first_row)
    data.set_column(0, 0, 40)
    data.set_column(1, 1, 18)
    print_setup(data, header_rows=0)


# -- the run manifest ----------------------------------------------------------------------------------------


def manifest(account: AnnualAccount) -> tuple[list[tuple[str, object]], str]:
    """The manifest entries of ``account`` and the SHA-256 digest of them and of every table (not the time)."""
    from carbon._version import __version__

    used = library().set_index("id")
    files = sorted({used.at[i, "file"] for i in account._tables["factors"]["id"] if i in used.index})
    editions = "; ".join(f"{name} ({used[used['file'] == name]['number'].iloc[0]})" for name in files)
    entries: list[tuple[str, object]] = [
        ("park", str(account.park.get("name", ""))),
        ("year", account.year),
        ("input_file", str(account.source.get("path", ""))),
        ("input_sha256", str(account.source.get("sha256", ""))),
        ("carbon_version", __version__),
        ("python_version", platform.python_version()),
        ("pandas_version", pd.__version__),
        ("factor_set", account.methods["factor_set"]),
        ("factor_files", editions),
        ("accounting_method", PARK_METHOD),
        *((f"method_{k}", v) for k, v in account.methods.items()),
    ]
    digest = hashlib.sha256(json.dumps([(k, str(v)) for k, v in entries], ensure_ascii=False).encode())
    for name in sorted(account._tables):
        digest.update(name.encode())
        frame = account._tables[name]
        for column in frame.columns:
            digest.update(str(column).encode())
            try:
                hashed = pd.util.hash_pandas_object(frame[column], index=False)
            except TypeError:  # a column of mixed values: hash their text
                hashed = pd.util.hash_pandas_object(frame[column].astype(str), index=False)
            digest.update(hashed.to_numpy().tobytes())
    return entries, digest.hexdigest()


def _write_sections(sheet, f: Formats, account: AnnualAccount, row: int) -> int:
    """The [summary], [notes] and [park] sections, from ``row``; returns the next free row."""
    sheet.write_string(row, 0, "[summary]", f.subtitle)
    row += 1
    for key, value in account.summary.items():
        sheet.write_string(row, 0, key, f.text)
        write_cell(sheet, row, 1, value, f.get("General"))
        kind = type(value).__name__ if not isinstance(value, (np.floating, np.integer)) else "float"
        sheet.write_string(row, 2, kind, f.text)
        row += 1
    sheet.write_string(row + 1, 0, "[notes]", f.subtitle)
    row += 2
    for note in account.notes:
        sheet.write_string(row, 0, note, f.text)
        row += 1
    sheet.write_string(row + 1, 0, "[park]", f.subtitle)
    row += 2
    for key, value in account.park.items():
        sheet.write_string(row, 0, key, f.text)
        text = json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
        sheet.write_string(row, 1, text, f.text)
        row += 1
    return row


def write_manifest(book: xlsxwriter.Workbook, f: Formats, account: AnnualAccount, created: dt.datetime) -> str:
    """The run-manifest sheet; returns the manifest digest."""
    sheet = book.add_worksheet(MANIFEST)
    entries, digest = manifest(account)
    sheet.write_string(0, 0, HEADINGS["manifest"], f.title)
    rows = [*entries, ("manifest_digest", digest), ("generated_at", created.isoformat(timespec="seconds"))]
    sheet.write_string(2, 0, "[manifest]", f.subtitle)
    row = _key_values(sheet, 3, rows, f.text) + 1
    row = _write_sections(sheet, f, account, row)
    sheet.write_string(
        row + 1,
        0,
        "表格列及类型见隐藏工作表 _columns / column types of every table are on the hidden sheet _columns",
        f.text,
    )
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90)
    print_setup(sheet, header_rows=0)
    return digest


def read_manifest(grid: list[list[object]]) -> dict[str, list[list[object]]]:
    """The rows of each ``[section]`` of a manifest sheet, by section name (a blank row ends a section)."""
    sections: dict[str, list[list[object]]] = {}
    current = None
    for row in grid:
        first = row[0] if row else ""
        if isinstance(first, str) and first.startswith("[") and first.endswith("]"):
            current = first[1:-1]
            sections[current] = []
        elif first == "" or first is None:
            current = None
        elif current:
            sections[current].append(row)
    return sections
