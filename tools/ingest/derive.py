"""Columns computed at ingestion from what the file has, and checks of one column against others.

- Order-level values on the first line of each order only (Shopify's export: Total, Billing Country
  on the first line item): the order's revenue is counted once, on its first line (its other lines
  get 0), and its other order-level values are filled down to its lines.
- cost = revenue - profit (or revenue x (1 - margin)) when there is a profit or margin but no cost;
  unit_price = revenue / quantity when there is no price.
- days_late against paid_date - due_date: the share of invoices on which they agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.text import Msg
from prompts import ingest as W
from tools.schemas import column_type

ORDER_AMOUNTS = ("revenue", "cost", "profit", "discount", "service_cost")
AGREE_DAYS = 1  # days_late and the dates agree within a day (time zones, cut-off times)
AGREEMENT_WARN = 0.9


def order_level_rows(frame: pd.DataFrame, mapped: set[str]) -> tuple[pd.DataFrame, Msg | None]:
    """Fill the line items of orders whose totals sit on their first line only (see the module doc)."""
    if not {"order_id", "revenue"} <= mapped or "order_id" not in frame or "revenue" not in frame:
        return frame, None
    blank = frame["revenue"].isna().to_numpy()
    if not blank.any():
        return frame, None
    order = frame["order_id"]
    same = (order.notna() & (order == order.shift())).to_numpy()
    continued = same & blank
    if not continued.any():
        return frame, None
    first_revenue = frame["revenue"].groupby(order.to_numpy(), sort=False).transform("first")
    continued &= first_revenue.notna().to_numpy()
    if continued.sum() < max(2, 0.5 * blank.sum()):
        return frame, None  # blank amounts here and there: not this layout; validation reports them
    frame = frame.copy()
    rows = np.flatnonzero(continued)
    for col in (c for c in ORDER_AMOUNTS if c in frame.columns and c in mapped):
        values = frame[col].astype(object) if frame[col].dtype == object else frame[col]
        frame[col] = values.where(~(continued & frame[col].isna().to_numpy()), 0.0)
    filled = []
    keys = order.to_numpy()
    for col in (c for c in frame.columns if c in mapped and c not in ORDER_AMOUNTS and c != "order_id"):
        gaps = continued & frame[col].isna().to_numpy()
        if not gaps.any():
            continue
        first = frame[col].groupby(keys, sort=False).transform("first")
        frame[col] = frame[col].where(~gaps, first)
        filled.append(col)
    orders = int(pd.Series(keys[rows]).nunique())
    return frame, W.ORDER_LEVEL_ROWS.format(lines=len(rows), orders=orders, columns=", ".join(filled) or "-")


def derive_amounts(frame: pd.DataFrame, kind: str) -> tuple[dict[str, str], list[Msg]]:
    """cost from profit or margin, profit from margin, unit_price from revenue / quantity (in place)."""
    derived: dict[str, str] = {}
    notes: list[Msg] = []
    if kind != "transactions" or "revenue" not in frame:
        return derived, notes
    revenue = frame["revenue"]
    if "cost" not in frame and "profit" not in frame and "margin" in frame:
        frame["profit"] = revenue * frame["margin"]
        derived["profit"] = "revenue × margin"
        notes.append(W.DERIVED_PROFIT_FROM_MARGIN)
    if "cost" not in frame and "profit" in frame:
        frame["cost"] = revenue - frame["profit"]
        derived["cost"] = "revenue − profit"
        notes.append(W.DERIVED_COST)
    if "unit_price" not in frame and "quantity" in frame:
        quantity = frame["quantity"]
        if "discount" in frame and frame["discount"].dropna().between(0, 1, inclusive="left").all():
            # list price before the discount rate, so that price × (1 − discount) × quantity = revenue
            frame["unit_price"] = (revenue / (quantity * (1 - frame["discount"].fillna(0)))).where(quantity != 0)
            derived["unit_price"] = "revenue ÷ (quantity × (1 − discount))"
            notes.append(W.DERIVED_LIST_PRICE)
        else:
            frame["unit_price"] = (revenue / quantity).where(quantity != 0)
            derived["unit_price"] = "revenue ÷ quantity"
            notes.append(W.DERIVED_UNIT_PRICE)
    return derived, notes


def days_late_check(frame: pd.DataFrame) -> Msg | None:
    """How often days_late equals paid_date - due_date (either as it is or floored at 0)."""
    if not {"days_late", "paid_date", "due_date"} <= set(frame.columns):
        return None
    both = frame["days_late"].notna() & frame["paid_date"].notna() & frame["due_date"].notna()
    n = int(both.sum())
    if n == 0:
        return None
    gap = (frame.loc[both, "paid_date"] - frame.loc[both, "due_date"]).dt.days.to_numpy(dtype=float)
    given = frame.loc[both, "days_late"].to_numpy(dtype=float)
    agree = max(
        float((np.abs(gap - given) <= AGREE_DAYS).mean()),
        float((np.abs(np.clip(gap, 0, None) - given) <= AGREE_DAYS).mean()),
    )
    template = W.DAYS_LATE_AGREES if agree >= AGREEMENT_WARN else W.DAYS_LATE_DISAGREES
    return template.format(share=f"{agree:.0%}", n=f"{n:,}")


def several_candidates(decisions: list, canonical: str) -> Msg | None:
    """'Several columns look like region (Region, City, ...): Region is used, the others are kept.'"""
    used = next((d.source for d in decisions if d.canonical == canonical), None)
    others = [
        d.source for d in decisions if d.canonical is None and any(a[0] == canonical for a in d.alternatives)
    ]
    if used is None or not others:
        return None
    return W.SEVERAL_CANDIDATES.format(canonical=canonical, used=used, others=", ".join(others))


def is_amount(column: str) -> bool:
    return column_type(column) == "number"
