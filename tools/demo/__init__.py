"""Deterministic demo company: every canonical table kind, generated from one seed.

``generate(customers, seed, years, end)`` returns one DataFrame per kind in ``tools.bundle.KINDS``
with the canonical English column names of ARCHITECTURE.md; ``write_csvs`` writes them as UTF-8 CSV
files (ISO dates, string ids such as ``C00001``). Everything is vectorised numpy: 100k customers give
about 1.1M transactions in 2-3 seconds. Each section draws from its own ``numpy.random.Generator``
seeded with ``[seed, section]`` (seed >= 0), so a change in one table never reshuffles another.

Assumptions (the story the data tells)
--------------------------------------
Window and customers
    The window is the ``years`` years ending at ``end`` (2023-01-01 .. 2025-12-31 by default). 40% of
    customers signed up before the window (up to six years earlier), the rest sign up inside it at a
    growing rate and place a first order on their signup day; every customer orders at least once in
    the window. Segment A (15%) are large B2B accounts, B (35%) mid-market businesses, C (50%) small
    shops and consumers. About 15% of the names are Chinese. ``payment_terms_days`` is an extra column.
Churn (stochastic, never a rule of the features)
    Hazard per year = segment base (A 0.045, B 0.08, C 0.12) x exp(0.25 dissatisfaction + 0.6 chronic
    late payer + 0.8 deteriorating payer + 0.3 new customer + 0.35 unobserved noise), x 2.5
    (price-sensitive) or 1.2 (others) from a price increase of the customer's main product on, and
    x exp(0.9 min(p, 3)) where p counts the customer's earlier complaints (unresolved 1, resolved 0.5).
    The churn date is a draw from this piecewise-constant (monthly) hazard, at least 21 days after
    signup; about 30% of customers churn in three years. In the 180 days before churn the order rate
    falls linearly to 25%. Nothing (order, refund, feedback) happens on or after the churn date, so
    every feature observed before it is legitimate; a model on such features reaches a CV AUC of about
    0.7-0.75.
Transactions
    One row per order line. Orders are a Poisson process per customer (orders per year by segment,
    times a heavy-tailed gamma factor with a floor), thinned by monthly seasonality (February dip for
    Chinese New Year, Q4 peak). ~13% of customers (6% of B, 22% of C) are "tiny frequent" buyers of one
    or two cheap items about 18 times a year; their cost-to-serve exceeds their gross margin, which
    makes 8-15% of all customers loss-making on net profit. List prices rise 3% every 1 January and
    ``PRICE_EVENTS`` change single products on known month starts; unit costs rise 2% a year. Discounts
    depend on segment, a negotiated customer offset, distributor orders (+5 points) and promotions.
    revenue = round(quantity x unit_price x (1 - discount), 2); cost = quantity x unit cost (COGS);
    service_cost = channel handling (Online 5, Direct sales 30, Distributor 12) + 2% of revenue +
    occasional support cases. About 0.5% of orders get a refund row 3-30 days later (negative
    quantity, revenue and cost; order_id = original id + "-R").
Invoices
    Monthly billing per customer of the month's net revenue (months with net revenue <= 0 get no
    invoice), dated at the month end (or ``end``), due after the customer's terms (A 45/60, B 30/45,
    C 30 days). Payer types: on time (~60%), mildly late (~21%), chronic late (~11%, ~45 days late),
    deteriorating (~8%, from ~5 to ~105 days late across the window). A churned customer leaves 30% of
    its invoices from the last 60 days before churn unpaid. Payments falling after ``end`` leave the
    invoice open (paid_date NaT, paid_amount 0); open invoices more than 90 days past due of risky
    customers (chronic, deteriorating or churned) are written off with probability 0.6 (paid_date
    stays NaT). No partial payments.
Financials
    Whole-currency statements for every segment A and B customer, driven by a credit-quality latent
    shared with the payer type, so late payers are weaker and Altman zones correlate with late payment.
    current_assets <= total_assets, inventory + cash <= current_assets, current_liabilities <=
    total_liabilities, equity = total_assets - total_liabilities (may be negative).
    market_value_equity only for "public" firms (~35% of A, ~5% of B), NaN otherwise.
Sales (price/volume panel, no customers)
    Weekly observations per product (5), store (4) and segment. log(quantity) = const(product, segment,
    store) + TRUE_ELASTICITY[segment] x log(unit_price / reference price) + 0.35 promotion
    + N(0, 0.15). Prices follow the list price with independent weekly shocks (sd 10%) and promotions
    (18% of weeks, 10-30% off). No seasonality or trend in this panel, so OLS of log quantity on log
    price with product fixed effects and a promotion dummy recovers the elasticities.
Feedback
    CSAT 1-5, category, complaint flag, short English or Chinese comment, resolved (always True for
    non-complaints) and response_hours, dated inside each customer's active period.
Marketing
    Monthly spend, leads and new customers per acquisition channel over the window. new_customers
    equals the number of customers with that acquisition_channel whose signup_date falls in the month;
    revenue is those customers' first-year revenue (365 days from signup, truncated at ``end``). Spend
    is a per-channel cost per acquisition relative to the average first-year revenue, plus a base;
    Social spends far more than its customers bring in (the unprofitable channel).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from tools.demo.assumptions import PRICE_EVENTS, PRODUCTS, TRUE_ELASTICITY
from tools.demo.calendar import Window, day, years_before
from tools.demo.customers import customer_frame, draw_churn, draw_customers
from tools.demo.feedback import feedback_events, feedback_frame
from tools.demo.financials import draw_financials
from tools.demo.invoices import draw_invoices
from tools.demo.marketing import draw_marketing
from tools.demo.sales import draw_sales
from tools.demo.transactions import draw_transactions
from tools.schemas import KINDS

__all__ = ["PRICE_EVENTS", "PRODUCTS", "TRUE_ELASTICITY", "generate", "write_csvs"]


def generate(
    customers: int = 400, seed: int = 7, years: int = 3, end: date = date(2025, 12, 31)
) -> dict[str, pd.DataFrame]:
    """Generate the demo company: one canonical frame per table kind (keys in ``KINDS`` order).

    Parameters
    ----------
    customers : number of customers (>= 1); transactions are about 11 per customer.
    seed : seed of the numpy Generators; the same arguments always give identical frames.
    years : length of the transaction window in years, ending at ``end`` (inclusive).
    end : last day of the window.

    Examples
    --------
    >>> frames = generate(customers=50, seed=1)
    >>> list(frames) == list(KINDS)
    True
    """
    if customers < 1:
        raise ValueError(f"customers must be at least 1, got {customers}")
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    start = years_before(end, years) + timedelta(days=1)
    w = Window(day(start), day(end))
    rng_customers = np.random.default_rng([seed, 1])
    cust = draw_customers(rng_customers, customers, w)
    feedback = feedback_events(np.random.default_rng([seed, 6]), cust, w)
    draw_churn(rng_customers, cust, feedback, w)
    tx = draw_transactions(np.random.default_rng([seed, 2]), cust, w)
    frames = {
        "transactions": tx.frame,
        "customers": customer_frame(cust),
        "invoices": draw_invoices(np.random.default_rng([seed, 3]), cust, tx, w),
        "financials": draw_financials(np.random.default_rng([seed, 4]), cust),
        "sales": draw_sales(np.random.default_rng([seed, 5]), w),
        "feedback": feedback_frame(cust, feedback),
        "marketing": draw_marketing(np.random.default_rng([seed, 7]), cust, tx, w),
    }
    return {kind: frames[kind] for kind in KINDS}


def write_csvs(out_dir: Path, customers: int = 400, seed: int = 7) -> list[Path]:
    """Write one UTF-8 CSV per table kind (``transactions.csv``, ``customers.csv``, ...) to ``out_dir``.

    Dates are ISO (YYYY-MM-DD), missing values are empty, booleans are True/False.
    Returns the paths written, in ``KINDS`` order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind, frame in generate(customers=customers, seed=seed).items():
        path = out_dir / f"{kind}.csv"
        whole = "%.0f" if kind == "financials" else None  # whole currency units, no trailing ".0"
        frame.to_csv(path, index=False, encoding="utf-8", date_format="%Y-%m-%d", float_format=whole)
        paths.append(path)
    return paths
