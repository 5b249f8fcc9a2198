r"""customer_lifetime_value on a customer snapshot (tools/snapshot.py: tenure, monthly charges and a churn
flag, no purchases): subscription CLV from the monthly charge, a margin and the expected remaining tenure
read off a Kaplan-Meier survival curve of tenure, conditional on the customer's tenure today.

For a customer not yet churned, with tenure t (months) and monthly charge c::

    S(m)     Kaplan-Meier survival of tenure in months, churn flag = event (tools/retention/kaplan_meier.py);
             one curve per contract type when the snapshot has one (the overall curve for customers
             without a contract value), else one curve for everybody
    r(k)     = S(t + k) / S(t)                      chance of still being a customer k months from now
    d        = (1 + discount_rate)^(1/12) - 1       monthly discount rate
    clv      = margin x c x Σ_{k=1..H} r(k) / (1 + d)^k
    expected_remaining_months = Σ_{k=1..H} r(k)     (undiscounted, within the horizon)

H = DEFAULT_HORIZON_MONTHS (60), or ``horizon`` in ``time_unit`` converted to months. Beyond a curve's
longest tenure T, S continues at its average monthly churn over its last TAIL_MONTHS months (over all
of it when shorter): h = 1 - (S(T) / S(T - L))^(1 / L), S(T + m) = S(T) (1 - h)^m. margin = ``margin``,
else 1.0 (CLV is then expected revenue; a warning says so), as the historical CLV does.

Facts: model ("subscription"), margin, discount_rate, horizon_months, curve_by, customers, total_clv,
average_clv, median_clv, average_expected_remaining_months, listed; groups with group_by; customer_clv
and customer_rank for one customer. Tables: customer_lifetime_value (rank, customer_id, name, tenure,
contract, monthly_charges, retention_12m = r(12), expected_remaining_months, clv) or clv_by_<group>;
clv_by_contract when not grouped.

Finding ``at_risk_valuable_customers``: customers in the top TOP_SHARE by monthly charge whose chance of
still being a customer in 12 months r(12) is below AT_RISK_RETENTION; value = their charges for a year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.text import Msg
from prompts import customer_lifetime_value as W
from prompts import snapshot as S
from prompts.customer_rows import ITEM
from tools import clv as models
from tools.bundle import DatasetBundle
from tools.charts import bar_chart
from tools.clv.reporting import clv_groups, listing_summary
from tools.customer_rows import (
    customer_ids,
    customer_names,
    dim_name,
    match_customers,
    name_column,
    plain_label,
    with_names,
)
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.retention.kaplan_meier import KaplanMeier, kaplan_meier
from tools.snapshot import ID, group_column, grouping, load_snapshot, not_applied
from tools.wording import fact, join, money_text, num_text, pct_text, say, sentences

if TYPE_CHECKING:  # the tool's Params (tools/clv/tool.py dispatches here)
    from tools.clv.tool import CLVParams

DEFAULT_HORIZON_MONTHS = 60
#: The tail of a curve beyond its longest tenure continues at its mean monthly churn over this many months.
TAIL_MONTHS = 12
#: at_risk_valuable_customers: the top TOP_SHARE by monthly charge with r(12) below AT_RISK_RETENTION.
TOP_SHARE = 0.20
AT_RISK_RETENTION = 0.5
MONTH_DAYS = 365.25 / 12
#: Arguments about purchases and dates, which a snapshot cannot apply.
NOT_FOR_SNAPSHOTS = ("start", "end", "calibration_end", "lifetime_years", "currency")
GROUP_COLUMNS = [("average_expected_remaining_months", ("expected_remaining_months", "mean"))]


class Curve:
    """A Kaplan-Meier curve of tenure extended beyond its longest tenure T at the tail's monthly churn h."""

    def __init__(self, km: KaplanMeier, longest: float) -> None:
        self.km, self.longest = km, longest
        back = min(TAIL_MONTHS, longest)
        start = km.at(longest - back) if back > 0 else 1.0
        end = km.at(longest)
        self.hazard = 1.0 - (end / start) ** (1.0 / back) if back > 0 and start > 0 else 0.0

    def survival(self, months: np.ndarray) -> np.ndarray:
        """S(m) for an array of tenures (months)."""
        idx = np.searchsorted(self.km.times, np.minimum(months, self.longest), side="right") - 1
        inside = np.where(idx < 0, 1.0, self.km.survival[np.maximum(idx, 0)] if self.km.times.size else 1.0)
        beyond = np.maximum(months - self.longest, 0.0)
        return inside * (1.0 - self.hazard) ** beyond


