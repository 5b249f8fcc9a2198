"""Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Fader & Hardie note 009): log-likelihood and
fitter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tools.clv.base import TransactionModel
from tools.clv.common import check_rfm_inputs
from tools.clv.numerics import arr, as_output, one_minus_power_over, param_vector

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------------------------------
# Pareto/NBD likelihood
# --------------------------------------------------------------------------------------------------
def _log_hyp2f1_c_plus_1(c: np.ndarray, b: np.ndarray, z: np.ndarray) -> np.ndarray:
    """log 2F1(c, b; c+1; z) for 0 <= z < 1, with the Pfaff transformation where 2F1 overflows.

    Pfaff: 2F1(c, b; c+1; z) = (1-z)^(-b) 2F1(1, b; c+1; z/(z-1)); the second factor lies in (0, 1]
    because c + 1 > b (Euler's integral), so it never overflows.
    """
    from scipy import special  # lazy: scipy is slow to import

    with np.errstate(all="ignore"):
        direct = special.hyp2f1(c, b, c + 1.0, z)
        out = np.log(direct)
    bad = ~np.isfinite(out)
    if np.any(bad):
        cb, bb, zb = (np.broadcast_to(v, out.shape)[bad] for v in (c, b, z))
        out[bad] = -bb * np.log1p(-zb) + np.log(special.hyp2f1(1.0, bb, cb + 1.0, zb / (zb - 1.0)))
    return out


def _pareto_log_a0(
    r: float, alpha: float, s: float, beta: float, x: np.ndarray, t_x: np.ndarray, T: np.ndarray
) -> np.ndarray:
    r"""log of :math:`A_0 = \int_{t_x}^{T} (\alpha+\tau)^{-(r+x)} (\beta+\tau)^{-(s+1)} d\tau`.

    With :math:`I(y) = \int_y^\infty \ldots d\tau = \frac{{}_2F_1(r+s+x, b^*; r+s+x+1; z(y))}
    {(r+s+x)\,(m+y)^{r+s+x}}`, :math:`m = \max(\alpha, \beta)`,
    :math:`z(y) = |\alpha-\beta| / (m + y)` and :math:`b^* = s+1` if :math:`\alpha \ge \beta`, else
    :math:`r+x` (the standard branch that keeps :math:`0 \le z < 1`); :math:`A_0 = I(t_x) - I(T)`.
    """
    c = r + s + x
    if alpha >= beta:
        m, d, bstar = alpha, alpha - beta, np.full(x.shape, s + 1.0)
    else:
        m, d, bstar = beta, beta - alpha, r + x
    log_i_tx = _log_hyp2f1_c_plus_1(c, bstar, d / (m + t_x)) - c * np.log(m + t_x) - np.log(c)
    log_i_T = _log_hyp2f1_c_plus_1(c, bstar, d / (m + T)) - c * np.log(m + T) - np.log(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = np.minimum(log_i_T - log_i_tx, 0.0)
        return log_i_tx + np.log(-np.expm1(diff))


def _pareto_ll(log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    from scipy import special  # lazy: scipy is slow to import

    r, alpha, s, beta = np.exp(log_params)
    log_a0 = _pareto_log_a0(r, alpha, s, beta, x, t_x, T)
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    return (
        special.gammaln(r + x)
        - special.gammaln(r)
        + r * math.log(alpha)
        + s * math.log(beta)
        + np.logaddexp(alive, math.log(s) + log_a0)
    )


def pareto_nbd_log_likelihood(
    params: Sequence[float] | dict[str, float], frequency: Any, recency: Any, T: Any
) -> np.ndarray:
    r"""Per-customer Pareto/NBD log-likelihood (Fader & Hardie, note 009, equation 18).

    .. math::

        L(r, \alpha, s, \beta \mid x, t_x, T) = \frac{\Gamma(r+x)\,\alpha^r \beta^s}{\Gamma(r)}
        \left[ \frac{1}{(\alpha+T)^{r+x} (\beta+T)^s} + s\,A_0 \right],\qquad
        A_0 = \int_{t_x}^{T} (\alpha+\tau)^{-(r+x)} (\beta+\tau)^{-(s+1)}\,d\tau

    where :math:`A_0` is evaluated with Gauss's hypergeometric function on the branch
    :math:`\alpha \ge \beta` / :math:`\alpha < \beta` that keeps its argument in [0, 1)
    (equivalently, note 009's :math:`\frac{s}{r+s+x} A_0` with its 2F1 differences).
    """
    p = param_vector(params, ("r", "alpha", "s", "beta"))
    x, t_x, t = check_rfm_inputs(frequency, recency, T)
    return _pareto_ll(np.log(p), x, t_x, t)


class ParetoNBDFitter(TransactionModel):
    r"""Pareto/NBD model (Schmittlein, Morrison & Colombo 1987; Fader & Hardie note 009).

    Purchase rate :math:`\lambda \sim \mathrm{Gamma}(r, \alpha)`, exponential lifetime with dropout
    rate :math:`\mu \sim \mathrm{Gamma}(s, \beta)`. Likelihood (note 009, equation 18):

    .. math::

        L = \frac{\Gamma(r+x)\,\alpha^r \beta^s}{\Gamma(r)}
        \left[ \frac{1}{(\alpha+T)^{r+x} (\beta+T)^s} + \frac{s}{r+s+x} A_0 \right]

    where, for :math:`\alpha \ge \beta`,

    .. math::

        A_0 = \frac{{}_2F_1(r+s+x, s+1; r+s+x+1; \frac{\alpha-\beta}{\alpha+t_x})}
                   {(\alpha+t_x)^{r+s+x}}
            - \frac{{}_2F_1(r+s+x, s+1; r+s+x+1; \frac{\alpha-\beta}{\alpha+T})}{(\alpha+T)^{r+s+x}}

    and for :math:`\alpha < \beta` the roles swap (:math:`\beta` in the denominators, second 2F1
    parameter :math:`r+x`), which keeps the 2F1 argument in [0, 1). Computed in logs; the gradient
    is by central differences (4 parameters).

    Examples
    --------
    >>> import numpy as np
    >>> from tools.clv import simulate_bgnbd
    >>> sim = simulate_bgnbd(5000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=np.linspace(13, 78, 5000), seed=1)
    >>> pnbd = ParetoNBDFitter().fit(sim["frequency"], sim["recency"], sim["T"])
    >>> round(pnbd.r_, 2), round(pnbd.s_, 2)
    (0.53, 0.63)
    >>> float(pnbd.conditional_probability_alive(0, 0.0, 78.0)) < 1
    True
    """

    _param_names = ("r", "alpha", "s", "beta")
    _model_name = "Pareto/NBD"
    _has_gradient = False
    _time_params = ("alpha", "beta")

    def _row_ll(
        self, log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, grad: bool
    ) -> tuple[np.ndarray, np.ndarray | None]:
        return _pareto_ll(log_params, x, t_x, T), None

    def _log_odds_dead(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        r, alpha, s, beta = (self.params_[k] for k in self._param_names)
        shape = np.broadcast_shapes(x.shape, t_x.shape, T.shape)
        x, t_x, T = (np.broadcast_to(v, shape).astype(float) for v in (x, t_x, T))
        log_a0 = _pareto_log_a0(r, alpha, s, beta, x, t_x, T)
        return math.log(s) + log_a0 + (r + x) * np.log(alpha + T) + s * np.log(beta + T)

    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        r"""P(alive | x, t_x, T) = :math:`\left[1 + s A_0 (\alpha+T)^{r+x} (\beta+T)^s\right]^{-1}`
        (note 009, equation 36, with :math:`A_0` the integral of :func:`_pareto_log_a0`)."""
        from scipy import special  # lazy: scipy is slow to import

        self._require_fitted()
        x, t_x, t = (arr(v) for v in (frequency, recency, T))
        return as_output(special.expit(-self._log_odds_dead(x, t_x, t)), frequency, recency, T)

    def _expected_grid(self, ts: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        r"""Conditional expectation (note 009, equation 41):

        .. math::

            E[Y(t) \mid x, t_x, T] = \frac{(r+x)(\beta+T)}{(\alpha+T)(s-1)}
            \left[1 - \left(\frac{\beta+T}{\beta+T+t}\right)^{s-1}\right] P(\text{alive})
        """
        return self._expected_rows(np.asarray(ts, dtype=float)[None, :], x[:, None], t_x[:, None], T[:, None])

    def _expected_rows(self, t: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        from scipy import special  # lazy: scipy is slow to import

        r, alpha, s, beta = (self.params_[k] for k in self._param_names)
        p_alive = special.expit(-self._log_odds_dead(x, t_x, T))
        shape = one_minus_power_over(s - 1.0, np.log1p(t / (beta + T)))
        return (r + x) * (beta + T) / (alpha + T) * shape * p_alive

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        r""":math:`E[X(t)] = \frac{r\beta}{\alpha(s-1)}[1 - (\frac{\beta}{\beta+t})^{s-1}]`
        (note 009, equation 27)."""
        self._require_fitted()
        r, alpha, s, beta = (self.params_[k] for k in self._param_names)
        tt = arr(t)
        return as_output(r * beta / alpha * one_minus_power_over(s - 1.0, np.log1p(tt / beta)), t)
