"""Answer templates of the retention tools (tools/retention.py): churn_trend, cohort_retention and
customer_survival, English and Chinese, as data.

Each template is a ``Msg`` of ``str.format`` strings filled with numbers already formatted by
``tools.formatting`` (pct, number), so both languages state the same figures.
"""

from core.text import Msg

# --- shared pieces ---------------------------------------------------------------------------------

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

# --- churn events (shared by churn_trend and customer_survival) -----------------------------------

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

# --- churn_trend -----------------------------------------------------------------------------------

CHURN_FORMULA = Msg(
    "churn rate(period) = customers churned in the period / customers active at the start of the period. "
    "Active at the start = started before the period's first day and not churned before it; a customer "
    "who starts and churns within the same period is listed (churned_new) but not in the rate. "
    "churn_rate fact = simple mean of the period rates; a group's rate = Σ churned / Σ active at start "
    "over the periods; churn_peak: rate > {factor} x the median period rate (periods with at least "
    "{min_active} active customers).",
    "期间流失率 = 该期间流失的客户数 / 期初活跃客户数。期初活跃 = 在期间首日之前开始且此前未流失；同一期间内开始又流失的客户"
    "单独列出（churned_new），不计入流失率。churn_rate 指标 = 各期间流失率的简单平均；分组流失率 = 各期间流失数之和 / 期初活跃数之和；"
    "流失高峰（churn_peak）：流失率超过各期间中位数的 {factor} 倍（且期初活跃客户不少于 {min_active} 个）。",
)
CHURN_HEAD = Msg(
    "Average {freq}ly churn rate: {rate} over {periods} {freq}s ({first} to {last}); {churned} customers "
    "churned in that time.",
    "平均每{freq}流失率：{rate}（共 {periods} 个{freq}，{first} 至 {last}）；期间共有 {churned} 个客户流失。",
)
CHURN_PEAK = Msg(
    "Highest churn: {items}.",
    "流失最多的期间：{items}。",
)
CHURN_GROUPS = Msg(
    "Highest churn by {dimension}: {items}.",
    "按{dimension}看流失率最高的：{items}。",
)
CHURN_NO_PERIODS = Msg(
    "No complete period to measure churn in between {first} and {last}.",
    "在 {first} 至 {last} 之间没有可计算流失率的完整期间。",
)
CHURN_NO_ACTIVE = Msg(
    "No customer was active at the start of any period from {first} to {last}, so no churn rate can be computed.",
    "{first} 至 {last} 的各期间期初都没有活跃客户，无法计算流失率。",
)
CHURN_WINDOW = Msg(
    "Periods: {first} to {last} ({freq}ly), from the first transaction (or first churn event) unless start "
    "is given; the last period runs to the reference date.",
    "期间：{first} 至 {last}（按{freq}），默认从第一笔交易（或第一个流失事件）开始；最后一个期间截至参考日期。",
)
CHURN_CENSORED_TAIL = Msg(
    "With the inactivity rule, churn in the last {days} days before the reference date cannot be seen yet, "
    "so periods after {cutoff} are not shown.",
    "按不活跃规则，参考日期前 {days} 天内的流失尚无法判断，因此不显示 {cutoff} 之后的期间。",
)
PARTIAL_PERIOD = Msg(
    "The last period ({period}) is incomplete (it runs to {as_of}).",
    "最后一个期间（{period}）不完整（截至 {as_of}）。",
)
FINDING_CHURN_PEAK = Msg(
    "Churn peaked in {periods}: up to {rate}, more than {factor} x the median {freq}ly rate of {median}.",
    "流失高峰出现在 {periods}：最高 {rate}，超过每{freq}流失率中位数 {median} 的 {factor} 倍。",
)
CHURN_CHART = Msg("Churn rate by {freq}", "按{freq}的流失率")
OVERALL = Msg("All customers", "全部客户")

# --- cohort_retention ------------------------------------------------------------------------------

NEEDS_TRANSACTIONS = Msg(
    "Cohort retention needs a transactions table (customer_id, date, revenue), and none is loaded; a "
    "customers table with signup_date is optional (it defines the acquisition date).",
    "同期群留存需要交易表（customer_id、date、revenue），但尚未上传；客户表中的 signup_date（注册日期）可选，用于确定获客日期。",
)

