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
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter

from carbon.account import AnnualAccount
from carbon.factorset import library
from carbon.io.excel import display_width, print_setup, write_cell
from carbon.io.words import NOTES, Words, booleans
from carbon.labels import vocabulary
from carbon.schema.outputs import (
    ACCOUNTING,
    CHART_DATA,
    CHARTS,
    FINE,
    FLAG_COLOURS,
    FRACTION,
    HEADINGS,
    MANIFEST,
    OPTIONAL_TABLES,
    PARK_METHOD,
    STATUS_COLOURS,
    SUMMARY,
    SUMMARY_FACTS,
    SUMMARY_FIGURES,
    SUMMARY_INDICATOR_HEADERS,
    TRAJECTORY,
    table_sheets,
)

__all__ = [
    "DIGEST_SCHEME",
    "Formats",
    "account_digest",
    "canonical",
    "canonical_floats",
    "content_parts",
    "digest_of",
    "digested_tables",
    "factor_editions",
    "colour",
    "not_printed",
    "page_footer",
    "input_table_entries",
    "manifest",
    "read_input_tables",
    "read_manifest",
    "write_charts",
    "write_manifest",
    "write_summary",
]

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
        self, num_format: str | None = None, bold: bool = False, colour: str | None = None, wrap: bool = False
    ) -> xlsxwriter.format.Format:
        """The format with this number format, bold (with a rule above), fill colour, and text wrapped."""
        key = (num_format, bold, colour, wrap)
        if key not in self._cache:
            spec = {**self.base, "valign": "top"}  # a wrapped neighbour makes a row tall: every cell reads from the top
            if num_format:
                spec["num_format"] = num_format
            if bold:
                spec.update({"bold": True, "top": 1})
            if colour:
                spec.update(self.status[colour])
            if wrap:
                spec.update({"text_wrap": True, "valign": "top"})
            self._cache[key] = self.book.add_format(spec)
        return self._cache[key]


def page_footer(sheet, words: Words) -> None:
    """The sheet's name and the page number at the foot of every printed page."""
    sheet.set_footer("&L&8&A&R&8" + words.pair("第 &P 页，共 &N 页", "page &P of &N", " / "))


def not_printed(sheet, columns: int, words: Words) -> None:
    """A sheet kept out of the print: only its header row prints, with a line saying where the rows are."""
    sheet.print_area(0, 0, 0, max(columns - 1, 0))
    sheet.fit_to_pages(1, 1)
    note = words.pair("本表明细不打印，请在工作簿中查看", "rows not printed: see this sheet in the workbook", " / ")
    sheet.set_header(f"&L&9{note}")


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


def summary_facts(account: AnnualAccount, words: Words) -> list[tuple[str, object]]:
    methods, park = account.methods, account.park

    def method(name: str) -> object:
        return words.label(f"methods.{name}", methods[name])

    non_co2 = method("non_co2")
    if methods["non_co2"]:
        non_co2 = f"{non_co2}（GWP {methods['gwp']}）"
    return [
        (words.of(SUMMARY_FACTS["accounting"]), words.of(ACCOUNTING, " / ")),
        (words.of(SUMMARY_FACTS["province"]), words.label("province", park.get("province", ""))),
        (words.of(SUMMARY_FACTS["year"]), account.year),
        (words.of(SUMMARY_FACTS["baseline_year"]), account.summary.get("baseline_year")),
        (words.of(SUMMARY_FACTS["scope2"]), method("scope2")),
        (words.of(SUMMARY_FACTS["factor_set"]), method("factor_set")),
        (words.of(SUMMARY_FACTS["electricity_tce"]), method("electricity_tce")),
        (words.of(SUMMARY_FACTS["non_co2"]), non_co2),
        (words.of(SUMMARY_FACTS["clean_energy"]), method("clean_energy")),
    ]


