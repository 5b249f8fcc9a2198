"""Helpers shared by the customer value tools (public: the tools import nothing private from each
other): purchasers only, ranking with shares, one currency part per result merged side by side,
metric formatting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.text import Msg
from prompts import customer_rows as W
from tools.customer_rows import customer_ids
from tools.errors import ToolInputError
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.wording import (
    fact,
    money_text,
    num_text,
    pct_text,
    say,
)

TOP_SHARE = 0.20

CUSTOMER_ID = "customer_id"

# --- shared helpers --------------------------------------------------------------------------------


def purchasers(per: pd.DataFrame, warnings: list[Msg]) -> tuple[pd.DataFrame, list[Msg]]:
    """Customers with at least one purchase (revenue > 0); the others are left out with a warning."""
    buyers = per["last_date"].notna().to_numpy()
    if buyers.all():
        return per, list(warnings)
    if not buyers.any():
        raise ToolInputError(say(W.NO_PURCHASES, count=num_text(len(per))))
    return per.loc[buyers], [*warnings, say(W.NO_PURCHASES, count=num_text(int((~buyers).sum())))]


@dataclass
class Part:
    """The result of one currency's analysis, merged by ``merge``."""

    currency: str | None
    summary: Msg
    facts: dict[str, FactValue]
    tables: list[Table]
    charts: list[Chart]
    findings: list[Finding]


def merge(tool: str, parts: list[Part], method: Method, warnings: list[Msg]) -> ToolResult:
    """One part as is; several currencies side by side, nothing summed across them."""
    if len(parts) == 1:
        part = parts[0]
        facts = part.facts | ({"currency": part.currency} if part.currency is not None else {})
        return ToolResult(
            tool, part.summary, facts, part.tables, part.charts, method, part.findings, warnings
        )
    facts: dict[str, FactValue] = {"currencies": ", ".join(str(p.currency) for p in parts)}
    for key, value in parts[0].facts.items():
        facts[key] = value if key == "metric" else None
    tables, charts, findings, lines = [], [], [], []
    for i, part in enumerate(parts):
        code = str(part.currency)
        suffix = re.sub(r"[^a-z0-9]+", "_", code.casefold()).strip("_") or str(i + 1)
        facts |= {f"{k}_{suffix}": v for k, v in part.facts.items() if k != "metric"}
        lines.append(say(W.IN_CURRENCY, currency=code, text=part.summary))
        for chart in part.charts:
            charts.append(Chart(say(W.IN_CURRENCY, currency=code, text=chart.title), chart.figure))
        for finding in part.findings:
            finding.detail = say(W.IN_CURRENCY, currency=code, text=finding.detail)
            findings.append(finding)
    for j, table in enumerate(parts[0].tables):
        frames = []
        for part in parts:
            frame = part.tables[j].frame.copy()
            frame.insert(1 if "rank" in frame.columns else 0, "currency", part.currency)
            frames.append(frame)
        tables.append(Table(table.name, pd.concat(frames, ignore_index=True), table.title))
    summary = Msg("\n\n".join(m.en for m in lines), "\n\n".join(m.zh for m in lines))
    return ToolResult(tool, summary, facts, tables, charts, method, findings, warnings)


def metric_value(metric: str, value: object) -> Msg:
    if metric == "margin":
        return pct_text(value)
    if metric == "orders":
        return num_text(value)
    return money_text(value)


def snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold().replace("'", "")).strip("_")


def rank_by(frame: pd.DataFrame, metric: str, share_of: str) -> pd.DataFrame:
    """``frame`` sorted by ``metric`` (highest first, missing last) with rank and share_of_<profit|revenue>."""
    out = frame.sort_values(metric, ascending=False, na_position="last", kind="stable")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    total = out[share_of].sum()
    out[f"share_of_{share_of}"] = out[share_of] / total if total > 0 else np.nan
    return out


def loss_finding(profit: pd.Series) -> Finding | None:
    """loss_making_customers: profit < 0, biggest loss first; value = profit destroyed (positive)."""
    losses = profit.loc[profit < 0].sort_values(kind="stable")
    if losses.empty:
        return None
    destroyed = -losses.sum()
    return Finding(
        "loss_making_customers",
        say(W.FINDING_LOSS_MAKING, count=num_text(len(losses)), amount=money_text(destroyed)),
        customer_ids(losses.index),
        fact(destroyed),
        "profit",
        0.0,
    )
