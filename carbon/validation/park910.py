"""The rules of the tables the zero-carbon-park method needs (发改环资〔2025〕910号 附件4): activity types,
energy conversion, power and heat generated in the park and where it went, industrial products, and green-power
claims counted once.

Each rule is named as the sentence it checks and reports every breach at its cell in Chinese and English with a
stable ``code``, as :mod:`carbon.validation.rules` does. :data:`RULES` lists the rules that need one table;
the rules that compare two tables are called by :func:`carbon.validation.tables.validate_raw_tables`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from carbon import _codes
from carbon.errors import CarbonError
from carbon.factorset import resolve_factor_set
from carbon.names import carriers, is_fuel, products
from carbon.units import conversion_factor, mwh_per_unit, parse_unit, ureg
from carbon.validation.problems import Collector
from carbon.validation.rules import energy_units_fit_the_carrier, yearly_and_monthly

if TYPE_CHECKING:
    from carbon.validation.tables import RawTable

__all__ = [
    "RULES",
    "activity_uses_burn_a_fuel",
    "conversion_outputs_are_fuels",
    "conversion_outputs_have_inputs",
    "conversion_inputs_have_outputs",
    "deliveries_are_at_most_generation",
    "flows_are_yearly_or_monthly",
    "fossil_generation_burns_fuel",
    "plants_record_what_they_generate",
    "flows_have_a_park_side",
    "green_ids_are_claimed_once",
    "other_products_are_named",
    "own_process_figures_have_evidence",
    "power_and_heat_only",
    "power_from_outside_is_green_power",
    "product_output_is_a_mass",
    "products_have_one_factor",
    "received_power_and_heat_is_used",
    "reductants_are_not_burned_twice",
]

#: Activity types that burn (or convert) a fuel: their carrier is a fuel.
FUEL_USES = ("power", "heat_supply", "refining", "gas_making", "recovered", "conversion", "bunkers")
_USE_ZH = {
    "power": "火力发电",
    "heat_supply": "供热",
    "refining": "炼油及煤制油",
    "gas_making": "制气",
    "recovered": "回收能",
    "conversion": "加工转换投入",
    "bunkers": "国际航空航海",
}


def _without(rows: pd.DataFrame, other: pd.DataFrame | None) -> list:
    """The index of ``rows`` whose (enterprise, year) has no row in ``other`` (None: an absent table)."""
    rows = rows.dropna(subset=["enterprise_id", "year"])
    have = set() if other is None else set(zip(other["enterprise_id"], other["year"], strict=True))
    return [
        i
        for i, key in zip(rows.index, zip(rows["enterprise_id"], rows["year"], strict=True), strict=True)
        if key not in have
    ]


def _kind(carrier: pd.Series) -> pd.Series:
    """``electricity`` or ``heat`` (heat and steam) per row, else NaN."""
    return carrier.map({"electricity": "electricity", "heat": "heat", "steam": "heat"})


def _amount(quantity: pd.Series, unit: pd.Series, kind: pd.Series) -> pd.Series:
    """Electricity in MWh, heat in GJ (NaN where the unit does not convert: reported by the unit rule)."""
    target = kind.map({"electricity": "MWh", "heat": "GJ"})
    factors: dict[tuple[str, str], float] = {}
    for u, t in set(zip(unit.astype(object), target.astype(object), strict=True)):
        try:
            factors[(u, t)] = conversion_factor(u, t) if isinstance(u, str) and isinstance(t, str) else np.nan
        except CarbonError:
            factors[(u, t)] = np.nan
    per_unit = [factors[(u, t)] for u, t in zip(unit.astype(object), target.astype(object), strict=True)]
    return quantity.astype(float) * np.asarray(per_unit, dtype=float)


_UNIT_OF = {"electricity": "MWh", "heat": "GJ"}


# -- energy ------------------------------------------------------------------------------------------------


def activity_uses_burn_a_fuel(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Thermal power, heat supply, refining, gas making, recovered energy, conversion input and bunkers are
    activity types of a fuel, not of electricity or heat."""
    uses = typed[typed["use"].isin(FUEL_USES) & typed["carrier"].notna()]  # the carrier looked up for these only
    for index in uses.index[~is_fuel(uses["carrier"])]:
        use = typed.at[index, "use"]
        out.cell(
            raw,
            index,
            "use",
            f"用途「{_USE_ZH[use]}」只适用于燃料（煤品、油品、天然气），不适用于电力或热力",
            f"the activity type {use!r} applies to fuels only, not to electricity or heat",
            "use_needs_fuel",
        )


