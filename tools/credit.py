"""Receivables and credit tools: receivables_aging, financial_health and credit_risk.

Each tool is ``fn(data: DatasetBundle, params) -> ToolResult``. Invoices are read once into a per-invoice
frame (open amount, days past due, days late) and then summed per customer with one ``groupby``; the
models work on those small per-customer frames. Answer texts are in ``prompts/credit.py``; the
scorecard's points and cut-offs are in ``tools/credit_scorecard.toml`` (read with ``tomllib``), never
literals in this module. Every formula is stated in the docstrings below and in each result's method.

Common behaviour
----------------
- Reference date ``as_of``: default the latest invoice_date or paid_date in the data (never a due date,
  which can lie in the future). Invoices dated after as_of are ignored.
- Currency: invoices with several currencies are never summed across them; the tools analyse one
  currency (argument ``currency``, default the most common) and warn.
- ``customer`` (an exact id, or a name from the customers table, case-insensitive; else a unique partial
  name) restricts the listing; totals and findings still cover every customer.

Sources
-------
Ageing buckets and the 30/90 days-past-due presumptions: IFRS 9 para. 5.5.11 and B5.5.37. DSO and the
countback method: standard credit-management practice (e.g. Credit Research Foundation DSO definitions).
Altman Z: Altman, E. I. (1968), "Financial ratios, discriminant analysis and the prediction of corporate
bankruptcy", Journal of Finance 23(4); Z' and Z'': Altman (2000, rev. 2002), "Predicting financial
distress of companies: revisiting the Z-score and ZETA models".
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import credit as T
from tools.bundle import DatasetBundle
from tools.errors import ToolInputError
from tools.params import ToolParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.wording import join, money_text, num_text, pct_text, say

_ID = "customer_id"
SCORECARD_PATH = Path(__file__).with_name("credit_scorecard.toml")
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
#: Altman coefficients (X1..X5) and zone cut-offs (distress below the first, safe above the second).
ALTMAN: dict[str, tuple[tuple[float, float, float, float, float], tuple[float, float]]] = {
    "z": ((1.2, 1.4, 3.3, 0.6, 1.0), (1.81, 2.99)),  # Altman (1968), public manufacturers
    "z_prime": ((0.717, 0.847, 3.107, 0.420, 0.998), (1.23, 2.90)),  # Altman (2000), private firms
    "z_double_prime": ((6.56, 3.26, 6.72, 1.05, 0.0), (1.10, 2.60)),  # Altman (2000), non-manufacturers
}
#: variant "auto": an industry containing one of these words (customers.industry) is a non-manufacturer,
#: for which Altman (2000) recommends Z'' (no asset-turnover term X5, which varies most by industry).
NON_MANUFACTURING_WORDS = (
    "service", "technology", "software", "consult", "retail", "wholesale", "trade", "trading", "finance",
    "financial", "bank", "insurance", "media", "telecom", "hospital", "health", "education", "logistics",
    "transport", "real estate", "服务", "科技", "软件", "咨询", "零售", "批发", "贸易", "商贸", "金融", "银行",
    "保险", "传媒", "电信", "医疗", "教育", "物流", "运输", "地产",
)  # fmt: skip
MAX_CHART_CUSTOMERS = 15
MAX_SUMMARY_ITEMS = 5
Variant = Literal["auto", "z", "z_prime", "z_double_prime"]
Grade = Literal["A", "B", "C", "D", "E"]


# ==================================================================================================
# Params
# ==================================================================================================


class _CreditParams(ToolParams):
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


class AgingParams(_CreditParams):
    """Receivables ageing and DSO at a reference date."""

    dso_method: Literal["simple", "countback"] = Field(
        "simple",
        description="'simple': open receivables / credit sales of the trailing 90 days x 90. 'countback': "
        "walk back month by month subtracting each month's credit sales from the open balance.",
    )


class HealthParams(ToolParams):
    """Financial ratios and Altman Z per customer."""

    variant: Variant = Field(
        "auto",
        description="Altman model: 'z' (1968, public manufacturers, market value of equity), 'z_prime' "
        "(private firms, book equity), 'z_double_prime' (non-manufacturers, no sales term) or 'auto' "
        "(per customer from the data: non-manufacturing industry or no sales -> Z''; market value -> Z; "
        "else Z').",
    )
    n: int = Field(20, ge=1, le=10_000, description="How many customers to list (weakest Z first).")
    customer: str | None = Field(None, description="Restrict the listing to one customer (id or name).")
    zone: Literal["distress", "grey", "safe"] | None = Field(
        None, description="List only customers in this Altman zone."
    )


class CreditRiskParams(_CreditParams):
    """Scorecard grade A-E and recommended credit action per customer."""

    grade: Grade | None = Field(None, description="List only customers with this grade (A best, E worst).")


# ==================================================================================================
# Shared invoice preparation
# ==================================================================================================


@dataclass
class _Invoices:
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
        codes, customers = pd.factorize(self.columns[_ID], sort=True)
        return codes.astype(np.intp, copy=False), pd.Index(customers, name=_ID)


def _prepare_invoices(
    data: DatasetBundle, as_of: date | None, currency: str | None, purpose: Msg
) -> _Invoices:
    inv = data.require("invoices", [_ID, "invoice_date", "due_date", "amount"], purpose)
    warnings: list[Msg] = []
    code = None
    if "currency" in inv.columns:
        codes = inv["currency"].dropna().astype(str)
        counts = codes.value_counts()
        if currency is not None:
            if currency not in counts.index:
                raise ToolInputError(
                    say(T.UNKNOWN_CURRENCY, currency=currency, known=", ".join(counts.index))
                )
            code = currency
        elif len(counts):
            code = str(counts.index[0])
        if len(counts) > 1:
            warnings.append(say(T.CURRENCY_SELECTED, currency=code, known=", ".join(counts.index)))
            inv = inv.loc[inv["currency"].astype(str) == code]
    dated = inv["invoice_date"].notna() & inv["due_date"].notna() & inv["amount"].notna()
    if not dated.all():
        warnings.append(say(T.UNDATED_INVOICES, count=int((~dated).sum())))
        inv = inv.loc[dated]
    if inv.empty:
        raise ToolInputError(T.NO_INVOICES)
    paid_date = inv["paid_date"] if "paid_date" in inv.columns else pd.Series(pd.NaT, index=inv.index)
    paid_date = pd.to_datetime(paid_date)
    if as_of is None:
        ref = max(inv["invoice_date"].max(), paid_date.max() if paid_date.notna().any() else pd.NaT)
    else:
        ref = pd.Timestamp(as_of)
    issued = (inv["invoice_date"] <= ref).to_numpy()
    if not issued.any():
        raise ToolInputError(say(T.NO_INVOICES_BEFORE, as_of=ref.date().isoformat()))
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
        warnings.append(T.NO_PAID_AMOUNT)
    if "paid_date" not in inv.columns:
        warnings.append(T.NO_PAID_DATE)
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
        _ID: inv[_ID].astype(str).array,
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
    return _Invoices(columns, ref, code, warnings, has_wo, len(amount))


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


def _month_edges(as_of: pd.Timestamp, months: int) -> list[pd.Timestamp]:
    """as_of, as_of - 1 month, ..., as_of - ``months`` months (month i is (edge[i], edge[i-1]])."""
    return [as_of - pd.DateOffset(months=k) for k in range(months + 1)]


def _countback_all(inv: pd.DataFrame, open_by: pd.Series, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Countback DSO per customer (vectorised over customers) and whether each walk completed."""
    edges = _month_edges(as_of, COUNTBACK_MONTHS)
    ascending = np.array(edges[::-1], dtype="datetime64[us]")
    dates = inv["invoice_date"].to_numpy(dtype="datetime64[us]")
    # month index 0..M-1 (0 = newest): invoice_date in (edge[i+1], edge[i]]
    pos = np.searchsorted(ascending, dates, side="left")  # ascending[pos-1] < d <= ascending[pos]
    month = COUNTBACK_MONTHS - pos
    keep = (pos >= 1) & (pos <= COUNTBACK_MONTHS)
    codes = pd.Index(open_by.index)
    cust = codes.get_indexer(inv[_ID])
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


