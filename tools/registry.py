"""The one registry: every tool described once (name, bilingual description, Params, function).

It feeds the offline question engine, the LLM agent, the CLI and the UI alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from tools import value
from tools.bundle import DatasetBundle
from tools.errors import UserFacingError
from tools.results import ToolResult
from tools.text import Msg


@dataclass(frozen=True)
class ToolSpec:
    """A registered tool. ``requires`` lists the table kinds it reads (all needed unless noted)."""

    name: str
    description: Msg
    params: type[BaseModel]
    fn: Callable[[DatasetBundle, BaseModel], ToolResult]
    requires: tuple[str, ...]
    findings: tuple[str, ...] = ()

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

    def run(self, data: DatasetBundle, arguments: dict | None = None) -> ToolResult:
        return self.fn(data, self.parse(arguments))


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
                "Customer lifetime value per customer: historical model = average order value x purchases per "
                "year x gross margin x expected lifetime; top customers and CLV by segment.",
                "客户终身价值：历史法 = 平均订单金额 × 年购买次数 × 毛利率 × 预期生命周期；列出高价值客户及各细分的CLV。",
            ),
            value.CLVParams,
            value.customer_lifetime_value,
            ("transactions",),
            ("at_risk_valuable_customers",),
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
