r"""The integer programme behind the plan, solved with scipy.optimize.milp (HiGHS).

For candidates j (rows of a candidates frame) with expected gain g_j, cost c_j and hours t_jr::

    maximise    Σ_j g_j x_j
    subject to  Σ_j c_j x_j <= B                      (budget, when given)
                Σ_j t_jr x_j <= T_r   for each role r  (capacity per role; or Σ_r t_jr for one pool)
                Σ_{j in s} x_j <= 1   for each set s   (s = a customer's candidates of one group:
                                                        at most one action per group, so a
                                                        customer gets one action or one
                                                        compatible bundle)
                x_j in {0, 1}

Only eligible candidates enter: g_j > 0 and, with a minimum return m, g_j >= m·c_j. Candidates that
exceed a limit on their own can never be chosen and are dropped too. Both reductions keep the optimum.

Instances of at most ``EXACT_LIMIT`` eligible candidates are solved exactly (mip_rel_gap 0), larger
ones within ``DEFAULT_GAP`` = 0.001 unless told otherwise. Up to ``DIRECT_LIMIT`` candidates milp
gets the whole instance; above it, milp solves a *core*, with the gap proven for the whole instance:

1. Dual prices λ >= 0 of the limits from the LP relaxation (HiGHS, via linprog), by column
   generation over each set's cheap choices: on a random sample of 2,000 sets (limits scaled to its
   share), then on the whole instance from there; when that restricted LP grows too large (many sets
   in the plan), on a sample of 20,000 sets instead. Any λ >= 0 gives a valid bound in step 2; a
   better λ only gives a tighter bound and a smaller core.
2. Lagrangian bound. With d_j = g_j - λ·r_j, h_s = max(0, max_{j in s} d_j) and
   L = λ·b + Σ_s h_s, every feasible plan x satisfies Σ g_j x_j <= L - Σ_s π_s(x), where the
   penalty of a set's choice is π = h_s - d_j for candidate j and h_s for no action: L bounds the
   optimum, and a plan deviating from a set's cheapest choice pays that penalty.
3. Core. Sets whose second-cheapest choice costs more than τ are fixed to their cheapest choice
   (τ starts at the 1,000th smallest such penalty, and grows until the fixed part fits the limits);
   in the other sets only candidates with π <= τ stay; milp solves what is left with the limits minus
   the fixed part. Any plan outside the core pays at least π_min > τ, so the optimum is at most
   U = max(bound of the core milp, L - π_min). While U exceeds (1 + gap) times the best plan z found:
   if the LP over the core's sets gives prices with a lower L, the core is rebuilt around them;
   otherwise τ grows towards L - (1 + gap)·z, which proves the gap in the next round (freeing at most
   four times as many sets per round; at τ = ∞ the core is the whole instance).

The reported ``bound`` is the lowest such U (or milp's dual bound for direct solves); ``gap`` =
(bound - value) / value. No search of our own picks the plan: it is milp's solution of the core plus
the fixed sets, the best of the rounds.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from tools.plan.candidates import Candidates

Capacity = float | Mapping[str, float] | None
#: Instances with at most this many eligible candidates are solved exactly (gap 0) by default.
EXACT_LIMIT = 5_000
#: MIP relative gap for larger instances.
DEFAULT_GAP = 1e-3
#: Instances with at most this many eligible candidates go to milp whole (no core).
DIRECT_LIMIT = 500
_SAMPLE_SETS = (2_000, 20_000)  # sets in the sampled LPs giving first and refined dual prices
_MARGIN_SETS = 1_000  # sets near the margin in the first LP / core round
_LP_ROUNDS = 8
_LP_COLUMNS = 30_000  # largest restricted LP in the dual-price rounds
_CORE_ROUNDS = 6
_TOL = 1e-9


@dataclass(frozen=True)
class Limits:
    """The resource rows: names ("budget", "hours" for one pool, "hours_<role>"), matrix K x n, limits."""

    names: tuple[str, ...]
    matrix: np.ndarray
    limits: np.ndarray


@dataclass(frozen=True)
class Solution:
    """Chosen candidates (positions in the frame solved), value, proven bound and how it was solved.

    ``status`` is "optimal" (gap 0), "within_gap" (gap <= the ``mip_rel_gap`` asked for),
    "gap_not_reached" (the core rounds ended above it) or "time_limit" (a milp call stopped early);
    ``gap`` is the achieved relative gap either way; ``solved_candidates`` is how many
    binaries milp saw after the reductions (0 when no limit binds and no solve was needed).
    """

    chosen: np.ndarray
    objective: float
    bound: float
    status: str
    mip_rel_gap: float
    solved_candidates: int
    seconds: float

    @property
    def gap(self) -> float:
        """Achieved relative gap (bound - objective) / |objective| (0 when proven optimal)."""
        return _relative_gap(self.objective, self.bound)


def limits(frame: pd.DataFrame, budget: float | None, capacity: Capacity) -> Limits:
    """Resource rows for ``budget`` (money) and ``capacity`` (hours: one pool, or per role; None = none).

    Roles absent from a capacity mapping are not limited.
    """
    names: list[str] = []
    rows: list[np.ndarray] = []
    caps: list[float] = []

    def add(name: str, row: np.ndarray, cap: float) -> None:
        if not cap >= 0:
            raise ValueError(f"{name} limit must be >= 0, got {cap}")
        names.append(name)
        rows.append(np.asarray(row, dtype=float))
        caps.append(float(cap))

    if budget is not None:
        add("budget", frame["cost"].to_numpy(), budget)
    if isinstance(capacity, Mapping):
        for role, cap in sorted(capacity.items()):
            col = Candidates.hours_column(role)
            add(col, frame[col].to_numpy() if col in frame.columns else np.zeros(len(frame)), cap)
    elif capacity is not None:
        add("hours", frame["hours"].to_numpy(), capacity)
    matrix = np.vstack(rows) if rows else np.zeros((0, len(frame)))
    return Limits(tuple(names), matrix, np.asarray(caps, dtype=float))


def eligible(frame: pd.DataFrame, gain: str = "gain_mid", min_return: float | None = None) -> np.ndarray:
    """Mask of candidates worth doing: gain > 0 and, with ``min_return`` m, gain >= m x cost."""
    g = frame[gain].to_numpy(dtype=float)
    ok = g > 0
    if min_return is not None:
        ok &= g >= min_return * frame["cost"].to_numpy(dtype=float)
    return ok


def solve(
    frame: pd.DataFrame,
    *,
    budget: float | None,
    capacity: Capacity = None,
    gain: str = "gain_mid",
    min_return: float | None = None,
    mip_rel_gap: float | None = None,
    time_limit: float | None = None,
    direct_limit: int = DIRECT_LIMIT,
    large_gap: float = DEFAULT_GAP,
) -> Solution:
    """The plan maximising Σ ``gain`` under the budget and capacity limits (module docstring).

    Parameters
    ----------
    frame
        Candidates (``Candidates.frame``): customer_id, group, cost, hours, hours_<role>, ``gain``.
    budget, capacity
        Money limit and hours limit(s); None = unlimited.
    gain
        The gain column to maximise (gain_mid; gain_low / gain_high for sensitivity).
    min_return
        Only candidates with gain >= min_return x cost.
    mip_rel_gap
        Relative MIP gap; default 0 up to EXACT_LIMIT eligible candidates, else ``large_gap``.
    time_limit
        Seconds for each milp call (None: no limit).
    direct_limit
        Up to this many eligible candidates milp solves the whole instance, above it a core.
    large_gap
        The default gap above EXACT_LIMIT candidates (DEFAULT_GAP; the curve uses a looser one).
    """
    start = time.perf_counter()
    res = limits(frame, budget, capacity)
    ok = eligible(frame, gain, min_return)
    ok &= np.all(res.matrix <= res.limits[:, None] * (1 + _TOL), axis=0)
    idx = np.flatnonzero(ok)
    groups, group_names = pd.factorize(frame["group"].to_numpy()[idx])
    customers = pd.factorize(frame["customer_id"].to_numpy()[idx])[0]
    sets = pd.factorize(customers.astype(np.int64) * max(len(group_names), 1) + groups)[0]
    order = np.argsort(sets, kind="stable")
    idx, sets = idx[order], sets[order]
    problem = _Problem(frame[gain].to_numpy(dtype=float)[idx], res.matrix[:, idx], res.limits, sets)
    gap = mip_rel_gap if mip_rel_gap is not None else (0.0 if len(idx) <= EXACT_LIMIT else large_gap)
    if not 0 <= gap <= 1:
        raise ValueError(f"mip_rel_gap must be in [0, 1], got {gap}")
    best = problem.cheapest(*problem.lagrangian(np.zeros(problem.k))[1:])
    if np.all(problem.r @ best <= problem.b * (1 + _TOL)):  # no limit binds: each set's best is optimal
        x, bound, status, solved = best, None, "optimal", 0
    elif len(idx) <= direct_limit:
        x, bound, status = _milp(
            problem.g, problem.r, problem.b, problem.sets, gap, time_limit, presolve=True
        )
        solved = len(idx)
    else:
        x, bound, status, solved = _solve_core(problem, gap, time_limit)
    value = float(problem.g[x].sum())
    bound = value if bound is None else max(bound, value)
    achieved = _relative_gap(value, bound)
    if status != "time_limit":
        status = "optimal" if achieved == 0 else "within_gap" if achieved <= gap + _TOL else "gap_not_reached"
    return Solution(idx[x], value, bound, status, gap, solved, time.perf_counter() - start)


def _relative_gap(value: float, bound: float) -> float:
    """(bound - value) / |value|, 0 when the difference is within rounding."""
    diff = max(bound - value, 0.0)
    return 0.0 if diff <= _TOL * max(1.0, abs(value)) else diff / max(abs(value), _TOL)


class _Problem:
    """Eligible candidates sorted by set: gains g, resource matrix r (K x n), limits b, set of each."""

    def __init__(self, g: np.ndarray, r: np.ndarray, b: np.ndarray, sets: np.ndarray) -> None:
        self.g, self.r, self.b, self.sets = g, r, b, sets
        self.k = len(b)
        self.n_sets = int(sets.max()) + 1 if len(sets) else 0
        self.starts = np.flatnonzero(np.r_[True, sets[1:] != sets[:-1]]) if len(sets) else np.zeros(0, int)

    def lagrangian(self, lam: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """(L(λ), d = g - λ·r per candidate, h_s per set)."""
        d = self.g - lam @ self.r
        h = np.maximum(np.maximum.reduceat(d, self.starts), 0.0) if len(d) else np.zeros(0)
        return float(lam @ self.b + h.sum()), d, h

    def cheapest(self, d: np.ndarray, h: np.ndarray) -> np.ndarray:
        """Mask of each set's cheapest choice: its best candidate when d_j > 0 (first of ties)."""
        on = np.flatnonzero((d >= h[self.sets]) & (d > 0))
        first = np.r_[True, self.sets[on][1:] != self.sets[on][:-1]] if len(on) else np.zeros(0, bool)
        mask = np.zeros(len(self.g), dtype=bool)
        mask[on[first]] = True
        return mask

    def penalties(self, lam: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """(L, π_j per candidate, π of the second-cheapest choice per set, mask of cheapest choices)."""
        big_l, d, h = self.lagrangian(lam)
        pen = np.maximum(h[self.sets] - d, 0.0)
        min_cand = np.minimum.reduceat(pen, self.starts)
        at_min = np.flatnonzero(pen == min_cand[self.sets])
        first = at_min[np.r_[True, self.sets[at_min][1:] != self.sets[at_min][:-1]]]
        rest = pen.copy()
        rest[first] = np.inf
        second_cand = np.minimum.reduceat(rest, self.starts)
        # choices of a set: its candidates and "no action" (penalty h_s); the cheapest costs 0
        second = np.where(h > 0, np.minimum(h, second_cand), min_cand)
        return big_l, pen, second, self.cheapest(d, h)

    def subset(self, keep: np.ndarray, b: np.ndarray) -> _Problem:
        return _Problem(self.g[keep], self.r[:, keep], b, pd.factorize(self.sets[keep])[0])


@dataclass(frozen=True)
class _Margin:
    """Sets near the margin at λ: free sets, the fixed cheapest choices elsewhere, limits left, τ."""

    free_set: np.ndarray  # per set: free
    free: np.ndarray  # per candidate: its set is free
    fixed: np.ndarray  # per candidate: the fixed choice of a set that is not free
    b_left: np.ndarray
    tau: float


def _margin(problem: _Problem, second: np.ndarray, cheapest: np.ndarray, tau: float) -> _Margin:
    """Free the sets whose second-cheapest choice costs at most τ, more until the fixed part fits."""
    ranked = np.sort(second)
    k = int(np.searchsorted(ranked, tau, side="right"))
    while True:
        free_set = second <= tau
        fixed = cheapest & ~free_set[problem.sets]
        b_left = problem.b - problem.r[:, fixed].sum(axis=1)
        if np.all(b_left >= -_TOL * np.maximum(problem.b, 1.0)) or k >= len(ranked):
            return _Margin(free_set, free_set[problem.sets], fixed, np.maximum(b_left, 0.0), tau)
        k = min(len(ranked), 2 * max(k, 1))
        tau = float(ranked[k - 1])


def _solve_core(
    problem: _Problem, gap: float, time_limit: float | None
) -> tuple[np.ndarray, float, str, int]:
    """Core solve with a proven bound (module docstring, steps 1-3): (plan, bound, status, core size).

    Each round solves the core at the current λ and keeps the best plan and the lowest valid bound
    (every L(λ) and every core certificate bounds the optimum). When the gap is not proven, the dual
    prices of the core's LP (the free sets with the limits left) replace λ if they give a lower L;
    otherwise the core grows, at most fourfold per round, towards τ = L - (1 + gap)·z.
    """
    lam = _dual_prices(problem)
    big_l, pen, second, cheapest = problem.penalties(lam)
    best_x, best_value, bound, status, solved = np.zeros(len(problem.g), dtype=bool), 0.0, big_l, "solved", 0
    tau = _quantile(second, _MARGIN_SETS)
    for _ in range(_CORE_ROUNDS):
        m = _margin(problem, second, cheapest, tau)
        core = m.free & (pen <= m.tau)
        sub = problem.subset(core, m.b_left)
        fixed_gain = float(problem.g[m.fixed].sum())
        # milp's gap is relative to the core's value; the fixed part adds to value and bound alike
        core_gap = min(1.0, gap * big_l / max(big_l - fixed_gain, _TOL))
        x_core, core_bound, status = _milp(
            sub.g, sub.r, sub.b, sub.sets, core_gap, time_limit, presolve=False
        )
        x = m.fixed.copy()
        x[np.flatnonzero(core)[x_core]] = True
        value, solved = float(problem.g[x].sum()), max(solved, int(core.sum()))
        if value > best_value:
            best_x, best_value = x, value
        outside = np.r_[second[~m.free_set], pen[m.free & ~core]]
        pi_min = outside.min() if len(outside) else np.inf
        bound = min(bound, max(fixed_gain + core_bound, big_l - pi_min))
        if status == "time_limit" or bound <= best_value * (1 + gap) + _TOL * max(1.0, abs(best_value)):
            break
        n_free = int(m.free_set.sum())
        new_lam = _lp(problem.subset(m.free, m.b_left))[0]
        new_l = problem.lagrangian(new_lam)[0]
        if new_l < big_l:  # better prices: a tighter L and a core around the right margin
            lam, (big_l, pen, second, cheapest) = new_lam, problem.penalties(new_lam)
            bound, tau = min(bound, big_l), _quantile(second, n_free)
            continue
        # grow towards the τ that proves the gap, freeing at most four times the sets per round
        tau = max(
            tau,
            min(
                big_l - best_value * (1 + gap),
                _quantile(second, 4 * n_free) if 4 * n_free < problem.n_sets else np.inf,
            ),
        )
    return best_x, bound, status, solved


def _dual_prices(problem: _Problem) -> np.ndarray:
    """λ from the LP relaxation (module docstring, step 1).

    Column generation on the whole instance, started from the prices of a small random sample of
    sets (limits scaled to its share). When its restricted LP outgrows ``_LP_COLUMNS`` (many sets in
    the plan), the prices are refined by column generation on a larger sample instead; the λ with
    the lowest L(λ) is kept.
    """
    lam = _column_generation(_sample(problem, _SAMPLE_SETS[0]), np.zeros(problem.k))[0]
    lam, converged = _column_generation(problem, lam)
    if converged or problem.n_sets <= _SAMPLE_SETS[0]:
        return lam
    refined = _column_generation(_sample(problem, _SAMPLE_SETS[1]), lam)[0]
    return min((lam, refined), key=lambda x: problem.lagrangian(x)[0])


def _sample(problem: _Problem, n_sets: int) -> _Problem:
    """A random sample of ``n_sets`` sets (fixed seed) with the limits scaled to its share."""
    n = min(problem.n_sets, n_sets)
    picked = np.zeros(problem.n_sets, dtype=bool)
    picked[np.random.default_rng(0).choice(problem.n_sets, n, replace=False)] = True
    return problem.subset(picked[problem.sets], problem.b * n / problem.n_sets)


def _column_generation(problem: _Problem, lam: np.ndarray) -> tuple[np.ndarray, bool]:
    """(best λ found, whether the LP was solved) by column generation from ``lam``.

    The restricted LP keeps every column it held and gains, each round, the candidates whose
    penalty at the current λ is 0 or among the ``_MARGIN_SETS`` smallest of those left out. Its value
    is a lower bound of the LP and L(λ) of its dual prices an upper bound: the rounds stop when the two
    meet, or before the restricted LP would exceed ``_LP_COLUMNS`` columns (any λ >= 0 gives a valid
    bound; a looser one only makes the core larger).
    """
    best_l, best_lam = problem.lagrangian(lam)[0], lam
    columns = np.zeros(len(problem.g), dtype=bool)
    for _ in range(_LP_ROUNDS):
        _, pen, _, _ = problem.penalties(lam)
        out = ~columns
        columns |= out & (pen <= _quantile(pen[out & (pen > 0)], _MARGIN_SETS))
        if columns.sum() > _LP_COLUMNS:
            break
        lam, lp_value = _lp(problem.subset(columns, problem.b))
        big_l = problem.lagrangian(lam)[0]
        if big_l < best_l:
            best_l, best_lam = big_l, lam
        if best_l - lp_value <= _TOL * max(1.0, abs(best_l)):
            return best_lam, True
    return best_lam, False


def _quantile(values: np.ndarray, k: int) -> float:
    """The k-th smallest value (k counted from 1; the largest when k >= len)."""
    if not len(values):
        return 0.0
    return float(np.partition(values, min(k, len(values)) - 1)[min(k, len(values)) - 1])


def _constraints(r: np.ndarray, b: np.ndarray, sets: np.ndarray) -> tuple[sparse.csr_array, np.ndarray]:
    """Resource rows plus one "at most one" row per set with two or more candidates."""
    n = len(sets)
    counts = np.bincount(sets) if n else np.zeros(0, int)
    multi = counts[sets] > 1
    rows = pd.factorize(sets[multi])[0]
    gub = sparse.csr_array(
        (np.ones(len(rows)), (rows, np.flatnonzero(multi))), shape=(int(rows.max(initial=-1)) + 1, n)
    )
    return sparse.vstack([sparse.csr_array(r), gub]).tocsr(), np.r_[b, np.ones(gub.shape[0])]


def _lp(problem: _Problem) -> tuple[np.ndarray, float]:
    """Dual prices of the limits (>= 0) and the value of the LP relaxation of ``problem``."""
    if not len(problem.g):
        return np.zeros(problem.k), 0.0
    a, ub = _constraints(problem.r, problem.b, problem.sets)
    res = linprog(-problem.g, A_ub=a, b_ub=ub, bounds=(0, 1), method="highs-ds", options={"presolve": False})
    if res.status != 0:
        raise RuntimeError(f"LP relaxation failed: {res.message}")
    return np.maximum(-res.ineqlin.marginals[: problem.k], 0.0), float(-res.fun)


_STDOUT_LOCK = threading.Lock()
_STDOUT_STATE = {"depth": 0, "saved": -1}


@contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send what native code writes to file descriptor 1 to stderr while the block runs.

    HiGHS 1.12 prints "HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();" on
    stdout even when silent (ERGO-Code/HiGHS#2783), which would break ``custfin ask --json``. Nested and
    concurrent uses share one redirection (the first in saves fd 1, the last out restores it).
    """
    with _STDOUT_LOCK:
        if _STDOUT_STATE["depth"] == 0:
            sys.stdout.flush()
            _STDOUT_STATE["saved"] = os.dup(1)
            os.dup2(2, 1)
        _STDOUT_STATE["depth"] += 1
    try:
        yield
    finally:
        with _STDOUT_LOCK:
            _STDOUT_STATE["depth"] -= 1
            if _STDOUT_STATE["depth"] == 0:
                os.dup2(_STDOUT_STATE["saved"], 1)
                os.close(_STDOUT_STATE["saved"])


def _milp(
    g: np.ndarray,
    r: np.ndarray,
    b: np.ndarray,
    sets: np.ndarray,
    gap: float,
    time_limit: float | None,
    *,
    presolve: bool,
) -> tuple[np.ndarray, float, str]:
    """(chosen mask, proven upper bound, "solved" | "time_limit") of max g·x under the rows."""
    if not len(g):
        return np.zeros(0, dtype=bool), 0.0, "solved"
    a, ub = _constraints(r, b, sets)
    options: dict[str, float | bool] = {"mip_rel_gap": gap, "presolve": presolve}
    if time_limit is not None:
        options["time_limit"] = time_limit
    with stdout_to_stderr():
        res = milp(
            -g,
            integrality=np.ones(len(g)),
            bounds=Bounds(0, 1),
            constraints=LinearConstraint(a, -np.inf, ub),
            options=options,
        )
    if res.x is None:
        raise RuntimeError(f"milp found no plan: {res.message}")
    x = res.x > 0.5
    if np.any(r @ x > b + 1e-7 * np.maximum(np.abs(b), 1.0)):
        raise RuntimeError("milp returned a plan over a limit")
    dual = getattr(res, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and np.isfinite(dual) else float(g[x].sum())
    return x, bound, "time_limit" if res.status == 1 else "solved"
