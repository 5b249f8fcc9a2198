"""Words of the recommend_actions tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Recommended actions for the findings of the analyses run in this conversation: cited strategy "
    "playbooks with the targeted customers, why (metric and threshold) and the expected impact in "
    "money.",
    "针对本次对话中分析发现的问题给出行动建议：引用策略手册，列出目标客户、原因（指标和阈值）及预"
    "期金额效果。",
)
