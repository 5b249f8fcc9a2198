r"""churn_risk on a customer snapshot (tools/snapshot.py: a churn flag, no dates): a supervised model of
the flag from the customers' attributes, chosen by cross-validation, with its drivers, its calibration and
the risk of every customer not yet churned.

Model
-----
X = the snapshot's attributes (``tools.churn.supervised.static_attributes``; row-number columns left
out), y = churned. Both candidates run on the same 5-fold ``StratifiedKFold`` (shuffled, RANDOM_STATE)::

    logistic           L2 logistic regression, C = LOGISTIC_C:  P(churned) = 1 / (1 + exp(-(b0 + b . z)))
    gradient_boosting  histogram gradient boosting: BOOST_ROUNDS trees of depth BOOST_DEPTH, rate BOOST_RATE

cv_auc = the mean ROC AUC over the folds of the candidate with the higher mean (both are reported).
p_i = the out-of-fold probability of customer i, from the fold model that did not see i.
Drivers: permutation importance on the held-out folds (mean drop in ROC AUC over PERMUTATION_REPEATS
shuffles), direction from ``tools.churn.supervised.driver_direction`` (sign of the Spearman correlation
with p, or a category's level with the highest mean p).
Calibration: calibration_gap = mean_i p_i - mean_i y_i; calibration_ok = |gap| <= CALIBRATION_TOLERANCE;
table ``calibration``: the customers in fifths of p, mean p against the observed churn rate in each.
Risk of the customers not churned: high when p_i >= HIGH_RISK (0.5), medium when >= MEDIUM_RISK (0.25),
else low. revenue_at_risk = Σ_{i high} monthly_charges_i x 12 (annualised current charges).

Findings: ``high_churn_risk`` (value = revenue at risk), ``revenue_at_risk`` (when positive),
``at_risk_valuable_customers`` (high risk and in the top TOP_SHARE by monthly charges).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.text import Msg
from prompts import churn_risk as W
from tools.bundle import DatasetBundle
from tools.charts import bar_chart
from tools.churn.common import (
    CV_FOLDS,
    HIGH_RISK,
    ID,
    LEVELS,
    LOGISTIC_C,
    MAX_LEVELS,
    MEDIUM_RISK,
    MIN_PER_CLASS,
    PERMUTATION_REPEATS,
    RANDOM_STATE,
    TOP_SHARE,
    ChurnParams,
    levels,
)
from tools.churn.supervised import (
    CrossValidation,
    driver_direction,
    feature_name,
    leakage_warnings,
    logistic_model,
    static_attributes,
    top_drivers,
)
from tools.customer_rows import (
    customer_ids,
    customer_names,
    match_customers,
    name_column,
    plain_label,
    with_names,
)
from tools.errors import ToolInputError
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.snapshot import group_column, grouping, load_snapshot, not_applied
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

#: |mean predicted probability - observed churn rate| above this is reported as miscalibrated.
CALIBRATION_TOLERANCE = 0.05
BOOST_ROUNDS = 100
BOOST_DEPTH = 2
BOOST_RATE = 0.05
CALIBRATION_BINS = 5
#: Arguments about dates and purchases, which a snapshot cannot apply.
NOT_FOR_SNAPSHOTS = ("start", "end", "as_of", "prediction_days", "gap_multiplier", "currency")


def _boosting() -> Any:
    """Histogram gradient boosting; numbers as they are (missing values allowed), categories native."""
    from sklearn.ensemble import HistGradientBoostingClassifier  # lazy: heavy, only for training

    return HistGradientBoostingClassifier(
        max_iter=BOOST_ROUNDS,
        max_depth=BOOST_DEPTH,
        learning_rate=BOOST_RATE,
        l2_regularization=1.0,
        categorical_features="from_dtype",
        random_state=RANDOM_STATE,
    )


CANDIDATES: dict[str, Callable[[], Any]] = {"logistic": logistic_model, "gradient_boosting": _boosting}


def features(frame: pd.DataFrame) -> pd.DataFrame:
    """The model's features: static attributes without row numbers (whole numbers strictly increasing
    down the file, such as RowNumber or an exported index)."""
    X = static_attributes(frame.drop(columns=["churned"]))
    rows = [
        c
        for c in X.select_dtypes("number").columns
        if len(X) > 1
        and X[c].notna().all()
        and (X[c] % 1 == 0).all()
        and X[c].is_monotonic_increasing
        and X[c].is_unique
    ]
    return X.drop(columns=rows)


def cross_validate_candidates(
    X: pd.DataFrame, y: np.ndarray
) -> tuple[str, dict[str, list[float]], CrossValidation]:
    """Every candidate on the same stratified folds; the best by mean ROC AUC with its out-of-fold
    probabilities and permutation importances (on the held-out folds). One thread: a snapshot is small,
    and OpenMP/BLAS threads only wait for each other on a shared machine (10x slower measured)."""
    from threadpoolctl import threadpool_limits  # lazy: heavy, only for training (scikit-learn's own)

    with threadpool_limits(1):
        return _cross_validate(X, y)


def _cross_validate(X: pd.DataFrame, y: np.ndarray) -> tuple[str, dict[str, list[float]], CrossValidation]:
    from sklearn.metrics import roc_auc_score  # lazy: heavy, only for training
    from sklearn.model_selection import StratifiedKFold

    folds = list(StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=RANDOM_STATE).split(X, y))
    aucs: dict[str, list[float]] = {}
    runs: dict[str, tuple[np.ndarray, list[Any]]] = {}
    for name, make in CANDIDATES.items():
        oof, models = np.full(len(y), np.nan), []
        for train, test in folds:
            model = make().fit(X.iloc[train], y[train])
            oof[test] = model.predict_proba(X.iloc[test])[:, 1]
            models.append(model)
        aucs[name] = [float(roc_auc_score(y[test], oof[test])) for _, test in folds]
        runs[name] = (oof, models)
    best = max(aucs, key=lambda k: float(np.mean(aucs[k])))
    oof, models = runs[best]
    rng = np.random.default_rng(RANDOM_STATE)
    importances = [
        permutation_importance(model, X.iloc[test], y[test], rng)
        for model, (_, test) in zip(models, folds, strict=True)
    ]
    importance = pd.Series(np.mean(importances, axis=0), index=X.columns).sort_values(ascending=False)
    return best, aucs, CrossValidation(aucs[best], oof, importance)


def permutation_importance(
    model: Any, X: pd.DataFrame, y: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Per column of X: ROC AUC of ``model`` on (X, y) minus its mean AUC with that column shuffled
    (PERMUTATION_REPEATS shuffles). Every shuffled copy is scored in one call (a pipeline call costs more
    than its rows)."""
    base = auc_rows(y, model.predict_proba(X)[:, 1][None, :])[0]
    copies = []
    for column in X.columns:
        for _ in range(PERMUTATION_REPEATS):
            copy = X.copy()
            copy[column] = X[column].iloc[rng.permutation(len(X))].set_axis(X.index)
            copies.append(copy)
    shuffled = model.predict_proba(pd.concat(copies, ignore_index=True))[:, 1].reshape(len(copies), len(X))
    drops = base - auc_rows(y, shuffled)
    return drops.reshape(X.shape[1], PERMUTATION_REPEATS).mean(axis=1)


