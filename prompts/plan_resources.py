"""Words of the plan_resources tool, English and Chinese: its description (the registry, the model's tool
schema, the help), keywords, the settings a question states (budget, hours, minimum return, action
families, whose hours), help examples, column labels and answer texts."""

from __future__ import annotations

from core.text import Msg, Term

DESCRIPTION = Msg(
    "Resource plan: which customers get which playbook action under a budget (money) and capacity "
    "(hours, per role), chosen by an integer programme maximising expected gain = value x effect - cost "
    "(values from churn risk, CLV, cost-to-serve, overdue receivables and price elasticity); with what "
    "was left out and why, the marginal return of extra budget, the low/high ends of the effect ranges "
    "and two naive plans (highest revenue first, highest churn risk first) for comparison; the plan "
    "downloads as a hand-out with owner and due date.",
    "资源计划：在预算（金额）和人力（工时，可按角色）约束下，决定哪些客户采取哪项手册行动；用整数规划"
    "最大化预期收益 = 价值 × 效果 − 成本（价值来自流失风险、CLV、服务成本、逾期应收和价格弹性），并给出"
    "未入选的客户及原因、追加预算的边际回报、效果区间低端/高端的结果，以及两个朴素方案（收入优先、流失风险"
    "优先）作对比；计划可下载为含负责人和截止日期的任务清单。",
)

# The planner emits no findings: it acts on the other tools' findings.
FINDINGS: dict[str, Term] = {}

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "budget": 3,
    "split the budget": 4,
    "retention budget": 4,
    "allocate": 3,
    "allocation": 3,
    "which customers get what": 4,
    "who gets what": 4,
    "get which action": 4,
    "resource plan": 4,
    "plan resources": 4,
    "capacity": 2.5,
    "account manager hours": 3,
    "hours": 1.5,
    "self-service": 3,
    "self service": 3,
    "move to self-service": 4,
    "prioritise": 1.5,
    "prioritize": 1.5,
    "spend": 1.5,
    "预算": 4,
    "资源": 2.5,
    "分配": 3,
    "怎么分": 3,
    "花在": 3,
    "工时": 3,
    "人力": 2.5,
    "小时": 1.5,
    "自助": 3,
    "自助服务": 4,
    "资源计划": 4,
    "哪些客户身上": 3,
}

COMBOS: list[tuple[str, tuple[str, ...], float]] = [
    ("plan_resources", ("budget", "customers"), 2),
    ("plan_resources", ("hours", "customers"), 2),
    ("plan_resources", ("预算", "客户"), 2),
    ("plan_resources", ("小时", "客户"), 2),
]

# Its answer is itself the advice: a question asking what to do stays a plan (not recommend_actions).
ANSWERS_ADVICE = True

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Resource plan (budget and hours)", "资源计划（预算与工时）"),
    {
        "en": [
            "We have ¥200,000 and three account managers (120 hours) for next quarter: which customers get what?",
            "How should we split the retention budget?",
            "Who should move to self-service?",
        ],
        "zh": ["我们有20万预算做客户挽留，应该花在哪些客户身上？", "哪些客户应该转到自助服务？"],
    },
)

