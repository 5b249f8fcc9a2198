"""churn_risk with labels: landmark snapshots (no label leaks into the features), an L2-regularised
logistic regression, 5-fold grouped cross-validated ROC AUC and permutation-importance drivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.text import Msg
from prompts import churn_risk as W
from tools.bundle import DatasetBundle
from tools.churn.common import (
    CV_FOLDS,
    ID,
    LEAKAGE_AUC,
    LOGISTIC_C,
    LOOKBACK_DAYS,
    MAX_LEVELS,
    MIN_PER_CLASS,
    NEVER_FEATURES,
    PERMUTATION_REPEATS,
    RANDOM_STATE,
    SHORT_WINDOW_DAYS,
    SNAPSHOT_STEP_DAYS,
    SUPERVISED_HIGH_RISK,
    SUPERVISED_MEDIUM_RISK,
    TOP_DRIVERS,
    ChurnParams,
    Scored,
    levels,
)
from tools.customer_rows import (
    as_bool,
)
from tools.results import Chart, FactValue, Table
from tools.wording import (
    join,
    num_text,
    pct_text,
    say,
)

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline


# --- supervised --------------------------------------------------------------------------------------


@dataclass
class _Labels:
    """Churn labels per customer: churned flag, churn day (NaT when unknown), join date, attributes."""

    churned: pd.Series
    churn_date: pd.Series
    signup: pd.Series
    attributes: pd.DataFrame
    has_churn_date: bool


def churn_labels(data: DatasetBundle) -> _Labels | None:
    customers = data.get("customers")
    if customers is None or not {ID, "churned"} <= set(customers.columns):
        return None
    frame = customers.drop_duplicates(ID).set_index(ID)
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
        if name in NEVER_FEATURES or "churn" in name.casefold():
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
    tx = purchases[[ID, "date", "revenue", *(["cost"] if "cost" in purchases.columns else [])]]
    joined = keys.reset_index(names="row").merge(tx, on=ID, how="inner")
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
        signup = pd.Series(attributes["_signup"].reindex(keys[ID]).to_numpy(), index=out.index)
        start = pd.to_datetime(signup).fillna(start)
    out["tenure_days"] = (cut - start).dt.days.astype(float)
    out = out.join(_feedback_features(data, keys)).join(_invoice_features(data, keys))
    if attributes is not None:
        static = attributes.drop(columns=["_signup"], errors="ignore").reindex(keys[ID])
        static.index = out.index
        out = out.join(static)
    return out


def _feedback_features(data: DatasetBundle, keys: pd.DataFrame) -> pd.DataFrame:
    """Feedback dated <= cutoff: count and mean score in the last year, complaints (all and unresolved) ever."""
    fb = data.get("feedback")
    if fb is None or not {ID, "date"} <= set(fb.columns):
        return pd.DataFrame(index=keys.index)
    cols = [c for c in ("score", "complaint", "resolved") if c in fb.columns]
    joined = keys.reset_index(names="row").merge(fb[[ID, "date", *cols]], on=ID, how="inner")
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
    if inv is None or not {ID, "due_date"} <= set(inv.columns):
        return pd.DataFrame(index=keys.index)
    paid = inv["paid_date"] if "paid_date" in inv.columns else pd.Series(pd.NaT, index=inv.index)
    frame = pd.DataFrame(
        {ID: inv[ID], "due": pd.to_datetime(inv["due_date"]), "paid": pd.to_datetime(paid)}
    )
    joined = keys.reset_index(names="row").merge(frame, on=ID, how="inner")
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
    first_buy = buys.groupby(ID)["date"].min()
    last_buy = buys.groupby(ID)["date"].max()
    if not labels.has_churn_date:
        warns.append(W.NO_CHURN_DATE)
        churn_date = last_buy.reindex(churn_date.index)
    unknown = churned & churn_date.isna()
    if unknown.any() and labels.has_churn_date:
        warns.append(say(W.MISSING_CHURN_DATE, count=num_text(int(unknown.sum()))))
    ids = labels.churned.index[labels.churned.notna() & ~unknown]
    joined = labels.signup.reindex(ids).fillna(first_buy.reindex(ids))
    first = purchases["date"].min().date()
    cutoffs = snapshot_dates(first, as_of, prediction_days)
    if cutoffs and cutoffs[-1] - pd.Timedelta(days=LOOKBACK_DAYS) < pd.Timestamp(first):
        warns.append(say(W.SHORT_LOOKBACK, lookback=LOOKBACK_DAYS))
    parts = []
    horizon = pd.Timedelta(days=prediction_days)
    cd = churn_date.reindex(ids)
    ch = churned.reindex(ids)
    for c in cutoffs:
        active = (joined <= c) & ~(ch & (cd <= c))
        who = ids[active.to_numpy()]
        label = (ch & (cd > c) & (cd <= c + horizon)).reindex(who)
        parts.append(pd.DataFrame({ID: who, "cutoff": c, "label": label.to_numpy()}))
    keys = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({ID: [], "cutoff": [], "label": []})
    )
    attributes = labels.attributes.assign(_signup=labels.signup)
    X = features_at(data, purchases, keys[[ID, "cutoff"]], attributes) if len(keys) else pd.DataFrame()
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


def supervised(
    data: DatasetBundle, purchases: pd.DataFrame, labels: _Labels, as_of: date, params: ChurnParams
) -> tuple[Scored | None, Msg]:
    H = params.prediction_days
    first = purchases["date"].min().date()
    if (pd.Timestamp(as_of) - pd.Timestamp(first)).days <= H:
        return None, say(W.REASON_SHORT, days=H, as_of=as_of.isoformat())
    X, y, keys, warns = training_frame(data, purchases, labels, as_of, H)
    n_pos = int(keys.loc[y.to_numpy(), ID].nunique()) if len(keys) else 0
    n_neg = int(keys.loc[~y.to_numpy(), ID].nunique()) if len(keys) else 0
    if n_pos < MIN_PER_CLASS or n_neg < MIN_PER_CLASS:
        return None, say(W.REASON_CLASSES, churned=n_pos, active=n_neg, min=MIN_PER_CLASS)
    cv = cross_validate(X, y, keys[ID])
    model = _model().fit(X, y.to_numpy())
    churned = labels.churned.fillna(False).astype(bool)
    customers = pd.Index(purchases[ID].dropna().unique())
    active = customers[~churned.reindex(customers).fillna(False).to_numpy()]
    now = pd.DataFrame({ID: active, "cutoff": pd.Timestamp(as_of)})
    attributes = labels.attributes.assign(_signup=labels.signup)
    X_now = features_at(data, purchases, now, attributes)[X.columns]
    probability = model.predict_proba(X_now)[:, 1]
    frame = pd.DataFrame(
        {
            "churn_probability": probability,
            "risk_level": levels(probability, SUPERVISED_HIGH_RISK, SUPERVISED_MEDIUM_RISK),
            "basis": "supervised",
        },
        index=pd.Index(active, name=ID),
    )
    drivers, driver_items = _drivers(X, cv)
    warns += _leakage(X, y)
    cutoffs = sorted(keys["cutoff"].unique())
    facts: dict[str, FactValue] = {
        "cv_auc": cv.auc,
        "cv_auc_std": float(np.std(cv.fold_auc)),
        "training_rows": len(keys),
        "training_customers": int(keys[ID].nunique()),
        "training_churn_rate": float(y.mean()),
        "prediction_days": H,
        "snapshots": len(cutoffs),
        "already_churned": int(churned.reindex(customers).fillna(False).sum()),
        "top_driver": drivers[0] if drivers else None,
        "high_risk_cutoff": SUPERVISED_HIGH_RISK,
        "medium_risk_cutoff": SUPERVISED_MEDIUM_RISK,
    }
    quality = say(
        W.QUALITY,
        auc=f"{cv.auc:.3f}",
        std=f"{np.std(cv.fold_auc):.3f}",
        rows=num_text(len(keys)),
        customers=num_text(facts["training_customers"]),
        rate=pct_text(float(y.mean())),
        days=H,
        drivers=join(driver_items) if driver_items else W.NO_DRIVERS,
    )
    definition = say(W.DEFINITION_SUPERVISED, as_of=as_of.isoformat(), days=H)
    formula = say(
        W.FORMULA_SUPERVISED,
        step=SNAPSHOT_STEP_DAYS,
        first=pd.Timestamp(cutoffs[0]).date().isoformat(),
        last=pd.Timestamp(cutoffs[-1]).date().isoformat(),
        lookback=LOOKBACK_DAYS,
        days=H,
        as_of=as_of.isoformat(),
    )
    used = [c for c in labels.attributes.columns]
    assumptions = [say(W.ATTRIBUTES_USED, columns=", ".join(used) or "-")] if used else []
    imp = cv.importance.head(15)
    chart_labels = [_feature_name(f).en for f in imp.index]
    figure = go.Figure(go.Bar(x=imp.to_numpy()[::-1], y=chart_labels[::-1], orientation="h"))
    figure.update_layout(showlegend=False)
    drivers_table = pd.DataFrame(
        {"feature": cv.importance.index, "importance": cv.importance.to_numpy()}
    ).reset_index(drop=True)
    return (
        Scored(
            frame,
            "supervised",
            definition,
            formula,
            assumptions,
            warns,
            facts,
            [Chart(W.CHART_DRIVERS, figure)],
            [Table("churn_drivers", drivers_table)],
            quality,
        ),
        Msg("", ""),
    )


def _feature_name(feature: str) -> Msg:
    return W.FEATURES.get(feature, Msg(feature, feature))


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
            items.append(say(W.DRIVER_LEVEL, feature=label, level=str(means.idxmax())))
        else:
            vals = col.to_numpy(float)[ok]
            finite = ~np.isnan(vals)
            rho = stats.spearmanr(vals[finite], cv.oof[ok][finite]).statistic if finite.sum() > 2 else 0.0
            items.append(say(W.DRIVER_UP if rho >= 0 else W.DRIVER_DOWN, feature=label))
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
            out.append(say(W.LEAKAGE, feature=_feature_name(col), auc=f"{max(auc, 1 - auc):.3f}"))
    return out
