"""Words of the satisfaction_analysis tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Customer satisfaction from feedback: CSAT (1-5) or NPS (0-10) by segment or period, complaint "
    "rate and categories (Pareto), response and resolution times, and whether customers who complain "
    "or score low churn more than the rest (with counts and a significance test).",
    "基于反馈的客户满意度：按细分或期间的 CSAT（1-5分）或 NPS（0-10分）、投诉率和"
    "投诉类别（帕累托）、响应和解决时间，以及投诉或低分客户是否比其他客户流失更多（含人数和显著性"
    "检验）。",
)
