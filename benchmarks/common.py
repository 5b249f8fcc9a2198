"""Shared pieces of the benchmarks: sizes, the cache directory, interleaved timing and the result row.

Timing rule: the machine is shared and noisy, so the contenders of one benchmark are run in
alternation (A B, B A, A B, ...) after one untimed warm-up each, and the median is reported. A ratio is
always ``ours / baseline`` measured in the same run (lower is better).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Sizes:
    """How big a run is: demo-generator customers (~11 transactions each), CLV customers, repetitions."""

    customers: int
    clv_customers: int
    repeats: int
    process_repeats: int  # for benchmarks that start a subprocess per repetition

    @property
    def label(self) -> str:
        return f"{self.customers // 1000}k" if self.customers >= 1000 else str(self.customers)


FULL = Sizes(customers=100_000, clv_customers=100_000, repeats=5, process_repeats=3)
QUICK = Sizes(customers=2_000, clv_customers=2_000, repeats=2, process_repeats=1)


@dataclass
class Result:
    """One printed line: ``ratio = ours / baseline`` (or None), checked against ``target``.

    ``status`` is PASS, FAIL, INFO (reported without a target) or SKIP (``note`` says why).
    """

    name: str
    ours: float | None
    baseline: float | None
    unit: str
    target: str = ""
    status: str = "INFO"
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline


def bench_dir() -> Path:
    """Cache for generated inputs and the lifetimes venv: $CUSTFIN_BENCH_DIR or <tmp>/custfin-bench."""
    path = Path(os.environ.get("CUSTFIN_BENCH_DIR") or Path(tempfile.gettempdir()) / "custfin-bench")
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file, so concurrent runs never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def interleaved(contenders: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time (s) of each contender over ``repeats`` alternating rounds, after one warm-up each."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    order = list(contenders)
    for i in range(repeats):
        for name in order if i % 2 == 0 else reversed(order):
            start = time.perf_counter()
            contenders[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def timed_runs(fn: Callable[[], object], repeats: int) -> list[float]:
    """Wall times (s) of ``repeats`` calls of ``fn`` (no warm-up)."""
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def at_most(value: float | None, limit: float) -> str:
    """PASS when ``value <= limit``, FAIL otherwise (or when there is no value)."""
    return "PASS" if value is not None and value <= limit else "FAIL"