def remaining(
    curve: Curve, tenure: np.ndarray, horizon: int, monthly_discount: float
) -> tuple[np.ndarray, ...]:
    """(discounted months, expected remaining months, r(12)) per customer: Σ r(k) / (1 + d)^k, Σ r(k)."""
    k = np.arange(1, horizon + 1, dtype=float)
    now = curve.survival(tenure)
    ahead = curve.survival(tenure[:, None] + k[None, :]) / np.where(now > 0, now, np.nan)[:, None]
    ahead = np.nan_to_num(ahead)
    year = curve.survival(tenure + 12) / np.where(now > 0, now, np.nan)
    return ahead @ (1.0 + monthly_discount) ** -k, ahead.sum(axis=1), np.nan_to_num(year)


def subscription_clv(data: DatasetBundle, params: CLVParams) -> ToolResult:
    """Subscription CLV of each snapshot customer not yet churned (module docstring)."""
    snapshot = load_snapshot(data)
    warnings = list(snapshot.warnings)
    unused = not_applied(params, NOT_FOR_SNAPSHOTS)
    if unused is not None:
        warnings.append(unused)
    tenure_all = snapshot.number("tenure", W.SUB_PURPOSE_TENURE)
    charge_all = snapshot.number("monthly_charges", W.SUB_PURPOSE_CHARGES)
    known = tenure_all.notna().to_numpy()
    frame = snapshot.frame.loc[known]
    durations, events = tenure_all.to_numpy()[known], frame["churned"].to_numpy(bool)
    horizon = DEFAULT_HORIZON_MONTHS
    if params.horizon is not None:
        horizon = max(1, round(params.horizon * models.UNIT_DAYS[params.time_unit] / MONTH_DAYS))
    monthly_discount = (1.0 + params.discount_rate) ** (1 / 12) - 1.0
    margin = params.margin if params.margin is not None else 1.0
    not_churned = ~snapshot.churned.to_numpy(bool)
    valued = not_churned & known & charge_all.notna().to_numpy()
    if (not_churned & ~valued).any():
        warnings.append(say(W.SUB_EXCLUDED, count=num_text(int((not_churned & ~valued).sum()))))
    active, charge = snapshot.frame.loc[valued], charge_all.loc[valued]
    tenure = tenure_all.loc[valued].to_numpy()
    by_contract = "contract" in frame.columns
    curves = {S.UNKNOWN: Curve(kaplan_meier(durations, events), float(durations.max()))}
    keys = pd.Series(S.UNKNOWN, index=active.index)
    if by_contract:
        contract = frame["contract"].astype(object).where(frame["contract"].notna(), S.UNKNOWN).astype(str)
        for level in sorted(set(contract) - {S.UNKNOWN}):
            mask = (contract == level).to_numpy()
            curves[level] = Curve(kaplan_meier(durations[mask], events[mask]), float(durations[mask].max()))
        keys = contract.reindex(active.index)
    table = pd.DataFrame(index=active.index)
    for column in ("tenure", "contract", "monthly_charges"):
        if column in active.columns:
            table[column] = active[column].to_numpy()
    discounted, expected, year = np.zeros(len(active)), np.zeros(len(active)), np.zeros(len(active))
    for level, curve in curves.items():
        mask = (keys == level).to_numpy()
        if mask.any():
            discounted[mask], expected[mask], year[mask] = remaining(
                curve, tenure[mask], horizon, monthly_discount
            )
    table["retention_12m"] = year
    table["expected_remaining_months"] = expected
    table["clv"] = margin * charge.to_numpy() * discounted
    ranked = table.sort_values("clv", ascending=False, kind="stable")
    ranked.insert(0, "rank", np.arange(1, len(ranked) + 1))
    facts: dict[str, FactValue] = {
        "model": "subscription",
        "margin": margin,
        "discount_rate": params.discount_rate,
        "horizon_months": horizon,
        "curve_by": "contract" if by_contract else None,
        "customers": len(ranked),
        "total_clv": fact(ranked["clv"].sum()),
        "average_clv": fact(ranked["clv"].mean()),
        "median_clv": fact(ranked["clv"].median()),
        "average_expected_remaining_months": fact(ranked["expected_remaining_months"].mean()),
    }
    lines = [
        say(
            W.SUB_SUMMARY,
            horizon=horizon,
            margin=pct_text(margin),
            annual=pct_text(params.discount_rate),
            customers=num_text(len(ranked)),
            total=money_text(facts["total_clv"]),
            average=money_text(facts["average_clv"]),
            median=money_text(facts["median_clv"]),
            months=num_text(facts["average_expected_remaining_months"]),
        )
    ]
    tables, charts = _listing(data, params, snapshot.frame, ranked, facts, lines)
    if params.group_by is None and params.customer is None and by_contract:
        contract = clv_groups(ranked, ranked["contract"], "contract", "top", 10_000, after=GROUP_COLUMNS)
        tables.append(Table("clv_by_contract", contract))
        charts.append(
            bar_chart([str(v) for v in contract["contract"]], contract["average_clv"], W.SUB_CHART_CONTRACT)
        )
    if params.margin is None:
        warnings.append(W.SUB_MARGIN_ASSUMED)
    hazards = [say(ITEM, label=_curve_label(k), value=pct_text(c.hazard)) for k, c in curves.items()]
    assumptions = [
        *snapshot.assumptions,
        say(W.SUB_TAIL, tail=TAIL_MONTHS, items=join(hazards)),
        say(W.MARGIN_GIVEN, margin=pct_text(margin)) if params.margin is not None else W.SUB_MARGIN_ASSUMED,
    ]
    formula = say(
        W.SUB_FORMULA,
        curves=W.SUB_CURVES_CONTRACT if by_contract else W.SUB_CURVES_ALL,
        annual=f"{params.discount_rate:g}",
        horizon=horizon,
        tail=TAIL_MONTHS,
    )
    method = Method(
        formula,
        params.model_dump(mode="json") | {"model": "subscription", "horizon_months": horizon},
        assumptions,
        None,
        snapshot.rows_used,
    )
    findings = _findings(ranked, charge)
    return ToolResult(
        "customer_lifetime_value", sentences(lines), facts, tables, charts, method, findings, warnings
    )


