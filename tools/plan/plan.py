"""The resource plan: optimal actions under a budget and capacity, and everything that explains it.

``plan_resources`` (values + playbook economics -> ``ResourcePlan``) is the entry point;
``make_plan`` does the same from ready candidates. A plan holds:

- ``table``: one row per planned action (PLAN_COLUMNS), highest expected gain first.
- ``facts``: FACT_NAMES exactly (money in the data's currency, hours in person-hours); budget and
  capacity_hours are None when unlimited; capacity_hours is the pool, or the sum of the role limits.
- ``left_out``: per customer and group with candidates but no planned action, the best candidate and
  why it was not planned: ``negative_return`` (no candidate with expected gain > 0),
  ``below_min_return`` (none with gain >= min_return x cost), else ``budget`` or ``capacity``: the
  limit that stops its best candidate (of the limits it does not fit into what the plan leaves, the
  one the plan uses up most; when it fits, which within the MIP gap of a large instance happens for
  the last scraps, of the limits it needs); ``within_gap`` when it needs no limited resource at all.
- ``skipped``: customers without a candidate per action (not targeted, missing inputs).
- ``hours``: per role the planned hours and its limit (None: not limited; "hours" is the pool when
  capacity is one number). planned_hours counts every role, capacity_hours only the limited ones.
- ``curve``: the marginal return curve up to 1.5 x the budget, its stop point and saturation
  (``curve``).
- ``naive``: the greedy plans by revenue and by churn risk under the same limits (``naive``).
- ``sensitivity``: the plan re-optimised on the low and on the high end of every effect range.
- ``solution``: solver status, achieved MIP gap and time of the main solve.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.plan.candidates import DEFAULT_LOSS_RATES, Candidates, build_candidates
from tools.plan.curve import CURVE_POINTS, MarginalCurve, marginal_curve
from tools.plan.economics import Economics, Family
from tools.plan.naive import NAIVE_ORDERS, greedy
from tools.plan.optimise import Capacity, Solution, eligible, limits, solve

FACT_NAMES = (
    "budget",
    "capacity_hours",
    "planned_cost",
    "planned_hours",
    "customers_planned",
    "expected_gain",
    "expected_gain_low",
    "expected_gain_high",
    "naive_revenue_first_gain",
    "naive_risk_first_gain",
)
PLAN_COLUMNS = (
    "customer_id",
    "action",
    "owner_role",
    "cost",
    "hours",
    "expected_gain",
    "expected_gain_low",
    "expected_gain_high",
    "why",
    "family",
)
#: The curve reaches this multiple of the budget.
CURVE_REACH = 1.5


@dataclass
class ResourcePlan:
    """See the module docstring."""

    table: pd.DataFrame
    facts: dict[str, float | int | None]
    left_out: pd.DataFrame
    skipped: pd.DataFrame
    hours: pd.DataFrame
    curve: MarginalCurve
    naive: dict[str, pd.DataFrame]
    sensitivity: pd.DataFrame
    solution: Solution


def plan_resources(
    values: pd.DataFrame,
    economics: Sequence[Economics],
    *,
    budget: float | None,
    capacity: Capacity = None,
    horizon_months: float = 3.0,
    families: Collection[Family] | None = None,
    min_return: float | None = None,
    loss_rates: Mapping[str, float] = DEFAULT_LOSS_RATES,
    mip_rel_gap: float | None = None,
    curve_points: int = CURVE_POINTS,
) -> ResourcePlan:
    """The optimal plan for ``values`` (candidates.VALUE_COLUMNS) under ``budget`` and ``capacity``.

    Parameters
    ----------
    values
        Per-customer values (see ``tools.plan.candidates``).
    economics
        Playbook economics (``agent.playbooks.load_library(dir).economics()`` for a folder of playbooks).
    budget
        Money to spend over the horizon (None: unlimited).
    capacity
        Hours over the horizon: one pool for all roles, or per role ({"account_manager": 120});
        roles not named are unlimited; None: unlimited.
    horizon_months
        Planning horizon in months (annual service cost and revenue are scaled by it).
    families
        Action families to consider (None: all).
    min_return
        Plan only actions whose expected gain is at least min_return x their cost.
    loss_rates, mip_rel_gap, curve_points
        Collections loss rates per grade, MIP gap (default: exact on small instances, 0.001 on large
        ones), budgets on the marginal return curve.
    """
    candidates = build_candidates(
        values, economics, horizon_months=horizon_months, families=families, loss_rates=loss_rates
    )
    return make_plan(
        candidates,
        values,
        budget=budget,
        capacity=capacity,
        min_return=min_return,
        mip_rel_gap=mip_rel_gap,
        curve_points=curve_points,
    )


def make_plan(
    candidates: Candidates,
    values: pd.DataFrame,
    *,
    budget: float | None,
    capacity: Capacity = None,
    min_return: float | None = None,
    mip_rel_gap: float | None = None,
    curve_points: int = CURVE_POINTS,
) -> ResourcePlan:
    """``plan_resources`` from ready candidates (``values`` gives the naive plans' rankings)."""
    frame = candidates.frame
    kw = {"budget": budget, "capacity": capacity, "min_return": min_return}
    solution = solve(frame, mip_rel_gap=mip_rel_gap, **kw)
    table = plan_table(frame, solution.chosen)
    ids = values["customer_id"].astype(str)
    naive = {}
    for name, column in NAIVE_ORDERS.items():
        priority = (
            pd.Series(values[column].to_numpy(), index=ids)
            if column in values.columns
            else pd.Series(dtype=float)
        )
        naive[name] = plan_table(frame, greedy(frame, priority, **kw))
    top = CURVE_REACH * (budget if budget is not None else float(table["cost"].sum()))
    known = None if budget is None else (budget, float(table["cost"].sum()), solution.objective)
    curve = marginal_curve(
        frame,
        top=top,
        capacity=capacity,
        min_return=min_return,
        mip_rel_gap=mip_rel_gap,
        points=curve_points,
        known=known,
    )
    return ResourcePlan(
        table=table,
        facts=_facts(table, naive, budget, capacity),
        left_out=left_out(frame, solution.chosen, **kw),
        skipped=candidates.skipped,
        hours=_hours(frame, solution.chosen, candidates.roles, capacity),
        curve=curve,
        naive=naive,
        sensitivity=_sensitivity(frame, table, mip_rel_gap=mip_rel_gap, **kw),
        solution=solution,
    )


def plan_table(frame: pd.DataFrame, chosen: np.ndarray) -> pd.DataFrame:
    """PLAN_COLUMNS for the chosen candidate positions, highest expected gain first."""
    rows = frame.iloc[np.sort(chosen)]
    out = pd.DataFrame(
        {
            "customer_id": rows["customer_id"].to_numpy(),
            "action": rows["action"].to_numpy(),
            "owner_role": rows["owner_role"].to_numpy(),
            "cost": rows["cost"].to_numpy(dtype=float),
            "hours": rows["hours"].to_numpy(dtype=float),
            "expected_gain": rows["gain_mid"].to_numpy(dtype=float),
            "expected_gain_low": rows["gain_low"].to_numpy(dtype=float),
            "expected_gain_high": rows["gain_high"].to_numpy(dtype=float),
            "why": rows["why"].to_numpy(),
            "family": rows["family"].to_numpy(),
        }
    )
    return out.sort_values(["expected_gain", "customer_id"], ascending=[False, True], ignore_index=True)


def _hours(frame: pd.DataFrame, chosen: np.ndarray, roles: Sequence[str], capacity: Capacity) -> pd.DataFrame:
    """role, planned_hours, capacity_hours (None when the role is not limited)."""
    rows = frame.iloc[chosen]
    limited = dict(capacity) if isinstance(capacity, Mapping) else {}
    out = [
        {
            "role": role,
            "planned_hours": float(rows[Candidates.hours_column(role)].sum()),
            "capacity_hours": limited.get(role),
        }
        for role in roles
    ]
    if capacity is not None and not isinstance(capacity, Mapping):
        out.append(
            {"role": "hours", "planned_hours": float(rows["hours"].sum()), "capacity_hours": float(capacity)}
        )
    return pd.DataFrame(out, columns=["role", "planned_hours", "capacity_hours"])


def _facts(
    table: pd.DataFrame, naive: Mapping[str, pd.DataFrame], budget: float | None, capacity: Capacity
) -> dict[str, float | int | None]:
    if capacity is None:
        hours_limit = None
    elif isinstance(capacity, Mapping):
        hours_limit = float(sum(capacity.values()))
    else:
        hours_limit = float(capacity)
    return {
        "budget": None if budget is None else float(budget),
        "capacity_hours": hours_limit,
        "planned_cost": float(table["cost"].sum()),
        "planned_hours": float(table["hours"].sum()),
        "customers_planned": int(table["customer_id"].nunique()),
        "expected_gain": float(table["expected_gain"].sum()),
        "expected_gain_low": float(table["expected_gain_low"].sum()),
        "expected_gain_high": float(table["expected_gain_high"].sum()),
        "naive_revenue_first_gain": float(naive["revenue_first"]["expected_gain"].sum()),
        "naive_risk_first_gain": float(naive["risk_first"]["expected_gain"].sum()),
    }


def left_out(
    frame: pd.DataFrame,
    chosen: np.ndarray,
    *,
    budget: float | None,
    capacity: Capacity = None,
    min_return: float | None = None,
) -> pd.DataFrame:
    """Per (customer, group) with candidates but nothing planned: the best candidate and the reason.

    Columns: customer_id, group, action, expected_gain, cost, hours, reason (module docstring).
    """
    res = limits(frame, budget, capacity)
    planned = np.zeros(len(frame), dtype=bool)
    planned[chosen] = True
    used = res.matrix[:, planned].sum(axis=1)
    usage = np.divide(used, res.limits, out=np.ones_like(used), where=res.limits > 0)
    # per candidate the limit that stops it: of those it does not fit (else of those it needs), the
    # one the plan uses up most; -1 when it needs no limited resource
    needs = res.matrix > 0
    over = res.matrix > (res.limits - used)[:, None] + 1e-9 * np.maximum(res.limits[:, None], 1.0)
    candidates_of = np.where(over.any(axis=0), over, needs)
    tightest = np.full(len(frame), -1)
    if len(res.names):
        score = np.where(candidates_of, usage[:, None], -1.0)
        tightest = np.where(needs.any(axis=0), np.argmax(score, axis=0), -1)
    is_budget = np.array([name == "budget" for name in res.names] + [False], dtype=bool)
    work = frame[["customer_id", "group", "action", "gain_mid", "cost", "hours"]].copy()
    work["positive"] = work["gain_mid"].to_numpy() > 0
    work["eligible"] = eligible(frame, "gain_mid", min_return)
    work["limited"] = tightest >= 0
    work["budget_stops"] = is_budget[tightest]
    keys = ["customer_id", "group"]
    done = work.loc[planned, keys].drop_duplicates()
    work = work.merge(done.assign(_done=True), on=keys, how="left")
    work = work[work["_done"].isna()]
    # best candidate per set: eligible ones first, then the highest gain
    work = work.sort_values(["eligible", "gain_mid"], ascending=[False, False], kind="stable")
    best = work.drop_duplicates(keys).copy()
    best["reason"] = np.select(
        [~best["positive"], ~best["eligible"], ~best["limited"], best["budget_stops"]],
        ["negative_return", "below_min_return", "within_gap", "budget"],
        default="capacity",
    )
    best = best.rename(columns={"gain_mid": "expected_gain"})
    columns = ["customer_id", "group", "action", "expected_gain", "cost", "hours", "reason"]
    return best[columns].sort_values(
        ["expected_gain", "customer_id"], ascending=[False, True], ignore_index=True
    )


def _sensitivity(
    frame: pd.DataFrame,
    table: pd.DataFrame,
    *,
    budget: float | None,
    capacity: Capacity,
    min_return: float | None,
    mip_rel_gap: float | None,
) -> pd.DataFrame:
    """The plan re-optimised on gain_low and on gain_high: its gain, customers, and the share of the
    planned (customer, action) pairs it keeps."""
    planned = set(zip(table["customer_id"], table["action"], strict=True))
    rows = []
    for scenario, gain in (("low", "gain_low"), ("high", "gain_high")):
        sol = solve(
            frame, budget=budget, capacity=capacity, gain=gain, min_return=min_return, mip_rel_gap=mip_rel_gap
        )
        picked = frame.iloc[sol.chosen]
        pairs = set(zip(picked["customer_id"], picked["action"], strict=True))
        rows.append(
            {
                "scenario": scenario,
                "expected_gain": sol.objective,
                "customers_planned": int(picked["customer_id"].nunique()),
                "same_actions_share": len(pairs & planned) / len(planned) if planned else 1.0,
            }
        )
    return pd.DataFrame(rows)
