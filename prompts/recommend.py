"""Texts of recommend_actions and of the recommendations that end other answers (English and Chinese).

Also the data the engine uses to tell which findings a "what should we do about ...?" question is
about (FINDING_PHRASES) and a readable label for every finding name the tools emit (FINDING_LABELS).
"""

from __future__ import annotations

from core.text import Msg

# Finding name -> what it means, in words (used in the "why" of a recommendation and in retrieval).
FINDING_LABELS: dict[str, Msg] = {
    "loss_making_customers": Msg("loss-making customers", "亏损客户"),
    "high_cost_to_serve": Msg("high cost-to-serve customers", "服务成本过高的客户"),
    "high_profit_concentration": Msg("profit concentrated in few customers", "利润过度集中于少数客户"),
    "at_risk_valuable_customers": Msg("valuable customers at risk of leaving", "有流失风险的高价值客户"),
    "high_churn_risk": Msg("customers with a high churn risk", "流失风险高的客户"),
    "rising_churn": Msg("churn rate rising", "流失率上升"),
    "poor_retention": Msg("weak cohort retention", "同期群留存偏低"),
    "short_customer_lifetime": Msg("short customer lifetimes", "客户生命周期短"),
    "overdue_receivables": Msg("overdue receivables (late payers)", "逾期应收账款（拖欠客户）"),
    "high_dso": Msg("days sales outstanding too high", "应收账款周转天数过高"),
    "financially_distressed_customers": Msg("customers in financial distress", "财务困难的客户"),
    "high_credit_risk": Msg("customers with a high credit risk", "信用风险高的客户"),
    "price_sensitive_customers": Msg("price-sensitive demand", "价格敏感的需求"),
    "price_insensitive_products": Msg(
        "price-insensitive products (room to raise prices)", "价格不敏感的产品（有提价空间）"
    ),
    "excessive_discounting": Msg("excessive discounting", "折扣过多"),
    "low_marketing_roi": Msg("marketing channels with a low return", "投资回报偏低的营销渠道"),
    "high_acquisition_cost": Msg("customer acquisition cost too high", "获客成本过高"),
    "low_satisfaction": Msg("low customer satisfaction", "客户满意度低"),
    "unresolved_complaints": Msg("unresolved complaints", "未解决的投诉"),
    "slow_complaint_response": Msg("slow complaint response", "投诉响应慢"),
}

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

# Phrases (lower case; CJK phrases matched as substrings, others on word boundaries) naming a finding
# in a recommendation question: "what should we do about late payers?" -> overdue_receivables.
FINDING_PHRASES: dict[str, tuple[str, ...]] = {
    "loss_making_customers": (
        "loss-making",
        "loss making",
        "unprofitable",
        "losing money",
        "lose money",
        "亏损",
        "不赚钱",
    ),
    "high_cost_to_serve": ("cost to serve", "cost-to-serve", "service cost", "服务成本"),
    "high_profit_concentration": ("concentration", "concentrated", "depend on a few", "whale", "集中"),
    "at_risk_valuable_customers": (
        "at risk",
        "at-risk",
        "can't lose",
        "cant lose",
        "slipping",
        "lapsing",
        "流失风险",
        "不能失去",
        "风险客户",
    ),
    "high_churn_risk": ("churn", "leaving", "likely to leave", "会流失", "快流失", "流失", "离开"),
    "rising_churn": ("churn rate", "流失率"),
    "poor_retention": ("retention", "cohort", "repeat", "留存", "复购"),
    "overdue_receivables": (
        "late payer",
        "late payment",
        "pay late",
        "paying late",
        "paid late",
        "overdue",
        "receivable",
        "unpaid",
        "collections",
        "dso",
        "逾期",
        "拖欠",
        "欠款",
        "应收",
        "回款",
        "账龄",
    ),
    "high_credit_risk": ("credit", "default", "信用", "授信", "违约"),
    "financially_distressed_customers": (
        "financial health",
        "distress",
        "bankrupt",
        "z score",
        "财务健康",
        "破产",
    ),
    "price_sensitive_customers": ("price", "pricing", "elasticity", "价格", "定价", "弹性"),
    "excessive_discounting": ("discount", "折扣", "促销"),
    "low_marketing_roi": ("marketing", "campaign", "roi", "acquisition", "营销", "获客", "广告"),
    "low_satisfaction": ("satisfaction", "nps", "csat", "unhappy", "满意", "口碑"),
    "unresolved_complaints": ("complaint", "complain", "投诉", "抱怨"),
}

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
ON_DEMAND = Msg("To find whom to target, `{tool}` was run first.", "为确定目标客户，先运行了 `{tool}`。")
NOT_MEASURABLE = Msg(
    "No registered analysis measures {finding} with the loaded data yet.",
    "目前没有可用于已载入数据的分析来度量{finding}。",
)
