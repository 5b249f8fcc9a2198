"""Words of the line every answer starts with: what was understood and computed, and what was recognised
but not applied ("Top 5 customers by profit · region = East · 2024 · not applied: ..., because ...")."""

from __future__ import annotations

from core.text import Msg

UNDERSTOOD = Msg("Understood: {parts}", "理解为：{parts}")
SEPARATOR = Msg(" · ", " · ")
NOT_APPLIED = Msg("not applied: {items}", "未应用：{items}")
NOT_APPLIED_ITEM = Msg("{part} ({reason})", "{part}（{reason}）")
TOP = Msg("top {n}", "前{n}名")
BOTTOM = Msg("bottom {n}", "后{n}名")
BY_METRIC = Msg("by {metric}", "按{metric}")
GROUP_BY = Msg("per {dimension}", "按{dimension}")
PERIOD = Msg("{start} to {end}", "{start} 至 {end}")
SINCE = Msg("since {start}", "自 {start} 起")
UNTIL = Msg("until {end}", "截至 {end}")
AS_OF = Msg("as of {as_of}", "截至 {as_of}")
CUSTOMER = Msg("customer {customer}", "客户 {customer}")
FILTER = Msg("{attribute} = {values}", "{attribute} = {values}")
COMPARE = Msg("{attribute}: {values} compared", "{attribute}对比：{values}")
SETTING = Msg("{name} = {value}", "{name} = {value}")
VALUES_JOIN = Msg(", ", "、")
VERSUS = Msg(" vs ", " 对比 ")
ATTRIBUTE_NAMES: dict[str, Msg] = {
    "segment": Msg("segment", "细分"),
    "region": Msg("region", "区域"),
    "industry": Msg("industry", "行业"),
    "acquisition_channel": Msg("acquisition channel", "获客渠道"),
    "cohort": Msg("signup year", "注册年份"),
    "product": Msg("product", "产品"),
    "channel": Msg("channel", "渠道"),
    "grade": Msg("credit grade", "信用等级"),
    "zone": Msg("Altman zone", "Altman 分区"),
    "risk_level": Msg("churn risk level", "流失风险等级"),
    "horizon": Msg("horizon", "预测期"),
    "month": Msg("month", "月份"),
    "quarter": Msg("quarter", "季度"),
    "year": Msg("year", "年度"),
}
