"""``python -m benchmarks.plan``: the resource planner's integer programme on 100k customers x 6 actions.

Instance (``values_frame``, seed 7): per customer a trailing-12-month revenue ~ lognormal(10, 1.2)
(median about 22,000), gross margin ~ U(0.15, 0.45), cost-to-serve ~ U(0.02, 0.25) x revenue, profit
= revenue x margin - cost-to-serve, churn probability ~ Beta(1.5, 6) (mean 0.2), CLV = max(profit, 0)
x U(1.5, 4) x (1 - churn) (missing for 10%: no repeat purchases), an overdue amount U(0.02, 0.3) x
revenue for 25% of customers, credit grades A-E with shares 35/30/20/10/5%, three segments with
elasticities -1.6, -0.8, -0.4, and findings set by thresholds (``_findings``). Actions: the six
playbooks in ``ACTIONS`` (in that order) with the economics blocks of their front matter. Limits for 100k
customers (scaled in proportion for other sizes): a budget of 2,000,000 and 2,000 account manager,
1,000 inside-sales, 800 collector and 200 marketing hours (a quarter of a mid-sized team).

Two variants: ``targeted`` (each action for the customers its economics target) and ``dense`` (every
action for every customer with the inputs, the worst case of 100k x 6).

Reported: the solve time of ``optimise.solve`` (median of the repetitions; target < 2 s), the MIP gap
achieved, and the expected gain of the optimal plan against each naive plan (highest revenue first,
highest churn risk first; ratio >= 1 by construction, since a naive plan is feasible). The registry
name in ``python -m benchmarks`` is ``plan_resources_100k`` (function ``plan_resources_100k``).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from benchmarks.common import FULL, QUICK, Result, Sizes

SEED = 7
TARGET_SECONDS = 2.0
ACTIONS = (
    "retention-vip-outreach",
    "retention-uplift-targeted-offers",
    "cts-self-service-channel-migration",
    "cts-tiered-service-levels",
    "collections-risk-prioritised-worklist",
    "pricing-value-based-increase-inelastic",
)
BUDGET = 2_000_000.0
CAPACITY = {"account_manager": 2_000.0, "inside_sales": 1_000.0, "collector": 800.0, "marketing": 200.0}
SEGMENTS = {"SMB": -1.6, "Mid-market": -0.8, "Enterprise": -0.4}


def values_frame(customers: int, seed: int = SEED) -> pd.DataFrame:
    """The generated per-customer values (module docstring)."""
    rng = np.random.default_rng(seed)
    n = customers
    revenue = rng.lognormal(10.0, 1.2, n)
    cost_to_serve = revenue * rng.uniform(0.02, 0.25, n)
    profit = revenue * rng.uniform(0.15, 0.45, n) - cost_to_serve
    churn = rng.beta(1.5, 6.0, n)
    clv = np.maximum(profit, 0) * rng.uniform(1.5, 4.0, n) * (1 - churn)
    clv[rng.random(n) < 0.10] = np.nan
    overdue = np.where(rng.random(n) < 0.25, revenue * rng.uniform(0.02, 0.3, n), 0.0)
    grade = rng.choice(list("ABCDE"), n, p=[0.35, 0.30, 0.20, 0.10, 0.05])
    segment = rng.choice(list(SEGMENTS), n, p=[0.6, 0.3, 0.1])
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i:06d}" for i in range(n)],
            "revenue": revenue,
            "profit": profit,
            "clv": clv,
            "churn_probability": churn,
            "cost_to_serve": cost_to_serve,
            "overdue_amount": overdue,
            "credit_grade": grade,
            "elasticity": pd.Series(segment).map(SEGMENTS).to_numpy(),
            "segment": segment,
        }
    )
    frame["findings"] = _findings(frame)
    return frame


def _findings(v: pd.DataFrame) -> list[frozenset[str]]:
    """Findings by thresholds, as the tools would report them."""
    top_revenue = v["revenue"] >= v["revenue"].quantile(0.8)
    rules = {
        "high_churn_risk": v["churn_probability"] >= 0.35,
        "at_risk_valuable_customers": (v["churn_probability"] >= 0.3) & top_revenue,
        "revenue_at_risk": v["churn_probability"] * v["revenue"]
        >= (v["churn_probability"] * v["revenue"]).quantile(0.9),
        "loss_making_customers": v["profit"] < 0,
        "high_cost_to_serve": v["cost_to_serve"] > 0.15 * v["revenue"],
        "overdue_receivables": v["overdue_amount"] > 0,
        "high_credit_risk": v["credit_grade"].isin(["D", "E"]),
        "price_inelastic_segment": v["elasticity"] > -1,
    }
    hits = pd.DataFrame(rules).to_numpy()
    names = np.array(list(rules))
    return [frozenset(names[row]) for row in hits]


def instance(customers: int, dense: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, candidates frame) of the benchmark instance."""
    from agent.playbooks import DEFAULT_PLAYBOOKS, load_library
    from tools.plan.candidates import build_candidates

    blocks = {e.playbook: e for e in load_library(DEFAULT_PLAYBOOKS).economics()}
    economics = [blocks[pid] for pid in ACTIONS]
    if dense:
        economics = [e.model_copy(update={"applies_to": type(e.applies_to)()}) for e in economics]
    values = values_frame(customers)
    return values, build_candidates(values, economics, horizon_months=3.0).frame


