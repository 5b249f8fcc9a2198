"""Words of the satisfaction_analysis tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Customer satisfaction from feedback: CSAT (1-5) or NPS (0-10) by segment or period, complaint "
    "rate and categories (Pareto), response and resolution times, and whether customers who complain "
    "or score low churn more than the rest (with counts and a significance test).",
    "基于反馈的客户满意度：按细分或期间的 CSAT（1-5分）或 NPS（0-10分）、投诉率和"
    "投诉类别（帕累托）、响应和解决时间，以及投诉或低分客户是否比其他客户流失更多（含人数和显著性"
    "检验）。",
)


# Findings this tool emits: what each means in words, and the phrases a question may use for it
# ("what should we do about late payers?"; CJK phrases match as substrings, others on word boundaries).
FINDINGS: dict[str, Term] = {
    "low_satisfaction_segment": Term(
        Msg("customer groups with low satisfaction", "满意度低的客户群"),
        (
            "satisfaction",
            "nps",
            "csat",
            "unhappy",
            "满意",
            "口碑",
        ),
    ),
    "complaint_driven_churn": Term(
        Msg("customers leaving after complaints", "投诉后流失的客户"),
        (
            "complaint",
            "complain",
            "投诉",
            "抱怨",
        ),
    ),
}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "satisfaction": 4,
    "satisfied": 4,
    "nps": 4,
    "csat": 4,
    "complaint": 4,
    "complain": 4,
    "feedback": 3,
    "review": 2,
    "满意度": 4,
    "满意": 3,
    "投诉": 4,
    "抱怨": 4,
    "评分": 2.5,
    "口碑": 3,
    "净推荐值": 4,
    "反馈": 3,
    "差评": 4,
    "好评": 3,
    "unhappy": 3,
    "happy": 2,
    "response time": 3,
    "推荐意愿": 4,
    "不满": 3,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Satisfaction and complaints", "满意度和投诉"),
    {
        "en": ["NPS by segment", "Do customers who complain churn more?"],
        "zh": ["客户满意度怎么样？", "投诉的客户流失更多吗"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "responses": Msg("Responses", "反馈数"),
    "mean_score": Msg("Average score", "平均评分"),
    "csat": Msg("CSAT", "满意度（CSAT）"),
    "nps": Msg("NPS", "净推荐值（NPS）"),
    "complaint_rate": Msg("Complaint rate", "投诉率"),
    "complaints": Msg("Complaints", "投诉数"),
    "cumulative_share": Msg("Cumulative share", "累计占比"),
    "median_response_hours": Msg("Median response time (hours)", "中位响应时间（小时）"),
    "resolved_rate": Msg("Resolved rate", "解决率"),
}


# --- answer texts ---------------------------------------------------------------------------------

PURPOSE = Msg("analyse satisfaction and complaints", "分析满意度和投诉")
SCALES = {
    "csat": Msg("CSAT (1-5)", "CSAT（1-5分）"),
    "nps": Msg("NPS (0-10)", "NPS（0-10分）"),
}
SUMMARY_CSAT = Msg(
    "CSAT {csat} of {responses} responses scored 4-5 (mean score {mean} of 5).",
    "{responses} 条反馈中 {csat} 打分为 4-5 分（CSAT；平均分 {mean}/5）。",
)
SUMMARY_NPS = Msg(
    "NPS {nps} from {responses} responses: {promoters} promoters (9-10) - {detractors} detractors (0-6); "
    "{passives} passives.",
    "净推荐值（NPS）{nps}，基于 {responses} 条反馈：推荐者（9-10分）{promoters} - 贬损者（0-6分）{detractors}；"
    "被动者 {passives}。",
)
COMPLAINTS = Msg(
    "Complaints: {rate} of feedback ({count}); top categories: {items}.",
    "投诉：占反馈的 {rate}（{count} 条）；主要类别：{items}。",
)
TIMES = Msg(
    "Response time: median {median} h (mean {mean} h); {resolved} of complaints resolved.",
    "响应时间：中位数 {median} 小时（平均 {mean} 小时）；投诉解决率 {resolved}。",
)
CHURN = Msg(
    "Churn: {rate_c} of the {n_c} customers who complained or scored low ({k_c} churned) vs {rate_o} of the "
    "other {n_o} customers ({k_o} churned); {test} p = {p}.",
    "流失：投诉或低分的 {n_c} 个客户中 {rate_c} 已流失（{k_c} 个），其余 {n_o} 个客户中 {rate_o} 已流失（{k_o} 个）；"
    "{test} p = {p}。",
)
TESTS = {
    "z": Msg("two-proportion z-test", "双比例 z 检验"),
    "fisher": Msg("Fisher exact test", "Fisher 精确检验"),
}
BY_GROUP = Msg("By {dimension}: {items}.", "按{dimension}：{items}。")
FORMULA_CSAT = Msg(
    "CSAT = share of scores 4-5 on the 1-5 scale (and the mean score).",
    "CSAT = 1-5 分制中 4-5 分的占比（另给出平均分）。",
)
FORMULA_NPS = Msg(
    "NPS = share of promoters (9-10) - share of detractors (0-6) on the 0-10 scale, as a fraction "
    "(0.32 is shown as NPS 32).",
    "NPS = 推荐者（9-10分）占比 - 贬损者（0-6分）占比（0-10 分制），以小数存储（0.32 显示为 NPS 32）。",
)
FORMULA = Msg(
    "{score} Complaint rate = complaint rows / feedback rows. Low score = CSAT <= {low_csat} or NPS <= "
    "{low_nps}. Churn comparison: customers with any complaint or low score vs all other customers in the "
    "customers table; churn rate = churned / customers; p-value from a two-sided two-proportion z-test "
    "(pooled), or Fisher's exact test when an expected count is below 5. Findings: low_satisfaction_segment "
    "when a {dimension} with at least {min_n} responses has CSAT below {csat_cut} or NPS below {nps_cut} "
    "(heuristic cut-offs); complaint_driven_churn when complainers churn more than the rest with p < {alpha}.",
    "{score}投诉率 = 投诉条数 / 反馈条数。低分 = CSAT <= {low_csat} 或 NPS <= {low_nps}。流失对比：有投诉或低分的客户"
    "与客户表中其余所有客户；流失率 = 已流失 / 客户数；p 值来自双侧双比例 z 检验（合并方差），期望频数小于 5 时用 "
    "Fisher 精确检验。结论规则：某个{dimension}至少 {min_n} 条反馈且 CSAT 低于 {csat_cut} 或 NPS 低于 {nps_cut}"
    "（经验阈值）为 low_satisfaction_segment；投诉客户流失率高于其他客户且 p < {alpha} 为 complaint_driven_churn。",
)
NO_SCORE = Msg(
    "The feedback table has no score column, so CSAT/NPS cannot be computed; complaints are still analysed.",
    "反馈表没有评分列，无法计算 CSAT/NPS；仍分析投诉情况。",
)
SCALE_DETECTED = Msg(
    "Scale detected from the scores ({low} to {high}): {scale}.",
    "根据评分范围（{low} 至 {high}）判断量表：{scale}。",
)
SCALE_GIVEN = Msg("Scale as given: {scale}.", "量表（用户指定）：{scale}。")
SCALE_MISMATCH = Msg(
    "Scores range from {low} to {high}, outside the {scale} scale; {count} out-of-range scores are left out.",
    "评分范围为 {low} 至 {high}，超出{scale}；{count} 个超出范围的评分未纳入。",
)
NO_CHURN = Msg(
    "No customers table with a churned column, so churn of complainers is not compared.",
    "没有含 churned 列的客户表，无法比较投诉客户的流失情况。",
)
NO_COMPLAINT = Msg(
    "No complaint column: complaints are not counted (low scores are still used for the churn comparison).",
    "没有 complaint（投诉）列：不统计投诉（流失对比仍使用低分）。",
)
NO_ROWS = Msg("No feedback between {start} and {end}.", "{start} 至 {end} 之间没有反馈。")
NO_GROUP = Msg(
    "Cannot group feedback by {dimension}: no such column in the feedback or customers table.",
    "无法按{dimension}分组：反馈表和客户表都没有该列。",
)
CHART_PARETO = Msg("Complaint categories (Pareto)", "投诉类别（帕累托图）")
CHART_GROUP = Msg("{score} by {dimension}", "按{dimension}的{score}")
FINDING_LOW = Msg(
    "Low satisfaction in {groups} (below {cut}, at least {min_n} responses).",
    "{groups}满意度偏低（低于 {cut}，至少 {min_n} 条反馈）。",
)
FINDING_CHURN = Msg(
    "Customers who complained or scored low churn more: {rate_c} vs {rate_o} (p = {p}); {active} of them are "
    "still active.",
    "投诉或低分客户流失更多：{rate_c} 对 {rate_o}（p = {p}）；其中 {active} 个仍是活跃客户。",
)
