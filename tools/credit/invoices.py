"""Invoices read once into a per-invoice frame (open amount at as_of, days past due, days late), the
ageing buckets and DSO, shared by receivables_aging, financial_health (open balances) and credit_risk.

Reference date ``as_of``: default the latest invoice_date or paid_date (never a due date, which can lie
in the future); invoices dated after as_of are ignored. Several currencies are never summed: one
currency is analysed (``currency``, default the most common) with a warning.

Sources: ageing buckets and the 30/90 days-past-due presumptions: IFRS 9 para. 5.5.11 and B5.5.37.
DSO and the countback method: standard credit-management practice (e.g. Credit Research Foundation
DSO definitions).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from core.text import Msg
from prompts import invoices as W
from tools.bundle import DatasetBundle
from tools.credit.common import ID
from tools.data import invoices as in_place
from tools.data import ops
from tools.data.relation import Relation
from tools.errors import ToolInputError
from tools.params import FilterParams
from tools.wording import say

#: Ageing buckets: (name, lowest, highest days past due), both inclusive; days past due = as_of - due_date.
BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("current", -math.inf, 0),
    ("days_1_30", 1, 30),
    ("days_31_60", 31, 60),
    ("days_61_90", 61, 90),
    ("days_90_plus", 91, math.inf),
)
BUCKET_NAMES = tuple(b[0] for b in BUCKETS)
OVERDUE_BUCKETS = BUCKET_NAMES[1:]
#: DSO simple: open receivables / credit sales of the trailing DSO_DAYS days x DSO_DAYS.
DSO_DAYS = 90
#: DSO countback walks back at most this many months.
COUNTBACK_MONTHS = 24


class CreditParams(FilterParams):
    as_of: date | None = Field(
        None,
        description="Reference date (ISO). Default: the latest invoice_date or paid_date in the data "
        "(not a due date). Invoices dated later are ignored.",
    )
    n: int = Field(20, ge=1, le=10_000, description="How many customers to list.")
    customer: str | None = Field(None, description="Restrict the listing to one customer (id or name).")
    currency: str | None = Field(
        None, description="Currency to analyse when invoices have several (default: the most common)."
    )


# ==================================================================================================
# Shared invoice preparation
# ==================================================================================================


@dataclass
class Invoices:
    """Invoices of one currency up to as_of, with per-invoice open amount, days past due and days late.

    ``columns`` holds the per-invoice arrays; ``frame`` (the same as a DataFrame) is built on first use.
    """

    columns: dict[str, Any]
    as_of: pd.Timestamp
    currency: str | None
    warnings: list[Msg]
    has_written_off: bool
    rows_used: int

    @cached_property
    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)

    @cached_property
    def customer_codes(self) -> tuple[np.ndarray, pd.Index]:
        """(code per invoice row, sorted customer ids): the customer ids factorized once."""
        codes, customers = pd.factorize(self.columns[ID], sort=True)
        return codes.astype(np.intp, copy=False), pd.Index(customers, name=ID)


def prepare_invoices(data: DatasetBundle, as_of: date | None, currency: str | None, purpose: Msg) -> Invoices:
    inv = data.require("invoices", [ID, "invoice_date", "due_date", "amount"], purpose)
    warnings: list[Msg] = []
    code = None
    if "currency" in inv.columns:
        codes = inv["currency"].dropna().astype(str)
        counts = codes.value_counts()
        if currency is not None:
            if currency not in counts.index:
                raise ToolInputError(
                    say(W.UNKNOWN_CURRENCY, currency=currency, known=", ".join(counts.index))
                )
            code = currency
        elif len(counts):
            code = str(counts.index[0])
        if len(counts) > 1:
            warnings.append(say(W.CURRENCY_SELECTED, currency=code, known=", ".join(counts.index)))
            inv = inv.loc[inv["currency"].astype(str) == code]
    dated = inv["invoice_date"].notna() & inv["due_date"].notna() & inv["amount"].notna()
    if not dated.all():
        warnings.append(say(W.UNDATED_INVOICES, count=int((~dated).sum())))
        inv = inv.loc[dated]
    if inv.empty:
        raise ToolInputError(W.NO_INVOICES)
    paid_date = inv["paid_date"] if "paid_date" in inv.columns else pd.Series(pd.NaT, index=inv.index)
    paid_date = pd.to_datetime(paid_date)
    if as_of is None:
        ref = max(inv["invoice_date"].max(), paid_date.max() if paid_date.notna().any() else pd.NaT)
    else:
        ref = pd.Timestamp(as_of)
    issued = (inv["invoice_date"] <= ref).to_numpy()
    if not issued.any():
        raise ToolInputError(say(W.NO_INVOICES_BEFORE, as_of=ref.date().isoformat()))
    if not issued.all():
        inv = inv.loc[issued]
        paid_date = paid_date.loc[issued]
    # numpy arrays from here on: one pass per column, no index alignment
    amount = inv["amount"].to_numpy(dtype=float)
    paid_at = paid_date.to_numpy(dtype="datetime64[us]")
    undated = np.isnat(paid_at)
    due = inv["due_date"].to_numpy(dtype="datetime64[us]")
    if "paid_amount" in inv.columns:
        paid_amount = np.nan_to_num(inv["paid_amount"].to_numpy(dtype=float, na_value=np.nan), nan=0.0)
    else:
        paid_amount = np.where(undated, 0.0, amount)
        warnings.append(W.NO_PAID_AMOUNT)
    if "paid_date" not in inv.columns:
        warnings.append(W.NO_PAID_DATE)
    # a payment dated after as_of had not happened yet; an undated partial payment is taken as made
    paid_by = ~undated & (paid_at <= ref.to_datetime64())
    counted = np.where(paid_by | undated, paid_amount, 0.0)
    has_wo = "written_off" in inv.columns
    written_off = (
        inv["written_off"].fillna(False).astype(bool).to_numpy() if has_wo else np.zeros(len(inv), bool)
    )
    balance = np.round(amount - counted, 2)
    days_past_due = _days(np.datetime64(ref.to_datetime64(), "us"), due)
    late = _days(paid_at, due).astype(float)
    late[undated] = np.nan
    positive = amount > 0
    paid = paid_by & positive
    late_clipped = np.maximum(late, 0.0)  # NaN stays NaN
    columns = {
        ID: inv[ID].astype(str).array,
        "invoice_date": inv["invoice_date"].to_numpy(),
        "due_date": inv["due_date"].to_numpy(),
        "amount": amount,
        "open_amount": np.where(written_off, 0.0, balance),
        "written_off_amount": np.where(written_off, balance, 0.0),
        "days_past_due": days_past_due,
        # paid by as_of with a positive amount: days late (early = 0) and whether late at all
        "paid": paid,
        "days_late": np.where(paid, late_clipped, np.nan),
        # behaviour (for the trend): paid -> days late, open and past due -> days past due so far
        "observed_late": np.where(
            positive & (paid_by | (days_past_due > 0)),
            np.where(paid_by, late_clipped, np.maximum(days_past_due, 0)),
            np.nan,
        ),
    }
    return Invoices(columns, ref, code, warnings, has_wo, len(amount))


def _days(end: np.ndarray | np.datetime64, start: np.ndarray) -> np.ndarray:
    """Whole days from ``start`` to ``end`` (datetime64[us]), floored like ``Series.dt.days``.

    NaT gives a meaningless number: callers mask those rows.
    """
    delta = (np.asarray(end, dtype="datetime64[us]") - start).astype(np.int64)
    return np.floor_divide(delta, 86_400_000_000)


def bucket_of(days_past_due: pd.Series | np.ndarray) -> np.ndarray:
    """Bucket name per days past due: current (<= 0), days_1_30, days_31_60, days_61_90, days_90_plus.

    >>> bucket_of(np.array([-5, 0, 1, 30, 31, 90, 91])).tolist()
    ['current', 'current', 'days_1_30', 'days_1_30', 'days_31_60', 'days_61_90', 'days_90_plus']
    """
    d = np.asarray(days_past_due, dtype=float)
    return np.select([d <= 0, d <= 30, d <= 60, d <= 90], list(BUCKET_NAMES[:4]), BUCKET_NAMES[4])


def dso_simple(open_amount: float, trailing_sales: float, days: int = DSO_DAYS) -> float | None:
    """DSO = open receivables / credit sales of the trailing ``days`` days x ``days``.

    0 when nothing is open; None when something is open but there were no sales in the window.

    >>> dso_simple(300.0, 900.0)
    30.0
    """
    if open_amount <= 0:
        return 0.0
    if trailing_sales <= 0:
        return None
    return open_amount / trailing_sales * days


def dso_countback(
    open_amount: float, monthly_sales: list[float], month_days: list[int]
) -> tuple[float, bool]:
    """Countback DSO: walk back month by month, newest first, until the open balance is used up.

    For month i (sales S_i, length d_i days): when S_i > 0 and the remaining balance R <= S_i,
    DSO += d_i x R / S_i and stop; otherwise DSO += d_i and R -= max(S_i, 0). Returns (DSO, complete);
    ``complete`` is False when the months ran out first (DSO is then a lower bound).

    >>> dso_countback(1500.0, [1000.0, 1000.0], [31, 30])
    (46.0, True)
    """
    remaining = float(open_amount)
    if remaining <= 0:
        return 0.0, True
    total = 0.0
    for sales, days in zip(monthly_sales, month_days, strict=True):
        if sales > 0 and remaining <= sales:
            return total + days * remaining / sales, True
        total += days
        remaining -= max(sales, 0.0)
    return total, False


def month_edges(as_of: pd.Timestamp, months: int) -> list[pd.Timestamp]:
    """as_of, as_of - 1 month, ..., as_of - ``months`` months (month i is (edge[i], edge[i-1]])."""
    return [as_of - pd.DateOffset(months=k) for k in range(months + 1)]


def countback_all(inv: pd.DataFrame, open_by: pd.Series, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Countback DSO per customer (vectorised over customers) and whether each walk completed."""
    edges = month_edges(as_of, COUNTBACK_MONTHS)
    ascending = np.array(edges[::-1], dtype="datetime64[us]")
    dates = inv["invoice_date"].to_numpy(dtype="datetime64[us]")
    # month index 0..M-1 (0 = newest): invoice_date in (edge[i+1], edge[i]]
    pos = np.searchsorted(ascending, dates, side="left")  # ascending[pos-1] < d <= ascending[pos]
    month = COUNTBACK_MONTHS - pos
    keep = (pos >= 1) & (pos <= COUNTBACK_MONTHS)
    codes = pd.Index(open_by.index)
    cust = codes.get_indexer(inv[ID])
    keep &= cust >= 0
    flat = np.bincount(
        cust[keep] * COUNTBACK_MONTHS + month[keep],
        weights=inv["amount"].to_numpy()[keep],
        minlength=len(codes) * COUNTBACK_MONTHS,
    ).reshape(len(codes), COUNTBACK_MONTHS)
    month_days = [(edges[i] - edges[i + 1]).days for i in range(COUNTBACK_MONTHS)]
    remaining = open_by.to_numpy(dtype=float).copy()
    dso = np.zeros(len(codes))
    done = remaining <= 0
    for i in range(COUNTBACK_MONTHS):
        s = flat[:, i]
        finish = ~done & (s > 0) & (remaining <= s)
        dso = np.where(finish, dso + month_days[i] * remaining / np.where(s > 0, s, 1.0), dso)
        go_on = ~done & ~finish
        dso = np.where(go_on, dso + month_days[i], dso)
        remaining = np.where(go_on, remaining - np.maximum(s, 0.0), remaining)
        done |= finish
    return pd.Series(dso, index=codes), pd.Series(done, index=codes)


