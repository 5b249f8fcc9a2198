r"""The customer_lifetime_value tool: predictive CLV (BG/NBD, MBG/NBD, Pareto/NBD + Gamma-Gamma) with the
historical method of tools/clv/historical.py as an alternative and as the fallback.

Formula (per customer, time in ``time_unit`` u: "D" 1 day, "W" 7 days, "M" 365.25/12 days)
-----------------------------------------------------------------------------------------------
From the purchases up to ``calibration_end`` (rows with revenue >= 0; refunds are not purchases; same-day purchases count once)
:func:`tools.clv.rfm_summary` gives x (repeat purchases), t_x (time of the last purchase after the
first) and T (calibration_end - first purchase) and m (mean repeat-purchase amount). Then::

    E[Y(t)]   = expected purchases in (T, T + t] given (x, t_x, T)     (the transaction model)
    P(alive)  = probability the customer has not dropped out by T       (1 for BG/NBD one-time buyers)
    E[Z]      = p (gamma + x m) / (p x + q - 1)                         (Gamma-Gamma expected spend)
    d         = (1 + discount_rate)^(u / 365.25 days) - 1                (discount rate per time unit)
    clv       = margin * E[Z] * sum_{i=1..H} (E[Y(i)] - E[Y(i-1)]) / (1 + d)^i

H = ``horizon`` time units (default one year: 365 D, 52 W, 12 M). margin = ``margin``, else the
observed gross margin sum(revenue - cost) / sum(revenue) up to calibration_end, else 1.0 (CLV is then
revenue; a warning says so). The Gamma-Gamma model is fitted on the repeat buyers with m > 0; when it
cannot be (fewer than 10, no convergence, q <= 1) E[Z] is the customer's own mean purchase-day amount
(first purchase included), with a warning.

Models: "bgnbd" (default), "mbgnbd", "pareto_nbd", "historical" (tools.clv.historical). A customer
snapshot (tenure, monthly charges and a churn flag, no purchases; tools/snapshot.py) gets subscription CLV
whatever the model: margin x monthly charge x Σ_k S(t + k) / S(t) / (1 + d)^k from the Kaplan-Meier curve
of tenure (tools/clv/subscription.py).
Fewer than MIN_CUSTOMERS customers, no repeat purchase, or a fit that does not converge fall back to the
historical method with a warning, never an error.

When the transactions extend past calibration_end, the classic calibration/holdout check (Fader, Hardie
& Lee 2005) is added: customers grouped by calibration repeat purchases 0..7+, mean actual vs predicted
repeat purchases in the holdout (table ``calibration_holdout`` and a chart).

Facts: model, time_unit, horizon, discount_rate, margin, calibration_end, customers, repeat_buyers,
total_clv, average_clv, median_clv, expected_purchases, customers_likely_alive, r, alpha, a, b (BG/NBD,
MBG/NBD) or r, alpha, s, beta (Pareto/NBD), log_likelihood, p, q, gamma (Gamma-Gamma, null when not
fitted), listed; with a holdout holdout_periods, holdout_actual, holdout_predicted; with group_by groups;
with one customer customer_clv, customer_rank.

Tables: customer_lifetime_value (rank, customer_id, name, frequency, recency, t (= T, time since the
first purchase; lower case for the snake_case column contract), expected_purchases,
p_alive, expected_avg_spend, clv) or clv_by_<group_by>; clv_by_segment (when a customers table has
segments and no group_by is asked); calibration_holdout.

Findings: ``at_risk_valuable_customers``: customers in the top 20% by revenue up to calibration_end
whose P(alive) < AT_RISK_P_ALIVE (0.5); value = their revenue.

Example
-------
>>> from tools.clv import simulate_bgnbd_transactions
>>> from tools.bundle import Dataset, DatasetBundle
>>> tx = simulate_bgnbd_transactions(500, 0.25, 4.0, 0.8, 2.5, T=52, seed=3)
>>> result = customer_lifetime_value(DatasetBundle([Dataset("transactions", tx)]), CLVParams())
>>> result.facts["model"], result.facts["customers"]
('bgnbd', 500)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import customer_lifetime_value as W
from prompts import customer_rows as S
from tools import clv as models
from tools.bundle import DatasetBundle
from tools.charts import bar_chart
from tools.clv import historical as hist
from tools.clv.reporting import clv_groups, listing_summary, margin_used
from tools.clv.subscription import subscription_clv
from tools.customer_rows import (
    PERIODS,
    Rows,
    customer_attribute,
    customer_ids,
    customer_names,
    dim_name,
    listed_customers,
    match_customers,
    name_column,
    plain_label,
    prepare,
    with_names,
)
from tools.errors import ToolInputError
from tools.params import SNAPSHOT_GROUP_HELP, CustomerGroup, RankParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.snapshot import is_snapshot
from tools.spec import ToolSpec
from tools.wording import (
    fact,
    iso,
    items_text,
    money_text,
    num_text,
    pct_text,
    say,
    sentences,
)

Model = Literal["bgnbd", "mbgnbd", "pareto_nbd", "historical"]
TimeUnit = Literal["D", "W", "M"]

#: Fewer customers than this (or no repeat purchase) -> historical method.
MIN_CUSTOMERS = 10
#: Default horizon (one year) per time unit.
DEFAULT_HORIZON: dict[str, int] = {"D": 365, "W": 52, "M": 12}
DEFAULT_DISCOUNT_RATE = 0.10
#: at_risk_valuable_customers: top TOP_SHARE by past revenue with P(alive) below this.
AT_RISK_P_ALIVE = 0.5
TOP_SHARE = 0.20
#: "likely still active" in the summary: P(alive) at least this.
ALIVE_CUTOFF = 0.5
HOLDOUT_MAX_FREQUENCY = 7
_ID = "customer_id"
_FITTERS: dict[str, type] = {
    "bgnbd": models.BetaGeoFitter,
    "mbgnbd": models.ModifiedBetaGeoFitter,
    "pareto_nbd": models.ParetoNBDFitter,
}
MODEL_GROUP_COLUMNS = [
    ("average_p_alive", ("p_alive", "mean")),
    ("expected_purchases", ("expected_purchases", "sum")),
]
_ASSUMPTIONS = {"bgnbd": W.ASSUME_BGNBD, "mbgnbd": W.ASSUME_MBGNBD, "pareto_nbd": W.ASSUME_PARETO}


class CLVParams(RankParams):
    """Customer lifetime value: model, time unit, calibration end, horizon, discounting and margin."""

    group_by: CustomerGroup | None = Field(
        None,
        description="Aggregate by this dimension instead of per customer (e.g. segment, region)."
        + SNAPSHOT_GROUP_HELP,
    )
    model: Model = Field(
        "bgnbd",
        description="CLV model: 'bgnbd' (default; BG/NBD purchases + Gamma-Gamma spend), 'mbgnbd', "
        "'pareto_nbd', or 'historical' (average order value x purchases a year x margin x lifetime). The "
        "predictive models fall back to 'historical' when nobody bought twice or there are too few customers.",
    )
    time_unit: TimeUnit = Field(
        "W", description="Time unit of recency, T and the horizon: 'D' days, 'W' weeks (default), 'M' months."
    )
    calibration_end: date | None = Field(
        None,
        description="Fit the model on purchases up to this date (ISO); later purchases check the "
        "predictions (holdout). Default: the last transaction date.",
    )
    horizon: int | None = Field(
        None, ge=1, le=3650, description="Prediction horizon in time units (default: one year)."
    )
    discount_rate: float = Field(
        DEFAULT_DISCOUNT_RATE,
        ge=0,
        le=1,
        description="Annual discount rate (default 0.10), applied per time unit as (1+rate)^(unit/year)-1.",
    )
    margin: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Gross margin as a fraction (default: observed gross margin when costs exist, else 1.0).",
    )
    lifetime_years: float | None = Field(
        None,
        gt=0,
        le=50,
        description="Historical model only: expected customer lifetime in years (default: estimated).",
    )
    currency: str | None = Field(
        None, description="Currency to analyse when there are several (default: the most common)."
    )


def customer_lifetime_value(data: DatasetBundle, params: CLVParams) -> ToolResult:
    """Predicted (or historical) customer lifetime value; see the module docstring for the maths."""
    if is_snapshot(data):
        return subscription_clv(data, params)
    purpose = Msg("estimate customer lifetime value", "估算客户终身价值")
    data.rows("transactions", [_ID, "date", "revenue"], purpose)  # checks the columns, reads nothing
    if params.model == "historical":  # in place on a live source (tools.aggregate)
        return _historical(data, params, [])
    tx = data.require("transactions", [_ID, "date", "revenue"], purpose)
    if params.group_by in PERIODS:
        raise ToolInputError(say(W.CLV_DIMENSION, dimension=dim_name(params.group_by)))
    rows = prepare(data, tx, params.start, params.end, params.currency)
    used = rows.tx
    purchases = used.loc[used["revenue"].to_numpy() >= 0]
    last_date = rows.last_date
    cal_end = params.calibration_end or last_date
    first_date = purchases["date"].min().date() if len(purchases) else None
    if first_date is None or cal_end < first_date:
        raise ToolInputError(
            Msg(
                f"calibration_end {cal_end.isoformat()} is before the first purchase "
                f"({iso(first_date)}); choose a later date.",
                f"校准截止日 {cal_end.isoformat()} 早于首次购买（{iso(first_date)}），请选择更晚的日期。",
            )
        )
    unit = params.time_unit
    fit, reason = _fit(purchases, cal_end, params)
    if fit is None:
        note = say(W.FALLBACK, model=W.MODEL_NAMES[params.model], reason=reason)
        return _historical(data, params, [note])
    return _predictive(data, params, rows, purchases, fit, cal_end, last_date, unit)


# --- fitting ---------------------------------------------------------------------------------------


@dataclass
class _Fit:
    """A fitted transaction model (and spend model) on the calibration summary."""

    summary: pd.DataFrame
    model: models._TransactionModel
    gamma: models.GammaGammaFitter | None
    spend: np.ndarray
    spend_note: Msg
    notes: list[Msg]


def _fit(purchases: pd.DataFrame, cal_end: date, params: CLVParams) -> tuple[_Fit | None, Msg]:
    """The fitted models, or None and the reason (few customers, no repeat purchase, no convergence)."""
    summary = models.rfm_summary(purchases, calibration_end=cal_end, time_unit=params.time_unit)
    n = len(summary)
    if n < MIN_CUSTOMERS:
        return None, say(W.REASON_FEW, count=num_text(n), min=MIN_CUSTOMERS)
    x = summary["frequency"].to_numpy(float)
    if not (x > 0).any():
        return None, W.REASON_NO_REPEAT
    notes: list[Msg] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = _FITTERS[params.model]().fit(summary["frequency"], summary["recency"], summary["T"])
        except ValueError as exc:
            return None, say(W.REASON_FIT, detail=str(exc))
    notes += [say(W.MODEL_NOTE, text=str(w.message)) for w in caught]
    cal = purchases.loc[purchases["date"] < pd.Timestamp(cal_end) + pd.Timedelta(days=1)]
    totals = cal.groupby(_ID, sort=False)["revenue"].sum().reindex(summary.index).fillna(0.0)
    own_mean = totals.to_numpy(float) / (x + 1)
    gamma, spend, spend_note, gg_notes = _spend(summary, own_mean)
    return _Fit(summary, model, gamma, spend, spend_note, notes + gg_notes), Msg("", "")


def _spend(
    summary: pd.DataFrame, own_mean: np.ndarray
) -> tuple[models.GammaGammaFitter | None, np.ndarray, Msg, list[Msg]]:
    """Expected spend per purchase: Gamma-Gamma on repeat buyers, else ``own_mean``.

    ``own_mean`` is each customer's mean purchase-day amount up to calibration_end, first purchase
    included (Σ revenue / (x + 1)).
    """
    x = summary["frequency"].to_numpy(float)
    m = summary["monetary_value"].to_numpy(float)
    repeat = (x > 0) & (m > 0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            gg = models.GammaGammaFitter().fit(x[repeat], m[repeat])
            if gg.q_ <= 1:
                raise models.InsufficientDataError(f"q = {gg.q_:.3f} <= 1 (infinite mean spend)")
            spend = np.asarray(gg.conditional_expected_average_profit(x, m), dtype=float)
            mean = gg.p_ * gg.gamma_ / (gg.q_ - 1)
            note = say(W.ASSUME_GAMMA, buyers=num_text(int(repeat.sum())), mean=money_text(mean))
            return gg, spend, note, [say(W.MODEL_NOTE, text=str(w.message)) for w in caught]
        except ValueError as exc:
            reason = str(exc)
    note = say(W.ASSUME_SPEND_MEAN, reason=reason)
    return None, np.asarray(own_mean, dtype=float), note, []


# --- predictive result -----------------------------------------------------------------------------


def _predictive(
    data: DatasetBundle,
    params: CLVParams,
    rows: Rows,
    purchases: pd.DataFrame,
    fit: _Fit,
    cal_end: date,
    last_date: date,
    unit: str,
) -> ToolResult:
    summary, model = fit.summary, fit.model
    x = summary["frequency"].to_numpy(float)
    t_x = summary["recency"].to_numpy(float)
    T_ = summary["T"].to_numpy(float)
    horizon = params.horizon or DEFAULT_HORIZON[unit]
    per_unit = per_unit_rate(params.discount_rate, unit)
    cum = model._expected_grid(np.arange(horizon + 1, dtype=float), x, t_x, T_)
    discount = (1.0 + per_unit) ** -np.arange(1, horizon + 1)
    discounted_purchases = np.diff(cum, axis=1) @ discount
    p_alive = np.asarray(model.conditional_probability_alive(x, t_x, T_), dtype=float)
    cal_rows = purchases.loc[purchases["date"] < pd.Timestamp(cal_end) + pd.Timedelta(days=1)]
    revenue = float(cal_rows["revenue"].sum())
    gross_profit = revenue - float(cal_rows["cost"].fillna(0).sum()) if "cost" in cal_rows.columns else None
    margin, margin_note = margin_used(
        params.margin, revenue, gross_profit, W.MARGIN_GIVEN, W.MARGIN_OBSERVED, W.MARGIN_ASSUMED,
        end=cal_end.isoformat(),
    )  # fmt: skip
    table = pd.DataFrame(
        {
            "frequency": summary["frequency"].astype("int64"),
            "recency": summary["recency"],
            "t": summary["T"],  # the literature's T, lower case for the snake_case table contract
            "expected_purchases": cum[:, -1],
            "p_alive": p_alive,
            "expected_avg_spend": fit.spend,
            "clv": margin * fit.spend * discounted_purchases,
        },
        index=summary.index.rename(_ID),
    )
    tx = rows.tx
    names = customer_names(data, tx)
    matched = match_customers(data, tx, names, params.customer) if params.customer else None
    ranked = table.sort_values("clv", ascending=False, kind="stable")
    ranked.insert(0, "rank", np.arange(1, len(ranked) + 1))
    name = W.MODEL_NAMES[params.model]
    unit_name = W.UNIT_NAMES[unit]
    facts: dict[str, FactValue] = {
        "model": params.model,
        "time_unit": unit,
        "horizon": horizon,
        "discount_rate": params.discount_rate,
        "margin": fact(margin),
        "calibration_end": cal_end.isoformat(),
        "customers": len(table),
        "repeat_buyers": int((x > 0).sum()),
        "total_clv": fact(table["clv"].sum()),
        "average_clv": fact(table["clv"].mean()),
        "median_clv": fact(table["clv"].median()),
        "expected_purchases": fact(table["expected_purchases"].sum()),
        "customers_likely_alive": int((p_alive >= ALIVE_CUTOFF).sum()),
    }
    facts |= {k: fact(v) for k, v in model.params_.items()}
    facts["log_likelihood"] = fact(model.log_likelihood_)
    for key in ("p", "q", "gamma"):
        facts[key] = fact(fit.gamma.params_[key]) if fit.gamma is not None else None
    tables: list[Table] = []
    charts: list[Chart] = []
    if params.group_by is not None:
        members = ranked if matched is None else ranked.loc[ranked.index.isin(matched)]
        attribute = customer_attribute(data, tx, params.group_by).reindex(members.index)
        frame = clv_groups(members, attribute, params.group_by, params.order, params.n, after=MODEL_GROUP_COLUMNS)
        labels = [str(v) for v in frame[params.group_by]]
        facts["groups"] = int(attribute.fillna(S.UNKNOWN).nunique())
        items = items_text(labels, [money_text(v) for v in frame["average_clv"]], more=False)
        head = say(W.GROUP, dimension=dim_name(params.group_by), items=items)
        tables.append(Table(f"clv_by_{params.group_by}", frame))
        chart_values, dimension = frame["average_clv"], params.group_by
    else:
        listing = listed_customers(ranked, matched, params.order, params.n, names, rows)
        frame = with_names(listing, names)
        labels = [plain_label(c, n) for c, n in zip(frame[_ID], name_column(frame), strict=True)]
        head = listing_summary(
            frame, labels, params.customer is not None, params.order, _customer_line(len(table)), W.TOP, W.BOTTOM
        )
        if matched is not None and len(frame) == 1:
            facts |= {
                "customer_clv": fact(frame["clv"].iloc[0]),
                "customer_rank": int(frame["rank"].iloc[0]),
            }
        tables.append(Table("customer_lifetime_value", frame))
        chart_values, dimension = frame["clv"], "customer"
    facts["listed"] = len(frame)
    charts.append(bar_chart(labels, chart_values, say(W.CHART, dimension=dim_name(dimension))))
    lines = [
        say(
            W.SUMMARY,
            model=name,
            horizon=num_text(horizon),
            unit=unit_name,
            annual=pct_text(params.discount_rate),
            customers=num_text(len(table)),
            total=money_text(facts["total_clv"]),
            average=money_text(facts["average_clv"]),
            median=money_text(facts["median_clv"]),
            purchases=num_text(facts["expected_purchases"]),
            alive=num_text(facts["customers_likely_alive"]),
        ),
        head,
    ]
    if params.group_by is None and matched is None:
        segment = _segment_table(data, ranked)
        if segment is not None:
            tables.append(Table("clv_by_segment", segment))
            seg_labels = [str(v) for v in segment["segment"]]
            charts.append(bar_chart(seg_labels, segment["average_clv"], W.CHART_SEGMENT))
    warns = list(rows.warnings) + fit.notes
    if fit.gamma is None:
        warns.append(fit.spend_note)
    if margin_note is W.MARGIN_ASSUMED:
        warns.append(margin_note)
    later_ids = purchases.loc[purchases["date"] >= pd.Timestamp(cal_end) + pd.Timedelta(days=1), _ID].unique()
    late = int((~pd.Index(later_ids).isin(summary.index)).sum())
    if late:
        warns.append(say(W.AFTER_CALIBRATION, count=num_text(late), end=cal_end.isoformat()))
    if last_date > cal_end:
        holdout = models.calibration_holdout(
            purchases,
            cal_end,
            last_date,
            model=model,
            time_unit=unit,
            max_frequency=HOLDOUT_MAX_FREQUENCY,
        )
        actual, predicted = holdout.attrs["actual_total"], holdout.attrs["predicted_total"]
        facts |= {
            "holdout_periods": fact(holdout.attrs["duration_holdout"]),
            "holdout_actual": fact(actual),
            "holdout_predicted": fact(predicted),
        }
        error = (predicted - actual) / actual if actual > 0 else None
        lines.append(
            say(
                W.HOLDOUT,
                duration=num_text(holdout.attrs["duration_holdout"]),
                unit=unit_name,
                end=cal_end.isoformat(),
                predicted=num_text(predicted),
                actual=num_text(actual),
                error=pct_text(error),
            )
        )
        tables.append(Table("calibration_holdout", holdout.reset_index()))
        charts.append(_holdout_chart(holdout))
    params_text = ", ".join(f"{k} {v:.4g}" for k, v in model.params_.items())
    if fit.gamma is not None:
        params_text += ", " + ", ".join(f"{k} {v:.4g}" for k, v in fit.gamma.params_.items())
    assumptions = [
        *rows.assumptions,
        _ASSUMPTIONS[params.model],
        fit.spend_note,
        say(
            W.CALIBRATION,
            end=cal_end.isoformat(),
            customers=num_text(len(table)),
            repeat=num_text(facts["repeat_buyers"]),
        ),
        say(W.PARAMS, params=params_text, ll=num_text(model.log_likelihood_)),
    ]
    if margin_note is not W.MARGIN_ASSUMED:
        assumptions.append(margin_note)
    formula = say(
        W.FORMULA,
        unit=unit_name,
        unit_one=Msg({"D": "day", "W": "week", "M": "month"}[unit], {"D": "天", "W": "周", "M": "月"}[unit]),
        model=name,
        horizon=horizon,
        annual=f"{params.discount_rate:g}",
        per_unit=f"{per_unit:.5f}",
    )
    method = Method(formula, params.model_dump(mode="json"), assumptions, cal_end, len(cal_rows))
    findings = _findings(cal_rows, table, cal_end)
    return ToolResult(
        "customer_lifetime_value",
        sentences(lines),
        facts,
        tables,
        charts,
        method,
        findings,
        warns,
    )


def per_unit_rate(annual: float, unit: str) -> float:
    """Discount rate per time unit equivalent to an annual rate: (1 + annual)^(unit_days / 365.25) - 1.

    >>> round(per_unit_rate(0.10, "W"), 6)
    0.001828
    """
    return (1.0 + annual) ** (models.UNIT_DAYS[unit] / 365.25) - 1.0


def _segment_table(data: DatasetBundle, ranked: pd.DataFrame) -> pd.DataFrame | None:
    customers = data.get("customers")
    if customers is None or "segment" not in customers.columns or _ID not in customers.columns:
        return None
    attribute = customers[[_ID, "segment"]].drop_duplicates(_ID).set_index(_ID)["segment"]
    attribute = attribute.reindex(ranked.index)
    if attribute.notna().sum() == 0:
        return None
    return clv_groups(ranked, attribute, "segment", "top", 10_000, after=MODEL_GROUP_COLUMNS)


def _customer_line(customers: int):
    def line(label: str, row: pd.Series) -> Msg:
        return say(
            W.CUSTOMER,
            customer=label,
            clv=money_text(row["clv"]),
            purchases=num_text(row["expected_purchases"]),
            spend=money_text(row["expected_avg_spend"]),
            alive=pct_text(row["p_alive"]),
            rank=num_text(row["rank"]),
            customers=num_text(customers),
        )

    return line


def _holdout_chart(holdout: pd.DataFrame) -> Chart:
    groups = list(holdout.index.astype(str))
    figure = go.Figure(
        [
            go.Bar(name=W.ACTUAL.en, x=groups, y=holdout["actual"].to_numpy()),
            go.Bar(name=W.PREDICTED.en, x=groups, y=holdout["predicted"].to_numpy()),
        ]
    )
    figure.update_layout(
        barmode="group",
        xaxis={"type": "category", "title": W.HOLDOUT_X.en},
        yaxis={"title": W.HOLDOUT_Y.en},
    )
    return Chart(W.CHART_HOLDOUT, figure)


def _findings(cal_rows: pd.DataFrame, table: pd.DataFrame, cal_end: date) -> list[Finding]:
    """at_risk_valuable_customers: top-20% past revenue and P(alive) < AT_RISK_P_ALIVE."""
    revenue = cal_rows.groupby(_ID, sort=False)["revenue"].sum().reindex(table.index).fillna(0.0)
    if len(revenue) == 0:
        return []
    valuable = revenue >= revenue.quantile(1 - TOP_SHARE)
    flagged = revenue.loc[valuable & (table["p_alive"] < AT_RISK_P_ALIVE)].sort_values(
        ascending=False, kind="stable"
    )
    if flagged.empty:
        return []
    amount = float(flagged.sum())
    return [
        Finding(
            "at_risk_valuable_customers",
            say(
                W.FINDING_AT_RISK,
                count=num_text(len(flagged)),
                threshold=pct_text(AT_RISK_P_ALIVE),
                amount=money_text(amount),
                end=cal_end.isoformat(),
            ),
            customer_ids(flagged.index),
            amount,
            "p_alive",
            AT_RISK_P_ALIVE,
        )
    ]


# --- historical ------------------------------------------------------------------------------------


def _historical(data: DatasetBundle, params: CLVParams, notes: list[Msg]) -> ToolResult:
    """The historical method (tools/clv/historical.py), with the fallback notes (if any) as warnings."""
    historical = hist.CLVParams(
        model="historical",
        margin=params.margin,
        lifetime_years=params.lifetime_years,
        currency=params.currency,
        n=params.n,
        order=params.order,
        group_by=params.group_by,
        customer=params.customer,
        start=params.start,
        end=params.end,
    )
    result = hist.customer_lifetime_value(data, historical)
    result.facts = {"model": "historical", **result.facts}
    result.method.parameters = params.model_dump(mode="json") | {"model": "historical"}
    if notes:
        result.warnings = [*notes, *result.warnings]
        result.summary = Msg(f"{notes[0].en} {result.summary.en}", f"{notes[0].zh}{result.summary.zh}")
    return result


SPEC = ToolSpec(
    "customer_lifetime_value",
    CLVParams,
    customer_lifetime_value,
    requires=('transactions',),
    findings=('at_risk_valuable_customers',),
    words=W,
    order=50,
    or_requires=("customers",),  # a customer snapshot (tools/snapshot.py)
)
