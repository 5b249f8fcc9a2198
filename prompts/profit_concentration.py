"""Words of the profit_concentration tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Whale curve: cumulative share of profit against share of customers ranked by profit, share of "
    "profit from the top 20%, loss-making customers and the profit they destroy, ABC classes.",
    "鲸鱼曲线：按利润排序的客户累计占比与利润累计占比，前20%客户的利润占比，亏损客户及其吞噬的"
    "利润，ABC分类。",
)
