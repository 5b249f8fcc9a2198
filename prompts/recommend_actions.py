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

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "what should we do": 4,
    "what should i do": 4,
    "recommend": 3,
    "recommendation": 3,
    "playbook": 4,
    "action plan": 4,
    "how can we improve": 3,
    # "how do I reduce churn": advice on a topic, not a list of customers
    "how do i reduce": 5,
    "how do we reduce": 5,
    "how can we reduce": 5,
    "how to reduce": 5,
    "how do i improve": 5,
    "how do we improve": 5,
    "how to improve": 5,
    "怎么提高": 5,
    "如何提高": 5,
    "怎么降低": 5,
    "如何降低": 5,
    "怎么减少": 5,
    "如何减少": 5,
    "怎么办": 4,
    "建议": 3,
    "该怎么做": 4,
    "应该怎么": 3,
    "策略": 3,
    "措施": 3,
    "如何提升": 3,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Recommended actions", "行动建议"),
    {
        "en": ["What should we do about customers at risk?", "What do you recommend?"],
        "zh": ["流失风险客户怎么办？", "亏损客户怎么处理？有什么建议"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "playbook_id": Msg("Playbook", "策略编号"),
    "title": Msg("Title", "标题"),  # the reader's language copy of title_en/title_zh (the chat, reports)
    "why": Msg("Why", "原因"),
    "title_en": Msg("Title (English)", "标题（英文）"),
    "title_zh": Msg("Title (Chinese)", "标题（中文）"),
    "action_type": Msg("Action type", "行动类型"),
    "finding": Msg("Finding", "发现"),
    "why_en": Msg("Why (English)", "原因（英文）"),
    "why_zh": Msg("Why (Chinese)", "原因（中文）"),
    "top_customers": Msg("Top customers", "主要客户"),
    "value_at_stake": Msg("Value at stake", "涉及金额"),
    "impact_low": Msg("Expected impact, low", "预期效果下限"),
    "impact_high": Msg("Expected impact, high", "预期效果上限"),
    "estimate": Msg("Team estimate", "团队估计"),
    "sources": Msg("Sources", "来源"),
    "alternative_to": Msg("Alternative to (same customers)", "互为替代（同一批客户）"),
}


# --- answer texts ---------------------------------------------------------------------------------

ACTION_TYPES: dict[str, Msg] = {
    "retention": Msg("retention", "客户保留"),
    "win-back": Msg("win-back", "客户挽回"),
    "upsell": Msg("upsell", "追加销售"),
    "pricing": Msg("pricing", "定价"),
    "discount policy": Msg("discount policy", "折扣政策"),
    "credit terms": Msg("credit terms", "信用条款"),
    "collections": Msg("collections", "催收"),
    "service recovery": Msg("service recovery", "服务补救"),
    "cost-to-serve reduction": Msg("cost-to-serve reduction", "降低服务成本"),
    "marketing mix": Msg("marketing mix", "营销组合"),
    "loyalty": Msg("loyalty", "忠诚度"),
}
TITLE = Msg("Recommended actions", "行动建议")
NEXT_STEPS = Msg("Recommended next steps", "建议的下一步")
NO_FINDINGS = Msg(
    "No condition that calls for action was found in the analyses run so far, so there is nothing to "
    "target yet. Run an analysis first (for example profitability, RFM segments or receivables), or ask "
    'about a specific problem, e.g. "What should we do about loss-making customers?".',
    "目前已运行的分析中没有发现需要采取行动的情况，因此暂无可针对的客户。请先运行一项分析（如客户盈利能力、RFM 分层"
    "或应收账款），或针对具体问题提问，例如“对亏损客户应该怎么办？”。",
)
NO_PLAYBOOKS = Msg(
    "No playbook in the library addresses these findings yet ({findings}).",
    "策略库中暂无针对这些发现的策略（{findings}）。",
)
GENERAL_ONLY = Msg(
    "No analysis has measured this yet, so these playbooks are matched to your question only; the "
    "targeted customers and money at stake appear once the data for it is loaded.",
    "尚无分析量化这一问题，以下策略仅按您的问题匹配；载入相应数据后会列出目标客户和涉及金额。",
)
SUMMARY_HEAD = Msg(
    "{count} recommended action(s) for {findings} finding(s):",
    "针对 {findings} 项发现，建议 {count} 项行动：",
)
ITEM = Msg(
    "{rank}. **{title}** ([{playbook_id}], {action_type})",
    "{rank}. **{title}**（[{playbook_id}]，{action_type}）",
)
TARGETS = Msg(
    "Targets: {count} customers (top: {top}); value at stake {value}.",
    "目标客户：{count} 个（主要：{top}）；涉及金额 {value}。",
)
TARGETS_NO_VALUE = Msg("Targets: {count} customers (top: {top}).", "目标客户：{count} 个（主要：{top}）。")
WHY = Msg("Why: {why}", "原因：{why}")
TRIGGER = Msg("(metric {metric}, threshold {threshold})", "（指标 {metric}，阈值 {threshold}）")
IMPACT = Msg(
    "Expected impact: {low} to {high} ({lo_pct}-{hi_pct} of the value at stake){label}.",
    "预期效果：{low} 至 {high}（涉及金额的 {lo_pct}-{hi_pct}）{label}。",
)
IMPACT_ESTIMATE = Msg(" (an estimate: {basis})", "（估计值：{basis}）")
IMPACT_SOURCED = Msg(" (based on: {basis})", "（依据：{basis}）")
IMPACT_UNKNOWN = Msg(
    "Expected impact: not quantifiable from the loaded data.", "预期效果：现有数据无法量化。"
)
FIRST_STEPS = Msg("First steps: {steps}", "首要步骤：{steps}")
CITE = Msg("Playbook: {playbook_id} · {title}", "策略：{playbook_id} · {title}")
SHORT_ITEM = Msg(
    "- **{title}** [{playbook_id}]: {count} customers{value}; {impact}. Why: {why}",
    "- **{title}** [{playbook_id}]：{count} 个客户{value}；{impact}。原因：{why}",
)
SHORT_VALUE = Msg(", {value} at stake", "，涉及 {value}")
SHORT_IMPACT = Msg("expected {low}-{high}{estimate}", "预期 {low}-{high}{estimate}")
SHORT_IMPACT_UNKNOWN = Msg("impact not quantifiable", "效果无法量化")
ESTIMATE_TAG = Msg(" (estimate)", "（估计）")
SHORT_HINT = Msg(
    'Ask "what should we do?" for the details and more options.', "可以问“应该怎么办？”查看详情和更多方案。"
)
ALTERNATIVES = Msg(
    "**Alternatives, not additive:** {playbooks} target the same {count} customers and the same {value} at "
    "stake. Their impact ranges are alternatives for the same money: do not add them up; per customer, "
    "choose one.",
    "**互为替代，不可相加：**{playbooks} 针对的是同一批 {count} 个客户、同一笔 {value} 涉及金额。它们的预期效果"
    "是同一笔钱的不同选择，不能相加；每个客户选其一即可。",
)
ALTERNATIVES_NO_VALUE = Msg(
    "**Alternatives, not additive:** {playbooks} target the same {count} customers: their impacts are "
    "alternatives, do not add them up; per customer, choose one.",
    "**互为替代，不可相加：**{playbooks} 针对的是同一批 {count} 个客户：它们的效果互为替代，不能相加；每个客户选其一即可。",
)
#: The follow-up offered with alternatives: it asks plan_resources (tests check it routes there).
PLAN_QUESTION = Msg(
    "With our budget and hours, which customers get which action?", "在现有预算和工时下，哪些客户该采取哪项行动？"
)
OFFER_PLAN = Msg(
    'To choose per customer under a budget and the team\'s hours, ask: "{question}" (add the amount and '
    'hours, e.g. "with 200k and 120 account manager hours").',
    "要在预算和团队工时约束下为每个客户选定行动，可以问：“{question}”（加上金额和工时，例如“预算20万、客户经理120小时”）。",
)
FORMULA = Msg(
    "playbooks retrieved per finding (metadata filter on the finding, then similarity of the question and "
    "finding to the playbook text); expected impact = value at stake × the playbook's success range",
    "按每项发现检索策略（先按发现筛选，再按问题和发现与策略文本的相似度排序）；预期效果 = 涉及金额 × 策略的成功率区间",
)
ASSUMPTION_VALUE = Msg(
    "Value at stake is the money the finding measured (e.g. revenue of at-risk customers, profit destroyed "
    "by loss-making ones); customer values listed are their revenue in the data.",
    "涉及金额为发现所度量的金额（如风险客户的收入、亏损客户吞噬的利润）；列出的客户金额为其在数据中的收入。",
)
ASSUMPTION_ESTIMATE = Msg(
    "Success ranges marked as estimates are the team's own judgement, not published results.",
    "标注为估计的成功率区间是团队自己的判断，并非公开研究结果。",
)

# Kinds of action a question may name (values of recommend_actions' ``action_type``).
ACTION_TYPE_WORDS: dict[str, list[str]] = {
    "retention": ["retention", "retain", "keep customers", "挽留", "留住", "保留客户", "客户保留"],
    "win-back": ["win back", "win-back", "winback", "reactivate", "bring back", "挽回", "召回", "赢回", "唤醒"],
    "upsell": ["upsell", "up-sell", "cross-sell", "cross sell", "sell more", "追加销售", "交叉销售", "增购"],
    "pricing": ["pricing", "price increase", "raise prices", "定价", "调价", "提价"],
    "discount policy": ["discount policy", "discounting", "discounts", "折扣政策", "折扣"],
    "credit terms": ["credit terms", "payment terms", "credit limit", "信用条款", "账期", "付款条件", "信用额度"],
    "collections": ["collections", "collect", "dunning", "chase payment", "催收", "催款", "回款"],
    "service recovery": ["service recovery", "complaint handling", "服务补救", "投诉处理"],
    "cost-to-serve reduction": ["cost to serve", "cost-to-serve", "serve more cheaply", "服务成本", "降本"],
    "marketing mix": ["marketing mix", "marketing budget", "channel mix", "营销组合", "渠道组合", "营销预算"],
    "loyalty": ["loyalty", "loyalty program", "rewards", "忠诚度", "会员计划", "积分"],
}
