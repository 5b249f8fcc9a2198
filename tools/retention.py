"""Retention tools: churn_trend, cohort_retention and customer_survival.

Each tool is ``fn(data: DatasetBundle, params) -> ToolResult``; answer texts are in
``prompts/retention.py``. Transaction rows are read once through ``tools.aggregate`` (the scale seam).

Churn events (churn_trend, customer_survival)
---------------------------------------------
- With churn labels (a customers table with ``churned`` and/or ``churn_date``): a customer churned at
  ``churn_date`` when churned is yes (or, without a churned column, when churn_date is present). A churned
  customer without a churn_date is dated at the last purchase when transactions exist, else left out.
  A churn after ``as_of`` counts as not churned yet.
- Without labels, from transactions (inactivity rule): a customer whose last purchase is at least
  ``inactivity_days`` (default 180) before ``as_of`` churned, dated at the last purchase.
- A customer's start is ``signup_date``, else the first purchase (revenue > 0).
- ``as_of`` defaults to the latest event date (transaction, signup or churn date) and is stated.

Findings: churn_peak (churn_trend), low_retention_cohort (cohort_retention).

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

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import retention as T
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.errors import ToolInputError
from tools.params import Dimension, PeriodParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.wording import fact, iso, join, num_text, pct_text, say, sentences

Freq = Literal["month", "quarter", "year"]
CohortFreq = Literal["month", "quarter"]

#: Default inactivity rule: no purchase for this many days means churned (without churn labels).
DEFAULT_INACTIVITY_DAYS = 180
#: churn_peak: a period whose churn rate exceeds PEAK_FACTOR x the median period rate ...
PEAK_FACTOR = 1.5
#: ... and that had at least this many customers active at its start (tiny bases are noise).
PEAK_MIN_ACTIVE = 5
#: low_retention_cohort: period-LOW_RETENTION_PERIOD retention more than LOW_RETENTION_GAP (absolute,
#: i.e. 10 percentage points) below the customer-weighted average, for cohorts of MIN_COHORT_SIZE+.
LOW_RETENTION_PERIOD = 3
LOW_RETENTION_GAP = 0.10
MIN_COHORT_SIZE = 5
#: Periods since acquisition reported as facts (where observed).
RETENTION_FACT_PERIODS = (1, 3, 6, 12)
#: Survival reported at these horizons (days): 1, 2 and 3 years.
SURVIVAL_HORIZONS = {"survival_1y": 365, "survival_2y": 730, "survival_3y": 1095}
#: Below this many churn events the survival estimates get a warning.
FEW_EVENTS = 10
SIGNIFICANCE = 0.05
MAX_SUMMARY_ITEMS = 5
MAX_CHART_GROUPS = 10
MAX_CURVE_POINTS = 500
_ID = "customer_id"
_PERIOD_DIMS = ("month", "quarter", "year")


class ChurnEventParams(PeriodParams):
    """Where churn events come from: the reference date and, without labels, the inactivity rule."""

    as_of: date | None = Field(
        None, description="Reference date (default: the latest event date in the data)."
    )
    inactivity_days: int = Field(
        DEFAULT_INACTIVITY_DAYS,
        ge=1,
        le=3650,
        description="Without churn labels: no purchase for this many days before as_of means churned.",
    )


class ChurnTrendParams(ChurnEventParams):
    """Churn rate per calendar period, overall and by a dimension."""

    freq: Freq = Field("month", description="Period length: month, quarter or year.")
    group_by: Dimension | None = Field(
        None,
        description="Split by a customer dimension (segment, region, industry, acquisition_channel, or the "
        "customer's main product/channel); month/quarter/year set the period length instead.",
    )
    n: int = Field(10, ge=1, le=1000, description="How many groups (or peak periods) to name.")


class CohortParams(PeriodParams):
    """Acquisition cohorts x periods since acquisition (start/end select cohorts by acquisition date)."""

    freq: CohortFreq = Field("month", description="Cohort and period length: month or quarter.")
    group_by: CohortFreq | None = Field(
        None, description="Same as freq (month or quarter of acquisition); overrides freq when given."
    )
    as_of: date | None = Field(None, description="Reference date (default: the latest transaction date).")
    periods: int = Field(24, ge=1, le=120, description="How many periods since acquisition to show at most.")


class SurvivalParams(ChurnEventParams):
    """Kaplan-Meier customer lifetimes by group (start/end select customers by their start date)."""

    group_by: Dimension | None = Field(
        None,
        description="Compare curves by this customer dimension (default: segment when present); "
        "month/quarter/year compare signup cohorts.",
    )


# ==================================================================================================
# Churn events: one row per customer with start and churn dates
# ==================================================================================================


@dataclass
class Lives:
    """Per-customer start and churn dates (``frame`` indexed by customer_id; churn NaT = not churned)."""

    frame: pd.DataFrame
    as_of: pd.Timestamp
    as_of_given: bool
    source: Literal["labels", "inactivity"]
    inactivity_days: int
    first_tx: pd.Timestamp | None
    rows_used: int
    tx: pd.DataFrame | None
    assumptions: list[Msg] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)


def churn_lives(data: DatasetBundle, as_of: date | None, inactivity_days: int) -> Lives:
    """Start and churn date per customer from churn labels, else from transactions (inactivity rule).

    Returns a ``Lives`` whose frame has columns ``start`` (NaT when unknown) and ``churn`` (NaT when
    not churned by ``as_of``). Raises ToolInputError naming the tables/columns needed.
    """
    customers = data.get("customers")
    tx = data.get("transactions")
    has_labels = (
        customers is not None
        and _ID in customers.columns
        and ("churned" in customers.columns or "churn_date" in customers.columns)
    )
    if not has_labels and tx is None:
        raise ToolInputError(T.NEEDS_CHURN_DATA)
    if has_labels and "churn_date" not in customers.columns and tx is None:
        raise ToolInputError(T.NEEDS_CHURN_DATE)
    if tx is not None:
        tx = data.require("transactions", ["customer_id", "date", "revenue"])
    ref = _reference_date(customers, tx, as_of)
    per = None
    rows_used = 0
    first_tx = None
    if tx is not None:
        tx = tx.loc[(tx["date"] <= ref).to_numpy()]
        per = aggregate.customer_totals(tx)
        rows_used = len(tx)
        first_tx = tx["date"].min() if len(tx) else None
    assumptions: list[Msg] = [_as_of_note(ref, as_of is not None), T.START_DEFINITION]
    warnings: list[Msg] = []
    signup = None
    if customers is not None and _ID in customers.columns and "signup_date" in customers.columns:
        signup = customers.drop_duplicates(_ID).set_index(_ID)["signup_date"]
        signup = pd.to_datetime(signup, errors="coerce")
    if has_labels:
        cust = customers.drop_duplicates(_ID).set_index(_ID)
        churn_date = (
            pd.to_datetime(cust["churn_date"], errors="coerce")
            if "churn_date" in cust.columns
            else pd.Series(pd.NaT, index=cust.index, dtype="datetime64[ns]")
        )
        flag = (
            _as_bool(cust["churned"]) if "churned" in cust.columns else churn_date.notna().astype("boolean")
        )
        flag = flag.fillna(churn_date.notna()).astype(bool)
        start = signup.reindex(cust.index) if signup is not None else pd.Series(pd.NaT, index=cust.index)
        if per is not None:
            start = start.fillna(per["first_date"].reindex(cust.index))
            missing = flag & churn_date.isna()
            last = per["last_date"].reindex(cust.index)
            dated = missing & last.notna()
            if dated.any():
                churn_date = churn_date.where(~dated, last)
                warnings.append(say(T.CHURN_DATE_FROM_LAST_PURCHASE, count=num_text(int(dated.sum()))))
            unknown = pd.Index(per.index).difference(cust.index)
            if len(unknown):
                warnings.append(say(T.NOT_IN_CUSTOMERS, count=num_text(len(unknown))))
        undated = flag & churn_date.isna()
        if undated.any():
            warnings.append(say(T.CHURN_DATE_MISSING, count=num_text(int(undated.sum()))))
        churn = churn_date.where(flag & (churn_date <= ref))
        frame = pd.DataFrame({"start": start, "churn": churn}).loc[~undated.to_numpy()]
        assumptions.insert(1, T.SOURCE_LABELS)
        source: Literal["labels", "inactivity"] = "labels"
    else:
        assert per is not None
        buyers = per.loc[per["last_date"].notna()]
        start = buyers["first_date"]
        if signup is not None:
            start = signup.reindex(buyers.index).fillna(start)
        cutoff = ref - pd.Timedelta(days=inactivity_days)
        churn = buyers["last_date"].where(buyers["last_date"] <= cutoff)
        frame = pd.DataFrame({"start": start, "churn": churn})
        assumptions.insert(1, say(T.SOURCE_INACTIVITY, days=inactivity_days))
        source = "inactivity"
    frame.index = frame.index.astype(str)
    frame.index.name = _ID
    frame["start"] = pd.to_datetime(frame["start"]).astype("datetime64[ns]")
    frame["churn"] = pd.to_datetime(frame["churn"]).astype("datetime64[ns]")
    frame = frame.loc[~(frame["start"] > ref).to_numpy()]
    # a churn recorded before the start (bad data) is read as churn on the start day
    frame["churn"] = frame["churn"].where(~(frame["churn"] < frame["start"]).to_numpy(), frame["start"])
    if frame.empty:
        raise ToolInputError(say(T.NO_CUSTOMERS, as_of=iso(ref)))
    unknown_start = int(frame["start"].isna().sum())
    if unknown_start:
        warnings.append(say(T.START_UNKNOWN, count=num_text(unknown_start)))
    rows_used += len(customers) if customers is not None else 0
    return Lives(
        frame,
        ref,
        as_of is not None,
        source,
        inactivity_days,
        first_tx,
        rows_used,
        tx,
        assumptions,
        warnings,
    )


def _reference_date(
    customers: pd.DataFrame | None, tx: pd.DataFrame | None, as_of: date | None
) -> pd.Timestamp:
    """``as_of`` or the latest event date: last transaction, signup or churn date."""
    if as_of is not None:
        return pd.Timestamp(as_of)
    candidates = []
    if tx is not None and len(tx):
        candidates.append(tx["date"].max())
    if customers is not None:
        for col in ("churn_date", "signup_date"):
            if col in customers.columns:
                candidates.append(pd.to_datetime(customers[col], errors="coerce").max())
    candidates = [c for c in candidates if c is not None and not pd.isna(c)]
    if not candidates:
        raise ToolInputError(T.NEEDS_CHURN_DATA)
    return pd.Timestamp(max(candidates)).normalize()


def customer_attribute(data: DatasetBundle, tx: pd.DataFrame | None, by: str) -> tuple[pd.Series, list[Msg]]:
    """A customers-table column by customer_id, else each customer's main value of a transactions column."""
    customers = data.get("customers")
    if customers is not None and by in customers.columns and _ID in customers.columns:
        series = customers.drop_duplicates(_ID).set_index(_ID)[by]
        series.index = series.index.astype(str)
        return series, []
    if tx is not None and by in tx.columns:
        series = aggregate.main_value(tx, by)
        series.index = series.index.astype(str)
        return series, [say(T.MAIN_VALUE, dimension=T.DIMENSIONS.get(by, Msg(by, by)))]
    raise ToolInputError(
        say(
            T.UNKNOWN_DIMENSION,
            dimension=by,
            customer_columns=", ".join(map(str, customers.columns))
            if customers is not None
            else T.NOT_LOADED,
            tx_columns=", ".join(map(str, tx.columns)) if tx is not None else T.NOT_LOADED,
        )
    )


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
    """
    freq: str = params.group_by if params.group_by in _PERIOD_DIMS else params.freq
    dim = params.group_by if params.group_by not in (None, *_PERIOD_DIMS) else None
    lives = churn_lives(data, params.as_of, params.inactivity_days)
    frame = lives.frame
    assumptions, warnings = list(lives.assumptions), list(lives.warnings)
    # window of periods
    last_day = lives.as_of
    if lives.source == "inactivity":
        cutoff = lives.as_of - pd.Timedelta(days=lives.inactivity_days)
        last_day = cutoff
        k_last = _code(cutoff + pd.Timedelta(days=1), freq) - 1
        assumptions.append(say(T.CHURN_CENSORED_TAIL, days=lives.inactivity_days, cutoff=iso(cutoff)))
    else:
        k_last = _code(lives.as_of, freq)
    if params.end is not None:
        k_last = min(k_last, _code(pd.Timestamp(params.end), freq))
    if params.start is not None:
        k_first = _code(pd.Timestamp(params.start), freq)
    else:
        origin = lives.first_tx if lives.first_tx is not None else frame["churn"].min()
        if origin is None or pd.isna(origin):
            origin = frame["start"].min()
        k_first = _code(pd.Timestamp(origin), freq)
    if k_last < k_first:
        raise ToolInputError(say(T.CHURN_NO_PERIODS, first=_label(k_first, freq), last=iso(last_day)))
    labels = [_label(k, freq) for k in range(k_first, k_last + 1)]
    overall = _period_counts(frame, freq, k_first, k_last)
    if not (overall["active_at_start"] > 0).any():
        raise ToolInputError(say(T.CHURN_NO_ACTIVE, first=labels[0], last=labels[-1]))
    table = overall.copy()
    table.insert(0, "period", labels)
    table.insert(1, "period_start", [_period_start(k, freq) for k in range(k_first, k_last + 1)])
    partial = lives.source == "labels" and _code(lives.as_of + pd.Timedelta(days=1), freq) == k_last
    table["complete"] = True
    if partial:
        table.loc[table.index[-1], "complete"] = False
        assumptions.append(say(T.PARTIAL_PERIOD, period=labels[-1], as_of=iso(lives.as_of)))
    assumptions.append(say(T.CHURN_WINDOW, first=labels[0], last=labels[-1], freq=T.FREQS[freq]))

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
            T.CHURN_HEAD,
            freq=T.FREQS[freq],
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
            T.CHURN_PEAK,
            items=join(
                [
                    say(T.ITEM, label=p, value=pct_text(r))
                    for p, r in zip(top["period"], top["churn_rate"], strict=False)
                ]
            ),
        )
    )
    chart = go.Figure(go.Scatter(x=labels, y=rates.to_numpy(), mode="lines+markers", name=T.OVERALL.en))
    if dim is not None:
        attribute, notes = customer_attribute(data, lives.tx, dim)
        assumptions.extend(notes)
        keys = attribute.reindex(frame.index).astype(object).where(lambda s: s.notna(), T.UNKNOWN)
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
                T.CHURN_GROUPS,
                dimension=T.DIMENSIONS.get(dim, Msg(dim, dim)),
                items=join(
                    [
                        say(T.ITEM, label=g, value=pct_text(r))
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
        say(T.CHURN_FORMULA, factor=num_text(PEAK_FACTOR), min_active=PEAK_MIN_ACTIVE),
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
        [Chart(say(T.CHURN_CHART, freq=T.FREQS[freq]), chart)],
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
    start = np.where(frame["start"].isna(), lo, np.clip(_codes(frame["start"], freq), lo, hi))
    churn = np.where(frame["churn"].isna(), hi, np.clip(_codes(frame["churn"], freq), lo, hi))
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
    churn_codes = _codes(frame["churn"], freq)
    hit = np.isin(churn_codes, codes) & frame["churn"].notna().to_numpy()
    ordered = peaks.sort_values("churn_rate", ascending=False, kind="stable")
    return [
        Finding(
            "churn_peak",
            say(
                T.FINDING_CHURN_PEAK,
                periods=", ".join(ordered["period"].head(MAX_SUMMARY_ITEMS)),
                rate=pct_text(ordered["churn_rate"].iloc[0]),
                factor=num_text(PEAK_FACTOR),
                median=pct_text(median),
                freq=T.FREQS[freq],
            ),
            [str(c) for c in frame.index[hit].tolist()],
            fact(ordered["churn_rate"].iloc[0]),
            "churn_rate_over_median",
            PEAK_FACTOR,
        )
    ]


# ==================================================================================================
# cohort_retention
# ==================================================================================================


def cohort_retention(data: DatasetBundle, params: CohortParams) -> ToolResult:
    """Acquisition cohort x periods-since-acquisition retention matrices (customers and revenue).

    Formula (cohort c = acquisition period; p = purchase period - c)::

        retention(c, p)         = #{customers of c with a purchase (revenue > 0) in period c + p} / |c|
        revenue_retention(c, p) = Σ revenue of c in period c + p / Σ revenue of c in period c
        average retention(p)    = Σ_c active(c, p) / Σ_c |c|   over cohorts that have reached p
        average revenue ret.(p) = Σ_c revenue(c, p) / Σ_c revenue(c, 0)   over the same cohorts

    Acquisition = signup_date, else first purchase. Cohorts acquired before the first transaction period
    are left out (their early periods were not observed); only complete periods (ending on or before
    as_of) count. Facts: freq, cohorts, customers, retention_period_{1,3,6,12} and
    revenue_retention_period_{1,3,6,12} (None where no cohort reached that period).
    Finding low_retention_cohort: a cohort (>= MIN_COHORT_SIZE customers) whose period-3 retention is
    more than LOW_RETENTION_GAP below the average period-3 retention.
    Tables: cohort_retention, revenue_retention, average_retention. Charts: two heatmaps.

    Example: a cohort of 4 customers of whom 1 buys in its third month -> retention(c, 3) = 25%.
    """
    freq: str = params.group_by or params.freq
    if data.get("transactions") is None:
        raise ToolInputError(T.NEEDS_TRANSACTIONS)
    tx = data.require(
        "transactions", ["customer_id", "date", "revenue"], Msg("measure retention", "计算留存率")
    )
    as_of = pd.Timestamp(params.as_of) if params.as_of is not None else tx["date"].max().normalize()
    tx = tx.loc[(tx["date"] <= as_of).to_numpy()]
    if tx.empty:
        raise ToolInputError(say(T.COHORT_NONE, first=T.OPEN_START, last=iso(as_of)))
    assumptions = [_as_of_note(as_of, params.as_of is not None)]
    warnings: list[Msg] = []
    periods = _codes(tx["date"], freq)
    pairs = aggregate.totals(tx, [_ID, pd.Series(periods, index=tx.index, name="period")])
    pairs = pairs.reset_index()
    pairs[_ID] = pairs[_ID].astype(str)
    first_purchase = pairs.loc[pairs["first_date"].notna()].groupby(_ID)["first_date"].min()
    acquired = first_purchase.copy()
    customers = data.get("customers")
    if customers is not None and "signup_date" in customers.columns and _ID in customers.columns:
        signup = customers.drop_duplicates(_ID).set_index(_ID)["signup_date"]
        signup.index = signup.index.astype(str)
        acquired = pd.to_datetime(signup, errors="coerce").reindex(acquired.index).fillna(acquired)
        assumptions.append(T.START_DEFINITION)
    acquired = acquired.loc[acquired.notna() & (acquired <= as_of)]
    first_code = _code(tx["date"].min(), freq)
    last_complete = _code(as_of + pd.Timedelta(days=1), freq) - 1
    cohort = pd.Series(_codes(acquired, freq), index=acquired.index)
    early = cohort < first_code
    if early.any():
        warnings.append(say(T.COHORT_EXCLUDED, count=num_text(int(early.sum())), first=iso(tx["date"].min())))
    keep = ~early & (cohort <= last_complete)
    if params.start is not None:
        keep &= (acquired >= pd.Timestamp(params.start)).to_numpy()
    if params.end is not None:
        keep &= (acquired < pd.Timestamp(params.end) + pd.Timedelta(days=1)).to_numpy()
    cohort = cohort.loc[keep]
    if cohort.empty:
        raise ToolInputError(
            say(
                T.COHORT_NONE,
                first=params.start.isoformat() if params.start else iso(tx["date"].min()),
                last=params.end.isoformat() if params.end else iso(as_of),
            )
        )
    pairs = pairs.loc[pairs[_ID].isin(cohort.index) & (pairs["period"] <= last_complete)]
    pairs = pairs.assign(cohort=cohort.reindex(pairs[_ID]).to_numpy())
    pairs["offset"] = pairs["period"] - pairs["cohort"]
    before = pairs["offset"] < 0
    if before.any():
        warnings.append(say(T.COHORT_BEFORE_ACQUISITION, count=num_text(int(before.sum()))))
        pairs = pairs.loc[~before.to_numpy()]
    pairs = pairs.loc[(pairs["offset"] < params.periods).to_numpy()]
    sizes = cohort.value_counts().sort_index()
    codes = sizes.index.to_numpy()
    width = int(min(params.periods, last_complete - codes.min() + 1))
    active = np.zeros((len(codes), width))
    revenue = np.zeros((len(codes), width))
    row = np.searchsorted(codes, pairs["cohort"].to_numpy())
    col = pairs["offset"].to_numpy().astype(int)
    buying = pairs["first_date"].notna().to_numpy()
    np.add.at(active, (row[buying], col[buying]), 1)
    np.add.at(revenue, (row, col), pairs["revenue"].to_numpy())
    reached = (last_complete - codes)[:, None] >= np.arange(width)[None, :]
    retention = np.where(reached, active / sizes.to_numpy()[:, None], np.nan)
    base = revenue[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        rev_ret = np.where(reached & (base[:, None] > 0), revenue / base[:, None], np.nan)
    n_by_p = np.where(reached, sizes.to_numpy()[:, None], 0).sum(axis=0)
    avg = np.where(n_by_p > 0, np.where(reached, active, 0).sum(axis=0) / np.maximum(n_by_p, 1), np.nan)
    base_by_p = np.where(reached & (base[:, None] > 0), base[:, None], 0).sum(axis=0)
    rev_by_p = np.where(reached & (base[:, None] > 0), revenue, 0).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg_rev = np.where(base_by_p > 0, rev_by_p / np.where(base_by_p > 0, base_by_p, 1), np.nan)
    labels = [_label(int(k), freq) for k in codes]
    cols = [f"period_{p}" for p in range(width)]
    matrix = pd.DataFrame(retention, columns=cols)
    matrix.insert(0, "customers", sizes.to_numpy().astype(int))
    matrix.insert(0, "cohort", labels)
    rev_matrix = pd.DataFrame(rev_ret, columns=cols)
    rev_matrix.insert(0, "revenue_period_0", base)
    rev_matrix.insert(0, "cohort", labels)
    averages = pd.DataFrame(
        {
            "period": np.arange(width),
            "cohorts": reached.sum(axis=0).astype(int),
            "customers": n_by_p.astype(int),
            "retention": avg,
            "revenue_retention": avg_rev,
        }
    )
    facts: dict[str, FactValue] = {
        "freq": freq,
        "cohorts": len(codes),
        "customers": int(sizes.sum()),
        "first_cohort": labels[0],
        "last_cohort": labels[-1],
    }
    for p in RETENTION_FACT_PERIODS:
        facts[f"retention_period_{p}"] = fact(avg[p]) if p < width else None
    for p in RETENTION_FACT_PERIODS:
        facts[f"revenue_retention_period_{p}"] = fact(avg_rev[p]) if p < width else None
    assumptions.append(say(T.COHORT_COMPLETE, freq=T.FREQS[freq], last=_label(last_complete, freq)))
    shown = [p for p in RETENTION_FACT_PERIODS if p < width and not math.isnan(avg[p])]
    summary = [
        say(
            T.COHORT_HEAD,
            cohorts=num_text(len(codes)),
            freq=T.FREQS[freq],
            first=labels[0],
            last=labels[-1],
            customers=num_text(int(sizes.sum())),
            retention=join(
                [
                    say(T.ITEM, label=say(T.COHORT_PERIOD, freq=T.FREQS[freq], p=p), value=pct_text(avg[p]))
                    for p in shown
                ]
            ),
        )
    ]
    rev_shown = [p for p in shown if not math.isnan(avg_rev[p])]
    if rev_shown:
        summary.append(
            say(
                T.COHORT_REVENUE,
                retention=join(
                    [
                        say(
                            T.ITEM,
                            label=say(T.COHORT_PERIOD, freq=T.FREQS[freq], p=p),
                            value=pct_text(avg_rev[p]),
                        )
                        for p in rev_shown
                    ]
                ),
            )
        )
    findings: list[Finding] = []
    p = LOW_RETENTION_PERIOD
    if p < width and not math.isnan(avg[p]):
        col3 = matrix[f"period_{p}"]
        low = matrix.loc[
            (col3 < avg[p] - LOW_RETENTION_GAP).to_numpy()
            & (matrix["customers"] >= MIN_COHORT_SIZE).to_numpy()
        ].sort_values(f"period_{p}", kind="stable")
        if len(low):
            items = join(
                [
                    say(T.ITEM, label=c, value=pct_text(r))
                    for c, r in zip(low["cohort"], low[f"period_{p}"], strict=False)
                ][:MAX_SUMMARY_ITEMS]
            )
            summary.append(say(T.COHORT_LOW, freq=T.FREQS[freq], p=p, items=items))
            low_codes = codes[low.index.to_numpy()]
            members = cohort.index[np.isin(cohort.to_numpy(), low_codes)]
            active3 = set(pairs.loc[(pairs["offset"] == p) & pairs["first_date"].notna(), _ID])
            lapsed = [str(c) for c in members.tolist() if c not in active3]
            findings.append(
                Finding(
                    "low_retention_cohort",
                    say(
                        T.FINDING_LOW_RETENTION,
                        count=num_text(len(low)),
                        freq=T.FREQS[freq],
                        p=p,
                        average=pct_text(avg[p]),
                        items=items,
                    ),
                    lapsed,
                    None,
                    f"retention_period_{p}",
                    LOW_RETENTION_GAP,
                )
            )
    charts = [
        _heatmap(retention, labels, width, say(T.COHORT_CHART, freq=T.FREQS[freq]), freq),
        _heatmap(rev_ret, labels, width, say(T.COHORT_REVENUE_CHART, freq=T.FREQS[freq]), freq),
    ]
    method = Method(
        say(
            T.COHORT_FORMULA,
            freq=T.FREQS[freq],
            p=LOW_RETENTION_PERIOD,
            gap=pct_text(LOW_RETENTION_GAP),
            min_size=MIN_COHORT_SIZE,
        ),
        params.model_dump(mode="json") | {"freq": freq},
        assumptions,
        as_of.date(),
        len(tx),
    )
    return ToolResult(
        "cohort_retention",
        sentences(summary),
        facts,
        [
            Table("cohort_retention", matrix),
            Table("revenue_retention", rev_matrix),
            Table("average_retention", averages),
        ],
        charts,
        method,
        findings,
        warnings,
    )


def _heatmap(z: np.ndarray, labels: list[str], width: int, title: Msg, freq: str) -> Chart:
    text = np.where(np.isnan(z), "", np.vectorize(lambda v: f"{v:.0%}")(np.nan_to_num(z)))
    figure = go.Figure(
        go.Heatmap(
            z=np.where(np.isnan(z), None, np.round(z, 4)).tolist(),
            x=list(range(width)),
            y=labels,
            text=text.tolist(),
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=1,
        )
    )
    figure.update_layout(
        xaxis={"title": T.COHORT_AXIS_PERIOD.format(freq=T.FREQS[freq].en).en},
        yaxis={"type": "category", "autorange": "reversed"},
    )
    return Chart(title, figure)


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
    """
    from tools.survival import kaplan_meier, logrank  # lazy: it imports scipy.stats (slow)

    lives = churn_lives(data, params.as_of, params.inactivity_days)
    frame = lives.frame
    assumptions, warnings = list(lives.assumptions), list(lives.warnings)
    frame = frame.loc[frame["start"].notna()]
    if params.start is not None or params.end is not None:
        lo = pd.Timestamp(params.start) if params.start else frame["start"].min()
        hi = pd.Timestamp(params.end) if params.end else lives.as_of
        frame = frame.loc[((frame["start"] >= lo) & (frame["start"] <= hi)).to_numpy()]
        start_msg = params.start.isoformat() if params.start else T.OPEN_START
        end_msg = params.end.isoformat() if params.end else T.OPEN_END
        if frame.empty:
            raise ToolInputError(say(T.SURVIVAL_NO_CUSTOMERS, start=start_msg, end=end_msg))
        assumptions.append(say(T.SURVIVAL_FILTER, start=start_msg, end=end_msg))
    if frame.empty:
        raise ToolInputError(say(T.NO_CUSTOMERS, as_of=iso(lives.as_of)))
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
                say(T.SURVIVAL_ENTRY, count=num_text(int(early.sum())), first=iso(lives.first_tx))
            )
    delayed = bool((entry > 0).any())
    dim = params.group_by
    if dim is None:
        customers = data.get("customers")
        if customers is not None and "segment" in customers.columns:
            dim = "segment"
    groups = None
    if dim in _PERIOD_DIMS:
        groups = pd.Series([_label(int(k), dim) for k in _codes(frame["start"], dim)], index=frame.index)
    elif dim is not None:
        attribute, notes = customer_attribute(data, lives.tx, dim)
        assumptions.extend(notes)
        groups = attribute.reindex(frame.index).astype(object).where(lambda s: s.notna(), T.UNKNOWN)
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
            T.SURVIVAL_HEAD,
            customers=num_text(overall["customers"]),
            churned=num_text(overall["churned"]),
            median=_days(overall["median_lifetime_days"]),
            s1=pct_text(overall["survival_1y"]),
            s2=pct_text(overall["survival_2y"]),
            s3=pct_text(overall["survival_3y"]),
        )
    ]
    if groups is not None and dim is not None:
        dim_name = T.DIMENSIONS.get(dim, Msg(dim, dim))
        items = [
            say(
                T.SURVIVAL_GROUP_ITEM,
                label=r["group"],
                median=_days(r["median_lifetime_days"]),
                s1=pct_text(r["survival_1y"]),
            )
            for r in rows[1:]
        ]
        summary.append(say(T.SURVIVAL_GROUPS, dimension=dim_name, items=join(items)))
        if len(fits) > 2:
            test = logrank(durations, events, groups.to_numpy(), entry)
            stat, p_value = test.statistic, test.p_value
            facts["logrank_statistic"] = fact(stat)
            facts["logrank_p_value"] = fact(p_value)
            verdict = T.SURVIVAL_DIFFERENT if p_value < SIGNIFICANCE else T.SURVIVAL_SIMILAR
            summary.append(say(T.SURVIVAL_LOGRANK, dimension=dim_name, p=_pvalue(p_value), verdict=verdict))
    if int(events.sum()) < FEW_EVENTS:
        warnings.append(say(T.SURVIVAL_FEW_EVENTS, count=num_text(int(events.sum()))))
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
        xaxis={"title": T.SURVIVAL_AXIS_X.en},
        yaxis={"title": T.SURVIVAL_AXIS_Y.en, "tickformat": ".0%", "range": [0, 1.02]},
    )
    method = Method(
        T.SURVIVAL_FORMULA,
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
        [Chart(T.SURVIVAL_CHART, figure)],
        method,
        [],
        warnings,
    )


