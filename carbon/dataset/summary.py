"""The summary workbook of a dataset's account (``汇总 summary.xlsx``), laid out to be read on paper.

A province's staff read it printed, so the levels are grids with a figure per row (指标 and unit, then a column
per year or per province, at most :data:`PAGE_VALUES` value columns on a printed page, the figure's name and
unit repeated on every page across), the lists tables with a row per park, sub-park or enterprise; every sheet
prints A4 landscape with its header rows repeated and its panes frozen. Labels are the 碳账本's
(:mod:`carbon.schema.outputs`, :mod:`carbon.labels`) in the language asked for (``zh+en`` by default): no
internal id is shown. Values, never formulas; text from inputs always text.

The sheets: 全国 (a column per year), 省份 (a column per province and one for the nation, a block per year),
逐年趋势 (where the dataset holds several years: each level's figures by year with the change year on year),
达标统计 (per level, how many parks meet each 1 + 5 indicator), 园区 (a row per park), 园区指标 (each park's
verdicts), 片区 and 企业 (a row per sub-park and enterprise, only when at most :data:`TABLE_ROW_LIMIT` rows: the
Parquet files hold them all), 说明 (what was run and how to read it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import xlsxwriter

from carbon import labels as _labels
from carbon import names
from carbon._version import __version__
from carbon.account.indicators import INDICATORS
from carbon.dataset.printed import (
    LINE,
    PAGE_VALUES,
    WHOLE,
    Column,
    PrintFormats,
    Row,
    grid,
    lines,
    number_format,
    table,
    title,
)
from carbon.io.account_sheets import Formats, page_footer, threshold_text
from carbon.io.excel import SAFE_TEXT, atomic_write, write_cell
from carbon.io.words import Words
from carbon.schema.outputs import (
    AMOUNT,
    FINE,
    FRACTION,
    INTEGER,
    STATUS_COLOURS,
    SUMMARY_FACTS,
    SUMMARY_FIGURES,
    OutputColumn,
    output_table,
)

__all__ = ["PAGE_VALUES", "SHEETS", "SUMMARY_WORKBOOK", "TABLE_ROW_LIMIT", "write_summary"]

#: The workbook's file name in the results folder.
SUMMARY_WORKBOOK = "汇总 summary.xlsx"

#: Sheet names, by what they show, in workbook order (the trend only where the dataset holds several years,
#: the sub-parks and enterprises only when small enough).
SHEETS = {
    "national": "全国 National",
    "provinces": "省份 Provinces",
    "trend": "逐年趋势 Trend",
    "indicator_counts": "达标统计 Indicators",
    "parks": "园区 Parks",
    "park_indicators": "园区指标 Park indicators",
    "sub_parks": "片区 Sub-parks",
    "enterprises": "企业 Enterprises",
    "about": "说明 About",
}

#: A list with more rows than this is left out of the workbook (its Parquet file holds it; 说明 says so).
TABLE_ROW_LIMIT = 20_000

_FIGURES = {column.name: column for column in SUMMARY_FIGURES}
_OTHER = (
    OutputColumn("total_tco2", "排放合计（结论口径）", "Total, headline basis", "tCO2", AMOUNT),
    OutputColumn("energy_tce_equivalent", "综合能耗（当量值）", "Energy, 当量值", "tce", AMOUNT),
    OutputColumn("energy_tce_equal_value", "综合能耗（等价值）", "Energy, 等价值", "tce", AMOUNT),
    OutputColumn("year", "核算年度", "Year", "", INTEGER),
    OutputColumn("reporting_year", "报告年度", "Reporting year", "", INTEGER),
    OutputColumn("province", "所在省份", "Province"),
    OutputColumn("name", "园区名称", "Park"),
    OutputColumn("park_name", "园区名称", "Park"),
    OutputColumn("status", "状态", "Status"),
    OutputColumn("message", "说明", "Message"),
    OutputColumn("parks", "园区数", "Parks", "个", INTEGER),
    OutputColumn("parks_failed", "未能核算的园区", "Parks not accounted", "个", INTEGER),
    OutputColumn("core_status", "核心指标评价", "Core indicator", ""),
    OutputColumn("threshold_text", "阈值", "Threshold"),
    OutputColumn("enterprise_id", "统一社会信用代码", "Enterprise id"),
    OutputColumn("enterprise_name", "企业名称", "Enterprise"),
    OutputColumn("gap_shown", "差距", "Gap", "", AMOUNT),
    OutputColumn("guidance_achieved", "引导性指标达标数（共 5 项）", "Guidance indicators met (of 5)", "", INTEGER),
)
_COLUMNS = {
    **{c.name: c for c in output_table("intensities").columns},
    **{c.name: c for c in output_table("indicators").columns},
    **_FIGURES,
    **{column.name: column for column in _OTHER},
}
_STATUS = {"ok": ("已核算", "accounted"), "error": ("未能核算", "not accounted")}

#: The rows of the 全国 and 省份 grids (then one row per indicator: the parks meeting it).
GRID_FIGURES = (
    "parks",
    "parks_failed",
    "park910_tco2",
    "carbon_per_energy_tco2_per_tce",
    "energy_tce",
    "park910_fuel_tco2",
    "park910_conversion_tco2",
    "park910_electricity_tco2",
    "park910_heat_tco2",
    "park910_process_tco2",
    "park910_bunkers_tco2",
    "carbon_per_energy_location",
    "carbon_per_energy_market",
    "scope1_tco2",
    "scope2_location_tco2",
    "scope2_market_tco2",
    "total_location_tco2",
    "total_market_tco2",
    "total_tco2",
    "energy_tce_equivalent",
    "energy_tce_equal_value",
)
#: The rows of the trend grid.
TREND_FIGURES = (
    "parks",
    "park910_tco2",
    "carbon_per_energy_tco2_per_tce",
    "energy_tce",
    "scope1_tco2",
    "scope2_location_tco2",
    "scope2_market_tco2",
    "total_tco2",
)
#: The figures of the 片区 and 企业 lists (the Parquet files hold every figure of ``account.by``).
LIST_FIGURES = ("total_tco2", "scope1_tco2", "scope2_location_tco2", "scope2_market_tco2", "tce", "tco2_per_tce")


# -- cells ---------------------------------------------------------------------------------------------------


#: Units of counts in English.
_COUNT_UNITS_EN = {"个": "parks", "家": "enterprises"}


def _unit(unit: str, words: Words) -> str:
    if unit == "fraction":
        return "%"
    return _COUNT_UNITS_EN.get(unit, unit) if words.lang == "en" else words.unit(unit)


def _label(spec: OutputColumn, words: Words) -> str:
    return words.pair(spec.zh, spec.en)


def _region(words: Words, province: object) -> str:
    return str(words.label("province", province if isinstance(province, str) else "national"))


def _year(words: Words, year: int) -> str:
    return str(year) if words.lang == "en" else f"{year} 年"


def _indicator(words: Words, indicator: str) -> str:
    return str(words.label("indicator", indicator))


def _figure_rows(words: Words, frames: Sequence[pd.Series | None], counts: Sequence[pd.DataFrame | None]) -> list[Row]:
    """The rows of :data:`GRID_FIGURES`, then per indicator the parks meeting it, of each level in ``frames``
    (None: the level has no row there, a blank cell)."""
    rows = []
    for name in GRID_FIGURES:
        spec = _COLUMNS[name]
        values = [None if frame is None else frame[name] for frame in frames]
        # a level with a park not accounted is incomplete: its count in red
        colours = ["red" if name == "parks_failed" and v else None for v in values]
        rows.append(Row(_label(spec, words), _unit(spec.unit, words), values, number_format(spec), colours))
    for indicator in INDICATORS:
        zh, en = (_labels.label("indicator", indicator.name, lang) for lang in ("zh", "en"))
        label = words.pair(f"达标园区数：{zh}", f"Parks meeting: {en}")
        values = []
        for count in counts:
            mine = None if count is None else count[count["indicator"] == indicator.name]
            values.append(None if mine is None or mine.empty else int(mine["achieved"].iloc[0]))
        rows.append(Row(label, _unit("个", words), values, INTEGER))
    return rows


def _counts_of(result, year: int, province: object) -> pd.DataFrame | None:
    counts = result.indicator_counts
    if counts.empty:
        return None
    mine = counts[counts["year"] == year]
    mine = mine[mine["level"] == "national"] if province is None else mine[mine["province"] == province]
    return mine if len(mine) else None


def _national(book, f: Formats, words: Words, result) -> None:
    sheet = book.add_worksheet(SHEETS["national"])
    national = result.national
    years = [int(y) for y in national["year"]]
    title(sheet, f, words, ("全国汇总", "National totals"))
    frames = [row for _, row in national.iterrows()]
    counts = [_counts_of(result, y, None) for y in years]
    heads = [_year(words, y) for y in years]
    grid(sheet, f, words, _basis_line(words, result), heads, [("", _figure_rows(words, frames, counts))], 16)


def _provinces(book, f: Formats, words: Words, result) -> None:
    sheet = book.add_worksheet(SHEETS["provinces"])
    provinces = result.provinces
    regions = _in_order(provinces["province"].unique())
    title(sheet, f, words, ("分省汇总", "By province"))
    heads = [_region(words, p) for p in regions] + [_region(words, None)]
    blocks = []
    for year in sorted(int(y) for y in provinces["year"].unique()):
        of_year = provinces[provinces["year"] == year].set_index("province")
        frames = [of_year.loc[p] if p in of_year.index else None for p in regions]
        frames.append(result.national[result.national["year"] == year].iloc[0])
        counts = [_counts_of(result, year, p) for p in regions] + [_counts_of(result, year, None)]
        blocks.append((_year(words, year), _figure_rows(words, frames, counts)))
    grid(sheet, f, words, _basis_line(words, result), heads, blocks, 12)


def _basis_line(words: Words, result) -> str:
    return words.pair(
        f"数据集：{result.dataset}；比值为合计之比；未能核算的园区不计入合计（见「说明」）",
        f"dataset: {result.dataset}; ratios are ratios of the sums; parks not accounted are left out (see About)",
        " / ",
    )


# -- the trend ------------------------------------------------------------------------------------------------


def _trend_block(
    words: Words, trend: pd.DataFrame, years: list[int], notes: dict[str, int], where: object
) -> list[Row]:
    """The rows of one level: its figures by year, then the change of each year on the year before (yellow,
    with a numbered note giving the like-for-like change, where the parks accounted differ)."""
    by = trend.set_index(["figure", "year"])
    rows = []
    for name in TREND_FIGURES:
        spec = _COLUMNS[name]
        values: list[object] = [by.loc[(name, y), "value"] if (name, y) in by.index else None for y in years]
        colours: list[str | None] = [None] * len(years)
        for year in years[1:]:
            cell = by.loc[(name, year)] if (name, year) in by.index else None
            values.append(None if cell is None else cell["change"])
            mixed = cell is not None and cell["same_parks"] is not pd.NA and not cell["same_parks"]
            colours.append("yellow" if mixed else None)
            if mixed and name == "parks":
                _mixed_note(words, trend, year, notes, where)
        formats = [number_format(spec)] * len(years) + [FRACTION] * (len(years) - 1)
        rows.append(Row(_label(spec, words), _unit(spec.unit, words), values, formats, colours))
    return rows


def _mixed_note(words: Words, trend: pd.DataFrame, year: int, notes: dict[str, int], where: object) -> None:
    """The note of a level whose parks differ between ``year`` and the year before: the like-for-like change."""
    of = trend[trend["year"] == year].set_index("figure")
    park = of.loc["parks"]
    like = [
        (name, of.loc[name, "change_same_parks"])
        for name in ("park910_tco2", "carbon_per_energy_tco2_per_tce", "energy_tce")
        if name in of.index
    ]
    zh = "，".join(f"{_COLUMNS[n].zh} {v:+.1%}" for n, v in like if v == v)
    en = ", ".join(f"{_COLUMNS[n].en} {v:+.1%}" for n, v in like if v == v)
    both = int(park["parks_both"]) if park["parks_both"] is not pd.NA else 0
    text = words.pair(
        f"{_labels.label('province', where or 'national', 'zh')} {year} 年较 {year - 1} 年：核算园区由 {park['parks_accounted_previous']} 个变为 "
        f"{park['parks_accounted']} 个，变化含园区增减；两年均核算的 {both} 个园区：{zh or '无'}",
        f"{_labels.label('province', where or 'national', 'en')} {year} on {year - 1}: "
        f"parks accounted {park['parks_accounted_previous']}, then {park['parks_accounted']}: the change includes "
        f"parks joining or leaving; over the park(s) accounted both years ({both}): {en or 'none'}",
        " / ",
    )
    notes.setdefault(text, len(notes) + 1)


def _trend(book, f: Formats, words: Words, result) -> None:
    trend = result.trend
    years = sorted(int(y) for y in trend["year"].unique())
    sheet = book.add_worksheet(SHEETS["trend"])
    title(sheet, f, words, ("逐年趋势", "Trend by year"))
    line = words.pair(
        "各年数值，及较上年变化（本年 ÷ 上年 − 1）；黄色：两年核算的园区不同，附注给出两年均核算园区的同口径变化",
        "each year's figures, and the change on the year before (this ÷ last − 1); yellow: the parks accounted "
        "differ between the two years, the notes give the change over the parks accounted in both",
        " / ",
    )
    heads = [_year(words, y) for y in years]
    heads += [words.pair(f"{y} 较上年", f"{y} vs {y - 1}", "\n") for y in years[1:]]
    notes: dict[str, int] = {}
    blocks = []
    levels = [(None, trend[trend["level"] == "national"])]
    provinces = trend[trend["level"] == "province"]
    for province in _in_order(provinces["province"].unique()):
        levels.append((province, provinces[provinces["province"] == province]))
    for province, rows in levels:
        blocks.append((_region(words, province), _trend_block(words, rows, years, notes, province)))
    row = grid(sheet, f, words, line, heads, blocks, 12) + 1
    if notes:
        sheet.write_string(row, 0, words.pair("附注", "Notes", " / "), f.subtitle)
        last = min(len(heads), PAGE_VALUES) + 1
        for text, number in notes.items():
            row += 1
            sheet.merge_range(row, 0, row, last, f"[{number}] {text}", f.wrap)
            sheet.set_row(row, LINE * lines(text, 40 + 8 + 12 * (last - 1)))


def _in_order(provinces) -> list[str]:
    """Provinces in the order of the statistical yearbooks (北京, 天津, 河北 ...), as ``regions.csv`` lists them."""
    order = {region: i for i, region in enumerate(names.regions()["id"])}
    return sorted(provinces, key=lambda p: (order.get(p, len(order)), str(p)))


# -- counts of parks meeting each indicator ---------------------------------------------------------------

#: The columns of the 达标统计 grid: (column of indicator_counts, header).
_COUNT_HEADS = (
    ("parks", ("核算园区数", "parks accounted")),
    ("achieved", ("达标", "achieved")),
    ("gap", ("未达标", "gap")),
    ("missing_data", ("缺数据", "missing data")),
    ("not_applicable", ("不适用", "not applicable")),
    ("share_achieved", ("达标比例", "share achieved")),
    ("value", ("合计数值", "value of the sums")),
    ("gap_total", ("差距合计", "total gap")),
)


def _count_formats(unit: str) -> list[str | None]:
    """Per column: counts whole, the share achieved as a percentage, the value in its indicator's unit."""
    value = FRACTION if unit == "fraction" else FINE
    formats = {"share_achieved": FRACTION, "value": value, "gap_total": WHOLE}
    return [formats.get(c, INTEGER) for c, _ in _COUNT_HEADS]


