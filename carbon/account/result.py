"""The result of the account: :class:`AnnualAccount`, frozen, its tables handed out as new DataFrames."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from carbon import labels as _labels
from carbon.account.methods import Methods
from carbon.account.totals import LEVEL_ATTRIBUTES, LEVELS, rows_where
from carbon.errors import CarbonError, UnknownNameError, bilingual
from carbon.schema.outputs import output_table

__all__ = ["AnnualAccount"]


def _where(table: str, column: str = "") -> str:
    """A table (and column) named in both languages for a message: ``排放明细 emissions，片区 sub_park``."""
    try:
        spec = output_table(table)
        text = f"{spec.zh} {table}"
        return f"{text}，{spec.column(column).header}" if column else text
    except KeyError:
        return f"{table} {column}".strip()


#: What ``select`` takes as several values of one column (any of them matches).
_MANY = (list, tuple, set, frozenset, pd.Index, pd.Series, np.ndarray)


def _scalar(value: object) -> bool:
    """One value a cell may hold (text, a number, a date, a flag or a blank)."""
    return (
        value is None
        or isinstance(value, (str, int, float, bool, np.generic, pd.Timestamp))
        or hasattr(value, "isoformat")
    )


def _number(value: object) -> object:
    """A number typed as text (``"2"``) as the number; anything else as it is."""
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return value
    return value


class LazySource(Mapping):
    """The account's ``source``: the input's ``path``, its ``sha256`` and ``input_tables`` (each input table's rows
    and hash, recorded by the 碳账本's manifest), taken from the ledger when first read, not while the account is
    computed: hashing millions of rows is the writer's cost, not the account's. Pickled as a plain dict."""

    _KEYS = ("path", "sha256", "input_tables")

    def __init__(self, ledger) -> None:
        self._ledger = ledger
        self._values: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._values is None:
            ledger = self._ledger
            self._values = {"path": ledger.source, "sha256": ledger.sha256, "input_tables": ledger.table_record}
            self._ledger = None
        return self._values

    def __getitem__(self, key: str) -> str:
        if key == "path" and self._values is None:
            return self._ledger.source
        return self._load()[key]

    def __iter__(self):
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

    def __repr__(self) -> str:
        if self._values is None:
            return f"LazySource(path={self._ledger.source!r}, not hashed yet)"
        return f"LazySource({self._values!r})"

    def __reduce__(self):
        return (dict, (dict(self._load()),))


@dataclass(frozen=True)
class AnnualAccount:
    """The account of one year. Every table is returned as a new DataFrame.

    Every column of every table, with its 中文 label, unit and meaning, is described once in
    :mod:`carbon.schema.outputs` (and in the README's table of outputs, generated from it). In short:

    - ``emissions``: one row per input fact (and per scope-2 method): enterprise_id, name, sub_park, industry,
      year, month, source (fuel_combustion / purchased_electricity / purchased_heat), carrier, use, scope,
      scope2_method, gas, quantity, unit, factor_id, factor_value [tCO2 per unit], custom_factor, emissions_tco2,
      in_total, input_sheet, input_row. With ``scope2='both'`` (the default) every scope-2 fact is there twice,
      location- and market-based: ``in_total`` marks the rows the headline total counts (scope 1, and scope 2 by
      the headline method, ``methods.headline``: market unless ``scope2='location'``).
    - ``detail``: one row per input fact of energy: quantity, unit, tce_equivalent, tce_equal_value [tce],
      tce_method, tce_factor_id, clean (counted as clean energy), input_sheet, input_row.
    - ``energy``: tce per enterprise and carrier (当量值 and 等价值) and the quantity in the carrier's unit.
    - ``intensities``: per level (enterprise, sub_park, industry, park): scope1, scope2 location and market,
      totals [tCO2], tce, output and added value [万元], tCO2/tce, tCO2 per 万元, and the baseline's values with
      the change (``change_total``, ``change_tco2_per_tce``: fractions). Each row carries its level's attributes:
      an enterprise its name, sub_park and industry; a sub-park row its ``sub_park``, an industry row its
      ``industry``; the park row the park's ``name``. :meth:`by` gives one level.
    - ``reductions``: one row per project and per boiler with method, assumptions and tCO2.
    - ``solid_waste``: per input row, per enterprise and the park: generated, utilised, rate, balance.
    - ``green_factories``: counts by level, new in the year, share of the park's energy and emissions covered.
    - ``indicators``: the 1 + 5 zero-carbon-park indicators with value, threshold, status and gap.
    - ``targets``: each target against the actual.
    - ``factors``: every factor used, with its provenance and any fallback.

    Shares, rates and relative changes are fractions everywhere, in the tables and the summary alike
    (``clean_energy_share`` 0.2768 for 27.68 %, ``change_total`` -0.117 for 11.7 % less), with the unit
    ``"fraction"`` where a table has a unit column; only a display (the 碳账本's number formats) shows them as
    percentages. No column or summary key ends in ``_pct``. (The threshold of ``product_energy_level`` is a
    level, 2, compared ``level <=``; its value is the fraction of enterprises at that level or better.)

    Totals without double counting: ``account.total_tco2()`` is the headline total (``summary["total_tco2"]``);
    by hand, sum the rows marked ``in_total``::

        e = account.emissions
        e.loc[e["in_total"], "emissions_tco2"].sum()        # == account.summary["total_tco2"]
        e["emissions_tco2"].sum()                           # NOT a total: scope 2 counted once per method

    Names in filters: the tables hold ids (``electricity``, ``market``, ``fuel_combustion``), which stay stable
    when a label is reworded, so ``e[e["carrier"] == "电力"]`` is empty. :meth:`select` takes ids, 中文 names
    and aliases alike, and refuses a name that matches nothing, with the nearest names, instead of returning an
    empty frame (a known id that no row holds, a carrier the park does not use, gives no rows)::

        account.select("emissions", carrier="电力", scope=2, scope2_method="基于市场")
        account.select("emissions", carrier=["原煤", "natural_gas"], sub_park="光伏材料片区")
        account.total_tco2(carrier="电力")                # the headline tCO2 of grid electricity
    """

    year: int
    park: Mapping[str, object]
    methods: Methods
    summary: Mapping[str, object]
    notes: tuple[str, ...]
    _tables: Mapping[str, pd.DataFrame] = field(repr=False)
    source: Mapping[str, str] = field(default_factory=dict)

    def _get(self, name: str) -> pd.DataFrame:
        return self._tables[name].copy()

    emissions = property(lambda self: self._get("emissions"))
    detail = property(lambda self: self._get("detail"))
    energy = property(lambda self: self._get("energy"))
    intensities = property(lambda self: self._get("intensities"))
    reductions = property(lambda self: self._get("reductions"))
    solid_waste = property(lambda self: self._get("solid_waste"))
    green_factories = property(lambda self: self._get("green_factories"))
    indicators = property(lambda self: self._get("indicators"))
    targets = property(lambda self: self._get("targets"))
    factors = property(lambda self: self._get("factors"))
    green_power = property(lambda self: self._get("green_power"))

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, as new DataFrames."""
        return {name: frame.copy() for name, frame in self._tables.items()}

    def to_excel(self, path, **options) -> object:
        """Write the account workbook (碳账本); ``options`` go to :func:`carbon.io.account_workbook.write_account`.

        The writer is imported inside the method, as pandas does for ``DataFrame.to_excel``: the one place
        where the account reaches up to the file layer (documented in the layer contract)."""
        from carbon.io.account_workbook import write_account

        return write_account(self, path, **options)

    def to_html(self, path, *, lang: str = "zh+en") -> object:
        """Write the account as one self-contained HTML report (charts inline, no network, printable on A4);
        see :func:`carbon.web.report.write_report`. Needs the web extra (``pip install 'carbon-ledger[web]'``).

        The writer is imported inside the method, as for :meth:`to_excel`: the account does not depend on the
        web layer (documented in the layer contract)."""
        from carbon.web.report import write_report

        return write_report(self, path, lang=lang)

    def by(self, level: str) -> pd.DataFrame:
        """Emissions and energy totalled at one level: ``enterprise``, ``sub_park``, ``industry`` or ``park``
        (or its 中文 name: 企业, 片区, 行业, 园区), one row per ``key``.

        The rows carry their level's attributes, right after ``key``, and only those: ``enterprise`` has
        ``name``, ``sub_park`` and ``industry``; ``sub_park`` has ``sub_park`` (the key itself: a sub-park spans
        industries) and ``industry`` has ``industry``; ``park`` has ``name`` (the park's). The attribute columns
        that make no sense at the level are dropped rather than left blank, as is ``level``."""
        try:
            chosen = self._code("intensities", "level", level)
        except UnknownNameError:
            chosen = None
        if chosen not in LEVELS:
            raise UnknownNameError("level", level, list(LEVELS))
        frame = self._tables["intensities"]
        rows = frame[frame["level"] == chosen]
        attributes = list(LEVEL_ATTRIBUTES[chosen])
        rest = [c for c in rows.columns if c not in ("level", "key", "name", "sub_park", "industry")]
        return rows[["key", *attributes, *rest]].reset_index(drop=True)

    def select(self, table: str, **where: object) -> pd.DataFrame:
        """The rows of ``table`` whose columns hold the values given, as a new DataFrame.

        Each keyword is a column and a value, or a list of values (any of them matches); ``None`` matches a
        blank cell. Where a column has a vocabulary (carrier, use, source, scope2_method, status, level,
        indicator, instrument ...: :mod:`carbon.labels`), a value may be the id, its 中文 or English name or
        an alias (``"电力"``, ``"electricity"``; ``"基于市场"``, ``"market"``); elsewhere (enterprise_id, name,
        sub_park, industry, unit, numbers) it is the value as the table holds it. The index is the rows'
        positions in the whole table.

        Raises
        ------
        UnknownNameError
            A table or column that does not exist; a name that is no spelling of any id of the column; or, in
            a column without a vocabulary, a value that no row holds (with the nearest values). A known id that
            no row holds (a carrier the park does not use) gives no rows: that is an answer, not a typo.

        >>> account.select("emissions", carrier="电力", scope=2)  # doctest: +SKIP
        """
        if table not in self._tables:
            raise UnknownNameError("table", table, list(self._tables))
        frame = self._tables[table]  # read only: rows_where makes the new frame
        mask = np.ones(len(frame), dtype=bool)
        for column, wanted in where.items():
            mask &= self._matches(table, frame, column, wanted)
        rows = np.flatnonzero(mask)
        out = rows_where(frame, mask)
        out.index = pd.Index(rows)
        return out

    def total_tco2(self, **where: object) -> float:
        """The headline total [tCO2] of the emission rows selected as in :meth:`select` (all rows without
        arguments): the sum of ``emissions_tco2`` over the rows marked ``in_total`` (scope 1, and scope 2 by
        the headline method), so that scope 2 is counted once. ``account.total_tco2()`` equals
        ``account.summary["total_tco2"]``."""
        if "scope2_method" in where:
            raise CarbonError(
                bilingual(
                    "total_tco2 按结论所用方法计范围二；另一方法请用 select(...)['emissions_tco2'].sum()",
                    "total_tco2 counts scope 2 by the headline method; for another method sum "
                    "select('emissions', scope2_method=...)['emissions_tco2']",
                )
            )
        frame = self._tables["emissions"]
        mask = frame["in_total"].to_numpy(dtype=bool, copy=True)
        for column, wanted in where.items():
            mask &= self._matches("emissions", frame, column, wanted)
        return float(np.nansum(frame["emissions_tco2"].to_numpy()[mask]))

    @staticmethod
    def _code(table: str, column: str, value: object) -> object:
        """The id ``value`` spells in ``column`` (itself where the column has no vocabulary)."""
        return _labels.code(column, value, table)

    def _matches(self, table: str, frame: pd.DataFrame, column: str, wanted: object) -> np.ndarray:
        """Rows of ``frame`` whose ``column`` holds ``wanted`` (a value or several), names resolved."""
        if column not in frame.columns:
            raise UnknownNameError("column", column, list(frame.columns), context=_where(table))
        values = list(wanted) if isinstance(wanted, _MANY) else [wanted]
        for value in values:
            if not _scalar(value):
                raise CarbonError(
                    bilingual(
                        f"筛选「{column}」的值须为单个值或值的列表，而非 {type(value).__name__}",
                        f"a value to select {column!r} by is one value or a list of values, not a "
                        f"{type(value).__name__}",
                    )
                )
        if pd.api.types.is_numeric_dtype(frame[column].dtype):  # scope="2" means scope 2
            values = [_number(v) for v in values]
        blank = any(v is None or (isinstance(v, float) and v != v) for v in values)
        values = [v for v in values if not (v is None or (isinstance(v, float) and v != v))]
        has_words = _labels.vocabulary(column, table) is not None
        codes = [self._code(table, column, v) for v in values]
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            positions = categories.get_indexer(pd.Index(codes, dtype=object)) if codes else np.empty(0, np.intp)
            found = positions >= 0
            mask = np.isin(series.cat.codes.to_numpy(), positions[found])
            present = {code for code, ok in zip(codes, found, strict=True) if ok}
        else:
            mask = series.isin(codes).to_numpy(dtype=bool, na_value=False) if codes else np.zeros(len(series), bool)
            present = set(series[mask].unique().tolist()) if not has_words and codes else set(codes)
        if not has_words:
            for value, code in zip(values, codes, strict=True):
                if code not in present:
                    raise self._absent(table, column, value, series)
        if blank:
            mask |= series.isna().to_numpy()
        return mask

    @staticmethod
    def _absent(table: str, column: str, value: object, series: pd.Series) -> UnknownNameError:
        """The error for a value that no row of a column without a vocabulary holds, with the nearest values."""
        if isinstance(series.dtype, pd.CategoricalDtype):
            held = [str(v) for v in series.cat.categories]
        else:
            held = [str(v) for v in pd.unique(series.dropna())[:1000]]
        near = difflib.get_close_matches(str(value), held, n=5, cutoff=0.3)
        return UnknownNameError(
            column,
            value,
            near or held[:20],
            context=_where(table, column),
            hint_zh="表中没有此值（此列按表中原值筛选）",
            hint_en="no row holds this value (this column is filtered on the values as the table holds them)",
        )

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"AnnualAccount({self.park.get('name')!r}, {self.year}, {s['total_market_tco2']:,.0f} tCO2 market-based, "
            f"{s['energy_tce']:,.0f} tce, {s['carbon_per_energy_tco2_per_tce']:.3f} tCO2/tce)"
        )
