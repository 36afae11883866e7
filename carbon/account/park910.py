"""The park's CO2 as the zero-carbon-park accounting method counts it (发改环资〔2025〕910号 附件4):

    E_park = E_fuel + E_conversion + E_electricity + E_heat + E_process          (CO2 only)

- E_fuel: fossil fuel burned (end use, thermal power, heat supply, refining, gas making, recovered energy): the
  Scope-1 CO2 of those facts, grouped by activity type, carrier and unit; international bunkers listed apart;
- E_conversion: the carbon a conversion loses, inputs minus outputs at 100 % oxidation;
- E_electricity: the park's NET inflow across its boundary: grid power bought by park enterprises less what they
  received from other park enterprises, green-backed power (certificates, trades, direct lines) at 0, the rest at
  the national fossil-power factor 0.8325 kgCO2/kWh; power sent out of the park subtracted at its kind's factor;
- E_heat: the same for heat: fossil heat at 0.11 tCO2/GJ, non-fossil at 0;
- E_process: product output times its process factor (the enterprise's own with evidence, a mass balance, or a
  published default).

Every line of :attr:`ParkMethod.lines` names its input sheet and row (or, for fuel, the emission facts it sums)
and its factor id, so each term can be checked by hand.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from carbon.account.facts import COMBUSTION_USES, sheet_of
from carbon.account.resolve import Resolver
from carbon.emissions import mass_balance_co2, process_co2_factor
from carbon.errors import AccountError, CarbonError
from carbon.indicators import ratio, status
from carbon.schema.outputs import output_table
from carbon.units import conversion_factor, convert, mwh_per_unit
from carbon.validation.problems import Problem

__all__ = ["TERMS", "ParkMethod", "factor_per", "park_method"]

#: The terms of E_park, in the order of the formula, and the line kept apart (bunkers).
TERMS = ("fuel", "conversion", "electricity", "heat", "process")

#: The columns of the lines, as the output schema describes them.
_COLUMNS = tuple(output_table("park_method").names)


class ParkMethod(NamedTuple):
    """The park-method account of one year."""

    lines: pd.DataFrame  # one row per term line, with its lineage
    terms: dict[str, float]  # tCO2 per term, "total" (E_park) and "bunkers" (listed apart)
    direct_supply: dict[str, object]  # the direct-supply share against the 50 % principle
    grid_inflow_mwh: float  # grid power counted at 0.8325: what green power could still cover
    grid_factor: float  # tCO2/MWh
    open_points: pd.DataFrame  # what 附件4 leaves open, shown both ways
    notes: list[str]


def _lines(rows: list[dict[str, object]] | pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows
    for column in _COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(_COLUMNS)]


#: The columns of the lines that hold numbers; ``in_total`` holds flags, ``input_row`` nullable row numbers, the
#: others text (Python objects, blank as None or NaN).
_FLOATS = ("quantity", "factor_value", "tco2")

#: Lines as one array per column of :data:`_COLUMNS`, as :func:`_joined` takes them.
Block = dict[str, object]


def _block(rows: list[dict[str, object]] | pd.DataFrame) -> Block:
    """A few lines (a list of dicts or a frame) as a :data:`Block`, each column converted as the joined lines
    convert it."""
    frame = _lines(rows)
    block: Block = {}
    for column in _COLUMNS:
        values = frame[column]
        if column in _FLOATS:
            block[column] = values.astype(float).to_numpy()
        elif column == "in_total":
            block[column] = values.astype(bool).to_numpy()
        elif column == "input_row":
            block[column] = pd.array(values, dtype="Int64")
        else:
            block[column] = values.to_numpy(dtype=object)
    return block


def _joined(blocks: list[Block]) -> pd.DataFrame:
    """The lines of every block, joined column by column: text stays Python objects (a frame built from object
    arrays would turn them into pandas' text and back), one line per enterprise costs no pandas frame."""
    columns: dict[str, object] = {}
    for column in _COLUMNS:
        parts = [block[column] for block in blocks]
        if column == "input_row":
            columns[column] = pd.concat([pd.Series(part, dtype="Int64") for part in parts], ignore_index=True)
        elif column in _FLOATS or column == "in_total":
            columns[column] = np.concatenate(parts)
        else:
            columns[column] = pd.Series(np.concatenate(parts), dtype=object)
    return pd.DataFrame(columns)


def _per_unit(units: pd.Series, target: str) -> pd.Series:
    table = {u: conversion_factor(u, target) for u in pd.unique(units.astype(object))}
    return units.astype(object).map(table).astype(float)


# -- E_fuel and E_conversion: sums of the emission facts -----------------------------------------------------


def _codes_of(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, values) of a categorical column, without touching its millions of values."""
    values = column.array
    return np.asarray(values.codes), np.asarray(values.categories, dtype=object)


def _is(column: pd.Series, *wanted: str, within: slice = slice(None)) -> np.ndarray:
    """Rows of a categorical column (``within`` them) whose value is one of ``wanted``, compared on the codes."""
    codes, values = _codes_of(column)
    return np.append(np.isin(values, wanted), False)[codes[within]]  # code -1 (blank) takes the last slot: False


def _rows_of(emissions: pd.DataFrame, kinds, source: str, gas: str | None = None) -> np.ndarray | slice:
    """The emission facts of ``source`` (and ``gas``): a slice where they are one block (as assembled), else
    their positions. Taken from the blocks' :class:`carbon.account.facts.Kind` where given, else found on the
    codes of the columns."""
    if kinds is None:
        wanted = _is(emissions["source"], source)
        if gas is not None:
            wanted &= _is(emissions["gas"], gas)
        rows = np.flatnonzero(wanted)
        if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
            return slice(int(rows[0]), int(rows[-1]) + 1)
        return rows
    spans = [
        k.rows for k in kinds if k.source == source and (gas is None or k.gas == gas) and k.rows.stop > k.rows.start
    ]
    if len(spans) == 1:
        return spans[0]
    return np.concatenate([np.arange(span.start, span.stop) for span in spans]) if spans else np.empty(0, np.intp)


def _count(rows: np.ndarray | slice) -> int:
    return rows.stop - rows.start if isinstance(rows, slice) else len(rows)


def _fuel_lines(emissions: pd.DataFrame, kinds=None) -> pd.DataFrame:
    """CO2 of fuel burned, by activity type, carrier and unit (bunkers apart); from the Scope-1 emission facts.

    Summed on the codes of the categorical columns with ``numpy.bincount``: the emission facts reach millions
    of rows."""
    rows = _rows_of(emissions, kinds, "fuel_combustion", "CO2")  # one block of the emissions: views, not copies
    if not _count(rows):
        return _lines([])
    parts = [_codes_of(emissions[c]) for c in ("use", "carrier", "unit")]
    sizes = [len(values) for _, values in parts]
    space = int(np.prod(sizes))
    # a dense key over (use, carrier, unit): no sort of millions of rows; in numpy.bincount's own integer type,
    # which it would otherwise convert the key to on each of its calls below
    key = parts[0][0][rows].astype(np.intp)
    for (codes, _), size in zip(parts[1:], sizes[1:], strict=True):
        key *= size  # in place: no temporary of the rows per column
        key += codes[rows]
    count = np.bincount(key, minlength=space)
    groups = np.flatnonzero(count)
    quantity = np.bincount(key, weights=emissions["quantity"].to_numpy()[rows], minlength=space)[groups]
    tco2 = np.bincount(key, weights=emissions["emissions_tco2"].to_numpy()[rows], minlength=space)[groups]
    count = count[groups]
    label, rest = [], groups.copy()
    for (_, values), size in reversed(list(zip(parts, sizes, strict=True))):
        label.insert(0, values[rest % size])
        rest //= size
    factor_codes, factor_values = _codes_of(emissions["factor_id"])
    width = len(factor_values) + 1
    pairs = np.flatnonzero(np.bincount(key * width + factor_codes[rows] + 1, minlength=space * width))
    position = {g: i for i, g in enumerate(groups.tolist())}
    ids: list[list[str]] = [[] for _ in range(len(groups))]
    for pair in pairs.tolist():
        g, code = divmod(pair, width)
        if code > 0 and len(ids[position[g]]) < 3:
            ids[position[g]].append(str(factor_values[code - 1]))
    use = label[0].astype(str)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor_value = np.where(quantity != 0, tco2 / np.where(quantity != 0, quantity, 1.0), np.nan)
    frame = pd.DataFrame(
        {
            "term": np.where(use == "bunkers", "bunkers", "fuel"),
            "item": use,
            "carrier": label[1].astype(str),
            "quantity": quantity,
            "unit": label[2].astype(str),
            "factor_value": factor_value,
            "factor_unit": ["tCO2/" + str(u) for u in label[2]],
            "factor_id": [" ".join(i) for i in ids],
            "tco2": tco2,
            "in_total": use != "bunkers",
            "input_sheet": sheet_of("energy"),
            "note": [
                f"{n} 行，逐行见 排放明细（化石燃料燃烧，CO2） / {n} row(s), per row on 排放明细 emissions "
                "(source fuel_combustion, gas CO2)"
                for n in count
            ],
        }
    )
    order = np.lexsort((frame["unit"], frame["carrier"], frame["item"]))
    return _lines(frame.iloc[order].reset_index(drop=True))


def _conversion_balance_is_not_negative(rows: pd.DataFrame) -> None:
    """A conversion never gives out more carbon than it takes in: an AccountError located at the first output
    row of each enterprise where it would."""
    enterprises = rows["enterprise_id"].astype(str)
    balance = rows["emissions_tco2"].groupby(enterprises).sum()
    problems = []
    for enterprise, tco2 in balance[balance < -1e-9].items():
        mine = rows[(enterprises == enterprise).to_numpy()]
        first = mine[mine["quantity"] < 0].iloc[0] if (mine["quantity"] < 0).any() else mine.iloc[0]
        problems.append(
            Problem(
                "error",
                str(first["input_sheet"]),
                f"row {first['input_row']}",
                enterprise,
                f"加工转换产出的碳多于投入（碳平衡 {tco2:,.1f} tCO2）：请核对产出量、投入量或实测的含碳量",
                f"the conversion gives out more carbon than it takes in (balance {tco2:,.1f} tCO2): check the "
                "outputs, the inputs or the measured carbon contents",
                "conversion_negative",
            )
        )
    if problems:
        raise AccountError(problems)


def _conversion_lines(emissions: pd.DataFrame, kinds=None) -> pd.DataFrame:
    """The carbon balance of each conversion row: inputs positive, outputs negative, 100 % oxidation."""
    rows = emissions.iloc[_rows_of(emissions, kinds, "energy_conversion")]
    if rows.empty:
        return _lines([])
    _conversion_balance_is_not_negative(rows)
    frame = pd.DataFrame(
        {
            "term": "conversion",
            "item": rows["use"].astype(str).to_numpy(),
            "enterprise_id": rows["enterprise_id"].astype(str).to_numpy(),
            "carrier": rows["carrier"].astype(str).to_numpy(),
            "quantity": rows["quantity"].to_numpy(),
            "unit": rows["unit"].astype(str).to_numpy(),
            "factor_value": rows["factor_value"].to_numpy(),
            "factor_unit": ("tCO2/" + rows["unit"].astype(str)).to_numpy(),
            "factor_id": rows["factor_id"].astype(str).to_numpy(),
            "tco2": rows["emissions_tco2"].to_numpy(),
            "in_total": True,
            "input_sheet": rows["input_sheet"].astype(str).to_numpy(),
            "input_row": rows["input_row"].to_numpy(),
            "note": "碳氧化率 100%（附件4 二（二）2），产出计为负 / oxidation 100 % (附件4 二（二）2), an output is negative",
        }
    )
    return _lines(frame)


# -- E_electricity and E_heat: the park's net inflow ---------------------------------------------------------


def _flows(ledger, year: int, kind: str, unit: str) -> pd.DataFrame:
    """The year's flows of one kind (electricity; heat and steam) with their amount in ``unit``."""
    flows = ledger.power_heat_flows
    carriers = ["electricity"] if kind == "electricity" else ["heat", "steam"]
    flows = flows[(flows["year"] == year) & flows["carrier"].isin(carriers)].copy()
    flows["amount"] = flows["quantity"].astype(float) * _per_unit(flows["unit"], unit) if len(flows) else 0.0
    return flows


def _used(
    detail: pd.DataFrame, carriers: list[str], unit: str, source: str = "energy", within: slice | None = None
) -> pd.Series:
    """What each enterprise used of these carriers (facts of ``source``), in ``unit``; by enterprise id.

    ``within``: the facts of one input part (:attr:`carbon.account.facts.Facts.parts`) whose facts of these
    carriers are all of ``source``: they are found there, with no look at the source of every fact. Summed on
    the codes of the categorical columns: the energy facts reach millions of rows."""
    if within is None:
        rows = np.flatnonzero(_is(detail["carrier"], *carriers) & _is(detail["source"], source))
    else:
        rows = np.flatnonzero(_is(detail["carrier"], *carriers, within=within)) + within.start
    if not len(rows):
        return pd.Series(dtype=float)
    unit_codes, unit_values = _codes_of(detail["unit"])
    used_units = np.flatnonzero(np.bincount(unit_codes[rows], minlength=len(unit_values)))
    per_unit = np.full(len(unit_values), np.nan)
    per_unit[used_units] = [conversion_factor(str(u), unit) for u in unit_values[used_units]]
    amount = detail["quantity"].to_numpy()[rows] * per_unit[unit_codes[rows]]
    firm_codes, firms = _codes_of(detail["enterprise_id"])
    firm_codes = firm_codes[rows].astype(np.intp)  # numpy.bincount's type: converted once for its two calls
    total = np.bincount(firm_codes, weights=amount, minlength=len(firms))
    present = np.bincount(firm_codes, minlength=len(firms)) > 0
    return pd.Series(total[present], index=pd.Index(firms[present], dtype=object))  # the ids as text objects


def _outflow_lines(flows: pd.DataFrame, unit: str, factors: dict[str, object], kind: str) -> list[dict]:
    out = flows[flows["supplier_id"].notna() & flows["receiver_id"].isna()]
    lines = []
    for row in out.itertuples(index=False):
        factor = factors[row.origin]
        value = factor_per(factor, unit)
        lines.append(
            {
                "term": kind,
                "item": f"outflow_{row.origin}",
                "enterprise_id": row.supplier_id,
                "carrier": row.carrier,
                "quantity": -row.amount,
                "unit": unit,
                "factor_value": value,
                "factor_unit": f"tCO2/{unit}",
                "factor_id": factor.id,
                "tco2": -row.amount * value,
                "in_total": True,
                "input_sheet": sheet_of("power_heat_flows"),
                "input_row": row.source_row,
                "note": "送出园区，按其类别的因子扣减 / sent out of the park: subtracted at its own kind's factor",
            }
        )
    return lines


def factor_per(factor, unit: str) -> float:
    """A factor of 附件4 (kgCO2/kWh, tCO2/GJ) as tCO2 per ``unit`` of activity."""
    return float(convert(float(factor.value), factor.unit, f"tCO2/{unit}"))


class _Electricity(NamedTuple):
    lines: list[Block]
    grid_mwh: float
    used_mwh: float
    internal_non_fossil_mwh: float
    non_fossil_outflow_mwh: float
    green_surplus: tuple[int, float]  # enterprises whose green claims exceed their net inflow, and the MWh over


def _per_enterprise(
    term: str,
    item: str,
    carrier: str,
    unit: str,
    enterprises: np.ndarray,
    quantity: np.ndarray,
    factor,
    sheet: str,
    notes: list[str],
) -> Block:
    """One line per enterprise with a positive quantity, at one factor: arrays, the repeated text one object."""
    keep = quantity > 0
    value = factor_per(factor, unit)
    amount = quantity[keep]
    n = len(amount)

    def repeated(text: str) -> np.ndarray:
        out = np.empty(n, dtype=object)
        out.fill(text)  # one object referred to n times (numpy.full makes n copies of the text)
        return out

    return {
        "term": repeated(term),
        "item": repeated(item),
        "enterprise_id": np.asarray(enterprises, dtype=object)[keep],
        "carrier": repeated(carrier),
        "quantity": amount,
        "unit": repeated(unit),
        "factor_value": np.full(n, value),
        "factor_unit": repeated(f"tCO2/{unit}"),
        "factor_id": repeated(factor.id),
        "tco2": amount * value,
        "in_total": np.ones(n, dtype=bool),
        "input_sheet": repeated(sheet),
        "input_row": pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)),  # all blank
        "note": np.asarray(notes, dtype=object)[keep],
    }


