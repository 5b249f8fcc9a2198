"""Exact simulation from the BG/NBD (and Gamma-Gamma) generative story, for parameter-recovery tests
and benchmarks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tools.clv.common import DateLike, TimeUnit, check_time_unit
from tools.clv.numerics import param_vector
from tools.clv.summary import one_day

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------------
def simulate_bgnbd(
    n: int, r: float, alpha: float, a: float, b: float, T: float | Any, seed: int | None = None
) -> pd.DataFrame:
    r"""Draw ``n`` customers from the BG/NBD model observed for ``T`` time units each.

    Exact and vectorised: :math:`\lambda \sim \mathrm{Gamma}(r, \text{rate } \alpha)`,
    :math:`p \sim \mathrm{Beta}(a, b)`; the number of Poisson purchases in (0, T] is
    :math:`N \sim \mathrm{Poisson}(\lambda T)` and the customer drops out right after repeat purchase
    :math:`K \sim \mathrm{Geometric}(p)`, so :math:`x = \min(N, K)`; given N, the x-th purchase time
    is the x-th order statistic of N uniforms on (0, T), i.e. :math:`t_x = T\,\mathrm{Beta}(x, N-x+1)`.

    Parameters
    ----------
    n : int
        Number of customers.
    r, alpha, a, b : float
        BG/NBD parameters (alpha in the unit of T).
    T : float or array of length n
        Observation length since each customer's first purchase.
    seed : int, optional
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    DataFrame
        frequency, recency, T, and the latent ``lambda_``, ``p`` and ``alive`` (still active at T).
    """
    prm = param_vector([r, alpha, a, b], ("r", "alpha", "a", "b"))
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive whole number, got {n!r}.")
    n = int(n)
    t = np.broadcast_to(np.asarray(T, dtype=float), (n,)).copy()
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError("T must be finite and non-negative.")
    rng = np.random.default_rng(seed)
    lam = rng.gamma(prm[0], 1.0 / prm[1], n)
    p = np.clip(rng.beta(prm[2], prm[3], n), 1e-12, 1.0)
    N = rng.poisson(lam * t)
    K = rng.geometric(p)
    x = np.minimum(N, K)
    t_x = np.zeros(n)
    m = x > 0
    t_x[m] = t[m] * rng.beta(x[m], N[m] - x[m] + 1)
    return pd.DataFrame(
        {"frequency": x.astype(np.int64), "recency": t_x, "T": t, "lambda_": lam, "p": p, "alive": K > N}
    )


def simulate_bgnbd_transactions(
    n: int,
    r: float,
    alpha: float,
    a: float,
    b: float,
    T: float | Any,
    seed: int | None = None,
    end: DateLike = "2024-12-31",
    time_unit: TimeUnit = "W",
    spend: tuple[float, float, float] | None = (6.25, 3.74, 15.44),
) -> pd.DataFrame:
    """Transaction rows (customer_id, date, revenue) of ``n`` BG/NBD customers observed until ``end``.

    Each customer's first purchase is ``T`` units before ``end``; repeat purchases are at the
    simulated t_x (the last) and x - 1 uniform times in (0, t_x) (the earlier arrival times of a
    Poisson process given the x-th). Times are rounded to whole days, so a few purchases may fall on
    the same day. With ``spend`` = (p, q, gamma), revenues follow the Gamma-Gamma model
    (nu ~ Gamma(q, rate gamma) per customer, each value ~ Gamma(p, rate nu)); otherwise revenue is 1.
    """
    unit = check_time_unit(time_unit)
    summary = simulate_bgnbd(n, r, alpha, a, b, T, seed)
    rng = np.random.default_rng(None if seed is None else seed + 1)
    x = summary["frequency"].to_numpy()
    t_x = summary["recency"].to_numpy()
    t = summary["T"].to_numpy()
    end_day = one_day(end)
    first_day = end_day - np.round(t * unit).astype(np.int64)
    cust = np.repeat(np.arange(n), x + 1)
    # offsets within each customer's block: 0 for the first purchase, then x-1 uniforms, then t_x
    starts = np.r_[0, np.cumsum(x + 1)[:-1]]
    pos = np.arange(cust.size) - starts[cust]
    times = rng.uniform(0.0, 1.0, cust.size) * t_x[cust]
    times[pos == 0] = 0.0
    last = pos == x[cust]
    times[last & (x[cust] > 0)] = t_x[cust][last & (x[cust] > 0)]
    days = first_day[cust] + np.round(times * unit).astype(np.int64)
    days = np.minimum(days, end_day)
    if spend is None:
        revenue = np.ones(cust.size)
    else:
        sp, sq, sg = param_vector(list(spend), ("p", "q", "gamma"))
        nu = rng.gamma(sq, 1.0 / sg, n)
        revenue = rng.gamma(sp, 1.0 / nu[cust])
    width = len(str(n))
    ids = np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), width))
    return pd.DataFrame(
        {
            "customer_id": ids[cust],
            "date": days.astype("datetime64[D]").astype("datetime64[ns]"),
            "revenue": np.round(revenue, 2),
        }
    )
