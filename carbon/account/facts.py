"""The per-fact tables of the account: ``detail`` (one row per energy fact, with its tce) and ``emissions`` (one
row per emission fact, per gas and per scope-2 method; ``in_total`` marks the rows the headline total counts).

These tables reach millions of rows: their text columns are factorised once and carried as integer codes
(:mod:`carbon._codes`), coefficients are asked of the :class:`~carbon.account.resolve.Resolver` once per
distinct (enterprise with custom factors, carrier, unit) and the tables are assembled from arrays. No Python
loop runs over rows; every row's result is its quantity times its per-unit coefficient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from carbon import _codes
from carbon.account.resolve import Resolver, evaluate, group_rows, other_rows, spread_results
from carbon.errors import AccountError, FactorNotFoundError
from carbon.names import carriers
from carbon.schema import table
from carbon.units import conversion_factor, mwh_per_unit
from carbon.validation.problems import Problem
from carbon.validation.rules import certificates_of_trades

__all__ = ["Facts", "Kind", "emissions_table", "energy_detail", "green_mwh_by_enterprise", "sheet_of"]


def sheet_of(name: str) -> str:
    """The sheet name of an input table (``energy`` -> ``能源消费 energy``)."""
    return table(name).sheet


@dataclass
class Facts:
    """The energy facts of the year: ``detail`` and what the emissions need beside it."""

    detail: pd.DataFrame
    key: tuple[np.ndarray, np.ndarray]  # the enterprise where it has custom factors for the carrier, else -1
    grid: np.ndarray  # positions of the grid-electricity facts
    claims: pd.DataFrame  # the year's green-power claims, each once (:func:`green_claims`)
    parts: tuple[slice, slice, slice]  # the facts from the energy table, on-site generation, conversion outputs
    # the facts grouped by (enterprise with custom factors, carrier, unit) as their tce was: each fact's group
    # and each group's key values (:func:`carbon._codes.groups`)
    groups: tuple[np.ndarray, list[tuple[object, ...]]] | None = None

    def coded(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """A categorical column of ``detail`` as (codes, values)."""
        return _coded(self.detail[column].array)

    def locate(self, row: int) -> tuple[str, object]:
        """The input sheet and row of a fact."""
        return self.detail["input_sheet"].iat[row], self.detail["input_row"].iat[row]


def _coded(column: pd.Categorical) -> tuple[np.ndarray, np.ndarray]:
    return column.codes, np.asarray(column.categories, dtype=object)


def _compact(parts: list[pd.Series], dtype: str) -> pd.arrays.IntegerArray:
    """Nullable integers of the per-fact tables, in the smaller ``dtype`` (Int8 months, Int32 rows) where
    every value fits, else Int64: never a silent wrap-around."""
    values, blanks = [], []
    for part in parts:  # each part as integers and a mask of blanks (no copy of an integer column that has both)
        array = part.array if isinstance(part, pd.Series) else part
        if isinstance(array, np.ndarray | pd.arrays.NumpyExtensionArray) and np.asarray(array).dtype.kind in "iu":
            values.append(np.asarray(array))
            blanks.append(np.zeros(len(array), dtype=bool))
            continue
        if not isinstance(array, pd.arrays.IntegerArray):
            array = pd.array(array, dtype="Int64")  # refuses what is not a whole number
        blank = np.asarray(array.isna(), dtype=bool)
        values.append(array.to_numpy(dtype=array.dtype.numpy_dtype, na_value=0))
        blanks.append(blank)
    info = np.iinfo(pd.api.types.pandas_dtype(dtype).numpy_dtype)
    given = [v[~b] if b.any() else v for v, b in zip(values, blanks, strict=True)]
    fits = all(info.min <= g.min() and g.max() <= info.max for g in given if len(g))
    target = pd.api.types.pandas_dtype(dtype if fits else "Int64").numpy_dtype
    data = np.concatenate([v.astype(target, copy=False) for v in values]) if values else np.empty(0, dtype=target)
    mask = np.concatenate(blanks) if blanks else np.empty(0, dtype=bool)
    return pd.arrays.IntegerArray(data.astype(target, copy=False), mask)


def _custom_key(resolver: Resolver, enterprise, carrier) -> np.ndarray:
    """Per row: the enterprise code where it has custom factors for the row's carrier, else -1."""
    codes, values = enterprise
    carrier_codes, carrier_values = carrier
    if not resolver.custom_enterprises:
        return np.full(len(codes), -1, dtype=np.int64)
    e_position = {v: i for i, v in enumerate(values.tolist())}
    c_position = {v: i for i, v in enumerate(carrier_values.tolist())}
    pairs = [
        e_position[e] * len(carrier_values) + c_position[c]
        for e, c in resolver.custom_enterprises
        if e in e_position and c in c_position
    ]
    has_custom = np.isin(codes.astype(np.int64) * len(carrier_values) + carrier_codes, pairs)
    return np.where(has_custom, codes, -1)


