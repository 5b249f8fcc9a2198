"""Words of the rfm_segments tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "RFM segmentation: recency, frequency, monetary value per customer, 1-5 quintile scores and named"
    " segments (Champions, Loyal, At risk, Can't lose them, Lost, ...) with counts and revenue share.",
    "RFM 客户分层：每个客户的最近购买、购买频次、消费金额，1-5 分位评分和命名分群（重要价"
    "值、忠诚、流失风险、不能失去、已流失等），含人数和收入占比。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "at_risk_valuable_customers": Term(
        Msg("valuable customers at risk of leaving", "有流失风险的高价值客户"),
        (
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
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "rfm": 5,
    "recency": 3,
    "frequency": 2,
    "monetary": 2,
    "segmentation": 3,
    "segment my customer": 4,
    "segment our customer": 4,
    "customer segment": 2,
    "segments": 1.5,
    "cluster": 2,
    "客户分层": 4,
    "价值分层": 4,
    "客户价值分层": 5,
    "分层": 3,
    "客户分群": 4,
    "分群": 3,
    "客户分类": 2.5,
    "最近购买": 2,
    "最近一次购买": 2,
    "购买频次": 2,
    "购买频率": 2,
    "消费金额": 2,
    "haven't bought": 3,
    "hasn't bought": 3,
    "not bought": 3,
    "no purchase": 2.5,
    "long time": 2,
    "used to": 1.5,
    "很久没买": 3,
    "很久没有": 3,
    "好久没": 3,
    "没有购买": 2.5,
    "分一下层": 3,
    "分下层": 3,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("RFM segments", "RFM 客户分层"),
    {
        "en": ["Segment customers by RFM", "List the customers in the RFM at-risk segment", "Who are our champions?"],
        "zh": ["给客户做RFM分层", "列出RFM分层里“有流失风险”的客户", "重要价值客户有哪些"],
    },
)

# RFM segment names (values of rfm_segments' `segment`).
RFM_SEGMENT_WORDS: dict[str, list[str]] = {
    "Champions": ["champion", "champions segment", "重要价值客户", "重要价值", "冠军客户", "最佳客户"],
    "Loyal": ["loyal", "loyal customer", "忠诚客户", "忠实客户", "忠诚"],
    "Potential loyalists": ["potential loyalist", "潜在忠诚客户", "潜在忠诚"],
    "New": ["new customer", "new buyer", "新客户", "新客", "新顾客"],
    "Promising": ["promising", "有潜力的客户", "潜力客户", "有潜力"],
    "Need attention": ["need attention", "needs attention", "需要关注", "需关注"],
    "About to sleep": ["about to sleep", "即将沉睡", "快要沉睡", "将要沉睡"],
    "At risk": [
        "at risk",
        "at risk customer",
        "at risk segment",
        "流失风险",
        "有流失风险",
        "流失风险客户",
    ],
    "Can't lose them": [
        "can't lose",
        "cannot lose",
        "can not lose",
        "can't afford to lose",
        "must not lose",
        "不能失去",
        "不能流失",
        "不能丢",
        "重要挽留",
    ],
    "Hibernating": ["hibernating", "dormant", "sleeping customer", "沉睡客户", "沉睡", "休眠客户", "休眠"],
    "Lost": ["lost customer", "lost segment", "已流失", "流失客户", "已经流失"],
}

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "recency_days": Msg("Days since last purchase", "最近购买（天）"),
    "monetary": Msg("Monetary value", "消费金额"),
    "r_score": Msg("R score", "R分"),
    "f_score": Msg("F score", "F分"),
    "m_score": Msg("M score", "M分"),
    "fm_score": Msg("FM score", "FM分"),
    "revenue_share": Msg("Share of revenue", "收入占比"),
    "avg_recency_days": Msg("Average days since last purchase", "平均最近购买（天）"),
    "avg_frequency": Msg("Average frequency", "平均购买频次"),
    "avg_monetary": Msg("Average monetary value", "平均消费金额"),
}


# --- answer texts ---------------------------------------------------------------------------------

RFM_SEGMENTS = {
    "Champions": Msg("Champions", "冠军客户"),
    "Loyal": Msg("Loyal", "忠诚客户"),
    "Potential loyalists": Msg("Potential loyalists", "潜在忠诚客户"),
    "New": Msg("New", "新客户"),
    "Promising": Msg("Promising", "有潜力客户"),
    "Need attention": Msg("Need attention", "需要关注"),
    "About to sleep": Msg("About to sleep", "即将沉睡"),
    "At risk": Msg("At risk", "流失风险"),
    "Can't lose them": Msg("Can't lose them", "不能失去"),
    "Hibernating": Msg("Hibernating", "沉睡客户"),
    "Lost": Msg("Lost", "已流失"),
}
FEW_CUSTOMERS = Msg(
    "Only {count} customers: quintile scores need many customers to be meaningful.",
    "只有 {count} 个客户：分位评分需要较多客户才有意义。",
)
RFM_FORMULA = Msg(
    "recency_days = as_of − last purchase date; frequency = orders; monetary = Σ revenue; r/f/m_score = "
    "quintile 1-5 of rank(method='first') (5 = best, recency reversed); segment from the rule table on "
    "r_score and fm = round-half-up((f_score + m_score) / 2).",
    "recency_days = 参考日期 − 最近购买日期；frequency = 订单数；monetary = Σ收入；R/F/M 评分 = 按排名（method='first'）"
    "分五等分的 1-5 分（5 = 最好，最近度反向）；分群依据规则表中的 R 分和 FM = (F分 + M分)/2 四舍五入。",
)
RFM_RULE = Msg(
    "Segments (R score rows 5..1, FM columns 1..5): {rules}.",
    "分群规则（R 分 5..1 行，FM 1..5 列）：{rules}。",
)
RFM_SUMMARY = Msg(
    "{customers} customers scored as of {as_of}. Largest segments: {items}. At risk and Can't lose them: "
    "{at_risk} customers with {at_risk_revenue} of revenue ({at_risk_share}).",
    "截至 {as_of} 共为 {customers} 个客户评分。最大的分群：{items}。“流失风险”和“不能失去”：{at_risk} 个客户，"
    "收入 {at_risk_revenue}（占 {at_risk_share}）。",
)
RFM_SEGMENT_ITEM = Msg("{segment} {count} ({share} of revenue)", "{segment} {count}个（收入占比{share}）")
RFM_SEGMENT_LIST = Msg(
    "{segment}: {count} customers with {revenue_share} of revenue. Highest revenue: {items}.",
    "{segment}：{count} 个客户，收入占比 {revenue_share}。收入最高：{items}。",
)
RFM_SEGMENT_EMPTY = Msg("No customers are in the segment {segment}.", "{segment}分群中没有客户。")
RFM_CHART = Msg("RFM segments: customers and revenue share", "RFM 分群：客户数与收入占比")
RFM_AXIS_CUSTOMERS = Msg("customers", "客户数")
FINDING_AT_RISK_RFM = Msg(
    "{count} valuable customers are At risk or Can't lose them (R score ≤ {threshold}, FM ≥ 3); they bought "
    "{amount} in the period.",
    "{count} 个有价值的客户处于“流失风险”或“不能失去”（R 分 ≤ {threshold}，FM ≥ 3）；期间内购买额 {amount}。",
)
