"""Golden numbers for tools/credit/, derived by hand (arithmetic in the comments)."""

from __future__ import annotations

import copy
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from tools.bundle import Dataset, DatasetBundle
from tools.credit import aging, health, invoices, scorecard
from tools.errors import ToolInputError

AS_OF = date(2024, 6, 30)


def _invoices() -> pd.DataFrame:
    """Five dated invoices; at as_of 2024-06-30:

    I1 C1 due 03-31, unpaid          -> days past due = 30 (Apr) + 31 (May) + 30 (Jun) = 91 -> 90+, open 1000
    I2 C1 due 05-15, paid 07-10      -> paid after as_of, so open at as_of: 16 (May) + 30 (Jun) = 46 -> 31-60, 500
    I3 C2 due 05-10, paid 05-20      -> paid 10 days late, not open
    I4 C2 due 07-15, unpaid          -> not yet due (-15) -> current, 1200
    I5 C3 due 03-02, written off     -> excluded from open; written-off amount 300
    """
    return pd.DataFrame(
        {
            "invoice_id": ["I1", "I2", "I3", "I4", "I5"],
            "customer_id": ["C1", "C1", "C2", "C2", "C3"],
            "invoice_date": pd.to_datetime(
                ["2024-03-01", "2024-05-01", "2024-04-10", "2024-06-15", "2024-02-01"]
            ),
            "due_date": pd.to_datetime(
                ["2024-03-31", "2024-05-15", "2024-05-10", "2024-07-15", "2024-03-02"]
            ),
            "amount": [1000.0, 500.0, 800.0, 1200.0, 300.0],
            "paid_date": pd.to_datetime([None, "2024-07-10", "2024-05-20", None, None]),
            "paid_amount": [0.0, 500.0, 800.0, 0.0, 0.0],
            "written_off": [False, False, False, False, True],
        }
    )


def _bundle(*extra: Dataset) -> DatasetBundle:
    return DatasetBundle([Dataset("invoices", _invoices()), *extra])


# --- receivables_aging -----------------------------------------------------------------------------


def test_bucket_edges():
    got = invoices.bucket_of(np.array([-15, 0, 1, 30, 31, 60, 61, 90, 91]))
    assert list(got) == ["current", "current", "days_1_30", "days_1_30", "days_31_60", "days_31_60",
                         "days_61_90", "days_61_90", "days_90_plus"]  # fmt: skip


def test_aging_golden_numbers():
    r = aging.receivables_aging(_bundle(), aging.AgingParams(as_of=AS_OF))
    f = r.facts
    assert f["as_of"] == "2024-06-30"
    # open = I1 1000 + I2 500 + I4 1200 = 2700; overdue = I1 + I2 = 1500; share = 1500 / 2700
    assert f["open_amount"] == 2700.0
    assert f["overdue_amount"] == 1500.0
    assert f["overdue_share"] == pytest.approx(0.5556, abs=1e-4)
    assert (f["current_amount"], f["days_1_30_amount"], f["days_31_60_amount"]) == (1200.0, 0.0, 500.0)
    assert (f["days_61_90_amount"], f["days_90_plus_amount"]) == (0.0, 1000.0)
    assert (f["open_invoices"], f["overdue_invoices"], f["customers_with_overdue"]) == (3, 2, 1)
    # DSO simple: sales dated after 2024-04-01 (as_of - 90 days): I2 500 + I3 800 + I4 1200 = 2500
    # 2700 / 2500 x 90 = 97.2
    assert f["dso"] == 97.2
    # only I3 paid by as_of, 10 days late
    assert f["avg_days_late"] == 10.0 and f["late_share"] == 1.0
    # written off 300 of invoiced 1000 + 500 + 800 + 1200 + 300 = 3800
    assert f["written_off_amount"] == 300.0
    assert f["written_off_rate"] == pytest.approx(300 / 3800, abs=1e-4)
    per = r.tables[1].frame.set_index("customer_id")
    # C1: open 1500 / sales 500 (I2) x 90 = 270; C2: 1200 / 2000 x 90 = 54; C3: nothing open -> 0
    assert per.loc["C1", "dso"] == pytest.approx(270.0)
    assert per.loc["C2", "dso"] == pytest.approx(54.0)
    assert per.loc["C3", "dso"] == 0.0
    assert per.loc["C3", "written_off_amount"] == 300.0
    assert list(per.index[:1]) == ["C1"]  # largest overdue first
    finding = r.findings[0]
    assert finding.name == "overdue_receivables" and finding.customers == ["C1"] and finding.value == 1500.0
    buckets = r.tables[0].frame.set_index("bucket")
    assert buckets.loc["days_90_plus", "share"] == pytest.approx(1000 / 2700)


