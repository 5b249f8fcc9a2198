"""Credit and pricing tools against bare pandas/numpy computing the same numbers, at 1M rows.

Inputs (see benchmarks/data.py): ``data.invoices(rows)`` (demo invoices, drawn down to exactly ``rows``)
and ``data.sales_panel(rows)`` (copies of the demo weekly sales panel, product x segment x store cells),
with rows = 10 per demo customer of the run's size: 1,000,000 at the full size.

- receivables_aging_1m: ours is the whole registered tool ``receivables_aging`` with default arguments
  (as_of, per-invoice open amounts, one per-customer pass for buckets, counts, DSO, days late and
  write-offs, facts, bucket and customer tables, findings, summary text, two charts). The baseline
  (``aging_baseline``) computes, with plain pandas:
  as_of = the latest invoice_date or paid_date; the invoices dated up to as_of; the open amount at
  as_of = round(amount - paid_amount counted only when paid_date <= as_of or undated, 2), 0 for
  written-off invoices; days past due = as_of - due_date; per bucket (current <= 0, 1-30, 31-60, 61-90,
  90+, by ``pd.cut``) the sum and the count of the open invoices; DSO simple = Σ open / Σ amount of
  the invoices of the 90 days up to as_of x 90; per customer the overdue amount (open and past due),
  largest first.
- price_sensitivity_1m: ours is the whole registered tool ``price_sensitivity`` with default arguments
  on the sales panel (column checks, observations, price-variation check, the pooled fit and, by
  default, one fit per segment, what-if, findings, summary text, chart). The baseline
  (``elasticity_baseline``) is the pooled model only: log quantity and log price, cells = one
  ``groupby(["product", "segment", "store"]).ngroup()``, log q and [log p, promotion] demeaned within
  cells with ``np.bincount``, ``np.linalg.lstsq``, se from σ² (X̃'X̃)⁻¹ with σ² = SSR / (n - k - cells),
  the t-based 95% CI and R² of the full fixed-effects model.

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


def aging_baseline(inv: pd.DataFrame) -> dict[str, object]:
    """Open amounts at as_of: bucket sums and counts, DSO simple, overdue per customer (largest first)."""
    paid_date = inv["paid_date"]
    as_of = max(inv["invoice_date"].max(), paid_date.max())
    issued = inv["invoice_date"] <= as_of
    inv, paid_date = inv.loc[issued], paid_date.loc[issued]
    counted = inv["paid_amount"].where(paid_date.isna() | (paid_date <= as_of), 0.0)
    open_amount = (inv["amount"] - counted).round(2).where(~inv["written_off"], 0.0)
    days_past_due = (as_of - inv["due_date"]).dt.days
    is_open = open_amount.abs() > 0.005
    bucket = pd.cut(days_past_due, BUCKET_EDGES, labels=BUCKET_LABELS)
    buckets = open_amount[is_open].groupby(bucket[is_open], observed=False).agg(["sum", "count"])
    trailing = inv["amount"][inv["invoice_date"] > as_of - pd.Timedelta(days=DSO_DAYS)].sum()
    total_open = open_amount.sum()
    dso = total_open / trailing * DSO_DAYS if trailing > 0 else None
    overdue = is_open & (days_past_due > 0)
    per_customer = (
        open_amount[overdue].groupby(inv["customer_id"][overdue]).sum().sort_values(ascending=False)
    )
    return {"as_of": as_of, "buckets": buckets, "open": total_open, "dso": dso, "overdue": per_customer}


def elasticity_baseline(sales: pd.DataFrame) -> dict[str, float]:
    """Pooled OLS of log q on log p and promotion with product x segment x store fixed effects."""
    from scipy import stats

    y = np.log(sales["quantity"].to_numpy(dtype=float))
    x = np.column_stack(
        [np.log(sales["unit_price"].to_numpy(dtype=float)), sales["promotion"].to_numpy(dtype=float)]
    )
    cells = sales.groupby(["product", "segment", "store"], sort=False).ngroup().to_numpy()
    counts = np.bincount(cells)
    yt = y - (np.bincount(cells, weights=y) / counts)[cells]
    xt = np.column_stack([x[:, j] - (np.bincount(cells, weights=x[:, j]) / counts)[cells] for j in range(2)])
    coef, *_ = np.linalg.lstsq(xt, yt, rcond=None)
    resid = yt - xt @ coef
    ssr = float(resid @ resid)
    df = len(y) - x.shape[1] - len(counts)
    se = np.sqrt(np.diag(np.linalg.inv(xt.T @ xt)) * ssr / df)
    tq = float(stats.t.ppf(0.975, df))
    sst = float(((y - y.mean()) ** 2).sum())
    return {
        "elasticity": float(coef[0]),
        "se": float(se[0]),
        "ci_low": float(coef[0] - tq * se[0]),
        "ci_high": float(coef[0] + tq * se[0]),
        "r_squared": 1 - ssr / sst,
    }


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
