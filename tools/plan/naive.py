"""The naive plans the optimum is compared with: rank customers by one number, act down the list.

``greedy`` walks the customers from the highest ``priority`` down (highest revenue first, highest
churn risk first) and gives each customer, in each group, its best-gain eligible candidate that still
fits the budget and capacity left. It sees exactly the candidates and limits the optimiser sees
(gain > 0, the minimum return), so the difference between the two is the value of choosing rather
than ranking. A greedy plan is feasible for the integer programme, so the optimum is never below it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.plan.optimise import Capacity, eligible, limits

#: Naive plan name -> the values-frame column customers are ranked by (highest first).
NAIVE_ORDERS: dict[str, str] = {"revenue_first": "revenue", "risk_first": "churn_probability"}


def greedy(
    frame: pd.DataFrame,
    priority: pd.Series,
    *,
    budget: float | None,
    capacity: Capacity = None,
    gain: str = "gain_mid",
    min_return: float | None = None,
) -> np.ndarray:
    """Positions (in ``frame``) of the candidates a ranked walk picks.

    Parameters
    ----------
    frame
        Candidates (``Candidates.frame``).
    priority
        The ranking number per customer id (index); customers without one come last, ties by id.
    budget, capacity, gain, min_return
        As in ``optimise.solve``.
    """
    res = limits(frame, budget, capacity)
    idx = np.flatnonzero(eligible(frame, gain, min_return))
    rank = frame["customer_id"].map(priority).astype(float).fillna(-np.inf).to_numpy()
    walk = pd.DataFrame(
        {
            "pos": idx,
            "rank": rank[idx],
            "customer_id": frame["customer_id"].to_numpy()[idx],
            "group": frame["group"].to_numpy()[idx],
            "gain": frame[gain].to_numpy(dtype=float)[idx],
        }
    ).sort_values(
        ["rank", "customer_id", "group", "gain"], ascending=[False, True, True, False], kind="stable"
    )
    left = res.limits.astype(float).tolist()
    need = res.matrix.T.tolist()
    taken: set[tuple[str, str]] = set()
    chosen: list[int] = []
    for pos, cid, grp in zip(
        walk["pos"].tolist(), walk["customer_id"].tolist(), walk["group"].tolist(), strict=True
    ):
        key = (cid, grp)
        if key in taken:
            continue
        row = need[pos]
        if all(r <= cap for r, cap in zip(row, left, strict=True)):
            left = [cap - r for r, cap in zip(row, left, strict=True)]
            taken.add(key)
            chosen.append(pos)
    return np.asarray(chosen, dtype=int)
