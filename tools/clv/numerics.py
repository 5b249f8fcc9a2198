"""Numerics shared by every model family: collapsing identical rows into weights, the maximiser
(BFGS with analytic gradients, L-BFGS-B fallback, Newton polish), Hessians from gradients, and
parameter-vector handling.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tools.clv.common import (
    FLAT_CURVATURE,
    GTOL_OK,
    GTOL_WARN,
    LOG_PARAM_LIMIT,
    ConvergenceError,
    ConvergenceWarning,
)

if TYPE_CHECKING:
    from scipy import optimize


# --------------------------------------------------------------------------------------------------
# Shared numerics
# --------------------------------------------------------------------------------------------------
def group_rows(columns: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """Distinct rows of equal-length 1-D ``columns`` (sorted) and the inverse index of every row."""
    n = columns[0].size
    order = np.lexsort(tuple(columns[::-1]))
    sorted_cols = [c[order] for c in columns]
    new = np.ones(n, dtype=bool)
    if n > 1:
        new[1:] = np.logical_or.reduce([c[1:] != c[:-1] for c in sorted_cols])
    group = np.cumsum(new) - 1
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = group
    starts = np.flatnonzero(new)
    return [c[starts] for c in sorted_cols], inverse


def collapse(columns: Sequence[np.ndarray], weights: Any) -> tuple[list[np.ndarray], np.ndarray]:
    """Collapse identical rows of ``columns`` into unique rows with summed weights (zero weights dropped)."""
    n = columns[0].size
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.size != n:
        raise ValueError(f"weights has length {w.size}, expected {n}.")
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative.")
    uniq, inverse = group_rows(columns)
    uw = np.bincount(inverse, weights=w, minlength=uniq[0].size)
    keep = uw > 0
    return [c[keep] for c in uniq], uw[keep]


def _hessian_from_gradient(
    grad: Callable[[np.ndarray], np.ndarray], x: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    k = x.size
    H = np.empty((k, k))
    for i in range(k):
        e = np.zeros(k)
        e[i] = h
        H[:, i] = (grad(x + e) - grad(x - e)) / (2 * h)
    return (H + H.T) / 2


def maximise(
    neg_ll_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    x0: np.ndarray,
    names: Sequence[str],
    model: str,
    maxiter: int = 2000,
    gtol: float = 1e-11,
    hessian_step: float = 1e-5,
) -> tuple[np.ndarray, float, np.ndarray, optimize.OptimizeResult]:
    """Minimise a mean negative log-likelihood over log-parameters.

    BFGS with the analytic (or supplied) gradient to a gradient of 1e-6 (bounded L-BFGS-B as
    fallback), then damped Newton steps with the finite-difference Hessian of the gradient until the
    largest gradient is below ``gtol`` or stops improving (quadratic convergence, so one or two steps).
    Returns (log-params, objective, Hessian, scipy result); raises :class:`ConvergenceError` when the
    result is not a proper maximum.
    """

    from scipy import optimize  # lazy: scipy is slow to import

    def safe(z: np.ndarray) -> tuple[float, np.ndarray]:
        with np.errstate(all="ignore"):
            f, g = neg_ll_and_grad(z)
        if not np.isfinite(f) or not np.all(np.isfinite(g)):
            return 1e300, np.zeros_like(z)  # line searches backtrack from non-finite regions
        return f, g

    # BFGS is the cheapest quasi-Newton driver for a handful of parameters; bounded L-BFGS-B is the
    # fallback when BFGS wanders off (non-finite likelihood) or stops far from a stationary point.
    res = optimize.minimize(safe, x0, jac=True, method="BFGS", options={"maxiter": maxiter, "gtol": 1e-6})
    if not (np.all(np.isfinite(res.x)) and np.max(np.abs(res.x)) < 30.0 and res.fun < 1e299) or (
        np.max(np.abs(res.jac)) > 1e-4
    ):
        alt = optimize.minimize(
            safe,
            x0 if not np.all(np.isfinite(res.x)) else np.clip(res.x, -29.0, 29.0),
            jac=True,
            method="L-BFGS-B",
            bounds=[(-30.0, 30.0)] * x0.size,
            options={"maxiter": maxiter, "ftol": 1e-15, "gtol": 1e-9, "maxcor": 20},
        )
        if alt.fun <= res.fun or not np.isfinite(res.fun):
            res = alt
    x = res.x.copy()
    f, g = safe(x)

    def grad(z: np.ndarray) -> np.ndarray:
        return safe(z)[1]

    H = _hessian_from_gradient(grad, x, hessian_step)
    try:
        np.linalg.cholesky(H)
        # a ridge towards a boundary (e.g. nobody drops out: a -> 0, b -> infinity) leaves a direction
        # with curvature at the noise level of the finite differences: flat, not a proper maximum
        eig = np.linalg.eigvalsh(H)
        newton = bool(eig[0] > FLAT_CURVATURE * eig[-1])
    except np.linalg.LinAlgError:
        newton = False
    for _ in range(10 if newton else 0):
        if np.max(np.abs(g)) < gtol:
            break
        step = -np.linalg.solve(H, g)
        t = 1.0
        improved = False
        while t > 1e-3:
            xn = x + t * step
            fn, gn = safe(xn)
            if fn <= f + 1e-13 * abs(f) and np.max(np.abs(gn)) < np.max(np.abs(g)):
                x, f, g, improved = xn, fn, gn, True
                break
            t /= 2
        if not improved:
            break

    if not np.isfinite(f) or f >= 1e299:
        raise ConvergenceError(f"{model}: the likelihood could not be evaluated near the optimum.")
    gmax = float(np.max(np.abs(g)))
    wild = [n for n, v in zip(names, x, strict=True) if abs(v) > LOG_PARAM_LIMIT]
    if wild:
        raise ConvergenceError(
            f"{model}: parameter(s) {', '.join(wild)} ran off to 0 or infinity "
            f"({', '.join(f'{n}={math.exp(v):.3g}' for n, v in zip(names, x, strict=True))}); "
            "the data do not identify this model (too few repeat purchases?)."
        )
    if not newton:
        raise ConvergenceError(
            f"{model}: no proper maximum - the likelihood is flat or curving up in some direction at "
            f"({', '.join(f'{n}={math.exp(v):.3g}' for n, v in zip(names, x, strict=True))}); "
            "the data do not identify this model (e.g. no visible heterogeneity or dropout)."
        )
    if gmax > GTOL_WARN:
        raise ConvergenceError(
            f"{model}: the optimiser stopped before a maximum (largest gradient {gmax:.2e}; {res.message})."
        )
    if gmax > GTOL_OK:
        warnings.warn(
            f"{model}: converged loosely (largest gradient {gmax:.2e}); parameters may be imprecise.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return x, float(f), H, res


def as_output(result: np.ndarray, *inputs: Any) -> Any:
    """Series when an input is a Series (its index), float for scalar results, else ndarray."""
    for v in inputs:
        if isinstance(v, pd.Series):
            out = np.broadcast_to(result, (len(v),)) if np.ndim(result) == 0 else result
            return pd.Series(np.asarray(out, dtype=float), index=v.index)
    if np.ndim(result) == 0:
        return float(result)
    return result


def arr(v: Any) -> np.ndarray:
    return np.asarray(v.to_numpy() if isinstance(v, pd.Series) else v, dtype=float)


def one_minus_power_over(s_minus_1: float, log_ratio: np.ndarray) -> np.ndarray:
    """[1 - exp(-(s-1) L)] / (s-1), stable as s -> 1 (limit L)."""
    if abs(s_minus_1) < 1e-12:
        return log_ratio
    return -np.expm1(-s_minus_1 * log_ratio) / s_minus_1


def param_vector(params: Sequence[float] | dict[str, float], names: Sequence[str]) -> np.ndarray:
    p = np.array([params[n] for n in names] if isinstance(params, dict) else list(params), dtype=float)
    if p.size != len(names) or np.any(~np.isfinite(p)) or np.any(p <= 0):
        raise ValueError(f"parameters {tuple(names)} must be {len(names)} positive numbers, got {params!r}.")
    return p


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """sum(a * b) without BLAS: OpenBLAS threads make ``a @ b`` many times slower on a busy machine."""
    return float(np.einsum("i,i->", a, b))
