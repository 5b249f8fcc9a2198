"""customer_lifetime_value on a customer snapshot: subscription CLV = margin x monthly charge x Σ_k
S(t + k) / S(t) / (1 + d)^k from the Kaplan-Meier curve of tenure.

The curves, their tails and the sums are worked out by hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tools.bundle import Dataset, DatasetBundle
from tools.errors import ToolInputError
from tools.registry import TOOLS


def run(frame: pd.DataFrame, **arguments):
    return TOOLS["customer_lifetime_value"].run(DatasetBundle([Dataset("customers", frame)]), arguments)


@pytest.fixture
def four() -> pd.DataFrame:
    """Tenure 1 (churned), 2 (active, 10 a month), 3 (churned), 4 (active, 20 a month)."""
    return pd.DataFrame(
        {
            "customer_id": ["X1", "A", "X3", "B"],
            "tenure": [1.0, 2, 3, 4],
            "monthly_charges": [50.0, 10, 50, 20],
            "churned": [True, False, True, False],
        }
    )


# Kaplan-Meier: t=1, 4 at risk, 1 churns -> S = 3/4; t=3, 2 at risk (3, 4), 1 churns -> S = 3/8.
# Longest tenure 4 < 12 tail months, so the tail churn is over the whole curve: (1 - h)^4 = S(4) / S(0) = 3/8,
# 1 - h = (3/8)^(1/4) = 0.782542; beyond 4 months S(4 + m) = 3/8 x (3/8)^(m/4).
Q = 0.375 ** 0.25


def test_subscription_clv_by_hand(four):
    # A (t = 2, S(2) = 3/4): r(1) = S(3)/S(2) = 1/2, r(2) = S(4)/S(2) = 1/2, r(3) = S(5)/S(2) = Q/2
    # B (t = 4, S(4) = 3/8): r(k) = Q^k -> Q, Q², Q³
    # horizon 3 months, no discounting, margin 0.5: clv = 0.5 x charge x Σ r
    result = run(four, horizon=3, time_unit="M", discount_rate=0.0, margin=0.5)
    table = result.tables[0].frame.set_index("customer_id")
    assert table.loc["A", "expected_remaining_months"] == pytest.approx(1 + Q / 2)
    assert table.loc["B", "expected_remaining_months"] == pytest.approx(Q + Q**2 + Q**3)
    assert table.loc["A", "clv"] == pytest.approx(0.5 * 10 * (1 + Q / 2))
    assert table.loc["B", "clv"] == pytest.approx(0.5 * 20 * (Q + Q**2 + Q**3))
    # r(12): A S(14)/S(2) = (3/8 x Q^10) / (3/4) = Q^10 / 2; B S(16)/S(4) = Q^12
    assert table.loc["A", "retention_12m"] == pytest.approx(Q**10 / 2)
    assert table.loc["B", "retention_12m"] == pytest.approx(Q**12)
    assert list(table.index) == ["B", "A"]  # ranked by CLV; churned customers are not valued
    facts = result.facts
    assert facts["model"] == "subscription" and facts["horizon_months"] == 3 and facts["customers"] == 2
    assert facts["total_clv"] == pytest.approx(table["clv"].sum())
    assert not any("100%" in w.en for w in result.warnings)  # a margin was given


def test_discounting_and_the_default_horizon(four):
    # d = 1.1^(1/12) - 1 per month; 60 months; margin 1.0 (a warning says CLV is revenue, not profit)
    result = run(four)
    d = 1.1 ** (1 / 12) - 1
    k = np.arange(1, 61)
    r_b = Q**k
    expected = 20 * (r_b / (1 + d) ** k).sum()
    table = result.tables[0].frame.set_index("customer_id")
    assert table.loc["B", "clv"] == pytest.approx(expected)
    assert result.facts["horizon_months"] == 60 and result.facts["margin"] == 1.0
    assert any("margin is taken as 100%" in w.en for w in result.warnings)
    # a horizon of 26 weeks is 26 x 7 / 30.44 = 5.98 -> 6 months
    assert run(four, horizon=26, time_unit="W").facts["horizon_months"] == 6


def test_one_curve_per_contract():
    # A: tenure 1 (churned), 2 (active): S(1) = 1/2, longest 2, (1 - h)² = S(2)/S(0) = 1/2.
    #    The active customer (t = 2): r(1) = S(3)/S(2) = 2^-1/2, r(2) = 1/2 -> Σ = 1.207107 over 2 months.
    # B: tenure 3 and 5, nobody churned: S = 1 everywhere -> Σ = 2 for both.
    frame = pd.DataFrame(
        {
            "customer_id": ["a1", "a2", "b1", "b2"],
            "tenure": [1.0, 2, 3, 5],
            "contract": ["A", "A", "B", "B"],
            "monthly_charges": [10.0, 10, 10, 10],
            "churned": [True, False, False, False],
        }
    )
    result = run(frame, horizon=2, time_unit="M", discount_rate=0.0)
    table = result.tables[0].frame.set_index("customer_id")
    assert table.loc["a2", "expected_remaining_months"] == pytest.approx(2**-0.5 + 0.5)
    assert table.loc[["b1", "b2"], "clv"].tolist() == pytest.approx([20.0, 20.0])
    assert result.facts["curve_by"] == "contract"
    by_contract = next(t.frame for t in result.tables if t.name == "clv_by_contract")
    assert by_contract["contract"].tolist() == ["B", "A"]


def test_valuable_customers_unlikely_to_stay(four):
    # charges of the valued customers: 10 and 20; top 20% = charge >= the 80th percentile 18 -> B;
    # B's chance of still being a customer in 12 months Q^12 = 0.0527 < 0.5 -> flagged, value 20 x 12
    (finding,) = run(four).findings
    assert finding.name == "at_risk_valuable_customers"
    assert finding.customers == ["B"] and finding.value == pytest.approx(240.0)


def test_grouping_listing_and_errors(four):
    grouped = run(four, group_by="tenure")
    assert grouped.tables[0].name == "clv_by_tenure"
    assert grouped.tables[0].frame["tenure"].tolist() == ["0–12"]
    one = run(four, customer="A")
    assert one.facts["customer_rank"] == 2 and "A: CLV" in one.summary.en
    gone = run(four, customer="X1")
    assert "already marked churned" in gone.summary.en and gone.tables[0].frame.empty
    with pytest.raises(ToolInputError, match="no monthly_charges column"):
        run(four.drop(columns="monthly_charges"))
    unused = run(four, calibration_end="2024-01-01")
    assert any("calibration_end cannot be applied" in w.en for w in unused.warnings)
