"""Customer value tools: dataset_overview, customer_profitability, profit_concentration, rfm_segments and
customer_lifetime_value (historical model).

Each tool is ``fn(data: DatasetBundle, params) -> ToolResult``. Transaction rows are read once through
``tools.aggregate`` (the scale seam); everything here works on the small per-customer frames it returns.
Answer texts are in ``prompts/value.py``; every formula, threshold and finding is stated per tool below.

Common behaviour
----------------
- Period: ``start``/``end`` keep transactions with start <= date <= end; an empty period raises
  ToolInputError ("no transactions between ...").
- Currency: when transactions carry several currencies nothing is summed across them.
  customer_profitability computes every figure per currency (a ``currency`` column, per-currency facts
  suffixed with the code); the other tools analyse one currency (``currency``, default the most common)
  and warn.
- Names: customer names (customers table, else a name column in the transactions) are shown with ids.
- ``customer`` (an exact id or name, case-insensitive, else a partial name matching at most
  MAX_NAME_MATCHES customers) restricts the listing; ids never match partially; an unknown customer
  raises ToolInputError with the closest ids and names.

Period filter, currencies, names and customer matching live in ``tools.customer_rows`` (shared with
clv_tool and churn); list and chart helpers in ``tools.wording`` and ``tools.charts``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import value as T
from tools import aggregate
from tools.bundle import KIND_NAMES, KINDS, REQUIRED, DatasetBundle
from tools.charts import bar_chart
from tools.customer_rows import (
    PERIODS,
    Names,
    as_bool,
    cost_warnings,
    customer_attribute,
    customer_ids,
    customer_names,
    customers_column,
    dim_name,
    match_customers,
    name_column,
    no_tx_for,
    plain_label,
    prepare,
    with_names,
)
from tools.errors import ToolInputError
from tools.formatting import pct
from tools.params import PeriodParams, RankParams, ToolParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.wording import (
    MAX_SUMMARY_ITEMS,
    fact,
    iso,
    items_text,
    join,
    money_text,
    num_text,
    pct_text,
    ratio,
    say,
    sentences,
)

ProfitMetric = Literal[
    "profit", "revenue", "gross_profit", "net_profit", "margin", "cost", "cost_to_serve", "orders"
]
RFMSegment = Literal[
    "Champions", "Loyal", "Potential loyalists", "New", "Promising", "Need attention", "About to sleep",
    "At risk", "Can't lose them", "Hibernating", "Lost",
]  # fmt: skip

#: high_cost_to_serve: cost_to_serve above this share of gross profit (or any when gross profit <= 0).
HIGH_COST_TO_SERVE_SHARE = 0.30
#: high_profit_concentration: the top TOP_SHARE of customers make more than this share of profit.
HIGH_CONCENTRATION_SHARE = 0.80
TOP_SHARE = 0.20
#: ABC classes: A until the customers ranked before reach 80% of positive profit, B until 95%, C the rest.
ABC_LIMITS = (0.80, 0.95)
#: RFM rule table: R score -> segment for FM = 1..5 (FM = (F + M) / 2 rounded half up).
RFM_RULES: dict[int, tuple[str, str, str, str, str]] = {
    5: ("New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    4: ("Promising", "Potential loyalists", "Loyal", "Champions", "Champions"),
    3: ("About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"),
    2: ("Hibernating", "Hibernating", "At risk", "At risk", "Can't lose them"),
    1: ("Lost", "Lost", "At risk", "Can't lose them", "Can't lose them"),
}
SEGMENT_ORDER: tuple[str, ...] = RFMSegment.__args__
#: at_risk_valuable_customers (rfm_segments): these segments, i.e. R score <= 2 with FM >= 3.
AT_RISK_SEGMENTS = ("At risk", "Can't lose them")
AT_RISK_MAX_R = 2
#: CLV: purchases_per_year uses at least this many observed years (a quarter), so a new customer's one
#: order is not annualised from a few days.
MIN_OBSERVED_YEARS = 0.25
MAX_LIFETIME_YEARS = 10.0
DEFAULT_LIFETIME_YEARS = 3.0
CHURN_WINDOW_DAYS = 365
#: at_risk_valuable_customers (customer_lifetime_value): top-20% CLV, no purchase for more than
#: OVERDUE_FACTOR x the customer's usual interval (365.25 / purchases_per_year) and OVERDUE_MIN_DAYS.
OVERDUE_FACTOR = 2.0
OVERDUE_MIN_DAYS = 90
MAX_CURVE_POINTS = 500
_ID = "customer_id"


class OverviewParams(ToolParams):
    """dataset_overview takes no arguments."""


class ProfitabilityParams(RankParams):
    """Top/bottom N customers (or groups) by a profit metric over a period."""

    metric: ProfitMetric = Field(
        "profit",
        description="Rank by: profit (net where service costs exist, else gross), revenue, gross_profit, "
        "net_profit, margin (profit / revenue), cost, cost_to_serve, orders.",
    )
    currency: str | None = Field(
        None,
        description="Only this currency (code as in the data); default: every currency, each on its own.",
    )


class ConcentrationParams(PeriodParams):
    """Whale curve over the period."""

    currency: str | None = Field(
        None, description="Currency to analyse when there are several (default: the most common)."
    )


class RFMParams(PeriodParams):
    """RFM scores and segments as of a reference date."""

    as_of: date | None = Field(
        None, description="Reference date for recency (default: day after the last transaction)."
    )
    segment: RFMSegment | None = Field(None, description="List only the customers of this RFM segment.")
    n: int = Field(20, ge=1, le=10_000, description="How many customers to list.")
    currency: str | None = Field(
        None, description="Currency to analyse when there are several (default: the most common)."
    )


class CLVParams(RankParams):
    """Historical customer lifetime value, top/bottom N customers or by a customer attribute."""

    model: Literal["historical"] = Field(
        "historical", description="CLV model. 'historical': AOV x frequency x margin x lifetime."
    )
    margin: float | None = Field(
        None, gt=0, le=1, description="Gross margin as a fraction (default: observed margin, else 1.0)."
    )
    lifetime_years: float | None = Field(
        None,
        gt=0,
        le=50,
        description="Expected customer lifetime in years (default: estimated from the data).",
    )
    currency: str | None = Field(
        None, description="Currency to analyse when there are several (default: the most common)."
    )


# --- dataset_overview ------------------------------------------------------------------------------

_DATE_COLUMNS = {
    "transactions": ("date",),
    "customers": ("signup_date",),
    "invoices": ("invoice_date",),
    "financials": ("period",),
    "sales": ("date",),
    "feedback": ("date",),
    "marketing": ("period", "date"),
}


def dataset_overview(data: DatasetBundle, params: OverviewParams) -> ToolResult:
    """What is loaded: per table kind the rows, columns, source files, period covered and customers.

    Tables: tables_loaded (kind, rows, columns, column_names, files, start, end, customers) and
    column_mapping (kind, file, file_column, column: how ingestion read each file's columns).

    Formula: rows = rows kept after ingestion; period = min..max of the kind's date column (transactions
    date, customers signup_date, invoices invoice_date, ...); customers = distinct customer_id.

    Data-quality notes (as warnings): rows dropped and warnings from the ingestion reports, customer ids
    in transactions missing from the customers table (and customers without transactions), refund rows,
    rows without cost, a missing cost column, several currencies.

    Facts: tables_loaded; per loaded kind ``<kind>_rows``, ``<kind>_distinct_customers`` (with customer_id),
    ``<kind>_start``/``<kind>_end`` (ISO dates, when it has a date column); data_quality_notes.
    Works on an empty bundle (says nothing is loaded and what can be uploaded). Findings: none.
    """
    method = Method(T.OVERVIEW_FORMULA, params.model_dump(mode="json"))
    if not len(data):
        kinds = join(
            [
                say(
                    T.OVERVIEW_KIND_NEEDS,
                    kind=KIND_NAMES[k],
                    columns=", ".join(REQUIRED[k]).replace("|", "/"),
                )
                for k in KINDS
            ]
        )
        return ToolResult(
            "dataset_overview", say(T.OVERVIEW_EMPTY, kinds=kinds), {"tables_loaded": 0}, method=method
        )

    facts: dict[str, FactValue] = {"tables_loaded": len(data)}
    rows, mapping, descriptions, notes = [], [], [], []
    latest: pd.Timestamp | None = None
    for kind, ds in data.datasets.items():
        frame = ds.frame
        start, end = _date_range(frame, kind)
        customers = int(frame[_ID].nunique()) if _ID in frame.columns else None
        facts[f"{kind}_rows"] = len(frame)
        if customers is not None:
            facts[f"{kind}_distinct_customers"] = customers
        if start is not None and end is not None:
            facts[f"{kind}_start"], facts[f"{kind}_end"] = start.date().isoformat(), end.date().isoformat()
            if kind == "transactions":
                latest = end
        files = ", ".join(ds.filenames) or "-"
        rows.append(
            {
                "kind": kind,
                "rows": len(frame),
                "columns": len(frame.columns),
                "column_names": ", ".join(map(str, frame.columns)),
                "files": files,
                "start": start,
                "end": end,
                "customers": customers,
            }
        )
        descriptions.append(
            say(
                T.OVERVIEW_TABLE,
                kind=KIND_NAMES.get(kind, Msg(kind, kind)),
                rows=num_text(len(frame)),
                files=files,
                period=say(T.OVERVIEW_PERIOD, start=iso(start), end=iso(end)) if start is not None else "",
                customers=say(T.OVERVIEW_CUSTOMERS, customers=num_text(customers))
                if customers is not None
                else "",
            )
        )
        for report in ds.reports:
            mapping.extend(
                {"kind": kind, "file": report.filename, "file_column": src, "column": dst}
                for src, dst in report.mapping.items()
            )
            for dropped in report.dropped:
                if dropped.count:
                    notes.append(
                        say(
                            T.NOTE_DROPPED,
                            file=report.filename,
                            count=num_text(dropped.count),
                            reason=dropped.reason,
                        )
                    )
            notes.extend(say(T.NOTE_FILE, file=report.filename, warning=w) for w in report.warnings)
    notes.extend(_transaction_notes(data))
    facts["data_quality_notes"] = len(notes)
    head = say(T.OVERVIEW_HEAD, count=num_text(len(data)), tables=join(descriptions))
    tail = say(T.OVERVIEW_NOTES, count=num_text(len(notes))) if notes else T.OVERVIEW_NO_NOTES
    method.rows_used = sum(len(ds.frame) for ds in data.datasets.values())
    method.as_of = latest.date() if latest is not None else None
    table = pd.DataFrame(rows).astype({"customers": "Int64"})
    columns = pd.DataFrame(mapping, columns=["kind", "file", "file_column", "column"])
    return ToolResult(
        "dataset_overview",
        sentences([head, tail]),
        facts,
        [Table("tables_loaded", table), Table("column_mapping", columns)],
        method=method,
        warnings=notes,
    )


def _date_range(frame: pd.DataFrame, kind: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    for col in _DATE_COLUMNS.get(kind, ()):
        if (
            col in frame.columns
            and pd.api.types.is_datetime64_any_dtype(frame[col])
            and frame[col].notna().any()
        ):
            return frame[col].min(), frame[col].max()
    return None, None


def _transaction_notes(data: DatasetBundle) -> list[Msg]:
    tx = data.get("transactions")
    if tx is None or _ID not in tx.columns:
        return []
    notes: list[Msg] = []
    customers = data.get("customers")
    if customers is not None and _ID in customers.columns:
        tx_ids = pd.Index(tx[_ID].dropna().unique())
        known = pd.Index(customers[_ID].dropna().unique())
        missing = tx_ids.difference(known)
        if len(missing):
            examples = ", ".join(map(str, missing[:3]))
            notes.append(say(T.NOTE_MISSING_CUSTOMERS, count=num_text(len(missing)), examples=examples))
        idle = known.difference(tx_ids)
        if len(idle):
            notes.append(say(T.NOTE_NO_TX_CUSTOMERS, count=num_text(len(idle))))
    if "revenue" in tx.columns:
        refunds = int((tx["revenue"] < 0).sum())
        if refunds:
            notes.append(say(T.NOTE_REFUNDS, count=num_text(refunds)))
        if "cost" in tx.columns:
            notes.extend(cost_warnings(tx))
        else:
            notes.append(T.NOTE_NO_COST)
    if "currency" in tx.columns:
        codes = tx["currency"].dropna().unique()
        if len(codes) > 1:
            notes.append(
                say(
                    T.CURRENCY_SPLIT,
                    count=num_text(len(codes)),
                    currencies=", ".join(sorted(map(str, codes))),
                )
            )
    return notes


# --- customer_profitability ------------------------------------------------------------------------

_NEEDS_COST = {"profit", "gross_profit", "net_profit", "margin", "cost"}
_NEEDS_SERVICE = {"net_profit", "cost_to_serve"}
_PROFIT_COLUMNS = ["revenue", "cost", "gross_profit", "cost_to_serve", "net_profit", "profit", "margin"]


def customer_profitability(data: DatasetBundle, params: ProfitabilityParams) -> ToolResult:
    """Profit per customer (or per dimension): top or bottom N by a metric, over a period.

    Formula (per customer, sums over the period's transaction rows)::

        revenue = Σ revenue          cost = Σ cost (COGS; a missing cost counts as 0, with a warning)
        gross_profit = revenue - cost
        cost_to_serve = Σ service_cost                  (when a service_cost column exists)
        net_profit = gross_profit - cost_to_serve       (when service costs exist)
        profit = net_profit if service costs exist else gross_profit
        margin = profit / revenue    share_of_profit = profit / Σ profit over all customers

    ``rank`` is the position by the metric, highest first, among all customers (or groups); ``bottom``
    lists the last ranks, lowest first. ``group_by`` sums customers into a dimension: a transactions
    column (region, product, channel, ...), else a customers attribute joined on customer_id (segment,
    industry, acquisition_channel, region), or month/quarter/year of the date (then every period is
    listed in time order). Orders: distinct order_id among purchase rows (else purchase days).

    Without a cost column profit cannot be computed: the ranking is by revenue, with a warning.
    Several currencies: every figure per currency (facts suffixed ``_<code>``), never summed.

    Facts: customers, total_revenue, total_cost, total_gross_profit, total_cost_to_serve (with service
    costs), total_profit, margin, loss_making_customers, loss_making_profit (profit destroyed, as a
    positive amount), listed, listed_revenue_share, listed_profit_share, metric; with one customer
    also customer_revenue, customer_profit, customer_share_of_profit, customer_rank; with group_by groups.

    Findings: ``loss_making_customers`` (profit < 0; value = -Σ their profit), ``high_cost_to_serve``
    (cost_to_serve > HIGH_COST_TO_SERVE_SHARE (30%) of gross profit, or any cost to serve when gross
    profit <= 0; value = Σ their cost_to_serve). Customers most at stake first.

    Example
    -------
    >>> import pandas as pd
    >>> from tools.bundle import Dataset
    >>> tx = pd.DataFrame({"customer_id": ["C1", "C1", "C2"],
    ...                    "date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-01-09"]),
    ...                    "revenue": [100.0, 50.0, 80.0], "cost": [60.0, 20.0, 90.0]})
    >>> result = customer_profitability(DatasetBundle([Dataset("transactions", tx)]), ProfitabilityParams())
    >>> result.facts["total_profit"], result.facts["loss_making_customers"]
    (60.0, 1)
    """
    name = T.METRICS[params.metric]
    purpose = Msg(f"rank customers by {name.en}", f"按{name.zh}给客户排名")
    tx = data.require("transactions", [_ID, "date", "revenue"], purpose)
    rows = prepare(data, tx, params.start, params.end, params.currency, split=True)
    metric, metric_warnings = _profit_metric(params.metric, rows.tx_columns)
    names = customer_names(data, tx)
    parts_used = rows.parts
    matched = None
    if params.customer:
        matched = match_customers(data, tx, names, params.customer)
        parts_used = [(c, p) for c, p in rows.parts if p[_ID].isin(matched).any()]
        if not parts_used:
            raise no_tx_for(matched, names, rows)
    parts = [
        _profitability_part(data, part, currency, params, metric, names, matched)
        for currency, part in parts_used
    ]
    formula = T.PROFITABILITY_FORMULA if "cost" in rows.tx_columns else T.PROFITABILITY_FORMULA_REVENUE
    method = Method(formula, params.model_dump(mode="json"), rows.assumptions, rows.last_date, rows.rows_used)
    return _merge("customer_profitability", parts, method, metric_warnings + rows.warnings)


def _profit_metric(metric: str, columns: set[str]) -> tuple[str, list[Msg]]:
    warnings: list[Msg] = []
    if metric in _NEEDS_SERVICE and "service_cost" not in columns:
        warnings.append(say(T.NO_SERVICE_COST, metric=T.METRICS[metric]))
        metric = "gross_profit"
    if metric in _NEEDS_COST and "cost" not in columns:
        warnings.append(T.NO_COST)
        metric = "revenue"
    return metric, warnings


def _profitability_part(
    data: DatasetBundle,
    tx: pd.DataFrame,
    currency: str | None,
    params: ProfitabilityParams,
    metric: str,
    names: Names,
    matched: list[str] | None,
) -> _Part:
    totals = aggregate.customer_totals(tx)
    per = totals.rename(columns={"service_cost": "cost_to_serve"})
    has_cost = "profit" in per.columns
    share_of = "profit" if has_cost else "revenue"
    facts = _profit_facts(per)
    findings = _profit_findings(per) if has_cost else []
    if params.group_by is None:
        ranked = _ranked(per, metric, share_of)
        if matched is not None:
            listing = ranked.loc[ranked.index.isin(matched)]
        elif params.order == "top":
            listing = ranked.head(params.n)
        else:
            listing = ranked.loc[ranked[metric].notna()].iloc[::-1].head(params.n)
        frame = with_names(listing, names)
        dimension = "customer"
        labels = [plain_label(cid, name) for cid, name in zip(frame[_ID], name_column(frame), strict=True)]
    else:
        rows = tx if matched is None else tx.loc[tx[_ID].isin(matched)]
        groups = _group_frame(data, rows, totals if matched is None else None, params.group_by)
        groups = groups.rename(columns={"service_cost": "cost_to_serve"})
        ranked = _ranked(groups, metric, share_of)
        if params.group_by in PERIODS:
            listing = ranked.sort_index()
        elif params.order == "top":
            listing = ranked.head(params.n)
        else:
            listing = ranked.loc[ranked[metric].notna()].iloc[::-1].head(params.n)
        frame = listing.reset_index()
        dimension = params.group_by
        labels = [str(v) for v in frame[dimension]]
        facts["groups"] = len(ranked)
    columns = ["rank", _ID, "name", dimension, "customers", *_PROFIT_COLUMNS]
    columns += ["share_of_profit", "share_of_revenue", "orders"]
    frame = frame[[c for c in columns if c in frame.columns]]
    facts |= {
        "listed": len(frame),
        "listed_revenue_share": ratio(frame["revenue"].sum(), ranked["revenue"].sum()),
        "listed_profit_share": ratio(frame["profit"].sum(), ranked["profit"].sum()) if has_cost else None,
        "metric": metric,
    }
    summary = _profitability_summary(frame, labels, params, metric, dimension, facts, has_cost)
    if matched is not None and params.group_by is None and len(frame) == 1:
        row = frame.iloc[0]
        facts |= {
            "customer_revenue": fact(row["revenue"]),
            "customer_profit": fact(row["profit"]) if has_cost else None,
            "customer_share_of_profit": fact(row["share_of_profit"]) if has_cost else None,
            "customer_rank": int(row["rank"]),
        }
    chart = bar_chart(
        labels,
        frame[metric],
        say(T.PROFITABILITY_CHART, metric=T.METRICS[metric], dimension=dim_name(dimension)),
    )
    table = Table(
        "customer_profitability" if dimension == "customer" else f"profitability_by_{dimension}", frame
    )
    return _Part(currency, summary, facts, [table], [chart], findings)


def _ranked(frame: pd.DataFrame, metric: str, share_of: str) -> pd.DataFrame:
    """``frame`` sorted by ``metric`` (highest first, missing last) with rank and share_of_<profit|revenue>."""
    out = frame.sort_values(metric, ascending=False, na_position="last", kind="stable")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    total = out[share_of].sum()
    out[f"share_of_{share_of}"] = out[share_of] / total if total > 0 else np.nan
    return out


def _profit_facts(per: pd.DataFrame) -> dict[str, FactValue]:
    facts: dict[str, FactValue] = {"customers": len(per), "total_revenue": fact(per["revenue"].sum())}
    if "profit" not in per.columns:
        return facts | {"total_profit": None, "loss_making_customers": None, "loss_making_profit": None}
    losses = per["profit"].loc[per["profit"] < 0]
    facts |= {
        "total_cost": fact(per["cost"].sum()),
        "total_gross_profit": fact(per["gross_profit"].sum()),
    }
    if "cost_to_serve" in per.columns:
        facts["total_cost_to_serve"] = fact(per["cost_to_serve"].sum())
    total_profit = per["profit"].sum()
    return facts | {
        "total_profit": fact(total_profit),
        "margin": ratio(total_profit, per["revenue"].sum()),
        "loss_making_customers": len(losses),
        "loss_making_profit": fact(-losses.sum()),
    }


def _profit_findings(per: pd.DataFrame) -> list[Finding]:
    """loss_making_customers and high_cost_to_serve over every customer of ``per``."""
    findings = []
    loss = _loss_finding(per["profit"])
    if loss is not None:
        findings.append(loss)
    if "cost_to_serve" in per.columns:
        cts, gross = per["cost_to_serve"], per["gross_profit"]
        flagged = cts.loc[(cts > 0) & (cts > HIGH_COST_TO_SERVE_SHARE * gross.clip(lower=0))]
        if len(flagged):
            flagged = flagged.sort_values(ascending=False, kind="stable")
            findings.append(
                Finding(
                    "high_cost_to_serve",
                    say(
                        T.FINDING_HIGH_COST_TO_SERVE,
                        count=num_text(len(flagged)),
                        threshold=pct_text(HIGH_COST_TO_SERVE_SHARE),
                        amount=money_text(flagged.sum()),
                    ),
                    customer_ids(flagged.index),
                    fact(flagged.sum()),
                    "cost_to_serve_share_of_gross_profit",
                    HIGH_COST_TO_SERVE_SHARE,
                )
            )
    return findings


def _loss_finding(profit: pd.Series) -> Finding | None:
    """loss_making_customers: profit < 0, biggest loss first; value = profit destroyed (positive)."""
    losses = profit.loc[profit < 0].sort_values(kind="stable")
    if losses.empty:
        return None
    destroyed = -losses.sum()
    return Finding(
        "loss_making_customers",
        say(T.FINDING_LOSS_MAKING, count=num_text(len(losses)), amount=money_text(destroyed)),
        customer_ids(losses.index),
        fact(destroyed),
        "profit",
        0.0,
    )


def _profitability_summary(
    frame: pd.DataFrame,
    labels: list[str],
    params: ProfitabilityParams,
    metric: str,
    dimension: str,
    facts: dict[str, FactValue],
    has_cost: bool,
) -> Msg:
    values = [_metric_value(metric, v) for v in frame[metric].head(MAX_SUMMARY_ITEMS)]
    items = items_text(labels, values, more=len(frame) > MAX_SUMMARY_ITEMS)
    name = T.METRICS[metric]
    if dimension in PERIODS and len(frame):
        best = frame.loc[frame["rank"].idxmin()]
        worst = frame.loc[frame["rank"].idxmax()]
        head = say(
            T.GROUP_PERIODS,
            metric=name,
            dimension=dim_name(dimension),
            best=say(T.ITEM, label=str(best[dimension]), value=_metric_value(metric, best[metric])),
            worst=say(T.ITEM, label=str(worst[dimension]), value=_metric_value(metric, worst[metric])),
            count=num_text(len(frame)),
        )
    elif dimension != "customer":
        template = T.GROUP_TOP if params.order == "top" else T.GROUP_BOTTOM
        head = say(template, metric=name, dimension=dim_name(dimension), items=items)
    elif params.customer is not None:
        template = T.CUSTOMER_PROFIT if has_cost else T.CUSTOMER_REVENUE
        head = sentences(
            [
                say(
                    template,
                    customer=label,
                    revenue=money_text(row["revenue"]),
                    profit=money_text(row.get("profit")),
                    margin=pct_text(row.get("margin")),
                    share=pct_text(row.get("share_of_profit") if has_cost else row.get("share_of_revenue")),
                    rank=num_text(row["rank"]),
                    customers=num_text(facts["customers"]),
                )
                for label, (_, row) in zip(labels, frame.head(MAX_SUMMARY_ITEMS).iterrows(), strict=False)
            ]
        )
    elif metric == "profit":
        template = T.PROFIT_TOP if params.order == "top" else T.PROFIT_BOTTOM
        head = say(
            template, n=num_text(len(frame)), items=items, share=pct_text(facts["listed_profit_share"])
        )
    else:
        template = T.RANK_TOP if params.order == "top" else T.RANK_BOTTOM
        head = say(template, n=num_text(len(frame)), metric=name, items=items)
    if has_cost:
        totals = say(
            T.PROFIT_TOTALS,
            revenue=money_text(facts["total_revenue"]),
            cost=money_text(facts["total_cost"]),
            profit=money_text(facts["total_profit"]),
            margin=pct_text(facts["margin"]),
            customers=num_text(facts["customers"]),
            loss_making=num_text(facts["loss_making_customers"]),
        )
    else:
        totals = say(
            T.REVENUE_TOTALS,
            revenue=money_text(facts["total_revenue"]),
            customers=num_text(facts["customers"]),
        )
    return sentences([head, totals])


def _group_frame(data: DatasetBundle, tx: pd.DataFrame, per: pd.DataFrame | None, by: str) -> pd.DataFrame:
    """Totals per value of ``by``: a period of the date, a transactions column, or a customers attribute.

    ``per`` (per-customer totals of ``tx``) is reused for customer attributes when given.
    """
    if by in PERIODS:
        return aggregate.period_totals(tx, by)
    if by in tx.columns:
        out = aggregate.group_totals(tx, by)
    else:
        attribute = customers_column(data, tx, by)
        per = aggregate.customer_totals(tx) if per is None else per
        out = aggregate.rollup(per, attribute.reindex(per.index).rename(by))
    out.index = out.index.fillna(T.UNKNOWN)
    out.index.name = by
    return out


# --- profit_concentration --------------------------------------------------------------------------


def profit_concentration(data: DatasetBundle, params: ConcentrationParams) -> ToolResult:
    """Whale curve: cumulative share of profit against share of customers ranked by profit.

    Formula: customers ranked by profit (net where service costs exist, else gross), highest first;
    cumulative_profit_share(k) = Σ profit of the top k / Σ profit. It rises above 100% and falls back
    to 100% as the loss-makers are added (Kaplan's whale curve). cumulative_customer_share(k) = k / N.
    top_20pct_profit_share = Σ profit of the top ceil(0.2 N) customers / Σ profit.

    ABC classes (customers in profit order): A while the customers ranked before them hold < 80% of the
    positive profit (so the customer crossing 80% is A), B while < 95%, C the rest, including every
    customer with profit <= 0.

    Sign convention: ``loss_making_profit`` is the profit destroyed by loss-making customers as a
    positive amount (-Σ of their negative profit). Without a cost column the curve is of revenue and the
    profit facts are null. Shares are null when the total is not positive.

    Facts: customers, total_profit, top_20pct_customers, top_20pct_profit_share, loss_making_customers,
    loss_making_profit, peak_cumulative_profit_share, peak_customer_share, a_customers, b_customers,
    c_customers, metric (and top_20pct_revenue_share, total_revenue).

    Findings: ``high_profit_concentration`` (top 20% of customers make more than
    HIGH_CONCENTRATION_SHARE = 80% of profit; customers = that top 20%, value = their profit),
    ``loss_making_customers`` (profit < 0; value = profit destroyed).
    """
    purpose = Msg("draw the whale curve", "绘制鲸鱼曲线")
    tx = data.require("transactions", [_ID, "date", "revenue"], purpose)
    rows = prepare(data, tx, params.start, params.end, params.currency)
    per = aggregate.customer_totals(rows.tx)
    metric = "profit" if "profit" in per.columns else "revenue"
    warnings = rows.warnings + ([] if metric == "profit" else [T.NO_COST])
    order = np.argsort(-per[metric].to_numpy(dtype=float), kind="stable")  # highest first, ties in data order
    ids = per.index[order]
    values = per[metric].to_numpy(dtype=float)[order]
    n = len(values)
    cumulative = np.cumsum(values)
    total = float(cumulative[-1])
    shares = cumulative / total if total > 0 else np.full(n, np.nan)
    customer_share = np.arange(1, n + 1) / n
    top_k = math.ceil(TOP_SHARE * n)
    positive = np.clip(values, 0, None)
    positive_total = positive.sum()
    before = (np.cumsum(positive) - positive) / positive_total if positive_total > 0 else np.ones(n)
    abc = np.where(
        values <= 0, "C", np.where(before < ABC_LIMITS[0], "A", np.where(before < ABC_LIMITS[1], "B", "C"))
    )
    peak = int(np.argmax(cumulative))
    names = customer_names(data, tx)
    columns = {"rank": np.arange(1, n + 1), "revenue": per["revenue"].to_numpy()[order]}
    columns |= {
        metric: values,
        f"cumulative_{metric}": cumulative,
        f"cumulative_{metric}_share": shares,
        "cumulative_customer_share": customer_share,
        "abc_class": abc,
    }
    table = with_names(pd.DataFrame(columns, index=ids), names)
    abc_table = _abc_table(abc, values, total, metric)
    top_share = float(shares[top_k - 1]) if total > 0 else None
    loss = _loss_finding(per["profit"]) if metric == "profit" else None
    facts: dict[str, FactValue] = {
        "customers": n,
        f"total_{metric}": fact(total),
        "top_20pct_customers": top_k,
        f"top_20pct_{metric}_share": fact(top_share),
        "peak_cumulative_profit_share": fact(shares[peak]) if metric == "profit" else None,
        "peak_customer_share": fact(customer_share[peak]) if metric == "profit" else None,
        "a_customers": int((abc == "A").sum()),
        "b_customers": int((abc == "B").sum()),
        "c_customers": int((abc == "C").sum()),
        "metric": metric,
    }
    if metric == "profit":
        losses = values[values < 0]
        facts |= {"loss_making_customers": len(losses), "loss_making_profit": fact(-losses.sum())}
    else:
        facts |= {"total_profit": None, "top_20pct_profit_share": None}
        facts |= {"loss_making_customers": None, "loss_making_profit": None}
    if total <= 0:
        warnings.append(say(T.NONPOSITIVE_TOTAL, metric=T.METRICS[metric], total=money_text(total)))
    summary = _concentration_summary(facts, metric, abc_table)
    findings = []
    if metric == "profit" and top_share is not None and top_share > HIGH_CONCENTRATION_SHARE:
        findings.append(
            Finding(
                "high_profit_concentration",
                say(
                    T.FINDING_CONCENTRATION,
                    count=num_text(top_k),
                    share=pct_text(top_share),
                    metric=T.METRICS[metric],
                    threshold=pct_text(HIGH_CONCENTRATION_SHARE),
                ),
                customer_ids(ids[:top_k]),
                fact(cumulative[top_k - 1]),
                "top_20pct_profit_share",
                HIGH_CONCENTRATION_SHARE,
            )
        )
    if loss is not None:
        findings.append(loss)
    assumptions = rows.assumptions + [say(T.ABC_RULE, metric=T.METRICS[metric])]
    if metric == "profit":
        assumptions.append(T.LOSS_SIGN)
    method = Method(
        T.CONCENTRATION_FORMULA, params.model_dump(mode="json"), assumptions, rows.last_date, rows.rows_used
    )
    charts = [_whale_chart(customer_share, shares, peak, metric)] if total > 0 else []
    return ToolResult(
        "profit_concentration",
        summary,
        facts,
        [Table("whale_curve", table), Table("abc_classes", abc_table)],
        charts,
        method,
        findings,
        warnings,
    )


def _abc_table(abc: np.ndarray, values: np.ndarray, total: float, metric: str) -> pd.DataFrame:
    frame = pd.DataFrame({"abc_class": abc, metric: values})
    out = frame.groupby("abc_class").agg(customers=(metric, "size"), **{metric: (metric, "sum")})
    out = out.reindex(["A", "B", "C"], fill_value=0)
    out["customer_share"] = out["customers"] / len(values)
    out[f"{metric}_share"] = out[metric] / total if total > 0 else np.nan
    return out.reset_index()[["abc_class", "customers", "customer_share", metric, f"{metric}_share"]]


def _concentration_summary(facts: dict[str, FactValue], metric: str, abc: pd.DataFrame) -> Msg:
    share = abc.set_index("abc_class")[f"{metric}_share"]
    counts = abc.set_index("abc_class")["customers"]
    abc_line = say(
        T.ABC_SUMMARY,
        a=num_text(counts["A"]),
        b=num_text(counts["B"]),
        c=num_text(counts["C"]),
        a_share=pct_text(share["A"]),
        b_share=pct_text(share["B"]),
        c_share=pct_text(share["C"]),
    )
    common = {
        "top_count": num_text(facts["top_20pct_customers"]),
        "customers": num_text(facts["customers"]),
        "total": money_text(facts[f"total_{metric}"]),
    }
    if metric == "revenue":
        head = say(T.CONCENTRATION_REVENUE, top_share=pct_text(facts["top_20pct_revenue_share"]), **common)
        return sentences([head, abc_line])
    head = say(
        T.CONCENTRATION_SUMMARY,
        top_share=pct_text(facts["top_20pct_profit_share"]),
        loss_count=num_text(facts["loss_making_customers"]),
        loss_amount=money_text(facts["loss_making_profit"]),
        peak=pct_text(facts["peak_cumulative_profit_share"]),
        peak_customers=pct_text(facts["peak_customer_share"]),
        **common,
    )
    return sentences([head, abc_line])


def _whale_chart(customer_share: np.ndarray, shares: np.ndarray, peak: int, metric: str) -> Chart:
    n = len(shares)
    picks = np.unique(np.r_[np.linspace(0, n - 1, min(n, MAX_CURVE_POINTS)).round().astype(int), peak])
    x = np.r_[0.0, customer_share[picks]]
    y = np.r_[0.0, shares[picks]]
    name = T.METRICS[metric]
    figure = go.Figure(go.Scatter(x=x, y=y, mode="lines", name=name.en))
    figure.add_hline(y=1.0, line_dash="dot")
    figure.update_layout(
        xaxis={"title": say(T.WHALE_X, metric=name).en, "tickformat": ".0%"},
        yaxis={"title": say(T.WHALE_Y, metric=name).en, "tickformat": ".0%"},
        showlegend=False,
    )
    return Chart(say(T.WHALE_CHART, metric=name), figure)


# --- rfm_segments ----------------------------------------------------------------------------------


def rfm_segments(data: DatasetBundle, params: RFMParams) -> ToolResult:
    """RFM scores and named segments per customer.

    Formula (per customer with at least one purchase, i.e. a row with revenue > 0)::

        recency_days = (as_of - last purchase date) in days   as_of default: day after the last transaction
        frequency = orders (distinct order_id, else purchase days)
        monetary = Σ revenue (refunds netted)
        r/f/m_score = 1..5 quintile of rank(method="first")    5 = best; recency reversed (recent = 5)
        fm = floor((f_score + m_score + 1) / 2)                 the average of F and M, rounded half up

    Transactions after ``as_of`` are ignored. Ties in rank are broken by first appearance in the data.

    Segment rule table (RFM_RULES; rows R score, columns FM 1..5)::

        R=5  New             Potential loyalists  Potential loyalists  Champions        Champions
        R=4  Promising       Potential loyalists  Loyal                Champions        Champions
        R=3  About to sleep  About to sleep       Need attention       Loyal            Loyal
        R=2  Hibernating     Hibernating          At risk              At risk          Can't lose them
        R=1  Lost            Lost                 At risk              Can't lose them  Can't lose them

    Tables: the segment summary (segment, customers, customer_share, revenue, revenue_share,
    avg_recency_days, avg_frequency, avg_monetary) and the customer listing (customer_id, name,
    recency_days, frequency, monetary, r_score, f_score, m_score, fm_score, segment; the n with most
    revenue, of ``segment`` when given; that listing comes first when a segment is asked for).

    Facts: customers, as_of, total_revenue, segments, ``<segment>_customers`` per segment (snake case,
    e.g. cant_lose_them_customers), champions_revenue_share, at_risk_valuable_customers,
    at_risk_valuable_revenue, at_risk_valuable_revenue_share, listed.

    Findings: ``at_risk_valuable_customers``: customers in At risk or Can't lose them (R score <= 2 with
    FM >= 3), by monetary, value = their monetary (revenue in the period).
    """
    purpose = Msg("score recency, frequency and monetary value", "计算最近购买、频次和金额评分")
    tx = data.require("transactions", [_ID, "date", "revenue"], purpose)
    end = params.end
    if params.as_of is not None and (end is None or params.as_of < end):
        end = params.as_of
    rows = prepare(data, tx, params.start, end, params.currency)
    as_of = params.as_of or rows.last_date + timedelta(days=1)
    per, warnings = _purchasers(aggregate.customer_totals(rows.tx), rows.warnings)
    rfm = pd.DataFrame(
        {
            "recency_days": (pd.Timestamp(as_of) - per["last_date"]).dt.days.astype("int64"),
            "frequency": per["orders"].astype("int64"),
            "monetary": per["revenue"],
        }
    )
    rfm["r_score"] = _quintile(rfm["recency_days"], reverse=True)
    rfm["f_score"] = _quintile(rfm["frequency"])
    rfm["m_score"] = _quintile(rfm["monetary"])
    rfm["fm_score"] = (rfm["f_score"] + rfm["m_score"] + 1) // 2
    grid = np.array([[""] * 6] + [["", *RFM_RULES[r]] for r in range(1, 6)], dtype=object)
    rfm["segment"] = grid[rfm["r_score"].to_numpy(), rfm["fm_score"].to_numpy()]
    if len(rfm) < 5:
        warnings.append(say(T.FEW_CUSTOMERS, count=num_text(len(rfm))))
    names = customer_names(data, tx)
    segments = _segment_table(rfm)
    chosen = rfm if params.segment is None else rfm.loc[rfm["segment"] == params.segment]
    listing = with_names(chosen.nlargest(params.n, "monetary", keep="first"), names)
    at_risk = rfm.loc[rfm["segment"].isin(AT_RISK_SEGMENTS)].sort_values(
        "monetary", ascending=False, kind="stable"
    )
    total_revenue = rfm["monetary"].sum()
    facts: dict[str, FactValue] = {
        "customers": len(rfm),
        "as_of": as_of.isoformat(),
        "total_revenue": fact(total_revenue),
        "segments": len(segments),
    }
    counts = segments.set_index("segment")["customers"]
    for segment in SEGMENT_ORDER:
        facts[f"{_snake(segment)}_customers"] = int(counts.get(segment, 0))
    facts |= {
        "champions_revenue_share": ratio(
            rfm.loc[rfm["segment"] == "Champions", "monetary"].sum(), total_revenue
        ),
        "at_risk_valuable_customers": len(at_risk),
        "at_risk_valuable_revenue": fact(at_risk["monetary"].sum()),
        "at_risk_valuable_revenue_share": ratio(at_risk["monetary"].sum(), total_revenue),
        "listed": len(listing),
    }
    findings = []
    if len(at_risk):
        findings.append(
            Finding(
                "at_risk_valuable_customers",
                say(
                    T.FINDING_AT_RISK_RFM,
                    count=num_text(len(at_risk)),
                    threshold=AT_RISK_MAX_R,
                    amount=money_text(at_risk["monetary"].sum()),
                ),
                customer_ids(at_risk.index),
                fact(at_risk["monetary"].sum()),
                "r_score",
                float(AT_RISK_MAX_R),
            )
        )
    summary = _rfm_summary(params, facts, segments, listing)
    rules = "; ".join(f"R{r}: " + ", ".join(RFM_RULES[r]) for r in sorted(RFM_RULES, reverse=True))
    assumptions = rows.assumptions + [T.RFM_RULE.format(rules=rules)]
    method = Method(T.RFM_FORMULA, params.model_dump(mode="json"), assumptions, as_of, rows.rows_used)
    tables = [Table("rfm_segments", segments), Table("rfm_customers", listing)]
    if params.segment is not None:
        tables.reverse()
    return ToolResult(
        "rfm_segments", summary, facts, tables, [_rfm_chart(segments)], method, findings, warnings
    )


def _quintile(values: pd.Series, reverse: bool = False) -> pd.Series:
    """Score 1..5: quintile of rank(method='first'); 5 = highest (lowest when ``reverse``); 3 for one value."""
    if len(values) < 2:
        return pd.Series(3, index=values.index, dtype="int64")
    codes = pd.qcut(values.rank(method="first"), 5, labels=False).astype("int64")
    return 5 - codes if reverse else codes + 1


def _segment_table(rfm: pd.DataFrame) -> pd.DataFrame:
    out = rfm.groupby("segment", sort=False).agg(
        customers=("monetary", "size"),
        revenue=("monetary", "sum"),
        avg_recency_days=("recency_days", "mean"),
        avg_frequency=("frequency", "mean"),
        avg_monetary=("monetary", "mean"),
    )
    out = out.reindex([s for s in SEGMENT_ORDER if s in out.index])
    out.insert(1, "customer_share", out["customers"] / len(rfm))
    total = rfm["monetary"].sum()
    out.insert(3, "revenue_share", out["revenue"] / total if total > 0 else np.nan)
    return out.rename_axis("segment").reset_index()


def _rfm_summary(
    params: RFMParams, facts: dict[str, FactValue], segments: pd.DataFrame, listing: pd.DataFrame
) -> Msg:
    if params.segment is not None:
        name = T.RFM_SEGMENTS[params.segment]
        row = segments.loc[segments["segment"] == params.segment]
        if row.empty:
            return say(T.RFM_SEGMENT_EMPTY, segment=name)
        labels = [plain_label(c, n) for c, n in zip(listing[_ID], name_column(listing), strict=True)]
        values = [money_text(v) for v in listing["monetary"].head(MAX_SUMMARY_ITEMS)]
        return say(
            T.RFM_SEGMENT_LIST,
            segment=name,
            count=num_text(row["customers"].iloc[0]),
            revenue_share=pct_text(row["revenue_share"].iloc[0]),
            items=items_text(labels, values, more=len(listing) > MAX_SUMMARY_ITEMS),
        )
    largest = segments.sort_values("customers", ascending=False, kind="stable").head(3)
    items = join(
        [
            say(T.RFM_SEGMENT_ITEM, segment=T.RFM_SEGMENTS[s], count=num_text(c), share=pct_text(r))
            for s, c, r in zip(
                largest["segment"], largest["customers"], largest["revenue_share"], strict=True
            )
        ]
    )
    return say(
        T.RFM_SUMMARY,
        customers=num_text(facts["customers"]),
        as_of=facts["as_of"],
        items=items,
        at_risk=num_text(facts["at_risk_valuable_customers"]),
        at_risk_revenue=money_text(facts["at_risk_valuable_revenue"]),
        at_risk_share=pct_text(facts["at_risk_valuable_revenue_share"]),
    )


def _rfm_chart(segments: pd.DataFrame) -> Chart:
    figure = go.Figure(
        go.Bar(
            x=segments["segment"],
            y=segments["customers"],
            text=[pct(s, "en") for s in segments["revenue_share"]],
            textposition="outside",
            hovertemplate="%{x}: %{y} customers, %{text} of revenue<extra></extra>",
        )
    )
    figure.update_layout(yaxis_title=T.RFM_AXIS_CUSTOMERS.en, showlegend=False)
    return Chart(T.RFM_CHART, figure)


# --- customer_lifetime_value -----------------------------------------------------------------------


def customer_lifetime_value(data: DatasetBundle, params: CLVParams) -> ToolResult:
    """Historical customer lifetime value per customer (top/bottom N, or averaged by a customer attribute).

    Formula (per customer with at least one purchase; as_of = day after the last transaction)::

        aov = revenue / orders                                      average order value
        observed_years = max((as_of - first purchase) / 365.25 days, MIN_OBSERVED_YEARS = 0.25)
        purchases_per_year = orders / observed_years
        clv = aov × purchases_per_year × margin × lifetime_years

    margin: ``params.margin``, else the observed gross margin Σ gross_profit / Σ revenue over the period
    (the same for every customer), else 1.0 with a warning (CLV is then lifetime revenue).

    lifetime_years: ``params.lifetime_years``, else 1 / annual churn rate capped at MAX_LIFETIME_YEARS (10):
      - customers table with ``churned``: rate = churned customers / customer-years observed, each
        customer observed from signup_date (else first purchase) to churn_date (else last purchase) when
        churned, to as_of otherwise;
      - otherwise from purchases: cutoff = as_of - 365 days; of the customers who bought before the cutoff
        and within the 365 days before it, the share with no purchase after it;
      - when neither is possible (less than a year of data), DEFAULT_LIFETIME_YEARS = 3, with a warning.

    ``group_by`` uses a customers attribute (segment, industry, region, acquisition_channel), else the
    transactions column value each customer buys most (by revenue); periods are not allowed.

    Facts: customers, total_clv, average_clv, median_clv, aov, purchases_per_year (mean), margin,
    lifetime_years, annual_churn_rate (null when lifetime is given or assumed), listed; with group_by
    groups; with one customer customer_clv and customer_rank.

    Findings: ``at_risk_valuable_customers``: top-20% CLV customers whose days since the last purchase
    exceed OVERDUE_FACTOR (2) × their usual interval (365.25 / purchases_per_year) and OVERDUE_MIN_DAYS
    (90); value = Σ their CLV.
    """
    purpose = Msg("estimate customer lifetime value", "估算客户终身价值")
    tx = data.require("transactions", [_ID, "date", "revenue"], purpose)
    if params.group_by in PERIODS:
        raise ToolInputError(say(T.CLV_DIMENSION, dimension=dim_name(params.group_by)))
    rows = prepare(data, tx, params.start, params.end, params.currency)
    as_of = rows.last_date + timedelta(days=1)
    per, warnings = _purchasers(aggregate.customer_totals(rows.tx), rows.warnings)
    assumptions = list(rows.assumptions)
    margin, margin_note = _clv_margin(per, params.margin)
    if margin_note is T.MARGIN_ASSUMED:
        warnings.append(margin_note)
    else:
        assumptions.append(margin_note)
    lifetime, churn_rate, lifetime_note, lifetime_warns = _lifetime(data, per, as_of, params.lifetime_years)
    assumptions.append(lifetime_note)
    warnings += lifetime_warns
    days_observed = (pd.Timestamp(as_of) - per["first_date"]).dt.days
    observed_years = (days_observed / 365.25).clip(lower=MIN_OBSERVED_YEARS)
    clv = pd.DataFrame(
        {
            "revenue": per["revenue"],
            "orders": per["orders"].astype("int64"),
            "aov": per["revenue"] / per["orders"],
            "purchases_per_year": per["orders"] / observed_years,
            "margin": margin,
            "lifetime_years": lifetime,
        }
    )
    clv["clv"] = clv["aov"] * clv["purchases_per_year"] * margin * lifetime
    names = customer_names(data, tx)
    matched = match_customers(data, tx, names, params.customer) if params.customer else None
    ranked = _ranked(clv, "clv", "revenue").drop(columns="share_of_revenue")
    facts: dict[str, FactValue] = {
        "customers": len(clv),
        "total_clv": fact(clv["clv"].sum()),
        "average_clv": fact(clv["clv"].mean()),
        "median_clv": fact(clv["clv"].median()),
        "aov": ratio(clv["revenue"].sum(), clv["orders"].sum()),
        "purchases_per_year": fact(clv["purchases_per_year"].mean()),
        "margin": fact(margin),
        "lifetime_years": fact(lifetime),
        "annual_churn_rate": fact(churn_rate),
    }
    if params.group_by is not None:
        members = ranked if matched is None else ranked.loc[ranked.index.isin(matched)]
        attribute = customer_attribute(data, rows.tx, params.group_by).reindex(members.index)
        frame = _clv_groups(members, attribute, params)
        labels = [str(v) for v in frame[params.group_by]]
        facts["groups"] = int(attribute.fillna(T.UNKNOWN).nunique())
        items = items_text(labels, [money_text(v) for v in frame["average_clv"]], more=False)
        head = say(T.CLV_GROUP, dimension=dim_name(params.group_by), items=items)
        chart_values, dimension = frame["average_clv"], params.group_by
        table = Table(f"clv_by_{params.group_by}", frame)
    else:
        if matched is not None:
            listing = ranked.loc[ranked.index.isin(matched)]
            if listing.empty:
                raise no_tx_for(matched, names, rows)
        elif params.order == "top":
            listing = ranked.head(params.n)
        else:
            listing = ranked.iloc[::-1].head(params.n)
        frame = with_names(listing, names)
        labels = [plain_label(c, n) for c, n in zip(frame[_ID], name_column(frame), strict=True)]
        head = _clv_listing_summary(frame, labels, params, len(clv))
        if matched is not None and len(frame) == 1:
            facts |= {
                "customer_clv": fact(frame["clv"].iloc[0]),
                "customer_rank": int(frame["rank"].iloc[0]),
            }
        chart_values, dimension = frame["clv"], "customer"
        table = Table("customer_lifetime_value", frame)
    facts["listed"] = len(frame)
    summary_facts = say(
        T.CLV_SUMMARY,
        average=money_text(facts["average_clv"]),
        total=money_text(facts["total_clv"]),
        customers=num_text(len(clv)),
        aov=money_text(facts["aov"]),
        ppy=num_text(facts["purchases_per_year"]),
        margin=pct_text(margin),
        lifetime=num_text(lifetime),
    )
    findings = _clv_findings(clv, per["last_date"], as_of)
    chart = bar_chart(labels, chart_values, say(T.CLV_CHART, dimension=dim_name(dimension)))
    method = Method(
        T.CLV_FORMULA.format(min_years=MIN_OBSERVED_YEARS),
        params.model_dump(mode="json"),
        assumptions,
        as_of,
        rows.rows_used,
    )
    return ToolResult(
        "customer_lifetime_value",
        sentences([summary_facts, head]),
        facts,
        [table],
        [chart],
        method,
        findings,
        warnings,
    )


def _clv_margin(per: pd.DataFrame, given: float | None) -> tuple[float, Msg]:
    if given is not None:
        return given, say(T.MARGIN_GIVEN, margin=pct_text(given))
    if "gross_profit" not in per.columns:
        return 1.0, T.MARGIN_ASSUMED
    observed = float(per["gross_profit"].sum() / per["revenue"].sum())
    return observed, say(T.MARGIN_OBSERVED, margin=pct_text(observed))


def _lifetime(
    data: DatasetBundle, per: pd.DataFrame, as_of: date, given: float | None
) -> tuple[float, float | None, Msg, list[Msg]]:
    """(lifetime_years, annual churn rate or None, the assumption stated, warnings)."""
    if given is not None:
        return given, None, say(T.LIFETIME_GIVEN, lifetime=num_text(given)), []
    cap = num_text(MAX_LIFETIME_YEARS)
    customers = data.get("customers")
    if customers is not None and {"churned", _ID} <= set(customers.columns):
        estimate = _churn_from_flags(customers, per, pd.Timestamp(as_of))
        if estimate is not None:
            churned, years = estimate
            if churned == 0:
                return MAX_LIFETIME_YEARS, 0.0, say(T.LIFETIME_NO_CHURN, cap=cap), []
            rate = churned / years
            lifetime = min(1 / rate, MAX_LIFETIME_YEARS)
            note = say(
                T.LIFETIME_CHURN_FLAG,
                lifetime=num_text(lifetime),
                rate=pct_text(rate),
                churned=num_text(churned),
                years=num_text(years),
                cap=cap,
            )
            return lifetime, rate, note, []
    cutoff = pd.Timestamp(as_of) - pd.Timedelta(days=CHURN_WINDOW_DAYS)
    base = (per["first_date"] < cutoff) & (per["last_date"] >= cutoff - pd.Timedelta(days=CHURN_WINDOW_DAYS))
    if not base.any():
        note = say(
            T.LIFETIME_DEFAULT, reason=T.LIFETIME_SHORT_DATA, lifetime=num_text(DEFAULT_LIFETIME_YEARS)
        )
        return DEFAULT_LIFETIME_YEARS, None, note, [note]
    lost = int((base & (per["last_date"] < cutoff)).sum())
    if lost == 0:
        return MAX_LIFETIME_YEARS, 0.0, say(T.LIFETIME_NO_CHURN, cap=cap), []
    rate = lost / int(base.sum())
    lifetime = min(1 / rate, MAX_LIFETIME_YEARS)
    note = say(
        T.LIFETIME_INACTIVE,
        lifetime=num_text(lifetime),
        rate=pct_text(rate),
        base=num_text(int(base.sum())),
        lost=num_text(lost),
        cutoff=cutoff.date().isoformat(),
        cap=cap,
    )
    return lifetime, rate, note, []


def _churn_from_flags(
    customers: pd.DataFrame, per: pd.DataFrame, as_of: pd.Timestamp
) -> tuple[int, float] | None:
    """(churned customers, customer-years observed) from the customers table, or None when unusable."""
    frame = customers.drop_duplicates(_ID).set_index(_ID)
    churned = as_bool(frame["churned"])
    first = per["first_date"].reindex(frame.index)
    last = per["last_date"].reindex(frame.index)
    start = frame["signup_date"].fillna(first) if "signup_date" in frame.columns else first
    churn_end = frame["churn_date"].fillna(last) if "churn_date" in frame.columns else last
    end = churn_end.where(churned.fillna(False).astype(bool), as_of).clip(upper=as_of)
    usable = churned.notna() & start.notna() & end.notna()
    days = (end - start).dt.days.clip(lower=0).loc[usable]
    years = float(days.sum()) / 365.25
    if years <= 0:
        return None
    return int(churned.loc[usable].astype(bool).sum()), years


def _clv_groups(ranked: pd.DataFrame, attribute: pd.Series, params: CLVParams) -> pd.DataFrame:
    by = params.group_by
    assert by is not None
    keys = attribute.fillna(T.UNKNOWN).rename(by)
    out = ranked.groupby(keys, sort=False).agg(
        customers=("clv", "size"),
        revenue=("revenue", "sum"),
        total_clv=("clv", "sum"),
        average_clv=("clv", "mean"),
        median_clv=("clv", "median"),
    )
    total = out["total_clv"].sum()
    out["share_of_clv"] = out["total_clv"] / total if total > 0 else np.nan
    out = out.sort_values("average_clv", ascending=params.order == "bottom", kind="stable").head(params.n)
    return out.reset_index()


def _clv_listing_summary(frame: pd.DataFrame, labels: list[str], params: CLVParams, customers: int) -> Msg:
    if params.customer is not None:
        return sentences(
            [
                say(
                    T.CLV_CUSTOMER,
                    customer=label,
                    clv=money_text(row["clv"]),
                    aov=money_text(row["aov"]),
                    ppy=num_text(row["purchases_per_year"]),
                    rank=num_text(row["rank"]),
                    customers=num_text(customers),
                )
                for label, (_, row) in zip(labels, frame.head(MAX_SUMMARY_ITEMS).iterrows(), strict=False)
            ]
        )
    values = [money_text(v) for v in frame["clv"].head(MAX_SUMMARY_ITEMS)]
    template = T.CLV_TOP if params.order == "top" else T.CLV_BOTTOM
    return say(template, items=items_text(labels, values, more=len(frame) > MAX_SUMMARY_ITEMS))


def _clv_findings(clv: pd.DataFrame, last_date: pd.Series, as_of: date) -> list[Finding]:
    """at_risk_valuable_customers: top-20% CLV and overdue (``last_date`` aligned with ``clv``)."""
    recency = (pd.Timestamp(as_of) - last_date).dt.days.to_numpy()
    interval = 365.25 / clv["purchases_per_year"].to_numpy()
    valuable = (clv["clv"] >= clv["clv"].quantile(1 - TOP_SHARE)).to_numpy()
    overdue = (recency > OVERDUE_FACTOR * interval) & (recency > OVERDUE_MIN_DAYS)
    flagged = clv.loc[valuable & overdue].sort_values("clv", ascending=False, kind="stable")
    if flagged.empty:
        return []
    return [
        Finding(
            "at_risk_valuable_customers",
            say(
                T.FINDING_AT_RISK_CLV,
                count=num_text(len(flagged)),
                threshold=num_text(OVERDUE_FACTOR),
                min_days=OVERDUE_MIN_DAYS,
                amount=money_text(flagged["clv"].sum()),
            ),
            customer_ids(flagged.index),
            fact(flagged["clv"].sum()),
            "recency_over_purchase_interval",
            OVERDUE_FACTOR,
        )
    ]


# --- shared helpers --------------------------------------------------------------------------------


def _purchasers(per: pd.DataFrame, warnings: list[Msg]) -> tuple[pd.DataFrame, list[Msg]]:
    """Customers with at least one purchase (revenue > 0); the others are left out with a warning."""
    buyers = per["last_date"].notna().to_numpy()
    if buyers.all():
        return per, list(warnings)
    if not buyers.any():
        raise ToolInputError(say(T.NO_PURCHASES, count=num_text(len(per))))
    return per.loc[buyers], [*warnings, say(T.NO_PURCHASES, count=num_text(int((~buyers).sum())))]


@dataclass
class _Part:
    """The result of one currency's analysis, merged by ``_merge``."""

    currency: str | None
    summary: Msg
    facts: dict[str, FactValue]
    tables: list[Table]
    charts: list[Chart]
    findings: list[Finding]


