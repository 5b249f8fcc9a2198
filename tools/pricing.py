"""Price sensitivity: constant price elasticity of demand from price/volume observations.

Tool ``price_sensitivity`` (``fn(data, params) -> ToolResult``). Answer texts are in prompts/pricing.py.

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

Findings
--------
- ``price_inelastic_segment``: a group (or the whole data) whose 95% CI lies entirely above -1.
- ``price_elastic_segment``: a group whose 95% CI lies entirely below -1.
- ``over_discounting`` (with a ``discount`` column): a discount band at least OVER_DISCOUNT_MIN_DEPTH
  (10%) deep, with at least MIN_BAND_ROWS rows, whose observed volume lift (mean of quantity / the
  product's mean undiscounted quantity, minus 1) is below OVER_DISCOUNT_SHARE (50%) of the lift the
  elasticity implies for its mean depth d: (1 - d)^ε - 1.

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
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import price_sensitivity as W
from prompts import pricing as T
from prompts import value as VT
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.errors import ToolInputError
from tools.params import PeriodParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.wording import fact, join, num_text, pct_text, say, sentences

#: Refuse when the within-cell standard deviation of log price is below this (about a 2% CV of price).
MIN_PRICE_VARIATION = 0.02
#: Fewest observations for the pooled model and for each group.
MIN_OBSERVATIONS = 30
CONFIDENCE = 0.95
#: over_discounting: bands at least this deep, lifting volume by less than this share of the implied lift.
OVER_DISCOUNT_MIN_DEPTH = 0.10
OVER_DISCOUNT_SHARE = 0.5
MIN_BAND_ROWS = 30
DISCOUNT_EDGES = (0.0, 0.05, 0.10, 0.20)
DISCOUNT_LABELS = ("0-5%", "5-10%", "10-20%", "20%+")
MAX_SUMMARY_GROUPS = 8
MAX_SCATTER_POINTS = 2_000

PriceDimension = Literal["product", "segment", "store", "region", "channel"]


class PriceParams(PeriodParams):
    """Price elasticity (pooled and per group), a what-if price change and discount effectiveness."""

    group_by: PriceDimension | None = Field(
        None,
        description="Estimate one elasticity per product, segment, store, region or channel "
        "(default: per segment when the data has segments, else per product).",
    )
    segment: str | None = Field(
        None, description="Only this customer segment (value as in the data, e.g. 'B')."
    )
    product: str | None = Field(None, description="Only this product (name as in the data).")
    price_change: float | None = Field(
        None,
        ge=-0.5,
        le=0.5,
        description="What-if relative price change as a fraction (0.05 = a 5% rise, -0.1 = a 10% cut); "
        "default 0.05.",
    )
    margin: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Gross margin at current prices (fraction) for the profit what-if when the data has no cost.",
    )
    source: Literal["auto", "sales", "transactions"] = Field(
        "auto", description="Which table to read: the sales panel, the transactions, or auto (sales first)."
    )


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


# --- data -------------------------------------------------------------------------------------------


@dataclass
class _Obs:
    frame: pd.DataFrame  # columns: log_q, log_p, quantity, price, [promotion], [discount], [cost], keys...
    source: str
    cell_columns: list[str]
    dropped: int
    margin: float | None
    scope: dict[str, str]


def _observations(data: DatasetBundle, params: PriceParams) -> _Obs:
    use_sales = params.source == "sales" or (
        params.source == "auto" and data.has("sales", ["unit_price", "quantity"])
    )
    if use_sales:
        frame = data.require("sales", ["unit_price", "quantity"], T.PURPOSE)
        source = "sales"
    else:
        if not data.has("transactions", ["unit_price", "quantity"]) and params.source == "auto":
            if data.get("transactions") is None and data.get("sales") is None:
                data.require("sales", ["unit_price", "quantity"], T.PURPOSE)
            raise ToolInputError(T.PURPOSE_NEEDS)
        frame = data.require("transactions", ["unit_price", "quantity"], T.PURPOSE)
        source = "transactions"
    if "date" in frame.columns:
        frame = aggregate.period_filter(frame, params.start, params.end)
    cols: dict[str, object] = {}
    quantity = pd.to_numeric(frame["quantity"], errors="coerce").to_numpy(dtype=float)
    price = pd.to_numeric(frame["unit_price"], errors="coerce").to_numpy(dtype=float)
    if source == "transactions" and "discount" in frame.columns:
        disc = pd.to_numeric(frame["discount"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        disc = np.where(disc > 1, disc / 100, disc)  # 15 means 15%
        price = price * (1 - disc)
        cols["discount"] = disc
    elif "discount" in frame.columns:
        disc = pd.to_numeric(frame["discount"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        cols["discount"] = np.where(disc > 1, disc / 100, disc)
    cols |= {"quantity": quantity, "price": price}
    if "promotion" in frame.columns:
        cols["promotion"] = _flag(frame["promotion"])
    if "cost" in frame.columns:
        cols["cost"] = pd.to_numeric(frame["cost"], errors="coerce").to_numpy(dtype=float)
    for key in ("product", "store", "region", "channel", "segment", "customer_id"):
        if key in frame.columns:
            cols[key] = frame[key].astype("str").fillna(VT.UNKNOWN).array
    if "segment" not in cols and source == "transactions" and "customer_id" in frame.columns:
        customers = data.get("customers")
        if customers is not None and {"customer_id", "segment"} <= set(customers.columns):
            seg = customers.drop_duplicates("customer_id").set_index("customer_id")["segment"]
            cols["segment"] = frame["customer_id"].map(seg).astype("str").fillna(VT.UNKNOWN).array
    keep = np.isfinite(quantity) & np.isfinite(price) & (quantity > 0) & (price > 0)
    with np.errstate(divide="ignore", invalid="ignore"):  # rows with q or p <= 0 are dropped below
        cols |= {"log_q": np.log(quantity), "log_p": np.log(price)}
    obs = pd.DataFrame(cols)
    dropped = int((~keep).sum())
    if dropped:
        obs = obs.loc[keep].reset_index(drop=True)
    if obs.empty and (params.start or params.end):
        raise ToolInputError(say(T.NO_PERIOD_ROWS, start=params.start or "…", end=params.end or "…"))
    scope: dict[str, str] = {}
    for key, value in (("segment", params.segment), ("product", params.product)):
        if value is not None:
            obs, scope[key] = _only(obs, key, value)
    if source == "sales":
        cell_columns = [c for c in ("product", "segment", "store") if c in obs.columns]
    else:  # order lines: compare a customer's own orders of a product (customer size is not price response)
        cell_columns = [c for c in ("product", "customer_id") if c in obs.columns]
    margin = params.margin
    if margin is None and "cost" in obs.columns:
        revenue = float((obs["price"] * obs["quantity"]).sum())
        cost = float(obs["cost"].fillna(0.0).sum())
        margin = (revenue - cost) / revenue if revenue > 0 and revenue > cost else None
    return _Obs(obs, source, cell_columns, dropped, margin, scope)


def _flag(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return pd.to_numeric(values, errors="coerce").fillna(0).to_numpy(dtype=float).clip(0, 1)
    text = values.astype("str").str.strip().str.casefold()
    return text.isin(["yes", "y", "true", "1", "是", "promo", "promotion"]).to_numpy(dtype=float)


def _only(obs: pd.DataFrame, key: str, value: str) -> tuple[pd.DataFrame, str]:
    dim = VT.DIMENSIONS.get(key, Msg(key, key))
    if key not in obs.columns:
        shown = [str(c) for c in obs.columns if c not in ("log_q", "log_p")]  # the data's own columns
        raise ToolInputError(say(T.NO_COLUMN, dimension=key, columns=", ".join(shown)))
    known = sorted(set(obs[key].tolist()))
    match = [v for v in known if v.casefold() == value.strip().casefold()]
    if not match:
        raise ToolInputError(say(T.UNKNOWN_VALUE, dimension=dim, value=value, values=", ".join(known[:20])))
    return obs.loc[obs[key] == match[0]].reset_index(drop=True), match[0]


def _column_codes(obs: pd.DataFrame, columns: list[str]) -> dict[str, tuple[np.ndarray, int]]:
    """Each column factorized once: (integer code per row, number of distinct values)."""
    out = {}
    for c in columns:
        codes, uniques = pd.factorize(obs[c].astype("str"))
        out[c] = (codes.astype(np.int64, copy=False), len(uniques))
    return out


def _cells(
    obs: pd.DataFrame,
    cell_columns: list[str],
    rows: np.ndarray | None = None,
    column_codes: dict[str, tuple[np.ndarray, int]] | None = None,
) -> np.ndarray:
    """Cell code 0..G-1 per row (of ``rows`` when given), numbered in order of first appearance.

    Combines the per-column integer codes (``_column_codes``, computed here unless passed) instead of
    joining the key strings; the numbering is the same as factorizing the joined keys.
    """
    n = len(obs) if rows is None else len(rows)
    if not cell_columns:
        return np.zeros(n, dtype=np.int64)
    column_codes = column_codes if column_codes is not None else _column_codes(obs, cell_columns)
    combined, span = None, 1  # combined code per row, in 0..span-1 (one value per key combination)
    for c in cell_columns:
        codes, size = column_codes[c]
        codes = codes if rows is None else codes[rows]
        if combined is None:
            combined, span = codes, size
            continue
        if span * size >= 2**62:  # re-factorize first so that the combined code cannot overflow
            combined = pd.factorize(combined)[0].astype(np.int64)
            span = int(combined.max()) + 1 if len(combined) else 1
        combined, span = combined * size + codes, span * size
    return pd.factorize(combined)[0].astype(np.int64)


def _compact(codes: np.ndarray) -> np.ndarray:
    """``codes`` renumbered 0..G-1 (G = distinct codes), keeping their order: a bincount, not a hash."""
    present = np.bincount(codes) > 0
    return (np.cumsum(present) - 1)[codes]


@dataclass
class _Pooled:
    """Pooled cell codes and the model's variables demeaned within them (see ``_fit``): ``log_q`` (n,)
    and ``x`` (n, k), the columns of ``x`` named by ``columns`` (log_p, then promotion when present)."""

    cells: np.ndarray
    log_q: np.ndarray
    x: np.ndarray
    columns: list[str]

    @classmethod
    def of(cls, obs: pd.DataFrame, cells: np.ndarray) -> _Pooled:
        columns = ["log_p"] + (["promotion"] if "promotion" in obs.columns else [])
        x = np.column_stack([obs[c].to_numpy(dtype=float) for c in columns])
        return cls(cells, demean(obs["log_q"].to_numpy(dtype=float), cells), demean(x, cells), columns)


def _regressor_names(obs: pd.DataFrame, rows: np.ndarray | None = None) -> list[str]:
    """log_p, plus promotion when the flag varies (in ``rows`` when given)."""
    names = ["log_p"]
    if "promotion" in obs.columns:
        promotion = obs["promotion"].to_numpy(dtype=float)
        promotion = promotion if rows is None else promotion[rows]
        known = promotion[~np.isnan(promotion)]
        if len(known) and known.min() < known.max():  # nunique() > 1
            names.append("promotion")
    return names


def _regressors(obs: pd.DataFrame, rows: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """log price, plus the promotion flag when it varies (in ``rows`` when given)."""
    names = _regressor_names(obs, rows)
    columns = [obs[c].to_numpy(dtype=float) for c in names]
    return np.column_stack(columns if rows is None else [v[rows] for v in columns]), names


def _fit(
    obs: pd.DataFrame,
    cell_columns: list[str],
    scope: Msg,
    refuse: bool,
    rows: np.ndarray | None = None,
    column_codes: dict[str, tuple[np.ndarray, int]] | None = None,
    pooled: _Pooled | None = None,
) -> FEFit | None:
    """Fit the model on ``obs`` (its ``rows`` when given); refuse (ToolInputError) or return None when it
    cannot be estimated.

    ``pooled``: the pooled cells and variables demeaned within them, reused when the cells of ``rows``
    are whole pooled cells (the pooled fit, or groups by a cell column): each cell's mean is then the
    same sum over the same rows in the same order, so the fit is exactly the one computed afresh.
    """
    n = len(obs) if rows is None else len(rows)
    if pooled is None:
        cells = _cells(obs, cell_columns, rows, column_codes)
    else:
        cells = pooled.cells if rows is None else _compact(pooled.cells[rows])
    if n < MIN_OBSERVATIONS:
        if refuse:
            raise ToolInputError(say(T.TOO_FEW_ROWS, n=n, minimum=MIN_OBSERVATIONS, scope=scope))
        return None
    demeaned = None
    if pooled is not None:
        # the demeaned rows only: x itself is not built (fe_ols needs just the demeaned values)
        names = _regressor_names(obs, rows)
        xt = pooled.x if rows is None else pooled.x[rows]
        if len(names) < xt.shape[1]:  # promotion does not vary in these rows: log_p only
            xt = xt[:, [pooled.columns.index(c) for c in names]]
        demeaned = (pooled.log_q if rows is None else pooled.log_q[rows], xt)
        dev = xt[:, 0]
        variation = float(np.sqrt((dev**2).mean())) if len(dev) else 0.0  # price_variation
    else:
        x, names = _regressors(obs, rows)
        variation = price_variation(x[:, 0], cells)
    if variation < MIN_PRICE_VARIATION:
        if refuse:
            raise ToolInputError(
                say(
                    T.TOO_LITTLE_VARIATION,
                    scope=scope,
                    cells=_cell_name(cell_columns),
                    variation=f"{variation:.4f}",
                    minimum=f"{MIN_PRICE_VARIATION:.2f}",
                )
            )
        return None
    y = obs["log_q"].to_numpy(dtype=float)
    try:
        if demeaned is not None:
            # with the demeaned values given, fe_ols uses x only for its shape and the finiteness check;
            # a non-finite regressor makes its demeaned values non-finite too
            return fe_ols(y if rows is None else y[rows], demeaned[1], cells, demeaned=demeaned)
        return fe_ols(y if rows is None else y[rows], x, cells)
    except ValueError:
        if refuse:
            raise ToolInputError(say(T.TOO_FEW_ROWS, n=n, minimum=MIN_OBSERVATIONS, scope=scope)) from None
        return None


def _cell_name(cell_columns: list[str]) -> Msg:
    parts = [T.CELLS.get(c, Msg(c, c)) for c in cell_columns] or [Msg("dataset", "数据集")]
    return Msg(T.CELL_JOIN.en.join(p.en for p in parts), T.CELL_JOIN.zh.join(p.zh for p in parts))


# --- the tool ---------------------------------------------------------------------------------------


def price_sensitivity(data: DatasetBundle, params: PriceParams) -> ToolResult:
    """Price elasticity of demand (pooled and per group), a what-if price change, discount effectiveness.

    Reads the sales table (price/volume observations) when loaded, else transactions with unit_price
    and quantity (price paid = unit_price × (1 - discount)); ``segment`` comes from the customers table
    for transactions. Formulas, cut-offs and findings: see the module docstring.

    Tables: price_elasticity (group, elasticity, std_error, ci_low, ci_high, r_squared, observations,
    volume_change, revenue_change, gross_profit_change, classification); discount_lift (with a discount
    column: band, rows, mean_depth, volume_lift, expected_lift).

    Facts: elasticity, elasticity_se, elasticity_ci_low, elasticity_ci_high, r_squared, r_squared_within,
    observations, cells, promotion_lift (exp(β) - 1, when promotions exist), price_change, volume_change,
    revenue_change, gross_profit_change (null without cost or margin), margin, groups, source.
    Findings: price_inelastic_segment, price_elastic_segment, over_discounting.
    """
    obs_data = _observations(data, params)
    obs, cell_columns = obs_data.frame, obs_data.cell_columns
    scope = _scope(obs_data.scope)
    column_codes = _column_codes(obs, cell_columns)
    pooled = _Pooled.of(obs, _cells(obs, cell_columns, column_codes=column_codes))
    fit = _fit(obs, cell_columns, scope, refuse=True, pooled=pooled)
    assert fit is not None
    names = _regressor_names(obs)
    change = 0.05 if params.price_change is None else params.price_change
    margin = obs_data.margin
    eps = float(fit.coef_[0])
    pooled_what_if = what_if(eps, change, margin)
    facts: dict[str, FactValue] = {
        "elasticity": fact(eps),
        "elasticity_se": fact(fit.se_[0]),
        "elasticity_ci_low": fact(fit.ci_low_[0]),
        "elasticity_ci_high": fact(fit.ci_high_[0]),
        "r_squared": fact(fit.r_squared_),
        "r_squared_within": fact(fit.r_squared_within_),
        "observations": fit.n_,
        "cells": fit.cells_,
        "promotion_lift": fact(np.expm1(fit.coef_[1])) if "promotion" in names else None,
        "price_change": change,
        **{k: fact(v) for k, v in pooled_what_if.items()},
        "margin": fact(margin),
        "source": obs_data.source,
    }
    warnings: list[Msg] = []
    if obs_data.dropped:
        warnings.append(say(T.DROPPED_ROWS, count=num_text(obs_data.dropped)))

    by = params.group_by or _default_group(obs, params, column_codes)
    rows = [_row("all", fit, change, margin)]
    skipped: list[str] = []
    if by is not None:
        if by not in obs.columns:
            raise ToolInputError(say(T.NO_COLUMN, dimension=by, columns=", ".join(map(str, obs.columns))))
        group_cells = [c for c in cell_columns if c != by]
        group_values, parts = _group_rows(obs, by, column_codes)
        for value, members in zip(group_values, parts, strict=True):
            if params.margin is not None or "cost" not in obs.columns:
                part_margin = margin
            else:
                part_margin = _part_margin(obs.iloc[members], margin)
            group_fit = _fit(
                obs,
                group_cells,
                scope,
                refuse=False,
                rows=members,
                column_codes=column_codes,
                pooled=pooled if by in cell_columns else None,  # then each pooled cell lies in one group
            )
            if group_fit is None:
                skipped.append(str(value))
                continue
            rows.append(_row(str(value), group_fit, change, part_margin))
    table = pd.DataFrame(rows)
    table.insert(0, "dimension", ["all"] + [by or ""] * (len(table) - 1))
    facts["groups"] = len(table) - 1
    if skipped:
        warnings.append(
            say(
                T.GROUP_SKIPPED, dimension=_dim(by or ""), values=", ".join(skipped), minimum=MIN_OBSERVATIONS
            )
        )
    findings = _elasticity_findings(table)
    tables = [Table("price_elasticity", table)]
    discount_part = _discount_lift(obs, eps, cell_columns, column_codes)
    if discount_part is not None:
        tables.append(Table("discount_lift", discount_part))
        over = _over_discounting(discount_part)
        if over is not None:
            findings.append(over)

    summary = _summary(facts, table, by, change, margin, discount_part, obs_data.source, scope)
    charts = [_chart(table, by) if by is not None and len(table) > 1 else _scatter(obs, cell_columns)]
    assumptions = [
        T.PRICE_DEFINITION_SALES if obs_data.source == "sales" else T.PRICE_DEFINITION_TX,
        T.CONSTANT_ELASTICITY,
    ]
    if params.margin is not None:
        assumptions.append(say(T.MARGIN_GIVEN, margin=pct_text(margin)))
    elif margin is not None:
        assumptions.append(say(T.MARGIN_FROM_COST, margin=pct_text(margin)))
    else:
        assumptions.append(T.NO_MARGIN)
    formula = say(
        T.FORMULA,
        promo=T.PROMO_TERM if "promotion" in names else Msg("", ""),
        cells=_cell_name(cell_columns),
        min_depth=pct_text(OVER_DISCOUNT_MIN_DEPTH),
        share=pct_text(OVER_DISCOUNT_SHARE),
    )
    parameters = params.model_dump(mode="json") | {
        "price_change_used": change,
        "min_price_variation": MIN_PRICE_VARIATION,
        "min_observations": MIN_OBSERVATIONS,
        "group_by_used": by,
    }
    method = Method(formula, parameters, assumptions, _last_date(data, obs_data.source), fit.n_)
    return ToolResult("price_sensitivity", summary, facts, tables, charts, method, findings, warnings)


def _group_rows(
    obs: pd.DataFrame, by: str, column_codes: dict[str, tuple[np.ndarray, int]]
) -> tuple[list[str], list[np.ndarray]]:
    """The values of ``by``, sorted, and the rows of each (in their order), as obs.groupby(by, sort=True).

    A cell column with few values reuses its codes from ``column_codes`` (no second factorization).
    """
    if by in column_codes and column_codes[by][1] <= 16:
        codes, size = column_codes[by]
        found = [np.flatnonzero(codes == g) for g in range(size)]  # codes number values as they appear
        labels = obs[by].array
        first = [str(labels[members[0]]) for members in found]
        order = sorted(range(size), key=first.__getitem__)
        return [first[g] for g in order], [found[g] for g in order]
    group_codes, uniques = pd.factorize(obs[by], sort=True, use_na_sentinel=True)
    values = [str(v) for v in uniques]
    if len(values) <= 16:
        return values, [np.flatnonzero(group_codes == g) for g in range(len(values))]
    valid = np.flatnonzero(group_codes >= 0)
    order = valid[np.argsort(group_codes[valid], kind="stable")]
    return values, np.split(order, np.cumsum(np.bincount(group_codes[valid], minlength=len(values)))[:-1])


def _scope(values: dict[str, str]) -> Msg:
    parts = [say(T.SCOPE, dimension=VT.DIMENSIONS[k], value=v) for k, v in values.items()]
    return Msg("".join(p.en for p in parts), "".join(p.zh for p in parts))


def _default_group(
    obs: pd.DataFrame, params: PriceParams, column_codes: dict[str, tuple[np.ndarray, int]] | None = None
) -> str | None:
    codes = column_codes or {}

    def distinct(column: str) -> int:  # nunique(), from the factorized cell columns when at hand
        return codes[column][1] if column in codes else obs[column].nunique()

    if "segment" in obs.columns and params.segment is None and distinct("segment") > 1:
        return "segment"
    if "product" in obs.columns and params.product is None and distinct("product") > 1:
        return "product"
    return None


def _part_margin(part: pd.DataFrame, fallback: float | None) -> float | None:
    if "cost" not in part.columns:
        return fallback
    revenue = float((part["price"] * part["quantity"]).sum())
    cost = float(part["cost"].fillna(0.0).sum())
    return (revenue - cost) / revenue if revenue > 0 and revenue > cost else None


def _classify(low: float, high: float) -> str:
    if low > -1:
        return "inelastic"
    if high < -1:
        return "elastic"
    return "unclear"


def _row(group: str, fit: FEFit, change: float, margin: float | None) -> dict[str, object]:
    eps = float(fit.coef_[0])
    effect = what_if(eps, change, margin)
    return {
        "group": group,
        "elasticity": eps,
        "std_error": float(fit.se_[0]),
        "ci_low": float(fit.ci_low_[0]),
        "ci_high": float(fit.ci_high_[0]),
        "r_squared": float(fit.r_squared_),
        "observations": int(fit.n_),
        "price_change": change,
        "volume_change": effect["volume_change"],
        "revenue_change": effect["revenue_change"],
        "gross_profit_change": np.nan
        if effect["gross_profit_change"] is None
        else effect["gross_profit_change"],
        "classification": _classify(float(fit.ci_low_[0]), float(fit.ci_high_[0])),
    }


def _elasticity_findings(table: pd.DataFrame) -> list[Finding]:
    groups = table.iloc[1:] if len(table) > 1 else table
    out = []
    for name, cls, template, threshold in (
        ("price_inelastic_segment", "inelastic", T.FINDING_INELASTIC, -1.0),
        ("price_elastic_segment", "elastic", T.FINDING_ELASTIC, -1.0),
    ):
        hit = groups.loc[groups["classification"] == cls]
        if hit.empty:
            continue
        labels = ", ".join(f"{g} ({e:.2f})" for g, e in zip(hit["group"], hit["elasticity"], strict=True))
        out.append(
            Finding(
                name,
                say(template, groups=labels),
                [],
                None,  # no money at stake is known from an elasticity alone
                "elasticity_ci",
                threshold,
            )
        )
    return out


def _discount_lift(
    obs: pd.DataFrame,
    eps: float,
    cell_columns: list[str],
    column_codes: dict[str, tuple[np.ndarray, int]] | None = None,
) -> pd.DataFrame | None:
    """Volume lift per discount band vs the cell's undiscounted mean quantity, and what ε implies."""
    if "discount" not in obs.columns or not (obs["discount"] > 0).any():
        return None
    cells = pd.Series(_cells(obs, cell_columns, column_codes=column_codes), index=obs.index)
    full = obs["discount"] <= 0
    base = obs.loc[full].groupby(cells.loc[full])["quantity"].mean()
    if base.empty:
        return None
    ratio = obs["quantity"] / cells.map(base)
    discounted = obs["discount"] > 0
    band = pd.cut(obs["discount"], [*DISCOUNT_EDGES, np.inf], labels=list(DISCOUNT_LABELS), right=True)
    frame = pd.DataFrame({"band": band, "depth": obs["discount"], "ratio": ratio}).loc[
        discounted & ratio.notna()
    ]
    if frame.empty:
        return None
    out = frame.groupby("band", observed=True).agg(
        rows=("ratio", "size"), mean_depth=("depth", "mean"), mean_ratio=("ratio", "mean")
    )
    out["volume_lift"] = out["mean_ratio"] - 1
    out["expected_lift"] = (1 - out["mean_depth"]) ** eps - 1
    out = out.drop(columns="mean_ratio").reset_index()
    out["band"] = out["band"].astype("str")
    return out


