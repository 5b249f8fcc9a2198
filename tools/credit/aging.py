"""receivables_aging: open invoice amounts by days past due (current, 1-30, 31-60, 61-90, 90+) overall
and per customer, overdue amount and share, DSO (simple or countback), days late, write-offs.

Findings: ``overdue_receivables``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import invoices as S
from prompts import receivables_aging as W
from tools.bundle import DatasetBundle
from tools.credit.common import (
    ID,
    MAX_CHART_CUSTOMERS,
    MAX_SUMMARY_ITEMS,
    joined_lines,
    r,
)
from tools.credit.invoices import (
    BUCKET_NAMES,
    COUNTBACK_MONTHS,
    CreditParams,
    Invoices,
    countback_all,
    customer_aging,
    dso_countback,
    dso_simple,
    month_edges,
    prepare_in_place,
    prepare_invoices,
)
from tools.customer_rows import Names, customer_names, match_customers, plain_label, with_names
from tools.data.relation import is_relation
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.wording import join, money_text, num_text, pct_text, say


class AgingParams(CreditParams):
    """Receivables ageing and DSO at a reference date."""

    dso_method: Literal["simple", "countback"] = Field(
        "simple",
        description="'simple': open receivables / credit sales of the trailing 90 days x 90. 'countback': "
        "walk back month by month subtracting each month's credit sales from the open balance.",
    )


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
    rows = data.rows("invoices", [ID, "invoice_date", "due_date", "amount"], S.PURPOSE_AGING)
    if is_relation(rows) and params.dso_method == "simple":  # invoices in a database or Parquet files
        prep, per = prepare_in_place(rows, params.as_of, params.currency)
    else:
        prep = prepare_invoices(data, params.as_of, params.currency, S.PURPOSE_AGING)
        per = customer_aging(prep)
    as_of = prep.as_of
    names = customer_names(data, None)
    if params.dso_method == "countback":
        cb, complete = countback_all(prep.frame, per["open_amount"], as_of)
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
        warnings.append(say(W.COUNTBACK_INCOMPLETE, months=COUNTBACK_MONTHS))
    if dso is None:
        warnings.append(W.DSO_NO_SALES)

    bucket_table = _bucket_table(per)
    rows = np.arange(len(per))
    if params.customer:
        rows = rows[per.index.isin(match_customers(data, per.index.to_frame(), names, params.customer))]
    listing = per.iloc[_top_rows(per, rows, params.n)]
    table = with_names(
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
    findings = [f for f in [overdue_finding(per, names)] if f is not None]
    summary = _aging_summary(facts, per, names, params)
    method = Method(
        W.AGING_FORMULA_COUNTBACK if params.dso_method == "countback" else W.AGING_FORMULA,
        params.model_dump(mode="json"),
        [W.AGING_ASSUMPTIONS] + ([W.WRITE_OFF_ASSUMPTION] if prep.has_written_off else []),
        as_of.date(),
        prep.rows_used,
    )
    return ToolResult(
        "receivables_aging",
        summary,
        facts,
        [
            Table("aging_buckets", bucket_table, W.TABLE_BUCKETS),
            Table("customer_aging", table, W.TABLE_CUSTOMERS),
        ],
        charts,
        method,
        findings,
        warnings,
    )


def _month_sales(inv: pd.DataFrame, as_of: pd.Timestamp) -> tuple[list[float], list[int]]:
    edges = month_edges(as_of, COUNTBACK_MONTHS)
    sales, days = [], []
    dates, amounts = inv["invoice_date"], inv["amount"]
    for i in range(COUNTBACK_MONTHS):
        mask = (dates > edges[i + 1]) & (dates <= edges[i])
        sales.append(float(amounts[mask].sum()))
        days.append((edges[i] - edges[i + 1]).days)
    return sales, days


def _aging_facts(prep: Invoices, per: pd.DataFrame, dso: float | None, method: str) -> dict[str, FactValue]:
    open_amount = float(per["open_amount"].sum())
    overdue = float(per["overdue_amount"].sum())
    paid = int(per["paid_invoices"].sum())
    facts: dict[str, FactValue] = {
        "as_of": prep.as_of.date().isoformat(),
        "customers": len(per),
        "open_amount": r(open_amount),
        "overdue_amount": r(overdue),
        "overdue_share": r(overdue / open_amount, 4) if open_amount > 0 else None,
    }
    for name in BUCKET_NAMES:
        facts[f"{name}_amount"] = r(float(per[name].sum()))
    facts |= {
        "open_invoices": int(per["open_invoices"].sum()),
        "overdue_invoices": int(per["overdue_invoices"].sum()),
        "customers_with_overdue": int((per["overdue_amount"] > 0.005).sum()),
        "dso": r(dso, 1),
        "dso_method": method,
        "avg_days_late": r(float(per["days_late_sum"].sum()) / paid, 1) if paid else None,
        "late_share": r(float(per["late_invoices"].sum()) / paid, 4) if paid else None,
    }
    if prep.has_written_off:
        invoiced = float(per["invoiced"].sum())
        written = float(per["written_off_amount"].sum())
        facts["written_off_amount"] = r(written)
        facts["written_off_rate"] = r(written / invoiced, 4) if invoiced > 0 else None
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


def overdue_finding(per: pd.DataFrame, names: Names) -> Finding | None:
    amounts = per["overdue_amount"].to_numpy()
    hit = np.flatnonzero(amounts > 0.005)
    if not len(hit):
        return None
    order = hit[np.argsort(-amounts[hit], kind="stable")]  # largest first, ties in customer order
    total = float(amounts[order].sum())
    return Finding(
        "overdue_receivables",
        say(W.FINDING_OVERDUE, count=len(order), amount=money_text(total)),
        per.index[order].astype(str).tolist(),
        round(total, 2),
        "overdue_amount",
        0.0,
    )


def _aging_summary(facts: dict[str, FactValue], per: pd.DataFrame, names: Names, params: AgingParams) -> Msg:
    head = say(
        W.AGING_HEAD,
        as_of=facts["as_of"],
        open=money_text(facts["open_amount"]),
        invoices=facts["open_invoices"],
        overdue=money_text(facts["overdue_amount"]),
        overdue_share=pct_text(facts["overdue_share"]),
        customers=facts["customers_with_overdue"],
        over90=money_text(facts["days_90_plus_amount"]),
    )
    dso = say(
        W.DSO_LINE_COUNTBACK if params.dso_method == "countback" else W.DSO_LINE,
        dso=num_text(facts["dso"]),
    )
    late = say(W.LATE_LINE, days=num_text(facts["avg_days_late"]), share=pct_text(facts["late_share"]))
    lines = [head, dso, late]
    if "written_off_rate" in facts:
        lines.append(
            say(
                W.WRITE_OFF_LINE,
                amount=money_text(facts["written_off_amount"]),
                rate=pct_text(facts["written_off_rate"]),
            )
        )
    overdue = per["overdue_amount"]  # one column, not the frame: millions of customers on a live source
    top = overdue.iloc[np.flatnonzero(overdue.to_numpy() > 0.005)].sort_values(ascending=False)
    top = top.head(MAX_SUMMARY_ITEMS)
    if len(top):
        items = [
            say(W.TOP_OVERDUE_ITEM, customer=plain_label(c, names.get(c)), amount=money_text(a))
            for c, a in top.items()
        ]
        lines.append(say(W.TOP_OVERDUE, items=join(items)))
    return joined_lines(lines)


def _bucket_chart(table: pd.DataFrame) -> Chart:
    labels = [W.BUCKET_LABELS[b].en for b in table["bucket"]]
    figure = go.Figure(go.Bar(x=labels, y=table["amount"].to_numpy()))
    figure.update_layout(showlegend=False, xaxis={"type": "category"})
    return Chart(W.CHART_BUCKETS, figure)


def _stacked_chart(listing: pd.DataFrame, names: Names) -> Chart:
    labels = [plain_label(c, names.get(c)) for c in listing.index]
    figure = go.Figure(
        [go.Bar(name=W.BUCKET_LABELS[b].en, x=labels, y=listing[b].to_numpy()) for b in BUCKET_NAMES]
    )
    figure.update_layout(barmode="stack", xaxis={"type": "category"})
    return Chart(W.CHART_STACKED, figure)


SPEC = ToolSpec(
    "receivables_aging",
    AgingParams,
    receivables_aging,
    requires=('invoices',),
    findings=('overdue_receivables',),
    words=W,
    order=130,
)
