"""Demo sales panel with known elasticities per segment (TRUE_ELASTICITY).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.demo.assumptions import PRODUCTS, SEGMENTS, TRUE_ELASTICITY
from tools.demo.calendar import Window, dates, labels, list_price

# ----------------------------------------------------------------------------------------------------
# Sales panel with known elasticities


SALES_PRODUCTS = (0, 1, 2, 3, 6)
STORES = ("North Store", "East Store", "South Store", "West Store")


def draw_sales(rng: np.random.Generator, w: Window) -> pd.DataFrame:
    """Weekly price/volume panel (product x store x segment) with constant elasticities."""
    first_monday = w.start + (-(w.start + 3)) % 7  # 1970-01-01 was a Thursday
    weeks = np.arange(first_monday, w.end + 1, 7)
    n_w, n_p, n_s, n_g = len(weeks), len(SALES_PRODUCTS), len(STORES), len(SEGMENTS)
    # price per (week, product, store): list price x weekly shock x promotion
    wk, pr, st = (
        a.ravel() for a in np.meshgrid(np.arange(n_w), np.arange(n_p), np.arange(n_s), indexing="ij")
    )
    product = np.array(SALES_PRODUCTS)[pr]
    base_price = list_price(product, weeks[wk], w) * np.exp(rng.normal(0.0, 0.10, len(wk)))
    promotion = rng.random(len(wk)) < 0.18
    base_price = base_price * np.where(promotion, 1 - rng.uniform(0.10, 0.30, len(wk)), 1.0)
    ref_price = np.array([p[1] for p in PRODUCTS])[product]
    store_size = np.array([1.1, 1.0, 0.95, 0.85])[st]
    # expand to segments
    rows = len(wk)
    g = np.repeat(np.arange(n_g)[None, :], rows, axis=0).ravel()
    rep = np.repeat(np.arange(rows), n_g)
    seg_price_factor = np.array([0.92, 1.0, 1.05])[g]
    unit_price = np.round(base_price[rep] * seg_price_factor, 2)
    elasticity = np.array([TRUE_ELASTICITY[s] for s in SEGMENTS])[g]
    base_q = np.array([60.0, 120.0, 150.0])[g] * rng.uniform(0.7, 1.3, n_p)[pr[rep]] * store_size[rep]
    log_q = (
        np.log(base_q)
        + elasticity * np.log(unit_price / (ref_price[rep] * seg_price_factor))
        + 0.35 * promotion[rep]
        + rng.normal(0.0, 0.15, len(rep))
    )
    quantity = np.maximum(1, np.round(np.exp(log_q))).astype(np.int64)
    return pd.DataFrame(
        {
            "date": dates(weeks[wk[rep]]),
            "product": labels(tuple(p[0] for p in PRODUCTS), product[rep]),
            "store": labels(STORES, st[rep]),
            "segment": labels(SEGMENTS, g),
            "unit_price": unit_price,
            "quantity": quantity,
            "promotion": promotion[rep],
        }
    )
