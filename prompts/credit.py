"""Answer templates of the receivables and credit tools (tools/credit.py), English and Chinese, as data.

Each template is a ``Msg`` of ``str.format`` strings; the tools fill them with numbers already formatted
by ``tools.formatting`` (money, pct, number), so both languages state the same figures.
"""

from core.text import Msg

# --- purposes and errors ---------------------------------------------------------------------------

PURPOSE_AGING = Msg("age receivables and compute DSO", "分析应收账龄和DSO")
PURPOSE_HEALTH = Msg("assess customers' financial health", "评估客户财务健康状况")
PURPOSE_CREDIT = Msg(
    "grade credit risk (customer financial statements are used too when loaded)",
    "评估信用风险（如已上传客户财务报表 financials，也会一并使用）",
)
NO_INVOICES = Msg(
    "The invoices table has no row with an invoice date, due date and amount.",
    "发票表中没有同时具有开票日期、到期日和金额的行。",
)
NO_INVOICES_BEFORE = Msg(
    "No invoice is dated on or before {as_of}; choose a later reference date.",
    "没有开票日期在 {as_of} 或之前的发票；请选择更晚的基准日。",
)
UNDATED_INVOICES = Msg(
    "{count} invoice rows without an invoice date, due date or amount were left out.",
    "有 {count} 行发票缺少开票日期、到期日或金额，未计入。",
)
NO_PAID_AMOUNT = Msg(
    "There is no paid_amount column: an invoice with a paid_date counts as paid in full.",
    "没有已付金额（paid_amount）列：有付款日期的发票视为全额付清。",
)
NO_PAID_DATE = Msg(
    "There is no paid_date column: payment timing (days late) cannot be measured and every payment is "
    "taken as made before the reference date.",
    "没有付款日期（paid_date）列：无法衡量逾期天数，所有付款都视为在基准日之前完成。",
)
UNKNOWN_CURRENCY = Msg(
    "The invoices have no currency '{currency}'. Currencies: {known}.",
    "发票中没有币种“{currency}”。现有币种：{known}。",
)
CURRENCY_SELECTED = Msg(
    "The invoices hold several currencies ({known}); only {currency} is analysed, nothing is summed "
    "across currencies (ask for another with currency).",
    "发票包含多种币种（{known}）；仅分析 {currency}，不同币种不相加（可指定其他币种）。",
)
UNKNOWN_CUSTOMER = Msg(
    "No customer '{customer}' in this data. Closest ids: {close}.",
    "数据中没有客户“{customer}”。最接近的编号：{close}。",
)

# --- receivables_aging -----------------------------------------------------------------------------

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

# --- financial_health ------------------------------------------------------------------------------

