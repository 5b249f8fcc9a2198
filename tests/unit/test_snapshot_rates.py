"""churn_trend on a customer snapshot (a churn flag, no dates): golden numbers on tiny hand-made snapshots.

Every expected value is worked out by hand in the comment next to it (the chi-square statistic cell by
cell, Fisher's exact p from the hypergeometric probabilities).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tools.bundle import Dataset, DatasetBundle, IngestReport
from tools.errors import ToolInputError
from tools.registry import TOOLS
from tools.retention.snapshot import independence_test
from tools.snapshot import grouping, is_snapshot, load_snapshot


def snapshot(frame: pd.DataFrame) -> DatasetBundle:
    return DatasetBundle([Dataset("customers", frame)])


def run(frame: pd.DataFrame, **arguments):
    return TOOLS["churn_trend"].run(snapshot(frame), arguments)


@pytest.fixture
def twelve() -> pd.DataFrame:
    """12 customers: Month-to-month 4 of 6 churned, One year 1 of 4, Two year 0 of 2 (5 of 12 overall).

    tenure 1..12 months; a 0/1 attribute 'senior' and a yes/no attribute 'paperless'.
    """
    contract = ["Month-to-month"] * 6 + ["One year"] * 4 + ["Two year"] * 2
    churned = [True, True, True, True, False, False, True, False, False, False, False, False]
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:02d}" for i in range(1, 13)],
            "tenure": [float(t) for t in (1, 3, 5, 13, 20, 30, 2, 25, 40, 50, 60, 75)],
            "contract": contract,
            "senior": [1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0],
            "paperless": [True, True, False, True, False, True, True, False, False, True, False, False],
            "churned": churned,
        }
    )


def test_is_snapshot_needs_a_flag_and_no_dates_or_transactions(twelve):
    assert is_snapshot(snapshot(twelve))
    assert not is_snapshot(snapshot(twelve.drop(columns="churned")))
    dated = twelve.assign(churn_date=pd.NaT)
    assert not is_snapshot(snapshot(dated))
    tx = pd.DataFrame({"customer_id": ["C01"], "date": pd.to_datetime(["2024-01-01"]), "revenue": [1.0]})
    assert not is_snapshot(DatasetBundle([Dataset("customers", twelve), Dataset("transactions", tx)]))


def test_churn_rate_by_contract_with_chi_square(twelve):
    result = run(twelve)  # default grouping: contract
    facts = result.facts
    assert facts["churn_source"] == "snapshot"
    assert (facts["customers"], facts["churned_customers"]) == (12, 5)
    assert facts["churn_rate"] == pytest.approx(5 / 12)
    table = result.tables[0].frame.set_index("contract")
    # categories by churn rate, highest first
    assert list(table.index) == ["Month-to-month", "One year", "Two year"]
    assert table["churned"].tolist() == [4, 1, 0]
    assert table["customers"].tolist() == [6, 4, 2]
    assert table["churn_rate"].tolist() == pytest.approx([4 / 6, 1 / 4, 0.0])
    assert table["churn_lift"].tolist() == pytest.approx([(4 / 6) / (5 / 12), (1 / 4) / (5 / 12), 0.0])
    # Expected counts E = row total x column total / 12 (churned 5, not churned 7):
    #   M2M 2.5 / 3.5, One year 1.667 / 2.333, Two year 0.833 / 1.167
    # chi2 = 1.5²/2.5 + 1.5²/3.5 + 0.667²/1.667 + 0.667²/2.333 + 0.833²/0.833 + 0.833²/1.167
    #      = 0.9 + 0.642857 + 0.266667 + 0.190476 + 0.833333 + 0.595238 = 24/7
    # with 2 degrees of freedom the chi-square survival function is exp(-x/2): p = exp(-12/7)
    assert facts["test"] == "chi_square"
    assert facts["chi2_statistic"] == pytest.approx(24 / 7)
    assert facts["chi2_dof"] == 2
    assert facts["p_value"] == pytest.approx(math.exp(-12 / 7))
    assert facts["significant"] is False
    assert (facts["highest_churn_group"], facts["lowest_churn_group"]) == ("Month-to-month", "Two year")
    # every expected count is below 5: the p-value is approximate, and the answer says so
    assert any("6 of 6 expected counts are below 5" in w.en for w in result.warnings)
    assert "Month-to-month 66.7% (4 of 6)" in result.summary.en
    assert "p = 0.180" in result.summary.en and "卡方独立性检验" in result.summary.zh


def test_fisher_exact_for_a_small_two_by_two():
    # A: 3 of 4 churned, B: 0 of 4. Margins 4/4 and 3 churned / 5 not, N = 8, C(8,4) = 70.
    # P(k churned in A) = C(3,k) C(5,4-k) / 70: k=0 5/70, 1 30/70, 2 30/70, 3 5/70.
    # Two-sided: the tables as unlikely as the observed one (k=3, 5/70): k=0 and k=3 -> 10/70.
    frame = pd.DataFrame(
        {
            "customer_id": list("abcdefgh"),
            "plan": ["A"] * 4 + ["B"] * 4,
            "churned": [True, True, True, False, False, False, False, False],
        }
    )
    result = run(frame, group_by="plan")
    assert result.facts["test"] == "fisher_exact"
    assert result.facts["p_value"] == pytest.approx(10 / 70)
    assert result.facts["chi2_statistic"] is None
    assert "Fisher" in result.summary.en
    # a 2 x 2 table with every expected count >= 5 stays with chi-square: 8 of 20 vs 2 of 20 churned,
    # E = 5 churned / 15 not per group: (8-5)²/5 + (12-15)²/15 + (2-5)²/5 + (18-15)²/15 = 4.8
    test = independence_test(np.array([8, 2]), np.array([20, 20]))
    assert (test.test, test.dof) == ("chi_square", 1)
    assert test.statistic == pytest.approx(4.8)


def test_numbers_are_banded_and_flags_named(twelve):
    # tenure bands (months, upper end included): 0-12: 1, 3, 5, 2 -> 4 customers, churned C01..C03, C07 = 4
    # 12-24: 13, 20 -> 2, churned C04 = 1; 24-48: 30, 25, 40 -> 3, 0; 48-72: 50, 60 -> 2, 0; 72+: 75 -> 1, 0
    result = run(twelve, group_by="tenure")
    table = result.tables[0].frame
    assert table["tenure"].tolist() == ["0–12", "12–24", "24–48", "48–72", "72+"]  # in band order
    assert table["customers"].tolist() == [4, 2, 3, 2, 1]
    assert table["churned"].tolist() == [4, 1, 0, 0, 0]
    assert any("each band includes its upper end" in a.en for a in result.method.assumptions)
    # a 0/1 column is one group per value (senior 1: C01, C03, C07, all churned)
    senior = run(twelve, group_by="senior").tables[0].frame.set_index("group")
    assert senior.loc["1", ["customers", "churned"]].tolist() == [3, 3]
    # yes/no flags read yes / no
    paperless = run(twelve, group_by="paperless").tables[0].frame
    assert paperless["group"].tolist() == ["yes", "no"]
    # other numbers in quartiles: 12 distinct charges 10..120 -> 4 bands of 3 customers each
    charged = twelve.assign(monthly_charges=[10.0 * i for i in range(1, 13)])
    bands = run(charged, group_by="monthly_charges").tables[0].frame
    assert bands["customers"].tolist() == [3, 3, 3, 3]
    assert bands["monthly_charges"].iloc[0] == "10–37.5"


def test_unknown_values_are_shown_but_not_tested(twelve):
    frame = twelve.copy()
    frame.loc[frame["customer_id"] == "C12", "contract"] = None
    result = run(frame)
    table = result.tables[0].frame
    assert table["contract"].iloc[-1] == "unknown" and table["customers"].iloc[-1] == 1
    assert result.facts["groups"] == 3
    assert any("1 customers without a contract type value" in w.en for w in result.warnings)


def test_customers_without_a_flag_and_repeated_ids(twelve):
    frame = pd.concat([twelve, twelve.head(1)], ignore_index=True)
    frame["churned"] = frame["churned"].astype(object)
    frame.loc[1, "churned"] = None
    snap = load_snapshot(snapshot(frame))
    assert len(snap.frame) == 11 and len(snap.unflagged) == 1
    text = " ".join(w.en for w in snap.warnings)
    assert "1 repeated customer ids" in text and "1 customers have no churn flag" in text


def test_dates_cannot_be_applied_and_periods_fall_back(twelve):
    result = run(twelve, start="2024-01-01", group_by="quarter")
    warnings = " ".join(w.en for w in result.warnings)
    assert "start cannot be applied" in warnings
    assert "cannot be split by quarter" in warnings
    assert result.facts["group_by"] == "contract"


def test_a_column_by_its_name_in_the_file(twelve):
    report = IngestReport("plans.csv", "customers", 12, 12, {"套餐名称": "contract"})
    bundle = DatasetBundle([Dataset("customers", twelve, [report])])
    frame = load_snapshot(bundle).frame
    assert grouping(bundle, frame, "套餐名称").column == "contract"  # the file's header, as mapped
    assert grouping(bundle, frame, "Contract Type").column == "contract"  # a synonym of contract
    assert grouping(bundle, frame, "PAPERLESS").column == "paperless"  # the header, normalised
    with pytest.raises(ToolInputError, match="no 'region'"):
        run(twelve, group_by="region")


def test_no_grouping_gives_the_overall_rate():
    frame = pd.DataFrame({"customer_id": list("abcd"), "churned": [True, False, False, False]})
    result = run(frame)
    assert result.tables[0].name == "churn_overall"
    assert result.facts["churn_rate"] == 0.25 and result.facts["group_by"] is None
