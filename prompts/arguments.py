"""Words for the arguments a question states (metric, order, count, ranking), English and Chinese, read by the question engine (agent/understand/)."""

from __future__ import annotations

from core.text import Msg

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
    "grade": {"credit_risk": 2.0},
    "zone": {"financial_health": 2.0},
    "horizon": {"customer_lifetime_value": 2.0, "churn_risk": 1.0},
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
        "gmv",
        "gross merchandise value",
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

# Signup cohorts: "customers who joined in 2024", "the 2024 cohort", "2024年注册的客户" (a filter, not a period).
COHORT_PATTERNS_EN: list[str] = [
    r"\b(?:who\s+)?(?:joined|signed\s+up|signed\s+on|onboarded|acquired|came\s+on\s+board|became\s+customers?)"
    r"\s+(?:in\s+|during\s+)?(20\d\d)\b",
    r"\b(20\d\d)\s+(?:cohort|signups?|sign-ups?|joiners|new\s+customers)\b",
    r"\bcohort\s+(?:of\s+)?(20\d\d)\b",
    r"\bcustomers\s+(?:acquired|won|gained)\s+in\s+(20\d\d)\b",
]
COHORT_PATTERNS_ZH: list[str] = [
    r"(20\d\d)\s*年?\s*(?:注册|签约|加入|获取|获得|新增|开户|入驻|引入)",
    r"(20\d\d)\s*年?\s*(?:的)?\s*新客户",
    r"(20\d\d)\s*年?\s*(?:同期群|批次)",
]

# Forecast horizons: "over the next 2 years", "未来两年" (numbers are digits by then). Unit words -> days.
HORIZON_PATTERNS_EN: list[str] = [
    r"\b(?:over|in|for|within|during)?\s*(?:the\s+)?(?:next|coming|following|upcoming)\s+(\d+)\s*"
    r"(day|week|month|quarter|year)s?\b",
    r"\b(\d+)[\s-](day|week|month|quarter|year)s?\s+(?:ahead|out|horizon|forward)\b",
    r"\bover\s+(\d+)\s*(day|week|month|quarter|year)s?\b",
]
HORIZON_PATTERNS_ZH: list[str] = [
    r"(?:未来|接下来|今后|往后|之后|以后)\s*的?\s*(\d+)\s*个?\s*(天|日|周|星期|月|季度|季|年)",
    r"(\d+)\s*个?\s*(天|日|周|星期|月|季度|季|年)\s*(?:内|之内|以内)",
]
HORIZON_UNIT_DAYS: dict[str, int] = {
    "day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365,
    "天": 1, "日": 1, "周": 7, "星期": 7, "月": 30, "季度": 91, "季": 91, "年": 365,
}  # fmt: skip
# Next year / next quarter without a number.
HORIZON_PHRASES: dict[str, int] = {
    "next year": 365, "next 12 months": 365, "coming year": 365, "next quarter": 91, "coming quarter": 91,
    "next month": 30, "明年": 365, "下一年": 365, "下季度": 91, "下个季度": 91, "下个月": 30,
}  # fmt: skip

# Comparing named values: "East vs West", "华东和华南对比" (two or more values of one dimension).
COMPARE_WORDS: list[str] = [
    "vs", "versus", "compare", "compared", "comparison", "against", "difference between", "differ",
    "对比", "比较", "相比", "比起", "差异", "区别", "哪个更", "谁更",
]  # fmt: skip

# Why a recognised part of a question was not applied (named in the answer's first line).
NOT_TAKEN = Msg("{analysis} has no such setting", "{analysis}没有这项设置")
VALUE_NOT_OFFERED = Msg("{analysis} does not offer {value}", "{analysis}不支持“{value}”")
COUNT_CAPPED = Msg(
    "an answer lists at most {cap:,} rows, so {default} are shown",
    "每次回答最多列出 {cap:,} 行，因此显示 {default} 行",
)
NO_FILTERS = Msg("{analysis} does not restrict customers", "{analysis}不支持筛选客户")
NO_HORIZON = Msg(
    "{analysis} describes what has happened, so it has no forecast horizon",
    "{analysis}描述的是已发生的情况，没有预测期",
)
ONE_GROUPING = Msg("an analysis groups by one dimension at a time (here: {first})", "一次分析只按一个维度分组（此处：{first}）")
NO_COMPARISON = Msg(
    "{analysis} cannot be split by {attribute}", "{analysis}不能按{attribute}拆分比较"
)

# A value right after one of these is excluded, not filtered on ("non-manufacturing", "除了华东"): such a
# value is left out (an exclusion filter is not offered).
NEGATION_BEFORE: list[str] = ["non", "non-", "not", "except", "excluding", "other than", "without", "非", "除了", "除", "不含", "不包括", "排除"]

# Words joining two values of one attribute ("segment A vs B", "A和C类"): the second short value counts too
VALUE_JOINERS_EN = ("vs", "vs.", "versus", "and", "or", "against", "compared with", "compared to", "to", "&", ",")
VALUE_JOINERS_ZH = ("和", "与", "跟", "及", "或", "对比", "比", "、", "vs", "和类", "类和", "类与", "类、", "级和", "级与")
