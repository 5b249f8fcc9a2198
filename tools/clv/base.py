"""Fitted-model plumbing shared by the model families: ``params_`` and ``<name>_`` attributes,
summary table, and the (x, t_x, T) fitting (validation, collapse, time scaling, optimisation).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import pandas as pd

from tools.clv.common import StatisticalWarning, check_enough_data, check_rfm_inputs
from tools.clv.numerics import arr, as_output, collapse, dot, maximise, param_vector

if TYPE_CHECKING:
    from scipy import optimize


# --------------------------------------------------------------------------------------------------
# Fitters
# --------------------------------------------------------------------------------------------------
class Fitter:
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


class TransactionModel(Fitter):
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
                return -dot(w, ll) / n, -np.einsum("i,ij->j", w, g) / n
            f0 = -dot(w, self._row_ll(z, x, t_x, T, False)[0]) / n
            h = 1e-6
            g = np.empty(z.size)
            for i in range(z.size):
                e = np.zeros(z.size)
                e[i] = h
                fp = -dot(w, self._row_ll(z + e, x, t_x, T, False)[0]) / n
                fm = -dot(w, self._row_ll(z - e, x, t_x, T, False)[0]) / n
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
        (x, t_x, t), w = collapse([x, t_x, t], weights)
        check_enough_data(x, w)
        n = float(w.sum())
        scale = 10.0 / float(t.max()) if t.max() > 0 else 1.0
        xs, txs, ts = x, t_x * scale, t * scale
        names = self._param_names
        time_idx = [names.index(p) for p in self._time_params]
        if initial_params is None:
            x0 = np.zeros(len(names))
        else:
            x0 = np.log(param_vector(initial_params, names))
            x0[time_idx] += math.log(scale)

        objective = self._objective(xs, txs, ts, w)
        z, _, H, res = maximise(
            objective,
            x0,
            names,
            self._model_name,
            maxiter=maxiter,
            hessian_step=1e-5 if self._has_gradient else 1e-4,
        )
        z_orig = z.copy()
        z_orig[time_idx] -= math.log(scale)
        ll_total = dot(w, self._row_ll(z_orig, x, t_x, t, False)[0])
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
        x, t_x, T_, tt = np.broadcast_arrays(*(arr(v) for v in (frequency, recency, T, t)))
        shape = x.shape
        x, t_x, T_, tt = (np.ravel(v) for v in (x, t_x, T_, tt))
        if np.any(tt < 0):
            raise ValueError("t (the prediction horizon) must be non-negative.")
        if tt.size and np.all(tt == tt[0]):
            out = self._expected_grid(tt[:1], x, t_x, T_)[:, 0]
        else:  # different horizons per row: evaluate row by row (still vectorised)
            out = self._expected_rows(tt, x, t_x, T_)
        return as_output(out.reshape(shape), t, frequency, recency, T)

    def _expected_grid(self, ts: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        """(n, k) matrix of E[Y(ts[j]) | x_i, t_x_i, T_i] for 1-D customer arrays and horizons ts."""
        raise NotImplementedError

    def _expected_rows(self, t: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def conditional_probability_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        raise NotImplementedError

    def expected_number_of_purchases_up_to_time(self, t: Any) -> Any:
        raise NotImplementedError
