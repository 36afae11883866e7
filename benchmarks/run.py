"""Benchmarks of carbon at province scale, measured on this machine and printed as ratios against bare libraries.

    python benchmarks/run.py            # full: up to 7.2 M energy rows a park, 32 parks on Dask (about 15 min)
    python benchmarks/run.py --quick    # the same rows at smaller sizes (under 3 min)
    python benchmarks/run.py --large    # full, plus the account and its NumPy floor at 36 M rows (needs ~12 GB)
    python benchmarks/run.py --nation   # only the synthetic nation: 72 M rows through Dask (benchmarks/nation.py)

Rows printed:

- account(): ``Ledger.account`` at 72 k, 720 k and 7.2 M energy rows, and its scaling;
- account floor: ``Ledger.account`` against a NumPy floor building the same per-fact arrays and totals
  (``benchmarks/floor.py``), in the same process, best of two each;
- Parquet door: a park's tables as Parquet files (``carbon.read_tables`` reads them, validated as a workbook is)
  read and accounted, against pandas ``read_parquet`` + merge + groupby computing the per-enterprise tce and CO2
  from carrier factors, and, when installed, polars (lazy ``scan_parquet``) and DuckDB (SQL) doing the same: all
  in one process, one after the other (references only: neither is a dependency of carbon); and the collected
  door: the same tables written by ``carbon collect``, the park read back by ``read_park`` (checked when it was
  collected, known by its digest) and accounted, as each task of ``carbon province`` does;
- read: ``read_workbook`` against python-calamine reading the same workbook (and pandas.read_excel);
- write: the 碳账本 against bare xlsxwriter in constant-memory mode writing the same cells;
- Dask: ``carbon province`` (``carbon.dataset.account_dataset``) on a LocalCluster of 2 worker processes and on
  the synchronous scheduler, against a loop in one process reading each park back and summing the single-machine
  accounts (pandas), at three sizes (the scaling).

With ``--keep-memory`` each process keeps the memory it frees (glibc's ``MALLOC_MMAP_MAX_=0`` and a trim threshold
of 64 TiB) instead of handing it back to the system. On a virtual machine whose host reclaims freed pages (free
page reporting, as on this one), touching memory again after about a second costs 1-2 s a GB instead of 0.1 s:
a call that allocates more than its reference pays that in full, and seconds swing by a factor of two between
runs. Kept memory measures the computation, as the references with their own allocators (polars, DuckDB, Arrow's
pool) are measured anyway; the note says which figures were taken which way.

Each group runs in a fresh Python process; data generation is never timed. "peak MB" is the highest resident
memory of the process and its children (Dask's workers) sampled during the timed call (every 0.05 s; every
0.2 s for Dask), "delta" its growth over the call. The machine is noisy: trust ratios more than seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _available_gb() -> float:
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 2**20
    return float("nan")


def _timed(operation) -> dict[str, float]:
    """A child's only timed call: seconds, the process's peak (ru_maxrss) and its growth."""
    before = _rss_mb()
    start = time.perf_counter()
    operation()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "delta_mb": _peak_mb() - before}


def _best(operation, repeat: int, interval: float = 0.05) -> tuple[object, dict[str, float]]:
    """Several calls in this process: the fastest's seconds, the highest peak and growth of any (sampled)."""
    from memory import measured

    best: dict[str, float] | None = None
    result = None
    for _ in range(repeat):
        result = None  # the last call's result let go before the next call
        result, figures = measured(operation, interval)
        if best is None:
            best = figures
        else:
            best = {
                "seconds": min(best["seconds"], figures["seconds"]),
                "peak_mb": max(best["peak_mb"], figures["peak_mb"]),
                "delta_mb": max(best["delta_mb"], figures["delta_mb"]),
            }
    assert best is not None
    return result, best


def _close(a: float, b: float, tolerance: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=tolerance)


# -- child tasks: each runs in a fresh process, given a dict of arguments, and returns a dict (JSON) ----------


