"""BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel & Filiztekin 2007): the
log-likelihood with analytic gradients and the fitters with their predictions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from tools.clv.base import TransactionModel
from tools.clv.common import check_rfm_inputs
from tools.clv.numerics import arr, as_output, dot, group_rows, param_vector

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------------------------------
# BG/NBD and MBG/NBD likelihood
# --------------------------------------------------------------------------------------------------
def _bg_family(
    log_params: np.ndarray,
    x: np.ndarray,
    t_x: np.ndarray,
    T: np.ndarray,
    modified: bool,
    want_grad: bool,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Per-row log-likelihood (and its gradient w.r.t. log-parameters) of BG/NBD or MBG/NBD.

    With k = 0 (BG/NBD) or 1 (MBG/NBD), delta = [x > 0] for BG/NBD and 1 for MBG/NBD::

        ll = lnG(r+x) - lnG(r) + r ln(alpha) + lnB(a, b+x+k) - lnB(a, b) + logaddexp(u, v)
        u  = -(r+x) ln(alpha+T)
        v  = ln a - ln(b+x-1+k) - (r+x) ln(alpha+t_x)        (-inf where delta = 0)

    With w = exp(v - logaddexp(u, v)) the share of the "dropped out at t_x" term::

        d/dr     = psi(r+x) - psi(r) + ln(alpha) - (1-w) ln(alpha+T) - w ln(alpha+t_x)
        d/dalpha = r/alpha - (r+x) [(1-w)/(alpha+T) + w/(alpha+t_x)]
        d/da     = psi(a+b) - psi(a+b+x+k) + w/a
        d/db     = psi(b+x+k) - psi(b) + psi(a+b) - psi(a+b+x+k) - w/(b+x-1+k)

    and d/d ln(theta) = theta d/d theta.
    """
    r, alpha, a, b = np.exp(log_params)
    k = 1 if modified else 0
    xi = x.astype(np.int64)
    # Whole-number x: Gamma(r+x)/Gamma(r) = prod_{j<x} (r+j) and B(a, b+x+k)/B(a, b) =
    # prod_{j<x+k} (b+j)/(a+b+j), so the special functions become cumulative sums over j (lookups).
    j = np.arange(max(int(xi.max(initial=0)) + k, 1), dtype=float)
    log_bj = np.log(b + j)
    log_abj = np.log(a + b + j)
    lgamma_ratio = _cumsum0(np.log(r + j))[xi]
    lbeta_ratio = _cumsum0(log_bj - log_abj)[xi + k]
    has_second = np.ones(x.shape, dtype=bool) if modified else xi > 0
    idx = np.where(has_second, xi - 1 + k, 0)  # b + x - 1 + k = b + j at j = x - 1 + k
    rx = r + x
    log_aT = np.log(alpha + T)
    log_atx = np.log(alpha + t_x)
    u = -rx * log_aT
    v = np.where(has_second, math.log(a) - log_bj[idx] - rx * log_atx, -np.inf)
    # logaddexp(u, v) and the share w = exp(v - logaddexp(u, v)) of the second term, from one exp
    e = np.exp(-np.abs(u - v))  # v = -inf gives e = 0
    s = np.maximum(u, v) + np.log1p(e)
    ll = lgamma_ratio + r * math.log(alpha) + lbeta_ratio + s
    if not want_grad:
        return ll, None
    w = np.where(v > u, 1.0, e) / (1.0 + e)
    inv_bj = 1.0 / (b + j)
    inv_abj = 1.0 / (a + b + j)
    psi_r = _cumsum0(1.0 / (r + j))[xi]  # psi(r+x) - psi(r)
    psi_ab = _cumsum0(inv_abj)[xi + k]  # psi(a+b+x+k) - psi(a+b)
    psi_b = _cumsum0(inv_bj)[xi + k]  # psi(b+x+k) - psi(b)
    d_r = psi_r + math.log(alpha) - (1 - w) * log_aT - w * log_atx
    d_alpha = r / alpha - rx * ((1 - w) / (alpha + T) + w / (alpha + t_x))
    d_a = w / a - psi_ab
    d_b = psi_b - psi_ab - np.where(has_second, w * inv_bj[idx], 0.0)
    grad = np.empty((x.size, 4))
    grad[:, 0] = r * d_r
    grad[:, 1] = alpha * d_alpha
    grad[:, 2] = a * d_a
    grad[:, 3] = b * d_b
    return ll, grad