def test_dso_countback_golden():
    # months back from 2024-06-30: (05-30, 06-30] 31 days, sales 1200 (I4) -> +31, left 1500
    # (04-30, 05-30] 30 days, 500 (I2) -> +30, left 1000; (03-30, 04-30] 31 days, 800 (I3) -> +31, left 200
    # (02-29, 03-30] 30 days, 1000 (I1): 200 <= 1000 -> +30 x 200 / 1000 = 6  => 31 + 30 + 31 + 6 = 98
    r = aging.receivables_aging(_bundle(), aging.AgingParams(as_of=AS_OF, dso_method="countback"))
    assert r.facts["dso"] == 98.0 and r.facts["dso_method"] == "countback"
    per = r.tables[1].frame.set_index("customer_id")
    # C1: 1500 open; month 1 no C1 sales (+31), month 2 500 (+30, left 1000), month 3 none (+31),
    # month 4 I1 1000 covers 1000 exactly -> +30  => 122
    assert per.loc["C1", "dso"] == pytest.approx(122.0)
    # C2: 1200 open, month 1 sales 1200 covers it -> 31 x 1200 / 1200 = 31
    assert per.loc["C2", "dso"] == pytest.approx(31.0)


def test_dso_helpers():
    assert invoices.dso_simple(300.0, 900.0) == 30.0
    assert invoices.dso_simple(0.0, 0.0) == 0.0
    assert invoices.dso_simple(10.0, 0.0) is None
    assert invoices.dso_countback(1500.0, [1000.0, 1000.0], [31, 30]) == (46.0, True)  # 31 + 30 x 500/1000
    assert invoices.dso_countback(3000.0, [1000.0, 1000.0], [31, 30]) == (61.0, False)  # ran out: lower bound


def test_default_as_of_is_latest_invoice_or_payment_not_due_date():
    r = aging.receivables_aging(_bundle(), aging.AgingParams())
    # latest invoice 2024-06-15, latest payment 2024-07-10, latest due 2024-07-15 (ignored)
    assert r.facts["as_of"] == "2024-07-10"
    # by then I2 is paid: open = I1 1000 + I4 1200
    assert r.facts["open_amount"] == 2200.0


def test_aging_customer_filter_and_errors():
    r = aging.receivables_aging(_bundle(), aging.AgingParams(as_of=AS_OF, customer="c2"))
    assert list(r.tables[1].frame["customer_id"]) == ["C2"]
    assert r.facts["open_amount"] == 2700.0  # totals still cover everyone
    with pytest.raises(ToolInputError):
        aging.receivables_aging(_bundle(), aging.AgingParams(as_of=AS_OF, customer="nobody"))
    with pytest.raises(ToolInputError) as info:
        aging.receivables_aging(DatasetBundle(), aging.AgingParams())
    assert "invoices" in info.value.msg.en
    with pytest.raises(ToolInputError):
        aging.receivables_aging(_bundle(), aging.AgingParams(as_of=date(2023, 1, 1)))


# --- financial_health ------------------------------------------------------------------------------


