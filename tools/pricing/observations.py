"""Price/volume observations for the elasticity: the sales panel or the transactions, one segment or
product when asked, the fixed-effect cells (product, and product x segment x store when present) and
the pooled and per-group fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from core.text import Msg
from prompts import customer_rows as S
from prompts import price_sensitivity as W
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.errors import ToolInputError
from tools.params import PeriodParams
from tools.pricing.elasticity import FEFit, demean, fe_ols, price_variation
from tools.wording import say

#: Refuse when the within-cell standard deviation of log price is below this (about a 2% CV of price).
MIN_PRICE_VARIATION = 0.02
#: Fewest observations for the pooled model and for each group.
MIN_OBSERVATIONS = 30

# --- data -------------------------------------------------------------------------------------------

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

# --- the tool ---------------------------------------------------------------------------------------



@dataclass
class _Obs:
    frame: pd.DataFrame  # columns: log_q, log_p, quantity, price, [promotion], [discount], [cost], keys...
    source: str
    cell_columns: list[str]
    dropped: int
    margin: float | None
    scope: dict[str, str]


def observations(data: DatasetBundle, params: PriceParams) -> _Obs:
    use_sales = params.source == "sales" or (
        params.source == "auto" and data.has("sales", ["unit_price", "quantity"])
    )
    if use_sales:
        frame = data.require("sales", ["unit_price", "quantity"], W.PURPOSE)
        source = "sales"
    else:
        if not data.has("transactions", ["unit_price", "quantity"]) and params.source == "auto":
            if data.get("transactions") is None and data.get("sales") is None:
                data.require("sales", ["unit_price", "quantity"], W.PURPOSE)
            raise ToolInputError(W.PURPOSE_NEEDS)
        frame = data.require("transactions", ["unit_price", "quantity"], W.PURPOSE)
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
            cols[key] = frame[key].astype("str").fillna(S.UNKNOWN).array
    if "segment" not in cols and source == "transactions" and "customer_id" in frame.columns:
        customers = data.get("customers")
        if customers is not None and {"customer_id", "segment"} <= set(customers.columns):
            seg = customers.drop_duplicates("customer_id").set_index("customer_id")["segment"]
            cols["segment"] = frame["customer_id"].map(seg).astype("str").fillna(S.UNKNOWN).array
    keep = np.isfinite(quantity) & np.isfinite(price) & (quantity > 0) & (price > 0)
    with np.errstate(divide="ignore", invalid="ignore"):  # rows with q or p <= 0 are dropped below
        cols |= {"log_q": np.log(quantity), "log_p": np.log(price)}
    obs = pd.DataFrame(cols)
    dropped = int((~keep).sum())
    if dropped:
        obs = obs.loc[keep].reset_index(drop=True)
    if obs.empty and (params.start or params.end):
        raise ToolInputError(say(W.NO_PERIOD_ROWS, start=params.start or "…", end=params.end or "…"))
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
    dim = S.DIMENSIONS.get(key, Msg(key, key))
    if key not in obs.columns:
        shown = [str(c) for c in obs.columns if c not in ("log_q", "log_p")]  # the data's own columns
        raise ToolInputError(say(W.NO_COLUMN, dimension=key, columns=", ".join(shown)))
    known = sorted(set(obs[key].tolist()))
    match = [v for v in known if v.casefold() == value.strip().casefold()]
    if not match:
        raise ToolInputError(say(W.UNKNOWN_VALUE, dimension=dim, value=value, values=", ".join(known[:20])))
    return obs.loc[obs[key] == match[0]].reset_index(drop=True), match[0]


def codes_by_column(obs: pd.DataFrame, columns: list[str]) -> dict[str, tuple[np.ndarray, int]]:
    """Each column factorized once: (integer code per row, number of distinct values)."""
    out = {}
    for c in columns:
        codes, uniques = pd.factorize(obs[c].astype("str"))
        out[c] = (codes.astype(np.int64, copy=False), len(uniques))
    return out


def cell_codes(
    obs: pd.DataFrame,
    cell_columns: list[str],
    rows: np.ndarray | None = None,
    column_codes: dict[str, tuple[np.ndarray, int]] | None = None,
) -> np.ndarray:
    """Cell code 0..G-1 per row (of ``rows`` when given), numbered in order of first appearance.

    Combines the per-column integer codes (``column_codes``, computed here unless passed) instead of
    joining the key strings; the numbering is the same as factorizing the joined keys.
    """
    n = len(obs) if rows is None else len(rows)
    if not cell_columns:
        return np.zeros(n, dtype=np.int64)
    column_codes = column_codes if column_codes is not None else codes_by_column(obs, cell_columns)
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
class Pooled:
    """Pooled cell codes and the model's variables demeaned within them (see ``fit``): ``log_q`` (n,)
    and ``x`` (n, k), the columns of ``x`` named by ``columns`` (log_p, then promotion when present)."""

    cells: np.ndarray
    log_q: np.ndarray
    x: np.ndarray
    columns: list[str]

    @classmethod
    def of(cls, obs: pd.DataFrame, cells: np.ndarray) -> Pooled:
        columns = ["log_p"] + (["promotion"] if "promotion" in obs.columns else [])
        x = np.column_stack([obs[c].to_numpy(dtype=float) for c in columns])
        return cls(cells, demean(obs["log_q"].to_numpy(dtype=float), cells), demean(x, cells), columns)


def regressor_names(obs: pd.DataFrame, rows: np.ndarray | None = None) -> list[str]:
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
    names = regressor_names(obs, rows)
    columns = [obs[c].to_numpy(dtype=float) for c in names]
    return np.column_stack(columns if rows is None else [v[rows] for v in columns]), names


def fit_elasticity(
    obs: pd.DataFrame,
    cell_columns: list[str],
    scope: Msg,
    refuse: bool,
    rows: np.ndarray | None = None,
    column_codes: dict[str, tuple[np.ndarray, int]] | None = None,
    pooled: Pooled | None = None,
) -> FEFit | None:
    """Fit the model on ``obs`` (its ``rows`` when given); refuse (ToolInputError) or return None when it
    cannot be estimated.

    ``pooled``: the pooled cells and variables demeaned within them, reused when the cells of ``rows``
    are whole pooled cells (the pooled fit, or groups by a cell column): each cell's mean is then the
    same sum over the same rows in the same order, so the fit is exactly the one computed afresh.
    """
    n = len(obs) if rows is None else len(rows)
    if pooled is None:
        cells = cell_codes(obs, cell_columns, rows, column_codes)
    else:
        cells = pooled.cells if rows is None else _compact(pooled.cells[rows])
    if n < MIN_OBSERVATIONS:
        if refuse:
            raise ToolInputError(say(W.TOO_FEW_ROWS, n=n, minimum=MIN_OBSERVATIONS, scope=scope))
        return None
    demeaned = None
    if pooled is not None:
        # the demeaned rows only: x itself is not built (fe_ols needs just the demeaned values)
        names = regressor_names(obs, rows)
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
                    W.TOO_LITTLE_VARIATION,
                    scope=scope,
                    cells=cell_name(cell_columns),
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
            raise ToolInputError(say(W.TOO_FEW_ROWS, n=n, minimum=MIN_OBSERVATIONS, scope=scope)) from None
        return None


def cell_name(cell_columns: list[str]) -> Msg:
    parts = [W.CELLS.get(c, Msg(c, c)) for c in cell_columns] or [Msg("dataset", "数据集")]
    return Msg(W.CELL_JOIN.en.join(p.en for p in parts), W.CELL_JOIN.zh.join(p.zh for p in parts))
