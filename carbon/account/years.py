"""Many years in one ledger: the account of each year and the trend of its headline figures.

:func:`compute_accounts` (called by :meth:`carbon.Ledger.accounts`) computes the annual account of every year asked
for with the same method choices, and gathers one row per year and figure into the ``trend`` table: the headline
figures, the 1 + 5 indicators and the intensities per 万元 of output and added value (at constant prices where the
economics give them). A figure is never filled with zero: a year without the rows a figure needs gives a blank
with status ``no_data``, a figure counted without a table the other years have is ``incomplete``, and one that an
earlier or later data year's factor stood in for is ``fallback``; the note says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from carbon.account.facts import sheet_of
from carbon.account.result import AnnualAccount
from carbon.account.run import compute_account, history_of
from carbon.errors import CarbonError, bilingual

__all__ = ["TREND_FIGURES", "YearlyAccounts", "compute_accounts", "parse_years"]

#: The park-method tables beside energy: E_park counted without one the other years have is incomplete.
_PARK_TABLES = ("products", "power_heat_flows", "generation", "conversion_outputs")

#: The figures of the trend: (figure, 中文, English, unit, tables the figure cannot do without, tables it is
#: incomplete without, the factor kinds whose fallback touches it).
TREND_FIGURES: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("park910_tco2", "园区碳排放（910号 附件4）", "E_park (910号 附件4)", "tCO2", (), _PARK_TABLES, ()),
    (
        "carbon_per_energy_tco2_per_tce",
        "单位能耗碳排放（附件4）",
        "carbon per energy (附件4)",
        "tCO2/tce",
        (),
        _PARK_TABLES,
        (),
    ),
    ("energy_tce", "综合能源消费量", "energy consumption", "tce", (), (), ("tce",)),
    ("energy_tce_equivalent", "综合能源消费量（当量值）", "energy, calorific equivalent", "tce", (), (), ()),
    (
        "energy_tce_equal_value",
        "综合能源消费量（等价值）",
        "energy, primary-energy equivalent",
        "tce",
        (),
        (),
        ("equal_value",),
    ),
    ("scope1_tco2", "范围一排放", "scope 1", "tCO2", (), (), ()),
    ("scope2_location_tco2", "范围二排放（基于位置）", "scope 2, location-based", "tCO2", (), (), ("grid",)),
    ("scope2_market_tco2", "范围二排放（基于市场）", "scope 2, market-based", "tCO2", (), (), ("grid",)),
    ("total_tco2", "排放合计（范围一+二）", "scope 1 + 2 total", "tCO2", (), (), ("grid",)),
    ("clean_energy_share", "清洁能源消费占比", "clean-energy share", "fraction", (), (), ()),
    (
        "solid_waste_utilization_rate",
        "工业固废综合利用率",
        "solid-waste utilisation",
        "fraction",
        ("solid_waste",),
        (),
        (),
    ),
    ("waste_heat_utilization_rate", "余热余压利用率", "waste-heat utilisation", "fraction", ("resources",), (), ()),
    ("water_reuse_rate", "工业用水重复利用率", "water reuse", "fraction", ("resources",), (), ()),
    ("output_value", "工业总产值（当年价）", "output, current prices", "万元", ("economics",), (), ()),
    ("added_value", "工业增加值（当年价）", "added value, current prices", "万元", ("economics",), (), ()),
    ("added_value_constant", "工业增加值（可比价）", "added value, constant prices", "万元", ("economics",), (), ()),
    (
        "tce_per_10k_yuan_added_value",
        "单位工业增加值能耗（当年价）",
        "energy per 万元 added value, current prices",
        "tce/万元",
        ("economics",),
        (),
        ("tce",),
    ),
    (
        "tce_per_10k_yuan_added_value_constant",
        "单位工业增加值能耗（可比价）",
        "energy per 万元 added value, constant prices",
        "tce/万元",
        ("economics",),
        (),
        ("tce",),
    ),
    (
        "park910_per_10k_yuan_added_value",
        "单位工业增加值二氧化碳排放（附件4，当年价）",
        "E_park per 万元 added value, current prices",
        "tCO2/万元",
        ("economics",),
        _PARK_TABLES,
        (),
    ),
    (
        "park910_per_10k_yuan_added_value_constant",
        "单位工业增加值二氧化碳排放（附件4，可比价）",
        "E_park per 万元 added value, constant prices",
        "tCO2/万元",
        ("economics",),
        _PARK_TABLES,
        (),
    ),
    (
        "intensity_tco2_per_10k_yuan_output",
        "单位产值碳排放（范围一+二）",
        "scope 1 + 2 per 万元 output",
        "tCO2/万元",
        ("economics",),
        (),
        ("grid",),
    ),
    (
        "intensity_tco2_per_10k_yuan_added_value",
        "单位增加值碳排放（范围一+二）",
        "scope 1 + 2 per 万元 added value",
        "tCO2/万元",
        ("economics",),
        (),
        ("grid",),
    ),
    ("green_power_mwh", "绿电（交易、绿证、直连）", "green power", "MWh", ("green_power",), (), ()),
    ("enterprises", "纳入核算企业数", "enterprises counted", "家", (), (), ()),
    (
        "park910_tco2_restated",
        "园区碳排放（按主年份边界重述）",
        "E_park on the main year's boundary",
        "tCO2",
        (),
        _PARK_TABLES,
        (),
    ),
    (
        "total_tco2_restated",
        "排放合计（按主年份边界重述）",
        "scope 1 + 2 total on the main year's boundary",
        "tCO2",
        (),
        (),
        ("grid",),
    ),
)

_STATUS_ORDER = ("no_account", "no_data", "incomplete", "fallback", "ok")


def parse_years(text: str | Iterable[int] | int) -> list[int]:
    """Years from ``"2020-2023"``, ``"2020,2022"``, ``"2020-2021,2023"``, an int or a list of ints."""
    if isinstance(text, (int, np.integer)):
        return [int(text)]
    if not isinstance(text, str):
        years = sorted({int(y) for y in text})
    else:
        years = set()
        for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
            first, _, last = part.replace("–", "-").partition("-")
            try:
                a, b = int(first), int(last or first)
            except ValueError:
                raise CarbonError(
                    bilingual(
                        f"年份「{text}」无法识别，应为如 2020-2023 或 2020,2022",
                        f"years {text!r} not understood: expected e.g. 2020-2023 or 2020,2022",
                    )
                ) from None
            years.update(range(min(a, b), max(a, b) + 1))
        years = sorted(years)
    if not years or years[0] < 1990 or years[-1] > 2100 or len(years) > 50:
        raise CarbonError(bilingual(f"年份 {text} 超出 1990-2100 或为空", f"years {text} empty or outside 1990-2100"))
    return years


def _rows_by_year(ledger) -> dict[str, set[int]]:
    """The years with rows, per input table."""
    out = {}
    for name, frame in ledger._tables.items():
        if "year" in frame.columns and len(frame):
            out[name] = {int(y) for y in frame["year"].dropna().unique()}
    return out


def _fallbacks(account: AnnualAccount) -> dict[str, list[str]]:
    """The fallback factors of the account by what they touch: grid electricity CO2 (tCO2/MWh), electricity 等价值
    (kgce/kWh); ``tce`` when the headline tce is 等价值."""
    factors = account._tables["factors"]
    used = factors[factors["fallback"].fillna(False).astype(bool)] if "fallback" in factors else factors.iloc[:0]
    out: dict[str, list[str]] = {"grid": [], "equal_value": [], "tce": []}
    for row in used.itertuples(index=False):
        text = f"{row.id}: {int(row.data_year)} → {int(row.requested_year)}"
        kind = "equal_value" if str(row.unit).startswith("kgce") else "grid" if "CO2" in str(row.unit) else ""
        if kind:
            out[kind].append(text)
    if account.methods["electricity_tce"] == "equal-value":
        out["tce"] = out["equal_value"]
    return out


def _values(account: AnnualAccount) -> dict[str, float]:
    summary = account.summary
    park = account._tables["intensities"]
    park = park[park["level"] == "park"].iloc[0]
    values = {key: float(summary[key]) for key, *_ in TREND_FIGURES if key in summary}
    values["output_value"] = float(park["output_value"])
    values["added_value"] = float(park["added_value"])
    values["added_value_constant"] = float(account.summary.get("added_value_constant", np.nan))
    for key, base in (("", "added_value"), ("_constant", "added_value_constant")):
        denominator = values[base]
        ok = denominator == denominator and denominator > 0
        values[f"tce_per_10k_yuan_added_value{key}"] = values["energy_tce"] / denominator if ok else np.nan
        values[f"park910_per_10k_yuan_added_value{key}"] = values["park910_tco2"] / denominator if ok else np.nan
    values["enterprises"] = float((account._tables["intensities"]["level"] == "enterprise").sum())
    return values


def _figure_rows(year: int, account: AnnualAccount | None, reason: str, rows_by_year, all_years, history) -> list[dict]:
    rows = []
    values = _values(account) if account is not None else {}
    restated = history.park(year) if account is not None else None
    if restated is not None:
        values["park910_tco2_restated"] = restated["park910_tco2"]
        values["total_tco2_restated"] = restated["total_tco2"]
    fallbacks = _fallbacks(account) if account is not None else {}
    for figure, zh, en, unit, needs, parts, factor_kinds in TREND_FIGURES:
        value, status, notes = values.get(figure, np.nan), "ok", []
        if account is None:
            status, notes = "no_account", [reason]
        else:
            missing = [t for t in needs if year not in rows_by_year.get(t, set())]
            absent = [
                t for t in parts if year not in rows_by_year.get(t, set()) and rows_by_year.get(t, set()) & all_years
            ]
            stood_in = [text for kind in factor_kinds for text in fallbacks.get(kind, [])]
            if missing:
                value, status = np.nan, "no_data"
                notes.append(
                    "、".join(f"「{sheet_of(t)}」" for t in missing)
                    + f"无 {year} 年数据 / no rows for {year} on "
                    + ", ".join(sheet_of(t) for t in missing)
                )
            elif value != value and figure.endswith("_constant"):
                status = "no_data"
                notes.append(f"{year} 年无可比价数据 / no constant-price figures for {year}")
            if absent and status == "ok":
                status = "incomplete"
                notes.append(
                    "、".join(f"「{sheet_of(t)}」" for t in absent)
                    + f"无 {year} 年数据，未计入 / counted without "
                    + ", ".join(sheet_of(t) for t in absent)
                    + f" (no rows for {year})"
                )
            if stood_in and status in ("ok", "incomplete"):
                status = "fallback" if status == "ok" else status
                listed = "，".join(stood_in)
                notes.append(f"沿用其他数据年份的因子：{listed} / factor of another data year: {', '.join(stood_in)}")
        rows.append(
            {
                "figure": figure,
                "name_zh": zh,
                "name_en": en,
                "year": year,
                "value": value,
                "unit": unit,
                "status": status,
                "note": "; ".join(notes) or None,
            }
        )
    if account is not None:
        for row in account._tables["indicators"].itertuples(index=False):
            rows.append(
                {
                    "figure": f"indicator.{row.indicator}",
                    "name_zh": None,
                    "name_en": None,
                    "year": year,
                    "value": row.value,
                    "unit": row.unit,
                    "status": "ok" if row.value == row.value else "no_data",
                    "verdict": row.status,
                    "note": None,
                }
            )
    return rows


@dataclass(frozen=True)
class YearlyAccounts:
    """The accounts of several years of one ledger and their trend.

    ``accounts`` maps each year with energy data to its :class:`AnnualAccount`; ``missing`` maps a year without to
    the reason. ``trend`` has one row per year and figure (``figure``, its 中文 and English name, ``value``,
    ``unit``, ``status`` ok / fallback / incomplete / no_data / no_account, ``verdict`` for an indicator, ``note``).
    ``account`` is the account of the main year (the park's reporting year when asked for, else the latest) with
    the ``trend`` table added: ``to_excel`` writes its 碳账本 with the trend sheet and chart."""

    years: tuple[int, ...]
    main_year: int
    accounts: Mapping[int, AnnualAccount]
    missing: Mapping[int, str]
    trend: pd.DataFrame

    @property
    def account(self) -> AnnualAccount:
        main = self.accounts[self.main_year]
        return replace(main, _tables=MappingProxyType({**main._tables, "trend": self.trend.copy()}))

    def wide(self, lang: str = "zh") -> pd.DataFrame:
        """The trend as staff read it: one row per figure, one column per year."""
        frame = self.trend.copy()
        name = frame["name_zh" if lang == "zh" else "name_en"].fillna(frame["figure"])
        frame["name"] = name + "（" + frame["unit"].astype(str) + "）"
        table = frame.pivot_table(index=["figure", "name"], columns="year", values="value", aggfunc="first", sort=False)
        return table.reset_index(level="figure", drop=True)

    def to_excel(self, path, **options) -> object:
        """The 碳账本 of the main year with the trend sheet (see :meth:`AnnualAccount.to_excel`)."""
        return self.account.to_excel(path, **options)


def compute_accounts(ledger, years=None, *, main_year: int | None = None, methods=None, **choices) -> YearlyAccounts:
    """The accounts of ``years`` (``"2020-2023"``, a list; default every year with energy data) with the same
    method choices, and their trend. A year without energy data is listed in ``missing`` and in the trend as
    ``no_account``, never as zeros."""
    have = sorted(int(y) for y in ledger._tables["energy"]["year"].dropna().unique())
    wanted = parse_years(years) if years is not None else have
    reporting = int(ledger.park["reporting_year"])
    main = (
        main_year
        if main_year is not None
        else reporting
        if reporting in wanted
        else max(set(wanted) & set(have), default=None)
    )
    if main is None or main not in have:
        raise CarbonError(
            bilingual(
                f"所选年份 {wanted} 均无能源数据；已有年份：{have}",
                f"none of the years {wanted} has energy data; years with data: {have}",
            )
        )
    accounts, missing, rows = {}, {}, []
    rows_by_year = _rows_by_year(ledger)
    history = history_of(ledger, main, methods=methods, **choices)
    for year in wanted:
        account = None
        if year in have:
            account = compute_account(ledger, year, methods=methods, **choices)
            accounts[year] = account
        else:
            missing[year] = f"{year} 年无能源数据 / no energy data for {year}"
        rows.extend(_figure_rows(year, account, missing.get(year, ""), rows_by_year, set(wanted), history))
    trend = pd.DataFrame(rows)
    order = {figure: i for i, figure in enumerate(dict.fromkeys(trend["figure"]))}
    trend = trend.sort_values(
        ["figure", "year"], key=lambda c: c.map(order) if c.name == "figure" else c, kind="stable"
    )
    columns = ["figure", "name_zh", "name_en", "year", "value", "unit", "status", "verdict", "note"]
    trend = trend.reindex(columns=columns).reset_index(drop=True)
    return YearlyAccounts(tuple(wanted), main, MappingProxyType(accounts), MappingProxyType(missing), trend)
