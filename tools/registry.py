"""The one registry: every tool described once (name, bilingual description, Params, function).

It feeds the offline question engine, the LLM agent, the CLI and the UI alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from core.text import Msg
from tools import churn, clv_tool, credit, marketing, pricing, recommend, retention, satisfaction, value
from tools.bundle import DatasetBundle
from tools.errors import UserFacingError
from tools.results import ToolResult


@dataclass(frozen=True)
class ToolSpec:
    """A registered tool. ``requires`` lists the table kinds it reads (all needed unless noted)."""

    name: str
    description: Msg
    params: type[BaseModel]
    fn: Callable[[DatasetBundle, BaseModel], ToolResult]
    requires: tuple[str, ...]
    findings: tuple[str, ...] = ()
    # Services injected by the engine as keyword arguments (never chosen by a model), e.g.
    # ("playbooks",): fn(data, params, playbooks=store).
    deps: tuple[str, ...] = ()

    def parse(self, arguments: dict | None) -> BaseModel:
        """Validate arguments against the typed schema; errors become a bilingual bad_arguments error."""
        try:
            return self.params.model_validate(arguments or {})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or '(arguments)'}: {e['msg']}" for e in exc.errors()
            )
            raise UserFacingError(
                Msg(f"Bad arguments for {self.name}: {problems}", f"{self.name} 的参数有误：{problems}"),
                code="bad_arguments",
            ) from None

    def run(self, data: DatasetBundle, arguments: dict | None = None, **deps: object) -> ToolResult:
        return self.fn(data, self.parse(arguments), **deps)


TOOLS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in [
        ToolSpec(
            "dataset_overview",
            Msg(
                "What data is loaded: table kinds, rows, periods covered, column mapping and data-quality notes.",
                "已载入哪些数据：表类型、行数、覆盖期间、列映射和数据质量提示。",
            ),
            value.OverviewParams,
            value.dataset_overview,
            (),
        ),
        ToolSpec(
            "customer_profitability",
            Msg(
                "Profit per customer (or per segment/region/product/channel/industry): revenue, cost, gross "
                "profit, cost-to-serve, net profit, margin, share of total profit; top or bottom N; period filter.",
                "按客户（或细分/区域/产品/渠道/行业）计算利润：收入、成本、毛利、服务成本、净利润、利润率、"
                "占总利润比例；前N或后N名；可按期间筛选。",
            ),
            value.ProfitabilityParams,
            value.customer_profitability,
            ("transactions",),
            ("loss_making_customers", "high_cost_to_serve"),
        ),
        ToolSpec(
            "profit_concentration",
            Msg(
                "Whale curve: cumulative share of profit against share of customers ranked by profit, share of "
                "profit from the top 20%, loss-making customers and the profit they destroy, ABC classes.",
                "鲸鱼曲线：按利润排序的客户累计占比与利润累计占比，前20%客户的利润占比，亏损客户及其吞噬的利润，ABC分类。",
            ),
            value.ConcentrationParams,
            value.profit_concentration,
            ("transactions",),
            ("high_profit_concentration", "loss_making_customers"),
        ),
        ToolSpec(
            "rfm_segments",
            Msg(
                "RFM segmentation: recency, frequency, monetary value per customer, 1-5 quintile scores and named "
                "segments (Champions, Loyal, At risk, Can't lose them, Lost, ...) with counts and revenue share.",
                "RFM 客户分层：每个客户的最近购买、购买频次、消费金额，1-5 分位评分和命名分群"
                "（重要价值、忠诚、流失风险、不能失去、已流失等），含人数和收入占比。",
            ),
            value.RFMParams,
            value.rfm_segments,
            ("transactions",),
            ("at_risk_valuable_customers",),
        ),
        ToolSpec(
            "customer_lifetime_value",
            Msg(
                "Predicted customer lifetime value over a horizon (default one year): BG/NBD (default), MBG/NBD or "
                "Pareto/NBD purchase model x Gamma-Gamma spend x margin, discounted; per customer expected "
                "purchases, P(alive), expected spend and CLV; top customers, CLV by segment, calibration/holdout "
                "check; or the historical method (average order value x purchases a year x margin x lifetime).",
                "预测客户终身价值（默认未来一年）：BG/NBD（默认）、MBG/NBD 或 Pareto/NBD 购买模型 × Gamma-Gamma 消费模型 "
                "× 毛利率，并折现；每个客户的预期购买次数、仍活跃概率、预期消费和 CLV；高价值客户、各细分 CLV、校准/检验期对比；"
                "或历史法（平均订单金额 × 年购买次数 × 毛利率 × 生命周期）。",
            ),
            clv_tool.CLVParams,
            clv_tool.customer_lifetime_value,
            ("transactions",),
            ("at_risk_valuable_customers",),
        ),
        ToolSpec(
            "churn_risk",
            Msg(
                "Churn risk per customer: probability and risk level (high/medium/low). With a churned column in "
                "the customers table, a cross-validated supervised model (ROC AUC and top drivers); otherwise 1 - "
                "P(alive) from BG/NBD/MBG/NBD or a recency rule. Revenue at risk from high-risk customers.",
                "每个客户的流失风险：流失概率和风险等级（高/中/低）。客户表有 churned 列时用交叉验证的监督学习模型"
                "（ROC AUC 和主要驱动因素）；否则用 BG/NBD/MBG/NBD 的 1 − 仍活跃概率或最近购买规则。并计算高风险客户带来的风险收入。",
            ),
            churn.ChurnParams,
            churn.churn_risk,
            ("transactions",),
            ("high_churn_risk", "revenue_at_risk", "at_risk_valuable_customers"),
        ),
        ToolSpec(
            "churn_trend",
            Msg(
                "Churn rate by month, quarter or year (customers churned in the period / customers active at its "
                "start), overall and by segment, region, industry, acquisition channel, product or channel; names "
                "the peak periods and the highest-churn groups. Uses churn labels (customers: churned, churn_date) "
                "or, without them, an inactivity rule on transactions.",
                "按月、季度或年计算流失率（期间内流失客户数 / 期初活跃客户数），整体及按细分、区域、行业、获客渠道、产品或渠道；"
                "指出流失高峰期间和流失率最高的群体。使用客户表的流失标记（churned、churn_date），没有时按交易的不活跃规则推断。",
            ),
            retention.ChurnTrendParams,
            retention.churn_trend,
            ("customers", "transactions"),
            ("churn_peak",),
        ),
        ToolSpec(
            "cohort_retention",
            Msg(
                "Cohort retention: acquisition cohorts (signup or first-purchase month/quarter) x periods since "
                "acquisition, share of customers still buying and revenue kept relative to the first period, as "
                "heatmaps; average retention at 1, 3, 6 and 12 periods; flags weak cohorts. Needs transactions; "
                "a customers table with signup_date is optional.",
                "同期群留存：按获客（注册或首次购买）月份/季度分组 × 获客后的期数，仍在购买的客户比例和相对首期的收入留存，"
                "以热力图展示；第 1、3、6、12 期的平均留存率；标出留存偏低的同期群。需要交易表；客户表的注册日期可选。",
            ),
            retention.CohortParams,
            retention.cohort_retention,
            ("transactions", "customers"),
            ("low_retention_cohort",),
        ),
        ToolSpec(
            "customer_survival",
            Msg(
                "How long customers stay: Kaplan-Meier survival curves (still-active customers censored), median "
                "customer lifetime and the share still active after 1, 2 and 3 years, by segment or another "
                "dimension, with a log-rank test between the groups. Uses churn labels or an inactivity rule.",
                "客户能留多久：Kaplan-Meier 生存曲线（仍活跃的客户作删失处理）、客户中位生命周期及 1、2、3 年后仍留存的比例，"
                "按细分或其他维度比较，并做组间对数秩检验。使用流失标记或不活跃规则。",
            ),
            retention.SurvivalParams,
            retention.customer_survival,
            ("customers", "transactions"),
        ),
        ToolSpec(
            "price_sensitivity",
            Msg(
                "Price elasticity of demand from price/volume data (sales table or transactions with unit_price and "
                "quantity): log-log OLS with product fixed effects (+ promotion), per segment or product, with "
                "standard error, 95% CI and R²; what-if for a price change (volume, revenue, gross profit); "
                "discount depth vs volume lift.",
                "基于价格/数量数据（销售表或含 unit_price 和 quantity 的交易表）估算需求价格弹性：带产品固定效应（及促销）的"
                "双对数 OLS，按细分或产品分别估算，给出标准误、95%置信区间和 R²；价格变动的影响估算（销量、收入、毛利）；"
                "折扣深度与销量提升。",
            ),
            pricing.PriceParams,
            pricing.price_sensitivity,
            ("sales",),
            ("price_inelastic_segment", "price_elastic_segment", "over_discounting"),
        ),
        ToolSpec(
            "marketing_roi",
            Msg(
                "Marketing return per acquisition channel or period: spend, leads, new customers, conversion rate, "
                "CAC, first-year revenue and gross profit of the customers acquired, ROI, LTV:CAC and CAC payback "
                "in months.",
                "按获客渠道或期间的营销回报：投入、线索、新客户、转化率、获客成本（CAC）、所获客户的首年收入和毛利、"
                "投资回报率（ROI）、LTV:CAC 及 CAC 回收期（月）。",
            ),
            marketing.MarketingParams,
            marketing.marketing_roi,
            ("marketing",),
            ("unprofitable_channel", "high_ltv_cac_channel"),
        ),
        ToolSpec(
            "satisfaction_analysis",
            Msg(
                "Customer satisfaction from feedback: CSAT (1-5) or NPS (0-10) by segment or period, complaint "
                "rate and categories (Pareto), response and resolution times, and whether customers who complain "
                "or score low churn more than the rest (with counts and a significance test).",
                "基于反馈的客户满意度：按细分或期间的 CSAT（1-5分）或 NPS（0-10分）、投诉率和投诉类别（帕累托）、"
                "响应和解决时间，以及投诉或低分客户是否比其他客户流失更多（含人数和显著性检验）。",
            ),
            satisfaction.SatisfactionParams,
            satisfaction.satisfaction_analysis,
            ("feedback",),
            ("low_satisfaction_segment", "complaint_driven_churn"),
        ),
        ToolSpec(
            "receivables_aging",
            Msg(
                "Receivables ageing at a date: open invoice amounts by days past due (current, 1-30, 31-60, 61-90, "
                "90+) overall and per customer, overdue amount and share, DSO (simple 90-day or countback), "
                "average days late, share paid late and written-off rate.",
                "某一基准日的应收账龄：按逾期天数（未到期、1-30、31-60、61-90、90天以上）划分的未收发票金额（总体及各客户）、"
                "逾期金额和占比、DSO（90天简单法或倒推法）、平均逾期天数、逾期付款比例和核销率。",
            ),
            credit.AgingParams,
            credit.receivables_aging,
            ("invoices",),
            ("overdue_receivables",),
        ),
        ToolSpec(
            "financial_health",
            Msg(
                "Customers' financial health from their statements: debt ratio, current and quick ratio, interest "
                "coverage and the Altman Z-score (Z, Z' private, Z'' non-manufacturers) with its zone "
                "(distress / grey / safe) per customer.",
                "根据客户财务报表评估财务健康：资产负债率、流动比率、速动比率、利息保障倍数，以及每个客户的 Altman Z 值"
                "（Z、非上市 Z'、非制造业 Z''）及其分区（困境/灰色/安全）。",
            ),
            credit.HealthParams,
            credit.financial_health,
            ("financials",),
            ("financial_distress",),
        ),
        ToolSpec(
            "credit_risk",
            Msg(
                "Credit scorecard per customer: grade A-E from payment behaviour (days late, share late, overdue, "
                "write-offs, deteriorating) and, when statements are loaded, financial health (Altman zone, current "
                "and debt ratio), with the reasons and a recommended credit limit, payment terms and deposit or "
                "prepayment. Needs invoices; financials optional.",
                "客户信用评分卡：根据付款行为（逾期天数、逾期付款比例、逾期余额、核销、付款恶化）以及已上传时的财务健康"
                "（Altman 分区、流动比率、资产负债率）给出 A-E 等级及扣分原因，并建议信用额度、账期和定金或预付款。"
                "需要发票表；财务报表可选。",
            ),
            credit.CreditRiskParams,
            credit.credit_risk,
            ("invoices",),  # financials optional (read when loaded)
            ("overdue_receivables", "high_credit_risk", "deteriorating_payer"),
        ),
        ToolSpec(
            "recommend_actions",
            Msg(
                "Recommended actions for the findings of the analyses run in this conversation: cited strategy "
                "playbooks with the targeted customers, why (metric and threshold) and the expected impact in money.",
                "针对本次对话中分析发现的问题给出行动建议：引用策略手册，列出目标客户、原因（指标和阈值）及预期金额效果。",
            ),
            recommend.RecommendParams,
            recommend.recommend_actions,
            (),
            deps=("playbooks",),
        ),
    ]
}


def get_tool(name: str) -> ToolSpec:
    """The spec named ``name`` or a bilingual unknown_tool error listing the registered names."""
    try:
        return TOOLS[name]
    except KeyError:
        names = ", ".join(TOOLS)
        raise UserFacingError(
            Msg(f"Unknown tool '{name}'. Tools: {names}.", f"没有名为“{name}”的工具。可用工具：{names}。"),
            code="unknown_tool",
        ) from None