# -- detail: energy facts and their tce -----------------------------------------------------------------


def _inputs(ledger, year: int) -> dict[str, object]:
    """The year's energy rows and on-site renewable generation as coded columns (no copy of the energy table)."""
    energy = ledger._tables["energy"]  # read only: no copy of millions of rows
    in_year = (energy["year"] == year).to_numpy(dtype=bool, na_value=False)
    everything = bool(in_year.all())
    selected = np.flatnonzero(in_year) if not everything else np.empty(0, dtype=np.intp)

    def pick(values: np.ndarray) -> np.ndarray:
        return values if everything else values[selected]

    green = ledger._tables["green_power"]
    onsite = green[(green["year"] == year) & (green["instrument"] == "onsite")]
    outputs = ledger._tables["conversion_outputs"]
    outputs = outputs[outputs["year"] == year]
    n_energy = len(energy) if everything else len(selected)
    n_onsite, n_outputs = len(onsite), len(outputs)

    def labels(energy_values, onsite_values, output_values) -> pd.Categorical:
        codes, values = _codes.encode(energy_values, onsite_values, output_values)
        if everything and len(energy):
            # every row of the energy table is in the year: each of its values is used (the Ledger codes the
            # labels of a table with rows with the values used only; an empty table keeps the categories it was
            # given), as is each value the other parts add: no pass to find them
            return _codes.categorical(codes, values, np.ones(len(values), dtype=bool))
        return _codes.categorical(np.concatenate([pick(codes[: len(energy)]), codes[len(energy) :]]), values)

    uses = energy["use"]
    uses = uses.astype(object).fillna("fuel") if uses.isna().any() else uses  # a blank use is fuel (documented default)
    in_energy = slice(None) if everything else selected
    return {
        "enterprise_id": labels(energy["enterprise_id"], onsite["enterprise_id"], outputs["enterprise_id"]),
        "carrier": labels(
            energy["carrier"], np.full(n_onsite, "electricity", dtype=object), outputs["carrier"].to_numpy(object)
        ),
        "unit": labels(energy["unit"], onsite["unit"], outputs["unit"]),
        "use": labels(
            uses, np.full(n_onsite, "fuel", dtype=object), np.full(n_outputs, "conversion_output", dtype=object)
        ),
        # a conversion output is energy given back: negative, so that tce and carbon are net of it
        "quantity": np.concatenate(
            [
                pick(energy["quantity"].to_numpy(dtype=float)),
                onsite["quantity"].to_numpy(float),
                -outputs["quantity"].to_numpy(float),
            ]
        ),
        "input_row": _compact(
            [energy["source_row"].array[in_energy], onsite["source_row"], outputs["source_row"]], "Int32"
        ),
        "month": _compact(
            [energy["month"].array[in_energy], onsite["month"], pd.Series(pd.NA, index=outputs.index)], "Int8"
        ),
        "n_energy": n_energy,
        "n_onsite": n_onsite,
    }


