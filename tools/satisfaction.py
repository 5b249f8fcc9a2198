"""Satisfaction: CSAT or NPS by segment/period, complaint Pareto, response times, complaint-driven churn.

Tool ``satisfaction_analysis`` (``fn(data, params) -> ToolResult``). Its words: prompts/satisfaction_analysis.py.

Formulas
--------
- CSAT (1-5 scale): csat = share of scores 4-5; also the mean score.
- NPS (0-10 scale): nps = share of promoters (9-10) - share of detractors (0-6), a fraction in [-1, 1]
  (0.32 is "NPS 32"). Scale: ``scale`` or detected: all scores within 1..5 -> CSAT, else 0..10 -> NPS.
- complaint_rate = complaint rows / feedback rows (with a ``complaint`` column).
- Low score: CSAT <= LOW_CSAT (2) or NPS <= LOW_NPS (6, a detractor).
- Churn comparison (customers table with ``churned``): customers with any complaint or low score vs all
  other customers in the customers table; churn rate = churned / customers in each group; two-sided
  two-proportion z-test with the pooled proportion, z = (p1 - p2) / sqrt(p(1-p)(1/n1 + 1/n2)), or
  Fisher's exact test (scipy.stats.fisher_exact) when an expected cell count is below 5.

Findings
--------
- ``low_satisfaction_segment``: a group (``group_by``, default segment when customers have one) with at
  least MIN_RESPONSES (20) responses and CSAT < LOW_CSAT_SHARE (0.70) or NPS < LOW_NPS_SCORE (0):
  heuristic cut-offs, stated in the answer.
- ``complaint_driven_churn``: complainers churn more than the others with p < ALPHA (0.05); the finding
  lists the complainers who are still active.

Example
-------
>>> csat_share(pd.Series([5, 4, 4, 3, 2, 1, 5, 5, 3, 4]))
0.6
>>> nps_value(pd.Series([10, 9, 9, 8, 7, 6, 5, 10, 3, 9]))
0.2
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import customer_rows as S
from prompts import satisfaction_analysis as W
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.customer_rows import as_bool
from tools.errors import ToolInputError
from tools.params import PeriodParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.wording import fact, join, num_text, pct_text, say, sentences

LOW_CSAT = 2
LOW_NPS = 6
LOW_CSAT_SHARE = 0.70
LOW_NPS_SCORE = 0.0
MIN_RESPONSES = 20
ALPHA = 0.05
MIN_EXPECTED = 5
MAX_SUMMARY_ITEMS = 5

SatisfactionDimension = Literal["segment", "region", "industry", "category", "month", "quarter", "year"]


class SatisfactionParams(PeriodParams):
    """CSAT/NPS, complaints and their link to churn over the period."""

    scale: Literal["auto", "csat", "nps"] = Field(
        "auto", description="Score scale: csat (1-5), nps (0-10) or auto (detected from the scores)."
    )
    group_by: SatisfactionDimension | None = Field(
        None,
        description="Break scores down by segment, region, industry, category, month, quarter or year "
        "(default: segment when the customers table has one).",
    )


def csat_share(scores: pd.Series) -> float:
    """Share of 1-5 scores that are 4 or 5 (NaN when empty)."""
    s = scores.dropna()
    return float((s >= 4).mean()) if len(s) else float("nan")


def nps_value(scores: pd.Series) -> float:
    """Share of promoters (9-10) minus share of detractors (0-6) (NaN when empty)."""
    s = scores.dropna()
    if not len(s):
        return float("nan")
    return float((s >= 9).mean() - (s <= 6).mean())


def two_proportion_test(k1: int, n1: int, k2: int, n2: int) -> tuple[float, str]:
    """Two-sided p-value for p1 = k1/n1 vs p2 = k2/n2: pooled z-test, or Fisher exact for small counts.

    >>> p, test = two_proportion_test(30, 100, 15, 100)
    >>> test, round(p, 4)
    ('z', 0.0098)
    """
    from scipy import stats  # lazy: heavy import

    if n1 <= 0 or n2 <= 0:
        return float("nan"), "z"
    pooled = (k1 + k2) / (n1 + n2)
    expected = [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)]
    if min(expected) < MIN_EXPECTED:
        _, p = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]])
        return float(p), "fisher"
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0, "z"
    z = (k1 / n1 - k2 / n2) / se
    return float(2 * stats.norm.sf(abs(z))), "z"


def _detect_scale(scores: pd.Series, given: str) -> tuple[str, Msg]:
    low, high = float(scores.min()), float(scores.max())
    if given != "auto":
        return given, say(W.SCALE_GIVEN, scale=W.SCALES[given])
    scale = "csat" if low >= 1 and high <= 5 else "nps"
    return scale, say(W.SCALE_DETECTED, low=num_text(low), high=num_text(high), scale=W.SCALES[scale])


def _score_stats(frame: pd.DataFrame, scale: str) -> dict[str, float]:
    s = frame["score"]
    out = {"responses": int(s.notna().sum()), "mean_score": float(s.mean()) if s.notna().any() else np.nan}
    if scale == "csat":
        out["csat"] = csat_share(s)
    else:
        n = max(out["responses"], 1)
        out["promoters"] = float((s >= 9).sum() / n)
        out["passives"] = float(((s >= 7) & (s <= 8)).sum() / n)
        out["detractors"] = float((s <= 6).sum() / n)
        out["nps"] = nps_value(s)
    if "complaint" in frame.columns:
        out["complaint_rate"] = float(frame["complaint"].mean()) if len(frame) else np.nan
    return out


def satisfaction_analysis(data: DatasetBundle, params: SatisfactionParams) -> ToolResult:
    """CSAT or NPS overall and by group, complaint categories (Pareto), response times, churn link.

    Formulas, thresholds and findings: see the module docstring.

    Tables: satisfaction_by_<group> (responses, csat or nps (+ promoters/passives/detractors), mean_score,
    complaint_rate), complaint_categories (category, complaints, share, cumulative_share, median
    response_hours, resolved_rate), churn_by_complaint (group, customers, churned, churn_rate).

    Facts: responses, scale, csat or nps (+ promoters, detractors), mean_score, complaint_rate,
    complaints, median_response_hours, resolved_rate, churn_rate_complainers, churn_rate_others,
    complainers, others, churn_p_value, churn_test.
    Findings: low_satisfaction_segment, complaint_driven_churn.
    """
    fb = data.require("feedback", [], W.PURPOSE)
    if "customer_id" not in fb.columns and "date" not in fb.columns:
        data.require("feedback", ["customer_id"], W.PURPOSE)
    if "date" in fb.columns:
        fb = aggregate.period_filter(fb, params.start, params.end)
    if fb.empty:
        raise ToolInputError(say(W.NO_ROWS, start=params.start or "…", end=params.end or "…"))
    fb = fb.copy()
    warnings: list[Msg] = []
    assumptions: list[Msg] = []
    if "complaint" in fb.columns:
        fb["complaint"] = as_bool(fb["complaint"]).fillna(False).astype(bool)
    else:
        warnings.append(W.NO_COMPLAINT)
    scale: str | None = None
    if "score" in fb.columns:
        fb["score"] = pd.to_numeric(fb["score"], errors="coerce")
        if fb["score"].notna().any():
            scale, note = _detect_scale(fb["score"].dropna(), params.scale)
            assumptions.append(note)
            low, high = (1, 5) if scale == "csat" else (0, 10)
            bad = fb["score"].notna() & ~fb["score"].between(low, high)
            if bad.any():
                warnings.append(
                    say(
                        W.SCALE_MISMATCH,
                        low=num_text(fb["score"].min()),
                        high=num_text(fb["score"].max()),
                        scale=W.SCALES[scale],
                        count=num_text(int(bad.sum())),
                    )
                )
                fb.loc[bad, "score"] = np.nan
    if scale is None:
        warnings.append(W.NO_SCORE)
        if "complaint" not in fb.columns:
            data.require("feedback", ["score"], W.PURPOSE)

    facts: dict[str, FactValue] = {"responses": len(fb), "scale": scale}
    parts: list[Msg] = []
    if scale is not None:
        overall = _score_stats(fb, scale)
        facts["responses"] = overall["responses"]
        facts["mean_score"] = fact(overall["mean_score"])
        if scale == "csat":
            facts["csat"] = fact(overall["csat"])
            parts.append(
                say(
                    W.SUMMARY_CSAT,
                    csat=pct_text(overall["csat"]),
                    responses=num_text(overall["responses"]),
                    mean=f"{overall['mean_score']:.2f}",
                )
            )
        else:
            facts |= {k: fact(overall[k]) for k in ("nps", "promoters", "passives", "detractors")}
            parts.append(
                say(
                    W.SUMMARY_NPS,
                    nps=f"{overall['nps'] * 100:.0f}",
                    responses=num_text(overall["responses"]),
                    promoters=pct_text(overall["promoters"]),
                    detractors=pct_text(overall["detractors"]),
                    passives=pct_text(overall["passives"]),
                )
            )
    tables: list[Table] = []
    charts: list[Chart] = []
    findings: list[Finding] = []

    # --- by group
    by = params.group_by or _default_group(data)
    if scale is not None and by is not None:
        keys = _group_keys(data, fb, by)
        rows = []
        for key, part in fb.groupby(keys, sort=True, dropna=False):
            rows.append({by: str(key)} | _score_stats(part, scale))
        groups = pd.DataFrame(rows)
        tables.append(Table(f"satisfaction_by_{by}", groups))
        metric = "csat" if scale == "csat" else "nps"
        shown = groups.head(MAX_SUMMARY_ITEMS * 3)
        items = join(
            [
                say(S.ITEM, label=str(k), value=_score_text(scale, v))
                for k, v in zip(shown[by], shown[metric], strict=True)
            ]
        )
        parts.append(say(W.BY_GROUP, dimension=_dim(by), items=items))
        charts.append(_group_chart(groups, by, metric, scale))
        if by not in aggregate.PERIOD_FREQ:
            low = _low_groups(groups, by, metric)
            if low is not None:
                findings.append(low)

    # --- complaints
    if "complaint" in fb.columns:
        complaints = fb.loc[fb["complaint"]]
        facts["complaint_rate"] = fact(len(complaints) / len(fb))
        facts["complaints"] = len(complaints)
        if "category" in fb.columns and len(complaints):
            pareto = _pareto(complaints)
            tables.append(Table("complaint_categories", pareto))
            charts.append(_pareto_chart(pareto))
            items = join(
                [
                    say(S.ITEM, label=str(c), value=pct_text(s))
                    for c, s in zip(pareto["category"].head(3), pareto["share"].head(3), strict=True)
                ]
            )
            parts.append(
                say(
                    W.COMPLAINTS,
                    rate=pct_text(facts["complaint_rate"]),
                    count=num_text(len(complaints)),
                    items=items,
                )
            )
        if "response_hours" in fb.columns:
            hours = pd.to_numeric(complaints["response_hours"], errors="coerce").dropna()
            if len(hours):
                resolved = (
                    float(as_bool(complaints["resolved"]).fillna(False).astype(bool).mean())
                    if "resolved" in complaints.columns
                    else None
                )
                facts["median_response_hours"] = fact(hours.median())
                facts["mean_response_hours"] = fact(hours.mean())
                facts["resolved_rate"] = fact(resolved)
                parts.append(
                    say(
                        W.TIMES,
                        median=f"{hours.median():.1f}",
                        mean=f"{hours.mean():.1f}",
                        resolved=pct_text(resolved),
                    )
                )

    # --- churn of complainers vs the rest
    churn = _churn_split(data, fb, scale)
    if churn is None:
        warnings.append(W.NO_CHURN)
    else:
        table, k_c, n_c, k_o, n_o, active = churn
        tables.append(Table("churn_by_complaint", table))
        p, test = two_proportion_test(k_c, n_c, k_o, n_o)
        rate_c = k_c / n_c if n_c else None
        rate_o = k_o / n_o if n_o else None
        facts |= {
            "churn_rate_complainers": fact(rate_c),
            "churn_rate_others": fact(rate_o),
            "complainers": n_c,
            "others": n_o,
            "churn_p_value": fact(p),
            "churn_test": test,
        }
        parts.append(
            say(
                W.CHURN,
                rate_c=pct_text(rate_c),
                n_c=num_text(n_c),
                k_c=num_text(k_c),
                rate_o=pct_text(rate_o),
                n_o=num_text(n_o),
                k_o=num_text(k_o),
                test=W.TESTS[test],
                p=_p(p),
            )
        )
        if rate_c is not None and rate_o is not None and rate_c > rate_o and p < ALPHA:
            findings.append(
                Finding(
                    "complaint_driven_churn",
                    say(
                        W.FINDING_CHURN,
                        rate_c=pct_text(rate_c),
                        rate_o=pct_text(rate_o),
                        p=_p(p),
                        active=num_text(len(active)),
                    ),
                    active,
                    None,
                    "churn_rate_difference_p_value",
                    ALPHA,
                )
            )
    if not charts:
        charts.append(
            _group_chart(pd.DataFrame({"all": ["all"], "responses": [len(fb)]}), "all", "responses", None)
        )
    score_formula = W.FORMULA_CSAT if scale == "csat" else W.FORMULA_NPS if scale == "nps" else Msg("", "")
    formula = say(
        W.FORMULA,
        score=Msg(score_formula.en + " " if score_formula.en else "", score_formula.zh),
        low_csat=LOW_CSAT,
        low_nps=LOW_NPS,
        dimension=_dim(by or "segment"),
        min_n=MIN_RESPONSES,
        csat_cut=pct_text(LOW_CSAT_SHARE),
        nps_cut=f"{LOW_NPS_SCORE:.0f}",
        alpha=ALPHA,
    )
    as_of = (
        pd.Timestamp(fb["date"].max()).date() if "date" in fb.columns and fb["date"].notna().any() else None
    )
    parameters = params.model_dump(mode="json") | {"scale_used": scale, "group_by_used": by}
    method = Method(formula, parameters, assumptions, as_of, len(fb))
    summary = sentences(parts) if parts else say(W.NO_SCORE)
    return ToolResult("satisfaction_analysis", summary, facts, tables, charts, method, findings, warnings)


def _dim(by: str) -> Msg:
    if by == "category":
        return Msg("category", "类别")
    return S.DIMENSIONS.get(by, Msg(by, by))


def _score_text(scale: str, value: float) -> Msg:
    if scale == "csat":
        return pct_text(value)
    text = "n/a" if value is None or np.isnan(value) else f"{value * 100:.0f}"
    return Msg(text, text)


def _p(p: float) -> str:
    if p is None or np.isnan(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _default_group(data: DatasetBundle) -> str | None:
    customers = data.get("customers")
    fb = data.get("feedback")
    if fb is not None and "segment" in fb.columns:
        return "segment"
    if (
        customers is not None
        and "segment" in customers.columns
        and fb is not None
        and "customer_id" in fb.columns
    ):
        return "segment"
    return None


def _group_keys(data: DatasetBundle, fb: pd.DataFrame, by: str) -> pd.Series:
    if by in aggregate.PERIOD_FREQ:
        if "date" not in fb.columns:
            raise ToolInputError(say(W.NO_GROUP, dimension=_dim(by)))
        return fb["date"].dt.to_period(aggregate.PERIOD_FREQ[by]).astype("str")
    if by in fb.columns:
        return fb[by].astype("str").fillna(S.UNKNOWN)
    customers = data.get("customers")
    if customers is not None and by in customers.columns and "customer_id" in fb.columns:
        attr = customers.drop_duplicates("customer_id").set_index("customer_id")[by].astype("str")
        return fb["customer_id"].map(attr).fillna(S.UNKNOWN)
    raise ToolInputError(say(W.NO_GROUP, dimension=_dim(by)))


def _low_groups(groups: pd.DataFrame, by: str, metric: str) -> Finding | None:
    cut = LOW_CSAT_SHARE if metric == "csat" else LOW_NPS_SCORE
    hit = groups.loc[(groups["responses"] >= MIN_RESPONSES) & (groups[metric] < cut)]
    if hit.empty:
        return None
    labels = ", ".join(
        f"{k} ({_score_text('csat' if metric == 'csat' else 'nps', v).en})"
        for k, v in zip(hit[by], hit[metric], strict=True)
    )
    cut_text = pct_text(cut) if metric == "csat" else Msg(f"NPS {cut:.0f}", f"NPS {cut:.0f}")
    return Finding(
        "low_satisfaction_segment",
        say(W.FINDING_LOW, groups=labels, cut=cut_text, min_n=MIN_RESPONSES),
        [],
        None,  # a score, not money at stake
        metric,
        cut,
    )


def _pareto(complaints: pd.DataFrame) -> pd.DataFrame:
    cat = complaints["category"].astype("str").fillna(S.UNKNOWN)
    counts = cat.value_counts(sort=True)
    out = pd.DataFrame({"category": counts.index.astype("str"), "complaints": counts.to_numpy()})
    out["share"] = out["complaints"] / out["complaints"].sum()
    out["cumulative_share"] = out["share"].cumsum()
    if "response_hours" in complaints.columns:
        hours = pd.to_numeric(complaints["response_hours"], errors="coerce")
        out["median_response_hours"] = out["category"].map(hours.groupby(cat).median())
    if "resolved" in complaints.columns:
        resolved = as_bool(complaints["resolved"]).fillna(False).astype(float)
        out["resolved_rate"] = out["category"].map(resolved.groupby(cat).mean())
    return out


def _churn_split(
    data: DatasetBundle, fb: pd.DataFrame, scale: str | None
) -> tuple[pd.DataFrame, int, int, int, int, list[str]] | None:
    """Churn table, (churned, customers) for complainers and others, and active complainers' ids."""
    customers = data.get("customers")
    if customers is None or not {"customer_id", "churned"} <= set(customers.columns):
        return None
    if "customer_id" not in fb.columns:
        return None
    flag = pd.Series(False, index=fb.index)
    if "complaint" in fb.columns:
        flag |= fb["complaint"]
    if scale is not None:
        flag |= fb["score"] <= (LOW_CSAT if scale == "csat" else LOW_NPS)
    cust = customers.drop_duplicates("customer_id").set_index("customer_id")
    churned = as_bool(cust["churned"])
    known = churned.notna()
    flagged_ids = set(fb.loc[flag, "customer_id"].astype("str"))
    with_feedback = set(fb["customer_id"].astype("str"))
    ids = cust.index.astype("str")
    is_flagged = pd.Series(ids.isin(list(flagged_ids)), index=cust.index) & known
    has_fb = pd.Series(ids.isin(list(with_feedback)), index=cust.index) & known
    ch = churned.fillna(False).astype(bool)
    groups = {
        "complained_or_low_score": is_flagged,
        "others": known & ~is_flagged,
        "others_with_feedback": has_fb & ~is_flagged,
        "others_without_feedback": known & ~has_fb,
    }
    rows = []
    for name, mask in groups.items():
        n = int(mask.sum())
        k = int((mask & ch).sum())
        rows.append({"group": name, "customers": n, "churned": k, "churn_rate": k / n if n else np.nan})
    table = pd.DataFrame(rows)
    active = [str(c) for c in cust.index[is_flagged & ~ch].tolist()]
    k_c, n_c = int(table.loc[0, "churned"]), int(table.loc[0, "customers"])
    k_o, n_o = int(table.loc[1, "churned"]), int(table.loc[1, "customers"])
    return table, k_c, n_c, k_o, n_o, active