def _indicator_counts(book, f: Formats, words: Words, result) -> None:
    sheet = book.add_worksheet(SHEETS["indicator_counts"])
    counts = result.indicator_counts
    title(sheet, f, words, ("零碳园区指标达标统计", "Parks meeting the zero-carbon-park indicators"))
    line = words.pair(
        "各园区核算给出的评价计数（发改环资〔2025〕910号 附件3）；合计数值为各园区分子之和除以分母之和（单位碳排放为 "
        "tCO2/tce，其余为比例）；差距合计为未达标园区差距之和，单位见「差距单位」列",
        "the verdicts of the parks' own accounts, counted (NDRC 910/2025 Annex 3); the value of the sums is the "
        "parks' numerators summed over their denominators summed (tCO2/tce for the core indicator, a share for "
        "the others); the total gap sums the gaps of the parks with a gap, in the unit given",
        " / ",
    )
    heads = [words.pair(*text, "\n") for _, text in _COUNT_HEADS]
    blocks = []
    for year in sorted(int(y) for y in counts["year"].unique()):
        of_year = counts[counts["year"] == year]
        levels = [(None, of_year[of_year["level"] == "national"])]
        levels += [(p, of_year[of_year["province"] == p]) for p in _in_order(of_year["province"].dropna().unique())]
        for province, of in levels:
            rows = []
            for item in of.itertuples(index=False):
                values = [getattr(item, column) for column, _ in _COUNT_HEADS]
                unit = words.label("gap_unit", item.gap_unit, "indicators") if isinstance(item.gap_unit, str) else ""
                colours = [None, "green" if item.achieved else None, "red" if item.gap else None]
                label = _indicator(words, item.indicator)
                formats = _count_formats(str(getattr(item, "value_unit", "fraction")))
                rows.append(Row(label, _unit(str(unit), words), values, formats, colours))
            blocks.append((f"{_year(words, year)}  {_region(words, province)}", rows))
    grid(sheet, f, words, line, heads, blocks, 12, unit_head=("差距单位", "gap unit"))


