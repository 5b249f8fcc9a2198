"""Words shared by several tools (invoices): answer pieces in English and Chinese."""

from __future__ import annotations

from core.text import Msg

PURPOSE_AGING = Msg("age receivables and compute DSO", "分析应收账龄和DSO")
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
