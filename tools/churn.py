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

import warnings
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import churn as T
from prompts import value as VT
from tools import clv as models
from tools.bundle import DatasetBundle
from tools.charts import bar_chart
from tools.customer_rows import (
    Rows,
    as_bool,
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
from tools.params import RankParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
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
    sentences,
)

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

#: Risk levels from 1 - P(alive) (probability the customer is already gone).
HIGH_RISK = 0.5
MEDIUM_RISK = 0.25
#: Risk levels from the supervised P(churn within prediction_days) (base rates are ~5-20%).
SUPERVISED_HIGH_RISK = 0.30
SUPERVISED_MEDIUM_RISK = 0.15
#: Recency rule: high risk after k x typical gap (k = gap_multiplier), medium after this share of it.
DEFAULT_GAP_MULTIPLIER = 3.0
RULE_MEDIUM_SHARE = 0.5
#: Typical gap assumed when nobody bought twice.
DEFAULT_GAP_DAYS = 90.0
#: Purchase models need this many customers (and a repeat purchase).
MIN_CUSTOMERS = 10
#: Supervised model: snapshots, windows, folds, minimum class sizes.
DEFAULT_PREDICTION_DAYS = 180
LOOKBACK_DAYS = 365
SHORT_WINDOW_DAYS = 90
SNAPSHOT_STEP_DAYS = 91
CV_FOLDS = 5
MIN_PER_CLASS = 10
PERMUTATION_REPEATS = 3
#: Inverse L2 penalty strength of the logistic regression.
LOGISTIC_C = 0.1
TOP_DRIVERS = 5
#: A single feature with a univariate AUC above this (or below 1 - it) is reported as a possible leak.
LEAKAGE_AUC = 0.95
#: Categorical attributes with more levels than this (or unique per customer) are not used.
MAX_LEVELS = 30
TRAILING_DAYS = 365
TOP_SHARE = 0.20
RANDOM_STATE = 0
_ID = "customer_id"
_LEVELS = ("high", "medium", "low")
_NEVER_FEATURES = {"customer_id", "name", "churned", "churn_date", "signup_date", "email", "phone"}

Method_ = Literal["auto", "supervised", "model", "recency_rule"]


class ChurnParams(RankParams):
    """Churn risk per customer: how to estimate it, which customers to list."""

    method: Method_ = Field(
        "auto",
        description="'auto' (default): a supervised model when the customers table has a churned column, "
        "else purchase models; 'supervised'; 'model' (1 - P(alive), BG/NBD and MBG/NBD); 'recency_rule'.",
    )
    risk_level: Literal["high", "medium", "low"] | None = Field(
        None, description="List only the customers at this risk level."
    )
    gap_multiplier: float = Field(
        DEFAULT_GAP_MULTIPLIER,
        ge=1,
        le=20,
        description="Recency rule: churned after no purchase for longer than this many typical purchase gaps.",
    )
    prediction_days: int = Field(
        DEFAULT_PREDICTION_DAYS,
        ge=30,
        le=730,
        description="Supervised model: predict churn within this many days after the reference date.",
    )
    as_of: date | None = Field(
        None, description="Reference date (default: the last transaction date); later data is ignored."
    )
    currency: str | None = Field(
        None, description="Currency to analyse when there are several (default: the most common)."
    )


@dataclass
class _Scored:
    """Per-customer scores and everything the answer states about how they were made."""

    frame: pd.DataFrame  # index customer_id: churn_probability, risk_level, basis
    method: str
    definition: Msg
    formula: Msg
    assumptions: list[Msg] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)
    facts: dict[str, FactValue] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    quality: Msg | None = None


def churn_risk(data: DatasetBundle, params: ChurnParams) -> ToolResult:
    """Churn probability and risk level per customer (see the module docstring for the methods)."""
    purpose = Msg("estimate churn risk", "估计流失风险")
    tx = data.require("transactions", [_ID, "date", "revenue"], purpose)
    if params.method == "supervised":
        data.require("customers", [_ID, "churned"], Msg("train a churn model", "训练流失模型"))
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
    scored: _Scored | None = None
    labels = _labels(data)
    if params.method in ("auto", "supervised") and labels is not None:
        scored, reason = _supervised(data, used, labels, as_of, params)
        if scored is None:
            notes.append(say(T.NO_LABEL_TRAINING, reason=reason))
    if scored is None:
        scored = _unlabelled(used, as_of, params)
    scored.warnings = notes + scored.warnings
    return _result(data, params, rows, used, as_of, scored)