def auc_rows(y: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """ROC AUC of each row of ``scores`` against the labels y (Mann-Whitney: (R1 - n1 (n1 + 1) / 2) /
    (n1 n0), R1 = sum of the positives' mid-ranks).

    >>> auc_rows(np.array([0, 0, 1, 1]), np.array([[0.1, 0.4, 0.35, 0.8]])).tolist()
    [0.75]
    """
    from scipy.stats import rankdata  # lazy: heavy import

    positive = np.asarray(y, dtype=bool)
    n1, n0 = positive.sum(), (~positive).sum()
    ranks = rankdata(scores, axis=1)
    return (ranks[:, positive].sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)


def calibration_table(y: np.ndarray, p: np.ndarray) -> pd.DataFrame:
    """Customers in fifths of the predicted probability: mean predicted probability and observed rate."""
    ranks = pd.Series(p).rank(method="first").to_numpy()
    band = np.ceil(ranks * CALIBRATION_BINS / len(p)).astype(int)
    frame = pd.DataFrame({"probability_band": band, "p": p, "y": y.astype(float)})
    out = frame.groupby("probability_band").agg(
        customers=("p", "size"), mean_predicted_probability=("p", "mean"), observed_churn_rate=("y", "mean")
    )
    return out.reset_index()


@dataclass
class SnapshotModel:
    """The candidates' cross-validation on a snapshot: features X, flags y, the chosen model's results."""

    X: pd.DataFrame
    y: np.ndarray
    best: str
    aucs: dict[str, list[float]]
    cv: CrossValidation

    @property
    def base_rate(self) -> float:
        return float(self.y.mean())

    @property
    def mean_probability(self) -> float:
        return float(self.cv.oof.mean())

    @property
    def calibrated(self) -> bool:
        return abs(self.mean_probability - self.base_rate) <= CALIBRATION_TOLERANCE


def fit_snapshot_model(frame: pd.DataFrame) -> SnapshotModel:
    """Cross-validate the candidates on the flagged customers of ``frame`` (ToolInputError when the flag
    has fewer than MIN_PER_CLASS of a class or no attribute is usable)."""
    y = frame["churned"].to_numpy(bool)
    churned, active = int(y.sum()), int((~y).sum())
    if min(churned, active) < MIN_PER_CLASS:
        raise ToolInputError(say(W.SNAPSHOT_CLASSES, churned=churned, active=active, min=MIN_PER_CLASS))
    X = features(frame)
    if X.empty:
        raise ToolInputError(say(W.SNAPSHOT_NO_FEATURES, levels=MAX_LEVELS))
    best, aucs, cv = cross_validate_candidates(X, y)
    return SnapshotModel(X, y, best, aucs, cv)


def snapshot_churn_risk(data: DatasetBundle, params: ChurnParams) -> ToolResult:
    """Churn probability and risk level of each snapshot customer not yet churned (module docstring)."""
    if params.method in ("model", "recency_rule"):
        raise ToolInputError(say(W.SNAPSHOT_NEEDS_TRANSACTIONS, method=params.method))
    snapshot = load_snapshot(data)
    warnings = list(snapshot.warnings)
    unused = not_applied(params, NOT_FOR_SNAPSHOTS)
    if unused is not None:
        warnings.append(unused)
    model = fit_snapshot_model(snapshot.frame)
    warnings += leakage_warnings(model.X, pd.Series(model.y, index=model.X.index))
    active = snapshot.frame.loc[~model.y]
    scores = _scores(active, model.cv.oof[~model.y])
    high = (scores["risk_level"] == "high").to_numpy()
    counts = {level: int((scores["risk_level"] == level).sum()) for level in LEVELS}
    at_stake = scores["annual_charges"].fillna(0.0) if "annual_charges" in scores else None
    revenue_at_risk = float(at_stake[high].sum()) if at_stake is not None else None
    names, reasons = top_drivers(model.X, model.cv)
    facts: dict[str, FactValue] = {
        "method": "snapshot_model",
        "model": model.best,
        "churn_definition": W.SNAPSHOT_DEFINITION.en,
        "as_of": None,
        "customers": len(scores),
        "customers_at_high_risk": counts["high"],
        "customers_at_medium_risk": counts["medium"],
        "customers_at_low_risk": counts["low"],
        "share_at_high_risk": ratio(counts["high"], len(scores)),
        "revenue_at_risk": revenue_at_risk,
        "revenue_at_risk_basis": "monthly_charges_x12" if at_stake is not None else None,
        "average_churn_probability": fact(scores["churn_probability"].mean()),
        "high_risk_cutoff": HIGH_RISK,
        "medium_risk_cutoff": MEDIUM_RISK,
        "cv_auc": model.cv.auc,
        "cv_auc_std": float(np.std(model.cv.fold_auc)),
        **{f"cv_auc_{name}": float(np.mean(v)) for name, v in model.aucs.items()},
        "training_customers": len(model.y),
        "training_churn_rate": model.base_rate,
        "mean_predicted_probability": model.mean_probability,
        "calibration_gap": model.mean_probability - model.base_rate,
        "calibration_tolerance": CALIBRATION_TOLERANCE,
        "calibration_ok": model.calibrated,
        "already_churned": int(model.y.sum()),
        "top_driver": names[0] if names else None,
    }
    summary = W.SNAPSHOT_SUMMARY if revenue_at_risk is not None else W.SNAPSHOT_SUMMARY_NO_CHARGES
    head = say(
        summary,
        model=W.SNAPSHOT_MODELS[model.best],
        customers=num_text(len(scores)),
        at_risk=money_text(revenue_at_risk),
        **{k: num_text(v) for k, v in counts.items()},
    )
    quality, calibration = _model_lines(model, reasons)
    if not model.calibrated:
        warnings.insert(0, calibration)
    lines = [head, quality, calibration, say(W.ALREADY_CHURNED, count=num_text(facts["already_churned"]))]
    tables, charts = _listing(data, params, active, scores, facts, lines)
    model_tables, model_charts = _model_tables(model)
    level_names = [W.RISK_LEVELS[level].en for level in LEVELS]
    charts = [
        bar_chart(level_names, pd.Series([counts[k] for k in LEVELS]), W.CHART_LEVELS),
        *charts,
        *model_charts,
    ]
    lines.append(W.SNAPSHOT_DEFINITION)
    cutoffs = say(W.CUTOFFS, high=pct_text(HIGH_RISK), medium=pct_text(MEDIUM_RISK))
    used = say(W.ATTRIBUTES_USED, columns=", ".join(map(str, model.X.columns)))
    formula = say(
        W.SNAPSHOT_FORMULA,
        levels=MAX_LEVELS,
        c=f"{LOGISTIC_C:g}",
        depth=BOOST_DEPTH,
        trees=BOOST_ROUNDS,
        rate=f"{BOOST_RATE:g}",
        tolerance=pct_text(CALIBRATION_TOLERANCE),
    )
    method = Method(
        formula,
        params.model_dump(mode="json") | {"method": "snapshot_model", "model": model.best},
        [*snapshot.assumptions, W.SNAPSHOT_DEFINITION, cutoffs, used],
        None,
        snapshot.rows_used,
    )
    findings = _findings(scores, high, at_stake, revenue_at_risk)
    return ToolResult(
        "churn_risk", sentences(lines), facts, tables + model_tables, charts, method, findings, warnings
    )


def _scores(active: pd.DataFrame, probability: np.ndarray) -> pd.DataFrame:
    """The customers not yet churned, most at risk first: rank, probability, risk level, the snapshot
    columns that explain it and annual_charges = monthly_charges x 12 (when the snapshot has charges)."""
    scores = pd.DataFrame(
        {
            "churn_probability": probability,
            "risk_level": levels(probability, HIGH_RISK, MEDIUM_RISK),
            "basis": "snapshot_model",
        },
        index=active.index,
    )
    for column in ("tenure", "contract", "monthly_charges"):
        if column in active.columns:
            scores[column] = active[column].to_numpy()
    if "monthly_charges" in active.columns:
        scores["annual_charges"] = (
            active["monthly_charges"].astype(float).where(lambda s: s >= 0).to_numpy() * 12
        )
    scores = scores.sort_values("churn_probability", ascending=False, kind="stable")
    scores.insert(0, "rank", np.arange(1, len(scores) + 1))
    return scores


def _model_lines(model: SnapshotModel, reasons: list[Msg]) -> tuple[Msg, Msg]:
    """The model's quality (cross-validated AUC of both candidates, drivers) and calibration sentences."""
    quality = say(
        W.SNAPSHOT_QUALITY,
        auc=f"{model.cv.auc:.3f}",
        std=f"{np.std(model.cv.fold_auc):.3f}",
        auc_logistic=f"{np.mean(model.aucs['logistic']):.3f}",
        auc_boosting=f"{np.mean(model.aucs['gradient_boosting']):.3f}",
        customers=num_text(len(model.y)),
        rate=pct_text(model.base_rate),
        drivers=join(reasons) if reasons else W.NO_DRIVERS,
    )
    calibration = say(
        W.SNAPSHOT_CALIBRATED if model.calibrated else W.SNAPSHOT_MISCALIBRATED,
        mean=pct_text(model.mean_probability),
        rate=pct_text(model.base_rate),
        tolerance=pct_text(CALIBRATION_TOLERANCE),
    )
    return quality, calibration


def _model_tables(model: SnapshotModel) -> tuple[list[Table], list[Chart]]:
    """churn_drivers (importance, direction), model_selection and calibration, with their charts."""
    importance = model.cv.importance
    drivers = pd.DataFrame({"feature": importance.index, "importance": importance.to_numpy()})
    directions = [driver_direction(model.X[f], model.cv.oof) for f in drivers["feature"]]
    drivers["direction"] = [d for d, _ in directions]
    drivers["riskiest_level"] = [level for _, level in directions]
    selection = pd.DataFrame(
        {
            "model": list(model.aucs),
            "cv_auc": [float(np.mean(v)) for v in model.aucs.values()],
            "cv_auc_std": [float(np.std(v)) for v in model.aucs.values()],
            "chosen": [name == model.best for name in model.aucs],
        }
    )
    calibration = calibration_table(model.y, model.cv.oof)
    tables = [
        Table("churn_drivers", drivers),
        Table("model_selection", selection),
        Table("calibration", calibration),
    ]
    return tables, [_drivers_chart(importance), _calibration_chart(calibration)]


def _listing(
    data: DatasetBundle,
    params: ChurnParams,
    active: pd.DataFrame,
    scores: pd.DataFrame,
    facts: dict[str, FactValue],
    lines: list[Msg],
) -> tuple[list[Table], list[Chart]]:
    """The table of the customers scored (or of their groups, with group_by) and its charts; its sentence
    is appended to ``lines``."""
    if params.group_by is not None:
        group = grouping(data, active, params.group_by)
        column = group_column(group)
        high = scores["risk_level"] == "high"
        none = pd.Series(np.nan, index=scores.index)
        stake = scores["annual_charges"].where(high, 0.0) if "annual_charges" in scores else none
        keys = group.keys.reindex(scores.index).to_numpy()
        grouped = scores.assign(_high=high, _stake=stake).groupby(keys)
        table = grouped.agg(
            customers=("risk_level", "size"),
            customers_at_high_risk=("_high", "sum"),
            average_churn_probability=("churn_probability", "mean"),
            revenue_at_risk=("_stake", "sum"),
        )
        table["share_at_high_risk"] = table["customers_at_high_risk"] / table["customers"]
        table = table.sort_values("share_at_high_risk", ascending=params.order == "bottom", kind="stable")
        table = table.head(params.n).rename_axis(column).reset_index()
        labels = [str(v) for v in table[column]]
        items = items_text(labels, [pct_text(v) for v in table["share_at_high_risk"]], more=False)
        lines.append(say(W.GROUP, dimension=group.name, items=items))
        facts["groups"] = facts["listed"] = len(table)
        chart = bar_chart(labels, table["share_at_high_risk"], say(W.CHART_GROUP, dimension=group.name))
        return [Table(f"churn_risk_by_{column}", table)], [chart]
    names = customer_names(data, pd.DataFrame({ID: scores.index}))
    if params.customer:
        matched = match_customers(data, pd.DataFrame({ID: scores.index}), names, params.customer)
        listing = scores.loc[scores.index.isin(matched)]
        if listing.empty:
            lines.append(say(W.SNAPSHOT_CUSTOMER_CHURNED, customer=", ".join(matched[:MAX_SUMMARY_ITEMS])))
    elif params.risk_level is not None:
        listing = scores.loc[scores["risk_level"] == params.risk_level].head(params.n)
    else:
        listing = scores.head(params.n) if params.order == "top" else scores.iloc[::-1].head(params.n)
    out = with_names(listing, names)
    labels = [plain_label(c, n) for c, n in zip(out[ID], name_column(out), strict=True)]
    values = [pct_text(v) for v in out["churn_probability"].head(MAX_SUMMARY_ITEMS)]
    items = items_text(labels, values, more=len(out) > MAX_SUMMARY_ITEMS)
    if params.risk_level is not None:
        level = W.RISK_LEVELS[params.risk_level]
        line = (
            say(W.LEVEL_LIST, level=level, count=num_text(len(out)), items=items)
            if len(out)
            else say(W.LEVEL_EMPTY, level=level)
        )
        lines.append(line)
    elif len(out):
        lines.append(say(W.TOP if params.order == "top" else W.BOTTOM, items=items))
    facts["listed"] = len(out)
    return [Table("churn_risk", out)], []


def _drivers_chart(importance: pd.Series) -> Chart:
    shown = importance.head(15)
    labels = [feature_name(str(f)).en for f in shown.index]
    figure = go.Figure(go.Bar(x=shown.to_numpy()[::-1], y=labels[::-1], orientation="h"))
    figure.update_layout(showlegend=False)
    return Chart(W.CHART_DRIVERS, figure)


def _calibration_chart(table: pd.DataFrame) -> Chart:
    bands = [str(b) for b in table["probability_band"]]
    figure = go.Figure(
        [
            go.Bar(name=W.SNAPSHOT_PREDICTED.en, x=bands, y=table["mean_predicted_probability"].to_numpy()),
            go.Bar(name=W.SNAPSHOT_OBSERVED.en, x=bands, y=table["observed_churn_rate"].to_numpy()),
        ]
    )
    figure.update_layout(barmode="group", xaxis={"type": "category"}, yaxis={"tickformat": ".0%"})
    return Chart(W.SNAPSHOT_CHART_CALIBRATION, figure)


def _findings(
    scores: pd.DataFrame, high: np.ndarray, at_stake: pd.Series | None, amount: float | None
) -> list[Finding]:
    flagged = scores.index[high]
    if not len(flagged):
        return []
    order = (
        at_stake.loc[flagged].sort_values(ascending=False, kind="stable").index
        if at_stake is not None
        else flagged
    )
    share = len(flagged) / len(scores)
    findings = [
        Finding(
            "high_churn_risk",
            say(W.FINDING_HIGH, count=num_text(len(flagged)), share=pct_text(share)),
            customer_ids(order),
            amount,
            "churn_probability",
            HIGH_RISK,
        )
    ]
    if at_stake is None or not amount:
        return findings
    findings.append(
        Finding(
            "revenue_at_risk",
            say(
                W.SNAPSHOT_FINDING_REVENUE,
                amount=money_text(amount),
                share=pct_text(ratio(amount, at_stake.sum())),
            ),
            customer_ids(order),
            amount,
            "annual_charges",
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
                    W.SNAPSHOT_FINDING_VALUABLE,
                    count=num_text(len(valuable)),
                    amount=money_text(valuable.sum()),
                ),
                customer_ids(valuable.index),
                float(valuable.sum()),
                "churn_probability",
                HIGH_RISK,
            )
        )
    return findings