def _notes(used: np.ndarray, less: np.ndarray, unit: str, plain: str) -> list[str]:
    """Per enterprise: the arithmetic of its inflow where something is subtracted, else one plain note (the
    enterprises of a province run to 100,000: no text is built for the plain ones)."""
    notes = [plain] * len(used)
    for i in np.flatnonzero(less > 0).tolist():
        notes[i] = (
            f"用量 {used[i]:,.3f} {unit}，减去来自园区企业或非化石的 {less[i]:,.3f} {unit} / "
            f"used {used[i]:,.3f} {unit} less {less[i]:,.3f} {unit} from park enterprises or non-fossil"
        )
    return notes


def _aligned(index: pd.Index, *series: pd.Series) -> list[np.ndarray]:
    return [s.reindex(index).fillna(0.0).to_numpy(dtype=float) for s in series]


def _electricity(
    ledger, year: int, resolver: Resolver, detail: pd.DataFrame, claims: pd.DataFrame, parts: tuple[slice, ...] | None
) -> _Electricity:
    grid, green = resolver.factors.park_method("co2_grid"), resolver.factors.park_method("co2_green")
    resolver.use(grid)
    resolver.use(green)
    # the energy table's electricity is grid power (on-site generation is a part of its own)
    used = _used(detail, ["electricity"], "MWh", "grid_electricity", parts and parts[0])
    flows = _flows(ledger, year, "electricity", "MWh")
    internal = flows[flows["supplier_id"].notna() & flows["receiver_id"].notna()]
    received = internal.groupby("receiver_id")["amount"].sum() if len(internal) else pd.Series(dtype=float)
    claimed = (
        # as numbers even where the year has no claim (an empty text column maps to text)
        (claims["quantity"] * claims["unit"].map({u: mwh_per_unit(u) for u in claims["unit"].unique()}).astype(float))
        .groupby(claims["enterprise_id"])
        .sum()
    )
    enterprises = used.index.union(received.index)
    used_mwh, received_mwh, claimed_mwh = _aligned(enterprises, used, received, claimed)
    inflow = np.clip(used_mwh - received_mwh, 0.0, None)
    covered = np.minimum(claimed_mwh, inflow)
    uncovered = inflow - covered
    notes = _notes(
        used_mwh, received_mwh, "MWh", "电网购电，无来自园区企业的电力 / grid power used, none from park enterprises"
    )
    green_note = [
        "绿证、绿电交易和直连（每个编号计一次） / certificates, green-power trades and direct lines (each id once)"
    ] * len(enterprises)
    ids = enterprises.to_numpy()
    lines = [
        _per_enterprise(
            "electricity", "inflow_grid", "electricity", "MWh", ids, uncovered, grid, sheet_of("energy"), notes
        ),
        _per_enterprise(
            "electricity",
            "inflow_green",
            "electricity",
            "MWh",
            ids,
            covered,
            green,
            sheet_of("green_power"),
            green_note,
        ),
        _block(_outflow_lines(flows, "MWh", {"fossil": grid, "non_fossil": green}, "electricity")),
    ]
    non_fossil_internal = (
        float(internal.loc[internal["origin"] == "non_fossil", "amount"].sum()) if len(internal) else 0.0
    )
    out = flows[flows["supplier_id"].notna() & flows["receiver_id"].isna()]
    non_fossil_out = float(out.loc[out["origin"] == "non_fossil", "amount"].sum()) if len(out) else 0.0
    over = claimed_mwh - covered
    surplus = (int((over > 1e-9).sum()), float(over.sum()))
    return _Electricity(
        lines, float(uncovered.sum()), float(used_mwh.sum()), non_fossil_internal, non_fossil_out, surplus
    )