def _cumsum0(v: np.ndarray) -> np.ndarray:
    """[0, v0, v0+v1, ...]: cumulative sums with a leading zero."""
    out = np.empty(v.size + 1)
    out[0] = 0.0
    np.cumsum(v, out=out[1:])
    return out


class _BGObjective:
    """The BG/NBD (MBG/NBD) fitting objective: ``-sum(w * ll) / sum(w)`` and its gradient (log-parameters).

    The same sums as :func:`_bg_family` over the rows, arranged for the ~35 evaluations of a fit:

    - terms that depend on x only (ln Gamma(r+x) - ln Gamma(r), the Beta ratio and the digamma
      differences) enter through the total weight per x, so they cost a dot product over 0..max(x);
    - BG/NBD rows with x = 0 have the closed form ll = r ln(alpha) - r ln(alpha+T) (no dropout term),
      gradient r [ln(alpha) - ln(alpha+T)] and r T / (alpha+T), zero for a and b: one log and one
      division per row;
    - the other rows (all of them for MBG/NBD, where dropout before the first repeat is possible) need
      both terms: ``s = logaddexp(u, v)`` and the share ``expit(v - u)`` of the dropout term, then weighted
      sums as dot products (no per-row gradient matrix).
    """

    def __init__(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, w: np.ndarray, modified: bool) -> None:
        k = 1 if modified else 0
        xi = x.astype(np.int64)
        self.k = k
        self.j = np.arange(max(int(xi.max(initial=0)) + k, 1), dtype=float)
        size = self.j.size + 1  # the cumulative sums over j have a leading zero
        per_x = np.bincount(xi, weights=w, minlength=size)[:size]
        self.count_x = per_x  # weight per x: indexes ln Gamma and psi(r+x) sums
        self.count_xk = np.concatenate((np.zeros(k), per_x))[:size]  # weight per x + k: Beta sums
        self.W = float(w.sum())
        closed = np.zeros(x.shape, dtype=bool) if modified else xi == 0
        self.w0, self.T0 = w[closed], T[closed]
        rest = ~closed
        self.w1, self.x1, self.tx1, self.T1 = w[rest], x[rest].astype(float), t_x[rest], T[rest]
        self.idx1 = xi[rest] - 1 + k  # b + x - 1 + k = b + j at j = x - 1 + k

    def __call__(self, log_params: np.ndarray) -> tuple[float, np.ndarray]:
        from scipy import special  # lazy: scipy is slow to import

        r, alpha, a, b = np.exp(log_params)
        j, W = self.j, self.W
        log_alpha = math.log(alpha)
        log_bj = np.log(b + j)
        inv_bj = 1.0 / (b + j)
        inv_abj = 1.0 / (a + b + j)
        # x-only parts, weighted per x
        ll = self.count_x @ _cumsum0(np.log(r + j)) + self.count_xk @ _cumsum0(log_bj - np.log(a + b + j))
        psi_r = self.count_x @ _cumsum0(1.0 / (r + j))
        psi_ab = self.count_xk @ _cumsum0(inv_abj)
        psi_b = self.count_xk @ _cumsum0(inv_bj)
        ll += W * r * log_alpha
        d_r = psi_r + W * log_alpha
        d_alpha = W * r / alpha
        d_a = -psi_ab
        d_b = psi_b - psi_ab
        if self.w0.size:  # BG/NBD, x = 0: r ln(alpha) - r ln(alpha+T)
            a_T0 = alpha + self.T0
            L0 = dot(self.w0, np.log(a_T0))
            ll -= r * L0
            d_r -= L0
            d_alpha -= r * dot(self.w0, 1.0 / a_T0)
        if self.w1.size:
            w1 = self.w1
            rx = r + self.x1
            a_T = alpha + self.T1
            a_tx = alpha + self.tx1
            log_aT = np.log(a_T)
            log_atx = np.log(a_tx)
            dv = (math.log(a) - log_bj[self.idx1]) + rx * (log_aT - log_atx)  # v - u
            share = special.expit(dv)  # of the dropout term v in logaddexp(u, v)
            B = w1 * rx
            A = w1 * share
            C = B * share
            ll += dot(w1, np.logaddexp(0.0, dv)) - dot(B, log_aT)  # sum w logaddexp(u, v)
            d_r -= dot(w1, log_aT) - dot(A, log_aT) + dot(A, log_atx)
            inv_aT = 1.0 / a_T
            d_alpha -= dot(B, inv_aT) - dot(C, inv_aT) + dot(C, 1.0 / a_tx)
            d_a += float(A.sum()) / a
            d_b -= dot(A, inv_bj[self.idx1])
        grad = np.array([r * d_r, alpha * d_alpha, a * d_a, b * d_b])
        return -float(ll) / W, -grad / W