def task_account(n: int, **_) -> dict[str, float]:
    from synthetic import make_ledger

    ledger = make_ledger(n)
    return _timed(ledger.account)


def task_floor(n: int, repeat: int = 2, **_) -> dict[str, object]:
    """``Ledger.account`` and its two NumPy floors on the same ledger, in turn, best of ``repeat`` each: the full
    floor (every per-fact column of the account and the park method: the issue's "the same per-fact arrays") and
    the arithmetic floor (quantities, tce, tCO2 and totals only: the floor of earlier stops)."""
    from synthetic import make_ledger

    try:
        import floor
    except ImportError as exc:
        return {"missing": f"benchmarks/floor.py cannot be imported ({exc})"}
    ledger = make_ledger(n)
    try:
        coefficients = floor.coefficients(ledger)  # outside the timed part, as floor.py says
        lineage = floor.lineage(ledger, coefficients)
        run_full = lambda: floor.account_floor(ledger, coefficients, lineage)  # noqa: E731
        run_arithmetic = lambda: floor.arithmetic_floor(ledger, coefficients)  # noqa: E731
        run_full()  # warm calls (imports), as the account's warm call below
        run_arithmetic()
    except Exception as exc:  # the floor is another's, being written: say what went wrong, measure the rest
        return {"missing": f"floor.account_floor failed: {type(exc).__name__}: {exc}"}
    ledger.account()
    account, mine = _best(ledger.account, repeat)
    summary = dict(account.summary)
    del account
    floored, full = _best(run_full, repeat)
    park = dict(floored["park"], park910_tco2=floored["park_method"]["terms"]["total"])
    del floored
    _, arithmetic = _best(run_arithmetic, repeat)
    pairs = {
        "scope1_tco2": "scope1_tco2",
        "scope2_location_tco2": "scope2_location_tco2",
        "scope2_market_tco2": "scope2_market_tco2",
        "tce": "energy_tce",
        "park910_tco2": "park910_tco2",
    }
    same = all(_close(park[k], summary[v], 1e-9) for k, v in pairs.items())
    return {"account": mine, "floor": full, "arithmetic": arithmetic, "same": same, "rows": int(len(ledger.energy))}


def task_make_tables(n: int, folder: str, **_) -> dict[str, object]:
    """A park's tables as Parquet files, as ``carbon.read_tables`` reads them (one file per table, named by its
    glossary name; the park facts in park.csv), and the carrier factors of the references (beside, in JSON)."""
    import pandas as pd
    import pyarrow.parquet as pq
    from synthetic import make_ledger

    from carbon.dataset.layout import to_arrow

    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    ledger = make_ledger(n)
    for name, frame in ledger.tables.items():
        if len(frame):
            pq.write_table(to_arrow(frame, name).drop_columns(["source_row"]), root / f"{name}.parquet")
    park = ledger.park
    facts = [
        ["name", park["name"]],
        ["province", park["province"]],
        ["reporting_year", park["reporting_year"]],
        ["baseline_year", park["baseline_year"]],
        ["sub_parks", "、".join(park["sub_parks"])],
    ]
    pd.DataFrame(facts).to_csv(root / "park.csv", index=False, header=False)
    Path(f"{folder}.factors.json").write_text(json.dumps(carrier_factors(park)))
    return {"rows": int(len(ledger.energy)), "mb": sum(f.stat().st_size for f in root.iterdir()) / 2**20}


def task_make_collected(folder: str, dataset: str, **_) -> dict[str, object]:
    """The tables of ``folder`` (from ``make_tables``) written into a dataset by ``carbon collect``."""
    from carbon.dataset import collect

    written = collect([folder], dataset)
    return {"parks": written.written}