# --- settings a question states (agent/understand/settings.py) ---------------------------------------
# A number with an optional multiplier (the ``unit`` group, SETTING_UNITS): 200,000 / 20万 / 200k / 1.2m.
_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNIT_EN = r"\s*(?P<unit>k|m|mn|thousand|million)?\b"
_UNIT_ZH = r"\s*(?P<unit>万|千|亿)?"
_CURRENCY = r"(?:[¥￥$€£]|rmb\s*|cny\s*|usd\s*)"
SETTING_UNITS: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "万": 1e4, "千": 1e3, "亿": 1e8,
}  # fmt: skip
SETTING_PATTERNS: dict[str, list[str]] = {
    "budget": [
        _CURRENCY + _NUM + _UNIT_EN,
        _NUM + _UNIT_EN + r"\s*(?:yuan|rmb|dollars?|usd|cny|euros?)\b",
        r"budget\s*(?:of|is|=|:)?\s*" + _CURRENCY + r"?" + _NUM + _UNIT_EN,
        _NUM + r"\s*(?P<unit>k|m|thousand|million)\b(?!\s*(?:customers?|rows?|clients?|accounts?))",
        r"预算\s*(?:是|为|有|:|：)?\s*" + _CURRENCY + r"?" + _NUM + _UNIT_ZH,
        _CURRENCY + r"?" + _NUM + _UNIT_ZH + r"\s*(?:元|块|人民币)?\s*(?:的)?\s*(?:预算|经费|资金)",
        _NUM + r"\s*(?P<unit>万|亿)\s*(?:元|块|人民币)?",
        _NUM + r"\s*(?:元|块钱|块)",
    ],
    "capacity_hours": [
        r"(?P<each>\d+)\s+(?:account[\s-]+managers?|ams?|people|staff|reps?|collectors?)\s*[,，]?\s*(?:with\s+)?"
        r"(?:about\s+|around\s+)?(?:at\s+)?(?P<value>\d+)\s*(?:hours?|hrs?|h)\s*(?:each|apiece|a\s+head)",
        r"(?P<each>\d+)\s*(?:个|名|位)?\s*(?:客户经理|销售|催收员|人)\s*[,，、]?\s*(?:每人|各)\s*(?P<value>\d+)\s*(?:个)?\s*(?:小时|工时)",
        r"\d+\s+(?:account[\s-]+managers?|ams?|people|staff|reps?|collectors?)\s*\(?\s*" + _NUM
        + r"\s*(?:hours?|hrs?|h)\b",
        _NUM + r"\s*(?:account[\s-]*managers?|am|staff|people|person|collector)?[\s-]*(?:hours?|hrs?|h)\b",
        _NUM + r"\s*(?:个)?\s*(?:客户经理|销售|催收)?\s*(?:小时|工时)",
    ],
    "horizon_months": [
        r"horizon\s*(?:of\s*)?(\d+)\s*(?:m|mo|months?)\b",
        r"(\d+)[\s-]*months?\s+horizon",
    ],
    "min_return": [
        r"(?:at\s+least\s+(?:an?\s+)?|min(?:imum)?\s+(?:roi\s+|return\s+)?(?:of\s+)?)(\d+(?:\.\d+)?)\s*(?P<times>x)\b",
        r"(\d+(?:\.\d+)?)\s*(?P<times>x)\s+(?:return|roi)\b",
        r"(?:至少|不低于|最低|最少)\s*(?:回报)?\s*(\d+(?:\.\d+)?)\s*(?P<times>倍)",
        r"(?:投入产出比|回报率?|roi)\s*(?:至少|不低于|最低|>=|≥)\s*(\d+(?:\.\d+)?)(?P<times>)(?![\d.]*\s*%)",
        r"(?:min(?:imum)?|at\s+least)\s+(?:an?\s+)?(?:roi\s+of\s+)?(\d+(?:\.\d+)?)\s*%\s*(?:roi|return)",
        r"(?:min(?:imum)?|at\s+least)\s+(?:an?\s+)?(?:roi|return)\s*(?:of\s+)?(?:at\s+least\s+)?(\d+(?:\.\d+)?)\s*%",
        r"(?:roi|return)\s+(?:of\s+)?at\s+least\s+(\d+(?:\.\d+)?)\s*%",
        r"(?:回报率|投资回报率|roi)\s*(?:至少|不低于|最低)\s*(\d+(?:\.\d+)?)\s*%",
    ],
}  # fmt: skip
SETTING_PERCENT: set[str] = {"min_return"}
# Words read once the planner is chosen (agent/understand/settings.py ``chosen_words``; they score no
# tool): whose hours a stated capacity is, the action families and the playbooks a question names.
CHOSEN_WORDS: dict[str, dict[object, list[str]]] = {
    "capacity_role": {
        "account_manager": ["account managers", "account manager", "account-manager", "am hours", "客户经理"],
        "collector": ["collectors", "collections team", "催收员", "催收专员"],
        "customer_success": ["customer success", "客户成功"],
        "inside_sales": ["inside sales", "电话销售"],
    },
    "actions": {
        "retention": [
            "retention", "retain", "keeping customers", "keep customers", "churn", "挽留", "留住", "保留", "流失",
        ],
        "service": ["self-service", "self service", "cost to serve", "cost-to-serve", "service", "自助", "服务"],
        "collections": ["collections", "collection", "overdue", "receivables", "催收", "回款", "逾期"],
        "pricing": ["pricing", "price", "定价", "价格", "提价"],
    },
    "horizon_months": {
        6: ["half a year", "half-year", "half year", "半年"],
    },
    "budget": {
        500_000: ["half a million"],
        0: ["no cash budget", "no money to spend", "没有额外预算", "没有预算"],
    },
    "playbooks": {
        "cts-self-service-channel-migration": ["self-service", "self service", "自助"],
    },
}  # fmt: skip
CHOSEN_LISTS: set[str] = {"actions", "playbooks"}

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "action": Msg("Action (playbook)", "行动（手册）"),
    "owner_role": Msg("Owner role", "负责角色"),
    "owner": Msg("Owner", "负责人"),
    "hours": Msg("Hours", "工时"),
    "expected_gain": Msg("Expected gain", "预期收益"),
    "expected_gain_low": Msg("Expected gain (low)", "预期收益（低）"),
    "expected_gain_high": Msg("Expected gain (high)", "预期收益（高）"),
    "why": Msg("Why", "原因"),
    "family": Msg("Action family", "行动类别"),
    "due_date": Msg("Due date", "截止日期"),
    "reason": Msg("Reason", "原因"),
    "role": Msg("Role", "角色"),
    "planned_hours": Msg("Planned hours", "计划工时"),
    "capacity_hours": Msg("Capacity (hours)", "可用工时"),
    "budget": Msg("Budget", "预算"),
    "planned_cost": Msg("Planned cost", "计划成本"),
    "marginal_gain_per_10k": Msg("Marginal gain per extra 10,000", "每追加1万的边际收益"),
    "plan": Msg("Plan", "方案"),
    "scenario": Msg("Scenario", "情景"),
    "customers_planned": Msg("Customers planned", "入选客户数"),
    "same_actions_share": Msg("Share of the same actions", "相同行动占比"),
    "customers": Msg("Customers", "客户数"),
}

