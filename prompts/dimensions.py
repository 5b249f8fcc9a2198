"""Words for grouping (group_by) and trends, English and Chinese."""

from __future__ import annotations

Phrases = dict[str, float]

# Dimensions (group_by). "customer" means per customer again (it removes a grouping in a follow-up).
DIMENSIONS: dict[str, list[str]] = {
    "acquisition_channel": [
        "acquisition channel",
        "acquisition source",
        "signup channel",
        "lead source",
        "获客渠道",
        "来源渠道",
        "获客来源",
        "引流渠道",
    ],
    "segment": [
        "segment",
        "customer segment",
        "customer type",
        "customer group",
        "tier",
        "细分市场",
        "客户细分",
        "细分",
        "客群",
        "客户群",
        "客户类型",
        "客户类别",
        "客户等级",
    ],
    "region": ["region", "area", "territory", "regional", "地区", "区域", "大区", "片区", "地域", "省份"],
    "industry": ["industry", "sector", "vertical", "行业", "产业"],
    "product": [
        "product",
        "product line",
        "sku",
        "item",
        "category",
        "产品",
        "商品",
        "品类",
        "产品线",
        "货品",
    ],
    "channel": ["channel", "sales channel", "渠道", "销售渠道"],
    "month": ["month", "月", "月份"],
    "quarter": ["quarter", "季度", "季"],
    "year": ["year", "年", "年度"],
    "customer": ["customer", "client", "account", "客户", "单个客户"],
}

# A dimension word groups only after one of these (or before one of GROUP_AFTER): "by region",
# "按地区", "各行业", "哪个行业"; "region" alone in "the North region" does not.
GROUP_BEFORE: list[str] = [
    "by",
    "per",
    "each",
    "every",
    "across",
    "which",
    "what",
    "for each",
    "by each",
    "split by",
    "grouped by",
    "breakdown by",
    "broken down by",
    "按",
    "按照",
    "各",
    "分",
    "每个",
    "每一个",
    "每",
    "哪个",
    "哪些",
    "哪一个",
    "哪家",
    "哪类",
    "不同",
    "各个",
]

GROUP_FILLERS: list[str] = [
    "the",
    "a",
    "an",
    "all",
    "our",
    "my",
    "different",
    "individual",
    "customer",
    "sales",
]

GROUP_AFTER: list[str] = [
    "breakdown",
    "split",
    "level",
    "wise",
    "分布",
    "维度",
    "之间",
    "排名",
    "排行",
    "对比",
    "别",
]

# Phrases that group by themselves.
GROUP_SELF: dict[str, list[str]] = {
    "month": [
        "monthly",
        "month by month",
        "month over month",
        "per month",
        "月度",
        "逐月",
        "按月",
        "每月",
        "分月",
    ],
    "quarter": ["quarterly", "quarter by quarter", "按季", "每季", "分季", "逐季"],
    "year": ["yearly", "annually", "year by year", "year over year", "逐年", "按年", "每年", "分年"],
    "region": ["regional"],
}

# A trend without a named time dimension is a monthly series.
TREND_WORDS: list[str] = ["trend", "over time", "趋势", "走势", "变化"]

TREND_DIMENSION = "month"