def _heat(ledger, year: int, resolver: Resolver, detail: pd.DataFrame, parts: tuple[slice, ...] | None) -> list[Block]:
    fossil = resolver.factors.park_method("co2_heat_fossil")
    non_fossil = resolver.factors.park_method("co2_heat_non_fossil")
    resolver.use(fossil)
    resolver.use(non_fossil)
    used = _used(detail, ["heat", "steam"], "GJ", "energy", parts and parts[0])  # bought heat: the energy table's
    flows = _flows(ledger, year, "heat", "GJ")
    into = flows[flows["receiver_id"].notna()]
    internal = into[into["supplier_id"].notna()].groupby("receiver_id")["amount"].sum()
    outside_green = into[into["supplier_id"].isna() & (into["origin"] == "non_fossil")]
    green = outside_green.groupby("receiver_id")["amount"].sum()
    enterprises = used.index.union(internal.index).union(green.index)
    used_gj, internal_gj, green_gj = _aligned(enterprises, used, internal, green)
    fossil_in = np.clip(used_gj - internal_gj - green_gj, 0.0, None)
    notes = _notes(
        used_gj,
        internal_gj + green_gj,
        "GJ",
        "购入热力，无来自园区企业或非化石的热力 / heat used, none from park enterprises or non-fossil",
    )
    fossil_lines = _per_enterprise(
        "heat", "inflow_fossil", "heat", "GJ", enterprises.to_numpy(), fossil_in, fossil, sheet_of("energy"), notes
    )
    green_lines = [
        {
            "term": "heat",
            "item": "inflow_non_fossil",
            "enterprise_id": row.receiver_id,
            "carrier": "heat",
            "quantity": row.amount,
            "unit": "GJ",
            "factor_value": float(non_fossil.value),
            "factor_unit": "tCO2/GJ",
            "factor_id": non_fossil.id,
            "tco2": row.amount * float(non_fossil.value),
            "in_total": True,
            "input_sheet": sheet_of("power_heat_flows"),
            "input_row": row.source_row,
        }
        for row in outside_green.itertuples(index=False)
    ]
    outflow = _outflow_lines(flows, "GJ", {"fossil": fossil, "non_fossil": non_fossil}, "heat")
    return [fossil_lines, _block(green_lines), _block(outflow)]