def _tce_columns(resolver: Resolver, coded: list, locate, quantity: np.ndarray) -> tuple[dict[str, object], tuple]:
    """tce of every fact both ways (当量值, 等价值) with the method and factor of each; and the facts' groups by
    ``coded`` (each fact's group, each group's key values), which the emissions of fuel take up again."""

    def both(key, carrier, unit):
        equivalent = resolver.tce(key, carrier, unit, "equivalent")
        try:
            equal = resolver.tce(key, carrier, unit, "equal-value")
            equal_row = (equal.value, equal.method, equal.factor_ids)
        except FactorNotFoundError:
            equal_row = (np.nan, "not published", "")
        return (equivalent.value, equivalent.method, equivalent.factor_ids, *equal_row)

    group, key_tuples, first_rows = _codes.groups(coded)
    results = evaluate(key_tuples, first_rows, both, 6, locate, resolver.problems, group_rows(group))
    columns: dict[str, object] = {}
    for name, position in (("tce_equivalent", 0), ("tce_equal_value", 3)):
        columns[name] = spread_results(results, position, group, "float")  # a new array: multiplied in place
        columns[name] *= quantity
    for name, position in (
        ("tce_equivalent_method", 1),
        ("tce_equivalent_factor_id", 2),
        ("tce_equal_value_method", 4),
        ("tce_equal_value_factor_id", 5),
    ):
        columns[name] = _codes.spread([r[position] for r in results], group, "category")
    return columns, (group, key_tuples)


#: Where a fact of ``detail`` comes from (its ``source``).
_SOURCES = ("energy", "grid_electricity", "onsite_renewable", "conversion_output")

#: Activity types (``use``) whose fuel is burned: CO2 of combustion (附件4 E_fuel; international bunkers too,
#: which the park method lists apart).
COMBUSTION_USES = ("fuel", "power", "heat_supply", "refining", "gas_making", "recovered", "bunkers")
#: Conversion input and output: carbon balance at 100 % oxidation (附件4 E_conversion).
CONVERSION_USES = ("conversion", "conversion_output")


def _no_blank_enterprise(enterprise: pd.Categorical, locate) -> None:
    """An AccountError located at the first fact without an enterprise id (an energy, on-site generation or
    conversion-output row of a ledger built in Python, which skips the readers' check that the id is given), with
    the rows of the others; every total is per enterprise."""
    blank = np.flatnonzero(np.asarray(enterprise.codes) < 0)
    if not len(blank):
        return
    sheet, row = locate(int(blank[0]))
    count, listing = other_rows(blank, int(blank[0]), locate)
    zh, en = (
        "企业编码为空：每一行须填写企业统一社会信用代码",
        "the enterprise id is empty: every row names its enterprise",
    )
    if count:
        zh += f"（另外 {count} 行：{listing}）"
        en += f" (and {count} more row(s): {listing})"
    raise AccountError([Problem("error", str(sheet), f"row {row}", "", zh, en, "required")])