# --- unlabelled: BG/NBD, MBG/NBD, recency rule ------------------------------------------------------


def typical_gap_days(purchases: pd.DataFrame) -> float | None:
    """Median gap in days between consecutive purchase days of the same customer (all pooled).

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b"],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-01-11", "2024-01-31", "2024-01-01",
    ...                                            "2024-01-05"])})
    >>> typical_gap_days(tx)
    10.0
    """
    days = purchases[[_ID, "date"]].assign(date=purchases["date"].dt.normalize()).drop_duplicates()
    days = days.sort_values([_ID, "date"], kind="stable")
    same = days[_ID].to_numpy()[1:] == days[_ID].to_numpy()[:-1]
    gaps = np.diff(days["date"].to_numpy()).astype("timedelta64[D]").astype(float)[same]
    return float(np.median(gaps)) if gaps.size else None


def recency_rule(days_since: pd.Series, gap: float, k: float) -> pd.Series:
    """Risk level by the recency rule: high > k x gap, medium > RULE_MEDIUM_SHARE x k x gap, else low.

    >>> recency_rule(pd.Series([10.0, 50.0, 100.0]), gap=10.0, k=6.0).tolist()
    ['low', 'medium', 'high']
    """
    limit = k * gap
    level = np.where(
        days_since > limit, "high", np.where(days_since > RULE_MEDIUM_SHARE * limit, "medium", "low")
    )
    return pd.Series(level, index=days_since.index, dtype="str")


def _levels(probability: np.ndarray, high: float = HIGH_RISK, medium: float = MEDIUM_RISK) -> np.ndarray:
    return np.where(probability >= high, "high", np.where(probability >= medium, "medium", "low"))