def _write_figures(sheet, f: Formats, account: AnnualAccount, row: int, words: Words) -> int:
    sheet.write_string(row, 0, words.of(HEADINGS["figures"]), f.subtitle)
    row += 1
    for figure in SUMMARY_FIGURES:
        sheet.write_string(row, 0, words.pair(figure.zh, figure.en), f.text)
        write_cell(sheet, row, 1, account.summary.get(figure.name), f.get(figure.num_format))
        # a fraction shown as a percentage carries its unit in the number format
        sheet.write_string(row, 2, words.unit(figure.unit) if figure.num_format != FRACTION else "", f.text)
        row += 1
    return row


def is_blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _indicator_format(unit: str) -> str:
    """Fractions as percentages, ratios with four decimals, the rest with two."""
    return {"fraction": FRACTION, "tCO2/tce": FINE}.get(unit, "#,##0.00")


def threshold_text(item, words: Words) -> str:
    """The threshold as the summary states it: ``≥ 90%``, ``≤ 0.2 tCO2/tce``, ``能效等级 ≤ 2``."""
    if is_blank(item.threshold):
        return ""
    comparison = words.label("comparison", item.comparison, "indicators")
    if item.comparison.startswith("level"):
        return f"{comparison} {item.threshold:g}"
    if item.unit == "fraction":
        return f"{comparison} {item.threshold:.0%}"
    return f"{comparison} {item.threshold:g} {words.unit(str(item.unit))}".strip()


def _write_verdicts(sheet, f: Formats, account: AnnualAccount, row: int, words: Words) -> int:
    sheet.write_string(row, 0, words.of(HEADINGS["indicators"]), f.subtitle)
    row += 1
    for position, text in enumerate(SUMMARY_INDICATOR_HEADERS):
        sheet.write_string(row, position, words.of(text), f.header)
    row += 1
    for item in account._tables["indicators"].itertuples(index=False):  # read only
        sheet.write_string(row, 0, str(words.label("indicator", item.indicator)), f.wrap)
        write_cell(sheet, row, 1, item.value, f.get(_indicator_format(item.unit)))
        sheet.write_string(row, 2, threshold_text(item, words), f.text)
        status = words.label("status", item.status)
        sheet.write_string(row, 3, str(status), f.get(None, False, colour("status", item.status)))
        blank = is_blank(item.gap) or item.gap == 0
        gap_unit = words.label("gap_unit", item.gap_unit, "indicators")
        sheet.write_string(row, 4, "" if blank else f"{item.gap:,.0f} {words.unit(str(gap_unit))}", f.text)
        row += 1
    return row


def write_summary(book: xlsxwriter.Workbook, f: Formats, account: AnnualAccount, words: Words) -> int:
    """The cover sheet; returns the row where the charts go (they are added once their data sheet exists)."""
    sheet = book.add_worksheet(SUMMARY)
    title = f"{account.park.get('name', '')} {account.year} {words.of(HEADINGS['title'], ' / ')}"
    sheet.write_string(0, 0, title, f.title)
    row = _key_values(sheet, 2, summary_facts(account, words), f.text) + 1
    row = _write_figures(sheet, f, account, row, words) + 1
    row = _write_verdicts(sheet, f, account, row, words)
    if account.notes:
        row += 1
        sheet.write_string(row, 0, words.of(HEADINGS["notes"]), f.subtitle)
        row += 1
        for note in account.notes:
            sheet.merge_range(row, 0, row, 4, words.note(note), f.wrap)
            sheet.set_row(row, 15 * max(1, math.ceil(display_width(words.note(note)) / 120)))
            row += 1
    for position, width in enumerate((46, 20, 16, 22, 20)):
        sheet.set_column(position, position, width)
    sheet.write_string(row + 1, 0, words.of(HEADINGS["charts"]), f.subtitle)
    print_setup(sheet, header_rows=0)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 1)  # the cover is one page, however many notes it carries
    page_footer(sheet, words)
    return row + 2


# -- the charts ----------------------------------------------------------------------------------------------


