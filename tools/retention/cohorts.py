"""cohort_retention: acquisition cohorts (signup or first-purchase month/quarter) x periods since
acquisition: share of customers still buying and revenue kept relative to the first period.

Findings: ``low_retention_cohort`` (period-LOW_RETENTION_PERIOD retention more than LOW_RETENTION_GAP
below the customer-weighted average, cohorts of MIN_COHORT_SIZE+).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import churn_events as S
from prompts import cohort_retention as W
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.data import ops
from tools.data.relation import is_relation
from tools.data.totals import period_code_column
from tools.errors import ToolInputError
from tools.params import PeriodParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.retention.events import ID, MAX_SUMMARY_ITEMS, as_of_note, period_code, period_codes, period_label
from tools.spec import ToolSpec
from tools.wording import fact, iso, join, num_text, pct_text, say, sentences

CohortFreq = Literal["month", "quarter"]

#: low_retention_cohort: period-LOW_RETENTION_PERIOD retention more than LOW_RETENTION_GAP (absolute,
#: i.e. 10 percentage points) below the customer-weighted average, for cohorts of MIN_COHORT_SIZE+.
LOW_RETENTION_PERIOD = 3
LOW_RETENTION_GAP = 0.10
MIN_COHORT_SIZE = 5
#: Periods since acquisition reported as facts (where observed).
RETENTION_FACT_PERIODS = (1, 3, 6, 12)

class CohortParams(PeriodParams):
    """Acquisition cohorts x periods since acquisition (start/end select cohorts by acquisition date)."""

    freq: CohortFreq = Field("month", description="Cohort and period length: month or quarter.")
    group_by: CohortFreq | None = Field(
        None, description="Same as freq (month or quarter of acquisition); overrides freq when given."
    )
    as_of: date | None = Field(None, description="Reference date (default: the latest transaction date).")
    periods: int = Field(24, ge=1, le=120, description="How many periods since acquisition to show at most.")



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
    if "transactions" not in data:
        raise ToolInputError(W.NEEDS_TRANSACTIONS)
    tx = data.rows(  # a frame, or a Relation (a live source, queried in place)
        "transactions", ["customer_id", "date", "revenue"], Msg("measure retention", "计算留存率")
    )
    as_of = pd.Timestamp(params.as_of) if params.as_of is not None else ops.min_max(tx)[1].normalize()
    tx = ops.on_or_before(tx, "date", as_of)
    first_tx, _ = ops.min_max(tx)
    if pd.isna(first_tx):
        raise ToolInputError(say(W.COHORT_NONE, first=S.OPEN_START, last=iso(as_of)))
    assumptions = [as_of_note(as_of, params.as_of is not None)]
    warnings: list[Msg] = []
    if is_relation(tx):
        pairs = aggregate.totals(period_code_column(tx, freq, "period"), [ID, "period"])
    else:
        periods = period_codes(tx["date"], freq)
        pairs = aggregate.totals(tx, [ID, pd.Series(periods, index=tx.index, name="period")])
    rows_used = int(pairs["rows"].sum())
    pairs = pairs.reset_index()
    pairs[ID] = pairs[ID].astype(str)
    first_purchase = pairs.loc[pairs["first_date"].notna()].groupby(ID)["first_date"].min()
    acquired = first_purchase.copy()
    customers = data.get("customers")
    if customers is not None and "signup_date" in customers.columns and ID in customers.columns:
        signup = customers.drop_duplicates(ID).set_index(ID)["signup_date"]
        signup.index = signup.index.astype(str)
        acquired = pd.to_datetime(signup, errors="coerce").reindex(acquired.index).fillna(acquired)
        assumptions.append(S.START_DEFINITION)
    acquired = acquired.loc[acquired.notna() & (acquired <= as_of)]
    first_code = period_code(first_tx, freq)
    last_complete = period_code(as_of + pd.Timedelta(days=1), freq) - 1
    cohort = pd.Series(period_codes(acquired, freq), index=acquired.index)
    early = cohort < first_code
    if early.any():
        warnings.append(say(W.COHORT_EXCLUDED, count=num_text(int(early.sum())), first=iso(first_tx)))
    keep = ~early & (cohort <= last_complete)
    if params.start is not None:
        keep &= (acquired >= pd.Timestamp(params.start)).to_numpy()
    if params.end is not None:
        keep &= (acquired < pd.Timestamp(params.end) + pd.Timedelta(days=1)).to_numpy()
    cohort = cohort.loc[keep]
    if cohort.empty:
        raise ToolInputError(
            say(
                W.COHORT_NONE,
                first=params.start.isoformat() if params.start else iso(first_tx),
                last=params.end.isoformat() if params.end else iso(as_of),
            )
        )
    pairs = pairs.loc[pairs[ID].isin(cohort.index) & (pairs["period"] <= last_complete)]
    pairs = pairs.assign(cohort=cohort.reindex(pairs[ID]).to_numpy())
    pairs["offset"] = pairs["period"] - pairs["cohort"]
    before = pairs["offset"] < 0
    if before.any():
        warnings.append(say(W.COHORT_BEFORE_ACQUISITION, count=num_text(int(before.sum()))))
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
    labels = [period_label(int(k), freq) for k in codes]
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
    assumptions.append(say(W.COHORT_COMPLETE, freq=S.FREQS[freq], last=period_label(last_complete, freq)))
    shown = [p for p in RETENTION_FACT_PERIODS if p < width and not math.isnan(avg[p])]
    summary = [
        say(
            W.COHORT_HEAD,
            cohorts=num_text(len(codes)),
            freq=S.FREQS[freq],
            first=labels[0],
            last=labels[-1],
            customers=num_text(int(sizes.sum())),
            retention=join(
                [
                    say(S.ITEM, label=say(W.COHORT_PERIOD, freq=S.FREQS[freq], p=p), value=pct_text(avg[p]))
                    for p in shown
                ]
            ),
        )
    ]
    rev_shown = [p for p in shown if not math.isnan(avg_rev[p])]
    if rev_shown:
        summary.append(
            say(
                W.COHORT_REVENUE,
                retention=join(
                    [
                        say(
                            S.ITEM,
                            label=say(W.COHORT_PERIOD, freq=S.FREQS[freq], p=p),
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
                    say(S.ITEM, label=c, value=pct_text(r))
                    for c, r in zip(low["cohort"], low[f"period_{p}"], strict=False)
                ][:MAX_SUMMARY_ITEMS]
            )
            summary.append(say(W.COHORT_LOW, freq=S.FREQS[freq], p=p, items=items))
            low_codes = codes[low.index.to_numpy()]
            members = cohort.index[np.isin(cohort.to_numpy(), low_codes)]
            active3 = set(pairs.loc[(pairs["offset"] == p) & pairs["first_date"].notna(), ID])
            lapsed = [str(c) for c in members.tolist() if c not in active3]
            findings.append(
                Finding(
                    "low_retention_cohort",
                    say(
                        W.FINDING_LOW_RETENTION,
                        count=num_text(len(low)),
                        freq=S.FREQS[freq],
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
        _heatmap(retention, labels, width, say(W.COHORT_CHART, freq=S.FREQS[freq]), freq),
        _heatmap(rev_ret, labels, width, say(W.COHORT_REVENUE_CHART, freq=S.FREQS[freq]), freq),
    ]
    method = Method(
        say(
            W.COHORT_FORMULA,
            freq=S.FREQS[freq],
            p=LOW_RETENTION_PERIOD,
            gap=pct_text(LOW_RETENTION_GAP),
            min_size=MIN_COHORT_SIZE,
        ),
        params.model_dump(mode="json") | {"freq": freq},
        assumptions,
        as_of.date(),
        rows_used,
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
        xaxis={"title": W.COHORT_AXIS_PERIOD.format(freq=S.FREQS[freq].en).en},
        yaxis={"type": "category", "autorange": "reversed"},
    )
    return Chart(title, figure)


SPEC = ToolSpec(
    "cohort_retention",
    CohortParams,
    cohort_retention,
    requires=('transactions', 'customers'),
    findings=('low_retention_cohort',),
    words=W,
    order=80,
)
