"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Hardie's note 025):
log-likelihood, fitter and customer lifetime value.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from tools.clv.base import Fitter, TransactionModel
from tools.clv.common import (
    DAYS_PER_MONTH,
    MIN_CUSTOMERS,
    InsufficientDataError,
    StatisticalWarning,
    TimeUnit,
    check_monetary_inputs,
    check_time_unit,
)
from tools.clv.numerics import arr, as_output, collapse, dot, maximise, param_vector

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------------------------------
# Gamma-Gamma likelihood
# --------------------------------------------------------------------------------------------------
def _gg(
    log_params: np.ndarray,
    x: np.ndarray,
    m: np.ndarray,
    want_grad: bool,
    x_groups: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Per-row Gamma-Gamma log-likelihood and gradient (log-parameters).

    Terms that depend on x only (ln Gamma, digamma, ln x) are computed once per distinct x
    (``x_groups`` = (distinct x, inverse index)) and gathered.
    """
    from scipy import special  # lazy: scipy is slow to import

    p, q, g = np.exp(log_params)
    ux, inv = np.unique(x, return_inverse=True) if x_groups is None else x_groups
    pux = p * ux
    log_ux = np.log(ux)
    log_m = np.log(m)
    log_gxm = np.log(g + x * m)
    px = pux[inv]
    per_x = special.gammaln(pux + q) - special.gammaln(pux) + pux * log_ux
    ll = per_x[inv] - special.gammaln(q) + q * math.log(g) + (px - 1.0) * log_m - (px + q) * log_gxm
    if not want_grad:
        return ll, None
    psi_pxq_u = special.digamma(pux + q)
    psi_pxq = psi_pxq_u[inv]
    d_p = x * ((psi_pxq_u - special.digamma(pux) + log_ux)[inv] + log_m - log_gxm)
    d_q = psi_pxq - special.digamma(q) + math.log(g) - log_gxm
    d_g = q / g - (px + q) / (g + x * m)
    return ll, np.column_stack([p * d_p, q * d_q, g * d_g])


def gamma_gamma_log_likelihood(
    params: Sequence[float] | dict[str, float], frequency: Any, monetary_value: Any
) -> np.ndarray:
    r"""Per-customer Gamma-Gamma log-likelihood of the mean spend (Hardie's note 025, equation 1).

    Spend per transaction :math:`z \sim \mathrm{Gamma}(p, \nu)`, :math:`\nu \sim \mathrm{Gamma}(q,
    \gamma)` across customers; the mean :math:`\bar z = m` of :math:`x` transactions has density

    .. math::

        f(m \mid p, q, \gamma, x) = \frac{\Gamma(px+q)}{\Gamma(px)\,\Gamma(q)}
        \frac{\gamma^q\, m^{px-1}\, x^{px}}{(\gamma + m x)^{px+q}}
    """
    prm = param_vector(params, ("p", "q", "gamma"))
    x, m = check_monetary_inputs(frequency, monetary_value)
    return _gg(np.log(prm), x, m, False)[0]


class GammaGammaFitter(Fitter):
    r"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Hardie's note 025).

    A customer's transaction values are :math:`\mathrm{Gamma}(p, \nu)` with
    :math:`\nu \sim \mathrm{Gamma}(q, \gamma)` across customers, independent of the purchase process.
    Fitted on repeat buyers (x > 0) from their mean repeat spend :math:`m = \bar z`:

    .. math::

        \ell = \ln\Gamma(px+q) - \ln\Gamma(px) - \ln\Gamma(q) + q\ln\gamma + (px-1)\ln m
               + px \ln x - (px+q)\ln(\gamma + m x)

    with analytic gradient

    .. math::

        \partial_p \ell = x[\psi(px+q) - \psi(px) + \ln m + \ln x - \ln(\gamma+mx)],\quad
        \partial_q \ell = \psi(px+q) - \psi(q) + \ln\gamma - \ln(\gamma+mx),\quad
        \partial_\gamma \ell = q/\gamma - (px+q)/(\gamma+mx)

    Attributes
    ----------
    params_ : dict
        ``{"p", "q", "gamma"}`` (gamma in money units); also ``p_``, ``q_``, ``gamma_``.
    log_likelihood_ : float
        Maximised total log-likelihood (the density of the means, as in note 025).
    """

    _param_names = ("p", "q", "gamma")
    _model_name = "Gamma-Gamma"

    def fit(
        self,
        frequency: Any,
        monetary_value: Any,
        weights: Any = None,
        initial_params: dict[str, float] | None = None,
        maxiter: int = 2000,
    ) -> Self:
        """Fit on repeat buyers: ``frequency`` > 0 and ``monetary_value`` (mean repeat spend) > 0.

        Money is rescaled internally to a mean of 10 (gamma scales with it; p and q do not).
        Warns (:class:`StatisticalWarning`) when frequency and spend are correlated (|rho| > 0.3),
        since the model assumes they are independent, and when q <= 1 (infinite mean spend).
        """
        x, m = check_monetary_inputs(frequency, monetary_value)
        (x, m), w = collapse([x, m], weights)
        if w.sum() < MIN_CUSTOMERS:
            raise InsufficientDataError(
                f"Only {w.sum():g} repeat buyers: at least {MIN_CUSTOMERS} are needed for the Gamma-Gamma model."
            )
        n = float(w.sum())
        if x.size > 2 and np.std(x) > 0 and np.std(m) > 0:
            rho = float(np.corrcoef(x, m)[0, 1]) if weights is None else _weighted_corr(x, m, w)
            if abs(rho) > 0.3:
                warnings.warn(
                    f"Gamma-Gamma assumes spend is independent of frequency, but their correlation is {rho:.2f}.",
                    StatisticalWarning,
                    stacklevel=2,
                )
        scale = 10.0 / float(np.average(m, weights=w))
        ms = m * scale
        if initial_params is None:
            x0 = np.log([1.0, 2.0, 10.0])
        else:
            x0 = np.log(param_vector(initial_params, self._param_names))
            x0[2] += math.log(scale)

        x_groups = np.unique(x, return_inverse=True)

        def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
            ll, g = _gg(z, x, ms, True, x_groups)
            return -dot(w, ll) / n, -np.einsum("i,ij->j", w, g) / n

        z, _, H, res = maximise(objective, x0, self._param_names, self._model_name, maxiter=maxiter)
        z[2] -= math.log(scale)
        ll_total = dot(w, _gg(z, x, m, False)[0])
        self._store(np.exp(z), ll_total, H, n, x.size, res)
        if self.q_ <= 1:
            warnings.warn(
                f"Gamma-Gamma q = {self.q_:.3f} <= 1: the population mean spend is infinite; "
                "expected spend for new customers is not defined.",
                StatisticalWarning,
                stacklevel=2,
            )
        return self

    def conditional_expected_average_profit(self, frequency: Any, monetary_value: Any) -> Any:
        r"""Expected mean spend per transaction given x and the observed mean m (note 025, eq. 5).

        .. math::

            E[Z \mid p, q, \gamma, m, x] = \frac{q-1}{px+q-1}\,\frac{p\gamma}{q-1}
            + \frac{px}{px+q-1}\, m = \frac{p(\gamma + x m)}{px+q-1}

        For x = 0 this is the population mean :math:`p\gamma/(q-1)`.
        """
        self._require_fitted()
        p, q, g = self.p_, self.q_, self.gamma_
        x, m = arr(frequency), arr(monetary_value)
        m = np.where(x > 0, m, 0.0)
        out = p * (g + x * m) / (p * x + q - 1.0)
        return as_output(out, frequency, monetary_value)

    def customer_lifetime_value(
        self,
        transaction_model: TransactionModel,
        frequency: Any,
        recency: Any,
        T: Any,
        monetary_value: Any,
        time: int = 12,
        discount_rate: float = 0.01,
        freq: TimeUnit = "W",
    ) -> Any:
        r"""Discounted expected value of each customer's purchases over the next ``time`` months.

        As in the ``lifetimes`` package:

        .. math::

            \mathrm{CLV} = \sum_{i=1}^{\text{time}}
            \frac{E[Y(i\,u) \mid x, t_x, T] - E[Y((i-1)\,u) \mid x, t_x, T]}{(1+d)^i}
            \; E[Z \mid x, m]

        where :math:`u` is one month in the model's time unit ``freq`` (365.25/12/7 weeks for "W",
        1 for "M", 365.25/12 days for "D"; lifetimes rounds these to 4.345 and 30), :math:`d` the
        discount rate per month and :math:`E[Z \mid x, m]` from
        :meth:`conditional_expected_average_profit`. Multiply by a margin to get profit.
        """
        self._require_fitted()
        if int(time) != time or time < 1:
            raise ValueError(f"time must be a positive whole number of months, got {time!r}.")
        if not np.isfinite(discount_rate) or discount_rate <= -1:
            raise ValueError(f"discount_rate must be > -1, got {discount_rate!r}.")
        per_month = DAYS_PER_MONTH / check_time_unit(freq)
        spend = np.asarray(self.conditional_expected_average_profit(frequency, monetary_value), dtype=float)
        transaction_model._require_fitted()
        x, t_x, T_, spend = np.broadcast_arrays(*(arr(v) for v in (frequency, recency, T, spend)))
        shape = x.shape
        steps = np.arange(1, int(time) + 1)
        horizon = np.concatenate([[0.0], steps * per_month])
        # (n, time+1) cumulative expectations in one vectorised call (2F1 once per distinct (x, T))
        cum = transaction_model._expected_grid(horizon, x.ravel(), t_x.ravel(), T_.ravel())
        discounted = (np.diff(cum, axis=1) / (1.0 + discount_rate) ** steps).sum(axis=1)
        out = (discounted * spend.ravel()).reshape(shape)
        return as_output(out, frequency, recency, T, monetary_value)


def _weighted_corr(x: np.ndarray, m: np.ndarray, w: np.ndarray) -> float:
    c = np.cov(np.vstack([x, m]), aweights=w)
    return float(c[0, 1] / math.sqrt(c[0, 0] * c[1, 1]))
