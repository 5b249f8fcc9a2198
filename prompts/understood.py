"""Words of the line every answer starts with: what was understood and computed, and what was recognised
but not applied ("Top 5 customers by profit · region = East · 2024 · not applied: ..., because ...")."""

from __future__ import annotations

from core.text import Msg

UNDERSTOOD = Msg("Understood: {parts}", "理解为：{parts}")
UNDERSTOOD_UNSURE = Msg(
    "Understood (not sure: rephrase if this is not what you meant): {parts}",
    "理解为（不确定，如不是您的意思请换个说法）：{parts}",
)
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
    "credit_grade": Msg("credit grade", "信用等级"),
    "altman_zone": Msg("Altman zone", "Altman 分区"),
    "churn_risk_level": Msg("churn risk level", "流失风险等级"),
    "rfm_segment": Msg("RFM segment", "RFM 分群"),
    "loss_making": Msg("loss-making only", "仅亏损客户"),
    "horizon": Msg("horizon", "预测期"),
    "month": Msg("month", "月份"),
    "quarter": Msg("quarter", "季度"),
    "year": Msg("year", "年度"),
}

# The tools' settings, named in the line (values: the tool's own words for them, SETTING_WORDS, else as given)
SETTING_NAMES: dict[str, Msg] = {
    "margin": Msg("margin", "毛利率"),
    "discount_rate": Msg("discount rate", "折现率"),
    "horizon": Msg("horizon", "预测期"),
    "time_unit": Msg("time unit", "时间单位"),
    "model": Msg("model", "模型"),
    "method": Msg("method", "方法"),
    "inactivity_days": Msg("churned after days without an order", "无订单天数视为流失"),
    "periods": Msg("periods", "期数"),
    "freq": Msg("period length", "周期"),
    "scale": Msg("score scale", "评分量表"),
    "variant": Msg("Z-score variant", "Z 值模型"),
    "dso_method": Msg("DSO method", "DSO 算法"),
    "prediction_days": Msg("prediction window (days)", "预测窗口（天）"),
    "price_change": Msg("price change", "价格变动"),
    "product": Msg("product", "产品"),
    "segment": Msg("segment", "细分"),
    "source": Msg("data source", "数据来源"),
    "risk_level": Msg("churn risk level", "流失风险等级"),
    "grade": Msg("credit grade", "信用等级"),
    "zone": Msg("Altman zone", "Altman 分区"),
    "channel": Msg("channel", "渠道"),
    "lifetime_years": Msg("lifetime (years)", "生命周期（年）"),
    "calibration_end": Msg("calibration end", "校准截止"),
    "gap_multiplier": Msg("gap multiplier", "间隔倍数"),
    "action_type": Msg("kind of action", "行动类型"),
    "currency": Msg("currency", "货币"),
    "findings": Msg("findings", "发现"),
    "group_by": Msg("grouping", "分组"),
    "budget": Msg("budget", "预算"),
    "capacity_hours": Msg("hours", "工时"),
    "capacity_role": Msg("hours of", "工时归属"),
    "role_hours": Msg("hours by role", "各角色工时"),
    "horizon_months": Msg("horizon (months)", "计划期（月）"),
    "actions": Msg("action families", "行动类别"),
    "playbooks": Msg("playbooks", "策略手册"),
    "min_return": Msg("minimum return", "最低回报"),
}
# Settings given as fractions, shown as percentages
PERCENT_SETTINGS = frozenset({"margin", "discount_rate", "price_change"})
FOLLOWUP = Msg("follow-up of the previous analysis", "沿用上一个分析")
OUT_OF_SCOPE = Msg("a request outside the analysis of the loaded data", "超出已载入数据分析范围的请求")
UNSURE = Msg("not sure which analysis is meant", "无法确定要做哪项分析")
NOTHING = Msg("no analysis recognised", "未识别出分析")
CORRECTION = Msg("a correction of how a file was read ({file})", "更正文件的读取方式（{file}）")
REMOVAL = Msg("delete uploaded files", "删除已上传的文件")
