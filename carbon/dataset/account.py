"""``carbon province``: the account of every park of a dataset, on Dask, per park, per province and national.

The per-park kernel is the single-machine account: :func:`park_account` reads one park's partition back into a
:class:`~carbon.Ledger` (:func:`carbon.dataset.layout.read_park`, validated as a workbook is) and calls
:meth:`Ledger.account`, so every equation keeps its one home and factors are still resolved once per distinct
value, inside the account. Dask runs one task per park (``dask.delayed``), gathers the rows into a
``dask.dataframe`` (``from_delayed``) and sums them per year and province and per year nationally (``groupby``);
the ratios at each level are the ratio of the sums (:func:`carbon.indicators.ratio`), never an average of
the parks' ratios.

Dask is imported inside the functions that use it (``pip install 'carbon-ledger[dataset]'``): ``import carbon``
does not load it.
"""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from carbon._version import __version__
from carbon.account.methods import Methods
from carbon.dataset.folders import move_into_place, staging_folder
from carbon.dataset.layout import open_dataset, read_park
from carbon.dataset.levels import COUNT_COLUMNS, TREND_COLUMNS, indicator_counts, trend
from carbon.errors import CarbonError, bilingual
from carbon.indicators import ratio
from carbon.schema.outputs import output_table

__all__ = [
    "GATHERED",
    "LEVEL_FIGURES",
    "PARK_COLUMNS",
    "RATIOS",
    "SUMMED",
    "DatasetAccount",
    "account_dataset",
    "park_account",
    "park_tables",
]

#: Figures of a park's account (keys of ``account.summary``) that add up over parks: E_park by 910号 附件4 and
#: its terms, scope 1, scope 2 both ways, the totals and the energy in tce.
SUMMED = (
    "park910_tco2",
    "park910_fuel_tco2",
    "park910_conversion_tco2",
    "park910_electricity_tco2",
    "park910_heat_tco2",
    "park910_process_tco2",
    "park910_bunkers_tco2",
    "scope1_tco2",
    "scope2_location_tco2",
    "scope2_market_tco2",
    "total_location_tco2",
    "total_market_tco2",
    "total_tco2",
    "energy_tce",
    "energy_tce_equivalent",
    "energy_tce_equal_value",
)

#: The ratios of the summary, as the account forms them (numerator, denominator): recomputed at each level from
#: the sums. ``tests/test_dataset.py`` checks that a park's own ratio is what its account says.
RATIOS = {
    "carbon_per_energy_tco2_per_tce": ("park910_tco2", "energy_tce"),
    "carbon_per_energy_location": ("total_location_tco2", "energy_tce"),
    "carbon_per_energy_market": ("total_market_tco2", "energy_tce"),
}

#: Columns of a park's row, before the figures.
_PARK_KEYS = (
    "province",
    "park",
    "name",
    "reporting_year",
    "year",
    "status",
    "message",
    "input",
    "parks",
    "parks_failed",
)
_TEXT = ("province", "park", "name", "status", "message", "input")
_COUNTS = ("parks", "parks_failed")
#: The tables written as Parquet files (``<name>.parquet``) into the results folder, in order.
PARQUET = (
    "parks",
    "provinces",
    "national",
    "enterprises",
    "sub_parks",
    "park_indicators",
    "indicator_counts",
    "trend",
)
#: The file that says a folder holds the results of ``carbon province``.
RESULTS_MARKER = "_carbon_results.json"


def _dtypes() -> dict[str, object]:
    types: dict[str, object] = {c: object for c in _TEXT}
    types.update({"reporting_year": "int64", "year": "int64", **{c: "int64" for c in _COUNTS}})
    types.update({c: "float64" for c in (*SUMMED, *RATIOS)})
    return types


