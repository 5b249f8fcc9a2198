"""Words of the rfm_segments tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "RFM segmentation: recency, frequency, monetary value per customer, 1-5 quintile scores and named"
    " segments (Champions, Loyal, At risk, Can't lose them, Lost, ...) with counts and revenue share.",
    "RFM 客户分层：每个客户的最近购买、购买频次、消费金额，1-5 分位评分和命名分群（重要价"
    "值、忠诚、流失风险、不能失去、已流失等），含人数和收入占比。",
)