# -- E_process ---------------------------------------------------------------------------------------------------


def _process_line(row, resolver: Resolver) -> dict:
    sheet = sheet_of("products")
    base = {
        "term": "process",
        "item": row.product,
        "enterprise_id": row.enterprise_id,
        "quantity": float(row.output),
        "unit": row.unit,
        "in_total": True,
        "input_sheet": sheet,
        "input_row": row.source_row,
    }
    if pd.notna(row.carbon_in):
        tco2 = float(mass_balance_co2(float(row.carbon_in), float(row.carbon_out), "tC"))
        return base | {
            "factor_value": tco2 / float(row.output) if row.output else np.nan,
            "factor_unit": f"tCO2/{row.unit}",
            "factor_id": f"mass_balance:{sheet}:{row.source_row}",
            "tco2": tco2,
            "note": f"质量平衡：（{row.carbon_in:g} − {row.carbon_out:g}）tC × 44/12，依据 {row.evidence} / "
            f"mass balance: ({row.carbon_in:g} - {row.carbon_out:g}) tC x 44/12, evidence {row.evidence}",
        }
    own = (float(row.process_factor), "tCO2/t") if pd.notna(row.process_factor) else None
    coefficient = process_co2_factor(row.unit, row.product, factor=own, factor_set=resolver.factors)
    for factor in coefficient.factors:
        resolver.use(factor)
    ids = " ".join(f.id for f in coefficient.factors)
    if own is not None:
        ids = f"custom:process:{sheet}:{row.source_row}"
    return base | {
        "factor_value": coefficient.value,
        "factor_unit": coefficient.unit,
        "factor_id": ids,
        "tco2": coefficient.value * float(row.output),
        "note": (
            f"企业自有因子，依据 {row.evidence} / enterprise factor, evidence {row.evidence}"
            if own is not None
            else f"缺省值（IPCC 2006 第一层级） / {coefficient.method}"
        ),
    }


