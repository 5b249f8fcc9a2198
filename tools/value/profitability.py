"""customer_profitability: revenue, cost, gross profit, cost-to-serve, net profit and margin per customer
or per segment/region/industry/product/channel/period; top or bottom N.

Formula: gross_profit = revenue - cost; net_profit = gross_profit - service_cost (cost-to-serve);
``profit`` = net_profit when service costs exist, else gross_profit; margin = profit / revenue;
share_of_profit = profit / total profit. Currencies are never summed together: each is its own part.

Findings: ``loss_making_customers`` (profit < 0; value = profit destroyed), ``high_cost_to_serve``
(cost_to_serve above HIGH_COST_TO_SERVE_SHARE of gross profit).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field

from core.text import Msg
from prompts import customer_profitability as W
from prompts import customer_rows as S
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.charts import bar_chart
from tools.customer_rows import (
    PERIODS,
    Names,
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
from tools.data import ops
from tools.params import RankParams
from tools.results import FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.value.common import CUSTOMER_ID, Part, loss_finding, merge, metric_value, rank_by
from tools.wording import (
    MAX_SUMMARY_ITEMS,
    fact,
    items_text,
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

#: high_cost_to_serve: cost_to_serve above this share of gross profit (or any when gross profit <= 0).
HIGH_COST_TO_SERVE_SHARE = 0.30


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
    name = S.METRICS[params.metric]
    purpose = Msg(f"rank customers by {name.en}", f"按{name.zh}给客户排名")
    tx = data.rows("transactions", [CUSTOMER_ID, "date", "revenue"], purpose)  # a frame or a Relation
    rows = prepare(data, tx, params.start, params.end, params.currency, split=True)
    metric, metric_warnings = _profit_metric(params.metric, rows.tx_columns)
    names = customer_names(data, tx)
    parts_used = rows.parts
    matched = None
    if params.customer:
        matched = match_customers(data, tx, names, params.customer)
        parts_used = [(c, p) for c, p in rows.parts if ops.count(ops.isin(p, CUSTOMER_ID, matched))]
        if not parts_used:
            raise no_tx_for(matched, names, rows)
    parts = [
        _profitability_part(data, part, currency, params, metric, names, matched)
        for currency, part in parts_used
    ]
    formula = W.PROFITABILITY_FORMULA if "cost" in rows.tx_columns else W.PROFITABILITY_FORMULA_REVENUE
    method = Method(formula, params.model_dump(mode="json"), rows.assumptions, rows.last_date, rows.rows_used)
    return merge("customer_profitability", parts, method, metric_warnings + rows.warnings)


def _profit_metric(metric: str, columns: set[str]) -> tuple[str, list[Msg]]:
    warnings: list[Msg] = []
    if metric in _NEEDS_SERVICE and "service_cost" not in columns:
        warnings.append(say(W.NO_SERVICE_COST, metric=S.METRICS[metric]))
        metric = "gross_profit"
    if metric in _NEEDS_COST and "cost" not in columns:
        warnings.append(S.NO_COST)
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
) -> Part:
    totals = aggregate.customer_totals(tx)
    per = totals.rename(columns={"service_cost": "cost_to_serve"})
    has_cost = "profit" in per.columns
    share_of = "profit" if has_cost else "revenue"
    facts = _profit_facts(per)
    findings = _profit_findings(per) if has_cost else []
    if params.group_by is None:
        ranked = rank_by(per, metric, share_of)
        if matched is not None:
            listing = ranked.loc[ranked.index.isin(matched)]
        elif params.order == "top":
            listing = ranked.head(params.n)
        else:
            listing = ranked.loc[ranked[metric].notna()].iloc[::-1].head(params.n)
        frame = with_names(listing, names)
        dimension = "customer"
        labels = [
            plain_label(cid, name) for cid, name in zip(frame[CUSTOMER_ID], name_column(frame), strict=True)
        ]
    else:
        rows = tx if matched is None else ops.isin(tx, CUSTOMER_ID, matched)
        groups = _group_frame(data, rows, totals if matched is None else None, params.group_by)
        groups = groups.rename(columns={"service_cost": "cost_to_serve"})
        ranked = rank_by(groups, metric, share_of)
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
    columns = ["rank", CUSTOMER_ID, "name", dimension, "customers", *_PROFIT_COLUMNS]
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
        say(W.PROFITABILITY_CHART, metric=S.METRICS[metric], dimension=dim_name(dimension)),
    )
    table = Table(
        "customer_profitability" if dimension == "customer" else f"profitability_by_{dimension}", frame
    )
    return Part(currency, summary, facts, [table], [chart], findings)


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
    loss = loss_finding(per["profit"])
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
                        W.FINDING_HIGH_COST_TO_SERVE,
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


def _profitability_summary(
    frame: pd.DataFrame,
    labels: list[str],
    params: ProfitabilityParams,
    metric: str,
    dimension: str,
    facts: dict[str, FactValue],
    has_cost: bool,
) -> Msg:
    values = [metric_value(metric, v) for v in frame[metric].head(MAX_SUMMARY_ITEMS)]
    items = items_text(labels, values, more=len(frame) > MAX_SUMMARY_ITEMS)
    name = S.METRICS[metric]
    if dimension in PERIODS and len(frame):
        best = frame.loc[frame["rank"].idxmin()]
        worst = frame.loc[frame["rank"].idxmax()]
        head = say(
            W.GROUP_PERIODS,
            metric=name,
            dimension=dim_name(dimension),
            best=say(S.ITEM, label=str(best[dimension]), value=metric_value(metric, best[metric])),
            worst=say(S.ITEM, label=str(worst[dimension]), value=metric_value(metric, worst[metric])),
            count=num_text(len(frame)),
        )
    elif dimension != "customer":
        template = W.GROUP_TOP if params.order == "top" else W.GROUP_BOTTOM
        head = say(template, metric=name, dimension=dim_name(dimension), items=items)
    elif params.customer is not None:
        template = W.CUSTOMER_PROFIT if has_cost else W.CUSTOMER_REVENUE
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
        template = W.PROFIT_TOP if params.order == "top" else W.PROFIT_BOTTOM
        head = say(
            template, n=num_text(len(frame)), items=items, share=pct_text(facts["listed_profit_share"])
        )
    else:
        template = W.RANK_TOP if params.order == "top" else W.RANK_BOTTOM
        head = say(template, n=num_text(len(frame)), metric=name, items=items)
    if has_cost:
        totals = say(
            W.PROFIT_TOTALS,
            revenue=money_text(facts["total_revenue"]),
            cost=money_text(facts["total_cost"]),
            profit=money_text(facts["total_profit"]),
            margin=pct_text(facts["margin"]),
            customers=num_text(facts["customers"]),
            loss_making=num_text(facts["loss_making_customers"]),
        )
    else:
        totals = say(
            W.REVENUE_TOTALS,
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
    out.index = out.index.fillna(S.UNKNOWN)
    out.index.name = by
    return out


SPEC = ToolSpec(
    "customer_profitability",
    ProfitabilityParams,
    customer_profitability,
    requires=('transactions',),
    findings=('loss_making_customers', 'high_cost_to_serve'),
    words=W,
    order=20,
)
