"""churn_trend: churn rate per month, quarter or year (customers churned in the period / customers active
at its start), overall and by a customer dimension; names the peak periods and highest-churn groups.

On a customer snapshot (a churn flag and no dates, tools/snapshot.py) the churn rate is the flag's share,
overall and by any customer attribute, with a chi-square test of independence (tools/retention/snapshot.py).

Findings: ``churn_peak`` (a period above PEAK_FACTOR x the median rate with PEAK_MIN_ACTIVE+ active).

Example
-------
>>> import pandas as pd
>>> from tools.bundle import Dataset, DatasetBundle
>>> customers = pd.DataFrame({
...     "customer_id": ["C1", "C2", "C3", "C4"],
...     "signup_date": pd.to_datetime(["2024-01-01"] * 4),
...     "churned": [True, False, True, False],
...     "churn_date": pd.to_datetime(["2024-03-10", None, "2024-04-02", None])})
>>> result = churn_trend(DatasetBundle([Dataset("customers", customers)]),
...                      ChurnTrendParams(as_of="2024-04-30"))
>>> result.facts["peak_period"], result.facts["peak_churn_rate"]
('2024-04', 0.3333333333333333)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import churn_events as S
from prompts import churn_trend as W
from tools.bundle import DatasetBundle
from tools.errors import ToolInputError
from tools.params import SNAPSHOT_GROUP_HELP, CustomerOrPeriodGroup
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.retention.events import (
    MAX_CHART_GROUPS,
    MAX_SUMMARY_ITEMS,
    PERIOD_DIMS,
    ChurnEventParams,
    Freq,
    churn_lives,
    customer_attribute,
    period_code,
    period_codes,
    period_label,
    period_start,
)
from tools.retention.snapshot import snapshot_churn_trend
from tools.snapshot import is_snapshot
from tools.spec import ToolSpec
from tools.wording import fact, iso, join, num_text, pct_text, say, sentences

#: churn_peak: a period whose churn rate exceeds PEAK_FACTOR x the median period rate ...
PEAK_FACTOR = 1.5
#: ... and that had at least this many customers active at its start (tiny bases are noise).
PEAK_MIN_ACTIVE = 5

class ChurnTrendParams(ChurnEventParams):
    """Churn rate per calendar period, overall and by a dimension."""

    freq: Freq = Field("month", description="Period length: month, quarter or year.")
    group_by: CustomerOrPeriodGroup | None = Field(
        None,
        description="Split by a customer dimension (segment, region, industry, acquisition_channel, or the "
        "customer's main product/channel); month/quarter/year set the period length instead."
        + SNAPSHOT_GROUP_HELP,
    )
    n: int = Field(10, ge=1, le=1000, description="How many groups (or peak periods) to name.")



# ==================================================================================================
# churn_trend
# ==================================================================================================


def churn_trend(data: DatasetBundle, params: ChurnTrendParams) -> ToolResult:
    """Churn rate per month/quarter/year, overall and by a dimension; names peaks and the worst groups.

    Formula (period k with first day s_k and last day e_k; start_i, churn_i per customer)::

        active_start(k) = #{i : start_i < s_k and not (churn_i < s_k)}
        churned(k)      = #{i : start_i < s_k and s_k <= churn_i <= e_k}
        churn_rate(k)   = churned(k) / active_start(k)
        churned_new(k)  = #{i : s_k <= start_i and churn_i <= e_k}   (listed, not in the rate)

    A customer with an unknown start counts as started before the window. Facts: churn_rate (simple
    mean of the period rates), median_churn_rate, peak_period, peak_churn_rate, churned_customers (all
    churn events in the periods shown), periods, freq; with a dimension also highest_churn_group and
    highest_group_churn_rate (Σ churned / Σ active_start over the periods).
    Finding churn_peak: a period with rate > PEAK_FACTOR x median rate and >= PEAK_MIN_ACTIVE active.
    Tables: churn_by_period (+ churn_by_group, churn_by_period_and_group). Chart: line of the rates.

    Example: 10 customers at the start of March, 2 churn in March -> churn rate 2 / 10 = 20%.

    A customer snapshot (no dates) instead gets churn_rate = churned / customers overall and per group,
    with Pearson's chi-square test of independence (Fisher's exact test for a small 2 x 2 table): see
    ``tools.retention.snapshot.snapshot_churn_trend`` (facts churn_source "snapshot", test, p_value,
    chi2_statistic, chi2_dof, significant; table churn_by_group with churn_lift = group rate / overall).
    """
    if is_snapshot(data):
        return snapshot_churn_trend(data, params)
    freq: str = params.group_by if params.group_by in PERIOD_DIMS else params.freq
    dim = params.group_by if params.group_by not in (None, *PERIOD_DIMS) else None
    lives = churn_lives(data, params.as_of, params.inactivity_days)
    frame = lives.frame
    assumptions, warnings = list(lives.assumptions), list(lives.warnings)
    # window of periods
    last_day = lives.as_of
    if lives.source == "inactivity":
        cutoff = lives.as_of - pd.Timedelta(days=lives.inactivity_days)
        last_day = cutoff
        k_last = period_code(cutoff + pd.Timedelta(days=1), freq) - 1
        assumptions.append(say(W.CHURN_CENSORED_TAIL, days=lives.inactivity_days, cutoff=iso(cutoff)))
    else:
        k_last = period_code(lives.as_of, freq)
    if params.end is not None:
        k_last = min(k_last, period_code(pd.Timestamp(params.end), freq))
    if params.start is not None:
        k_first = period_code(pd.Timestamp(params.start), freq)
    else:
        origin = lives.first_tx if lives.first_tx is not None else frame["churn"].min()
        if origin is None or pd.isna(origin):
            origin = frame["start"].min()
        k_first = period_code(pd.Timestamp(origin), freq)
    if k_last < k_first:
        raise ToolInputError(say(W.CHURN_NO_PERIODS, first=period_label(k_first, freq), last=iso(last_day)))
    labels = [period_label(k, freq) for k in range(k_first, k_last + 1)]
    overall = _period_counts(frame, freq, k_first, k_last)
    if not (overall["active_at_start"] > 0).any():
        raise ToolInputError(say(W.CHURN_NO_ACTIVE, first=labels[0], last=labels[-1]))
    table = overall.copy()
    table.insert(0, "period", labels)
    table.insert(1, "period_start", [period_start(k, freq) for k in range(k_first, k_last + 1)])
    partial = lives.source == "labels" and period_code(lives.as_of + pd.Timedelta(days=1), freq) == k_last
    table["complete"] = True
    if partial:
        table.loc[table.index[-1], "complete"] = False
        assumptions.append(say(W.PARTIAL_PERIOD, period=labels[-1], as_of=iso(lives.as_of)))
    assumptions.append(say(W.CHURN_WINDOW, first=labels[0], last=labels[-1], freq=S.FREQS[freq]))

    rates = table["churn_rate"]
    mean_rate = fact(rates.mean())
    median_rate = fact(rates.median())
    peak_idx = rates.idxmax() if rates.notna().any() else None
    churned_total = int(table["churned"].sum() + table["churned_new"].sum())
    facts: dict[str, FactValue] = {
        "freq": freq,
        "periods": len(table),
        "churn_rate": mean_rate,
        "median_churn_rate": median_rate,
        "peak_period": table.loc[peak_idx, "period"] if peak_idx is not None else None,
        "peak_churn_rate": fact(rates.loc[peak_idx]) if peak_idx is not None else None,
        "churned_customers": churned_total,
        "churn_source": lives.source,
    }
    tables = [Table("churn_by_period", table)]
    summary = [
        say(
            W.CHURN_HEAD,
            freq=S.FREQS[freq],
            rate=pct_text(mean_rate),
            periods=num_text(len(table)),
            first=labels[0],
            last=labels[-1],
            churned=num_text(churned_total),
        )
    ]
    top = table.dropna(subset=["churn_rate"]).sort_values("churn_rate", ascending=False, kind="stable")
    top = top.head(min(params.n, MAX_SUMMARY_ITEMS))
    summary.append(
        say(
            W.CHURN_PEAK,
            items=join(
                [
                    say(S.ITEM, label=p, value=pct_text(r))
                    for p, r in zip(top["period"], top["churn_rate"], strict=False)
                ]
            ),
        )
    )
    chart = go.Figure(go.Scatter(x=labels, y=rates.to_numpy(), mode="lines+markers", name=W.OVERALL.en))
    if dim is not None:
        attribute, notes = customer_attribute(data, lives.tx, dim)
        assumptions.extend(notes)
        keys = attribute.reindex(frame.index).astype(object).where(lambda s: s.notna(), S.UNKNOWN)
        long_rows, group_rows = [], []
        for value, members in frame.groupby(keys.to_numpy(), sort=True):
            counts = _period_counts(members, freq, k_first, k_last)
            active, churned = counts["active_at_start"].sum(), counts["churned"].sum()
            group_rows.append(
                {
                    dim: str(value),
                    "customers": len(members),
                    "active_at_start": int(active),
                    "churned": int(churned),
                    "churn_rate": churned / active if active > 0 else np.nan,
                }
            )
            counts.insert(0, dim, str(value))
            counts.insert(0, "period", labels)
            long_rows.append(counts)
        groups = pd.DataFrame(group_rows).sort_values("churn_rate", ascending=False, kind="stable")
        groups = groups.reset_index(drop=True)
        by_period = pd.concat(long_rows, ignore_index=True)
        tables += [Table("churn_by_group", groups), Table("churn_by_period_and_group", by_period)]
        best = groups.dropna(subset=["churn_rate"])
        if len(best):
            facts["group_by"] = dim
            facts["highest_churn_group"] = str(best[dim].iloc[0])
            facts["highest_group_churn_rate"] = fact(best["churn_rate"].iloc[0])
        shown = best.head(min(params.n, MAX_SUMMARY_ITEMS))
        summary.append(
            say(
                W.CHURN_GROUPS,
                dimension=S.DIMENSIONS.get(dim, Msg(dim, dim)),
                items=join(
                    [
                        say(S.ITEM, label=g, value=pct_text(r))
                        for g, r in zip(shown[dim], shown["churn_rate"], strict=False)
                    ]
                ),
            )
        )
        biggest = groups.sort_values("customers", ascending=False, kind="stable")[dim].head(MAX_CHART_GROUPS)
        for value in biggest:
            part = by_period.loc[by_period[dim] == value]
            chart.add_trace(go.Scatter(x=labels, y=part["churn_rate"].to_numpy(), mode="lines", name=value))
    chart.update_layout(xaxis={"type": "category"}, yaxis={"tickformat": ".0%"})
    findings = _churn_peak(table, frame, freq, k_first, median_rate)
    method = Method(
        say(W.CHURN_FORMULA, factor=num_text(PEAK_FACTOR), min_active=PEAK_MIN_ACTIVE),
        params.model_dump(mode="json") | {"freq": freq, "peak_factor": PEAK_FACTOR},
        assumptions,
        lives.as_of.date(),
        lives.rows_used,
    )
    return ToolResult(
        "churn_trend",
        sentences(summary),
        facts,
        tables,
        [Chart(say(W.CHURN_CHART, freq=S.FREQS[freq]), chart)],
        method,
        findings,
        warnings,
    )


def _period_counts(frame: pd.DataFrame, freq: str, k_first: int, k_last: int) -> pd.DataFrame:
    """active_at_start, new_customers, churned, churned_new, churn_rate per period k_first..k_last.

    Start and churn dates become integer period codes; counts are bincounts and a cumulative sum, so
    active_start(k) = #(start code < k) - #(churn code < k) (a churn code is never below its start code).
    """
    n = k_last - k_first + 1
    lo, hi = k_first - 1, k_last + 1  # lo: before the window; hi: after it (or never)
    start = np.where(frame["start"].isna(), lo, np.clip(period_codes(frame["start"], freq), lo, hi))
    churn = np.where(frame["churn"].isna(), hi, np.clip(period_codes(frame["churn"], freq), lo, hi))
    size = n + 2
    starts = np.bincount(start - lo, minlength=size)
    churns = np.bincount(churn - lo, minlength=size)
    same = np.bincount((churn - lo)[start == churn], minlength=size)
    started_before = np.cumsum(starts)[:-2]  # start code < k  (index k - lo - 1)
    churned_before = np.cumsum(churns)[:-2]
    active = started_before - churned_before
    churned_new = same[1:-1]
    churned = churns[1:-1] - churned_new
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(active > 0, churned / np.maximum(active, 1), np.nan)
    return pd.DataFrame(
        {
            "active_at_start": active.astype(int),
            "new_customers": starts[1:-1].astype(int),
            "churned": churned.astype(int),
            "churned_new": churned_new.astype(int),
            "churn_rate": rate,
        }
    )


def _churn_peak(
    table: pd.DataFrame, frame: pd.DataFrame, freq: str, k_first: int, median: float | None
) -> list[Finding]:
    """churn_peak: periods with rate > PEAK_FACTOR x median (median > 0) and enough active customers."""
    if median is None or median <= 0:
        return []
    mask = (table["churn_rate"] > PEAK_FACTOR * median) & (table["active_at_start"] >= PEAK_MIN_ACTIVE)
    peaks = table.loc[mask.to_numpy()]
    if peaks.empty:
        return []
    codes = np.array([k_first + i for i in peaks.index])
    churn_codes = period_codes(frame["churn"], freq)
    hit = np.isin(churn_codes, codes) & frame["churn"].notna().to_numpy()
    ordered = peaks.sort_values("churn_rate", ascending=False, kind="stable")
    return [
        Finding(
            "churn_peak",
            say(
                W.FINDING_CHURN_PEAK,
                periods=", ".join(ordered["period"].head(MAX_SUMMARY_ITEMS)),
                rate=pct_text(ordered["churn_rate"].iloc[0]),
                factor=num_text(PEAK_FACTOR),
                median=pct_text(median),
                freq=S.FREQS[freq],
            ),
            [str(c) for c in frame.index[hit].tolist()],
            fact(ordered["churn_rate"].iloc[0]),
            "churn_rate_over_median",
            PEAK_FACTOR,
        )
    ]


SPEC = ToolSpec(
    "churn_trend",
    ChurnTrendParams,
    churn_trend,
    requires=('customers', 'transactions'),
    findings=('churn_peak',),
    words=W,
    order=70,
    or_requires=("customers",),  # a customer snapshot (tools/snapshot.py)
)
