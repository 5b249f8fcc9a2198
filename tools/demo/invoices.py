"""Demo invoices: monthly invoices per customer with payment behaviour by payer type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.demo.calendar import Window, dates, ids, month_index, month_start
from tools.demo.customers import Customers
from tools.demo.transactions import Transactions

# ----------------------------------------------------------------------------------------------------
# Invoices


def draw_invoices(rng: np.random.Generator, c: Customers, tx: Transactions, w: Window) -> pd.DataFrame:
    """Monthly invoices of each customer's net revenue, with payment behaviour by payer type."""
    month = month_index(tx.day)
    m0 = month_index(np.array([w.start]))[0]
    n_months = month_index(np.array([w.end]))[0] - m0 + 1
    keys, inverse = np.unique(tx.cust * n_months + (month - m0), return_inverse=True)
    amount = np.round(np.bincount(inverse, weights=tx.revenue), 2)
    cust, inv_month = np.divmod(keys, n_months)
    inv_month = inv_month + m0
    keep = amount > 0
    cust, inv_month, amount = cust[keep], inv_month[keep], amount[keep]
    n = len(cust)
    invoice_day = np.minimum(month_start(inv_month + 1) - 1, w.end)
    due_day = invoice_day + c.terms[cust]

    payer = c.payer[cust]
    progress = np.clip((invoice_day - w.start) / w.days, 0.0, 1.0)
    deteriorating_mean = 5 + 100 * progress**2
    late = np.select(
        [payer == 0, payer == 1, payer == 2],
        [
            rng.normal(-2.0, 4.0, n),
            rng.gamma(2.0, 6.0, n),
            rng.gamma(3.0, 15.0, n),
        ],
        default=rng.gamma(3.0, 1.0, n) * deteriorating_mean / 3.0,
    )
    paid_day = np.maximum(due_day + np.round(late).astype(np.int64), invoice_day)
    # a churned customer leaves some of its last invoices unpaid
    last_bills = c.churned[cust] & (invoice_day >= c.churn_day[cust] - 60)
    paid_day = np.where(last_bills & (rng.random(n) < 0.3), w.end + 1, paid_day)
    is_open = paid_day > w.end
    risky = (payer >= 2) | c.churned[cust]
    written_off = is_open & risky & (due_day + 90 < w.end) & (rng.random(n) < 0.6)

    order = np.lexsort((cust, invoice_day))
    width = max(6, len(str(n)))
    paid_dates = pd.Series(dates(paid_day[order])).where(~is_open[order])
    return pd.DataFrame(
        {
            "invoice_id": pd.Series(ids("INV", np.arange(1, n + 1), width), dtype="str"),
            "customer_id": c.id_series.take(cust[order]).reset_index(drop=True),
            "invoice_date": dates(invoice_day[order]),
            "due_date": dates(due_day[order]),
            "amount": amount[order],
            "paid_date": paid_dates,
            "paid_amount": np.where(is_open, 0.0, amount)[order],
            "written_off": written_off[order],
        }
    )
