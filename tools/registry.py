"""The one registry: it collects the ToolSpec each tool declares next to its function.

It feeds the offline question engine, the model agent, the CLI and the UI alike. The order is the order
of the help text and of the diagnostic tools a generic "what should we do?" runs.
"""

from __future__ import annotations

from core.text import Msg
from tools import marketing, recommend, satisfaction
from tools.churn import tool as churn
from tools.clv import tool as clv
from tools.credit import aging, health, scorecard
from tools.errors import UserFacingError
from tools.pricing import tool as pricing
from tools.retention import churn_trend, cohorts, survival_tool
from tools.spec import ToolSpec
from tools.value import concentration, overview, profitability, rfm

__all__ = ["TOOLS", "ToolSpec", "get_tool"]

TOOLS: dict[str, ToolSpec] = {
    module.SPEC.name: module.SPEC
    for module in (
        overview,
        profitability,
        concentration,
        rfm,
        clv,
        churn,
        churn_trend,
        cohorts,
        survival_tool,
        pricing,
        marketing,
        satisfaction,
        aging,
        health,
        scorecard,
        recommend,
    )
}


def get_tool(name: str) -> ToolSpec:
    """The spec named ``name`` or a bilingual unknown_tool error listing the registered names."""
    try:
        return TOOLS[name]
    except KeyError:
        names = ", ".join(TOOLS)
        raise UserFacingError(
            Msg(f"Unknown tool '{name}'. Tools: {names}.", f"没有名为“{name}”的工具。可用工具：{names}。"),
            code="unknown_tool",
        ) from None
