"""Words of the cohort_retention tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Cohort retention: acquisition cohorts (signup or first-purchase month/quarter) x periods since "
    "acquisition, share of customers still buying and revenue kept relative to the first period, as "
    "heatmaps; average retention at 1, 3, 6 and 12 periods; flags weak cohorts. Needs transactions; a"
    " customers table with signup_date is optional.",
    "同期群留存：按获客（注册或首次购买）月份/季度分组 × 获客后的期数，仍在购买的客户比例和相"
    "对首期的收入留存，以热力图展示；第 1、3、6、12 期的平均留存率；标出留存偏低的同期群。"
    "需要交易表；客户表的注册日期可选。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "low_retention_cohort": Term(
        Msg("weak cohort retention", "同期群留存偏低"),
        (
            "retention",
            "cohort",
            "repeat",
            "留存",
            "复购",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "retention": 4,
    "cohort": 4,
    "repeat rate": 3,
    "留存": 4,
    "同期群": 4,
    "复购率": 4.5,
    "复购": 3.5,
    "come back": 3,
    "buy again": 4,
    "repeat purchase": 4,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Cohort retention", "同期群留存"),
    {
        "en": ["Retention by signup month", "Quarterly cohort retention"],
        "zh": ["按注册月份的留存率", "新客户的复购率怎么样"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "cohort": Msg("Cohort", "同期群"),
    "cohorts": Msg("Cohorts", "同期群数"),
    "retention": Msg("Retention", "留存率"),
    "revenue_retention": Msg("Revenue retention", "收入留存率"),
    "periods_since": Msg("Periods since acquisition", "获客后期数"),
    "size": Msg("Cohort size", "同期群人数"),
}
COLUMN_PATTERNS: dict[str, Msg] = {
    r"period_(\d+)": Msg("period {n}", "第{n}期"),
    r"revenue_period_(\d+)": Msg("revenue, period {n}", "第{n}期收入"),
}


# --- answer texts ---------------------------------------------------------------------------------

NEEDS_TRANSACTIONS = Msg(
    "Cohort retention needs a transactions table (customer_id, date, revenue), and none is loaded; a "
    "customers table with signup_date is optional (it defines the acquisition date).",
    "同期群留存需要交易表（customer_id、date、revenue），但尚未上传；客户表中的 signup_date（注册日期）可选，用于确定获客日期。",
)
COHORT_FORMULA = Msg(
    "Cohort = {freq} of acquisition (signup_date, else first purchase). Customer retention(c, p) = customers "
    "of cohort c with a purchase (revenue > 0) in period p after acquisition / customers in cohort c. "
    "Revenue retention(c, p) = cohort revenue in period p / cohort revenue in period 0. Average retention at "
    "p = Σ active / Σ cohort customers over the cohorts that have reached p (customer-weighted). "
    "low_retention_cohort: period-{p} retention more than {gap} below that average (cohorts of at least "
    "{min_size} customers).",
    "同期群 = 获客{freq}（注册日期，没有时取首次购买）。客户留存率(c, p) = 同期群 c 中在获客后第 p 期有购买（收入 > 0）的"
    "客户数 / 同期群客户数。收入留存率(c, p) = 同期群第 p 期收入 / 第 0 期收入。第 p 期平均留存率 = 已到达第 p 期的各同期群"
    "活跃客户之和 / 客户数之和（按客户加权）。低留存同期群（low_retention_cohort）：第 {p} 期留存率比平均值低 {gap} 以上"
    "（同期群至少 {min_size} 个客户）。",
)
COHORT_HEAD = Msg(
    "{cohorts} {freq}ly cohorts ({first} to {last}, {customers} customers). Average customer retention: "
    "{retention}.",
    "共 {cohorts} 个按{freq}划分的同期群（{first} 至 {last}，{customers} 个客户）。平均客户留存率：{retention}。",
)
COHORT_REVENUE = Msg("Average revenue retention: {retention}.", "平均收入留存率：{retention}。")
COHORT_PERIOD = Msg("{freq} {p}", "第 {p} {freq}")
COHORT_LOW = Msg(
    "Weakest cohorts at {freq} {p}: {items}.",
    "第 {p} {freq}留存最弱的同期群：{items}。",
)
COHORT_EXCLUDED = Msg(
    "{count} customers acquired before the transactions start ({first}) are left out: their early periods "
    "were not observed.",
    "{count} 个在交易数据开始（{first}）之前获客的客户未纳入：他们早期的购买没有被记录。",
)
COHORT_COMPLETE = Msg(
    "Only complete {freq}s up to {last} are shown.",
    "只显示截至 {last} 的完整{freq}。",
)
COHORT_BEFORE_ACQUISITION = Msg(
    "{count} purchase periods fall before the customer's signup date; they are ignored.",
    "有 {count} 个购买期间早于客户的注册日期，已忽略。",
)
COHORT_NONE = Msg(
    "No cohort with a complete acquisition period between {first} and {last}.",
    "{first} 至 {last} 之间没有获客期间完整的同期群。",
)
FINDING_LOW_RETENTION = Msg(
    "{count} cohorts kept far fewer customers by {freq} {p} than average ({average}): {items}.",
    "{count} 个同期群到第 {p} {freq}的留存明显低于平均（{average}）：{items}。",
)
COHORT_CHART = Msg("Customer retention by {freq}ly cohort", "按{freq}同期群的客户留存率")
COHORT_REVENUE_CHART = Msg("Revenue retention by {freq}ly cohort", "按{freq}同期群的收入留存率")
COHORT_AXIS_PERIOD = Msg("{freq}s since acquisition", "获客后的{freq}数")