def bgnbd_log_likelihood(
    params: Sequence[float] | dict[str, float], frequency: Any, recency: Any, T: Any
) -> np.ndarray:
    r"""Per-customer BG/NBD log-likelihood (Fader, Hardie & Lee 2005, equation 6).

    .. math::

        L(r, \alpha, a, b \mid x, t_x, T) =
        \frac{B(a, b+x)}{B(a, b)} \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+T)^{r+x}}
        + \delta_{x>0} \frac{B(a+1, b+x-1)}{B(a, b)}
          \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+t_x)^{r+x}}

    ``params`` is (r, alpha, a, b) or a dict with those keys.
    """
    p = param_vector(params, ("r", "alpha", "a", "b"))
    x, t_x, t = check_rfm_inputs(frequency, recency, T)
    return _bg_family(np.log(p), x, t_x, t, False, False)[0]


def mbgnbd_log_likelihood(
    params: Sequence[float] | dict[str, float], frequency: Any, recency: Any, T: Any
) -> np.ndarray:
    r"""Per-customer MBG/NBD log-likelihood (Batislam, Denizel & Filiztekin 2007).

    .. math::

        L = \frac{B(a, b+x+1)}{B(a, b)} \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+T)^{r+x}}
          + \frac{B(a+1, b+x)}{B(a, b)} \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+t_x)^{r+x}}
    """
    p = param_vector(params, ("r", "alpha", "a", "b"))
    x, t_x, t = check_rfm_inputs(frequency, recency, T)
    return _bg_family(np.log(p), x, t_x, t, True, False)[0]


def _bg_expected_if_alive(
    r: float, alpha: float, a: float, b: float, k: float, x: Any, T: Any, t: Any
) -> np.ndarray:
    r"""Expected purchases in (T, T+t] of an active BG/NBD (k=0) or MBG/NBD (k=1) customer.

    .. math::

        \frac{c}{a-1}\left[1 - (1-z)^{r+x}\, {}_2F_1(r+x, b+x+k; c; z)\right],\quad
        c = a+b+x-1+k,\; z = \frac{t}{\alpha+T+t}

    which is :math:`E[(1 - e^{-\lambda p t})/p]` over the posterior
    :math:`\lambda \sim \mathrm{Gamma}(r+x, \alpha+T)`, :math:`p \sim \mathrm{Beta}(a, b+x+k)`.
    Evaluated with Euler's transformation, :math:`(1-z)^{r+x}\,{}_2F_1(r+x, b+x+k; c; z) =
    (1-z)^{a-1}\,{}_2F_1(a+b-1+k-r, a-1; c; z)`, whose first two parameters stay small however large
    x is (the direct form overflows for x in the hundreds, Pfaff's loses all accuracy in scipy for
    z < -1 and large x). Where scipy's 2F1 still fails (c - a - b a whole number, z near 1) the
    direct and Pfaff forms are tried, and as a last resort the integral over p is computed by
    adaptive quadrature.
    """
    from scipy import special  # lazy: scipy is slow to import

    x, T, t = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, T, t)))
    shape = x.shape
    x, T, t = (np.ravel(v) for v in (x, T, t))
    c = a + b + x - 1.0 + k
    log_1mz = np.log(alpha + T) - np.log(alpha + T + t)
    z = t / (alpha + T + t)
    with np.errstate(all="ignore"):
        f = np.exp((a - 1.0) * log_1mz) * special.hyp2f1(a + b - 1.0 + k - r, a - 1.0, c, z)
        bad = ~np.isfinite(f)
        if bad.any():
            xb = x[bad]
            f[bad] = np.exp(
                (r + xb) * log_1mz[bad] + np.log(special.hyp2f1(r + xb, b + xb + k, c[bad], z[bad]))
            )
            bad = ~np.isfinite(f)
        if bad.any():
            f[bad] = special.hyp2f1(r + x[bad], a - 1.0, c[bad], -t[bad] / (alpha + T[bad]))
            bad = ~np.isfinite(f)
        out = c / (a - 1.0) * (1.0 - f)
    for i in np.flatnonzero(bad):
        out[i] = _bg_expected_if_alive_quad(r, a, b, k, float(x[i]), float(t[i] / (alpha + T[i])))
    return out.reshape(shape)