# --- answer texts -------------------------------------------------------------------------------------

TITLE = Msg("Resource plan", "资源计划")
TABLE_PLAN = Msg(
    "Plan: customer, action, owner, cost, hours, expected gain",
    "计划：客户、行动、负责人、成本、工时、预期收益",
)
TABLE_HANDOUT = Msg("Hand-out: who does what by when", "任务清单：谁在何时前做什么")
TABLE_LEFT_OUT = Msg("Left out, and why", "未入选的客户及原因")
TABLE_HOURS = Msg("Hours per role", "各角色工时")
TABLE_CURVE = Msg("Marginal return of the budget", "预算的边际回报")
TABLE_COMPARE = Msg("The plan against two naive plans", "本计划与两个朴素方案对比")
TABLE_SENSITIVITY = Msg("Sensitivity: the ends of the effect ranges", "敏感性：效果区间的两端")
CHART_CURVE = Msg("Expected gain against budget (marginal return)", "预期收益随预算变化（边际回报）")
CHART_COMPARE = Msg("Expected gain: plan vs naive plans", "预期收益：本计划与朴素方案")
AXIS_BUDGET = Msg("Budget", "预算")
AXIS_GAIN = Msg("Expected gain", "预期收益")
MARK_BUDGET = Msg("your budget", "当前预算")
MARK_STOP = Msg("extra 10k stops paying", "追加1万不再划算")
PLAN_NAMES = {
    "optimal": Msg("Optimal plan", "最优计划"),
    "revenue_first": Msg("Highest revenue first", "收入优先"),
    "risk_first": Msg("Highest churn risk first", "流失风险优先"),
}
SCENARIOS = {
    "low": Msg("low end of every effect range", "所有效果取区间低端"),
    "high": Msg("high end of every effect range", "所有效果取区间高端"),
}
REASONS = {
    "negative_return": Msg("no action returns more than it costs", "没有行动的收益高于成本"),
    "below_min_return": Msg("below the minimum return", "低于最低回报要求"),
    "budget": Msg("the budget is used up", "预算已用完"),
    "capacity": Msg("the hours are used up", "工时已用完"),
    "within_gap": Msg("left within the solver's proven gap", "在求解器已证明的误差范围内未入选"),
}
ROLES = {
    "account_manager": Msg("account managers", "客户经理"),
    "senior_manager": Msg("senior managers", "高级经理"),
    "customer_success": Msg("customer success", "客户成功团队"),
    "marketing": Msg("marketing", "市场部"),
    "inside_sales": Msg("inside sales", "电话销售"),
    "support_agent": Msg("support agents", "客服"),
    "collector": Msg("collectors", "催收专员"),
    "credit_analyst": Msg("credit analysts", "信用分析师"),
}
FAMILIES = {
    "retention": Msg("retention", "挽留"),
    "service": Msg("service (cost-to-serve)", "服务（服务成本）"),
    "collections": Msg("collections", "催收"),
    "pricing": Msg("pricing", "定价"),
}
UNLIMITED = Msg("no limit", "不限")
# Argument values in words for the answer's "Understood:" line only (agent/understood.py; not read by
# the question engine, which has its own words above)
VALUE_WORDS = {
    "capacity_role": {k: [m.en, m.zh] for k, m in ROLES.items()},
    "role_hours": {k: [m.en, m.zh] for k, m in ROLES.items()},
    "actions": {k: [m.en, m.zh] for k, m in FAMILIES.items()},
}
ALL_FAMILIES = Msg(
    "all four (retention, service, collections, pricing)", "全部四类（挽留、服务、催收、定价）"
)

