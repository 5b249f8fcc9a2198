"""Words of the churn_risk tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Churn risk per customer: probability and risk level (high/medium/low). With a churned column in "
    "the customers table, a cross-validated supervised model (ROC AUC and top drivers); otherwise 1 -"
    " P(alive) from BG/NBD/MBG/NBD or a recency rule. Revenue at risk from high-risk customers.",
    "每个客户的流失风险：流失概率和风险等级（高/中/低）。客户表有 churned 列时用交叉验"
    "证的监督学习模型（ROC AUC 和主要驱动因素）；否则用 BG/NBD/MBG/NBD 的"
    " 1 − 仍活跃概率或最近购买规则。并计算高风险客户带来的风险收入。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "high_churn_risk": Term(
        Msg("customers with a high churn risk", "流失风险高的客户"),
        (
            "churn",
            "leaving",
            "likely to leave",
            "会流失",
            "快流失",
            "流失",
            "离开",
        ),
    ),
    "revenue_at_risk": Term(
        Msg("revenue at risk from customers likely to leave", "可能流失客户带来的风险收入"),
        (
            "revenue at risk",
            "money at risk",
            "风险收入",
            "收入风险",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "churn": 3,
    "likely to churn": 4,
    "likely to leave": 4,
    "will leave": 4,
    "going to leave": 4,
    "leave us": 3,
    "churn risk": 4,
    "churn probability": 4,
    "revenue at risk": 4,
    "profit at risk": 4,
    "p alive": 4,
    "stop buying": 4,
    "stop ordering": 4,
    "不再购买": 4,
    "不再下单": 4,
    "会流失": 4,
    "快流失": 4,
    "要流失": 4,
    "可能流失": 4,
    "流失概率": 4,
    "预测流失": 4,
    "流失预测": 4,
    "流失": 2.5,
    "收入风险": 3,
    "会离开": 4,
    "revenue is at risk": 5,
    "profit is at risk": 5,
    "at risk from churn": 5,
    "risk of churning": 5,
    "risk of churn": 5,
    "churn driver": 5,
    "drive churn": 5,
    "why do customer leave": 5,
    "churning": 3,
    "面临流失风险": 5,
    "流失风险最高": 5,
    "流失风险的客户有哪些": 5,
    "高流失风险": 5,
    "高风险流失": 5,
    "中风险的流失": 5,
    "低风险的流失": 5,
    "流失的可能性": 5,
    "流失可能性": 5,
    "会不会流失": 5,
    "面临风险": 4,
    "流失的主要原因": 5,
    "流失原因": 4,
    "预测客户流失": 5,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Churn risk", "流失风险预测"),
    {
        "en": [
            "Which customers are likely to leave?",
            "How much revenue is at risk?",
            "Churn risk by segment",
        ],
        "zh": ["哪些客户快流失了？", "流失概率最高的10个客户", "有多少收入面临流失风险？"],
    },
)

# CLV models (values of customer_lifetime_value's `model`; only those the Params allow are used).
# churn_risk's risk_level filter ("high-risk customers", "高风险客户").
RISK_LEVEL_WORDS: dict[str, list[str]] = {
    "high": [
        "high risk",
        "at high risk",
        "at high risk of churn",
        "high risk of churning",
        "high churn risk",
        "high-risk",
        "highest risk",
        "most at risk",
        "高风险",
        "高风险流失",
        "风险高",
        "风险最高",
    ],
    "medium": ["medium risk", "medium-risk", "moderate risk", "中风险", "中等风险", "中风险的流失"],
    "low": ["low risk", "low-risk", "低风险", "风险低"],
}

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "churn_probability": Msg("Churn probability", "流失概率"),
    "risk_level": Msg("Risk level", "风险等级"),
    "basis": Msg("Basis", "依据"),
    "days_since_last_purchase": Msg("Days since last purchase", "距上次购买天数"),
    "trailing_12m_revenue": Msg("Revenue, last 12 months", "近12个月收入"),
    "trailing_12m_gross_profit": Msg("Gross profit, last 12 months", "近12个月毛利"),
    "feature": Msg("Driver", "驱动因素"),
    "importance": Msg("Importance (AUC drop)", "重要性（AUC 下降）"),
    "direction": Msg("Direction", "方向"),
    "customers_at_high_risk": Msg("Customers at high risk", "高风险客户数"),
    "average_churn_probability": Msg("Average churn probability", "平均流失概率"),
    "revenue_at_risk": Msg("Revenue at risk", "风险收入"),
    "share_at_high_risk": Msg("Share at high risk", "高风险占比"),
}


# --- answer texts ---------------------------------------------------------------------------------

RISK_LEVELS = {"high": Msg("high", "高"), "medium": Msg("medium", "中"), "low": Msg("low", "低")}
BASIS = {
    "supervised": Msg("supervised model", "监督学习模型"),
    "bgnbd": Msg("BG/NBD", "BG/NBD"),
    "mbgnbd": Msg("MBG/NBD", "MBG/NBD"),
    "recency_rule": Msg("recency rule", "最近购买规则"),
}
DEFINITION_SUPERVISED = Msg(
    "Churn = the customers table marks the customer as churned (churned column). churn_probability = the "
    "probability that a customer active on {as_of} churns within the next {days} days, from a regularised "
    "logistic regression trained on past snapshots.",
    "流失 = 客户表中标记为已流失（churned 列）。churn_probability = 截至 {as_of} 仍活跃的客户在未来 {days} 天内流失的概率，"
    "由基于历史快照训练的正则化逻辑回归模型给出。",
)
DEFINITION_MODEL = Msg(
    "Churn = the customer has stopped buying for good (never observed directly). churn_probability = 1 − "
    "P(alive) on {as_of}: BG/NBD for customers who bought more than once{one_time}.",
    "流失 = 客户已永久停止购买（无法直接观察）。churn_probability = 截至 {as_of} 的 1 − P(仍活跃)：购买过多次的客户用 "
    "BG/NBD 模型{one_time}。",
)
ONE_TIME_MBG = Msg(
    ", MBG/NBD for one-time buyers (BG/NBD would call every one-time buyer alive)",
    "，只买过一次的客户用 MBG/NBD 模型（BG/NBD 会把所有只买过一次的客户都视为仍活跃）",
)
ONE_TIME_RULE = Msg(
    "; one-time buyers are judged by the recency rule below",
    "；只买过一次的客户按下述最近购买规则判断",
)
DEFINITION_RULE = Msg(
    "Recency rule: a customer counts as churned (high risk) after no purchase for more than {k} × the typical "
    "gap between purchases ({gap} days, the median gap between consecutive purchase days of all customers) = "
    "{limit} days; medium risk after {medium} days; no churn probability is given for these customers.",
    "最近购买规则：超过 {k} × 典型购买间隔（{gap} 天，所有客户相邻两次购买日之间间隔的中位数）= {limit} 天未购买即视为流失"
    "（高风险）；超过 {medium} 天为中风险；这些客户不给出流失概率。",
)
CUTOFFS = Msg(
    "Risk levels: high when churn_probability ≥ {high}, medium when ≥ {medium}, low otherwise.",
    "风险等级：流失概率 ≥ {high} 为高，≥ {medium} 为中，其余为低。",
)
FORMULA_SUPERVISED = Msg(
    "Snapshots every {step} days from {first} to {last}: at each snapshot date c, every customer active at c "
    "(joined on or before c, not yet churned) is one row; features use only data up to c (transactions in "
    "the {lookback} days before c, feedback and invoices known at c, customer attributes); label = churned "
    "within (c, c + {days} days]. L2-regularised logistic regression (C = 0.1); quality = 5-fold stratified cross-validated "
    "ROC AUC with all snapshots of a customer in the same fold; drivers = permutation importance (drop in "
    "AUC when a feature is shuffled) on the held-out folds. Scores: the model refitted on all snapshots, "
    "applied to each active customer's features on {as_of}.",
    "从 {first} 到 {last} 每隔 {step} 天取一个快照：在每个快照日 c，当时仍活跃的客户（c 当日或之前加入且尚未流失）各为一行；"
    "特征只使用截至 c 的数据（c 之前 {lookback} 天的交易、c 时已知的反馈和发票、客户属性）；标签 = 在 (c, c + {days} 天] 内流失。"
    "模型为 L2 正则化逻辑回归（C = 0.1）；质量 = 5 折分层交叉验证 ROC AUC（同一客户的所有快照在同一折）；"
    "驱动因素 = 在验证折上打乱某特征后 AUC 的下降（置换重要性）。评分：在全部快照上重新训练的模型，作用于每个活跃客户截至 {as_of} 的特征。",
)
FORMULA_MODEL = Msg(
    "churn_probability = 1 − P(alive | x, t_x, T); BG/NBD: P(alive) = 1 / (1 + a/(b + x − 1) × ((α + T)/(α + "
    "t_x))^(r + x)) for x > 0 (x = repeat purchases, t_x = time of the last purchase, T = time since the first, "
    "in weeks). Fitted r {r}, α {alpha}, a {a}, b {b}.",
    "流失概率 = 1 − P(alive | x, t_x, T)；BG/NBD：x > 0 时 P(alive) = 1 / (1 + a/(b + x − 1) × ((α + T)/(α + t_x))^(r + x))"
    "（x = 重复购买次数，t_x = 最后一次购买时间，T = 首次购买至今，单位：周）。拟合参数 r {r}，α {alpha}，a {a}，b {b}。",
)
FORMULA_RULE = Msg(
    "days_since_last_purchase = {as_of} − last purchase date; high risk when > {k} × typical gap ({limit} "
    "days), medium when > {medium} days, low otherwise.",
    "距上次购买天数 = {as_of} − 最近购买日期；> {k} × 典型间隔（{limit} 天）为高风险，> {medium} 天为中风险，其余为低风险。",
)
SUMMARY = Msg(
    "Churn risk as of {as_of} ({method}): {high} of {customers} customers are at high risk, {medium} medium, "
    "{low} low. Revenue at risk: {at_risk} ({basis} of the high-risk customers in the last 12 months).",
    "截至 {as_of} 的流失风险（{method}）：{customers} 个客户中高风险 {high} 个，中风险 {medium} 个，低风险 {low} 个。"
    "风险收入：{at_risk}（高风险客户近12个月的{basis}）。",
)
QUALITY = Msg(
    "Model quality: cross-validated ROC AUC {auc} (± {std}) on {rows} snapshot rows of {customers} customers "
    "({rate} churned within {days} days). Main drivers: {drivers}.",
    "模型质量：交叉验证 ROC AUC {auc}（± {std}），基于 {customers} 个客户的 {rows} 行快照（其中 {rate} 在 {days} 天内流失）。"
    "主要驱动因素：{drivers}。",
)
ALREADY_CHURNED = Msg(
    "{count} customers are already marked as churned and are not scored.",
    "有 {count} 个客户已标记为流失，不再评分。",
)
TOP = Msg("Highest risk: {items}.", "风险最高：{items}。")
BOTTOM = Msg("Lowest risk: {items}.", "风险最低：{items}。")
LEVEL_LIST = Msg("{level}-risk customers ({count}): {items}.", "{level}风险客户（{count} 个）：{items}。")
LEVEL_EMPTY = Msg("No customer is at {level} risk.", "没有{level}风险的客户。")
GROUP = Msg(
    "Share of customers at high risk by {dimension}: {items}.", "按{dimension}的高风险客户占比：{items}。"
)
CUSTOMER = Msg(
    "{customer}: {level} risk{probability}; last purchase {days} days before {as_of}.",
    "{customer}：{level}风险{probability}；最近一次购买距 {as_of} {days} 天。",
)
PROBABILITY = Msg(" (churn probability {value})", "（流失概率 {value}）")
ITEM_RULE = Msg("{days} days without purchase", "{days} 天未购买")
DRIVER_UP = Msg("{feature} (higher → more churn)", "{feature}（越高越易流失）")
DRIVER_DOWN = Msg("{feature} (higher → less churn)", "{feature}（越高越不易流失）")
DRIVER_LEVEL = Msg("{feature} (highest risk: {level})", "{feature}（风险最高：{level}）")
NO_DRIVERS = Msg("no feature stands out", "没有突出的特征")
BASIS_REVENUE = Msg("revenue", "收入")
BASIS_PROFIT = Msg("gross profit", "毛利")
CHART_LEVELS = Msg("Customers by churn risk level", "各流失风险等级的客户数")
CHART_DRIVERS = Msg(
    "Churn drivers (permutation importance, drop in AUC)", "流失驱动因素（置换重要性，AUC 下降）"
)
CHART_GROUP = Msg("Share of customers at high churn risk by {dimension}", "按{dimension}的高流失风险客户占比")
NO_LABEL_TRAINING = Msg(
    "The churned column cannot train a model ({reason}), so churn is estimated from purchase patterns "
    "instead.",
    "churned 列无法用于训练模型（{reason}），因此改为根据购买规律估计流失。",
)
REASON_CLASSES = Msg(
    "{churned} churned and {active} active customers in the training snapshots; at least {min} of each are "
    "needed",
    "训练快照中有 {churned} 个流失客户和 {active} 个活跃客户；每类至少需要 {min} 个",
)
REASON_SHORT = Msg("the data cover less than {days} days before {as_of}", "数据在 {as_of} 之前不足 {days} 天")
NO_CHURN_DATE = Msg(
    "There is no churn_date column, so each churned customer's last purchase date is taken as the churn date.",
    "没有 churn_date（流失日期）列，因此以每个已流失客户的最后购买日期作为流失日期。",
)
MISSING_CHURN_DATE = Msg(
    "{count} churned customers have no churn date and are left out of training.",
    "有 {count} 个已流失客户没有流失日期，未用于训练。",
)
SHORT_LOOKBACK = Msg(
    "Less than {lookback} days of history before the first snapshot: early features see a shorter window.",
    "首个快照之前的历史不足 {lookback} 天：早期特征的观察窗口较短。",
)
LEAKAGE = Msg(
    "The feature {feature} alone separates churned from active customers almost perfectly (AUC {auc}); check "
    "that it is not recorded after the churn (a leak).",
    "特征 {feature} 单独就几乎能完美区分流失与活跃客户（AUC {auc}）；请检查它是否是在流失之后才记录的（信息泄漏）。",
)
FEW_FOR_MODEL = Msg(
    "A purchase model cannot be fitted ({reason}), so every customer is judged by the recency rule.",
    "无法拟合购买模型（{reason}），因此所有客户都按最近购买规则判断。",
)
REASON_FEW = Msg(
    "only {count} customers; at least {min} are needed", "只有 {count} 个客户，至少需要 {min} 个"
)
NO_GAP = Msg(
    "No customer bought twice, so the typical gap between purchases is assumed to be {gap} days.",
    "没有客户购买过两次，因此假设典型购买间隔为 {gap} 天。",
)
ATTRIBUTES_USED = Msg(
    "Customer attributes used: {columns}. They are taken as known before churn; ids, names, dates and churn "
    "columns are never features.",
    "使用的客户属性：{columns}。假定这些属性在流失前已知；编号、名称、日期和流失相关列从不作为特征。",
)
FINDING_HIGH = Msg(
    "{count} customers ({share}) are at high churn risk.", "{count} 个客户（{share}）处于高流失风险。"
)
FINDING_REVENUE = Msg(
    "{amount} of {basis} in the last 12 months comes from customers at high churn risk ({share} of the total).",
    "近12个月{basis}中有 {amount} 来自高流失风险客户（占总额 {share}）。",
)
FINDING_VALUABLE = Msg(
    "{count} of the top-20% customers by {basis} in the last 12 months are at high churn risk; together "
    "{amount}.",
    "近12个月{basis}排名前20%的客户中有 {count} 个处于高流失风险，合计 {amount}。",
)
FEATURES = {
    "tenure_days": Msg("days since joining", "加入天数"),
    "days_since_last_purchase": Msg("days since the last purchase", "距上次购买天数"),
    "orders_90d": Msg("orders in the last 90 days", "近90天订单数"),
    "orders_365d": Msg("orders in the last year", "近一年订单数"),
    "revenue_90d": Msg("revenue in the last 90 days", "近90天收入"),
    "revenue_365d": Msg("revenue in the last year", "近一年收入"),
    "order_trend": Msg("order trend (last 90 days vs the year's pace)", "订单趋势（近90天与全年节奏之比）"),
    "avg_order_value_365d": Msg("average order value", "平均订单金额"),
    "refunds_365d": Msg("refunds in the last year", "近一年退款次数"),
    "gross_margin_365d": Msg("gross margin in the last year", "近一年毛利率"),
    "feedback_365d": Msg("feedback in the last year", "近一年反馈次数"),
    "complaints": Msg("complaints so far", "累计投诉次数"),
    "unresolved_complaints": Msg("unresolved complaints so far", "累计未解决投诉数"),
    "mean_days_late": Msg("average days paid late (all invoices)", "平均逾期付款天数（全部发票）"),
    "mean_score_365d": Msg("average satisfaction score in the last year", "近一年平均满意度评分"),
    "mean_days_late_365d": Msg("average days paid late in the last year", "近一年平均逾期付款天数"),
    "open_overdue_invoices": Msg("overdue unpaid invoices", "逾期未付发票数"),
}
