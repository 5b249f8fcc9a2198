"""Words of the digest of changes between two snapshots (agent/digest.py) and its webhook summary."""

from __future__ import annotations

from core.text import Msg

BEFORE = Msg("before", "之前")
AFTER = Msg("after", "之后")
HEADING = Msg(
    "**What changed** from {before} (as of {as_of_before}) to {after} (as of {as_of_after}), customer by "
    "customer, ranked by the money at stake.",
    "**变化摘要**：从 {before}（截至 {as_of_before}）到 {after}（截至 {as_of_after}），逐个客户对比，按涉及金额排序。",
)
SUMMARY = Msg("In short", "概览")
RANKED = Msg("The {n} largest changes", "金额最大的 {n} 项变化")
COUNT = Msg("{label}: {count} ({money})", "{label}：{count} 个（{money}）")
NO_CHANGES = Msg(
    "Nothing changed that the digest follows (churn risk, overdue receivables, credit grades, profit, "
    "customers).",
    "所跟踪的指标（流失风险、逾期应收、信用等级、利润、客户）没有变化。",
)
NOTHING_COMPARED = Msg(
    "Neither snapshot has the tables the digest compares (transactions, invoices).",
    "两个快照都没有可供对比的表（交易、发票）。",
)
TOOL_SKIPPED = Msg("{tool} did not run on the {snapshot} snapshot: {reason}", "{tool} 未在“{snapshot}”快照上运行：{reason}")
IDS_CHANGED = Msg(
    "Customer ids changed format between the exports (e.g. {before} → {after}); {share} of them were matched "
    "by their digits.",
    "两次导出的客户编号格式不同（例如 {before} → {after}）；按编号中的数字匹配了 {share}。",
)
IDS_DIFFER = Msg(
    "Only {share} of the customer ids appear in both exports: new and lost customers are not listed (check "
    "that both exports use the same customer ids).",
    "两次导出中只有 {share} 的客户编号相同：未列出新增和流失客户（请确认两次导出使用相同的客户编号）。",
)
CATEGORY = {
    "new_high_churn": Msg("Newly at high churn risk", "新进入高流失风险"),
    "newly_overdue": Msg("Newly overdue", "新出现逾期"),
    "worse_ageing": Msg("Moved to a worse ageing bucket", "账龄恶化"),
    "grade_worse": Msg("Credit grade down", "信用等级下降"),
    "grade_better": Msg("Credit grade up", "信用等级上升"),
    "profit_up": Msg("Biggest profit gains", "利润增长最多"),
    "profit_down": Msg("Biggest profit drops", "利润下降最多"),
    "new_customer": Msg("New customers", "新增客户"),
    "lost_customer": Msg("Lost customers (no longer in the data)", "流失客户（已不在数据中）"),
}
CHANGE = {
    "new_high_churn": Msg("churn risk {before} → {after}", "流失风险 {before} → {after}"),
    "newly_overdue": Msg("newly overdue ({after})", "新出现逾期（{after}）"),
    "worse_ageing": Msg("overdue ageing {before} → {after}", "逾期账龄 {before} → {after}"),
    "grade_worse": Msg("credit grade {before} → {after}", "信用等级 {before} → {after}"),
    "grade_better": Msg("credit grade {before} → {after}", "信用等级 {before} → {after}"),
    "profit_up": Msg("profit {before} → {after}", "利润 {before} → {after}"),
    "profit_down": Msg("profit {before} → {after}", "利润 {before} → {after}"),
    "new_customer": Msg("new customer", "新增客户"),
    "lost_customer": Msg("no longer in the data", "已不在数据中"),
}
LINE = Msg("**{who}**: {what}; {money} {basis}. Action: {action}", "**{who}**：{what}；{basis} {money}。行动：{action}")
BASIS = {
    "trailing_12m_revenue": Msg("revenue in the last 12 months", "近12个月收入"),
    "trailing_12m_gross_profit": Msg("gross profit in the last 12 months", "近12个月毛利"),
    "overdue_amount": Msg("overdue", "逾期金额"),
    "open_amount": Msg("open receivables", "未收金额"),
    "revenue": Msg("revenue", "收入"),
    "profit_change": Msg("profit change", "利润变化"),
    "net_profit_change": Msg("net profit change", "净利润变化"),
    "gross_profit_change": Msg("gross profit change", "毛利变化"),
}
VALUES = {
    "high": Msg("high", "高"),
    "medium": Msg("medium", "中"),
    "low": Msg("low", "低"),
    "not_scored": Msg("not scored", "未评分"),
    "current": Msg("not yet due", "未到期"),
    "days_1_30": Msg("1-30 days", "1-30 天"),
    "days_31_60": Msg("31-60 days", "31-60 天"),
    "days_61_90": Msg("61-90 days", "61-90 天"),
    "days_90_plus": Msg("90+ days", "90 天以上"),
    "new": Msg("new", "新增"),
    "known": Msg("known", "已有"),
}
ACTIONS = {  # the standing action of a change when no playbook answers its findings
    "new_high_churn": Msg("call the account owner this week and agree a retention offer",
                          "本周联系客户负责人，商定挽留方案"),
    "newly_overdue": Msg("send a reminder and call the payer before it ages further",
                         "在账龄继续恶化前发送提醒并致电付款人"),
    "worse_ageing": Msg("escalate collection: call, hold new orders above the limit",
                        "升级催收：电话催款，超额度的新订单暂停发货"),
    "grade_worse": Msg("review the credit limit and payment terms", "复核信用额度与付款条件"),
    "grade_better": Msg("consider a higher limit or longer terms on request", "可按需提高额度或延长账期"),
    "profit_up": Msg("find out what drove it and repeat it with similar customers",
                     "找出增长原因，在相似客户中复制"),
    "profit_down": Msg("review prices, discounts and cost to serve of this account",
                       "复核该客户的价格、折扣和服务成本"),
    "new_customer": Msg("onboard: confirm terms and a credit limit", "做好新客户导入：确认账期与信用额度"),
    "lost_customer": Msg("ask why and decide on a win-back offer", "了解原因，决定是否发起赢回"),
}  # fmt: skip
ASK_BACK = Msg(
    "To compare, upload the newer export of a file you uploaded before (same kind: orders, invoices, ...): "
    "the digest compares the last two exports of each kind. From the command line: custfin digest --before "
    "FILE... --after FILE...",
    "如需对比，请上传之前已上传过的同类文件的新版本（订单、发票等）：变化摘要会对比每类文件最近的两次导出。"
    "命令行：custfin digest --before 文件... --after 文件...",
)
AUTO_QUESTION = Msg("What changed since the previous export?", "与上一次导出相比有什么变化？")
UNDERSTOOD = Msg("Understood: what changed between the last two exports", "理解为：最近两次导出之间的变化")
APPENDED_NOTE = Msg(
    "The other answers of this conversation read both exports together (appended); delete the older file to "
    "analyse the newer one alone.",
    "本对话的其他分析会把两次导出合并读取（追加）；如只想分析新版本，请删除旧文件。",
)
WEBHOOK_TITLE = Msg("custfin digest: {after_as_of}", "custfin 变化摘要：{after_as_of}")
WEBHOOK_TOP = Msg("Largest changes", "金额最大的变化")
TABLE_TITLE = Msg("Changes, largest money at stake first", "变化明细（按涉及金额从高到低）")
CHART_TITLE = Msg("Money at stake by kind of change", "各类变化涉及的金额")
FORMULA = Msg(
    "customer_profitability, churn_risk, receivables_aging and credit_risk run on each snapshot (every "
    "customer); their per-customer tables compared by customer id: risk level, ageing bucket, grade, profit "
    "difference, presence",
    "在每个快照上运行 customer_profitability、churn_risk、receivables_aging 与 credit_risk（全部客户），按客户编号"
    "对比其客户级表格：风险等级、账龄段、信用等级、利润差额、是否存在",
)
TITLE = Msg("What changed", "变化摘要")