def customer_aging(prep: Invoices) -> pd.DataFrame:
    """Per customer: open amount per bucket, overdue, counts, trailing sales, days late, write-offs.

    One ``np.bincount`` per column over the customer codes (see ``Invoices.customer_codes``).
    """
    f = prep.columns
    codes, customers = prep.customer_codes
    m = len(customers)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=values, minlength=m)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=mask, minlength=m).astype(np.int64)

    days = f["days_past_due"].astype(float)
    open_amount = f["open_amount"]
    amount = f["amount"]
    days_late = f["days_late"]
    is_open = np.abs(open_amount) > 0.005
    bucket = np.select([days <= 0, days <= 30, days <= 60, days <= 90], [0, 1, 2, 3], 4)[is_open]
    k = len(BUCKET_NAMES)
    by_bucket = np.bincount(
        codes[is_open] * k + bucket, weights=open_amount[is_open], minlength=m * k
    ).reshape(m, k)
    cols: dict[str, Any] = {name: by_bucket[:, i] for i, name in enumerate(BUCKET_NAMES)}
    window = f["invoice_date"] > (prep.as_of - pd.Timedelta(days=DSO_DAYS)).to_datetime64()
    cols |= {
        "open_invoices": count(is_open),
        "overdue_invoices": count(is_open & (days > 0)),
        "sales_90d": total(np.where(window, amount, 0.0)),
        "paid_invoices": count(f["paid"]),
        "late_invoices": count(days_late > 0),
        "days_late_sum": total(np.nan_to_num(days_late, nan=0.0)),
        "invoiced": total(amount),
        "written_off_amount": total(f["written_off_amount"]),
    }
    return finish_aging(pd.DataFrame(cols, index=pd.Index(customers, name=ID)))


