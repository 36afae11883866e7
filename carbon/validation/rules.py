"""The rules across rows and tables, one function per rule, each named as the sentence it checks.

Every rule takes the raw table (for locating cells), the typed table and the :class:`~carbon.validation.
problems.Collector`, and reports each breach at its cell with a Chinese and an English sentence and a stable
``code``. :data:`RULES` lists the rules of each table in the order they run (the first error found at a cell
is the one reported); the rules that need a second table (green power against grid use) or change the typed
table (enterprise codes upper-cased, target units filled in) are called by
:func:`carbon.validation.tables.validate_raw_tables` itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from carbon import _codes
from carbon.errors import CarbonError
from carbon.names import carriers, is_fuel
from carbon.schema.inputs import CHOICES, INDICATOR_UNITS
from carbon.units import mwh_per_unit, normalize_unit_text, parse_unit, ureg
from carbon.validation import cells, coded
from carbon.validation.problems import Collector, show
from carbon.validation.uscc import uscc_problem, uscc_valid

if TYPE_CHECKING:
    from carbon.validation.tables import RawTable

__all__ = [
    "RULES",
    "certificates_of_trades",
    "boilers_give_heat_or_fuel_before",
    "boundary_changes_are_complete",
    "certificates_are_claimed_once",
    "completed_projects_have_a_completion_date",
    "credit_codes_are_valid",
    "energy_units_fit_the_carrier",
    "fuel_before_is_a_fuel",
    "fuel_before_units_fit_the_fuel",
    "green_power_does_not_exceed_grid_use",
    "green_power_is_in_energy_or_certificates",
    "no_carrier_is_reported_both_yearly_and_monthly",
    "one_name_has_one_code",
    "parameter_units_fit_the_parameter",
    "planned_projects_have_no_completion_date",
    "reuse_does_not_exceed_the_whole",
    "saving_units_fit_the_carrier",
    "savings_have_a_unit_and_carrier",
    "sub_parks_are_those_of_the_park",
    "supplier_factors_apply_to_electricity",
    "target_units_are_those_of_the_indicator",
    "trades_and_certificates_have_an_id",
    "waste_balance_closes",
    "waste_utilised_is_at_most_what_there_was",
]

Rule = Callable[["RawTable", pd.DataFrame, Collector], None]

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


def _units_fit_the_carrier(raw: RawTable, typed: pd.DataFrame, unit: str, carrier: str, out: Collector) -> None:
    """Each (unit, carrier) pair checked once: a mass for solid and liquid fuels, a volume for gases, or an
    energy for any carrier.

    The pairs are found on integer codes (each column's distinct values, :func:`carbon._codes.distinct`),
    not by grouping the rows: only the rows of a pair that does not fit are visited."""
    units, given = typed[unit], typed[carrier]
    present = (units.notna() & given.notna()).to_numpy(dtype=bool)
    if not present.any():
        return
    unit_codes, unit_values = _labels(units)
    carrier_codes, carrier_values = _labels(given)
    width = len(carrier_values)
    every = present.all()  # no copy of the codes of every row where every row has both
    pair = (unit_codes if every else unit_codes[present]).astype(np.int64)
    pair *= width
    pair += carrier_codes if every else carrier_codes[present]
    group, pairs = _codes.dense(pair, len(unit_values) * width)
    problems = [_unit_fits(unit_values[key // width], carrier_values[key % width]) for key in pairs.tolist()]
    failing = np.array([problem is not None for problem in problems], dtype=bool)
    if not failing.any():
        return
    rows = np.flatnonzero(present)
    for position in np.flatnonzero(failing[group]):
        out.cell(raw, typed.index[rows[position]], unit, *problems[group[position]], "unit_carrier")


def _labels(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of a column and the values they index (-1 missing): a categorical's own codes and categories (only
    the pairs that occur are checked, so an unused category does no harm, and their numbering does not change
    which rows are reported), any other column's :func:`carbon._codes.distinct` (a column of a few categories
    is numbered again by pandas there: 0.03 s for 7.2 M rows)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), np.asarray(values.cat.categories, dtype=object)
    return _codes.distinct(values)


def _mwh(quantity: pd.Series, unit: pd.Series) -> pd.Series:
    factors = {u: _safe(mwh_per_unit, u) for u in unit.dropna().unique()}
    return quantity * unit.map(factors).astype(float)


def _safe(convert, *args) -> float:
    """``convert(*args)``, NaN where the unit does not convert."""
    try:
        return convert(*args)
    except CarbonError:
        return np.nan


# -- enterprises -------------------------------------------------------------------------------------------


def credit_codes_are_valid(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Every code not marked internal is a valid unified social credit code (GB 32100-2015); codes are
    upper-cased in ``typed``."""
    ids = typed["enterprise_id"]
    internal = typed["id_type"] == "internal"
    checked = typed.index[ids.notna() & ~internal]
    upper = ids[checked].astype(str).str.upper()
    for index in checked[~uscc_valid(upper.to_numpy(dtype=object))]:  # the invalid ones, checked one by one
        problem = uscc_problem(upper[index])
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


def sub_parks_are_those_of_the_park(
    raw: RawTable, typed: pd.DataFrame, sub_parks: tuple[str, ...] | None, out: Collector
) -> None:
    """An enterprise's sub-park is one the park sheet lists (not checked when it lists none)."""
    if not sub_parks:
        return
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


# -- energy ------------------------------------------------------------------------------------------------


def energy_units_fit_the_carrier(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """An energy row's unit fits its carrier."""
    _units_fit_the_carrier(raw, typed, "unit", "carrier", out)


#: Whether :func:`yearly_and_monthly` returns at once where every dated row is a whole-year row or every one a
#: monthly row (tests switch it off to compare with the general path).
_SHORTCUTS = True


def yearly_and_monthly(raw: RawTable, typed: pd.DataFrame, keys: list[str], out: Collector, zh: str, en: str) -> None:
    """Reports the whole-year rows of every group (``keys``) that also has monthly rows: both would count."""
    scope = typed[list(dict.fromkeys([*keys, "year", "month"]))]  # the columns it needs: no copy of the others
    dated = scope["year"].notna().to_numpy(dtype=bool)
    if not dated.all():
        scope = scope[dated]
    if scope.empty:
        return
    annual = scope["month"].isna().to_numpy(dtype=bool)
    if _SHORTCUTS and (annual.all() or not annual.any()):
        return  # all whole-year rows or all monthly ones: no group has both (7.2 M rows grouped for nothing)
    group, _ = coded.key_groups(_codes.row_keys([scope[key] for key in keys]))  # a blank key is a value of its own
    rows = np.bincount(group)
    annual_rows = np.bincount(group, weights=annual, minlength=len(rows))
    mixed = ((annual_rows > 0) & (annual_rows < rows))[group]
    for index in scope.index[mixed & annual]:
        out.cell(raw, index, "month", zh, en, "annual_and_monthly")


def no_carrier_is_reported_both_yearly_and_monthly(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """An enterprise, year, carrier and use has either one whole-year row or monthly rows, not both."""
    scope = typed.dropna(subset=["enterprise_id", "carrier"]).assign(use=lambda t: _codes.filled(t["use"], "fuel"))
    yearly_and_monthly(
        raw,
        scope,
        ["enterprise_id", "year", "carrier", "use"],
        out,
        "同一企业、年度、品种既有全年合计又有分月数据，会重复计算",
        "the same enterprise, year and carrier has both a whole-year row and monthly rows (double counting)",
    )


# -- green power -------------------------------------------------------------------------------------------


def green_power_is_in_energy_or_certificates(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Green power is stated in an electricity unit or in certificates (张)."""
    units = typed["unit"]
    present = units.notna().to_numpy(dtype=bool)
    refused = [unit for unit in pd.unique(units[present]) if np.isnan(_safe(mwh_per_unit, unit))]  # each unit once
    if not refused:
        return
    for index in typed.index[present & units.isin(refused).to_numpy(dtype=bool)]:
        out.cell(
            raw,
            index,
            "unit",
            "绿电单位应为 MWh、kWh、万kWh 或 张（绿证）",
            "green power is in MWh, kWh, 万kWh or 张 (certificates)",
            "unit_carrier",
        )


def trades_and_certificates_have_an_id(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A green-power trade or certificate gives its contract or certificate id."""
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


def certificates_are_claimed_once(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """No certificate id is claimed on two rows (every later row is reported, citing the first)."""
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


def certificates_of_trades(green: pd.DataFrame) -> np.ndarray:
    """Rows of the green-power table that are the certificate of a trade on another row (same id, enterprise,
    year and month): the second reading of one claim, left out wherever green power is counted."""
    with_id = green["certificate_id"].notna().to_numpy(dtype=bool)
    if not with_id.any():
        return np.zeros(len(green), dtype=bool)
    # one integer per (enterprise, year, month, id), a blank a value of its own: no tuple of Python objects per row
    key = _codes.row_keys([green[name] for name in ("enterprise_id", "year", "month", "certificate_id")])
    instrument = green["instrument"]
    trade = (instrument == "trade").to_numpy(dtype=bool, na_value=False) & with_id
    certificate = (instrument == "certificate").to_numpy(dtype=bool, na_value=False) & with_id
    return certificate & np.isin(key, key[trade])


def green_power_does_not_exceed_grid_use(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, out: Collector
) -> None:
    """Purchased green power (trades, certificates, direct lines) of an enterprise and year is at most the
    electricity it used as energy. ``energy`` None: there is no energy sheet (compared with no electricity)."""
    if energy is None:
        energy = pd.DataFrame(columns=["enterprise_id", "year", "carrier", "quantity", "unit", "use"])
    purchased = typed[typed["instrument"].isin(["trade", "certificate", "direct_line"])].dropna(
        subset=["quantity", "unit", "enterprise_id", "year"]
    )
    purchased = purchased[~certificates_of_trades(purchased)]  # a trade and its certificate are one claim
    if purchased.empty:
        return
    green = (
        _mwh(purchased["quantity"], purchased["unit"]).groupby([purchased["enterprise_id"], purchased["year"]]).sum()
    )
    claimants = _codes.isin(energy["enterprise_id"], pd.unique(purchased["enterprise_id"]))  # only their use
    grid = (energy["carrier"] == "electricity") & (_codes.filled(energy["use"], "fuel") == "fuel")
    power = energy.loc[grid.to_numpy(dtype=bool) & claimants, ["enterprise_id", "year", "quantity", "unit"]].dropna(
        subset=["quantity", "unit"]
    )
    used = _mwh(power["quantity"], power["unit"]).groupby([power["enterprise_id"], power["year"]]).sum()
    used = used.reindex(green.index).fillna(0.0)  # in green's order: compared position by position
    over = green[green.to_numpy() > used.to_numpy() * (1 + 1e-9) + 1e-9]
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


# -- projects ----------------------------------------------------------------------------------------------


def completed_projects_have_a_completion_date(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A completed project gives the date it was completed."""
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


def planned_projects_have_no_completion_date(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A planned project with a completion date is probably further along (a warning)."""
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


def savings_have_a_unit_and_carrier(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """An annual saving gives its unit and the carrier saved."""
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


def saving_units_fit_the_carrier(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """The unit of an annual saving fits the carrier saved."""
    _units_fit_the_carrier(raw, typed, "saving_unit", "saving_carrier", out)


# -- boilers -----------------------------------------------------------------------------------------------


def boilers_give_heat_or_fuel_before(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A boiler gives its annual heat output, or its annual fuel before the retrofit with the unit."""
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


def _not_a_fuel(typed: pd.DataFrame) -> pd.Series:
    """The rows whose fuel before is a carrier carbon knows that is not a fuel (a dictionary lookup per row)."""
    given = typed["fuel_before"]
    return given.notna() & ~is_fuel(given, unknown=True)  # a carrier carbon does not know: reported elsewhere


def fuel_before_is_a_fuel(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """What a boiler burned before its retrofit is a fuel (not electricity or heat)."""
    for index in typed.index[_not_a_fuel(typed)]:
        out.cell(
            raw,
            index,
            "fuel_before",
            "改造前燃料应为燃料（如原煤、燃料油）",
            "the fuel before must be a fuel (raw coal, fuel oil ...)",
            "not_a_fuel",
        )


def fuel_before_units_fit_the_fuel(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """The unit of the fuel before fits that fuel (rows whose fuel before is not a fuel are left out)."""
    _units_fit_the_carrier(raw, typed.loc[~_not_a_fuel(typed)], "fuel_before_unit", "fuel_before", out)


# -- solid waste -------------------------------------------------------------------------------------------


def _waste_amounts(typed: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    g, u, p = (pd.to_numeric(typed[c], errors="coerce") for c in ("generated", "utilized", "prior_stock_utilized"))
    return g, u, p


def waste_utilised_is_at_most_what_there_was(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Prior-year stock utilised is part of what was utilised, and what was utilised is at most what was
    generated plus that stock."""
    g, u, p = _waste_amounts(typed)
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
            f"综合利用量大于产生量与往年贮存量之和（{show(g[index] + p[index])} t）",
            f"more utilised than generated plus prior stock ({show(g[index] + p[index])} t)",
            "waste_balance",
        )


def waste_balance_closes(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Generated = utilised (this year's) + disposed + stored, within 1 t or 1 % (a warning; rows already
    refused by the rule above are left out)."""
    g, u, p = _waste_amounts(typed)
    impossible = (p > u) | (u > (g + p) * (1 + 1e-9))
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


# -- resources, targets, custom factors --------------------------------------------------------------------


def reuse_does_not_exceed_the_whole(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Waste heat utilised is at most the recoverable amount; water reused at most the water used."""
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


def target_units_are_those_of_the_indicator(raw: RawTable, typed: pd.DataFrame, out: Collector) -> pd.DataFrame:
    """A target is stated in its indicator's unit; a blank unit takes it (returned in ``typed``)."""
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


def parameter_units_fit_the_parameter(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A custom factor's unit has the dimension of its parameter (GJ/t for an NCV, tC/TJ for carbon ...)."""
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


def supplier_factors_apply_to_electricity(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A supplier's electricity factor is given for electricity."""
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


#: The year column each kind of boundary change dates from.
_BOUNDARY_YEAR = {
    "moved_in": "joined_year",
    "new_build": "joined_year",
    "moved_out": "left_year",
    "closed": "left_year",
}
_CHANGE_ZH = {c.id: c.zh for c in CHOICES["boundary_change"]}


def boundary_changes_are_complete(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A joined or left year says how the enterprise entered or left (划入/新建投产, 划出/关停), the change has its
    year, and an enterprise leaves after it joined."""
    if "boundary_change" not in typed.columns:
        return
    change = typed["boundary_change"]
    for column, zh in (("joined_year", "入园年份"), ("left_year", "退园年份")):
        for index in typed.index[typed[column].notna() & change.isna()]:
            out.cell(
                raw,
                index,
                "boundary_change",
                f"填写了{zh}，须在「边界变动」中说明是划入/划出（重述基准年）还是新建投产/关停（不重述）",
                f"a {column.replace('_', ' ')} needs its kind of boundary change: moved in or out (the baseline is "
                "restated) or new build or closed (not restated)",
                "required",
            )
    for kind, column in _BOUNDARY_YEAR.items():
        for index in typed.index[(change == kind) & typed[column].isna()]:
            zh = "入园年份" if column == "joined_year" else "退园年份"
            out.cell(
                raw,
                index,
                column,
                f"边界变动为「{_CHANGE_ZH[kind]}」的企业须填写{zh}",
                f"an enterprise whose boundary change is {kind} needs its {column.replace('_', ' ')}",
                "required",
            )
    both = typed["joined_year"].notna() & typed["left_year"].notna()
    for index in typed.index[both]:
        joined, left = int(typed.at[index, "joined_year"]), int(typed.at[index, "left_year"])
        if left <= joined:
            out.cell(
                raw,
                index,
                "left_year",
                f"退园年份 {left} 不晚于入园年份 {joined}",
                f"left year {left} is not after joined year {joined}",
                "range",
            )


_SPACES = re.compile(r"\s+")

#: A run of white space as Python's ``\\s`` matches it, for Arrow's regular expressions (whose ``\\s`` is ASCII).
_SPACE_RUN = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in cells.SPACES) + "]+"


def _name_keys(names: pd.Series) -> np.ndarray:
    """A code per row for its name NFKC-normalised with its white space removed (two spellings of one name get
    one code), -1 where none is left: ``names.astype(str).str.normalize("NFKC").str.replace(r"\\s+", "")``
    coded, worked by Arrow (about 30 ms for 100,000 names against 90 ms); a name Arrow cannot hold (a lone
    surrogate) sends the column the general way."""
    try:
        text = pa.array(names.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeEncodeError):  # one by one in Python (pandas' text cannot hold it either)
        squeezed = np.array(
            [_SPACES.sub("", unicodedata.normalize("NFKC", v)) or None if isinstance(v, str) else None for v in names],
            dtype=object,
        )
        return _codes.distinct(squeezed)[0].astype(np.intp, copy=False)
    normalized = pc.utf8_normalize(text, form="NFKC")
    changed = pc.fill_null(pc.not_equal(normalized, text), False)
    if pc.any(changed).as_py():
        # Arrow's Unicode may be newer than Python's: where Arrow changed a name, Python's NFKC decides (a
        # character its data does not know stays as it is, as pandas' normalize leaves it). Where Arrow changed
        # nothing neither does Python: a character's normalisation never changes once it is assigned.
        at = pa.array(np.flatnonzero(changed.to_numpy(zero_copy_only=False)))
        python = [unicodedata.normalize("NFKC", name) for name in text.take(at).to_pylist()]
        normalized = pc.replace_with_mask(normalized, changed, pa.array(python, type=pa.string()))
    squeezed = pc.replace_substring_regex(normalized, _SPACE_RUN, "")
    squeezed = pc.if_else(pc.equal(pc.utf8_length(squeezed), 0), pa.scalar(None, pa.string()), squeezed)
    return pc.dictionary_encode(squeezed).indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp)


def one_name_has_one_code(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """The same enterprise name under two credit codes is warned at the second (its energy would be counted twice
    if it is one enterprise listed twice)."""
    keys = _name_keys(typed["name"])
    named = keys >= 0
    at_named = typed.index[named]
    group, first_rows = coded.key_groups(keys[named])  # names as codes: no text index to reindex
    firsts = first_rows[group]  # each row's first row of its name
    codes = typed["enterprise_id"].to_numpy(dtype=object)[named]
    other = (firsts != np.arange(len(at_named))) & (codes[firsts] != codes)
    for position in np.flatnonzero(other):
        index, at = at_named[position], at_named[firsts[position]]
        row = int(raw.rows[at])
        out.cell(
            raw,
            index,
            "name",
            f"与第 {row} 行企业同名而代码不同；若为同一企业，其能耗会计入两次",
            f"same name as the enterprise on row {row} under another code; if it is one enterprise, its energy "
            "is counted twice",
            "same_name",
            severity="warning",
        )


#: The rules of each table that need nothing but the table, in the order they run.
RULES: dict[str, tuple[Rule, ...]] = {
    "enterprises": (boundary_changes_are_complete, one_name_has_one_code),
    "energy": (energy_units_fit_the_carrier, no_carrier_is_reported_both_yearly_and_monthly),
    "projects": (
        completed_projects_have_a_completion_date,
        planned_projects_have_no_completion_date,
        savings_have_a_unit_and_carrier,
        saving_units_fit_the_carrier,
    ),
    "boilers": (boilers_give_heat_or_fuel_before, fuel_before_is_a_fuel, fuel_before_units_fit_the_fuel),
    "solid_waste": (waste_utilised_is_at_most_what_there_was, waste_balance_closes),
    "resources": (reuse_does_not_exceed_the_whole,),
    "custom_factors": (parameter_units_fit_the_parameter, supplier_factors_apply_to_electricity),
    "green_power": (
        green_power_is_in_energy_or_certificates,
        trades_and_certificates_have_an_id,
    ),
}