def _empty() -> pd.DataFrame:
    """The meta of the per-park frame: its columns and dtypes, no rows."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _dtypes().items()})


#: Columns that say which park and year a row of a gathered table comes from, before the account's own columns.
PARK_COLUMNS = ("province", "park", "park_name", "reporting_year", "year")

#: The tables gathered over parks (rows each park's account gives, with :data:`PARK_COLUMNS` before them): the
#: columns of each after those, text columns, and how a park's account gives its rows.
GATHERED = {
    "enterprises": (
        ("enterprise_id", "name", "sub_park", "industry"),
        ("enterprise_id", "name", "sub_park", "industry"),
    ),
    "sub_parks": (("sub_park",), ("sub_park",)),
    # the 1 + 5 indicators: the columns of the account's indicators table, as carbon/schema/outputs.py lists them
    # (text: those without a number format)
    "indicators": (
        tuple(c.name for c in output_table("indicators").columns),
        tuple(c.name for c in output_table("indicators").columns if c.num_format is None),
    ),
}

#: The figures of the enterprise and sub-park rows: the columns of ``account.by(level)`` after its attributes.
LEVEL_FIGURES = (
    "scope1_tco2",
    "scope2_location_tco2",
    "scope2_market_tco2",
    "total_location_tco2",
    "total_market_tco2",
    "total_tco2",
    "tce",
    "tce_equivalent",
    "tce_equal_value",
    "output_value",
    "added_value",
    "tco2_per_tce",
    "tco2_per_10k_yuan_output",
    "tco2_per_10k_yuan_added_value",
    "baseline_total_tco2",
    "baseline_tce",
    "baseline_tco2_per_tce",
    "change_total",
    "change_tco2_per_tce",
)


def _gathered_columns(name: str) -> list[str]:
    own, _ = GATHERED[name]
    figures = LEVEL_FIGURES if name != "indicators" else ()
    return [*PARK_COLUMNS, *own, *figures]


def _gathered_dtypes(name: str) -> dict[str, object]:
    _, text = GATHERED[name]
    types: dict[str, object] = {}
    for column in _gathered_columns(name):
        if column in ("reporting_year", "year"):
            types[column] = "int64"
        elif column in (*text, "province", "park", "park_name"):
            types[column] = object
        else:
            types[column] = "float64"
    return types


def _gathered_empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _gathered_dtypes(name).items()})


def _gathered(name: str, rows: pd.DataFrame, who: Mapping[str, object]) -> pd.DataFrame:
    """A park's rows of a gathered table, with the park's columns first and the dtypes of every park."""
    rows = rows.assign(**who)
    types = _gathered_dtypes(name)
    out = rows.reindex(columns=list(types)).astype({c: t for c, t in types.items() if t is not object})
    for column, kind in types.items():
        if kind is object:  # text as Python strings in every partition, blanks as None
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out.reset_index(drop=True)


def park_tables(root: str, entry: Mapping[str, object], methods: Methods) -> dict[str, pd.DataFrame]:
    """The kernel: one park's account as the rows the dataset's account gathers.

    ``parks``: one row (the figures of :data:`SUMMED` and :data:`RATIOS`); ``enterprises`` and ``sub_parks``: the
    rows of ``account.by("enterprise")`` and ``account.by("sub_park")``; ``indicators``: the rows of
    ``account.indicators`` (the 1 + 5 indicators with value, threshold, status and gap). Each row starts with
    :data:`PARK_COLUMNS`. ``entry`` is the park's row of ``parks.parquet``. A park whose account cannot be
    computed (a :class:`~carbon.CarbonError`: a rule broken since the dataset was written, a method its data
    does not allow) gives a row with ``status`` ``error`` and the message, no figures and no other rows; the
    others go on."""
    row: dict[str, object] = {
        "province": str(entry["province"]),
        "park": str(entry["park"]),
        "name": str(entry.get("fact_name") or ""),
        "reporting_year": int(entry["reporting_year"]),
        "input": str(entry.get("input") or ""),
        "parks": 1,
    }
    out = {name: _gathered_empty(name) for name in GATHERED}
    try:
        account = read_park(root, entry).account(methods=methods)
    except CarbonError as exc:
        row.update(year=row["reporting_year"], status="error", message=str(exc), parks_failed=1)
        row.update({key: math.nan for key in (*SUMMED, *RATIOS)})
    else:
        summary = account.summary
        row.update(year=int(account.year), status="ok", message="", parks_failed=0)
        row.update({key: float(summary[key]) for key in (*SUMMED, *RATIOS)})
        who = {
            "province": row["province"],
            "park": row["park"],
            "park_name": row["name"],
            "reporting_year": row["reporting_year"],
            "year": row["year"],
        }
        out["enterprises"] = _gathered(
            "enterprises", account.by("enterprise").rename(columns={"key": "enterprise_id"}), who
        )
        out["sub_parks"] = _gathered("sub_parks", account.by("sub_park").drop(columns="key"), who)
        out["indicators"] = _gathered("indicators", account.indicators, who)
    out["parks"] = pd.DataFrame([row], columns=list(_dtypes())).astype(_dtypes())
    return out


def park_account(root: str, entry: Mapping[str, object], methods: Methods) -> pd.DataFrame:
    """One park's account as one row (the figures of :data:`SUMMED` and :data:`RATIOS`): the ``parks`` row of
    :func:`park_tables`."""
    return park_tables(root, entry, methods)["parks"]


def _with_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for key, (numerator, denominator) in RATIOS.items():
        out[key] = [ratio(n, d) for n, d in zip(out[numerator], out[denominator], strict=True)]
    return out


@dataclass(frozen=True)
class DatasetAccount:
    """The account of every park of a dataset.

    Attributes
    ----------
    parks : pandas.DataFrame
        One row per park and year: province, park (its key), name, reporting_year, year, status (``ok`` or
        ``error``), message, input, then the figures (:data:`SUMMED`, :data:`RATIOS`) as the park's own account
        gives them.
    provinces : pandas.DataFrame
        One row per year and province: parks, parks_failed, the sums of :data:`SUMMED` over the parks accounted,
        the ratios of those sums, and ``complete`` (no park failed).
    national : pandas.DataFrame
        The same per year over every province.
    methods : Methods
        The method choices, the same for every park.
    enterprises, sub_parks : pandas.DataFrame
        The rows of every park's ``account.by("enterprise")`` and ``account.by("sub_park")`` (the enterprise's
        ``key`` as ``enterprise_id``), each after the park's province, park (its key), park_name, reporting_year
        and year: a province's rows are the concatenation of its parks' rows.
    park_indicators : pandas.DataFrame
        The rows of every park's ``account.indicators`` (the 1 + 5 indicators: value, threshold, status, gap),
        after the same park columns.
    indicator_counts : pandas.DataFrame
        Per year, nationally and per province, and per indicator: parks accounted, how many achieved, gap,
        missing_data, not_applicable, the share achieved and the sum of the gaps
        (:func:`carbon.dataset.levels.indicator_counts`).
    trend : pandas.DataFrame
        Every figure of the nation and each province by year, with the year before and the change year on year,
        and the like-for-like change where the parks differ (:func:`carbon.dataset.levels.trend`).
    """

    dataset: str
    parks: pd.DataFrame
    provinces: pd.DataFrame
    national: pd.DataFrame
    methods: Methods
    scheduler: str
    seconds: float
    about: Mapping[str, object] = field(default_factory=dict)
    enterprises: pd.DataFrame = field(default_factory=lambda: _gathered_empty("enterprises"))
    sub_parks: pd.DataFrame = field(default_factory=lambda: _gathered_empty("sub_parks"))
    park_indicators: pd.DataFrame = field(default_factory=lambda: _gathered_empty("indicators"))
    indicator_counts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(COUNT_COLUMNS)))
    trend: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(TREND_COLUMNS)))

    def write(self, out: str | Path, *, lang: str = "zh+en") -> Path:
        """Write ``parks.parquet``, ``provinces.parquet``, ``national.parquet``, the summary workbook
        ``汇总 summary.xlsx`` (a sheet per level, headers in ``lang``) and ``run.json`` into the folder ``out``
        (new, empty, or an earlier output of this kind, replaced once the new one is complete)."""
        from carbon.dataset.summary import SUMMARY_WORKBOOK, write_summary
        from carbon.io.words import Words

        Words(lang)  # an unknown language refused before anything is written
        target, staging = staging_folder(out, True, [self.dataset], RESULTS_MARKER)
        try:
            for name in PARQUET:
                getattr(self, name).to_parquet(staging / f"{name}.parquet", index=False)
            write_summary(self, staging / SUMMARY_WORKBOOK, lang=lang)
            run = {
                "carbon": __version__,
                "dataset": self.dataset,
                "methods": self.methods.model_dump(mode="json"),
                "scheduler": self.scheduler,
                "seconds": round(self.seconds, 3),
                "parks": int(len(self.parks)),
                "parks_failed": int((self.parks["status"] != "ok").sum()),
            }
            (staging / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8")
            (staging / RESULTS_MARKER).write_text(json.dumps({"format": "carbon-results/1"}), encoding="utf-8")
            move_into_place(staging, target)
        except BaseException:
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
            raise
        return target


def _methods(methods: Methods | Mapping[str, object] | None, choices: Mapping[str, object]) -> Methods:
    if isinstance(methods, Methods):
        return methods.replace(**choices) if choices else methods
    return Methods(**{**dict(methods or {}), **choices})


def _needs_extra(exc: ImportError) -> CarbonError:
    """The error for a missing part of the dataset extra: what to install."""
    return CarbonError(
        bilingual(
            f"多园区核算需要 dataset 组件：pip install 'carbon-ledger[dataset]'，从源码目录安装则为 "
            f"pip install '.[dataset]'（缺少 {exc.name}）",
            f"the account of a dataset needs the dataset extra: pip install 'carbon-ledger[dataset]', from a "
            f"checkout pip install '.[dataset]' (missing {exc.name})",
        )
    )


def _dask():
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as exc:
        raise _needs_extra(exc) from exc
    return dask, dd


@contextmanager
def _scheduler(scheduler: str | None, workers: int | None, processes: bool, parks: int) -> Iterator[tuple[object, str]]:
    """(what ``dask.compute`` takes as its scheduler, a description): dask's synchronous scheduler (the parks
    one after the other in this process), a :class:`dask.distributed.LocalCluster` (default), or the cluster
    whose scheduler listens at an address (``tcp://10.0.0.5:8786``)."""
    if scheduler == "synchronous":
        yield "synchronous", "synchronous (in process)"
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise _needs_extra(exc) from exc
    if scheduler in (None, "", "local"):
        count = workers or max(1, min(os.cpu_count() or 1, parks))
        cluster = LocalCluster(
            n_workers=count, threads_per_worker=1, processes=processes, dashboard_address=":0", silence_logs=40
        )
        client = Client(cluster)
        try:
            kind = ("process" if processes else "thread") + ("" if count == 1 else ("es" if processes else "s"))
            yield client, f"LocalCluster ({count} worker {kind}, 1 thread each)"
        finally:
            client.close()
            cluster.close()
        return
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise CarbonError(
            bilingual(
                f"无法连接 Dask 调度器 {scheduler}（{type(exc).__name__}）",
                f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__}: {exc})",
            )
        ) from None
    try:
        yield client, f"cluster at {scheduler}"
    finally:
        client.close()


