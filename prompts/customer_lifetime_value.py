"""Words of the customer_lifetime_value tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Predicted customer lifetime value over a horizon (default one year): BG/NBD (default), MBG/NBD "
    "or Pareto/NBD purchase model x Gamma-Gamma spend x margin, discounted; per customer expected "
    "purchases, P(alive), expected spend and CLV; top customers, CLV by segment, calibration/holdout "
    "check; or the historical method (average order value x purchases a year x margin x lifetime).",
    "预测客户终身价值（默认未来一年）：BG/NBD（默认）、MBG/NBD 或 Pareto/"
    "NBD 购买模型 × Gamma-Gamma 消费模型 × 毛利率，并折现；每个客户的预期购"
    "买次数、仍活跃概率、预期消费和 CLV；高价值客户、各细分 CLV、校准/检验期对比；或历史"
    "法（平均订单金额 × 年购买次数 × 毛利率 × 生命周期）。",
)

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "customer lifetime value": 5,
    "lifetime value": 4,
    "clv": 4,
    "ltv": 4,
    "cltv": 4,
    "customer lifetime": 3,
    "lifetime": 2.5,
    "worth": 2.5,
    "customer value": 2,
    "value of each customer": 3,
    "value of a customer": 3,
    "终身价值": 4,
    "客户终身价值": 4,
    "生命周期价值": 4,
    "客户价值": 2.5,
    "值多少钱": 3,
    "值多少": 2.5,
    "价值多少": 2.5,
    "长期价值": 3,
    "价值": 1.5,
}

# All phrases must appear (anywhere) for the extra weight to count: (tool, phrases, weight).
COMBOS: list[tuple[str, tuple[str, ...], float]] = [
    ("customer_lifetime_value", ("next year", "worth"), 4),
    ("customer_lifetime_value", ("next year", "valuable"), 4),
    ("customer_lifetime_value", ("next year", "value"), 4),
    ("customer_lifetime_value", ("next year", "purchase"), 4),
    ("customer_lifetime_value", ("未来1年", "价值"), 4),
    ("customer_lifetime_value", ("未来1年", "购买"), 4),
    ("customer_lifetime_value", ("明年", "价值"), 4),
    ("customer_lifetime_value", ("预测", "价值"), 4),
    ("customer_lifetime_value", ("预测", "购买次数"), 4),
]

# Arguments added to every call of this tool from a question (stated in the step shown).
QUESTION_DEFAULTS: dict[str, object] = {"model": "historical"}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Customer lifetime value", "客户终身价值"),
    {
        "en": [
            "Top 20 customers by lifetime value",
            "CLV by segment",
            "What is each customer worth over the next year?",
        ],
        "zh": ["客户终身价值最高的前十名", "各细分市场的客户终身价值", "预测每个客户未来一年的价值"],
    },
)

MODELS: dict[str, list[str]] = {
    "historical": ["historical", "history based", "历史法", "历史", "历史数据"],
    "bgnbd": [
        "bg nbd",
        "bgnbd",
        "predictive",
        "predicted",
        "predict",
        "prediction",
        "next year",
        "next 12 month",
        "over the next",
        "purchases will",
        "预测",
        "未来1年",
        "未来12个月",
        "明年",
        "未来的购买",
    ],
    "mbgnbd": ["mbg nbd", "mbgnbd", "modified bg nbd"],
    "pareto_nbd": ["pareto nbd", "paretonbd", "帕累托nbd"],
}

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "aov": Msg("Average order value", "平均订单金额"),
    "purchases_per_year": Msg("Purchases per year", "年购买次数"),
    "lifetime_years": Msg("Expected lifetime (years)", "预期生命周期（年）"),
    "clv": Msg("Customer lifetime value", "客户终身价值"),
    "expected_purchases": Msg("Expected purchases", "预期购买次数"),
    "p_alive": Msg("Probability still active", "存活概率"),
    "expected_avg_spend": Msg("Expected average spend", "预期平均消费"),
    "recency": Msg("Recency (time units)", "最近购买"),
    "T": Msg("Observed time (T)", "观察期"),
    "t": Msg("Observed time (T)", "观察期"),
    "total_clv": Msg("Total CLV", "CLV 合计"),
    "average_clv": Msg("Average CLV", "平均 CLV"),
    "median_clv": Msg("Median CLV", "CLV 中位数"),
    "average_p_alive": Msg("Average probability still active", "平均存活概率"),
    "share_of_clv": Msg("Share of CLV", "CLV 占比"),
    "actual": Msg("Actual purchases", "实际购买次数"),
    "predicted": Msg("Predicted purchases", "预测购买次数"),
}


# --- answer texts ---------------------------------------------------------------------------------

CLV_DIMENSION = Msg(
    "Lifetime value is per customer, so it can be grouped by a customer attribute (segment, industry, region, "
    "acquisition_channel, or the product/channel a customer mainly buys), not by {dimension}.",
    "终身价值按客户计算，只能按客户属性分组（细分、行业、区域、获客渠道，或客户主要购买的产品/渠道），不能按{dimension}分组。",
)
CLV_FORMULA = Msg(
    "clv = aov × purchases_per_year × margin × lifetime_years; aov = revenue / orders; purchases_per_year = "
    "orders / observed years (as_of − first purchase, at least {min_years} years).",
    "CLV = 平均订单金额 × 年购买次数 × 毛利率 × 预期生命周期（年）；平均订单金额 = 收入 / 订单数；年购买次数 = 订单数 / "
    "观察年数（参考日期 − 首次购买，至少 {min_years} 年）。",
)
CLV_SUMMARY = Msg(
    "Historical CLV: average {average} per customer, {total} in total across {customers} customers (average "
    "order {aov}, {ppy} purchases a year on average, margin {margin}, expected lifetime {lifetime} years).",
    "历史法 CLV：平均每个客户 {average}，{customers} 个客户合计 {total}（平均订单金额 {aov}，平均每年购买 {ppy} 次，"
    "毛利率 {margin}，预期生命周期 {lifetime} 年）。",
)
CLV_TOP = Msg("Highest: {items}.", "最高：{items}。")
CLV_BOTTOM = Msg("Lowest: {items}.", "最低：{items}。")
CLV_GROUP = Msg("Average CLV by {dimension}: {items}.", "按{dimension}的平均 CLV：{items}。")
CLV_CUSTOMER = Msg(
    "{customer}: CLV {clv} (average order {aov}, {ppy} purchases a year); rank {rank} of {customers}.",
    "{customer}：CLV {clv}（平均订单金额 {aov}，每年购买 {ppy} 次）；排名第 {rank}（共 {customers} 个客户）。",
)
CLV_CHART = Msg("Customer lifetime value by {dimension}", "按{dimension}的客户终身价值")
HISTORICAL_MARGIN_GIVEN = Msg("Margin {margin} as given.", "毛利率 {margin}（按指定值）。")
HISTORICAL_MARGIN_OBSERVED = Msg(
    "Margin {margin} = observed gross margin (Σ gross profit / Σ revenue in the period), the same for every "
    "customer.",
    "毛利率 {margin} = 观察到的毛利率（期间内 Σ毛利 / Σ收入），所有客户相同。",
)
HISTORICAL_MARGIN_ASSUMED = Msg(
    "There is no cost column, so margin is taken as 100%: CLV here is lifetime revenue, not profit. Give a "
    "margin or upload costs.",
    "没有成本列，毛利率按100%计算：此处的 CLV 是生命周期收入而非利润。可指定毛利率或上传成本数据。",
)
LIFETIME_GIVEN = Msg(
    "Expected lifetime {lifetime} years as given.", "预期生命周期 {lifetime} 年（按指定值）。"
)
LIFETIME_CHURN_FLAG = Msg(
    "Expected lifetime {lifetime} years = 1 / annual churn rate {rate}; churn rate = {churned} churned customers "
    "(churned column) / {years} customer-years observed (signup or first purchase to churn date, last purchase "
    "or as_of), capped at {cap} years.",
    "预期生命周期 {lifetime} 年 = 1 / 年流失率 {rate}；年流失率 = {churned} 个已流失客户（churned 列）/ 观察到的 {years} "
    "客户年（从注册或首次购买到流失日期、最后购买或参考日期），上限 {cap} 年。",
)
LIFETIME_INACTIVE = Msg(
    "Expected lifetime {lifetime} years = 1 / annual churn rate {rate}; churn rate = share of the {base} "
    "customers who bought before {cutoff} (as_of − 365 days) and within the year before it that made no purchase "
    "after it ({lost}); capped at {cap} years.",
    "预期生命周期 {lifetime} 年 = 1 / 年流失率 {rate}；年流失率 = 在 {cutoff}（参考日期前365天）之前且在其前一年内有购买的 "
    "{base} 个客户中，之后再无购买者的比例（{lost} 个）；上限 {cap} 年。",
)
LIFETIME_DEFAULT = Msg(
    "The data cannot support a churn estimate ({reason}), so an expected lifetime of {lifetime} years is assumed; "
    "give lifetime_years to change it.",
    "数据不足以估计流失率（{reason}），因此假设预期生命周期为 {lifetime} 年；可通过 lifetime_years 参数修改。",
)
LIFETIME_SHORT_DATA = Msg("less than a year of purchases", "购买数据不足一年")
LIFETIME_NO_CHURN = Msg(
    "No customer churned in the data, so the expected lifetime is the cap of {cap} years.",
    "数据中没有客户流失，因此预期生命周期取上限 {cap} 年。",
)
FINDING_AT_RISK_CLV = Msg(
    "{count} of the top-20% lifetime-value customers are overdue: no purchase for more than {threshold}× their "
    "usual interval (and at least {min_days} days); their CLV totals {amount}.",
    "CLV 前20%的客户中有 {count} 个已“逾期”：超过其平常购买间隔的 {threshold} 倍（且至少 {min_days} 天）未购买；其 CLV 合计 {amount}。",
)
MODEL_NAMES = {
    "bgnbd": Msg("BG/NBD", "BG/NBD"),
    "mbgnbd": Msg("MBG/NBD", "MBG/NBD"),
    "pareto_nbd": Msg("Pareto/NBD", "Pareto/NBD"),
    "historical": Msg("historical", "历史法"),
}
UNIT_NAMES = {
    "D": Msg("days", "天"),
    "W": Msg("weeks", "周"),
    "M": Msg("months", "个月"),
}
FORMULA = Msg(
    "clv = margin × E[spend | x, m] × Σ_{{i=1..H}} (E[Y(i) | x, t_x, T] − E[Y(i−1) | x, t_x, T]) / (1 + d)^i, "
    "where x = repeat purchases, t_x = time of the last purchase, T = time since the first purchase (in "
    "{unit}, same-day purchases count once), E[Y(t)] = expected purchases in the next t {unit} from the "
    "{model} model, E[spend] = Gamma-Gamma expected spend per purchase, H = {horizon} {unit}, d = (1 + "
    "{annual})^(unit/1 year) − 1 = {per_unit} per {unit_one}.",
    "CLV = 毛利率 × 预期每次消费 E[spend | x, m] × Σ_{{i=1..H}} (E[Y(i)] − E[Y(i−1)]) / (1 + d)^i；其中 x = 重复购买次数，"
    "t_x = 最后一次购买时间，T = 首次购买至今的时长（单位：{unit}，同一天多笔算一次），E[Y(t)] = {model} 模型预测的未来 t "
    "{unit}内的购买次数，E[spend] = Gamma-Gamma 模型的预期每次消费，H = {horizon} {unit}，d = (1 + {annual})^(单位/1年) − 1 "
    "= 每{unit_one} {per_unit}。",
)
ASSUME_BGNBD = Msg(
    "BG/NBD assumptions: while active, each customer buys at a steady random rate (Poisson; rates differ "
    "between customers as a gamma distribution); after each purchase a customer may drop out for good "
    "with a probability that differs between customers (beta distribution); drop-out is never observed "
    "directly, so P(alive) is inferred from how long it has been since the last purchase.",
    "BG/NBD 假设：客户在活跃期间以稳定的随机速率购买（泊松过程，不同客户的速率服从伽马分布）；每次购买后客户以一定概率永久"
    "流失（概率因人而异，服从贝塔分布）；流失无法直接观察，因此“仍活跃概率” P(alive) 由距上次购买的时间推断。",
)
ASSUME_MBGNBD = Msg(
    "MBG/NBD assumptions: as BG/NBD, but a customer may also drop out right after the first purchase, so "
    "one-time buyers can be inactive too.",
    "MBG/NBD 假设：与 BG/NBD 相同，但客户在首次购买后也可能立即流失，因此只买过一次的客户也可能已不活跃。",
)
ASSUME_PARETO = Msg(
    "Pareto/NBD assumptions: while active, each customer buys at a steady random rate (Poisson, gamma "
    "across customers) and stays active for an exponentially distributed lifetime (its rate gamma across "
    "customers), independent of the purchases.",
    "Pareto/NBD 假设：客户在活跃期间以稳定的随机速率购买（泊松过程，速率跨客户服从伽马分布），活跃时长服从指数分布"
    "（其速率跨客户服从伽马分布），与购买相互独立。",
)
ASSUME_GAMMA = Msg(
    "Spend (Gamma-Gamma, fitted on the {buyers} repeat buyers): each customer's purchase amounts vary "
    "around a personal average, which is independent of how often they buy; the expected spend shrinks a "
    "customer's observed average repeat spend toward the population mean {mean}.",
    "消费额（Gamma-Gamma 模型，基于 {buyers} 个重复购买客户拟合）：每个客户的消费金额围绕其个人平均值波动，且与购买频率无关；"
    "预期消费是客户实际平均重复消费与总体均值 {mean} 的加权平均。",
)
ASSUME_SPEND_MEAN = Msg(
    "The Gamma-Gamma spend model could not be used ({reason}), so each customer's expected spend per "
    "purchase is their own average purchase amount so far (first purchase included).",
    "无法使用 Gamma-Gamma 消费模型（{reason}），因此每个客户的预期单次消费取其迄今的平均购买金额（含首次购买）。",
)
CALIBRATION = Msg(
    "Model fitted on purchases up to {end} ({customers} customers, {repeat} with repeat purchases); CLV "
    "counts from {end}.",
    "模型基于截至 {end} 的购买数据拟合（{customers} 个客户，其中 {repeat} 个有重复购买）；CLV 从 {end} 起算。",
)
AFTER_CALIBRATION = Msg(
    "{count} customers whose first purchase is after {end} are not in the model.",
    "有 {count} 个客户的首次购买晚于 {end}，未纳入模型。",
)
MARGIN_GIVEN = Msg("Margin {margin} as given.", "毛利率 {margin}（按指定值）。")
MARGIN_OBSERVED = Msg(
    "Margin {margin} = observed gross margin (Σ gross profit / Σ revenue up to {end}), the same for every "
    "customer.",
    "毛利率 {margin} = 观察到的毛利率（截至 {end} 的 Σ毛利 / Σ收入），所有客户相同。",
)
MARGIN_ASSUMED = Msg(
    "There is no cost column, so margin is taken as 100%: CLV here is expected future revenue, not profit. "
    "Give a margin or upload costs.",
    "没有成本列，毛利率按100%计算：此处的 CLV 是预期未来收入而非利润。可指定毛利率或上传成本数据。",
)
SUMMARY = Msg(
    "{model} model: over the next {horizon} {unit} (discounted at {annual} a year) your {customers} "
    "customers are expected to be worth {total} in total, {average} on average (median {median}); they "
    "are expected to make {purchases} purchases, and {alive} of them are likely still active (P(alive) ≥ "
    "0.5).",
    "{model} 模型：未来 {horizon} {unit}内（按年 {annual} 折现），{customers} 个客户的预期价值合计 {total}，平均 {average}"
    "（中位数 {median}）；预计共购买 {purchases} 次，其中 {alive} 个客户很可能仍活跃（P(alive) ≥ 0.5）。",
)
TOP = Msg("Highest predicted CLV: {items}.", "预测 CLV 最高：{items}。")
BOTTOM = Msg("Lowest predicted CLV: {items}.", "预测 CLV 最低：{items}。")
GROUP = Msg("Average predicted CLV by {dimension}: {items}.", "按{dimension}的平均预测 CLV：{items}。")
CUSTOMER = Msg(
    "{customer}: predicted CLV {clv} ({purchases} expected purchases of {spend} each, P(alive) {alive}); "
    "rank {rank} of {customers}.",
    "{customer}：预测 CLV {clv}（预计购买 {purchases} 次，每次 {spend}，仍活跃概率 {alive}）；排名第 {rank}（共 {customers} 个客户）。",
)
HOLDOUT = Msg(
    "Check against the {duration} {unit} after {end}: the model predicted {predicted} repeat purchases by "
    "these customers, they made {actual} ({error} off).",
    "用 {end} 之后的 {duration} {unit}检验：模型预测这些客户重复购买 {predicted} 次，实际为 {actual} 次（偏差 {error}）。",
)
PARAMS = Msg("Fitted parameters: {params}; log-likelihood {ll}.", "拟合参数：{params}；对数似然 {ll}。")
CHART = Msg("Predicted customer lifetime value by {dimension}", "按{dimension}的预测客户终身价值")
CHART_SEGMENT = Msg("Average predicted CLV by segment", "各客户细分的平均预测 CLV")
CHART_HOLDOUT = Msg(
    "Calibration vs holdout: repeat purchases per customer by calibration frequency",
    "校准期与检验期对比：按校准期购买次数分组的人均重复购买",
)
HOLDOUT_X = Msg("repeat purchases in the calibration period", "校准期重复购买次数")
HOLDOUT_Y = Msg("mean repeat purchases in the holdout period", "检验期人均重复购买次数")
ACTUAL = Msg("actual", "实际")
PREDICTED = Msg("predicted", "预测")
FALLBACK = Msg(
    "The {model} model could not be used ({reason}), so this is the historical method instead.",
    "无法使用 {model} 模型（{reason}），因此改用历史法。",
)
REASON_NO_REPEAT = Msg(
    "no customer bought more than once, so a purchase model cannot be fitted",
    "没有客户购买过一次以上，无法拟合购买模型",
)
REASON_FEW = Msg(
    "only {count} customers; at least {min} are needed", "只有 {count} 个客户，至少需要 {min} 个"
)
REASON_FIT = Msg("the fit did not converge: {detail}", "模型拟合未收敛：{detail}")
MODEL_NOTE = Msg("Model note: {text}", "模型提示：{text}")
FINDING_AT_RISK = Msg(
    "{count} of the top-20% customers by past revenue are probably no longer active (P(alive) < {threshold}); "
    "they bought {amount} before {end}.",
    "按历史收入排名前20%的客户中有 {count} 个很可能已不再活跃（P(alive) < {threshold}）；他们在 {end} 之前共购买 {amount}。",
)
