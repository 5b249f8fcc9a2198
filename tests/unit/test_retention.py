"""Golden numbers for churn_trend, cohort_retention and customer_survival on tiny hand-made data.

Every expected value is worked out by hand in the comments next to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tools.bundle import Dataset, DatasetBundle
from tools.errors import ToolInputError
from tools.registry import TOOLS
from tools.retention.churn_trend import ChurnTrendParams, churn_trend
from tools.retention.cohorts import CohortParams, cohort_retention
from tools.retention.kaplan_meier import kaplan_meier, logrank
from tools.retention.survival_tool import SurvivalParams, customer_survival


def bundle(**frames: pd.DataFrame) -> DatasetBundle:
    return DatasetBundle([Dataset(kind, frame) for kind, frame in frames.items()])


def dates(*values: str | None) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype="object"))


# ------------------------------------------------------------------------------------ churn_trend


@pytest.fixture
def ten_customers() -> pd.DataFrame:
    """10 customers signed up 2023-12-01 (5 in A, 5 in B) plus N1, who joins and leaves in March.

    Churn: B1, B2 in February; A1, B3 in March; N1 (signup 2024-03-10) on 2024-03-25.
    """
    ids = [f"A{i}" for i in range(1, 6)] + [f"B{i}" for i in range(1, 6)] + ["N1"]
    churn = {
        "B1": "2024-02-10",
        "B2": "2024-02-15",
        "A1": "2024-03-05",
        "B3": "2024-03-20",
        "N1": "2024-03-25",
    }
    return pd.DataFrame(
        {
            "customer_id": ids,
            "segment": [c[0] for c in ids],
            "signup_date": dates(*(["2023-12-01"] * 10 + ["2024-03-10"])),
            "churned": ["yes" if c in churn else "no" for c in ids],
            "churn_date": dates(*[churn.get(c) for c in ids]),
        }
    )


def test_churn_rate_per_month_from_labels(ten_customers):
    result = churn_trend(bundle(customers=ten_customers), ChurnTrendParams(as_of="2024-04-30"))
    table = result.tables[0].frame.set_index("period")
    # Periods start at the first churn event (no transactions): 2024-02 .. 2024-04 (as_of).
    assert list(table.index) == ["2024-02", "2024-03", "2024-04"]
    # February: 10 active at the start, 2 churn -> 2 / 10 = 20%.
    assert table.loc["2024-02", ["active_at_start", "churned"]].tolist() == [10, 2]
    assert table.loc["2024-02", "churn_rate"] == pytest.approx(0.20)
    # March: 10 - 2 = 8 active at the start, 2 churn (A1, B3) -> 2 / 8 = 25%; N1 joined and left in
    # March: listed as churned_new, not in the rate.
    assert table.loc["2024-03", ["active_at_start", "churned", "churned_new", "new_customers"]].tolist() == [
        8,
        2,
        1,
        1,
    ]
    assert table.loc["2024-03", "churn_rate"] == pytest.approx(0.25)
    # April: 8 - 2 = 6 active, nobody churns -> 0%.
    assert table.loc["2024-04", "churn_rate"] == 0.0
    facts = result.facts
    assert facts["churn_rate"] == pytest.approx((0.20 + 0.25 + 0.0) / 3)  # simple mean = 15%
    assert facts["median_churn_rate"] == pytest.approx(0.20)
    assert facts["peak_period"] == "2024-03" and facts["peak_churn_rate"] == pytest.approx(0.25)
    assert facts["churned_customers"] == 5  # 2 + 2 + N1
    assert facts["churn_source"] == "labels"
    # 25% is not above 1.5 x the 20% median (30%): no churn_peak.
    assert result.findings == []
    assert "2024-03" in result.summary.en and "2024-03" in result.summary.zh
    assert result.charts and result.method.as_of.isoformat() == "2024-04-30"


def test_churn_rate_by_quarter_and_by_segment(ten_customers):
    data = bundle(customers=ten_customers)
    quarterly = churn_trend(data, ChurnTrendParams(as_of="2024-04-30", group_by="quarter")).tables[0].frame
    # 2024Q1: 10 active at 2024-01-01, 4 churn (B1, B2, A1, B3) -> 40%; 2024Q2: 6 active, 0 churn.
    assert quarterly["period"].tolist() == ["2024Q1", "2024Q2"]
    assert quarterly["churn_rate"].tolist() == pytest.approx([0.40, 0.0])
    assert quarterly["complete"].tolist() == [True, False]  # Q2 runs only to 2024-04-30

    result = churn_trend(data, ChurnTrendParams(as_of="2024-04-30", group_by="segment"))
    groups = result.tables[1].frame.set_index("segment")
    # A: active 5 (Feb) + 5 (Mar) + 4 (Apr) = 14 customer-months, 1 churn -> 1/14.
    # B: active 5 + 3 + 2 = 10, 3 churn -> 30%. N (N1) never active at a period start -> NaN.
    assert groups.loc["A", "churn_rate"] == pytest.approx(1 / 14)
    assert groups.loc["B", "churn_rate"] == pytest.approx(0.30)
    assert result.facts["highest_churn_group"] == "B"
    assert result.facts["highest_group_churn_rate"] == pytest.approx(0.30)


def test_churn_peak_finding():
    # 20 customers from 2023-12-01; churn Jan 2, Feb 1, Mar 6, Apr 1.
    # Rates: Jan 2/20 = 10%, Feb 1/18 = 5.6%, Mar 6/17 = 35.3%, Apr 1/11 = 9.1%.
    # Median = (9.1% + 10%) / 2 = 9.55%; 1.5 x 9.55% = 14.3% < 35.3% -> March is a churn_peak.
    churn = ["2024-01-05"] * 2 + ["2024-02-05"] + ["2024-03-05"] * 6 + ["2024-04-05"] + [None] * 10
    customers = pd.DataFrame(
        {
            "customer_id": [f"C{i:02d}" for i in range(20)],
            "signup_date": dates(*(["2023-12-01"] * 20)),
            "churn_date": dates(*churn),
        }
    )
    result = churn_trend(bundle(customers=customers), ChurnTrendParams(as_of="2024-04-30"))
    assert result.facts["median_churn_rate"] == pytest.approx((2 / 20 + 1 / 11) / 2)
    assert result.facts["peak_period"] == "2024-03"
    assert result.facts["peak_churn_rate"] == pytest.approx(6 / 17)
    (finding,) = result.findings
    assert finding.name == "churn_peak" and finding.threshold == 1.5
    assert finding.customers == [f"C{i:02d}" for i in range(3, 9)]  # the six March churners


def test_churn_from_inactivity_rule():
    # No churn labels: signup 2023-06-01 for all, last purchases X 2024-01-10, Z 2024-06-30,
    # W 2024-07-10, Y 2024-12-31. as_of = last transaction 2024-12-31, rule 180 days ->
    # cutoff 2024-07-04: X (Jan 10) and Z (Jun 30) churned, dated at their last purchase.
    customers = pd.DataFrame(
        {"customer_id": ["X", "Y", "Z", "W"], "signup_date": dates(*(["2023-06-01"] * 4))}
    )
    tx = pd.DataFrame(
        {
            "customer_id": ["X", "Y", "Z", "W", "Y"],
            "date": dates("2024-01-10", "2024-01-02", "2024-06-30", "2024-07-10", "2024-12-31"),
            "revenue": [10.0, 10.0, 10.0, 10.0, 10.0],
        }
    )
    result = churn_trend(bundle(customers=customers, transactions=tx), ChurnTrendParams(freq="quarter"))
    table = result.tables[0].frame
    # Only quarters ending by the cutoff are shown: 2024Q1 (from the first transaction) and 2024Q2.
    # Q1: 4 active, X churns -> 25%; Q2: 3 active, Z churns -> 1/3.
    assert table["period"].tolist() == ["2024Q1", "2024Q2"]
    assert table["churn_rate"].tolist() == pytest.approx([0.25, 1 / 3])
    assert result.facts["churn_source"] == "inactivity"
    assert result.facts["peak_period"] == "2024Q2"
    assert any("180 days" in a.en for a in result.method.assumptions)


def test_churn_trend_errors(ten_customers):
    with pytest.raises(ToolInputError) as info:
        churn_trend(DatasetBundle(), ChurnTrendParams())
    assert "customers" in info.value.msg.en and "transactions" in info.value.msg.en
    no_date = ten_customers.drop(columns=["churn_date"])
    with pytest.raises(ToolInputError, match="churn_date"):
        churn_trend(bundle(customers=no_date), ChurnTrendParams())
    with pytest.raises(ToolInputError, match="industry"):
        churn_trend(bundle(customers=ten_customers), ChurnTrendParams(group_by="industry"))


# ------------------------------------------------------------------------------- cohort_retention


def tx_frame(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "date": dates(*[r[1] for r in rows]),
            "revenue": [r[2] for r in rows],
        }
    )


def test_cohort_matrix_customers_and_revenue():
    # Cohort 2024-01: A, B, C, D (100 each in January = 400).
    #   Feb: A 50, B 50 -> 2/4 = 50%, revenue 100/400 = 25%; Mar: A 100 -> 25%, 25%;
    #   Apr: A 100, C 300 -> 2/4 = 50%, revenue 400/400 = 100%.
    # Cohort 2024-02: E, F (200 each = 400). Mar: E 100 -> 1/2 = 50%, 25%; Apr: nobody -> 0%.
    rows = [(c, "2024-01-15", 100.0) for c in "ABCD"] + [
        ("A", "2024-02-10", 50.0),
        ("B", "2024-02-11", 50.0),
        ("E", "2024-02-03", 200.0),
        ("F", "2024-02-04", 200.0),
        ("A", "2024-03-10", 100.0),
        ("E", "2024-03-12", 100.0),
        ("A", "2024-04-02", 100.0),
        ("C", "2024-04-30", 300.0),
    ]
    result = cohort_retention(bundle(transactions=tx_frame(rows)), CohortParams())
    matrix = result.tables[0].frame.set_index("cohort")
    assert matrix.loc["2024-01", ["customers", "period_0", "period_1", "period_2", "period_3"]].tolist() == [
        4,
        1.0,
        0.5,
        0.25,
        0.5,
    ]
    jan_feb = matrix.loc["2024-02", ["period_0", "period_1", "period_2"]].tolist()
    assert jan_feb == [1.0, 0.5, 0.0]
    assert np.isnan(matrix.loc["2024-02", "period_3"])  # not reached by 2024-04-30
    revenue = result.tables[1].frame.set_index("cohort")
    assert revenue.loc["2024-01", ["period_1", "period_2", "period_3"]].tolist() == pytest.approx(
        [0.25, 0.25, 1.0]
    )
    facts = result.facts
    assert facts["cohorts"] == 2 and facts["customers"] == 6
    # Average period 1 = (2 + 1) / (4 + 2) = 50%; period 3 = cohort 2024-01 only: 2/4 = 50%.
    assert facts["retention_period_1"] == pytest.approx(0.5)
    assert facts["retention_period_3"] == pytest.approx(0.5)
    assert facts["retention_period_6"] is None and facts["retention_period_12"] is None
    # Revenue period 1 = (100 + 100) / (400 + 400) = 25%.
    assert facts["revenue_retention_period_1"] == pytest.approx(0.25)
    assert result.findings == []  # cohorts smaller than 5 customers are never flagged
    assert len(result.charts) == 2


def test_low_retention_cohort_and_signup_dates():
    # Two cohorts of 5 by signup month. Period 3: January cohort 4/5 = 80% (in April), February
    # cohort 1/5 = 20% (in May). Average = 5/10 = 50%; 20% < 50% - 10 points -> flagged.
    jan, feb = [f"J{i}" for i in range(5)], [f"F{i}" for i in range(5)]
    customers = pd.DataFrame(
        {"customer_id": jan + feb, "signup_date": dates(*(["2024-01-01"] * 5 + ["2024-02-01"] * 5))}
    )
    rows = [(c, "2024-01-20", 10.0) for c in jan] + [(c, "2024-02-20", 10.0) for c in feb]
    rows += [(c, "2024-04-10", 10.0) for c in jan[:4]] + [("F0", "2024-05-31", 10.0)]
    result = cohort_retention(bundle(customers=customers, transactions=tx_frame(rows)), CohortParams())
    matrix = result.tables[0].frame.set_index("cohort")
    assert matrix.loc["2024-01", "period_3"] == pytest.approx(0.8)
    assert matrix.loc["2024-02", "period_3"] == pytest.approx(0.2)
    assert result.facts["retention_period_3"] == pytest.approx(0.5)
    (finding,) = result.findings
    assert finding.name == "low_retention_cohort" and finding.threshold == 0.10
    assert finding.customers == ["F1", "F2", "F3", "F4"]  # cohort members without a purchase in May
    quarterly = cohort_retention(
        bundle(customers=customers, transactions=tx_frame(rows)),
        CohortParams(group_by="quarter", as_of="2024-06-30"),
    )
    # One quarterly cohort 2024Q1 of 10; Q2 (period 1, complete with as_of 2024-06-30): J0-J3 and F0
    # buy -> 5/10 = 50%. With as_of 2024-05-31 Q2 would be incomplete and not shown.
    assert quarterly.facts["cohorts"] == 1 and quarterly.facts["retention_period_1"] == pytest.approx(0.5)


def test_cohort_needs_transactions():
    with pytest.raises(ToolInputError) as info:
        cohort_retention(DatasetBundle(), CohortParams())
    assert "transactions" in info.value.msg.en and info.value.msg.zh


# ------------------------------------------------------------------------------ customer_survival


def five_customers(as_of: str = "2021-12-31") -> pd.DataFrame:
    """Durations in days: 100 (churn), 200 (censored), 300 (churn), 400 (churn), 500 (censored)."""
    end = pd.Timestamp(as_of)
    start = pd.Timestamp("2020-01-01")
    signup = [start, end - pd.Timedelta(days=200), start, start, end - pd.Timedelta(days=500)]
    churn = [
        start + pd.Timedelta(days=100),
        pd.NaT,
        start + pd.Timedelta(days=300),
        start + pd.Timedelta(days=400),
        pd.NaT,
    ]
    return pd.DataFrame(
        {
            "customer_id": list("abcde"),
            "signup_date": pd.to_datetime(signup),
            "churned": [1, 0, 1, 1, 0],
            "churn_date": pd.to_datetime(churn),
        }
    )


def test_kaplan_meier_median_by_hand():
    # KM by hand: t=100: 5 at risk, 1 churns -> S = 4/5 = 0.8.
    #             t=200: censored (leaves the risk set).
    #             t=300: 3 at risk, 1 churns -> S = 0.8 x 2/3 = 0.5333.
    #             t=400: 2 at risk, 1 churns -> S = 0.5333 x 1/2 = 0.2667.
    # Median = first t with S(t) <= 0.5 -> 400 days. S(365) = 0.5333; 2 and 3 years are beyond the
    # longest observed duration (500 days) -> None.
    result = customer_survival(bundle(customers=five_customers()), SurvivalParams(as_of="2021-12-31"))
    facts = result.facts
    assert facts["customers"] == 5 and facts["churned_customers"] == 3
    assert facts["median_lifetime_days"] == 400
    assert facts["survival_1y"] == pytest.approx(0.8 * 2 / 3)
    assert facts["survival_2y"] is None and facts["survival_3y"] is None
    assert facts["groups"] == 0 and facts["logrank_p_value"] is None
    curve = result.tables[1].frame
    assert curve.loc[curve["days"] == 400, "survival"].iloc[0] == pytest.approx(0.8 * 2 / 3 / 2)


def test_median_not_reached():
    # Only a (day 100) churns: S stays at 0.8 -> the median is not reached.
    frame = five_customers()
    frame.loc[frame["customer_id"].isin(["c", "d"]), ["churned", "churn_date"]] = [0, pd.NaT]
    result = customer_survival(bundle(customers=frame), SurvivalParams(as_of="2021-12-31"))
    assert result.facts["median_lifetime_days"] is None
    assert "not reached" in result.summary.en and "未达到" in result.summary.zh


def test_survival_by_segment_uses_the_checked_estimators():
    # tools/retention/kaplan_meier.py is checked against Kleinbaum & Klein's published analysis (test_survival.py);
    # here the tool must feed it the right durations, events and groups.
    rng = np.random.default_rng(3)
    n = 120
    signup = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    life = rng.exponential(np.where(np.arange(n) % 2 == 0, 300.0, 900.0))
    churn = signup + pd.to_timedelta(life.astype(int), unit="D")
    as_of = pd.Timestamp("2022-12-31")
    customers = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(n)],
            "segment": np.where(np.arange(n) % 2 == 0, "fast", "slow"),
            "signup_date": signup,
            "churned": churn <= as_of,
            "churn_date": pd.Series(churn).where(churn <= as_of),
        }
    )
    result = customer_survival(bundle(customers=customers), SurvivalParams(as_of=as_of.date()))
    durations = (pd.Series(churn).where(churn <= as_of, as_of) - signup).dt.days.to_numpy()
    events = np.asarray(churn <= as_of)
    expected = logrank(durations, events, customers["segment"].to_numpy())
    assert result.facts["group_by"] == "segment" and result.facts["groups"] == 2
    assert result.facts["logrank_p_value"] == pytest.approx(expected.p_value)
    assert result.facts["logrank_p_value"] < 0.05
    assert result.facts["median_lifetime_days"] == pytest.approx(kaplan_meier(durations, events).median)
    by_group = result.tables[0].frame.set_index("segment")
    assert by_group.loc["fast", "survival_1y"] < by_group.loc["slow", "survival_1y"]


def test_delayed_entry_for_customers_older_than_the_transactions():
    # O1-O3 signed up in 2019, transactions start 2024-01-01 and nobody churned before then: they
    # enter the risk set on 2024-01-01, so their long tenure is not read as five observed years.
    # N1-N3 start 2024-01-01. Durations (days): O1 2019-01-01..2024-06-01 = 1978 (churn, entry 1826),
    # O2, O3 censored at 2025-06-30 = 2372 (entry 1826); N1 2024-01-01..2024-03-01 = 60 (churn),
    # N2 churn 2024-09-01 = 244, N3 censored 2025-06-30 = 546.
    customers = pd.DataFrame(
        {
            "customer_id": ["O1", "O2", "O3", "N1", "N2", "N3"],
            "signup_date": dates(*(["2019-01-01"] * 3 + ["2024-01-01"] * 3)),
            "churned": [True, False, False, True, True, False],
            "churn_date": dates("2024-06-01", None, None, "2024-03-01", "2024-09-01", None),
        }
    )
    tx = tx_frame([("O1", "2024-01-01", 5.0), ("N3", "2025-06-30", 5.0)])
    result = customer_survival(bundle(customers=customers, transactions=tx), SurvivalParams())
    assert result.method.parameters["delayed_entry"] is True
    assert any("delayed entry" in a.en for a in result.method.assumptions)
    # Risk sets: t=60: N1, N2, N3 (O's enter at 1826) -> 2/3; t=244: N2, N3 -> x 1/2 = 1/3.
    # The median is reached at 244 days (S = 1/3 <= 0.5); without delayed entry it would be
    # S(60) = 5/6, S(244) = 5/6 x 4/5 = 2/3 and later 2/3 x 2/3 = 4/9 at 1978 days.
    assert result.facts["median_lifetime_days"] == 244


def test_delayed_entry_when_the_risk_set_empties():
    # N (the only customer from the start) is censored at 365 days, O only enters at 1826 and churns at
    # 1978: the product-limit estimate over the risk sets is S(1978) = 1 - 1/1 = 0.
    customers = pd.DataFrame(
        {
            "customer_id": ["O", "N"],
            "signup_date": dates("2019-01-01", "2024-01-01"),
            "churned": [True, False],
            "churn_date": dates("2024-06-01", None),
        }
    )
    tx = tx_frame([("O", "2024-01-01", 5.0), ("N", "2024-12-31", 5.0)])
    result = customer_survival(bundle(customers=customers, transactions=tx), SurvivalParams())
    assert result.facts["median_lifetime_days"] == 1978  # S drops to 0 at O's churn


def test_survival_errors():
    with pytest.raises(ToolInputError):
        customer_survival(DatasetBundle(), SurvivalParams())
    with pytest.raises(ToolInputError, match="region"):
        customer_survival(bundle(customers=five_customers()), SurvivalParams(group_by="region"))


# ------------------------------------------------------------------------------------- registry


@pytest.mark.parametrize("name", ["churn_trend", "cohort_retention", "customer_survival"])
def test_registered_on_demo_data(name, demo_bundle):
    result = TOOLS[name].run(demo_bundle, {})
    assert result.tool == name and result.charts and result.summary.zh
