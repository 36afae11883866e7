"""Peak memory of a process tree (the driver, the Dask scheduler in it, the nannies and the worker processes),
sampled in a thread: the sum of the resident set sizes of the process and all its descendants.

RSS counts pages shared between processes (the libraries they all map) once per process, so the sum is an upper
bound of what the tree holds; ``ru_maxrss`` would see one process only.
"""

from __future__ import annotations

import os
import threading
import time

import psutil

__all__ = ["TreePeak", "measured", "tree_rss"]


def tree_rss(process: psutil.Process) -> int:
    """Bytes resident in ``process`` and every descendant now (processes gone meanwhile are skipped)."""
    return sum(_rss(process))


def _rss(process: psutil.Process) -> tuple[int, int]:
    """(bytes resident in ``process``, in all its descendants)."""
    try:
        own = process.memory_info().rss
        children = process.children(recursive=True)
    except psutil.Error:
        return 0, 0
    total = 0
    for child in children:
        try:
            total += child.memory_info().rss
        except psutil.Error:
            pass
    return own, total


class TreePeak:
    """``with TreePeak() as peak: ...`` then ``peak.mb`` (the highest sum seen), ``peak.start_mb``, and the
    highest of this process alone and of its descendants alone (``own_mb``, ``children_mb``).

    Samples every ``interval`` seconds (0.2 by default) in a daemon thread, and once at entry and at exit."""

    def __init__(self, interval: float = 0.2, pid: int | None = None) -> None:
        self.interval = interval
        self.process = psutil.Process(pid or os.getpid())
        self.peak = 0
        self.start = 0
        self.own_peak = 0  # this process alone (with a LocalCluster: the driver and the scheduler)
        self.children_peak = 0  # its descendants (the nannies and workers), each peak at its own moment
        self.samples = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        own, children = _rss(self.process)
        self.samples += 1
        self.peak = max(self.peak, own + children)
        self.own_peak = max(self.own_peak, own)
        self.children_peak = max(self.children_peak, children)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> TreePeak:
        self.start = tree_rss(self.process)
        self.peak = self.start
        self._thread = threading.Thread(target=self._run, name="tree-peak", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sample()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    @property
    def mb(self) -> float:
        return self.peak / 2**20

    @property
    def own_mb(self) -> float:
        return self.own_peak / 2**20

    @property
    def children_mb(self) -> float:
        return self.children_peak / 2**20

    @property
    def start_mb(self) -> float:
        return self.start / 2**20


def measured(operation, interval: float = 0.2) -> tuple[object, dict[str, float]]:
    """(what ``operation()`` returned, its seconds and the tree's peak and growth in MB)."""
    with TreePeak(interval) as peak:
        start = time.perf_counter()
        result = operation()
        seconds = time.perf_counter() - start
    return result, {"seconds": seconds, "peak_mb": peak.mb, "delta_mb": peak.mb - peak.start_mb}