def _bg_expected_if_alive_quad(r: float, a: float, b: float, k: float, x: float, y: float) -> float:
    """The integral of :func:`_bg_expected_if_alive` by quadrature, with y = t / (alpha + T)."""
    from scipy import integrate, special  # lazy: scipy is slow to import

    log_norm = special.betaln(a, b + x + k)

    def integrand(p: float) -> float:
        if p <= 0.0:
            return 0.0
        g = -math.expm1(-(r + x) * math.log1p(p * y)) / p
        return g * math.exp((a - 1.0) * math.log(p) + (b + x + k - 1.0) * math.log1p(-p) - log_norm)

    value, _ = integrate.quad(integrand, 0.0, 1.0, limit=200, epsabs=0.0, epsrel=1e-10)
    return float(value)


class BetaGeoFitter(TransactionModel):
    r"""BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

    While active, a customer buys as a Poisson process with rate
    :math:`\lambda \sim \mathrm{Gamma}(r, \alpha)`; after each repeat purchase they drop out with
    probability :math:`p \sim \mathrm{Beta}(a, b)`. The likelihood of (x, t_x, T) is

    .. math::

        L = \frac{B(a, b+x)}{B(a, b)} \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+T)^{r+x}}
          + \delta_{x>0} \frac{B(a+1, b+x-1)}{B(a, b)}
            \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+t_x)^{r+x}}

    maximised over :math:`\log(r, \alpha, a, b)` with its analytic gradient.

    Attributes
    ----------
    params_ : dict
        ``{"r", "alpha", "a", "b"}`` (alpha in the data's time unit); also ``r_``, ``alpha_``, ``a_``,
        ``b_``.
    log_likelihood_ : float
        Maximised total log-likelihood. ``standard_errors_``, ``aic_``, ``summary`` as usual.

    Examples
    --------
    >>> import numpy as np
    >>> from tools.clv import simulate_bgnbd
    >>> sim = simulate_bgnbd(5000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=np.linspace(13, 78, 5000), seed=1)
    >>> bgf = BetaGeoFitter().fit(sim["frequency"], sim["recency"], sim["T"])
    >>> round(bgf.r_, 2), round(bgf.a_, 2)
    (0.25, 0.74)
    >>> round(float(bgf.conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86)), 3)
    1.262
    """

    _param_names = ("r", "alpha", "a", "b")
    _model_name = "BG/NBD"
    _modified: ClassVar[bool] = False

    def _row_ll(
        self, log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, grad: bool
    ) -> tuple[np.ndarray, np.ndarray | None]:
        return _bg_family(log_params, x, t_x, T, self._modified, grad)

    def _objective(
        self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, w: np.ndarray
    ) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
        return _BGObjective(x, t_x, T, w, self._modified)

    def _log_odds_dead(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        r, alpha, a, b = (self.params_[k] for k in self._param_names)
        k = 1.0 if self._modified else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            lo = math.log(a) - np.log(b + x - 1.0 + k) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        if not self._modified:
            lo = np.where(x > 0, lo, -np.inf)
        return lo

    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        r"""P(customer still active | x, t_x, T).

        .. math::

            P(\text{alive}) = \left[1 + \delta_{x>0}\,\frac{a}{b+x-1}
            \left(\frac{\alpha+T}{\alpha+t_x}\right)^{r+x}\right]^{-1}

        (BG/NBD, equation 13); 1 for every customer without repeat purchases.
        """
        from scipy import special  # lazy: scipy is slow to import

        self._require_fitted()
        x, t_x, t = (arr(v) for v in (frequency, recency, T))
        return as_output(special.expit(-self._log_odds_dead(x, t_x, t)), frequency, recency, T)

    def _bracket(self, x: np.ndarray, T: np.ndarray, t: np.ndarray) -> np.ndarray:
        r, alpha, a, b = (self.params_[k] for k in self._param_names)
        return _bg_expected_if_alive(r, alpha, a, b, 1.0 if self._modified else 0.0, x, T, t)

    def _expected_grid(self, ts: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        r"""Conditional expectation (BG/NBD, equation 10; MBG/NBD: Wagner & Hoppe 2008):

        .. math::

            E[Y(t) \mid x, t_x, T] = \frac{a+b+x-1}{a-1}
            \left[1 - \left(\frac{\alpha+T}{\alpha+T+t}\right)^{r+x}
            {}_2F_1\!\left(r+x, b+x; a+b+x-1; \tfrac{t}{\alpha+T+t}\right)\right] P(\text{alive})

        For MBG/NBD replace b+x by b+x+1 and a+b+x-1 by a+b+x. The bracket is evaluated once per
        distinct (x, T) pair by :func:`_bg_expected_if_alive` (Euler's transformation, which keeps
        the 2F1 parameters small for large x).
        """
        from scipy import special  # lazy: scipy is slow to import

        (ux, uT), inv = group_rows([x, T])
        bracket = self._bracket(ux[:, None], uT[:, None], np.asarray(ts, dtype=float)[None, :])
        p_alive = special.expit(-self._log_odds_dead(x, t_x, T))
        return bracket[inv] * p_alive[:, None]

    def _expected_rows(self, t: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        from scipy import special  # lazy: scipy is slow to import

        (ux, uT, ut), inv = group_rows([x, T, t])
        p_alive = special.expit(-self._log_odds_dead(x, t_x, T))
        return self._bracket(ux, uT, ut)[inv] * p_alive

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        r"""Expected repeat purchases in (0, t] of a new customer (BG/NBD, equation 9).

        .. math::

            E[X(t)] = \frac{a+b-1}{a-1}\left[1 - \left(\frac{\alpha}{\alpha+t}\right)^r
            {}_2F_1\!\left(r, b; a+b-1; \tfrac{t}{\alpha+t}\right)\right]
            = \frac{a+b-1}{a-1}\left[1 - {}_2F_1\!\left(r, a-1; a+b-1; -t/\alpha\right)\right]
        """
        self._require_fitted()
        r, alpha, a, b = (self.params_[k] for k in self._param_names)
        tt = arr(t)
        return as_output(_bg_expected_if_alive(r, alpha, a, b, 0.0, 0.0, 0.0, tt), t)


class ModifiedBetaGeoFitter(BetaGeoFitter):
    r"""MBG/NBD model (Batislam, Denizel & Filiztekin 2007; Wagner & Hoppe 2008 erratum).

    As BG/NBD, but a customer may also drop out right after the first purchase, so one-time buyers
    get P(alive) < 1. Likelihood:

    .. math::

        L = \frac{B(a, b+x+1)}{B(a, b)} \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+T)^{r+x}}
          + \frac{B(a+1, b+x)}{B(a, b)} \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)\,(\alpha+t_x)^{r+x}}

    with analytic gradient; :math:`P(\text{alive}) = [1 + \frac{a}{b+x}
    (\frac{\alpha+T}{\alpha+t_x})^{r+x}]^{-1}` and

    .. math::

        E[Y(t) \mid x, t_x, T] = \frac{a+b+x}{a-1}\left[1 - {}_2F_1\!\left(r+x, a-1; a+b+x;
        -\tfrac{t}{\alpha+T}\right)\right] P(\text{alive}),\qquad
        E[X(t)] = \frac{b}{a-1}\left[1 - {}_2F_1\!\left(r, a-1; a+b; -t/\alpha\right)\right]
    """

    _model_name = "MBG/NBD"
    _modified = True

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        r"""Expected repeat purchases in (0, t] of a new customer: :math:`\frac{b}{a-1}
        [1 - (\frac{\alpha}{\alpha+t})^r {}_2F_1(r, b+1; a+b; \frac{t}{\alpha+t})]`."""
        self._require_fitted()
        r, alpha, a, b = (self.params_[k] for k in self._param_names)
        tt = arr(t)
        # b/(a-1) [...] = b/(a+b) times the "if alive" expectation of a customer with x = 0, T = 0
        out = b / (a + b) * _bg_expected_if_alive(r, alpha, a, b, 1.0, 0.0, 0.0, tt)
        return as_output(out, t)
