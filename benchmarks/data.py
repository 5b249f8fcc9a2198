"""Benchmark inputs from the demo generator, written once to the cache directory (see common.bench_dir).

- ``clean_csv``: the demo transactions as a clean UTF-8 CSV (ISO dates, plain numbers), as
  ``custfin demo-data`` writes it. 100k customers give about 1.1M rows.
- ``messy_gbk_csv``: the same rows GBK-encoded, with Chinese headers, a title row above the header and
  thousands separators in the amounts ("1,234.50", quoted), as a Chinese Excel export looks.
- ``canonical_pickle``: the frame ``read_table`` makes of the clean CSV, pickled (Parquet would turn
  the Arrow-backed ``str`` columns into ``object``) so that a subprocess can load exactly the canonical
  frame without the transient memory of parsing a CSV.
- ``invoices(rows)`` and ``sales_panel(rows)``: the demo invoices and weekly sales panel scaled to
  ``scaled_rows(sizes)`` rows (1M at the full size), kept in memory only.
"""

from __future__ import annotations

import functools
import pickle
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import Sizes, bench_dir, write_atomic

SEED = 7
CHINESE_HEADERS = {
    "order_id": "订单号",
    "customer_id": "客户编号",
    "date": "下单日期",
    "product": "产品",
    "channel": "渠道",
    "region": "区域",
    "quantity": "数量",
    "unit_price": "单价",
    "discount": "折扣",
    "revenue": "销售额",
    "cost": "成本",
    "service_cost": "服务成本",
}
THOUSANDS = ("unit_price", "revenue", "cost")
TITLE = "2023-2025年客户交易明细（单位：元）"


@functools.cache
def transactions(customers: int) -> pd.DataFrame:
    """The demo generator's transactions frame (seed 7) for ``customers`` customers."""
    from tools.demo import generate

    return generate(customers=customers, seed=SEED)["transactions"]


def _path(sizes: Sizes, name: str) -> Path:
    return bench_dir() / f"{name}-{sizes.customers}c-seed{SEED}"


def clean_csv(sizes: Sizes) -> Path:
    """Clean UTF-8 transactions CSV (cached)."""
    path = _path(sizes, "transactions").with_suffix(".csv")
    if not path.exists():
        text = transactions(sizes.customers).to_csv(index=False, date_format="%Y-%m-%d")
        write_atomic(path, text.encode("utf-8"))
    return path


def messy_gbk_csv(sizes: Sizes) -> Path:
    """The same rows as GBK with Chinese headers, a title row and thousands separators (cached)."""
    path = _path(sizes, "transactions-gbk").with_suffix(".csv")
    if not path.exists():
        frame = transactions(sizes.customers).copy()
        for column in THOUSANDS:
            frame[column] = frame[column].map("{:,.2f}".format)
        body = frame.rename(columns=CHINESE_HEADERS).to_csv(index=False, date_format="%Y-%m-%d")
        write_atomic(path, f"{TITLE}\n{body}".encode("gbk"))
    return path


def canonical_pickle(sizes: Sizes) -> Path:
    """The canonical frame of ``read_table(clean_csv)``, pickled (cached)."""
    path = _path(sizes, f"canonical-pandas{pd.__version__}").with_suffix(".pkl")  # pickles are version-bound
    if not path.exists():
        from tools.ingest import read_table

        csv = clean_csv(sizes)
        frame = read_table(csv.read_bytes(), csv.name).frame
        write_atomic(path, pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def load_frame(path: Path) -> pd.DataFrame:
    """A frame pickled by :func:`canonical_pickle` (our own cache file, never user input)."""
    return pickle.loads(path.read_bytes())  # noqa: S301


def canonical_frame(sizes: Sizes) -> pd.DataFrame:
    """The canonical transactions frame the tools see (what ``read_table`` makes of the clean CSV)."""
    return load_frame(canonical_pickle(sizes))


def scaled_rows(sizes: Sizes) -> int:
    """Rows of the invoice and sales-panel benchmarks: 10 per demo customer (1M at the full size)."""
    return sizes.customers * 10


@functools.cache
def invoices(rows: int) -> pd.DataFrame:
    """Exactly ``rows`` demo invoices (seed 7): the generator's invoices of enough customers (about 7
    invoices each), ``rows`` of them drawn at random with their order kept (sorted by invoice date)."""
    from tools.demo import generate

    customers = max(20, rows // 7)
    while len(frame := generate(customers=customers, seed=SEED)["invoices"]) < rows:
        customers *= 2
    pick = np.sort(np.random.default_rng(SEED).choice(len(frame), rows, replace=False))
    return frame.iloc[pick].reset_index(drop=True)


@functools.cache
def sales_panel(rows: int) -> pd.DataFrame:
    """A ``rows``-row weekly price/volume panel: independent copies of the demo ``sales`` table (seeds 7,
    8, ...; 9,420 rows each, the segments' true elasticities), each copy's stores renamed "<store> <k>"
    so every copy adds its own product x segment x store cells; the last copy is cut to fit."""
    from tools.demo import generate

    parts, total, k = [], 0, 0
    while total < rows:
        part = generate(customers=1, seed=SEED + k)["sales"]
        part["store"] = part["store"] + f" {k}"
        parts.append(part.head(rows - total))
        total += len(parts[-1])
        k += 1
    return pd.concat(parts, ignore_index=True)
