"""Validation of the ledger tables: every problem collected, each at its sheet and cell.

The input is one :class:`RawTable` per table (raw cell values under the glossary column names, with the
Excel row number of every row and the letter of every column) and the raw park facts. The output is the
typed tables, or None when any error was found; the report always says what happened to every row.

Order of work: per column, parse (tolerant, :mod:`carbon.workbook.cells`); per cell, required and range
checks; per row, the pydantic model (:mod:`carbon.models`) as the last gate; then the rules across rows and
tables (duplicates, references, units that must fit the carrier, balances, green power against
electricity use, certificates claimed twice).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from carbon.errors import CarbonError
from carbon.schema.models import row_model
from carbon.names import carriers, regions, resolve_region
from carbon.problems import Problem, ReadReport, SheetCount
from carbon.schema import CERTIFICATE_UNITS, INDICATOR_UNITS, TABLES, Column, Table, table
from carbon.units import conversion_factor, normalize_unit_text, parse_unit, ureg
from carbon.uscc import uscc_problem
from carbon.workbook import cells

__all__ = ["RawPark", "RawTable", "validate_tables"]


@dataclass
class RawTable:
    """One table as read: raw values under glossary names, Excel row numbers, column letters."""

    table: Table
    sheet: str
    frame: pd.DataFrame
    rows: pd.Series
    letters: dict[str, str]
    blank_rows: int = 0
    rows_read: int = 0
    header_row: int | None = None


@dataclass
class RawPark:
    """The park facts as read: glossary name -> (raw value, cell)."""

    sheet: str
    values: dict[str, tuple[object, str]]


class _Collector:
    """Adds problems to the report; remembers rejected rows and cells already explained."""

    def __init__(self, report: ReadReport, blocked: set[tuple[str, str]]) -> None:
        self.report = report
        self.blocked = blocked
        self.rejected: dict[str, set[object]] = {}
        self.flagged: set[tuple[str, str]] = set()

    def cell(
        self,
        raw: RawTable,
        index: object,
        column: str,
        zh: str,
        en: str,
        code: str,
        severity: str = "error",
        value: object = None,
    ) -> None:
        letter = raw.letters.get(column, "")
        row = int(raw.rows[index])
        ref = f"{letter}{row}" if letter else f"row {row}"
        key = (raw.sheet, ref)
        if key in self.blocked:
            return  # the cell already carries a more basic problem (an uncalculated formula)
        if severity == "error":
            self.rejected.setdefault(raw.table.name, set()).add(index)
            if key in self.flagged:
                return  # one error per cell: the first reason found
            self.flagged.add(key)
        if value is None and column in raw.frame.columns:
            value = raw.frame.at[index, column]
        self.report.add(
            Problem(severity, raw.sheet, ref, _show(value), zh, en, code, column=column, row=row)  # type: ignore[arg-type]
        )

    def sheet(
        self, sheet: str, zh: str, en: str, code: str, severity: str = "error", cell: str = "", value: str = ""
    ) -> None:
        self.report.add(Problem(severity, sheet, cell, value, zh, en, code))  # type: ignore[arg-type]


def _show(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


# -- per column ---------------------------------------------------------------------------------------------


def _parse_column(raw: RawTable, column: Column, date1904: bool) -> cells.Parsed:
    values = raw.frame[column.name]
    if column.kind not in ("number", "percent", "year", "month"):
        # labels repeat: parse each distinct value once and spread the result over the rows
        return cells.by_unique(values, lambda distinct: _parse_values(raw, column, distinct, date1904))
    return _parse_values(raw, column, values, date1904)


def _parse_values(raw: RawTable, column: Column, values: pd.Series, date1904: bool) -> cells.Parsed:
    kind = column.kind
    if kind in ("text", "enterprise", "enterprise_id"):
        return cells.parse_text(values, column)
    if kind in ("number", "percent"):
        unit_column = {
            "quantity": "unit",
            "saving_quantity": "saving_unit",
            "fuel_before_quantity": "fuel_before_unit",
            "value": "unit",
        }
        companion = unit_column.get(column.name)
        row_units = raw.frame[companion] if companion in raw.frame.columns else None
        return cells.parse_number(values, column, row_units)
    if kind in ("year", "month"):
        return cells.parse_number(values, column, integer=True)
    if kind == "date":
        return cells.parse_date(values, column, date1904)
    if kind == "choice":
        return cells.parse_choice(values, column)
    if kind == "bool":
        return cells.parse_bool(values, column)
    if kind == "carrier":
        return cells.parse_carrier(values, column)
    if kind == "unit":
        extra = CERTIFICATE_UNITS if raw.table.name == "green_power" else ()
        return cells.parse_unit_column(values, column, extra)
    if kind == "list":
        return cells.parse_list(values, column)
    raise ValueError(kind)  # pragma: no cover - the schema only uses the kinds above


def _typed(raw: RawTable, out: _Collector, date1904: bool) -> pd.DataFrame:
    typed = pd.DataFrame(index=raw.frame.index)
    for column in raw.table.columns:
        if column.name not in raw.frame.columns:
            # an absent column is blank: NaN for numbers (so comparisons stay numeric), None for text
            numeric = column.kind in ("number", "percent")
            blank = 0.0 if column.blank_means_zero else np.nan  # documented default, as for blank cells
            typed[column.name] = pd.Series(blank, index=typed.index, dtype=float if numeric else object)
            if column.required:
                where_zh = f"表头（第 {raw.header_row} 行）" if raw.header_row else "表"
                where_en = f"the header (row {raw.header_row})" if raw.header_row else "the table"
                out.sheet(
                    raw.sheet,
                    f"{where_zh}缺少必填列「{column.header}」",
                    f"{where_en} lacks the required column {column.header!r}",
                    "missing_column",
                )
                out.rejected.setdefault(raw.table.name, set()).update(raw.frame.index)
            continue
        parsed = _parse_column(raw, column, date1904)
        for index, (zh, en) in parsed.reasons.items():
            out.cell(raw, index, column.name, zh, en, "unreadable")
        values = parsed.values
        missing = values.isna()
        if column.required:
            explained = missing & values.index.isin(list(parsed.reasons))
            for index in values.index[missing & ~explained]:
                out.cell(raw, index, column.name, "必填，不能为空", "required; the cell is empty", "required")
        elif column.blank_means_zero and missing.any():
            values = values.where(~missing, 0.0)
        if column.minimum is not None or column.maximum is not None:
            numbers = pd.to_numeric(values, errors="coerce")
            if column.minimum is not None:
                low = numbers < column.minimum
                for index in values.index[low]:
                    if column.minimum == 0:
                        out.cell(raw, index, column.name, "不能为负数", "must not be negative", "negative")
                    else:
                        out.cell(
                            raw,
                            index,
                            column.name,
                            f"应不小于 {_percent(column.minimum, column)}",
                            f"must be at least {_percent(column.minimum, column)}",
                            "range",
                            value=_percent(numbers[index], column),
                        )
            if column.maximum is not None:
                high = numbers > column.maximum
                for index in values.index[high]:
                    out.cell(
                        raw,
                        index,
                        column.name,
                        f"应不大于 {_percent(column.maximum, column)}",
                        f"must be at most {_percent(column.maximum, column)}",
                        "range",
                        value=_percent(numbers[index], column),
                    )
        if pd.api.types.is_float_dtype(values.dtype):
            absurd = values.abs() > MAX_MAGNITUDE
            for index in values.index[absurd.fillna(False)]:
                out.cell(
                    raw,
                    index,
                    column.name,
                    f"数值大得不合理（超过 {MAX_MAGNITUDE:.0e}），请检查单位和小数点",
                    f"implausibly large (above {MAX_MAGNITUDE:.0e}): check the unit and the decimal point",
                    "magnitude",
                )
        if column.kind in ("year", "month"):
            low, high = (1990, 2100) if column.kind == "year" else (1, 12)
            outside = values.notna() & ((values < low) | (values > high))
            for index in values.index[outside]:
                out.cell(
                    raw, index, column.name, f"应在 {low}–{high} 之间", f"must be between {low} and {high}", "range"
                )
        typed[column.name] = values
    zeroed = [c.name for c in raw.table.columns if c.blank_means_zero and c.name in raw.frame.columns]
    for name in zeroed:
        count = int(cells.blank(raw.frame[name]).sum())
        if count:
            out.sheet(
                raw.sheet,
                f"「{raw.table.column(name).zh}」有 {count} 个空白单元格按 0 计",
                f"{count} blank {name} cell(s) counted as 0",
                "blank_as_zero",
                "notice",
            )
    return typed


def _percent(value: float, column: Column) -> str:
    return f"{value * 100:g}%" if column.kind == "percent" else f"{value:g}"


# -- per row: the pydantic gate ----------------------------------------------------------------------------


def _pydantic_gate(raw: RawTable, typed: pd.DataFrame, out: _Collector) -> None:
    """The row model as the last gate, applied to each column's distinct values.

    The models have no rule that spans fields, so checking every distinct value of every field against its
    annotated type and constraints is the same as validating every row, at a cost that grows with the number
    of distinct values instead of rows."""
    rejected = out.rejected.get(raw.table.name, set())
    candidates = typed.loc[~typed.index.isin(list(rejected))]
    if candidates.empty:
        return
    model = row_model(raw.table.name)
    for name, info in model.model_fields.items():
        if name not in candidates.columns:
            continue
        values = candidates[name]
        values = values[values.notna()]
        if values.empty:
            continue
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            values = values.dt.date
        codes, distinct = pd.factorize(values)
        annotation = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        adapter = TypeAdapter(list[annotation])  # type: ignore[valid-type]
        python_values = [v.item() if hasattr(v, "item") else v for v in distinct.tolist()]
        try:
            adapter.validate_python(python_values)
        except ValidationError as exc:
            for error in exc.errors():
                bad = int(error["loc"][0])
                for index in values.index[codes == bad]:
                    out.cell(raw, index, name, f"不符合要求：{error['msg']}", f"invalid: {error['msg']}", "model")


# -- across rows and tables --------------------------------------------------------------------------------


def _duplicates(raw: RawTable, typed: pd.DataFrame, out: _Collector) -> None:
    """Every later occurrence of a key is reported, citing the row of the first."""
    key = [k for k in raw.table.key if k in typed.columns]
    if not key:
        return
    keys = typed[key].astype(str)
    complete = typed[[k for k in key if raw.table.column(k).required]].notna().all(axis=1)
    later = keys.duplicated(keep="first") & complete
    if not later.any():
        return
    severity = "warning" if raw.table.name == "energy" else "error"
    first = keys[complete & ~keys.duplicated(keep="first")]
    first_row = {
        tuple(values): int(raw.rows[index])
        for index, values in zip(first.index, first.itertuples(index=False), strict=True)
    }
    names = "、".join(raw.table.column(k).zh for k in key)
    for index in typed.index[later]:
        other = first_row[tuple(keys.loc[index])]
        zh = f"与第 {other} 行重复（{names} 相同）"
        en = f"duplicate of row {other} (same {', '.join(key)})"
        if severity == "warning":
            zh += "；两行都计入"
            en += "; both rows are counted"
        out.cell(raw, index, key[0], zh, en, "duplicate", severity=severity)


def _references(raw: RawTable, typed: pd.DataFrame, ids: set[str], out: _Collector) -> None:
    if "enterprise_id" not in typed.columns or raw.table.name == "enterprises":
        return
    values = typed["enterprise_id"]
    unknown = values.notna() & ~values.isin(ids)
    for index in values.index[unknown]:
        out.cell(
            raw,
            index,
            "enterprise_id",
            "「企业」表中没有该企业",
            "no such enterprise on the enterprises sheet",
            "unknown_enterprise",
        )


#: No figure of a park ledger comes near this (a province uses about 1e12 kWh a year), and above it float64
#: no longer holds every integer (2**53 is about 9e15): a larger value is a typing or unit error.
MAX_MAGNITUDE = 1e15

_DIMENSION = {
    kind: ureg.parse_units(u).dimensionality for kind, u in (("mass", "t"), ("volume", "m3"), ("energy", "GJ"))
}
_KIND_ZH = {
    "mass": ("质量（吨、千克）", "a mass (t, kg)"),
    "volume": ("体积（Nm3、万Nm3）", "a volume (Nm3, 万Nm3)"),
    "energy": ("能量（kWh、GJ、tce）", "an energy (kWh, GJ, tce)"),
}


def _unit_fits(unit: str, carrier: str) -> tuple[str, str] | None:
    info = carriers().set_index("id")
    kind = info.at[carrier, "unit_kind"]
    try:
        dimension = parse_unit(unit).dimensionality
    except CarbonError:
        return None  # reported by the unit column itself
    if dimension == _DIMENSION[kind] or dimension == _DIMENSION["energy"]:
        return None
    zh, en = _KIND_ZH[kind]
    extra_zh, extra_en = ("或能量（GJ）", " or an energy (GJ)") if kind != "energy" else ("", "")
    hint_zh, hint_en = ("；蒸汽请按焓值折算为 GJ", "; give steam as heat in GJ") if carrier == "steam" else ("", "")
    return (
        f"单位「{unit}」不适用于{info.at[carrier, 'name_zh']}，应为{zh}{extra_zh}{hint_zh}",
        f"unit {unit!r} does not fit {carrier}: expected {en}{extra_en}{hint_en}",
    )


def _check_units(raw: RawTable, typed: pd.DataFrame, unit: str, carrier: str, out: _Collector) -> None:
    pairs = typed[[unit, carrier]].dropna()
    if pairs.empty:
        return
    for (u, c), group in pairs.groupby([unit, carrier], sort=False):
        problem = _unit_fits(u, c)
        if problem:
            for index in group.index:
                out.cell(raw, index, unit, *problem, "unit_carrier")


def _mwh(quantity: pd.Series, unit: pd.Series) -> pd.Series:
    factors = {u: (1.0 if u in CERTIFICATE_UNITS else _safe_factor(u, "MWh")) for u in unit.dropna().unique()}
    return quantity * unit.map(factors).astype(float)


def _safe_factor(unit: str, target: str) -> float:
    try:
        return conversion_factor(unit, target)
    except CarbonError:
        return np.nan


def _energy_rules(raw: RawTable, typed: pd.DataFrame, out: _Collector) -> None:
    _check_units(raw, typed, "unit", "carrier", out)
    scope = typed.dropna(subset=["enterprise_id", "year", "carrier"]).copy()
    scope["use"] = scope["use"].fillna("fuel")
    scope["annual"] = scope["month"].isna()
    grouped = scope.groupby(["enterprise_id", "year", "carrier", "use"])["annual"]
    mixed = grouped.transform("any") & ~grouped.transform("all")
    for index in scope.index[mixed & scope["annual"]]:
        out.cell(
            raw,
            index,
            "month",
            "同一企业、年度、品种既有全年合计又有分月数据，会重复计算",
            "the same enterprise, year and carrier has both a whole-year row and monthly rows (double counting)",
            "annual_and_monthly",
        )


def _green_power_rules(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, out: _Collector, energy_refused: bool = False
) -> None:
    """Certificates claimed once; purchased green power at most the electricity used. ``energy`` None: no energy
    sheet (compared with no electricity); ``energy_refused``: the sheet was there but refused (not compared)."""
    units = typed["unit"]
    for index in typed.index[units.notna()]:
        unit = units[index]
        if unit not in CERTIFICATE_UNITS and np.isnan(_safe_factor(unit, "MWh")):
            out.cell(
                raw,
                index,
                "unit",
                "绿电单位应为 MWh、kWh、万kWh 或 张（绿证）",
                "green power is in MWh, kWh, 万kWh or 张 (certificates)",
                "unit_carrier",
            )
    needs_id = typed["instrument"].isin(["trade", "certificate"]) & typed["certificate_id"].isna()
    for index in typed.index[needs_id]:
        out.cell(
            raw,
            index,
            "certificate_id",
            "绿电交易和绿证须填写合同或证书编号",
            "a trade or certificate needs its contract or certificate id",
            "required",
        )
    certificates = typed[(typed["instrument"] == "certificate") & typed["certificate_id"].notna()]
    claimed = certificates["certificate_id"].duplicated(keep="first")
    for index in certificates.index[claimed]:
        same = certificates["certificate_id"] == certificates.at[index, "certificate_id"]
        first = int(raw.rows[certificates.index[same][0]])
        out.cell(
            raw,
            index,
            "certificate_id",
            f"同一绿证被重复申报（已见第 {first} 行）",
            f"the same certificate is claimed twice (first in row {first})",
            "certificate_twice",
        )
    if energy_refused:
        return
    if energy is None:
        energy = pd.DataFrame(columns=["enterprise_id", "year", "carrier", "quantity", "unit", "use"])
    purchased = typed[typed["instrument"].isin(["trade", "certificate", "direct_line"])].dropna(
        subset=["quantity", "unit", "enterprise_id", "year"]
    )
    if purchased.empty:
        return
    green = (
        _mwh(purchased["quantity"], purchased["unit"]).groupby([purchased["enterprise_id"], purchased["year"]]).sum()
    )
    power = energy[(energy["carrier"] == "electricity") & (energy["use"].fillna("fuel") == "fuel")].dropna(
        subset=["quantity", "unit"]
    )
    used = _mwh(power["quantity"], power["unit"]).groupby([power["enterprise_id"], power["year"]]).sum()
    used = used.reindex(green.index).fillna(0.0)
    over = green[green > used * (1 + 1e-9) + 1e-9]
    for (enterprise, year), total in over.items():
        rows = purchased[(purchased["enterprise_id"] == enterprise) & (purchased["year"] == year)]
        for index in rows.index:
            out.cell(
                raw,
                index,
                "quantity",
                f"该企业 {int(year)} 年绿电合计 {total:,.1f} MWh，大于「能源消费」表中的用电量 {used[(enterprise, year)]:,.1f} MWh",
                f"green power for {int(year)} totals {total:,.1f} MWh, more than the {used[(enterprise, year)]:,.1f} MWh of electricity on the energy sheet",
                "green_above_use",
            )


def _project_rules(raw: RawTable, typed: pd.DataFrame, out: _Collector) -> None:
    done = (typed["status"] == "completed") & typed["completion_date"].isna()
    for index in typed.index[done]:
        out.cell(
            raw,
            index,
            "completion_date",
            "已完成的项目须填写实际完成日期",
            "a completed project needs its completion date",
            "required",
        )
    early = (typed["status"] == "planned") & typed["completion_date"].notna()
    for index in typed.index[early]:
        out.cell(
            raw,
            index,
            "completion_date",
            "计划中的项目已填写实际完成日期，请核对进展",
            "a planned project has a completion date; check its status",
            "status_date",
            severity="warning",
        )
    has_saving = typed["saving_quantity"].notna()
    for column in ("saving_unit", "saving_carrier"):
        for index in typed.index[has_saving & typed[column].isna()]:
            out.cell(
                raw,
                index,
                column,
                "填写了年节能量时，须同时填写单位和能源品种",
                "an annual saving needs its unit and carrier",
                "required",
            )
    _check_units(raw, typed, "saving_unit", "saving_carrier", out)


def _boiler_rules(raw: RawTable, typed: pd.DataFrame, out: _Collector) -> None:
    neither = typed["heat_output"].isna() & (typed["fuel_before_quantity"].isna() | typed["fuel_before_unit"].isna())
    for index in typed.index[neither]:
        out.cell(
            raw,
            index,
            "heat_output",
            "须填写年供热量，或改造前年燃料消耗量及其单位",
            "give the annual heat output, or the annual fuel before with its unit",
            "required",
        )
    info = carriers().set_index("id")
    not_fuel = typed["fuel_before"].notna() & ~typed["fuel_before"].map(
        lambda c: "fuel" in info.at[c, "category"] if c in info.index else True
    )
    for index in typed.index[not_fuel]:
        out.cell(
            raw,
            index,
            "fuel_before",
            "改造前燃料应为燃料（如原煤、燃料油）",
            "the fuel before must be a fuel (raw coal, fuel oil ...)",
            "not_a_fuel",
        )
    fuels = typed.loc[~not_fuel]
    _check_units(raw, fuels, "fuel_before_unit", "fuel_before", out)


def _waste_rules(raw: RawTable, typed: pd.DataFrame, out: _Collector) -> None:
    g, u, p = (pd.to_numeric(typed[c], errors="coerce") for c in ("generated", "utilized", "prior_stock_utilized"))
    impossible = (p > u) | (u > (g + p) * (1 + 1e-9))
    for index in typed.index[p > u]:
        out.cell(
            raw,
            index,
            "prior_stock_utilized",
            "其中往年贮存量大于综合利用量",
            "prior-year stock utilised exceeds the total utilised",
            "waste_balance",
        )
    for index in typed.index[(u > (g + p) * (1 + 1e-9)) & ~(p > u)]:
        out.cell(
            raw,
            index,
            "utilized",
            f"综合利用量大于产生量与往年贮存量之和（{_show(g[index] + p[index])} t）",
            f"more utilised than generated plus prior stock ({_show(g[index] + p[index])} t)",
            "waste_balance",
        )
    balance = (u - p) + typed["disposed"] + typed["stored"]
    gap = (g - balance).abs()
    off = (gap > np.maximum(1.0, 0.01 * g)) & ~impossible
    for index in typed.index[off.fillna(False)]:
        out.cell(
            raw,
            index,
            "generated",
            f"产生量与去向不平衡：利用（不含往年）+ 处置 + 贮存 = {balance[index]:,.1f} t",
            f"the balance does not close: utilised (this year's) + disposed + stored = {balance[index]:,.1f} t",
            "waste_identity",
            severity="warning",
        )


def _resource_rules(raw: RawTable, typed: pd.DataFrame, out: _Collector) -> None:
    for part, whole, zh, en in (
        (
            "waste_heat_utilized",
            "waste_heat_recoverable",
            "余热利用量大于可回收量",
            "waste heat utilised exceeds the recoverable amount",
        ),
        ("water_reused", "water_total", "重复利用水量大于用水总量", "water reused exceeds total water use"),
    ):
        for index in typed.index[typed[part] > typed[whole]]:
            out.cell(raw, index, part, zh, en, "resource_balance")


def _target_rules(raw: RawTable, typed: pd.DataFrame, out: _Collector) -> pd.DataFrame:
    default = typed["indicator"].map(INDICATOR_UNITS)
    given = typed["unit"].map(lambda u: normalize_unit_text(u) if isinstance(u, str) else None)
    wrong = given.notna() & default.notna() & (given != default)
    for index in typed.index[wrong]:
        out.cell(
            raw,
            index,
            "unit",
            f"该指标的单位应为 {default[index]}",
            f"this indicator is stated in {default[index]}",
            "unit_indicator",
        )
    typed["unit"] = given.where(given.notna(), default)
    return typed


_PARAMETER_UNITS = {
    "ncv": ("GJ/t", "GJ/万Nm3"),
    "carbon_content": ("tC/TJ",),
    "oxidation_rate": ("%",),
    "electricity_co2": ("tCO2/MWh",),
}


def _custom_factor_rules(raw: RawTable, typed: pd.DataFrame, out: _Collector) -> None:
    for index in typed.index[typed["unit"].notna() & typed["parameter"].notna()]:
        parameter, unit = typed.at[index, "parameter"], typed.at[index, "unit"]
        allowed = _PARAMETER_UNITS[parameter]
        if not any(parse_unit(unit).dimensionality == parse_unit(a).dimensionality for a in allowed):
            out.cell(
                raw,
                index,
                "unit",
                f"单位应与 {' 或 '.join(allowed)} 同量纲",
                f"expected a unit like {' or '.join(allowed)}",
                "unit_parameter",
            )
    electricity = (
        (typed["parameter"] == "electricity_co2") & typed["carrier"].notna() & (typed["carrier"] != "electricity")
    )
    for index in typed.index[electricity]:
        out.cell(
            raw,
            index,
            "carrier",
            "供电排放因子的能源品种应为电力",
            "a supplier electricity factor applies to electricity",
            "not_electricity",
        )


def _enterprise_rules(raw: RawTable, typed: pd.DataFrame, sub_parks: tuple[str, ...] | None, out: _Collector) -> None:
    ids = typed["enterprise_id"]
    internal = typed["id_type"] == "internal"
    for index in typed.index[ids.notna() & ~internal]:
        problem = uscc_problem(str(ids[index]).upper())
        if problem:
            out.cell(
                raw,
                index,
                "enterprise_id",
                f"统一社会信用代码{problem[0]}；若为内部编码，请在「代码类型」选内部编码",
                f"unified social credit code {problem[1]}; mark internal codes as such in id_type",
                "uscc",
            )
    typed.loc[ids.notna() & ~internal, "enterprise_id"] = ids.str.upper()
    if sub_parks:
        unknown = typed["sub_park"].notna() & ~typed["sub_park"].isin(sub_parks)
        for index in typed.index[unknown]:
            out.cell(
                raw,
                index,
                "sub_park",
                f"不是「园区」表列出的片区：{'、'.join(sub_parks)}",
                f"not one of the park's sub-parks: {', '.join(sub_parks)}",
                "unknown_sub_park",
            )


# -- the park facts ----------------------------------------------------------------------------------------


def _park(raw: RawPark | None, out: _Collector, date1904: bool) -> dict[str, object] | None:
    spec = table("park")
    if raw is None:
        return None
    facts: dict[str, object] = {}
    ok = True
    for column in spec.columns:
        value, ref = raw.values.get(column.name, ("", ""))
        series = pd.Series([value], dtype=object)
        holder = RawTable(spec, raw.sheet, pd.DataFrame({column.name: series}), pd.Series([0]), {})
        parsed = _parse_column(holder, column, date1904)
        reason = parsed.reasons.get(0)
        parsed_value = parsed.values.iloc[0]
        missing = parsed_value is None or (isinstance(parsed_value, float) and np.isnan(parsed_value))
        if reason is None and missing and column.required:
            if column.name in raw.values:
                reason = ("必填，不能为空", "required; the cell is empty")
            else:
                reason = (
                    f"缺少项目「{column.header}」（A 列填项目，B 列填值）",
                    f"the fact {column.header!r} is missing (item in column A, value in column B)",
                )
        if reason is None and column.name == "province" and not missing:
            try:
                region = resolve_region(parsed_value)
                if regions().set_index("id").at[region, "level"] != "province":
                    raise KeyError(region)
                parsed_value = region
            except (CarbonError, KeyError):
                reason = ("应为省级行政区，如 青海", "expected a province, such as 青海 (Qinghai)")
        if reason:
            ok = False
            out.sheet(raw.sheet, reason[0], reason[1], "park", cell=ref, value=_show(value))
            continue
        facts[column.name] = int(parsed_value) if column.kind == "year" else parsed_value
    if ok and facts["baseline_year"] > facts["reporting_year"]:
        ok = False
        out.sheet(
            raw.sheet,
            "基准年晚于报告年度",
            "the baseline year is after the reporting year",
            "park",
            cell=raw.values["baseline_year"][1],
            value=str(facts["baseline_year"]),
        )
    if ok:
        facts["sub_parks"] = tuple(facts.get("sub_parks") or ())
        return facts
    return None


# -- driver ------------------------------------------------------------------------------------------------

_DTYPES = {"year": "Int64", "month": "Int64", "number": "float64", "percent": "float64", "bool": "boolean"}


def _finish(raw: RawTable, typed: pd.DataFrame) -> pd.DataFrame:
    frame = typed.copy()
    for column in raw.table.columns:
        dtype = _DTYPES.get(column.kind)
        if dtype:
            frame[column.name] = frame[column.name].astype(dtype)
        elif column.kind == "date":
            frame[column.name] = pd.to_datetime(frame[column.name])
        else:
            frame[column.name] = frame[column.name].astype(object)
    frame["source_row"] = raw.rows.astype("Int64")
    return frame.reset_index(drop=True)


def validate_tables(
    raws: dict[str, RawTable],
    park: RawPark | None,
    report: ReadReport,
    *,
    date1904: bool = False,
    blocked: Iterable[tuple[str, str]] = (),
    unreadable: Iterable[str] = (),
) -> tuple[dict[str, object] | None, dict[str, pd.DataFrame] | None]:
    """Validate every table; returns (park facts, typed tables), both None when any error was found.

    ``unreadable`` names tables whose sheet is present but could not be read (no header row): checks against
    them are skipped rather than reported for every row that refers to them.

    ``blocked`` lists (sheet, cell) pairs already reported (uncalculated formulas, error values): no
    further problem is reported for them.
    """
    out = _Collector(report, set(blocked))
    facts = _park(park, out, date1904)
    typed: dict[str, pd.DataFrame] = {}
    for spec in TABLES:
        if spec.key_value or spec.name not in raws:
            continue
        typed[spec.name] = _typed(raws[spec.name], out, date1904)

    ids: set[str] = set()
    if "enterprises" in typed:
        enterprises = typed["enterprises"]
        _enterprise_rules(raws["enterprises"], enterprises, facts.get("sub_parks") if facts else None, out)
        ids = set(enterprises["enterprise_id"].dropna())
    for name, frame in typed.items():
        raw = raws[name]
        _duplicates(raw, frame, out)
        if "enterprises" in typed:  # without the enterprises sheet (reported missing) references are not checked
            _references(raw, frame, ids, out)
    rules = {
        "energy": _energy_rules,
        "projects": _project_rules,
        "boilers": _boiler_rules,
        "solid_waste": _waste_rules,
        "resources": _resource_rules,
        "custom_factors": _custom_factor_rules,
    }
    for name, rule in rules.items():
        if name in typed:
            rule(raws[name], typed[name], out)
    if "green_power" in typed:
        energy = typed.get("energy")
        refused = "energy" in set(unreadable) or (  # no header row, or every row refused (a missing column)
            energy is not None and len(out.rejected.get("energy", ())) >= len(raws["energy"].frame) > 0
        )
        _green_power_rules(raws["green_power"], typed["green_power"], energy, out, energy_refused=refused)
    if "targets" in typed:
        typed["targets"] = _target_rules(raws["targets"], typed["targets"], out)
    for name, frame in typed.items():
        _pydantic_gate(raws[name], frame, out)

    for name, raw in raws.items():
        letters = set(raw.letters.values())
        for sheet, ref in out.blocked:
            if sheet == raw.sheet:
                row = int("".join(ch for ch in ref if ch.isdigit()) or 0)
                if "".join(ch for ch in ref if ch.isalpha()) in letters:
                    out.rejected.setdefault(name, set()).update(raw.rows.index[raw.rows == row])
        rejected = len(out.rejected.get(name, set()))
        report.counts[name] = SheetCount(
            raw.sheet, name, raw.rows_read, len(raw.frame) - rejected, rejected, raw.blank_rows
        )
    if not report.ok or facts is None:
        return None, None
    return facts, {name: _finish(raws[name], frame) for name, frame in typed.items()}
