r"""Buy-till-you-die customer lifetime value models (pure computation, no UI or model imports).

What is here
------------
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

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from scipy import optimize

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

TimeUnit = Literal["D", "W", "M"]
DateLike = str | date | datetime | pd.Timestamp | np.datetime64

#: Length of one time unit in days.
UNIT_DAYS: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 365.25 / 12.0}

_DAYS_PER_MONTH = 365.25 / 12.0
_MIN_CUSTOMERS = 10
# Optimiser settings: objective is the mean negative log-likelihood per customer.
_GTOL_OK = 1e-7  # max |gradient| (log-parameters) below which a fit is converged
_GTOL_WARN = 1e-4  # above _GTOL_OK but below this: converged with a warning; above: ConvergenceError
_FLAT_CURVATURE = 1e-8  # smallest / largest Hessian eigenvalue below this: flat (proper fits: > 1e-4)
_LOG_PARAM_LIMIT = 16.0  # |log(param)| beyond this (~1e7) means a parameter ran off to 0 or infinity


# --------------------------------------------------------------------------------------------------
# Errors, warnings and validation helpers
# --------------------------------------------------------------------------------------------------
class ConvergenceError(ValueError):
    """The optimiser did not reach a proper maximum of the likelihood (the message says why)."""


class InsufficientDataError(ValueError):
    """The data cannot support the model (too few customers, no repeat purchases...)."""


class ConvergenceWarning(RuntimeWarning):
    """The fit converged, but less tightly than asked for."""


class StatisticalWarning(UserWarning):
    """A statistical doubt about the model or its assumptions (the numbers are still computed)."""


def check_time_unit(time_unit: str) -> float:
    """Return the length of ``time_unit`` in days; ``ValueError`` unless it is "D", "W" or "M"."""
    try:
        return UNIT_DAYS[time_unit]
    except (KeyError, TypeError):
        raise ValueError(f"time_unit must be one of 'D', 'W', 'M', got {time_unit!r}.") from None


def check_rfm_inputs(frequency: Any, recency: Any, T: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate (x, t_x, T) and return them as float arrays.

    Raises ``ValueError`` when the vectors are empty or of different lengths, contain missing or
    infinite values, a frequency is negative or not a whole number, a recency is negative or larger
    than T, or a customer without repeat purchases has a non-zero recency.
    """
    x = np.asarray(frequency, dtype=float).ravel()
    t_x = np.asarray(recency, dtype=float).ravel()
    t = np.asarray(T, dtype=float).ravel()
    if not (x.size == t_x.size == t.size):
        raise ValueError(
            f"frequency, recency and T must have the same length, got {x.size}, {t_x.size} and {t.size}."
        )
    if x.size == 0:
        raise ValueError("frequency, recency and T are empty.")
    for name, v in (("frequency", x), ("recency", t_x), ("T", t)):
        if not np.all(np.isfinite(v)):
            raise ValueError(f"{name} contains {int((~np.isfinite(v)).sum())} missing or infinite values.")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("frequency must be non-negative whole numbers (repeat purchase counts).")
    if np.any(t_x < 0):
        raise ValueError(f"recency is negative for {int((t_x < 0).sum())} customers.")
    tol = 1e-9 * max(1.0, float(t.max()))
    if np.any(t_x > t + tol):
        raise ValueError(f"recency is larger than T for {int((t_x > t + tol).sum())} customers.")
    if np.any(t_x[x == 0] != 0):
        raise ValueError("recency must be 0 for customers with frequency 0 (no repeat purchase).")
    return x, np.minimum(t_x, t), t


def check_enough_data(frequency: Any, weights: Any = None, min_customers: int = _MIN_CUSTOMERS) -> None:
    """Raise :class:`InsufficientDataError` when a transaction model cannot be fitted.

    A BG/NBD-type model needs at least ``min_customers`` customers (default 10) and at least one repeat
    purchase: with no repeat purchase at all the purchase rate and the dropout process are not
    identified (the likelihood increases without bound as the rate goes to zero).
    """
    x = np.asarray(frequency, dtype=float).ravel()
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).ravel()
    n = float(w.sum())
    if n < min_customers:
        raise InsufficientDataError(
            f"Only {n:g} customers: at least {min_customers} are needed to fit a purchase model."
        )
    if not np.any((x > 0) & (w > 0)):
        raise InsufficientDataError(
            "No customer made a repeat purchase: a purchase model cannot be fitted "
            "(use the historical method)."
        )


