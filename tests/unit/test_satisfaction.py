"""satisfaction_analysis: CSAT/NPS on 10 scores, complaint Pareto, churn split with counts and p-value."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from tools.bundle import Dataset, DatasetBundle
from tools.satisfaction import (
    SatisfactionParams,
    csat_share,
    nps_value,
    satisfaction_analysis,
    two_proportion_test,
)


def test_csat_and_nps_on_ten_scores():
    # CSAT: 4-5 scores are 5,4,4,5,5,4 -> 6 of 10
    assert csat_share(pd.Series([5, 4, 4, 3, 2, 1, 5, 5, 3, 4])) == pytest.approx(0.6)
    # NPS: promoters 10,9,9,10,9 = 5; detractors 6,5,3 = 3 -> (5 - 3) / 10 = 0.2
    assert nps_value(pd.Series([10, 9, 9, 8, 7, 6, 5, 10, 3, 9])) == pytest.approx(0.2)


def test_two_proportion_z_test_matches_hand_formula():
    # p1 = 0.3, p2 = 0.15, pooled 0.225; se = sqrt(0.225 * 0.775 * 0.02) = 0.059055; z = 2.540
    p, test = two_proportion_test(30, 100, 15, 100)
    assert test == "z"
    assert p == pytest.approx(2 * stats.norm.sf(0.15 / (0.225 * 0.775 * 0.02) ** 0.5))
    p_small, test_small = two_proportion_test(2, 3, 1, 10)
    assert test_small == "fisher"
    assert p_small == pytest.approx(stats.fisher_exact([[2, 1], [1, 9]])[1])


def _bundle(scores: list[int]) -> DatasetBundle:
    feedback = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10"],
            "date": pd.date_range("2024-01-01", periods=10, freq="7D"),
            "score": scores,
            "category": ["Delivery", "Delivery", "Price", "Delivery", None, None, None, None, None, "Price"],
            "complaint": [True, True, True, True, False, False, False, False, False, True],
            "response_hours": [2.0, 4.0, 6.0, 8.0, 1, 1, 1, 1, 1, 10.0],
            "resolved": [True, False, True, True, True, True, True, True, True, False],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(1, 13)],
            "segment": ["A"] * 6 + ["B"] * 6,
            "churned": ["yes", "yes", "no", "yes", "no", "no", "no", "yes", "no", "no", "no", "no"],
        }
    )
    return DatasetBundle([Dataset("feedback", feedback), Dataset("customers", customers)])


def test_golden_csat_complaints_and_churn_split():
    result = satisfaction_analysis(_bundle([1, 2, 3, 2, 5, 4, 4, 5, 5, 3]), SatisfactionParams())
    f = result.facts
    assert f["scale"] == "csat"
    assert f["csat"] == pytest.approx(0.5)  # 5,4,4,5,5
    assert f["complaint_rate"] == pytest.approx(0.5)
    pareto = result.tables[[t.name for t in result.tables].index("complaint_categories")].frame
    assert pareto["category"].tolist() == ["Delivery", "Price"]
    assert pareto["complaints"].tolist() == [3, 2]
    assert pareto["cumulative_share"].tolist() == pytest.approx([0.6, 1.0])
    # complainers or low scores: C1..C4, C10 -> churned C1, C2, C4 = 3 of 5; others C5..C9, C11, C12: C8 = 1 of 7
    assert (f["complainers"], f["others"]) == (5, 7)
    assert f["churn_rate_complainers"] == pytest.approx(3 / 5)
    assert f["churn_rate_others"] == pytest.approx(1 / 7)
    assert f["churn_test"] == "fisher"
    assert f["churn_p_value"] == pytest.approx(stats.fisher_exact([[3, 2], [1, 6]])[1])
    assert f["median_response_hours"] == pytest.approx(6.0)
    assert f["resolved_rate"] == pytest.approx(3 / 5)
    by_segment = result.tables[0].frame.set_index("segment")
    assert by_segment.loc["A", "responses"] == 6 and by_segment.loc["B", "responses"] == 4


def test_nps_scale_detected():
    result = satisfaction_analysis(
        _bundle([10, 9, 9, 8, 7, 6, 5, 10, 3, 9]), SatisfactionParams(group_by="month")
    )
    assert result.facts["scale"] == "nps"
    assert result.facts["nps"] == pytest.approx(0.2)
    assert "NPS 20" in result.summary.en


def test_demo_data_runs_with_findings_listed():
    from agent.session import Session

    result = satisfaction_analysis(Session(demo=True).bundle, SatisfactionParams())
    assert result.facts["churn_rate_complainers"] is not None
    assert {f.name for f in result.findings} <= {"low_satisfaction_segment", "complaint_driven_churn"}
