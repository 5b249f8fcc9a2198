"""Words of the marketing_roi tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Marketing return per acquisition channel or period: spend, leads, new customers, conversion "
    "rate, CAC, first-year revenue and gross profit of the customers acquired, ROI, LTV:CAC and CAC "
    "payback in months.",
    "按获客渠道或期间的营销回报：投入、线索、新客户、转化率、获客成本（CAC）、所获客户的首年收"
    "入和毛利、投资回报率（ROI）、LTV:CAC 及 CAC 回收期（月）。",
)
