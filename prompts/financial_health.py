"""Words of the financial_health tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Customers' financial health from their statements: debt ratio, current and quick ratio, interest"
    " coverage and the Altman Z-score (Z, Z' private, Z'' non-manufacturers) with its zone (distress "
    "/ grey / safe) per customer.",
    "根据客户财务报表评估财务健康：资产负债率、流动比率、速动比率、利息保障倍数，以及每个客户的 "
    "Altman Z 值（Z、非上市 Z'、非制造业 Z''）及其分区（困境/灰色/安全）。",
)
