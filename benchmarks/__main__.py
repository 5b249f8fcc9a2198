"""``python -m benchmarks [--quick] [--only NAME ...] [--out PATH]``: performance targets as ratios.

Prints one line per result (name, ours, baseline, ratio = ours / baseline, target, PASS / FAIL / INFO /
SKIP) and writes every result with its details as JSON to ``--out``. Inputs are generated once into
$CUSTFIN_BENCH_DIR (default <tmp>/custfin-bench). Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from benchmarks import cli, clv, credit_pricing, engine, ingest, memory, tools
from benchmarks.common import FULL, QUICK, Result, Sizes

BENCHMARKS: dict[str, Callable[[Sizes], list[Result]]] = {
    "ingest_clean_csv": ingest.clean_csv,
    "ingest_messy_gbk": ingest.messy_gbk,
    "customer_profitability": tools.customer_profitability,
    "rfm_segments": tools.rfm_segments,
    "cli_ask_end_to_end": cli.ask_end_to_end,
    "tool_memory": memory.tool_memory,
    "clv_vs_lifetimes": clv.vs_lifetimes,
    "clv_end_to_end": clv.end_to_end,
    "receivables_aging_1m": credit_pricing.receivables_aging_1m,
    "price_sensitivity_1m": credit_pricing.price_sensitivity_1m,
    "engine_duckdb_10m": engine.duckdb_vs_sql,
    "engine_pandas_vs_duckdb_1m": engine.pandas_vs_duckdb,
}
#: Run only when named (--only): minutes and gigabytes of generated Parquet.
ON_REQUEST: dict[str, Callable[[Sizes], list[Result]]] = {"engine_100m_end_to_end": engine.end_to_end_100m}
DEFAULT_OUT = Path(__file__).with_name("last_run.json")


def _num(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.3f}{unit}"


def format_row(r: Result) -> str:
    unit = " MB" if r.unit == "MB" else " s"
    ratio = "-" if r.ratio is None else f"{r.ratio:.2f}"
    line = f"{r.name:<38} {_num(r.ours, unit):>14} {_num(r.baseline, unit):>14} {ratio:>7} {r.target:>9}  {r.status}"
    return f"{line}  {r.note}" if r.note else line


def selected(only: list[str]) -> list[str]:
    """Benchmark names matching any of ``only`` (exact name or prefix, e.g. 'ingest', 'clv')."""
    if not only:
        return list(BENCHMARKS)
    every = {**BENCHMARKS, **ON_REQUEST}
    names = [n for n in every if any(n == o or n.startswith(o) for o in only)]
    if not names:
        raise SystemExit(f"no benchmark matches {only}; names: {', '.join(every)}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repetition: a smoke run")
    parser.add_argument(
        "--only", nargs="+", action="extend", default=[], metavar="NAME", help="name or prefix"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    print(f"{'benchmark':<38} {'ours':>14} {'baseline':>14} {'ratio':>7} {'target':>9}  status", flush=True)
    results: list[Result] = []
    for name in selected(args.only):
        try:
            rows = {**BENCHMARKS, **ON_REQUEST}[name](sizes)
        except Exception as exc:  # one broken benchmark must not hide the others
            traceback.print_exc()
            rows = [Result(name, None, None, "s", status="FAIL", note=f"error: {type(exc).__name__}: {exc}")]
        for row in rows:
            print(format_row(row), flush=True)
        results.extend(rows)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "sizes": asdict(sizes),
        "python": sys.version.split()[0],
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "results": [asdict(r) | {"ratio": r.ratio} for r in results],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 1 if any(r.status == "FAIL" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
