r"""Marginal return curve: the optimal plan's expected gain against the budget.

G(b) is the expected gain (net of action costs) of the optimal plan with budget b and the same
capacity, on a grid b_0 = 0 < b_1 < ... < b_K = 1.5 x the budget (evenly spaced). Between grid points
the curve is read linearly, so the slope of segment k, (G(b_k) - G(b_{k-1})) / (b_k - b_{k-1}), is
what each extra unit of money buys there; ``marginal_gain_per_10k`` is that slope x 10,000.

Stop point: the smallest grid budget b* from which every later segment has slope < 1, i.e. beyond b*
an extra 10,000 adds less than 10,000 of expected gain. The gain is net of the actions' cost, so
beyond b* the money still earns its cost back but returns less than 100% on it (a 100% hurdle).
b* = 0 when no segment reaches slope 1; None when the last segment still does (extra money still
returns over 100% at 1.5 x the budget). Saturation: the smallest grid budget from which the gain no
longer grows at all (extra money buys no action with a positive expected return); None when it still
grows on the last segment.

Each point is solved exactly on small instances and within CURVE_GAP = 0.5% on large ones (a chart
needs no more; the plan itself is solved within 0.1%). Solved from the largest budget down: a plan optimal at b_k that costs no more than b_{k-1} is also
optimal at b_{k-1} (the feasible set only shrinks), so it is reused instead of solved again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.plan.optimise import Capacity, solve

PER = 10_000.0
CURVE_POINTS = 10
CURVE_GAP = 0.005


@dataclass
class MarginalCurve:
    """``frame``: budget, expected_gain, planned_cost, marginal_gain_per_10k; b* and saturation."""

    frame: pd.DataFrame
    stop_budget: float | None
    saturation_budget: float | None


def marginal_curve(
    frame: pd.DataFrame,
    *,
    top: float,
    capacity: Capacity = None,
    min_return: float | None = None,
    mip_rel_gap: float | None = None,
    points: int = CURVE_POINTS,
    known: tuple[float, float, float] | None = None,
) -> MarginalCurve:
    """G(b) on ``points`` evenly spaced budgets from 0 to ``top`` (module docstring).

    ``known`` = (budget, planned cost, gain) of a plan already solved, used where the grid meets it.
    """
    if points < 2:
        raise ValueError(f"points must be >= 2, got {points}")
    grid = np.linspace(0.0, max(float(top), 0.0), points)
    gains, costs = np.zeros(points), np.zeros(points)
    cost = frame["cost"].to_numpy(dtype=float)
    reuse: tuple[float, float] | None = None  # (planned cost, gain) of the last solve
    for k in range(points - 1, -1, -1):
        if known is not None and np.isclose(grid[k], known[0], rtol=1e-12, atol=0):
            reuse = known[1:]
        elif reuse is None or reuse[0] > grid[k]:
            sol = solve(
                frame, budget=grid[k], capacity=capacity, min_return=min_return, mip_rel_gap=mip_rel_gap
            )
            reuse = (float(cost[sol.chosen].sum()), sol.objective)
        costs[k], gains[k] = reuse
    slope = np.r_[np.nan, np.diff(gains) / np.diff(grid)] if grid[-1] > 0 else np.full(points, np.nan)
    curve = pd.DataFrame(
        {"budget": grid, "expected_gain": gains, "planned_cost": costs, "marginal_gain_per_10k": slope * PER}
    )
    growing = np.r_[False, np.diff(gains) > 1e-9 * max(1.0, float(np.abs(gains).max()))]
    return MarginalCurve(curve, _last_end(grid, slope >= 1.0), _last_end(grid, growing))


def _last_end(grid: np.ndarray, segment_flag: np.ndarray) -> float | None:
    """The grid budget ending the last flagged segment (flag k: segment from grid[k-1] to grid[k]);
    0 when none is flagged, None when the last segment is."""
    flagged = np.flatnonzero(segment_flag[1:]) + 1
    if not len(flagged):
        return 0.0
    last = int(flagged[-1])
    return None if last == len(grid) - 1 else float(grid[last])
