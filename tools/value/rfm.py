"""rfm_segments: recency, frequency and monetary value per customer, 1-5 quintile scores and the named
segments of RFM_RULES (R score x the average of F and M).

Findings: ``at_risk_valuable_customers`` (segments AT_RISK_SEGMENTS: R <= 2 with FM >= 3).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import rfm_segments as W
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.customer_rows import (
    customer_ids,
    customer_names,
    name_column,
    plain_label,
    prepare,
    with_names,
)
from tools.formatting import pct
from tools.params import PeriodParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.value.common import CUSTOMER_ID, purchasers, snake
from tools.wording import (
    MAX_SUMMARY_ITEMS,
    fact,
    items_text,
    join,
    money_text,
    num_text,
    pct_text,
    ratio,
    say,
)

RFMSegment = Literal[
    "Champions", "Loyal", "Potential loyalists", "New", "Promising", "Need attention", "About to sleep",
    "At risk", "Can't lose them", "Hibernating", "Lost",
]  # fmt: skip

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


# --- rfm_segments ----------------------------------------------------------------------------------


def rfm_segments(data: DatasetBundle, params: RFMParams) -> ToolResult:
    """RFM scores and named segments per customer.

    Formula (per customer with at least one purchase, i.e. a row with revenue > 0)::

        recency_days = (as_of - last purchase date) in days   as_of default: day after the last transaction
        frequency = orders (distinct order_id, else purchase days)
        monetary = Σ revenue (refunds netted)
        r/m_score = 1..5 quintile of rank(method="first")      5 = best; recency reversed (recent = 5)
        f_score   = ceil(5 x rank(method="average", pct=True))  equal order counts share one score
        fm = floor((f_score + m_score + 1) / 2)                 the average of F and M, rounded half up

    Transactions after ``as_of`` are ignored. Ties in recency and monetary rank are broken by first appearance in the data; equal frequencies
    share one F score.

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
    at_risk_valuable_revenue, at_risk_valuable_revenue_share, listed, one_purchase_champions (customers
    with one purchase scored Champions; see the plausibility gate).

    Findings: ``at_risk_valuable_customers``: customers in At risk or Can't lose them (R score <= 2 with
    FM >= 3), by monetary, value = their monetary (revenue in the period).
    """
    purpose = Msg("score recency, frequency and monetary value", "计算最近购买、频次和金额评分")
    tx = data.rows("transactions", [CUSTOMER_ID, "date", "revenue"], purpose)  # a frame or a Relation
    end = params.end
    if params.as_of is not None and (end is None or params.as_of < end):
        end = params.as_of
    rows = prepare(data, tx, params.start, end, params.currency)
    as_of = params.as_of or rows.last_date + timedelta(days=1)
    per, warnings = purchasers(aggregate.customer_totals(rows.tx), rows.warnings)
    rfm = pd.DataFrame(
        {
            "recency_days": (pd.Timestamp(as_of) - per["last_date"]).dt.days.astype("int64"),
            "frequency": per["orders"].astype("int64"),
            "monetary": per["revenue"],
        }
    )
    rfm["r_score"] = _quintile(rfm["recency_days"], reverse=True)
    rfm["f_score"] = _tied_quintile(rfm["frequency"])
    rfm["m_score"] = _quintile(rfm["monetary"])
    rfm["fm_score"] = (rfm["f_score"] + rfm["m_score"] + 1) // 2
    grid = np.array([[""] * 6] + [["", *RFM_RULES[r]] for r in range(1, 6)], dtype=object)
    rfm["segment"] = grid[rfm["r_score"].to_numpy(), rfm["fm_score"].to_numpy()]
    if len(rfm) < 5:
        warnings.append(say(W.FEW_CUSTOMERS, count=num_text(len(rfm))))
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
        facts[f"{snake(segment)}_customers"] = int(counts.get(segment, 0))
    facts |= {
        "champions_revenue_share": ratio(
            rfm.loc[rfm["segment"] == "Champions", "monetary"].sum(), total_revenue
        ),
        "at_risk_valuable_customers": len(at_risk),
        "at_risk_valuable_revenue": fact(at_risk["monetary"].sum()),
        "at_risk_valuable_revenue_share": ratio(at_risk["monetary"].sum(), total_revenue),
        "listed": len(listing),
        "one_purchase_champions": int(((rfm["frequency"] == 1) & (rfm["segment"] == "Champions")).sum()),
    }
    findings = []
    if len(at_risk):
        findings.append(
            Finding(
                "at_risk_valuable_customers",
                say(
                    W.FINDING_AT_RISK_RFM,
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
    assumptions = rows.assumptions + [W.RFM_RULE.format(rules=rules)]
    method = Method(W.RFM_FORMULA, params.model_dump(mode="json"), assumptions, as_of, rows.rows_used)
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


def _tied_quintile(values: pd.Series) -> pd.Series:
    """Score 1..5 where equal values share a score: ceil(5 x average-rank percentile). Order counts tie
    massively (most customers of a retailer buy once), and ranking ties by their order in the file
    would score identical one-purchase customers anywhere from 1 to 5."""
    if len(values) < 2:
        return pd.Series(3, index=values.index, dtype="int64")
    pct = values.rank(method="average", pct=True)
    return np.ceil(pct * 5).clip(1, 5).astype("int64")


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
        name = W.RFM_SEGMENTS[params.segment]
        row = segments.loc[segments["segment"] == params.segment]
        if row.empty:
            return say(W.RFM_SEGMENT_EMPTY, segment=name)
        labels = [plain_label(c, n) for c, n in zip(listing[CUSTOMER_ID], name_column(listing), strict=True)]
        values = [money_text(v) for v in listing["monetary"].head(MAX_SUMMARY_ITEMS)]
        return say(
            W.RFM_SEGMENT_LIST,
            segment=name,
            count=num_text(row["customers"].iloc[0]),
            revenue_share=pct_text(row["revenue_share"].iloc[0]),
            items=items_text(labels, values, more=len(listing) > MAX_SUMMARY_ITEMS),
        )
    largest = segments.sort_values("customers", ascending=False, kind="stable").head(3)
    items = join(
        [
            say(W.RFM_SEGMENT_ITEM, segment=W.RFM_SEGMENTS[s], count=num_text(c), share=pct_text(r))
            for s, c, r in zip(
                largest["segment"], largest["customers"], largest["revenue_share"], strict=True
            )
        ]
    )
    return say(
        W.RFM_SUMMARY,
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
    figure.update_layout(yaxis_title=W.RFM_AXIS_CUSTOMERS.en, showlegend=False)
    return Chart(W.RFM_CHART, figure)


SPEC = ToolSpec(
    "rfm_segments",
    RFMParams,
    rfm_segments,
    requires=('transactions',),
    findings=('at_risk_valuable_customers',),
    words=W,
    order=40,
    levels={"rfm_segment": "segment"},
)
