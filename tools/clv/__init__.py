r"""Buy-till-you-die customer lifetime value models (pure computation, no UI or model imports).

What is here (one module per model family, as lifelines does)
-------------------------------------------------------------
- :func:`rfm_summary`: transactions -> one row per customer with the sufficient statistics of the
  literature, ``frequency`` (x, repeat purchase days), ``recency`` (t_x), ``T`` and
  ``monetary_value``; :func:`rfm_holdout_summary` and :func:`calibration_holdout` add a holdout
  period and the classic calibration/holdout comparison.
- Transaction models, all fitted by maximum likelihood on log-parameters:
  :class:`BetaGeoFitter` (BG/NBD, Fader, Hardie & Lee 2005), :class:`ModifiedBetaGeoFitter`
  (MBG/NBD, Batislam, Denizel & Filiztekin 2007) and :class:`ParetoNBDFitter` (Schmittlein, Morrison
  & Colombo 1987, in the formulation of Fader & Hardie's note 009).
- Spend model :class:`GammaGammaFitter` (Fader, Hardie & Lee 2005, "RFM and CLV"; Hardie's note 025)
  with :meth:`GammaGammaFitter.customer_lifetime_value`.
- :func:`simulate_bgnbd` and :func:`simulate_bgnbd_transactions`: exact simulation from the BG/NBD
  (and Gamma-Gamma) generative story, for parameter recovery tests and benchmarks.

Conventions (lifelines habits)
------------------------------
Fitted values are attributes with a trailing underscore (``params_``, ``log_likelihood_``, ``r_``,
``alpha_``, ``standard_errors_``...). Bad input raises ``ValueError`` from small named validation
helpers (:func:`check_rfm_inputs`, :func:`check_enough_data`, :func:`check_monetary_inputs`);
data that cannot support a model raises :class:`InsufficientDataError` and an optimiser that does
not reach a proper maximum raises :class:`ConvergenceError` (both are ``ValueError`` subclasses, so a
tool can fall back to the historical method with one ``except ValueError``). Statistical doubts are
warnings (:class:`StatisticalWarning`, :class:`ConvergenceWarning`).

Time is measured in days and divided by the unit length: ``"D"`` = 1 day, ``"W"`` = 7 days,
``"M"`` = 365.25 / 12 days. Model parameters with a time dimension (alpha, beta) are in that unit.

Speed: identical (x, t_x, T) rows are collapsed into weights before fitting; the BG/NBD, MBG/NBD and
Gamma-Gamma log-likelihoods have analytic gradients (BFGS with ``jac=True``, L-BFGS-B as fallback, then
a few Newton steps with a finite-difference Hessian of the analytic gradient, which also gives the
standard errors); because x is a whole number, ln Gamma(r+x) - ln Gamma(r), the Beta-function ratios
and their digamma derivatives are cumulative sums over 0..max(x) looked up per row, so no special
function is evaluated per customer. The BG/NBD fitting objective (:class:`_BGObjective`) weights
those per-x terms by the customers per x, uses the closed form for customers without repeat purchases
and sums the rest with dot products (about 3 ms per evaluation on 100k customers). Predictions evaluate
2F1 once per distinct (x, T) pair.
"""

from tools.clv.bgnbd import BetaGeoFitter, ModifiedBetaGeoFitter, bgnbd_log_likelihood, mbgnbd_log_likelihood
from tools.clv.common import (
    UNIT_DAYS,
    ConvergenceError,
    ConvergenceWarning,
    InsufficientDataError,
    StatisticalWarning,
    check_enough_data,
    check_monetary_inputs,
    check_rfm_inputs,
    check_time_unit,
)
from tools.clv.gamma_gamma import GammaGammaFitter, gamma_gamma_log_likelihood
from tools.clv.pareto_nbd import ParetoNBDFitter, pareto_nbd_log_likelihood
from tools.clv.simulate import simulate_bgnbd, simulate_bgnbd_transactions
from tools.clv.summary import calibration_holdout, rfm_holdout_summary, rfm_summary

__all__ = [
    "UNIT_DAYS",
    "BetaGeoFitter",
    "ConvergenceError",
    "ConvergenceWarning",
    "GammaGammaFitter",
    "InsufficientDataError",
    "ModifiedBetaGeoFitter",
    "ParetoNBDFitter",
    "StatisticalWarning",
    "bgnbd_log_likelihood",
    "calibration_holdout",
    "check_enough_data",
    "check_monetary_inputs",
    "check_rfm_inputs",
    "check_time_unit",
    "gamma_gamma_log_likelihood",
    "mbgnbd_log_likelihood",
    "pareto_nbd_log_likelihood",
    "rfm_holdout_summary",
    "rfm_summary",
    "simulate_bgnbd",
    "simulate_bgnbd_transactions",
]
