"""plan_resources end to end, offline, on the demo company (issue 15): the questions of the issue in both
languages reach the registered tool with their arguments; its facts equal a direct call of tools/plan on
the same values; the plan gains at least as much as both naive plans; the answer starts with who does
what this week; the hand-out downloads as CSV and XLSX; and, on a small demo company, the registered
tool's optimum equals brute-force enumeration of the candidates it saw.
"""

from __future__ import annotations

import io
import typing

import pandas as pd
import pytest

from agent import downloads, engine
from agent.compose import answer_to_json
from agent.playbooks import DEFAULT_PLAYBOOKS, load_library
from agent.session import Session, demo_datasets
from tests.unit.test_plan_optimise import brute_force
from tools.bundle import DatasetBundle
from tools.errors import UserFacingError
from tools.plan.candidates import build_candidates
from tools.plan.plan import FACT_NAMES, plan_resources
from tools.plan.tool import PlanParams, Role, run_plan
from tools.plan.values import gather
from tools.registry import TOOLS

LIBRARY = load_library(DEFAULT_PLAYBOOKS)  # the team's playbooks, whose economics the session injects
ECONOMICS = list(LIBRARY.economics())
CONTRACT_COLUMNS = ["customer_id", "action", "owner_role", "cost", "hours", "expected_gain"]
# (question, the arguments it states, as plan_resources keywords). The tight questions make the limits
# bind on the demo company (its actions cost about 700 in all when nothing limits them).
QUESTIONS = [
    (
        "en",
        "We have ¥200,000 and three account managers (120 hours) for next quarter: which customers get what?",
        {"budget": 200_000.0, "capacity": {"account_manager": 120.0}, "horizon_months": 3.0},
    ),
    (
        "zh",
        "我们有20万预算做客户挽留，应该花在哪些客户身上？",
        {"budget": 200_000.0, "families": ["retention"]},
    ),
    (
        "en",
        "We have ¥300 and 10 account manager hours for next quarter: which customers get what?",
        {"budget": 300.0, "capacity": {"account_manager": 10.0}, "horizon_months": 3.0},
    ),
    (
        "zh",
        "预算300元，客户经理10小时，下季度哪些客户做什么？",
        {"budget": 300.0, "capacity": {"account_manager": 10.0}, "horizon_months": 3.0},
    ),
]


@pytest.fixture
def session() -> Session:
    """A fresh conversation per test: each question is asked on its own (no follow-up context)."""
    return Session(demo=True)


@pytest.fixture(scope="module")
def values():
    return gather(Session(demo=True).bundle)


@pytest.mark.parametrize(
    ("lang", "question", "stated"), QUESTIONS, ids=lambda x: x if len(str(x)) < 4 else None
)
def test_question_to_plan_equals_a_direct_call(session, values, lang, question, stated) -> None:
    answer = engine.answer(question, session, "offline")
    assert answer.language == lang and answer.result is not None and answer.result.tool == "plan_resources"
    facts = answer.result.facts
    direct = plan_resources(values.frame, ECONOMICS, **{"budget": None, **stated})
    assert {k: facts[k] for k in FACT_NAMES} == direct.facts
    assert facts["expected_gain"] >= facts["naive_revenue_first_gain"] - 1e-9
    assert facts["expected_gain"] >= facts["naive_risk_first_gain"] - 1e-9
    plan = answer.result.tables[0]
    assert plan.name == "plan" and list(plan.frame.columns[:6]) == CONTRACT_COLUMNS
    pd.testing.assert_frame_equal(plan.frame, direct.table)
    head = "**First steps this week**" if lang == "en" else "**本周先做**"
    assert answer.body.startswith(head), answer.body[:200]
    payload = answer_to_json(answer)
    assert (
        set(FACT_NAMES) <= set(payload["facts"]) and payload["tables"][0]["columns"][:6] == CONTRACT_COLUMNS
    )
    assert payload["charts"] and "marginal" in answer.result.charts[0].title.en


