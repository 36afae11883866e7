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
from carbon.account.indicators import intensity_of
from carbon.account.result import AnnualAccount
from carbon.account.run import PARK_TABLES, compute_account, history_of
from carbon.errors import CarbonError, bilingual
from carbon.indicators import ratio

__all__ = ["TREND_FIGURES", "Figure", "YearlyAccounts", "compute_accounts", "parse_years"]


@dataclass(frozen=True)
class Figure:
    """One figure of the trend: its key (a summary key, or a figure made here), 中文 and English name, unit; the
    tables it cannot do without (``needs``: no rows that year, no value), the tables it is incomplete without
    (``parts``), the factor kinds whose stand-in touches it (``factors``: ``grid``, ``equal_value``, ``tce``),
    whether it divides by the economics (``economics``), and the indicator whose verdict it carries."""

    key: str
    zh: str
    en: str
    unit: str
    needs: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()
    economics: str = ""
    indicator: str = ""


_F = Figure
_ECO = ("economics",)
TREND_FIGURES: tuple[Figure, ...] = (
    _F("park910_tco2", "园区碳排放（910号 附件4）", "E_park (910号 附件4)", "tCO2", parts=PARK_TABLES),
    _F(
        "park910_tco2_restated",
        "园区碳排放（附件4，按主年份边界）",
        "E_park on the main year's boundary",
        "tCO2",
        parts=PARK_TABLES,
    ),
    _F(
        "carbon_per_energy_tco2_per_tce",
        "单位能耗碳排放（附件4）",
        "carbon per energy (附件4)",
        "tCO2/tce",
        parts=PARK_TABLES,
        factors=("tce",),
        indicator="carbon_per_energy",
    ),
    _F("energy_tce", "综合能源消费量", "energy consumption", "tce", factors=("tce",)),
    _F("energy_tce_equivalent", "综合能源消费量（当量值）", "energy, calorific equivalent", "tce"),
    _F(
        "energy_tce_equal_value",
        "综合能源消费量（等价值）",
        "energy, primary-energy equivalent",
        "tce",
        factors=("equal_value",),
    ),
    _F("scope1_tco2", "范围一排放", "scope 1", "tCO2"),
    _F("scope2_location_tco2", "范围二排放（基于位置）", "scope 2, location-based", "tCO2", factors=("grid",)),
    _F("scope2_market_tco2", "范围二排放（基于市场）", "scope 2, market-based", "tCO2", factors=("grid",)),
    _F("total_tco2", "排放合计（范围一+二）", "scope 1 + 2 total", "tCO2", factors=("grid",)),
    _F(
        "total_tco2_restated",
        "排放合计（范围一+二，按主年份边界）",
        "scope 1 + 2 total on the main year's boundary",
        "tCO2",
        factors=("grid",),
    ),
    _F(
        "clean_energy_share",
        "清洁能源消费占比",
        "clean-energy share",
        "fraction",
        factors=("tce",),
        indicator="clean_energy_share",
    ),
    _F(
        "solid_waste_utilization_rate",
        "工业固废综合利用率",
        "solid-waste utilisation",
        "fraction",
        needs=("solid_waste",),
        indicator="solid_waste_utilization",
    ),
    _F(
        "waste_heat_utilization_rate",
        "余热余压利用率",
        "waste-heat utilisation",
        "fraction",
        needs=("resources",),
        indicator="waste_heat_utilization",
    ),
    _F(
        "water_reuse_rate",
        "工业用水重复利用率",
        "water reuse",
        "fraction",
        needs=("resources",),
        indicator="water_reuse",
    ),
    _F(
        "product_energy_level",
        "主要产品能效达到二级及以上的企业占比",
        "enterprises at energy level 2 or better",
        "fraction",
        needs=("resources",),
        indicator="product_energy_level",
    ),
    _F("output_value", "工业总产值（当年价）", "output, current prices", "万元", needs=_ECO, economics="output_value"),
    _F(
        "added_value",
        "工业增加值（当年价）",
        "added value, current prices",
        "万元",
        needs=_ECO,
        economics="added_value",
    ),
    _F(
        "added_value_constant",
        "工业增加值（可比价）",
        "added value, constant prices",
        "万元",
        needs=_ECO,
        economics="added_value",
    ),
    _F(
        "tce_per_10k_yuan_added_value",
        "单位工业增加值能耗（当年价）",
        "energy per 万元 added value, current prices",
        "tce/万元",
        needs=_ECO,
        factors=("tce",),
        economics="added_value",
    ),
    _F(
        "tce_per_10k_yuan_added_value_constant",
        "单位工业增加值能耗（可比价）",
        "energy per 万元 added value, constant prices",
        "tce/万元",
        needs=_ECO,
        factors=("tce",),
        economics="added_value",
    ),
    _F(
        "tce_per_10k_yuan_added_value_constant_restated",
        "单位工业增加值能耗（可比价，按主年份边界）",
        "energy per 万元 added value, constant prices, main year's boundary",
        "tce/万元",
        needs=_ECO,
        factors=("tce",),
        economics="added_value",
    ),
    _F(
        "park910_per_10k_yuan_added_value",
        "单位工业增加值二氧化碳排放（附件4，当年价）",
        "E_park per 万元 added value, current prices",
        "tCO2/万元",
        needs=_ECO,
        parts=PARK_TABLES,
        economics="added_value",
    ),
    _F(
        "park910_per_10k_yuan_added_value_constant",
        "单位工业增加值二氧化碳排放（附件4，可比价）",
        "E_park per 万元 added value, constant prices",
        "tCO2/万元",
        needs=_ECO,
        parts=PARK_TABLES,
        economics="added_value",
    ),
    _F(
        "park910_per_10k_yuan_added_value_constant_restated",
        "单位工业增加值二氧化碳排放（附件4，可比价，按主年份边界）",
        "E_park per 万元 added value, constant prices, main year's boundary",
        "tCO2/万元",
        needs=_ECO,
        parts=PARK_TABLES,
        economics="added_value",
    ),
    _F(
        "intensity_tco2_per_10k_yuan_output",
        "单位产值碳排放（范围一+二）",
        "scope 1 + 2 per 万元 output",
        "tCO2/万元",
        needs=_ECO,
        factors=("grid",),
        economics="output_value",
    ),
    _F(
        "intensity_tco2_per_10k_yuan_added_value",
        "单位增加值碳排放（范围一+二）",
        "scope 1 + 2 per 万元 added value",
        "tCO2/万元",
        needs=_ECO,
        factors=("grid",),
        economics="added_value",
    ),
    _F("green_power_mwh", "绿电（交易、绿证、直连）", "green power", "MWh", needs=("green_power",)),
    _F("enterprises", "纳入核算企业数", "enterprises counted", "家"),
)