def test_altman_worked_check_and_each_variant():
    x = (0.2, 0.0, 0.2, 0.1, 2.0)
    # Z = 1.2 x 0.2 + 1.4 x 0 + 3.3 x 0.2 + 0.6 x 0.1 + 1.0 x 2.0 = 0.24 + 0.66 + 0.06 + 2.0 = 2.96
    assert health.altman_z(x, "z") == pytest.approx(2.96)
    assert health.altman_zone(2.96, "z") == "grey"
    # Z' = 0.717 x 0.2 + 3.107 x 0.2 + 0.420 x 0.1 + 0.998 x 2 = 0.1434 + 0.6214 + 0.042 + 1.996 = 2.8028
    assert health.altman_z(x, "z_prime") == pytest.approx(2.8028)
    assert health.altman_zone(2.8028, "z_prime") == "grey"
    # Z'' = 6.56 x 0.2 + 6.72 x 0.2 + 1.05 x 0.1 = 1.312 + 1.344 + 0.105 = 2.761 (X5 unused) -> safe (> 2.60)
    assert health.altman_z(x, "z_double_prime") == pytest.approx(2.761)
    assert health.altman_z((0.2, 0.0, 0.2, 0.1, float("nan")), "z_double_prime") == pytest.approx(2.761)
    assert health.altman_zone(2.761, "z_double_prime") == "safe"
    assert health.altman_zone(1.80, "z") == "distress" and health.altman_zone(3.0, "z") == "safe"
    assert health.altman_zone(1.22, "z_prime") == "distress" and health.altman_zone(2.91, "z_prime") == "safe"
    assert health.altman_zone(1.09, "z_double_prime") == "distress"
    assert health.altman_zone(1.10, "z_double_prime") == "grey"


def _financials() -> tuple[Dataset, Dataset]:
    base = {"total_assets": 1000.0, "total_liabilities": 600.0, "current_assets": 400.0,
            "current_liabilities": 200.0, "inventory": 100.0, "ebit": 200.0, "interest_expense": 50.0,
            "retained_earnings": 0.0, "sales": 2000.0, "equity": 60.0}  # fmt: skip
    rows = [
        {"customer_id": "F1", **base, "market_value_equity": 60.0},  # public manufacturer -> Z
        {"customer_id": "F2", **base, "market_value_equity": np.nan},  # private -> Z'
        {"customer_id": "F3", **base, "market_value_equity": np.nan},  # services -> Z''
        {"customer_id": "F4", **base, "market_value_equity": np.nan, "retained_earnings": np.nan},
        {"customer_id": "F5", **base, "market_value_equity": np.nan, "sales": np.nan},  # no sales -> Z''
    ]
    fin = pd.DataFrame(rows)
    customers = pd.DataFrame(
        {"customer_id": ["F1", "F2", "F3", "F4", "F5"],
         "industry": ["Manufacturing", "Manufacturing", "Services", "Construction", "Manufacturing"]}
    )  # fmt: skip
    return Dataset("financials", fin), Dataset("customers", customers)


def test_financial_health_ratios_variants_and_missing_notes():
    bundle = DatasetBundle(_financials())
    r = health.financial_health(bundle, health.HealthParams())
    t = r.tables[0].frame.set_index("customer_id")
    # debt 600/1000 = 0.6; current 400/200 = 2; quick (400-100)/200 = 1.5; coverage 200/50 = 4
    assert t.loc["F1", ["debt_ratio", "current_ratio", "quick_ratio", "interest_coverage"]].tolist() == [
        0.6,
        2.0,
        1.5,
        4.0,
    ]
    # X1 = (400-200)/1000 = 0.2, X2 = 0, X3 = 0.2, X4 = 60/600 = 0.1, X5 = 2.0
    assert t.loc["F1", ["x1", "x2", "x3", "x4", "x5"]].tolist() == pytest.approx([0.2, 0.0, 0.2, 0.1, 2.0])
    assert (t.loc["F1", "variant"], t.loc["F1", "zone"]) == ("z", "grey")
    assert t.loc["F1", "z_score"] == pytest.approx(2.96)
    assert (t.loc["F2", "variant"], t.loc["F2", "zone"]) == ("z_prime", "grey")
    assert t.loc["F2", "z_score"] == pytest.approx(2.8028)
    assert (t.loc["F3", "variant"], t.loc["F3", "zone"]) == ("z_double_prime", "safe")
    assert t.loc["F3", "z_score"] == pytest.approx(2.761)
    assert t.loc["F5", "variant"] == "z_double_prime" and t.loc["F5", "z_score"] == pytest.approx(2.761)
    # missing input: a note, not a number
    assert math.isnan(t.loc["F4", "z_score"]) and t.loc["F4", "missing_inputs"] == "retained_earnings"
    assert r.facts["not_scored_customers"] == 1 and r.facts["scored_customers"] == 4
    assert any("retained_earnings" in w.en for w in r.warnings)
    assert r.findings == []  # nobody in distress