def _attainment(indicators: pd.DataFrame) -> list[float]:
    """Each indicator against its threshold, 1 where it is just met (NaN where it cannot be said)."""
    out = []
    for item in indicators.itertuples(index=False):
        if is_blank(item.value) or is_blank(item.threshold):
            out.append(float("nan"))
        elif item.comparison.startswith("level"):
            # the share of enterprises at the level or better: every one of them must be (1 = all)
            out.append(item.value)
        elif item.comparison.endswith("<="):
            # lower is better (a level, tCO2/tce): the threshold over the value; a value of 0 meets any threshold
            out.append(item.threshold / item.value if item.value else float("nan"))
        else:
            out.append(item.value / item.threshold if item.threshold else float("nan"))
    return out


def chart_data(account: AnnualAccount, words: Words) -> dict[str, tuple[list[str], list[float]]]:
    """The categories and values of each chart of :data:`~carbon.schema.outputs.CHARTS`, by name."""
    by_sub = account.by("sub_park")
    by_industry = account.by("industry").sort_values("total_tco2", ascending=False)
    mix = account.energy.groupby("carrier")["tce_equivalent"].sum().sort_values(ascending=False)
    mix = mix[mix > 0]  # a carrier a conversion gives out (net negative) has no slice of what the park used
    indicators = account.indicators
    s = account.summary
    core = indicators.set_index("indicator").loc["carbon_per_energy"]
    years = (s["baseline_year"], account.year, None)
    return {
        "by_sub_park": (by_sub["key"].astype(str).tolist(), by_sub["total_tco2"].tolist()),
        "by_industry": (by_industry["key"].astype(str).tolist(), by_industry["total_tco2"].tolist()),
        "energy_mix": _pie(mix, words),
        "attainment": ([str(words.label("indicator", i)) for i in indicators["indicator"]], _attainment(indicators)),
        "trajectory": (
            [words.of(label).format(year=year) for label, year in zip(TRAJECTORY, years, strict=True)],
            [s.get("baseline_park910_tco2", float("nan")), s["park910_tco2"], core["threshold"] * s["energy_tce"]],
        ),
    }


#: Slices of a pie below this share of the whole are put together as 其他 (their labels would pile up).
PIE_MINIMUM = 0.03


def _pie(mix: pd.Series, words: Words) -> tuple[list[str], list[float]]:
    """Carriers by their words, the small ones together as one 其他 other slice."""
    total = mix.sum()
    small = mix[mix < PIE_MINIMUM * total] if total > 0 else mix.iloc[0:0]
    large = mix.drop(small.index)
    names = [str(words.label("carrier", c)) for c in large.index]
    values = large.tolist()
    if len(small):
        names.append(words.pair("其他", "other") + f"（{len(small)}）")
        values.append(float(small.sum()))
    return names, values