THIS_WEEK_HEAD = Msg("**First steps this week** (due by {date}):", "**本周先做**（{date}前）：")
THIS_WEEK_ITEM = Msg(
    "- {role}: {action} for {count} customers ({top}{more}), expected gain {gain}",
    "- {role}：对{count}个客户执行 {action}（{top}{more}），预期收益 {gain}",
)
THIS_WEEK_NONE = Msg(
    "Nothing is due this week: the first actions are due by {date}.",
    "本周没有到期的行动：最早的行动截止于 {date}。",
)
HEADLINE = Msg(
    "**Plan:** {customers} customers, {actions} actions; cost {cost} of a budget of {budget}, {hours} hours "
    "(capacity {capacity}). Expected gain {gain} (low {low}, high {high}: the ends of the effect ranges).",
    "**计划：**{customers}个客户、{actions}项行动；成本 {cost}（预算 {budget}），工时 {hours}（可用 {capacity}）。"
    "预期收益 {gain}（低 {low}，高 {high}：效果区间的两端）。",
)
NAIVE = Msg(
    "The same money and hours spent down a ranked list gain {revenue} (highest revenue first) and {risk} "
    "(highest churn risk first): the plan adds {more} over the better of them.",
    "同样的钱和工时若按排名依次花出，收益为 {revenue}（收入优先）和 {risk}（流失风险优先）：本计划比其中较好者多 {more}。",
)
STOP = Msg(
    "Marginal return: beyond a budget of {stop} an extra 10,000 returns less than 10,000 of expected gain.",
    "边际回报：预算超过 {stop} 后，每追加1万带来的预期收益不足1万。",
)
STOP_NONE = Msg(
    "Marginal return: no extra 10,000 of budget returns 10,000 or more here (the binding limit is hours, "
    "or every worthwhile action is already affordable).",
    "边际回报：此处追加1万预算带来的收益都不足1万（约束在工时，或值得做的行动都已负担得起）。",
)
STOP_BEYOND = Msg(
    "Marginal return: an extra 10,000 still returns more than 10,000 at {top} (1.5 x the budget): more "
    "budget would pay.",
    "边际回报：即使预算达到 {top}（1.5倍）时，每追加1万的收益仍超过1万：增加预算是划算的。",
)
SENSITIVITY = Msg(
    "Sensitivity: re-planned at the low end of every effect range the gain is {low} ({low_same} of the "
    "actions unchanged), at the high end {high} ({high_same} unchanged).",
    "敏感性：所有效果取区间低端重新规划，收益为 {low}（{low_same}的行动不变）；取高端为 {high}（{high_same}不变）。",
)
LEFT_OUT = Msg("Left out: {reasons}.", "未入选：{reasons}。")
LEFT_OUT_ITEM = Msg("{count} customers ({reason})", "{count}个客户（{reason}）")
NO_ECONOMICS = Msg(
    "None of the playbooks has an economics block (cost, effect range and targets per customer: "
    "playbooks/README.md, \"Economics\"), so there is no action to plan.",
    "所有手册都没有 economics 经济参数（每个客户的成本、效果区间和适用客户，见 playbooks/README.md 的 "
    "\"Economics\" 一节），因此没有可规划的行动。",
)
NO_CANDIDATES = Msg(
    "No customer qualifies for any action of {families}: the playbooks' targets (findings, thresholds) "
    "and inputs are listed in the skipped counts.",
    "没有客户符合{families}中任何行动的条件：各手册的目标（发现、阈值）和缺失的输入见跳过统计。",
)
SETTINGS = Msg(
    "Settings: budget {budget}; hours {capacity}; horizon {horizon} months; action families {families}; "
    "minimum return {min_return}. {defaults}",
    "设置：预算 {budget}；工时 {capacity}；期限 {horizon}个月；行动类别 {families}；最低回报 {min_return}。{defaults}",
)
DEFAULTS = Msg(
    'Not stated, so defaulted: {names} (say e.g. "budget 200k, 120 account manager hours, next quarter, '
    'retention only, at least 50% return").',
    "未说明而取默认值：{names}（可以这样说：“预算20万、客户经理120小时、下季度、只做挽留、回报率至少50%”）。",
)
DEFAULT_NAMES = {
    "budget": Msg("budget (no limit)", "预算（不限）"),
    "capacity": Msg("hours (no limit)", "工时（不限）"),
    "horizon_months": Msg("horizon (3 months)", "期限（3个月）"),
    "actions": Msg("action families (all)", "行动类别（全部）"),
    "min_return": Msg("minimum return (any positive gain)", "最低回报（正收益即可）"),
}
CAPACITY_ROLE = Msg("{hours} for {role}", "{role}{hours}")
ANY_GAIN = Msg("any positive gain", "正收益即可")
DOWNLOAD = Msg(
    "The hand-out (owner and due date per customer) downloads as CSV and XLSX.",
    "任务清单（每个客户的负责人和截止日期）可下载为 CSV 和 XLSX。",
)

