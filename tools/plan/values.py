"""The planner's per-customer values (``candidates.VALUE_COLUMNS``) measured by the tools already there.

Each value comes from the tool that defines it, run with its defaults on the same data:

================== ======================================================================================
column             source
================== ======================================================================================
revenue, profit,   customer_profitability over the trailing 12 months to the reference date (profit is
cost_to_serve      net of cost-to-serve where service costs exist)
churn_probability  churn_risk (customers already churned have none: nothing left to retain)
clv                customer_lifetime_value (default model)
overdue_amount,    credit_risk's scorecard (open overdue amount at the reference date, grade A-E)
credit_grade
elasticity         price_sensitivity per segment (the customer's segment; the overall estimate when the
                   segment has none)
segment            the customers table
findings           every finding of these tools and of the tools emitting the findings the playbooks
                   target (profit_concentration, rfm_segments, churn_trend, cohort_retention,
                   financial_health, satisfaction_analysis, marketing_roi); a segment-level pricing
                   finding (price_inelastic_segment) is held by the customers of the segments it names
================== ======================================================================================

A source whose data or columns are missing is skipped with a note (its actions then have no candidates,
``Candidates.skipped`` says why). Sources are imported from their modules (not the registry, which
imports this package).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from core.text import Msg
from prompts import plan_resources as W
from tools.bundle import DatasetBundle
from tools.churn.tool import SPEC as CHURN
from tools.clv.tool import SPEC as CLV
from tools.credit.health import SPEC as HEALTH
from tools.credit.scorecard import SPEC as CREDIT
from tools.errors import ToolInputError
from tools.marketing import SPEC as MARKETING
from tools.pricing.tool import SPEC as PRICING
from tools.results import Finding
from tools.retention.churn_trend import SPEC as CHURN_TREND
from tools.retention.cohorts import SPEC as COHORTS
from tools.satisfaction import SPEC as SATISFACTION
from tools.spec import ToolSpec
from tools.value.concentration import SPEC as CONCENTRATION
from tools.value.profitability import SPEC as PROFITABILITY
from tools.value.rfm import SPEC as RFM

#: The tools' listing cap: the plan covers at most this many customers per source.
LISTED = 10_000
#: Tools read only for their findings (which customers the playbooks target).
FINDING_SOURCES: tuple[ToolSpec, ...] = (
    CONCENTRATION, RFM, CHURN_TREND, COHORTS, HEALTH, SATISFACTION, MARKETING,
)  # fmt: skip
#: Segment-level findings: held by every customer of the segments whose classification is the value.
SEGMENT_FINDINGS = {"price_inelastic_segment": "inelastic", "price_elastic_segment": "elastic"}


@dataclass
class Values:
    """The values frame, the reference date, the tools that gave it and the notes on what was skipped."""

    frame: pd.DataFrame
    as_of: date | None
    sources: list[str] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)


def gather(data: DatasetBundle) -> Values:
    """Per-customer values from the tools (module docstring); raises ToolInputError without transactions."""
    tx = data.get("transactions")
    if tx is None or tx.empty:
        raise ToolInputError(W.NO_TRANSACTIONS)
    as_of = pd.Timestamp(tx["date"].max()).date() if "date" in tx.columns else None
    out = Values(pd.DataFrame(columns=["customer_id"]), as_of)
    findings: list[Finding] = []

    def run(spec: ToolSpec, arguments: dict) -> list[pd.DataFrame]:
        if spec.reads(data) is None:
            return []
        try:
            result = spec.run(data, arguments)
        except ToolInputError as exc:
            out.notes.append(Msg(f"{spec.name}: {exc.msg.en}", f"{spec.name}：{exc.msg.zh}"))
            return []
        out.sources.append(spec.name)
        findings.extend(result.findings)
        return [t.frame for t in result.tables]

    period = {}
    if as_of is not None:
        period = {"start": (as_of - timedelta(days=364)).isoformat(), "end": as_of.isoformat()}
    parts: list[pd.DataFrame] = []
    parts += _columns(run(PROFITABILITY, {"n": LISTED, **period}), ["revenue", "profit", "cost_to_serve"])
    parts += _columns(run(CHURN, {"n": LISTED}), ["churn_probability"])
    parts += _columns(run(CLV, {"n": LISTED}), ["clv"])
    parts += _columns(run(CREDIT, {"n": LISTED}), ["overdue_amount", "grade"])
    elasticity = run(PRICING, {"group_by": "segment"})
    for spec in FINDING_SOURCES:
        run(spec, {})
    frame = _merged(parts).rename(columns={"grade": "credit_grade"})
    frame, classes = _with_segments(frame, data.get("customers"), elasticity)
    frame["findings"] = _findings_per_customer(frame, findings, classes)
    out.frame = frame
    return out


def _columns(tables: list[pd.DataFrame], wanted: list[str]) -> list[pd.DataFrame]:
    """The first table with customer_id and any of ``wanted``, reduced to them (ids as text)."""
    for t in tables:
        have = [c for c in wanted if c in t.columns]
        if "customer_id" in t.columns and have:
            part = t[["customer_id", *have]].copy()
            part["customer_id"] = part["customer_id"].astype(str)
            return [part.drop_duplicates("customer_id")]
    return []


def _merged(parts: list[pd.DataFrame]) -> pd.DataFrame:
    frame = pd.DataFrame({"customer_id": pd.Series(dtype=str)})
    for part in parts:
        frame = frame.merge(part, on="customer_id", how="outer")
    return frame.sort_values("customer_id", ignore_index=True)


def _with_segments(
    frame: pd.DataFrame, customers: pd.DataFrame | None, elasticity_tables: list[pd.DataFrame]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """segment from the customers table; elasticity of the customer's segment (else the overall one);
    the classification (elastic, inelastic) per segment."""
    frame = frame.copy()
    segment = pd.Series(index=frame["customer_id"], dtype=object)
    if customers is not None and {"customer_id", "segment"} <= set(customers.columns):
        seg = customers.drop_duplicates("customer_id")
        segment = pd.Series(seg["segment"].to_numpy(), index=seg["customer_id"].astype(str))
    frame["segment"] = frame["customer_id"].map(segment)
    table = next(
        (t for t in elasticity_tables if {"dimension", "group", "elasticity"} <= set(t.columns)), None
    )
    frame["elasticity"] = np.nan
    classes: dict[str, str] = {}
    if table is not None:
        overall = table.loc[table["dimension"] == "all", "elasticity"]
        by_segment = table[table["dimension"] == "segment"]
        per = dict(zip(by_segment["group"].astype(str), by_segment["elasticity"], strict=True))
        fallback = float(overall.iloc[0]) if len(overall) else np.nan
        frame["elasticity"] = [per.get(str(s), fallback) for s in frame["segment"]]
        if "classification" in by_segment.columns:
            classes = dict(zip(by_segment["group"].astype(str), by_segment["classification"], strict=True))
    return frame, classes


def _findings_per_customer(
    frame: pd.DataFrame, findings: list[Finding], classes: dict[str, str]
) -> list[frozenset[str]]:
    """Per customer the names of the findings whose customer list holds it (segment findings by segment)."""
    held: dict[str, set[str]] = {}
    for f in findings:
        for cid in f.customers:
            held.setdefault(str(cid), set()).add(f.name)
    out = []
    for cid, seg in zip(frame["customer_id"], frame["segment"], strict=True):
        names = set(held.get(cid, ()))
        names |= {name for name, cls in SEGMENT_FINDINGS.items() if classes.get(str(seg)) == cls}
        out.append(frozenset(names))
    return out
