"""Benchmark inputs from the demo generator, written once to the cache directory (see common.bench_dir).

- ``clean_csv``: the demo transactions as a clean UTF-8 CSV (ISO dates, plain numbers), as
  ``custfin demo-data`` writes it. 100k customers give about 1.1M rows.
- ``messy_gbk_csv``: the same rows GBK-encoded, with Chinese headers, a title row above the header and
  thousands separators in the amounts ("1,234.50", quoted), as a Chinese Excel export looks.
- ``canonical_pickle``: the frame ``read_table`` makes of the clean CSV, pickled (Parquet would turn
  the Arrow-backed ``str`` columns into ``object``) so that a subprocess can load exactly the canonical
  frame without the transient memory of parsing a CSV.
"""

from __future__ import annotations

import functools
import pickle
from pathlib import Path

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
    from tools.demo_data import generate

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
