"""Words of the credit_risk tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Credit scorecard per customer: grade A-E from payment behaviour (days late, share late, overdue,"
    " write-offs, deteriorating) and, when statements are loaded, financial health (Altman zone, "
    "current and debt ratio), with the reasons and a recommended credit limit, payment terms and "
    "deposit or prepayment. Needs invoices; financials optional.",
    "客户信用评分卡：根据付款行为（逾期天数、逾期付款比例、逾期余额、核销、付款恶化）以及已上传时"
    "的财务健康（Altman 分区、流动比率、资产负债率）给出 A-E 等级及扣分原因，并建议信"
    "用额度、账期和定金或预付款。需要发票表；财务报表可选。",
)
