"""A synthetic nation for ``carbon province``: 72 million monthly energy rows in the dataset layout, accounted out of
core on a LocalCluster of this machine, with the peak memory of the whole process tree.

    python benchmarks/nation.py                       # 72 M rows, and the scaling over 7.2 M / 24 M / 72 M
    python benchmarks/nation.py --rows 720000 --sizes 72000,360000,720000   # the same, small
    python benchmarks/run.py --nation                 # the same as the first line, from the benchmark driver

The nation: about 2,000 parks over 30 mainland provinces (in turn; not Xizang, which has no published grid factor), each park a :func:`synthetic.make_ledger`
ledger of its own size (log-normal, mean 500 enterprises, 20 to 6,000, as parks differ), every enterprise with 12
months x 6 carriers = 72 energy rows, so 1,000,000 enterprises give 72 million rows. It is written by
:func:`carbon.dataset.collect` itself from a generator of ledgers (one park made, written and let go at a time,
so the generator never holds the nation): the files, ``parks.parquet`` and the digests are those that
``carbon collect`` writes and ``carbon province`` reads. The smaller sizes of the scaling are the nation's first
parks, as datasets of their own (``parks.parquet`` cut, the partitions hard-linked: no second copy on disk).

The account: :func:`carbon.dataset.account_dataset` given the address of a LocalCluster started here (2 worker
processes, one thread each, ``--memory-limit`` each, 5 GiB), as a real cluster is given (``--scheduler tcp://...``).
Memory: the sum of the resident sizes of this process (driver and scheduler) and all its descendants (nannies,
workers), sampled every 0.2 s. Generation is timed apart and not part of the account's figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import make_ledger  # noqa: E402

#: The mainland provinces, autonomous regions and municipalities (region ids of carbon/data/regions.csv) but Xizang,
#: for which no grid factor is published (its parks' account asks for a grid region to be named).
PROVINCES = (
    "Beijing",
    "Tianjin",
    "Hebei",
    "Shanxi",
    "Inner Mongolia",
    "Liaoning",
    "Jilin",
    "Heilongjiang",
    "Shanghai",
    "Jiangsu",
    "Zhejiang",
    "Anhui",
    "Fujian",
    "Jiangxi",
    "Shandong",
    "Henan",
    "Hubei",
    "Hunan",
    "Guangdong",
    "Guangxi",
    "Hainan",
    "Chongqing",
    "Sichuan",
    "Guizhou",
    "Yunnan",
    "Shaanxi",
    "Gansu",
    "Qinghai",
    "Ningxia",
    "Xinjiang",
)
ROWS_PER_ENTERPRISE = 72  # 12 months x 6 carriers
MEAN_ENTERPRISES = 500
SMALLEST, LARGEST = 20, 6_000
NATION_ROWS = 72_000_000
SCALING = (7_200_000, 24_000_000, 72_000_000)


def park_size(number: int, seed: int = 2023) -> int:
    """Park ``number``'s enterprises: log-normal around a mean of 500 (sigma 0.9), between 20 and 6,000."""
    rng = np.random.default_rng([seed, number])
    sigma = 0.9
    size = rng.lognormal(np.log(MEAN_ENTERPRISES) - sigma**2 / 2, sigma)
    return int(np.clip(round(size), SMALLEST, LARGEST))