# ==================================================================================================
# helpers
# ==================================================================================================


def _codes(dates: pd.Series, freq: str) -> np.ndarray:
    """Integer period codes: year*12 + month - 1 (month), year*4 + quarter - 1 (quarter), year (year).

    NaT gives 0 (callers mask missing dates themselves).
    """
    dt = pd.to_datetime(dates)
    year = dt.dt.year.fillna(0).to_numpy().astype(np.int64)
    month = dt.dt.month.fillna(1).to_numpy().astype(np.int64)
    if freq == "month":
        return year * 12 + month - 1
    if freq == "quarter":
        return year * 4 + (month - 1) // 3
    return year


def _code(ts: pd.Timestamp, freq: str) -> int:
    return int(_codes(pd.Series([pd.Timestamp(ts)]), freq)[0])


def _label(code: int, freq: str) -> str:
    """'2024-03', '2024Q1' or '2024' for a period code."""
    if freq == "month":
        return f"{code // 12:04d}-{code % 12 + 1:02d}"
    if freq == "quarter":
        return f"{code // 4:04d}Q{code % 4 + 1}"
    return f"{code:04d}"


def _period_start(code: int, freq: str) -> str:
    if freq == "month":
        return date(code // 12, code % 12 + 1, 1).isoformat()
    if freq == "quarter":
        return date(code // 4, (code % 4) * 3 + 1, 1).isoformat()
    return date(code, 1, 1).isoformat()


def _as_bool(values: pd.Series) -> pd.Series:
    """A churned-style flag as nullable boolean (bool, 0/1, yes/no, true/false, 是/否)."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean")
    if pd.api.types.is_numeric_dtype(values):
        return values.ne(0).astype("boolean").where(values.notna())
    text = values.astype("str").str.strip().str.casefold()
    mapping = {"yes": True, "y": True, "true": True, "1": True, "是": True, "churned": True}
    mapping |= {"no": False, "n": False, "false": False, "0": False, "否": False}
    return text.map(mapping).astype("boolean")


def _as_of_note(as_of: pd.Timestamp, given: bool) -> Msg:
    return say(T.AS_OF, as_of=iso(as_of), how=T.AS_OF_GIVEN if given else T.AS_OF_DEFAULT)


def _pvalue(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _days(value: float | None) -> Msg:
    if value is None:
        return T.NOT_REACHED
    return say(T.DAYS, days=num_text(round(value)), years=f"{value / 365.25:.1f}")


__all__ = [
    "ChurnTrendParams",
    "CohortParams",
    "SurvivalParams",
    "churn_lives",
    "churn_trend",
    "cohort_retention",
    "customer_survival",
]