def _merge(tool: str, parts: list[_Part], method: Method, warnings: list[Msg]) -> ToolResult:
    """One part as is; several currencies side by side, nothing summed across them."""
    if len(parts) == 1:
        part = parts[0]
        facts = part.facts | ({"currency": part.currency} if part.currency is not None else {})
        return ToolResult(
            tool, part.summary, facts, part.tables, part.charts, method, part.findings, warnings
        )
    facts: dict[str, FactValue] = {"currencies": ", ".join(str(p.currency) for p in parts)}
    for key, value in parts[0].facts.items():
        facts[key] = value if key == "metric" else None
    tables, charts, findings, lines = [], [], [], []
    for i, part in enumerate(parts):
        code = str(part.currency)
        suffix = re.sub(r"[^a-z0-9]+", "_", code.casefold()).strip("_") or str(i + 1)
        facts |= {f"{k}_{suffix}": v for k, v in part.facts.items() if k != "metric"}
        lines.append(say(T.IN_CURRENCY, currency=code, text=part.summary))
        for chart in part.charts:
            charts.append(Chart(say(T.IN_CURRENCY, currency=code, text=chart.title), chart.figure))
        for finding in part.findings:
            finding.detail = say(T.IN_CURRENCY, currency=code, text=finding.detail)
            findings.append(finding)
    for j, table in enumerate(parts[0].tables):
        frames = []
        for part in parts:
            frame = part.tables[j].frame.copy()
            frame.insert(1 if "rank" in frame.columns else 0, "currency", part.currency)
            frames.append(frame)
        tables.append(Table(table.name, pd.concat(frames, ignore_index=True), table.title))
    summary = Msg("\n\n".join(m.en for m in lines), "\n\n".join(m.zh for m in lines))
    return ToolResult(tool, summary, facts, tables, charts, method, findings, warnings)


def _metric_value(metric: str, value: object) -> Msg:
    if metric == "margin":
        return pct_text(value)
    if metric == "orders":
        return num_text(value)
    return money_text(value)


def _snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold().replace("'", "")).strip("_")
