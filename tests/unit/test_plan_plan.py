"""The plan result: facts, what was left out and why, naive plans, the marginal return curve,
sensitivity, the hand-out export, and the benchmark's code path on a small instance."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest

from agent.playbooks import DEFAULT_PLAYBOOKS, load_library
from benchmarks import plan as bench
from benchmarks.common import Sizes
from tools.plan.candidates import Candidates
from tools.plan.curve import marginal_curve
from tools.plan.export import handout, this_week, to_csv_bytes, to_xlsx_bytes
from tools.plan.plan import FACT_NAMES, PLAN_COLUMNS, make_plan, plan_resources


def hand_candidates() -> Candidates:
    """Seven customers, one candidate each (budget 10, 3 account manager hours, min_return 1.2).

    c1 gain 9, cost 6, 2 h; c2 gain -5; c3 gain 4, cost 4 (4 < 1.2 x 4); c4 gain 8, cost 6, 0 h;
    c5 gain 3, cost 0, 2 h; c6 gain 2, cost 1, 2 h; c7 gain 7.5, cost 5, 0 h. Eligible: c1, c4-c7.
    c1 + c4, c4 + c7 and c1 + c7 cost over 10; c1, c5 and c6 need 2 h each, so at most one of them:
    the best plans are c4 + c5 = 11 (cost 6, 2 h), c7 + c5 = 10.5, c4 + c6 = 10, c1 = 9. The plan
    c4 + c5 leaves 4 money and 1 hour: c1 fits neither (its hours are the more used-up limit, 2 of 3,
    against 6 of 10 of the budget: capacity), c6 does not fit the hour (capacity), c7 not the money
    (budget).
    """
    gains = [9.0, -5.0, 4.0, 8.0, 3.0, 2.0, 7.5]
    frame = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(1, 8)],
            "action": ["call", "call", "mail", "review", "call", "mail", "reprice"],
            "family": [
                "retention",
                "retention",
                "retention",
                "service",
                "retention",
                "collections",
                "pricing",
            ],
            "group": ["relationship"] * 5 + ["receivables", "relationship"],
            "owner_role": ["account_manager"] * 5 + ["collector", "account_manager"],
            "cost": [6.0, 2.0, 4.0, 6.0, 0.0, 1.0, 5.0],
            "hours": [2.0, 1.0, 0.0, 0.0, 2.0, 2.0, 0.0],
            "value_at_stake": 0.0,
            "gain_low": [g - 1 for g in gains],
            "gain_mid": gains,
            "gain_high": [g + 2 for g in gains],
            "why": "test|hand",
            "hours_account_manager": [2.0, 1.0, 0.0, 0.0, 2.0, 2.0, 0.0],
        }
    )
    return Candidates(frame, pd.DataFrame(columns=["action", "reason", "customers"]), ("account_manager",))


HAND_VALUES = pd.DataFrame(
    {
        "customer_id": [f"c{i}" for i in range(1, 8)],
        # revenue order c1 > c4 > c6 > c5 > c3 > c2 > c7; churn order c5 > c6 > c4 > c3 > c2 > c1 > c7
        "revenue": [600.0, 100.0, 200.0, 500.0, 300.0, 400.0, 50.0],
        "churn_probability": [0.1, 0.3, 0.4, 0.5, 0.9, 0.7, 0.05],
    }
)


@pytest.fixture(scope="module")
def hand_plan():
    return make_plan(
        hand_candidates(), HAND_VALUES, budget=10, capacity={"account_manager": 3}, min_return=1.2
    )


def test_plan_table_and_facts(hand_plan):
    table = hand_plan.table
    assert tuple(table.columns) == PLAN_COLUMNS
    assert list(table["customer_id"]) == ["c4", "c5"]  # highest expected gain first
    assert tuple(hand_plan.facts) == FACT_NAMES
    assert hand_plan.facts == {
        "budget": 10.0,
        "capacity_hours": 3.0,
        "planned_cost": 6.0,
        "planned_hours": 2.0,
        "customers_planned": 2,
        "expected_gain": 11.0,
        "expected_gain_low": 9.0,
        "expected_gain_high": 15.0,
        # revenue first: c1 (6, 2 h) leaves 4 and 1 h; c4 and c7 need 6 and 5, c6 and c5 2 h: 9
        "naive_revenue_first_gain": 9.0,
        # risk first: c5 (0, 2 h), c6 needs 2 h of the 1 left, c4 (6, 0 h), c1 and c7 need 6 and 5 of 4: 11
        "naive_risk_first_gain": 11.0,
    }
    assert hand_plan.solution.status == "optimal"
    hours = hand_plan.hours.set_index("role")
    assert hours.loc["account_manager", "planned_hours"] == 2.0
    assert hours.loc["account_manager", "capacity_hours"] == 3.0


def test_left_out_reasons(hand_plan):
    reasons = dict(zip(hand_plan.left_out["customer_id"], hand_plan.left_out["reason"], strict=True))
    assert reasons == {
        "c1": "capacity",
        "c2": "negative_return",
        "c3": "below_min_return",
        "c6": "capacity",
        "c7": "budget",
    }
    row = hand_plan.left_out.set_index("customer_id").loc["c1"]
    assert (row["action"], row["expected_gain"], row["cost"]) == ("call", 9.0, 6.0)


def test_sensitivity_reoptimises_on_both_ends(hand_plan):
    s = hand_plan.sensitivity.set_index("scenario")
    # low end (gains - 1): c1 8, c4 7, c5 2, c6 1, c7 6.5; c4 (7 < 1.2 x 6) and c6 (1 < 1.2 x 1) fall
    # below the minimum return; c1 + c7 cost 11, c1 + c5 need 4 h: c7 + c5 = 8.5 keeps c5 of the plan
    assert s.loc["low", "expected_gain"] == 8.5 and s.loc["low", "same_actions_share"] == 0.5
    # high end (gains + 2): c1 11, c3 6 (now >= 1.2 x 4), c4 10, c5 5, c6 4, c7 9.5: c3 + c4 cost 10
    # and no hours, c5 adds 2 h: 21 (c7 + c3 + c5 = 20.5, c1 + c4 would cost 12); both actions stay
    assert s.loc["high", "expected_gain"] == 21.0 and s.loc["high", "same_actions_share"] == 1.0
    assert s.loc["high", "customers_planned"] == 3


def curve_candidates(third_gain: float) -> pd.DataFrame:
    """Three customers whose only action costs 10,000 each, net gains 30,000, 15,000 and ``third_gain``."""
    frame = hand_candidates().frame.iloc[:3].copy()
    frame["customer_id"] = ["a", "b", "c"]
    frame["group"] = "relationship"
    frame["cost"] = 10_000.0
    frame["hours"] = frame["hours_account_manager"] = 0.0
    frame["gain_mid"] = [30_000.0, 15_000.0, third_gain]
    return frame


@pytest.mark.parametrize(("third", "stop"), [(5_000.0, 30_000.0), (4_000.0, 20_000.0)])
def test_marginal_curve_and_stop_point(third, stop):
    """Grid 0, 5k, ..., 45k: G = 0, 0, 30k, 30k, 45k, 45k, 45k + third, ... The segments ending at 10k,
    20k and 30k have slopes 6, 3 and third / 5k. With third = 5k the last slope is exactly 1 (an extra
    10k adds exactly 10k: still paying), so the stop point is 30k; with 4k it is 0.8 and the stop point
    is 20k. The gain stops growing after 30k in both cases (saturation)."""
    curve = marginal_curve(curve_candidates(third), top=45_000, points=10)
    assert list(curve.frame["budget"]) == [5_000.0 * k for k in range(10)]
    assert list(curve.frame["expected_gain"]) == [0, 0, 30_000, 30_000, 45_000, 45_000] + [45_000 + third] * 4
    assert curve.frame["marginal_gain_per_10k"].iloc[2] == pytest.approx(60_000)
    assert np.isnan(curve.frame["marginal_gain_per_10k"].iloc[0])
    assert curve.stop_budget == stop
    assert curve.saturation_budget == 30_000.0


def test_curve_edge_cases():
    rich = marginal_curve(curve_candidates(5_000.0), top=22_000, points=3)  # 0, 11k, 22k: still rising
    assert rich.stop_budget is None and rich.saturation_budget is None
    flat = marginal_curve(curve_candidates(5_000.0), top=9_000, points=4)  # nothing affordable
    assert flat.stop_budget == 0.0 and flat.saturation_budget == 0.0


@pytest.fixture(scope="module")
def generated_plan():
    """300 generated customers (benchmarks/plan.py), every playbook with economics, a small team."""
    values = bench.values_frame(300)
    capacity = {"account_manager": 12.0, "collector": 6.0, "inside_sales": 5.0}
    economics = load_library(DEFAULT_PLAYBOOKS).economics()
    return values, plan_resources(values, economics, budget=6_000, capacity=capacity)


def test_generated_plan_is_consistent(generated_plan):
    values, plan = generated_plan
    facts = plan.facts
    assert plan.solution.status == "optimal"
    assert facts["expected_gain"] >= max(facts["naive_revenue_first_gain"], facts["naive_risk_first_gain"])
    assert facts["expected_gain_low"] <= facts["expected_gain"] <= facts["expected_gain_high"]
    assert facts["planned_cost"] <= 6_000 + 1e-6
    hours = plan.hours.set_index("role")
    for role, cap in {"account_manager": 12.0, "collector": 6.0, "inside_sales": 5.0}.items():
        assert hours.loc[role, "planned_hours"] <= cap + 1e-9
    assert facts["customers_planned"] == plan.table["customer_id"].nunique() > 0
    assert set(plan.left_out["reason"]) <= {"negative_return", "budget", "capacity"}
    assert set(plan.table["customer_id"]).isdisjoint(
        set(zip(plan.left_out["customer_id"], plan.left_out["group"], strict=True))
    )
    curve = plan.curve.frame
    assert curve["budget"].iloc[-1] == pytest.approx(9_000)
    assert curve["expected_gain"].is_monotonic_increasing
    assert curve.loc[np.isclose(curve["budget"], 6_000), "expected_gain"].iloc[0] == pytest.approx(
        facts["expected_gain"]
    )
    assert set(plan.sensitivity["scenario"]) == {"low", "high"}


def test_handout_due_dates_owners_and_files(generated_plan):
    _, plan = generated_plan
    as_of = date(2025, 3, 31)
    sheet = handout(plan.table, as_of, owners={"account_manager": "Li Wei"})
    assert len(sheet) == len(plan.table)
    assert list(sheet.columns[:3]) == ["due_date", "owner_role", "owner"]
    offsets = {"retention": 7, "collections": 7, "service": 30, "pricing": 30}
    for family, due in zip(sheet["family"], sheet["due_date"], strict=True):
        assert (due - as_of).days == offsets[family]
    assert set(sheet.loc[sheet["owner_role"] == "account_manager", "owner"]) == {"Li Wei"}
    assert set(sheet.loc[sheet["owner_role"] != "account_manager", "owner"]) <= {""}
    assert sheet["due_date"].is_monotonic_increasing
    week = this_week(sheet, as_of)
    assert week["customers"].sum() == int(sheet["family"].isin(["retention", "collections"]).sum())
    csv = to_csv_bytes(sheet)
    assert csv.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", dtype={"customer_id": str})
    assert list(back["customer_id"]) == list(sheet["customer_id"])
    xlsx = pd.read_excel(io.BytesIO(to_xlsx_bytes(sheet)), sheet_name="plan", dtype={"customer_id": str})
    assert list(xlsx.columns) == list(sheet.columns) and len(xlsx) == len(sheet)


def test_benchmark_code_path_on_a_small_instance():
    results = bench.plan_resources_100k(Sizes(customers=600, clv_customers=600, repeats=1, process_repeats=1))
    assert [r.name for r in results] == ["plan_solve_600_targeted", "plan_solve_600_dense"]
    for r in results:
        assert r.ours is not None and r.status in {"PASS", "FAIL"}
        assert r.details["ratio_to_revenue_first"] >= 1 - 1e-9
        assert r.details["ratio_to_risk_first"] >= 1 - 1e-9
        assert r.details["mip_gap"] <= 1e-3
