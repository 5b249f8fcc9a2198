"""Ingestion against pandas' pyarrow CSV reader.

Both sides parse bytes already in memory (no disk I/O is timed).

- ``ingest_clean_csv``: ``tools.ingest.read_table`` on the clean UTF-8 transactions CSV (decode check,
  sniffing, mapping, conversion, pandera validation, report) vs ``pandas.read_csv(engine="pyarrow")``
  alone on the same bytes. Target: ratio <= 1.5.
- ``ingest_messy_gbk``: ``read_table`` on the GBK file with Chinese headers, a title row and thousands
  separators vs the same baseline (pyarrow on the clean UTF-8 bytes: what the data costs to parse when
  it is clean). Reported without a target.
"""

from __future__ import annotations

import io

import pandas as pd

from benchmarks import data
from benchmarks.common import Result, Sizes, at_most, interleaved

CLEAN_TARGET = 1.5


def _baseline(raw: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(raw), engine="pyarrow")


def _ingest(name: str, path_of, sizes: Sizes, target: float | None) -> list[Result]:
    from tools.ingest import read_table

    clean = data.clean_csv(sizes).read_bytes()
    path = path_of(sizes)
    raw = path.read_bytes()
    rows = len(read_table(raw, path.name).frame)
    times = interleaved(
        {"ours": lambda: read_table(raw, path.name), "baseline": lambda: _baseline(clean)}, sizes.repeats
    )
    result = Result(name, times["ours"], times["baseline"], "s", details={"rows": rows, "bytes": len(raw)})
    if target is not None:
        result.target = f"<= {target}"
        result.status = at_most(result.ratio, target)
    return [result]


def clean_csv(sizes: Sizes) -> list[Result]:
    """read_table vs pandas.read_csv(engine="pyarrow") on the clean UTF-8 CSV."""
    return _ingest("ingest_clean_csv", data.clean_csv, sizes, CLEAN_TARGET)


def messy_gbk(sizes: Sizes) -> list[Result]:
    """read_table on the messy GBK CSV vs pandas.read_csv(engine="pyarrow") on the clean UTF-8 CSV."""
    return _ingest("ingest_messy_gbk", data.messy_gbk_csv, sizes, None)