def carrier_factors(park) -> list[dict[str, object]]:
    """Per carrier and unit of the synthetic ledger: tce (当量值) and tCO2 (scope 1, or scope 2 location-based) per
    unit as typed, read off the account of a small ledger of the same park: the references apply them, they do
    not look factors up."""
    from synthetic import make_ledger

    small = make_ledger(20, name=park["name"], province=park["province"])
    account = small.account()
    typed = small.energy.groupby(["carrier", "unit"], observed=True)["quantity"].sum()
    tce = account.energy.groupby("carrier")["tce_equivalent"].sum()
    emissions = account.emissions
    location = emissions[(emissions["scope"] == 1) | (emissions["scope2_method"] == "location")]
    co2 = location.groupby("carrier", observed=True)["emissions_tco2"].sum()
    return [
        {
            "carrier": carrier,
            "unit": unit,
            "tce_per_unit": float(tce.get(carrier, 0.0) / quantity),
            "tco2_per_unit": float(co2.get(carrier, 0.0) / quantity),
        }
        for (carrier, unit), quantity in typed.items()
    ]


def _door_pandas(folder: Path, factors, year: int):
    import pandas as pd

    energy = pd.read_parquet(
        folder / "energy.parquet", columns=["enterprise_id", "year", "carrier", "quantity", "unit"]
    )
    enterprises = pd.read_parquet(folder / "enterprises.parquet", columns=["enterprise_id", "name", "industry"])
    energy = energy[energy["year"] == year].merge(factors, on=["carrier", "unit"], how="left")
    energy["tce"] = energy["quantity"] * energy["tce_per_unit"]
    energy["tco2"] = energy["quantity"] * energy["tco2_per_unit"]
    per = energy.groupby("enterprise_id", sort=False)[["tce", "tco2"]].sum()
    per = enterprises.merge(per, left_on="enterprise_id", right_index=True, how="left")
    return float(per["tce"].sum()), float(per["tco2"].sum())


def _door_polars(folder: Path, factors, year: int):
    import polars as pl

    per = (
        pl.scan_parquet(folder / "energy.parquet")
        .filter(pl.col("year") == year)
        .join(pl.from_pandas(factors).lazy(), on=["carrier", "unit"], how="left")
        .with_columns(
            tce=pl.col("quantity") * pl.col("tce_per_unit"), tco2=pl.col("quantity") * pl.col("tco2_per_unit")
        )
        .group_by("enterprise_id")
        .agg(pl.col("tce").sum(), pl.col("tco2").sum())
    )
    out = (
        pl.scan_parquet(folder / "enterprises.parquet")
        .select("enterprise_id", "name", "industry")
        .join(per, on="enterprise_id", how="left")
        .collect()
    )
    return float(out["tce"].sum()), float(out["tco2"].sum())


def _door_duckdb(folder: Path, factors, year: int):
    import duckdb

    with duckdb.connect() as con:
        con.register("factors", factors)
        out = con.sql(  # a relation converted straight to Arrow (execute's result would copy the rows once more)
            f"""
            with per as (
                select e.enterprise_id, sum(e.quantity * f.tce_per_unit) as tce, sum(e.quantity * f.tco2_per_unit) as tco2
                from read_parquet('{folder / "energy.parquet"}') e join factors f using (carrier, unit)
                where e.year = {year} group by e.enterprise_id
            )
            select n.enterprise_id, n.name, n.industry, per.tce, per.tco2
            from read_parquet('{folder / "enterprises.parquet"}') n left join per using (enterprise_id)
            """
        ).to_arrow_table()
    return float(out["tce"].to_pandas().sum()), float(out["tco2"].to_pandas().sum())