def check_monetary_inputs(frequency: Any, monetary_value: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate Gamma-Gamma inputs: repeat buyers only (frequency > 0) with positive mean spend.

    Returns float arrays. Raises ``ValueError`` naming how many rows break the rule; the caller is
    expected to pass repeat buyers only (``summary[summary.frequency > 0]``).
    """
    x = np.asarray(frequency, dtype=float).ravel()
    m = np.asarray(monetary_value, dtype=float).ravel()
    if x.size != m.size:
        raise ValueError(f"frequency and monetary_value differ in length ({x.size} vs {m.size}).")
    if x.size == 0:
        raise ValueError("frequency and monetary_value are empty.")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(m))):
        raise ValueError("frequency or monetary_value contains missing or infinite values.")
    if np.any(x <= 0):
        raise ValueError(
            f"The Gamma-Gamma model is fitted on repeat buyers only: {int((x <= 0).sum())} rows have "
            "frequency 0 (pass summary[summary.frequency > 0])."
        )
    if np.any(m <= 0):
        raise ValueError(
            f"monetary_value must be positive for the Gamma-Gamma model: {int((m <= 0).sum())} rows are <= 0."
        )
    return x, m


def _check_columns(tx: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(tx, pd.DataFrame):
        raise ValueError(f"transactions must be a pandas DataFrame, got {type(tx).__name__}.")
    missing = [c for c in columns if c not in tx.columns]
    if missing:
        raise ValueError(f"transactions lack the column(s) {missing}; present: {list(tx.columns)}.")


# --------------------------------------------------------------------------------------------------
# Transactions -> RFM summary
# --------------------------------------------------------------------------------------------------
def _day_numbers(values: Any) -> np.ndarray:
    """Dates (strings, datetime64, tz-aware) -> float day numbers since 1970-01-01 (NaN for missing)."""
    raw = pd.Series(values)
    dt = pd.to_datetime(raw, errors="coerce")
    retry = dt.isna().to_numpy() & raw.notna().to_numpy()
    if retry.any() and not pd.api.types.is_datetime64_any_dtype(raw.dtype):
        # mixed layouts ("2024-01-01" and "2024-01-01 15:30"): parse the rest element by element
        dt[retry] = pd.to_datetime(raw[retry], errors="coerce", format="mixed")
    if isinstance(dt.dtype, pd.DatetimeTZDtype):
        dt = dt.dt.tz_localize(None)
    days = dt.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = days.astype(np.int64).astype(float)
    out[np.isnat(days)] = np.nan
    return out


def _one_day(value: DateLike) -> int:
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        raise ValueError(f"Not a date: {value!r}.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return int(np.datetime64(ts.normalize().to_datetime64(), "D").astype(np.int64))


class _Purchases:
    """Transactions reduced to (customer code, day, value) arrays, parsed once."""

    def __init__(self, tx: pd.DataFrame, customer_col: str, date_col: str, value_col: str | None) -> None:
        _check_columns(tx, [customer_col, date_col] + ([value_col] if value_col else []))
        days = _day_numbers(tx[date_col].to_numpy())
        customers = tx[customer_col]
        ok = ~np.isnan(days) & customers.notna().to_numpy()
        if value_col:
            values = pd.to_numeric(tx[value_col], errors="coerce").to_numpy(dtype=float)
            bad = ok & ~np.isfinite(values)
            if bad.any():
                warnings.warn(
                    f"{int(bad.sum())} transactions have a missing or non-numeric {value_col!r}; counted as 0.",
                    StatisticalWarning,
                    stacklevel=3,
                )
                values = np.where(np.isfinite(values), values, 0.0)
        else:
            values = np.zeros(len(tx))
        if not ok.all():
            warnings.warn(
                f"{int((~ok).sum())} transactions without a customer or a valid date were ignored.",
                StatisticalWarning,
                stacklevel=3,
            )
        if not ok.any():
            raise ValueError("No transaction has both a customer and a valid date.")
        self.codes, self.customers = pd.factorize(customers[ok], sort=True)
        self.days = days[ok].astype(np.int64)
        self.values = values[ok]
        self.customer_col = customer_col

    def daily(self, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Unique (customer, day) pairs sorted by customer then day, with the day's total value."""
        codes, days, values = self.codes, self.days, self.values
        if mask is not None:
            codes, days, values = codes[mask], days[mask], values[mask]
        if codes.size == 0:
            return codes, days, values
        d0 = int(days.min())
        span = int(days.max()) - d0 + 1
        key = codes.astype(np.int64) * span + (days - d0)
        ukey, inverse = np.unique(key, return_inverse=True)
        totals = np.bincount(inverse.ravel(), weights=values, minlength=ukey.size)
        return ukey // span, ukey % span + d0, totals


def _per_customer(
    cust: np.ndarray, days: np.ndarray, totals: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """From sorted daily rows: customer code, purchase days, first day, last day, total, first total."""
    starts = np.flatnonzero(np.r_[True, cust[1:] != cust[:-1]])
    counts = np.diff(np.r_[starts, cust.size])
    return (
        cust[starts],
        counts,
        days[starts],
        days[starts + counts - 1],
        np.add.reduceat(totals, starts),
        totals[starts],
    )


def _summary_from_purchases(
    purchases: _Purchases, end_day: int, unit: float, with_value: bool
) -> pd.DataFrame:
    mask = purchases.days <= end_day
    cust, days, totals = purchases.daily(mask)
    if cust.size == 0:
        raise ValueError("No transaction on or before the calibration end.")
    code, n_days, first, last, total, first_total = _per_customer(cust, days, totals)
    frequency = n_days - 1
    data: dict[str, np.ndarray] = {
        "frequency": frequency.astype(np.int64),
        "recency": (last - first) / unit,
        "T": (end_day - first) / unit,
    }
    if with_value:
        repeat = total - first_total
        data["monetary_value"] = np.divide(
            repeat, frequency, out=np.zeros(frequency.size), where=frequency > 0
        )
    index = pd.Index(purchases.customers[code], name=purchases.customer_col)
    return pd.DataFrame(data, index=index)


def rfm_summary(
    tx: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    value_col: str | None = "revenue",
    calibration_end: DateLike | None = None,
    time_unit: TimeUnit = "W",
) -> pd.DataFrame:
    r"""Per-customer RFM sufficient statistics of the buy-till-you-die literature.

    Transactions on the same day count as one purchase (their values are added). For each customer
    with a purchase on or before ``calibration_end``:

    - ``frequency`` :math:`x` = number of purchase days - 1 (repeat purchases);
    - ``recency`` :math:`t_x` = (last purchase day - first purchase day) / unit;
    - ``T`` = (calibration_end - first purchase day) / unit;
    - ``monetary_value`` = mean of the repeat purchase days' totals (the first purchase is excluded,
      as in Fader, Hardie & Lee 2005), 0 for customers without repeat purchases. Only when
      ``value_col`` is given.

    The unit is 1 day ("D"), 7 days ("W") or 365.25/12 days ("M"). Vectorised: one sort of
    (customer, day) keys, so a million rows take well under a second.

    Parameters
    ----------
    tx : DataFrame
        One row per transaction.
    customer_col, date_col, value_col : str
        Column names; ``value_col=None`` skips ``monetary_value``.
    calibration_end : date-like, optional
        Last day of the calibration period (inclusive). Default: the last transaction date.
    time_unit : {"D", "W", "M"}
        Unit of recency and T.

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted), columns frequency, recency, T[, monetary_value].

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                    "date": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08"],
    ...                    "revenue": [10.0, 5.0, 20.0, 7.0]})
    >>> rfm_summary(tx, calibration_end="2024-01-29")
                 frequency  recency    T  monetary_value
    customer_id
    a                    1      2.0  4.0            20.0
    b                    0      0.0  3.0             0.0
    """
    unit = check_time_unit(time_unit)
    purchases = _Purchases(tx, customer_col, date_col, value_col)
    end_day = int(purchases.days.max()) if calibration_end is None else _one_day(calibration_end)
    return _summary_from_purchases(purchases, end_day, unit, value_col is not None)


def rfm_holdout_summary(
    tx: pd.DataFrame,
    calibration_end: DateLike,
    holdout_end: DateLike | None = None,
    customer_col: str = "customer_id",
    date_col: str = "date",
    value_col: str | None = "revenue",
    time_unit: TimeUnit = "W",
) -> pd.DataFrame:
    """Calibration summary plus what each calibration customer did in the holdout period.

    Columns: ``frequency_cal``, ``recency_cal``, ``T_cal`` [, ``monetary_value_cal``] (as
    :func:`rfm_summary` up to ``calibration_end``), ``frequency_holdout`` (purchase days in
    (calibration_end, holdout_end]; all of them are repeat purchases), [``monetary_value_holdout``
    (mean daily total in the holdout, 0 if none)] and ``duration_holdout`` (holdout length in units).
    Customers whose first purchase is after ``calibration_end`` are not included.
    """
    unit = check_time_unit(time_unit)
    purchases = _Purchases(tx, customer_col, date_col, value_col)
    cal_day = _one_day(calibration_end)
    end_day = int(purchases.days.max()) if holdout_end is None else _one_day(holdout_end)
    if end_day <= cal_day:
        raise ValueError(f"holdout_end must be after calibration_end ({calibration_end}).")
    with_value = value_col is not None
    cal = _summary_from_purchases(purchases, cal_day, unit, with_value)
    cal.columns = [f"{c}_cal" for c in cal.columns]

    n_codes = len(purchases.customers)
    in_cal = np.zeros(n_codes, dtype=bool)
    in_cal[purchases.codes[purchases.days <= cal_day]] = True
    mask = (purchases.days > cal_day) & (purchases.days <= end_day) & in_cal[purchases.codes]
    cust, _days, totals = purchases.daily(mask)
    n_hold = np.bincount(cust, minlength=n_codes)
    sum_hold = np.bincount(cust, weights=totals, minlength=n_codes)
    # cal rows are the customers with in_cal, in code order (sorted ids)
    codes_cal = np.flatnonzero(in_cal)
    out = cal.copy()
    out["frequency_holdout"] = n_hold[codes_cal].astype(np.int64)
    if with_value:
        out["monetary_value_holdout"] = np.divide(
            sum_hold[codes_cal],
            n_hold[codes_cal],
            out=np.zeros(codes_cal.size),
            where=n_hold[codes_cal] > 0,
        )
    out["duration_holdout"] = (end_day - cal_day) / unit
    return out


def calibration_holdout(
    tx: pd.DataFrame,
    calibration_end: DateLike,
    holdout_end: DateLike | None = None,
    model: _TransactionModel | None = None,
    customer_col: str = "customer_id",
    date_col: str = "date",
    time_unit: TimeUnit = "W",
    max_frequency: int = 7,
) -> pd.DataFrame:
    r"""Predicted vs actual repeat purchases in a holdout period, by calibration frequency.

    The classic conditional-expectation check of Fader, Hardie & Lee (2005): customers are grouped by
    their number of repeat purchases in the calibration period (0, 1, ..., ``max_frequency``+), and
    for each group the mean actual number of purchase days in the holdout period is compared with the
    mean conditional expectation
    :math:`E[X(\tau) \mid x, t_x, T]` over the holdout length :math:`\tau`.

    Parameters
    ----------
    tx : DataFrame
        Transactions (customer, date).
    calibration_end, holdout_end : date-like
        End of the calibration period (inclusive) and of the holdout (default: last transaction).
    model : fitter, optional
        A transaction model. Fitted on the calibration summary if it has no ``params_`` yet; default
        a new :class:`BetaGeoFitter`.
    max_frequency : int
        Groups above this are pooled into "``max_frequency``+".

    Returns
    -------
    DataFrame
        Index ``frequency_cal`` ("0", "1", ..., "7+"); columns ``customers``, ``actual`` and
        ``predicted`` (mean holdout purchases per customer), ``actual_total`` and
        ``predicted_total``. ``attrs`` holds the model name, its parameters, the holdout duration and
        the totals.
    """
    data = rfm_holdout_summary(
        tx, calibration_end, holdout_end, customer_col, date_col, None, time_unit=time_unit
    )
    if model is None:
        model = BetaGeoFitter()
    if not getattr(model, "params_", None):
        model.fit(data["frequency_cal"], data["recency_cal"], data["T_cal"])
    duration = float(data["duration_holdout"].iloc[0])
    predicted = model.conditional_expected_number_of_purchases_up_to_time(
        duration,
        data["frequency_cal"].to_numpy(),
        data["recency_cal"].to_numpy(),
        data["T_cal"].to_numpy(),
    )
    group = np.minimum(data["frequency_cal"].to_numpy(), max_frequency)
    frame = pd.DataFrame(
        {"group": group, "actual": data["frequency_holdout"].to_numpy(float), "predicted": predicted}
    )
    agg = frame.groupby("group").agg(
        customers=("actual", "size"),
        actual=("actual", "mean"),
        predicted=("predicted", "mean"),
        actual_total=("actual", "sum"),
        predicted_total=("predicted", "sum"),
    )
    agg = agg.reindex(range(max_frequency + 1), fill_value=0)
    agg.index = pd.Index(
        [str(i) if i < max_frequency else f"{max_frequency}+" for i in agg.index], name="frequency_cal"
    )
    agg["customers"] = agg["customers"].astype(np.int64)
    agg.attrs = {
        "model": type(model).__name__,
        "params": dict(model.params_),
        "duration_holdout": duration,
        "time_unit": time_unit,
        "actual_total": float(frame["actual"].sum()),
        "predicted_total": float(frame["predicted"].sum()),
    }
    return agg


# --------------------------------------------------------------------------------------------------
# Shared numerics
# --------------------------------------------------------------------------------------------------
def _group_rows(columns: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
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


def _collapse(columns: Sequence[np.ndarray], weights: Any) -> tuple[list[np.ndarray], np.ndarray]:
    """Collapse identical rows of ``columns`` into unique rows with summed weights (zero weights dropped)."""
    n = columns[0].size
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.size != n:
        raise ValueError(f"weights has length {w.size}, expected {n}.")
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative.")
    uniq, inverse = _group_rows(columns)
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


def _maximise(
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
        newton = bool(eig[0] > _FLAT_CURVATURE * eig[-1])
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
    wild = [n for n, v in zip(names, x, strict=True) if abs(v) > _LOG_PARAM_LIMIT]
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
    if gmax > _GTOL_WARN:
        raise ConvergenceError(
            f"{model}: the optimiser stopped before a maximum (largest gradient {gmax:.2e}; {res.message})."
        )
    if gmax > _GTOL_OK:
        warnings.warn(
            f"{model}: converged loosely (largest gradient {gmax:.2e}); parameters may be imprecise.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return x, float(f), H, res


def _as_output(result: np.ndarray, *inputs: Any) -> Any:
    """Series when an input is a Series (its index), float for scalar results, else ndarray."""
    for v in inputs:
        if isinstance(v, pd.Series):
            out = np.broadcast_to(result, (len(v),)) if np.ndim(result) == 0 else result
            return pd.Series(np.asarray(out, dtype=float), index=v.index)
    if np.ndim(result) == 0:
        return float(result)
    return result


def _arr(v: Any) -> np.ndarray:
    return np.asarray(v.to_numpy() if isinstance(v, pd.Series) else v, dtype=float)


def _one_minus_power_over(s_minus_1: float, log_ratio: np.ndarray) -> np.ndarray:
    """[1 - exp(-(s-1) L)] / (s-1), stable as s -> 1 (limit L)."""
    if abs(s_minus_1) < 1e-12:
        return log_ratio
    return -np.expm1(-s_minus_1 * log_ratio) / s_minus_1


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


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """sum(a * b) without BLAS: OpenBLAS threads make ``a @ b`` many times slower on a busy machine."""
    return float(np.einsum("i,i->", a, b))


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
            L0 = _dot(self.w0, np.log(a_T0))
            ll -= r * L0
            d_r -= L0
            d_alpha -= r * _dot(self.w0, 1.0 / a_T0)
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
            ll += _dot(w1, np.logaddexp(0.0, dv)) - _dot(B, log_aT)  # sum w logaddexp(u, v)
            d_r -= _dot(w1, log_aT) - _dot(A, log_aT) + _dot(A, log_atx)
            inv_aT = 1.0 / a_T
            d_alpha -= _dot(B, inv_aT) - _dot(C, inv_aT) + _dot(C, 1.0 / a_tx)
            d_a += float(A.sum()) / a
            d_b -= _dot(A, inv_bj[self.idx1])
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
    p = _param_vector(params, ("r", "alpha", "a", "b"))
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
    p = _param_vector(params, ("r", "alpha", "a", "b"))
    x, t_x, t = check_rfm_inputs(frequency, recency, T)
    return _bg_family(np.log(p), x, t_x, t, True, False)[0]


def _param_vector(params: Sequence[float] | dict[str, float], names: Sequence[str]) -> np.ndarray:
    p = np.array([params[n] for n in names] if isinstance(params, dict) else list(params), dtype=float)
    if p.size != len(names) or np.any(~np.isfinite(p)) or np.any(p <= 0):
        raise ValueError(f"parameters {tuple(names)} must be {len(names)} positive numbers, got {params!r}.")
    return p


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
    p = _param_vector(params, ("r", "alpha", "s", "beta"))
    x, t_x, t = check_rfm_inputs(frequency, recency, T)
    return _pareto_ll(np.log(p), x, t_x, t)


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
    prm = _param_vector(params, ("p", "q", "gamma"))
    x, m = check_monetary_inputs(frequency, monetary_value)
    return _gg(np.log(prm), x, m, False)[0]


# --------------------------------------------------------------------------------------------------
# Fitters
# --------------------------------------------------------------------------------------------------
class _Fitter:
    """Shared fitted-model plumbing: ``params_`` dict, attributes ``<name>_``, summary table."""

    _param_names: ClassVar[tuple[str, ...]] = ()
    _model_name: ClassVar[str] = ""

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}
        self.log_likelihood_: float = float("nan")
        self.standard_errors_: dict[str, float] = {}
        self.n_customers_: float = 0.0
        self.n_unique_rows_: int = 0
        self.aic_: float = float("nan")
        self.optimizer_result_: optimize.OptimizeResult | None = None

    def __repr__(self) -> str:
        if not self.params_:
            return f"<{type(self).__name__}: not fitted>"
        ps = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return (
            f"<{type(self).__name__}: {self.n_customers_:g} customers, {ps}, LL={self.log_likelihood_:.2f}>"
        )

    def _require_fitted(self) -> None:
        if not self.params_:
            raise ValueError(f"{type(self).__name__} is not fitted yet: call .fit() first.")

    def _store(
        self,
        params: np.ndarray,
        log_likelihood: float,
        hessian_log: np.ndarray,
        n_customers: float,
        n_unique: int,
        result: optimize.OptimizeResult,
    ) -> None:
        self.params_ = {n: float(v) for n, v in zip(self._param_names, params, strict=True)}
        for n, v in self.params_.items():
            setattr(self, f"{n}_", v)
        self.log_likelihood_ = float(log_likelihood)
        self.n_customers_ = float(n_customers)
        self.n_unique_rows_ = int(n_unique)
        self.aic_ = 2 * len(params) - 2 * self.log_likelihood_
        self.optimizer_result_ = result
        # Hessian of the total negative LL in log-parameters -> delta-method standard errors
        ses = np.full(len(params), np.nan)
        try:
            H = hessian_log * n_customers
            np.linalg.cholesky(H)
            cov_log = np.linalg.inv(H)
            ses = params * np.sqrt(np.diag(cov_log))
        except np.linalg.LinAlgError:
            warnings.warn(
                f"{self._model_name}: the Hessian is not positive definite; standard errors unavailable.",
                StatisticalWarning,
                stacklevel=3,
            )
        self.standard_errors_ = {n: float(v) for n, v in zip(self._param_names, ses, strict=True)}

    @property
    def summary(self) -> pd.DataFrame:
        """Parameters with standard errors and 95% (log-normal) confidence intervals."""
        self._require_fitted()
        coef = pd.Series(self.params_)
        se = pd.Series(self.standard_errors_)
        half = 1.959963984540054 * se / coef
        return pd.DataFrame(
            {
                "coef": coef,
                "se(coef)": se,
                "lower 95% bound": coef * np.exp(-half),
                "upper 95% bound": coef * np.exp(half),
            }
        )


class _TransactionModel(_Fitter):
    """Fitting of the (x, t_x, T) models: validation, collapse, time scaling, optimisation."""

    _has_gradient: ClassVar[bool] = True
    _time_params: ClassVar[tuple[str, ...]] = ("alpha",)

    def _row_ll(
        self, log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, grad: bool
    ) -> tuple[np.ndarray, np.ndarray | None]:
        raise NotImplementedError

    def _objective(
        self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, w: np.ndarray
    ) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
        """Mean negative log-likelihood and its gradient over log-parameters, from :meth:`_row_ll`."""
        n = float(w.sum())

        def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
            if self._has_gradient:
                ll, g = self._row_ll(z, x, t_x, T, True)
                return -_dot(w, ll) / n, -np.einsum("i,ij->j", w, g) / n
            f0 = -_dot(w, self._row_ll(z, x, t_x, T, False)[0]) / n
            h = 1e-6
            g = np.empty(z.size)
            for i in range(z.size):
                e = np.zeros(z.size)
                e[i] = h
                fp = -_dot(w, self._row_ll(z + e, x, t_x, T, False)[0]) / n
                fm = -_dot(w, self._row_ll(z - e, x, t_x, T, False)[0]) / n
                g[i] = (fp - fm) / (2 * h)
            return f0, g

        return objective

    def fit(
        self,
        frequency: Any,
        recency: Any,
        T: Any,
        weights: Any = None,
        initial_params: dict[str, float] | None = None,
        maxiter: int = 2000,
    ) -> Self:
        """Fit by maximum likelihood.

        Parameters
        ----------
        frequency, recency, T : array-like
            x (repeat purchases), t_x and T per customer (or per pattern when ``weights`` is given).
        weights : array-like, optional
            Number of customers with each (x, t_x, T) pattern. Identical rows are collapsed anyway.
        initial_params : dict, optional
            Starting values in the data's time unit (default: 1 for each parameter after rescaling
            time so that the largest T is 10).
        maxiter : int
            Iteration limit of the quasi-Newton optimiser.

        Returns
        -------
        self
            With ``params_``, ``log_likelihood_`` (total, in the data's time unit),
            ``standard_errors_``, ``aic_``, ``n_customers_`` and one attribute per parameter.

        Raises
        ------
        ValueError
            Invalid inputs (:func:`check_rfm_inputs`).
        InsufficientDataError
            Fewer than 10 customers or no repeat purchase (:func:`check_enough_data`).
        ConvergenceError
            The optimiser did not reach a proper maximum.
        """
        x, t_x, t = check_rfm_inputs(frequency, recency, T)
        (x, t_x, t), w = _collapse([x, t_x, t], weights)
        check_enough_data(x, w)
        n = float(w.sum())
        scale = 10.0 / float(t.max()) if t.max() > 0 else 1.0
        xs, txs, ts = x, t_x * scale, t * scale
        names = self._param_names
        time_idx = [names.index(p) for p in self._time_params]
        if initial_params is None:
            x0 = np.zeros(len(names))
        else:
            x0 = np.log(_param_vector(initial_params, names))
            x0[time_idx] += math.log(scale)

        objective = self._objective(xs, txs, ts, w)
        z, _, H, res = _maximise(
            objective,
            x0,
            names,
            self._model_name,
            maxiter=maxiter,
            hessian_step=1e-5 if self._has_gradient else 1e-4,
        )
        z_orig = z.copy()
        z_orig[time_idx] -= math.log(scale)
        ll_total = _dot(w, self._row_ll(z_orig, x, t_x, t, False)[0])
        self._store(np.exp(z_orig), ll_total, H, n, x.size, res)
        return self

    def predict(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """Alias of :meth:`conditional_expected_number_of_purchases_up_to_time`."""
        return self.conditional_expected_number_of_purchases_up_to_time(t, frequency, recency, T)

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: Any, frequency: Any, recency: Any, T: Any
    ) -> Any:
        """Expected repeat purchases in (T, T + t] given (x, t_x, T); inputs broadcast together.

        Returns a Series when an input is a Series, a float for scalars, else an array. The formula
        is in the model's docstring (``_expected_grid``).
        """
        self._require_fitted()
        x, t_x, T_, tt = np.broadcast_arrays(*(_arr(v) for v in (frequency, recency, T, t)))
        shape = x.shape
        x, t_x, T_, tt = (np.ravel(v) for v in (x, t_x, T_, tt))
        if np.any(tt < 0):
            raise ValueError("t (the prediction horizon) must be non-negative.")
        if tt.size and np.all(tt == tt[0]):
            out = self._expected_grid(tt[:1], x, t_x, T_)[:, 0]
        else:  # different horizons per row: evaluate row by row (still vectorised)
            out = self._expected_rows(tt, x, t_x, T_)
        return _as_output(out.reshape(shape), t, frequency, recency, T)

    def _expected_grid(self, ts: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        """(n, k) matrix of E[Y(ts[j]) | x_i, t_x_i, T_i] for 1-D customer arrays and horizons ts."""
        raise NotImplementedError

    def _expected_rows(self, t: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        raise NotImplementedError

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        raise NotImplementedError


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


class BetaGeoFitter(_TransactionModel):
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
        x, t_x, t = (_arr(v) for v in (frequency, recency, T))
        return _as_output(special.expit(-self._log_odds_dead(x, t_x, t)), frequency, recency, T)

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

        (ux, uT), inv = _group_rows([x, T])
        bracket = self._bracket(ux[:, None], uT[:, None], np.asarray(ts, dtype=float)[None, :])
        p_alive = special.expit(-self._log_odds_dead(x, t_x, T))
        return bracket[inv] * p_alive[:, None]

    def _expected_rows(self, t: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        from scipy import special  # lazy: scipy is slow to import

        (ux, uT, ut), inv = _group_rows([x, T, t])
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
        tt = _arr(t)
        return _as_output(_bg_expected_if_alive(r, alpha, a, b, 0.0, 0.0, 0.0, tt), t)


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
        tt = _arr(t)
        # b/(a-1) [...] = b/(a+b) times the "if alive" expectation of a customer with x = 0, T = 0
        out = b / (a + b) * _bg_expected_if_alive(r, alpha, a, b, 1.0, 0.0, 0.0, tt)
        return _as_output(out, t)


class ParetoNBDFitter(_TransactionModel):
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
        x, t_x, t = (_arr(v) for v in (frequency, recency, T))
        return _as_output(special.expit(-self._log_odds_dead(x, t_x, t)), frequency, recency, T)

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
        shape = _one_minus_power_over(s - 1.0, np.log1p(t / (beta + T)))
        return (r + x) * (beta + T) / (alpha + T) * shape * p_alive

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        r""":math:`E[X(t)] = \frac{r\beta}{\alpha(s-1)}[1 - (\frac{\beta}{\beta+t})^{s-1}]`
        (note 009, equation 27)."""
        self._require_fitted()
        r, alpha, s, beta = (self.params_[k] for k in self._param_names)
        tt = _arr(t)
        return _as_output(r * beta / alpha * _one_minus_power_over(s - 1.0, np.log1p(tt / beta)), t)


class GammaGammaFitter(_Fitter):
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
        (x, m), w = _collapse([x, m], weights)
        if w.sum() < _MIN_CUSTOMERS:
            raise InsufficientDataError(
                f"Only {w.sum():g} repeat buyers: at least {_MIN_CUSTOMERS} are needed for the Gamma-Gamma model."
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
            x0 = np.log(_param_vector(initial_params, self._param_names))
            x0[2] += math.log(scale)

        x_groups = np.unique(x, return_inverse=True)

        def objective(z: np.ndarray) -> tuple[float, np.ndarray]:
            ll, g = _gg(z, x, ms, True, x_groups)
            return -_dot(w, ll) / n, -np.einsum("i,ij->j", w, g) / n

        z, _, H, res = _maximise(objective, x0, self._param_names, self._model_name, maxiter=maxiter)
        z[2] -= math.log(scale)
        ll_total = _dot(w, _gg(z, x, m, False)[0])
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
        x, m = _arr(frequency), _arr(monetary_value)
        m = np.where(x > 0, m, 0.0)
        out = p * (g + x * m) / (p * x + q - 1.0)
        return _as_output(out, frequency, monetary_value)

    def customer_lifetime_value(
        self,
        transaction_model: _TransactionModel,
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
        per_month = _DAYS_PER_MONTH / check_time_unit(freq)
        spend = np.asarray(self.conditional_expected_average_profit(frequency, monetary_value), dtype=float)
        transaction_model._require_fitted()
        x, t_x, T_, spend = np.broadcast_arrays(*(_arr(v) for v in (frequency, recency, T, spend)))
        shape = x.shape
        steps = np.arange(1, int(time) + 1)
        horizon = np.concatenate([[0.0], steps * per_month])
        # (n, time+1) cumulative expectations in one vectorised call (2F1 once per distinct (x, T))
        cum = transaction_model._expected_grid(horizon, x.ravel(), t_x.ravel(), T_.ravel())
        discounted = (np.diff(cum, axis=1) / (1.0 + discount_rate) ** steps).sum(axis=1)
        out = (discounted * spend.ravel()).reshape(shape)
        return _as_output(out, frequency, recency, T, monetary_value)


def _weighted_corr(x: np.ndarray, m: np.ndarray, w: np.ndarray) -> float:
    c = np.cov(np.vstack([x, m]), aweights=w)
    return float(c[0, 1] / math.sqrt(c[0, 0] * c[1, 1]))


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
    prm = _param_vector([r, alpha, a, b], ("r", "alpha", "a", "b"))
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
    end_day = _one_day(end)
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
        sp, sq, sg = _param_vector(list(spend), ("p", "q", "gamma"))
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