def _group_chart(groups: pd.DataFrame, by: str, metric: str, scale: str | None) -> Chart:
    figure = go.Figure(go.Bar(x=groups[by].astype("str").tolist(), y=groups[metric].to_numpy()))
    figure.update_layout(showlegend=False, xaxis={"type": "category"}, yaxis_title=metric)
    score = W.SCALES.get(scale or "", Msg("responses", "反馈数"))
    return Chart(say(W.CHART_GROUP, score=score, dimension=_dim(by)), figure)


def _pareto_chart(pareto: pd.DataFrame) -> Chart:
    labels = pareto["category"].tolist()
    figure = go.Figure(
        [
            go.Bar(name="complaints", x=labels, y=pareto["complaints"].to_numpy()),
            go.Scatter(
                name="cumulative_share",
                x=labels,
                y=pareto["cumulative_share"].to_numpy(),
                yaxis="y2",
                mode="lines+markers",
            ),
        ]
    )
    figure.update_layout(
        xaxis={"type": "category"},
        yaxis2={"overlaying": "y", "side": "right", "range": [0, 1.05], "tickformat": ".0%"},
    )
    return Chart(W.CHART_PARETO, figure)


SPEC = ToolSpec(
    "satisfaction_analysis",
    SatisfactionParams,
    satisfaction_analysis,
    requires=('feedback',),
    findings=('low_satisfaction_segment', 'complaint_driven_churn'),
    words=W,
    order=120,
)
