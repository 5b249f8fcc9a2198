"""Words of the customer_profitability tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Profit per customer (or per segment/region/product/channel/industry): revenue, cost, gross "
    "profit, cost-to-serve, net profit, margin, share of total profit; top or bottom N; period "
    "filter.",
    "按客户（或细分/区域/产品/渠道/行业）计算利润：收入、成本、毛利、服务成本、净利润、利润率"
    "、占总利润比例；前N或后N名；可按期间筛选。",
)
