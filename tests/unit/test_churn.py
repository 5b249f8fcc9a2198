"""churn_risk (tools/churn/): the recency rule by hand, 1 - P(alive), the supervised path and leakage."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from tools.bundle import Dataset, DatasetBundle
from tools.churn import common
from tools.churn import supervised as supervised_path
from tools.churn.supervised import snapshot_dates
from tools.churn.tool import ChurnParams, churn_risk
from tools.churn.unlabelled import recency_rule, typical_gap_days
from tools.registry import TOOLS


def _tx(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "date": pd.to_datetime([r[1] for r in rows]),
            "revenue": [r[2] for r in rows],
        }
    )


HAND = _tx(
    [
        ("A", "2024-01-01", 100.0),
        ("A", "2024-01-11", 100.0),
        ("A", "2024-01-21", 100.0),
        ("B", "2024-01-01", 50.0),
        ("B", "2024-01-31", 50.0),
        ("C", "2024-03-01", 70.0),
        ("D", "2024-02-20", 20.0),
        ("D", "2024-03-11", 20.0),
        ("E", "2024-04-20", 10.0),
        ("E", "2024-04-30", 10.0),
    ]
)


def test_recency_rule_by_hand():
    # gaps between purchase days: A 10, 10; B 30; D 20; E 10 -> median 10 days.
    # k = 6: high after 60 days without purchase, medium after 30. as_of = 2024-04-30 (last transaction):
    # A 100 days -> high, B 90 -> high, C 60 -> medium (not > 60), D 50 -> medium, E 0 -> low.
    assert typical_gap_days(HAND) == 10.0
    result = churn_risk(DatasetBundle([Dataset("transactions", HAND)]), ChurnParams(gap_multiplier=6))
    f = result.facts
    assert f["method"] == "recency_rule" and f["typical_gap_days"] == 10.0 and f["gap_multiplier"] == 6
    table = result.tables[0].frame.set_index("customer_id")
    assert table["risk_level"].to_dict() == {
        "A": "high",
        "B": "high",
        "C": "medium",
        "D": "medium",
        "E": "low",
    }
    assert table["days_since_last_purchase"].to_dict() == {"A": 100, "B": 90, "C": 60, "D": 50, "E": 0}
    assert table["churn_probability"].isna().all()  # a rule gives no probability, never a silent zero
    assert (table["basis"] == "recency_rule").all()
    assert (f["customers_at_high_risk"], f["customers_at_medium_risk"], f["customers_at_low_risk"]) == (
        2,
        2,
        1,
    )
    assert f["revenue_at_risk"] == 400.0 and f["revenue_at_risk_basis"] == "revenue"  # A 300 + B 100
    assert {x.name for x in result.findings} >= {"high_churn_risk", "revenue_at_risk"}
    assert "60 days" in result.summary.en and "10 days" in result.summary.en  # the definition is stated
    assert "only 5 customers" in result.warnings[0].en
    assert recency_rule(pd.Series([61.0, 31.0, 30.0]), 10.0, 6.0).tolist() == ["high", "medium", "low"]


def test_one_time_buyers_get_mbgnbd_without_labels(demo_bundle):
    bundle = DatasetBundle([demo_bundle.datasets["transactions"]])
    result = churn_risk(bundle, ChurnParams(n=10_000))
    assert result.facts["method"] == "model"
    table = result.tables[0].frame
    assert table["churn_probability"].notna().all()
    assert set(table["basis"]) == {"bgnbd", "mbgnbd"}
    assert (
        "MBG/NBD" in result.facts["churn_definition"] and "1 − P(alive)" in result.facts["churn_definition"]
    )
    assert result.facts["r"] > 0 and result.facts["high_risk_cutoff"] == common.HIGH_RISK


def test_snapshot_dates():
    cuts = snapshot_dates(date(2023, 1, 1), date(2025, 12, 31), 180)
    assert cuts[0] == pd.Timestamp("2025-07-04") and len(cuts) == 7
    assert all(c - pd.Timedelta(days=365) >= pd.Timestamp("2023-01-01") for c in cuts)


@pytest.fixture(scope="module")
def supervised(demo_session_factory):
    return TOOLS["churn_risk"].run(demo_session_factory().bundle, {})


def test_supervised_on_demo_reports_cv_auc_and_drivers(supervised):
    f = supervised.facts
    assert f["method"] == "supervised"
    assert 0.6 <= f["cv_auc"] <= 0.95, f["cv_auc"]
    assert f["snapshots"] == 7 and f["prediction_days"] == 180 and 0 < f["training_churn_rate"] < 0.3
    assert f["top_driver"] is not None
    drivers = next(t.frame for t in supervised.tables if t.name == "churn_drivers")
    assert drivers["importance"].iloc[0] > 0
    assert "ROC AUC" in supervised.summary.en and "Main drivers" in supervised.summary.en
    assert "ROC AUC" in supervised.summary.zh
    assert f["customers"] + f["already_churned"] == 400
    assert f["revenue_at_risk_basis"] == "gross_profit"
    json.dumps(f, allow_nan=False)


def _labelled(
    bundle: DatasetBundle, customers: pd.DataFrame, tx: pd.DataFrame | None = None
) -> DatasetBundle:
    out = DatasetBundle(
        [ds for kind, ds in bundle.datasets.items() if kind not in ("customers", "transactions")]
    )
    out.add(Dataset("customers", customers))
    out.add(Dataset("transactions", bundle.get("transactions") if tx is None else tx))
    return out


def test_shuffled_labels_give_chance_auc(demo_session_factory):
    bundle = demo_session_factory().bundle
    customers = bundle.get("customers").copy()
    order = np.random.default_rng(0).permutation(len(customers))
    customers[["churned", "churn_date"]] = customers[["churned", "churn_date"]].iloc[order].to_numpy()
    customers["churned"] = customers["churned"].astype(bool)
    customers["churn_date"] = pd.to_datetime(customers["churn_date"])
    result = churn_risk(_labelled(bundle, customers), ChurnParams())
    assert result.facts["method"] == "supervised"
    assert abs(result.facts["cv_auc"] - 0.5) <= 0.1, result.facts["cv_auc"]


def test_post_churn_transactions_change_no_feature(demo_session_factory, supervised):
    bundle = demo_session_factory().bundle
    customers, tx = bundle.get("customers"), bundle.get("transactions")
    gone = customers.loc[customers["churned"] & (customers["churn_date"] < "2025-06-01")].head(40)
    extra = pd.DataFrame(
        {
            "order_id": [f"X{i}" for i in range(len(gone))],
            "customer_id": gone["customer_id"].to_numpy(),
            "date": (gone["churn_date"] + pd.Timedelta(days=30)).to_numpy(),
            "revenue": 5000.0,
            "cost": 100.0,
            "service_cost": 1.0,
        }
    )
    more = pd.concat([tx, extra], ignore_index=True)
    labels = supervised_path.churn_labels(bundle)
    before = supervised_path.training_frame(bundle, tx, labels, date(2025, 12, 31), 180)[0]
    after = supervised_path.training_frame(bundle, more, labels, date(2025, 12, 31), 180)[0]
    pd.testing.assert_frame_equal(before, after)
    result = churn_risk(_labelled(bundle, customers, more), ChurnParams())
    assert result.facts["cv_auc"] == pytest.approx(supervised.facts["cv_auc"], abs=1e-12)


def test_labels_need_both_classes(demo_bundle):
    customers = demo_bundle.get("customers").assign(churned=False)
    result = churn_risk(_labelled(demo_bundle, customers), ChurnParams())
    assert result.facts["method"] == "model"
    assert "cannot train a model" in result.warnings[0].en