def energy_detail(ledger, year: int, resolver: Resolver, clean_energy: str) -> Facts:
    """The energy facts of ``year`` with their tce (both methods), clean-energy flag and category."""
    inputs = _inputs(ledger, year)
    enterprise, carrier, unit, quantity = (inputs[c] for c in ("enterprise_id", "carrier", "unit", "quantity"))
    n, n_energy = len(quantity), inputs["n_energy"]
    n_generated = n_energy + inputs["n_onsite"]
    carriers_ = np.asarray(carrier.categories, dtype=object)
    is_electricity = (carriers_ == "electricity")[carrier.codes]
    source_codes = is_electricity.astype(np.int8)
    source_codes[n_energy:n_generated] = 2
    source_codes[n_generated:] = 3
    sheet_codes = np.zeros(n, dtype=np.int8)
    sheet_codes[n_energy:n_generated] = 1
    sheet_codes[n_generated:] = 2
    # the sources and sheets present, from the parts' lengths (no pass over the rows to find them)
    grid_rows = int(np.count_nonzero(is_electricity[:n_energy]))
    parts = np.array([n_energy, n_generated - n_energy, n - n_generated]) > 0
    sources_used = np.array([n_energy - grid_rows > 0, grid_rows > 0, *parts[1:]])
    sheets = np.array([sheet_of("energy"), sheet_of("green_power"), sheet_of("conversion_outputs")], dtype=object)
    _no_blank_enterprise(enterprise, lambda row: (sheets[sheet_codes[row]], inputs["input_row"][row]))
    key = (_custom_key(resolver, _coded(enterprise), _coded(carrier)), np.asarray(enterprise.categories, dtype=object))
    input_row = inputs["input_row"]
    tce, groups = _tce_columns(
        resolver,
        [key, _coded(carrier), _coded(unit)],
        lambda row: (sheets[sheet_codes[row]], input_row[row]),
        quantity,
    )
    if resolver.electricity_tce == "equal-value" and np.isnan(tce["tce_equal_value"]).any():
        resolver.tce("", "electricity", "MWh", "equal-value")  # raises: 等价值 not published for the year
    headline = "equal_value" if resolver.electricity_tce == "equal-value" else "equivalent"
    # clean energy: natural gas (by default) and non-fossil energy; grid electricity is clean only where green
    # instruments cover it (added at park level by the indicator), on-site renewables always
    clean_carriers = {"biomass", *(("natural_gas", "lng") if clean_energy == "natural_gas+non_fossil" else ())}
    info = carriers().set_index("id")
    category = np.array([info["category"].get(c) for c in carriers_.tolist()], dtype=object)
    detail = pd.DataFrame(
        {
            "enterprise_id": enterprise,
            "year": pd.arrays.IntegerArray(np.full(n, year, dtype=np.int16), np.zeros(n, dtype=bool)),
            "month": inputs["month"],
            "carrier": carrier,
            "use": inputs["use"],
            "quantity": quantity,
            "unit": unit,
            "source": _codes.categorical(source_codes, np.array(_SOURCES), sources_used),
            "input_sheet": _codes.categorical(sheet_codes, sheets, parts),
            "input_row": input_row,
            **{k: v for k, v in tce.items() if k.endswith(("_method", "_factor_id"))},
            "tce_equivalent": tce["tce_equivalent"],
            "tce_equal_value": tce["tce_equal_value"],
            "tce_method": tce[f"tce_{headline}_method"],
            "tce_factor_id": tce[f"tce_{headline}_factor_id"],
            "tce": tce[f"tce_{headline}"],
            "clean": np.isin(carriers_, list(clean_carriers))[carrier.codes] | (source_codes == 2),
            # every carrier has facts (``carrier`` is trimmed): every carrier's category is used
            "category": _codes.categorical(carrier.codes, category, np.ones(len(category), dtype=bool)),
        },
        copy=False,
    )
    spans = (slice(0, n_energy), slice(n_energy, n_generated), slice(n_generated, n))
    return Facts(detail, key, np.flatnonzero(source_codes == 1), green_claims(ledger, year), spans, groups)


# -- emissions: blocks of emission facts ----------------------------------------------------------------


@dataclass
class Block:
    """Emission rows of one kind: positions in the facts, and the block's own columns.

    ``factor_codes`` index ``factor_labels`` (the factor ids) per row, or name one label for every row;
    ``factor_value`` is per row, or a (per-group values, group per row) pair. The emissions of every row are
    its quantity times its factor value."""

    rows: np.ndarray
    source: str
    scope: int
    scope2_method: str | None
    gas: str
    factor_labels: list[str | None]
    factor_codes: np.ndarray | int
    factor_value: np.ndarray | tuple[np.ndarray, np.ndarray]
    custom_factor: np.ndarray | bool = False
    green_mwh: np.ndarray | None = None


def _fuel_rows(facts: Facts, uses: tuple[str, ...]) -> np.ndarray:
    """Positions of the facts of a fuel (not electricity or heat) with one of ``uses``."""
    carrier_codes, carrier_values = facts.coded("carrier")
    use_codes, use_values = facts.coded("use")
    categories = pd.Series(carriers().set_index("id")["category"]).reindex(carrier_values).fillna("").astype(str)
    is_fuel = categories.str.contains("fuel").to_numpy()
    return np.flatnonzero(is_fuel[carrier_codes] & np.isin(use_values, uses)[use_codes])