def _process_lines(ledger, year: int, resolver: Resolver) -> list[dict]:
    products = ledger.products
    lines, problems = [], []
    for row in products[products["year"] == year].itertuples(index=False):
        try:
            lines.append(_process_line(row, resolver))
        except CarbonError as exc:
            zh, _, en = str(exc).partition(" / ")
            problems.append(
                Problem(
                    "error", sheet_of("products"), f"row {row.source_row}", str(row.product), zh, en or zh, "process"
                )
            )
    if problems:
        raise AccountError(problems)
    return lines


# -- the whole -------------------------------------------------------------------------------------------------


def _direct_supply(
    ledger,
    year: int,
    resolver: Resolver,
    detail: pd.DataFrame,
    electricity: _Electricity,
    parts: tuple[slice, ...] | None,
) -> dict:
    """Share of the park's electricity use met by direct green supply: direct lines, own renewable generation
    used on site, and non-fossil power supplied by park enterprises to others (carbon's reading: 附件4 states
    the 50 % principle without defining the share). Value and threshold are fractions (0.5 for 50 %)."""
    principle = resolver.factors.park_method("direct_supply_share")
    resolver.use(principle)
    green = ledger.green_power
    direct = green[(green["year"] == year) & (green["instrument"] == "direct_line")]
    direct_mwh = (
        float((direct["quantity"] * direct["unit"].map({u: mwh_per_unit(u) for u in direct["unit"].unique()})).sum())
        if len(direct)
        else 0.0
    )
    onsite_mwh = float(_used(detail, ["electricity"], "MWh", "onsite_renewable", parts and parts[1]).sum())
    total = electricity.used_mwh + onsite_mwh
    supplied = direct_mwh + onsite_mwh + electricity.internal_non_fossil_mwh
    share = ratio(supplied, total)
    threshold = float(principle.value) / conversion_factor("1", principle.unit)  # 50 % -> 0.5
    return {
        "value": share,
        "threshold": threshold,
        "status": status(share, threshold, "higher"),
        "direct_line_mwh": direct_mwh,
        "onsite_mwh": onsite_mwh,
        "internal_non_fossil_mwh": electricity.internal_non_fossil_mwh,
        "electricity_used_mwh": total,
        "factor_id": principle.id,
    }


