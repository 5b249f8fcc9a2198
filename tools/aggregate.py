"""The one pass over transaction-level rows: per-customer, per-group and per-period totals.

This is the scale seam (ARCHITECTURE.md "Where scale comes from"): every function here reads the
canonical transactions once with a single grouped aggregation and returns a small frame; every model
after that works on those small frames. The rows are a pandas frame or a :class:`tools.data.Relation`
(a database table or Parquet files); the engine boundary (``tools.data``) decides where the pass runs:
pandas (below) for small frames, else the same totals as ibis expressions on DuckDB, Spark or the
database the rows live in (``--backend`` / ``CUSTFIN_BACKEND``). Both give the same frames.

Output columns (amount columns only when the input has them)
------------------------------------------------------------
revenue, cost, service_cost
    Sums of the row amounts (refunds, i.e. negative rows, are netted). Missing cost counts as 0.
gross_profit = revenue - cost; net_profit = gross_profit - service_cost
profit
    net_profit where service costs exist, else gross_profit (absent without a cost column).
margin = profit / revenue (NaN when revenue is 0).
orders
    Distinct order_id among purchase rows (revenue > 0); without an order_id column, distinct purchase
    days. Rows without an order_id are not counted.
purchase_days
    Distinct dates with a purchase (revenue > 0); computed when asked for (``purchase_days=True``) or
    when there is no order_id column (it is then the order count), since it costs a second distinct count.
first_date, last_date
    First and last purchase date (revenue > 0); NaT for a customer with refunds only.
rows
    Transaction rows (purchases and refunds).
customers
    Distinct customers (group and period totals only).

Example
-------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["C1", "C1", "C2"],
...                    "date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-01-09"]),
...                    "revenue": [100.0, 50.0, 80.0], "cost": [60.0, 20.0, 90.0]})
>>> per_customer = customer_totals(tx)
>>> per_customer["profit"].to_dict(), per_customer["orders"].to_dict()
({'C1': 70.0, 'C2': -10.0}, {'C1': 2, 'C2': 1})
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from tools import data as engine

AMOUNTS = ("revenue", "cost", "service_cost")
SUMMABLE = (*AMOUNTS, "orders", "purchase_days", "rows")
PERIOD_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
_KEY = "customer_id"


def period_filter(tx: pd.DataFrame, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """Rows with ``start <= date <= end`` (both inclusive, whole days); the frame itself when unbounded."""
    if start is None and end is None:
        return tx
    if engine.is_relation(tx):
        return engine.expr.period_filter(tx, start, end)
    dates = tx["date"]
    mask = np.ones(len(tx), dtype=bool)
    if start is not None:
        mask &= (dates >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        mask &= (dates < pd.Timestamp(end) + pd.Timedelta(days=1)).to_numpy()
    return tx.loc[mask]


def totals(tx: pd.DataFrame, keys: Sequence[str | pd.Series], purchase_days: bool = False) -> pd.DataFrame:
    """Sums, purchase dates and order counts grouped by ``keys``: the single pass over the rows.

    ``keys`` are column names or Series aligned with ``tx``; missing key values form their own group.
    """
    if engine.runs_elsewhere(tx):
        return engine.totals(tx, keys, purchase_days)
    purchase = tx["revenue"].to_numpy() > 0
    every_row_purchases = bool(purchase.all())
    dates = tx["date"] if every_row_purchases else tx["date"].where(purchase)
    extra: dict[str, pd.Series] = {"_purchase_date": dates}
    spec: dict[str, tuple[str, str]] = {c: (c, "sum") for c in AMOUNTS if c in tx.columns}
    spec |= {
        "first_date": ("_purchase_date", "min"),
        "last_date": ("_purchase_date", "max"),
        "rows": ("revenue", "size"),
    }
    has_orders = "order_id" in tx.columns
    if has_orders:
        extra["_order"] = tx["order_id"] if every_row_purchases else tx["order_id"].where(purchase)
        spec["orders"] = ("_order", "nunique")
    if purchase_days or not has_orders:
        spec["purchase_days"] = ("_purchase_date", "nunique")
    used = [*(k for k in keys if isinstance(k, str)), *(c for c in AMOUNTS if c in tx.columns)]
    narrow = tx[list(dict.fromkeys(used))].assign(**extra)  # only what is summed: uploads can be wide
    grouped = narrow.groupby(list(keys), sort=False, observed=True, dropna=False)
    out = grouped.agg(**spec)
    if not has_orders:
        out["orders"] = out["purchase_days"]
    elif "purchase_days" in out.columns:
        out["orders"] = out["orders"].where(out["orders"] > 0, out["purchase_days"])
    return out


def add_profit(frame: pd.DataFrame) -> pd.DataFrame:
    """Add gross_profit, net_profit, profit and margin to a totals frame (only those its columns allow)."""
    if "cost" not in frame.columns:
        return frame
    frame["gross_profit"] = frame["revenue"] - frame["cost"]
    if "service_cost" in frame.columns:
        frame["net_profit"] = frame["gross_profit"] - frame["service_cost"]
        frame["profit"] = frame["net_profit"]
    else:
        frame["profit"] = frame["gross_profit"]
    frame["margin"] = frame["profit"] / frame["revenue"].where(frame["revenue"] != 0)
    return frame


def customer_totals(
    tx: pd.DataFrame, start: date | None = None, end: date | None = None, purchase_days: bool = False
) -> pd.DataFrame:
    """Per-customer totals (index ``customer_id``, first-appearance order) over rows in [start, end]."""
    return add_profit(totals(period_filter(tx, start, end), [_KEY], purchase_days))


def group_totals(tx: pd.DataFrame, by: str | pd.Series) -> pd.DataFrame:
    """Totals per value of a transaction column (or an aligned Series), with distinct customers.

    One pass computes (group, customer) totals, which are then summed per group, so orders and purchase
    days count per customer as in ``customer_totals``.
    """
    pairs = totals(tx, [by, _KEY])
    return rollup(pairs, pairs.index.get_level_values(0))


def rollup(frame: pd.DataFrame, by: pd.Index | pd.Series) -> pd.DataFrame:
    """Sum a totals frame (one row per customer, or per group and customer) into groups of ``by``.

    ``by`` is aligned with the rows (missing values form their own group); ``customers`` counts the rows
    summed; profit columns are recomputed from the summed amounts.
    """
    grouped = frame.groupby(by, sort=False, dropna=False)
    spec = {c: "sum" for c in SUMMABLE if c in frame.columns} | {"first_date": "min", "last_date": "max"}
    out = grouped.agg(spec)
    out["customers"] = grouped.size()
    return add_profit(out)


def period_totals(tx: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Totals per calendar period of the transaction date, in time order; ``freq``: month|quarter|year.

    The index holds period labels such as '2024-03', '2024Q1' or '2024'.
    """
    if engine.runs_elsewhere(tx):
        pairs, labels = engine.period_pairs(tx, freq)
        out = rollup(pairs, pd.Index(labels)).sort_index()
        out.index = out.index.astype(str).rename(freq)
        return out
    periods = tx["date"].dt.to_period(PERIOD_FREQ[freq]).rename(freq)
    out = group_totals(tx, periods).sort_index()
    out.index = out.index.astype(str)
    return out


def main_value(tx: pd.DataFrame, column: str) -> pd.Series:
    """Each customer's main value of a transaction column (the one with the most revenue), by customer_id."""
    if engine.runs_elsewhere(tx):
        by_pair = engine.main_value_pairs(tx, column).set_index([_KEY, column])["revenue"]
    else:
        by_pair = tx.groupby([_KEY, column], sort=False, observed=True)["revenue"].sum()
    ranked = by_pair.sort_values(ascending=False, kind="stable")
    customers = ranked.index.get_level_values(0)
    best = ranked.index[~customers.duplicated()]
    return pd.Series(best.get_level_values(1), index=best.get_level_values(0), name=column)