def _subgroups(group: np.ndarray, key_tuples: list, rows: np.ndarray) -> tuple[np.ndarray, list, np.ndarray]:
    """What :func:`carbon._codes.groups` gives for the facts at ``rows`` on the keys that numbered ``group``:
    the groups that have rows, numbered again in the same order (the order of their keys), with their key
    values and first rows among ``rows``; from the groups of every fact, with no key made again."""
    renumbered, present = _codes.dense(group[rows], len(key_tuples))
    return renumbered, [key_tuples[g] for g in present.tolist()], _codes.first_rows(renumbered, len(present))


class _FuelGroups:
    """The facts at ``rows`` grouped by (enterprise with custom factors, carrier, unit): a coefficient is asked
    of the resolver once per group, and a missing one is a problem located at the group's first row."""

    def __init__(self, facts: Facts, rows: np.ndarray, resolver: Resolver) -> None:
        self.rows, self.resolver = rows, resolver
        if facts.groups is not None:
            self.group, self.key_tuples, self.first_rows = _subgroups(*facts.groups, rows)
        else:
            keys = [(facts.key[0][rows], facts.key[1])]
            keys += [
                tuple(arr[rows] if i == 0 else arr for i, arr in enumerate(facts.coded(c))) for c in ("carrier", "unit")
            ]
            self.group, self.key_tuples, self.first_rows = _codes.groups(keys)
        self.locate = lambda row: facts.locate(int(rows[row]))

    def block(self, source: str, gas: str, coefficient) -> Block:
        """One emission block: ``coefficient(key, carrier, unit)`` gives a Coefficient per group."""

        def per_unit(key, carrier, unit):
            found = coefficient(key, carrier, unit)
            label = found.factor_ids or (found.method.split(":")[0] if gas == "CO2" else None)
            return found.value, label, found.measured

        results = evaluate(
            self.key_tuples, self.first_rows, per_unit, 3, self.locate, self.resolver.problems, group_rows(self.group)
        )
        values = (spread_results(results, 0, np.arange(len(results)), "float"), self.group)
        measured = _codes.spread([bool(r[2]) for r in results], self.group, "bool")
        labels = [r[1] or None for r in results]
        return Block(self.rows, source, 1, None, gas, labels, self.group, values, measured)


def _combustion_blocks(facts: Facts, resolver: Resolver, non_co2: bool, gwp: str) -> list[Block]:
    """CO2 (and with ``non_co2`` CH4 and N2O) of the fuel burned: Scope 1."""
    groups = _FuelGroups(facts, _fuel_rows(facts, COMBUSTION_USES), resolver)
    blocks = [groups.block("fuel_combustion", "CO2", resolver.co2)]
    if not (non_co2 and len(groups.rows)):
        return blocks
    for gas in ("CH4", "N2O"):
        blocks.append(
            groups.block("fuel_combustion", gas, lambda k, c, u, gas=gas: resolver.non_co2(k, c, u, gas, gwp))
        )
    return blocks


def _conversion_blocks(facts: Facts, resolver: Resolver) -> list[Block]:
    """The carbon a conversion loses: inputs minus outputs (outputs are negative facts), each at its fuel's
    factor with 100 % oxidation (附件4 二（二）2): Scope 1, CO2."""
    rows = _fuel_rows(facts, CONVERSION_USES)
    if not len(rows):
        return []
    return [_FuelGroups(facts, rows, resolver).block("energy_conversion", "CO2", resolver.conversion_co2)]


def green_claims(ledger, year: int) -> pd.DataFrame:
    """The year's trades, certificates and direct lines, each claim once: the certificate that came with a trade
    (same id, enterprise, year and month; the same quantity, validated) is left out."""
    green = ledger.green_power
    purchased = green[(green["year"] == year) & green["instrument"].isin(["trade", "certificate", "direct_line"])]
    return purchased[~certificates_of_trades(purchased)]


def green_mwh_by_enterprise(claims: pd.DataFrame) -> pd.Series:
    """Green power bought by each enterprise (trades, certificates, direct lines) [MWh], from the year's
    :func:`green_claims`."""
    purchased = claims
    if purchased.empty:
        return pd.Series(dtype=float)
    factors = {u: mwh_per_unit(u) for u in purchased["unit"].unique()}
    mwh = purchased["quantity"] * purchased["unit"].map(factors)
    return mwh.groupby(purchased["enterprise_id"]).sum()