def test_forced_variant_names_the_missing_market_value():
    bundle = DatasetBundle(_financials())
    r = health.financial_health(bundle, health.HealthParams(variant="z"))
    t = r.tables[0].frame.set_index("customer_id")
    assert t.loc["F2", "missing_inputs"] == "market_value_equity" and math.isnan(t.loc["F2", "z_score"])
    assert t.loc["F1", "z_score"] == pytest.approx(2.96)


def test_distress_finding_and_book_equity_fallback():
    fin = pd.DataFrame(
        {"customer_id": ["D1"], "total_assets": [1000.0], "total_liabilities": [900.0], "current_assets": [100.0],
         "current_liabilities": [300.0], "retained_earnings": [-100.0], "ebit": [-50.0], "sales": [500.0]}
    )  # fmt: skip
    r = health.financial_health(DatasetBundle([Dataset("financials", fin)]), health.HealthParams())
    t = r.tables[0].frame.set_index("customer_id")
    # no market value, no industry -> Z'; book equity = 1000 - 900 = 100 -> X4 = 100/900
    # X1 = -0.2, X2 = -0.1, X3 = -0.05, X5 = 0.5
    # Z' = 0.717(-0.2) + 0.847(-0.1) + 3.107(-0.05) + 0.420(0.1111) + 0.998(0.5)
    #    = -0.1434 - 0.0847 - 0.15535 + 0.046667 + 0.499 = 0.162217 -> distress (< 1.23)
    assert t.loc["D1", "variant"] == "z_prime"
    assert t.loc["D1", "z_score"] == pytest.approx(0.162217, abs=1e-5)
    assert r.findings[0].name == "financial_distress" and r.findings[0].customers == ["D1"]
    # quick ratio needs inventory: not in the table -> empty, and said so
    assert math.isnan(t.loc["D1", "quick_ratio"])
    assert any("quick_ratio" in w.en for w in r.warnings)


# --- credit_risk scorecard -------------------------------------------------------------------------


def test_band_points():
    bands = [{"above": 5, "points": 5}, {"above": 60, "points": 30}]
    assert scorecard.band_points(pd.Series([3.0, 5.0, 20.0, 70.0, None]), bands).tolist() == [0, 0, 5, 30, 0]
    assert scorecard.band_points(pd.Series([0.9, 1.2, 2.0]), [{"below": 1.5, "points": 5}, {"below": 1.0, "points": 10}]).tolist() == [10, 5, 0]  # fmt: skip


def _features(**values: object) -> pd.DataFrame:
    base = {"avg_days_late": np.nan, "late_share": np.nan, "overdue_share": np.nan, "days_90_plus": 0.0,
            "written_off_amount": 0.0, "days_late_change": np.nan, "zone": None, "current_ratio": np.nan,
            "debt_ratio": np.nan}  # fmt: skip
    return pd.DataFrame([base | values], index=["X"]).astype({"zone": "object"})


def test_hand_scored_customer():
    # avg days late 35 > 30 -> 20; late share 0.6 > 0.5 -> 10; overdue share 0.4 > 0.3 -> 10; 90+ open -> 15;
    # days late +20 > 15 -> 15; grey zone -> 10; current ratio 1.2 < 1.5 -> 5; debt 0.7 > 0.6 -> 5
    # lost = 20 + 10 + 10 + 15 + 15 + 10 + 5 + 5 = 90 -> score 10 -> E (below D's 40)
    f = _features(avg_days_late=35.0, late_share=0.6, overdue_share=0.4, days_90_plus=100.0,
                  days_late_change=20.0, zone="grey", current_ratio=1.2, debt_ratio=0.7)  # fmt: skip
    s = scorecard.score_customers(f).loc["X"]
    assert s["points_lost"] == 90 and s["score"] == 10 and s["grade"] == "E"
    assert s["reasons"] == (
        "avg_days_late -20; late_share -10; overdue_share -10; severely_overdue -15; deteriorating -15; "
        "z_zone -10; current_ratio -5; debt_ratio -5"
    )
    # mild: avg 10 > 5 -> 5, late share 0.3 > 0.25 -> 5, everything else fine -> 90 -> A
    mild = scorecard.score_customers(_features(avg_days_late=10.0, late_share=0.3, overdue_share=0.05, zone="safe"))
    assert mild.loc["X", "score"] == 90 and mild.loc["X", "grade"] == "A"
    # exactly on a grade boundary: lost 15 (avg 20 > 15 -> 10, late 0.3 -> 5) -> 85 -> A (min_score 85)
    edge = scorecard.score_customers(_features(avg_days_late=20.0, late_share=0.3))
    assert edge.loc["X", "score"] == 85 and edge.loc["X", "grade"] == "A"
    # a write-off alone: 20 -> 80 -> B
    assert scorecard.score_customers(_features(written_off_amount=1.0)).loc["X", "grade"] == "B"


