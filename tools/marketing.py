"""Marketing ROI: acquisition cost, conversion, first-year return, LTV:CAC and payback per channel/period.

Tool ``marketing_roi`` (``fn(data, params) -> ToolResult``). Its words are in prompts/marketing_roi.py.

Formulas (per channel, or per period with ``group_by`` month/quarter/year)::

    conversion_rate   = new_customers / leads
    cac               = spend / new_customers
    first_year_*      = Σ revenue / gross profit of the acquired customers' transactions dated in
                        [signup_date, signup_date + 365 days)
    roi               = (first_year_gross_profit - spend) / spend   (revenue basis without a cost column)
    ltv               = mean historical CLV of the channel's customers (tools/clv/historical.py,
                        reused, not recomputed)
    ltv_cac           = ltv / cac
    payback_months    = cac / monthly gross profit per acquired customer,
                        monthly gross profit = first_year_gross_profit / customer-months observed
                        (min(12, months from signup to the last transaction date) per customer)

Acquired customers are the customers-table rows whose acquisition_channel is the channel and whose
signup_date lies inside the marketing period (first to last marketing period, month ends included).
new_customers come from the marketing table (else counted from the customers table).

Findings
--------
- ``unprofitable_channel``: ROI < 0 (first-year gross profit, or revenue, below spend).
- ``high_ltv_cac_channel``: LTV:CAC > 3, the common 3:1 rule of thumb (a heuristic, not a law).

Example
-------
>>> round(roi(first_year=1500.0, spend=1000.0), 2), round(payback_months(cac=500.0, monthly_profit=100.0), 1)
(0.5, 5.0)
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import customer_rows as S
from prompts import marketing_roi as W
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.clv import historical
from tools.errors import ToolInputError
from tools.params import PeriodParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.wording import fact, join, money_text, num_text, pct_text, say, sentences

#: high_ltv_cac_channel: LTV:CAC above this (the 3:1 rule of thumb).
HIGH_LTV_CAC = 3.0
#: unprofitable_channel: ROI below this.
UNPROFITABLE_ROI = 0.0
FIRST_YEAR_DAYS = 365
DAYS_PER_MONTH = 365.25 / 12
MAX_SUMMARY_ITEMS = 8

MarketingDimension = Literal["channel", "acquisition_channel", "month", "quarter", "year"]


class MarketingParams(PeriodParams):
    """Marketing ROI per acquisition channel (or per period) over the marketing period."""

    group_by: MarketingDimension = Field(
        "channel",
        description="One row per channel (acquisition_channel is the same), or per month, quarter or year.",
    )
    channel: str | None = Field(None, description="Only this channel (name as in the marketing table).")


def roi(first_year: float, spend: float) -> float:
    """(first-year gross profit or revenue - spend) / spend; NaN when spend <= 0."""
    return (first_year - spend) / spend if spend > 0 else float("nan")


def payback_months(cac: float, monthly_profit: float) -> float:
    """Months of gross profit per acquired customer needed to recover CAC; NaN when profit <= 0."""
    return cac / monthly_profit if monthly_profit > 0 else float("nan")


def _safe(num: pd.Series, den: pd.Series) -> pd.Series:
    return num / den.where(den > 0)


def _period_end(periods: pd.Series) -> pd.Timestamp:
    last = pd.Timestamp(periods.max())
    if (periods.dropna().dt.day == 1).all():
        return last + pd.offsets.MonthEnd(0)
    return last


def marketing_roi(data: DatasetBundle, params: MarketingParams) -> ToolResult:
    """Spend, leads, new customers, conversion, CAC, first-year return, ROI, LTV:CAC and payback.

    Formulas, joins and findings: see the module docstring. Tables: marketing_roi (one row per channel or
    period: spend, leads, new_customers, conversion_rate, cac, acquired_customers, first_year_revenue,
    first_year_gross_profit, roi, ltv, ltv_cac, payback_months) and, per channel, marketing_by_period
    (channel x quarter: spend, leads, new_customers, conversion_rate, cac).

    Facts: spend, leads, new_customers, conversion_rate, cac, first_year_revenue, first_year_gross_profit,
    roi, roi_basis ('gross_profit' | 'revenue'), ltv, ltv_cac, payback_months, channels.
    Findings: unprofitable_channel, high_ltv_cac_channel.
    """
    mk = data.require("marketing", ["channel", "spend"], W.PURPOSE).copy()
    pcol = "period" if "period" in mk.columns else ("date" if "date" in mk.columns else None)
    if pcol is not None:
        mk["_period"] = pd.to_datetime(mk[pcol], errors="coerce")
        if params.start is not None:
            mk = mk.loc[mk["_period"] >= pd.Timestamp(params.start)]
        if params.end is not None:
            mk = mk.loc[mk["_period"] <= pd.Timestamp(params.end)]
    if params.group_by in aggregate.PERIOD_FREQ and pcol is None:
        raise ToolInputError(say(W.NO_ROWS, start=params.start or "…", end=params.end or "…"))
    mk["channel"] = mk["channel"].astype("str")
    if params.channel is not None:
        known = sorted(set(mk["channel"].tolist()))
        match = [c for c in known if c.casefold() == params.channel.strip().casefold()]
        if not match:
            raise ToolInputError(say(W.UNKNOWN_CHANNEL, channel=params.channel, channels=", ".join(known)))
        mk = mk.loc[mk["channel"] == match[0]]
    if mk.empty:
        raise ToolInputError(say(W.NO_ROWS, start=params.start or "…", end=params.end or "…"))
    warnings: list[Msg] = []
    assumptions: list[Msg] = []
    start = pd.Timestamp(mk["_period"].min()) if pcol else None
    end = _period_end(mk["_period"]) if pcol else None
    by_period = params.group_by in aggregate.PERIOD_FREQ
    dim = "channel" if params.group_by == "acquisition_channel" else params.group_by

    def key_of(frame: pd.DataFrame, channel_col: str, date_col: str) -> pd.Series:
        if by_period:
            return frame[date_col].dt.to_period(aggregate.PERIOD_FREQ[dim]).astype("str")
        return frame[channel_col].astype("str")

    mk["_key"] = key_of(mk, "channel", "_period")
    spec: dict[str, tuple[str, str]] = {"spend": ("spend", "sum")}
    for col in ("leads", "new_customers", "revenue"):
        if col in mk.columns:
            spec[col] = (col, "sum")
    table = mk.groupby("_key", sort=True).agg(**spec)

    acquired, as_of, basis = _acquired(data, start, end, params.channel, warnings)
    if acquired is not None:
        acquired["_key"] = key_of(acquired, "acquisition_channel", "signup_date")
        acq = acquired.groupby("_key").agg(
            acquired_customers=("customer_id", "size"),
            first_year_revenue=("fy_revenue", "sum"),
            first_year_gross_profit=("fy_gross_profit", "sum"),
            months_observed=("months", "sum"),
        )
        table = table.join(acq, how="left")
        table["acquired_customers"] = table["acquired_customers"].fillna(0).astype("int64")
        if "new_customers" not in table.columns:
            table["new_customers"] = table["acquired_customers"]
            assumptions.append(W.NEW_FROM_CUSTOMERS)
    elif "revenue" in table.columns:
        table["first_year_revenue"] = table["revenue"]
        table["first_year_gross_profit"] = np.nan
        table["months_observed"] = np.nan
        basis = "revenue"
        warnings.append(W.REVENUE_FROM_MARKETING)
    if "new_customers" not in table.columns:
        data.require("customers", ["customer_id", "acquisition_channel", "signup_date"], W.PURPOSE)
    table = table.drop(columns=[c for c in ("revenue",) if c in table.columns])
    for col in ("leads", "first_year_revenue", "first_year_gross_profit", "months_observed"):
        if col not in table.columns:
            table[col] = np.nan
    table = table.fillna({"first_year_revenue": 0.0, "first_year_gross_profit": 0.0, "months_observed": 0.0})
    ltv_by, ltv_all = _ltv(data, warnings) if not by_period else (None, _ltv(data, warnings)[1])
    table = _metrics(table, basis, ltv_by)
    totals = table.sum(numeric_only=True)
    overall = _metrics(pd.DataFrame([totals]), basis, None).iloc[0]
    overall_ltv_cac = ltv_all / overall["cac"] if ltv_all is not None and overall["cac"] > 0 else None
    facts: dict[str, FactValue] = {
        "spend": fact(overall["spend"]),
        "leads": fact(overall["leads"]) if "leads" in mk.columns else None,
        "new_customers": fact(overall["new_customers"]),
        "conversion_rate": fact(overall["conversion_rate"]),
        "cac": fact(overall["cac"]),
        "first_year_revenue": fact(overall["first_year_revenue"]),
        "first_year_gross_profit": fact(overall["first_year_gross_profit"])
        if basis == "gross_profit"
        else None,
        "roi": fact(overall["roi"]),
        "roi_basis": basis,
        "ltv": fact(ltv_all),
        "ltv_cac": fact(overall_ltv_cac),
        "payback_months": fact(overall["payback_months"]),
        "channels": int(mk["channel"].nunique()),
    }
    out = table.reset_index().rename(columns={"_key": dim}).drop(columns=["months_observed"])
    findings = [] if by_period else _findings(out, basis)
    tables = [Table("marketing_roi", out)]
    if not by_period and pcol is not None:
        tables.append(Table("marketing_by_period", _by_period(mk)))
    summary = _summary(facts, out, dim, basis, start, end, by_period)
    charts = [_chart(out, dim)]
    formula = say(
        W.FORMULA,
        dimension=S.DIMENSIONS.get(dim, Msg(dim, dim)),
        basis=W.BASIS[basis],
        ratio=num_text(HIGH_LTV_CAC),
    )
    if start is not None:
        assumptions.insert(
            0,
            say(
                W.PERIOD_NOTE,
                start=start.date().isoformat(),
                end=end.date().isoformat(),
                rows=num_text(len(mk)),
            ),
        )
    method = Method(formula, params.model_dump(mode="json"), assumptions, as_of, len(mk))
    return ToolResult("marketing_roi", summary, facts, tables, charts, method, findings, warnings)


def _acquired(
    data: DatasetBundle,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    channel: str | None,
    warnings: list[Msg],
) -> tuple[pd.DataFrame | None, date | None, str]:
    """Acquired customers with first-year revenue, gross profit and months observed (or None)."""
    customers = data.get("customers")
    tx = data.get("transactions")
    need = {"customer_id", "acquisition_channel", "signup_date"}
    if customers is None or not need <= set(customers.columns) or tx is None:
        return None, None, "gross_profit"
    if not {"customer_id", "date", "revenue"} <= set(tx.columns):
        return None, None, "gross_profit"
    cust = customers.drop_duplicates("customer_id")[
        ["customer_id", "acquisition_channel", "signup_date"]
    ].copy()
    cust["signup_date"] = pd.to_datetime(cust["signup_date"], errors="coerce")
    cust["acquisition_channel"] = cust["acquisition_channel"].astype("str")
    keep = cust["signup_date"].notna()
    if start is not None:
        keep &= (cust["signup_date"] >= start) & (cust["signup_date"] <= end)
    if channel is not None:
        keep &= cust["acquisition_channel"].str.casefold() == channel.strip().casefold()
    cust = cust.loc[keep].reset_index(drop=True)
    basis = "gross_profit" if "cost" in tx.columns else "revenue"
    if basis == "revenue":
        warnings.append(W.REVENUE_BASIS)
    as_of_ts = pd.Timestamp(tx["date"].max())
    signup = tx["customer_id"].map(cust.set_index("customer_id")["signup_date"])
    window = (
        signup.notna() & (tx["date"] >= signup) & (tx["date"] < signup + pd.Timedelta(days=FIRST_YEAR_DAYS))
    )
    rows = tx.loc[window]
    per = aggregate.customer_totals(rows) if len(rows) else pd.DataFrame(columns=["revenue"])
    cust["fy_revenue"] = cust["customer_id"].map(per["revenue"]).fillna(0.0)
    gp = per["gross_profit"] if "gross_profit" in per.columns else per["revenue"]
    cust["fy_gross_profit"] = cust["customer_id"].map(gp).fillna(0.0)
    days = (as_of_ts - cust["signup_date"]).dt.days.clip(lower=0)
    cust["months"] = (days / DAYS_PER_MONTH).clip(upper=12.0)
    partial = int((days < FIRST_YEAR_DAYS).sum())
    if partial:
        warnings.append(
            say(
                W.PARTIAL_YEAR,
                count=num_text(partial),
                total=num_text(len(cust)),
                as_of=as_of_ts.date().isoformat(),
            )
        )
    return cust, as_of_ts.date(), basis


def _ltv(data: DatasetBundle, warnings: list[Msg]) -> tuple[pd.Series | None, float | None]:
    """Average historical CLV per acquisition channel and overall (tools/clv/historical.py)."""
    customers = data.get("customers")
    if customers is None or "acquisition_channel" not in customers.columns:
        warnings.append(W.NO_LTV)
        return None, None
    try:
        by, overall = historical.average_clv_by(data, "acquisition_channel")
    except ToolInputError:
        warnings.append(W.NO_LTV)
        return None, None
    return by, fact(overall)


def _metrics(table: pd.DataFrame, basis: str, ltv: pd.Series | None) -> pd.DataFrame:
    table = table.copy()
    table["conversion_rate"] = _safe(table["new_customers"], table["leads"])
    table["cac"] = _safe(table["spend"], table["new_customers"])
    ret = table["first_year_gross_profit"] if basis == "gross_profit" else table["first_year_revenue"]
    table["roi"] = _safe(ret - table["spend"], table["spend"])
    table["ltv"] = table.index.to_series().astype("str").map(ltv) if ltv is not None else np.nan
    table["ltv"] = pd.to_numeric(table["ltv"], errors="coerce")
    table["ltv_cac"] = _safe(table["ltv"], table["cac"])
    monthly = _safe(table["first_year_gross_profit"], table["months_observed"])
    table["payback_months"] = _safe(table["cac"], monthly)
    order = ["spend", "leads", "new_customers", "conversion_rate", "cac"]
    order += [c for c in ("acquired_customers",) if c in table.columns]
    order += ["first_year_revenue", "first_year_gross_profit", "roi", "ltv", "ltv_cac", "payback_months"]
    return table[order + ["months_observed"]]


def _by_period(mk: pd.DataFrame) -> pd.DataFrame:
    quarter = mk["_period"].dt.to_period("Q").astype("str").rename("quarter")
    spec = {"spend": ("spend", "sum")}
    for col in ("leads", "new_customers"):
        if col in mk.columns:
            spec[col] = (col, "sum")
    out = mk.groupby([mk["channel"], quarter], sort=True).agg(**spec)
    if "leads" in out.columns and "new_customers" in out.columns:
        out["conversion_rate"] = _safe(out["new_customers"], out["leads"])
    if "new_customers" in out.columns:
        out["cac"] = _safe(out["spend"], out["new_customers"])
    return out.reset_index()


def _findings(out: pd.DataFrame, basis: str) -> list[Finding]:
    findings = []
    bad = out.loc[out["roi"] < UNPROFITABLE_ROI]
    if not bad.empty:
        ret = bad["first_year_gross_profit"] if basis == "gross_profit" else bad["first_year_revenue"]
        loss = float((bad["spend"] - ret).sum())
        labels = ", ".join(f"{c} (ROI {r:.0%})" for c, r in zip(bad["channel"], bad["roi"], strict=True))
        findings.append(
            Finding(
                "unprofitable_channel",
                say(W.FINDING_UNPROFITABLE, channels=labels, basis=W.BASIS[basis], loss=money_text(loss)),
                [],
                loss,
                "roi",
                UNPROFITABLE_ROI,
            )
        )
    good = out.loc[out["ltv_cac"] > HIGH_LTV_CAC]
    if not good.empty:
        labels = ", ".join(f"{c} ({r:.1f}:1)" for c, r in zip(good["channel"], good["ltv_cac"], strict=True))
        findings.append(
            Finding(
                "high_ltv_cac_channel",
                say(W.FINDING_HIGH_LTV_CAC, channels=labels, ratio=num_text(HIGH_LTV_CAC)),
                [],
                None,  # an opportunity, not money at stake
                "ltv_cac",
                HIGH_LTV_CAC,
            )
        )
    return findings


def _summary(
    facts: dict[str, FactValue],
    out: pd.DataFrame,
    dim: str,
    basis: str,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    by_period: bool,
) -> Msg:
    ret = facts["first_year_gross_profit"] if basis == "gross_profit" else facts["first_year_revenue"]
    ratio = facts["ltv_cac"]
    parts = [
        say(
            W.SUMMARY,
            start=start.date().isoformat() if start is not None else "…",
            end=end.date().isoformat() if end is not None else "…",
            spend=money_text(facts["spend"]),
            leads=num_text(facts["leads"]),
            new=num_text(facts["new_customers"]),
            conversion=pct_text(facts["conversion_rate"]),
            cac=money_text(facts["cac"]),
            basis=W.BASIS[basis],
            value=money_text(ret),
            roi=pct_text(facts["roi"]),
            ltv_cac=Msg(f"{ratio:.1f}:1", f"{ratio:.1f}:1") if ratio is not None else num_text(None),
            payback=num_text(facts["payback_months"]),
        )
    ]
    ranked = out.loc[out["cac"].notna()].sort_values("cac", kind="stable")
    if not by_period and len(ranked) >= 2:
        parts.append(
            say(
                W.CHEAPEST,
                cheapest=str(ranked[dim].iloc[0]),
                cac_low=money_text(ranked["cac"].iloc[0]),
                dearest=str(ranked[dim].iloc[-1]),
                cac_high=money_text(ranked["cac"].iloc[-1]),
            )
        )
    shown = out.head(MAX_SUMMARY_ITEMS)
    items = join(
        [say(S.ITEM, label=str(k), value=pct_text(r)) for k, r in zip(shown[dim], shown["roi"], strict=True)]
    )
    parts.append(say(W.BY_GROUP, dimension=S.DIMENSIONS.get(dim, Msg(dim, dim)), items=items))
    return sentences(parts)


def _chart(out: pd.DataFrame, dim: str) -> Chart:
    labels = out[dim].astype("str").tolist()
    per_customer = _safe(out["first_year_gross_profit"], out["new_customers"])
    figure = go.Figure(
        [
            go.Bar(name="cac", x=labels, y=out["cac"].to_numpy()),
            go.Bar(name="first_year_gross_profit_per_customer", x=labels, y=per_customer.to_numpy()),
        ]
    )
    figure.update_layout(barmode="group", xaxis={"type": "category"})
    return Chart(say(W.CHART, dimension=S.DIMENSIONS.get(dim, Msg(dim, dim))), figure)


SPEC = ToolSpec(
    "marketing_roi",
    MarketingParams,
    marketing_roi,
    requires=('marketing',),
    findings=('unprofitable_channel', 'high_ltv_cac_channel'),
    words=W,
    order=110,
)
