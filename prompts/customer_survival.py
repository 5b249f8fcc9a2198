"""Words of the customer_survival tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "How long customers stay: Kaplan-Meier survival curves (still-active customers censored), median "
    "customer lifetime and the share still active after 1, 2 and 3 years, by segment or another "
    "dimension, with a log-rank test between the groups. Uses churn labels or an inactivity rule.",
    "客户能留多久：Kaplan-Meier 生存曲线（仍活跃的客户作删失处理）、客户中位生命周期"
    "及 1、2、3 年后仍留存的比例，按细分或其他维度比较，并做组间对数秩检验。使用流失标记或不"
    "活跃规则。",
)
