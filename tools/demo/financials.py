"""Demo financial statements (segments A and B).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.demo.assumptions import SALES_TO_ASSETS
from tools.demo.customers import Customers

# ----------------------------------------------------------------------------------------------------
# Financial statements (segments A and B)


def draw_financials(rng: np.random.Generator, c: Customers) -> pd.DataFrame:
    """Statements of segment A and B customers; health follows the credit latent (late payers weaker)."""
    idx = np.flatnonzero(c.segment <= 1)
    n = len(idx)
    health = 0.75 * c.credit[idx] + 0.66 * rng.standard_normal(n)
    noise = rng.standard_normal((6, n))
    assets = np.where(c.segment[idx] == 0, 80e6, 8e6) * np.exp(0.8 * noise[0]) * np.sqrt(c.size[idx])
    x1 = np.clip(0.12 + 0.12 * health + 0.05 * noise[1], -0.3, 0.6)  # working capital / assets
    x2 = np.clip(0.12 + 0.18 * health + 0.05 * noise[2], -0.6, 0.6)  # retained earnings / assets
    x3 = np.clip(0.05 + 0.06 * health + 0.02 * noise[3], -0.25, 0.35)  # EBIT / assets
    leverage = np.clip(0.55 - 0.18 * health + 0.08 * noise[4], 0.08, 1.3)
    x5 = SALES_TO_ASSETS[c.industry[idx]] * np.exp(0.25 * noise[5])
    current_share = np.clip(rng.normal(0.45, 0.1, n), 0.15, 0.9)

    total_assets = np.round(assets)
    current_assets = np.round(current_share * total_assets)
    current_liabilities = np.clip(current_assets - x1 * total_assets, 0.02 * total_assets, None)
    total_liabilities = np.round(np.maximum(leverage * total_assets, current_liabilities))
    current_liabilities = np.minimum(np.round(current_liabilities), total_liabilities)
    service_like = np.isin(c.industry[idx], [2, 3])
    inventory = np.round(current_assets * rng.uniform(0.05, 0.45, n) * np.where(service_like, 0.3, 1.0))
    cash = np.round(current_assets * rng.uniform(0.05, 0.35, n))
    equity = total_assets - total_liabilities
    public = c.public[idx]
    mve = np.round(np.maximum(equity, 0.05 * total_assets) * rng.lognormal(np.log(1.6), 0.5, n))
    return pd.DataFrame(
        {
            "customer_id": c.id_series.take(idx).reset_index(drop=True),
            "total_assets": total_assets,
            "total_liabilities": total_liabilities,
            "current_assets": current_assets,
            "current_liabilities": current_liabilities,
            "inventory": inventory,
            "cash": cash,
            "ebit": np.round(x3 * total_assets),
            "interest_expense": np.round(total_liabilities * rng.uniform(0.015, 0.05, n)),
            "retained_earnings": np.round(x2 * total_assets),
            "sales": np.round(x5 * total_assets),
            "equity": equity,
            "market_value_equity": np.where(public, mve, np.nan),
        }
    )