VARIANT_NAMES = {
    "z": Msg("Z (public manufacturers)", "Z（上市制造业）"),
    "z_prime": Msg("Z' (private firms)", "Z'（非上市公司）"),
    "z_double_prime": Msg("Z'' (non-manufacturers)", "Z''（非制造业）"),
}
ZONE_NAMES = {
    "distress": Msg("distress zone", "困境区"),
    "grey": Msg("grey zone", "灰色区"),
    "safe": Msg("safe zone", "安全区"),
}
NOT_SCORED_ZONE = Msg("not scored", "未评分")
HEALTH_FORMULA = Msg(
    "Debt ratio = total liabilities / total assets; current ratio = current assets / current liabilities; "
    "quick ratio = (current assets - inventory) / current liabilities; interest coverage = EBIT / interest "
    "expense. Altman: X1 = working capital / TA, X2 = retained earnings / TA, X3 = EBIT / TA, X4 = equity / "
    "total liabilities, X5 = sales / TA. Z = 1.2 X1 + 1.4 X2 + 3.3 X3 + 0.6 X4 (market value) + 1.0 X5, "
    "zones < 1.81 distress, 1.81-2.99 grey, > 2.99 safe (Altman 1968). Z' = 0.717 X1 + 0.847 X2 + 3.107 X3 "
    "+ 0.420 X4 (book equity) + 0.998 X5, zones 1.23 / 2.90; Z'' = 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4 "
    "(book equity), zones 1.10 / 2.60 (Altman 2000, revisited models).",
    "资产负债率 = 总负债 / 总资产；流动比率 = 流动资产 / 流动负债；速动比率 = (流动资产 - 存货) / 流动负债；"
    "利息保障倍数 = 息税前利润 / 利息费用。Altman：X1 = 营运资本 / 总资产，X2 = 留存收益 / 总资产，"
    "X3 = 息税前利润 / 总资产，X4 = 权益 / 总负债，X5 = 营业收入 / 总资产。Z = 1.2 X1 + 1.4 X2 + 3.3 X3 + "
    "0.6 X4（市值）+ 1.0 X5，< 1.81 困境区，1.81-2.99 灰色区，> 2.99 安全区（Altman 1968）。"
    "Z' = 0.717 X1 + 0.847 X2 + 3.107 X3 + 0.420 X4（账面权益）+ 0.998 X5，分界 1.23 / 2.90；"
    "Z'' = 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4（账面权益），分界 1.10 / 2.60（Altman 2000 修订模型）。",
)
HEALTH_ASSUMPTIONS = Msg(
    "Latest statement per customer. Variant 'auto' per customer: a non-manufacturing industry (services, "
    "technology, retail, wholesale, ...) or no sales -> Z''; market value of equity present -> Z; else Z'. "
    "Book equity = the equity column, else total assets - total liabilities. Zones are only comparable "
    "within a variant. A customer missing an input gets no score (missing_inputs names the columns).",
    "每个客户取最新一期报表。“auto”按客户选择：非制造业（服务、科技、零售、批发等）或无营业收入 -> Z''；"
    "有权益市值 -> Z；否则 Z'。账面权益取 equity 列，否则为总资产 - 总负债。不同模型的分区只在同一模型内可比。"
    "缺少输入的客户不评分（missing_inputs 列出缺少的列）。",
)
HEALTH_HEAD = Msg(
    "{scored} of {customers} customers scored ({variants}): {distress} in the distress zone, {grey} grey, "
    "{safe} safe.",
    "{customers} 个客户中 {scored} 个已评分（{variants}）：困境区 {distress} 个，灰色区 {grey} 个，安全区 {safe} 个。",
)
VARIANT_COUNT = Msg("{variant} {count}", "{variant} {count} 个")
HEALTH_RATIOS = Msg(
    "Medians: current ratio {current}, quick ratio {quick}, debt ratio {debt}, interest coverage {coverage}x.",
    "中位数：流动比率 {current}，速动比率 {quick}，资产负债率 {debt}，利息保障倍数 {coverage} 倍。",
)
Z_ITEM = Msg("{customer} {z} ({variant})", "{customer} {z}（{variant}）")
DISTRESS_LIST = Msg("Weakest in the distress zone: {items}.", "困境区中最弱的客户：{items}。")
HEALTH_CUSTOMER = Msg(
    "{customer}: {variant} = {z}, {zone}; current ratio {current}, quick ratio {quick}, debt ratio {debt}, "
    "interest coverage {coverage}x; missing inputs: {missing}.",
    "{customer}：{variant} = {z}，{zone}；流动比率 {current}，速动比率 {quick}，资产负债率 {debt}，"
    "利息保障倍数 {coverage} 倍；缺少的输入：{missing}。",
)
NOT_SCORED = Msg(
    "{count} customers have no Altman score because inputs are missing (e.g. {examples}).",
    "{count} 个客户因缺少输入而没有 Altman 评分（例如 {examples}）。",
)
RATIOS_MISSING = Msg(
    "Some ratios cannot be computed because the financials lack their columns: {ratios}.",
    "财务报表缺少相关列，以下比率无法计算：{ratios}。",
)
LATEST_PERIOD_USED = Msg(
    "Several statements per customer: the latest period of each is used.",
    "部分客户有多期报表：每个客户使用最新一期。",
)
DUPLICATE_STATEMENTS = Msg(
    "Several statements per customer without a period column: the last row of each is used.",
    "部分客户有多行报表且没有期间列：每个客户使用最后一行。",
)
FINDING_DISTRESS = Msg(
    "{count} customers are in the Altman distress zone.", "{count} 个客户处于 Altman 困境区。"
)
TABLE_HEALTH = Msg("Financial ratios and Altman Z (weakest first)", "财务比率和 Altman Z 值（从弱到强）")
CHART_Z = Msg(
    "Altman Z per customer (red distress, grey, green safe)",
    "各客户 Altman Z 值（红：困境，灰：灰色区，绿：安全）",
)

# --- credit_risk -----------------------------------------------------------------------------------