def _over_discounting(bands: pd.DataFrame) -> Finding | None:
    hit = bands.loc[
        (bands["mean_depth"] >= OVER_DISCOUNT_MIN_DEPTH)
        & (bands["rows"] >= MIN_BAND_ROWS)
        & (bands["expected_lift"] > 0)
        & (bands["volume_lift"] < OVER_DISCOUNT_SHARE * bands["expected_lift"])
    ]
    if hit.empty:
        return None
    weights = hit["rows"] / hit["rows"].sum()
    lift = float((hit["volume_lift"] * weights).sum())
    expected = float((hit["expected_lift"] * weights).sum())
    return Finding(
        "over_discounting",
        say(
            T.FINDING_OVER_DISCOUNT,
            bands=", ".join(hit["band"]),
            lift=pct_text(lift),
            expected=pct_text(expected),
            share=pct_text(OVER_DISCOUNT_SHARE),
        ),
        [],
        None,
        "volume_lift_over_expected",
        OVER_DISCOUNT_SHARE,
    )


def _summary(
    facts: dict[str, FactValue],
    table: pd.DataFrame,
    by: str | None,
    change: float,
    margin: float | None,
    discounts: pd.DataFrame | None,
    source: str,
    scope: Msg,
) -> Msg:
    eps = float(facts["elasticity"])  # type: ignore[arg-type]
    reading = say(T.READING, abs_pct=f"{abs(eps):.2f}", direction=T.LOWER if eps < 0 else T.HIGHER)
    reading = sentences([T.INELASTIC if abs(eps) < 1 else T.ELASTIC, reading])
    parts = [
        say(
            T.SUMMARY,
            elasticity=f"{eps:.2f}",
            low=f"{facts['elasticity_ci_low']:.2f}",
            high=f"{facts['elasticity_ci_high']:.2f}",
            se=f"{facts['elasticity_se']:.3f}",
            r2=f"{facts['r_squared']:.2f}",
            n=num_text(facts["observations"]),
            source=T.SOURCE[source],
            scope=scope,
            reading=reading,
        )
    ]
    if by is not None and len(table) > 1:
        groups = table.iloc[1 : 1 + MAX_SUMMARY_GROUPS]
        items = join(
            [
                say(
                    VT.ITEM,
                    label=g,
                    value=say(T.GROUP_ITEM, value=f"{e:.2f}", low=f"{lo:.2f}", high=f"{hi:.2f}"),
                )
                for g, e, lo, hi in zip(
                    groups["group"], groups["elasticity"], groups["ci_low"], groups["ci_high"], strict=True
                )
            ]
        )
        parts.append(say(T.GROUPS, dimension=_dim(by), items=items))
    profit = (
        say(T.WHAT_IF_PROFIT, profit=_signed(facts["gross_profit_change"]), margin=pct_text(margin))
        if facts["gross_profit_change"] is not None
        else Msg("", "")
    )
    parts.append(
        say(
            T.WHAT_IF,
            change=_signed(change),
            volume=_signed(facts["volume_change"]),
            revenue=_signed(facts["revenue_change"]),
            profit=profit,
        )
    )
    if facts.get("promotion_lift") is not None:
        parts.append(say(T.PROMOTION, lift=pct_text(facts["promotion_lift"])))
    if discounts is not None and not discounts.empty:
        items = join(
            [
                say(T.DISCOUNT_ITEM, bucket=b, lift=_signed(lift), expected=_signed(exp))
                for b, lift, exp in zip(
                    discounts["band"], discounts["volume_lift"], discounts["expected_lift"], strict=True
                )
            ]
        )
        parts.append(say(T.DISCOUNTS, items=items))
    return sentences(parts)


