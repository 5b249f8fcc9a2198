"""Words of the credit_risk tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Credit scorecard per customer: grade A-E from payment behaviour (days late, share late, overdue,"
    " write-offs, deteriorating) and, when statements are loaded, financial health (Altman zone, "
    "current and debt ratio), with the reasons and a recommended credit limit, payment terms and "
    "deposit or prepayment. Needs invoices; financials optional.",
    "客户信用评分卡：根据付款行为（逾期天数、逾期付款比例、逾期余额、核销、付款恶化）以及已上传时"
    "的财务健康（Altman 分区、流动比率、资产负债率）给出 A-E 等级及扣分原因，并建议信"
    "用额度、账期和定金或预付款。需要发票表；财务报表可选。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "high_credit_risk": Term(
        Msg("customers with a high credit risk", "信用风险高的客户"),
        (
            "credit",
            "default",
            "信用",
            "授信",
            "违约",
        ),
    ),
    "deteriorating_payer": Term(
        Msg("customers paying later and later", "付款越来越慢的客户"),
        (
            "paying later",
            "pay later and later",
            "deteriorating",
            "slower to pay",
            "付款变慢",
            "越来越晚",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "credit": 4,
    "credit limit": 4,
    "payment term": 3,
    "prepayment": 3,
    "deposit": 2,
    "信用": 4,
    "信用额度": 4,
    "授信": 4,
    "账期": 3,
    "预付款": 3,
    "赊销": 3,
    "later and later": 5,
    "paying later": 3,
    "deteriorating payer": 5,
    "credit grade": 4,
    "scorecard": 3,
    "越来越慢": 5,
    "越来越晚": 5,
    "评级": 3,
    "评分卡": 3,
    "定金": 3,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Credit risk and limits", "信用风险和额度"),
    {
        "en": ["Which customers should get a lower credit limit?", "Who should pay a deposit?"],
        "zh": ["客户信用评级", "哪些客户应该降低信用额度？"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "grade": Msg("Credit grade", "信用等级"),
    "score": Msg("Score", "评分"),
    "points_lost": Msg("Points lost", "扣分"),
    "reasons": Msg("Reasons", "原因"),
    "action": Msg("Recommended action", "建议措施"),
    "days_late_change": Msg("Change in days late", "逾期天数变化"),
    "deteriorating": Msg("Deteriorating", "付款恶化"),
    "monthly_sales": Msg("Monthly credit sales", "月均赊销额"),
    "recommended_limit": Msg("Recommended limit", "建议额度"),
    "limit_gap": Msg("Exposure above the limit", "超出额度"),
    "terms_days": Msg("Payment terms (days)", "账期（天）"),
    "prepayment_share": Msg("Deposit / prepayment", "定金/预付比例"),
    "min_score": Msg("Minimum score", "最低分"),
    "limit_months": Msg("Limit (months of sales)", "额度（月销售额倍数）"),
}


# --- answer texts ---------------------------------------------------------------------------------

PURPOSE_CREDIT = Msg(
    "grade credit risk (customer financial statements are used too when loaded)",
    "评估信用风险（如已上传客户财务报表 financials，也会一并使用）",
)
FACTOR_NAMES = {
    "avg_days_late": Msg("pays late on average", "平均付款逾期"),
    "late_share": Msg("many invoices paid late", "逾期付款发票多"),
    "overdue_share": Msg("large past-due share", "逾期占比高"),
    "severely_overdue": Msg("balance 90+ days past due", "有逾期90天以上余额"),
    "written_off": Msg("write-offs", "有核销坏账"),
    "deteriorating": Msg("days late rising", "逾期天数上升"),
    "z_zone": Msg("weak Altman zone", "Altman 分区偏弱"),
    "current_ratio": Msg("low current ratio", "流动比率低"),
    "debt_ratio": Msg("high debt ratio", "资产负债率高"),
}
NO_REASONS = Msg("no points lost", "未扣分")
ACTIONS = {
    "standard": Msg("keep {terms}-day terms, limit {limit}", "维持 {terms} 天账期，额度 {limit}"),
    "review": Msg("review: {terms}-day terms, limit {limit}", "需复核：{terms} 天账期，额度 {limit}"),
    "reduce_limit": Msg(
        "lower the credit limit to {limit} (open balance above it), {terms}-day terms",
        "将信用额度降至 {limit}（当前未收余额已超过），账期 {terms} 天",
    ),
    "deposit": Msg(
        "ask a {share} deposit, {terms}-day terms, limit {limit}",
        "要求 {share} 定金，账期 {terms} 天，额度 {limit}",
    ),
    "prepayment": Msg("prepayment only (cash in advance), no credit", "仅接受预付款（款到发货），不再赊销"),
}
CREDIT_FORMULA = Msg(
    "Score = {start} - points lost per factor (tools/credit_scorecard.toml): average days late, share paid "
    "late, overdue share of the open balance, any balance 90+ days past due, write-offs, days late rising "
    "(mean of the last {recent} invoices minus the earlier ones > {increase} days), and with financial "
    "statements the Altman zone, current ratio and debt ratio. Grade = first of {grades} whose minimum "
    "score is reached. Recommended limit = grade multiplier x average monthly credit sales of the last "
    "{months} months; payment terms and deposit/prepayment per grade.",
    "得分 = {start} - 各因素扣分（配置见 tools/credit_scorecard.toml）：平均逾期天数、逾期付款比例、未收余额中的逾期占比、"
    "是否有逾期90天以上余额、是否有核销、逾期天数是否上升（最近 {recent} 张发票的平均逾期天数比之前的多 {increase} 天以上），"
    "以及有财务报表时的 Altman 分区、流动比率和资产负债率。等级 = {grades} 中第一个达到最低分的等级。"
    "建议额度 = 等级倍数 × 近 {months} 个月平均月赊销额；账期和定金/预付款按等级确定。",
)
CREDIT_ASSUMPTIONS = Msg(
    "Missing inputs cost no points (the reasons list only what was scored); without financial statements "
    "the grade rests on payment behaviour alone. The scorecard is a documented house policy, not a "
    "statistical default model: its cut-offs follow the ageing buckets, IFRS 9 30/90-day presumptions, "
    "Altman zones and common ratio rules of thumb.",
    "缺少的输入不扣分（原因只列出实际评分的因素）；没有财务报表时仅按付款行为评级。该评分卡是有文档说明的内部政策，"
    "不是统计违约模型：其分界参考账龄区间、IFRS 9 的30/90天推定、Altman 分区和常用比率经验值。",
)
SCORECARD_TEXT = Msg(
    "Scorecard: start at {start} points; grades by minimum score: {grades}.",
    "评分卡：起始 {start} 分；各等级最低分：{grades}。",
)
NO_FINANCIALS = Msg(
    "No customer financial statements are loaded: grades use payment behaviour only.",
    "未载入客户财务报表：等级仅依据付款行为。",
)
CREDIT_HEAD = Msg(
    "Credit grades as of {as_of} for {customers} customers: A {a}, B {b}, C {c}, D {d}, E {e}. "
    "{high} high-risk customers (D/E) hold {exposure} of open receivables; {deteriorating} pay later and "
    "later; {reductions} owe more than their recommended limit.",
    "截至 {as_of}，{customers} 个客户的信用等级：A {a} 个，B {b} 个，C {c} 个，D {d} 个，E {e} 个。"
    "高风险客户（D/E）{high} 个，未收应收账款 {exposure}；{deteriorating} 个客户付款越来越慢；"
    "{reductions} 个客户的未收余额超过建议额度。",
)
CREDIT_ITEM = Msg(
    "- {customer}: grade {grade}, score {score} ({reasons}) -> {action}",
    "- {customer}：等级 {grade}，{score} 分（{reasons}）-> {action}",
)
CREDIT_LIST = Msg("Riskiest first:\n{items}", "风险最高的客户：\n{items}")
FINDING_HIGH_RISK = Msg(
    "{count} customers are graded {grades} (high credit risk) with {amount} open.",
    "{count} 个客户评级为 {grades}（高信用风险），未收金额 {amount}。",
)
FINDING_DETERIORATING = Msg(
    "{count} customers pay later and later (days late up more than {days} days).",
    "{count} 个客户付款越来越慢（逾期天数上升超过 {days} 天）。",
)
TABLE_CREDIT = Msg("Credit scorecard per customer (riskiest first)", "各客户信用评分卡（风险从高到低）")
TABLE_GRADES = Msg("Grades, exposure and terms", "各等级的敞口和信用条件")
CHART_GRADES = Msg("Open receivables by credit grade", "各信用等级的未收应收账款")
