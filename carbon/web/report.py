"""The annual account as one self-contained HTML file: the dashboard of ``carbon serve``, for e-mail and the archive.

:func:`render_report` returns the document, :func:`write_report` writes it (``carbon report IN.xlsx -o
report.html``, :meth:`carbon.AnnualAccount.to_html`). The file needs no network: Apache ECharts
(``static/echarts.min.js``, pinned at :data:`ECHARTS_VERSION`, Apache-2.0) and the stylesheet are inline, the
charts are drawn as SVG from data inside the page, and a print stylesheet lays it out on A4.

What it shows: the headline figures (E_park by 910号 附件4 with its five terms, the core indicator 单位能耗碳排放
with the location- and market-based values beside, energy, scope 1 and 2, reductions, green power), the 1 + 5
indicators against their thresholds with status and gap, the charts of the 碳账本 (by sub-park, by industry,
energy mix, attainment, trajectory from the baseline) and the E_park terms, the enterprises (a table with a
filter), the projects (overdue first), the boilers, the green power and the notes. The figures, labels and
number formats are those of the 碳账本 (:mod:`carbon.schema.outputs`, :class:`carbon.io.words.Words`), and the
chart data is the 碳账本's chart data.

Safe by default: the template escapes every text (Jinja2 autoescape), so a name from a workbook such as
``<script>`` shows as text; the chart data is JSON in a ``<script type="application/json">`` block with ``</``
written ``<\\/`` and read with ``JSON.parse``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from carbon._version import __version__
from carbon.account import AnnualAccount
from carbon.io.account_sheets import chart_data, is_blank, summary_facts, threshold_text
from carbon.io.excel import atomic_write, check_output_path
from carbon.io.words import Words
from carbon.schema.outputs import (
    AMOUNT,
    CHARTS,
    FINE,
    FLAG_COLOURS,
    FLEX,
    FRACTION,
    HEADINGS,
    INTEGER,
    ONE_DECIMAL,
    PERCENT,
    STATUS_COLOURS,
    SUMMARY_FIGURES,
    SUMMARY_INDICATOR_HEADERS,
    TRAJECTORY,
    OutputColumn,
    output_table,
)

__all__ = ["ECHARTS_VERSION", "render_report", "write_report"]

#: The version of Apache ECharts in ``static/echarts.min.js`` (see ``static/README.md``).
ECHARTS_VERSION = "5.6.0"

#: Python formats of the 碳账本's Excel number formats: the report shows a figure as the workbook does.
_FORMATS = {
    AMOUNT: "{:,.2f}",
    FINE: "{:,.4f}",
    FLEX: "{:,.4g}",
    FRACTION: "{:.1%}",
    INTEGER: "{:,.0f}",
    ONE_DECIMAL: "{:,.1f}",
    PERCENT: "{:.1f}",
}

#: Shown where a figure is blank.
BLANK = "—"

#: Section titles not in :data:`carbon.schema.outputs.HEADINGS`.
_TITLES = {
    "report": ("年度碳账本报告", "annual carbon ledger report"),
    "ledger": ("碳账本 {year}", "carbon ledger {year}"),
    "facts": ("核算口径", "basis of the account"),
    "core": ("核心指标：单位能耗碳排放", "core indicator: carbon per unit of energy"),
    "park910": ("园区碳排放（910号 附件4）", "E_park (910 Annex 4)"),
    "scopes": ("范围一、二排放", "scope 1 and 2 emissions"),
    "reductions_card": ("当年减排", "reductions in the year"),
    "all_figures": ("全部主要数字", "all headline figures"),
    "location": ("基于位置", "location-based"),
    "market": ("基于市场", "market-based"),
    "threshold": ("阈值", "threshold"),
    "enterprises": ("各企业排放", "emissions by enterprise"),
    "filter": ("筛选企业（名称、编号、片区、行业）", "filter (name, id, sub-park, industry)"),
    "projects": ("节能降碳项目（逾期在前）", "energy-saving and carbon-reduction projects (overdue first)"),
    "boilers": ("锅炉改造", "boiler retrofits"),
    "green_power": ("绿电", "green power"),
    "none": ("无", "none"),
    "terms_chart": ("园区碳排放构成（910号 附件4，tCO2）", "E_park by term (910 Annex 4, tCO2)"),
    "gap_green": ("或绿电", "or green power"),
    "generated": ("由 carbon {version} 生成", "made by carbon {version}"),
    "echarts": (
        "图表：Apache ECharts {echarts}（Apache License 2.0），已内嵌，无需联网",
        "charts: Apache ECharts {echarts} (Apache License 2.0), inline, no network needed",
    ),
    "total": ("合计", "total"),
}

#: The five terms of E_park (910号 附件4), in order.
TERMS = ("fuel", "conversion", "electricity", "heat", "process")

_ENTERPRISE_COLUMNS = ("rank", "key", "name", "sub_park", "industry", "total_tco2", "tce", "tco2_per_tce")
_PROJECT_COLUMNS = (
    "item_id",
    "name",
    "status",
    "overdue",
    "responsible_unit",
    "planned_completion",
    "completion_date",
    "reduction_in_year_tco2",
)
_BOILER_COLUMNS = (
    "item_id",
    "name",
    "capacity",
    "fuel_before",
    "fuel_after",
    "retrofit_date",
    "status",
    "annual_reduction_tco2",
    "reduction_in_year_tco2",
)
_GREEN_COLUMNS = ("name", "sub_park", "instrument", "source", "mwh", "certificate_id")

#: The order of a project's status in its table (after the overdue ones).
_PROJECT_ORDER = {"under_construction": 0, "planned": 1, "completed": 2}


# -- texts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text in the language asked for: the main part (Chinese, or English alone) and English beside."""

    main: str
    beside: str = ""


