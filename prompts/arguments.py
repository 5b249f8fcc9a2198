"""Words for the arguments a question states (metric, order, count, ranking), English and Chinese, read by the question engine (agent/understand/)."""

from __future__ import annotations

Phrases = dict[str, float]

STRONG = 2.0

MIN_SCORE = 0.5

# Without a follow-up marker, a question this short (in words; a Chinese character is half a word)
# still refines the previous call ("by month", "2024", "按地区").
FOLLOWUP_MAX_WORDS = 4

# Weight a mentioned argument value adds to tools that take it (which kind of answer it suggests).
ARGUMENT_HINTS: dict[str, Phrases] = {
    "metric": {"customer_profitability": 1.0},
    "metric_hint": {"customer_profitability": 0.5},
    "order": {"customer_profitability": 0.5},
    "loss": {"customer_profitability": 1.0},
    "group_by": {"customer_profitability": 0.5},
    "customer": {"customer_profitability": 0.5},
    "rfm_segment": {"rfm_segments": 3.0},
    "model": {"customer_lifetime_value": 1.0},
    "risk_level": {"churn_risk": 1.0},
}

METRICS: dict[str, list[str]] = {
    "cost_to_serve": [
        "cost to serve",
        "to serve",
        "service cost",
        "servicing cost",
        "serving cost",
        "support cost",
        "服务成本",
        "服务费用",
        "维护成本",
        "服务开销",
    ],
    "net_profit": ["net profit", "net income", "net earning", "净利润", "净利", "纯利润", "纯利"],
    "gross_profit": ["gross profit", "毛利润", "毛利额", "毛利"],
    "margin": [
        "margin",
        "profit margin",
        "gross margin",
        "net margin",
        "利润率",
        "毛利率",
        "净利率",
        "盈利率",
    ],
    "orders": [
        "order",
        "order count",
        "number of order",
        "purchase",
        "how often",
        "most frequent",
        "transaction",
        "订单",
        "订单数",
        "订单量",
        "下单次数",
        "下单",
        "单量",
        "购买次数",
        "交易次数",
        "笔数",
        "买得最频繁",
    ],
    "cost": ["cost", "cogs", "cost of goods", "expense", "成本", "销售成本", "进货成本", "费用"],
    "revenue": [
        "revenue",
        "sale",
        "turnover",
        "income",
        "spend",
        "spent",
        "sales amount",
        "收入",
        "销售额",
        "营收",
        "营业额",
        "销售收入",
        "销售",
        "业绩",
        "卖得",
        "卖出",
        "sold",
        "sell",
        "流水",
        "成交额",
        "消费",
        "花钱",
        "买得最多",
        "采购额",
    ],
    "profit": [
        "profit",
        "profitable",
        "profitability",
        "earning",
        "make us",
        "made us",
        "利润",
        "盈利",
        "赚钱",
        "赚了",
        "赚",
        "挣钱",
        "收益",
    ],
}

# Implied metrics, used only when no metric is named ("biggest customers" are the largest by revenue).
METRIC_HINTS: dict[str, list[str]] = {
    "revenue": ["biggest", "largest", "大客户", "最大的客户", "体量"],
    "profit": ["best", "最好", "最有价值"],
}

ORDER_WORDS: dict[str, list[str]] = {
    "top": [
        "top",
        "highest",
        "most",
        "best",
        "biggest",
        "largest",
        "greatest",
        "leading",
        "maximum",
        "最高",
        "最多",
        "最大",
        "最好",
        "最赚钱",
        "最强",
        "排名靠前",
        "靠前",
        "头部",
        "领先",
    ],
    "bottom": [
        "bottom",
        "lowest",
        "least",
        "worst",
        "smallest",
        "fewest",
        "weakest",
        "minimum",
        "最低",
        "最少",
        "最小",
        "最差",
        "最弱",
        "最不赚钱",
        "倒数",
        "末尾",
        "垫底",
        "靠后",
        "尾部",
        "dragging down",
        "drag down",
        "hurting",
        "拖后腿",
        "后腿",
        "拖累",
        "拉低",
    ],
}

# Losing money: order "bottom" by profit (unless another metric is named), whatever "most" says.
LOSS_WORDS: list[str] = [
    "unprofitable",
    "loss making",
    "lose money",
    "losing money",
    "lose us",
    "cost us money",
    "loss",
    "money losing",
    "lose",
    "losing",
    "lost money",
    "negative profit",
    "in the red",
    "not profitable",
    "亏损",
    "亏钱",
    "赔钱",
    "不赚钱",
    "亏本",
    "负利润",
    "亏得",
    "亏了",
]

# Chinese/English words right before a number that make it a ranking count: 前十 -> top 10.
RANK_PREFIXES: dict[str, str] = {
    "前": "top",
    "头": "top",
    "top": "top",
    "后": "bottom",
    "倒数": "bottom",
    "bottom": "bottom",
}

# Words right after a number that make it a count of rows (五个客户, 10名, 前5大).
COUNT_CLASSIFIERS: list[str] = ["个", "名", "位", "家", "大", "户"]