def limits(customers: int) -> tuple[float, dict[str, float]]:
    """Budget and capacity for ``customers`` (BUDGET and CAPACITY are for 100k)."""
    scale = customers / 100_000
    return BUDGET * scale, {role: hours * scale for role, hours in CAPACITY.items()}


def run(customers: int, dense: bool, repeats: int) -> dict[str, float | int | str]:
    """Solve times, gap and the naive comparison for one variant."""
    from tools.plan.naive import NAIVE_ORDERS, greedy
    from tools.plan.optimise import solve

    values, frame = instance(customers, dense)
    budget, capacity = limits(customers)
    times, sol = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        sol = solve(frame, budget=budget, capacity=capacity)
        times.append(time.perf_counter() - start)
    assert sol is not None
    out: dict[str, float | int | str] = {
        "customers": customers,
        "candidates": len(frame),
        "solved_candidates": sol.solved_candidates,
        "seconds": statistics.median(times),
        "status": sol.status,
        "mip_gap": sol.gap,
        "expected_gain": sol.objective,
    }
    ids = values["customer_id"]
    for name, column in NAIVE_ORDERS.items():
        chosen = greedy(
            frame, pd.Series(values[column].to_numpy(), index=ids), budget=budget, capacity=capacity
        )
        naive_gain = float(frame["gain_mid"].to_numpy()[chosen].sum())
        out[f"naive_{name}_gain"] = naive_gain
        out[f"ratio_to_{name}"] = sol.objective / naive_gain if naive_gain > 0 else float("inf")
    return out


def plan_resources_100k(sizes: Sizes) -> list[Result]:
    """Solve time (target < 2 s) and gain against the naive plans, targeted and dense instances."""
    results = []
    for variant in ("targeted", "dense"):
        r = run(sizes.customers, variant == "dense", max(1, sizes.repeats))
        name = f"plan_solve_{sizes.label}_{variant}"
        ok = r["seconds"] < TARGET_SECONDS and float(r["mip_gap"]) <= 1e-3
        note = f"gap {float(r['mip_gap']):.2e}, x{float(r['ratio_to_revenue_first']):.2f} revenue-first, x{float(r['ratio_to_risk_first']):.2f} risk-first"
        results.append(
            Result(
                name,
                float(r["seconds"]),
                None,
                "s",
                f"< {TARGET_SECONDS:g} s",
                "PASS" if ok else "FAIL",
                note,
                r,
            )
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plan", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 customers, one repetition")
    parser.add_argument("--customers", type=int, default=None, help="override the number of customers")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.customers:
        sizes = Sizes(args.customers, sizes.clv_customers, sizes.repeats, sizes.process_repeats)
    failed = False
    for result in plan_resources_100k(sizes):
        d = result.details
        print(
            f"{result.name}: {d['customers']:,} customers, {d['candidates']:,} candidates "
            f"({d['solved_candidates']:,} to milp): solve {d['seconds']:.3f} s (target < {TARGET_SECONDS:g} s), "
            f"{d['status']}, MIP gap {float(d['mip_gap']):.2e}; expected gain {float(d['expected_gain']):,.0f} = "
            f"{float(d['ratio_to_revenue_first']):.3f} x revenue-first ({float(d['naive_revenue_first_gain']):,.0f}), "
            f"{float(d['ratio_to_risk_first']):.3f} x risk-first ({float(d['naive_risk_first_gain']):,.0f})  {result.status}",
            flush=True,
        )
        failed |= result.status == "FAIL"
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