# -- lists: a row per park, per park and indicator, per sub-park, per enterprise -------------------------------


def _col(name: str, header: str = "", **how: object) -> Column:
    """A column of a list, its header the words of ``header`` (default: its name) in :data:`_COLUMNS`."""
    return Column(name, _COLUMNS[header or name], **how)  # type: ignore[arg-type]


def _by_region(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with their provinces in the yearbooks' order, the rest of the order kept."""
    order = {p: i for i, p in enumerate(_in_order(frame["province"].unique()))}
    position = frame["province"].map(order)
    return (
        frame.assign(_order=position).sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    )


def _status_colour(value: object) -> str | None:
    return STATUS_COLOURS.get(value) if isinstance(value, str) else None  # type: ignore[arg-type]


def _parks(book, f: Formats, words: Words, result) -> None:
    parks = _by_region(result.parks)
    verdicts = result.park_indicators
    core = verdicts[verdicts["indicator"] == "carbon_per_energy"].set_index(["park", "year"])["status"]
    guidance = verdicts[(verdicts["type"] == "guidance") & (verdicts["status"] == "achieved")]
    met = guidance.groupby(["park", "year"]).size()
    index = pd.MultiIndex.from_arrays([parks["park"], parks["year"]])
    parks["core_status"] = core.reindex(index).to_numpy()
    ok = (parks["status"] == "ok").to_numpy()
    parks["guidance_achieved"] = pd.Series(met.reindex(index).fillna(0).to_numpy(), dtype="float64").where(ok)
    columns = (
        _col("province", show=lambda v: _region(words, v)),
        _col("name"),
        _col("year", width=9),
        _col("status", show=lambda v: words.of(_STATUS.get(v, (v, v))), colour=lambda v: "red" if v != "ok" else None),
        _col("park910_tco2"),
        _col("energy_tce"),
        _col("carbon_per_energy_tco2_per_tce"),
        _col(
            "core_status",
            show=lambda v: words.label("status", v) if isinstance(v, str) else None,
            colour=_status_colour,
        ),
        _col("guidance_achieved", num_format=INTEGER, width=14),
        _col("message", width=48 if (parks["message"].str.len() > 0).any() else 12, wrap=True),
    )
    line = words.pair(
        "每个园区一行：其核算给出的 E_park、综合能耗、单位能耗碳排放和零碳园区指标评价；全部数值见 parks.parquet",
        "a row per park: E_park, energy, carbon per energy and the indicator verdicts its account gives; every "
        "figure in parks.parquet",
        " / ",
    )
    table(book.add_worksheet(SHEETS["parks"]), f, words, ("园区", "Parks"), line, parks, 2, columns)


def _indicator_formats(frame: pd.DataFrame) -> list[str]:
    """An indicator's value as the 碳账本 shows it: shares as percentages, tCO2/tce to four decimals."""
    return [{"fraction": FRACTION, "tCO2/tce": FINE}.get(unit, WHOLE) for unit in frame["unit"]]


def _park_indicators(book, f: Formats, words: Words, result) -> None:
    rows = _by_region(result.park_indicators)
    rows["threshold_text"] = [threshold_text(item, words) for item in rows.itertuples(index=False)]
    rows["gap_shown"] = rows["gap"].where(rows["status"] == "gap")
    columns = (
        _col("province", show=lambda v: _region(words, v)),
        _col("park_name"),
        _col("year", width=9),
        _col("indicator", show=lambda v: _indicator(words, v)),
        _col("value", num_format=_indicator_formats),
        _col("threshold_text"),
        _col("status", show=lambda v: words.label("status", v), colour=_status_colour),
        _col("gap_shown", num_format=WHOLE),
        _col(
            "gap_unit",
            show=lambda v: words.unit(str(words.label("gap_unit", v, "indicators"))) if isinstance(v, str) else None,
        ),
    )
    line = words.pair(
        "各园区核算给出的 1+5 项指标：数值、阈值、评价和差距（发改环资〔2025〕910号 附件3）；全部列见 park_indicators.parquet",
        "the 1 + 5 indicators each park's account gives: value, threshold, verdict and gap (NDRC 910/2025 Annex 3); "
        "every column in park_indicators.parquet",
        " / ",
    )
    heading = ("园区零碳指标", "Park indicators")
    table(book.add_worksheet(SHEETS["park_indicators"]), f, words, heading, line, rows, 3, columns)


def _level_list(book, f: Formats, words: Words, result, key: str) -> None:
    frame = _by_region(getattr(result, key))
    who = ("enterprise_id", "name", "sub_park", "industry") if key == "enterprises" else ("sub_park",)
    columns = (
        _col("province", show=lambda v: _region(words, v)),
        _col("park_name"),
        _col("year", width=9),
        *(_col(c, header="enterprise_name" if c == "name" else "") for c in who),
        *(_col(c) for c in LIST_FIGURES),
    )
    heading = ("企业", "Enterprises") if key == "enterprises" else ("片区", "Sub-parks")
    line = words.pair(
        f"各园区核算中的{heading[0]}合计，按园区汇集；全部数值见 {key}.parquet",
        f"the {heading[1].lower()} totals of each park's account, gathered over parks; every figure in {key}.parquet",
        " / ",
    )
    table(book.add_worksheet(SHEETS[key]), f, words, heading, line, frame, 2, columns)


# -- about ----------------------------------------------------------------------------------------------------

#: What each Parquet file of the results folder holds.
PARQUET_FILES = (
    ("parks.parquet", "每个园区一行：核算状态与汇总数值", "a row per park: status and its summary figures"),
    ("provinces.parquet", "每年每省一行：合计与合计之比", "a row per year and province: sums, ratios of the sums"),
    ("national.parquet", "每年一行：全国合计", "a row per year: national sums"),
    ("enterprises.parquet", "各园区的企业合计（account.by('enterprise')）", "every park's enterprise totals"),
    ("sub_parks.parquet", "各园区的片区合计（account.by('sub_park')）", "every park's sub-park totals"),
    ("park_indicators.parquet", "各园区的 1+5 项指标及评价", "every park's 1 + 5 indicators and verdicts"),
    ("indicator_counts.parquet", "每年、全国和每省、每项指标的达标园区数", "parks meeting each indicator"),
    ("trend.parquet", "全国和每省逐年数值、较上年变化", "each level's figures by year, change on the year before"),
)


#: Labels of the method choices that the 碳账本's summary facts do not name.
_METHOD_LABELS = {"gwp": ("全球增温潜势", "GWP")}
#: What each sheet shows, on the 说明 sheet.
_SHEET_HELP = {
    "national": ("全国合计，每年一列", "national sums, a column per year"),
    "provinces": (
        "各省合计，每省一列，最后一列为全国；每年一段",
        "province sums, a column each, the nation last; a block a year",
    ),
    "trend": ("全国和各省逐年数值及较上年变化", "each level by year with the change on the year before"),
    "indicator_counts": ("每年、全国和各省达到每项指标的园区数", "parks meeting each indicator, per year and level"),
    "parks": ("每个园区一行", "a row per park"),
    "park_indicators": ("每个园区的 1+5 项指标及评价", "each park's 1 + 5 indicators and verdicts"),
    "sub_parks": ("各园区的片区合计", "every park's sub-park totals"),
    "enterprises": ("各园区的企业合计", "every park's enterprise totals"),
}


def _about_rows(words: Words, result, sheets: Sequence[str], left_out: Sequence[str]) -> list[tuple[object, object]]:
    """The 说明 sheet's rows: (label, value), a label None for a section's heading."""
    methods = []
    for key, value in result.methods.model_dump().items():
        label = SUMMARY_FACTS.get(key) or _METHOD_LABELS.get(key, (key, key))
        shown = words.label(f"methods.{key}", value) if _labels.vocabulary(f"methods.{key}") else value
        methods.append((label, shown))
    too_long = [
        (SHEETS[key], (f"超过 {TABLE_ROW_LIMIT:,} 行，未写入本工作簿：见 {key}.parquet",
                       f"more than {TABLE_ROW_LIMIT:,} rows, not in this workbook: see {key}.parquet"))
        for key in left_out
    ]  # fmt: skip
    return [
        (None, ("运行", "run")),
        (("数据集", "dataset"), result.dataset),
        (("园区（账本）", "parks (ledgers)"), len(result.parks)),
        (("未能核算", "not accounted"), int((result.parks["status"] != "ok").sum())),
        (("运行于", "run on"), result.scheduler),
        (("用时（秒）", "seconds"), round(result.seconds, 2)),
        (("carbon 版本", "carbon version"), __version__),
        (None, ("核算方法（每个园区相同）", "methods (the same for every park)")),
        *methods,
        (None, ("如何阅读", "how to read it")),
        *_READING,
        (None, ("工作表", "sheets")),
        *[(SHEETS[key], _SHEET_HELP[key]) for key in sheets],
        *too_long,
        (
            None,
            (
                "结果文件夹中的 Parquet 文件（全部行与列）",
                "the Parquet files of the results folder (every row and column)",
            ),
        ),
        *[(name, (zh, en)) for name, zh, en in PARQUET_FILES],
    ]


def _about(book, f: Formats, words: Words, result, sheets: Sequence[str], left_out: Sequence[str]) -> None:
    sheet = book.add_worksheet(SHEETS["about"])
    widths = (30, 96)
    sheet.set_column(0, 0, widths[0])
    sheet.set_column(1, 1, widths[1])
    title(sheet, f, words, ("说明", "About"))
    row = 2
    left = f.book.add_format({**f.base, "valign": "top", "align": "left", "text_wrap": True, "border": 1,
                              "border_color": "#BFBFBF"})  # fmt: skip
    for label, value in _about_rows(words, result, sheets, left_out):
        if label is None:
            row += 1
            sheet.write_string(row, 0, words.of(value, " / "), f.subtitle)
            row += 1
            continue
        shown = words.of(value, " / ") if isinstance(value, tuple) else value
        sheet.write_string(row, 0, words.of(label) if isinstance(label, tuple) else label, f.get(wrap=True))
        write_cell(sheet, row, 1, shown, left)
        if isinstance(shown, str):
            sheet.set_row(
                row,
                LINE
                * max(
                    lines(shown, widths[1]), lines(words.of(label) if isinstance(label, tuple) else label, widths[0])
                ),
            )
        row += 1
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, 0)
    page_footer(sheet, words)