def test_tight_limits_bind_and_the_plan_beats_ranking(session) -> None:
    """With 300 of money and 10 account manager hours the naive plans leave gain on the table (both
    are feasible for the integer programme, so the optimum can only be higher or equal)."""
    facts = engine.answer(QUESTIONS[2][1], session, "offline").result.facts
    assert facts["planned_cost"] <= 300.0 + 1e-9
    assert facts["expected_gain"] > max(facts["naive_revenue_first_gain"], facts["naive_risk_first_gain"])


def test_handout_downloads_as_csv_and_xlsx_with_owner_and_due_date(session) -> None:
    result = engine.answer(QUESTIONS[0][1], session, "offline").result
    files = downloads.files(result)["handout"]
    assert [name for name, _, _ in files] == ["plan_handout.csv", "plan_handout.xlsx"]
    sheet = next(t.frame for t in result.tables if t.name == "handout")
    csv = pd.read_csv(io.BytesIO(files[0][1]), encoding="utf-8-sig", dtype={"customer_id": str})
    xlsx = pd.read_excel(io.BytesIO(files[1][1]), dtype={"customer_id": str}, engine="openpyxl")
    for frame in (csv, xlsx):
        assert {"owner", "owner_role", "due_date"} <= set(frame.columns) and len(frame) == len(sheet)
        assert list(frame["customer_id"]) == list(sheet["customer_id"])
    # due dates: collections and retention 7 days after the reference date (2025-12-31), the others 30
    due = dict(zip(sheet["family"], pd.to_datetime(sheet["due_date"]).dt.date.astype(str), strict=False))
    assert due["collections"] == "2026-01-07"
    assert downloads.files(TOOLS["customer_profitability"].run(session.bundle, {})) == {}


def test_registered_tool_equals_brute_force_on_a_small_company() -> None:
    """Ten demo customers (seed 2): the candidates the tool sees allow about 150,000 assignments, so
    enumeration is exact. Limits: half the money and half the hours (one pool) that every customer's
    best candidate would use (so both bind), computed here from the candidates."""
    bundle = DatasetBundle(demo_datasets(10, 2))
    frame = build_candidates(gather(bundle).frame, ECONOMICS).frame
    best = frame[frame["gain_mid"] > 0].sort_values("gain_mid").groupby(["customer_id", "group"]).tail(1)
    budget = round(float(best["cost"].sum()) / 2, 2)
    hours = float(best["hours"].sum()) / 2
    assert budget > 0 and hours > 0
    result = run_plan(bundle, PlanParams(budget=budget, capacity_hours=hours), LIBRARY)
    expected = brute_force(frame, budget, hours)
    assert expected < float(best["gain_mid"].sum())  # the limits bind
    assert result.facts["expected_gain"] == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert result.facts["planned_cost"] <= budget + 1e-9


def test_roles_are_those_of_the_playbook_economics() -> None:
    assert set(typing.get_args(Role)) == {r for e in ECONOMICS for r in e.roles} | {
        e.owner_role for e in ECONOMICS
    }


def test_hours_arguments_become_the_optimiser_capacity() -> None:
    spec = TOOLS["plan_resources"]
    assert spec.parse({}).capacity() is None
    assert spec.parse({"capacity_hours": 120}).capacity() == 120  # one pool for every role
    assert spec.parse({"capacity_hours": 120, "capacity_role": "account_manager"}).capacity() == {
        "account_manager": 120
    }
    both = {"role_hours": {"collector": 40}, "capacity_hours": 120, "capacity_role": "account_manager"}
    assert spec.parse(both).capacity() == {"collector": 40, "account_manager": 120}
    for bad in ({"role_hours": {"collector": 40}, "capacity_hours": 120}, {"capacity_role": "pilot"}):
        with pytest.raises(UserFacingError) as info:
            spec.parse(bad)
        assert info.value.code == "bad_arguments"


def test_unknown_playbook_is_a_bad_argument(session) -> None:
    with pytest.raises(UserFacingError) as info:
        TOOLS["plan_resources"].run(session.bundle, {"playbooks": ["no-such-playbook"]}, playbook_economics=LIBRARY)
    assert info.value.code == "bad_arguments" and "cts-self-service-channel-migration" in info.value.msg.en
