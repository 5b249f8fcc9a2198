"""The offline engine on the resource planner's questions (issue 15): the four questions of the issue and
the number forms they use, each asserted with the tool and the argument values the tool runs with.

Golden values are the amounts as stated in the question: ¥200,000 = 200,000; 20万 = 20 x 10,000; "three
account managers (120 hours)" = 120 account-manager hours (the stated total, not multiplied); "next
quarter" = 3 months; "two ... 80 hours each" = 2 x 80 = 160; "at least 1.5x" = min_return 1.5.
"""

from __future__ import annotations

from datetime import date

import pytest

from agent.understand import Context, parse
from tools.registry import TOOLS

CTX = Context(
    kinds=frozenset({"transactions", "customers", "invoices"}),
    values={"industry": {"Services", "Retail"}, "region": {"East", "West"}},
    as_of=date(2025, 12, 31),
)


def effective(question: str) -> tuple[str | None, dict]:
    intent = parse(question, CTX)
    if intent.tool is None:
        return None, {}
    return intent.tool, TOOLS[intent.tool].params.model_validate(intent.arguments).model_dump(mode="json")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "We have ¥200,000 and three account managers (120 hours) for next quarter: which customers get what?",
            {"budget": 200_000, "capacity_hours": 120, "capacity_role": "account_manager", "horizon_months": 3,
             "actions": None},
        ),
        ("我们有20万预算做客户挽留，应该花在哪些客户身上？", {"budget": 200_000, "actions": ["retention"],
                                                 "capacity_hours": None}),
        ("how should we split the retention budget?", {"budget": None, "actions": ["retention"]}),
        # "self-service" is the service family and its playbook, not the industry "Services"
        ("who should move to self-service?", {"actions": ["service"], "filters": None,
                                              "playbooks": ["cts-self-service-channel-migration"]}),
        ("Two account managers with 80 hours each this month: who should they call?",
         {"capacity_hours": 160, "capacity_role": "account_manager"}),
        ("Budget $50k, collections only, at least a 1.5x return",
         {"budget": 50_000, "actions": ["collections"], "min_return": 1.5}),
        ("预算30万，只做挽留和服务，回报率至少50%", {"budget": 300_000, "actions": ["retention", "service"],
                                          "min_return": 0.5}),
        ("Optimise our customer action plan under a budget of 1,000,000 for the next 12 months.",
         {"budget": 1_000_000, "horizon_months": 12}),
    ],
)  # fmt: skip
def test_plan_questions_route_with_their_arguments(question: str, expected: dict) -> None:
    tool, arguments = effective(question)
    assert tool == "plan_resources", question
    for key, value in expected.items():
        assert arguments[key] == value, (key, arguments)


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("Which customers in the Services industry bring the most revenue?", "customer_profitability"),
        ("What should we do about the loss-making customers?", "recommend_actions"),
        ("Which customers are likely to churn next quarter?", "churn_risk"),
    ],
)
def test_neighbouring_questions_keep_their_tools(question: str, tool: str) -> None:
    """The planner's words ("service", "budget", "churn") do not pull other questions to the planner."""
    intent = parse(question, CTX)
    assert intent.tool == tool
    if tool == "customer_profitability":
        assert intent.arguments["filters"] == {"industry": ["Services"]}
