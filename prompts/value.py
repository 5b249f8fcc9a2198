"""Answer templates of the customer value tools (tools/value.py), English and Chinese, as data.

Each template is a ``Msg`` of ``str.format`` strings; the tools fill them with numbers already formatted
by ``tools.formatting`` (money, pct, number), so both languages state the same figures.
"""

from core.text import Msg

# --- names -----------------------------------------------------------------------------------------

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

RFM_SEGMENTS = {
    "Champions": Msg("Champions", "冠军客户"),
    "Loyal": Msg("Loyal", "忠诚客户"),
    "Potential loyalists": Msg("Potential loyalists", "潜在忠诚客户"),
    "New": Msg("New", "新客户"),
    "Promising": Msg("Promising", "有潜力客户"),
    "Need attention": Msg("Need attention", "需要关注"),
    "About to sleep": Msg("About to sleep", "即将沉睡"),
    "At risk": Msg("At risk", "流失风险"),
    "Can't lose them": Msg("Can't lose them", "不能失去"),
    "Hibernating": Msg("Hibernating", "沉睡客户"),
    "Lost": Msg("Lost", "已流失"),
}

# --- shared pieces ---------------------------------------------------------------------------------

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

# --- errors and warnings ---------------------------------------------------------------------------

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
CLV_DIMENSION = Msg(
    "Lifetime value is per customer, so it can be grouped by a customer attribute (segment, industry, region, "
    "acquisition_channel, or the product/channel a customer mainly buys), not by {dimension}.",
    "终身价值按客户计算，只能按客户属性分组（细分、行业、区域、获客渠道，或客户主要购买的产品/渠道），不能按{dimension}分组。",
)
UNKNOWN_CURRENCY = Msg(
    "No transactions in currency '{currency}'. Currencies in the data: {currencies}.",
    "没有币种为“{currency}”的交易。数据中的币种：{currencies}。",
)
NO_COST = Msg(
    "The transactions have no cost column, so profit cannot be computed; this ranks by revenue instead. "
    "Upload a file with a cost (COGS) column for profit.",
    "交易数据中没有成本列，无法计算利润；以下改为按收入排名。上传包含成本（销货成本）列的数据即可计算利润。",
)
NO_SERVICE_COST = Msg(
    "There is no service_cost column, so {metric} is not available; ranked by gross profit instead.",
    "没有 service_cost（服务成本）列，无法计算{metric}；改为按毛利排名。",
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
FEW_CUSTOMERS = Msg(
    "Only {count} customers: quintile scores need many customers to be meaningful.",
    "只有 {count} 个客户：分位评分需要较多客户才有意义。",
)
NONPOSITIVE_TOTAL = Msg(
    "Total {metric} is {total} (not positive), so shares of the total are undefined.",
    "{metric}总额为 {total}（不为正），无法计算占总额的比例。",
)

# --- dataset_overview ------------------------------------------------------------------------------

OVERVIEW_FORMULA = Msg(
    "rows = rows kept after ingestion; period = earliest to latest date of each table's date column; "
    "customers = distinct customer_id.",
    "行数 = 导入后保留的行数；期间 = 各表日期列的最早至最晚日期；客户数 = 不同 customer_id 的个数。",
)
OVERVIEW_EMPTY = Msg(
    "No data is loaded yet. Upload CSV or Excel files (several at once is fine), for example: {kinds}.",
    "尚未载入任何数据。可以上传 CSV 或 Excel 文件（可一次上传多个），例如：{kinds}。",
)
OVERVIEW_KIND_NEEDS = Msg("{kind} with {columns}", "{kind}（需含 {columns}）")
OVERVIEW_HEAD = Msg("{count} tables loaded: {tables}.", "已载入 {count} 张表：{tables}。")
OVERVIEW_TABLE = Msg(
    "{kind} ({rows} rows from {files}{period}{customers})",
    "{kind}（{rows} 行，来自 {files}{period}{customers}）",
)
OVERVIEW_PERIOD = Msg(", {start} to {end}", "，{start} 至 {end}")
OVERVIEW_CUSTOMERS = Msg(", {customers} customers", "，{customers} 个客户")
OVERVIEW_NOTES = Msg("Data-quality notes: {count} (see warnings).", "数据质量提示：{count} 条（见“注意”）。")
OVERVIEW_NO_NOTES = Msg("No data-quality issues found.", "未发现数据质量问题。")
NOTE_DROPPED = Msg("{file}: {count} rows dropped ({reason}).", "{file}：删除了 {count} 行（{reason}）。")
NOTE_FILE = Msg("{file}: {warning}", "{file}：{warning}")
NOTE_MISSING_CUSTOMERS = Msg(
    "{count} customer ids in the transactions are not in the customers table (e.g. {examples}); their name and "
    "segment are unknown.",
    "交易中有 {count} 个客户编号不在客户表中（例如 {examples}）；其名称和细分未知。",
)
NOTE_NO_TX_CUSTOMERS = Msg(
    "{count} customers in the customers table have no transactions.",
    "客户表中有 {count} 个客户没有交易记录。",
)
NOTE_REFUNDS = Msg(
    "{count} transaction rows have negative revenue (refunds or credit notes); they are kept and netted.",
    "有 {count} 行交易收入为负（退款或贷项），已保留并冲减。",
)
NOTE_NO_COST = Msg(
    "The transactions have no cost column: profit cannot be computed, revenue-based answers are available.",
    "交易数据没有成本列：无法计算利润，可提供基于收入的分析。",
)

# --- customer_profitability ------------------------------------------------------------------------

PROFITABILITY_FORMULA = Msg(
    "per customer: revenue = Σ revenue; cost = Σ cost (COGS); gross_profit = revenue − cost; cost_to_serve = "
    "Σ service_cost; net_profit = gross_profit − cost_to_serve; profit = net_profit where service costs exist, "
    "else gross_profit; margin = profit / revenue; share_of_profit = profit / Σ profit.",
    "按客户：收入 = Σ收入；成本 = Σ成本（销货成本）；毛利 = 收入 − 成本；服务成本 = Σservice_cost；"
    "净利润 = 毛利 − 服务成本；利润 = 有服务成本时为净利润，否则为毛利；利润率 = 利润 / 收入；利润占比 = 利润 / Σ利润。",
)
PROFITABILITY_FORMULA_REVENUE = Msg(
    "per customer: revenue = Σ revenue; share_of_revenue = revenue / Σ revenue (no cost column, so no profit).",
    "按客户：收入 = Σ收入；收入占比 = 收入 / Σ收入（没有成本列，无法计算利润）。",
)
PROFIT_TOP = Msg(
    "Your {n} most profitable customers are {items}. Together they make {share} of total profit.",
    "利润最高的{n}个客户是{items}，合计占总利润的{share}。",
)
PROFIT_BOTTOM = Msg(
    "Your {n} least profitable customers are {items}. Together they make {share} of total profit.",
    "利润最低的{n}个客户是{items}，合计占总利润的{share}。",
)
RANK_TOP = Msg("Top {n} customers by {metric}: {items}.", "{metric}最高的{n}个客户：{items}。")
RANK_BOTTOM = Msg("Bottom {n} customers by {metric}: {items}.", "{metric}最低的{n}个客户：{items}。")
GROUP_TOP = Msg(
    "{metric} by {dimension}, highest first: {items}.", "按{dimension}的{metric}（从高到低）：{items}。"
)
GROUP_BOTTOM = Msg(
    "{metric} by {dimension}, lowest first: {items}.", "按{dimension}的{metric}（从低到高）：{items}。"
)
GROUP_PERIODS = Msg(
    "{metric} by {dimension}: highest {best}, lowest {worst} ({count} periods, in time order in the table).",
    "按{dimension}的{metric}：最高 {best}，最低 {worst}（共 {count} 个期间，表中按时间排列）。",
)
PROFIT_TOTALS = Msg(
    "In total: revenue {revenue}, cost {cost}, profit {profit} (margin {margin}) across {customers} customers; "
    "{loss_making} are loss-making.",
    "合计：收入{revenue}，成本{cost}，利润{profit}（利润率{margin}），共{customers}个客户，其中{loss_making}个亏损。",
)
REVENUE_TOTALS = Msg(
    "In total: revenue {revenue} across {customers} customers.", "合计：收入{revenue}，共{customers}个客户。"
)
CUSTOMER_PROFIT = Msg(
    "{customer}: revenue {revenue}, profit {profit} (margin {margin}), {share} of total profit; rank {rank} of "
    "{customers} customers by profit.",
    "{customer}：收入{revenue}，利润{profit}（利润率{margin}），占总利润的{share}；利润排名第{rank}（共{customers}个客户）。",
)
CUSTOMER_REVENUE = Msg(
    "{customer}: revenue {revenue}, {share} of total revenue; rank {rank} of {customers} customers by revenue.",
    "{customer}：收入{revenue}，占总收入的{share}；收入排名第{rank}（共{customers}个客户）。",
)
PROFITABILITY_CHART = Msg("{metric} by {dimension}", "按{dimension}的{metric}")
CUSTOMER = Msg("customer", "客户")
FINDING_LOSS_MAKING = Msg(
    "{count} customers are loss-making; together they lose {amount}.",
    "{count}个客户亏损，合计亏损{amount}。",
)
FINDING_HIGH_COST_TO_SERVE = Msg(
    "{count} customers have a cost to serve above {threshold} of their gross profit ({amount} cost to serve in "
    "total).",
    "{count}个客户的服务成本超过其毛利的{threshold}（服务成本合计{amount}）。",
)

# --- profit_concentration --------------------------------------------------------------------------

CONCENTRATION_FORMULA = Msg(
    "customers ranked by profit, highest first; cumulative_profit_share(k) = Σ profit of the top k / Σ profit "
    "(above 100% before the loss-makers pull it back: Kaplan's whale curve); cumulative_customer_share(k) = k / "
    "customers; top_20pct_profit_share = Σ profit of the top ⌈0.2 × customers⌉ / Σ profit.",
    "按利润从高到低排列客户；累计利润占比(k) = 前k个客户利润之和 / 总利润（亏损客户拉低之前可超过100%：Kaplan鲸鱼曲线）；"
    "累计客户占比(k) = k / 客户数；前20%客户利润占比 = 前⌈0.2 × 客户数⌉个客户的利润之和 / 总利润。",
)
CONCENTRATION_SUMMARY = Msg(
    "The top 20% of customers ({top_count} of {customers}) make {top_share} of total profit ({total}). "
    "{loss_count} customers are loss-making and destroy {loss_amount}; cumulative profit peaks at {peak} of the "
    "total after the top {peak_customers} of customers.",
    "前20%的客户（{customers}个中的{top_count}个）贡献了总利润（{total}）的{top_share}。"
    "{loss_count}个客户亏损，吞噬利润{loss_amount}；累计利润在前{peak_customers}的客户处达到峰值，为总利润的{peak}。",
)
CONCENTRATION_REVENUE = Msg(
    "Profit cannot be computed without cost, so this shows revenue concentration: the top 20% of customers "
    "({top_count} of {customers}) make {top_share} of revenue ({total}).",
    "没有成本无法计算利润，以下为收入集中度：前20%的客户（{customers}个中的{top_count}个）贡献了收入（{total}）的{top_share}。",
)
ABC_SUMMARY = Msg(
    "ABC classes: A {a} customers ({a_share} of profit), B {b} ({b_share}), C {c} ({c_share}).",
    "ABC分类：A类{a}个客户（占利润{a_share}），B类{b}个（{b_share}），C类{c}个（{c_share}）。",
)
ABC_RULE = Msg(
    "ABC: customers ranked by {metric}; A until the customers before them reach 80% of positive {metric}, B "
    "until 95%, C the rest (including every customer with zero or negative {metric}).",
    "ABC：按{metric}排序；此前客户累计未达正{metric}的80%者为A类，未达95%者为B类，其余（含{metric}为零或负的客户）为C类。",
)
LOSS_SIGN = Msg(
    "loss_making_profit is the profit destroyed by loss-making customers, as a positive amount (−Σ of their "
    "negative profit).",
    "loss_making_profit 为亏损客户吞噬的利润，以正数表示（= −亏损客户利润之和）。",
)
WHALE_CHART = Msg("Whale curve: cumulative share of {metric}", "鲸鱼曲线：{metric}累计占比")
WHALE_X = Msg("share of customers (ranked by {metric})", "客户累计占比（按{metric}排序）")
WHALE_Y = Msg("cumulative share of {metric}", "{metric}累计占比")
FINDING_CONCENTRATION = Msg(
    "The top 20% of customers ({count}) make {share} of {metric}, above the {threshold} threshold.",
    "前20%的客户（{count}个）贡献了{metric}的{share}，超过{threshold}的阈值。",
)

# --- rfm_segments ----------------------------------------------------------------------------------

RFM_FORMULA = Msg(
    "recency_days = as_of − last purchase date; frequency = orders; monetary = Σ revenue; r/f/m_score = "
    "quintile 1-5 of rank(method='first') (5 = best, recency reversed); segment from the rule table on "
    "r_score and fm = round-half-up((f_score + m_score) / 2).",
    "recency_days = 参考日期 − 最近购买日期；frequency = 订单数；monetary = Σ收入；R/F/M 评分 = 按排名（method='first'）"
    "分五等分的 1-5 分（5 = 最好，最近度反向）；分群依据规则表中的 R 分和 FM = (F分 + M分)/2 四舍五入。",
)
RFM_RULE = Msg(
    "Segments (R score rows 5..1, FM columns 1..5): {rules}.",
    "分群规则（R 分 5..1 行，FM 1..5 列）：{rules}。",
)
RFM_SUMMARY = Msg(
    "{customers} customers scored as of {as_of}. Largest segments: {items}. At risk and Can't lose them: "
    "{at_risk} customers with {at_risk_revenue} of revenue ({at_risk_share}).",
    "截至 {as_of} 共为 {customers} 个客户评分。最大的分群：{items}。“流失风险”和“不能失去”：{at_risk} 个客户，"
    "收入 {at_risk_revenue}（占 {at_risk_share}）。",
)
RFM_SEGMENT_ITEM = Msg("{segment} {count} ({share} of revenue)", "{segment} {count}个（收入占比{share}）")
RFM_SEGMENT_LIST = Msg(
    "{segment}: {count} customers with {revenue_share} of revenue. Highest revenue: {items}.",
    "{segment}：{count} 个客户，收入占比 {revenue_share}。收入最高：{items}。",
)
RFM_SEGMENT_EMPTY = Msg("No customers are in the segment {segment}.", "{segment}分群中没有客户。")
RFM_CHART = Msg("RFM segments: customers and revenue share", "RFM 分群：客户数与收入占比")
RFM_AXIS_CUSTOMERS = Msg("customers", "客户数")
FINDING_AT_RISK_RFM = Msg(
    "{count} valuable customers are At risk or Can't lose them (R score ≤ {threshold}, FM ≥ 3); they bought "
    "{amount} in the period.",
    "{count} 个有价值的客户处于“流失风险”或“不能失去”（R 分 ≤ {threshold}，FM ≥ 3）；期间内购买额 {amount}。",
)

# --- customer_lifetime_value -----------------------------------------------------------------------

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
MARGIN_GIVEN = Msg("Margin {margin} as given.", "毛利率 {margin}（按指定值）。")
MARGIN_OBSERVED = Msg(
    "Margin {margin} = observed gross margin (Σ gross profit / Σ revenue in the period), the same for every "
    "customer.",
    "毛利率 {margin} = 观察到的毛利率（期间内 Σ毛利 / Σ收入），所有客户相同。",
)
MARGIN_ASSUMED = Msg(
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
