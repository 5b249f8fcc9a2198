"""ToolResult: what every tool returns (facts, tables, charts, method, findings, warnings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from core.text import Msg

FactValue = float | int | str | None


@dataclass
class Table:
    """A named result table. Column names are canonical English snake_case."""

    name: str
    frame: pd.DataFrame
    title: Msg | None = None


@dataclass
class Chart:
    """A Plotly figure (``plotly.graph_objects.Figure``) with a bilingual title."""

    title: Msg
    figure: Any


@dataclass
class Method:
    """How the numbers were computed: formula, parameters, assumptions, reference date, rows used."""

    formula: Msg
    parameters: dict[str, Any] = field(default_factory=dict)
    assumptions: list[Msg] = field(default_factory=list)
    as_of: date | None = None
    rows_used: int = 0


@dataclass
class Finding:
    """A machine-readable condition (snake_case name) that playbooks address.

    ``customers`` are the targeted customer ids (most valuable first), ``value`` the money at stake
    (e.g. profit destroyed, revenue at risk), ``metric``/``threshold`` say what triggered it.
    """

    name: str
    detail: Msg
    customers: list[str] = field(default_factory=list)
    value: float | None = None
    metric: str | None = None
    threshold: float | None = None


@dataclass
class ToolResult:
    """Typed result of one tool run.

    ``summary`` is a short bilingual statement of the key numbers (what the model sees, and the
    headline of the offline answer); ``facts`` are named key numbers (shares as fractions).
    """

    tool: str
    summary: Msg
    facts: dict[str, FactValue] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    method: Method = field(default_factory=lambda: Method(Msg("", "")))
    findings: list[Finding] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)
