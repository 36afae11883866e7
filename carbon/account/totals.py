"""Totals of the account: per enterprise, sub-park, industry and the park, against the baseline; energy by
carrier; the tables' final form.

Sums over the per-fact tables use ``numpy.bincount`` on the codes of their categorical columns (millions of
rows); the small tables use pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carbon import _codes
from carbon.account.facts import sheet_of
from carbon.errors import CarbonError
from carbon.names import carriers
from carbon.units import conversion_factor, mwh_per_unit

__all__ = [
    "LEVELS",
    "LEVEL_ATTRIBUTES",
    "UNASSIGNED",
    "EnergySums",
    "Totals",
    "blanks_to_none",
    "energy_by_carrier",
    "green_power_table",
    "is_value",
    "levels",
    "per_enterprise",
    "rows_where",
    "with_baseline",
]

LEVELS = ("enterprise", "sub_park", "industry", "park")


UNASSIGNED = "未分配 unassigned"


def _strict_sum(values: pd.Series, keys) -> pd.Series:
    """Sum per group that is blank when any part is blank (electricity 等价值 is not published every year)."""
    grouped = values.groupby(keys, dropna=False)
    return grouped.sum().where(~values.isna().groupby(keys, dropna=False).any())


def is_value(column: pd.Series, value: str) -> np.ndarray:
    """Rows of a categorical column equal to ``value``, compared on the codes."""
    categories = column.cat.categories
    if value not in categories:
        return np.zeros(len(column), dtype=bool)
    return column.cat.codes.to_numpy() == categories.get_loc(value)


class Totals:
    """Sums per category of a categorical column.

    Counted with ``numpy.bincount`` on the codes (the per-fact tables hold millions of rows). Rules:
    ``skipna`` (blanks ignored, as pandas' ``sum``), ``min_count`` (blank when every part is blank) or
    ``strict`` (blank when any part is; electricity 等价值 is not published for every year). A category
    without rows gets NaN."""

    def __init__(self, codes: np.ndarray, n: int) -> None:
        self.codes = codes.astype(np.intp)
        self.n = n
        self.rows = np.bincount(self.codes, minlength=n)

    def sum(self, values: pd.Series | np.ndarray, rule: str = "skipna", mask: np.ndarray | None = None) -> np.ndarray:
        codes, weights = self.codes, np.asarray(values, dtype=float)
        if mask is not None:
            codes, weights = codes[mask], weights[mask]
        rows = self.rows if mask is None else np.bincount(codes, minlength=self.n)
        return ruled(*self._parts(codes, weights), rows, rule)

    def parts(self, values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Per category: the sum of the values that are not blank, and the number of blank values (None where
        no value is blank): what :func:`ruled` makes a total of, and what sums of categories add up."""
        return self._parts(self.codes, np.asarray(values, dtype=float))

    def _parts(self, codes: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        blank = np.isnan(weights)
        if blank.any():
            total = np.bincount(codes, weights=np.where(blank, 0.0, weights), minlength=self.n)
            return total, np.bincount(codes[blank], minlength=self.n)
        return np.bincount(codes, weights=weights, minlength=self.n), None

    def counts(self) -> np.ndarray:
        """The rows of each category."""
        return self.rows


def ruled(total: np.ndarray, blanks: np.ndarray | None, rows: np.ndarray, rule: str) -> np.ndarray:
    """Totals by :class:`Totals`' rule from their parts: the sum of the values that are not blank, the number of
    blank values (None: none) and of values, per category."""
    total = total.astype(float)  # a new array (bincount over no rows gives integers)
    if blanks is not None:
        if rule == "min_count":
            total[blanks == rows] = np.nan
        elif rule == "strict":
            total[blanks > 0] = np.nan
    total[rows == 0] = np.nan
    return total


def _scope_sums(emissions: pd.DataFrame) -> list[np.ndarray]:
    """Scope 1, scope 2 location-based and scope 2 market-based tCO2 per category of ``enterprise_id`` (blank
    where the enterprise has no row of the kind), in one ``bincount`` over (enterprise, kind) pairs."""
    firm = emissions["enterprise_id"].array
    n = len(firm.categories)
    scope = emissions["scope"].to_numpy()
    method = emissions["scope2_method"].array
    # the kind of each row (0 scope 1, 1 location, 2 market, 3 none of these) looked up from its scope and its
    # method's code in a small table: no masks over the rows
    width = len(method.categories) + 1  # code -1 (no method) at 0
    scopes = int(scope.max()) + 1 if len(scope) else 1
    table = np.full((max(scopes, 3), width), 3, dtype=np.int8)
    table[1, :] = 0
    for position, name in enumerate(method.categories.tolist()):
        table[2, position + 1] = {"location": 1, "market": 2}.get(name, 3)
    cell = scope.astype(np.intp if scopes * width > 127 else np.int8) * width
    cell += method.codes
    cell += 1
    pair = firm.codes.astype(np.int32 if 4 * n < 2**31 else np.intp)
    pair *= 4
    pair += table.ravel()[cell]
    total = Totals(pair, 4 * n).sum(emissions["emissions_tco2"]).reshape(n, 4)  # blanks skipped, as pandas' sum
    return [total[:, k] for k in range(3)]


def _scope_sums_by_kind(emissions: pd.DataFrame, kinds) -> list[np.ndarray]:
    """:func:`_scope_sums` from the blocks the emission facts were made in (:class:`carbon.account.facts.Kind`):
    each block's rows summed per enterprise by themselves, so no row needs a code for its kind. A kind made of
    several blocks (scope 2 location-based: grid power and heat) adds the blocks' sums, in another order than
    one pass over the rows: the totals agree to rounding."""
    firm = emissions["enterprise_id"].array
    n = len(firm.categories)
    codes = firm.codes
    tco2 = emissions["emissions_tco2"].to_numpy()
    total, rows = np.zeros((3, n)), np.zeros((3, n), dtype=np.int64)
    for kind in kinds:
        k = 0 if kind.scope == 1 else {"location": 1, "market": 2}.get(kind.scope2_method) if kind.scope == 2 else None
        if k is None or kind.rows.stop == kind.rows.start:
            continue
        block = Totals(codes[kind.rows], n)
        total[k] += block.parts(tco2[kind.rows])[0]  # blanks skipped
        rows[k] += block.rows
    return [ruled(total[k], None, rows[k], "skipna") for k in range(3)]  # blanks skipped, as pandas' sum


class _KeySums(Totals):
    """:class:`Totals` over integer keys in [0, ``space``), reported for the keys that have rows only (sorted):
    the sums run over the key space directly, with no pass that numbers the groups first."""

    def __init__(self, key: np.ndarray, space: int) -> None:
        rows = np.bincount(key, minlength=space)
        self.keys = np.flatnonzero(rows)
        self.codes, self.n, self.rows = key, space, rows

    def sum(self, values: pd.Series | np.ndarray, rule: str = "skipna", mask: np.ndarray | None = None) -> np.ndarray:
        return super().sum(values, rule, mask)[self.keys]

    def parts(self, values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        total, blanks = super().parts(values)
        return total[self.keys], None if blanks is None else blanks[self.keys]

    def counts(self) -> np.ndarray:
        return self.rows[self.keys]


class EnergySums:
    """The energy facts summed once per (enterprise, carrier, use): the rows of the energy table, and the parts
    each enterprise's tce adds up (sums of its keys' sums: no second pass over millions of facts).

    Each column's parts (the sum of the values that are not blank, the number of blank values) are taken once;
    :meth:`per_key` and :meth:`per_enterprise` apply :class:`Totals`' rules to them."""

    def __init__(self, detail: pd.DataFrame) -> None:
        carrier, use, firm = (detail[c].array for c in ("carrier", "use", "enterprise_id"))
        self.detail = detail
        self.n_carrier, self.n_use = len(carrier.categories), max(len(use.categories), 1)
        key = (firm.codes.astype(np.intp) * self.n_carrier + carrier.codes) * self.n_use + use.codes
        space = len(firm.categories) * self.n_carrier * self.n_use
        if _codes.addressable(space, len(key)):  # sums over the whole key space, then the keys that have rows
            self.totals: Totals = _KeySums(key, space)
            keys = self.totals.keys
        else:
            group, keys = _codes.dense(key, space)
            self.totals = Totals(group, len(keys))
        self.firm, rest = np.divmod(keys, self.n_carrier * self.n_use)
        self.carrier, self.use = np.divmod(rest, self.n_use)
        self.n_firms = len(firm.categories)
        self._parts: dict[object, tuple[np.ndarray, np.ndarray | None]] = {}  # by column, and by array
        self._held: list[np.ndarray] = []

    def parts(self, column: str, values: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        """The per-key parts of a column of the facts (or of ``values``, one per fact, named ``column``). Two
        columns holding the very same array (the headline tce is one of the two methods') are summed once."""
        if column not in self._parts:
            array = np.asarray(self.detail[column] if values is None else values, dtype=float)
            same = (array.__array_interface__["data"][0], array.strides, len(array))
            self._parts[column] = self._parts.get(same) or self.totals.parts(array)
            self._parts[same] = self._parts[column]
            self._held.append(array)  # kept alive: no later array may be given its address and taken for it
        return self._parts[column]

    def per_key(self, column: str, rule: str, values: np.ndarray | None = None) -> np.ndarray:
        return ruled(*self.parts(column, values), self.totals.counts(), rule)

    def per_enterprise(self, column: str, rule: str) -> np.ndarray:
        """Per category of the facts' ``enterprise_id``: the sum of its keys' parts, by ``rule`` (blank where
        the enterprise has no fact)."""
        total, blanks = self.parts(column)

        def folded(values: np.ndarray) -> np.ndarray:
            return np.bincount(self.firm, weights=values, minlength=self.n_firms)

        counts = self.totals.counts()
        return ruled(folded(total), None if blanks is None else folded(blanks), folded(counts), rule)


def per_enterprise(
    emissions: pd.DataFrame, detail: pd.DataFrame, ledger, year: int, sums: EnergySums | None = None, kinds=None
) -> pd.DataFrame:
    """Totals per enterprise: every enterprise with energy facts or economics in the year, sorted by id.

    ``sums``: the year's :class:`EnergySums`, whose keys' sums give each enterprise's tce; ``kinds``: the
    blocks of the emission facts (:class:`carbon.account.facts.Kind`), whose sums give the scope totals."""
    e = emissions
    # object indexes throughout: pandas' Arrow-backed text index looks up 100,000 ids about 3x slower
    fact_firms = pd.Index(np.asarray(detail["enterprise_id"].cat.categories, dtype=object), dtype=object)
    index = fact_firms.rename("enterprise_id")
    economics = ledger.economics
    economics = economics[economics["year"] == year].drop_duplicates("enterprise_id")
    listed = pd.Index(economics["enterprise_id"].to_numpy(dtype=object), dtype=object)
    positions = index.get_indexer(listed)  # each economics row's place among the enterprises with facts
    extra = listed[positions < 0]
    in_index = np.arange(len(index))
    if len(extra):
        index = index.append(extra).sort_values().rename("enterprise_id")  # append drops the name
        in_index, positions = index.get_indexer(fact_firms), index.get_indexer(listed)
    sums = EnergySums(detail) if sums is None else sums

    def aligned(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
        out = np.full(len(index), np.nan)
        out[positions] = values
        return out

    emission_firms = pd.Index(np.asarray(e["enterprise_id"].cat.categories, dtype=object), dtype=object)
    # where every enterprise with facts has emissions (the usual case), their places are those of the facts
    firm_in_index = in_index if emission_firms.equals(fact_firms) else index.get_indexer(emission_firms)
    scopes = _scope_sums(e) if kinds is None else _scope_sums_by_kind(e, kinds)
    columns = dict(zip(("scope1_tco2", "scope2_location_tco2", "scope2_market_tco2"), scopes, strict=True))
    columns = {name: aligned(values, firm_in_index) for name, values in columns.items()}
    columns["tce"] = aligned(sums.per_enterprise("tce", "min_count"), in_index)
    columns["tce_equivalent"] = aligned(sums.per_enterprise("tce_equivalent", "min_count"), in_index)
    # a total is blank when any of its parts is (electricity 等价值 is not published for every year)
    columns["tce_equal_value"] = aligned(sums.per_enterprise("tce_equal_value", "strict"), in_index)
    for column in ("output_value", "added_value"):
        columns[column] = aligned(economics[column].to_numpy(dtype=float, na_value=np.nan), positions)
    # the ids' dtype inferred as before (text: pandas' str), not the object index of the lookups
    frame = pd.DataFrame(columns, index=pd.Index(index.to_numpy(), name="enterprise_id"))
    for column in ("scope1_tco2", "scope2_location_tco2", "scope2_market_tco2"):
        # an enterprise with energy facts but none of this kind emits nothing of it (a sum over no rows)
        frame[column] = frame[column].where(frame["tce"].isna() | frame[column].notna(), 0.0)
    frame = frame.reset_index()
    firms = ledger.enterprises[["enterprise_id", "name", "sub_park", "industry"]].drop_duplicates("enterprise_id")
    # each enterprise's attributes taken by its place in the enterprises table (a left merge on the id, without
    # hashing the ids twice); not listed there: blank
    place = pd.Index(firms["enterprise_id"].to_numpy(dtype=object), dtype=object).get_indexer(index)
    for column in ("name", "sub_park", "industry"):
        frame[column] = firms[column].array.take(place, allow_fill=True)
    if len(firms) and frame["enterprise_id"].dtype != firms["enterprise_id"].dtype:
        frame["enterprise_id"] = frame["enterprise_id"].astype(object)  # as the merge on the id made it
    frame["sub_park"] = frame["sub_park"].fillna(UNASSIGNED)
    frame["industry"] = frame["industry"].fillna(UNASSIGNED)
    return frame


_SUMS = [
    "scope1_tco2",
    "scope2_location_tco2",
    "scope2_market_tco2",
    "tce",
    "tce_equivalent",
    "tce_equal_value",
    "output_value",
    "added_value",
]


#: The attributes each level's rows carry (the others are blank there and :meth:`AnnualAccount.by` drops them):
#: an enterprise has its name, sub-park and industry; a sub-park or an industry is named by itself (a sub-park
#: spans industries and an industry sub-parks, so neither has the other); the park has its name.
LEVEL_ATTRIBUTES = {
    "enterprise": ("name", "sub_park", "industry"),
    "sub_park": ("sub_park",),
    "industry": ("industry",),
    "park": ("name",),
}


def _one_row_each(ids: pd.Series) -> bool:
    """The ids are distinct, none blank, and sorted (as :func:`per_enterprise` gives them)."""
    index = pd.Index(ids.to_numpy(dtype=object), dtype=object)
    try:
        return bool(index.is_unique and index.is_monotonic_increasing and not index.hasnans)
    except TypeError:  # ids that do not compare
        return False


def levels(per_enterprise: pd.DataFrame, headline: str, park_name: object = None) -> pd.DataFrame:
    """Totals and intensities per enterprise, sub-park, industry and the park (``level``, ``key``).

    Each row carries the attributes of its level (:data:`LEVEL_ATTRIBUTES`): ``name``, ``sub_park`` and
    ``industry`` of an enterprise; ``sub_park`` of a sub-park row and ``industry`` of an industry row (each its
    ``key``); ``name`` of the park row (``park_name``)."""
    frames = []
    for level, key in (
        ("enterprise", "enterprise_id"),
        ("sub_park", "sub_park"),
        ("industry", "industry"),
        ("park", None),
    ):
        if level == "enterprise" and _one_row_each(per_enterprise["enterprise_id"]):
            # one row per enterprise, sorted by id: each group is its row (a sum of one value is that value)
            grouped = per_enterprise[["enterprise_id", *_SUMS, "name", "sub_park", "industry"]].rename(
                columns={"enterprise_id": "key"}
            )
        elif key is None:
            grouped = per_enterprise[_SUMS].sum(min_count=1).to_frame().T
            grouped["tce_equal_value"] = per_enterprise["tce_equal_value"].sum(skipna=False)
            grouped.insert(0, "key", "park")
        else:
            grouped = (
                per_enterprise.groupby(key, dropna=False)[_SUMS]
                .sum(min_count=1)
                .reset_index()
                .rename(columns={key: "key"})
            )
            strict = _strict_sum(per_enterprise["tce_equal_value"], per_enterprise[key])
            grouped["tce_equal_value"] = grouped["key"].map(strict)
        if level == "enterprise":
            if "name" not in grouped:
                grouped = grouped.merge(
                    per_enterprise[["enterprise_id", "name", "sub_park", "industry"]],
                    left_on="key",
                    right_on="enterprise_id",
                ).drop(columns="enterprise_id")
        else:  # as text already (the enterprises' rows then need no conversion after the concatenation)
            blank = pd.array([None] * len(grouped), dtype="str")
            grouped["name"] = pd.array([park_name] * len(grouped), dtype="str") if level == "park" else blank
            grouped["sub_park"] = grouped["key"].astype("str") if level == "sub_park" else blank
            grouped["industry"] = grouped["key"].astype("str") if level == "industry" else blank
        grouped.insert(0, "level", level)
        frames.append(grouped)
    frame = pd.concat(frames, ignore_index=True)
    for column in ("name", "sub_park", "industry"):
        frame[column] = frame[column].astype("str")  # as the enterprises' text (None where a level has none)
    frame["total_location_tco2"] = frame["scope1_tco2"] + frame["scope2_location_tco2"]
    frame["total_market_tco2"] = frame["scope1_tco2"] + frame["scope2_market_tco2"]
    frame["total_tco2"] = frame["total_market_tco2" if headline == "market" else "total_location_tco2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["tco2_per_tce"] = frame["total_tco2"] / frame["tce"]
        frame["tco2_per_10k_yuan_output"] = frame["total_tco2"] / frame["output_value"]
        frame["tco2_per_10k_yuan_added_value"] = frame["total_tco2"] / frame["added_value"]
    return frame.replace([np.inf, -np.inf], np.nan)


def with_baseline(current: pd.DataFrame, baseline: pd.DataFrame | None) -> pd.DataFrame:
    """The baseline year's total, tce and carbon per energy beside each row, and the relative changes against
    them as fractions (``change_total`` -0.117 for a total 11.7 % below the baseline's)."""
    if baseline is None:
        for column in (
            "baseline_total_tco2",
            "baseline_tce",
            "baseline_tco2_per_tce",
            "change_total",
            "change_tco2_per_tce",
        ):
            current[column] = np.nan
        return current
    base = baseline[["level", "key", "total_tco2", "tce", "tco2_per_tce"]].rename(
        columns={"total_tco2": "baseline_total_tco2", "tce": "baseline_tce", "tco2_per_tce": "baseline_tco2_per_tce"}
    )
    frame = current.merge(base, on=["level", "key"], how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["change_total"] = frame["total_tco2"] / frame["baseline_total_tco2"] - 1
        frame["change_tco2_per_tce"] = frame["tco2_per_tce"] / frame["baseline_tco2_per_tce"] - 1
    return frame.replace([np.inf, -np.inf], np.nan)


def _with_enterprises(frame: pd.DataFrame, firms: pd.DataFrame) -> pd.DataFrame:
    """Add name, sub_park and industry, taken by factorised enterprise codes (no merge)."""
    codes, uniques = pd.factorize(frame["enterprise_id"])
    info = firms.drop_duplicates("enterprise_id").set_index("enterprise_id")[["name", "sub_park", "industry"]]
    info = info.reindex(pd.Index(uniques))
    out = frame.reset_index(drop=True)
    for column in ("name", "sub_park", "industry"):
        out[column] = info[column].take(codes).to_numpy()
    return out


def rows_where(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The rows of a per-fact table where ``mask`` holds, categories trimmed to the values that remain."""
    rows = np.flatnonzero(mask)
    columns = {c: frame[c].array for c in frame.columns}
    return pd.DataFrame(
        {c: _codes.subset(v, rows) if isinstance(v, pd.Categorical) else v.take(rows) for c, v in columns.items()},
        copy=False,
    )


def _empty_text(values: pd.Series) -> pd.Series:
    """Cells holding the empty text. An object column is compared by NumPy (about 3x faster than pandas'
    comparison on 200,000 park-method lines); a text column by pandas (Arrow)."""
    if values.dtype == object:
        try:
            return pd.Series(np.asarray(values.to_numpy() == "", dtype=bool), index=values.index)
        except (TypeError, ValueError):  # a cell whose comparison does not give True or False
            pass
    return values.eq("")


def blanks_to_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty text becomes missing (NaN), so that a table reads back from Excel as it was written; only columns
    that hold an empty string are touched."""
    out = frame.copy(deep=False)  # copy-on-write: the columns replaced below are new, the rest shared
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            empty = _empty_text(values)
            if empty.any():
                out[column] = values.mask(empty)
            elif values.dtype == object and values.isna().any():
                out[column] = values.where(values.notna(), np.nan)
    return out


def green_power_table(ledger, year: int) -> pd.DataFrame:
    green = ledger.green_power
    green = green[green["year"] == year].copy()
    units = green["unit"].dropna().unique()
    factors = {u: mwh_per_unit(u) for u in units}
    green["mwh"] = green["quantity"] * green["unit"].map(factors).astype(float)
    green = _with_enterprises(green, ledger.enterprises)
    green["input_sheet"] = sheet_of("green_power")
    columns = [
        "enterprise_id",
        "name",
        "sub_park",
        "year",
        "month",
        "instrument",
        "quantity",
        "unit",
        "mwh",
        "certificate_id",
        "source",
        "input_sheet",
        "source_row",
    ]
    return green[columns].rename(columns={"source_row": "input_row"}).reset_index(drop=True)


_CANONICAL = {"mass": "t", "volume": "万Nm3"}


def energy_by_carrier(detail: pd.DataFrame, sums: EnergySums | None = None) -> pd.DataFrame:
    """tce and quantity (in the carrier's canonical unit) per enterprise, carrier and use.

    Grouped on the codes of the categorical columns (sorted categories, so the rows come out in the order of
    the text), one pint call per distinct (carrier, unit) pair. ``sums``: the year's :class:`EnergySums`."""
    sums = EnergySums(detail) if sums is None else sums
    info = carriers().set_index("id")
    carrier, unit, use, firm = (detail[c].array for c in ("carrier", "unit", "use", "enterprise_id"))
    n_carrier, n_unit = len(carrier.categories), len(unit.categories)
    target = np.array(
        [
            "MWh"
            if c == "electricity"
            else "GJ"
            if info.at[c, "unit_kind"] == "energy"
            else _CANONICAL[info.at[c, "unit_kind"]]
            for c in carrier.categories
        ],
        dtype=object,
    )
    factor = np.full(n_carrier * n_unit, np.nan)
    pair = carrier.codes.astype(np.intp) * n_unit + unit.codes
    for code in np.flatnonzero(np.bincount(pair, minlength=n_carrier * n_unit)).tolist():
        c, u = divmod(code, n_unit)
        try:
            factor[code] = conversion_factor(unit.categories[u], target[c])
        except CarbonError:  # a fuel given as energy: not expressible in its physical unit
            pass
    canonical = detail["quantity"].to_numpy() * factor[pair]

    def text(values, codes: np.ndarray):  # the distinct texts taken (no Python str per row)
        if isinstance(values, pd.Index) and str(values.dtype) == "str":
            return values.array.take(codes)  # the categories are text already: no conversion of 100,000 ids
        return pd.array(np.asarray(values, dtype=object), dtype="str").take(codes)

    return pd.DataFrame(
        {
            "enterprise_id": text(firm.categories, sums.firm),
            "carrier": text(carrier.categories, sums.carrier),
            "use": text(use.categories, sums.use),
            "unit": text(target, sums.carrier),
            "quantity": sums.per_key("canonical_quantity", "min_count", canonical),
            "tce_equivalent": sums.per_key("tce_equivalent", "skipna"),
            "tce_equal_value": sums.per_key("tce_equal_value", "strict"),
            "rows": sums.totals.counts().astype(np.int64),
        }
    )
