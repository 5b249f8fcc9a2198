"""Words of the receivables_aging tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Receivables ageing at a date: open invoice amounts by days past due (current, 1-30, 31-60, "
    "61-90, 90+) overall and per customer, overdue amount and share, DSO (simple 90-day or "
    "countback), average days late, share paid late and written-off rate.",
    "某一基准日的应收账龄：按逾期天数（未到期、1-30、31-60、61-90、90天以上）划分"
    "的未收发票金额（总体及各客户）、逾期金额和占比、DSO（90天简单法或倒推法）、平均逾期天数"
    "、逾期付款比例和核销率。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "overdue_receivables": Term(
        Msg("overdue receivables (late payers)", "逾期应收账款（拖欠客户）"),
        (
            "late payer",
            "late payment",
            "pay late",
            "paying late",
            "paid late",
            "overdue",
            "receivable",
            "unpaid",
            "collections",
            "dso",
            "逾期",
            "拖欠",
            "欠款",
            "应收",
            "回款",
            "账龄",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "overdue": 4,
    "receivable": 4,
    "aging": 4,
    "ageing": 4,
    "dso": 4,
    "days sales outstanding": 4,
    "pay late": 4,
    "paid late": 4,
    "late payer": 4,
    "unpaid": 3,
    "outstanding invoice": 4,
    "应收": 4,
    "账龄": 4,
    "逾期": 4,
    "回款": 3,
    "拖欠": 4,
    "欠款": 4,
    "付款慢": 4,
    "晚付款": 4,
    "past due": 4,
    "days late": 4,
    "owe us": 3,
    "written off": 4,
    "write off": 4,
    "write-off": 4,
    "bad debt": 4,
    "核销": 4,
    "坏账": 4,
    "周转天数": 4,
    "晚付": 3,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Receivables ageing and DSO", "应收账龄和DSO"),
    {
        "en": ["Who pays late and how much is overdue?", "DSO using the countback method"],
        "zh": ["我们的DSO是多少？", "应收账款账龄"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "bucket": Msg("Ageing bucket", "账龄区间"),
    "amount": Msg("Amount", "金额"),
    "current": Msg("Current", "未到期"),
    "days_1_30": Msg("1-30 days", "1-30天"),
    "days_31_60": Msg("31-60 days", "31-60天"),
    "days_61_90": Msg("61-90 days", "61-90天"),
    "days_90_plus": Msg("Over 90 days", "90天以上"),
    "open_invoices": Msg("Open invoices", "未结发票"),
    "overdue_invoices": Msg("Overdue invoices", "逾期发票"),
    "dso": Msg("DSO (days)", "DSO（天）"),
    "written_off_amount": Msg("Written off", "核销金额"),
}


# --- answer texts ---------------------------------------------------------------------------------

BUCKET_LABELS = {
    "current": Msg("Current (not yet due)", "未到期"),
    "days_1_30": Msg("1-30 days past due", "逾期1-30天"),
    "days_31_60": Msg("31-60 days past due", "逾期31-60天"),
    "days_61_90": Msg("61-90 days past due", "逾期61-90天"),
    "days_90_plus": Msg("90+ days past due", "逾期90天以上"),
}
AGING_FORMULA = Msg(
    "Open amount per invoice at as_of = amount - paid_amount (payments dated after as_of not yet made; "
    "written-off invoices excluded and reported separately); days past due = as_of - due_date; buckets: "
    "current (<= 0), 1-30, 31-60, 61-90, 90+; overdue = open and past due; overdue share = overdue / open. "
    "DSO = open receivables / credit sales of the 90 days up to as_of x 90. Average days late = mean of "
    "max(paid_date - due_date, 0) over invoices paid by as_of; late share = share of those paid after the "
    "due date; written-off rate = written-off amount / invoiced amount.",
    "基准日的每张发票未收金额 = 金额 - 已付金额（基准日之后的付款视为尚未收到；已核销发票不计入未收，单独列示）；"
    "逾期天数 = 基准日 - 到期日；账龄区间：未到期（<= 0）、1-30、31-60、61-90、90天以上；逾期金额 = 未收且已过到期日；"
    "逾期占比 = 逾期金额 / 未收金额。DSO = 基准日未收应收账款 / 基准日前90天的赊销额 × 90。"
    "平均逾期天数 = 基准日前已付发票的 max(付款日 - 到期日, 0) 的平均值；逾期付款比例 = 其中晚于到期日付款的比例；"
    "核销率 = 核销金额 / 开票金额。",
)
AGING_FORMULA_COUNTBACK = Msg(
    AGING_FORMULA.en.replace(
        "DSO = open receivables / credit sales of the 90 days up to as_of x 90.",
        "DSO (countback) = walk back month by month from as_of, subtracting each month's credit sales from "
        "the open balance: every month fully covered adds its days, the last month adds days x remaining "
        "balance / that month's sales.",
    ),
    AGING_FORMULA.zh.replace(
        "DSO = 基准日未收应收账款 / 基准日前90天的赊销额 × 90。",
        "DSO（倒推法）= 从基准日起逐月往前，用每月赊销额冲减未收余额：完全冲减的月份计入全部天数，"
        "最后一个月计入 天数 × 剩余余额 / 当月赊销额。",
    ),
)
AGING_ASSUMPTIONS = Msg(
    "Reference date: the latest invoice or payment date unless given (never a due date); invoices dated "
    "later are ignored. Credit notes (negative amounts) reduce the open balance in their bucket. Buckets "
    "follow the standard ageing schedule (IFRS 9: more than 30 days past due presumes a significant "
    "increase in credit risk, 90 days presumes default).",
    "基准日：未指定时为数据中最晚的开票或付款日期（不用到期日）；之后开具的发票不计入。贷项通知（负金额）在其账龄区间"
    "冲减未收余额。账龄区间采用标准账龄表（IFRS 9：逾期超过30天推定信用风险显著增加，逾期90天推定违约）。",
)
WRITE_OFF_ASSUMPTION = Msg(
    "Written-off invoices carry no write-off date, so they are excluded from the open balance at any "
    "reference date.",
    "核销发票没有核销日期，因此在任何基准日都不计入未收余额。",
)
AGING_HEAD = Msg(
    "As of {as_of}, open receivables are {open} on {invoices} invoices; {overdue} ({overdue_share}) is "
    "past due, owed by {customers} customers, of which {over90} more than 90 days.",
    "截至 {as_of}，未收应收账款 {open}（{invoices} 张发票）；其中逾期 {overdue}（占 {overdue_share}），"
    "涉及 {customers} 个客户，逾期90天以上 {over90}。",
)
DSO_LINE = Msg(
    "DSO: {dso} days (open receivables / credit sales of the last 90 days x 90).",
    "DSO（应收账款周转天数）：{dso} 天（未收应收账款 / 近90天赊销额 × 90）。",
)
DSO_LINE_COUNTBACK = Msg(
    "DSO (countback): {dso} days (months of credit sales, newest first, needed to cover the open balance).",
    "DSO（倒推法）：{dso} 天（从最近月份往前，覆盖未收余额所需的赊销天数）。",
)
COUNTBACK_INCOMPLETE = Msg(
    "For some balances the countback ran through {months} months of sales without covering them; their "
    "DSO is a lower bound.",
    "部分余额倒推了 {months} 个月的销售仍未覆盖，其 DSO 为下限值。",
)
DSO_NO_SALES = Msg(
    "There were no credit sales in the 90 days before the reference date, so DSO is not defined.",
    "基准日前90天没有赊销，DSO 无法计算。",
)
LATE_LINE = Msg(
    "Paid invoices were on average {days} days late (early payment counts as 0); {share} were paid after "
    "the due date.",
    "已付发票平均逾期 {days} 天（提前付款按0计）；{share} 的发票晚于到期日付款。",
)
WRITE_OFF_LINE = Msg(
    "Written off: {amount} ({rate} of invoiced amounts).", "已核销：{amount}（占开票金额的 {rate}）。"
)
TOP_OVERDUE_ITEM = Msg("{customer} {amount}", "{customer} {amount}")
TOP_OVERDUE = Msg("Largest overdue balances: {items}.", "逾期金额最大的客户：{items}。")
FINDING_OVERDUE = Msg(
    "{count} customers have past-due receivables totalling {amount}.",
    "{count} 个客户有逾期应收账款，合计 {amount}。",
)
TABLE_BUCKETS = Msg("Open receivables by days past due", "按逾期天数划分的未收应收账款")
TABLE_CUSTOMERS = Msg("Ageing per customer (largest overdue first)", "各客户账龄（按逾期金额从大到小）")
CHART_BUCKETS = Msg("Open receivables by ageing bucket", "各账龄区间的未收应收账款")
CHART_STACKED = Msg("Ageing of the largest overdue customers", "逾期金额最大客户的账龄构成")