def account_dataset(
    dataset: str | Path,
    *,
    methods: Methods | Mapping[str, object] | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    processes: bool = True,
    **choices: object,
) -> DatasetAccount:
    """The account of every park of a dataset written by :func:`carbon.dataset.collect`, on Dask.

    Parameters
    ----------
    dataset : str or Path
        The dataset folder. On a cluster, every worker must see it at the same path (a shared file system).
    methods : Methods or mapping, optional
        The method choices (as for :meth:`Ledger.account`), the same for every park; keyword ``choices`` win.
    scheduler : str, optional
        None or ``"local"``: a :class:`dask.distributed.LocalCluster` on this machine, started and stopped
        here; an address (``tcp://10.0.0.5:8786``): the cluster whose scheduler listens there;
        ``"synchronous"``: no cluster, the parks one after the other in this process.
    workers : int, optional
        The LocalCluster's workers (default: the machine's cores, at most one per park), one thread each.
    processes : bool
        LocalCluster workers as processes (default; the account is Python and pandas, which hold the GIL) or
        as threads of this process (quicker to start, for a few parks).

    Returns
    -------
    DatasetAccount
        Per park, per year and province, and per year nationally.

    Raises
    ------
    CarbonError
        Not a dataset, a dataset without parks, dask missing, a scheduler that cannot be reached, an unknown
        method choice.
    """
    chosen = _methods(methods, choices)
    about, parks = open_dataset(dataset)
    entries = parks[parks["status"] == "written"].to_dict("records")
    if not entries:
        raise CarbonError(
            bilingual(
                f"数据集「{dataset}」中没有园区（见其 problems.parquet）",
                f"the dataset {str(dataset)!r} holds no park (see its problems.parquet)",
            )
        )
    dask, dd = _dask()
    root = str(Path(dataset).resolve())
    start = time.perf_counter()
    tasks = [
        dask.delayed(park_tables, pure=True)(
            root, entry, chosen, dask_key_name=f"park-account-{entry['park']}-{int(entry['reporting_year'])}"
        )
        for entry in entries
    ]
    with (
        dask.config.set({"dataframe.convert-string": False}),
        _scheduler(scheduler, workers, processes, len(entries)) as (runner, described),
    ):
        frame = dd.from_delayed([task["parks"] for task in tasks], meta=_empty(), verify_meta=False)
        figures = ["parks", "parks_failed", *SUMMED]
        provinces = frame.groupby(["year", "province"])[figures].sum()
        national = frame.groupby("year")[figures].sum()
        # the gathered rows come to this process park by park and are joined here: as one dask.dataframe they
        # were joined on one worker first (a nation's enterprises, several GB: that worker was killed)
        with warnings.catch_warnings():  # dask advises against mixing the two kinds; one graph is what is meant
            warnings.filterwarnings("ignore", message="Computing mixed collections", category=UserWarning)
            per_park, per_province, per_nation, parts = dask.compute(
                frame, provinces, national, {n: [task[n] for task in tasks] for n in GATHERED}, scheduler=runner
            )
    tables = {
        name: pd.concat(parts[name], ignore_index=True) if parts[name] else _gathered_empty(name) for name in GATHERED
    }
    seconds = time.perf_counter() - start
    per_park = per_park.sort_values(["province", "name", "year"], kind="stable").reset_index(drop=True)
    per_province = _levels(per_province.reset_index(), ["year", "province"])
    per_nation = _levels(per_nation.reset_index(), ["year"])
    tables = {name: _in_park_order(table, per_park) for name, table in tables.items()}
    return DatasetAccount(
        str(dataset),
        per_park,
        per_province,
        per_nation,
        chosen,
        described,
        seconds,
        about,
        enterprises=tables["enterprises"],
        sub_parks=tables["sub_parks"],
        park_indicators=tables["indicators"],
        indicator_counts=indicator_counts(tables["indicators"], per_province, per_nation),
        trend=trend(per_province, per_nation, per_park, SUMMED, RATIOS),
    )


def _in_park_order(frame: pd.DataFrame, parks: pd.DataFrame) -> pd.DataFrame:
    """A gathered table with its parks in the order of ``parks`` (province, name, year), each park's rows in the
    order its account gives them."""
    order = {(p, y): i for i, (p, y) in enumerate(zip(parks["park"], parks["year"], strict=True))}
    position = [order.get((p, y), len(order)) for p, y in zip(frame["park"], frame["year"], strict=True)]
    return (
        frame.assign(_order=position).sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    )


def _levels(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """A level's sums with the ratios of the sums and ``complete``, sorted by its keys. A level where no park
    was accounted has no sums (blank, not zero)."""
    out = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    none = (out["parks"] == out["parks_failed"]).to_numpy()
    out.loc[none, list(SUMMED)] = math.nan
    out = _with_ratios(out)
    out["complete"] = out["parks_failed"].to_numpy() == 0
    for column in _COUNTS:
        out[column] = out[column].astype("int64")
    return out[[*keys, *_COUNTS, "complete", *SUMMED, *RATIOS]]
