"""profit_concentration: the whale curve (cumulative share of profit against share of customers ranked
by profit), share of profit from the top TOP_SHARE of customers, loss-making customers and ABC classes.

Findings: ``high_profit_concentration`` (the top 20% make more than HIGH_CONCENTRATION_SHARE),
``loss_making_customers``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import customer_rows as S
from prompts import profit_concentration as W
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.customer_rows import (
    customer_ids,
    customer_names,
    prepare,
    with_names,
)
from tools.params import PeriodParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.value.common import CUSTOMER_ID, TOP_SHARE, loss_finding
from tools.wording import (
    fact,
    money_text,
    num_text,
    pct_text,
    say,
    sentences,
)

#: high_profit_concentration: the top TOP_SHARE of customers make more than this share of profit.
HIGH_CONCENTRATION_SHARE = 0.80

#: ABC classes: A until the customers ranked before reach 80% of positive profit, B until 95%, C the rest.
ABC_LIMITS = (0.80, 0.95)

MAX_CURVE_POINTS = 500


class ConcentrationParams(PeriodParams):
    """Whale curve over the period."""

    currency: str | None = Field(
        None, description="Currency to analyse when there are several (default: the most common)."
    )


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
    tx = data.rows("transactions", [CUSTOMER_ID, "date", "revenue"], purpose)  # a frame or a Relation
    rows = prepare(data, tx, params.start, params.end, params.currency)
    per = aggregate.customer_totals(rows.tx)
    metric = "profit" if "profit" in per.columns else "revenue"
    warnings = rows.warnings + ([] if metric == "profit" else [S.NO_COST])
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
    loss = loss_finding(per["profit"]) if metric == "profit" else None
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
        warnings.append(say(W.NONPOSITIVE_TOTAL, metric=S.METRICS[metric], total=money_text(total)))
    summary = _concentration_summary(facts, metric, abc_table)
    findings = []
    if metric == "profit" and top_share is not None and top_share > HIGH_CONCENTRATION_SHARE:
        findings.append(
            Finding(
                "high_profit_concentration",
                say(
                    W.FINDING_CONCENTRATION,
                    count=num_text(top_k),
                    share=pct_text(top_share),
                    metric=S.METRICS[metric],
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
    assumptions = rows.assumptions + [say(W.ABC_RULE, metric=S.METRICS[metric])]
    if metric == "profit":
        assumptions.append(W.LOSS_SIGN)
    method = Method(
        W.CONCENTRATION_FORMULA, params.model_dump(mode="json"), assumptions, rows.last_date, rows.rows_used
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
        W.ABC_SUMMARY,
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
        head = say(W.CONCENTRATION_REVENUE, top_share=pct_text(facts["top_20pct_revenue_share"]), **common)
        return sentences([head, abc_line])
    head = say(
        W.CONCENTRATION_SUMMARY,
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
    name = S.METRICS[metric]
    figure = go.Figure(go.Scatter(x=x, y=y, mode="lines", name=name.en))
    figure.add_hline(y=1.0, line_dash="dot")
    figure.update_layout(
        xaxis={"title": say(W.WHALE_X, metric=name).en, "tickformat": ".0%"},
        yaxis={"title": say(W.WHALE_Y, metric=name).en, "tickformat": ".0%"},
        showlegend=False,
    )
    return Chart(say(W.WHALE_CHART, metric=name), figure)


SPEC = ToolSpec(
    "profit_concentration",
    ConcentrationParams,
    profit_concentration,
    requires=('transactions',),
    findings=('high_profit_concentration', 'loss_making_customers'),
    words=W,
    order=30,
)
