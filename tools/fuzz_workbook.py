"""Fuzz the workbook reader: corrupted variants of the sample park, each validated with a time limit.

    python tools/fuzz_workbook.py                  # 2,000 variants, seed 0
    python tools/fuzz_workbook.py -n 200 --seed 7

Each variant is the sample workbook corrupted one way, chosen at random (seeded, so a run repeats exactly):

- ``flip``: a few random bytes of the file overwritten;
- ``truncate``: the file cut at a random point;
- ``xml``: inside one XML part (a sheet, the shared strings, the workbook, the styles), a few random bytes
  overwritten, a random span deleted or duplicated, then re-zipped, so the damage reaches the parsers;
- ``cell``: a random cell of a data sheet set to random text, a huge or negative number, or a formula.

``carbon.validate_workbook`` must return a report for every variant (it never raises) within 10 s. Variants
run in two worker processes (a hang is killed and counted, and the worker restarted). Prints the counts by
kind, the verdicts, the slowest variant, every unhandled exception and every hang, and exits 1 if there was
any. Failing variants are kept in ``--keep`` for replay.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import select
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

LIMIT_SECONDS = 10.0


def corrupt(sample: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(["flip", "truncate", "xml", "xml", "cell"])
    if kind == "flip":
        data = bytearray(sample)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return kind, bytes(data)
    if kind == "truncate":
        return kind, sample[: rng.randrange(len(sample))]
    with zipfile.ZipFile(io.BytesIO(sample)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if kind == "xml":
        name = rng.choice([n for n in parts if n.endswith(".xml") and n.startswith("xl/")])
        data = bytearray(parts[name])
        action = rng.choice(["bytes", "delete", "duplicate"])
        start = rng.randrange(len(data))
        end = min(len(data), start + rng.randint(1, 400))
        if action == "bytes":
            for _ in range(rng.randint(1, 6)):
                data[rng.randrange(len(data))] = rng.choice(b'<>"&=/ \x00\xff9azZ')
        elif action == "delete":
            del data[start:end]
        else:
            data[start:start] = data[start:end]
        parts[name] = bytes(data)
        kind = f"xml-{action}"
    else:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(sample))
        sheet = book[rng.choice(book.sheetnames[1:])]
        row, column = rng.randint(1, max(2, sheet.max_row)), rng.randint(1, max(1, sheet.max_column))
        sheet.cell(row, column).value = rng.choice(
            ["", "N/A", "１２３", "1,2,3", "=SUM(A1:A3)", "#N/A", -1e300, 1e300, "2023-02-30", "\u202e", "💥" * 50]
        )
        buffer = io.BytesIO()
        book.save(buffer)
        return kind, buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return kind, buffer.getvalue()


def worker() -> None:
    """Validate the paths read from stdin, one JSON line each: verdict, seconds, any exception."""
    import carbon

    for line in sys.stdin:
        path = line.strip()
        start = time.perf_counter()
        try:
            report = carbon.validate_workbook(path)
            result = {"verdict": "ok" if report.ok else ("unreadable" if not report.readable else "errors")}
        except Exception as exc:  # what the fuzzer is looking for
            result = {"verdict": "exception", "exception": "".join(traceback.format_exception(exc))[-3000:]}
        result["seconds"] = time.perf_counter() - start
        print(json.dumps(result), flush=True)


class Worker:
    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, path: str) -> dict[str, object]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(path + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], LIMIT_SECONDS + 5)  # +5: the first import
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            self.process.wait()
            self.start()
            return {"verdict": "hang", "seconds": LIMIT_SECONDS}
        result = json.loads(line)
        if result["seconds"] > LIMIT_SECONDS:
            result["verdict"] = "hang"
        return result

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=2000, help="number of variants (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"), help="folder for failing variants")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import carbon

    sample = Path(carbon.sample_workbook_path()).read_bytes()
    rng = random.Random(args.seed)
    variants = [corrupt(sample, rng) for _ in range(args.n)]
    kinds = Counter(kind for kind, _ in variants)
    verdicts: Counter[str] = Counter()
    failures: list[tuple[int, str, dict[str, object]]] = []
    slowest = (0.0, -1)
    lock = threading.Lock()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, (_, data) in enumerate(variants):
            path = Path(folder) / f"variant{i:05d}.xlsx"
            path.write_bytes(data)
            paths.append(str(path))
        queue = list(range(len(paths)))

        def drive() -> None:
            nonlocal slowest
            runner = Worker()
            while True:
                with lock:
                    if not queue:
                        break
                    i = queue.pop()
                result = runner.run(paths[i])
                with lock:
                    verdicts[str(result["verdict"])] += 1
                    if float(result["seconds"]) > slowest[0]:
                        slowest = (float(result["seconds"]), i)
                    if result["verdict"] in ("exception", "hang"):
                        failures.append((i, variants[i][0], result))
                        args.keep.mkdir(exist_ok=True)
                        (args.keep / f"variant{i:05d}.xlsx").write_bytes(variants[i][1])
            runner.close()

        threads = [threading.Thread(target=drive) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(f"{args.n} variants (seed {args.seed}) in {time.perf_counter() - started:.0f} s")
    print("kinds:   ", dict(sorted(kinds.items())))
    print("verdicts:", dict(sorted(verdicts.items())))
    print(f"slowest: variant {slowest[1]} ({variants[slowest[1]][0]}) {slowest[0]:.2f} s")
    for i, kind, result in sorted(failures):
        print(f"\nvariant {i} ({kind}): {result['verdict']}\n{result.get('exception', '')}")
    print(f"\nunhandled exceptions: {verdicts['exception']}, hangs over {LIMIT_SECONDS:.0f} s: {verdicts['hang']}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
