"""Candidate actions: gains against hand-computed values on a 3-customer fixture, targeting, reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tools.plan.candidates import build_candidates
from tools.plan.economics import parse_economics

BASIS = {"en": "Team estimate.", "zh": "团队估计。"}


def econ(pid: str, **block):
    return parse_economics({"id": pid, "economics": {"estimate": True, "basis": BASIS, **block}})


RETENTION = econ(
    "r",
    family="retention",
    owner_role="account_manager",
    cost={"revenue_share": 0.02, "hours": {"account_manager": 1}},
    effect={"quantity": "retention_uplift", "low": 0.1, "high": 0.3},
    applies_to={"findings": ["high_churn_risk"]},
)
SERVICE = econ(
    "s",
    family="service",
    owner_role="account_manager",
    cost={"hours": {"account_manager": 0.5}},
    effect={"quantity": "cost_to_serve_reduction", "low": 0.2, "high": 0.4},
    applies_to={"findings": ["high_cost_to_serve"]},
)
COLLECTIONS = econ(
    "c",
    family="collections",
    owner_role="collector",
    cost={"fixed": 10, "hours": {"collector": 0.5}},
    effect={"quantity": "recovered_receivables", "low": 0.2, "high": 0.6},
    applies_to={"findings": ["overdue_receivables"]},
)
PRICING = econ(
    "p",
    family="pricing",
    owner_role="account_manager",
    cost={"hours": {"account_manager": 0.25}},
    effect={"quantity": "price_realisation", "low": 0.5, "high": 1.0, "price_change": 0.1},
    applies_to={"findings": ["price_inelastic_segment"], "thresholds": {"elasticity": {"min": -1, "max": 0}}},
)
ALL = [RETENTION, SERVICE, COLLECTIONS, PRICING]


def values() -> pd.DataFrame:
    """Three customers with round numbers: 001 has every input, 002 no CLV (profit fallback) and no
    elasticity, 003 no churn probability, cost-to-serve or grade."""
    return pd.DataFrame(
        {
            "customer_id": ["001", "002", "003"],
            "revenue": [10_000.0, 20_000.0, 5_000.0],
            "profit": [2_000.0, -500.0, 1_000.0],
            "clv": [8_000.0, np.nan, np.nan],
            "churn_probability": [0.5, 0.2, np.nan],
            "cost_to_serve": [1_200.0, 4_800.0, np.nan],
            "overdue_amount": [3_000.0, 0.0, 1_000.0],
            "credit_grade": ["D", "A", None],
            "elasticity": [-0.5, np.nan, -0.5],
            "segment": ["SMB", "Enterprise", "SMB"],
            "findings": [
                {"high_churn_risk", "overdue_receivables", "high_cost_to_serve", "price_inelastic_segment"},
                ["high_churn_risk", "high_cost_to_serve", "loss_making_customers"],
                {"overdue_receivables"},
            ],
        }
    )


def test_gains_match_hand_computed_values():
    """Horizon 3 months (h = 0.25). Every number below is worked out by hand from the module formulas."""
    c = build_candidates(values(), ALL, horizon_months=3).frame.set_index(["action", "customer_id"])
    expected = {
        # retention: stake = p x clv = 0.5 x 8,000 = 4,000; cost = 2% x 10,000 = 200;
        # gain = e x 4,000 - 200 at e = 0.1 / 0.2 / 0.3
        ("r", "001"): (200, 4_000, 200, 600, 1_000),
        # no clv: stake = p x trailing profit = 0.2 x -500 = -100; cost = 2% x 20,000 = 400;
        # gains -410 / -420 / -430 (a larger effect loses more), so low = -430 and high = -410
        ("r", "002"): (400, -100, -430, -420, -410),
        # service: stake = 0.25 x 1,200 = 300; gain = e x 300 at e = 0.2 / 0.3 / 0.4
        ("s", "001"): (0, 300, 60, 90, 120),
        # stake = 0.25 x 4,800 = 1,200
        ("s", "002"): (0, 1_200, 240, 360, 480),
        # collections: stake = 3,000 x loss rate of D (0.25) = 750; gain = e x 750 - 10 at 0.2 / 0.4 / 0.6
        ("c", "001"): (10, 750, 140, 290, 440),
        # pricing: R = 10,000, C = R - (profit + cost-to-serve) = 6,800, eps = -0.5, d = 0.1 x e;
        # e = 0.5: q = 1.05^-0.5 = 0.975900, 0.25 x (10,000 x (1.05 q - 1) - 6,800 (q - 1)) = 102.71
        # e = 0.75: q = 1.075^-0.5 = 0.964486 -> 152.43; e = 1: q = 1.1^-0.5 = 0.953463 -> 201.14
        ("p", "001"): (0, 2_500, 102.7076, 152.4296, 201.1357),
    }
    assert set(c.index) == set(expected)
    for key, (cost, stake, low, mid, high) in expected.items():
        row = c.loc[key]
        assert row["cost"] == pytest.approx(cost)
        assert row["value_at_stake"] == pytest.approx(stake)
        assert (row["gain_low"], row["gain_mid"], row["gain_high"]) == pytest.approx(
            (low, mid, high), abs=1e-4
        )
    assert c.loc[("r", "001"), "why"] == "high_churn_risk|churn_probability*clv"
    assert c.loc[("r", "002"), "why"] == "high_churn_risk|churn_probability*profit"
    assert c.loc[("c", "001"), "why"] == "overdue_receivables|overdue_amount*loss_rate_D"
    assert c.loc[("c", "001"), "group"] == "receivables" and c.loc[("s", "001"), "group"] == "relationship"


def test_hours_per_role_and_total():
    c = build_candidates(values(), ALL).frame
    assert [col for col in c.columns if col.startswith("hours_")] == [
        "hours_account_manager",
        "hours_collector",
    ]
    row = c[(c["action"] == "c") & (c["customer_id"] == "001")].iloc[0]
    assert (row["hours"], row["hours_collector"], row["hours_account_manager"]) == (0.5, 0.5, 0.0)


def test_skipped_customers_are_counted_with_the_reason():
    skipped = build_candidates(values(), ALL).skipped
    counts = {(a, r): n for a, r, n in skipped.itertuples(index=False)}
    assert counts == {
        ("r", "not_targeted"): 1,  # 003 lacks high_churn_risk
        ("s", "not_targeted"): 1,
        ("c", "not_targeted"): 1,  # 002 has no overdue finding
        ("c", "missing_credit_grade"): 1,  # 003 is overdue but has no grade
        ("p", "not_targeted"): 2,  # 002 and 003 lack the inelastic finding
    }


def test_missing_inputs_of_targeted_customers():
    untargeted = [e.model_copy(update={"applies_to": type(e.applies_to)()}) for e in ALL]
    skipped = build_candidates(values(), untargeted).skipped
    counts = {(a, r): n for a, r, n in skipped.itertuples(index=False)}
    assert counts[("r", "missing_churn_probability")] == 1  # 003
    assert counts[("s", "missing_cost_to_serve")] == 1  # 003
    assert counts[("p", "missing_elasticity")] == 1  # 002
    # 003 is priced: its gross profit is profit + 0 (no cost-to-serve known)
    c = build_candidates(values(), untargeted).frame
    assert set(c.loc[c["action"] == "p", "customer_id"]) == {"001", "003"}


def test_segments_grades_thresholds_and_families():
    targeted = RETENTION.model_copy(
        update={
            "applies_to": type(RETENTION.applies_to)(
                segments=("smb",), thresholds={"churn_probability": {"min": 0.4}}
            )
        }
    )
    c = build_candidates(values(), [targeted]).frame
    assert list(c["customer_id"]) == ["001"]  # 003 is SMB but has no churn probability
    assert c["why"].iloc[0].startswith("segment|")
    graded = COLLECTIONS.model_copy(update={"applies_to": type(COLLECTIONS.applies_to)(credit_grades=("A",))})
    graded_rows = build_candidates(values(), [graded]).frame  # only 002 is A; it owes nothing: gain = -cost
    assert list(graded_rows["customer_id"]) == ["002"] and graded_rows["gain_mid"].iloc[0] == -10
    only = build_candidates(values(), ALL, families={"service"}).frame
    assert set(only["action"]) == {"s"}


def test_horizon_scales_annual_figures_and_loss_rates_can_be_replaced():
    six = build_candidates(values(), [SERVICE], horizon_months=6).frame
    assert six.loc[six["customer_id"] == "001", "gain_mid"].iloc[0] == pytest.approx(0.3 * 0.5 * 1_200)
    whole = build_candidates(values(), [COLLECTIONS], loss_rates=dict.fromkeys("ABCDE", 1.0)).frame
    assert whole["gain_mid"].iloc[0] == pytest.approx(0.4 * 3_000 - 10)


def test_bad_values_are_rejected():
    v = values()
    with pytest.raises(ValueError, match="customer_id must be unique; duplicated: 001"):
        build_candidates(pd.concat([v, v.iloc[[0]]]), ALL)
    with pytest.raises(ValueError, match="no customer_id"):
        build_candidates(v.drop(columns="customer_id"), ALL)
    with pytest.raises(ValueError, match="column revenue is not numeric"):
        build_candidates(v.assign(revenue=["a", "b", "c"]), ALL)
    with pytest.raises(ValueError, match="horizon_months"):
        build_candidates(v, ALL, horizon_months=0)
    bare = build_candidates(v[["customer_id"]], ALL)  # ids only: no candidate, every customer counted
    assert bare.frame.empty and list(bare.frame.columns[:3]) == ["customer_id", "action", "family"]
    assert bare.skipped.groupby("action")["customers"].sum().to_dict() == dict.fromkeys("rscp", 3)
