"""Demo transactions: orders with product, channel, quantity, price, discount, revenue, cost, cost to serve.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tools.demo.assumptions import (
    ANNUAL_COST_INFLATION,
    HANDLING,
    ORDER_CHANNELS,
    PRODUCT_MIX,
    PRODUCTS,
    REGIONS,
    SEASONALITY,
    SPEND_PER_ORDER,
)
from tools.demo.calendar import Window, cat, choice_rows, dates, ids, labels, list_price, month_index, year
from tools.demo.customers import Customers

# ----------------------------------------------------------------------------------------------------
# Transactions


class Transactions:
    """Transaction arrays used by later tables, plus the public frame."""

    cust: np.ndarray
    day: np.ndarray
    revenue: np.ndarray
    cost: np.ndarray
    service_cost: np.ndarray
    frame: pd.DataFrame


def draw_transactions(rng: np.random.Generator, c: Customers, w: Window) -> Transactions:
    """Orders as a thinned Poisson process per customer (seasonality, decline before churn)."""
    a = c.active_start.astype(np.float64)
    b = c.churn_day.astype(np.float64)  # exclusive
    span = np.maximum(b - a, 0.0)
    s_max = SEASONALITY.max()
    n_cand = rng.poisson(c.rate * span / 365.25 * s_max / SEASONALITY.mean())
    cust = np.repeat(np.arange(c.n), n_cand)
    t = a[cust] + rng.random(len(cust)) * span[cust]
    day = np.floor(t).astype(np.int64)
    accept = SEASONALITY[month_index(day) % 12] / s_max
    lead = 180.0
    decline = 1 - 0.75 * np.clip((t - (b[cust] - lead)) / lead, 0.0, 1.0)
    accept = accept * np.where(c.churned[cust], decline, 1.0)
    keep = rng.random(len(cust)) < accept
    # every customer who signs up inside the window orders on the signup day; every other customer
    # orders at least once inside the window
    cust, day = cust[keep], day[keep]
    first = np.flatnonzero(c.new)
    idle = np.flatnonzero(~c.new & (np.bincount(cust, minlength=c.n) == 0))
    idle_day = c.active_start[idle] + np.floor(rng.random(len(idle)) * span[idle]).astype(np.int64)
    cust = np.concatenate([cust, first, idle])
    day = np.concatenate([day, c.signup[first], idle_day])
    order = np.lexsort((cust, day))
    cust, day = cust[order], day[order]
    n = len(cust)
    group = c.group[cust]

    product = np.where(rng.random(n) < 0.6, c.main_product[cust], choice_rows(rng, PRODUCT_MIX, group))
    channel = np.where(rng.random(n) < 0.85, c.channel[cust], rng.integers(0, 3, n))
    unit_price = list_price(product, day, w)
    spend = SPEND_PER_ORDER[group] * np.where(c.tiny[cust], 1.0, c.size[cust])
    quantity = np.maximum(1, np.round(np.exp(np.log(spend / unit_price) + 0.8 * rng.standard_normal(n))))
    quantity = np.minimum(quantity, 100_000).astype(np.int64)
    promo = rng.random(n) < 0.10
    discount = (
        np.array([0.12, 0.06, 0.01, 0.0])[group]
        + c.discount_offset[cust]
        + 0.05 * (channel == 2)
        + promo * rng.uniform(0.05, 0.15, n)
    )
    discount = np.clip(np.round(discount * 200) / 200, 0.0, 0.4)
    revenue = np.round(quantity * unit_price * (1 - discount), 2)
    years_in = year(day) - year(np.array([w.start]))[0]
    unit_cost = np.array([p[1] * p[2] for p in PRODUCTS])[product] * (1 + ANNUAL_COST_INFLATION) ** years_in
    cost = np.round(quantity * unit_cost, 2)
    support = (rng.random(n) < 0.05 + 0.05 * (c.dissatisfaction[cust] > 1)) * rng.uniform(20, 80, n)
    service_cost = np.round(HANDLING[channel] + 0.02 * revenue + support, 2)

    # refunds: ~0.5% of orders, 3-30 days later, never after churn or the window end
    r = np.flatnonzero(rng.random(n) < 0.005)
    r_day = np.minimum(day[r] + rng.integers(3, 31, len(r)), np.minimum(c.churn_day[cust[r]] - 1, w.end))
    r_day = np.maximum(r_day, day[r])
    r_qty = -np.maximum(1, np.round(quantity[r] * rng.uniform(0.2, 1.0, len(r)))).astype(np.int64)
    r_rev = np.round(r_qty * unit_price[r] * (1 - discount[r]), 2)
    r_cost = np.round(r_qty * unit_cost[r], 2)
    r_service = np.round(15.0 + 0.05 * np.abs(r_rev), 2)

    order_ids = ids("O", np.arange(1, n + 1), max(7, len(str(n))))
    refund_ids = pc.binary_join_element_wise(order_ids.take(pa.array(r)), "-R", "")
    all_ids = pa.concat_arrays([order_ids, refund_ids])
    cust_all = cat(cust, cust[r])
    day_all = cat(day, r_day)
    final = np.lexsort((cust_all, day_all))  # stable: refunds after their order on the same day
    cust_all, day_all = cust_all[final], day_all[final]
    prod_all = cat(product, product[r])[final]
    chan_all = cat(channel, channel[r])[final]
    tx = Transactions()
    tx.cust, tx.day = cust_all, day_all
    tx.revenue = cat(revenue, r_rev)[final]
    tx.cost = cat(cost, r_cost)[final]
    tx.service_cost = cat(service_cost, r_service)[final]
    tx.frame = pd.DataFrame(
        {
            "order_id": pd.Series(all_ids.take(pa.array(final)), dtype="str"),
            "customer_id": c.id_series.take(cust_all).reset_index(drop=True),
            "date": dates(day_all),
            "product": labels(tuple(p[0] for p in PRODUCTS), prod_all),
            "channel": labels(ORDER_CHANNELS, chan_all),
            "region": labels(REGIONS, c.region[cust_all]),
            "quantity": cat(quantity, r_qty)[final],
            "unit_price": cat(unit_price, unit_price[r])[final],
            "discount": cat(discount, discount[r])[final],
            "revenue": tx.revenue,
            "cost": tx.cost,
            "service_cost": tx.service_cost,
        }
    )
    return tx