def plan(rows: int, seed: int = 2023) -> list[tuple[int, str, int]]:
    """(number, province, enterprises) of every park of a nation of ``rows`` energy rows: parks in turn over the
    provinces until the rows are reached, the last park cut to make them exact (to the 72 rows of an enterprise)."""
    wanted = max(1, rows // ROWS_PER_ENTERPRISE)
    parks, total, number = [], 0, 0
    while total < wanted:
        size = min(park_size(number, seed), wanted - total)
        parks.append((number, PROVINCES[number % len(PROVINCES)], size))
        total += size
        number += 1
    return parks


def ledgers(parks: list[tuple[int, str, int]], seed: int = 2023) -> Iterator[object]:
    """The parks' ledgers, one at a time."""
    for number, province, size in parks:
        yield make_ledger(size, seed=seed + number, name=f"合成园区{number:05d}号", province=province)


def generate(rows: int, out: Path, seed: int = 2023, progress: bool = True) -> dict[str, object]:
    """Write the nation of ``rows`` energy rows at ``out`` through :func:`carbon.dataset.collect`."""
    from memory import TreePeak

    from carbon.dataset import collect

    parks = plan(rows, seed)
    done = [0]
    start = time.perf_counter()

    def on_park(_: str) -> None:
        done[0] += 1
        if progress and (done[0] % 100 == 0 or done[0] == len(parks)):
            elapsed = time.perf_counter() - start
            print(f"  generated {done[0]:,}/{len(parks):,} parks in {elapsed:.0f} s", file=sys.stderr, flush=True)

    with TreePeak() as peak:
        written = collect(ledgers(parks, seed), out, on_park=on_park)
    seconds = time.perf_counter() - start
    if written.refused:
        raise RuntimeError(f"{written.refused} synthetic parks refused: {written.problems.head()}")
    return {
        "parks": written.written,
        "enterprises": sum(size for _, _, size in parks),
        "rows": int(written.counts.loc[written.counts["table"] == "energy", "rows_written"].sum()),
        "seconds": seconds,
        "peak_mb": peak.mb,
        "disk_mb": sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 2**20,
    }


def subset(dataset: Path, out: Path, parks: int) -> Path:
    """A dataset of the first ``parks`` parks of ``dataset`` (by input number): its own ``parks.parquet``,
    ``row_counts.parquet``, ``problems.parquet`` and marker, the partitions hard-linked."""
    from carbon.dataset.layout import COUNTS, MARKER, PARKS, PROBLEMS, partition_path
    from carbon.ledger import TABLE_NAMES

    out.mkdir(parents=True)
    entries = pd.read_parquet(dataset / PARKS)
    kept = entries[entries["input_no"] <= parks]
    kept.to_parquet(out / PARKS, index=False)
    for name in (COUNTS, PROBLEMS):
        frame = pd.read_parquet(dataset / name)
        frame[frame["input_no"] <= parks].to_parquet(out / name, index=False)
    about = json.loads((dataset / MARKER).read_text(encoding="utf-8"))
    about.update(parks=int(len(kept)), inputs=int(len(kept)))
    (out / MARKER).write_text(json.dumps(about, ensure_ascii=False, indent=1), encoding="utf-8")
    for entry in kept.itertuples(index=False):
        for name in TABLE_NAMES:
            source = partition_path(dataset, name, entry.province, entry.park, int(entry.reporting_year))
            target = partition_path(out, name, entry.province, entry.park, int(entry.reporting_year))
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
    return out


def account(dataset: Path, workers: int = 2, memory_limit: str = "5GiB") -> dict[str, object]:
    """``carbon province`` on a LocalCluster of ``workers`` processes started here, reached by its address; the
    figures, the seconds (cluster start apart) and the peak memory of the process tree."""
    from dask.distributed import Client, LocalCluster, get_task_stream
    from memory import TreePeak

    from carbon.dataset import account_dataset

    with TreePeak() as peak:
        start = time.perf_counter()
        with LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=":0",
            silence_logs=40,
        ) as cluster:
            started = time.perf_counter()
            with Client(cluster) as client, get_task_stream(client) as stream:
                began = time.time()
                result = account_dataset(dataset, scheduler=cluster.scheduler_address)
                ended = time.time()
            accounted = time.perf_counter()
        seconds = time.perf_counter() - start
    busy = {"parks": 0.0, "combining": 0.0, "transfer": 0.0}
    stops = [part["stop"] for task in stream.data for part in task["startstops"]]
    starts = [part["start"] for task in stream.data for part in task["startstops"]]
    for task in stream.data:
        key = task["key"] if isinstance(task["key"], str) else str(task["key"][0])
        for part in task["startstops"]:
            kind = part["action"] if part["action"] != "compute" else "combining"
            if part["action"] == "compute" and key.startswith("park-account"):
                kind = "parks"
            busy[kind] = busy.get(kind, 0.0) + part["stop"] - part["start"]
    national = result.national.iloc[-1]
    return {
        "parks": int(len(result.parks)),
        "parks_failed": int((result.parks["status"] != "ok").sum()),
        "provinces": int(result.provinces["province"].nunique()),
        "seconds": seconds,
        "start_seconds": started - start,
        "account_seconds": accounted - started,
        "task_seconds": busy,
        "before_first_task": (min(starts) - began) if starts else math.nan,  # the graph built and sent
        "after_last_task": (ended - max(stops)) if stops else math.nan,  # results to the driver, its tables
        "peak_mb": peak.mb,
        "driver_mb": peak.own_mb,
        "workers_mb": peak.children_mb,
        "start_mb": peak.start_mb,
        "scheduler": result.scheduler,
        "national": {
            key: float(national[key])
            for key in ("park910_tco2", "total_location_tco2", "total_market_tco2", "energy_tce")
        },
        "year": int(national["year"]),
    }


