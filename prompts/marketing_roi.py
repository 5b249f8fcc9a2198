"""Words of the marketing_roi tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Marketing return per acquisition channel or period: spend, leads, new customers, conversion "
    "rate, CAC, first-year revenue and gross profit of the customers acquired, ROI, LTV:CAC and CAC "
    "payback in months.",
    "按获客渠道或期间的营销回报：投入、线索、新客户、转化率、获客成本（CAC）、所获客户的首年收"
    "入和毛利、投资回报率（ROI）、LTV:CAC 及 CAC 回收期（月）。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "unprofitable_channel": Term(
        Msg("marketing channels with a negative return", "回报为负的营销渠道"),
        (
            "marketing",
            "campaign",
            "roi",
            "acquisition",
            "营销",
            "获客",
            "广告",
        ),
    ),
    "high_ltv_cac_channel": Term(
        Msg("channels whose customers are worth far more than they cost", "客户价值远高于获客成本的渠道"),
        (
            "ltv:cac",
            "ltv to cac",
            "best channel",
            "winning channel",
            "scale up",
            "最好的渠道",
            "加大投入",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "marketing": 3,
    "campaign": 3,
    "roi": 3,
    "cac": 4,
    "acquisition cost": 4,
    "cost per lead": 4,
    "cheapest customer": 3,
    "ad spend": 4,
    "advertising": 3,
    "payback": 3,
    "营销": 3,
    "市场活动": 3,
    "广告": 3,
    "获客成本": 4,
    "投资回报": 3,
    "投入产出": 3,
    "回收期": 3,
    "ltv to cac": 6,
    "ltv cac": 6,
    "conversion rate": 4,
    "lead": 2,
    "acquisition channel": 2,
    "pay back": 3,
    "paying off": 2.5,
    "marketing spend": 5,
    "转化率": 4,
    "线索": 3,
    "获客": 3,
    "收回获客成本": 5,
    "营销投入": 5,
    "营销费用": 5,
    "市场费用": 4,
}

# All phrases must appear (anywhere) for the extra weight to count: (tool, phrases, weight).
COMBOS: list[tuple[str, tuple[str, ...], float]] = [
    ("marketing_roi", ("ltv", "cac"), 4),
    ("marketing_roi", ("lifetime value", "cac"), 4),
    ("marketing_roi", ("终身价值", "获客成本"), 4),
]

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Marketing ROI", "营销投资回报"),
    {
        "en": ["Which channel brings the cheapest customers?", "LTV to CAC by channel"],
        "zh": ["哪个渠道获客成本最低", "各渠道的营销投资回报率"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "spend": Msg("Spend", "投入"),
    "leads": Msg("Leads", "线索"),
    "conversion_rate": Msg("Conversion rate", "转化率"),
    "cac": Msg("Customer acquisition cost (CAC)", "获客成本（CAC）"),
    "acquired_customers": Msg("Customers acquired", "获得客户数"),
    "first_year_revenue": Msg("First-year revenue", "首年收入"),
    "first_year_gross_profit": Msg("First-year gross profit", "首年毛利"),
    "roi": Msg("ROI", "投资回报率"),
    "ltv": Msg("Lifetime value (LTV)", "客户终身价值（LTV）"),
    "ltv_cac": Msg("LTV:CAC", "LTV:CAC（终身价值/获客成本）"),
    "payback_months": Msg("CAC payback (months)", "获客成本回收期（月）"),
}


# --- answer texts ---------------------------------------------------------------------------------

PURPOSE = Msg("compute marketing ROI and acquisition cost", "计算营销投资回报和获客成本")
SUMMARY = Msg(
    "Marketing {start} to {end}: spend {spend}, {leads} leads, {new} new customers; conversion {conversion}, "
    "CAC {cac}. First-year {basis} of the customers acquired: {value}; ROI {roi}; LTV:CAC {ltv_cac}; "
    "CAC payback {payback} months.",
    "营销期间 {start} 至 {end}：投入 {spend}，线索 {leads} 个，新客户 {new} 个；转化率 {conversion}，"
    "获客成本（CAC）{cac}。所获客户的首年{basis}：{value}；投资回报率（ROI）{roi}；LTV:CAC {ltv_cac}；"
    "CAC 回收期 {payback} 个月。",
)
CHEAPEST = Msg(
    "Cheapest customers: {cheapest} (CAC {cac_low}); dearest: {dearest} (CAC {cac_high}).",
    "获客成本最低：{cheapest}（CAC {cac_low}）；最高：{dearest}（CAC {cac_high}）。",
)
BY_GROUP = Msg("ROI by {dimension}: {items}.", "按{dimension}的ROI：{items}。")
BASIS = {"gross_profit": Msg("gross profit", "毛利"), "revenue": Msg("revenue", "收入")}
FORMULA = Msg(
    "Per {dimension}: conversion rate = new_customers / leads; CAC = spend / new_customers; first-year "
    "revenue and gross profit = the acquired customers' transactions in the 365 days from their signup_date "
    "(customers joined through acquisition_channel and signup_date inside the marketing period); ROI = "
    "(first-year {basis} - spend) / spend; LTV = average historical CLV of the channel's customers "
    "(customer_lifetime_value, AOV × purchases per year × margin × lifetime); LTV:CAC = LTV / CAC; CAC payback "
    "(months) = CAC / monthly gross profit per acquired customer, where monthly gross profit = first-year "
    "gross profit / customer-months observed (up to 12 per customer). Findings: unprofitable_channel when "
    "ROI < 0; high_ltv_cac_channel when LTV:CAC > {ratio} (the common 3:1 rule of thumb, a heuristic, not a "
    "law).",
    "按{dimension}：转化率 = 新客户数 / 线索数；CAC = 投入 / 新客户数；首年收入和毛利 = 所获客户自注册日起 365 天内的"
    "交易（通过客户表的 acquisition_channel 和营销期间内的 signup_date 关联）；ROI = (首年{basis} - 投入) / 投入；"
    "LTV = 该渠道客户的平均历史终身价值（customer_lifetime_value：平均订单金额 × 年购买次数 × 毛利率 × 生命周期）；"
    "LTV:CAC = LTV / CAC；CAC 回收期（月）= CAC / 每个新客户的月毛利，月毛利 = 首年毛利 / 观察到的客户月数"
    "（每个客户最多 12 个月）。结论规则：ROI < 0 为 unprofitable_channel；LTV:CAC > {ratio} 为 "
    "high_ltv_cac_channel（常见的 3:1 经验法则，仅为参考而非定律）。",
)
PERIOD_NOTE = Msg(
    "Marketing period {start} to {end}; {rows} marketing rows used.",
    "营销期间 {start} 至 {end}；使用 {rows} 行营销数据。",
)
NEW_FROM_CUSTOMERS = Msg(
    "The marketing table has no new_customers column: new customers are counted from the customers table "
    "(acquisition_channel, signup_date in the period).",
    "营销表没有 new_customers 列：新客户数按客户表统计（acquisition_channel，且注册日期在期间内）。",
)
REVENUE_FROM_MARKETING = Msg(
    "No transactions/customers to join, so first-year revenue is the marketing table's revenue column "
    "(ROI on revenue, not profit).",
    "没有可关联的交易/客户数据，首年收入取自营销表的 revenue 列（ROI 按收入而非利润计算）。",
)
REVENUE_BASIS = Msg(
    "The transactions have no cost column, so ROI is on first-year revenue, which overstates the return.",
    "交易数据没有成本列，ROI 按首年收入计算，会高估回报。",
)
PARTIAL_YEAR = Msg(
    "{count} of {total} acquired customers signed up less than 365 days before {as_of}: their first year is "
    "only partly observed, so first-year figures and ROI understate them (payback uses months observed).",
    "{total} 个新客户中有 {count} 个在 {as_of} 前不足 365 天注册：其首年只观察到一部分，首年数据和 ROI 会偏低"
    "（回收期按实际观察月数计算）。",
)
NO_LTV = Msg(
    "LTV is not available (it needs transactions and customers with acquisition_channel).",
    "无法计算 LTV（需要交易数据以及含 acquisition_channel 的客户表）。",
)
NO_ROWS = Msg("No marketing rows between {start} and {end}.", "{start} 至 {end} 之间没有营销数据。")
UNKNOWN_CHANNEL = Msg(
    "No marketing rows for channel '{channel}'. Channels: {channels}.",
    "没有渠道“{channel}”的营销数据。渠道：{channels}。",
)
CHART = Msg(
    "CAC and first-year gross profit per customer by {dimension}", "按{dimension}的获客成本与每客户首年毛利"
)
FINDING_UNPROFITABLE = Msg(
    "{channels}: first-year {basis} does not cover the spend (ROI below 0); {loss} lost.",
    "{channels}：首年{basis}不足以覆盖投入（ROI 低于 0）；亏损 {loss}。",
)
FINDING_HIGH_LTV_CAC = Msg(
    "{channels}: LTV:CAC above {ratio} (3:1 rule of thumb, a heuristic): room to spend more on them.",
    "{channels}：LTV:CAC 高于 {ratio}（3:1 经验法则，仅供参考）：可考虑加大投入。",
)
