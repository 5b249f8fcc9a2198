"""Words shared by several tools (churn_events): answer pieces in English and Chinese."""

from __future__ import annotations

from core.text import Msg

ITEM = Msg("{label}: {value}", "{label}：{value}")
UNKNOWN = "unknown"  # label of a missing dimension value (a table value, kept canonical)
NOT_REACHED = Msg("not reached", "未达到")
NOT_LOADED = Msg("not loaded", "未载入")
AS_OF = Msg(
    "Reference date (as_of): {as_of}{how}.",
    "参考日期（as_of）：{as_of}{how}。",
)
AS_OF_DEFAULT = Msg(" (the latest event date in the data)", "（数据中最近的事件日期）")
AS_OF_GIVEN = Msg(" (as given)", "（按指定）")
FREQS = {
    "month": Msg("month", "月"),
    "quarter": Msg("quarter", "季度"),
    "year": Msg("year", "年"),
}
DIMENSIONS = {
    "segment": Msg("segment", "客户细分"),
    "region": Msg("region", "区域"),
    "industry": Msg("industry", "行业"),
    "product": Msg("main product", "主要产品"),
    "channel": Msg("main channel", "主要渠道"),
    "acquisition_channel": Msg("acquisition channel", "获客渠道"),
    "month": Msg("signup month", "注册月份"),
    "quarter": Msg("signup quarter", "注册季度"),
    "year": Msg("signup year", "注册年份"),
}
NEEDS_CHURN_DATA = Msg(
    "This needs either a customers table with churned and churn_date columns (customer_id, churned, "
    "churn_date, ideally signup_date), or transactions (customer_id, date, revenue) to derive churn from "
    "inactivity. Neither is loaded.",
    "需要包含 churned（是否流失）和 churn_date（流失日期）列的客户表（customer_id、churned、churn_date，最好有 "
    "signup_date），或者交易表（customer_id、date、revenue）以便按不活跃规则推断流失。目前两者都没有。",
)
NEEDS_CHURN_DATE = Msg(
    "The customers table has a churned column but no churn_date, and no transactions are loaded to date "
    "the churn. Add a churn_date column or upload transactions (customer_id, date, revenue).",
    "客户表有 churned 列但没有 churn_date（流失日期）列，也没有交易数据可用来确定流失时间。"
    "请补充 churn_date 列，或上传交易数据（customer_id、date、revenue）。",
)
NO_CUSTOMERS = Msg(
    "No customer has a known start (signup or first purchase) on or before {as_of}.",
    "在 {as_of} 及之前没有已知起始日期（注册或首次购买）的客户。",
)
SOURCE_LABELS = Msg(
    "Churn events come from the customers table (churned = yes and churn_date); a churn after the "
    "reference date counts as not churned yet.",
    "流失事件来自客户表（churned 为是且有 churn_date）；参考日期之后的流失视为尚未流失。",
)
SOURCE_INACTIVITY = Msg(
    "There are no churn labels, so churn is derived from transactions: a customer whose last purchase "
    "is at least {days} days before the reference date counts as churned, dated at that last purchase; "
    "customers who bought within the last {days} days are active.",
    "没有流失标记，因此根据交易推断流失：最后一次购买距参考日期至少 {days} 天的客户视为已流失，流失时间记为最后一次购买日；"
    "最近 {days} 天内有购买的客户视为活跃。",
)
START_DEFINITION = Msg(
    "A customer's start is the signup_date, else the first purchase.",
    "客户起始日期为 signup_date（注册日期），没有时取首次购买日期。",
)
START_UNKNOWN = Msg(
    "{count} customers have no signup date and no purchase; they are taken as customers from before the "
    "analysed window.",
    "{count} 个客户没有注册日期也没有购买记录，视为分析期开始前就已是客户。",
)
CHURN_DATE_FROM_LAST_PURCHASE = Msg(
    "{count} churned customers have no churn_date; their last purchase date is used.",
    "{count} 个已流失客户没有 churn_date，改用其最后一次购买日期。",
)
CHURN_DATE_MISSING = Msg(
    "{count} customers are marked churned without a churn_date (and no purchase to date it); they are left out.",
    "{count} 个客户标记为已流失但没有 churn_date（也没有购买记录可推断），未纳入分析。",
)
NOT_IN_CUSTOMERS = Msg(
    "{count} customer ids in the transactions are not in the customers table; their churn status is "
    "unknown, so they are left out.",
    "交易中有 {count} 个客户编号不在客户表中，其流失状态未知，未纳入分析。",
)
UNKNOWN_DIMENSION = Msg(
    "There is no '{dimension}' to group by. Loaded: customers ({customer_columns}); transactions "
    "({tx_columns}).",
    "没有可用于分组的“{dimension}”。已载入：客户表（{customer_columns}）；交易表（{tx_columns}）。",
)
MAIN_VALUE = Msg(
    "Each customer is grouped by the {dimension} with the most revenue in the transactions.",
    "每个客户按其交易收入最多的{dimension}归组。",
)
DAYS = Msg("{days} days ({years} years)", "{days} 天（{years} 年）")
OPEN_START = Msg("the beginning", "最早")
