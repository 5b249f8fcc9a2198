"""Words of the receivables_aging tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Receivables ageing at a date: open invoice amounts by days past due (current, 1-30, 31-60, "
    "61-90, 90+) overall and per customer, overdue amount and share, DSO (simple 90-day or "
    "countback), average days late, share paid late and written-off rate.",
    "某一基准日的应收账龄：按逾期天数（未到期、1-30、31-60、61-90、90天以上）划分"
    "的未收发票金额（总体及各客户）、逾期金额和占比、DSO（90天简单法或倒推法）、平均逾期天数"
    "、逾期付款比例和核销率。",
)
