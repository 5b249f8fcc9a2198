"""The integer programme: milp's optimum equals brute-force enumeration on small instances (direct and
core paths), it is never below the naive plans, and large instances report a proven gap <= 0.1%.

Fixtures are random with fixed seeds and small integers: costs 0-6, gains -3..12, hours 0-3 per role.
Small integers make ties frequent (the hardest case for exactness) and keep every optimum checkable
by hand; the limits are set to a share of what every set's best candidate would use, so the limit
under test binds (asserted).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from tools.plan.naive import greedy
from tools.plan.optimise import EXACT_LIMIT, eligible, limits, solve


def instance(seed: int, customers: int = 5, actions: int = 3, two_groups: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(customers):
        for a in range(actions):
            if rng.random() < 0.85:
                rows.append(
                    {
                        "customer_id": f"c{c}",
                        "action": f"a{a}",
                        "group": "receivables" if two_groups and a == actions - 1 else "relationship",
                        "cost": float(rng.integers(0, 7)),
                        "gain_mid": float(rng.integers(-3, 13)),
                        "hours_am": float(rng.integers(0, 4)),
                        "hours_col": float(rng.integers(0, 3)),
                    }
                )
    frame = pd.DataFrame(rows)
    frame["hours"] = frame["hours_am"] + frame["hours_col"]
    frame["gain_low"] = frame["gain_mid"] - 1
    frame["gain_high"] = frame["gain_mid"] + 1
    return frame


def brute_force(frame, budget, capacity, min_return=None) -> float:
    """Best total gain over every assignment: for each (customer, group) nothing or one candidate."""
    res = limits(frame, budget, capacity)
    ok = eligible(frame, "gain_mid", min_return)
    sets: dict[tuple[str, str], list[int | None]] = {}
    for i, key in enumerate(zip(frame["customer_id"], frame["group"], strict=True)):
        sets.setdefault(key, [None])
        if ok[i]:
            sets[key].append(i)
    best = 0.0
    gains = frame["gain_mid"].to_numpy()
    for combo in itertools.product(*sets.values()):
        x = np.zeros(len(frame), dtype=bool)
        x[[i for i in combo if i is not None]] = True
        if np.all(res.matrix @ x <= res.limits + 1e-9):
            best = max(best, float(gains[x].sum()))
    return best


def unconstrained_use(frame) -> pd.Series:
    """Cost and hours if every set took its best positive candidate."""
    pos = frame[frame["gain_mid"] > 0]
    best = pos.loc[pos.groupby(["customer_id", "group"])["gain_mid"].idxmax()]
    return best[["cost", "hours", "hours_am", "hours_col"]].sum()


CASES = {
    # name: (limits from the unconstrained use u, min_return, two groups)
    "budget_binding": (lambda u: (0.5 * u["cost"], None), None, False),
    "capacity_per_role_binding": (
        lambda u: (None, {"am": 0.5 * u["hours_am"], "col": 0.6 * u["hours_col"]}),
        None,
        False,
    ),
    "capacity_pool_binding": (lambda u: (None, 0.5 * u["hours"]), None, False),
    "budget_capacity_min_return": (lambda u: (0.6 * u["cost"], {"am": 0.6 * u["hours_am"]}), 1.5, False),
    "bundles_two_groups": (lambda u: (0.5 * u["cost"], {"col": 0.5 * u["hours_col"]}), None, True),
}


@pytest.mark.parametrize("case", list(CASES))
def test_milp_equals_brute_force(case):
    make_limits, min_return, two_groups = CASES[case]
    for seed in range(12):
        frame = instance(seed, customers=4 + seed % 3, actions=3, two_groups=two_groups)
        budget, capacity = make_limits(unconstrained_use(frame))
        expected = brute_force(frame, budget, capacity, min_return)
        for direct_limit in (10_000, 0):  # whole instance to milp, and the core path
            sol = solve(
                frame, budget=budget, capacity=capacity, min_return=min_return, direct_limit=direct_limit
            )
            assert sol.objective == pytest.approx(expected, abs=1e-9), (case, seed, direct_limit)
            assert sol.status == "optimal" and sol.gap == 0
            chosen = frame.iloc[sol.chosen]
            assert not chosen.duplicated(["customer_id", "group"]).any()
            res = limits(frame, budget, capacity)
            x = np.zeros(len(frame), dtype=bool)
            x[sol.chosen] = True
            assert np.all(res.matrix @ x <= res.limits + 1e-9)
            if min_return is not None:
                assert (chosen["gain_mid"] >= min_return * chosen["cost"]).all()


def test_limits_under_test_bind():
    """The unconstrained best plan exceeds the limits of every case (so the cases test binding limits)."""
    for case, (make_limits, _, two_groups) in CASES.items():
        frame = instance(3, customers=5, two_groups=two_groups)
        u = unconstrained_use(frame)
        budget, capacity = make_limits(u)
        over = []
        if budget is not None:
            over.append(u["cost"] > budget)
        if isinstance(capacity, dict):
            over += [u[f"hours_{r}"] > cap for r, cap in capacity.items()]
        elif capacity is not None:
            over.append(u["hours"] > capacity)
        assert all(over), case


def test_hand_checked_instance():
    """Budget 10, one account manager with 3 hours.

    c1: call (cost 6, 2 h, gain 9) or mail (cost 2, 0 h, gain 4); c2: call (cost 6, 2 h, gain 8);
    c3: review (cost 4, 1 h, gain 5). Calls for c1 and c2 cost 12 > 10. Options within the limits:
    c1 call + c3 = 14 (cost 10, 3 h); c1 mail + c2 call = 12; c1 mail + c3 = 9; c2 call + c3 = 13;
    c1 mail + c2 call + c3 would cost 12. The optimum is c1 call + c3 review = 14.
    """
    frame = pd.DataFrame(
        {
            "customer_id": ["c1", "c1", "c2", "c3"],
            "action": ["call", "mail", "call", "review"],
            "group": "relationship",
            "cost": [6.0, 2.0, 6.0, 4.0],
            "hours": [2.0, 0.0, 2.0, 1.0],
            "hours_am": [2.0, 0.0, 2.0, 1.0],
            "gain_mid": [9.0, 4.0, 8.0, 5.0],
        }
    )
    sol = solve(frame, budget=10, capacity={"am": 3})
    assert sol.objective == 14
    assert sorted(frame.iloc[sol.chosen]["action"] + "@" + frame.iloc[sol.chosen]["customer_id"]) == [
        "call@c1",
        "review@c3",
    ]
    revenue_first = greedy(frame, pd.Series({"c2": 3.0, "c1": 2.0, "c3": 1.0}), budget=10, capacity={"am": 3})
    # c2 call (6, 2 h), then c1: call needs 6 > 4 left, mail fits (2); c3 needs 1 h, none left -> 12
    assert frame["gain_mid"].to_numpy()[revenue_first].sum() == 12


def test_optimum_is_never_below_the_naive_plans():
    for seed in range(20):
        frame = instance(100 + seed, customers=8, actions=3, two_groups=seed % 2 == 1)
        u = unconstrained_use(frame)
        budget, capacity = 0.5 * u["cost"], {"am": 0.5 * u["hours_am"]}
        opt = solve(frame, budget=budget, capacity=capacity).objective
        rng = np.random.default_rng(seed)
        ids = frame["customer_id"].unique()
        for priority in (
            pd.Series(rng.random(len(ids)), index=ids),
            pd.Series(np.arange(len(ids)), index=ids),
        ):
            chosen = greedy(frame, priority, budget=budget, capacity=capacity)
            assert opt >= frame["gain_mid"].to_numpy()[chosen].sum() - 1e-9


def test_core_path_is_exact_on_a_mid_sized_instance():
    """800 candidates: the core path with gap 0 equals milp on the whole instance."""
    frame = instance(7, customers=250, actions=4, two_groups=True)
    u = unconstrained_use(frame)
    kw = {"budget": 0.3 * u["cost"], "capacity": {"am": 0.3 * u["hours_am"], "col": 0.5 * u["hours_col"]}}
    whole = solve(frame, direct_limit=10_000, **kw)
    core = solve(frame, direct_limit=0, **kw)
    assert core.objective == pytest.approx(whole.objective, abs=1e-9)
    assert core.status == whole.status == "optimal"
    assert core.solved_candidates < len(frame)


def test_large_instance_reports_a_proven_gap():
    """Above EXACT_LIMIT candidates the default gap is 0.001; the achieved gap is proven and reported."""
    frame = instance(11, customers=3_000, actions=3)
    assert (frame["gain_mid"] > 0).sum() > EXACT_LIMIT
    u = unconstrained_use(frame)
    sol = solve(frame, budget=0.2 * u["cost"], capacity={"am": 0.3 * u["hours_am"]})
    assert sol.status in {"optimal", "within_gap"} and sol.mip_rel_gap == 1e-3
    assert 0 <= sol.gap <= 1e-3 and sol.bound >= sol.objective
    assert sol.solved_candidates < len(frame)


def test_no_binding_limit_needs_no_solve_and_bad_limits_are_rejected():
    frame = instance(5)
    sol = solve(frame, budget=1e9, capacity=1e9)
    assert sol.status == "optimal" and sol.solved_candidates == 0
    assert sol.objective == pytest.approx(brute_force(frame, None, None))
    with pytest.raises(ValueError, match="budget limit must be >= 0"):
        solve(frame, budget=-1)
    with pytest.raises(ValueError, match="hours_am limit must be >= 0"):
        solve(frame, budget=None, capacity={"am": -2})
    with pytest.raises(ValueError, match="mip_rel_gap"):
        solve(frame, budget=5, mip_rel_gap=2)