def _text(words: Words, pair: tuple[str, str], **values: object) -> Text:
    zh, en = (part.format(**values) if values else part for part in pair)
    if words.lang == "zh":
        return Text(zh)
    if words.lang == "en":
        return Text(en)
    return Text(zh, "" if en == zh else en)


def number(value: object, num_format: str | None) -> str:
    """A number as the 碳账本 shows it (``4,392,145.02``, ``4.4098``, ``27.7%``); a blank as :data:`BLANK`."""
    if is_blank(value) or value is pd.NaT:
        return BLANK
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        return str(value)
    return _FORMATS.get(num_format or AMOUNT, "{:,.2f}").format(float(value))


# -- the headline figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of ``account.summary``: its key, label, the value as shown, and the unit."""

    key: str
    label: Text
    value: str
    unit: str


def _figures(account: AnnualAccount, words: Words) -> dict[str, Figure]:
    out = {}
    for spec in SUMMARY_FIGURES:
        unit = "" if spec.num_format == FRACTION else words.unit(spec.unit)
        value = account.summary.get(spec.name)
        out[spec.name] = Figure(spec.name, _text(words, (spec.zh, spec.en)), number(value, spec.num_format), unit)
    return out


# -- the indicators ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    type: str
    value: str
    location: str
    market: str
    threshold: str
    status: str
    status_label: str
    colour: str
    gap: str
    gap_green: str


def _indicator_value(value: object, unit: str, words: Words) -> str:
    if unit == "fraction":
        return number(value, FRACTION)
    shown = number(value, FINE)
    return shown if shown == BLANK else f"{shown} {words.unit(unit)}".strip()


def _indicators(account: AnnualAccount, words: Words) -> list[Indicator]:
    out = []
    for item in account.indicators.itertuples(index=False):
        unit = str(item.unit)
        gap_unit = words.label("gap_unit", item.gap_unit, "indicators")
        blank_gap = is_blank(item.gap) or item.gap == 0
        green = "" if is_blank(item.gap_green_mwh) or item.gap_green_mwh == 0 else f"{item.gap_green_mwh:,.0f} MWh"
        out.append(
            Indicator(
                code=str(item.indicator),
                label=str(words.label("indicator", item.indicator)),
                type=str(words.label("type", item.type)),
                value=_indicator_value(item.value, unit, words),
                location="" if is_blank(item.value_location) else _indicator_value(item.value_location, unit, words),
                market="" if is_blank(item.value_market) else _indicator_value(item.value_market, unit, words),
                threshold=threshold_text(item, words),
                status=str(item.status),
                status_label=str(words.label("status", item.status)),
                colour=STATUS_COLOURS.get(str(item.status), ""),
                gap="" if blank_gap else f"{item.gap:,.0f} {words.unit(str(gap_unit))}",
                gap_green=green,
            )
        )
    return out


# -- tables --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    colour: str = ""


@dataclass
class Table:
    """A table as shown: its headers (each one or two lines) and its rows of cells."""

    headers: list[list[str]]
    numeric: list[bool]
    rows: list[list[Cell]] = field(default_factory=list)
    total: list[Cell] | None = None


def _spec(table: str, column: str) -> OutputColumn:
    if column == "rank":
        return output_table("intensities").column("rank")
    if table == "intensities" and column == "key":  # the key of an enterprise row is its id
        return replace(output_table("reductions").column("enterprise_id"), name="key")
    return output_table(table).column(column)


