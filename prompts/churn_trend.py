"""Words of the churn_trend tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Churn rate by month, quarter or year (customers churned in the period / customers active at its "
    "start), overall and by segment, region, industry, acquisition channel, product or channel; names"
    " the peak periods and the highest-churn groups. Uses churn labels (customers: churned, "
    "churn_date) or, without them, an inactivity rule on transactions.",
    "按月、季度或年计算流失率（期间内流失客户数 / 期初活跃客户数），整体及按细分、区域、行业、"
    "获客渠道、产品或渠道；指出流失高峰期间和流失率最高的群体。使用客户表的流失标记（"
    "churned、churn_date），没有时按交易的不活跃规则推断。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "churn_peak": Term(
        Msg("churn rate peaks", "流失率高峰"),
        (
            "churn rate",
            "churn peak",
            "churn spike",
            "流失率",
            "流失高峰",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "churn rate": 4,
    "when do customer churn": 4,
    "churn trend": 4,
    "churned": 3,
    "流失率": 4,
    "流失趋势": 4,
    "什么时候流失": 4,
    "churn the most": 4,
    "churn most": 4,
    "did we lose": 4,
    "lose the most customer": 5,
    "lost the most customer": 5,
    "流失最多": 4,
    "流失最严重": 4,
    "流失最高": 4,
    "流失了多少": 4,
    "流失多少": 3.5,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Churn over time", "流失趋势"),
    {
        "en": ["When do customers churn most?", "Churn rate by quarter", "Churn rate by segment"],
        "zh": ["哪个月流失最多？", "每个季度的客户流失率"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "period_start": Msg("Period start", "期间开始"),
    "active_at_start": Msg("Active at start", "期初活跃客户"),
    "churned_new": Msg("Churned in period", "期间流失"),
    "complete": Msg("Complete period", "完整期间"),
}


# --- answer texts ---------------------------------------------------------------------------------

CHURN_FORMULA = Msg(
    "churn rate(period) = customers churned in the period / customers active at the start of the period. "
    "Active at the start = started before the period's first day and not churned before it; a customer "
    "who starts and churns within the same period is listed (churned_new) but not in the rate. "
    "churn_rate fact = simple mean of the period rates; a group's rate = Σ churned / Σ active at start "
    "over the periods; churn_peak: rate > {factor} x the median period rate (periods with at least "
    "{min_active} active customers).",
    "期间流失率 = 该期间流失的客户数 / 期初活跃客户数。期初活跃 = 在期间首日之前开始且此前未流失；同一期间内开始又流失的客户"
    "单独列出（churned_new），不计入流失率。churn_rate 指标 = 各期间流失率的简单平均；分组流失率 = 各期间流失数之和 / 期初活跃数之和；"
    "流失高峰（churn_peak）：流失率超过各期间中位数的 {factor} 倍（且期初活跃客户不少于 {min_active} 个）。",
)
CHURN_HEAD = Msg(
    "Average {freq}ly churn rate: {rate} over {periods} {freq}s ({first} to {last}); {churned} customers "
    "churned in that time.",
    "平均每{freq}流失率：{rate}（共 {periods} 个{freq}，{first} 至 {last}）；期间共有 {churned} 个客户流失。",
)
CHURN_PEAK = Msg(
    "Highest churn: {items}.",
    "流失最多的期间：{items}。",
)
CHURN_GROUPS = Msg(
    "Highest churn by {dimension}: {items}.",
    "按{dimension}看流失率最高的：{items}。",
)
CHURN_NO_PERIODS = Msg(
    "No complete period to measure churn in between {first} and {last}.",
    "在 {first} 至 {last} 之间没有可计算流失率的完整期间。",
)
CHURN_NO_ACTIVE = Msg(
    "No customer was active at the start of any period from {first} to {last}, so no churn rate can be computed.",
    "{first} 至 {last} 的各期间期初都没有活跃客户，无法计算流失率。",
)
CHURN_WINDOW = Msg(
    "Periods: {first} to {last} ({freq}ly), from the first transaction (or first churn event) unless start "
    "is given; the last period runs to the reference date.",
    "期间：{first} 至 {last}（按{freq}），默认从第一笔交易（或第一个流失事件）开始；最后一个期间截至参考日期。",
)
CHURN_CENSORED_TAIL = Msg(
    "With the inactivity rule, churn in the last {days} days before the reference date cannot be seen yet, "
    "so periods after {cutoff} are not shown.",
    "按不活跃规则，参考日期前 {days} 天内的流失尚无法判断，因此不显示 {cutoff} 之后的期间。",
)
PARTIAL_PERIOD = Msg(
    "The last period ({period}) is incomplete (it runs to {as_of}).",
    "最后一个期间（{period}）不完整（截至 {as_of}）。",
)
FINDING_CHURN_PEAK = Msg(
    "Churn peaked in {periods}: up to {rate}, more than {factor} x the median {freq}ly rate of {median}.",
    "流失高峰出现在 {periods}：最高 {rate}，超过每{freq}流失率中位数 {median} 的 {factor} 倍。",
)
CHURN_CHART = Msg("Churn rate by {freq}", "按{freq}的流失率")
OVERALL = Msg("All customers", "全部客户")