def park_method(
    ledger,
    year: int,
    resolver: Resolver,
    detail: pd.DataFrame,
    emissions: pd.DataFrame,
    claims: pd.DataFrame,
    kinds=None,
    parts: tuple[slice, ...] | None = None,
) -> ParkMethod:
    """The 附件4 account of ``year`` from the energy facts (``parts``: the rows of each input part, as
    :attr:`carbon.account.facts.Facts.parts`), the emission facts (``kinds``: their blocks, as
    :func:`carbon.account.facts.emissions_table` gives them), the year's green-power claims
    (:func:`carbon.account.facts.green_claims`) and the ledger's flows and products."""
    assert set(COMBUSTION_USES) >= {"fuel", "bunkers"}
    electricity = _electricity(ledger, year, resolver, detail, claims, parts)
    lines = _joined(
        [
            _block(_fuel_lines(emissions, kinds)),
            _block(_conversion_lines(emissions, kinds)),
            *electricity.lines,
            *_heat(ledger, year, resolver, detail, parts),
            _block(_process_lines(ledger, year, resolver)),
        ]
    )
    terms = _term_sums(lines, (*TERMS, "bunkers"))
    terms["total"] = float(sum(terms[t] for t in TERMS))
    grid_value = factor_per(resolver.factors.park_method("co2_grid"), "MWh")
    notes = []
    if terms["bunkers"]:
        notes.append(
            f"国际航空航海燃料 {terms['bunkers']:,.1f} tCO2 单独列出，不计入园区排放（附件4） / international bunkers "
            f"{terms['bunkers']:,.1f} tCO2 listed apart, not in E_park"
        )
    notes.extend(_ghg_view_notes(ledger, year))
    count, surplus = electricity.green_surplus
    if count:
        notes.append(
            f"{count} 家企业的绿证绿电多于其电网净受入，超出的 {surplus:,.1f} MWh 未计 / green certificates and trades "
            f"of {count} enterprise(s) exceed their net grid inflow; the {surplus:,.1f} MWh over are not counted"
        )
    open_points = _open_points(electricity, grid_value, terms["total"])
    return ParkMethod(
        lines,
        terms,
        _direct_supply(ledger, year, resolver, detail, electricity, parts),
        electricity.grid_mwh,
        grid_value,
        open_points,
        notes,
    )