def _customer_aging(prep: _Invoices) -> pd.DataFrame:
    """Per customer: open amount per bucket, overdue, counts, trailing sales, days late, write-offs.

    One ``np.bincount`` per column over the customer codes (see ``_Invoices.customer_codes``).
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
    per = pd.DataFrame(cols, index=pd.Index(customers, name=_ID))
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
# receivables_aging
# ==================================================================================================


def receivables_aging(data: DatasetBundle, params: AgingParams) -> ToolResult:
    """Ageing of open receivables at ``as_of`` by days past due, DSO, days late and write-offs.

    Formula (per invoice with invoice_date <= as_of)::

        paid by as_of  = paid_date <= as_of (a payment dated later counts as not yet made)
        open_amount    = amount - paid_amount (paid_amount counted only when paid by as_of or undated;
                         without a paid_amount column an invoice with a paid_date counts as paid in full);
                         written-off invoices are excluded from open and reported separately
        days_past_due  = as_of - due_date
        bucket         = current (<= 0, not yet due), 1-30, 31-60, 61-90, 90+ days past due
        overdue_amount = Σ open_amount of past-due invoices;  overdue_share = overdue_amount / open_amount
        DSO simple     = open_amount / credit sales (invoice amounts) of the 90 days up to as_of x 90
        DSO countback  = walk back month by month (newest first) subtracting each month's credit sales
                         from the open balance; full months count their days, the last month its
                         fraction (see ``dso_countback``)
        avg_days_late  = mean over invoices paid by as_of of max(paid_date - due_date, 0) days
        late_share     = share of those invoices paid after their due date
        written_off_rate = written-off amount (amount - paid_amount) / invoiced amount

    Credit notes (negative amounts) reduce the open balance in their bucket and are not payment events.

    Facts: as_of, open_amount, overdue_amount, overdue_share, current_amount and one fact per bucket
    (``days_1_30_amount`` ...), open_invoices, overdue_invoices, customers_with_overdue, dso, dso_method,
    avg_days_late, late_share, written_off_amount and written_off_rate (with a written_off column).

    Findings: ``overdue_receivables``: customers with overdue_amount > 0 (value = Σ overdue amount,
    customers by overdue amount, largest first).

    Example
    -------
    >>> import pandas as pd
    >>> from tools.bundle import Dataset
    >>> inv = pd.DataFrame({"customer_id": ["C1", "C2"],
    ...     "invoice_date": pd.to_datetime(["2024-01-01", "2024-03-01"]),
    ...     "due_date": pd.to_datetime(["2024-01-31", "2024-03-31"]), "amount": [100.0, 50.0],
    ...     "paid_date": pd.to_datetime([None, "2024-03-15"]), "paid_amount": [0.0, 50.0]})
    >>> r = receivables_aging(DatasetBundle([Dataset("invoices", inv)]), AgingParams())
    >>> r.facts["as_of"], r.facts["overdue_amount"], r.facts["days_31_60_amount"]
    ('2024-03-15', 100.0, 100.0)
    """
    prep = _prepare_invoices(data, params.as_of, params.currency, T.PURPOSE_AGING)
    per = _customer_aging(prep)
    as_of = prep.as_of
    names = _names(data)
    if params.dso_method == "countback":
        cb, complete = _countback_all(prep.frame, per["open_amount"], as_of)
        per["dso"] = cb
        total_open = float(per["open_amount"].sum())
        month_sales = _month_sales(prep.frame, as_of)
        dso, dso_complete = dso_countback(total_open, *month_sales)
    else:
        complete = pd.Series(True, index=per.index)
        dso = dso_simple(float(per["open_amount"].sum()), float(per["sales_90d"].sum()))
        dso_complete = True
    facts = _aging_facts(prep, per, dso, params.dso_method)
    warnings = list(prep.warnings)
    if not dso_complete or not complete.all():
        warnings.append(say(T.COUNTBACK_INCOMPLETE, months=COUNTBACK_MONTHS))
    if dso is None:
        warnings.append(T.DSO_NO_SALES)

    bucket_table = _bucket_table(per)
    rows = np.arange(len(per))
    if params.customer:
        rows = rows[per.index.isin(_match_customer(params.customer, per.index, names))]
    listing = per.iloc[_top_rows(per, rows, params.n)]
    table = _with_names(
        listing[
            [
                *BUCKET_NAMES,
                "open_amount",
                "overdue_amount",
                "overdue_share",
                "open_invoices",
                "overdue_invoices",
                "dso",
                "avg_days_late",
                "late_share",
                "written_off_amount",
            ]
        ],  # fmt: skip
        names,
    )
    charts = [_bucket_chart(bucket_table), _stacked_chart(listing.head(MAX_CHART_CUSTOMERS), names)]
    findings = [f for f in [_overdue_finding(per, names)] if f is not None]
    summary = _aging_summary(facts, per, names, params)
    method = Method(
        T.AGING_FORMULA_COUNTBACK if params.dso_method == "countback" else T.AGING_FORMULA,
        params.model_dump(mode="json"),
        [T.AGING_ASSUMPTIONS] + ([T.WRITE_OFF_ASSUMPTION] if prep.has_written_off else []),
        as_of.date(),
        prep.rows_used,
    )
    return ToolResult(
        "receivables_aging",
        summary,
        facts,
        [
            Table("aging_buckets", bucket_table, T.TABLE_BUCKETS),
            Table("customer_aging", table, T.TABLE_CUSTOMERS),
        ],
        charts,
        method,
        findings,
        warnings,
    )


def _month_sales(inv: pd.DataFrame, as_of: pd.Timestamp) -> tuple[list[float], list[int]]:
    edges = _month_edges(as_of, COUNTBACK_MONTHS)
    sales, days = [], []
    dates, amounts = inv["invoice_date"], inv["amount"]
    for i in range(COUNTBACK_MONTHS):
        mask = (dates > edges[i + 1]) & (dates <= edges[i])
        sales.append(float(amounts[mask].sum()))
        days.append((edges[i] - edges[i + 1]).days)
    return sales, days


def _aging_facts(prep: _Invoices, per: pd.DataFrame, dso: float | None, method: str) -> dict[str, FactValue]:
    open_amount = float(per["open_amount"].sum())
    overdue = float(per["overdue_amount"].sum())
    paid = int(per["paid_invoices"].sum())
    facts: dict[str, FactValue] = {
        "as_of": prep.as_of.date().isoformat(),
        "customers": len(per),
        "open_amount": _r(open_amount),
        "overdue_amount": _r(overdue),
        "overdue_share": _r(overdue / open_amount, 4) if open_amount > 0 else None,
    }
    for name in BUCKET_NAMES:
        facts[f"{name}_amount"] = _r(float(per[name].sum()))
    facts |= {
        "open_invoices": int(per["open_invoices"].sum()),
        "overdue_invoices": int(per["overdue_invoices"].sum()),
        "customers_with_overdue": int((per["overdue_amount"] > 0.005).sum()),
        "dso": _r(dso, 1),
        "dso_method": method,
        "avg_days_late": _r(float(per["days_late_sum"].sum()) / paid, 1) if paid else None,
        "late_share": _r(float(per["late_invoices"].sum()) / paid, 4) if paid else None,
    }
    if prep.has_written_off:
        invoiced = float(per["invoiced"].sum())
        written = float(per["written_off_amount"].sum())
        facts["written_off_amount"] = _r(written)
        facts["written_off_rate"] = _r(written / invoiced, 4) if invoiced > 0 else None
    if prep.currency is not None:
        facts["currency"] = prep.currency
    return facts


def _bucket_table(per: pd.DataFrame) -> pd.DataFrame:
    amounts = [float(per[b].sum()) for b in BUCKET_NAMES]
    counts = [int((per[b].abs() > 0.005).sum()) for b in BUCKET_NAMES]
    total = sum(amounts)
    return pd.DataFrame(
        {
            "bucket": list(BUCKET_NAMES),
            "amount": [round(a, 2) for a in amounts],
            "customers": counts,
            "share": [a / total if total > 0 else None for a in amounts],
        }
    ).astype({"share": "Float64"})


def _top_rows(per: pd.DataFrame, rows: np.ndarray, n: int) -> np.ndarray:
    """The first ``n`` of ``rows`` (positions in ``per``) by overdue_amount, then open_amount, largest
    first, ties in ``rows`` order: ``sort_values(..., ascending=False, kind="stable").head(n)`` without
    sorting every customer (only those whose overdue amount reaches the n-th largest can be listed)."""
    overdue = per["overdue_amount"].to_numpy()
    open_amount = per["open_amount"].to_numpy()
    positive = rows[overdue[rows] > 0]
    if len(positive) >= n:  # the n-th largest overdue amount is positive: only those can be listed
        nth = np.partition(overdue[positive], len(positive) - n)[len(positive) - n]
        rows = positive[overdue[positive] >= nth]
    order = np.lexsort((rows, -open_amount[rows], -overdue[rows]))
    return rows[order][:n]


def _overdue_finding(per: pd.DataFrame, names: pd.Series | None) -> Finding | None:
    amounts = per["overdue_amount"].to_numpy()
    hit = np.flatnonzero(amounts > 0.005)
    if not len(hit):
        return None
    order = hit[np.argsort(-amounts[hit], kind="stable")]  # largest first, ties in customer order
    total = float(amounts[order].sum())
    return Finding(
        "overdue_receivables",
        say(T.FINDING_OVERDUE, count=len(order), amount=money_text(total)),
        per.index[order].astype(str).tolist(),
        round(total, 2),
        "overdue_amount",
        0.0,
    )


def _aging_summary(
    facts: dict[str, FactValue], per: pd.DataFrame, names: pd.Series | None, params: AgingParams
) -> Msg:
    head = say(
        T.AGING_HEAD,
        as_of=facts["as_of"],
        open=money_text(facts["open_amount"]),
        invoices=facts["open_invoices"],
        overdue=money_text(facts["overdue_amount"]),
        overdue_share=pct_text(facts["overdue_share"]),
        customers=facts["customers_with_overdue"],
        over90=money_text(facts["days_90_plus_amount"]),
    )
    dso = say(
        T.DSO_LINE_COUNTBACK if params.dso_method == "countback" else T.DSO_LINE,
        dso=num_text(facts["dso"]),
    )
    late = say(T.LATE_LINE, days=num_text(facts["avg_days_late"]), share=pct_text(facts["late_share"]))
    lines = [head, dso, late]
    if "written_off_rate" in facts:
        lines.append(
            say(
                T.WRITE_OFF_LINE,
                amount=money_text(facts["written_off_amount"]),
                rate=pct_text(facts["written_off_rate"]),
            )
        )
    top = (
        per.iloc[np.flatnonzero(per["overdue_amount"].to_numpy() > 0.005)]
        .sort_values("overdue_amount", ascending=False)
        .head(MAX_SUMMARY_ITEMS)
    )
    if len(top):
        items = [
            say(T.TOP_OVERDUE_ITEM, customer=_label(c, names), amount=money_text(a))
            for c, a in top["overdue_amount"].items()
        ]
        lines.append(say(T.TOP_OVERDUE, items=join(items)))
    return _lines(lines)


def _bucket_chart(table: pd.DataFrame) -> Chart:
    labels = [T.BUCKET_LABELS[b].en for b in table["bucket"]]
    figure = go.Figure(go.Bar(x=labels, y=table["amount"].to_numpy()))
    figure.update_layout(showlegend=False, xaxis={"type": "category"})
    return Chart(T.CHART_BUCKETS, figure)


def _stacked_chart(listing: pd.DataFrame, names: pd.Series | None) -> Chart:
    labels = [_plain_label(c, names) for c in listing.index]
    figure = go.Figure(
        [go.Bar(name=T.BUCKET_LABELS[b].en, x=labels, y=listing[b].to_numpy()) for b in BUCKET_NAMES]
    )
    figure.update_layout(barmode="stack", xaxis={"type": "category"})
    return Chart(T.CHART_STACKED, figure)


# ==================================================================================================
# financial_health
# ==================================================================================================

_RATIO_INPUTS = {
    "debt_ratio": ("total_liabilities", "total_assets"),
    "current_ratio": ("current_assets", "current_liabilities"),
    "quick_ratio": ("current_assets", "inventory", "current_liabilities"),
    "interest_coverage": ("ebit", "interest_expense"),
}


def altman_z(x: tuple[float, float, float, float, float] | np.ndarray, variant: str) -> float | np.ndarray:
    """Altman score Σ coef_k X_k of ``variant`` ('z', 'z_prime', 'z_double_prime').

    X1 = working capital / total assets, X2 = retained earnings / TA, X3 = EBIT / TA,
    X4 = equity (market value for 'z', book value otherwise) / total liabilities, X5 = sales / TA
    (not used by 'z_double_prime').

    >>> round(altman_z((0.2, 0.0, 0.2, 0.1, 2.0), "z"), 4)
    2.96
    """
    coefs = np.array(ALTMAN[variant][0])
    arr = np.array(x, dtype=float)
    if variant == "z_double_prime":
        arr[..., 4] = 0.0  # Z'' has no sales term; a missing X5 must not make it NaN
    out = arr @ coefs
    return float(out) if np.ndim(out) == 0 else out


def altman_zone(score: float | None, variant: str) -> str | None:
    """'distress' below the lower cut-off, 'safe' above the upper one, 'grey' in between (inclusive).

    >>> altman_zone(2.96, "z"), altman_zone(1.80, "z"), altman_zone(3.0, "z")
    ('grey', 'distress', 'safe')
    """
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    low, high = ALTMAN[variant][1]
    return "distress" if score < low else "safe" if score > high else "grey"


def _latest_statements(fin: pd.DataFrame) -> tuple[pd.DataFrame, list[Msg]]:
    warnings: list[Msg] = []
    fin = fin.loc[fin[_ID].notna()]
    if "period" in fin.columns and fin[_ID].duplicated().any():
        order = fin["period"].astype(str).argsort(kind="stable")
        fin = fin.iloc[order]
        warnings.append(T.LATEST_PERIOD_USED)
    elif fin[_ID].duplicated().any():
        warnings.append(T.DUPLICATE_STATEMENTS)
    fin = fin.drop_duplicates(_ID, keep="last")
    return fin.set_index(fin[_ID].astype(str)), warnings


def _column(fin: pd.DataFrame, name: str) -> pd.Series:
    if name in fin.columns:
        return pd.to_numeric(fin[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=fin.index, dtype=float)


def _industry(data: DatasetBundle, ids: pd.Index) -> pd.Series:
    customers = data.get("customers")
    if customers is None or "industry" not in customers.columns or _ID not in customers.columns:
        return pd.Series(pd.NA, index=ids, dtype="object")
    ind = customers.drop_duplicates(_ID).set_index(customers.drop_duplicates(_ID)[_ID].astype(str))[
        "industry"
    ]
    return ind.reindex(ids).astype("object")


def _non_manufacturing(industry: pd.Series) -> pd.Series:
    text = industry.fillna("").astype(str).str.casefold()
    mask = pd.Series(False, index=industry.index)
    for word in NON_MANUFACTURING_WORDS:
        mask |= text.str.contains(word, regex=False)
    return mask


def health_frame(data: DatasetBundle, variant: str = "auto") -> tuple[pd.DataFrame, list[Msg]]:
    """Per-customer ratios, Altman X1..X5, variant, Z, zone and the inputs missing (latest statements).

    Columns: industry, debt_ratio, current_ratio, quick_ratio, interest_coverage, x1..x5, variant,
    z_score, zone, missing_inputs (canonical column names, '' when complete). A ratio whose inputs
    are missing or whose denominator is not positive is NaN and its inputs are listed.
    """
    fin = data.require("financials", [_ID], T.PURPOSE_HEALTH)
    fin, warnings = _latest_statements(fin)
    c = {name: _column(fin, name) for name in (
        "total_assets", "total_liabilities", "current_assets", "current_liabilities", "inventory", "ebit",
        "interest_expense", "retained_earnings", "sales", "equity", "market_value_equity",
    )}  # fmt: skip
    ta = c["total_assets"].where(c["total_assets"] > 0)
    tl_pos = c["total_liabilities"].where(c["total_liabilities"] > 0)
    cl_pos = c["current_liabilities"].where(c["current_liabilities"] > 0)
    out = pd.DataFrame(index=fin.index)
    out.index.name = _ID
    out["industry"] = _industry(data, fin.index)
    out["debt_ratio"] = c["total_liabilities"] / ta
    out["current_ratio"] = c["current_assets"] / cl_pos
    out["quick_ratio"] = (c["current_assets"] - c["inventory"]) / cl_pos
    out["interest_coverage"] = c["ebit"] / c["interest_expense"].where(c["interest_expense"] > 0)
    book_equity = c["equity"].fillna(c["total_assets"] - c["total_liabilities"])
    out["x1"] = (c["current_assets"] - c["current_liabilities"]) / ta
    out["x2"] = c["retained_earnings"] / ta
    out["x3"] = c["ebit"] / ta
    out["x5"] = c["sales"] / ta
    if variant == "auto":
        chosen = np.where(
            _non_manufacturing(out["industry"]) | c["sales"].isna(),
            "z_double_prime",
            np.where(c["market_value_equity"].notna(), "z", "z_prime"),
        )
    else:
        chosen = np.full(len(out), variant)
    out["variant"] = pd.Series(chosen, index=out.index, dtype="str")
    out["x4"] = np.where(chosen == "z", c["market_value_equity"], book_equity) / tl_pos
    # missing inputs per customer, named by canonical column
    needs: dict[str, pd.Series] = {
        "total_assets": ta.isna(),
        "current_assets": c["current_assets"].isna(),
        "current_liabilities": c["current_liabilities"].isna(),
        "retained_earnings": c["retained_earnings"].isna(),
        "ebit": c["ebit"].isna(),
        "total_liabilities": tl_pos.isna(),
        "market_value_equity": pd.Series(chosen == "z", index=out.index) & c["market_value_equity"].isna(),
        "equity": pd.Series(chosen != "z", index=out.index) & book_equity.isna(),
        "sales": pd.Series(chosen != "z_double_prime", index=out.index) & c["sales"].isna(),
    }
    missing = pd.Series("", index=out.index, dtype="str")
    for name, flag in needs.items():
        missing = missing.where(~flag, missing + np.where(missing == "", "", ", ") + name)
    out["missing_inputs"] = missing
    xs = out[["x1", "x2", "x3", "x4", "x5"]].to_numpy(dtype=float)
    z = np.full(len(out), np.nan)
    for v in ALTMAN:
        rows = chosen == v
        if rows.any():
            z[rows] = altman_z(xs[rows], v)
    z = np.where(missing.to_numpy() == "", z, np.nan)
    out["z_score"] = z
    out["zone"] = pd.Series(
        [altman_zone(s, v) for s, v in zip(z, chosen, strict=True)], index=out.index, dtype="object"
    )
    ratio_missing = [
        name
        for name, inputs in _RATIO_INPUTS.items()
        if out[name].isna().any() and any(i not in fin.columns for i in inputs)
    ]
    if ratio_missing:
        warnings.append(say(T.RATIOS_MISSING, ratios=", ".join(ratio_missing)))
    return out, warnings


def financial_health(data: DatasetBundle, params: HealthParams) -> ToolResult:
    """Debt, liquidity and coverage ratios plus the Altman Z-score family, per customer.

    Formula (latest statement per customer; a period column picks the latest)::

        debt_ratio        = total_liabilities / total_assets
        current_ratio     = current_assets / current_liabilities
        quick_ratio       = (current_assets - inventory) / current_liabilities
        interest_coverage = ebit / interest_expense
        X1 = (current_assets - current_liabilities) / TA    X2 = retained_earnings / TA
        X3 = ebit / TA    X4 = equity / total_liabilities    X5 = sales / TA
        Z   = 1.2 X1 + 1.4 X2 + 3.3 X3 + 0.6 X4 + 1.0 X5            (X4 with market value of equity)
              zones: < 1.81 distress, 1.81-2.99 grey, > 2.99 safe           [Altman 1968]
        Z'  = 0.717 X1 + 0.847 X2 + 3.107 X3 + 0.420 X4 + 0.998 X5   (X4 with book equity)
              zones: < 1.23 distress, 1.23-2.90 grey, > 2.90 safe           [Altman 2000]
        Z'' = 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4                  (X4 with book equity)
              zones: < 1.10 distress, 1.10-2.60 grey, > 2.60 safe           [Altman 2000]

    Variant ``auto`` per customer: a non-manufacturing industry (customers.industry, see
    NON_MANUFACTURING_WORDS) or no sales -> Z''; else market value of equity present -> Z; else Z'.
    Book equity = the equity column, else total_assets - total_liabilities. A customer missing an input
    of its variant gets no Z (missing_inputs names the columns) rather than a wrong number; a ratio
    with a missing input or a denominator <= 0 is left empty.

    Worked check: X1..X5 = 0.2, 0, 0.2, 0.1, 2.0 -> Z = 0.24 + 0 + 0.66 + 0.06 + 2.0 = 2.96 (grey).

    Facts: customers, scored_customers, not_scored_customers, distress_customers, grey_customers,
    safe_customers, customers_z, customers_z_prime, customers_z_double_prime, median_z (of the
    customers' own variants; zones differ per variant), median_current_ratio, median_quick_ratio,
    median_debt_ratio, median_interest_coverage, exposure_distress (open receivables of distress-zone
    customers, when invoices are loaded).

    Findings: ``financial_distress``: customers in their variant's distress zone (value = their open
    receivables when invoices are loaded; lowest Z first).
    """
    frame, warnings = health_frame(data, params.variant)
    names = _names(data)
    exposure = _open_by_customer(data)
    frame["open_amount"] = exposure.reindex(frame.index) if exposure is not None else np.nan
    scored = frame["z_score"].notna()
    zones = frame["zone"].value_counts()
    distress = frame.loc[frame["zone"] == "distress"].sort_values("z_score", kind="stable")
    facts: dict[str, FactValue] = {
        "customers": len(frame),
        "scored_customers": int(scored.sum()),
        "not_scored_customers": int((~scored).sum()),
        "distress_customers": int(zones.get("distress", 0)),
        "grey_customers": int(zones.get("grey", 0)),
        "safe_customers": int(zones.get("safe", 0)),
    }
    for v in ALTMAN:
        facts[f"customers_{v}"] = int(((frame["variant"] == v) & scored).sum())
    facts |= {
        "variant": params.variant,
        "median_z": _r(_median(frame["z_score"]), 3),
        "median_current_ratio": _r(_median(frame["current_ratio"]), 3),
        "median_quick_ratio": _r(_median(frame["quick_ratio"]), 3),
        "median_debt_ratio": _r(_median(frame["debt_ratio"]), 4),
        "median_interest_coverage": _r(_median(frame["interest_coverage"]), 3),
    }
    if exposure is not None:
        facts["exposure_distress"] = _r(float(distress["open_amount"].fillna(0).sum()))
    findings = []
    if len(distress):
        findings.append(
            Finding(
                "financial_distress",
                say(T.FINDING_DISTRESS, count=len(distress)),
                list(distress.index.astype(str)),
                _r(float(distress["open_amount"].fillna(0).sum())) if exposure is not None else None,
                "z_score",
                None,
            )
        )
    listing = frame
    if params.zone:
        listing = listing.loc[listing["zone"] == params.zone]
    if params.customer:
        listing = listing.loc[listing.index.isin(_match_customer(params.customer, frame.index, names))]
    listing = listing.sort_values("z_score", kind="stable", na_position="last").head(params.n)
    columns = ["industry", "variant", "z_score", "zone", "x1", "x2", "x3", "x4", "x5", "debt_ratio", "current_ratio",
               "quick_ratio", "interest_coverage", "open_amount", "missing_inputs"]  # fmt: skip
    table = _with_names(listing[columns], names)
    summary = _health_summary(facts, frame, distress, names, params)
    if facts["not_scored_customers"]:
        warnings.append(
            say(T.NOT_SCORED, count=facts["not_scored_customers"], examples=_missing_examples(frame))
        )
    method = Method(
        T.HEALTH_FORMULA,
        params.model_dump(mode="json"),
        [T.HEALTH_ASSUMPTIONS],
        None,
        len(frame),
    )
    return ToolResult(
        "financial_health",
        summary,
        facts,
        [Table("financial_health", table, T.TABLE_HEALTH)],
        [_z_chart(listing.head(MAX_CHART_CUSTOMERS * 2), names)],
        method,
        findings,
        warnings,
    )


def _missing_examples(frame: pd.DataFrame) -> str:
    rows = frame.loc[frame["z_score"].isna()].head(3)
    return "; ".join(f"{c}: {m}" for c, m in rows["missing_inputs"].items())


def _health_summary(
    facts: dict[str, FactValue],
    frame: pd.DataFrame,
    distress: pd.DataFrame,
    names: pd.Series | None,
    params: HealthParams,
) -> Msg:
    variants = [
        say(T.VARIANT_COUNT, variant=T.VARIANT_NAMES[v], count=facts[f"customers_{v}"])
        for v in ALTMAN
        if facts[f"customers_{v}"]
    ]
    head = say(
        T.HEALTH_HEAD,
        customers=facts["customers"],
        scored=facts["scored_customers"],
        variants=join(variants) if variants else "-",
        distress=facts["distress_customers"],
        grey=facts["grey_customers"],
        safe=facts["safe_customers"],
    )
    ratios = say(
        T.HEALTH_RATIOS,
        current=num_text(facts["median_current_ratio"], 2),
        quick=num_text(facts["median_quick_ratio"], 2),
        debt=pct_text(facts["median_debt_ratio"]),
        coverage=num_text(facts["median_interest_coverage"], 1),
    )
    lines = [head, ratios]
    if len(distress):
        items = [
            say(
                T.Z_ITEM,
                customer=_label(c, names),
                z=num_text(row.z_score, 2),
                variant=T.VARIANT_NAMES[row.variant],
            )
            for c, row in distress.head(MAX_SUMMARY_ITEMS).iterrows()
        ]
        lines.append(say(T.DISTRESS_LIST, items=join(items)))
    if params.customer:
        ids = _match_customer(params.customer, frame.index, names)
        for c in ids[:MAX_SUMMARY_ITEMS]:
            row = frame.loc[c]
            lines.append(
                say(
                    T.HEALTH_CUSTOMER,
                    customer=_label(c, names),
                    z=num_text(row["z_score"], 2),
                    variant=T.VARIANT_NAMES[row["variant"]],
                    zone=T.ZONE_NAMES.get(row["zone"], T.NOT_SCORED_ZONE),
                    current=num_text(row["current_ratio"], 2),
                    quick=num_text(row["quick_ratio"], 2),
                    debt=pct_text(row["debt_ratio"]),
                    coverage=num_text(row["interest_coverage"], 1),
                    missing=row["missing_inputs"] or "-",
                )
            )
    return _lines(lines)


def _z_chart(listing: pd.DataFrame, names: pd.Series | None) -> Chart:
    colours = {"distress": "#d62728", "grey": "#7f7f7f", "safe": "#2ca02c"}
    rows = listing.loc[listing["z_score"].notna()]
    figure = go.Figure(
        go.Bar(
            x=[_plain_label(c, names) for c in rows.index],
            y=rows["z_score"].to_numpy(),
            marker_color=[colours.get(z, "#1f77b4") for z in rows["zone"]],
            text=list(rows["variant"]),
        )
    )
    figure.update_layout(showlegend=False, xaxis={"type": "category"})
    return Chart(T.CHART_Z, figure)


def _open_by_customer(data: DatasetBundle) -> pd.Series | None:
    if not data.has("invoices", [_ID, "invoice_date", "due_date", "amount"]):
        return None
    try:
        prep = _prepare_invoices(data, None, None, T.PURPOSE_AGING)
    except ToolInputError:
        return None
    return prep.frame.groupby(_ID)["open_amount"].sum()


# ==================================================================================================
# credit_risk
# ==================================================================================================


@cache
def scorecard() -> dict[str, Any]:
    """The scorecard configuration (tools/credit_scorecard.toml), read once."""
    with SCORECARD_PATH.open("rb") as fh:
        return tomllib.load(fh)


def band_points(values: pd.Series, bands: list[dict[str, float]]) -> pd.Series:
    """Points per value: the largest ``points`` among bands whose ``above`` (value > above) or ``below``
    (value < below) applies; 0 when none does or the value is missing.

    >>> band_points(pd.Series([3.0, 20.0, 70.0, None]), [{"above": 5, "points": 5}, {"above": 60, "points": 30}]).tolist()
    [0.0, 5.0, 30.0, 0.0]
    """
    v = values.astype(float)
    points = pd.Series(0.0, index=values.index)
    for band in bands:
        hit = v > band["above"] if "above" in band else v < band["below"]
        points = points.where(~(hit.fillna(False)) | (points >= band["points"]), float(band["points"]))
    return points


def days_late_trend(prep: _Invoices, recent_invoices: int, min_prior_invoices: int) -> pd.DataFrame:
    """Per customer: mean observed days late of its last ``recent_invoices`` invoices by due date
    (recent_days_late), of its earlier ones (prior_days_late) and change = recent - prior.

    Observed days late: paid by as_of -> max(paid_date - due_date, 0); open and past due -> as_of -
    due_date so far (a lower bound). Invoices not yet due and credit notes are left out. The change is
    NaN unless the customer has ``recent_invoices`` recent and ``min_prior_invoices`` earlier invoices.
    """
    f = prep.frame.loc[prep.frame["observed_late"].notna(), [_ID, "due_date", "observed_late"]]
    f = f.sort_values([_ID, "due_date"], kind="stable")
    recent = f.groupby(_ID, sort=False).cumcount(ascending=False).to_numpy() < recent_invoices
    late = f["observed_late"]
    grouped = pd.DataFrame({"recent": late.where(recent), "prior": late.where(~recent)}).groupby(
        f[_ID].to_numpy(), sort=True
    )
    n, mean = grouped.count(), grouped.mean()
    out = pd.DataFrame(index=mean.index)
    out["recent_days_late"] = mean["recent"]
    out["prior_days_late"] = mean["prior"]
    enough = (n["recent"] >= recent_invoices) & (n["prior"] >= min_prior_invoices)
    out["days_late_change"] = (mean["recent"] - mean["prior"]).where(enough)
    return out


def score_customers(features: pd.DataFrame, card: dict[str, Any] | None = None) -> pd.DataFrame:
    """Scorecard points lost per factor, score, grade and reasons.

    ``features`` columns (missing values are not scored): avg_days_late, late_share, overdue_share,
    days_90_plus (open amount > 90 days past due), written_off_amount, days_late_change, zone,
    current_ratio, debt_ratio. score = start_points - Σ points lost, floored at 0; grade = the first
    grade (best first) whose min_score the score reaches.
    """
    card = card or scorecard()
    pay, fin = card["payment"], card["financial"]
    lost = pd.DataFrame(index=features.index)
    lost["avg_days_late"] = band_points(features["avg_days_late"], pay["avg_days_late"]["bands"])
    lost["late_share"] = band_points(features["late_share"], pay["late_share"]["bands"])
    lost["overdue_share"] = band_points(features["overdue_share"], pay["overdue_share"]["bands"])
    lost["severely_overdue"] = np.where(
        features["days_90_plus"].fillna(0) > 0.005, pay["severely_overdue"]["points"], 0.0
    )
    lost["written_off"] = np.where(
        features["written_off_amount"].fillna(0) > 0.005, pay["written_off"]["points"], 0.0
    )
    det = pay["deteriorating"]
    lost["deteriorating"] = np.where(
        features["days_late_change"].fillna(-np.inf) > det["min_increase_days"], det["points"], 0.0
    )
    zone_points = fin["z_zone"]
    lost["z_zone"] = (
        features["zone"].map({z: float(p) for z, p in zone_points.items()}).astype(float).fillna(0.0)
    )
    lost["current_ratio"] = band_points(features["current_ratio"], fin["current_ratio"]["bands"])
    lost["debt_ratio"] = band_points(features["debt_ratio"], fin["debt_ratio"]["bands"])
    out = pd.DataFrame(index=features.index)
    out["points_lost"] = lost.sum(axis=1)
    out["score"] = (card["start_points"] - out["points_lost"]).clip(lower=0)
    grades = sorted(card["grades"], key=lambda g: -g["min_score"])
    out["grade"] = pd.Series(
        np.select(
            [out["score"] >= g["min_score"] for g in grades],
            [g["grade"] for g in grades],
            grades[-1]["grade"],
        ),
        index=features.index,
        dtype="str",
    )
    # the reasons text of each distinct combination of points lost, then spread to the customers
    combo, combos = pd.MultiIndex.from_frame(lost).factorize()
    texts = [
        "; ".join(
            f"{k} -{int(v) if float(v).is_integer() else v}"
            for k, v in zip(lost.columns, c, strict=True)
            if v > 0
        )
        for c in combos
    ]
    out["reasons"] = pd.Series(
        np.array(texts, dtype=object)[combo] if len(lost) else [], index=lost.index, dtype="str"
    )
    return pd.concat([out, lost.add_prefix("lost_")], axis=1)


def credit_risk(data: DatasetBundle, params: CreditRiskParams) -> ToolResult:
    """Transparent credit scorecard (grade A-E) with reasons and a recommended credit action per customer.

    Every customer with invoices starts at ``start_points`` (100) and loses the points of
    tools/credit_scorecard.toml for: avg days late, share paid late, overdue share of its open balance,
    any amount > 90 days past due, any write-off, days late rising (deteriorating), and, when financial
    statements are loaded, its Altman zone (financial_health, variant auto), current ratio and debt
    ratio. Missing inputs cost nothing (the reasons say what was scored). Grade: the first grade whose
    min_score the score reaches (A 85, B 70, C 55, D 40, E below, as configured).

    Recommended action (per grade, from the toml)::

        monthly_sales     = credit sales of the trailing ``exposure.months`` months / months
        recommended_limit = limit_months[grade] x monthly_sales
        limit_gap         = open_amount - recommended_limit (> 0: exposure above the limit -> reduce)
        terms_days, prepayment_share (deposit for D, prepayment for E)

    Deteriorating payer: mean observed days late of the customer's last ``recent_invoices`` (3)
    invoices minus that of its earlier ones (at least ``min_prior_invoices``, 2) > ``min_increase_days``
    (15) (see ``days_late_trend``).

    Facts: as_of, customers, customers_grade_a .. customers_grade_e, high_risk_customers,
    exposure_high_risk (open receivables of grades D/E), deteriorating_payers, limit_reductions
    (customers whose open balance exceeds the recommended limit), open_amount, overdue_amount,
    financials_used (customers scored with an Altman zone).

    Findings: ``overdue_receivables`` (as receivables_aging), ``high_credit_risk`` (grades D/E; value =
    their open receivables), ``deteriorating_payer`` (value = their open receivables; metric
    days_late_change, threshold min_increase_days).
    """
    card = scorecard()
    prep = _prepare_invoices(data, params.as_of, params.currency, T.PURPOSE_CREDIT)
    per = _customer_aging(prep)
    det = card["payment"]["deteriorating"]
    trend = days_late_trend(prep, int(det["recent_invoices"]), int(det["min_prior_invoices"]))
    features = per.join(trend)
    warnings = list(prep.warnings)
    health = None
    if data.has("financials", [_ID]):
        health, health_warnings = health_frame(data, "auto")
        warnings += health_warnings
    for col in ("zone", "current_ratio", "debt_ratio"):
        features[col] = health[col].reindex(features.index) if health is not None else np.nan
    if health is None:
        warnings.append(T.NO_FINANCIALS)
    features["zone"] = features["zone"].astype("object")
    scored = score_customers(features, card)
    months = int(card["exposure"]["months"])
    start = prep.as_of - pd.DateOffset(months=months)
    window = prep.frame["invoice_date"] > start
    codes, _ = prep.customer_codes  # per.index is the sorted customer ids of these codes
    in_window = np.where(window.to_numpy(), prep.frame["amount"].to_numpy(), 0.0)
    monthly = pd.Series(np.bincount(codes, weights=in_window, minlength=len(per)), index=per.index) / months
    grade_cfg = {g["grade"]: g for g in card["grades"]}
    out = pd.concat([features, scored], axis=1)
    out["monthly_sales"] = monthly.round(2)

    def per_grade(key: str) -> pd.Series:
        return out["grade"].map({g: cfg[key] for g, cfg in grade_cfg.items()})

    out["recommended_limit"] = (per_grade("limit_months") * monthly.clip(lower=0)).round(2)
    out["limit_gap"] = (out["open_amount"] - out["recommended_limit"]).round(2)
    out["terms_days"] = per_grade("terms_days").astype(int)
    out["prepayment_share"] = per_grade("prepayment_share").astype(float)
    out["deteriorating"] = out["lost_deteriorating"] > 0
    out["action"] = _actions(out)
    high_grades = list(card["exposure"]["high_risk_grades"])
    high = out.loc[out["grade"].isin(high_grades)].sort_values(
        ["open_amount"], ascending=False, kind="stable"
    )
    deteriorating = out.loc[out["deteriorating"]].sort_values("open_amount", ascending=False, kind="stable")
    names = _names(data)
    facts: dict[str, FactValue] = {"as_of": prep.as_of.date().isoformat(), "customers": len(out)}
    counts = out["grade"].value_counts()
    for g in grade_cfg:
        facts[f"customers_grade_{g.lower()}"] = int(counts.get(g, 0))
    facts |= {
        "high_risk_customers": len(high),
        "exposure_high_risk": _r(float(high["open_amount"].sum())),
        "deteriorating_payers": len(deteriorating),
        "limit_reductions": int((out["limit_gap"] > 0.005).sum()),
        "open_amount": _r(float(out["open_amount"].sum())),
        "overdue_amount": _r(float(out["overdue_amount"].sum())),
        "financials_used": int(out["zone"].notna().sum()),
    }
    if prep.currency is not None:
        facts["currency"] = prep.currency
    findings: list[Finding] = []
    overdue = _overdue_finding(per, names)
    if overdue is not None:
        findings.append(overdue)
    if len(high):
        findings.append(
            Finding(
                "high_credit_risk",
                say(
                    T.FINDING_HIGH_RISK,
                    count=len(high),
                    grades="/".join(high_grades),
                    amount=money_text(facts["exposure_high_risk"]),
                ),
                list(high.index.astype(str)),
                facts["exposure_high_risk"],  # type: ignore[arg-type]
                "grade",
                None,
            )
        )
    if len(deteriorating):
        findings.append(
            Finding(
                "deteriorating_payer",
                say(
                    T.FINDING_DETERIORATING, count=len(deteriorating), days=num_text(det["min_increase_days"])
                ),
                list(deteriorating.index.astype(str)),
                _r(float(deteriorating["open_amount"].sum())),
                "days_late_change",
                float(det["min_increase_days"]),
            )
        )
    listing = out.sort_values(["score", "open_amount"], ascending=[True, False], kind="stable")
    if params.grade:
        listing = listing.loc[listing["grade"] == params.grade]
    if params.customer:
        listing = listing.loc[listing.index.isin(_match_customer(params.customer, out.index, names))]
    listing = listing.head(params.n)
    columns = ["grade", "score", "points_lost", "reasons", "action", "open_amount", "overdue_amount", "overdue_share",
               "avg_days_late", "late_share", "days_late_change", "deteriorating", "zone", "current_ratio",
               "debt_ratio", "monthly_sales", "recommended_limit", "limit_gap", "terms_days", "prepayment_share"]  # fmt: skip
    table = _with_names(listing[columns], names)
    grade_table = _grade_table(out, grade_cfg)
    summary = _credit_summary(facts, listing, names, params, grade_cfg)
    formula = say(
        T.CREDIT_FORMULA,
        start=card["start_points"],
        recent=det["recent_invoices"],
        increase=num_text(det["min_increase_days"]),
        grades="/".join(grade_cfg),
        months=months,
    )
    method = Method(
        formula,
        params.model_dump(mode="json") | {"scorecard": str(SCORECARD_PATH.name)},
        [T.CREDIT_ASSUMPTIONS, _scorecard_text(card)],
        prep.as_of.date(),
        prep.rows_used,
    )
    return ToolResult(
        "credit_risk",
        summary,
        facts,
        [Table("credit_scorecard", table, T.TABLE_CREDIT), Table("grades", grade_table, T.TABLE_GRADES)],
        [_grade_chart(grade_table)],
        method,
        findings,
        warnings,
    )


def _actions(out: pd.DataFrame) -> np.ndarray:
    """``_action`` of every row at once (the same rules, first match wins)."""
    share = out["prepayment_share"].to_numpy(dtype=float)
    review = (out["grade"] == "C").to_numpy() | out["deteriorating"].to_numpy(dtype=bool)
    return np.select(
        [share >= 1, share > 0, out["limit_gap"].to_numpy(dtype=float) > 0.005, review],
        ["prepayment", "deposit", "reduce_limit", "review"],
        "standard",
    ).astype(object)


def _action(row: pd.Series) -> str:
    """Canonical action code: prepayment, deposit, reduce_limit, review, standard."""
    if row["prepayment_share"] >= 1:
        return "prepayment"
    if row["prepayment_share"] > 0:
        return "deposit"
    if row["limit_gap"] > 0.005:
        return "reduce_limit"
    if row["grade"] == "C" or row["deteriorating"]:
        return "review"
    return "standard"


def _grade_table(out: pd.DataFrame, grade_cfg: dict[str, dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for g, cfg in grade_cfg.items():
        members = out.loc[out["grade"] == g]
        rows.append(
            {
                "grade": g,
                "min_score": cfg["min_score"],
                "customers": len(members),
                "open_amount": round(float(members["open_amount"].sum()), 2),
                "overdue_amount": round(float(members["overdue_amount"].sum()), 2),
                "limit_months": float(cfg["limit_months"]),
                "terms_days": int(cfg["terms_days"]),
                "prepayment_share": float(cfg["prepayment_share"]),
            }
        )
    return pd.DataFrame(rows)


def _grade_chart(grades: pd.DataFrame) -> Chart:
    figure = go.Figure(
        go.Bar(x=list(grades["grade"]), y=grades["open_amount"].to_numpy(), text=list(grades["customers"]))
    )
    figure.update_layout(showlegend=False, xaxis={"type": "category"})
    return Chart(T.CHART_GRADES, figure)


def _scorecard_text(card: dict[str, Any]) -> Msg:
    grades = ", ".join(f"{g['grade']} >= {g['min_score']}" for g in card["grades"])
    return say(T.SCORECARD_TEXT, start=card["start_points"], grades=grades)


def _credit_summary(
    facts: dict[str, FactValue],
    listing: pd.DataFrame,
    names: pd.Series | None,
    params: CreditRiskParams,
    grade_cfg: dict[str, Any],
) -> Msg:
    head = say(
        T.CREDIT_HEAD,
        as_of=facts["as_of"],
        customers=facts["customers"],
        a=facts["customers_grade_a"],
        b=facts["customers_grade_b"],
        c=facts["customers_grade_c"],
        d=facts["customers_grade_d"],
        e=facts["customers_grade_e"],
        high=facts["high_risk_customers"],
        exposure=money_text(facts["exposure_high_risk"]),
        deteriorating=facts["deteriorating_payers"],
        reductions=facts["limit_reductions"],
    )
    lines = [head]
    items = []
    for c, row in listing.head(MAX_SUMMARY_ITEMS).iterrows():
        reasons = join([_reason(k) for k in _lost_factors(row)]) if row["points_lost"] > 0 else T.NO_REASONS
        items.append(
            say(
                T.CREDIT_ITEM,
                customer=_label(c, names),
                grade=row["grade"],
                score=num_text(row["score"]),
                reasons=reasons,
                action=say(
                    T.ACTIONS[row["action"]],
                    limit=money_text(row["recommended_limit"]),
                    terms=row["terms_days"],
                    share=pct_text(row["prepayment_share"], 0),
                ),
            )
        )
    if items:
        lines.append(say(T.CREDIT_LIST, items=_lines(items)))
    return _lines(lines)


_FACTORS = ("avg_days_late", "late_share", "overdue_share", "severely_overdue", "written_off", "deteriorating",
            "z_zone", "current_ratio", "debt_ratio")  # fmt: skip


def _lost_factors(row: pd.Series) -> list[str]:
    return [f for f in _FACTORS if row[f"lost_{f}"] > 0]


def _reason(factor: str) -> Msg:
    return T.FACTOR_NAMES[factor]


# ==================================================================================================
# Small helpers
# ==================================================================================================


def _names(data: DatasetBundle) -> pd.Series | None:
    customers = data.get("customers")
    if customers is None or "name" not in customers.columns or _ID not in customers.columns:
        return None
    unique = customers.drop_duplicates(_ID)
    return pd.Series(unique["name"].to_numpy(), index=unique[_ID].astype(str).to_numpy())


def _with_names(frame: pd.DataFrame, names: pd.Series | None) -> pd.DataFrame:
    out = frame.reset_index()
    out[_ID] = out[_ID].astype(str)
    if names is not None:
        out.insert(1, "name", names.reindex(out[_ID]).to_numpy())
    return out


def _label(customer_id: object, names: pd.Series | None) -> str:
    return _plain_label(customer_id, names)


def _plain_label(customer_id: object, names: pd.Series | None) -> str:
    name = names.get(str(customer_id)) if names is not None else None
    return f"{name} ({customer_id})" if isinstance(name, str) and name else str(customer_id)


def _match_customer(query: str, ids: pd.Index, names: pd.Series | None) -> list[str]:
    """Ids matching ``query``: exact id, exact name (case-insensitive), else partial name; else an error."""
    q = query.strip().casefold()
    id_list = [str(i) for i in ids]
    exact = [i for i in id_list if i.casefold() == q]
    if exact:
        return exact
    if names is not None:
        known = names.reindex(id_list)
        by_name = [i for i, n in zip(id_list, known, strict=True) if isinstance(n, str) and n.casefold() == q]
        if by_name:
            return by_name
        partial = [i for i, n in zip(id_list, known, strict=True) if isinstance(n, str) and q in n.casefold()]
        if partial:
            return partial[:20]
    close = difflib.get_close_matches(query, id_list, n=3)
    raise ToolInputError(say(T.UNKNOWN_CUSTOMER, customer=query, close=", ".join(close) or "-"))


def _median(values: pd.Series) -> float | None:
    v = values.replace([np.inf, -np.inf], np.nan).dropna()
    return float(v.median()) if len(v) else None


def _r(value: object, digits: int = 2) -> float | None:
    if value is None:
        return None
    v = float(value)  # type: ignore[arg-type]
    return None if math.isnan(v) or math.isinf(v) else round(v, digits)


def _lines(items: list[Msg]) -> Msg:
    return Msg("\n".join(i.en for i in items), "\n".join(i.zh for i in items))
