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
    "store": ["store", "shop", "outlet", "门店", "店铺", "分店"],
    "category": ["complaint category", "complaint type", "feedback category", "issue type", "投诉类别", "投诉类型",
                 "问题类型", "问题类别", "反馈类别"],
    # customer snapshots (a churn flag, no dates): their own attributes
    "contract": [
        "contract",
        "contract type",
        "contract term",
        "plan type",
        "合约",
        "合约类型",
        "合同类型",
        "合约期",
        "套餐",
        "套餐类型",
    ],
    "tenure": ["tenure", "tenure band", "months as customer", "在网时长", "在网时间", "在网月数", "网龄"],
    "monthly_charges": ["monthly charges", "monthly charge", "monthly fee", "月费", "月消费", "月租"],
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
    "quarter": ["quarterly", "quarter by quarter", "按季", "每季", "分季", "逐季", "季度"],
    "year": ["yearly", "annually", "annual", "year by year", "year over year", "逐年", "按年", "每年", "分年", "年度"],
    "region": ["regional"],
}

# A trend without a named time dimension is a monthly series.
TREND_WORDS: list[str] = ["trend", "over time", "趋势", "走势", "变化"]

TREND_DIMENSION = "month"

# Short values (a segment "A") count only next to one of these (besides the dimension's own words):
# "A类客户", "B级", "segment C", "tier A".
VALUE_MARKERS: dict[str, list[str]] = {
    "segment": ["类", "级", "档", "类客户", "级客户", "档客户", "class", "tier", "segment", "type", "group"],
}
# What managers call common attribute values in the other language (the data's value first): used when
# the data holds the value and not the alias itself ("华东" for a region called East).
VALUE_ALIASES: dict[str, list[str]] = {
    "East": ["华东", "东部", "东区", "东边", "华东区", "east china", "eastern"],
    "West": ["华西", "西部", "西区", "西边", "western"],
    "North": ["华北", "北方", "北部", "北区", "northern"],
    "South": ["华南", "南方", "南部", "南区", "southern"],
    "Central": ["华中", "中部", "中区"],
    "Northeast": ["东北"],
    "Northwest": ["西北"],
    "Southwest": ["西南"],
    "Manufacturing": ["制造业", "制造", "manufacturer", "manufacturers"],
    "Retail": ["零售", "零售业", "retailer", "retailers"],
    "Services": ["服务业", "服务类"],
    "Technology": ["科技", "技术", "tech", "科技行业"],
    "Construction": ["建筑", "建筑业", "建材"],
    "Wholesale": ["批发", "批发业", "wholesaler", "wholesalers"],
    "Online": ["线上", "网上", "网店", "电商"],
    "Direct sales": ["直销", "直营", "direct"],
    "Distributor": ["经销商", "分销商", "分销", "经销", "distributors", "dealer", "dealers"],
    "Email": ["邮件", "电子邮件", "邮件营销", "e-mail"],
    "Referral": ["推荐", "转介绍", "口碑推荐", "referrals"],
    "Search": ["搜索", "搜索引擎", "sem", "seo"],
    "Social": ["社交", "社交媒体", "社媒", "social media"],
    "Trade show": ["展会", "展览会", "trade fair", "trade shows", "exhibition"],
}
