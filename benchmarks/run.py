"""Benchmarks of carbon at province scale, measured on this machine and printed with their baselines.

    python benchmarks/run.py            # full: 1,000 / 10,000 / 100,000 enterprises (up to 7.2 M energy rows)
    python benchmarks/run.py --quick    # the same figures at smaller sizes, in under two minutes

Every task runs in a fresh Python process, so its peak memory (ru_maxrss) is its own; "delta" is the growth
during the timed operation alone. Data generation is never timed. Each figure is printed beside the bare
library doing the same job (python-calamine reading the same workbook; xlsxwriter in constant-memory mode
writing the same cells), so it is also a ratio. The machine is noisy: trust ratios more than seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(operation) -> dict[str, float]:
    before = _rss_mb()
    start = time.perf_counter()
    operation()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "delta_mb": _peak_mb() - before}


# -- child tasks ------------------------------------------------------------------------------------------


def task_account(n: int, _: str) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    from synthetic import make_ledger

    ledger = make_ledger(n)
    return _timed(ledger.account)


def task_make_workbook(rows: int, path: str) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    from synthetic import make_ledger

    import carbon

    ledger = make_ledger(max(1, rows // 72))
    carbon.write_workbook(ledger, path)
    return {"rows": int(len(ledger.energy))}


def task_read_workbook(_: int, path: str) -> dict[str, float]:
    import carbon

    return _timed(lambda: carbon.read_workbook(path))


def task_read_calamine(_: int, path: str) -> dict[str, float]:
    from python_calamine import CalamineWorkbook

    def read():
        book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    return _timed(read)


def task_read_pandas(_: int, path: str) -> dict[str, float]:
    import pandas as pd

    return _timed(lambda: pd.read_excel(path, sheet_name=None, engine="calamine"))


def task_write_ledger(n: int, path: str) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    from synthetic import make_ledger

    account = make_ledger(n).account()
    return _timed(lambda: account.to_excel(path))


def task_write_xlsxwriter(n: int, path: str) -> dict[str, float]:
    """The same cells the ledger writes, written by bare xlsxwriter in constant-memory mode."""
    sys.path.insert(0, str(HERE))
    import math

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


TASKS = {name[5:]: fn for name, fn in globals().items() if name.startswith("task_")}


def _child(task: str, n: int, path: str = "") -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", task, str(n), path], capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(f"{task} {n} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- driver ----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under two minutes")
    parser.add_argument("--child", nargs=3, metavar=("TASK", "N", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, n, path = args.child
        print(json.dumps(TASKS[task](int(n), path)))
        return

    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    read_rows = 20_000 if args.quick else 100_000
    write_n = 1_000 if args.quick else 100_000
    print(f"carbon benchmarks ({'quick' if args.quick else 'full'}), {os.cpu_count()} cores\n")
    rows: list[tuple] = []

    timings = {}
    for n in sizes:
        result = _child("account", n)
        timings[n] = result["seconds"]
        rows.append(
            (
                f"account(), {n:,} enterprises ({n * 72:,} energy rows)",
                result,
                None,
                "<= 5 s, <= 3 GB at 7.2 M rows" if n == 100_000 else "",
            )
        )
    for small, large in zip(sizes, sizes[1:], strict=False):
        print(
            f"scaling: {large // small}x the rows costs {timings[large] / timings[small]:.1f}x the time (target <= 12x)"
        )

    with tempfile.TemporaryDirectory() as folder:
        book = str(Path(folder) / "park.xlsx")
        made = _child("make_workbook", read_rows, book)
        read = _child("read_workbook", 0, book)
        bare = _child("read_calamine", 0, book)
        pandas_read = _child("read_pandas", 0, book)
        rows.append((f"read_workbook, {made['rows']:,} energy rows", read, bare, "<= 1.5x calamine"))
        rows.append(("  (pandas.read_excel calamine, same file)", pandas_read, bare, ""))
        out = str(Path(folder) / "ledger.xlsx")
        written = _child("write_ledger", write_n, out)
        bare_write = _child("write_xlsxwriter", write_n, str(Path(folder) / "bare.xlsx"))
        rows.append(
            (f"write ledger, {write_n:,} enterprises", written, bare_write, "<= 1.5x xlsxwriter constant memory")
        )

    print(f"\n{'task':<58} {'seconds':>9} {'peak MB':>9} {'delta MB':>9} {'baseline s':>11} {'ratio':>7}  target")
    for label, result, baseline, target in rows:
        base = f"{baseline['seconds']:>11.2f}" if baseline else f"{'':>11}"
        ratio = f"{result['seconds'] / baseline['seconds']:>7.2f}" if baseline else f"{'':>7}"
        print(
            f"{label:<58} {result['seconds']:>9.2f} {result['peak_mb']:>9.0f} {result['delta_mb']:>9.0f} {base} {ratio}  {target}"
        )


if __name__ == "__main__":
    main()
