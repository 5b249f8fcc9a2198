"""The invoice pass as ibis expressions: per-customer ageing totals computed where the invoices live.

The same definitions as ``tools.credit.invoices`` (``prepare_invoices`` + ``customer_aging``; see there
for the formulas), written per invoice as column expressions and summed per customer in one
``group_by(customer_id).aggregate(...)``:

- open amount at as_of = round(amount − paid amount counted, 2), 0 when written off (a payment dated
  after as_of is not counted; an undated payment is); without paid_amount an invoice with a paid_date
  counts as paid in full;
- days past due = ⌊(as_of − due_date) / 1 day⌋; buckets current (≤ 0), 1–30, 31–60, 61–90, 90+ over
  open invoices (|open| > 0.005);
- days late = max(⌊(paid_date − due_date) / 1 day⌋, 0) over invoices with a positive amount paid by as_of.

Only the per-customer frame (one row per customer, sorted by id as in the pandas path) comes back.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tools.data.relation import Relation

DAY = 86_400
#: (bucket, lowest, highest days past due), as tools.credit.invoices.BUCKETS.
_BUCKETS = (("current", None, 0), ("days_1_30", 1, 30), ("days_31_60", 31, 60), ("days_61_90", 61, 90))


def reference(rel: Relation) -> pd.Timestamp:
    """The default as_of: the latest invoice_date or paid_date."""
    t = rel.table
    aggs: dict[str, Any] = {"inv": t.invoice_date.max()}
    if "paid_date" in t.columns:
        aggs["paid"] = t.paid_date.max()
    row = rel.execute(t.aggregate(**aggs)).iloc[0]
    dates = [pd.Timestamp(v) for v in row.tolist() if v is not None and not pd.isna(v)]
    return max(dates)


def dated(rel: Relation) -> tuple[Relation, int]:
    """Invoices with invoice_date, due_date and amount (and how many lacked one)."""
    t = rel.table
    ok = t.invoice_date.notnull() & t.due_date.notnull() & t.amount.notnull()
    missing = int(rel.scalar(_count(~ok)) or 0)
    return (rel.with_table(t.filter(ok)) if missing else rel), missing


def issued_by(rel: Relation, as_of: pd.Timestamp) -> Relation:
    t = rel.table
    return rel.with_table(t.filter(t.invoice_date <= as_of.to_pydatetime()))


def customer_aging(rel: Relation, as_of: pd.Timestamp, sales_days: int) -> tuple[pd.DataFrame, int]:
    """(per-customer sums as ``tools.credit.invoices.customer_aging`` takes them, invoices used)."""
    import ibis

    ref_s = int(as_of.timestamp())

    def make(t: Any) -> tuple[list[Any], dict[str, Any]]:
        ref = ibis.literal(as_of.to_pydatetime())
        amount = t.amount.cast("float64")
        has_paid_date = "paid_date" in t.columns
        undated = t.paid_date.isnull() if has_paid_date else ibis.literal(True)
        paid_by = (t.paid_date.notnull() & (t.paid_date <= ref)) if has_paid_date else ibis.literal(False)
        if "paid_amount" in t.columns:
            paid_amount = t.paid_amount.cast("float64").coalesce(0.0)
        else:
            paid_amount = ibis.ifelse(undated, 0.0, amount)
        counted = ibis.ifelse(paid_by | undated, paid_amount, 0.0)
        balance = (amount - counted).round(2)
        written_off = (
            t.written_off.cast("boolean").coalesce(False)
            if "written_off" in t.columns
            else ibis.literal(False)
        )
        open_amount = ibis.ifelse(written_off, 0.0, balance)
        due_s = t.due_date.epoch_seconds()
        days = ((ref_s - due_s) / DAY).floor()
        is_open = open_amount.abs() > 0.005
        positive = amount > 0
        paid = paid_by & positive
        late = ((t.paid_date.epoch_seconds() - due_s) / DAY).floor() if has_paid_date else ibis.literal(0)
        days_late = ibis.ifelse(late > 0, late, 0).cast("float64")
        window = t.invoice_date > (as_of - pd.Timedelta(days=sales_days)).to_pydatetime()
        aggs: dict[str, Any] = {}
        for name, lo, hi in _BUCKETS:
            cond = is_open & (days <= hi) if lo is None else is_open & (days >= lo) & (days <= hi)
            aggs[name] = ibis.ifelse(cond, open_amount, 0.0).sum()
        aggs["days_90_plus"] = ibis.ifelse(is_open & (days > 90), open_amount, 0.0).sum()
        aggs |= {
            "open_invoices": _count(is_open),
            "overdue_invoices": _count(is_open & (days > 0)),
            "sales_90d": ibis.ifelse(window, amount, 0.0).sum(),
            "paid_invoices": _count(paid),
            "late_invoices": _count(paid & (days_late > 0)),
            "days_late_sum": ibis.ifelse(paid, days_late, 0.0).sum(),
            "invoiced": amount.sum(),
            "written_off_amount": ibis.ifelse(written_off, balance, 0.0).sum(),
            "_n": t.count(),
        }
        return [t.customer_id.cast("string").name("customer_id")], aggs

    out = rel.grouped(make)
    out = out.sort_values("customer_id", kind="stable").set_index("customer_id")
    out.index = pd.Index(out.index.astype("str"), name="customer_id")
    used = int(out.pop("_n").sum())
    for column in out.columns:
        kind = "int64" if column.endswith("_invoices") else "float64"
        out[column] = out[column].fillna(0).astype(kind)
    return out, used


def _count(condition: Any) -> Any:
    """Rows where ``condition`` holds (a CASE sum: PostgreSQL cannot cast boolean to bigint)."""
    import ibis

    return ibis.ifelse(condition, 1, 0).sum()
