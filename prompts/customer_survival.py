"""Words of the customer_survival tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "How long customers stay: Kaplan-Meier survival curves (still-active customers censored), median "
    "customer lifetime and the share still active after 1, 2 and 3 years, by segment or another "
    "dimension, with a log-rank test between the groups. Uses churn labels or an inactivity rule.",
    "客户能留多久：Kaplan-Meier 生存曲线（仍活跃的客户作删失处理）、客户中位生命周期"
    "及 1、2、3 年后仍留存的比例，按细分或其他维度比较，并做组间对数秩检验。使用流失标记或不"
    "活跃规则。",
)

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "how long do": 3,
    "survival": 4,
    "typical customer stay": 4,
    "stay with us": 3,
    "生存分析": 4,
    "存活": 3,
    "能留多久": 4,
    "平均寿命": 3,
    "median lifetime": 5,
    "median customer lifetime": 5,
    "still active after": 4,
    "still with us": 4,
    "still a customer": 4,
    "待多久": 4,
    "留多久": 4,
    "还剩多少客户": 4,
    "生命周期中位数": 5,
    "中位生命周期": 5,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Customer lifetime (survival)", "客户生命周期（生存分析）"),
    {
        "en": ["How long does a typical customer stay?", "How long do customers stay by segment?"],
        "zh": ["客户平均能留多久？", "各细分的客户存活曲线"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "median_lifetime_days": Msg("Median lifetime (days)", "中位生命周期（天）"),
    "survival_1y": Msg("Still active after 1 year", "1年留存比例"),
    "survival_2y": Msg("Still active after 2 years", "2年留存比例"),
    "survival_3y": Msg("Still active after 3 years", "3年留存比例"),
    "days": Msg("Days", "天数"),
    "survival": Msg("Share still active", "留存比例"),
}


# --- answer texts ---------------------------------------------------------------------------------

SURVIVAL_FORMULA = Msg(
    "Kaplan-Meier estimate (tools/retention/kaplan_meier.py): S(t) = Π over churn times t_i <= t of (1 - d_i / n_i), with d_i "
    "customers churning at t_i and n_i still at risk. Duration = start (signup, else first purchase) to "
    "churn (event) or to the reference date (censored, still a customer). Median lifetime = first t with "
    "S(t) <= 0.5 ('not reached' when the curve stays above 0.5). Log-rank test (chi-square, groups - 1 "
    "degrees of freedom) compares the groups' curves.",
    "Kaplan-Meier 估计（tools/retention/kaplan_meier.py）：S(t) = ∏(t_i ≤ t) (1 − d_i / n_i)，d_i 为在 t_i 流失的客户数，n_i 为当时仍在风险中的"
    "客户数。时长 = 起始（注册日期，没有时取首次购买）到流失（事件）或到参考日期（删失，仍为客户）。中位生命周期 = 首个使 "
    "S(t) ≤ 0.5 的 t（曲线始终高于 0.5 时为“未达到”）。对数秩检验（卡方，自由度 = 组数 − 1）比较各组曲线。",
)
SURVIVAL_HEAD = Msg(
    "{customers} customers, {churned} churned. Median customer lifetime: {median}; still customers after "
    "1 year: {s1}, 2 years: {s2}, 3 years: {s3}.",
    "{customers} 个客户，其中 {churned} 个已流失。客户中位生命周期：{median}；1 年后仍留存：{s1}，2 年：{s2}，3 年：{s3}。",
)
SURVIVAL_GROUPS = Msg(
    "By {dimension}: {items}.",
    "按{dimension}：{items}。",
)
SURVIVAL_GROUP_ITEM = Msg(
    "{label}: median {median}, 1-year {s1}",
    "{label}：中位 {median}，1 年留存 {s1}",
)
SURVIVAL_LOGRANK = Msg(
    "Log-rank test across {dimension}s: p = {p} ({verdict}).",
    "各{dimension}之间的对数秩检验：p = {p}（{verdict}）。",
)
SURVIVAL_DIFFERENT = Msg("the curves differ significantly at 5%", "在 5% 水平上差异显著")
SURVIVAL_SIMILAR = Msg("no significant difference at 5%", "在 5% 水平上差异不显著")
SURVIVAL_ENTRY = Msg(
    "{count} customers started before the transactions begin ({first}) and no customer in the data churned "
    "before then, so the data only holds customers who survived to {first}: they enter the risk set on "
    "that date (delayed entry / left truncation), which avoids overstating lifetimes.",
    "有 {count} 个客户在交易数据开始（{first}）之前就已开始，且数据中没有在此之前流失的客户，说明数据只包含存续到 {first} 的客户："
    "这些客户从该日起才进入风险集（延迟进入/左截断），以免高估生命周期。",
)
SURVIVAL_FILTER = Msg(
    "Customers who started between {start} and {end}.",
    "起始日期在 {start} 至 {end} 之间的客户。",
)
SURVIVAL_NO_CUSTOMERS = Msg(
    "No customer started between {start} and {end}.",
    "{start} 至 {end} 之间没有开始的客户。",
)
SURVIVAL_FEW_EVENTS = Msg(
    "Only {count} churn events: the curves and the test are rough.",
    "只有 {count} 个流失事件：曲线和检验结果仅供粗略参考。",
)
SURVIVAL_CHART = Msg("Share of customers still active (Kaplan-Meier)", "仍在的客户比例（Kaplan-Meier）")
SURVIVAL_AXIS_X = Msg("days since start", "开始后的天数")
SURVIVAL_AXIS_Y = Msg("share still a customer", "仍为客户的比例")
OPEN_END = Msg("the reference date", "参考日期")
