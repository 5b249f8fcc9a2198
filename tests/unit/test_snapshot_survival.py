"""customer_survival on a customer snapshot: Kaplan-Meier from tenure (months) and the churn flag.

The curve and the log-rank statistic are worked out by hand in the comments (risk sets listed).
"""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from tools.bundle import Dataset, DatasetBundle
from tools.errors import ToolInputError
from tools.registry import TOOLS


def run(frame: pd.DataFrame, **arguments):
    return TOOLS["customer_survival"].run(DatasetBundle([Dataset("customers", frame)]), arguments)


@pytest.fixture
def ten() -> pd.DataFrame:
    """Tenure 5, 10, 10, 15, 20, 25, 25, 30, 40, 50 months; churned at 5, 10 (one of the two), 15, 25 (one
    of the two) and 40."""
    return pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(10)],
            "tenure": [5.0, 10, 10, 15, 20, 25, 25, 30, 40, 50],
            "churned": [True, False, True, True, False, True, False, False, True, False],
        }
    )


def test_kaplan_meier_from_tenure(ten):
    # t=5: 10 at risk, 1 churns -> S = 0.9; t=10: 9 at risk (both 10s), 1 churns -> 0.9 x 8/9 = 0.8;
    # t=15: 7 at risk -> 0.8 x 6/7 = 0.685714; t=25: 5 at risk (25, 25, 30, 40, 50) -> x 4/5 = 0.548571;
    # t=40: 2 at risk (40, 50) -> x 1/2 = 0.274286. Median: the first S <= 0.5 is at 40 months.
    result = run(ten)
    facts = result.facts
    assert facts["churn_source"] == "snapshot"
    assert (facts["customers"], facts["churned_customers"]) == (10, 5)
    assert facts["median_tenure_months"] == 40
    assert facts["survival_12m"] == pytest.approx(0.8)  # S(12) = S(10)
    assert facts["survival_24m"] == pytest.approx(0.8 * 6 / 7)  # S(24) = S(15)
    assert facts["survival_36m"] == pytest.approx(0.8 * 6 / 7 * 4 / 5)  # S(36) = S(25)
    curve = result.tables[1].frame
    assert curve["months"].tolist() == [0, 5, 10, 15, 25, 40, 50]
    assert curve["survival"].tolist() == pytest.approx([1, 0.9, 0.8, 0.685714, 0.548571, 0.274286, 0.274286], abs=1e-6)
    assert "Median tenure: 40 months" in result.summary.en
    assert any("survival is overstated" in a.en for a in result.method.assumptions)
    assert any("Only 5 churn events" in w.en for w in result.warnings)


def test_no_survival_beyond_the_longest_tenure():
    frame = pd.DataFrame({"customer_id": list("abc"), "tenure": [3.0, 6, 9], "churned": [True, False, False]})
    facts = run(frame).facts
    assert facts["survival_12m"] is None and facts["median_tenure_months"] is None


def test_log_rank_between_contract_types_by_hand():
    # A: 1, 2, 3 months, all churned; B: 2 (active), 4 (churned), 5 (active).
    # Event times (at risk A/B, churned): 1 (3/3, 1 A), 2 (2/3, 1 A), 3 (1/2, 1 A), 4 (0/2, 1 B).
    # E_A = 3/6 + 2/5 + 1/3 + 0 = 37/30, O_A = 3, U = 53/30.
    # V = Σ d (n-d)/(n-1) x (n_A/n)(1 - n_A/n) = 1/4 + 6/25 + 2/9 + 0 = 641/900.
    # chi2 = U² / V = (2809/900) / (641/900) = 2809/641, 1 degree of freedom.
    frame = pd.DataFrame(
        {
            "customer_id": list("abcdef"),
            "tenure": [1.0, 2, 3, 2, 4, 5],
            "contract": ["A"] * 3 + ["B"] * 3,
            "churned": [True, True, True, False, True, False],
        }
    )
    result = run(frame)  # default grouping: contract
    assert result.facts["group_by"] == "contract"
    assert result.facts["logrank_statistic"] == pytest.approx(2809 / 641)
    assert result.facts["logrank_p_value"] == pytest.approx(stats.chi2.sf(2809 / 641, 1))
    groups = result.tables[0].frame.set_index("contract")
    assert list(groups.index) == ["all", "A", "B"]
    # A: S = 2/3, 1/3, 0 at 1, 2, 3 -> median 2; B: at 4, 2 at risk, 1 churns -> S = 1/2 -> median 4
    assert groups["median_tenure_months"].tolist() == [3.0, 2.0, 4.0]
    assert "p = 0.036" in result.summary.en


def test_tenure_is_needed_and_is_not_a_grouping(ten):
    with pytest.raises(ToolInputError, match="no tenure column"):
        run(ten.drop(columns="tenure"))
    with pytest.raises(ToolInputError, match="time axis"):
        run(ten, group_by="tenure")
    missing = ten.assign(tenure=[None, *ten["tenure"].tolist()[1:]])
    result = run(missing)
    assert result.facts["customers"] == 9
    assert any("1 customers have no tenure" in w.en for w in result.warnings)


def test_short_tenures_look_like_years():
    frame = pd.DataFrame({"customer_id": list("abcd"), "tenure": [1.0, 4, 7, 10], "churned": [1, 0, 1, 0]})
    result = run(frame)
    assert any("if tenure is in years" in w.en for w in result.warnings)