def task_door(folder: str, repeat: int = 1, dataset: str | None = None, **_) -> dict[str, object]:
    """The Parquet door and its references, in this process, one after the other: seconds, peak, the totals; with
    ``dataset`` (the same tables written by ``carbon collect``), also the collected door: the park's partition
    read back by :func:`carbon.dataset.layout.read_park` (checked at collect time, known by its digest) and
    accounted, as each task of ``carbon province`` does."""
    import importlib.util

    import pandas as pd

    import carbon

    root = Path(folder)
    factors = pd.DataFrame(json.loads(Path(f"{folder}.factors.json").read_text()))
    year = 2023
    from synthetic import make_ledger

    make_ledger(5).account()  # the factor library warmed, pandas and pyarrow imported: steady state for all
    out: dict[str, object] = {}
    engines = {"pandas": _door_pandas, "polars": _door_polars, "duckdb": _door_duckdb}
    for name, run in engines.items():
        if name != "pandas" and importlib.util.find_spec(name) is None:
            out[name] = {"missing": "not installed"}
            continue
        totals, figures = _best(lambda run=run: run(root, factors, year), repeat)
        out[name] = {**figures, "tce": totals[0], "tco2": totals[1]}

    runs: list[tuple[float, float]] = []  # (whole, read) of each run: the read of the fastest is reported

    def door():
        start = time.perf_counter()
        ledger = carbon.read_tables(root)
        read = time.perf_counter() - start
        account = ledger.account()
        runs.append((time.perf_counter() - start, read))
        return ledger, account

    (ledger, account), figures = _best(door, repeat)
    summary = account.summary
    out["carbon"] = {
        **figures,
        "read_seconds": min(runs)[1],
        "tce": float(summary["energy_tce"]),
        "tco2": float(summary["total_location_tco2"]),
    }
    out["rows"] = int(len(ledger.energy))
    if dataset is not None:
        from carbon.dataset.layout import open_dataset, read_park

        ledger = account = None  # the Parquet door's ledger let go: each door measured alone
        _, parks = open_dataset(dataset)
        entry = parks[parks["status"] == "written"].iloc[0].to_dict()

        runs.clear()

        def collected():
            start = time.perf_counter()
            ledger = read_park(dataset, entry)
            read = time.perf_counter() - start
            account = ledger.account()
            runs.append((time.perf_counter() - start, read))
            return account

        account, figures = _best(collected, repeat)
        summary = account.summary
        out["collected"] = {
            **figures,
            "read_seconds": min(runs)[1],
            "tce": float(summary["energy_tce"]),
            "tco2": float(summary["total_location_tco2"]),
        }
    return out


def task_make_workbook(rows: int, path: str, **_) -> dict[str, float]:
    from synthetic import make_ledger

    import carbon

    ledger = make_ledger(max(1, rows // 72))
    carbon.write_workbook(ledger, path)
    return {"rows": int(len(ledger.energy))}


def task_read_workbook(path: str, **_) -> dict[str, float]:
    import carbon

    return _timed(lambda: carbon.read_workbook(path))


def task_read_calamine(path: str, **_) -> dict[str, float]:
    from python_calamine import CalamineWorkbook

    def read():
        book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    return _timed(read)


def task_read_pandas(path: str, **_) -> dict[str, float]:
    import pandas as pd

    return _timed(lambda: pd.read_excel(path, sheet_name=None, engine="calamine"))


def task_write_ledger(n: int, path: str, **_) -> dict[str, float]:
    from synthetic import make_ledger

    account = make_ledger(n).account()
    return _timed(lambda: account.to_excel(path))


def task_write_xlsxwriter(n: int, path: str, **_) -> dict[str, float]:
    """The same cells the ledger writes, written by bare xlsxwriter in constant-memory mode."""
    import pandas as pd
    import xlsxwriter
    from synthetic import make_ledger

    from carbon.io.account_workbook import ROW_LIMIT, account_frames

    account = make_ledger(n).account()
    frames = account_frames(account)

    def write():
        book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False})
        for sheet_name, frame in frames:
            if len(frame) > ROW_LIMIT:  # the ledger writes these to Parquet beside the workbook: so does this
                frame.to_parquet(f"{path}.{len(frame)}.parquet", index=False)
                continue
            sheet = book.add_worksheet(sheet_name[:31])
            sheet.write_row(0, 0, [str(c) for c in frame.columns])
            for r, values in enumerate(frame.itertuples(index=False, name=None), start=1):
                for c, value in enumerate(values):
                    if (
                        value is None
                        or value is pd.NA
                        or value is pd.NaT
                        or (isinstance(value, float) and math.isnan(value))
                    ):
                        continue
                    sheet.write(r, c, value if isinstance(value, (int, float, str, bool)) else str(value))
        book.close()

    return _timed(write)