def _per_unit(unit_values: np.ndarray, used: np.ndarray, coefficient) -> np.ndarray:
    """``coefficient(unit)`` for each distinct unit that ``used`` marks (NaN for the others)."""
    out = np.full(len(unit_values), np.nan)
    for position in np.flatnonzero(used):
        out[position] = coefficient(unit_values[position])
    return out


def _market_rates(resolver: Resolver, enterprise_values: np.ndarray, total: np.ndarray):
    """Per enterprise: tCO2/MWh of uncovered grid power (supplier factor or national residual), its factor
    label position, the labels, and whether it is a supplier's (custom) factor."""
    residual = resolver.electricity("MWh", "market")
    rate = np.full(len(enterprise_values), residual.value)
    labels: list[str | None] = [residual.factor_ids]
    label_of = np.zeros(len(enterprise_values), dtype=np.intp)
    custom = np.zeros(len(enterprise_values), dtype=bool)
    suppliers = resolver.suppliers()
    with_supplier = np.isin(enterprise_values, list(suppliers)) & (total > 0) if suppliers else total < 0
    for position in np.flatnonzero(with_supplier).tolist():
        supplier = resolver.electricity("MWh", "market", enterprise_values[position])
        rate[position], custom[position] = supplier.value, True
        label_of[position] = len(labels)
        labels.append(supplier.factor_ids)
    return rate, label_of, labels, custom


def _electricity_blocks(facts: Facts, ledger, year: int, resolver: Resolver) -> tuple[list[Block], float]:
    """Grid electricity, location- and market-based: Scope 2; and the grid power left uncovered [MWh].

    Market-based: green power is shared over the enterprise's electricity rows pro rata; the rest at the
    supplier's factor (custom) or the national factor excluding market-traded non-fossil power."""
    grid = facts.grid
    if not len(grid):
        return [], 0.0
    unit_codes, unit_values = facts.coded("unit")
    used = np.bincount(unit_codes[grid], minlength=len(unit_values)) > 0
    location = _per_unit(unit_values, used, lambda u: resolver.electricity(u, "location").value)[unit_codes[grid]]
    location_id = resolver.grid("location").id
    blocks = [Block(grid, "purchased_electricity", 2, "location", "CO2", [location_id], 0, location)]
    per_unit = _per_unit(unit_values, used, lambda u: conversion_factor(u, "MWh"))[unit_codes[grid]]
    enterprise_codes, enterprise_values = facts.coded("enterprise_id")
    enterprise_codes = enterprise_codes[grid]
    mwh = facts.detail["quantity"].to_numpy()[grid] * per_unit
    total = np.bincount(enterprise_codes, weights=mwh, minlength=len(enterprise_values))
    green = green_mwh_by_enterprise(facts.claims).reindex(enterprise_values).fillna(0.0).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        covered_by_enterprise = np.where(total > 0, np.minimum(green / np.where(total > 0, total, 1.0), 1.0), 0.0)
    rate, label_of, labels, custom = _market_rates(resolver, enterprise_values, total)
    covered = covered_by_enterprise[enterprise_codes]
    green_mwh = mwh * covered
    uncovered_mwh = float(np.nansum(mwh - green_mwh))
    del mwh
    market_value = rate[enterprise_codes] * per_unit * (1 - covered)
    blocks.append(
        Block(
            grid,
            "purchased_electricity",
            2,
            "market",
            "CO2",
            labels,
            label_of[enterprise_codes],
            market_value,
            custom[enterprise_codes],
            green_mwh,
        )
    )
    return blocks, uncovered_mwh


def _heat_blocks(facts: Facts, resolver: Resolver) -> list[Block]:
    """Purchased heat and steam at the default heat factor, the same both ways: Scope 2."""
    carrier_codes, carrier_values = facts.coded("carrier")
    heat = np.flatnonzero(np.isin(carrier_values, ["heat", "steam"])[carrier_codes])
    if not len(heat):
        return []
    unit_codes, unit_values = facts.coded("unit")
    used = np.bincount(unit_codes[heat], minlength=len(unit_values)) > 0
    value = _per_unit(unit_values, used, lambda u: resolver.heat_co2(u).value)[unit_codes[heat]]
    factor_id = resolver.heat_co2("GJ").factor_ids
    return [Block(heat, "purchased_heat", 2, method, "CO2", [factor_id], 0, value) for method in ("location", "market")]