FACTOR_NAMES = {
    "avg_days_late": Msg("pays late on average", "平均付款逾期"),
    "late_share": Msg("many invoices paid late", "逾期付款发票多"),
    "overdue_share": Msg("large past-due share", "逾期占比高"),
    "severely_overdue": Msg("balance 90+ days past due", "有逾期90天以上余额"),
    "written_off": Msg("write-offs", "有核销坏账"),
    "deteriorating": Msg("days late rising", "逾期天数上升"),
    "z_zone": Msg("weak Altman zone", "Altman 分区偏弱"),
    "current_ratio": Msg("low current ratio", "流动比率低"),
    "debt_ratio": Msg("high debt ratio", "资产负债率高"),
}
NO_REASONS = Msg("no points lost", "未扣分")
ACTIONS = {
    "standard": Msg("keep {terms}-day terms, limit {limit}", "维持 {terms} 天账期，额度 {limit}"),
    "review": Msg("review: {terms}-day terms, limit {limit}", "需复核：{terms} 天账期，额度 {limit}"),
    "reduce_limit": Msg(
        "lower the credit limit to {limit} (open balance above it), {terms}-day terms",
        "将信用额度降至 {limit}（当前未收余额已超过），账期 {terms} 天",
    ),
    "deposit": Msg(
        "ask a {share} deposit, {terms}-day terms, limit {limit}",
        "要求 {share} 定金，账期 {terms} 天，额度 {limit}",
    ),
    "prepayment": Msg("prepayment only (cash in advance), no credit", "仅接受预付款（款到发货），不再赊销"),
}
CREDIT_FORMULA = Msg(
    "Score = {start} - points lost per factor (tools/credit_scorecard.toml): average days late, share paid "
    "late, overdue share of the open balance, any balance 90+ days past due, write-offs, days late rising "
    "(mean of the last {recent} invoices minus the earlier ones > {increase} days), and with financial "
    "statements the Altman zone, current ratio and debt ratio. Grade = first of {grades} whose minimum "
    "score is reached. Recommended limit = grade multiplier x average monthly credit sales of the last "
    "{months} months; payment terms and deposit/prepayment per grade.",
    "得分 = {start} - 各因素扣分（配置见 tools/credit_scorecard.toml）：平均逾期天数、逾期付款比例、未收余额中的逾期占比、"
    "是否有逾期90天以上余额、是否有核销、逾期天数是否上升（最近 {recent} 张发票的平均逾期天数比之前的多 {increase} 天以上），"
    "以及有财务报表时的 Altman 分区、流动比率和资产负债率。等级 = {grades} 中第一个达到最低分的等级。"
    "建议额度 = 等级倍数 × 近 {months} 个月平均月赊销额；账期和定金/预付款按等级确定。",
)
CREDIT_ASSUMPTIONS = Msg(
    "Missing inputs cost no points (the reasons list only what was scored); without financial statements "
    "the grade rests on payment behaviour alone. The scorecard is a documented house policy, not a "
    "statistical default model: its cut-offs follow the ageing buckets, IFRS 9 30/90-day presumptions, "
    "Altman zones and common ratio rules of thumb.",
    "缺少的输入不扣分（原因只列出实际评分的因素）；没有财务报表时仅按付款行为评级。该评分卡是有文档说明的内部政策，"
    "不是统计违约模型：其分界参考账龄区间、IFRS 9 的30/90天推定、Altman 分区和常用比率经验值。",
)
SCORECARD_TEXT = Msg(
    "Scorecard: start at {start} points; grades by minimum score: {grades}.",
    "评分卡：起始 {start} 分；各等级最低分：{grades}。",
)
NO_FINANCIALS = Msg(
    "No customer financial statements are loaded: grades use payment behaviour only.",
    "未载入客户财务报表：等级仅依据付款行为。",
)
CREDIT_HEAD = Msg(
    "Credit grades as of {as_of} for {customers} customers: A {a}, B {b}, C {c}, D {d}, E {e}. "
    "{high} high-risk customers (D/E) hold {exposure} of open receivables; {deteriorating} pay later and "
    "later; {reductions} owe more than their recommended limit.",
    "截至 {as_of}，{customers} 个客户的信用等级：A {a} 个，B {b} 个，C {c} 个，D {d} 个，E {e} 个。"
    "高风险客户（D/E）{high} 个，未收应收账款 {exposure}；{deteriorating} 个客户付款越来越慢；"
    "{reductions} 个客户的未收余额超过建议额度。",
)
CREDIT_ITEM = Msg(
    "- {customer}: grade {grade}, score {score} ({reasons}) -> {action}",
    "- {customer}：等级 {grade}，{score} 分（{reasons}）-> {action}",
)
CREDIT_LIST = Msg("Riskiest first:\n{items}", "风险最高的客户：\n{items}")
FINDING_HIGH_RISK = Msg(
    "{count} customers are graded {grades} (high credit risk) with {amount} open.",
    "{count} 个客户评级为 {grades}（高信用风险），未收金额 {amount}。",
)
FINDING_DETERIORATING = Msg(
    "{count} customers pay later and later (days late up more than {days} days).",
    "{count} 个客户付款越来越慢（逾期天数上升超过 {days} 天）。",
)
TABLE_CREDIT = Msg("Credit scorecard per customer (riskiest first)", "各客户信用评分卡（风险从高到低）")
TABLE_GRADES = Msg("Grades, exposure and terms", "各等级的敞口和信用条件")
CHART_GRADES = Msg("Open receivables by credit grade", "各信用等级的未收应收账款")
