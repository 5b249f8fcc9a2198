"""Words of the cohort_retention tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Cohort retention: acquisition cohorts (signup or first-purchase month/quarter) x periods since "
    "acquisition, share of customers still buying and revenue kept relative to the first period, as "
    "heatmaps; average retention at 1, 3, 6 and 12 periods; flags weak cohorts. Needs transactions; a"
    " customers table with signup_date is optional.",
    "同期群留存：按获客（注册或首次购买）月份/季度分组 × 获客后的期数，仍在购买的客户比例和相"
    "对首期的收入留存，以热力图展示；第 1、3、6、12 期的平均留存率；标出留存偏低的同期群。"
    "需要交易表；客户表的注册日期可选。",
)
