"""Price sensitivity: constant price elasticity of demand from price/volume observations.

Model
-----
Pooled OLS with fixed effects (within estimator)::

    log(q_i) = a[cell(i)] + ε · log(p_i) + β · promotion_i + u_i

A cell is a product (and, when the data has them, product × segment × store), so ε is identified from
price moves *within* a product, never from one product being dearer than another. The regression is run on
variables demeaned within cells (Frisch-Waugh-Lovell: the same ε as with one dummy per cell), with
``numpy.linalg.lstsq``; se(ε) = sqrt(σ² (X'X)⁻¹), σ² = SSR / (n - k - cells), 95% CI = ε ± t(0.975, df)
se(ε) with ``scipy.stats.t``; R² is that of the full fixed-effects model (1 - SSR / SST around the
overall mean of log q). The promotion indicator enters when the data has a ``promotion`` column.

Price variation
---------------
ε needs prices that move: when the standard deviation of log price within cells (about the coefficient
of variation of price around each cell's own average) is below MIN_PRICE_VARIATION = 0.02, the tool
refuses with ToolInputError rather than report noise.

What-if (price change Δ, e.g. 0.05), an approximation valid near current prices::

    volume change        (1 + Δ)^ε - 1
    revenue change       (1 + Δ)^(1 + ε) - 1
    gross profit change  ((1 + Δ) - (1 - m)) / m · (1 + Δ)^ε - 1     (gross margin m = 1 - unit cost / price)

Example
-------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> logp = rng.normal(0, 0.2, 500)
>>> fit = fe_ols(-1.5 * logp + rng.normal(0, 0.1, 500), logp[:, None], np.zeros(500, dtype=np.int64))
>>> round(float(fit.coef_[0]), 1)
-1.5
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95



@dataclass
class FEFit:
    """Fixed-effects OLS fit (fitted values with a trailing underscore, lifelines style)."""

    coef_: np.ndarray
    se_: np.ndarray
    ci_low_: np.ndarray
    ci_high_: np.ndarray
    r_squared_: float
    r_squared_within_: float
    n_: int
    cells_: int
    df_: int


def _check_finite(name: str, values: np.ndarray) -> None:
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite; got {int((~np.isfinite(values)).sum())} non-finite values")


def demean(values: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Subtract each cell's mean from ``values`` (1-D or 2-D, rows aligned with integer ``cells``)."""
    counts = np.bincount(cells).astype(float)
    if values.ndim == 1:
        return values - (np.bincount(cells, weights=values) / counts)[cells]
    out = np.empty_like(values, dtype=float)
    for j in range(values.shape[1]):
        out[:, j] = values[:, j] - (np.bincount(cells, weights=values[:, j]) / counts)[cells]
    return out


def fe_ols(
    y: np.ndarray,
    x: np.ndarray,
    cells: np.ndarray,
    confidence: float = CONFIDENCE,
    demeaned: tuple[np.ndarray, np.ndarray] | None = None,
) -> FEFit:
    """OLS of ``y`` on the columns of ``x`` with one fixed effect per value of integer ``cells``.

    Parameters
    ----------
    y : (n,) response.
    x : (n, k) regressors (no constant: the cell effects absorb it).
    cells : (n,) integer codes 0..G-1 of the fixed-effect cells.
    confidence : level of the two-sided confidence intervals.
    demeaned : optional (ỹ, X̃), y and x already demeaned within ``cells`` (as ``demean`` does), to reuse.

    Returns
    -------
    FEFit with coefficients, standard errors sqrt(σ² diag((X̃'X̃)⁻¹)) where X̃ is x demeaned within cells and
    σ² = SSR / (n - k - G), t-based CIs with df = n - k - G, R² = 1 - SSR / Σ(y - ȳ)² (full model) and the
    within R² = 1 - SSR / Σ(ỹ)².
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float).reshape(len(y), -1)
    _check_finite("y", y)
    _check_finite("x", x)
    n, k = x.shape
    groups = int(cells.max()) + 1 if n else 0
    df = n - k - groups
    if df <= 0:
        raise ValueError(f"not enough observations: n={n}, regressors={k}, cells={groups}")
    if demeaned is None:
        yt, xt = demean(y, cells), demean(x, cells)
    else:
        yt, xt = np.asarray(demeaned[0], dtype=float), np.asarray(demeaned[1], dtype=float).reshape(n, k)
    coef, *_ = np.linalg.lstsq(xt, yt, rcond=None)
    resid = yt - xt @ coef
    ssr = float(resid @ resid)
    sigma2 = ssr / df
    xtx_inv = np.linalg.pinv(xt.T @ xt)
    se = np.sqrt(np.clip(np.diag(xtx_inv) * sigma2, 0.0, None))
    from scipy import stats  # lazy: heavy import

    tq = float(stats.t.ppf(0.5 + confidence / 2, df))
    sst = float(((y - y.mean()) ** 2).sum())
    sst_within = float(yt @ yt)
    return FEFit(
        coef_=coef,
        se_=se,
        ci_low_=coef - tq * se,
        ci_high_=coef + tq * se,
        r_squared_=1 - ssr / sst if sst > 0 else float("nan"),
        r_squared_within_=1 - ssr / sst_within if sst_within > 0 else float("nan"),
        n_=n,
        cells_=groups,
        df_=df,
    )


def price_variation(log_price: np.ndarray, cells: np.ndarray) -> float:
    """Standard deviation of log price within cells: sqrt(Σ (log p - cell mean)² / n)."""
    dev = demean(np.asarray(log_price, dtype=float), cells)
    return float(np.sqrt((dev**2).mean())) if len(dev) else 0.0


def what_if(elasticity: float, change: float, margin: float | None = None) -> dict[str, float | None]:
    """Relative changes in volume, revenue and gross profit for a relative price change.

    >>> r = what_if(-2.0, 0.10, margin=0.5)
    >>> round(r["volume_change"], 4), round(r["revenue_change"], 4), round(r["gross_profit_change"], 4)
    (-0.1736, -0.0909, -0.0083)
    """
    factor = 1 + change
    volume = factor**elasticity
    profit = None
    if margin is not None and margin > 0:
        profit = (factor - (1 - margin)) / margin * volume - 1
    return {"volume_change": volume - 1, "revenue_change": factor * volume - 1, "gross_profit_change": profit}