def _signed(value: object) -> Msg:
    v = fact(value)
    if v is None:
        return pct_text(None)
    text = f"{'+' if v >= 0 else '-'}{abs(v) * 100:.1f}%"
    return Msg(text, text)


def _dim(by: str) -> Msg:
    return VT.DIMENSIONS.get(by, Msg(by, by))


def _chart(table: pd.DataFrame, by: str | None) -> Chart:
    groups = table.iloc[1:]
    figure = go.Figure(
        go.Bar(
            x=groups["group"].tolist(),
            y=groups["elasticity"].to_numpy(),
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (groups["ci_high"] - groups["elasticity"]).to_numpy(),
                "arrayminus": (groups["elasticity"] - groups["ci_low"]).to_numpy(),
            },
        )
    )
    figure.add_hline(y=-1, line_dash="dash")
    figure.update_layout(showlegend=False, xaxis={"type": "category"}, yaxis_title="elasticity")
    return Chart(say(T.CHART, dimension=_dim(by or "")), figure)


def _scatter(obs: pd.DataFrame, cell_columns: list[str]) -> Chart:
    cells = _cells(obs, cell_columns)
    x = demean(obs["log_p"].to_numpy(), cells)
    y = demean(obs["log_q"].to_numpy(), cells)
    step = max(1, len(x) // MAX_SCATTER_POINTS)
    figure = go.Figure(go.Scattergl(x=x[::step], y=y[::step], mode="markers", marker={"size": 4}))
    figure.update_layout(xaxis_title="log price (demeaned)", yaxis_title="log quantity (demeaned)")
    return Chart(T.CHART_POOLED, figure)


def _last_date(data: DatasetBundle, source: str) -> date | None:
    frame = data.get(source)
    if frame is None or "date" not in frame.columns or frame["date"].isna().all():
        return None
    return pd.Timestamp(frame["date"].max()).date()


SPEC = ToolSpec(
    "price_sensitivity",
    PriceParams,
    price_sensitivity,
    requires=('sales',),
    findings=('price_inelastic_segment', 'price_elastic_segment', 'over_discounting'),
    words=W,
)
