"""Words of the churn_trend tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Churn rate by month, quarter or year (customers churned in the period / customers active at its "
    "start), overall and by segment, region, industry, acquisition channel, product or channel; names"
    " the peak periods and the highest-churn groups. Uses churn labels (customers: churned, "
    "churn_date) or, without them, an inactivity rule on transactions.",
    "按月、季度或年计算流失率（期间内流失客户数 / 期初活跃客户数），整体及按细分、区域、行业、"
    "获客渠道、产品或渠道；指出流失高峰期间和流失率最高的群体。使用客户表的流失标记（"
    "churned、churn_date），没有时按交易的不活跃规则推断。",
)