def _table(frame: pd.DataFrame, table: str, columns: tuple[str, ...], words: Words, totals: tuple[str, ...] = ()):
    specs = [_spec(table, c) for c in columns]
    numeric = [
        c in frame.columns
        and pd.api.types.is_numeric_dtype(frame[c].dtype)
        and not pd.api.types.is_bool_dtype(frame[c])
        for c in columns
    ]
    shown = {}
    for column, is_number in zip(columns, numeric, strict=True):
        if column not in frame.columns:
            shown[column] = [BLANK] * len(frame)
        elif is_number or pd.api.types.is_datetime64_any_dtype(frame[column].dtype):
            spec = _spec(table, column)
            shown[column] = [number(v, spec.num_format) for v in frame[column]]
        else:
            shown[column] = [BLANK if is_blank(v) else str(v) for v in words.column(frame[column], column, table)]
            if column in FLAG_COLOURS:  # a flag shows where it is raised
                shown[column] = [
                    text if value is True else "" for text, value in zip(shown[column], frame[column], strict=True)
                ]
    out = Table(headers=[words.header(s).split("\n") for s in specs], numeric=numeric)
    for position in range(len(frame)):
        row = []
        for column, is_number in zip(columns, numeric, strict=True):
            value = frame[column].iloc[position] if column in frame.columns else None
            colour = ""
            if column == "status":
                colour = STATUS_COLOURS.get(str(value), "")
            elif column in FLAG_COLOURS and value is True:
                colour = FLAG_COLOURS[column]
            row.append(Cell(shown[column][position], is_number, colour))
        out.rows.append(row)
    if totals and len(frame):
        label = words.pair(*_TITLES["total"])
        out.total = [
            Cell(number(frame[c].sum(), _spec(table, c).num_format), True)
            if c in totals
            else Cell(label if position == 0 else "")
            for position, c in enumerate(columns)
        ]
    return out


def _enterprises(account: AnnualAccount, words: Words) -> Table:
    frame = account.by("enterprise").sort_values("total_tco2", ascending=False, kind="stable")
    frame = frame.assign(rank=range(1, len(frame) + 1))
    return _table(frame, "intensities", _ENTERPRISE_COLUMNS, words, totals=("total_tco2", "tce"))


def _projects(reductions: pd.DataFrame, words: Words) -> Table:
    frame = reductions[reductions["kind"] == "project"]
    overdue = frame["overdue"].eq(True)  # noqa: FBT003 - a column of booleans with blanks
    order = frame["status"].map(_PROJECT_ORDER).fillna(len(_PROJECT_ORDER))
    frame = frame.assign(_late=~overdue, _order=order).sort_values(
        ["_late", "_order", "planned_completion", "item_id"], kind="stable", na_position="last"
    )
    return _table(frame, "reductions", _PROJECT_COLUMNS, words, totals=("reduction_in_year_tco2",))


def _boilers(reductions: pd.DataFrame, names: dict[object, object], words: Words) -> Table:
    frame = reductions[reductions["kind"] == "boiler"]
    # a boiler row holds the enterprise's id; its name is the enterprise's
    frame = frame.assign(
        name=[names.get(e, e) if is_blank(n) else n for e, n in zip(frame["enterprise_id"], frame["name"], strict=True)]
    )
    frame = frame.sort_values(["retrofit_date", "item_id"], kind="stable", na_position="last")
    return _table(
        frame,
        "reductions",
        _BOILER_COLUMNS,
        words,
        totals=("capacity", "annual_reduction_tco2", "reduction_in_year_tco2"),
    )


def _green_power(account: AnnualAccount, words: Words) -> Table:
    frame = account.green_power.sort_values(["instrument", "mwh"], ascending=[True, False], kind="stable")
    return _table(frame, "green_power", _GREEN_COLUMNS, words, totals=("mwh",))


# -- charts --------------------------------------------------------------------------------------------------


def _clean(values: list[object]) -> list[float | None]:
    """Numbers for JSON (NaN is no JSON: a blank is null)."""
    return [None if is_blank(v) or (isinstance(v, float) and math.isinf(v)) else float(v) for v in values]


