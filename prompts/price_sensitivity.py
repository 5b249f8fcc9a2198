"""Words of the price_sensitivity tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Price elasticity of demand from price/volume data (sales table or transactions with unit_price "
    "and quantity): log-log OLS with product fixed effects (+ promotion), per segment or product, "
    "with standard error, 95% CI and R²; what-if for a price change (volume, revenue, gross profit); "
    "discount depth vs volume lift.",
    "基于价格/数量数据（销售表或含 unit_price 和 quantity 的交易表）估算需"
    "求价格弹性：带产品固定效应（及促销）的双对数 OLS，按细分或产品分别估算，给出标准误、95"
    "%置信区间和 R²；价格变动的影响估算（销量、收入、毛利）；折扣深度与销量提升。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "price_inelastic_segment": Term(
        Msg("price-insensitive demand (room to raise prices)", "价格不敏感的需求（有提价空间）"),
        (
            "raise prices",
            "raise our prices",
            "price increase",
            "提价",
            "涨价",
        ),
    ),
    "price_elastic_segment": Term(
        Msg("price-sensitive demand", "价格敏感的需求"),
        (
            "price",
            "pricing",
            "elasticity",
            "价格",
            "定价",
            "弹性",
        ),
    ),
    "over_discounting": Term(
        Msg("discounts that do not pay for themselves", "得不偿失的折扣"),
        (
            "discount",
            "折扣",
            "促销",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "price": 3,
    "pricing": 3,
    "elasticity": 4,
    "price rise": 4,
    "price increase": 4,
    "price cut": 4,
    "discount": 2.5,
    "价格": 3,
    "定价": 3,
    "弹性": 4,
    "涨价": 4,
    "降价": 4,
    "提价": 4,
    "折扣": 2.5,
    "促销": 2.5,
    "discounting": 3,
    "over discounting": 4,
    "discounted": 2.5,
    "price sensitive": 4,
    "price sensitivity": 4,
    "promotion": 2.5,
    "what if we raise price": 4,
    "价格敏感": 4,
    "需求弹性": 4,
    "打折": 3,
    "让利": 3,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Price sensitivity", "价格敏感度"),
    {
        "en": [
            "How price-sensitive is segment B?",
            "What if we raise prices by 5%?",
            "Price elasticity by product",
        ],
        "zh": ["各细分市场的价格弹性", "提价5%对销量有什么影响？"],
    },
)

# Words that make a stated percentage a price cut (price_sensitivity's price_change < 0).
PRICE_DOWN_WORDS: list[str] = [
    "cut",
    "lower",
    "reduce",
    "decrease",
    "drop",
    "discount",
    "降价",
    "下调",
    "降低",
    "减价",
    "打折",
]

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "dimension": Msg("Dimension", "维度"),
    "elasticity": Msg("Price elasticity", "价格弹性"),
    "std_error": Msg("Standard error", "标准误"),
    "ci_low": Msg("95% CI low", "95% 置信下限"),
    "ci_high": Msg("95% CI high", "95% 置信上限"),
    "r_squared": Msg("R²", "拟合优度 R²"),
    "observations": Msg("Observations", "观测数"),
    "price_change": Msg("Price change", "价格变动"),
    "volume_change": Msg("Volume change", "销量变化"),
    "revenue_change": Msg("Revenue change", "收入变化"),
    "gross_profit_change": Msg("Gross profit change", "毛利变化"),
    "classification": Msg("Classification", "分类"),
    "band": Msg("Discount band", "折扣区间"),
    "rows": Msg("Rows", "行数"),
    "mean_depth": Msg("Average discount", "平均折扣"),
    "observed_lift": Msg("Observed volume lift", "实际销量提升"),
    "implied_lift": Msg("Lift implied by the elasticity", "弹性隐含的销量提升"),
}


# --- answer texts ---------------------------------------------------------------------------------

PURPOSE = Msg("estimate price sensitivity", "估算价格敏感度")
PURPOSE_NEEDS = Msg(
    "This needs price/volume observations: a sales table (unit_price, quantity) or transactions with "
    "unit_price and quantity columns. None of the loaded tables has both.",
    "需要价格/数量观测：销售表（unit_price、quantity）或包含 unit_price 和 quantity 列的交易表。"
    "已载入的表都没有同时包含这两列（sales 或 transactions）。",
)
SOURCE = {
    "sales": Msg("the sales table (price/volume observations)", "销售表（价格/数量观测）"),
    "transactions": Msg("the transactions (one observation per order line)", "交易表（每个订单行一个观测）"),
}
SUMMARY = Msg(
    "Price elasticity of demand: {elasticity} (95% CI {low} to {high}, standard error {se}; R² {r2}; "
    "{n} observations from {source}{scope}). {reading}",
    "需求价格弹性：{elasticity}（95%置信区间 {low} 至 {high}，标准误 {se}；R² {r2}；"
    "基于{source}的 {n} 个观测{scope}）。{reading}",
)
SCOPE = Msg(", {dimension} {value}", "，{dimension} {value}")
READING = Msg(
    "A 1% higher price goes with about {abs_pct}% {direction} volume.",
    "价格每提高1%，销量约{direction} {abs_pct}%。",
)
LOWER = Msg("lower", "下降")
HIGHER = Msg("higher", "上升")
INELASTIC = Msg("Demand is inelastic (|ε| < 1):", "需求缺乏弹性（|ε| < 1）：")
ELASTIC = Msg("Demand is elastic (|ε| > 1):", "需求富有弹性（|ε| > 1）：")
GROUPS = Msg("By {dimension}: {items}.", "按{dimension}：{items}。")
GROUP_ITEM = Msg("{value} (CI {low} to {high})", "{value}（置信区间 {low} 至 {high}）")
WHAT_IF = Msg(
    "What-if at a {change} price change (an approximation valid near current prices, from the constant "
    "elasticity): volume {volume}, revenue {revenue}{profit}.",
    "价格变动 {change} 的估算（基于常弹性，仅在当前价格附近近似成立）：销量 {volume}，收入 {revenue}{profit}。",
)
WHAT_IF_PROFIT = Msg(
    ", gross profit {profit} (at a {margin} gross margin)", "，毛利 {profit}（毛利率 {margin}）"
)
PROMOTION = Msg(
    "Promotions add {lift} to volume at the same price.", "在价格相同的情况下，促销使销量增加 {lift}。"
)
DISCOUNTS = Msg("Discount depth vs volume lift: {items}.", "折扣深度与销量提升：{items}。")
DISCOUNT_ITEM = Msg(
    "{bucket}: lift {lift} (elasticity implies {expected})", "{bucket}：提升 {lift}（弹性预期 {expected}）"
)
FORMULA = Msg(
    "Pooled OLS with fixed effects: log(quantity) = a[cell] + ε·log(price){promo} + error, where a cell is "
    "{cells}; estimated by demeaning within cells (numpy least squares). Standard error = sqrt(σ²·(X'X)⁻¹), "
    "σ² = SSR / (n - k - cells); 95% CI = ε ± t(0.975, df)·se; R² of the full fixed-effects model. "
    "What-if for a price change Δ: volume (1+Δ)^ε - 1, revenue (1+Δ)^(1+ε) - 1, gross profit "
    "((1+Δ) - (1 - m))/m · (1+Δ)^ε - 1 at gross margin m. Findings: price_inelastic_segment when the CI lies "
    "entirely above -1, price_elastic_segment when it lies entirely below -1; over_discounting when a "
    "discount band at least {min_depth} deep lifts volume by less than {share} of what the elasticity implies "
    "((1 - d)^ε - 1).",
    "带固定效应的混合OLS：log(数量) = a[单元] + ε·log(价格){promo} + 误差，单元为{cells}；"
    "通过单元内去均值估计（numpy 最小二乘）。标准误 = sqrt(σ²·(X'X)⁻¹)，σ² = 残差平方和 / (n - k - 单元数)；"
    "95%置信区间 = ε ± t(0.975, 自由度)·标准误；R² 为完整固定效应模型的拟合优度。价格变动 Δ 的估算："
    "销量 (1+Δ)^ε - 1，收入 (1+Δ)^(1+ε) - 1，毛利 ((1+Δ) - (1 - m))/m · (1+Δ)^ε - 1（m 为毛利率）。"
    "结论规则：置信区间整体高于 -1 为 price_inelastic_segment（缺乏弹性），整体低于 -1 为 "
    "price_elastic_segment（富有弹性）；折扣深度至少 {min_depth} 的折扣档销量提升不足弹性预期"
    "（(1 - d)^ε - 1）的 {share} 时为 over_discounting（过度折扣）。",
)
PROMO_TERM = Msg(" + β·promotion", " + β·促销")
CELLS = {
    "product": Msg("each product", "每个产品"),
    "segment": Msg("segment", "细分"),
    "store": Msg("store", "门店"),
    "customer_id": Msg("customer", "客户"),
}
CELL_JOIN = Msg(" × ", " × ")
PRICE_DEFINITION_TX = Msg(
    "Price per order line = unit_price × (1 - discount) (the price actually paid); lines with quantity or "
    "price <= 0 (refunds) are left out.",
    "每个订单行的价格 = unit_price × (1 - discount)（实际成交价）；数量或价格 <= 0 的行（退款）不纳入。",
)
PRICE_DEFINITION_SALES = Msg(
    "Price = unit_price of each observation; rows with quantity or price <= 0 are left out.",
    "价格 = 每个观测的 unit_price；数量或价格 <= 0 的行不纳入。",
)
CONSTANT_ELASTICITY = Msg(
    "Constant elasticity (log-log) model: it describes small price moves around the prices observed; it "
    "assumes prices were not set in response to demand shocks (no endogeneity correction).",
    "常弹性（双对数）模型：只描述在已观测价格附近的小幅变动；假设价格不是根据需求冲击设定的（未做内生性校正）。",
)
MARGIN_FROM_COST = Msg("Gross margin {margin} from the cost column.", "毛利率 {margin}，来自成本列。")
MARGIN_GIVEN = Msg("Gross margin {margin} as given.", "毛利率 {margin}（用户给定）。")
NO_MARGIN = Msg(
    "No cost data, so the profit effect is not computed; give margin (e.g. 0.35) to get it.",
    "没有成本数据，未计算毛利影响；提供毛利率参数 margin（如 0.35）即可计算。",
)
TOO_LITTLE_VARIATION = Msg(
    "Price barely varies{scope}: its typical deviation from each {cells} average is {variation} "
    "(standard deviation of log price within cells; at least {minimum} is needed). An elasticity cannot be "
    "estimated from prices that hardly change.",
    "价格几乎没有变化{scope}：相对每个{cells}平均价格的典型偏离为 {variation}（单元内对数价格的标准差；"
    "至少需要 {minimum}）。价格几乎不变时无法估算弹性。",
)
TOO_FEW_ROWS = Msg(
    "Only {n} usable price/volume observations{scope}; at least {minimum} are needed.",
    "可用的价格/数量观测只有 {n} 个{scope}；至少需要 {minimum} 个。",
)
UNKNOWN_VALUE = Msg(
    "No rows with {dimension} '{value}'. Values in the data: {values}.",
    "没有{dimension}为“{value}”的数据。数据中的取值：{values}。",
)
NO_COLUMN = Msg(
    "The price data has no '{dimension}' column (columns: {columns}).",
    "价格数据没有“{dimension}”列（现有列：{columns}）。",
)
GROUP_SKIPPED = Msg(
    "{dimension} {values}: not estimated (fewer than {minimum} observations or too little price variation).",
    "{dimension} {values}：未估算（观测少于 {minimum} 个或价格变化太小）。",
)
DROPPED_ROWS = Msg(
    "{count} rows with quantity or price <= 0 or missing were left out.",
    "{count} 行数量或价格 <= 0 或缺失，未纳入。",
)
NO_PERIOD_ROWS = Msg(
    "No price/volume observations between {start} and {end}.", "{start} 至 {end} 之间没有价格/数量观测。"
)
CHART = Msg("Price elasticity by {dimension} (95% CI)", "按{dimension}的价格弹性（95%置信区间）")
CHART_POOLED = Msg("Log quantity vs log price (demeaned within cells)", "对数销量与对数价格（单元内去均值）")
FINDING_INELASTIC = Msg(
    "Inelastic demand in {groups} (95% CI entirely above -1): a price rise would raise revenue.",
    "{groups}需求缺乏弹性（95%置信区间整体高于 -1）：提价会增加收入。",
)
FINDING_ELASTIC = Msg(
    "Elastic demand in {groups} (95% CI entirely below -1): price rises lose revenue; price cuts gain it.",
    "{groups}需求富有弹性（95%置信区间整体低于 -1）：提价会减少收入，降价会增加收入。",
)
FINDING_OVER_DISCOUNT = Msg(
    "Discounts of {bands} lift volume by {lift}, less than {share} of the {expected} the elasticity implies.",
    "{bands}的折扣只带来 {lift} 的销量提升，不足弹性预期 {expected} 的 {share}。",
)
