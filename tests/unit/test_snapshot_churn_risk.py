"""churn_risk on a customer snapshot: the supervised model against data whose true churn probabilities are
known (a synthetic telecom-like snapshot), model selection, calibration, drivers and revenue at risk.

The synthetic snapshot draws churn from a known logistic model, so the best possible ROC AUC is that of
the true probabilities (the "oracle" AUC, computed with scikit-learn here); a well-built model gets close
to it under cross-validation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import tools.churn.snapshot as churn_snapshot
from tools.bundle import Dataset, DatasetBundle
from tools.churn.snapshot import auc_rows, features
from tools.errors import ToolInputError
from tools.registry import TOOLS


def synthetic_telco(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """A telecom-like snapshot: contract, tenure, internet service, payment method, charges (at least 18 a
    month), gender (no effect), churn drawn from logit = -0.9 + contract (-1.3 one year, -2.6 two years) - 0.55 log(1 +
    tenure) + 0.8 fiber - 0.6 no internet + 0.6 electronic check + 0.006 (monthly - 65) + 0.9."""
    rng = np.random.default_rng(seed)
    contract = rng.choice(["Month-to-month", "One year", "Two year"], n, p=[0.55, 0.21, 0.24])
    scale = np.select([contract == "Month-to-month", contract == "One year"], [14.0, 35.0], 55.0)
    tenure = np.minimum(rng.exponential(scale), 72).round()
    internet = rng.choice(["DSL", "Fiber optic", "No"], n, p=[0.34, 0.44, 0.22])
    monthly = np.select([internet == "Fiber optic", internet == "DSL"], [90.0, 58.0], 21.0) + rng.normal(0, 8, n)
    monthly = np.maximum(monthly, 18.0)
    payment = rng.choice(["Electronic check", "Mailed check", "Bank transfer", "Credit card"], n)
    logit = (
        np.select([contract == "One year", contract == "Two year"], [-1.3, -2.6], 0.0)
        - 0.55 * np.log1p(tenure)
        + 0.8 * (internet == "Fiber optic")
        - 0.6 * (internet == "No")
        + 0.6 * (payment == "Electronic check")
        + 0.006 * (monthly - 65)
    )
    p = 1 / (1 + np.exp(-logit))
    frame = pd.DataFrame(
        {
            "customer_id": [f"S{i:05d}" for i in range(n)],
            "gender": rng.choice(["Female", "Male"], n),
            "tenure": tenure,
            "contract": contract,
            "InternetService": internet,
            "PaymentMethod": payment,
            "monthly_charges": monthly.round(2),
            "total_charges": (monthly * tenure).round(2),
            "churned": rng.random(n) < p,
        }
    )
    return frame, p


def run(frame: pd.DataFrame, **arguments):
    return TOOLS["churn_risk"].run(DatasetBundle([Dataset("customers", frame)]), arguments)


@pytest.fixture(scope="module")
def synthetic():
    frame, p = synthetic_telco(2000, seed=1)
    return frame, p, run(frame)


def test_cross_validated_auc_comes_close_to_the_truth(synthetic):
    frame, p, result = synthetic
    oracle = roc_auc_score(frame["churned"], p)  # 0.82 for this draw
    facts = result.facts
    assert facts["method"] == "snapshot_model"
    assert oracle - 0.03 < facts["cv_auc"] <= oracle + 0.01
    assert facts["cv_auc"] == max(facts["cv_auc_logistic"], facts["cv_auc_gradient_boosting"])
    assert facts["training_customers"] == 2000 and facts["already_churned"] == int(frame["churned"].sum())
    selection = next(t.frame for t in result.tables if t.name == "model_selection")
    assert selection["chosen"].sum() == 1 and selection.loc[selection["chosen"], "model"].item() == facts["model"]
    assert "cross-validated ROC AUC" in result.summary.en and "交叉验证 ROC AUC" in result.summary.zh


def test_drivers_name_the_true_effects_with_their_direction(synthetic):
    _, _, result = synthetic
    drivers = next(t.frame for t in result.tables if t.name == "churn_drivers").set_index("feature")
    top = list(drivers.index[:3])
    assert "contract" in top and "tenure" in top
    assert drivers.loc["contract", "riskiest_level"] == "Month-to-month"
    assert drivers.loc["tenure", "direction"] == "down"
    assert drivers.loc["gender", "importance"] < 0.005  # no effect in the truth
    assert "contract type (highest risk: Month-to-month)" in result.summary.en
    assert "合约类型（风险最高：Month-to-month）" in result.summary.zh


def test_calibration_is_checked_against_the_observed_rate(synthetic, monkeypatch):
    frame, _, result = synthetic
    facts = result.facts
    assert facts["training_churn_rate"] == pytest.approx(frame["churned"].mean())
    assert facts["calibration_gap"] == pytest.approx(facts["mean_predicted_probability"] - facts["training_churn_rate"])
    assert abs(facts["calibration_gap"]) < 0.01 and facts["calibration_ok"] is True
    assert "within the tolerance of 5.0%" in result.summary.en
    bands = next(t.frame for t in result.tables if t.name == "calibration")
    assert bands["customers"].sum() == 2000 and bands["mean_predicted_probability"].is_monotonic_increasing
    # with a zero tolerance any gap is reported, first among the warnings
    monkeypatch.setattr(churn_snapshot, "CALIBRATION_TOLERANCE", 0.0)
    small = run(frame.head(400))
    assert small.facts["calibration_ok"] is False
    assert "off by more than the tolerance" in small.warnings[0].en


def test_scores_risk_levels_and_revenue_at_risk(synthetic):
    frame, _, result = synthetic
    table = next(t.frame for t in result.tables if t.name == "churn_risk")
    assert table["churn_probability"].is_monotonic_decreasing
    everyone = run(frame, n=10_000)
    listed = next(t.frame for t in everyone.tables if t.name == "churn_risk")
    assert len(listed) == (~frame["churned"]).sum()  # every customer not yet churned, and only those
    high = listed.loc[listed["churn_probability"] >= 0.5]
    assert (high["risk_level"] == "high").all() and len(high) == everyone.facts["customers_at_high_risk"]
    # revenue at risk = Σ monthly charges x 12 of the high-risk customers
    assert everyone.facts["revenue_at_risk"] == pytest.approx((high["monthly_charges"] * 12).sum())
    assert listed["annual_charges"].tolist() == pytest.approx((listed["monthly_charges"] * 12).tolist())
    names = {f.name for f in everyone.findings}
    assert {"high_churn_risk", "revenue_at_risk"} <= names


def test_gradient_boosting_wins_when_the_truth_is_an_interaction():
    # churn 60% when exactly one of two yes/no attributes holds, 10% otherwise (XOR): a linear model
    # cannot rank that (AUC about 0.5), trees can.
    rng = np.random.default_rng(3)
    a, b = rng.random(1000) < 0.5, rng.random(1000) < 0.5
    frame = pd.DataFrame(
        {
            "customer_id": [f"X{i}" for i in range(1000)],
            "fiber": np.where(a, "yes", "no"),
            "paperless": np.where(b, "yes", "no"),
            "churned": rng.random(1000) < np.where(a ^ b, 0.6, 0.1),
        }
    )
    result = run(frame)
    assert result.facts["model"] == "gradient_boosting"
    assert result.facts["cv_auc_gradient_boosting"] > result.facts["cv_auc_logistic"] + 0.15


def test_auc_rows_equals_scikit_learn():
    rng = np.random.default_rng(0)
    y = rng.random(50) < 0.3
    scores = rng.random((4, 50)).round(1)  # ties on purpose
    assert auc_rows(y, scores) == pytest.approx([roc_auc_score(y, s) for s in scores])


def test_row_numbers_are_not_features():
    frame = pd.DataFrame(
        {"RowNumber": [1, 2, 4, 7], "age": [30.0, 40, 50, 35], "churned": [True, False, False, True]},
        index=pd.Index(list("abcd"), name="customer_id"),
    )
    assert list(features(frame).columns) == ["age"]


def test_what_a_snapshot_model_needs(synthetic):
    frame, _, _ = synthetic
    with pytest.raises(ToolInputError, match="at least 10 of each"):
        run(frame.head(30).assign(churned=[True] * 5 + [False] * 25))
    with pytest.raises(ToolInputError, match="reads purchases"):
        run(frame, method="recency_rule")
    grouped = run(frame.head(300), group_by="contract")
    table = grouped.tables[0].frame
    assert grouped.tables[0].name == "churn_risk_by_contract"
    assert table["customers"].sum() == (~frame.head(300)["churned"]).sum()