def _term_sums(lines: pd.DataFrame, terms: tuple[str, ...]) -> dict[str, float]:
    """tCO2 per term: the sum of its lines (blanks skipped, as pandas' sum), the terms told apart on their codes
    (one pass over the lines, not one comparison of text per term)."""
    codes, names = pd.factorize(lines["term"].to_numpy(dtype=object))
    tco2 = lines["tco2"].to_numpy(dtype=float)
    position = {name: i for i, name in enumerate(names.tolist())}
    return {term: float(np.nansum(tco2[codes == position[term]])) if term in position else 0.0 for term in terms}


def _ghg_view_notes(ledger, year: int) -> list[str]:
    """What makes the GHG view (enterprises summed) differ from 附件4 beyond the factors: supplies inside the
    park are the supplier's Scope 1 and again the receiver's Scope 2."""
    flows = ledger.power_heat_flows
    inside = flows[(flows["year"] == year) & flows["supplier_id"].notna() & flows["receiver_id"].notna()]
    if inside.empty:
        return []
    parts = []
    for carriers, unit in ((["electricity"], "MWh"), (["heat", "steam"], "GJ")):
        rows = inside[inside["carrier"].isin(carriers)]
        if len(rows):
            parts.append(f"{float((rows['quantity'] * _per_unit(rows['unit'], unit)).sum()):,.1f} {unit}")
    listed = "、".join(parts)
    return [
        f"范围一+二按企业加总：园区内企业间供应的 {listed} 在供方范围一与受方范围二各计一次，附件4只计一次 / scope 1 + 2 "
        f"summed over enterprises counts the {', '.join(parts)} supplied between park enterprises twice (the "
        "supplier's scope 1 and the receiver's scope 2), 附件4 counts it once"
    ]


