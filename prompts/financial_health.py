"""Words of the financial_health tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Customers' financial health from their statements: debt ratio, current and quick ratio, interest"
    " coverage and the Altman Z-score (Z, Z' private, Z'' non-manufacturers) with its zone (distress "
    "/ grey / safe) per customer.",
    "根据客户财务报表评估财务健康：资产负债率、流动比率、速动比率、利息保障倍数，以及每个客户的 "
    "Altman Z 值（Z、非上市 Z'、非制造业 Z''）及其分区（困境/灰色/安全）。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "financial_distress": Term(
        Msg("customers in financial distress", "财务困难的客户"),
        (
            "financial health",
            "distress",
            "bankrupt",
            "z score",
            "财务健康",
            "破产",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "z score": 4,
    "altman": 4,
    "financial health": 4,
    "current ratio": 4,
    "quick ratio": 4,
    "debt ratio": 4,
    "solvency": 4,
    "bankrupt": 4,
    "财务健康": 4,
    "资产负债率": 4,
    "流动比率": 4,
    "速动比率": 4,
    "偿债": 4,
    "破产": 4,
    "z值": 4,
    "financially weak": 4,
    "financial condition": 4,
    "financial position": 4,
    "interest coverage": 4,
    "liquidity": 3,
    "财务状况": 4,
    "财务状态": 4,
    "财务风险": 3,
    "利息保障": 4,
    "堪忧": 1,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Customer financial health", "客户财务健康"),
    {
        "en": ["Altman Z-score of our customers", "Which customers are financially weak?"],
        "zh": ["哪些客户财务状况堪忧", "客户的流动比率和速动比率"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "variant": Msg("Z-score model", "Z 值模型"),
    "z_score": Msg("Altman Z-score", "Altman Z 值"),
    "x1": Msg("X1 working capital / assets", "X1 营运资本/总资产"),
    "x2": Msg("X2 retained earnings / assets", "X2 留存收益/总资产"),
    "x3": Msg("X3 EBIT / assets", "X3 息税前利润/总资产"),
    "x4": Msg("X4 equity / liabilities", "X4 权益/负债"),
    "x5": Msg("X5 sales / assets", "X5 销售收入/总资产"),
    "quick_ratio": Msg("Quick ratio", "速动比率"),
    "interest_coverage": Msg("Interest coverage", "利息保障倍数"),
    "missing_inputs": Msg("Missing inputs", "缺失的输入"),
}


# --- answer texts ---------------------------------------------------------------------------------

PURPOSE_HEALTH = Msg("assess customers' financial health", "评估客户财务健康状况")
VARIANT_NAMES = {
    "z": Msg("Z (public manufacturers)", "Z（上市制造业）"),
    "z_prime": Msg("Z' (private firms)", "Z'（非上市公司）"),
    "z_double_prime": Msg("Z'' (non-manufacturers)", "Z''（非制造业）"),
}
ZONE_NAMES = {
    "distress": Msg("distress zone", "困境区"),
    "grey": Msg("grey zone", "灰色区"),
    "safe": Msg("safe zone", "安全区"),
}
NOT_SCORED_ZONE = Msg("not scored", "未评分")
HEALTH_FORMULA = Msg(
    "Debt ratio = total liabilities / total assets; current ratio = current assets / current liabilities; "
    "quick ratio = (current assets - inventory) / current liabilities; interest coverage = EBIT / interest "
    "expense. Altman: X1 = working capital / TA, X2 = retained earnings / TA, X3 = EBIT / TA, X4 = equity / "
    "total liabilities, X5 = sales / TA. Z = 1.2 X1 + 1.4 X2 + 3.3 X3 + 0.6 X4 (market value) + 1.0 X5, "
    "zones < 1.81 distress, 1.81-2.99 grey, > 2.99 safe (Altman 1968). Z' = 0.717 X1 + 0.847 X2 + 3.107 X3 "
    "+ 0.420 X4 (book equity) + 0.998 X5, zones 1.23 / 2.90; Z'' = 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4 "
    "(book equity), zones 1.10 / 2.60 (Altman 2000, revisited models).",
    "资产负债率 = 总负债 / 总资产；流动比率 = 流动资产 / 流动负债；速动比率 = (流动资产 - 存货) / 流动负债；"
    "利息保障倍数 = 息税前利润 / 利息费用。Altman：X1 = 营运资本 / 总资产，X2 = 留存收益 / 总资产，"
    "X3 = 息税前利润 / 总资产，X4 = 权益 / 总负债，X5 = 营业收入 / 总资产。Z = 1.2 X1 + 1.4 X2 + 3.3 X3 + "
    "0.6 X4（市值）+ 1.0 X5，< 1.81 困境区，1.81-2.99 灰色区，> 2.99 安全区（Altman 1968）。"
    "Z' = 0.717 X1 + 0.847 X2 + 3.107 X3 + 0.420 X4（账面权益）+ 0.998 X5，分界 1.23 / 2.90；"
    "Z'' = 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4（账面权益），分界 1.10 / 2.60（Altman 2000 修订模型）。",
)
HEALTH_ASSUMPTIONS = Msg(
    "Latest statement per customer. Variant 'auto' per customer: a non-manufacturing industry (services, "
    "technology, retail, wholesale, ...) or no sales -> Z''; market value of equity present -> Z; else Z'. "
    "Book equity = the equity column, else total assets - total liabilities. Zones are only comparable "
    "within a variant. A customer missing an input gets no score (missing_inputs names the columns).",
    "每个客户取最新一期报表。“auto”按客户选择：非制造业（服务、科技、零售、批发等）或无营业收入 -> Z''；"
    "有权益市值 -> Z；否则 Z'。账面权益取 equity 列，否则为总资产 - 总负债。不同模型的分区只在同一模型内可比。"
    "缺少输入的客户不评分（missing_inputs 列出缺少的列）。",
)
HEALTH_HEAD = Msg(
    "{scored} of {customers} customers scored ({variants}): {distress} in the distress zone, {grey} grey, "
    "{safe} safe.",
    "{customers} 个客户中 {scored} 个已评分（{variants}）：困境区 {distress} 个，灰色区 {grey} 个，安全区 {safe} 个。",
)
VARIANT_COUNT = Msg("{variant} {count}", "{variant} {count} 个")
HEALTH_RATIOS = Msg(
    "Medians: current ratio {current}, quick ratio {quick}, debt ratio {debt}, interest coverage {coverage}x.",
    "中位数：流动比率 {current}，速动比率 {quick}，资产负债率 {debt}，利息保障倍数 {coverage} 倍。",
)
Z_ITEM = Msg("{customer} {z} ({variant})", "{customer} {z}（{variant}）")
DISTRESS_LIST = Msg("Weakest in the distress zone: {items}.", "困境区中最弱的客户：{items}。")
HEALTH_CUSTOMER = Msg(
    "{customer}: {variant} = {z}, {zone}; current ratio {current}, quick ratio {quick}, debt ratio {debt}, "
    "interest coverage {coverage}x; missing inputs: {missing}.",
    "{customer}：{variant} = {z}，{zone}；流动比率 {current}，速动比率 {quick}，资产负债率 {debt}，"
    "利息保障倍数 {coverage} 倍；缺少的输入：{missing}。",
)
NOT_SCORED = Msg(
    "{count} customers have no Altman score because inputs are missing (e.g. {examples}).",
    "{count} 个客户因缺少输入而没有 Altman 评分（例如 {examples}）。",
)
RATIOS_MISSING = Msg(
    "Some ratios cannot be computed because the financials lack their columns: {ratios}.",
    "财务报表缺少相关列，以下比率无法计算：{ratios}。",
)
LATEST_PERIOD_USED = Msg(
    "Several statements per customer: the latest period of each is used.",
    "部分客户有多期报表：每个客户使用最新一期。",
)
DUPLICATE_STATEMENTS = Msg(
    "Several statements per customer without a period column: the last row of each is used.",
    "部分客户有多行报表且没有期间列：每个客户使用最后一行。",
)
FINDING_DISTRESS = Msg(
    "{count} customers are in the Altman distress zone.", "{count} 个客户处于 Altman 困境区。"
)
TABLE_HEALTH = Msg("Financial ratios and Altman Z (weakest first)", "财务比率和 Altman Z 值（从弱到强）")
CHART_Z = Msg(
    "Altman Z per customer (red distress, grey, green safe)",
    "各客户 Altman Z 值（红：困境，灰：灰色区，绿：安全）",
)