def parse_years(text: str | Iterable[int] | int) -> list[int]:
    """Years from ``"2020-2023"``, ``"2020,2022"``, ``"2020-2021,2023"``, an int or a list of ints."""
    if isinstance(text, (int, np.integer)):
        years = [int(text)]
    elif not isinstance(text, str):
        years = sorted({int(y) for y in text})
    else:
        found: set[int] = set()
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
            found.update(range(min(a, b), max(a, b) + 1))
        years = sorted(found)
    if not years:
        raise CarbonError(bilingual(f"年份「{text}」为空", f"years {text!r}: none given"))
    if years[0] < 1990 or years[-1] > 2100:
        raise CarbonError(
            bilingual(f"年份 {years[0]}-{years[-1]} 超出 1990-2100", f"years {years[0]}-{years[-1]} outside 1990-2100")
        )
    if len(years) > 50:
        raise CarbonError(
            bilingual(f"一次最多 50 个年份，给了 {len(years)} 个", f"at most 50 years, {len(years)} given")
        )
    return years


def _rows_by_year(ledger) -> dict[str, set[int]]:
    """The years with rows, per input table."""
    out = {}
    for name, frame in ledger._tables.items():
        if "year" in frame.columns and len(frame):
            out[name] = {int(y) for y in frame["year"].dropna().unique()}
    return out


