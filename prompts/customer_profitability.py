"""Words of the customer_profitability tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Profit per customer (or per segment/region/product/channel/industry): revenue, cost, gross "
    "profit, cost-to-serve, net profit, margin, share of total profit; top or bottom N; period "
    "filter.",
    "按客户（或细分/区域/产品/渠道/行业）计算利润：收入、成本、毛利、服务成本、净利润、利润率"
    "、占总利润比例；前N或后N名；可按期间筛选。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "loss_making_customers": Term(
        Msg("loss-making customers", "亏损客户"),
        (
            "loss-making",
            "loss making",
            "unprofitable",
            "losing money",
            "lose money",
            "亏损",
            "不赚钱",
        ),
    ),
    "high_cost_to_serve": Term(
        Msg("high cost-to-serve customers", "服务成本过高的客户"),
        (
            "cost to serve",
            "cost-to-serve",
            "service cost",
            "服务成本",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "profitability": 3,
    "profitable": 2,
    "p&l": 2,
    "profit and loss": 3,
    "ranking": 1,
    "rank": 1,
    "盈利能力": 3,
    "盈利情况": 3,
    "排名": 1,
    "排行": 1,
    "赚钱": 1.5,
    "贡献": 0.5,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Customer profitability", "客户盈利能力"),
    {
        "en": [
            "Who are our 5 most profitable customers?",
            "Revenue by region last quarter",
            "Bottom 10 customers by margin in 2024",
        ],
        "zh": ["利润最高的5个客户是谁？", "各行业的毛利", "近三个月亏损最多的前十个客户"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "gross_profit": Msg("Gross profit", "毛利"),
}


# --- answer texts ---------------------------------------------------------------------------------

NO_SERVICE_COST = Msg(
    "There is no service_cost column, so {metric} is not available; ranked by gross profit instead.",
    "没有 service_cost（服务成本）列，无法计算{metric}；改为按毛利排名。",
)
PROFITABILITY_FORMULA = Msg(
    "per customer: revenue = Σ revenue; cost = Σ cost (COGS); gross_profit = revenue − cost; cost_to_serve = "
    "Σ service_cost; net_profit = gross_profit − cost_to_serve; profit = net_profit where service costs exist, "
    "else gross_profit; margin = profit / revenue; share_of_profit = profit / Σ profit.",
    "按客户：收入 = Σ收入；成本 = Σ成本（销货成本）；毛利 = 收入 − 成本；服务成本 = Σservice_cost；"
    "净利润 = 毛利 − 服务成本；利润 = 有服务成本时为净利润，否则为毛利；利润率 = 利润 / 收入；利润占比 = 利润 / Σ利润。",
)
PROFITABILITY_FORMULA_REVENUE = Msg(
    "per customer: revenue = Σ revenue; share_of_revenue = revenue / Σ revenue (no cost column, so no profit).",
    "按客户：收入 = Σ收入；收入占比 = 收入 / Σ收入（没有成本列，无法计算利润）。",
)
PROFIT_TOP = Msg(
    "Your {n} most profitable customers are {items}. Together they make {share} of total profit.",
    "利润最高的{n}个客户是{items}，合计占总利润的{share}。",
)
PROFIT_BOTTOM = Msg(
    "Your {n} least profitable customers are {items}. Together they make {share} of total profit.",
    "利润最低的{n}个客户是{items}，合计占总利润的{share}。",
)
RANK_TOP = Msg("Top {n} customers by {metric}: {items}.", "{metric}最高的{n}个客户：{items}。")
RANK_BOTTOM = Msg("Bottom {n} customers by {metric}: {items}.", "{metric}最低的{n}个客户：{items}。")
GROUP_TOP = Msg(
    "{metric} by {dimension}, highest first: {items}.", "按{dimension}的{metric}（从高到低）：{items}。"
)
GROUP_BOTTOM = Msg(
    "{metric} by {dimension}, lowest first: {items}.", "按{dimension}的{metric}（从低到高）：{items}。"
)
GROUP_PERIODS = Msg(
    "{metric} by {dimension}: highest {best}, lowest {worst} ({count} periods, in time order in the table).",
    "按{dimension}的{metric}：最高 {best}，最低 {worst}（共 {count} 个期间，表中按时间排列）。",
)
PROFIT_TOTALS = Msg(
    "In total: revenue {revenue}, cost {cost}, profit {profit} (margin {margin}) across {customers} customers; "
    "{loss_making} are loss-making.",
    "合计：收入{revenue}，成本{cost}，利润{profit}（利润率{margin}），共{customers}个客户，其中{loss_making}个亏损。",
)
REVENUE_TOTALS = Msg(
    "In total: revenue {revenue} across {customers} customers.", "合计：收入{revenue}，共{customers}个客户。"
)
CUSTOMER_PROFIT = Msg(
    "{customer}: revenue {revenue}, profit {profit} (margin {margin}), {share} of total profit; rank {rank} of "
    "{customers} customers by profit.",
    "{customer}：收入{revenue}，利润{profit}（利润率{margin}），占总利润的{share}；利润排名第{rank}（共{customers}个客户）。",
)
CUSTOMER_REVENUE = Msg(
    "{customer}: revenue {revenue}, {share} of total revenue; rank {rank} of {customers} customers by revenue.",
    "{customer}：收入{revenue}，占总收入的{share}；收入排名第{rank}（共{customers}个客户）。",
)
PROFITABILITY_CHART = Msg("{metric} by {dimension}", "按{dimension}的{metric}")
FINDING_HIGH_COST_TO_SERVE = Msg(
    "{count} customers have a cost to serve above {threshold} of their gross profit ({amount} cost to serve in "
    "total).",
    "{count}个客户的服务成本超过其毛利的{threshold}（服务成本合计{amount}）。",
)