COHORT_FORMULA = Msg(
    "Cohort = {freq} of acquisition (signup_date, else first purchase). Customer retention(c, p) = customers "
    "of cohort c with a purchase (revenue > 0) in period p after acquisition / customers in cohort c. "
    "Revenue retention(c, p) = cohort revenue in period p / cohort revenue in period 0. Average retention at "
    "p = Σ active / Σ cohort customers over the cohorts that have reached p (customer-weighted). "
    "low_retention_cohort: period-{p} retention more than {gap} below that average (cohorts of at least "
    "{min_size} customers).",
    "同期群 = 获客{freq}（注册日期，没有时取首次购买）。客户留存率(c, p) = 同期群 c 中在获客后第 p 期有购买（收入 > 0）的"
    "客户数 / 同期群客户数。收入留存率(c, p) = 同期群第 p 期收入 / 第 0 期收入。第 p 期平均留存率 = 已到达第 p 期的各同期群"
    "活跃客户之和 / 客户数之和（按客户加权）。低留存同期群（low_retention_cohort）：第 {p} 期留存率比平均值低 {gap} 以上"
    "（同期群至少 {min_size} 个客户）。",
)
COHORT_HEAD = Msg(
    "{cohorts} {freq}ly cohorts ({first} to {last}, {customers} customers). Average customer retention: "
    "{retention}.",
    "共 {cohorts} 个按{freq}划分的同期群（{first} 至 {last}，{customers} 个客户）。平均客户留存率：{retention}。",
)
COHORT_REVENUE = Msg("Average revenue retention: {retention}.", "平均收入留存率：{retention}。")
COHORT_PERIOD = Msg("{freq} {p}", "第 {p} {freq}")
COHORT_LOW = Msg(
    "Weakest cohorts at {freq} {p}: {items}.",
    "第 {p} {freq}留存最弱的同期群：{items}。",
)
COHORT_EXCLUDED = Msg(
    "{count} customers acquired before the transactions start ({first}) are left out: their early periods "
    "were not observed.",
    "{count} 个在交易数据开始（{first}）之前获客的客户未纳入：他们早期的购买没有被记录。",
)
COHORT_COMPLETE = Msg(
    "Only complete {freq}s up to {last} are shown.",
    "只显示截至 {last} 的完整{freq}。",
)
COHORT_BEFORE_ACQUISITION = Msg(
    "{count} purchase periods fall before the customer's signup date; they are ignored.",
    "有 {count} 个购买期间早于客户的注册日期，已忽略。",
)
COHORT_NONE = Msg(
    "No cohort with a complete acquisition period between {first} and {last}.",
    "{first} 至 {last} 之间没有获客期间完整的同期群。",
)
FINDING_LOW_RETENTION = Msg(
    "{count} cohorts kept far fewer customers by {freq} {p} than average ({average}): {items}.",
    "{count} 个同期群到第 {p} {freq}的留存明显低于平均（{average}）：{items}。",
)
COHORT_CHART = Msg("Customer retention by {freq}ly cohort", "按{freq}同期群的客户留存率")
COHORT_REVENUE_CHART = Msg("Revenue retention by {freq}ly cohort", "按{freq}同期群的收入留存率")
COHORT_AXIS_PERIOD = Msg("{freq}s since acquisition", "获客后的{freq}数")
COHORT_AXIS_COHORT = Msg("cohort", "同期群")

# --- customer_survival -----------------------------------------------------------------------------

SURVIVAL_FORMULA = Msg(
    "Kaplan-Meier estimate (lifelines): S(t) = Π over churn times t_i <= t of (1 - d_i / n_i), with d_i "
    "customers churning at t_i and n_i still at risk. Duration = start (signup, else first purchase) to "
    "churn (event) or to the reference date (censored, still a customer). Median lifetime = first t with "
    "S(t) <= 0.5 ('not reached' when the curve stays above 0.5). Log-rank test (chi-square, groups - 1 "
    "degrees of freedom) compares the groups' curves.",
    "Kaplan-Meier 估计（lifelines）：S(t) = ∏(t_i ≤ t) (1 − d_i / n_i)，d_i 为在 t_i 流失的客户数，n_i 为当时仍在风险中的"
    "客户数。时长 = 起始（注册日期，没有时取首次购买）到流失（事件）或到参考日期（删失，仍为客户）。中位生命周期 = 首个使 "
    "S(t) ≤ 0.5 的 t（曲线始终高于 0.5 时为“未达到”）。对数秩检验（卡方，自由度 = 组数 − 1）比较各组曲线。",
)
SURVIVAL_HEAD = Msg(
    "{customers} customers, {churned} churned. Median customer lifetime: {median}; still customers after "
    "1 year: {s1}, 2 years: {s2}, 3 years: {s3}.",
    "{customers} 个客户，其中 {churned} 个已流失。客户中位生命周期：{median}；1 年后仍留存：{s1}，2 年：{s2}，3 年：{s3}。",
)
SURVIVAL_GROUPS = Msg(
    "By {dimension}: {items}.",
    "按{dimension}：{items}。",
)
SURVIVAL_GROUP_ITEM = Msg(
    "{label}: median {median}, 1-year {s1}",
    "{label}：中位 {median}，1 年留存 {s1}",
)
SURVIVAL_LOGRANK = Msg(
    "Log-rank test across {dimension}s: p = {p} ({verdict}).",
    "各{dimension}之间的对数秩检验：p = {p}（{verdict}）。",
)
SURVIVAL_DIFFERENT = Msg("the curves differ significantly at 5%", "在 5% 水平上差异显著")
SURVIVAL_SIMILAR = Msg("no significant difference at 5%", "在 5% 水平上差异不显著")
DAYS = Msg("{days} days ({years} years)", "{days} 天（{years} 年）")
SURVIVAL_ENTRY = Msg(
    "{count} customers started before the transactions begin ({first}) and no customer in the data churned "
    "before then, so the data only holds customers who survived to {first}: they enter the risk set on "
    "that date (delayed entry / left truncation), which avoids overstating lifetimes.",
    "有 {count} 个客户在交易数据开始（{first}）之前就已开始，且数据中没有在此之前流失的客户，说明数据只包含存续到 {first} 的客户："
    "这些客户从该日起才进入风险集（延迟进入/左截断），以免高估生命周期。",
)
SURVIVAL_FILTER = Msg(
    "Customers who started between {start} and {end}.",
    "起始日期在 {start} 至 {end} 之间的客户。",
)
SURVIVAL_NO_CUSTOMERS = Msg(
    "No customer started between {start} and {end}.",
    "{start} 至 {end} 之间没有开始的客户。",
)
SURVIVAL_FEW_EVENTS = Msg(
    "Only {count} churn events: the curves and the test are rough.",
    "只有 {count} 个流失事件：曲线和检验结果仅供粗略参考。",
)
SURVIVAL_CHART = Msg("Share of customers still active (Kaplan-Meier)", "仍在的客户比例（Kaplan-Meier）")
SURVIVAL_AXIS_X = Msg("days since start", "开始后的天数")
SURVIVAL_AXIS_Y = Msg("share still a customer", "仍为客户的比例")
OPEN_START = Msg("the beginning", "最早")
OPEN_END = Msg("the reference date", "参考日期")
