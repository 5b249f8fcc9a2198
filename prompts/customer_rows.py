"""Words shared by several tools (customer_rows): answer pieces in English and Chinese."""

from __future__ import annotations

from core.text import Msg

METRICS = {
    "profit": Msg("profit", "利润"),
    "revenue": Msg("revenue", "收入"),
    "gross_profit": Msg("gross profit", "毛利"),
    "net_profit": Msg("net profit", "净利润"),
    "margin": Msg("margin", "利润率"),
    "cost": Msg("cost", "成本"),
    "cost_to_serve": Msg("cost to serve", "服务成本"),
    "orders": Msg("orders", "订单数"),
    "clv": Msg("lifetime value", "终身价值"),
}
DIMENSIONS = {
    "segment": Msg("segment", "客户细分"),
    "region": Msg("region", "区域"),
    "industry": Msg("industry", "行业"),
    "product": Msg("product", "产品"),
    "channel": Msg("channel", "渠道"),
    "acquisition_channel": Msg("acquisition channel", "获客渠道"),
    "month": Msg("month", "月份"),
    "quarter": Msg("quarter", "季度"),
    "year": Msg("year", "年份"),
}
ITEM = Msg("{label}: {value}", "{label}：{value}")
IN_CURRENCY = Msg("In {currency}: {text}", "{currency}部分：{text}")
OPEN_START = Msg("the first transaction", "最早的交易")
OPEN_END = Msg("the last transaction", "最近的交易")
UNKNOWN = "unknown"  # label of a missing dimension value (a table value, kept canonical)
PERIOD_USED = Msg(
    "Period: {start} to {end}; {rows} transaction rows used.",
    "期间：{start} 至 {end}；使用 {rows} 行交易数据。",
)
ORDERS_DEFINITION = Msg(
    "An order is a distinct order_id among rows with positive revenue (refund rows are netted into revenue "
    "but are not orders).",
    "订单按收入为正的行中不同的 order_id 计数（退款行计入收入净额，但不算订单）。",
)
ORDERS_DEFINITION_DAYS = Msg(
    "There is no order_id column, so each day with a purchase (positive revenue) counts as one order.",
    "没有 order_id 列，因此每个有购买（收入为正）的日期计为一笔订单。",
)
TAX_INCLUDED = Msg("Amounts include tax (per the tax_included column).", "金额含税（依据 tax_included 列）。")
TAX_EXCLUDED = Msg(
    "Amounts exclude tax (per the tax_included column).", "金额不含税（依据 tax_included 列）。"
)
TAX_MIXED = Msg(
    "The tax_included column says some amounts include tax and others do not; they are summed as given.",
    "tax_included 列显示部分金额含税、部分不含税；按原值相加。",
)
NO_TX_IN_PERIOD = Msg(
    "No transactions between {start} and {end}; the data covers {first} to {last}.",
    "{start} 至 {end} 之间没有交易；数据覆盖 {first} 至 {last}。",
)
UNKNOWN_CUSTOMER = Msg(
    "No customer matches '{query}'. Closest: {matches}.", "没有与“{query}”匹配的客户。最接近的：{matches}。"
)
UNKNOWN_CUSTOMER_NO_CLOSE = Msg(
    "No customer matches '{query}' (searched customer ids and names).",
    "没有与“{query}”匹配的客户（已搜索客户编号和名称）。",
)
AMBIGUOUS_CUSTOMER = Msg(
    "'{query}' matches {count} customers (e.g. {matches}); please give an id or a fuller name.",
    "“{query}”匹配到{count}个客户（例如 {matches}）；请提供客户编号或更完整的名称。",
)
CUSTOMER_NO_TX = Msg(
    "{customers} has no transactions between {start} and {end}.",
    "{customers} 在 {start} 至 {end} 之间没有交易。",
)
UNKNOWN_DIMENSION = Msg(
    "There is no '{dimension}' column to group by. Loaded: transactions ({tx_columns}); customers ({customer_columns}).",
    "没有可用于分组的“{dimension}”列。已载入：交易表（{tx_columns}）；客户表（{customer_columns}）。",
)
NOT_LOADED = Msg("not loaded", "未载入")
UNKNOWN_CURRENCY = Msg(
    "No transactions in currency '{currency}'. Currencies in the data: {currencies}.",
    "没有币种为“{currency}”的交易。数据中的币种：{currencies}。",
)
NO_COST = Msg(
    "The transactions have no cost column, so profit cannot be computed; this ranks by revenue instead. "
    "Upload a file with a cost (COGS) column for profit.",
    "交易数据中没有成本列，无法计算利润；以下改为按收入排名。上传包含成本（销货成本）列的数据即可计算利润。",
)
COST_MISSING_ROWS = Msg(
    "{count} of {rows} transaction rows have no cost; they count as zero cost, which overstates profit.",
    "{rows} 行交易中有 {count} 行没有成本，按零成本计算，会高估利润。",
)
CURRENCY_SPLIT = Msg(
    "Amounts are in {count} currencies ({currencies}); every figure is computed per currency and never summed "
    "across currencies.",
    "金额涉及 {count} 种币种（{currencies}）；所有数字按币种分别计算，不跨币种相加。",
)
CURRENCY_SELECTED = Msg(
    "Amounts are in {count} currencies ({currencies}); this analysis uses {currency} only ({rows} of {total} "
    "rows, the most common). Ask with currency set to another code for the others.",
    "金额涉及 {count} 种币种（{currencies}）；本分析只使用 {currency}（共 {total} 行中的 {rows} 行，最常见的币种）。"
    "如需其他币种，请指定 currency 参数。",
)
NO_PURCHASES = Msg(
    "{count} customers have no purchase with positive revenue (only refunds) and are left out.",
    "{count} 个客户没有收入为正的购买（只有退款），未纳入分析。",
)
CUSTOMER = Msg("customer", "客户")
FINDING_LOSS_MAKING = Msg(
    "{count} customers are loss-making; together they lose {amount}.",
    "{count}个客户亏损，合计亏损{amount}。",
)