def _add_chart(book, sheet, chart_spec, title: str, cells: tuple[int, int], number: int, first_row: int) -> None:
    kind = chart_spec.kind
    quoted = f"'{CHART_DATA}'"
    first, last = cells
    chart = book.add_chart({"type": kind})
    series = {
        "name": title,
        "categories": f"={quoted}!$A${first}:$A${last}",
        "values": f"={quoted}!$B${first}:$B${last}",
    }
    if kind == "pie":
        series["data_labels"] = {"percentage": True, "leader_lines": True, "position": "best_fit"}
    if kind == "line":
        series["marker"] = {"type": "circle", "size": 7}
        series["data_labels"] = {"value": True, "num_format": "#,##0", "position": "above"}
    chart.add_series(series)
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"none": True} if kind != "pie" else {"position": "right"})
    if kind == "bar":
        # every indicator has a bar (categories are never skipped); 1 is the threshold
        chart.set_x_axis({"min": 0, "major_gridlines": {"visible": True}, "num_format": "0.0"})
        chart.set_y_axis({"reverse": True, "interval_unit": 1})
    elif kind in ("column", "line"):
        chart.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
        chart.set_x_axis({"interval_unit": 1, "num_font": {"rotation": -30} if kind == "column" else {}})
    chart.set_size({"width": 480, "height": 300})
    sheet.insert_chart(first_row + (number // 2) * 16, (number % 2) * 3, chart, {"x_offset": 4, "y_offset": 4})


def write_charts(
    book: xlsxwriter.Workbook, f: Formats, sheet, account: AnnualAccount, first_row: int, words: Words
) -> None:
    """Native charts below the summary, fed from the chart-data sheet (written last, before the manifest)."""
    blocks = chart_data(account, words)
    data = book.add_worksheet(CHART_DATA)
    data.write_string(0, 0, words.of(HEADINGS["chart_data"], " / "), f.subtitle)
    row = 2
    for number, chart in enumerate(CHARTS):
        categories, values = blocks[chart.name]
        title = words.of(chart.title)
        data.write_string(row, 0, title, f.text)
        for offset, (category, value) in enumerate(zip(categories, values, strict=True), start=1):
            data.write_string(row + offset, 0, category, f.text)
            write_cell(data, row + offset, 1, value, f.get("#,##0.00"))
        cells = (row + 2, row + 1 + len(categories))
        row += len(categories) + 2
        if categories:
            _add_chart(book, sheet, chart, title, cells, number, first_row)
    data.set_column(0, 0, 40)
    data.set_column(1, 1, 18)
    print_setup(data, header_rows=0)
    page_footer(data, words)
    not_printed(data, 2, words)


# -- the run manifest ----------------------------------------------------------------------------------------


def factor_editions(account: AnnualAccount) -> str:
    """The factor files the account's factors come from, with their editions (``file (公告…号); …``); for a
    碳账本 read back, the editions its manifest records (``source["factor_files"]``)."""
    recorded = account.source.get("factor_files")
    if recorded is not None:
        return str(recorded)
    used = library().set_index("id")
    files = sorted({used.at[i, "file"] for i in account._tables["factors"]["id"] if i in used.index})
    return "; ".join(f"{name} ({used[used['file'] == name]['number'].iloc[0]})" for name in files)


def manifest(account: AnnualAccount) -> tuple[list[tuple[str, object]], str]:
    """The manifest entries of ``account`` and the SHA-256 digest of them and of every table (not the time)."""
    from carbon._version import __version__

    editions = factor_editions(account)
    entries: list[tuple[str, object]] = [
        ("park", str(account.park.get("name", ""))),
        ("year", account.year),
        ("input_file", str(account.source.get("path", ""))),
        ("input_sha256", str(account.source.get("sha256", ""))),
        *input_table_entries(account.source),
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


# -- the content digest --------------------------------------------------------------------------------------

#: The first line of what :func:`account_digest` hashes; a new scheme gets a new line (and a 碳账本 written under
#: another scheme is read as unverifiable, not as altered).
DIGEST_SCHEME = "carbon 碳账本 content digest 1"
#: The characters of a part's digest a 碳账本 stores to say which part differs (the whole digest is stored once).
SHORT = 16
_NULL = "\x00"


def canonical_floats(values: np.ndarray) -> np.ndarray:
    """Numbers as a 碳账本 gives them back: each rounded to the 16 significant digits the workbook writes
    (xlsxwriter writes ``f"{x:.16g}"``; 17 would be needed for every double to come back bit for bit), -0 as 0,
    and a blank (NaN, an infinity, which is written blank) as one NaN. Rounding a value twice gives the value
    once rounded, so the numbers read back are their own canonical form.

    A whole number under 10**16 is its own rounding (``.16g`` writes every digit); the other values are rounded
    each distinct value once, by :func:`_rounded_16g`."""
    out = np.asarray(values, dtype=float).copy()
    finite = np.isfinite(out)
    out[~finite] = np.nan
    with np.errstate(invalid="ignore"):
        whole = (np.abs(out) < 1e16) & (np.floor(out) == out)
    index = np.flatnonzero(finite & ~whole)
    if len(index):
        distinct, inverse = np.unique(out[index], return_inverse=True)
        out[index] = _rounded_16g(distinct)[inverse.reshape(-1)]
    out[out == 0] = 0.0
    return out


#: Values :func:`_rounded_16g` formats in one piece of text (about 25 MB of it).
_ROUNDING_CHUNK = 1 << 20


def _rounded_16g(values: np.ndarray) -> np.ndarray:
    """``float(f"{x:.16g}")`` of each finite value: formatted by Python's own ``%.16g`` in one string operation a
    chunk (the same formatting as the f-string, without a Python call per value) and read back by Arrow's
    correctly rounded parser, as Python's ``float`` reads it: the same doubles, about twice as fast."""
    import pyarrow.csv as pcsv

    out = np.empty(len(values), dtype=float)
    options = pcsv.ConvertOptions(column_types={"v": pa.float64()})
    for start in range(0, len(values), _ROUNDING_CHUNK):
        chunk = values[start : start + _ROUNDING_CHUNK].tolist()
        text = (("%.16g\n" * len(chunk)) % tuple(chunk)).encode("ascii")
        table = pcsv.read_csv(
            pa.BufferReader(text), read_options=pcsv.ReadOptions(column_names=["v"]), convert_options=options
        )
        out[start : start + len(chunk)] = table.column(0).to_numpy()
    return out


def canonical(value: object) -> str:
    """One value as text for the digest: a blank (None, NA, NaN, empty text) as one mark, a flag as ``b1``/``b0``,
    a number as its canonical float (:func:`canonical_floats`), a date as its ISO time to the millisecond, text
    as itself."""
    if (isinstance(value, str) and value == "") or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return _NULL
    if isinstance(value, (bool, np.bool_)):
        return "b1" if value else "b0"
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(canonical_floats(np.array([float(value)]))[0])
        return _NULL if math.isnan(number) else f"n{number!r}"
    if isinstance(value, (dt.date, pd.Timestamp, np.datetime64)):
        return "d" + pd.Timestamp(value).round("ms").isoformat()
    return "s" + str(value)


def _column_bytes(values: pd.Series) -> bytes:
    """A column's values in canonical form, as bytes (numbers as the doubles read back, the rest as text)."""
    dtype = values.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return canonical_floats(values.to_numpy(dtype=float, na_value=np.nan)).tobytes()
    if isinstance(dtype, pd.CategoricalDtype):
        texts = np.array([canonical(v) for v in dtype.categories.tolist()] + [_NULL], dtype=object)
        return "\x1e".join(texts[values.cat.codes.to_numpy()].tolist()).encode()  # code -1 (blank): the last
    if dtype == np.bool_:
        return _flag_bytes(values.to_numpy())
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return _arrow_text_bytes(pa.array(values.array))
    objects = values.to_numpy() if pd.api.types.is_object_dtype(dtype) else None
    if (
        objects is not None
        and pd.api.types.infer_dtype(objects, skipna=True) in ("string", "empty")
        and _plain_text(objects)
    ):
        try:  # text and blanks only: as Arrow text (text UTF-8 cannot hold, or an odd blank, as below)
            texts = pa.array(objects, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowException, UnicodeEncodeError, TypeError):
            pass
        else:
            return _arrow_text_bytes(texts)
    return "\x1e".join(
        (f"s{v}" if v else _NULL) if type(v) is str else canonical(v) for v in values.to_numpy(dtype=object).tolist()
    ).encode()


def _plain_text(values: np.ndarray) -> bool:
    """Whether every text among ``values`` is a plain ``str``: a subclass of it (a ``(str, Enum)`` member) is
    written as its ``str()``, which may not be the text Arrow would take, so such a column is digested value by
    value, as it is written."""
    return all(kind is str or not issubclass(kind, str) for kind in set(map(type, values)))


def _flag_bytes(flags: np.ndarray) -> bytes:
    """:func:`_column_bytes` of a column of flags: ``b1`` or ``b0`` each, joined by ``\\x1e``, made as one array of
    bytes."""
    if not len(flags):
        return b""
    out = np.empty((len(flags), 3), dtype=np.uint8)
    out[:, 0] = ord("b")
    out[:, 1] = np.where(flags, ord("1"), ord("0"))
    out[:, 2] = 0x1E
    return out.tobytes()[:-1]


def _arrow_text_bytes(texts: pa.Array | pa.ChunkedArray) -> bytes:
    """:func:`_column_bytes` of text held by Arrow, worked by Arrow (no Python object per value): each text
    ``s`` + itself, a blank or the empty text the blank mark, joined by ``\\x1e``."""
    texts = texts.cast(pa.large_string())  # 64-bit offsets before the chunks are joined: text over 2 GB fits
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if not len(texts):
        return b""
    text = lambda value: pa.scalar(value, pa.large_string())  # noqa: E731
    blank = pc.fill_null(pc.equal(texts, text("")), True)
    marked = pc.if_else(blank, text(_NULL), pc.binary_join_element_wise(text("s"), texts, text("")))
    joined = pc.binary_join_element_wise(marked, text("\x1e"), text(""))  # each text and the separator after it
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)[joined.offset : joined.offset + len(joined) + 1]
    return joined.buffers()[2][int(offsets[0]) : int(offsets[-1]) - 1].to_pybytes()  # the last separator dropped


def _hash(*texts: object) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text if isinstance(text, bytes) else str(text).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()


def digested_tables(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The tables a 碳账本 holds (and its digest covers), in workbook order: every table with a sheet, an
    optional one (trend, restatement) only when it has rows."""
    names = dict.fromkeys(sheet.table for sheet in table_sheets())
    return [t for t in names if t in tables and (t not in OPTIONAL_TABLES or len(tables[t]))]


def _as_written(values: pd.Series, column: str, table: str, words: Words) -> pd.Series:
    """A column as a 碳账本 in ``words``' language gives it back: a note written ``中文 / English`` comes back in
    the one language of a Chinese or an English 碳账本 (:meth:`Words.column`); every other column as it is."""
    if words.lang == "zh+en" or column not in NOTES or table == "factors" or vocabulary(column, table) is not None:
        return values
    return words.column(values, column, table)


def content_parts(account: AnnualAccount, lang: str | None = None) -> dict[str, str]:
    """The SHA-256 of each part of what a figure of ``account`` rests on, by part name.

    Parts: ``year``; ``park:<key>`` and ``methods:<key>`` for each park fact and method choice; ``summary:<key>``
    for each summary figure; ``notes``; ``source`` (the input file, its SHA-256 and each input table's rows and
    hash); ``factor_files`` (the factor editions); ``keys:<park|methods|summary>`` (which keys, in order);
    ``table:<name>`` (its columns, their dtypes and its rows) and ``column:<name>:<column>`` (its values) for
    every table the 碳账本 holds (:func:`digested_tables`). Values are hashed in the canonical form of
    :func:`canonical` and :func:`canonical_floats`, and notes in the 碳账本's language ``lang`` (default: the
    language of the 碳账本 the account was read from, ``source["language"]``, else ``zh+en``), so the parts of an
    account read back from its 碳账本 are the parts of the account written.
    """
    words = Words(lang or account.source.get("language") or "zh+en")
    parts: dict[str, str] = {"year": _hash(canonical(account.year))}
    park = {k: list(v) if isinstance(v, tuple) else v for k, v in account.park.items()}
    groups = {
        "park": {k: json.dumps(v, ensure_ascii=False, sort_keys=True) for k, v in park.items()},
        "methods": {k: canonical(v) for k, v in account.methods.items()},
        "summary": {k: canonical(v) for k, v in account.summary.items()},
    }
    for group, values in groups.items():
        parts[f"keys:{group}"] = _hash(*values)
        for key, text in values.items():
            parts[f"{group}:{key}"] = _hash(text)
    parts["notes"] = _hash(*account.notes)
    source = account.source
    record = json.loads(str(source.get("input_tables") or "{}"))
    parts["source"] = _hash(
        source.get("path", ""), source.get("sha256", ""), json.dumps(record, ensure_ascii=False, sort_keys=True)
    )
    parts["factor_files"] = _hash(factor_editions(account))
    tables = account._tables  # read only
    for name in digested_tables(tables):
        frame = tables[name]
        dtypes = ["object:bool" if booleans(frame[c]) else str(frame[c].dtype) for c in frame.columns]
        parts[f"table:{name}"] = _hash(
            name, len(frame), *(f"{c}:{d}" for c, d in zip(frame.columns, dtypes, strict=True))
        )
        for column in frame.columns:
            values = _as_written(frame[column], str(column), name, words)
            parts[f"column:{name}:{column}"] = _hash(name, column, _column_bytes(values))
    return parts


def digest_of(parts: Mapping[str, str]) -> str:
    """The content digest: the SHA-256 of every part's digest (:func:`content_parts`), in the order of their names."""
    return _hash(DIGEST_SCHEME, *(f"{name}\t{parts[name]}" for name in sorted(parts)))


def account_digest(account: AnnualAccount, lang: str | None = None) -> str:
    """The content digest of ``account``: what the 碳账本's manifest records as ``content_digest``.

    It covers every figure's ground: the year, the park facts, the method choices, the summary, the notes, the
    input's record, the factor editions and every table the 碳账本 holds (columns, dtypes and values), with
    numbers as the workbook gives them back (16 significant digits, -0 as 0, blanks as one NaN) and blanks of
    text as one mark. It does not cover the time of writing, the language, the versions of carbon, Python and
    pandas, or presentation (formats, widths, charts).

    ``account_digest(account, lang)`` equals what :func:`carbon.io.account_workbook.write_account` stores when
    it writes ``account`` in ``lang``, and for a 碳账本 as written
    ``account_digest(read_account(path)) == read_account(path).source["content_digest"]``.

    Parameters
    ----------
    account : AnnualAccount
        An account, computed or read back from a 碳账本.
    lang : {'zh+en', 'zh', 'en'}, optional
        The language of the 碳账本: a Chinese or an English one holds each bilingual note in its one language.
        Default: the language of the 碳账本 ``account`` was read from (``source["language"]``), else ``zh+en``
        (the default of :func:`~carbon.io.account_workbook.write_account`).

    Returns
    -------
    str
        64 hexadecimal digits (SHA-256).
    """
    return digest_of(content_parts(account, lang))


def input_table_entries(source: Mapping[str, object]) -> list[tuple[str, object]]:
    """Per input table its rows and the hash of its contents (``input_rows_energy``, ``input_digest_energy``),
    from the account's ``source["input_tables"]``; none for an account that does not record them."""
    record = json.loads(str(source.get("input_tables") or "{}"))
    return [
        entry
        for name, (rows, digest) in record.items()
        for entry in ((f"input_rows_{name}", rows), (f"input_digest_{name}", digest))
    ]


def read_input_tables(entries: Mapping[str, object]) -> str:
    """The ``input_tables`` record of an account's ``source`` from the manifest's entries (``{}`` when the 碳账本
    was written by a release that did not record them)."""
    names = [str(k).removeprefix("input_rows_") for k in entries if str(k).startswith("input_rows_")]
    return json.dumps(
        {n: [int(float(entries[f"input_rows_{n}"])), str(entries.get(f"input_digest_{n}", ""))] for n in names}
    )


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


def write_manifest(
    book: xlsxwriter.Workbook,
    f: Formats,
    account: AnnualAccount,
    created: dt.datetime,
    words: Words,
    parts: Mapping[str, str] | None = None,
) -> str:
    """The run-manifest sheet (its entries are the machine's record: codes, not words); returns the digest.

    ``parts`` (:func:`content_parts` of ``account``, computed when not given) gives the entries
    ``content_digest`` (:func:`account_digest`) and ``content_parts`` (the first :data:`SHORT` characters of
    each part's digest but the columns', which the hidden ``_columns`` sheet records beside each column)."""
    sheet = book.add_worksheet(MANIFEST)
    entries, digest = manifest(account)
    entries.append(("language", words.lang))
    parts = content_parts(account) if parts is None else parts
    stored = {name: value[:SHORT] for name, value in parts.items() if not name.startswith("column:")}
    sheet.write_string(0, 0, words.of(HEADINGS["manifest"]), f.title)
    rows = [
        *entries,
        ("manifest_digest", digest),
        ("content_digest", digest_of(parts)),
        ("content_parts", json.dumps(stored, ensure_ascii=False)),
        ("generated_at", created.isoformat(timespec="seconds")),
    ]
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
    page_footer(sheet, words)
    not_printed(sheet, 2, words)
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