def _fallbacks(account: AnnualAccount) -> dict[str, list[str]]:
    """The stand-in factors of the account by what they touch: grid electricity CO2 (a tCO2/MWh factor),
    electricity 等价值 (the ``tce_equal_value`` series, ids ``equal_value.*``); ``tce`` too when the headline tce is
    等价值."""
    factors = account._tables["factors"]
    used = factors[factors["fallback"].fillna(False).astype(bool)] if "fallback" in factors else factors.iloc[:0]
    out: dict[str, list[str]] = {"grid": [], "equal_value": [], "tce": []}
    for row in used.itertuples(index=False):
        text = f"{row.id}: {int(row.data_year)} → {int(row.requested_year)}"
        if str(row.id).startswith("equal_value."):
            out["equal_value"].append(text)
        elif str(row.unit) == "tCO2/MWh":
            out["grid"].append(text)
    if account.methods["electricity_tce"] == "equal-value":
        out["tce"] = out["equal_value"]
    return out


def _values(account: AnnualAccount, restated: Mapping[str, float] | None) -> dict[str, float]:
    """Every figure of the trend in one year's account (and the park on the main year's boundary)."""
    summary = account.summary
    park = account._tables["intensities"]
    park = park[park["level"] == "park"].iloc[0]
    values = {f.key: float(summary[f.key]) for f in TREND_FIGURES if f.key in summary}
    values["output_value"], values["added_value"] = float(park["output_value"]), float(park["added_value"])
    values["added_value_constant"] = float(summary.get("added_value_constant", np.nan))
    for key in ("", "_constant"):
        values[f"tce_per_10k_yuan_added_value{key}"] = ratio(values["energy_tce"], values[f"added_value{key}"])
        values[f"park910_per_10k_yuan_added_value{key}"] = ratio(values["park910_tco2"], values[f"added_value{key}"])
    if restated is not None:
        values["park910_tco2_restated"], values["total_tco2_restated"] = (
            restated["park910_tco2"],
            restated["total_tco2"],
        )
        complete = not restated["missing_added_value_constant"]
        for figure, numerator in (("tce", "tce"), ("park910", "park910_tco2")):
            value = intensity_of(restated, numerator, "added_value", "constant") if complete else np.nan
            values[f"{figure}_per_10k_yuan_added_value_constant_restated"] = value
    levels = account._tables["indicators"].set_index("indicator")
    values["product_energy_level"] = float(levels.at["product_energy_level", "value"])
    values["enterprises"] = float((account._tables["intensities"]["level"] == "enterprise").sum())
    return values


def _economics_gaps(account: AnnualAccount) -> dict[str, list[str]]:
    """Per economics column, the enterprises with energy in the year that do not give it."""
    firms = account._tables["intensities"]
    firms = firms[(firms["level"] == "enterprise") & (firms["tce"].fillna(0) > 0)]
    return {c: firms.loc[firms[c].isna(), "name"].astype(str).tolist() for c in ("output_value", "added_value")}


def _status(figure: Figure, year: int, value: float, context: dict) -> tuple[float, str, list[str]]:
    """A figure's value, status and notes in a year: blank when a sheet it needs has no rows (``no_data``),
    ``incomplete`` without a park-method table the other years have or with enterprises missing from the
    economics, ``fallback`` when a factor of another data year stood in, ``no_data`` whenever it has no value."""
    rows, notes, status = context["rows"], [], "ok"
    missing = [t for t in figure.needs if year not in rows.get(t, set())]
    if missing:
        value, status = np.nan, "no_data"
        sheets = [sheet_of(t) for t in missing]
        notes.append(
            "、".join(f"「{s}」" for s in sheets) + f"无 {year} 年数据 / no rows for {year} on " + ", ".join(sheets)
        )
    absent = [t for t in figure.parts if year not in rows.get(t, set()) and rows.get(t, set()) & context["years"]]
    if absent and status == "ok":
        status = "incomplete"
        sheets = [sheet_of(t) for t in absent]
        notes.append(
            "、".join(f"「{s}」" for s in sheets)
            + f"无 {year} 年数据，未计入 / counted without "
            + ", ".join(sheets)
            + f" (no rows for {year})"
        )
    gaps = context["economics"].get(figure.economics, [])
    if gaps and status == "ok":
        status = "incomplete"
        names = "、".join(gaps[:5]) + ("等" if len(gaps) > 5 else "")
        notes.append(
            f"{len(gaps)} 家有能耗的企业缺经济数据（{names}），数值偏高或偏低 / {len(gaps)} enterprises with energy but "
            "no economics: the figure is off"
        )
    stood_in = [text for kind in figure.factors for text in context["fallbacks"].get(kind, [])]
    if stood_in and status in ("ok", "incomplete"):
        status = "fallback" if status == "ok" else status
        notes.append(
            f"沿用其他数据年份的因子：{'，'.join(stood_in)} / factor of another data year: {', '.join(stood_in)}"
        )
    if status != "no_data" and value != value:
        value, status = np.nan, "no_data"
        notes.append(f"{year} 年无此数值（数据不全） / no value for {year} (data incomplete)")
    return value, status, notes