def _open_points(electricity: _Electricity, grid_value: float, total: float) -> pd.DataFrame:
    """What 附件4 leaves open in the numerator, each shown both ways where it changes E_park."""
    rows = []
    if electricity.non_fossil_outflow_mwh > 0:
        other = total - electricity.non_fossil_outflow_mwh * grid_value
        rows.append(
            {
                "point": "non_fossil_outflow",
                "reading": "按其类别：非化石电力计 0 / its own kind: non-fossil at 0",
                "e_park_tco2": total,
                "other_reading": "按 0.8325 kgCO2/kWh / at 0.8325 kgCO2/kWh",
                "other_e_park_tco2": other,
                "note": (
                    f"送出园区的非化石电力 {electricity.non_fossil_outflow_mwh:,.1f} MWh，两种理解相差 "
                    f"{electricity.non_fossil_outflow_mwh * grid_value:,.1f} tCO2 / {electricity.non_fossil_outflow_mwh:,.1f} "
                    f"MWh of non-fossil power sent out, the readings differ by "
                    f"{electricity.non_fossil_outflow_mwh * grid_value:,.1f} tCO2"
                ),
            }
        )
    return pd.DataFrame(rows, columns=["point", "reading", "e_park_tco2", "other_reading", "other_e_park_tco2", "note"])
