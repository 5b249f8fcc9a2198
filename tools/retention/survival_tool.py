"""customer_survival: Kaplan-Meier customer lifetimes (still-active customers censored) by group, median
lifetime, survival at 1, 2 and 3 years, and a log-rank test between the groups (tools/retention/
kaplan_meier.py). Customers older than the data enter the risk set when the data starts. A customer
snapshot (tenure and a churn flag, no dates) gets the curves from tenure in months
(tools/retention/snapshot.py).

Findings: none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import churn_events as S
from prompts import customer_survival as W
from tools.bundle import DatasetBundle
from tools.errors import ToolInputError
from tools.params import SNAPSHOT_GROUP_HELP, CustomerOrPeriodGroup
from tools.results import Chart, FactValue, Method, Table, ToolResult
from tools.retention.events import (
    FEW_EVENTS,
    MAX_CHART_GROUPS,
    MAX_CURVE_POINTS,
    PERIOD_DIMS,
    ChurnEventParams,
    churn_lives,
    customer_attribute,
    days_text,
    period_codes,
    period_label,
    pvalue_text,
)
from tools.retention.snapshot import snapshot_survival
from tools.snapshot import is_snapshot
from tools.spec import ToolSpec
from tools.wording import fact, iso, join, num_text, pct_text, say, sentences

#: Survival reported at these horizons (days): 1, 2 and 3 years.
SURVIVAL_HORIZONS = {"survival_1y": 365, "survival_2y": 730, "survival_3y": 1095}
SIGNIFICANCE = 0.05

class SurvivalParams(ChurnEventParams):
    """Kaplan-Meier customer lifetimes by group (start/end select customers by their start date)."""

    group_by: CustomerOrPeriodGroup | None = Field(
        None,
        description="Compare curves by this customer dimension (default: segment when present; on a "
        "snapshot contract first); month/quarter/year compare signup cohorts." + SNAPSHOT_GROUP_HELP,
    )



# ==================================================================================================
# customer_survival
# ==================================================================================================


def customer_survival(data: DatasetBundle, params: SurvivalParams) -> ToolResult:
    """Kaplan-Meier customer lifetime curves by group, median lifetimes and a log-rank test.

    Duration d_i = (churn_i or as_of) - start_i in days; event_i = 1 when churned by as_of, else 0
    (censored). Kaplan-Meier (``tools.survival.kaplan_meier``)::

        S(t) = Π_{t_j <= t} (1 - d_j / n_j)      median = min{t : S(t) <= 0.5}  ("not reached" if none)

    Delayed entry (left truncation): when transactions start after some customers' start and no
    customer churned before the transactions start, the data only holds customers who survived to that
    date; each such customer enters the risk set at entry_i = first transaction date - start_i.
    Log-rank test across groups (``tools.survival.logrank``) on the risk sets {i : entry_i < t <= d_i}.

    Facts: customers, churned_customers, median_lifetime_days (None when not reached),
    survival_1y/2y/3y (None beyond the longest observed duration), group_by, groups, logrank_p_value,
    logrank_statistic. Tables: survival_by_group, survival_curve. Chart: step curves. Findings: none.

    A customer snapshot instead uses d_i = tenure_i in months and event_i = churned_i (see
    ``tools.retention.snapshot.snapshot_survival``; facts median_tenure_months, survival_12m/24m/36m).
    """
    if is_snapshot(data):
        return snapshot_survival(data, params)
    from tools.retention.kaplan_meier import kaplan_meier, logrank  # lazy: it imports scipy.stats (slow)

    lives = churn_lives(data, params.as_of, params.inactivity_days)
    frame = lives.frame
    assumptions, warnings = list(lives.assumptions), list(lives.warnings)
    frame = frame.loc[frame["start"].notna()]
    if params.start is not None or params.end is not None:
        lo = pd.Timestamp(params.start) if params.start else frame["start"].min()
        hi = pd.Timestamp(params.end) if params.end else lives.as_of
        frame = frame.loc[((frame["start"] >= lo) & (frame["start"] <= hi)).to_numpy()]
        start_msg = params.start.isoformat() if params.start else S.OPEN_START
        end_msg = params.end.isoformat() if params.end else W.OPEN_END
        if frame.empty:
            raise ToolInputError(say(W.SURVIVAL_NO_CUSTOMERS, start=start_msg, end=end_msg))
        assumptions.append(say(W.SURVIVAL_FILTER, start=start_msg, end=end_msg))
    if frame.empty:
        raise ToolInputError(say(S.NO_CUSTOMERS, as_of=iso(lives.as_of)))
    end = frame["churn"].fillna(lives.as_of)
    durations = (end - frame["start"]).dt.days.clip(lower=0).to_numpy().astype(float)
    events = frame["churn"].notna().to_numpy()
    entry = np.zeros(len(frame))
    if lives.first_tx is not None:
        early = (frame["start"] < lives.first_tx).to_numpy()
        churned_before = bool((frame["churn"] < lives.first_tx).any())
        if early.any() and not churned_before:
            entry = np.where(early, (lives.first_tx - frame["start"]).dt.days.to_numpy(), 0).astype(float)
            entry = np.minimum(entry, durations)
            assumptions.append(
                say(W.SURVIVAL_ENTRY, count=num_text(int(early.sum())), first=iso(lives.first_tx))
            )
    delayed = bool((entry > 0).any())
    dim = params.group_by
    if dim is None:
        customers = data.get("customers")
        if customers is not None and "segment" in customers.columns:
            dim = "segment"
    groups = None
    if dim in PERIOD_DIMS:
        groups = pd.Series([period_label(int(k), dim) for k in period_codes(frame["start"], dim)], index=frame.index)
    elif dim is not None:
        attribute, notes = customer_attribute(data, lives.tx, dim)
        assumptions.extend(notes)
        groups = attribute.reindex(frame.index).astype(object).where(lambda s: s.notna(), S.UNKNOWN)
        groups = groups.astype(str)

    everyone = np.ones(len(frame), dtype=bool)
    fits = [("all", everyone, kaplan_meier(durations, events, entry))]
    if groups is not None:
        for value in sorted(groups.unique(), key=str):
            mask = (groups == value).to_numpy()
            fits.append((str(value), mask, kaplan_meier(durations[mask], events[mask], entry[mask])))
    rows, curves = [], []
    for label, mask, km in fits:
        row: dict[str, object] = {
            "group": label,
            "customers": int(mask.sum()),
            "churned": int(events[mask].sum()),
            "median_lifetime_days": km.median,
        }
        longest = float(durations[mask].max()) if mask.any() else 0.0
        for name, days in SURVIVAL_HORIZONS.items():
            row[name] = km.at(days) if days <= longest else None
        rows.append(row)
        days_axis = np.concatenate([[0.0], km.times, [longest]])
        surv_axis = np.concatenate([[1.0], km.survival, [km.survival[-1] if km.survival.size else 1.0]])
        step = max(1, len(days_axis) // MAX_CURVE_POINTS)
        idx = np.unique(np.append(np.arange(0, len(days_axis), step), len(days_axis) - 1))
        curves.append(pd.DataFrame({"group": label, "days": days_axis[idx], "survival": surv_axis[idx]}))
    by_group = pd.DataFrame(rows)
    if dim is not None:
        by_group = by_group.rename(columns={"group": dim}) if dim != "group" else by_group
    curve_table = pd.concat(curves, ignore_index=True)
    overall = rows[0]
    facts: dict[str, FactValue] = {
        "customers": overall["customers"],
        "churned_customers": overall["churned"],
        "median_lifetime_days": overall["median_lifetime_days"],
        "survival_1y": overall["survival_1y"],
        "survival_2y": overall["survival_2y"],
        "survival_3y": overall["survival_3y"],
        "churn_source": lives.source,
        "group_by": dim,
        "groups": len(fits) - 1 if groups is not None else 0,
        "logrank_p_value": None,
        "logrank_statistic": None,
    }
    summary = [
        say(
            W.SURVIVAL_HEAD,
            customers=num_text(overall["customers"]),
            churned=num_text(overall["churned"]),
            median=days_text(overall["median_lifetime_days"]),
            s1=pct_text(overall["survival_1y"]),
            s2=pct_text(overall["survival_2y"]),
            s3=pct_text(overall["survival_3y"]),
        )
    ]
    if groups is not None and dim is not None:
        dim_name = S.DIMENSIONS.get(dim, Msg(dim, dim))
        items = [
            say(
                W.SURVIVAL_GROUP_ITEM,
                label=r["group"],
                median=days_text(r["median_lifetime_days"]),
                s1=pct_text(r["survival_1y"]),
            )
            for r in rows[1:]
        ]
        summary.append(say(W.SURVIVAL_GROUPS, dimension=dim_name, items=join(items)))
        if len(fits) > 2:
            test = logrank(durations, events, groups.to_numpy(), entry)
            stat, p_value = test.statistic, test.p_value
            facts["logrank_statistic"] = fact(stat)
            facts["logrank_p_value"] = fact(p_value)
            verdict = W.SURVIVAL_DIFFERENT if p_value < SIGNIFICANCE else W.SURVIVAL_SIMILAR
            summary.append(say(W.SURVIVAL_LOGRANK, dimension=dim_name, p=pvalue_text(p_value), verdict=verdict))
    if int(events.sum()) < FEW_EVENTS:
        warnings.append(say(W.SURVIVAL_FEW_EVENTS, count=num_text(int(events.sum()))))
    figure = go.Figure()
    shown = [c for c in curves if groups is None or c["group"].iloc[0] != "all"][:MAX_CHART_GROUPS]
    for part in shown if groups is not None else curves:
        figure.add_trace(
            go.Scatter(
                x=part["days"].to_numpy(),
                y=part["survival"].to_numpy(),
                mode="lines",
                line={"shape": "hv"},
                name=part["group"].iloc[0],
            )
        )
    figure.update_layout(
        xaxis={"title": W.SURVIVAL_AXIS_X.en},
        yaxis={"title": W.SURVIVAL_AXIS_Y.en, "tickformat": ".0%", "range": [0, 1.02]},
    )
    method = Method(
        W.SURVIVAL_FORMULA,
        params.model_dump(mode="json") | {"group_by": dim, "delayed_entry": delayed},
        assumptions,
        lives.as_of.date(),
        lives.rows_used,
    )
    return ToolResult(
        "customer_survival",
        sentences(summary),
        facts,
        [Table("survival_by_group", by_group), Table("survival_curve", curve_table)],
        [Chart(W.SURVIVAL_CHART, figure)],
        method,
        [],
        warnings,
    )


SPEC = ToolSpec(
    "customer_survival",
    SurvivalParams,
    customer_survival,
    requires=('customers', 'transactions'),
    findings=(),
    words=W,
    order=90,
    or_requires=("customers",),  # a customer snapshot (tools/snapshot.py)
)
