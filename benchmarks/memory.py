"""Peak memory increase during one customer_profitability run (n=10) on the canonical 1M-row frame.

Measured in a fresh subprocess (``python -m benchmarks.memory FRAME.pkl``) that loads the pickled
canonical frame, warms the tool up on 1,000 rows (imports and caches do not count), collects garbage,
returns freed heap to the OS (``malloc_trim``), resets the kernel's peak-RSS mark (``/proc/self/
clear_refs``), runs the tool and reads the peak (``VmHWM``). Increase = peak RSS - RSS before the run;
ratio = increase / ``frame.memory_usage(deep=True).sum()``. Target: ratio < 4. This counts every
allocation (numpy, Arrow buffers, Python objects); tracemalloc's peak (Python and numpy allocations
only, no Arrow memory pool) is measured in a second run and reported as a detail.
"""

from __future__ import annotations

import ctypes
import gc
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

from benchmarks import data
from benchmarks.common import Result, Sizes, at_most

TARGET = 4.0
MB = 1024 * 1024


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _settle() -> None:
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def measure(frame_path: Path) -> dict[str, float]:
    """Run in the subprocess: bytes of the frame, RSS before, peak RSS and tracemalloc peak of a run."""
    from tools.bundle import Dataset, DatasetBundle
    from tools.registry import TOOLS

    frame = data.load_frame(frame_path)
    spec = TOOLS["customer_profitability"]
    spec.run(DatasetBundle([Dataset("transactions", frame.head(1000).copy())]), {"n": 10})
    bundle = DatasetBundle([Dataset("transactions", frame)])
    _settle()
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS (Linux >= 4.0)
    before = _status_kb("VmRSS") * 1024
    spec.run(bundle, {"n": 10})
    peak = _status_kb("VmHWM") * 1024
    _settle()
    tracemalloc.start()
    spec.run(bundle, {"n": 10})
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "frame_bytes": float(frame.memory_usage(deep=True).sum()),
        "rss_before": float(before),
        "rss_peak": float(peak),
        "tracemalloc_peak": float(traced),
    }


def tool_memory(sizes: Sizes) -> list[Result]:
    """Peak RSS increase of a customer_profitability run / in-memory size of the frame."""
    frame_path = data.canonical_pickle(sizes)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", str(frame_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        return [Result("tool_memory", None, None, "MB", f"< {TARGET:g}x", "FAIL", done.stderr[-300:])]
    m = json.loads(done.stdout)
    increase = m["rss_peak"] - m["rss_before"]
    result = Result(
        "tool_memory",
        increase / MB,
        m["frame_bytes"] / MB,
        "MB",
        f"< {TARGET:g}",
        details=m | {"tracemalloc_ratio": m["tracemalloc_peak"] / m["frame_bytes"]},
    )
    result.status = at_most(result.ratio, TARGET)
    return [result]


if __name__ == "__main__":
    sys.stdout.write(json.dumps(measure(Path(sys.argv[1]))) + "\n")
