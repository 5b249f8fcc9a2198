"""Kaplan-Meier survival curves and the log-rank test (numpy/scipy).

lifelines would be the natural library, but its releases cap pandas < 3, and this project runs on
pandas 3; the two estimators below are short, classical and checked against published results
(Freireich et al. 1963 leukaemia remission data, as analysed in Kleinbaum & Klein, *Survival
Analysis: A Self-Learning Text*, 3rd ed., 2012) in tests/unit/test_survival.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class KaplanMeier:
    """A fitted Kaplan-Meier curve.

    S(t) = prod_{t_i <= t} (1 - d_i / n_i), over the distinct event times t_i, with d_i events and
    n_i subjects at risk just before t_i (censored subjects count as at risk up to their time). With
    delayed entry (left truncation) the risk set at t is {j : entry_j < t <= duration_j}.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1])
    >>> np.round(km.survival, 3).tolist()
    [0.75, 0.5, 0.0]
    >>> km.median
    2.0
    """

    times: np.ndarray  # distinct event times (ascending)
    survival: np.ndarray  # S(t) just after each event time
    at_risk: np.ndarray
    events: np.ndarray

    @property
    def median(self) -> float | None:
        """Smallest time with S(t) <= 0.5; None when the curve never falls that far (not reached)."""
        below = np.nonzero(self.survival <= 0.5)[0]
        return float(self.times[below[0]]) if below.size else None

    def at(self, t: float) -> float:
        """S(t): the curve's value at time t (1.0 before the first event)."""
        idx = np.searchsorted(self.times, t, side="right") - 1
        return 1.0 if idx < 0 else float(self.survival[idx])


def _validated(
    durations: object, observed: object, entry: object | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrays (t, e, entry); subjects whose entry is not before their duration are dropped."""
    t = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    a = np.zeros_like(t) if entry is None else np.asarray(entry, dtype=float)
    if t.shape != e.shape or t.shape != a.shape or t.ndim != 1:
        raise ValueError("durations, observed and entry must be 1-D and of the same length")
    if t.size == 0:
        raise ValueError("no subjects")
    if np.isnan(t).any() or (t < 0).any() or np.isnan(a).any():
        raise ValueError("durations must be non-negative numbers")
    keep = (a < t) | ((a == 0) & (t == 0))
    return t[keep], e[keep], a[keep]


def _risk_counts(
    t: np.ndarray, e: np.ndarray, a: np.ndarray, times: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Subjects at risk (entry < time <= duration; entry 0 counts from time 0) and events at each time."""
    ts, started = np.sort(t), np.sort(a[a > 0])
    at_risk = (ts.size - np.searchsorted(ts, times, side="left")) - (
        started.size - np.searchsorted(started, times, side="left")
    )
    ev = np.sort(t[e])
    events = np.searchsorted(ev, times, side="right") - np.searchsorted(ev, times, side="left")
    return at_risk.astype(float), events.astype(float)


def kaplan_meier(durations: object, observed: object, entry: object | None = None) -> KaplanMeier:
    """Fit the Kaplan-Meier estimator; ``observed`` is 1/True for an event, 0/False for censored;
    ``entry`` (optional) is each subject's delayed-entry time."""
    t, e, a = _validated(durations, observed, entry)
    times = np.unique(t[e])
    at_risk, events = _risk_counts(t, e, a, times)
    survival = np.cumprod(1.0 - events / at_risk)
    return KaplanMeier(times, survival, at_risk, events)


@dataclass(frozen=True)
class LogRank:
    """Log-rank test result: chi-square statistic, degrees of freedom, p-value, observed/expected."""

    statistic: float
    dof: int
    p_value: float
    observed: np.ndarray
    expected: np.ndarray


def logrank(durations: object, observed: object, groups: object, entry: object | None = None) -> LogRank:
    """Log-rank (Mantel-Cox) test that k groups share one survival curve (delayed entry allowed).

    At each distinct event time j, over the risk sets of ``kaplan_meier``: E_gj = d_j n_gj / n_j;
    U = sum_j (O_gj - E_gj);
    V_gh = sum_j d_j (n_j - d_j) / (n_j - 1) * n_gj / n_j * (1[g = h] - n_hj / n_j);
    chi2 = U' V^-1 U over the first k - 1 groups, with k - 1 degrees of freedom.
    """
    g_all = np.asarray(groups)
    if g_all.shape != np.shape(durations):
        raise ValueError("groups must have one label per subject")
    t_all = np.asarray(durations, dtype=float)
    a_all = np.zeros(t_all.shape) if entry is None else np.asarray(entry, dtype=float)
    keep = (a_all < t_all) | ((a_all == 0) & (t_all == 0))
    t, e, a = _validated(t_all[keep], np.asarray(observed)[keep], a_all[keep])
    labels, gi = np.unique(g_all[keep], return_inverse=True)
    k = labels.size
    if k < 2:
        raise ValueError("the log-rank test needs at least two groups")
    times = np.unique(t[e])
    counts = [_risk_counts(t[gi == i], e[gi == i], a[gi == i], times) for i in range(k)]
    at_risk = np.stack([c[0] for c in counts])
    events = np.stack([c[1] for c in counts])
    n, d = at_risk.sum(axis=0), events.sum(axis=0)
    live = n > 0
    at_risk, events, n, d = at_risk[:, live], events[:, live], n[live], d[live]
    share = at_risk / n
    expected = (d * share).sum(axis=1)
    observed_ = events.sum(axis=1)
    factor = np.where(n > 1, d * (n - d) / np.maximum(n - 1, 1), 0.0)
    v = np.einsum("j,gj,hj->gh", factor, share, -share)
    v[np.diag_indices(k)] += (factor * share).sum(axis=1)
    u = (observed_ - expected)[:-1]
    statistic = float(u @ np.linalg.solve(v[:-1, :-1], u))
    return LogRank(statistic, k - 1, float(stats.chi2.sf(statistic, k - 1)), observed_, expected)
