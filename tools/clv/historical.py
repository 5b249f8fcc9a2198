"""The historical customer lifetime value (the one implementation; customer_lifetime_value's
``model="historical"`` and marketing_roi's LTV use it):

    clv = average order value x purchases per year x margin x expected lifetime (years)

with the lifetime 1 / annual churn rate (capped at MAX_LIFETIME_YEARS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import pandas as pd
from pydantic import Field

from core.text import Msg
from prompts import customer_lifetime_value as W
from prompts import customer_rows as S
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.charts import bar_chart
from tools.clv.reporting import clv_groups, listing_summary, margin_used
from tools.customer_rows import (
    PERIODS,
    Rows,
    as_bool,
    customer_attribute,
    customer_ids,
    customer_names,
    dim_name,
    listed_customers,
    match_customers,
    name_column,
    plain_label,
    prepare,
    with_names,
)
from tools.errors import ToolInputError
from tools.params import RankParams
from tools.results import FactValue, Finding, Method, Table, ToolResult
from tools.value.common import TOP_SHARE, purchasers, rank_by
from tools.wording import (
    fact,
    items_text,
    money_text,
    num_text,
    pct_text,
    ratio,
    say,
    sentences,
)

#: CLV: purchases_per_year uses at least this many observed years (a quarter), so a new customer's one
#: order is not annualised from a few days.
_ID = "customer_id"
MIN_OBSERVED_YEARS = 0.25
MAX_LIFETIME_YEARS = 10.0
DEFAULT_LIFETIME_YEARS = 3.0
CHURN_WINDOW_DAYS = 365
#: at_risk_valuable_customers (customer_lifetime_value): top-20% CLV, no purchase for more than
#: OVERDUE_FACTOR x the customer's usual interval (365.25 / purchases_per_year) and OVERDUE_MIN_DAYS.
OVERDUE_FACTOR = 2.0
OVERDUE_MIN_DAYS = 90


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


# --- customer_lifetime_value -----------------------------------------------------------------------


@dataclass
class Estimate:
    """The historical CLV per customer and how it was made (shared by the tool and marketing_roi)."""

    tx: pd.DataFrame
    rows: Rows
    per: pd.DataFrame  # per-customer totals of the purchasers
    clv: pd.DataFrame  # index customer_id: revenue, orders, aov, purchases_per_year, margin, lifetime_years, clv
    as_of: date
    margin: float
    lifetime: float
    churn_rate: float | None
    warnings: list[Msg] = field(default_factory=list)
    assumptions: list[Msg] = field(default_factory=list)


def estimate(data: DatasetBundle, params: CLVParams) -> Estimate:
    """Historical CLV per customer with at least one purchase (formula: customer_lifetime_value)."""
    purpose = Msg("estimate customer lifetime value", "估算客户终身价值")
    tx = data.rows("transactions", [_ID, "date", "revenue"], purpose)  # a frame or a Relation
    rows = prepare(data, tx, params.start, params.end, params.currency)
    as_of = rows.last_date + timedelta(days=1)
    per, warnings = purchasers(aggregate.customer_totals(rows.tx), rows.warnings)
    assumptions = list(rows.assumptions)
    gross_profit = float(per["gross_profit"].sum()) if "gross_profit" in per.columns else None
    margin, margin_note = margin_used(
        params.margin, float(per["revenue"].sum()), gross_profit,
        W.HISTORICAL_MARGIN_GIVEN, W.HISTORICAL_MARGIN_OBSERVED, W.HISTORICAL_MARGIN_ASSUMED,
    )  # fmt: skip
    if margin_note is W.HISTORICAL_MARGIN_ASSUMED:
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
    return Estimate(tx, rows, per, clv, as_of, margin, lifetime, churn_rate, warnings, assumptions)


def average_clv_by(data: DatasetBundle, by: str) -> tuple[pd.Series, float]:
    """Average historical CLV per value of the customer attribute ``by`` (e.g. acquisition_channel), and
    over all customers. Raises ToolInputError when the data cannot support it."""
    est = estimate(data, CLVParams())
    attribute = customer_attribute(data, est.rows.tx, by).reindex(est.clv.index)
    by_value = est.clv["clv"].groupby(attribute.fillna(S.UNKNOWN).astype("str"), sort=False).mean()
    return by_value, float(est.clv["clv"].mean())


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
    if params.group_by in PERIODS:
        raise ToolInputError(say(W.CLV_DIMENSION, dimension=dim_name(params.group_by)))
    est = estimate(data, params)
    tx, rows, per, clv, as_of = est.tx, est.rows, est.per, est.clv, est.as_of
    margin, lifetime, churn_rate = est.margin, est.lifetime, est.churn_rate
    warnings, assumptions = est.warnings, est.assumptions
    names = customer_names(data, tx)
    matched = match_customers(data, tx, names, params.customer) if params.customer else None
    ranked = rank_by(clv, "clv", "revenue").drop(columns="share_of_revenue")
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
        frame = clv_groups(
            members, attribute, params.group_by, params.order, params.n, before=[("revenue", ("revenue", "sum"))]
        )
        labels = [str(v) for v in frame[params.group_by]]
        facts["groups"] = int(attribute.fillna(S.UNKNOWN).nunique())
        items = items_text(labels, [money_text(v) for v in frame["average_clv"]], more=False)
        head = say(W.CLV_GROUP, dimension=dim_name(params.group_by), items=items)
        chart_values, dimension = frame["average_clv"], params.group_by
        table = Table(f"clv_by_{params.group_by}", frame)
    else:
        listing = listed_customers(ranked, matched, params.order, params.n, names, rows)
        frame = with_names(listing, names)
        labels = [plain_label(c, n) for c, n in zip(frame[_ID], name_column(frame), strict=True)]
        head = listing_summary(
            frame, labels, params.customer is not None, params.order, _customer_line(len(clv)), W.CLV_TOP, W.CLV_BOTTOM
        )
        if matched is not None and len(frame) == 1:
            facts |= {
                "customer_clv": fact(frame["clv"].iloc[0]),
                "customer_rank": int(frame["rank"].iloc[0]),
            }
        chart_values, dimension = frame["clv"], "customer"
        table = Table("customer_lifetime_value", frame)
    facts["listed"] = len(frame)
    summary_facts = say(
        W.CLV_SUMMARY,
        average=money_text(facts["average_clv"]),
        total=money_text(facts["total_clv"]),
        customers=num_text(len(clv)),
        aov=money_text(facts["aov"]),
        ppy=num_text(facts["purchases_per_year"]),
        margin=pct_text(margin),
        lifetime=num_text(lifetime),
    )
    findings = _clv_findings(clv, per["last_date"], as_of)
    chart = bar_chart(labels, chart_values, say(W.CLV_CHART, dimension=dim_name(dimension)))
    method = Method(
        W.CLV_FORMULA.format(min_years=MIN_OBSERVED_YEARS),
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


def _lifetime(
    data: DatasetBundle, per: pd.DataFrame, as_of: date, given: float | None
) -> tuple[float, float | None, Msg, list[Msg]]:
    """(lifetime_years, annual churn rate or None, the assumption stated, warnings)."""
    if given is not None:
        return given, None, say(W.LIFETIME_GIVEN, lifetime=num_text(given)), []
    cap = num_text(MAX_LIFETIME_YEARS)
    customers = data.get("customers")
    if customers is not None and {"churned", _ID} <= set(customers.columns):
        estimate = _churn_from_flags(customers, per, pd.Timestamp(as_of))
        if estimate is not None:
            churned, years = estimate
            if churned == 0:
                return MAX_LIFETIME_YEARS, 0.0, say(W.LIFETIME_NO_CHURN, cap=cap), []
            rate = churned / years
            lifetime = min(1 / rate, MAX_LIFETIME_YEARS)
            note = say(
                W.LIFETIME_CHURN_FLAG,
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
            W.LIFETIME_DEFAULT, reason=W.LIFETIME_SHORT_DATA, lifetime=num_text(DEFAULT_LIFETIME_YEARS)
        )
        return DEFAULT_LIFETIME_YEARS, None, note, [note]
    lost = int((base & (per["last_date"] < cutoff)).sum())
    if lost == 0:
        return MAX_LIFETIME_YEARS, 0.0, say(W.LIFETIME_NO_CHURN, cap=cap), []
    rate = lost / int(base.sum())
    lifetime = min(1 / rate, MAX_LIFETIME_YEARS)
    note = say(
        W.LIFETIME_INACTIVE,
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


def _customer_line(customers: int):
    def line(label: str, row: pd.Series) -> Msg:
        return say(
            W.CLV_CUSTOMER,
            customer=label,
            clv=money_text(row["clv"]),
            aov=money_text(row["aov"]),
            ppy=num_text(row["purchases_per_year"]),
            rank=num_text(row["rank"]),
            customers=num_text(customers),
        )

    return line


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
                W.FINDING_AT_RISK_CLV,
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
