"""The annual carbon ledger workbook (碳账本): what a park hands in, and reading it back.

:func:`write_ledger` writes one sheet per account table with bilingual names and headers (``排放量
emissions_tco2``), thousands separators, fixed decimals, percentages, frozen headers, fitted widths, totals
rows, green/red status cells, native Excel charts on the summary sheet, and the run manifest (input SHA-256,
toolkit version, factor editions, method choices, time, and a digest of everything but the time). Values are
written, never formulas, and text from users is always text (xlsxwriter with ``strings_to_formulas`` off).
A hidden sheet ``_columns`` records each table's columns and dtypes, so :func:`read_ledger` gives back the
account's tables as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import platform
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook

from carbon._codes import categorical, encode
from carbon.account import AnnualAccount
from carbon.errors import LedgerFormatError, bilingual
from carbon.factorset import library
from carbon.names import carriers
from carbon.workbook.writer import _atomic, _print_setup
from carbon.workbook.xlsx import inspect_xlsx

__all__ = ["LEDGER_SHEETS", "read_ledger", "write_ledger"]

#: Sheet of each account table, in workbook order (the summary and the manifest are not tables).
LEDGER_SHEETS: dict[str, str] = {
    "intensities": "企业排放 Emissions",
    "energy": "能源消费 Energy",
    "projects": "节能降碳项目 Projects",
    "boilers": "锅炉改造 Boilers",
    "solid_waste": "固废利用 Solid waste",
    "green_power": "绿电 Green power",
    "green_factories": "绿色工厂 Green factories",
    "indicators": "零碳指标 Indicators",
    "targets": "目标进度 Targets",
    "factors": "排放因子 Factors",
    "emissions": "明细 Detail",
    "detail": "能耗明细 Energy detail",
}
SUMMARY = "封面汇总 Summary"
MANIFEST = "运行信息 Run manifest"
COLUMNS = "_columns"
TOTAL = "合计 total"

LABELS = {
    "level": "层级",
    "key": "对象",
    "enterprise_id": "统一社会信用代码",
    "name": "名称",
    "sub_park": "片区",
    "industry": "行业",
    "year": "年度",
    "month": "月份",
    "source": "来源",
    "carrier": "能源品种",
    "use": "用途",
    "scope": "范围",
    "scope2_method": "范围二方法",
    "gas": "气体",
    "quantity": "数量",
    "unit": "单位",
    "green_mwh": "绿电覆盖",
    "factor_id": "因子编号",
    "factor_value": "因子值",
    "custom_factor": "自定义因子",
    "emissions_tco2": "排放量",
    "input_sheet": "来源工作表",
    "input_row": "来源行",
    "scope1_tco2": "范围一",
    "scope2_location_tco2": "范围二(基于位置)",
    "scope2_market_tco2": "范围二(基于市场)",
    "total_location_tco2": "合计(基于位置)",
    "total_market_tco2": "合计(基于市场)",
    "total_tco2": "排放合计",
    "tce": "综合能耗",
    "tce_equivalent": "当量值",
    "tce_equal_value": "等价值",
    "output_value": "工业总产值",
    "added_value": "工业增加值",
    "tco2_per_tce": "单位能耗碳排放",
    "tco2_per_10k_yuan_output": "单位产值碳排放",
    "tco2_per_10k_yuan_added_value": "单位增加值碳排放",
    "baseline_total_tco2": "基准年排放",
    "baseline_tce": "基准年能耗",
    "baseline_tco2_per_tce": "基准年单位能耗碳排放",
    "change_total_pct": "排放变化",
    "change_tco2_per_tce_pct": "强度变化",
    "rank": "排名",
    "rows": "行数",
    "kind": "类型",
    "item_id": "编号",
    "category": "类别",
    "status": "状态",
    "responsible_unit": "责任单位",
    "responsible_person": "责任人",
    "planned_completion": "计划完成",
    "completion_date": "实际完成",
    "investment": "投资额",
    "saving_quantity": "年节能量",
    "saving_unit": "节能量单位",
    "saving_carrier": "节约能源品种",
    "declared_reduction": "申报减排量",
    "annual_reduction_tco2": "年减排量(核算)",
    "method": "方法",
    "share_of_year": "当年运行比例",
    "reduction_in_year_tco2": "当年减排量",
    "cumulative_reduction_tco2": "累计减排量",
    "difference_tco2": "申报与核算差",
    "difference_pct": "差异",
    "overdue": "逾期",
    "assumptions": "假设",
    "capacity": "额定蒸发量",
    "fuel_before": "改造前燃料",
    "fuel_after": "改造后方式",
    "retrofit_date": "改造日期",
    "heat_output": "年供热量",
    "fuel_before_quantity": "改造前燃料量",
    "fuel_before_unit": "改造前燃料单位",
    "efficiency_before": "改造前效率",
    "efficiency_after": "改造后效率",
    "efficiency_before_used": "改造前效率(采用)",
    "efficiency_after_used": "改造后效率(采用)",
    "fuel_before_gj": "改造前燃料热量",
    "energy_after_gj": "改造后用能",
    "before_tco2": "改造前排放",
    "after_tco2": "改造后排放",
    "heat_gj": "供热量",
    "saving_tce": "节能量",
    "waste_type": "固废类别",
    "generated": "产生量",
    "utilized": "综合利用量",
    "prior_stock_utilized": "其中往年贮存量",
    "disposed": "处置量",
    "stored": "贮存量",
    "utilization_rate": "综合利用率",
    "balance_t": "平衡差",
    "instrument": "绿电方式",
    "mwh": "电量",
    "certificate_id": "证书或合同编号",
    "count": "数量",
    "new_in_year": "当年新增",
    "energy_share": "能耗覆盖比例",
    "emissions_share": "排放覆盖比例",
    "enterprises": "企业",
    "indicator": "指标",
    "type": "类型",
    "value": "数值",
    "value_location": "数值(基于位置)",
    "value_market": "数值(基于市场)",
    "threshold": "阈值",
    "comparison": "比较",
    "gap": "差距",
    "gap_unit": "差距单位",
    "gap_green_mwh": "所需绿电",
    "threshold_id": "阈值编号",
    "note": "说明",
    "target": "目标值",
    "actual_year": "实际年度",
    "actual": "实际值",
    "progress": "进度",
    "id": "编号",
    "confidence": "可信度",
    "document": "文件",
    "number": "文号",
    "data_year": "数据年份",
    "requested_year": "请求年份",
    "fallback": "沿用往年",
    "tce_method": "折标方法",
    "tce_factor_id": "折标因子",
    "clean": "清洁能源",
    "tce_equivalent_method": "当量值方法",
    "tce_equivalent_factor_id": "当量值因子",
    "tce_equal_value_method": "等价值方法",
    "tce_equal_value_factor_id": "等价值因子",
    "above_designated_size": "规上企业",
}
STATUS_LABELS = {
    "achieved": "达标 achieved",
    "gap": "未达标 gap",
    "missing_data": "缺数据 missing data",
    "not_applicable": "不适用 not applicable",
    "not_achieved": "未达成 not achieved",
    "in_progress": "进行中 in progress",
    "not_evaluated": "未评估 not evaluated",
}


# -- formats ---------------------------------------------------------------------------------------------


class _Formats:
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


_FRACTIONS = {
    "share_of_year",
    "utilization_rate",
    "energy_share",
    "emissions_share",
    "progress",
    "efficiency_before",
    "efficiency_after",
    "efficiency_before_used",
    "efficiency_after_used",
}


def _num_format(column: str, dtype: object) -> str | None:
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "yyyy-mm-dd"
    if not pd.api.types.is_numeric_dtype(dtype):
        return None
    if column in (
        "year",
        "month",
        "input_row",
        "rows",
        "count",
        "new_in_year",
        "scope",
        "rank",
        "data_year",
        "requested_year",
        "actual_year",
    ):
        return "0"
    if column in _FRACTIONS:
        return "0.0%"
    if column.endswith("_pct") or column in ("difference_pct",):
        return "0.0"
    if column in (
        "tco2_per_tce",
        "baseline_tco2_per_tce",
        "value",
        "value_location",
        "value_market",
        "threshold",
        "factor_value",
        "target",
        "actual",
    ):
        return "#,##0.0000"
    if "tco2_per_10k" in column:
        return "#,##0.0000"
    return "#,##0.00"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _header(column: str) -> str:
    label = LABELS.get(column)
    return f"{label} {column}" if label else column


def _colour(column: str, value: object) -> str | None:
    if column == "status":
        return {
            "achieved": "green",
            "gap": "red",
            "not_achieved": "red",
            "missing_data": "grey",
            "not_applicable": "grey",
            "in_progress": "yellow",
            "retrofitted": "green",
            "completed": "green",
        }.get(value)
    if column == "overdue" and value is True:
        return "red"
    if column == "fallback" and value is True:
        return "yellow"
    return None


# -- writing ---------------------------------------------------------------------------------------------


def _write_table(
    book: xlsxwriter.Workbook,
    f: _Formats,
    sheet_name: str,
    frame: pd.DataFrame,
    totals: Mapping[str, float] | None = None,
    bold_rows: set[int] | None = None,
) -> None:
    """One table on its sheet, written row by row (the order constant-memory mode needs)."""
    sheet = book.add_worksheet(sheet_name)
    columns = list(frame.columns)
    bold_rows = bold_rows or set()
    widths: list[float] = []
    numbers: list[str | None] = []
    coloured: list[bool] = []
    for position, column in enumerate(columns):
        numbers.append(_num_format(column, frame[column].dtype))
        coloured.append(column in ("status", "overdue", "fallback"))
        sample = [_width(_show(v)) for v in frame[column].iloc[:300].tolist()]
        width = min(max(max([_width(_header(column)) * 0.6, *sample, 6]) + 2, 8), 48)
        widths.append(width)
        sheet.set_column(position, position, width)
        sheet.write_string(0, position, _header(column), f.header)
    sheet.set_row(0, 32)
    plain = [f.get(number) for number in numbers]
    writers = [_column_writer(sheet, frame[column].dtype) for column in columns]
    special = [position for position in range(len(columns)) if coloured[position]]
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        if row - 1 in bold_rows or special:
            bold = row - 1 in bold_rows
            for position, value in enumerate(values):
                colour = _colour(columns[position], value) if coloured[position] else None
                fmt = f.get(numbers[position], bold, colour) if (bold or colour) else plain[position]
                writers[position](row, position, value, fmt)
        else:
            for position, value in enumerate(values):
                writers[position](row, position, value, plain[position])
    if totals is not None:
        row = len(frame) + 1
        sheet.write_string(row, 0, TOTAL, f.get(None, True))
        for position, column in enumerate(columns[1:], start=1):
            if column in totals:
                _cell(sheet, row, position, totals[column], f.get(numbers[position], True))
            else:
                sheet.write_blank(row, position, None, f.get(None, True))
    sheet.freeze_panes(1, 0)
    if len(frame):
        sheet.autofilter(0, 0, len(frame), len(columns) - 1)
    # about 160 characters of column width read well on one A4 landscape page
    _print_setup(sheet, pages_wide=max(1, math.ceil(sum(widths) / 160)))


def _write_companion(book: xlsxwriter.Workbook, f: _Formats, sheet_name: str, frame: pd.DataFrame, path: Path) -> None:
    """A table too long for a worksheet: written to a Parquet file beside the workbook, the sheet says where."""
    _atomic(path, lambda temporary: frame.to_parquet(temporary, index=False))
    sheet = book.add_worksheet(sheet_name)
    sheet.write_string(
        0,
        0,
        f"{len(frame):,} 行，超出本工作簿的行数上限，已写入同目录文件 / {len(frame):,} rows: beyond this workbook's row limit, written beside it to",
        f.subtitle,
    )
    sheet.write_string(1, 0, path.name, f.text)
    sheet.write_string(
        2,
        0,
        "用 pandas.read_parquet 或 carbon.read_ledger 读取 / read it with pandas.read_parquet or carbon.read_ledger",
        f.text,
    )
    sheet.write_string(4, 0, "列 columns: " + ", ".join(map(str, frame.columns)), f.text)
    sheet.set_column(0, 0, 120)
    _print_setup(sheet, header_rows=0)


def _column_writer(sheet, dtype: object):
    """A cell writer chosen once per column from its dtype (the per-cell type checks cost more than xlsxwriter)."""
    if pd.api.types.is_float_dtype(dtype) and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        number, blank = sheet.write_number, sheet.write_blank

        def write_float(row, column, value, fmt):
            if value != value or value in (math.inf, -math.inf):  # NaN or infinite: blank
                blank(row, column, None, fmt)
            else:
                number(row, column, value, fmt)

        return write_float
    return lambda row, column, value, fmt: _cell(sheet, row, column, value, fmt)


def _show(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, (pd.Timestamp, dt.date)):
        return str(value)[:10]
    return str(value)


def _cell(sheet, row: int, column: int, value: object, fmt, name: str = "") -> None:
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


_SUMMARY_ROWS = [
    ("scope1_tco2", "范围一排放 Scope 1", "tCO2"),
    ("scope2_location_tco2", "范围二排放（基于位置）Scope 2, location-based", "tCO2"),
    ("scope2_market_tco2", "范围二排放（基于市场）Scope 2, market-based", "tCO2"),
    ("total_location_tco2", "排放合计（基于位置）Total, location-based", "tCO2"),
    ("total_market_tco2", "排放合计（基于市场）Total, market-based", "tCO2"),
    ("energy_tce", "综合能源消费量 Energy consumption", "tce"),
    ("carbon_per_energy_tco2_per_tce", "单位能耗碳排放 Carbon per unit of energy", "tCO2/tce"),
    ("clean_energy_share", "清洁能源消费占比 Clean-energy share", "%"),
    ("solid_waste_utilization_rate", "工业固废综合利用率 Solid-waste utilisation", "%"),
    ("waste_heat_utilization_rate", "余热余压利用率 Waste-heat utilisation", "%"),
    ("water_reuse_rate", "工业用水重复利用率 Water reuse", "%"),
    ("intensity_tco2_per_10k_yuan_output", "单位产值碳排放 tCO2 per 万元 output", "tCO2/万元"),
    ("intensity_tco2_per_10k_yuan_added_value", "单位增加值碳排放 tCO2 per 万元 added value", "tCO2/万元"),
    ("change_total_pct", "排放较基准年变化 Change against baseline", "%"),
    ("boiler_retrofits", "当年完成锅炉改造 Boilers retrofitted in the year", "台"),
    ("boiler_capacity_t_per_h", "改造锅炉容量 Capacity retrofitted", "蒸吨"),
    ("projects_completed", "当年完成节能降碳项目 Projects completed", "个"),
    ("reduction_tco2", "当年减排量 Reductions in the year", "tCO2"),
    ("green_power_mwh", "绿电（交易、绿证、直连）Green power", "MWh"),
    ("green_factories_national", "国家级绿色工厂 National green factories", "家"),
    ("green_factories_provincial", "省级绿色工厂 Provincial green factories", "家"),
]


def _key_values(sheet, row: int, pairs, fmt) -> int:
    """Label in column A, value in column B, from ``row`` down; returns the next free row."""
    for label, value in pairs:
        sheet.write_string(row, 0, label, fmt)
        _cell(sheet, row, 1, value, fmt)
        row += 1
    return row


def _write_summary(book: xlsxwriter.Workbook, f: _Formats, account: AnnualAccount) -> int:
    """The cover sheet; returns the row where the charts go (they are added once their data sheet exists)."""
    sheet = book.add_worksheet(SUMMARY)
    s = account.summary
    park = account.park
    sheet.write_string(0, 0, f"{park.get('name', '')} {account.year} 年度碳账本 / annual carbon ledger", f.title)
    facts = [
        ("所在省份 province", park.get("province", "")),
        ("报告年度 year", account.year),
        ("基准年 baseline year", s.get("baseline_year")),
        (
            "范围二方法 scope-2 method",
            f"{account.methods['scope2']}（结论按{'基于市场' if account.methods['scope2'] != 'location' else '基于位置'}）",
        ),
        ("燃料缺省因子 fuel factor set", account.methods["factor_set"]),
        ("电力折标 electricity tce", account.methods["electricity_tce"]),
        ("非二氧化碳 CH4/N2O", f"{account.methods['non_co2']}（GWP {account.methods['gwp']}）"),
        ("清洁能源口径 clean energy", account.methods["clean_energy"]),
    ]
    row = _key_values(sheet, 2, facts, f.text) + 1
    sheet.write_string(row, 0, "主要指标 headline figures", f.subtitle)
    row += 1
    for key, label, unit in _SUMMARY_ROWS:
        value = s.get(key)
        is_share = unit == "%" and key != "change_total_pct"
        sheet.write_string(row, 0, label, f.text)
        _cell(
            sheet,
            row,
            1,
            value,
            f.get(
                "0.0%"
                if is_share
                else ("0.0" if key == "change_total_pct" else ("#,##0.0000" if "per" in key else "#,##0.00"))
            ),
        )
        sheet.write_string(row, 2, unit if not is_share else "", f.text)
        row += 1
    row += 1
    sheet.write_string(row, 0, "零碳园区指标 zero-carbon-park indicators（发改环资〔2025〕910号）", f.subtitle)
    row += 1
    indicators = account.indicators
    for position, text in enumerate(("指标 indicator", "数值 value", "阈值 threshold", "状态 status", "差距 gap")):
        sheet.write_string(row, position, text, f.header)
    row += 1
    for item in indicators.itertuples(index=False):
        sheet.write_string(row, 0, f"{item.indicator}", f.text)
        _cell(sheet, row, 1, item.value, f.get("#,##0.00"))
        sheet.write_string(
            row,
            2,
            f"{item.comparison} {item.threshold:g} {item.unit if item.unit in ('%', 'tCO2/tce') else ''}".strip(),
            f.text,
        )
        sheet.write_string(
            row, 3, STATUS_LABELS.get(item.status, item.status), f.get(None, False, _colour("status", item.status))
        )
        gap = (
            ""
            if item.gap is None or (isinstance(item.gap, float) and math.isnan(item.gap)) or item.gap == 0
            else f"{item.gap:,.0f} {item.gap_unit}"
        )
        sheet.write_string(row, 4, gap, f.text)
        row += 1
    if account.notes:
        row += 1
        sheet.write_string(row, 0, "说明 notes", f.subtitle)
        row += 1
        for note in account.notes:
            sheet.write_string(row, 0, note, f.text)
            row += 1
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 2, 16)
    sheet.set_column(3, 3, 22)
    sheet.set_column(4, 4, 20)
    sheet.write_string(row + 1, 0, "图表 charts", f.subtitle)
    _print_setup(sheet, header_rows=0)
    sheet.set_portrait()
    return row + 2


CHART_DATA = "图表数据 Chart data"


def _charts(book: xlsxwriter.Workbook, f: _Formats, sheet, account: AnnualAccount, first_row: int) -> None:
    """Native charts below the summary, fed from the chart-data sheet (written last, before the manifest)."""
    blocks: list[tuple[str, str, list[str], list[float]]] = []
    by_sub = account.by("sub_park")
    blocks.append(
        (
            "column",
            "各片区排放 emissions by sub-park (tCO2)",
            by_sub["key"].astype(str).tolist(),
            by_sub["total_tco2"].tolist(),
        )
    )
    by_industry = account.by("industry").sort_values("total_tco2", ascending=False)
    blocks.append(
        (
            "column",
            "各行业排放 emissions by industry (tCO2)",
            by_industry["key"].astype(str).tolist(),
            by_industry["total_tco2"].tolist(),
        )
    )
    names = carriers().set_index("id")["name_zh"]
    mix = account.energy.groupby("carrier")["tce_equivalent"].sum().sort_values(ascending=False)
    blocks.append(("pie", "能源消费结构 energy mix (tce)", [str(names.get(c, c)) for c in mix.index], mix.tolist()))
    attainment = []
    for item in account.indicators.itertuples(index=False):
        missing = item.value is None or (isinstance(item.value, float) and math.isnan(item.value))
        if missing or item.indicator == "product_energy_level":
            attainment.append(float("nan"))
        elif item.comparison == "<=":
            attainment.append(item.threshold / item.value if item.value else float("nan"))
        else:
            attainment.append(item.value / item.threshold)
    blocks.append(
        ("bar", "指标达标程度 attainment (1 = threshold met)", account.indicators["indicator"].tolist(), attainment)
    )
    s = account.summary
    core = account.indicators.set_index("indicator").loc["carbon_per_energy"]
    blocks.append(
        (
            "line",
            "排放轨迹 trajectory (tCO2)",
            [f"{s['baseline_year']} 基准 baseline", f"{account.year} 当年 current", "达标 at the core threshold"],
            [s.get("baseline_total_tco2", float("nan")), s["total_tco2"], core["threshold"] * s["energy_tce"]],
        )
    )
    data = book.add_worksheet(CHART_DATA)
    data.write_string(0, 0, "图表数据（由封面图表引用）/ data behind the summary charts", f.subtitle)
    row = 2
    quoted = f"'{CHART_DATA}'"
    for number, (kind, title, categories, values) in enumerate(blocks):
        data.write_string(row, 0, title, f.text)
        for offset, (category, value) in enumerate(zip(categories, values, strict=True), start=1):
            data.write_string(row + offset, 0, category, f.text)
            _cell(data, row + offset, 1, value, f.get("#,##0.00"))
        first, last = row + 2, row + 1 + len(categories)
        row += len(categories) + 2
        if not categories:
            continue
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
    data.set_column(0, 0, 40)
    data.set_column(1, 1, 18)
    _print_setup(data, header_rows=0)


def _manifest(account: AnnualAccount) -> tuple[list[tuple[str, object]], str]:
    from carbon import __version__

    factors = account.factors
    used = library().set_index("id")
    files = sorted({used.at[i, "file"] for i in factors["id"] if i in used.index})
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


def _write_manifest(book: xlsxwriter.Workbook, f: _Formats, account: AnnualAccount, created: dt.datetime) -> str:
    sheet = book.add_worksheet(MANIFEST)
    entries, digest = _manifest(account)
    sheet.write_string(0, 0, "运行信息 run manifest", f.title)
    row = 2
    rows = [*entries, ("manifest_digest", digest), ("generated_at", created.isoformat(timespec="seconds"))]
    sheet.write_string(row, 0, "[manifest]", f.subtitle)
    row = _key_values(sheet, row + 1, rows, f.text) + 1
    sheet.write_string(row, 0, "[summary]", f.subtitle)
    row += 1
    for key, value in account.summary.items():
        sheet.write_string(row, 0, key, f.text)
        _cell(sheet, row, 1, value, f.get("General"))
        sheet.write_string(
            row, 2, type(value).__name__ if not isinstance(value, (np.floating, np.integer)) else "float", f.text
        )
        row += 1
    row += 1
    sheet.write_string(row, 0, "[notes]", f.subtitle)
    row += 1
    for note in account.notes:
        sheet.write_string(row, 0, note, f.text)
        row += 1
    row += 1
    sheet.write_string(row, 0, "[park]", f.subtitle)
    row += 1
    for key, value in account.park.items():
        sheet.write_string(row, 0, key, f.text)
        sheet.write_string(
            row, 1, json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False), f.text
        )
        row += 1
    sheet.write_string(
        row + 1,
        0,
        "表格列及类型见隐藏工作表 _columns / column types of every table are on the hidden sheet _columns",
        f.text,
    )
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90)
    _print_setup(sheet, header_rows=0)
    return digest


def _sheet_frames(account: AnnualAccount) -> list[tuple[str, str, pd.DataFrame, dict | None, set[int]]]:
    tables = account._tables  # read only
    out = []
    intensities = tables["intensities"]
    # rows keep the account's order (enterprises, sub-parks, industries, park); rank orders the enterprises
    totals = intensities["total_tco2"].where(intensities["level"] == "enterprise")
    ordered = intensities.assign(rank=totals.rank(ascending=False, method="min").astype("Int64"))
    first = ["level", "key", "name", "sub_park", "industry", "rank", "total_tco2", "tce", "tco2_per_tce"]
    ordered = ordered[[c for c in first if c in ordered.columns] + [c for c in ordered.columns if c not in first]]
    bold = {i for i, level in enumerate(ordered["level"]) if level == "park"}
    out.append(("intensities", LEDGER_SHEETS["intensities"], ordered, None, bold))
    energy = tables["energy"]
    out.append(
        (
            "energy",
            LEDGER_SHEETS["energy"],
            energy,
            {
                "tce_equivalent": energy["tce_equivalent"].sum(),
                "tce_equal_value": energy["tce_equal_value"].sum(skipna=False),
            },
            set(),
        )
    )
    reductions = tables["reductions"]
    for kind, name in (("project", "projects"), ("boiler", "boilers")):
        part = reductions[reductions["kind"] == kind] if len(reductions) else reductions
        part = part.dropna(axis=1, how="all") if len(part) else part
        sums = {
            c: part[c].sum()
            for c in (
                "investment",
                "annual_reduction_tco2",
                "reduction_in_year_tco2",
                "cumulative_reduction_tco2",
                "capacity",
                "heat_gj",
                "saving_tce",
            )
            if c in part.columns
        }
        out.append(("reductions", LEDGER_SHEETS[name], part, sums, set()))
    for name in (
        "solid_waste",
        "green_power",
        "green_factories",
        "indicators",
        "targets",
        "factors",
        "emissions",
        "detail",
    ):
        frame = tables[name]
        totals = None
        if name == "green_power":
            totals = {"mwh": frame["mwh"].sum()}
        bold = {i for i, level in enumerate(frame["level"]) if level == "park"} if name == "solid_waste" else set()
        out.append((name, LEDGER_SHEETS[name], frame, totals, bold))
    return out


#: A table with more rows than this goes to a Parquet file beside the workbook (Excel stops at 1,048,576 rows).
ROW_LIMIT = 1_000_000


def write_ledger(
    account: AnnualAccount, path: str | Path, *, created: dt.datetime | None = None, row_limit: int = ROW_LIMIT
) -> Path:
    """Write the annual carbon ledger workbook of ``account`` to ``path`` (written beside it and renamed).

    Sheets: 封面汇总 Summary (park, methods, headline figures, indicator verdicts, charts), one sheet per
    account table (see :data:`LEDGER_SHEETS`), 运行信息 Run manifest, and the hidden _columns.
    ``created`` fixes the time recorded (default: now, UTC). A table longer than ``row_limit`` rows (the
    emission facts of a province, say) is written to ``<workbook>.<table>.parquet`` beside the workbook and
    its sheet says so; :func:`read_ledger` reads it back. Written in xlsxwriter's constant-memory mode.
    """
    target = Path(path)
    created = created or dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def write(temporary: str) -> None:
        book = xlsxwriter.Workbook(
            temporary,
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "nan_inf_to_errors": False,
                "constant_memory": True,
            },
        )
        book.set_properties({"title": f"{account.park.get('name', '')} {account.year} 碳账本", "created": created})
        f = _Formats(book)
        chart_row = _write_summary(book, f, account)
        meta = []
        for table, sheet, frame, totals, bold in _sheet_frames(account):
            location = sheet
            if len(frame) > row_limit:
                companion = target.with_name(f"{target.stem}.{table}.parquet")
                _write_companion(book, f, sheet, frame, companion)
                location = f"file:{companion.name}"
            else:
                _write_table(book, f, sheet, frame, totals, bold)
            original = account._tables[table]  # read only: no copy of every table per sheet
            for position, column in enumerate(original.columns):
                meta.append((table, location, column, str(original[column].dtype), position))
        _charts(book, f, book.get_worksheet_by_name(SUMMARY), account, chart_row)
        _write_manifest(book, f, account, created)
        columns = book.add_worksheet(COLUMNS)
        for position, text in enumerate(("table", "sheet", "column", "dtype", "position")):
            columns.write_string(0, position, text)
        for row, values in enumerate(meta, start=1):
            for position, value in enumerate(values):
                _cell(columns, row, position, value, None)
        columns.hide()
        book.get_worksheet_by_name(SUMMARY).activate()
        book.close()

    return _atomic(path, write)


# -- reading ---------------------------------------------------------------------------------------------


def _cast(values: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("datetime64"):
        return pd.to_datetime(values.replace("", None)).astype(dtype)
    if dtype.lower().startswith(("float", "int")):  # float64, int8, Int16, Int32, Int64...
        numeric = pd.to_numeric(values.replace("", None), errors="coerce")
        return numeric.astype(dtype)
    if dtype in ("bool", "boolean"):
        cleaned = values.replace("", None)
        return cleaned.astype("boolean").astype(dtype) if dtype == "bool" else cleaned.astype("boolean")
    out = values.astype(object)
    out = out.where(out.ne("") & out.notna(), np.nan)
    if dtype in ("str", "string"):
        return out.astype(dtype)
    if dtype == "category":  # the per-fact tables: categories are the values that occur, sorted
        codes, distinct = encode(out.to_numpy(dtype=object))
        return pd.Series(categorical(codes, distinct), index=out.index)
    return out


def _grid(book: CalamineWorkbook, name: str) -> list[list[object]]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def read_ledger(path: str | Path) -> AnnualAccount:
    """Read a ledger workbook written by :func:`write_ledger` back into an :class:`AnnualAccount`.

    The tables equal the originals to float precision (dtypes restored from the hidden ``_columns`` sheet);
    totals rows are skipped. Raises :class:`LedgerFormatError` when the workbook is not such a ledger.
    """
    info = inspect_xlsx(path)
    names = {s.name for s in info.sheets}
    if COLUMNS not in names or MANIFEST not in names:
        raise LedgerFormatError(
            bilingual(
                f"{path} 不是 carbon 生成的碳账本（缺少 {COLUMNS} 或 {MANIFEST}）",
                f"{path} is not a carbon ledger workbook (no {COLUMNS} or {MANIFEST} sheet)",
            )
        )
    book = CalamineWorkbook.from_path(str(path))
    meta = pd.DataFrame(_grid(book, COLUMNS)[1:], columns=["table", "sheet", "column", "dtype", "position"])
    meta["position"] = meta["position"].astype(int)
    tables: dict[str, pd.DataFrame] = {}
    for table, spec in meta.groupby("table", sort=False):
        spec = spec.sort_values("position")
        order = spec.drop_duplicates("column")["column"].tolist()
        dtypes = dict(zip(spec["column"], spec["dtype"], strict=False))
        parts = []
        for sheet in spec["sheet"].drop_duplicates():
            if sheet.startswith("file:"):
                parts.append(pd.read_parquet(Path(path).with_name(sheet.removeprefix("file:"))).astype(object))
                continue
            grid = _grid(book, sheet)
            header = [str(h).split(" ")[-1] for h in grid[0]]
            body = [r for r in grid[1:] if r and r[0] != TOTAL]
            frame = (
                pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(columns=header, dtype=object)
            )
            frame = frame.drop(columns=[c for c in frame.columns if c not in order])
            parts.append(frame)
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        frame = frame.reindex(columns=order)
        for column in order:
            frame[column] = _cast(frame[column], dtypes[column])
        tables[table] = frame.reset_index(drop=True)

    manifest = _grid(book, MANIFEST)
    sections: dict[str, list[list[object]]] = {}
    current = None
    for row in manifest:
        first = row[0] if row else ""
        if isinstance(first, str) and first.startswith("[") and first.endswith("]"):
            current = first[1:-1]
            sections[current] = []
        elif first == "" or first is None:
            current = None  # a blank row ends a section
        elif current:
            sections[current].append(row)
    entries = {str(r[0]): r[1] for r in sections.get("manifest", [])}
    summary: dict[str, object] = {}
    for key, value, kind, *_ in sections.get("summary", []):
        if kind == "int":
            summary[key] = int(value)
        elif kind == "bool":
            summary[key] = bool(value)
        elif kind == "float":
            summary[key] = float("nan") if value == "" else float(value)
        else:
            summary[key] = value
    park = {str(r[0]): json.loads(r[1]) for r in sections.get("park", [])}
    if isinstance(park.get("sub_parks"), list):
        park["sub_parks"] = tuple(park["sub_parks"])
    methods = {k.removeprefix("method_"): v for k, v in entries.items() if k.startswith("method_")}
    methods["non_co2"] = methods.get("non_co2") in (True, "True", "true", 1)
    notes = tuple(str(r[0]) for r in sections.get("notes", []))
    source = {
        "path": str(entries.get("input_file", "")),
        "sha256": str(entries.get("input_sha256", "")),
        "manifest_digest": str(entries.get("manifest_digest", "")),
    }
    return AnnualAccount(
        int(entries["year"]),
        MappingProxyType(park),
        MappingProxyType(methods),
        MappingProxyType(summary),
        notes,
        MappingProxyType(tables),
        MappingProxyType(source),
    )


def ledger_frames(account: AnnualAccount) -> list[tuple[str, pd.DataFrame]]:
    """The (sheet, table) pairs the ledger writes, for benchmarks that write the same cells."""
    return [(sheet, frame) for _, sheet, frame, _, _ in _sheet_frames(account)]
