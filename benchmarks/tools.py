"""Value tools against a bare pandas groupby computing the same aggregates, on the canonical frame.

Ours is the whole registered tool (``TOOLS[name].run``: argument parsing, period and currency checks,
the aggregate pass, ranking, names, facts, findings, summary text, chart). The baselines are the
per-customer aggregates the tool's answer is made of, in one ``groupby(...).agg`` call:

- customer_profitability (n=10): per customer_id Σ revenue, Σ cost, Σ service_cost and the number of
  distinct order_id; profit = revenue - cost - service_cost; the 10 largest by profit.
- rfm_segments: per customer_id max(date), number of distinct order_id, Σ revenue; recency in days
  from the day after the last transaction.

Target: ratio <= 2.0 each.
"""

from __future__ import annotations

import pandas as pd

from benchmarks import data
from benchmarks.common import Result, Sizes, at_most, interleaved

TARGET = 2.0


def profitability_baseline(tx: pd.DataFrame) -> pd.DataFrame:
    """Σ revenue, Σ cost, Σ service_cost, distinct orders per customer; profit; top 10 by profit."""
    per = tx.groupby("customer_id", sort=False).agg(
        revenue=("revenue", "sum"),
        cost=("cost", "sum"),
        service_cost=("service_cost", "sum"),
        orders=("order_id", "nunique"),
    )
    per["profit"] = per["revenue"] - per["cost"] - per["service_cost"]
    return per.nlargest(10, "profit")


def rfm_baseline(tx: pd.DataFrame) -> pd.DataFrame:
    """Last date, distinct orders and Σ revenue per customer; recency in days."""
    per = tx.groupby("customer_id", sort=False).agg(
        last_date=("date", "max"), frequency=("order_id", "nunique"), monetary=("revenue", "sum")
    )
    as_of = tx["date"].max() + pd.Timedelta(days=1)
    per["recency_days"] = (as_of - per["last_date"]).dt.days
    return per


def _tool(name: str, arguments: dict, baseline, sizes: Sizes) -> list[Result]:
    from tools.bundle import Dataset, DatasetBundle
    from tools.registry import TOOLS

    tx = data.canonical_frame(sizes)
    bundle = DatasetBundle([Dataset("transactions", tx)])
    spec = TOOLS[name]
    times = interleaved(
        {"ours": lambda: spec.run(bundle, arguments), "baseline": lambda: baseline(tx)}, sizes.repeats
    )
    result = Result(name, times["ours"], times["baseline"], "s", f"<= {TARGET}", details={"rows": len(tx)})
    result.status = at_most(result.ratio, TARGET)
    return [result]


def customer_profitability(sizes: Sizes) -> list[Result]:
    """customer_profitability (top 10 customers) vs profitability_baseline."""
    return _tool("customer_profitability", {"n": 10}, profitability_baseline, sizes)


def rfm_segments(sizes: Sizes) -> list[Result]:
    """rfm_segments (defaults) vs rfm_baseline."""
    return _tool("rfm_segments", {}, rfm_baseline, sizes)