def finish_aging(per: pd.DataFrame) -> pd.DataFrame:
    """Open and overdue totals, shares, days late and simple DSO from the per-customer sums."""
    per["open_amount"] = per[list(BUCKET_NAMES)].sum(axis=1)
    per["overdue_amount"] = per[list(OVERDUE_BUCKETS)].sum(axis=1)
    per["overdue_share"] = per["overdue_amount"] / per["open_amount"].where(per["open_amount"] > 0)
    paid = per["paid_invoices"].where(per["paid_invoices"] > 0)
    per["avg_days_late"] = per["days_late_sum"] / paid
    per["late_share"] = per["late_invoices"] / paid
    # dso_simple per customer: 0 when nothing is open, NaN when open but no sales in the window
    open_total, sales = per["open_amount"].to_numpy(), per["sales_90d"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        dso = np.where(open_total <= 0, 0.0, np.where(sales <= 0, np.nan, open_total / sales * DSO_DAYS))
    per["dso"] = dso
    return per


# ==================================================================================================
# The same, where the invoices live (a database table or Parquet files: tools.data)
# ==================================================================================================


def prepare_in_place(
    rel: Relation, as_of: date | None, currency: str | None
) -> tuple[Invoices, pd.DataFrame]:
    """:func:`prepare_invoices` + :func:`customer_aging` on a Relation: the same checks and warnings, the
    per-invoice work and the per-customer sums done by the source's engine (tools/data/invoices.py).

    The returned Invoices has no per-invoice columns (nothing per invoice is read).
    """
    warnings: list[Msg] = []
    code = None
    if "currency" in rel.columns:
        counts = ops.value_counts(rel, "currency").dropna()
        counts.index = counts.index.astype(str)
        if currency is not None:
            if currency not in counts.index:
                raise ToolInputError(say(W.UNKNOWN_CURRENCY, currency=currency, known=", ".join(counts.index)))
            code = currency
        elif len(counts):
            code = str(counts.index[0])
        if len(counts) > 1:
            warnings.append(say(W.CURRENCY_SELECTED, currency=code, known=", ".join(counts.index)))
            rel = ops.equal(rel, "currency", code)
    rel, undated = in_place.dated(rel)
    if undated:
        warnings.append(say(W.UNDATED_INVOICES, count=undated))
    if not ops.count(rel):
        raise ToolInputError(W.NO_INVOICES)
    ref = in_place.reference(rel) if as_of is None else pd.Timestamp(as_of)
    rel = in_place.issued_by(rel, ref)
    if "paid_amount" not in rel.columns:
        warnings.append(W.NO_PAID_AMOUNT)
    if "paid_date" not in rel.columns:
        warnings.append(W.NO_PAID_DATE)
    per, used = in_place.customer_aging(rel, ref, DSO_DAYS)
    if not used:
        raise ToolInputError(say(W.NO_INVOICES_BEFORE, as_of=ref.date().isoformat()))
    prep = Invoices({}, ref, code, warnings, "written_off" in rel.columns, used)
    return prep, finish_aging(per)