def task_make_dataset(parks: int, n: int, folder: str, **_) -> dict[str, object]:
    """A dataset of ``parks`` parks of ``n`` enterprises each over the first provinces of nation.py, written by
    ``carbon.dataset.collect`` from a generator of ledgers."""
    from nation import PROVINCES
    from synthetic import make_ledger

    from carbon.dataset import collect

    made = (make_ledger(n, seed=2023 + i, name=f"合成园区{i:05d}号", province=PROVINCES[i % 6]) for i in range(parks))
    written = collect(made, folder)
    return {"parks": written.written, "rows": int(written.counts.query("table == 'energy'")["rows_written"].sum())}


def task_province(folder: str, workers: int = 2, **_) -> dict[str, object]:
    """``carbon province`` on a LocalCluster and synchronously, and the loop it replaces, in this process."""
    import pandas as pd
    from synthetic import make_ledger

    from carbon.dataset import account_dataset
    from carbon.dataset.account import SUMMED
    from carbon.dataset.layout import open_dataset, read_park

    make_ledger(5).account()  # warm the factor library, as the workers warm theirs (in their own time)

    def loop():
        _, parks = open_dataset(folder)
        rows = []
        for entry in parks[parks["status"] == "written"].to_dict("records"):
            summary = read_park(folder, entry).account().summary
            rows.append({"province": entry["province"], **{key: float(summary[key]) for key in SUMMED}})
        return pd.DataFrame(rows).groupby("province")[list(SUMMED)].sum()

    sums, looped = _best(loop, 1, 0.2)
    synchronous, in_process = _best(lambda: account_dataset(folder, scheduler="synchronous"), 1, 0.2)
    local, cluster = _best(lambda: account_dataset(folder, workers=workers), 1, 0.2)
    national = float(sums["park910_tco2"].sum())
    same = all(_close(float(r.national["park910_tco2"].iloc[0]), national) for r in (synchronous, local))
    return {"loop": looped, "synchronous": in_process, "local": cluster, "same": same, "scheduler": local.scheduler}


TASKS = {name[5:]: fn for name, fn in globals().items() if name.startswith("task_")}


#: The environment of the child processes: ``--keep-memory`` adds :data:`KEPT_MEMORY`.
CHILD_ENVIRONMENT: dict[str, str] | None = None

#: glibc's settings that keep freed memory in the process (no mmap for large blocks, no trim of the heap).
KEPT_MEMORY = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(1 << 46)}


