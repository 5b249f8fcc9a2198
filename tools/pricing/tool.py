"""price_sensitivity: pooled and per-group price elasticity with its 95% CI, a what-if price change and
the discount depth against the volume lift.

Findings
--------
- ``price_inelastic_segment``: a group (or the whole data) whose 95% CI lies entirely above -1.
- ``price_elastic_segment``: a group whose 95% CI lies entirely below -1.
- ``over_discounting`` (with a ``discount`` column): a discount band at least OVER_DISCOUNT_MIN_DEPTH
  (10%) deep, with at least MIN_BAND_ROWS rows, whose observed volume lift (mean of quantity / the
  product's mean undiscounted quantity, minus 1) is below OVER_DISCOUNT_SHARE (50%) of the lift the
  elasticity implies for its mean depth d: (1 - d)^ε - 1.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.text import Msg
from prompts import customer_rows as S
from prompts import price_sensitivity as W
from tools.bundle import DatasetBundle
from tools.errors import ToolInputError
from tools.pricing.elasticity import FEFit, demean, what_if
from tools.pricing.observations import (
    MIN_OBSERVATIONS,
    MIN_PRICE_VARIATION,
    Pooled,
    PriceParams,
    cell_codes,
    cell_name,
    codes_by_column,
    fit_elasticity,
    observations,
    regressor_names,
)
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.wording import fact, join, num_text, pct_text, say, sentences

#: over_discounting: bands at least this deep, lifting volume by less than this share of the implied lift.
OVER_DISCOUNT_MIN_DEPTH = 0.10
OVER_DISCOUNT_SHARE = 0.5
MIN_BAND_ROWS = 30
DISCOUNT_EDGES = (0.0, 0.05, 0.10, 0.20)
DISCOUNT_LABELS = ("0-5%", "5-10%", "10-20%", "20%+")
MAX_SUMMARY_GROUPS = 8
MAX_SCATTER_POINTS = 2_000

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
    obs_data = observations(data, params)
    obs, cell_columns = obs_data.frame, obs_data.cell_columns
    scope = _scope(obs_data.scope)
    column_codes = codes_by_column(obs, cell_columns)
    pooled = Pooled.of(obs, cell_codes(obs, cell_columns, column_codes=column_codes))
    fit = fit_elasticity(obs, cell_columns, scope, refuse=True, pooled=pooled)
    assert fit is not None
    names = regressor_names(obs)
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
        warnings.append(say(W.DROPPED_ROWS, count=num_text(obs_data.dropped)))

    by = params.group_by or _default_group(obs, params, column_codes)
    rows = [_row("all", fit, change, margin)]
    skipped: list[str] = []
    if by is not None:
        if by not in obs.columns:
            raise ToolInputError(say(W.NO_COLUMN, dimension=by, columns=", ".join(map(str, obs.columns))))
        group_cells = [c for c in cell_columns if c != by]
        group_values, parts = _group_rows(obs, by, column_codes)
        for value, members in zip(group_values, parts, strict=True):
            if params.margin is not None or "cost" not in obs.columns:
                part_margin = margin
            else:
                part_margin = _part_margin(obs.iloc[members], margin)
            group_fit = fit_elasticity(
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
                W.GROUP_SKIPPED, dimension=_dim(by or ""), values=", ".join(skipped), minimum=MIN_OBSERVATIONS
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
        W.PRICE_DEFINITION_SALES if obs_data.source == "sales" else W.PRICE_DEFINITION_TX,
        W.CONSTANT_ELASTICITY,
    ]
    if params.margin is not None:
        assumptions.append(say(W.MARGIN_GIVEN, margin=pct_text(margin)))
    elif margin is not None:
        assumptions.append(say(W.MARGIN_FROM_COST, margin=pct_text(margin)))
    else:
        assumptions.append(W.NO_MARGIN)
    formula = say(
        W.FORMULA,
        promo=W.PROMO_TERM if "promotion" in names else Msg("", ""),
        cells=cell_name(cell_columns),
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
    parts = [say(W.SCOPE, dimension=S.DIMENSIONS[k], value=v) for k, v in values.items()]
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
        ("price_inelastic_segment", "inelastic", W.FINDING_INELASTIC, -1.0),
        ("price_elastic_segment", "elastic", W.FINDING_ELASTIC, -1.0),
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
    cells = pd.Series(cell_codes(obs, cell_columns, column_codes=column_codes), index=obs.index)
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
            W.FINDING_OVER_DISCOUNT,
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
    reading = say(W.READING, abs_pct=f"{abs(eps):.2f}", direction=W.LOWER if eps < 0 else W.HIGHER)
    reading = sentences([W.INELASTIC if abs(eps) < 1 else W.ELASTIC, reading])
    parts = [
        say(
            W.SUMMARY,
            elasticity=f"{eps:.2f}",
            low=f"{facts['elasticity_ci_low']:.2f}",
            high=f"{facts['elasticity_ci_high']:.2f}",
            se=f"{facts['elasticity_se']:.3f}",
            r2=f"{facts['r_squared']:.2f}",
            n=num_text(facts["observations"]),
            source=W.SOURCE[source],
            scope=scope,
            reading=reading,
        )
    ]
    if by is not None and len(table) > 1:
        groups = table.iloc[1 : 1 + MAX_SUMMARY_GROUPS]
        items = join(
            [
                say(
                    S.ITEM,
                    label=g,
                    value=say(W.GROUP_ITEM, value=f"{e:.2f}", low=f"{lo:.2f}", high=f"{hi:.2f}"),
                )
                for g, e, lo, hi in zip(
                    groups["group"], groups["elasticity"], groups["ci_low"], groups["ci_high"], strict=True
                )
            ]
        )
        parts.append(say(W.GROUPS, dimension=_dim(by), items=items))
    profit = (
        say(W.WHAT_IF_PROFIT, profit=_signed(facts["gross_profit_change"]), margin=pct_text(margin))
        if facts["gross_profit_change"] is not None
        else Msg("", "")
    )
    parts.append(
        say(
            W.WHAT_IF,
            change=_signed(change),
            volume=_signed(facts["volume_change"]),
            revenue=_signed(facts["revenue_change"]),
            profit=profit,
        )
    )
    if facts.get("promotion_lift") is not None:
        parts.append(say(W.PROMOTION, lift=pct_text(facts["promotion_lift"])))
    if discounts is not None and not discounts.empty:
        items = join(
            [
                say(W.DISCOUNT_ITEM, bucket=b, lift=_signed(lift), expected=_signed(exp))
                for b, lift, exp in zip(
                    discounts["band"], discounts["volume_lift"], discounts["expected_lift"], strict=True
                )
            ]
        )
        parts.append(say(W.DISCOUNTS, items=items))
    return sentences(parts)


def _signed(value: object) -> Msg:
    v = fact(value)
    if v is None:
        return pct_text(None)
    text = f"{'+' if v >= 0 else '-'}{abs(v) * 100:.1f}%"
    return Msg(text, text)


def _dim(by: str) -> Msg:
    return S.DIMENSIONS.get(by, Msg(by, by))


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
    return Chart(say(W.CHART, dimension=_dim(by or "")), figure)


def _scatter(obs: pd.DataFrame, cell_columns: list[str]) -> Chart:
    cells = cell_codes(obs, cell_columns)
    x = demean(obs["log_p"].to_numpy(), cells)
    y = demean(obs["log_q"].to_numpy(), cells)
    step = max(1, len(x) // MAX_SCATTER_POINTS)
    figure = go.Figure(go.Scattergl(x=x[::step], y=y[::step], mode="markers", marker={"size": 4}))
    figure.update_layout(xaxis_title="log price (demeaned)", yaxis_title="log quantity (demeaned)")
    return Chart(W.CHART_POOLED, figure)


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
    order=100,
)