def _unlabelled(purchases_all: pd.DataFrame, as_of: date, params: ChurnParams) -> _Scored:
    purchases = purchases_all.loc[purchases_all["revenue"].to_numpy() >= 0]
    summary = models.rfm_summary(purchases, calibration_end=as_of, time_unit="W")
    last = purchases.groupby(_ID, sort=False)["date"].max().reindex(summary.index)
    days_since = (pd.Timestamp(as_of) - last.dt.normalize()).dt.days.astype(float)
    gap = typical_gap_days(purchases)
    warns: list[Msg] = []
    if gap is None:
        gap = DEFAULT_GAP_DAYS
        warns.append(say(T.NO_GAP, gap=num_text(gap)))
    k = params.gap_multiplier
    limit = k * gap
    rule_text = say(
        T.DEFINITION_RULE,
        k=num_text(k),
        gap=num_text(gap),
        limit=num_text(limit),
        medium=num_text(RULE_MEDIUM_SHARE * limit),
    )
    rule_formula = say(
        T.FORMULA_RULE,
        as_of=as_of.isoformat(),
        k=num_text(k),
        limit=num_text(limit),
        medium=num_text(RULE_MEDIUM_SHARE * limit),
    )
    frame = pd.DataFrame(index=summary.index.rename(_ID))
    frame["churn_probability"] = np.nan
    frame["risk_level"] = recency_rule(days_since, gap, k).to_numpy()
    frame["basis"] = "recency_rule"
    facts: dict[str, FactValue] = {"typical_gap_days": gap, "gap_multiplier": k}
    x = summary["frequency"].to_numpy(float)
    reason: Msg | None = None
    if params.method == "recency_rule":
        pass
    elif len(summary) < MIN_CUSTOMERS:
        reason = say(T.REASON_FEW, count=num_text(len(summary)), min=MIN_CUSTOMERS)
    elif not (x > 0).any():
        reason = Msg("no customer bought twice", "没有客户购买过两次")
    if params.method == "recency_rule" or reason is not None:
        if reason is not None:
            warns.append(say(T.FEW_FOR_MODEL, reason=reason))
        return _Scored(frame, "recency_rule", rule_text, rule_formula, [], warns, facts)
    args = (summary["frequency"], summary["recency"], summary["T"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            bg = models.BetaGeoFitter().fit(*args)
        except ValueError as exc:
            warns.append(say(T.FEW_FOR_MODEL, reason=Msg(str(exc), str(exc))))
            return _Scored(frame, "recency_rule", rule_text, rule_formula, [], warns, facts)
        try:
            mbg: models.ModifiedBetaGeoFitter | None = models.ModifiedBetaGeoFitter().fit(*args)
        except ValueError:
            mbg = None
    warns += [Msg(f"Model note: {w.message}", f"模型提示：{w.message}") for w in caught]
    repeat = x > 0
    p_dead = 1.0 - np.asarray(bg.conditional_probability_alive(*args), dtype=float)
    frame.loc[repeat, "churn_probability"] = p_dead[repeat]
    frame.loc[repeat, "basis"] = "bgnbd"
    if mbg is not None:
        p_dead_mbg = 1.0 - np.asarray(mbg.conditional_probability_alive(*args), dtype=float)
        frame.loc[~repeat, "churn_probability"] = p_dead_mbg[~repeat]
        frame.loc[~repeat, "basis"] = "mbgnbd"
    modelled = frame["churn_probability"].notna().to_numpy()
    frame.loc[modelled, "risk_level"] = _levels(frame.loc[modelled, "churn_probability"].to_numpy())
    facts |= {k_: fact(v) for k_, v in bg.params_.items()}
    one_time = T.ONE_TIME_MBG if mbg is not None else T.ONE_TIME_RULE
    definition = say(T.DEFINITION_MODEL, as_of=as_of.isoformat(), one_time=one_time)
    if mbg is None and (~repeat).any():
        definition = sentences([definition, rule_text])
    formula = say(T.FORMULA_MODEL, **{k_: f"{v:.4g}" for k_, v in bg.params_.items()})
    return _Scored(frame, "model", definition, formula, [], warns, facts)


# --- supervised --------------------------------------------------------------------------------------


@dataclass
class _Labels:
    """Churn labels per customer: churned flag, churn day (NaT when unknown), join date, attributes."""

    churned: pd.Series
    churn_date: pd.Series
    signup: pd.Series
    attributes: pd.DataFrame
    has_churn_date: bool


def _labels(data: DatasetBundle) -> _Labels | None:
    customers = data.get("customers")
    if customers is None or not {_ID, "churned"} <= set(customers.columns):
        return None
    frame = customers.drop_duplicates(_ID).set_index(_ID)
    churned = as_bool(frame["churned"])
    if churned.notna().sum() == 0:
        return None
    has_date = "churn_date" in frame.columns
    churn_date = (
        pd.to_datetime(frame["churn_date"], errors="coerce")
        if has_date
        else pd.Series(pd.NaT, index=frame.index)
    )
    signup = (
        pd.to_datetime(frame["signup_date"], errors="coerce")
        if "signup_date" in frame.columns
        else pd.Series(pd.NaT, index=frame.index)
    )
    return _Labels(churned, churn_date, signup, _attributes(frame), has_date)


def _attributes(frame: pd.DataFrame) -> pd.DataFrame:
    """Usable static attributes: numeric and bool columns, and categories with few levels."""
    keep: dict[str, pd.Series] = {}
    n = len(frame)
    for col in frame.columns:
        name = str(col)
        if name in _NEVER_FEATURES or "churn" in name.casefold():
            continue
        s = frame[col]
        if pd.api.types.is_bool_dtype(s):
            keep[name] = s.astype(float)
        elif pd.api.types.is_numeric_dtype(s):
            keep[name] = s.astype(float)
        elif pd.api.types.is_datetime64_any_dtype(s):
            continue
        else:
            levels = s.nunique(dropna=True)
            if 1 < levels <= MAX_LEVELS and levels < 0.5 * n:
                keep[name] = s.astype("str").where(s.notna()).astype("category")
    return pd.DataFrame(keep, index=frame.index)


def snapshot_dates(first: date, as_of: date, prediction_days: int) -> list[pd.Timestamp]:
    """Snapshot dates c_j = as_of - H - j * SNAPSHOT_STEP_DAYS with c_j - LOOKBACK_DAYS >= first (>= 1).

    >>> [d.date().isoformat() for d in snapshot_dates(date(2023, 1, 1), date(2025, 12, 31), 180)]
    ['2025-07-04', '2025-04-04', '2025-01-03', '2024-10-04', '2024-07-05', '2024-04-05', '2024-01-05']
    """
    last = pd.Timestamp(as_of) - pd.Timedelta(days=prediction_days)
    earliest = pd.Timestamp(first) + pd.Timedelta(days=LOOKBACK_DAYS)
    out = []
    c = last
    while c >= earliest:
        out.append(c)
        c -= pd.Timedelta(days=SNAPSHOT_STEP_DAYS)
    if not out and last > pd.Timestamp(first):
        out.append(last)
    return out


def features_at(
    data: DatasetBundle, purchases: pd.DataFrame, keys: pd.DataFrame, attributes: pd.DataFrame | None
) -> pd.DataFrame:
    """Features of each (customer_id, cutoff) row of ``keys`` from data dated <= cutoff only.

    Transactions in (cutoff - LOOKBACK_DAYS, cutoff]: orders (purchase days) and revenue in the last
    90 and 365 days, order trend = 4 x orders_90d / orders_365d, average order value, refunds, gross
    margin (with costs); days since the last purchase on or before the cutoff; tenure = cutoff - join
    date (signup_date, else first purchase). Feedback dated <= cutoff in the last year: count,
    complaints, unresolved complaints, mean score. Invoices due in the last year: mean days paid late
    as known at the cutoff (unpaid -> cutoff - due date) and open overdue invoices at the cutoff.
    Static attributes are joined as they are. Rows keep the order of ``keys``.
    """
    keys = keys.reset_index(drop=True)
    out = pd.DataFrame(index=keys.index)
    cut = keys["cutoff"]
    tx = purchases[[_ID, "date", "revenue", *(["cost"] if "cost" in purchases.columns else [])]]
    joined = keys.reset_index(names="row").merge(tx, on=_ID, how="inner")
    joined = joined.loc[joined["date"] <= joined["cutoff"]]
    age = (joined["cutoff"] - joined["date"]).dt.days
    buy = joined["revenue"] > 0
    day = joined["date"].dt.normalize()
    first = joined.loc[buy].groupby("row")["date"].min()
    last = joined.loc[buy].groupby("row")["date"].max()
    out["days_since_last_purchase"] = (cut - last.reindex(out.index)).dt.days.astype(float)
    for window, suffix in ((SHORT_WINDOW_DAYS, "90d"), (LOOKBACK_DAYS, "365d")):
        inside = joined.loc[buy & (age < window)]
        orders = inside.assign(day=day.loc[inside.index]).groupby("row")["day"].nunique()
        out[f"orders_{suffix}"] = orders.reindex(out.index).fillna(0).astype(float)
        out[f"revenue_{suffix}"] = inside.groupby("row")["revenue"].sum().reindex(out.index).fillna(0.0)
    year = joined.loc[age < LOOKBACK_DAYS]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["order_trend"] = (4 * out["orders_90d"] / out["orders_365d"]).where(out["orders_365d"] > 0)
        out["avg_order_value_365d"] = (out["revenue_365d"] / out["orders_365d"]).where(out["orders_365d"] > 0)
    out["refunds_365d"] = (
        (year["revenue"] < 0).groupby(year["row"]).sum().reindex(out.index).fillna(0).astype(float)
    )
    if "cost" in year.columns:
        rev = year.groupby("row")["revenue"].sum().reindex(out.index)
        cost = year.groupby("row")["cost"].sum().reindex(out.index)
        out["gross_margin_365d"] = ((rev - cost) / rev).where(rev > 0)
    start = first.reindex(out.index)
    if attributes is not None and "_signup" in attributes.columns:
        signup = pd.Series(attributes["_signup"].reindex(keys[_ID]).to_numpy(), index=out.index)
        start = pd.to_datetime(signup).fillna(start)
    out["tenure_days"] = (cut - start).dt.days.astype(float)
    out = out.join(_feedback_features(data, keys)).join(_invoice_features(data, keys))
    if attributes is not None:
        static = attributes.drop(columns=["_signup"], errors="ignore").reindex(keys[_ID])
        static.index = out.index
        out = out.join(static)
    return out


def _feedback_features(data: DatasetBundle, keys: pd.DataFrame) -> pd.DataFrame:
    """Feedback dated <= cutoff: count and mean score in the last year, complaints (all and unresolved) ever."""
    fb = data.get("feedback")
    if fb is None or not {_ID, "date"} <= set(fb.columns):
        return pd.DataFrame(index=keys.index)
    cols = [c for c in ("score", "complaint", "resolved") if c in fb.columns]
    joined = keys.reset_index(names="row").merge(fb[[_ID, "date", *cols]], on=_ID, how="inner")
    age = (joined["cutoff"] - joined["date"]).dt.days
    joined, age = joined.loc[age >= 0], age.loc[age >= 0]
    recent = age < LOOKBACK_DAYS
    row = joined["row"]
    out = pd.DataFrame(index=keys.index)
    out["feedback_365d"] = recent.groupby(row).sum().reindex(keys.index).fillna(0).astype(float)
    if "complaint" in cols:
        complaint = as_bool(joined["complaint"]).fillna(False).astype(bool)
        out["complaints"] = complaint.groupby(row).sum().reindex(keys.index).fillna(0).astype(float)
        if "resolved" in cols:
            open_ = complaint & ~as_bool(joined["resolved"]).fillna(False).astype(bool)
            out["unresolved_complaints"] = (
                open_.groupby(row).sum().reindex(keys.index).fillna(0).astype(float)
            )
    if "score" in cols:
        score = pd.to_numeric(joined["score"], errors="coerce")
        out["mean_score_365d"] = score.where(recent).groupby(row).mean().reindex(keys.index)
    return out


def _invoice_features(data: DatasetBundle, keys: pd.DataFrame) -> pd.DataFrame:
    """Invoices due on or before the cutoff: mean days paid late as known at the cutoff (unpaid: cutoff -
    due date), in the last year and over all invoices, and the open overdue invoices at the cutoff."""
    inv = data.get("invoices")
    if inv is None or not {_ID, "due_date"} <= set(inv.columns):
        return pd.DataFrame(index=keys.index)
    paid = inv["paid_date"] if "paid_date" in inv.columns else pd.Series(pd.NaT, index=inv.index)
    frame = pd.DataFrame(
        {_ID: inv[_ID], "due": pd.to_datetime(inv["due_date"]), "paid": pd.to_datetime(paid)}
    )
    joined = keys.reset_index(names="row").merge(frame, on=_ID, how="inner")
    age = (joined["cutoff"] - joined["due"]).dt.days
    joined, age = joined.loc[age >= 0], age.loc[age >= 0]
    known_paid = joined["paid"].where(joined["paid"] <= joined["cutoff"])
    late = (known_paid.fillna(joined["cutoff"]) - joined["due"]).dt.days.clip(lower=0).astype(float)
    row = joined["row"]
    out = pd.DataFrame(index=keys.index)
    out["mean_days_late"] = late.groupby(row).mean().reindex(keys.index)
    out["mean_days_late_365d"] = late.where(age < LOOKBACK_DAYS).groupby(row).mean().reindex(keys.index)
    open_overdue = (known_paid.isna() & (joined["due"] < joined["cutoff"])).astype(float)
    out["open_overdue_invoices"] = open_overdue.groupby(row).sum().reindex(keys.index).fillna(0.0)
    return out


def training_frame(
    data: DatasetBundle, purchases: pd.DataFrame, labels: _Labels, as_of: date, prediction_days: int
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame, list[Msg]]:
    """(features, label, keys, warnings) of every (customer active at c, snapshot c) row."""
    warns: list[Msg] = []
    churned = labels.churned.fillna(False).astype(bool)
    churn_date = labels.churn_date.copy()
    buys = purchases.loc[purchases["revenue"] > 0]
    first_buy = buys.groupby(_ID)["date"].min()
    last_buy = buys.groupby(_ID)["date"].max()
    if not labels.has_churn_date:
        warns.append(T.NO_CHURN_DATE)
        churn_date = last_buy.reindex(churn_date.index)
    unknown = churned & churn_date.isna()
    if unknown.any() and labels.has_churn_date:
        warns.append(say(T.MISSING_CHURN_DATE, count=num_text(int(unknown.sum()))))
    ids = labels.churned.index[labels.churned.notna() & ~unknown]
    joined = labels.signup.reindex(ids).fillna(first_buy.reindex(ids))
    first = purchases["date"].min().date()
    cutoffs = snapshot_dates(first, as_of, prediction_days)
    if cutoffs and cutoffs[-1] - pd.Timedelta(days=LOOKBACK_DAYS) < pd.Timestamp(first):
        warns.append(say(T.SHORT_LOOKBACK, lookback=LOOKBACK_DAYS))
    parts = []
    horizon = pd.Timedelta(days=prediction_days)
    cd = churn_date.reindex(ids)
    ch = churned.reindex(ids)
    for c in cutoffs:
        active = (joined <= c) & ~(ch & (cd <= c))
        who = ids[active.to_numpy()]
        label = (ch & (cd > c) & (cd <= c + horizon)).reindex(who)
        parts.append(pd.DataFrame({_ID: who, "cutoff": c, "label": label.to_numpy()}))
    keys = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({_ID: [], "cutoff": [], "label": []})
    )
    attributes = labels.attributes.assign(_signup=labels.signup)
    X = features_at(data, purchases, keys[[_ID, "cutoff"]], attributes) if len(keys) else pd.DataFrame()
    return X, keys["label"].astype(bool) if len(keys) else pd.Series([], dtype=bool), keys, warns


def _model() -> Pipeline:
    """Regularised logistic regression: numeric features median-imputed (plus missing indicators) and
    standardised, categories one-hot encoded; L2 penalty with C = LOGISTIC_C."""
    from sklearn.compose import ColumnTransformer, make_column_selector  # lazy: heavy, only for training
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    columns = ColumnTransformer(
        [
            ("numeric", numeric, make_column_selector(dtype_include="number")),
            (
                "category",
                OneHotEncoder(handle_unknown="ignore"),
                make_column_selector(dtype_include="category"),
            ),
        ]
    )
    return make_pipeline(columns, LogisticRegression(C=LOGISTIC_C, max_iter=2000))


@dataclass
class CrossValidation:
    """Out-of-fold results: fold AUCs, out-of-fold probabilities, permutation importances."""

    fold_auc: list[float]
    oof: np.ndarray
    importance: pd.Series

    @property
    def auc(self) -> float:
        return float(np.mean(self.fold_auc))


def cross_validate(X: pd.DataFrame, y: pd.Series, groups: pd.Series) -> CrossValidation:
    """5-fold stratified group CV: ROC AUC per fold, out-of-fold probabilities, permutation importance."""
    from sklearn.inspection import permutation_importance  # lazy: heavy, only for training
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold

    folds = StratifiedGroupKFold(n_splits=CV_FOLDS, shuffle=True, random_state=RANDOM_STATE)
    oof = np.full(len(y), np.nan)
    aucs: list[float] = []
    importances = []
    yv = y.to_numpy()
    for train, test in folds.split(X, yv, groups.to_numpy()):
        if len(np.unique(yv[test])) < 2:
            continue
        model = _model().fit(X.iloc[train], yv[train])
        prob = model.predict_proba(X.iloc[test])[:, 1]
        oof[test] = prob
        aucs.append(float(roc_auc_score(yv[test], prob)))
        perm = permutation_importance(
            model,
            X.iloc[test],
            yv[test],
            scoring="roc_auc",
            n_repeats=PERMUTATION_REPEATS,
            random_state=RANDOM_STATE,
        )
        importances.append(perm.importances_mean)
    importance = pd.Series(np.mean(importances, axis=0), index=X.columns).sort_values(ascending=False)
    return CrossValidation(aucs, oof, importance)


def _supervised(
    data: DatasetBundle, purchases: pd.DataFrame, labels: _Labels, as_of: date, params: ChurnParams
) -> tuple[_Scored | None, Msg]:
    H = params.prediction_days
    first = purchases["date"].min().date()
    if (pd.Timestamp(as_of) - pd.Timestamp(first)).days <= H:
        return None, say(T.REASON_SHORT, days=H, as_of=as_of.isoformat())
    X, y, keys, warns = training_frame(data, purchases, labels, as_of, H)
    n_pos = int(keys.loc[y.to_numpy(), _ID].nunique()) if len(keys) else 0
    n_neg = int(keys.loc[~y.to_numpy(), _ID].nunique()) if len(keys) else 0
    if n_pos < MIN_PER_CLASS or n_neg < MIN_PER_CLASS:
        return None, say(T.REASON_CLASSES, churned=n_pos, active=n_neg, min=MIN_PER_CLASS)
    cv = cross_validate(X, y, keys[_ID])
    model = _model().fit(X, y.to_numpy())
    churned = labels.churned.fillna(False).astype(bool)
    customers = pd.Index(purchases[_ID].dropna().unique())
    active = customers[~churned.reindex(customers).fillna(False).to_numpy()]
    now = pd.DataFrame({_ID: active, "cutoff": pd.Timestamp(as_of)})
    attributes = labels.attributes.assign(_signup=labels.signup)
    X_now = features_at(data, purchases, now, attributes)[X.columns]
    probability = model.predict_proba(X_now)[:, 1]
    frame = pd.DataFrame(
        {
            "churn_probability": probability,
            "risk_level": _levels(probability, SUPERVISED_HIGH_RISK, SUPERVISED_MEDIUM_RISK),
            "basis": "supervised",
        },
        index=pd.Index(active, name=_ID),
    )
    drivers, driver_items = _drivers(X, cv)
    warns += _leakage(X, y)
    cutoffs = sorted(keys["cutoff"].unique())
    facts: dict[str, FactValue] = {
        "cv_auc": cv.auc,
        "cv_auc_std": float(np.std(cv.fold_auc)),
        "training_rows": len(keys),
        "training_customers": int(keys[_ID].nunique()),
        "training_churn_rate": float(y.mean()),
        "prediction_days": H,
        "snapshots": len(cutoffs),
        "already_churned": int(churned.reindex(customers).fillna(False).sum()),
        "top_driver": drivers[0] if drivers else None,
        "high_risk_cutoff": SUPERVISED_HIGH_RISK,
        "medium_risk_cutoff": SUPERVISED_MEDIUM_RISK,
    }
    quality = say(
        T.QUALITY,
        auc=f"{cv.auc:.3f}",
        std=f"{np.std(cv.fold_auc):.3f}",
        rows=num_text(len(keys)),
        customers=num_text(facts["training_customers"]),
        rate=pct_text(float(y.mean())),
        days=H,
        drivers=join(driver_items) if driver_items else T.NO_DRIVERS,
    )
    definition = say(T.DEFINITION_SUPERVISED, as_of=as_of.isoformat(), days=H)
    formula = say(
        T.FORMULA_SUPERVISED,
        step=SNAPSHOT_STEP_DAYS,
        first=pd.Timestamp(cutoffs[0]).date().isoformat(),
        last=pd.Timestamp(cutoffs[-1]).date().isoformat(),
        lookback=LOOKBACK_DAYS,
        days=H,
        as_of=as_of.isoformat(),
    )
    used = [c for c in labels.attributes.columns]
    assumptions = [say(T.ATTRIBUTES_USED, columns=", ".join(used) or "-")] if used else []
    imp = cv.importance.head(15)
    chart_labels = [_feature_name(f).en for f in imp.index]
    figure = go.Figure(go.Bar(x=imp.to_numpy()[::-1], y=chart_labels[::-1], orientation="h"))
    figure.update_layout(showlegend=False)
    drivers_table = pd.DataFrame(
        {"feature": cv.importance.index, "importance": cv.importance.to_numpy()}
    ).reset_index(drop=True)
    return (
        _Scored(
            frame,
            "supervised",
            definition,
            formula,
            assumptions,
            warns,
            facts,
            [Chart(T.CHART_DRIVERS, figure)],
            [Table("churn_drivers", drivers_table)],
            quality,
        ),
        Msg("", ""),
    )


def _feature_name(feature: str) -> Msg:
    return T.FEATURES.get(feature, Msg(feature, feature))


def _drivers(X: pd.DataFrame, cv: CrossValidation) -> tuple[list[str], list[Msg]]:
    """Top features by permutation importance (> 0) with their direction in plain words."""
    from scipy import stats  # lazy: heavy import

    names, items = [], []
    ok = ~np.isnan(cv.oof)
    for feature, imp in cv.importance.head(TOP_DRIVERS).items():
        if not imp > 0:
            break
        col = X[feature]
        label = _feature_name(str(feature))
        if isinstance(col.dtype, pd.CategoricalDtype):
            means = pd.Series(cv.oof[ok]).groupby(col.to_numpy()[ok], observed=True).mean()
            items.append(say(T.DRIVER_LEVEL, feature=label, level=str(means.idxmax())))
        else:
            vals = col.to_numpy(float)[ok]
            finite = ~np.isnan(vals)
            rho = stats.spearmanr(vals[finite], cv.oof[ok][finite]).statistic if finite.sum() > 2 else 0.0
            items.append(say(T.DRIVER_UP if rho >= 0 else T.DRIVER_DOWN, feature=label))
        names.append(str(feature))
    return names, items


def _leakage(X: pd.DataFrame, y: pd.Series) -> list[Msg]:
    from sklearn.metrics import roc_auc_score  # lazy: heavy import

    out = []
    for col in X.columns:
        if isinstance(X[col].dtype, pd.CategoricalDtype):
            continue
        v = X[col].to_numpy(float)
        ok = ~np.isnan(v)
        if ok.sum() < 10 or len(np.unique(y.to_numpy()[ok])) < 2:
            continue
        auc = roc_auc_score(y.to_numpy()[ok], v[ok])
        if max(auc, 1 - auc) > LEAKAGE_AUC:
            out.append(say(T.LEAKAGE, feature=_feature_name(col), auc=f"{max(auc, 1 - auc):.3f}"))
    return out


# --- result ------------------------------------------------------------------------------------------


def _result(
    data: DatasetBundle,
    params: ChurnParams,
    rows: Rows,
    used: pd.DataFrame,
    as_of: date,
    scored: _Scored,
) -> ToolResult:
    frame = scored.frame
    last = used.loc[used["revenue"] > 0].groupby(_ID, sort=False)["date"].max()
    frame["days_since_last_purchase"] = (
        pd.Timestamp(as_of) - last.reindex(frame.index).dt.normalize()
    ).dt.days
    trailing = used.loc[used["date"] > pd.Timestamp(as_of) - pd.Timedelta(days=TRAILING_DAYS)]
    has_cost = "cost" in used.columns
    basis_name = "gross_profit" if has_cost else "revenue"
    rev = trailing.groupby(_ID, sort=False)["revenue"].sum()
    frame["trailing_12m_revenue"] = rev.reindex(frame.index).fillna(0.0)
    if has_cost:
        gp = (trailing["revenue"] - trailing["cost"].fillna(0)).groupby(trailing[_ID], sort=False).sum()
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
    counts = {lvl: int((frame["risk_level"] == lvl).sum()) for lvl in _LEVELS}
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
    basis_msg = T.BASIS_PROFIT if has_cost else T.BASIS_REVENUE
    method_name = T.BASIS.get(scored.method, Msg(scored.method, scored.method))
    if scored.method == "model":
        method_name = Msg("1 − P(alive)", "1 − P(仍活跃)")
    lines = [
        say(
            T.SUMMARY,
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
        lines.append(say(T.ALREADY_CHURNED, count=num_text(scored.facts["already_churned"])))
    tx = rows.tx
    names = customer_names(data, tx)
    tables = []
    charts = []
    if params.group_by is not None:
        attribute = customer_attribute(data, tx, params.group_by).reindex(frame.index)
        keys = attribute.fillna(VT.UNKNOWN).rename(params.group_by)
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
        lines.append(say(T.GROUP, dimension=dim_name(params.group_by), items=items))
        facts["groups"] = len(table)
        tables.append(Table(f"churn_risk_by_{params.group_by}", table))
        charts.append(
            bar_chart(
                labels,
                table["share_at_high_risk"],
                say(T.CHART_GROUP, dimension=dim_name(params.group_by)),
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
        labels = [plain_label(c, n) for c, n in zip(out[_ID], name_column(out), strict=True)]
        lines.append(_listing_line(out, labels, params, as_of))
        tables.append(Table("churn_risk", out))
    facts["listed"] = len(listing) if params.group_by is None else facts.get("groups", 0)
    level_names = [T.RISK_LEVELS[lvl].en for lvl in _LEVELS]
    figure = go.Figure(go.Bar(x=level_names, y=[counts[lvl] for lvl in _LEVELS]))
    figure.update_layout(showlegend=False, xaxis={"type": "category"})
    charts.insert(0, Chart(T.CHART_LEVELS, figure))
    charts += scored.charts
    tables += scored.tables
    lines.append(scored.definition)
    findings = _findings(
        frame, high, at_stake, revenue_at_risk, total_at_stake, basis_msg, float(facts["high_risk_cutoff"])
    )
    cutoffs = say(
        T.CUTOFFS, high=pct_text(facts["high_risk_cutoff"]), medium=pct_text(facts["medium_risk_cutoff"])
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
                    T.CUSTOMER,
                    customer=label,
                    level=T.RISK_LEVELS[row["risk_level"]],
                    probability=say(T.PROBABILITY, value=pct_text(prob)) if pd.notna(prob) else "",
                    days=num_text(row["days_since_last_purchase"]),
                    as_of=as_of.isoformat(),
                )
            )
        return sentences(parts)
    values = [
        pct_text(p) if pd.notna(p) else say(T.ITEM_RULE, days=num_text(d))
        for p, d in zip(out["churn_probability"], out["days_since_last_purchase"], strict=True)
    ][:MAX_SUMMARY_ITEMS]
    items = items_text(labels, values, more=len(out) > MAX_SUMMARY_ITEMS)
    if params.risk_level is not None:
        level = T.RISK_LEVELS[params.risk_level]
        if out.empty:
            return say(T.LEVEL_EMPTY, level=level)
        return say(T.LEVEL_LIST, level=level, count=num_text(len(out)), items=items)
    return say(T.TOP if params.order == "top" else T.BOTTOM, items=items)


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
            say(T.FINDING_HIGH, count=num_text(len(flagged)), share=pct_text(share)),
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
                    T.FINDING_REVENUE,
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
                    T.FINDING_VALUABLE,
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