def _child(task: str, **arguments: object) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", task, json.dumps(arguments)],
        capture_output=True,
        text=True,
        check=False,
        env=CHILD_ENVIRONMENT,
    )
    if result.returncode:
        raise RuntimeError(f"{task} {arguments} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- driver ----------------------------------------------------------------------------------------------


def _verdict(ratio: float, target: str) -> str:
    """``met`` or ``missed`` for a target written ``<= 1.5x ...`` (a ratio's upper bound)."""
    limit = re.match(r"<=\s*([\d.]+)x", target)
    if not limit or math.isnan(ratio):
        return target
    return f"{target}: {'met' if ratio <= float(limit.group(1)) else 'MISSED'}"


class Table:
    """The rows printed at the end: label, figures, the baseline's name and figures, the target."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def add(self, label: str, result: dict | None, baseline: dict | None = None, name: str = "", target: str = ""):
        self.rows.append((label, result, baseline, name, target))

    def note(self, text: str) -> None:
        self.rows.append((text, None, None, "", ""))

    def print(self) -> None:
        print(
            f"\n{'task':<62} {'seconds':>8} {'peak MB':>8} {'delta MB':>8}  {'baseline':<22} {'base s':>7} "
            f"{'ratio':>6}  target"
        )
        for label, result, baseline, name, target in self.rows:
            if result is None:
                print(label)
                continue
            if "missing" in result:
                print(f"{label:<62} {result['missing']}")
                continue
            head = f"{label:<62} {result['seconds']:>8.2f} {result['peak_mb']:>8.0f} {result['delta_mb']:>8.0f}"
            if baseline is None:
                print(f"{head}  {'':<22} {'':>7} {'':>6}  {target}")
            elif "missing" in baseline:
                print(f"{head}  {name:<22} {baseline['missing']}")
            else:
                ratio = result["seconds"] / baseline["seconds"]
                print(f"{head}  {name:<22} {baseline['seconds']:>7.2f} {ratio:>6.2f}  {_verdict(ratio, target)}")


def run_accounts(table: Table, sizes: tuple[int, ...]) -> None:
    timings = {}
    for n in sizes:
        result = _child("account", n=n)
        timings[n] = result["seconds"]
        target = "<= 5 s, <= 3 GB at 7.2 M rows" if n == 100_000 else ""
        table.add(f"account(), {n:,} enterprises ({n * 72:,} energy rows)", result, target=target)
    for small, large in zip(sizes, sizes[1:], strict=False):
        table.note(
            f"  scaling: {large // small}x the rows costs {timings[large] / timings[small]:.1f}x the time "
            "(target <= 12x)"
        )


def run_floor(table: Table, sizes: tuple[int, ...]) -> None:
    for n in sizes:
        result = _child("floor", n=n)
        label = f"account() vs its NumPy floor, {n * 72:,} rows"
        if "missing" in result:
            table.add(label, result)
            continue
        table.add(label, result["account"], result["floor"], "floor.py, every column (NumPy)", "<= 1.5x the floor")
        table.add(
            "  the same, against the arithmetic only", result["account"], result["arithmetic"], "floor.py, arithmetic"
        )
        if result["same"] is False:
            table.note("  (the floor's park totals differ from the account's: check floor.py)")


def run_door(table: Table, n: int, folder: str) -> None:
    tables = str(Path(folder) / "tables")
    made = _child("make_tables", n=n, folder=tables)
    dataset = str(Path(folder) / "collected")
    _child("make_collected", folder=tables, dataset=dataset)
    door = _child("door", folder=tables, dataset=dataset)
    pandas = door["pandas"]
    label = f"Parquet door: read_tables + account(), {made['rows']:,} rows"
    table.add(label, door["carbon"], pandas, "pandas read+merge+groupby", "<= 3x pandas")
    for name, what in (("polars", "polars scan_parquet lazy"), ("duckdb", "duckdb SQL")):
        if "missing" in door[name]:
            table.add(f"  ({name}, same files)", {"missing": f"{name}: not installed"})
        else:
            table.add(f"  (carbon against {what})", door["carbon"], door[name], what, "reference")
    collected = door["collected"]
    table.add(
        "  collected: read_park + account() (checked by carbon collect)", collected, pandas, "pandas", "reference"
    )
    agree = all(
        _close(door[e]["tce"], door["carbon"]["tce"], 1e-6) and _close(door[e]["tco2"], door["carbon"]["tco2"], 1e-6)
        for e in ("pandas", "polars", "duckdb", "collected")
        if "missing" not in door[e]
    )
    read, again = door["carbon"]["read_seconds"], collected["read_seconds"]
    table.note(
        f"  (read_tables {read:.2f} s, account {door['carbon']['seconds'] - read:.2f} s; read_park {again:.2f} s, "
        f"account {collected['seconds'] - again:.2f} s; {made['mb']:.0f} MB of Parquet; tce and location-based "
        f"tCO2 the same in every engine: {'yes' if agree else 'NO'})"
    )


def run_read_write(table: Table, read_rows: int, write_n: int, folder: str) -> None:
    book = str(Path(folder) / "park.xlsx")
    made = _child("make_workbook", rows=read_rows, path=book)
    read = _child("read_workbook", path=book)
    bare = _child("read_calamine", path=book)
    pandas_read = _child("read_pandas", path=book)
    table.add(f"read_workbook, {made['rows']:,} energy rows", read, bare, "python-calamine", "<= 1.5x calamine")
    table.add("  (pandas.read_excel calamine, same file)", pandas_read, bare, "python-calamine")
    out = str(Path(folder) / "ledger.xlsx")
    written = _child("write_ledger", n=write_n, path=out)
    bare_write = _child("write_xlsxwriter", n=write_n, path=str(Path(folder) / "bare.xlsx"))
    table.add(
        f"write ledger, {write_n:,} enterprises", written, bare_write, "xlsxwriter const. mem.", "<= 1.5x xlsxwriter"
    )


def run_dask(table: Table, park_counts: tuple[int, ...], n: int, folder: str) -> None:
    times = {}
    for parks in park_counts:
        dataset = str(Path(folder) / f"dataset{parks}")
        made = _child("make_dataset", parks=parks, n=n, folder=dataset)
        result = _child("province", folder=dataset)
        times[parks] = result["local"]["seconds"]
        what = f"{parks} parks, {made['rows'] / 1e6:.2f} M rows"
        for mode, name in (("local", "LocalCluster (2 workers)"), ("synchronous", "synchronous")):
            table.add(f"carbon province, {name}, {what}", result[mode], result["loop"], "loop in 1 process")
        if not result["same"]:
            table.note("  (the Dask figures differ from the loop's: a bug)")
    first = park_counts[0]
    for parks in park_counts[1:]:
        table.note(
            f"  scaling (LocalCluster): {parks // first}x the parks costs {times[parks] / times[first]:.2f}x the time"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under three minutes")
    parser.add_argument("--large", action="store_true", help="also the account and its floor at 36 M rows")
    parser.add_argument("--nation", action="store_true", help="only the 72 M-row nation through Dask (nation.py)")
    parser.add_argument("--keep", action="store_true", help="with --nation: keep the datasets written")
    parser.add_argument(
        "--keep-memory", action="store_true", help="each process keeps the memory it frees (see above: VMs)"
    )
    parser.add_argument("--child", nargs=2, metavar=("TASK", "ARGUMENTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.keep_memory:
        global CHILD_ENVIRONMENT
        CHILD_ENVIRONMENT = {**os.environ, **KEPT_MEMORY}
    if args.child:
        task, arguments = args.child
        print(json.dumps(TASKS[task](**json.loads(arguments))))
        return
    if args.nation:
        command = [sys.executable, str(HERE / "nation.py"), *(["--keep"] if args.keep else [])]
        print("$", " ".join(command[1:]), flush=True)
        raise SystemExit(subprocess.run(command, check=False, env=CHILD_ENVIRONMENT).returncode)

    quick = args.quick
    start = time.perf_counter()
    kept = "freed memory kept in each process" if args.keep_memory else "freed memory handed back as glibc does"
    print(f"carbon benchmarks ({'quick' if quick else 'full'}), {os.cpu_count()} cores, {kept}", flush=True)
    table = Table()
    run_accounts(table, (1_000, 10_000) if quick else (1_000, 10_000, 100_000))
    floor_sizes = (10_000,) if quick else (100_000,)
    if args.large:
        if _available_gb() >= 12:
            floor_sizes = (*floor_sizes, 500_000)
        else:
            table.note(f"(36 M rows left out: {_available_gb():.1f} GB available, 12 GB needed)")
    run_floor(table, floor_sizes)
    with tempfile.TemporaryDirectory(prefix="carbon-bench-") as folder:
        run_door(table, 10_000 if quick else 100_000, folder)
        run_read_write(table, 20_000 if quick else 100_000, 300 if quick else 100_000, folder)
        run_dask(table, (3, 6, 12) if quick else (8, 16, 32), 300 if quick else 1_000, folder)
    table.print()
    print(f"\n({time.perf_counter() - start:.0f} s in all; the nation: python benchmarks/run.py --nation)")


if __name__ == "__main__":
    main()