FORMULA = Msg(
    "Integer programme (scipy.optimize.milp, HiGHS): maximise Σ_j g_j x_j over candidate actions j "
    "(customer x playbook) subject to Σ_j c_j x_j ≤ budget, Σ_j t_jr x_j ≤ hours of role r (or of the "
    "pool), at most one action per customer and group (one action, or one compatible bundle: collections "
    "with one relationship action), x_j ∈ {{0, 1}}. Expected gain g = value × effect − cost: retention "
    "e·p·CLV (or trailing profit), service e·h·cost-to-serve, collections e·overdue·loss rate of the "
    "grade, pricing the gross-profit what-if of a price change Δ·e at the segment's elasticity; low/high "
    "from the effect range. Solved exactly on small instances, within a proven gap of {gap} on large "
    "ones (achieved {achieved}).",
    "整数规划（scipy.optimize.milp，HiGHS）：在候选行动 j（客户 × 手册）上最大化 Σ_j g_j x_j，约束为 "
    "Σ_j c_j x_j ≤ 预算，Σ_j t_jr x_j ≤ 角色 r（或共用工时池）的工时，每个客户每组最多一项行动（一项行动，"
    "或一个兼容组合：催收加一项客户关系行动），x_j ∈ {{0, 1}}。预期收益 g = 价值 × 效果 − 成本：挽留为 "
    "e·p·CLV（或近12个月利润），服务为 e·h·服务成本，催收为 e·逾期金额·该信用等级的损失率，定价为按细分"
    "弹性计算价格变动 Δ·e 后的毛利变化；低/高值取效果区间两端。小规模问题精确求解，大规模问题在已证明的"
    "误差 {gap} 以内（实际 {achieved}）。",
)
ASSUMPTION_VALUES = Msg(
    "Values per customer from {sources}; revenue, profit and cost-to-serve of the trailing 12 months to "
    "the reference date; hours are not priced (they are limited instead); costs are one-off per customer.",
    "每个客户的价值来自 {sources}；收入、利润和服务成本取截至基准日的近12个月；工时不计价（以可用工时约束）；"
    "成本为每个客户一次性发生。",
)
ASSUMPTION_ESTIMATE = Msg(
    "Costs and effect ranges come from the economics block of each playbook's front matter (each with "
    "its basis; the team's playbooks: team estimates); collections loss rates by grade A-E "
    "2/5/10/25/50% are a team estimate too.",
    "成本和效果区间来自各手册 front matter 中的 economics 经济参数（每项注明依据；团队手册中的数字均为团队估计）；"
    "按信用等级 A-E 的催收损失率 2/5/10/25/50% 同样是团队估计。",
)
ASSUMPTION_DUE = Msg(
    "Due dates from the reference date: collections and retention within 7 days, service and pricing "
    "within 30 days (notice to the customer).",
    "截止日期从基准日起算：催收和挽留7天内，服务和定价30天内（需提前通知客户）。",
)
ASSUMPTION_NAIVE = Msg(
    "Naive plans walk the customers from the highest trailing revenue (or churn probability) down and give "
    "each its best action that still fits; they see the same candidates and limits.",
    "朴素方案按近12个月收入（或流失概率）从高到低依次为每个客户选择仍放得下的最佳行动；候选和约束与本计划相同。",
)
SKIPPED_SOURCE = Msg("Not measured: {notes}", "未能测量：{notes}")
NO_TRANSACTIONS = Msg(
    "The resource plan needs a transactions table (customer_id, date, revenue): the value of every action "
    "starts from the customer's revenue and profit.",
    "资源计划需要交易表（transactions：customer_id、date、revenue）：每项行动的价值都从客户的收入和利润算起。",
)
BAD_ECONOMICS = Msg(
    "The playbook file {file} has an invalid economics block: {field}: {problem}. Fix it in the "
    "playbook's front matter (the fields are described in playbooks/README.md, \"Economics\"), or remove "
    "the block so that the playbook offers no planner action.",
    "手册文件 {file} 的 economics 经济参数有误：{field}：{problem}。请在该手册的 front matter 中修正"
    "（各字段说明见 playbooks/README.md 的 \"Economics\" 一节），或删除该块，让这本手册不参与资源规划。",
)
BAD_CAPACITY = Msg(
    "Give the hours either as one number (capacity_hours, optionally with capacity_role) or per role "
    "(role_hours), not both.",
    "工时请只用一种方式给出：一个总数（capacity_hours，可加 capacity_role）或按角色（role_hours）。",
)
