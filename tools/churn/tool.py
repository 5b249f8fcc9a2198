r"""churn_risk: per-customer churn probability and risk level, with the churn definition stated.

Two ways, chosen by the data (``method="auto"``)
------------------------------------------------
1. Labels (a customers table with a ``churned`` column holding both classes): a supervised model.

   Landmark snapshots avoid every leak of the label into the features. With ``as_of`` the last
   transaction date, H = ``prediction_days`` (default 180) and L = LOOKBACK_DAYS (365), snapshot dates
   are c_j = as_of - H - j * SNAPSHOT_STEP_DAYS (91) for j = 0, 1, ... while c_j - L >= the first
   transaction date (at least one). At each c every customer *active at c* is one row: joined on or
   before c (signup_date, else first purchase) and not churned on or before c. Features use only data
   dated <= c (transactions in (c - L, c], feedback and invoices as known at c, static customer
   attributes); label = churn_date in (c, c + H]. So a feature can never see the churn, and
   transactions appended after a churn date change nothing. A churned customer without a churn_date is
   left out of training (with no churn_date column at all, the last purchase date stands in, with a
   warning).

   Model: L2-regularised logistic regression (C = LOGISTIC_C = 0.1; numeric features median-imputed
   with missing-value indicators and standardised, categories one-hot encoded):
   P(churn within H days) = 1 / (1 + exp(-(b0 + b . z))). Quality: 5-fold ``StratifiedGroupKFold`` (all snapshots of one
   customer in one fold) ROC AUC, mean over folds = fact ``cv_auc`` (never a score without it).
   Drivers: permutation importance (mean drop in ROC AUC over 3 shuffles) on the held-out folds;
   direction = sign of the Spearman correlation between the feature and the out-of-fold probability
   (for a category: its level with the highest mean out-of-fold probability). Scores: the model refitted
   on all snapshots, applied to every customer not marked churned with features at c = as_of, i.e.
   P(churn within the next H days).

2. No labels: buy-till-you-die models and a recency rule.

   For customers with repeat purchases churn_probability = 1 - P(alive | x, t_x, T) from BG/NBD
   (:class:`tools.clv.BetaGeoFitter`, weeks). BG/NBD gives P(alive) = 1 to every one-time buyer, so those
   get 1 - P(alive) from MBG/NBD (:class:`tools.clv.ModifiedBetaGeoFitter`), and when MBG/NBD cannot be
   fitted, the recency rule. With fewer than MIN_CUSTOMERS customers or no repeat purchase at all (or
   ``method="recency_rule"``) everyone gets the recency rule:

       typical_gap = median of the gaps (days) between consecutive purchase days, all customers pooled
       high risk   when days_since_last_purchase > k * typical_gap        (k = gap_multiplier, default 3)
       medium risk when days_since_last_purchase > RULE_MEDIUM_SHARE * k * typical_gap (0.5)

   and churn_probability is left empty (never a silent zero); ``basis`` says which rule applied.

Risk levels: from 1 - P(alive) high >= HIGH_RISK (0.5), medium >= MEDIUM_RISK (0.25), else low; from
the supervised P(churn within H days) high >= SUPERVISED_HIGH_RISK (0.30), medium >=
SUPERVISED_MEDIUM_RISK (0.15), else low.

Facts: method, churn_definition, as_of, customers, customers_at_high_risk, customers_at_medium_risk,
customers_at_low_risk, share_at_high_risk, revenue_at_risk (trailing-12-month gross profit of the
high-risk customers when costs exist, else revenue; revenue_at_risk_basis says which),
average_churn_probability, high_risk_cutoff, medium_risk_cutoff; supervised: cv_auc, cv_auc_std,
training_rows, training_customers, training_churn_rate, prediction_days, snapshots, already_churned,
top_driver; unlabelled: typical_gap_days, gap_multiplier, r, alpha, a, b (BG/NBD when fitted).

Findings: ``high_churn_risk`` (customers at high risk; value = revenue at risk), ``revenue_at_risk``
(value = revenue at risk, when positive), ``at_risk_valuable_customers`` (high risk and in the top 20%
by trailing-12-month value).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.text import Msg
from prompts import churn_risk as W
from prompts import customer_rows as S
from tools.bundle import DatasetBundle
from tools.charts import bar_chart
from tools.churn.common import (
    HIGH_RISK,
    ID,
    LEVELS,
    MEDIUM_RISK,
    TOP_SHARE,
    TRAILING_DAYS,
    ChurnParams,
    Scored,
)
from tools.churn.supervised import churn_labels, supervised
from tools.churn.unlabelled import unlabelled
from tools.customer_rows import (
    Rows,
    customer_attribute,
    customer_ids,
    customer_names,
    dim_name,
    match_customers,
    name_column,
    no_tx_for,
    plain_label,
    prepare,
    with_names,
)
from tools.errors import ToolInputError
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
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

if TYPE_CHECKING:
    pass


def churn_risk(data: DatasetBundle, params: ChurnParams) -> ToolResult:
    """Churn probability and risk level per customer (see the module docstring for the methods)."""
    purpose = Msg("estimate churn risk", "估计流失风险")
    tx = data.require("transactions", [ID, "date", "revenue"], purpose)
    if params.method == "supervised":
        data.require("customers", [ID, "churned"], Msg("train a churn model", "训练流失模型"))
    rows = prepare(data, tx, params.start, params.end, params.currency)
    used = rows.tx
    as_of = params.as_of or rows.last_date
    used = used.loc[used["date"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)]
    if used.empty:
        raise ToolInputError(
            Msg(
                f"No transactions on or before {as_of.isoformat()}.",
                f"{as_of.isoformat()} 当日或之前没有交易。",
            )
        )
    notes: list[Msg] = []
    scored: Scored | None = None
    labels = churn_labels(data)
    if params.method in ("auto", "supervised") and labels is not None:
        scored, reason = supervised(data, used, labels, as_of, params)
        if scored is None:
            notes.append(say(W.NO_LABEL_TRAINING, reason=reason))
    if scored is None:
        scored = unlabelled(used, as_of, params)
    scored.warnings = notes + scored.warnings
    return _result(data, params, rows, used, as_of, scored)



# --- result ------------------------------------------------------------------------------------------


def _result(
    data: DatasetBundle,
    params: ChurnParams,
    rows: Rows,
    used: pd.DataFrame,
    as_of: date,
    scored: Scored,
) -> ToolResult:
    frame = scored.frame
    last = used.loc[used["revenue"] > 0].groupby(ID, sort=False)["date"].max()
    frame["days_since_last_purchase"] = (
        pd.Timestamp(as_of) - last.reindex(frame.index).dt.normalize()
    ).dt.days
    trailing = used.loc[used["date"] > pd.Timestamp(as_of) - pd.Timedelta(days=TRAILING_DAYS)]
    has_cost = "cost" in used.columns
    basis_name = "gross_profit" if has_cost else "revenue"
    rev = trailing.groupby(ID, sort=False)["revenue"].sum()
    frame["trailing_12m_revenue"] = rev.reindex(frame.index).fillna(0.0)
    if has_cost:
        gp = (trailing["revenue"] - trailing["cost"].fillna(0)).groupby(trailing[ID], sort=False).sum()
        frame["trailing_12m_gross_profit"] = gp.reindex(frame.index).fillna(0.0)
    at_stake = frame[f"trailing_12m_{basis_name}"]
    order = frame["risk_level"].map({"high": 0, "medium": 1, "low": 2})
    frame = frame.assign(
        _o=order, _p=-frame["churn_probability"].fillna(-1), _d=-frame["days_since_last_purchase"]
    )
    frame = frame.sort_values(["_o", "_p", "_d"], kind="stable").drop(columns=["_o", "_p", "_d"])
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    at_stake = at_stake.reindex(frame.index)
    high = frame["risk_level"] == "high"
    counts = {lvl: int((frame["risk_level"] == lvl).sum()) for lvl in LEVELS}
    revenue_at_risk = float(at_stake[high].sum())
    total_at_stake = float(at_stake.sum())
    facts: dict[str, FactValue] = {
        "method": scored.method,
        "churn_definition": scored.definition.en,
        "as_of": as_of.isoformat(),
        "customers": len(frame),
        "customers_at_high_risk": counts["high"],
        "customers_at_medium_risk": counts["medium"],
        "customers_at_low_risk": counts["low"],
        "share_at_high_risk": ratio(counts["high"], len(frame)),
        "revenue_at_risk": revenue_at_risk,
        "revenue_at_risk_basis": basis_name,
        "average_churn_probability": fact(frame["churn_probability"].mean()),
        "high_risk_cutoff": HIGH_RISK,
        "medium_risk_cutoff": MEDIUM_RISK,
    } | scored.facts
    basis_msg = W.BASIS_PROFIT if has_cost else W.BASIS_REVENUE
    method_name = W.BASIS.get(scored.method, Msg(scored.method, scored.method))
    if scored.method == "model":
        method_name = Msg("1 − P(alive)", "1 − P(仍活跃)")
    lines = [
        say(
            W.SUMMARY,
            as_of=as_of.isoformat(),
            method=method_name,
            high=num_text(counts["high"]),
            medium=num_text(counts["medium"]),
            low=num_text(counts["low"]),
            customers=num_text(len(frame)),
            at_risk=money_text(revenue_at_risk),
            basis=basis_msg,
        )
    ]
    if scored.quality is not None:
        lines.append(scored.quality)
    if scored.facts.get("already_churned"):
        lines.append(say(W.ALREADY_CHURNED, count=num_text(scored.facts["already_churned"])))
    tx = rows.tx
    names = customer_names(data, tx)
    tables = []
    charts = []
    if params.group_by is not None:
        attribute = customer_attribute(data, tx, params.group_by).reindex(frame.index)
        keys = attribute.fillna(S.UNKNOWN).rename(params.group_by)
        grouped = frame.assign(_high=high, _stake=at_stake.where(high, 0.0)).groupby(keys, sort=False)
        table = grouped.agg(
            customers=("risk_level", "size"),
            customers_at_high_risk=("_high", "sum"),
            average_churn_probability=("churn_probability", "mean"),
            revenue_at_risk=("_stake", "sum"),
        )
        table["share_at_high_risk"] = table["customers_at_high_risk"] / table["customers"]
        table = table.sort_values("share_at_high_risk", ascending=params.order == "bottom", kind="stable")
        table = table.head(params.n).reset_index()
        labels = [str(v) for v in table[params.group_by]]
        items = items_text(labels, [pct_text(v) for v in table["share_at_high_risk"]], more=False)
        lines.append(say(W.GROUP, dimension=dim_name(params.group_by), items=items))
        facts["groups"] = len(table)
        tables.append(Table(f"churn_risk_by_{params.group_by}", table))
        charts.append(
            bar_chart(
                labels,
                table["share_at_high_risk"],
                say(W.CHART_GROUP, dimension=dim_name(params.group_by)),
            )
        )
        listing = frame.head(0)
    else:
        listing = frame
        if params.customer:
            matched = match_customers(data, tx, names, params.customer)
            listing = frame.loc[frame.index.isin(matched)]
            if listing.empty:
                raise no_tx_for(matched, names, rows)
        elif params.risk_level is not None:
            listing = frame.loc[frame["risk_level"] == params.risk_level].head(params.n)
        else:
            listing = frame.head(params.n) if params.order == "top" else frame.iloc[::-1].head(params.n)
        out = with_names(listing, names)
        labels = [plain_label(c, n) for c, n in zip(out[ID], name_column(out), strict=True)]
        lines.append(_listing_line(out, labels, params, as_of))
        tables.append(Table("churn_risk", out))
    facts["listed"] = len(listing) if params.group_by is None else facts.get("groups", 0)
    level_names = [W.RISK_LEVELS[lvl].en for lvl in LEVELS]
    figure = go.Figure(go.Bar(x=level_names, y=[counts[lvl] for lvl in LEVELS]))
    figure.update_layout(showlegend=False, xaxis={"type": "category"})
    charts.insert(0, Chart(W.CHART_LEVELS, figure))
    charts += scored.charts
    tables += scored.tables
    lines.append(scored.definition)
    findings = _findings(
        frame, high, at_stake, revenue_at_risk, total_at_stake, basis_msg, float(facts["high_risk_cutoff"])
    )
    cutoffs = say(
        W.CUTOFFS, high=pct_text(facts["high_risk_cutoff"]), medium=pct_text(facts["medium_risk_cutoff"])
    )
    assumptions = [*rows.assumptions, scored.definition, cutoffs, *scored.assumptions]
    method = Method(scored.formula, params.model_dump(mode="json"), assumptions, as_of, len(used))
    return ToolResult(
        "churn_risk",
        sentences(lines),
        facts,
        tables,
        charts,
        method,
        findings,
        [*rows.warnings, *scored.warnings],
    )


def _listing_line(out: pd.DataFrame, labels: list[str], params: ChurnParams, as_of: date) -> Msg:
    if params.customer:
        parts = []
        for label, (_, row) in zip(labels, out.head(MAX_SUMMARY_ITEMS).iterrows(), strict=False):
            prob = row["churn_probability"]
            parts.append(
                say(
                    W.CUSTOMER,
                    customer=label,
                    level=W.RISK_LEVELS[row["risk_level"]],
                    probability=say(W.PROBABILITY, value=pct_text(prob)) if pd.notna(prob) else "",
                    days=num_text(row["days_since_last_purchase"]),
                    as_of=as_of.isoformat(),
                )
            )
        return sentences(parts)
    values = [
        pct_text(p) if pd.notna(p) else say(W.ITEM_RULE, days=num_text(d))
        for p, d in zip(out["churn_probability"], out["days_since_last_purchase"], strict=True)
    ][:MAX_SUMMARY_ITEMS]
    items = items_text(labels, values, more=len(out) > MAX_SUMMARY_ITEMS)
    if params.risk_level is not None:
        level = W.RISK_LEVELS[params.risk_level]
        if out.empty:
            return say(W.LEVEL_EMPTY, level=level)
        return say(W.LEVEL_LIST, level=level, count=num_text(len(out)), items=items)
    return say(W.TOP if params.order == "top" else W.BOTTOM, items=items)


def _findings(
    frame: pd.DataFrame,
    high: pd.Series,
    at_stake: pd.Series,
    amount: float,
    total: float,
    basis: Msg,
    threshold: float,
) -> list[Finding]:
    flagged = frame.index[high.to_numpy()]
    if not len(flagged):
        return []
    ids = customer_ids(at_stake.loc[flagged].sort_values(ascending=False, kind="stable").index)
    share = len(flagged) / len(frame)
    findings = [
        Finding(
            "high_churn_risk",
            say(W.FINDING_HIGH, count=num_text(len(flagged)), share=pct_text(share)),
            ids,
            amount,
            "churn_probability",
            threshold,
        )
    ]
    if amount > 0:
        findings.append(
            Finding(
                "revenue_at_risk",
                say(
                    W.FINDING_REVENUE,
                    amount=money_text(amount),
                    basis=basis,
                    share=pct_text(ratio(amount, total)),
                ),
                ids,
                amount,
                "trailing_12m_value",
                None,
            )
        )
    top = at_stake >= at_stake.quantile(1 - TOP_SHARE)
    valuable = at_stake.loc[(top & high & (at_stake > 0)).to_numpy()].sort_values(
        ascending=False, kind="stable"
    )
    if len(valuable):
        findings.append(
            Finding(
                "at_risk_valuable_customers",
                say(
                    W.FINDING_VALUABLE,
                    count=num_text(len(valuable)),
                    basis=basis,
                    amount=money_text(valuable.sum()),
                ),
                customer_ids(valuable.index),
                float(valuable.sum()),
                "churn_probability",
                threshold,
            )
        )
    return findings


SPEC = ToolSpec(
    "churn_risk",
    ChurnParams,
    churn_risk,
    requires=('transactions',),
    findings=('high_churn_risk', 'revenue_at_risk', 'at_risk_valuable_customers'),
    words=W,
    order=60,
)