#: How to read the workbook, on the 说明 sheet.
_READING: list[tuple[tuple[str, str], tuple[str, str]]] = [
    (
        ("口径", "basis"),
        (
            "省级和全国的数值为各园区核算结果之和，比值为合计之比（非各园区比值的平均）；未能核算的园区不计入合计",
            "provinces and the nation sum the parks' own accounts; their ratios are ratios of the sums, not averages "
            "of the parks' ratios; a park not accounted is left out of the sums",
        ),
    ),
    (
        ("达标统计", "indicator counts"),
        (
            "每个园区的评价为其核算所给（910号 附件3）；达标比例 = 达标园区数 ÷ 核算园区数",
            "each park's verdict is its account's (910 Annex 3); share achieved = parks achieving ÷ parks accounted",
        ),
    ),
    (
        ("逐年趋势", "trend"),
        (
            "较上年变化 = 本年 ÷ 上年 − 1，上年为日历上一年；两年核算的园区不同时标黄，附注给出两年均核算园区的同口径变化",
            "change = this year ÷ the calendar year before − 1; yellow where the parks accounted differ, the notes "
            "giving the like-for-like change over the parks accounted in both years",
        ),
    ),
    (
        ("颜色", "colours"),
        (
            "绿色：达标；红色：未达标或未能核算；灰色：缺数据或不适用；黄色：两年园区不同",
            "green: achieved; red: gap or not accounted; grey: missing data or not applicable; yellow: the parks "
            "differ between the two years",
        ),
    ),
]


def write_summary(result, path: str | Path, *, lang: str = "zh+en") -> Path:
    """Write the summary workbook of a :class:`~carbon.dataset.account.DatasetAccount` to ``path``."""
    words = Words(lang)

    def write(temporary: str) -> None:
        book = xlsxwriter.Workbook(temporary, {**SAFE_TEXT, "nan_inf_to_errors": False})
        f = PrintFormats(book)
        _national(book, f, words, result)
        _provinces(book, f, words, result)
        several = result.trend["year"].nunique() > 1
        if several:
            _trend(book, f, words, result)
        _indicator_counts(book, f, words, result)
        _parks(book, f, words, result)
        sheets = ["national", "provinces", *(["trend"] if several else []), "indicator_counts", "parks"]
        left_out = []
        for key in ("park_indicators", "sub_parks", "enterprises"):
            if len(getattr(result, key)) > TABLE_ROW_LIMIT:
                left_out.append(key)
                continue
            sheets.append(key)
            if key == "park_indicators":
                _park_indicators(book, f, words, result)
            else:
                _level_list(book, f, words, result, key)
        _about(book, f, words, result, sheets, left_out)
        book.close()

    return atomic_write(path, write)
