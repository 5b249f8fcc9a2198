"""Demo marketing spend per acquisition channel and month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.demo.assumptions import ACQUISITION_CHANNELS, CAC_RATIO, CONVERSION
from tools.demo.calendar import Window, dates, labels, month_index, month_start
from tools.demo.customers import Customers
from tools.demo.transactions import Transactions

# ----------------------------------------------------------------------------------------------------
# Marketing


def draw_marketing(rng: np.random.Generator, c: Customers, tx: Transactions, w: Window) -> pd.DataFrame:
    """Monthly spend, leads, new customers and their first-year revenue per acquisition channel."""
    first_month = month_index(np.array([w.start]))[0]
    months = np.arange(first_month, month_index(np.array([w.end]))[0] + 1)
    n_m, n_ch = len(months), len(ACQUISITION_CHANNELS)
    new = np.flatnonzero(c.new)
    cell = c.acquisition[new] * n_m + (month_index(c.signup[new]) - first_month)
    new_customers = np.bincount(cell, minlength=n_m * n_ch)

    in_first_year = c.new[tx.cust] & (tx.day < c.signup[tx.cust] + 365)
    rev_per_customer = np.bincount(tx.cust[in_first_year], weights=tx.revenue[in_first_year], minlength=c.n)
    revenue = np.bincount(cell, weights=rev_per_customer[new], minlength=n_m * n_ch)
    full_year = c.new & (c.signup + 365 <= w.end)
    basis = rev_per_customer[full_year] if full_year.any() else rev_per_customer[new]
    reference = float(basis.mean()) if basis.size and basis.mean() > 0 else 1000.0

    channel = np.repeat(np.arange(n_ch), n_m)
    cac = CAC_RATIO[channel] * reference
    spend = new_customers * cac * rng.lognormal(0.0, 0.2, n_m * n_ch) + 0.2 * cac * rng.lognormal(
        0.0, 0.1, n_m * n_ch
    )
    extra_leads = rng.poisson(new_customers * (1 / CONVERSION[channel] - 1) + 2)
    return pd.DataFrame(
        {
            "channel": labels(ACQUISITION_CHANNELS, channel),
            "period": dates(month_start(np.tile(months, n_ch))),
            "spend": np.round(spend, 2),
            "leads": (new_customers + extra_leads).astype(np.int64),
            "new_customers": new_customers.astype(np.int64),
            "revenue": np.round(revenue, 2),
        }
    )
