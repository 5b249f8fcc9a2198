"""credit_risk: a points scorecard per customer (grade A-E) from payment behaviour and, when loaded,
financial health, with the reasons, a credit limit, payment terms and deposit or prepayment. Every
point and cut-off is in tools/credit/credit_scorecard.toml with its reason.

Findings: ``overdue_receivables``, ``high_credit_risk``, ``deteriorating_payer``.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import credit_risk as W
from tools.bundle import DatasetBundle
from tools.credit.aging import overdue_finding
from tools.credit.common import ID, MAX_SUMMARY_ITEMS, joined_lines, r
from tools.credit.health import health_frame
from tools.credit.invoices import CreditParams, Invoices, customer_aging, prepare_invoices
from tools.customer_rows import Names, customer_names, match_customers, plain_label, with_names
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.wording import join, money_text, num_text, pct_text, say

SCORECARD_PATH = Path(__file__).with_name("credit_scorecard.toml")

Grade = Literal["A", "B", "C", "D", "E"]


class CreditRiskParams(CreditParams):
    """Scorecard grade A-E and recommended credit action per customer."""

    grade: Grade | None = Field(None, description="List only customers with this grade (A best, E worst).")


# ==================================================================================================
# credit_risk
# ==================================================================================================


@cache
def scorecard() -> dict[str, Any]:
    """The scorecard configuration (tools/credit/credit_scorecard.toml), read once."""
    with SCORECARD_PATH.open("rb") as fh:
        return tomllib.load(fh)


def band_points(values: pd.Series, bands: list[dict[str, float]]) -> pd.Series:
    """Points per value: the largest ``points`` among bands whose ``above`` (value > above) or ``below``
    (value < below) applies; 0 when none does or the value is missing.

    >>> band_points(pd.Series([3.0, 20.0, 70.0, None]), [{"above": 5, "points": 5}, {"above": 60, "points": 30}]).tolist()
    [0.0, 5.0, 30.0, 0.0]
    """
    v = values.astype(float)
    points = pd.Series(0.0, index=values.index)
    for band in bands:
        hit = v > band["above"] if "above" in band else v < band["below"]
        points = points.where(~(hit.fillna(False)) | (points >= band["points"]), float(band["points"]))
    return points


def days_late_trend(prep: Invoices, recent_invoices: int, min_prior_invoices: int) -> pd.DataFrame:
    """Per customer: mean observed days late of its last ``recent_invoices`` invoices by due date
    (recent_days_late), of its earlier ones (prior_days_late) and change = recent - prior.

    Observed days late: paid by as_of -> max(paid_date - due_date, 0); open and past due -> as_of -
    due_date so far (a lower bound). Invoices not yet due and credit notes are left out. The change is
    NaN unless the customer has ``recent_invoices`` recent and ``min_prior_invoices`` earlier invoices.
    """
    f = prep.frame.loc[prep.frame["observed_late"].notna(), [ID, "due_date", "observed_late"]]
    f = f.sort_values([ID, "due_date"], kind="stable")
    recent = f.groupby(ID, sort=False).cumcount(ascending=False).to_numpy() < recent_invoices
    late = f["observed_late"]
    grouped = pd.DataFrame({"recent": late.where(recent), "prior": late.where(~recent)}).groupby(
        f[ID].to_numpy(), sort=True
    )
    n, mean = grouped.count(), grouped.mean()
    out = pd.DataFrame(index=mean.index)
    out["recent_days_late"] = mean["recent"]
    out["prior_days_late"] = mean["prior"]
    enough = (n["recent"] >= recent_invoices) & (n["prior"] >= min_prior_invoices)
    out["days_late_change"] = (mean["recent"] - mean["prior"]).where(enough)
    return out


def score_customers(features: pd.DataFrame, card: dict[str, Any] | None = None) -> pd.DataFrame:
    """Scorecard points lost per factor, score, grade and reasons.

    ``features`` columns (missing values are not scored): avg_days_late, late_share, overdue_share,
    days_90_plus (open amount > 90 days past due), written_off_amount, days_late_change, zone,
    current_ratio, debt_ratio. score = start_points - Σ points lost, floored at 0; grade = the first
    grade (best first) whose min_score the score reaches.
    """
    card = card or scorecard()
    pay, fin = card["payment"], card["financial"]
    lost = pd.DataFrame(index=features.index)
    lost["avg_days_late"] = band_points(features["avg_days_late"], pay["avg_days_late"]["bands"])
    lost["late_share"] = band_points(features["late_share"], pay["late_share"]["bands"])
    lost["overdue_share"] = band_points(features["overdue_share"], pay["overdue_share"]["bands"])
    lost["severely_overdue"] = np.where(
        features["days_90_plus"].fillna(0) > 0.005, pay["severely_overdue"]["points"], 0.0
    )
    lost["written_off"] = np.where(
        features["written_off_amount"].fillna(0) > 0.005, pay["written_off"]["points"], 0.0
    )
    det = pay["deteriorating"]
    lost["deteriorating"] = np.where(
        features["days_late_change"].fillna(-np.inf) > det["min_increase_days"], det["points"], 0.0
    )
    zone_points = fin["z_zone"]
    lost["z_zone"] = (
        features["zone"].map({z: float(p) for z, p in zone_points.items()}).astype(float).fillna(0.0)
    )
    lost["current_ratio"] = band_points(features["current_ratio"], fin["current_ratio"]["bands"])
    lost["debt_ratio"] = band_points(features["debt_ratio"], fin["debt_ratio"]["bands"])
    out = pd.DataFrame(index=features.index)
    out["points_lost"] = lost.sum(axis=1)
    out["score"] = (card["start_points"] - out["points_lost"]).clip(lower=0)
    grades = sorted(card["grades"], key=lambda g: -g["min_score"])
    out["grade"] = pd.Series(
        np.select(
            [out["score"] >= g["min_score"] for g in grades],
            [g["grade"] for g in grades],
            grades[-1]["grade"],
        ),
        index=features.index,
        dtype="str",
    )
    # the reasons text of each distinct combination of points lost, then spread to the customers
    combo, combos = pd.MultiIndex.from_frame(lost).factorize()
    texts = [
        "; ".join(
            f"{k} -{int(v) if float(v).is_integer() else v}"
            for k, v in zip(lost.columns, c, strict=True)
            if v > 0
        )
        for c in combos
    ]
    out["reasons"] = pd.Series(
        np.array(texts, dtype=object)[combo] if len(lost) else [], index=lost.index, dtype="str"
    )
    return pd.concat([out, lost.add_prefix("lost_")], axis=1)


def credit_risk(data: DatasetBundle, params: CreditRiskParams) -> ToolResult:
    """Transparent credit scorecard (grade A-E) with reasons and a recommended credit action per customer.

    Every customer with invoices starts at ``start_points`` (100) and loses the points of
    tools/credit_scorecard.toml for: avg days late, share paid late, overdue share of its open balance,
    any amount > 90 days past due, any write-off, days late rising (deteriorating), and, when financial
    statements are loaded, its Altman zone (financial_health, variant auto), current ratio and debt
    ratio. Missing inputs cost nothing (the reasons say what was scored). Grade: the first grade whose
    min_score the score reaches (A 85, B 70, C 55, D 40, E below, as configured).

    Recommended action (per grade, from the toml)::

        monthly_sales     = credit sales of the trailing ``exposure.months`` months / months
        recommended_limit = limit_months[grade] x monthly_sales
        limit_gap         = open_amount - recommended_limit (> 0: exposure above the limit -> reduce)
        terms_days, prepayment_share (deposit for D, prepayment for E)

    Deteriorating payer: mean observed days late of the customer's last ``recent_invoices`` (3)
    invoices minus that of its earlier ones (at least ``min_prior_invoices``, 2) > ``min_increase_days``
    (15) (see ``days_late_trend``).

    Facts: as_of, customers, customers_grade_a .. customers_grade_e, high_risk_customers,
    exposure_high_risk (open receivables of grades D/E), deteriorating_payers, limit_reductions
    (customers whose open balance exceeds the recommended limit), open_amount, overdue_amount,
    financials_used (customers scored with an Altman zone).

    Findings: ``overdue_receivables`` (as receivables_aging), ``high_credit_risk`` (grades D/E; value =
    their open receivables), ``deteriorating_payer`` (value = their open receivables; metric
    days_late_change, threshold min_increase_days).
    """
    card = scorecard()
    prep = prepare_invoices(data, params.as_of, params.currency, W.PURPOSE_CREDIT)
    per = customer_aging(prep)
    det = card["payment"]["deteriorating"]
    trend = days_late_trend(prep, int(det["recent_invoices"]), int(det["min_prior_invoices"]))
    features = per.join(trend)
    warnings = list(prep.warnings)
    health = None
    if data.has("financials", [ID]):
        health, health_warnings = health_frame(data, "auto")
        warnings += health_warnings
    for col in ("zone", "current_ratio", "debt_ratio"):
        features[col] = health[col].reindex(features.index) if health is not None else np.nan
    if health is None:
        warnings.append(W.NO_FINANCIALS)
    features["zone"] = features["zone"].astype("object")
    scored = score_customers(features, card)
    months = int(card["exposure"]["months"])
    start = prep.as_of - pd.DateOffset(months=months)
    window = prep.frame["invoice_date"] > start
    codes, _ = prep.customer_codes  # per.index is the sorted customer ids of these codes
    in_window = np.where(window.to_numpy(), prep.frame["amount"].to_numpy(), 0.0)
    monthly = pd.Series(np.bincount(codes, weights=in_window, minlength=len(per)), index=per.index) / months
    grade_cfg = {g["grade"]: g for g in card["grades"]}
    out = pd.concat([features, scored], axis=1)
    out["monthly_sales"] = monthly.round(2)

    def per_grade(key: str) -> pd.Series:
        return out["grade"].map({g: cfg[key] for g, cfg in grade_cfg.items()})

    out["recommended_limit"] = (per_grade("limit_months") * monthly.clip(lower=0)).round(2)
    out["limit_gap"] = (out["open_amount"] - out["recommended_limit"]).round(2)
    out["terms_days"] = per_grade("terms_days").astype(int)
    out["prepayment_share"] = per_grade("prepayment_share").astype(float)
    out["deteriorating"] = out["lost_deteriorating"] > 0
    out["action"] = _actions(out)
    high_grades = list(card["exposure"]["high_risk_grades"])
    high = out.loc[out["grade"].isin(high_grades)].sort_values(
        ["open_amount"], ascending=False, kind="stable"
    )
    deteriorating = out.loc[out["deteriorating"]].sort_values("open_amount", ascending=False, kind="stable")
    names = customer_names(data, None)
    facts: dict[str, FactValue] = {"as_of": prep.as_of.date().isoformat(), "customers": len(out)}
    counts = out["grade"].value_counts()
    for g in grade_cfg:
        facts[f"customers_grade_{g.lower()}"] = int(counts.get(g, 0))
    facts |= {
        "high_risk_customers": len(high),
        "exposure_high_risk": r(float(high["open_amount"].sum())),
        "deteriorating_payers": len(deteriorating),
        "limit_reductions": int((out["limit_gap"] > 0.005).sum()),
        "open_amount": r(float(out["open_amount"].sum())),
        "overdue_amount": r(float(out["overdue_amount"].sum())),
        "financials_used": int(out["zone"].notna().sum()),
    }
    if prep.currency is not None:
        facts["currency"] = prep.currency
    findings: list[Finding] = []
    overdue = overdue_finding(per, names)
    if overdue is not None:
        findings.append(overdue)
    if len(high):
        findings.append(
            Finding(
                "high_credit_risk",
                say(
                    W.FINDING_HIGH_RISK,
                    count=len(high),
                    grades="/".join(high_grades),
                    amount=money_text(facts["exposure_high_risk"]),
                ),
                list(high.index.astype(str)),
                facts["exposure_high_risk"],  # type: ignore[arg-type]
                "grade",
                None,
            )
        )
    if len(deteriorating):
        findings.append(
            Finding(
                "deteriorating_payer",
                say(
                    W.FINDING_DETERIORATING, count=len(deteriorating), days=num_text(det["min_increase_days"])
                ),
                list(deteriorating.index.astype(str)),
                r(float(deteriorating["open_amount"].sum())),
                "days_late_change",
                float(det["min_increase_days"]),
            )
        )
    listing = out.sort_values(["score", "open_amount"], ascending=[True, False], kind="stable")
    if params.grade:
        listing = listing.loc[listing["grade"] == params.grade]
    if params.customer:
        listing = listing.loc[
            listing.index.isin(match_customers(data, out.index.to_frame(), names, params.customer))
        ]
    listing = listing.head(params.n)
    columns = ["grade", "score", "points_lost", "reasons", "action", "open_amount", "overdue_amount", "overdue_share",
               "avg_days_late", "late_share", "days_late_change", "deteriorating", "zone", "current_ratio",
               "debt_ratio", "monthly_sales", "recommended_limit", "limit_gap", "terms_days", "prepayment_share"]  # fmt: skip
    table = with_names(listing[columns], names)
    grade_table = _grade_table(out, grade_cfg)
    summary = _credit_summary(facts, listing, names, params, grade_cfg)
    formula = say(
        W.CREDIT_FORMULA,
        start=card["start_points"],
        recent=det["recent_invoices"],
        increase=num_text(det["min_increase_days"]),
        grades="/".join(grade_cfg),
        months=months,
    )
    method = Method(
        formula,
        params.model_dump(mode="json") | {"scorecard": str(SCORECARD_PATH.name)},
        [W.CREDIT_ASSUMPTIONS, _scorecard_text(card)],
        prep.as_of.date(),
        prep.rows_used,
    )
    return ToolResult(
        "credit_risk",
        summary,
        facts,
        [Table("credit_scorecard", table, W.TABLE_CREDIT), Table("grades", grade_table, W.TABLE_GRADES)],
        [_grade_chart(grade_table)],
        method,
        findings,
        warnings,
    )


def _actions(out: pd.DataFrame) -> np.ndarray:
    """``_action`` of every row at once (the same rules, first match wins)."""
    share = out["prepayment_share"].to_numpy(dtype=float)
    review = (out["grade"] == "C").to_numpy() | out["deteriorating"].to_numpy(dtype=bool)
    return np.select(
        [share >= 1, share > 0, out["limit_gap"].to_numpy(dtype=float) > 0.005, review],
        ["prepayment", "deposit", "reduce_limit", "review"],
        "standard",
    ).astype(object)


def _action(row: pd.Series) -> str:
    """Canonical action code: prepayment, deposit, reduce_limit, review, standard."""
    if row["prepayment_share"] >= 1:
        return "prepayment"
    if row["prepayment_share"] > 0:
        return "deposit"
    if row["limit_gap"] > 0.005:
        return "reduce_limit"
    if row["grade"] == "C" or row["deteriorating"]:
        return "review"
    return "standard"


def _grade_table(out: pd.DataFrame, grade_cfg: dict[str, dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for g, cfg in grade_cfg.items():
        members = out.loc[out["grade"] == g]
        rows.append(
            {
                "grade": g,
                "min_score": cfg["min_score"],
                "customers": len(members),
                "open_amount": round(float(members["open_amount"].sum()), 2),
                "overdue_amount": round(float(members["overdue_amount"].sum()), 2),
                "limit_months": float(cfg["limit_months"]),
                "terms_days": int(cfg["terms_days"]),
                "prepayment_share": float(cfg["prepayment_share"]),
            }
        )
    return pd.DataFrame(rows)


def _grade_chart(grades: pd.DataFrame) -> Chart:
    figure = go.Figure(
        go.Bar(x=list(grades["grade"]), y=grades["open_amount"].to_numpy(), text=list(grades["customers"]))
    )
    figure.update_layout(showlegend=False, xaxis={"type": "category"})
    return Chart(W.CHART_GRADES, figure)


def _scorecard_text(card: dict[str, Any]) -> Msg:
    grades = ", ".join(f"{g['grade']} >= {g['min_score']}" for g in card["grades"])
    return say(W.SCORECARD_TEXT, start=card["start_points"], grades=grades)


def _credit_summary(
    facts: dict[str, FactValue],
    listing: pd.DataFrame,
    names: Names,
    params: CreditRiskParams,
    grade_cfg: dict[str, Any],
) -> Msg:
    head = say(
        W.CREDIT_HEAD,
        as_of=facts["as_of"],
        customers=facts["customers"],
        a=facts["customers_grade_a"],
        b=facts["customers_grade_b"],
        c=facts["customers_grade_c"],
        d=facts["customers_grade_d"],
        e=facts["customers_grade_e"],
        high=facts["high_risk_customers"],
        exposure=money_text(facts["exposure_high_risk"]),
        deteriorating=facts["deteriorating_payers"],
        reductions=facts["limit_reductions"],
    )
    lines = [head]
    items = []
    for c, row in listing.head(MAX_SUMMARY_ITEMS).iterrows():
        reasons = join([_reason(k) for k in _lost_factors(row)]) if row["points_lost"] > 0 else W.NO_REASONS
        items.append(
            say(
                W.CREDIT_ITEM,
                customer=plain_label(c, names.get(c)),
                grade=row["grade"],
                score=num_text(row["score"]),
                reasons=reasons,
                action=say(
                    W.ACTIONS[row["action"]],
                    limit=money_text(row["recommended_limit"]),
                    terms=row["terms_days"],
                    share=pct_text(row["prepayment_share"], 0),
                ),
            )
        )
    if items:
        lines.append(say(W.CREDIT_LIST, items=joined_lines(items)))
    return joined_lines(lines)


_FACTORS = ("avg_days_late", "late_share", "overdue_share", "severely_overdue", "written_off", "deteriorating",
            "z_zone", "current_ratio", "debt_ratio")  # fmt: skip


def _lost_factors(row: pd.Series) -> list[str]:
    return [f for f in _FACTORS if row[f"lost_{f}"] > 0]


def _reason(factor: str) -> Msg:
    return W.FACTOR_NAMES[factor]


SPEC = ToolSpec(
    "credit_risk",
    CreditRiskParams,
    credit_risk,
    requires=('invoices',),
    findings=('overdue_receivables', 'high_credit_risk', 'deteriorating_payer'),
    words=W,
    order=150,
)