def _curve_label(key: str) -> Msg:
    return W.SUB_ALL_CURVE if key == S.UNKNOWN else Msg(key, key)


def _listing(
    data: DatasetBundle,
    params: CLVParams,
    frame: pd.DataFrame,
    ranked: pd.DataFrame,
    facts: dict[str, FactValue],
    lines: list[Msg],
) -> tuple[list[Table], list[Chart]]:
    """The customers listed (or their groups) and the chart; the listing's sentence goes to ``lines``."""
    if params.group_by is not None:
        group = grouping(data, frame.loc[ranked.index], params.group_by)
        column = group_column(group)
        table = clv_groups(
            ranked, group.keys.rename(column), column, params.order, params.n, after=GROUP_COLUMNS
        )
        labels = [str(v) for v in table[column]]
        items = [
            say(ITEM, label=g, value=money_text(v)) for g, v in zip(labels, table["average_clv"], strict=True)
        ]
        lines.append(say(W.GROUP, dimension=group.name, items=join(items)))
        facts["groups"] = facts["listed"] = len(table)
        chart = bar_chart(labels, table["average_clv"], say(W.CHART, dimension=group.name))
        return [Table(f"clv_by_{column}", table)], [chart]
    ids = pd.DataFrame({ID: frame.index})
    names = customer_names(data, ids)
    if params.customer:
        matched = match_customers(data, ids, names, params.customer)
        listing = ranked.loc[ranked.index.isin(matched)]
        if listing.empty:
            lines.append(say(W.SUB_CHURNED_CUSTOMER, customer=", ".join(matched[:5])))
    else:
        listing = ranked.head(params.n) if params.order == "top" else ranked.iloc[::-1].head(params.n)
    out = with_names(listing, names)
    labels = [plain_label(c, n) for c, n in zip(out[ID], name_column(out), strict=True)]
    if len(out):
        lines.append(
            listing_summary(out, labels, params.customer is not None, params.order, _customer_line(len(ranked)), W.TOP,
                            W.BOTTOM)
        )  # fmt: skip
    if params.customer and len(out) == 1:
        facts |= {"customer_clv": fact(out["clv"].iloc[0]), "customer_rank": int(out["rank"].iloc[0])}
    facts["listed"] = len(out)
    return [Table("customer_lifetime_value", out)], [
        bar_chart(labels, out["clv"], say(W.CHART, dimension=dim_name("customer")))
    ]


def _customer_line(customers: int):
    def line(label: str, row: pd.Series) -> Msg:
        return say(
            W.SUB_CUSTOMER,
            customer=label,
            clv=money_text(row["clv"]),
            charge=money_text(row["monthly_charges"]),
            tenure=num_text(row["tenure"]),
            retention=pct_text(row["retention_12m"]),
            months=num_text(row["expected_remaining_months"]),
            rank=num_text(row["rank"]),
            customers=num_text(customers),
        )

    return line


def _findings(ranked: pd.DataFrame, charge: pd.Series) -> list[Finding]:
    """at_risk_valuable_customers: top TOP_SHARE by monthly charge with r(12) < AT_RISK_RETENTION."""
    charge = charge.reindex(ranked.index)
    valuable = charge >= charge.quantile(1 - TOP_SHARE)
    flagged = (charge.loc[valuable & (ranked["retention_12m"] < AT_RISK_RETENTION)] * 12).sort_values(
        ascending=False, kind="stable"
    )
    if flagged.empty:
        return []
    amount = float(flagged.sum())
    detail = say(W.SUB_FINDING, count=num_text(len(flagged)), threshold=pct_text(AT_RISK_RETENTION),
                 amount=money_text(amount))  # fmt: skip
    return [
        Finding("at_risk_valuable_customers", detail, customer_ids(flagged.index), amount, "retention_12m",
                AT_RISK_RETENTION)
    ]  # fmt: skip