def profile(dataset: Path, count: int = 12) -> dict[str, float]:
    """Where a park's time goes, in this process, over ``count`` parks spread over the dataset, in seconds per
    million energy rows: the steps of :func:`carbon.dataset.layout.read_park` (the files read, Arrow to pandas,
    the digest compared with the one ``carbon collect`` recorded, the ledger built: its energy labels coded) and
    the account (:meth:`carbon.Ledger.account`)."""
    from carbon.dataset.layout import _read_table, open_dataset, park_facts, partition_digest, partition_path
    from carbon.ledger import TABLE_NAMES, Ledger

    _, entries = open_dataset(dataset)
    entries = entries[entries["status"] == "written"]
    chosen = entries.iloc[np.linspace(0, len(entries) - 1, min(count, len(entries))).astype(int)]
    spent = dict.fromkeys(("files", "arrow_to_pandas", "digest", "ledger", "account"), 0.0)
    rows = 0
    for entry in chosen.to_dict("records"):
        key = (str(entry["province"]), str(entry["park"]), int(entry["reporting_year"]))
        marks = [time.perf_counter()]
        files = {name: partition_path(dataset, name, *key).read_bytes() for name in TABLE_NAMES}
        marks.append(time.perf_counter())
        tables = {name: _read_table(files[name], name) for name in TABLE_NAMES}
        marks.append(time.perf_counter())
        if partition_digest(files) != entry["partition_sha256"]:
            raise RuntimeError("the dataset changed since it was written")
        marks.append(time.perf_counter())
        ledger = Ledger(park_facts(entry), tables, source=str(entry["input"]), sha256=entry["sha256"])
        marks.append(time.perf_counter())
        ledger.account()
        marks.append(time.perf_counter())
        for step, (a, b) in zip(spent, zip(marks, marks[1:], strict=False), strict=True):
            spent[step] += b - a
        rows += len(tables["energy"])
    return {
        "parks": len(chosen),
        "rows": rows,
        **{f"{step}_s_per_m_rows": seconds / rows * 1e6 for step, seconds in spent.items()},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=float, default=NATION_ROWS, help="energy rows of the nation (72e6)")
    parser.add_argument(
        "--sizes", default=",".join(str(s) for s in SCALING), help="rows of the scaling runs, the nation's last"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--memory-limit",
        default="5GiB",
        help="each worker's (Dask's memory_limit; at 3GiB a worker was killed when carbon province concatenated "
        "the 1,000,000 gathered enterprise rows on it, before they were joined in the driver instead)",
    )
    parser.add_argument("--folder", help="where to write (default: a new folder under /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the datasets written")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line at the end")
    args = parser.parse_args(argv)

    rows = int(args.rows)
    sizes = sorted({int(float(s)) for s in args.sizes.split(",") if s and int(float(s)) <= rows})
    if args.folder:
        root = Path(args.folder)
        if root.exists() and any(root.iterdir()):
            parser.error(f"{root} is not empty")
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="carbon-nation-", dir="/tmp"))
    nation = root / "nation"
    figures: dict[str, object] = {"rows": rows, "folder": str(root)}
    try:
        print(f"generating a nation of {rows:,} energy rows at {nation} ...", file=sys.stderr, flush=True)
        made = generate(rows, nation)
        figures["generated"] = made
        print(
            f"generated: {made['parks']:,} parks, {made['enterprises']:,} enterprises, {made['rows']:,} energy rows "
            f"in {made['seconds']:.0f} s (peak {made['peak_mb']:,.0f} MB), {made['disk_mb']:,.0f} MB on disk",
            flush=True,
        )
        parks_plan = plan(rows)
        runs = []
        for size in [rows, *(s for s in sizes if s != rows)]:  # the nation first: its figures come what may
            if size == rows:
                dataset, parks = nation, made["parks"]
            else:
                cumulative = np.cumsum([n for _, _, n in parks_plan]) * ROWS_PER_ENTERPRISE
                parks = int(np.searchsorted(cumulative, size) + 1)
                dataset = subset(nation, root / f"first{parks}", parks)
            energy_rows = int(
                pd.read_parquet(dataset / "row_counts.parquet").query("table == 'energy'")["rows_written"].sum()
            )
            print(f"accounting {parks:,} parks ({energy_rows:,} rows) ...", file=sys.stderr, flush=True)
            run = {"rows": energy_rows, **account(dataset, args.workers, args.memory_limit)}
            runs.append(run)
            national = run["national"]
            busy = ", ".join(f"{k} {v:.0f} s" for k, v in run["task_seconds"].items())
            print(
                f"carbon province, {run['parks']:,} parks, {energy_rows:,} rows, {run['provinces']} provinces: "
                f"{run['seconds']:.1f} s (cluster start {run['start_seconds']:.1f} s, account "
                f"{run['account_seconds']:.1f} s, of which {run['before_first_task']:.1f} s before the first task and "
                f"{run['after_last_task']:.1f} s after the last; worker time {busy}), peak {run['peak_mb']:,.0f} MB "
                f"(tree, driver+scheduler+{args.workers} workers; target < 8,192 MB; the driver and scheduler alone "
                f"{run['driver_mb']:,.0f} MB, the workers alone {run['workers_mb']:,.0f} MB), "
                f"{run['parks_failed']} failed",
                flush=True,
            )
            print(
                f"  national {run['year']}: E_park (910号) {national['park910_tco2']:,.0f} tCO2, location "
                f"{national['total_location_tco2']:,.0f} tCO2, market {national['total_market_tco2']:,.0f} tCO2, "
                f"energy {national['energy_tce']:,.0f} tce",
                flush=True,
            )
        figures["runs"] = runs
        runs.sort(key=lambda run: run["rows"])
        first = runs[0]
        for run in runs[1:]:
            print(
                f"scaling: {run['rows'] / first['rows']:.1f}x the rows costs {run['seconds'] / first['seconds']:.2f}x "
                f"the time ({run['account_seconds'] / first['account_seconds']:.2f}x without the cluster's start), "
                f"{run['peak_mb'] / first['peak_mb']:.2f}x the peak memory",
                flush=True,
            )
        where = profile(nation)
        figures["profile"] = where
        steps = ", ".join(
            f"{step.replace('_', ' ')} {where[f'{step}_s_per_m_rows']:.2f}"
            for step in ("files", "arrow_to_pandas", "digest", "ledger", "account")
        )
        print(
            f"per park, in one process ({where['parks']} parks, {where['rows']:,} rows), seconds per million rows: "
            f"{steps}",
            flush=True,
        )
    finally:
        if args.keep:
            print(f"kept: {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