class Kind(NamedTuple):
    """The rows of the emission facts made by one block, and what the block's rows share."""

    source: str
    scope: int
    scope2_method: str | None
    gas: str
    rows: slice


def emissions_table(facts: Facts, ledger, year: int, resolver: Resolver, non_co2: bool, gwp: str, headline: str):
    """The emission facts, the market-based grid power left uncovered by green instruments [MWh], and the
    :class:`Kind` of each block of rows (what the totals and the park method select, known where the rows are
    made: no search of millions of rows for them).

    ``headline`` is the scope-2 method of the headline total (:attr:`Methods.headline`): the rows of scope 1
    and of scope 2 by that method are ``in_total``."""
    blocks = _combustion_blocks(facts, resolver, non_co2, gwp) + _conversion_blocks(facts, resolver)
    electricity, uncovered_mwh = _electricity_blocks(facts, ledger, year, resolver)
    blocks += electricity + _heat_blocks(facts, resolver)
    _, spans = _spans(blocks)
    kinds = [Kind(b.source, b.scope, b.scope2_method, b.gas, span) for b, span in zip(blocks, spans, strict=True)]
    return assemble(facts, blocks, ledger.enterprises, headline), uncovered_mwh, kinds


# -- assembly ---------------------------------------------------------------------------------------------


def _spans(blocks: list[Block]) -> tuple[int, list[slice]]:
    lengths = [len(b.rows) for b in blocks]
    ends = np.cumsum(lengths)
    return int(sum(lengths)), [slice(int(end - length), int(end)) for end, length in zip(ends, lengths, strict=True)]


def _block_arrays(blocks: list[Block], spans: list[slice], n: int) -> dict[str, np.ndarray]:
    """The per-row arrays every block fills (allocated once at full length: no per-block copies)."""
    rows = np.empty(n, dtype=np.intp)
    factor_value = np.empty(n)
    green_mwh = np.full(n, np.nan)
    custom_factor = np.zeros(n, dtype=bool)
    scope = np.empty(n, dtype=np.int8)
    factor_labels = sorted({label for b in blocks for label in b.factor_labels if label is not None})
    factor_codes = np.empty(n, dtype=_codes.code_dtype(len(factor_labels)))
    for block, span in zip(blocks, spans, strict=True):
        rows[span] = block.rows
        if isinstance(block.factor_value, tuple):
            np.take(block.factor_value[0], block.factor_value[1], out=factor_value[span])
        else:
            factor_value[span] = block.factor_value
        if block.green_mwh is not None:
            green_mwh[span] = block.green_mwh
        custom_factor[span] = block.custom_factor
        scope[span] = block.scope
        remap = np.array([factor_labels.index(x) if x is not None else -1 for x in block.factor_labels])
        factor_codes[span] = remap[block.factor_codes] if len(remap) else -1
    return {
        "rows": rows,
        "factor_value": factor_value,
        "green_mwh": green_mwh,
        "custom_factor": custom_factor,
        "scope": scope,
        "factor_id": _codes.categorical(factor_codes, factor_labels),
    }


def _in_total(blocks: list[Block], spans: list[slice], n: int, headline: str) -> np.ndarray:
    """Per row: counted in the headline total (scope 1, and scope 2 by the ``headline`` method). One value per
    block, filled span by span: no work per row beyond writing the array."""
    out = np.empty(n, dtype=bool)
    for block, span in zip(blocks, spans, strict=True):
        out[span] = block.scope == 1 or block.scope2_method == headline
    return out


def _per_block(values: list[str | None], spans: list[slice], n: int) -> pd.Categorical:
    labels = sorted({v for v in values if v is not None})
    codes = np.empty(n, dtype=np.int8)
    for value, span in zip(values, spans, strict=True):
        codes[span] = labels.index(value) if value is not None else -1
    return pd.Categorical.from_codes(codes, pd.Index(labels, dtype="str"), validate=False)


