"""Shared types, units, errors, warnings and the small named validation helpers of the CLV models
(lifelines habit: each raises ValueError with a precise message).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    pass


TimeUnit = Literal["D", "W", "M"]
DateLike = str | date | datetime | pd.Timestamp | np.datetime64

#: Length of one time unit in days.
UNIT_DAYS: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 365.25 / 12.0}

DAYS_PER_MONTH = 365.25 / 12.0
MIN_CUSTOMERS = 10
# Optimiser settings: objective is the mean negative log-likelihood per customer.
GTOL_OK = 1e-7  # max |gradient| (log-parameters) below which a fit is converged
GTOL_WARN = 1e-4  # above GTOL_OK but below this: converged with a warning; above: ConvergenceError
FLAT_CURVATURE = 1e-8  # smallest / largest Hessian eigenvalue below this: flat (proper fits: > 1e-4)
LOG_PARAM_LIMIT = 16.0  # |log(param)| beyond this (~1e7) means a parameter ran off to 0 or infinity


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


def check_enough_data(frequency: Any, weights: Any = None, min_customers: int = MIN_CUSTOMERS) -> None:
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


def check_columns(tx: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(tx, pd.DataFrame):
        raise ValueError(f"transactions must be a pandas DataFrame, got {type(tx).__name__}.")
    missing = [c for c in columns if c not in tx.columns]
    if missing:
        raise ValueError(f"transactions lack the column(s) {missing}; present: {list(tx.columns)}.")