def _charts(account: AnnualAccount, words: Words) -> list[dict[str, object]]:
    data = chart_data(account, words)
    s = account.summary
    terms = [str(words.label("term", t)) for t in TERMS]
    charts = [
        {
            "id": "park910_terms",
            "kind": "hbar",
            "title": words.pair(*_TITLES["terms_chart"], sep=" / "),
            "names": terms,
            "values": _clean([s.get(f"park910_{t}_tco2") for t in TERMS]),
        }
    ]
    for chart in CHARTS:
        names, values = data[chart.name]
        kind = {"column": "bar", "pie": "pie", "bar": "hbar", "line": "line"}[chart.kind]
        entry = {"id": chart.name, "kind": kind, "title": words.of(chart.title, " / ")}
        entry |= {"names": [str(n) for n in names], "values": _clean(list(values))}
        if chart.name == "trajectory":  # the category under its point: Chinese above English
            years = (s.get("baseline_year"), account.year, None)
            entry["names"] = [words.of(label, "\n").format(year=y) for label, y in zip(TRAJECTORY, years, strict=True)]
        if chart.name == "by_industry":  # a dozen names read better down the side
            entry["kind"] = "hbar"
        if chart.name == "attainment":
            entry["mark"] = 1.0  # the threshold met
        charts.append(entry)
    return charts


def _json(value: object) -> Markup:
    """JSON safe inside a ``<script>`` block: ``</`` (``</script>``) and ``<!--`` cannot end or bend it."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    text = text.replace("</", "<\\/").replace("<!--", "<\\u0021--")
    return Markup(text)  # noqa: S704 - escaped for a script block above


# -- the document --------------------------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("carbon.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _echarts() -> Markup:
    script = (resources.files("carbon.web") / "static" / "echarts.min.js").read_text(encoding="utf-8")
    # a script block ends at the first </script: the vendored file has none, and must keep having none
    return Markup(script.replace("</script", "<\\/script"))  # noqa: S704 - the vendored library, not data


def render_report(account: AnnualAccount, *, lang: str = "zh+en") -> str:
    """The annual account as one HTML document, with everything it needs inside it.

    Parameters
    ----------
    account : AnnualAccount
        The account to show (``carbon.read_workbook(path).account()``).
    lang : {"zh+en", "zh", "en"}
        Chinese with English beside (the default), Chinese or English.

    Returns
    -------
    str
        The document: no file or address outside it is needed to show or print it.
    """
    words = Words(lang)
    park = account.park.get("name", "")
    title = _text(words, HEADINGS["workbook"], park=park, year=account.year)
    if title.beside:  # the park's name once, in Chinese
        title = Text(title.main, _TITLES["ledger"][1].format(year=account.year))
    reductions = account.reductions
    enterprises = account.by("enterprise")
    names = dict(zip(enterprises["key"], enterprises["name"], strict=True))
    status_counts = reductions.loc[reductions["kind"] == "project", "status"].value_counts()
    project_counts = [
        (str(words.label("status", status, "reductions")), int(n), STATUS_COLOURS.get(str(status), ""))
        for status, n in status_counts.items()
    ]
    overdue = int(reductions.loc[reductions["kind"] == "project", "overdue"].eq(True).sum())  # noqa: FBT003
    charts = _charts(account, words)
    core = next(i for i in _indicators(account, words) if i.code == "carbon_per_energy")
    context = {
        "lang": "en" if words.lang == "en" else "zh-CN",
        "title": title,
        "t": {
            key: _text(words, pair, version=__version__, echarts=ECHARTS_VERSION, year=account.year)
            for key, pair in _TITLES.items()
        },
        "h": {key: _text(words, pair) for key, pair in HEADINGS.items()},
        "headers": [_text(words, pair) for pair in SUMMARY_INDICATOR_HEADERS],
        "facts": [(label, BLANK if is_blank(value) else str(value)) for label, value in summary_facts(account, words)],
        "figures": _figures(account, words),
        "terms": [(f"park910_{t}_tco2", str(words.label("term", t))) for t in TERMS],
        "core": core,
        "indicators": _indicators(account, words),
        "charts": charts,
        "chart_json": _json(charts),
        "enterprises": _enterprises(account, words),
        "projects": _projects(reductions, words),
        "project_counts": project_counts,
        "overdue": overdue,
        "overdue_label": words.pair("逾期", "overdue"),
        "boilers": _boilers(reductions, names, words),
        "green_power": _green_power(account, words),
        "notes": [words.note(n) for n in account.notes],
        "version": __version__,
        "echarts_version": ECHARTS_VERSION,
        "echarts": _echarts(),
    }
    return _environment().get_template("report.html").render(**context)


def write_report(account: AnnualAccount, path: str | Path, *, lang: str = "zh+en") -> Path:
    """Write :func:`render_report` to ``path`` (``.html``), atomically; returns the path.

    The path is checked first (:func:`carbon.io.excel.check_output_path`): a wrong extension, a missing folder
    or a read-only file is refused before any work."""
    target = check_output_path(path, suffix=".html")
    html = render_report(account, lang=lang)
    return atomic_write(target, lambda temporary: Path(temporary).write_text(html, encoding="utf-8"))
