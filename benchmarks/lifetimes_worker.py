"""Run inside the lifetimes venv: ``python lifetimes_worker.py INPUT.npz REPEATS TOL``.

Plain script (the venv has no custfin). Reads frequency, recency, T (all customers) and the repeat
buyers' frequency and monetary value from the .npz, fits lifetimes' BetaGeoFitter and GammaGammaFitter
(penalizer 0) REPEATS times after the imports and a warm-up on 1,000 rows, and prints JSON: the
parameters, the wall time of each BG/NBD + Gamma-Gamma pair (interpreter start-up and imports
excluded) and the tolerances used. Each fit uses the tightest of TOL, 1e-9, 1e-8, 1e-7 with which
lifetimes reports convergence (scipy's BFGS often stops with "precision loss" below 1e-8); only the
converged attempt is timed.
"""

import json
import sys
import time
import warnings

import numpy as np


def tightest(fitter_class, args, tol):
    """(fitter, tol used, seconds of the converged fit)."""
    from lifetimes.utils import ConvergenceError

    for t in [tol] + [x for x in (1e-9, 1e-8, 1e-7) if x > tol]:
        start = time.perf_counter()
        try:
            fitter = fitter_class(penalizer_coef=0.0).fit(*args, tol=t)
        except ConvergenceError:
            continue
        return fitter, t, time.perf_counter() - start
    raise ConvergenceError("no tolerance converged")


def fit_pair(a, tol):
    bg, bg_tol, bg_s = tightest(BetaGeoFitter, (a["frequency"], a["recency"], a["T"]), tol)
    gg, gg_tol, gg_s = tightest(GammaGammaFitter, (a["gg_frequency"], a["gg_monetary"]), tol)
    return bg, gg, {"bgnbd": bg_tol, "gamma_gamma": gg_tol}, bg_s + gg_s


def main():
    path, repeats, tol = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    arrays = dict(np.load(path, allow_pickle=False))
    warm = {k: v[:1000] for k, v in arrays.items()}
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit_pair(warm, 1e-7)
        for _ in range(repeats):
            bg, gg, tols, seconds = fit_pair(arrays, tol)
            times.append(seconds)
    params = {k: float(bg.params_[k]) for k in ("r", "alpha", "a", "b")}
    params.update(p=float(gg.params_["p"]), q=float(gg.params_["q"]), gamma=float(gg.params_["v"]))
    import lifetimes

    print(json.dumps({"params": params, "times": times, "tol": tols, "version": lifetimes.__version__}))


if __name__ == "__main__":
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    main()
