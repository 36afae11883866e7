"""The tables of the account workbook (碳账本): every output table described once.

Each :class:`OutputTable` is one table of :class:`~carbon.account.AnnualAccount` (``account.emissions``,
``account.intensities`` ...), with its :class:`OutputColumn` s (glossary name, 中文 label, English label,
unit, Excel number format, one-line meaning) and the sheet or sheets that show it (:class:`OutputSheet`).
:data:`SHEETS` lists every sheet of the workbook in order, the summary, the chart data, the run manifest and
the hidden ``_columns`` sheet included. The account-workbook writer and reader
(:mod:`carbon.io.account_workbook`) take every sheet name, header, label and number format from here, and
``tools/update_glossary.py`` writes the README's list of sheets and table of outputs from it
(:func:`sheets_markdown`, :func:`outputs_markdown`).

Sheet names and table names agree: the English part of a sheet's name is the name of the table it shows
(``排放与强度 Intensities`` shows ``intensities``); the two sheets ``节能降碳项目 Projects`` and ``锅炉改造
Boilers`` each show the rows of one ``kind`` of the table ``reductions``. A column header on a sheet is the
column's label with its unit in the language of the workbook (``排放量（tCO2）`` above ``Emissions (tCO2)``);
the hidden ``_columns`` sheet records where each column stands, which is how the reader finds it again.
:data:`CODES` gives the codes only the account makes their words (:mod:`carbon.labels` joins them with the
input's choices).

Data only: this module imports nothing of carbon.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = [
    "CHARTS",
    "CHART_DATA",
    "CODES",
    "COLUMNS",
    "DATE",
    "FLAG_COLOURS",
    "HEADINGS",
    "MANIFEST",
    "OPTIONAL_TABLES",
    "OUTPUTS",
    "SHEETS",
    "SHEET_NAMES",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "SUMMARY",
    "SUMMARY_FACTS",
    "SUMMARY_FIGURES",
    "SUMMARY_INDICATOR_HEADERS",
    "TOTAL",
    "TRAJECTORY",
    "TREND_SHEET",
    "Chart",
    "OutputColumn",
    "OutputSheet",
    "OutputTable",
    "output_table",
    "outputs_markdown",
    "sheets_markdown",
    "table_sheets",
]

# -- Excel number formats ------------------------------------------------------------------------------------

#: Whole numbers: years, months, rows, counts, ranks.
INTEGER = "0"
#: Amounts: tCO2, tce, MWh, 万元, t, GJ.
AMOUNT = "#,##0.00"
#: Figures stated to one decimal (a boiler's capacity in 蒸吨).
ONE_DECIMAL = "#,##0.0"
#: Ratios and factors, which need four decimals (tCO2/tce, tCO2 per 万元, factor values, indicator values).
FINE = "#,##0.0000"
#: Figures of mixed size in one column: at least one decimal, up to four (4,331,892.0 and 4.4564).
FLEX = "#,##0.0###"
#: A fraction shown as a percentage (0.931 -> 93.1%).
FRACTION = "0.0%"
#: A number that already is a percentage (-15.6 for -15.6 %).
PERCENT = "0.0"
#: Dates.
DATE = "yyyy-mm-dd"


@dataclass(frozen=True)
class OutputColumn:
    """One column of an output table (or one figure of the summary sheet).

    ``num_format`` is the Excel number format of the column's numbers (None: a column of text, booleans or
    labels; numbers found in it anyway are written as :data:`AMOUNT`). Dates are always written as
    :data:`DATE`.
    """

    name: str
    zh: str
    en: str
    unit: str = ""
    num_format: str | None = None
    help: str = ""

    @property
    def header(self) -> str:
        """中文 label and glossary name (``排放量 emissions_tco2``), as messages name the column (the sheets'
        headers are written by :class:`carbon.io.words.Words`)."""
        return f"{self.zh} {self.name}"


@dataclass(frozen=True)
class OutputSheet:
    """One sheet of the account workbook.

    ``table`` is the output table it shows ('' for the summary, chart data, manifest and ``_columns``
    sheets); ``kind`` restricts it to the rows of one ``kind`` (the reductions); columns blank throughout
    are then left out. A sheet not ``printed`` (per-fact detail, the machine's records) prints only its
    header row with a note that the rows are in the workbook. ``lead`` columns come first (the others keep the table's order). ``totals`` are the
    columns summed in a 合计 total row below the table (None: no total row; an empty tuple: a total row with
    nothing summed); the total of a ``strict_totals`` column is blank when any of its cells is. Rows whose
    ``level`` is ``park`` are bold when ``bold_park``.
    """

    name: str
    table: str = ""
    help: str = ""
    kind: str | None = None
    lead: tuple[str, ...] = ()
    totals: tuple[str, ...] | None = None
    strict_totals: tuple[str, ...] = ()
    bold_park: bool = False
    hidden: bool = False
    printed: bool = True

    @property
    def key(self) -> str:
        """The sheet's key in :data:`SHEET_NAMES`: its table, or for one kind of a table the kind (``projects``)."""
        return f"{self.kind}s" if self.kind else self.table


@dataclass(frozen=True)
class OutputTable:
    """One table of the annual account: what one row is, its columns, and the sheets that show it."""

    name: str
    zh: str
    row: str
    columns: tuple[OutputColumn, ...]
    help: str = ""

    def column(self, name: str) -> OutputColumn:
        """The column with this glossary name."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


# -- the columns, by glossary name: a name means the same wherever it appears ------------------------------

_C = OutputColumn
_COMMON: dict[str, OutputColumn] = {
    c.name: c
    for c in (
        # who and when
        _C("enterprise_id", "统一社会信用代码", "enterprise id", help="unified social credit code (or internal code)"),
        _C("name", "名称", "name", help="name of the enterprise"),
        _C("sub_park", "片区", "sub-park", help="sub-park of the enterprise"),
        _C("industry", "行业", "industry", help="industry of the enterprise"),
        _C("year", "年度", "year", num_format=INTEGER, help="year of the activity data"),
        _C("month", "月份", "month", num_format=INTEGER, help="month 1-12; blank for a whole-year row"),
        _C("level", "层级", "level", help="level of the row"),
        _C("key", "对象", "key", help="what the row totals: an enterprise id or a name at its level"),
        # what was used
        _C("carrier", "能源品种", "carrier", help="energy carrier or fuel (id, see carbon/data/carriers.csv)"),
        _C(
            "use",
            "用途",
            "use",
            help="activity type (910号 附件4): fuel (end use), power, heat_supply, refining, gas_making, recovered, feedstock (not burned), conversion, conversion_output, bunkers",
        ),
        _C("quantity", "数量", "quantity", "the row's unit", AMOUNT, "amount as reported"),
        _C("unit", "单位", "unit", help="unit of the quantity"),
        _C("source", "来源", "source", help="kind of fact"),
        _C("category", "类别", "category", help="category"),
        _C("method", "方法", "method", help="how the figure was computed"),
        _C("status", "状态", "status", help="status"),
        _C("note", "说明", "note", help="note"),
        # emissions
        _C("scope", "范围", "scope", num_format=INTEGER, help="1 (direct) or 2 (purchased electricity and heat)"),
        _C("scope2_method", "范围二方法", "scope-2 method", help="location or market; blank for scope 1"),
        _C("gas", "气体", "gas", help="CO2, or CH4 and N2O in CO2e with non_co2"),
        _C("green_mwh", "绿电覆盖", "green power covering", "MWh", AMOUNT, "green power allotted to the row"),
        _C("factor_id", "因子编号", "factor ids", help="ids of the factors used, joined by |"),
        _C("factor_value", "因子值", "factor value", "tCO2 per unit", FINE, "tCO2 per unit of quantity"),
        _C("custom_factor", "自定义因子", "custom factor", help="an enterprise-measured factor was used"),
        _C("emissions_tco2", "排放量", "emissions", "tCO2", AMOUNT, "quantity x factor_value"),
        _C("input_sheet", "来源工作表", "input sheet", help="sheet of the park workbook the row comes from"),
        _C("input_row", "来源行", "input row", num_format=INTEGER, help="row of that sheet"),
        # energy
        _C("tce_equivalent", "当量值", "tce, calorific equivalent", "tce", AMOUNT, "energy in tce, 当量值"),
        _C(
            "tce_equal_value",
            "等价值",
            "tce, equal value",
            "tce",
            AMOUNT,
            "energy in tce, 等价值 (blank before 2015, the first year with a value)",
        ),
        _C("tce", "综合能耗", "energy", "tce", AMOUNT, "energy in tce by the chosen electricity method"),
        _C("tce_method", "折标方法", "tce method", help="how the row's tce was computed"),
        _C("tce_factor_id", "折标因子", "tce factor", help="id of the coefficient used for tce"),
        _C("tce_equivalent_method", "当量值方法", "当量值 method", help="how the 当量值 was computed"),
        _C("tce_equivalent_factor_id", "当量值因子", "当量值 factor", help="id of the 当量值 coefficient"),
        _C("tce_equal_value_method", "等价值方法", "等价值 method", help="how the 等价值 was computed"),
        _C("tce_equal_value_factor_id", "等价值因子", "等价值 factor", help="id of the 等价值 coefficient"),
        _C("clean", "清洁能源", "clean energy", help="counted as clean energy"),
        _C("rows", "行数", "rows", num_format=INTEGER, help="input rows summed"),
        # totals and intensities
        _C("scope1_tco2", "范围一", "scope 1", "tCO2", AMOUNT, "direct emissions"),
        _C("scope2_location_tco2", "范围二(基于位置)", "scope 2, location", "tCO2", AMOUNT, "scope 2, location-based"),
        _C("scope2_market_tco2", "范围二(基于市场)", "scope 2, market", "tCO2", AMOUNT, "scope 2, market-based"),
        _C("total_location_tco2", "合计(基于位置)", "total, location", "tCO2", AMOUNT, "scope 1 + 2, location-based"),
        _C("total_market_tco2", "合计(基于市场)", "total, market", "tCO2", AMOUNT, "scope 1 + 2, market-based"),
        _C("total_tco2", "排放合计", "total", "tCO2", AMOUNT, "the headline total (market-based unless location)"),
        _C("output_value", "工业总产值", "output value", "万元", AMOUNT, "gross industrial output value"),
        _C("added_value", "工业增加值", "added value", "万元", AMOUNT, "industrial added value"),
        _C("tco2_per_tce", "单位能耗碳排放", "carbon per energy", "tCO2/tce", FINE, "total_tco2 / tce"),
        _C("tco2_per_10k_yuan_output", "单位产值碳排放", "carbon per output", "tCO2/万元", FINE, "per 万元 output"),
        _C(
            "tco2_per_10k_yuan_added_value",
            "单位增加值碳排放",
            "carbon per added value",
            "tCO2/万元",
            FINE,
            "per 万元 added value",
        ),
        _C("baseline_total_tco2", "基准年排放", "baseline total", "tCO2", AMOUNT, "total_tco2 in the baseline year"),
        _C("baseline_tce", "基准年能耗", "baseline energy", "tce", AMOUNT, "tce in the baseline year"),
        _C("baseline_tco2_per_tce", "基准年单位能耗碳排放", "baseline carbon per energy", "tCO2/tce", FINE),
        _C("change_total", "排放变化", "change of the total", "fraction", FRACTION, "total / baseline total - 1"),
        _C("change_tco2_per_tce", "强度变化", "change of carbon per energy", "fraction", FRACTION, "against baseline"),
        _C("rank", "排名", "rank", num_format=INTEGER, help="on the sheet only: enterprises by total_tco2, 1 = most"),
        # reductions
        _C("kind", "类型", "kind", help="project or boiler"),
        _C("item_id", "编号", "item id", help="project or boiler id"),
        _C("responsible_unit", "责任单位", "responsible unit", help="projects: unit responsible"),
        _C("responsible_person", "责任人", "responsible person", help="projects: person responsible"),
        _C("planned_completion", "计划完成", "planned completion", num_format=DATE, help="projects: planned date"),
        _C("completion_date", "实际完成", "completion date", num_format=DATE, help="projects: date completed"),
        _C("investment", "投资额", "investment", "万元", AMOUNT, "projects: investment"),
        _C("saving_quantity", "年节能量", "annual saving", "saving_unit", AMOUNT, "projects: declared saving"),
        _C("saving_unit", "节能量单位", "saving unit", help="projects: unit of the saving"),
        _C("saving_carrier", "节约能源品种", "carrier saved", help="projects: carrier saved"),
        _C("declared_reduction", "申报减排量", "declared reduction", "tCO2", AMOUNT, "projects: as declared"),
        _C(
            "annual_reduction_tco2",
            "年减排量(核算)",
            "annual reduction",
            "tCO2",
            AMOUNT,
            "computed, a full year, on the 附件4 basis (electricity 0.8325, heat 0.11 or the own boiler fuel)",
        ),
        _C(
            "annual_reduction_location_tco2",
            "年减排量(基于位置)",
            "annual reduction, location-based",
            "tCO2",
            AMOUNT,
            "the same with electricity at the province's grid factor and heat at the GHG default",
        ),
        _C("share_of_year", "当年运行比例", "share of year", "fraction", FRACTION, "share of the year in operation"),
        _C("reduction_in_year_tco2", "当年减排量", "reduction in the year", "tCO2", AMOUNT, "pro-rated to the year"),
        _C("cumulative_reduction_tco2", "累计减排量", "cumulative reduction", "tCO2", AMOUNT, "since completion"),
        _C("difference_tco2", "申报与核算差", "difference", "tCO2", AMOUNT, "projects: declared - computed"),
        _C("difference_relative", "差异率", "relative difference", "fraction", FRACTION, "projects: vs computed"),
        _C("overdue", "逾期", "overdue", help="projects: unfinished past the planned date"),
        _C("assumptions", "假设", "assumptions", help="boilers: values assumed where the input left them blank"),
        _C("capacity", "额定蒸发量", "capacity", "蒸吨", AMOUNT, "boilers: rated capacity (t/h of steam)"),
        _C("fuel_before", "改造前燃料", "fuel before", help="boilers: fuel before the retrofit"),
        _C("fuel_after", "改造后方式", "after", help="boilers: gas, electricity, biomass or removed"),
        _C("retrofit_date", "改造日期", "retrofit date", num_format=DATE, help="boilers: date of the retrofit"),
        _C("heat_output", "年供热量", "heat output", "GJ", AMOUNT, "boilers: annual heat output as reported"),
        _C("fuel_before_quantity", "改造前燃料量", "fuel before", "fuel_before_unit", AMOUNT, "boilers: annual fuel"),
        _C("fuel_before_unit", "改造前燃料单位", "fuel before unit", help="boilers: unit of the fuel before"),
        _C("efficiency_before", "改造前效率", "efficiency before", "fraction", FRACTION, "boilers: as reported"),
        _C("efficiency_after", "改造后效率", "efficiency after", "fraction", FRACTION, "boilers: as reported"),
        _C("efficiency_before_used", "改造前效率(采用)", "efficiency before, used", "fraction", FRACTION),
        _C("efficiency_after_used", "改造后效率(采用)", "efficiency after, used", "fraction", FRACTION),
        _C("fuel_before_gj", "改造前燃料热量", "fuel before", "GJ", AMOUNT, "boilers: heat output / efficiency before"),
        _C("energy_after_gj", "改造后用能", "energy after", "GJ", AMOUNT, "boilers: heat output / efficiency after"),
        _C("before_tco2", "改造前排放", "emissions before", "tCO2", AMOUNT, "boilers: a year before the retrofit"),
        _C("after_tco2", "改造后排放", "emissions after", "tCO2", AMOUNT, "boilers: a year after the retrofit"),
        _C("heat_gj", "供热量", "heat", "GJ", AMOUNT, "boilers: heat output used (given or derived)"),
        _C("saving_tce", "节能量", "energy saved", "tce", AMOUNT, "boilers: energy saved in a year"),
        # solid waste
        _C("waste_type", "固废类别", "waste type", help="kind of solid waste"),
        _C("generated", "产生量", "generated", "t", AMOUNT, "generated in the year"),
        _C("utilized", "综合利用量", "utilised", "t", AMOUNT, "utilised, prior-year stock included"),
        _C("prior_stock_utilized", "其中往年贮存量", "of which prior stock", "t", AMOUNT, "prior-year stock utilised"),
        _C("disposed", "处置量", "disposed", "t", AMOUNT, "disposed"),
        _C("stored", "贮存量", "stored", "t", AMOUNT, "stored"),
        _C(
            "utilization_rate", "综合利用率", "utilisation rate", "fraction", FRACTION, "utilised / (generated + prior)"
        ),
        _C("balance_t", "平衡差", "balance", "t", AMOUNT, "generated - (utilised this year + disposed + stored)"),
        # green power and green factories
        _C("instrument", "绿电方式", "instrument", help="trade, certificate, onsite or direct_line"),
        _C("mwh", "电量", "energy", "MWh", AMOUNT, "the quantity in MWh (a certificate is 1 MWh)"),
        _C("certificate_id", "证书或合同编号", "certificate id", help="certificate or contract id"),
        _C("count", "数量", "count", num_format=INTEGER, help="green factories at the level"),
        _C("new_in_year", "当年新增", "new in the year", num_format=INTEGER, help="of which recognised in the year"),
        _C("energy_share", "能耗覆盖比例", "energy share", "fraction", FRACTION, "their share of the park's tce"),
        _C("emissions_share", "排放覆盖比例", "emissions share", "fraction", FRACTION, "their share of the tCO2"),
        _C("enterprises", "企业", "enterprises", help="their enterprise ids"),
        # indicators and targets
        _C("indicator", "指标", "indicator", help="indicator id"),
        _C("type", "类型", "type", help="core (the one that decides) or guidance"),
        _C("value", "数值", "value", "unit", FINE, "value, in the row's unit"),
        _C("value_location", "数值(基于位置)", "value, location", "unit", FINE, "with scope 2 location-based"),
        _C("value_market", "数值(基于市场)", "value, market", "unit", FINE, "with scope 2 market-based"),
        _C("numerator", "分子", "numerator", "numerator_unit", AMOUNT, "what the value divides"),
        _C("numerator_unit", "分子单位", "numerator unit", help="unit of the numerator"),
        _C("denominator", "分母", "denominator", "denominator_unit", AMOUNT, "what the value is divided by"),
        _C("denominator_unit", "分母单位", "denominator unit", help="unit of the denominator"),
        _C("threshold", "阈值", "threshold", "unit", FINE, "threshold of the notice"),
        _C("comparison", "比较", "comparison", help="<= or >=: how the value must compare"),
        _C("gap", "差距", "gap", "gap_unit", AMOUNT, "what is missing to reach the threshold"),
        _C("gap_unit", "差距单位", "gap unit", help="unit of the gap"),
        _C("gap_green_mwh", "所需绿电", "green power needed", "MWh", AMOUNT, "green power that would close the gap"),
        _C("threshold_id", "阈值编号", "threshold id", help="id of the threshold in the factor library"),
        _C("target", "目标值", "target", "unit", FLEX, "target value"),
        _C("actual_year", "实际年度", "actual year", num_format=INTEGER, help="year of the actual value"),
        _C("actual", "实际值", "actual", "unit", FLEX, "actual value"),
        _C("progress", "进度", "progress", "fraction", FRACTION, "actual against target"),
        _C("base_year", "基准年", "base year", num_format=INTEGER, help="base year of a reduction or a pace"),
        _C("base_value", "基准年数值", "base-year value", "unit", FLEX, "the figure in the base year"),
        _C(
            "pace_so_far",
            "已达年均变化",
            "pace so far",
            "fraction",
            FRACTION,
            "per year since the base year: a reduction's yearly fall, a level's yearly relative change, a share's "
            "yearly change in points; blank for a count of the year",
        ),
        _C(
            "pace_needed",
            "所需年均变化",
            "pace needed",
            "fraction",
            FRACTION,
            "per year from the actual year to the target year to reach the target, in the terms of pace_so_far "
            "(for a cap, the yearly change allowed: negative, a fall needed)",
        ),
        # the trend of many years
        _C("figure", "数据项", "figure", help="the figure's key (a summary key, or indicator.<id>)"),
        _C("verdict", "评价", "verdict", help="an indicator's status in the year"),
        # the baseline restated on the current boundary
        _C("boundary_change", "边界变动", "boundary change", help="moved_in, moved_out, new_build or closed"),
        _C("joined_year", "入园年份", "joined", num_format=INTEGER, help="first year inside the boundary"),
        _C("left_year", "退园年份", "left", num_format=INTEGER, help="first year no longer inside"),
        _C("boundary_note", "变动说明", "reason given", help="the park's reason for the change"),
        _C("in_baseline_reported", "计入原报基准", "in reported baseline", help="inside in the baseline year"),
        _C("in_baseline_restated", "计入重述基准", "in restated baseline", help="counted by the restated baseline"),
        _C(
            "baseline_tco2",
            "基准年排放（范围一+二）",
            "baseline, scope 1+2",
            "tCO2",
            AMOUNT,
            "its scope 1 + 2 total in the baseline year, by the headline scope-2 method",
        ),
        _C(
            "adjustment_tco2",
            "基准调整（范围一+二）",
            "adjustment, scope 1+2",
            "tCO2",
            AMOUNT,
            "what the restatement adds (+) or removes (-) from the scope 1 + 2 baseline (E_park's: in the notes)",
        ),
        _C("reason", "依据", "reason", help="why the baseline is or is not restated for it"),
        # the park method (910号 附件4)
        _C("term", "核算项", "term", help="fuel, conversion, electricity, heat, process; bunkers listed apart"),
        _C("item", "分项", "item", help="activity type, inflow or outflow kind, or product"),
        _C("factor_unit", "因子单位", "factor unit", help="unit of the factor value"),
        _C("tco2", "排放量", "emissions", "tCO2", AMOUNT, "CO2 of the line (negative: subtracted)"),
        _C("in_total", "计入园区总量", "in E_park", help="false for international bunkers, listed apart"),
        _C("name_zh", "名称", "name (中文)", help="the term as 附件4 names it"),
        _C("name_en", "说明", "name (English)", help="the term in English"),
        _C("share", "占比", "share", "fraction", FRACTION, "share of E_park"),
        _C("lines", "明细行数", "lines", num_format=INTEGER, help="lines of the park-method detail summed"),
        _C("basis", "口径", "basis", help="park910 (附件4), location or market (GHG Protocol scope 2)"),
        _C("basis_name", "口径名称", "basis name", help="the basis in words"),
        _C("headline", "评价采用", "headline", help="true for the cell the verdict uses"),
        _C("point", "未明确事项", "open point", help="what 附件4 leaves open"),
        _C("reading", "采用的理解", "reading used", help="the reading carbon uses"),
        _C("e_park_tco2", "园区排放", "E_park", "tCO2", AMOUNT, "E_park on the reading used"),
        _C("other_reading", "另一种理解", "other reading", help="the other reading"),
        _C("other_e_park_tco2", "另一理解下园区排放", "E_park, other reading", "tCO2", AMOUNT),
        _C("direct_line_mwh", "直连绿电", "direct lines", "MWh", AMOUNT, "non-fossil power supplied directly"),
        _C("onsite_mwh", "自发自用", "on-site", "MWh", AMOUNT, "own renewable generation used on site"),
        _C("internal_non_fossil_mwh", "园区内非化石供电", "non-fossil from park enterprises", "MWh", AMOUNT),
        _C("electricity_used_mwh", "园区用电量", "electricity used", "MWh", AMOUNT, "grid and park supply + on-site"),
        # factors
        _C("id", "编号", "id", help="factor id"),
        _C("confidence", "可信度", "confidence", help="primary, secondary or unconfirmed"),
        _C("document", "文件", "document", help="title of the source document"),
        _C("number", "文号", "number", help="number of the source document"),
        _C("data_year", "数据年份", "data year", num_format=INTEGER, help="year the value describes"),
        _C("requested_year", "请求年份", "requested year", num_format=INTEGER, help="year asked for"),
        _C(
            "fallback",
            "沿用他年",
            "fallback",
            help="another data year stands in for the year asked for (the earliest published, for a year before it)",
        ),
    )
}


def _columns(*items: str | tuple[str, dict[str, str]]) -> tuple[OutputColumn, ...]:
    """Columns by glossary name; ``(name, {"help": ...})`` gives a table its own unit or meaning."""
    out = []
    for item in items:
        name, changes = (item, {}) if isinstance(item, str) else item
        out.append(replace(_COMMON[name], **changes))
    return tuple(out)


# -- the tables of the annual account ------------------------------------------------------------------------

OUTPUTS: tuple[OutputTable, ...] = (
    OutputTable(
        "intensities",
        "排放与强度",
        "level and key (enterprise, sub-park, industry, park)",
        _columns(
            ("level", {"help": "enterprise, sub_park, industry or park"}),
            "key",
            "scope1_tco2",
            "scope2_location_tco2",
            "scope2_market_tco2",
            "tce",
            "tce_equivalent",
            "tce_equal_value",
            "output_value",
            "added_value",
            ("name", {"help": "name of the enterprise; on the park row, the park's"}),
            ("sub_park", {"help": "sub-park of the enterprise; on a sub-park row, the sub-park"}),
            ("industry", {"help": "industry of the enterprise; on an industry row, the industry"}),
            "total_location_tco2",
            "total_market_tco2",
            "total_tco2",
            "tco2_per_tce",
            "tco2_per_10k_yuan_output",
            "tco2_per_10k_yuan_added_value",
            "baseline_total_tco2",
            "baseline_tce",
            "baseline_tco2_per_tce",
            "change_total",
            "change_tco2_per_tce",
            "rank",
        ),
        "emissions, energy and intensities per enterprise, with sub-park, industry and park totals (by(level))",
    ),
    OutputTable(
        "energy",
        "能源消费",
        "enterprise, carrier and use",
        _columns(
            "enterprise_id",
            "carrier",
            "use",
            ("unit", {"help": "the carrier's unit (t, 万Nm3, MWh, GJ)"}),
            ("quantity", {"unit": "unit", "help": "amount in the carrier's unit"}),
            "tce_equivalent",
            "tce_equal_value",
            "rows",
        ),
        "energy consumed per enterprise and carrier",
    ),
    OutputTable(
        "reductions",
        "节能降碳",
        "project or boiler (kind, item_id)",
        _columns(
            "kind",
            "item_id",
            "enterprise_id",
            ("name", {"help": "projects: name of the project"}),
            ("category", {"help": "projects: category of the project"}),
            ("status", {"help": "planned, under_construction, completed; boilers: retrofitted"}),
            "responsible_unit",
            "responsible_person",
            "planned_completion",
            "completion_date",
            "investment",
            "saving_quantity",
            "saving_unit",
            "saving_carrier",
            "declared_reduction",
            "input_row",
            "annual_reduction_tco2",
            "annual_reduction_location_tco2",
            (
                "method",
                {
                    "help": "how the reduction was computed (its factors in factor_id); boilers: Q is the heat output, η_b and η_a the efficiencies before and after, EF the CO2 per GJ of the fuel"
                },
            ),
            "share_of_year",
            "reduction_in_year_tco2",
            "cumulative_reduction_tco2",
            "difference_tco2",
            "difference_relative",
            "overdue",
            "assumptions",
            "input_sheet",
            "capacity",
            "fuel_before",
            "fuel_after",
            "retrofit_date",
            "heat_output",
            "fuel_before_quantity",
            "fuel_before_unit",
            "efficiency_before",
            "efficiency_after",
            "efficiency_before_used",
            "efficiency_after_used",
            "fuel_before_gj",
            "energy_after_gj",
            "before_tco2",
            "after_tco2",
            "heat_gj",
            "saving_tce",
            (
                "factor_id",
                {
                    "help": "ids of the factors used: the saving's carrier (projects), the fuel before and what replaced it (boilers)"
                },
            ),
        ),
        "energy-saving and carbon-reduction projects and boiler retrofits, with the tCO2 they save",
    ),
    OutputTable(
        "solid_waste",
        "固废利用",
        "input row, enterprise, waste type and the park (level)",
        _columns(
            ("level", {"help": "row, enterprise, waste_type or park"}),
            ("key", {"help": "enterprise / waste type, enterprise, waste type or park"}),
            "enterprise_id",
            "waste_type",
            "generated",
            "utilized",
            "prior_stock_utilized",
            "disposed",
            "stored",
            "utilization_rate",
            "balance_t",
            "input_row",
        ),
        "industrial solid waste: generated, utilised, disposed, stored and the utilisation rate",
    ),
    OutputTable(
        "green_power",
        "绿电",
        "input row of green power",
        _columns(
            "enterprise_id",
            "name",
            "sub_park",
            "year",
            "month",
            "instrument",
            ("quantity", {"unit": "unit"}),
            ("unit", {"help": "unit of the quantity (MWh, kWh, 张 for certificates)"}),
            "mwh",
            "certificate_id",
            ("source", {"help": "power source: pv, wind, hydro, biomass, other"}),
            "input_sheet",
            "input_row",
        ),
        "green power traded, certified, generated on site or by direct line",
    ),
    OutputTable(
        "green_factories",
        "绿色工厂",
        "level (national, provincial, municipal, all)",
        _columns(
            ("level", {"help": "national, provincial, municipal or all"}),
            "count",
            "new_in_year",
            "energy_share",
            "emissions_share",
            "enterprises",
        ),
        "green factories by level and the share of the park they cover",
    ),
    OutputTable(
        "indicators",
        "零碳指标",
        "indicator",
        _columns(
            "indicator",
            "type",
            "value",
            ("unit", {"help": "unit of value and threshold"}),
            "value_location",
            "value_market",
            ("method", {"help": "scope-2 basis of value: market or location"}),
            "numerator",
            "numerator_unit",
            "denominator",
            "denominator_unit",
            "threshold",
            "comparison",
            ("status", {"help": "achieved, gap, missing_data or not_applicable"}),
            "gap",
            "gap_unit",
            "gap_green_mwh",
            "threshold_id",
            ("note", {"help": "how the value or the gap was reached"}),
        ),
        "the indicators of the zero-carbon-park notice (发改环资〔2025〕910号) against their thresholds",
    ),
    OutputTable(
        "targets",
        "目标进度",
        "target",
        _columns(
            "indicator",
            ("year", {"help": "year of the target"}),
            "target",
            ("unit", {"help": "unit of target and actual"}),
            "actual_year",
            "actual",
            "progress",
            (
                "status",
                {"help": "achieved, achieved_early, not_achieved, in_progress, not_evaluated or missing_data"},
            ),
            "base_year",
            "base_value",
            "pace_so_far",
            "pace_needed",
            (
                "note",
                {
                    "help": "a reduction's prices (constant or current), its intensities in the base year and the "
                    "year, and for CO2 the figure on the other basis"
                },
            ),
            "input_row",
        ),
        "the park's targets against the actual values, with the pace so far and the pace needed",
    ),
    OutputTable(
        "restatement",
        "基准年重述",
        "enterprise with a boundary change",
        _columns(
            "enterprise_id",
            "name",
            "boundary_change",
            "joined_year",
            "left_year",
            "boundary_note",
            "in_baseline_reported",
            "in_baseline_restated",
            "baseline_tco2",
            "adjustment_tco2",
            "reason",
        ),
        "the baseline restated on the current boundary (GHG Protocol, ch. 5): who moved in or out, and why",
    ),
    OutputTable(
        "trend",
        "趋势",
        "figure and year",
        _columns(
            "figure",
            ("name_zh", {"help": "the figure in Chinese"}),
            ("name_en", {"help": "the figure in English"}),
            "year",
            ("value", {"help": "the figure in the year; blank where its data are missing"}),
            ("unit", {"help": "unit of the value"}),
            ("status", {"help": "ok, fallback, incomplete, no_data or no_account"}),
            "verdict",
            ("note", {"help": "what is missing or stood in for the year"}),
        ),
        "the headline figures, intensities and indicators of every year asked for (carbon ledger --years)",
    ),
    OutputTable(
        "factors",
        "排放因子",
        "factor used",
        _columns(
            "id",
            ("value", {"help": "the factor's value"}),
            ("unit", {"help": "unit of the value"}),
            ("source", {"help": "where the value was read"}),
            "confidence",
            "document",
            "number",
            "data_year",
            "requested_year",
            "fallback",
            ("note", {"help": "what the factor is and how it was confirmed"}),
        ),
        "every factor the account used, with its provenance and any data-year fallback",
    ),
    OutputTable(
        "emissions",
        "排放明细",
        "input fact and scope-2 method (and gas with non_co2)",
        _columns(
            "enterprise_id",
            "name",
            "sub_park",
            "industry",
            "year",
            "month",
            ("source", {"help": "fuel_combustion, energy_conversion, purchased_electricity or purchased_heat"}),
            "carrier",
            "use",
            "scope",
            "scope2_method",
            "gas",
            "quantity",
            "unit",
            "green_mwh",
            "factor_id",
            "factor_value",
            "custom_factor",
            "emissions_tco2",
            (
                "in_total",
                {
                    "zh": "计入排放合计",
                    "en": "in the total",
                    "help": "counted in total_tco2: scope 1, and scope 2 by the headline method (market unless "
                    "location); sum emissions_tco2 where in_total (scope 2 is here once per method)",
                },
            ),
            "input_sheet",
            "input_row",
        ),
        "one emission fact per row, traceable to its input row and factors",
    ),
    OutputTable(
        "detail",
        "能耗明细",
        "input fact of energy (and on-site renewables)",
        _columns(
            "enterprise_id",
            "year",
            "month",
            "carrier",
            "use",
            "quantity",
            "unit",
            ("source", {"help": "energy, grid_electricity, onsite_renewable or conversion_output (negative)"}),
            "input_sheet",
            "input_row",
            "tce_equivalent_method",
            "tce_equivalent_factor_id",
            "tce_equal_value_method",
            "tce_equal_value_factor_id",
            "tce_equivalent",
            "tce_equal_value",
            "tce_method",
            "tce_factor_id",
            "tce",
            "clean",
            ("category", {"help": "kind of carrier: solid, liquid or gaseous fuel, electricity, heat"}),
        ),
        "one energy fact per row with its tce both ways and the coefficients used",
    ),
)

OUTPUTS += (
    OutputTable(
        "park_terms",
        "附件4核算",
        "term of the 附件4 formula, E_park, bunkers and the core indicator",
        _columns(
            "term",
            "name_zh",
            "name_en",
            ("value", {"unit": "unit", "num_format": FLEX, "help": "tCO2 for a term, tce, or tCO2/tce"}),
            ("unit", {"help": "unit of the value"}),
            "share",
            "lines",
        ),
        "E_park = E_fuel + E_conversion + E_electricity + E_heat + E_process (910号 附件4), and E_park / tce",
    ),
    OutputTable(
        "park_method",
        "附件4核算明细",
        "line of a term: activity type, carrier and unit; enterprise; flow or product row",
        _columns(
            "term",
            "item",
            "enterprise_id",
            "carrier",
            "quantity",
            "unit",
            ("factor_value", {"help": "tCO2 per unit of quantity (for fuel: the lines' average)"}),
            "factor_unit",
            "factor_id",
            "tco2",
            "in_total",
            "input_sheet",
            "input_row",
            "note",
        ),
        "every line of the 附件4 account with its factor and input sheet and row",
    ),
    OutputTable(
        "core_bases",
        "核心指标口径",
        "basis (附件4, location, market) and tce method (当量值, 等价值)",
        _columns(
            "basis",
            "basis_name",
            ("tce_method", {"help": "equivalent (当量值) or equal-value (等价值)"}),
            ("tco2", {"help": "E_park, or scope 1 + scope 2 of the basis"}),
            ("tce", {"help": "the park's tce counted that way"}),
            ("value", {"unit": "tCO2/tce", "help": "tCO2 / tce"}),
            "threshold",
            "status",
            "threshold_id",
            "headline",
        ),
        "the core indicator on every basis side by side; the verdict uses 附件4",
    ),
    OutputTable(
        "direct_supply",
        "直接供应比例",
        "the park (one row)",
        _columns(
            (
                "value",
                {"unit": "fraction", "num_format": FRACTION, "help": "share of the park's power supplied directly"},
            ),
            ("threshold", {"unit": "fraction", "num_format": FRACTION, "help": "the 50 % principle of 附件4"}),
            "status",
            "direct_line_mwh",
            "onsite_mwh",
            "internal_non_fossil_mwh",
            "electricity_used_mwh",
            "factor_id",
        ),
        "direct green supply against the 50 % principle (原则上直接供应比例不低于50%)",
    ),
    OutputTable(
        "open_points",
        "附件4未明确事项",
        "open point that changes E_park",
        _columns("point", "reading", "e_park_tco2", "other_reading", "other_e_park_tco2", "note"),
        "what 附件4 leaves open in E_park, shown both ways",
    ),
)

OUTPUTS += (
    OutputTable(
        "reconciliation",
        "核对",
        "enterprise with a project or boiler retrofit, and carrier",
        (
            _COMMON["enterprise_id"],
            _COMMON["carrier"],
            _C("tce_previous", "上年能耗", "energy, year before", "tce", AMOUNT, "当量值, from the energy sheet"),
            _C("tce_current", "当年能耗", "energy, the year", "tce", AMOUNT, "当量值, from the energy sheet"),
            _C("change_tce", "变化", "change", "tce", AMOUNT, "the year minus the year before"),
            _C(
                "claimed_change_tce",
                "申报可解释的变化",
                "change the claims explain",
                "tce",
                AMOUNT,
                "each claim's annual saving (or fuel switched) x the change in its share of the year in service",
            ),
            _C("unexplained_tce", "未解释的变化", "change not explained", "tce", AMOUNT, "change - claimed change"),
            _C("claims", "相关申报", "claims", help="project and boiler ids behind the claimed change"),
            _C(
                "flag", "需核实", "to check", help="a claimed decrease of which less than half shows in the energy data"
            ),
        ),
        "claims against the energy data, year over year; flagged, never refused",
    ),
)

_BY_NAME = {t.name: t for t in OUTPUTS}

#: Tables an account has only sometimes: the trend (``Ledger.accounts``) and the restated baseline (when
#: enterprises moved in or out). Their sheets are written only when the account has rows for them.
OPTIONAL_TABLES = ("trend", "restatement")


def output_table(name: str) -> OutputTable:
    """The output table with this glossary name."""
    return _BY_NAME[name]


# -- the sheets of the workbook, in order -------------------------------------------------------------------

SUMMARY = "封面汇总 Summary"
CHART_DATA = "图表数据 Chart data"
TREND_SHEET = "逐年趋势 Trend by year"
MANIFEST = "运行信息 Run manifest"
COLUMNS = "_columns"
#: The first cell of a totals row.
TOTAL = ("合计", "total")

SHEETS: tuple[OutputSheet, ...] = (
    OutputSheet(
        SUMMARY,
        help="park, methods, headline figures, indicator verdicts, and charts of emissions by sub-park and "
        "industry, the energy mix, each indicator against its threshold and the trajectory from the baseline "
        "to the current year to the core threshold",
    ),
    OutputSheet(
        "附件4核算 Park terms",
        "park_terms",
        "the park's CO2 as 910号 附件4 counts it, term by term, E_park and the core indicator on that basis",
    ),
    OutputSheet(
        "核心指标口径 Core bases",
        "core_bases",
        "the core indicator under 附件4, GHG location and market, with tce as 当量值 and 等价值, side by side",
    ),
    OutputSheet("零碳指标 Indicators", "indicators", "value, threshold, status and gap of each indicator"),
    OutputSheet("直接供应 Direct supply", "direct_supply", "direct green supply against the 50 % principle"),
    OutputSheet("未明确事项 Open points", "open_points", "what 附件4 leaves open in E_park, both ways"),
    OutputSheet(
        "排放与强度 Intensities",
        "intensities",
        "scope 1, scope 2 both ways, totals, tce, intensities and rank per enterprise, with sub-park, industry "
        "and park totals (park in bold)",
        lead=("level", "key", "name", "sub_park", "industry", "rank", "total_tco2", "tce", "tco2_per_tce"),
        bold_park=True,
    ),
    OutputSheet(
        "节能降碳项目 Projects",
        "reductions",
        "status, responsible unit and person, planned and actual completion, "
        "overdue, saving, reduction declared and computed, with a total row",
        kind="project",
        totals=(
            "investment",
            "annual_reduction_tco2",
            "annual_reduction_location_tco2",
            "reduction_in_year_tco2",
            "cumulative_reduction_tco2",
            "capacity",
            "heat_gj",
            "saving_tce",
        ),
    ),
    OutputSheet(
        "锅炉改造 Boilers",
        "reductions",
        "before and after, efficiencies used, reduction, with a total row",
        kind="boiler",
        totals=(
            "investment",
            "annual_reduction_tco2",
            "annual_reduction_location_tco2",
            "reduction_in_year_tco2",
            "cumulative_reduction_tco2",
            "capacity",
            "heat_gj",
            "saving_tce",
        ),
    ),
    OutputSheet(
        "固废利用 Solid waste", "solid_waste", "solid waste per row, enterprise, type and park", bold_park=True
    ),
    OutputSheet("绿电 Green power", "green_power", "green power per input row, with a total row", totals=("mwh",)),
    OutputSheet("绿色工厂 Green factories", "green_factories", "green factories by level"),
    OutputSheet("目标进度 Targets", "targets", "each target against the actual, with the pace so far and needed"),
    OutputSheet(
        TREND_SHEET,
        help="a figure per row and a year per column (headline figures, intensities, indicators and their "
        "verdicts), numbered notes where a year is missing or stood in for, and line charts (carbon ledger --years)",
    ),
    OutputSheet(
        "趋势明细 Trend",
        "trend",
        "the trend as one row per figure and year, with status and note (not printed)",
        printed=False,
    ),
    OutputSheet(
        "基准年重述 Restatement",
        "restatement",
        "enterprises that moved in or out of the park and the baseline restated on the current boundary, with a "
        "total row",
        totals=("adjustment_tco2",),
    ),
    OutputSheet("排放因子 Factors", "factors", "every factor used, full provenance and any fallback"),
    OutputSheet(
        "能源消费 Energy",
        "energy",
        "energy per enterprise and carrier, with a total row (not printed: the tce per enterprise prints on "
        "排放与强度 Intensities)",
        totals=("tce_equivalent", "tce_equal_value"),
        strict_totals=("tce_equal_value",),
        printed=False,
    ),
    OutputSheet(
        "附件4明细 Park method",
        "park_method",
        "every line of the 附件4 account: quantity, factor, tCO2, input sheet and row (not printed)",
        totals=("tco2",),
        printed=False,
    ),
    OutputSheet(
        "核对 Reconciliation",
        "reconciliation",
        "per enterprise with claims and carrier: energy the year before and the year, the change the projects and "
        "boiler retrofits explain and the rest, flagged where a claimed decrease does not show (not printed)",
        printed=False,
    ),
    OutputSheet(
        "排放明细 Emissions",
        "emissions",
        "one emission fact per row with its input sheet, row and factor ids (a Parquet file beside the workbook "
        "when longer than a sheet holds; not printed)",
        printed=False,
    ),
    OutputSheet(
        "能耗明细 Detail",
        "detail",
        "one energy fact per row (a Parquet file beside it when too long; not printed)",
        printed=False,
    ),
    OutputSheet(CHART_DATA, help="the numbers behind the summary's charts (not printed)", printed=False),
    OutputSheet(
        MANIFEST,
        help="input SHA-256, toolkit version, factor set and editions, methods, time, and a digest of all but "
        "the time (the same inputs and options give the same digest); the summary, notes and park facts "
        "(not printed)",
        printed=False,
    ),
    OutputSheet(
        COLUMNS, help="hidden: every table's columns and dtypes, which is how read_account restores them", hidden=True
    ),
)


def table_sheets() -> list[OutputSheet]:
    """The sheets that show a table, in workbook order."""
    return [s for s in SHEETS if s.table]


#: The name of each sheet that shows a table, by its key (the table, or ``projects`` and ``boilers``).
SHEET_NAMES: dict[str, str] = {s.key: s.name for s in SHEETS if s.table}


# -- the summary sheet ---------------------------------------------------------------------------------------

#: Labels of the park facts and method choices at the top of the summary.
SUMMARY_FACTS = {
    "accounting": ("核算方法", "accounting method"),
    "province": ("所在省份", "province"),
    "year": ("报告年度", "year"),
    "baseline_year": ("基准年", "baseline year"),
    "scope2": ("范围二方法", "scope-2 method"),
    "factor_set": ("燃料缺省因子", "fuel factor set"),
    "electricity_tce": ("电力折标", "electricity to tce"),
    "non_co2": ("非二氧化碳气体", "CH4 and N2O"),
    "clean_energy": ("清洁能源口径", "clean energy"),
}
#: How the park's CO2 is counted for the verdict, as the summary states it.
ACCOUNTING = ("910号 附件4（零碳园区结论依据）", "910 Annex 4 (the basis of the verdict)")

#: How the park's CO2 is counted for the verdict, as the manifest records it.
PARK_METHOD = (
    "发改环资〔2025〕910号 附件4 零碳园区碳排放核算方法（试行）: E_park = E_fuel + E_conversion + E_electricity + "
    "E_heat + E_process (CO2, net inflow at 0.8325 kgCO2/kWh and 0.11 tCO2/GJ); GHG Protocol scope 1 + 2 beside"
)

#: The headline figures of the summary, by their key in ``account.summary``.
SUMMARY_FIGURES: tuple[OutputColumn, ...] = (
    _C("park910_tco2", "园区碳排放（910号 附件4）", "E_park", "tCO2", AMOUNT),
    _C(
        "carbon_per_energy_tco2_per_tce",
        "单位能耗碳排放（附件4）",
        "Carbon per unit of energy (附件4)",
        "tCO2/tce",
        FINE,
    ),
    _C("energy_tce", "综合能源消费量", "Energy consumption", "tce", AMOUNT),
    _C("park910_fuel_tco2", "其中：化石能源用作燃料", "of which fuel burned", "tCO2", AMOUNT),
    _C("park910_conversion_tco2", "其中：能源加工转换", "of which conversion", "tCO2", AMOUNT),
    _C("park910_electricity_tco2", "其中：电力净受入", "of which net electricity", "tCO2", AMOUNT),
    _C("park910_heat_tco2", "其中：热力净受入", "of which net heat", "tCO2", AMOUNT),
    _C("park910_process_tco2", "其中：工业过程", "of which processes", "tCO2", AMOUNT),
    _C("park910_bunkers_tco2", "国际航空航海（单独列出）", "Bunkers (listed apart)", "tCO2", AMOUNT),
    _C("direct_supply_share", "绿电直接供应比例", "Direct green supply", "fraction", FRACTION),
    _C(
        "carbon_per_energy_location",
        "单位能耗碳排放（基于位置）",
        "Carbon per energy, location-based",
        "tCO2/tce",
        FINE,
    ),
    _C("carbon_per_energy_market", "单位能耗碳排放（基于市场）", "Carbon per energy, market-based", "tCO2/tce", FINE),
    _C("scope1_tco2", "范围一排放", "Scope 1", "tCO2", AMOUNT),
    _C("scope2_location_tco2", "范围二排放（基于位置）", "Scope 2, location-based", "tCO2", AMOUNT),
    _C("scope2_market_tco2", "范围二排放（基于市场）", "Scope 2, market-based", "tCO2", AMOUNT),
    _C("total_location_tco2", "排放合计（基于位置）", "Total, location-based", "tCO2", AMOUNT),
    _C("total_market_tco2", "排放合计（基于市场）", "Total, market-based", "tCO2", AMOUNT),
    _C("clean_energy_share", "清洁能源消费占比", "Clean-energy share", "fraction", FRACTION),
    _C("solid_waste_utilization_rate", "工业固废综合利用率", "Solid-waste utilisation", "fraction", FRACTION),
    _C("waste_heat_utilization_rate", "余热余压利用率", "Waste-heat utilisation", "fraction", FRACTION),
    _C("water_reuse_rate", "工业用水重复利用率", "Water reuse", "fraction", FRACTION),
    _C("intensity_tco2_per_10k_yuan_output", "单位产值碳排放", "tCO2 per 万元 output", "tCO2/万元", FINE),
    _C("intensity_tco2_per_10k_yuan_added_value", "单位增加值碳排放", "tCO2 per 万元 added value", "tCO2/万元", FINE),
    _C("change_park910", "园区碳排放较基准年变化（附件4）", "Change of E_park against baseline", "fraction", FRACTION),
    _C(
        "change_total",
        "排放合计较基准年变化（范围一+二）",
        "Change of the scope 1 + 2 total against baseline",
        "fraction",
        FRACTION,
    ),
    _C("boiler_retrofits", "当年完成锅炉改造", "Boilers retrofitted in the year", "台", INTEGER),
    _C("boiler_capacity_t_per_h", "改造锅炉容量", "Capacity retrofitted", "蒸吨", ONE_DECIMAL),
    _C("projects_completed", "当年完成节能降碳项目", "Projects completed", "个", INTEGER),
    _C("reduction_tco2", "当年减排量", "Reductions in the year", "tCO2", AMOUNT),
    _C("green_power_mwh", "绿电（交易、绿证、直连）", "Green power", "MWh", AMOUNT),
    _C("green_factories_national", "国家级绿色工厂", "National green factories", "家", INTEGER),
    _C("green_factories_provincial", "省级绿色工厂", "Provincial green factories", "家", INTEGER),
)

#: The column headers of the indicator verdicts on the summary.
SUMMARY_INDICATOR_HEADERS = (
    ("指标", "indicator"),
    ("数值", "value"),
    ("阈值", "threshold"),
    ("状态", "status"),
    ("差距", "gap"),
)

#: Titles and headings written on the summary, chart-data and manifest sheets.
HEADINGS = {
    "title": ("年度碳账本", "annual carbon ledger"),
    "figures": ("主要指标", "headline figures"),
    "indicators": ("零碳园区指标（发改环资〔2025〕910号）", "zero-carbon-park indicators (NDRC 910/2025)"),
    "notes": ("说明", "notes"),
    "charts": ("图表", "charts"),
    "chart_data": ("图表数据（由封面图表引用）", "data behind the summary charts"),
    "manifest": ("运行信息", "run manifest"),
    "workbook": ("{park} {year} 碳账本", "{park} carbon ledger {year}"),
}

#: How the status of an indicator or target reads on the summary.
#: What the codes in the account's tables say to staff: column -> {code: (中文, English)}. A key
#: ``table.column`` applies to that table only (``emissions.source`` differs from ``green_power.source``).
#: Codes of the input's choices (carriers, statuses typed by staff, categories, provinces ...) come from
#: the input schema and the data files; :mod:`carbon.labels` joins the two.
CODES: dict[str, dict[object, tuple[str, str]]] = {
    "status": {
        "achieved": ("达标", "achieved"),
        "gap": ("未达标", "gap"),
        "missing_data": ("缺数据", "missing data"),
        "not_applicable": ("不适用", "not applicable"),
        "not_achieved": ("未达成", "not achieved"),
        "in_progress": ("进行中", "in progress"),
        "achieved_early": ("已提前达成", "achieved early"),
        "not_evaluated": ("未评估", "not evaluated"),
        "retrofitted": ("已改造", "retrofitted"),
    },
    "level": {
        "enterprise": ("企业", "enterprise"),
        "sub_park": ("片区", "sub-park"),
        "industry": ("行业", "industry"),
        "park": ("园区", "park"),
        "row": ("填报行", "input row"),
        "waste_type": ("固废类别", "waste type"),
        "national": ("国家级", "national"),
        "provincial": ("省级", "provincial"),
        "municipal": ("市级", "municipal"),
        "all": ("各级合计", "all levels"),
    },
    "kind": {"project": ("节能降碳项目", "project"), "boiler": ("锅炉改造", "boiler")},
    "emissions.source": {
        "fuel_combustion": ("化石燃料燃烧", "fuel combustion"),
        "energy_conversion": ("能源加工转换", "energy conversion"),
        "purchased_electricity": ("购入电力", "purchased electricity"),
        "purchased_heat": ("购入热力", "purchased heat"),
        "process": ("工业过程", "industrial process"),
    },
    "detail.source": {
        "energy": ("能源消费", "energy use"),
        "grid_electricity": ("电网购电", "grid electricity"),
        "onsite_renewable": ("自发自用可再生电力", "on-site renewables"),
        "conversion_output": ("加工转换产出", "conversion output"),
    },
    "detail.category": {
        "solid fuel": ("固体燃料", "solid fuel"),
        "liquid fuel": ("液体燃料", "liquid fuel"),
        "gaseous fuel": ("气体燃料", "gaseous fuel"),
        "electricity": ("电力", "electricity"),
        "heat": ("热力", "heat"),
    },
    "tce_method": {
        "equivalent": ("当量值", "equivalent"),
        "equal-value": ("等价值", "equal value"),
        "GB/T 2589 当量值": ("GB/T 2589 当量值", "GB/T 2589 calorific equivalent"),
        "GB/T 2589 等价值": ("GB/T 2589 等价值", "GB/T 2589 equal value"),
        "measured NCV": ("实测低位发热量", "measured NCV"),
        "default NCV (gbt32151)": ("缺省低位发热量（GB/T 32151）", "default NCV (GB/T 32151)"),
        "default NCV (ipcc2006)": ("缺省低位发热量（IPCC 2006）", "default NCV (IPCC 2006)"),
        "default NCV (cn_set_b)": ("缺省低位发热量（另一套国内缺省值）", "default NCV (cn_set_b)"),
    },
    "scope2_method": {"location": ("基于位置", "location-based"), "market": ("基于市场", "market-based")},
    "type": {"core": ("核心指标", "core"), "guidance": ("引导性指标", "guidance")},
    "method": {"park910": ("910号 附件4", "910 Annex 4")},
    "indicators.unit": {"fraction": ("%", "%")},
    "targets.unit": {"fraction": ("%", "%")},
    "trend.unit": {"fraction": ("%", "%")},
    "trend.status": {
        "ok": ("完整", "complete"),
        "fallback": ("沿用他年因子", "factor of another year"),
        "incomplete": ("不完整", "incomplete"),
        "no_data": ("无数据", "no data"),
        "no_account": ("无该年核算", "no account for the year"),
    },
    "gap_unit": {"enterprises": ("家", "enterprises")},
    "comparison": {"<=": ("≤", "≤"), ">=": ("≥", "≥"), "level <=": ("能效等级 ≤", "level ≤")},
    "term": {
        "fuel": ("E_用作燃料", "E_fuel"),
        "conversion": ("E_加工转换", "E_conversion"),
        "electricity": ("E_电", "E_electricity"),
        "heat": ("E_热", "E_heat"),
        "process": ("E_工业过程", "E_process"),
        "total": ("E_园区", "E_park"),
        "bunkers": ("国际航空航海", "international bunkers"),
        "tce": ("综合能源消费量", "energy consumption"),
        "carbon_per_energy": ("单位能耗碳排放", "carbon per energy"),
    },
    "item": {
        "fuel": ("终端消费", "end use"),
        "heat_supply": ("供热", "heat supply"),
        "power": ("火力发电", "thermal power"),
        "refining": ("炼油及煤制油", "refining"),
        "gas_making": ("制气", "gas making"),
        "recovered": ("回收能", "recovered energy"),
        "bunkers": ("国际航空航海", "bunkers"),
        "conversion": ("加工转换投入", "conversion input"),
        "conversion_output": ("加工转换产出", "conversion output"),
        "inflow_grid": ("电网受入电量", "grid inflow"),
        "inflow_green": ("绿电", "green power"),
        "outflow_non_fossil": ("送出非化石电力", "non-fossil power sent out"),
        "outflow_fossil": ("送出化石电力", "fossil power sent out"),
        "inflow_fossil": ("受入化石热力", "fossil heat inflow"),
        "inflow_non_fossil": ("受入非化石热力", "non-fossil heat inflow"),
        "outflow": ("送出", "sent out"),
    },
    "basis": {
        "park910": ("910号 附件4", "910 Annex 4"),
        "location": ("范围一+二 基于位置", "scope 1+2 location-based"),
        "market": ("范围一+二 基于市场", "scope 1+2 market-based"),
    },
    "confidence": {
        "primary": ("原文核实", "primary"),
        "secondary": ("转引核实", "secondary"),
        "unconfirmed": ("未核实", "unconfirmed"),
        "measured": ("实测", "measured"),
    },
    "point": {"non_fossil_outflow": ("送出园区的非化石电力", "non-fossil power sent out")},
    "gas": {"CO2": ("CO2", "CO2"), "CH4": ("CH4", "CH4"), "N2O": ("N2O", "N2O")},
    "bool": {True: ("是", "yes"), False: ("否", "no")},
    # the method choices (carbon.account.Methods), as the summary sheet states them
    "methods.scope2": {
        "both": ("两种都算，排放合计与结论按基于市场", "both; totals and verdicts market-based"),
        "location": ("基于位置", "location-based"),
        "market": ("基于市场", "market-based"),
    },
    "methods.factor_set": {
        "gbt32151": ("GB/T 32151 缺省值", "GB/T 32151 defaults"),
        "ipcc2006": ("IPCC 2006 缺省值", "IPCC 2006 defaults"),
        "cn_set_b": ("另一套国内缺省值（出处未核实）", "another Chinese default table (attribution unconfirmed)"),
    },
    "methods.electricity_tce": {"equivalent": ("当量值", "equivalent"), "equal-value": ("等价值", "equal value")},
    "methods.non_co2": {True: ("计入 CH4、N2O", "CH4 and N2O counted"), False: ("不计入，仅 CO2", "CO2 only")},
    "methods.clean_energy": {
        "natural_gas+non_fossil": ("天然气 + 非化石能源", "natural gas + non-fossil"),
        "non_fossil": ("非化石能源", "non-fossil only"),
    },
}

#: How the status of an indicator or target reads, Chinese and English (the words of CODES["status"]).
STATUS_LABELS = {code: f"{zh} {en}" for code, (zh, en) in CODES["status"].items()}
#: The colour of a status cell, by status.
STATUS_COLOURS = {
    "achieved": "green",
    "achieved_early": "green",
    "gap": "red",
    "not_achieved": "red",
    "missing_data": "grey",
    "not_applicable": "grey",
    "in_progress": "yellow",
    "retrofitted": "green",
    "completed": "green",
}
#: Boolean columns whose true cells are coloured, and the colour.
FLAG_COLOURS = {"overdue": "red", "fallback": "yellow", "flag": "yellow"}


@dataclass(frozen=True)
class Chart:
    """One native chart on the summary, fed from the chart-data sheet."""

    name: str
    kind: str
    title: tuple[str, str]


CHARTS: tuple[Chart, ...] = (
    Chart("by_sub_park", "column", ("各片区排放（范围一+二，tCO2）", "emissions by sub-park, scope 1 + 2 (tCO2)")),
    Chart("by_industry", "column", ("各行业排放（范围一+二，tCO2）", "emissions by industry, scope 1 + 2 (tCO2)")),
    Chart(
        "energy_mix", "pie", ("能源消费结构（扣除加工转换产出，tce）", "energy mix, net of conversion outputs (tce)")
    ),
    Chart("attainment", "bar", ("指标达标程度（1 = 恰好达到阈值）", "attainment (1 = threshold met)")),
    Chart("trajectory", "line", ("园区排放轨迹（附件4，tCO2）", "trajectory of E_park (tCO2)")),
)
#: Category labels of the trajectory chart.
TRAJECTORY = (
    ("{year} 基准年", "{year} baseline"),
    ("{year} 当年", "{year} current"),
    ("达到核心指标阈值", "at the core threshold"),
)


# -- the README ----------------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text for a cell of a Markdown table (a ``|`` in it would end the cell)."""
    return text.replace("|", "\\|")


def sheets_markdown() -> str:
    """The README's list of the sheets of the account workbook (see tools/update_glossary.py)."""
    lines = ["| sheet | table | one row per | what it shows |", "|---|---|---|---|"]
    for sheet in SHEETS:
        table = (f"`{sheet.table}`" + (f" (`kind` = {sheet.kind})" if sheet.kind else "")) if sheet.table else ""
        row = output_table(sheet.table).row if sheet.table else ""
        lines.append(f"| {sheet.name} | {table} | {_md(row)} | {_md(sheet.help)} |")
    return "\n".join(lines) + "\n"


def outputs_markdown() -> str:
    """The README's table of outputs: every column of every output table (see tools/update_glossary.py)."""
    lines = ["| sheet | table | column | 中文 | unit | meaning |", "|---|---|---|---|---|---|"]
    for spec in OUTPUTS:
        sheets = ", ".join(s.name for s in SHEETS if s.table == spec.name)
        for c in spec.columns:
            meaning = c.en if not c.help else f"{c.en}: {c.help}"
            lines.append(f"| {sheets} | `{spec.name}` | `{c.name}` | {c.zh} | {_md(c.unit)} | {_md(meaning)} |")
    return "\n".join(lines) + "\n"
