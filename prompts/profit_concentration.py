"""Words of the profit_concentration tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Whale curve: cumulative share of profit against share of customers ranked by profit, share of "
    "profit from the top 20%, loss-making customers and the profit they destroy, ABC classes.",
    "鲸鱼曲线：按利润排序的客户累计占比与利润累计占比，前20%客户的利润占比，亏损客户及其吞噬的"
    "利润，ABC分类。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "high_profit_concentration": Term(
        Msg("profit concentrated in few customers", "利润过度集中于少数客户"),
        (
            "concentration",
            "concentrated",
            "depend on a few",
            "whale",
            "集中",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "concentration": 3,
    "concentrated": 3,
    "whale curve": 4,
    "whale": 3,
    "pareto": 3,
    "80 20": 3,
    "share of profit": 3,
    "share of our profit": 3,
    "profit share": 3,
    "depend on": 2,
    "dependence": 2,
    "dependent on": 2,
    "dependent": 2,
    "depend": 2,
    "reliant": 2,
    "rely on": 2,
    "abc analysis": 4,
    "abc class": 4,
    "abc": 2,
    "destroy": 3,
    "erode": 3,
    "cumulative": 2,
    "lorenz": 3,
    "gini": 3,
    "a b and c": 3,
    "a b c": 3,
    "come from": 2,
    "mainly from": 2,
    "few customer": 2,
    "handful of customer": 2,
    "percentx": 1.5,
    "集中度": 4,
    "集中": 2.5,
    "鲸鱼曲线": 4,
    "鲸鱼": 3,
    "帕累托": 3,
    "二八": 3,
    "八二": 3,
    "abc分类": 4,
    "利润占比": 3,
    "利润贡献": 2.5,
    "贡献了多少利润": 3,
    "依赖": 2,
    "少数客户": 2,
    "吞噬": 3,
    "侵蚀": 3,
    "累计": 2,
    "基尼": 3,
    "主要来自": 3,
    "来自哪些客户": 2.5,
    "占了多少利润": 3,
    "占多少利润": 3,
}

# All phrases must appear (anywhere) for the extra weight to count: (tool, phrases, weight).
COMBOS: list[tuple[str, tuple[str, ...], float]] = [
    ("profit_concentration", ("how many", "loss"), 3),
    ("profit_concentration", ("how many", "loss making"), 3),
    ("profit_concentration", ("percentx", "profit"), 2),
    ("profit_concentration", ("percentx", "利润"), 2),
    ("profit_concentration", ("多少", "亏损客户"), 2),
]

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Profit concentration", "利润集中度"),
    {
        "en": ["Show the whale curve", "What share of profit comes from the top 20% of customers?"],
        "zh": ["利润集中度怎么样", "亏损客户吞噬了多少利润？"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "cumulative_customer_share": Msg("Cumulative share of customers", "累计客户占比"),
    "cumulative_profit_share": Msg("Cumulative share of profit", "累计利润占比"),
    "abc_class": Msg("ABC class", "ABC类"),
    "cumulative_profit": Msg("Cumulative profit", "累计利润"),
    "profit_share": Msg("Share of profit", "利润占比"),
}


# --- answer texts ---------------------------------------------------------------------------------

NONPOSITIVE_TOTAL = Msg(
    "Total {metric} is {total} (not positive), so shares of the total are undefined.",
    "{metric}总额为 {total}（不为正），无法计算占总额的比例。",
)
CONCENTRATION_FORMULA = Msg(
    "customers ranked by profit, highest first; cumulative_profit_share(k) = Σ profit of the top k / Σ profit "
    "(above 100% before the loss-makers pull it back: Kaplan's whale curve); cumulative_customer_share(k) = k / "
    "customers; top_20pct_profit_share = Σ profit of the top ⌈0.2 × customers⌉ / Σ profit.",
    "按利润从高到低排列客户；累计利润占比(k) = 前k个客户利润之和 / 总利润（亏损客户拉低之前可超过100%：Kaplan鲸鱼曲线）；"
    "累计客户占比(k) = k / 客户数；前20%客户利润占比 = 前⌈0.2 × 客户数⌉个客户的利润之和 / 总利润。",
)
CONCENTRATION_SUMMARY = Msg(
    "The top 20% of customers ({top_count} of {customers}) make {top_share} of total profit ({total}). "
    "{loss_count} customers are loss-making and destroy {loss_amount}; cumulative profit peaks at {peak} of the "
    "total after the top {peak_customers} of customers.",
    "前20%的客户（{customers}个中的{top_count}个）贡献了总利润（{total}）的{top_share}。"
    "{loss_count}个客户亏损，吞噬利润{loss_amount}；累计利润在前{peak_customers}的客户处达到峰值，为总利润的{peak}。",
)
CONCENTRATION_REVENUE = Msg(
    "Profit cannot be computed without cost, so this shows revenue concentration: the top 20% of customers "
    "({top_count} of {customers}) make {top_share} of revenue ({total}).",
    "没有成本无法计算利润，以下为收入集中度：前20%的客户（{customers}个中的{top_count}个）贡献了收入（{total}）的{top_share}。",
)
ABC_SUMMARY = Msg(
    "ABC classes: A {a} customers ({a_share} of profit), B {b} ({b_share}), C {c} ({c_share}).",
    "ABC分类：A类{a}个客户（占利润{a_share}），B类{b}个（{b_share}），C类{c}个（{c_share}）。",
)
ABC_RULE = Msg(
    "ABC: customers ranked by {metric}; A until the customers before them reach 80% of positive {metric}, B "
    "until 95%, C the rest (including every customer with zero or negative {metric}).",
    "ABC：按{metric}排序；此前客户累计未达正{metric}的80%者为A类，未达95%者为B类，其余（含{metric}为零或负的客户）为C类。",
)
LOSS_SIGN = Msg(
    "loss_making_profit is the profit destroyed by loss-making customers, as a positive amount (−Σ of their "
    "negative profit).",
    "loss_making_profit 为亏损客户吞噬的利润，以正数表示（= −亏损客户利润之和）。",
)
WHALE_CHART = Msg("Whale curve: cumulative share of {metric}", "鲸鱼曲线：{metric}累计占比")
WHALE_X = Msg("share of customers (ranked by {metric})", "客户累计占比（按{metric}排序）")
WHALE_Y = Msg("cumulative share of {metric}", "{metric}累计占比")
FINDING_CONCENTRATION = Msg(
    "The top 20% of customers ({count}) make {share} of {metric}, above the {threshold} threshold.",
    "前20%的客户（{count}个）贡献了{metric}的{share}，超过{threshold}的阈值。",
)

# What the analysis measures by definition: a stated metric equal to it is applied, not "not applied"
INHERENT = {"metric": "profit"}