# -- conversion --------------------------------------------------------------------------------------------


def conversion_outputs_are_fuels(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """What a conversion produces is a carbon-bearing fuel (coke, coke-oven gas, gasoline ...)."""
    rows = typed["carrier"].notna() & ~is_fuel(typed["carrier"])
    for index in typed.index[rows]:
        out.cell(
            raw,
            index,
            "carrier",
            "加工转换产出应为含碳二次能源（如 焦炭、焦炉煤气、汽油）；电力、热力的产出填「园区内发电供热」表",
            "a conversion output is a carbon-bearing fuel; power and heat generated go on the generation sheet",
            "not_a_fuel",
        )


def conversion_outputs_have_inputs(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """An enterprise with conversion outputs in a year has conversion inputs on the energy sheet that year."""
    inputs = energy[energy["use"] == "conversion"] if energy is not None else None
    for index in _without(typed, inputs):
        year = int(typed.at[index, "year"])
        out.cell(
            raw,
            index,
            "carrier",
            f"该企业 {year} 年在「{energy_sheet}」表中没有用途为「加工转换投入」的能源，无法按碳平衡计算",
            f"the enterprise has no energy rows with use 'conversion' in {year} on {energy_sheet}: the "
            "carbon balance needs the inputs",
            "conversion_without_inputs",
        )


# -- generation and flows ------------------------------------------------------------------------------------


def power_and_heat_only(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Generation and flows are of electricity or heat, in a unit of energy."""
    kind = _kind(typed["carrier"])
    for index in typed.index[typed["carrier"].notna() & kind.isna()]:
        out.cell(raw, index, "carrier", "应为 电力 或 热力", "expected electricity or heat", "not_power_or_heat")
    energy = ureg.parse_units("GJ").dimensionality
    for index in typed.index[typed["unit"].notna() & kind.notna()]:
        try:
            fits = parse_unit(typed.at[index, "unit"]).dimensionality == energy
        except CarbonError:
            continue  # reported by the unit column
        if not fits:
            out.cell(
                raw,
                index,
                "unit",
                "电力、热力的单位应为能量单位（MWh、万kWh、GJ）",
                "electricity and heat are given in a unit of energy (MWh, 万kWh, GJ)",
                "unit_carrier",
            )


def flows_have_a_park_side(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A flow has a park enterprise on at least one side, and not the same one on both."""
    supplier, receiver = typed["supplier_id"], typed["receiver_id"]
    for index in typed.index[supplier.isna() & receiver.isna()]:
        out.cell(
            raw,
            index,
            "supplier_id",
            "供方与受方不能都留空：至少一方是园区企业",
            "supplier and receiver cannot both be blank: one side is a park enterprise",
            "flow_outside_both",
        )
    for index in typed.index[supplier.notna() & (supplier == receiver)]:
        out.cell(
            raw,
            index,
            "receiver_id",
            "供方与受方是同一企业；企业自发自用不填此表（自用光伏填「绿电」表的自发自用）",
            "supplier and receiver are the same enterprise; own use is not a flow (own PV goes on green_power)",
            "flow_to_itself",
        )


def power_from_outside_is_green_power(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Electricity from outside the park is not a flow: grid power needs no row, direct green supply goes on
    the green-power sheet as 直连."""
    rows = typed["supplier_id"].isna() & typed["receiver_id"].notna() & (typed["carrier"] == "electricity")
    for index in typed.index[rows]:
        out.cell(
            raw,
            index,
            "supplier_id",
            "从园区外受入的电力不填此表：电网购电只填「能源消费」，直接供应的非化石电力填「绿电」表（直连）",
            "electricity from outside the park is no flow: grid power is on the energy sheet, direct non-fossil "
            "supply on the green_power sheet as direct_line",
            "power_from_outside",
        )


def received_power_and_heat_is_used(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """What a park enterprise receives in a year (from other park enterprises, or non-fossil heat from
    outside) is at most the electricity or heat it used on the energy sheet."""
    flows = typed[typed["receiver_id"].notna()].dropna(subset=["quantity", "unit", "carrier", "year"])
    if flows.empty:
        return
    kind = _kind(flows["carrier"])
    amount = _amount(flows["quantity"], flows["unit"], kind)
    received = amount.groupby([flows["receiver_id"], flows["year"], kind]).sum()
    if energy is None:
        energy = pd.DataFrame(columns=["enterprise_id", "year", "carrier", "quantity", "unit"])
    rows = energy.dropna(subset=["quantity", "unit", "carrier"])
    energy_kind = _kind(rows["carrier"])
    rows, energy_kind = rows[energy_kind.notna()], energy_kind[energy_kind.notna()]
    used = (
        _amount(rows["quantity"], rows["unit"], energy_kind)
        .groupby([rows["enterprise_id"], rows["year"], energy_kind])
        .sum()
    )
    used = used.reindex(received.index).fillna(0.0)
    for (receiver, year, k), total in received[received > used * (1 + 1e-9) + 1e-9].items():
        unit = _UNIT_OF[k]
        same = (flows["receiver_id"] == receiver) & (flows["year"] == year) & (kind == k)
        for index in flows.index[same]:
            out.cell(
                raw,
                index,
                "quantity",
                f"受方 {int(year)} 年受入合计 {total:,.1f} {unit}，大于其在「{energy_sheet}」表中的用量 "
                f"{used[(receiver, year, k)]:,.1f} {unit}",
                f"the receiver got {total:,.1f} {unit} in {int(year)}, more than the {used[(receiver, year, k)]:,.1f} "
                f"{unit} it used on {energy_sheet}",
                "received_above_use",
            )


def deliveries_are_at_most_generation(
    raw: RawTable, typed: pd.DataFrame, generation: pd.DataFrame | None, generation_sheet: str, out: Collector
) -> None:
    """What a park enterprise supplies to others and sends out of the park in a year is at most what it
    generated of that kind (electricity or heat, fossil or not)."""
    flows = typed[typed["supplier_id"].notna()].dropna(subset=["quantity", "unit", "carrier", "year", "origin"])
    if flows.empty:
        return
    kind = _kind(flows["carrier"])
    amount = _amount(flows["quantity"], flows["unit"], kind)
    keys = [flows["supplier_id"], flows["year"], kind, flows["origin"]]
    sent = amount.groupby(keys).sum()
    if generation is None:
        generation = pd.DataFrame(columns=["enterprise_id", "year", "carrier", "origin", "quantity", "unit"])
    made = generation.dropna(subset=["quantity", "unit", "carrier", "origin"])
    made_kind = _kind(made["carrier"])
    generated = (
        _amount(made["quantity"], made["unit"], made_kind)
        .groupby([made["enterprise_id"], made["year"], made_kind, made["origin"]])
        .sum()
    )
    generated = generated.reindex(sent.index)
    origin_zh = {"fossil": "化石能源", "non_fossil": "非化石能源"}
    kind_zh = {"electricity": "电力", "heat": "热力"}
    for key, total in sent.items():
        supplier, year, k, origin = key
        had = generated[key]
        if pd.notna(had) and total <= had * (1 + 1e-9) + 1e-9:
            continue
        unit = _UNIT_OF[k]
        if pd.isna(had):
            zh = (
                f"供方在「{generation_sheet}」表中没有 {int(year)} 年{origin_zh[origin]}{kind_zh[k]}的发电或供热量，"
                "无法核对其供出与送出"
            )
            en = (
                f"the supplier has no {origin} {k} generated in {int(year)} on {generation_sheet}: what it supplied "
                "and sent out cannot be checked"
            )
            code = "supplier_without_generation"
        else:
            zh = f"供方 {int(year)} 年供出与送出合计 {total:,.1f} {unit}，大于其{origin_zh[origin]}{kind_zh[k]}产量 {had:,.1f} {unit}"
            en = f"the supplier delivered {total:,.1f} {unit} in {int(year)}, more than the {had:,.1f} {unit} of {origin} {k} it generated"
            code = "delivered_above_generation"
        same = (flows["supplier_id"] == supplier) & (flows["year"] == year) & (kind == k) & (flows["origin"] == origin)
        for index in flows.index[same]:
            out.cell(raw, index, "quantity", zh, en, code)


# -- products ----------------------------------------------------------------------------------------------


def other_products_are_named(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """An 'other' product gives its name."""
    for index in typed.index[(typed["product"] == "other") & typed["product_name"].isna()]:
        out.cell(
            raw,
            index,
            "product_name",
            "「其他工业产品」须填写产品名称",
            "an 'other' product needs its name",
            "required",
        )


def product_output_is_a_mass(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Output is a mass (t, 万吨)."""
    mass = ureg.parse_units("t").dimensionality
    for index in typed.index[typed["unit"].notna()]:
        try:
            fits = parse_unit(typed.at[index, "unit"]).dimensionality == mass
        except CarbonError:
            continue
        if not fits:
            out.cell(raw, index, "unit", "产量单位应为质量（吨、万吨）", "output is a mass (t, 万吨)", "unit_carrier")


def own_process_figures_have_evidence(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """An own process factor or a mass balance states its evidence; a mass balance gives carbon in and out,
    with no more carbon out than in."""
    given = typed["process_factor"].notna() | typed["carbon_in"].notna() | typed["carbon_out"].notna()
    for index in typed.index[given & typed["evidence"].isna()]:
        out.cell(
            raw,
            index,
            "evidence",
            "填写企业过程排放因子或质量平衡时，须注明依据（核查报告、检测报告编号）",
            "an own process factor or mass balance needs its evidence (verification or test report)",
            "factor_without_evidence",
        )
    half = typed["carbon_in"].isna() != typed["carbon_out"].isna()
    for index in typed.index[half]:
        column = "carbon_out" if typed.at[index, "carbon_out"] != typed.at[index, "carbon_out"] else "carbon_in"
        out.cell(
            raw,
            index,
            column,
            "质量平衡须同时填写碳输入量和碳输出量",
            "a mass balance needs both carbon in and carbon out",
            "mass_balance_incomplete",
        )
    above = typed["carbon_out"] > typed["carbon_in"]
    for index in typed.index[above.fillna(False).astype(bool)]:
        out.cell(
            raw,
            index,
            "carbon_out",
            "碳输出量大于碳输入量",
            "carbon out is more than carbon in",
            "mass_balance_negative",
        )


def products_have_one_factor(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """Each product has exactly one basis: the enterprise's factor, or a mass balance, or a published default
    (never two readings of one output, never none)."""
    own = typed["process_factor"].notna()
    balance = typed["carbon_in"].notna() & typed["carbon_out"].notna()
    for index in typed.index[own & balance]:
        out.cell(
            raw,
            index,
            "process_factor",
            "同一产品既填了企业因子又填了质量平衡，只能选一种",
            "both an own factor and a mass balance: give one",
            "two_process_bases",
        )
    given = typed["product"].dropna().unique()
    if not len(given):
        return  # no product: the factor library need not be loaded (0.1-0.3 s of 24 files on a cold start)
    factors = resolve_factor_set(None)
    names = products().set_index("id")["name_zh"]
    defaults: dict[str, bool] = {}
    for product in given:
        try:
            factors.process(product)
            defaults[product] = True
        except CarbonError:
            defaults[product] = False
    without = typed["product"].map(defaults).eq(False) & ~own & ~typed["carbon_in"].notna()
    for index in typed.index[without]:
        product = typed.at[index, "product"]
        out.cell(
            raw,
            index,
            "product",
            f"「{names.get(product, product)}」没有公开的缺省过程排放因子（910号 附件4 未给出）：请填写企业过程排放因子及依据，"
            "或碳输入量、碳输出量（质量平衡法）",
            f"{product!r} has no published default process factor (910号 附件4 gives none): give the enterprise's "
            "factor with its evidence, or carbon in and out (mass balance)",
            "no_process_factor",
        )


def reductants_are_not_burned_twice(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """Warns where a product whose carbon comes from a reductant (ferroalloys, silicon, carbide, aluminium
    anodes) is counted by its default factor or a mass balance, and the enterprise also burns solid fossil fuel
    that year (any burning use): if that fuel is the reductant, it is counted twice."""
    if energy is None or typed.empty:
        return
    group = typed["product"].map(products().set_index("id")["group"])
    reduced = typed[group.isin(["ferroalloy", "silicon", "carbide", "aluminium"]) & typed["process_factor"].isna()]
    solid = carriers().set_index("id")["category"].eq("solid fuel")
    burning = _codes.filled(energy["use"], "fuel").isin(["fuel", *FUEL_USES]) & (energy["use"] != "conversion")
    solid_ids = solid.index[solid.to_numpy(dtype=bool)]
    burned = energy[energy["carrier"].isin(solid_ids).to_numpy(dtype=bool) & burning.to_numpy(dtype=bool)]
    burned = burned[burned["carrier"] != "biomass"]
    have = set(zip(burned["enterprise_id"], burned["year"], strict=True))
    for index in reduced.index:
        key = (reduced.at[index, "enterprise_id"], reduced.at[index, "year"])
        if key in have:
            out.cell(
                raw,
                index,
                "product",
                f"该产品的过程排放（缺省因子或质量平衡）已含还原剂（煤、焦炭、电极）的碳；该企业在「{energy_sheet}」表中"
                "还燃烧煤或焦炭：若为还原剂，请将用途改为「原料」，否则重复计算",
                "this product's process CO2 (default factor or mass balance) holds the reductant's carbon, and the "
                f"enterprise also burns coal or coke on {energy_sheet}: if that is the reductant, set its use to "
                "'feedstock', else it is counted twice",
                "reductant_as_fuel",
                severity="warning",
            )


def plants_record_what_they_generate(
    raw: RawTable, typed: pd.DataFrame, generation: pd.DataFrame | None, generation_sheet: str, out: Collector
) -> None:
    """Fuel burned for thermal power or heat supply in a year has the plant's generation on the generation
    sheet that year (else what its neighbours received from it cannot be told from grid power)."""
    plants = typed[typed["use"].isin(["power", "heat_supply"])]
    for index in _without(plants, generation):
        year = int(typed.at[index, "year"])
        out.cell(
            raw,
            index,
            "use",
            f"用途为火力发电或供热的燃料，须在「{generation_sheet}」表填写该企业 {year} 年的发电量或供热量",
            f"fuel for thermal power or heat supply needs the plant's {year} generation on {generation_sheet}",
            "plant_without_generation",
        )


def fossil_generation_burns_fuel(
    raw: RawTable, typed: pd.DataFrame, energy: pd.DataFrame | None, energy_sheet: str, out: Collector
) -> None:
    """Fossil power or heat generated in a year has its fuel on the energy sheet that year, with use thermal
    power or heat supply (else its fuel is lost from E_fuel while what it sends out is subtracted)."""
    fuel = energy[energy["use"].isin(["power", "heat_supply"])] if energy is not None else None
    for index in _without(typed[typed["origin"] == "fossil"], fuel):
        year = int(typed.at[index, "year"])
        out.cell(
            raw,
            index,
            "origin",
            f"化石能源发电或供热，须在「{energy_sheet}」表填写该企业 {year} 年用途为火力发电或供热的燃料",
            f"fossil generation needs the plant's {year} fuel on {energy_sheet} with use thermal power or heat supply",
            "generation_without_fuel",
        )


def conversion_inputs_have_outputs(
    raw: RawTable, typed: pd.DataFrame, outputs: pd.DataFrame | None, outputs_sheet: str, out: Collector
) -> None:
    """Warns where conversion inputs have no outputs that year: all their carbon is then counted as lost."""
    for index in _without(typed[typed["use"] == "conversion"], outputs):
        year = int(typed.at[index, "year"])
        out.cell(
            raw,
            index,
            "use",
            f"该企业 {year} 年有加工转换投入，但「{outputs_sheet}」表没有产出：投入的碳全部计为排放",
            f"conversion inputs in {year} without outputs on {outputs_sheet}: all their carbon counts as emitted",
            "conversion_without_outputs",
            severity="warning",
        )


def flows_are_yearly_or_monthly(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A flow (supplier, receiver, year, carrier, origin) has either one whole-year row or monthly rows."""
    yearly_and_monthly(
        raw,
        typed.dropna(subset=["carrier"]),
        ["supplier_id", "receiver_id", "year", "carrier", "origin"],
        out,
        "同一供方、受方、年度、品种既有全年合计又有分月数据，会重复计算",
        "the same supplier, receiver, year and carrier has both a whole-year row and monthly rows (double counting)",
    )


# -- green power -------------------------------------------------------------------------------------------


def _month_key(value: object) -> object:
    return None if pd.isna(value) else int(value)


def _on_several_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows whose id is on another row too: an id on one row is claimed once, and its group is not visited."""
    return rows[rows["certificate_id"].duplicated(keep=False).to_numpy()]


def green_ids_are_claimed_once(raw: RawTable, typed: pd.DataFrame, out: Collector) -> None:
    """A certificate id is claimed on one row; a certificate or contract id belongs to one enterprise (a trade
    contract may run over months and years); a trade and a certificate with the same id, enterprise, year and
    month are one claim (the certificate that came with the trade): counted once when the quantities agree, an
    error when they differ."""
    rows = typed[typed["certificate_id"].notna() & typed["instrument"].isin(["trade", "certificate"])]
    rows = _on_several_rows(rows)
    for _, group in rows.groupby("certificate_id", sort=False):
        first = group.index[0]
        first_row = int(raw.rows[first])
        owner = group.at[first, "enterprise_id"]
        seen_certificate: int | None = None
        for index in group.index:
            row = int(raw.rows[index])
            claimant = group.at[index, "enterprise_id"]
            if not (claimant == owner or (pd.isna(claimant) and pd.isna(owner))):  # a blank is reported as such
                out.cell(
                    raw,
                    index,
                    "certificate_id",
                    f"该编号已在第 {first_row} 行由另一企业申报：同一证书或合同只能由一家企业申报",
                    f"this id is already claimed in row {first_row} by another enterprise: a certificate or contract "
                    "is claimed by one enterprise",
                    "certificate_twice",
                )
                continue
            if group.at[index, "instrument"] != "certificate":
                continue
            if seen_certificate is not None:
                out.cell(
                    raw,
                    index,
                    "certificate_id",
                    f"同一绿证被重复申报（已见第 {seen_certificate} 行）",
                    f"the same certificate is claimed twice (first in row {seen_certificate})",
                    "certificate_twice",
                )
                continue
            seen_certificate = row
            when = (group.at[index, "year"], _month_key(group.at[index, "month"]))
            trades = [
                i
                for i in group.index
                if group.at[i, "instrument"] == "trade"
                and (group.at[i, "year"], _month_key(group.at[i, "month"])) == when
            ]
            if not trades:
                continue
            trade = trades[0]
            mwh = [_green_mwh(group.at[i, "quantity"], group.at[i, "unit"]) for i in (trade, index)]
            trade_row = int(raw.rows[trade])
            if np.isclose(mwh[0], mwh[1], rtol=1e-9):
                out.cell(
                    raw,
                    index,
                    "certificate_id",
                    f"与第 {trade_row} 行是同一笔绿电（绿电交易与其绿证编号相同），只计一次",
                    f"the same green power as row {trade_row} (a trade and its certificate share the id): counted once",
                    "trade_and_certificate",
                    severity="warning",
                )
            else:
                out.cell(
                    raw,
                    index,
                    "quantity",
                    f"与第 {trade_row} 行编号相同（绿电交易与其绿证）但电量不同（{mwh[1]:,.1f} 与 {mwh[0]:,.1f} MWh），"
                    "无法判断取哪一个",
                    f"same id as row {trade_row} (a trade and its certificate) but a different quantity "
                    f"({mwh[1]:,.1f} and {mwh[0]:,.1f} MWh): which one holds cannot be told",
                    "trade_and_certificate_differ",
                )


def _green_mwh(quantity: float, unit: str) -> float:
    try:
        return float(quantity) * mwh_per_unit(unit)
    except (CarbonError, TypeError, ValueError):
        return np.nan


#: The rules of each new table that need nothing but the table, in the order they run.
RULES = {
    "energy": (activity_uses_burn_a_fuel,),
    "conversion_outputs": (conversion_outputs_are_fuels, energy_units_fit_the_carrier),
    "generation": (power_and_heat_only,),
    "power_heat_flows": (
        power_and_heat_only,
        flows_have_a_park_side,
        power_from_outside_is_green_power,
        flows_are_yearly_or_monthly,
    ),
    "products": (
        other_products_are_named,
        product_output_is_a_mass,
        own_process_figures_have_evidence,
        products_have_one_factor,
    ),
    "green_power": (green_ids_are_claimed_once,),
}