def test_points_come_from_the_toml():
    card = copy.deepcopy(scorecard.scorecard())
    card["payment"]["written_off"]["points"] = 70
    assert scorecard.score_customers(_features(written_off_amount=1.0), card).loc["X", "grade"] == "E"  # 30 < 40
    grades = [g["grade"] for g in scorecard.scorecard()["grades"]]
    assert grades == ["A", "B", "C", "D", "E"]


def test_credit_risk_on_the_fixture():
    r = scorecard.credit_risk(_bundle(), scorecard.CreditRiskParams(as_of=AS_OF))
    t = r.tables[0].frame.set_index("customer_id")
    # C1: overdue share 1500/1500 = 1 > 0.6 -> 20; 1000 open 90+ days -> 15; no paid invoice; 2 observed
    # invoices (too few for a trend) -> lost 35 -> 65 -> C.
    # Limit: sales after 2024-03-30 (3 months back) = I2 500 -> 166.67 a month x 1.5 (C) = 250;
    # open 1500 - 250 = 1250 above the limit -> reduce_limit
    assert (t.loc["C1", "score"], t.loc["C1", "grade"]) == (65, "C")
    assert t.loc["C1", "monthly_sales"] == pytest.approx(166.67)
    assert t.loc["C1", "recommended_limit"] == pytest.approx(250.0)
    assert t.loc["C1", "limit_gap"] == pytest.approx(1250.0)
    assert t.loc["C1", "action"] == "reduce_limit" and t.loc["C1", "terms_days"] == 30
    # C2: I3 10 days late -> avg 10 > 5 -> 5; late share 1 > 0.75 -> 15; I4 not due -> lost 20 -> 80 -> B
    assert (t.loc["C2", "score"], t.loc["C2", "grade"]) == (80, "B")
    # C3: write-off -> 20 -> 80 -> B
    assert (t.loc["C3", "score"], t.loc["C3", "grade"]) == (80, "B")
    assert r.facts["customers_grade_b"] == 2 and r.facts["customers_grade_c"] == 1
    assert r.facts["high_risk_customers"] == 0 and r.facts["exposure_high_risk"] == 0.0
    assert [f.name for f in r.findings] == ["overdue_receivables"]
    assert any("payment behaviour only" in w.en for w in r.warnings)  # no financials loaded


def test_deteriorating_trend():
    # one customer, 5 paid invoices: days late 0, 2, 30, 40, 50 -> last 3 mean 40, earlier mean 1 -> +39
    due = pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"])
    late = [0, 2, 30, 40, 50]
    inv = pd.DataFrame(
        {"customer_id": ["C9"] * 5, "invoice_date": due - pd.Timedelta(days=30), "due_date": due,
         "amount": [100.0] * 5, "paid_date": due + pd.to_timedelta(late, unit="D"), "paid_amount": [100.0] * 5}
    )  # fmt: skip
    bundle = DatasetBundle([Dataset("invoices", inv)])
    r = scorecard.credit_risk(bundle, scorecard.CreditRiskParams())
    t = r.tables[0].frame.set_index("customer_id")
    assert t.loc["C9", "days_late_change"] == pytest.approx(39.0)
    assert bool(t.loc["C9", "deteriorating"])
    assert "deteriorating_payer" in [f.name for f in r.findings]


def test_credit_risk_on_demo_data(demo_bundle):
    r = scorecard.credit_risk(demo_bundle, scorecard.CreditRiskParams())
    grades = sum(r.facts[f"customers_grade_{g}"] for g in "abcde")
    assert grades == r.facts["customers"]
    assert r.facts["high_risk_customers"] > 0 and r.facts["deteriorating_payers"] > 0
    assert r.facts["financials_used"] > 0
    names = {f.name for f in r.findings}
    assert {"overdue_receivables", "high_credit_risk", "deteriorating_payer"} <= names
