"""Credit and pricing tools against bare pandas/numpy computing the same numbers, at 1M rows.

Inputs (see benchmarks/data.py): ``data.invoices(rows)`` (demo invoices, drawn down to exactly ``rows``)
and ``data.sales_panel(rows)`` (copies of the demo weekly sales panel, product x segment x store cells),
with rows = 10 per demo customer of the run's size: 1,000,000 at the full size.

Each baseline computes every number the tool returns with its default arguments on these inputs (facts,
tables, the finding's customer list), as plain vectorised pandas/numpy; it does not build what is not a
number (summary text, charts, method notes) and skips the tool's input checks (column resolution,
currencies, undated rows, the price-variation refusal).

- receivables_aging_1m: ours is the whole registered tool ``receivables_aging`` with default arguments.
  The baseline (``aging_baseline``) computes, with plain pandas: as_of = the latest invoice_date or
  paid_date; the invoices dated up to as_of; per invoice the balance = round(amount - paid_amount
  counted only when paid_date <= as_of or undated, 2), the open amount (0 when written off) and the
  written-off amount, days past due = as_of - due_date, the bucket (current <= 0, 1-30, 31-60, 61-90,
  90+, ``pd.cut``), days late of the invoices paid by as_of with a positive amount; then the customer
  ids factorized once (``pd.factorize(sort=True)``) and one ``np.bincount`` per column (open amount per
  bucket of the open invoices, open and overdue invoice counts, sales of the 90 days up to as_of, paid
  and late invoice counts, days late, invoiced, written off); from these the per-customer table of every
  customer (the five bucket amounts, open, overdue, overdue_share, open/overdue invoices, DSO simple,
  avg_days_late, late_share, written off), the facts (as_of, customers, open/overdue amounts and share,
  the five bucket amounts, open/overdue invoices, customers with overdue, DSO simple and its method, avg
  days late, late share, written-off amount and rate), the bucket table (amount, customers, share), the
  listing (top 20 by overdue then open amount, ``nlargest``) and the overdue customers largest first
  (the finding's list and total).
- price_sensitivity_1m: ours is the whole registered tool ``price_sensitivity`` with default arguments
  on the sales panel (by default one elasticity per segment besides the pooled one). The baseline
  (``elasticity_baseline``): log quantity and log price, cells = one
  ``groupby(["product", "segment", "store"]).ngroup()``, log q, log p and promotion demeaned within
  cells with ``np.bincount``; the pooled fit and one fit per segment (``groupby("segment").indices``;
  segments are unions of cells, so the pooled demeaned rows are reused), each with one
  ``np.linalg.lstsq``: coefficients, se from σ² (X̃'X̃)⁻¹ with σ² = SSR / (n - k - cells), the t-based
  95% CI, R² of the full fixed-effects model (and the within R² for the pooled fit), observations and
  cells, the what-if at +5% (volume (1.05)^ε - 1, revenue (1.05)^(1+ε) - 1) and the inelastic/elastic
  classification from the CI; the pooled promotion lift exp(β) - 1. (The panel has no cost column, so
  the tool's margin and gross-profit change are null; its price_change, groups and source are constants.)

Target: ratio <= 2.0 each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks import data
from benchmarks.common import Result, Sizes, at_most, interleaved

TARGET = 2.0
BUCKET_EDGES = (-np.inf, 0, 30, 60, 90, np.inf)
BUCKET_LABELS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus")
DSO_DAYS = 90
LISTED = 20  # receivables_aging lists n = 20 customers by default
PRICE_CHANGE = 0.05  # price_sensitivity's default what-if


def aging_baseline(inv: pd.DataFrame) -> dict[str, object]:
    """Every number of ``receivables_aging`` (defaults): facts, bucket table, per-customer table, listing.

    Returns {"as_of", "facts" (dict named as the tool's facts), "buckets" (frame indexed by bucket:
    amount, customers, share), "per_customer" (frame indexed by customer_id, every customer: the five
    bucket amounts, open_amount, overdue_amount, overdue_share, open_invoices, overdue_invoices, dso,
    avg_days_late, late_share, written_off_amount), "listing" (its top 20 by overdue then open amount),
    "overdue" (overdue amount of the customers with overdue > 0, largest first)}.
    """
    paid_date = inv["paid_date"]
    as_of = max(inv["invoice_date"].max(), paid_date.max())
    issued = inv["invoice_date"] <= as_of
    inv, paid_date = inv.loc[issued], paid_date.loc[issued]
    amount, due = inv["amount"], inv["due_date"]
    paid_by = paid_date <= as_of  # NaT -> False
    counted = inv["paid_amount"].fillna(0.0).where(paid_by | paid_date.isna(), 0.0)
    balance = (amount - counted).round(2)
    written_off = inv["written_off"]
    open_amount = balance.where(~written_off, 0.0)
    days_past_due = (as_of - due).dt.days
    is_open = open_amount.abs() > 0.005
    bucket = pd.cut(days_past_due, BUCKET_EDGES, labels=False).to_numpy()  # 0 = current .. 4 = 90+
    paid = paid_by & (amount > 0)
    days_late = (paid_date - due).dt.days.clip(lower=0).where(paid)
    # per customer: one factorization of the ids, then one np.bincount per column
    codes, customers = pd.factorize(inv["customer_id"], sort=True)
    m, k = len(customers), len(BUCKET_LABELS)

    def total(values: pd.Series) -> np.ndarray:
        return np.bincount(codes, weights=values.to_numpy(dtype=float), minlength=m)

    rows = is_open.to_numpy()
    by_bucket = np.bincount(
        codes[rows] * k + bucket[rows], weights=open_amount.to_numpy()[rows], minlength=m * k
    ).reshape(m, k)
    per = pd.DataFrame(by_bucket, index=pd.Index(customers, name="customer_id"), columns=list(BUCKET_LABELS))
    window = inv["invoice_date"] > as_of - pd.Timedelta(days=DSO_DAYS)
    per["open_invoices"] = total(is_open)
    per["overdue_invoices"] = total(is_open & (days_past_due > 0))
    per["sales_90d"] = total(amount.where(window, 0.0))
    per["paid_invoices"] = total(paid)
    per["late_invoices"] = total(days_late > 0)
    per["days_late_sum"] = total(days_late.fillna(0.0))
    per["invoiced"] = total(amount)
    per["written_off_amount"] = total(balance.where(written_off, 0.0))
    per["open_amount"] = per[list(BUCKET_LABELS)].sum(axis=1)
    per["overdue_amount"] = per[list(BUCKET_LABELS[1:])].sum(axis=1)
    per["overdue_share"] = per["overdue_amount"] / per["open_amount"].where(per["open_amount"] > 0)
    n_paid = per["paid_invoices"].where(per["paid_invoices"] > 0)
    per["avg_days_late"] = per["days_late_sum"] / n_paid
    per["late_share"] = per["late_invoices"] / n_paid
    per["dso"] = (per["open_amount"] / per["sales_90d"].where(per["sales_90d"] > 0) * DSO_DAYS).where(
        per["open_amount"] > 0, 0.0
    )
    totals = per.sum()
    open_total, overdue_total = totals["open_amount"], totals["overdue_amount"]
    sales, n_paid_total, invoiced = totals["sales_90d"], totals["paid_invoices"], totals["invoiced"]
    dso = 0.0 if open_total <= 0 else (open_total / sales * DSO_DAYS if sales > 0 else None)
    facts: dict[str, object] = {
        "as_of": as_of.date().isoformat(),
        "customers": len(per),
        "open_amount": open_total,
        "overdue_amount": overdue_total,
        "overdue_share": overdue_total / open_total if open_total > 0 else None,
        **{f"{b}_amount": totals[b] for b in BUCKET_LABELS},
        "open_invoices": int(totals["open_invoices"]),
        "overdue_invoices": int(totals["overdue_invoices"]),
        "customers_with_overdue": int((per["overdue_amount"] > 0.005).sum()),
        "dso": dso,
        "dso_method": "simple",
        "avg_days_late": totals["days_late_sum"] / n_paid_total if n_paid_total else None,
        "late_share": totals["late_invoices"] / n_paid_total if n_paid_total else None,
        "written_off_amount": totals["written_off_amount"],
        "written_off_rate": totals["written_off_amount"] / invoiced if invoiced > 0 else None,
    }
    amounts = totals[list(BUCKET_LABELS)]
    buckets = pd.DataFrame(
        {
            "amount": amounts,
            "customers": (per[list(BUCKET_LABELS)].abs() > 0.005).sum(),
            "share": amounts / amounts.sum() if amounts.sum() > 0 else np.nan,
        }
    )
    shown = [*BUCKET_LABELS, "open_amount", "overdue_amount", "overdue_share", "open_invoices",
             "overdue_invoices", "dso", "avg_days_late", "late_share", "written_off_amount"]  # fmt: skip
    per = per[shown]
    listing = per.nlargest(LISTED, ["overdue_amount", "open_amount"])
    overdue = per["overdue_amount"][per["overdue_amount"] > 0.005].sort_values(ascending=False, kind="stable")
    return {
        "as_of": as_of,
        "facts": facts,
        "buckets": buckets,
        "per_customer": per,
        "listing": listing,
        "overdue": overdue,
    }


def _fe_fit(yt: np.ndarray, xt: np.ndarray, y: np.ndarray, cells: int, tq) -> dict[str, float]:
    """One within-cells OLS fit: ε, se, 95% CI, R² (full and within), n, cells, what-if, class."""
    coef, *_ = np.linalg.lstsq(xt, yt, rcond=None)
    resid = yt - xt @ coef
    ssr = float(resid @ resid)
    n, k = xt.shape
    df = n - k - cells
    se = np.sqrt(np.diag(np.linalg.inv(xt.T @ xt)) * ssr / df)
    t = float(tq(df))
    eps = float(coef[0])
    low, high = eps - t * float(se[0]), eps + t * float(se[0])
    volume = (1 + PRICE_CHANGE) ** eps
    return {
        "elasticity": eps,
        "se": float(se[0]),
        "ci_low": low,
        "ci_high": high,
        "r_squared": 1 - ssr / float(((y - y.mean()) ** 2).sum()),
        "r_squared_within": 1 - ssr / float(yt @ yt),
        "observations": n,
        "cells": cells,
        "promotion_lift": float(np.expm1(coef[1])) if k > 1 else None,
        "volume_change": volume - 1,
        "revenue_change": (1 + PRICE_CHANGE) * volume - 1,
        "classification": "inelastic" if low > -1 else "elastic" if high < -1 else "unclear",
    }


def elasticity_baseline(sales: pd.DataFrame) -> dict[str, object]:
    """Pooled and per-segment OLS of log q on log p and promotion with product x segment x store effects.

    Returns {"pooled": fit, "segments": {segment: fit}} with each fit as ``_fe_fit`` returns it (the
    tool's facts and price_elasticity table rows).
    """
    from scipy import stats

    y = np.log(sales["quantity"].to_numpy(dtype=float))
    promotion = sales["promotion"].to_numpy(dtype=float)
    x = np.column_stack([np.log(sales["unit_price"].to_numpy(dtype=float)), promotion])
    cells = sales.groupby(["product", "segment", "store"], sort=False).ngroup().to_numpy()
    counts = np.bincount(cells)
    yt = y - (np.bincount(cells, weights=y) / counts)[cells]
    xt = np.column_stack([x[:, j] - (np.bincount(cells, weights=x[:, j]) / counts)[cells] for j in range(2)])

    def tq(df: int) -> float:
        return stats.t.ppf(0.975, df)

    pooled = _fe_fit(yt, xt, y, len(counts), tq)
    segments = {}
    for segment, rows in sales.groupby("segment").indices.items():
        k = 2 if np.ptp(promotion[rows]) > 0 else 1  # promotion only where it varies
        n_cells = int(np.count_nonzero(np.bincount(cells[rows])))
        segments[segment] = _fe_fit(yt[rows], xt[rows, :k], y[rows], n_cells, tq)
    return {"pooled": pooled, "segments": segments}


def _tool(name: str, kind: str, frame: pd.DataFrame, baseline, sizes: Sizes) -> list[Result]:
    from tools.bundle import Dataset, DatasetBundle
    from tools.registry import TOOLS

    bundle = DatasetBundle([Dataset(kind, frame)])
    spec = TOOLS[name]
    times = interleaved(
        {"ours": lambda: spec.run(bundle, {}), "baseline": lambda: baseline(frame)}, sizes.repeats
    )
    result = Result(
        f"{name}_1m", times["ours"], times["baseline"], "s", f"<= {TARGET}", details={"rows": len(frame)}
    )
    result.status = at_most(result.ratio, TARGET)
    return [result]


def receivables_aging_1m(sizes: Sizes) -> list[Result]:
    """receivables_aging (defaults) on 1M invoices vs aging_baseline."""
    return _tool(
        "receivables_aging", "invoices", data.invoices(data.scaled_rows(sizes)), aging_baseline, sizes
    )


def price_sensitivity_1m(sizes: Sizes) -> list[Result]:
    """price_sensitivity (defaults) on a 1M-row sales panel vs elasticity_baseline."""
    frame = data.sales_panel(data.scaled_rows(sizes))
    return _tool("price_sensitivity", "sales", frame, elasticity_baseline, sizes)