def _enterprise_columns(enterprise: pd.Categorical, firms: pd.DataFrame) -> dict[str, pd.Categorical]:
    """name, sub_park and industry per row, by the enterprise's code (every category used)."""
    info = firms.drop_duplicates("enterprise_id")
    # object indexes: pandas' Arrow-backed text index looks up 100,000 ids about 3x slower
    position = pd.Index(info["enterprise_id"].to_numpy(dtype=object), dtype=object).get_indexer(
        pd.Index(np.asarray(enterprise.categories, dtype=object), dtype=object)
    )
    columns = {}
    for column in ("name", "sub_park", "industry"):
        held = info[column].array
        if isinstance(held.dtype, pd.StringDtype) and held.dtype.storage == "pyarrow":
            # text held by Arrow: taken and encoded there, no Python object per enterprise (-1, not listed: null)
            values = pa.array(held).take(pa.array(position, mask=position < 0))
        else:
            values = np.append(held.to_numpy(dtype=object), None)[position]  # -1 (not listed): None
        per_enterprise = _codes.sorted_categorical(values)
        row_codes = per_enterprise.codes[enterprise.codes]
        columns[column] = pd.Categorical.from_codes(row_codes, per_enterprise.categories, validate=False)
    return columns


def _taken(values, rows: np.ndarray, every_row: bool = False):
    """A column of the facts at ``rows`` (``every_row``: as :func:`carbon._codes.subset` takes it)."""
    if isinstance(values, pd.Categorical):
        return _codes.subset(values, rows, every_row)
    if isinstance(values, pd.arrays.IntegerArray) and not values.isna().any():
        # no blank (input rows; months where no fact is yearly): the numbers taken, the mask made blank-free, not
        # taken row by row as well
        numbers = values.to_numpy(dtype=values.dtype.numpy_dtype)
        return pd.arrays.IntegerArray(numbers[rows], np.zeros(len(rows), dtype=bool))
    return values.take(rows)


def assemble(facts: Facts, blocks: list[Block], firms: pd.DataFrame, headline: str) -> pd.DataFrame:
    """The emissions table: each block's rows of the facts, with the block's own columns; ``in_total`` marks the
    rows of the headline total (scope 1, and scope 2 by the ``headline`` method)."""
    n, spans = _spans(blocks)
    arrays = _block_arrays(blocks, spans, n)
    rows = arrays["rows"]
    detail = facts.detail
    quantity = detail["quantity"].to_numpy()[rows]

    # where every fact has emissions (the usual case), no category of the facts' columns is trimmed (each is
    # made by _codes.categorical, so each category has facts): one pass over the facts, not one per column
    covered = np.zeros(len(detail), dtype=bool)
    covered[rows] = True
    every_row = bool(covered.all())

    def taken(column: str):
        return _taken(detail[column].array, rows, every_row)

    enterprise = taken("enterprise_id")
    year = detail["year"].array
    year_value = year[0] if len(year) else 0
    columns = {
        "enterprise_id": enterprise,
        **_enterprise_columns(enterprise, firms),
        "year": pd.arrays.IntegerArray(np.full(n, year_value, dtype=year.dtype.numpy_dtype), np.zeros(n, dtype=bool)),
        "month": taken("month"),
        "source": _per_block([b.source for b in blocks], spans, n),
        "carrier": taken("carrier"),
        "use": taken("use"),
        "scope": arrays["scope"],
        "scope2_method": _per_block([b.scope2_method for b in blocks], spans, n),
        "gas": _per_block([b.gas for b in blocks], spans, n),
        "quantity": quantity,
        "unit": taken("unit"),
        "green_mwh": arrays["green_mwh"],
        "factor_id": arrays["factor_id"],
        "factor_value": arrays["factor_value"],
        "custom_factor": arrays["custom_factor"],
        "emissions_tco2": quantity * arrays["factor_value"],
        "in_total": _in_total(blocks, spans, n, headline),
        "input_sheet": taken("input_sheet"),
        "input_row": taken("input_row"),
    }
    return pd.DataFrame(columns, copy=False)