def _figure_rows(year: int, account: AnnualAccount | None, reason: str, context: dict) -> list[dict]:
    """The trend's rows of one year: every figure with its value, status, the verdict of its indicator, notes."""
    if account is None:
        return [
            {
                "figure": f.key,
                "name_zh": f.zh,
                "name_en": f.en,
                "year": year,
                "value": np.nan,
                "unit": f.unit,
                "status": "no_account",
                "verdict": None,
                "note": reason,
            }
            for f in TREND_FIGURES
        ]
    values = _values(account, context["history"].park(year))
    context = {**context, "fallbacks": _fallbacks(account), "economics": _economics_gaps(account)}
    verdicts = dict(
        zip(account._tables["indicators"]["indicator"], account._tables["indicators"]["status"], strict=True)
    )
    rows = []
    for figure in TREND_FIGURES:
        value, status, notes = _status(figure, year, values.get(figure.key, np.nan), context)
        rows.append(
            {
                "figure": figure.key,
                "name_zh": figure.zh,
                "name_en": figure.en,
                "year": year,
                "value": value,
                "unit": figure.unit,
                "status": status,
                "verdict": verdicts.get(figure.indicator),
                "note": "; ".join(notes) or None,
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
    accounts: dict[int, AnnualAccount]
    missing: dict[int, str]
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
    main = _main_year(ledger, wanted, have, main_year)
    accounts, missing, rows = {}, {}, []
    history = history_of(ledger, main, methods=methods, **choices)
    context = {"rows": _rows_by_year(ledger), "years": set(wanted), "history": history}
    for year in wanted:
        account = None
        if year in have:
            account = compute_account(ledger, year, methods=methods, **choices)
            accounts[year] = account
        else:
            missing[year] = f"{year} 年无能源数据 / no energy data for {year}"
        rows.extend(_figure_rows(year, account, missing.get(year, ""), context))
    trend = pd.DataFrame(rows)
    order = {figure.key: i for i, figure in enumerate(TREND_FIGURES)}
    trend = trend.sort_values(
        ["figure", "year"], key=lambda c: c.map(order) if c.name == "figure" else c, kind="stable"
    )
    columns = ["figure", "name_zh", "name_en", "year", "value", "unit", "status", "verdict", "note"]
    trend = trend.reindex(columns=columns).reset_index(drop=True)
    return YearlyAccounts(tuple(wanted), main, accounts, missing, trend)


def _main_year(ledger, wanted: list[int], have: list[int], main_year: int | None) -> int:
    """The year whose 碳账本 carries the trend: ``main_year`` (among the years asked for, with energy data), else
    the reporting year when among them with data, else the latest of them with data."""
    if main_year is not None:
        main = int(main_year)
        if main not in wanted or main not in have:
            raise CarbonError(
                bilingual(
                    f"主年份 {main} 须在所选年份 {wanted[0]}-{wanted[-1]} 之内且有能源数据；有能源数据的年份：{have}",
                    f"the main year {main} must be among the years asked for ({wanted[0]}-{wanted[-1]}) and have "
                    f"energy data; years with data: {have}",
                )
            )
        return main
    reporting = int(ledger.park["reporting_year"])
    candidates = sorted(set(wanted) & set(have))
    if not candidates:
        raise CarbonError(
            bilingual(
                f"所选年份 {wanted[0]}-{wanted[-1]} 均无能源数据；有能源数据的年份：{have}",
                f"none of the years {wanted[0]}-{wanted[-1]} has energy data; years with data: {have}",
            )
        )
    return reporting if reporting in candidates else candidates[-1]
