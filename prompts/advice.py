"""Words of recommendation questions ("what should we do about late payers?"), English and Chinese:
the phrases that ask for advice, and the notes an answer adds when tools ran to measure findings.
The phrases naming each finding live with the tool that emits it (FINDINGS in prompts/<tool>.py)."""

from __future__ import annotations

from core.text import Msg

# A question holding one of these asks for actions (the engine routes it to recommend_actions before the
# topic words in it, e.g. "overdue", can send it to an analysis tool).
RECOMMEND_PHRASES: tuple[str, ...] = (
    "what should we do",
    "what should i do",
    "what can we do",
    "what do we do",
    "how should we handle",
    "how should we deal",
    "how do we deal with",
    "how do we handle",
    "how do we fix",
    "how can we fix",
    "how can we improve",
    "how do we stop",
    "how can we stop",
    "how do we keep",
    "how do we win back",
    "recommended action",
    "action plan",
    "playbook",
    "怎么办",
    "应该怎么",
    "该怎么",
    "怎么处理",
    "如何处理",
    "如何应对",
    "怎么应对",
    "怎么挽留",
    "如何挽留",
    "有什么建议",
    "给点建议",
    "行动方案",
    "改进措施",
    "采取什么",
)
ON_DEMAND = Msg("To find whom to target, `{tool}` was run first.", "为确定目标客户，先运行了 `{tool}`。")
NOT_MEASURABLE = Msg(
    "No registered analysis measures {finding} with the loaded data yet.",
    "目前没有可用于已载入数据的分析来度量{finding}。",
)
