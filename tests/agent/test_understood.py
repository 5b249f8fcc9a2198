"""Issue 14 items 1 and 3: every answer starts with what was understood (and what was not applied, with
the reason); comparisons split the result; the engine asks back with options a typed number, a button or
``--pick N`` answers; out-of-scope requests get two sentences and three questions, no numbers.

Golden numbers come from plain pandas on the demo frames (the reference computations written here),
not from the tools under test.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from agent import engine
from agent.session import Session
from agent.understand import Clarification, Option
from agent.understand.pick import pick
from core.text import Msg
from prompts import clarify as W


@pytest.fixture(scope="module")
def session() -> Session:
    return Session(demo=True)


def _net_profit_top(session: Session, region: str, n: int) -> list[str]:
    """Reference: customers of ``region`` (customers table) ranked by revenue - cost - service_cost."""
    tx, cu = session.bundle.get("transactions"), session.bundle.get("customers")
    kept = tx[tx["customer_id"].isin(set(cu.loc[cu["region"] == region, "customer_id"]))]
    profit = (kept["revenue"] - kept["cost"] - kept["service_cost"].fillna(0)).groupby(kept["customer_id"]).sum()
    return list(profit.sort_values(ascending=False).index[:n])


def test_the_first_line_names_the_analysis_and_each_applied_argument(session):
    answer = engine.answer("华东区利润最高的5个客户", session, "offline")
    assert answer.markdown.startswith(answer.understood + "\n\n")
    assert answer.understood == "理解为：客户盈利能力 · 前5名 按利润 · 区域 = East"
    assert answer.not_applied == []
    assert list(answer.result.tables[0].frame["customer_id"]) == _net_profit_top(session, "East", 5)


def test_asked_back_when_only_the_runner_up_can_apply_what_was_stated(session):
    """"churn risk by month": churn_risk scores customers (a month is not one of its groups), churn_trend
    takes the month: both are offered, numbered, nothing is computed (agent/understand/choose.py)."""
    answer = engine.answer("churn risk by month", session, "offline")
    assert answer.runs == []
    assert [(o["tool"], o["arguments"]) for o in answer.clarify["options"]] == [
        ("churn_risk", {}),
        ("churn_trend", {"group_by": "month"}),
    ]
    assert answer.understood.startswith("Understood: not sure which analysis is meant")
    assert "1. Churn risk" in answer.markdown and "2. Churn over time · per month" in answer.markdown
    picked = engine.answer("2", session, "offline")
    assert [r.tool for r in picked.runs] == ["churn_trend"] and picked.runs[0].arguments == {"group_by": "month"}


def test_a_comparison_runs_once_per_value_and_puts_the_facts_side_by_side(session):
    answer = engine.answer("receivables aging for East vs West", session, "offline")
    assert answer.understood == "Understood: Receivables ageing and DSO · region: East vs West compared"
    assert [r.arguments["filters"]["region"] for r in answer.runs] == [["East"], ["West"]]
    table = answer.result.tables[0].frame
    assert list(table["region"]) == ["East", "West"]
    inv, cu = session.bundle.get("invoices"), session.bundle.get("customers")
    for region in ("East", "West"):  # reference: open amount = amount - paid_amount on unpaid, not written off
        ids = set(cu.loc[cu["region"] == region, "customer_id"])
        mine = inv[inv["customer_id"].isin(ids) & ~inv["written_off"].fillna(False).astype(bool)]
        open_amount = (mine["amount"] - mine["paid_amount"].fillna(0)).where(mine["paid_date"].isna(), 0).sum()
        got = float(table.loc[table["region"] == region, "open_amount"].iloc[0])
        assert got == pytest.approx(open_amount, abs=0.01)
    assert len(answer.result.charts) == 1


def test_a_count_above_the_cap_says_what_was_listed_instead(session):
    answer = engine.answer("top 100000000 customers by revenue", session, "offline")
    assert answer.not_applied == [
        {"part": "n", "value": 100_000_000, "reason": "an answer lists at most 10,000 rows, so 10 are shown"}
    ]
    assert "not applied: n = 100000000" in answer.understood


@pytest.mark.parametrize(
    "question, lang", [("What's Apple's stock price today?", "en"), ("明天北京天气怎么样？", "zh")]
)
def test_out_of_scope_is_two_sentences_and_three_questions_without_numbers(session, question, lang):
    answer = engine.answer(question, session, "offline")
    assert answer.runs == [] and answer.result is None
    body = answer.markdown.removeprefix(answer.understood).strip()
    assert body.startswith(W.OUT_OF_SCOPE.get(lang))
    examples = [line for line in body.splitlines() if line.startswith("- ")]
    assert len(examples) == 3
    assert len(body) < 700  # not the whole capability menu


def _offer(session: Session) -> None:
    session.pending_clarify = Clarification(
        W.WHICH,
        (
            Option("churn_risk", {"n": 5}, Msg("Churn risk", "流失风险")),
            Option("churn_trend", {"group_by": "month"}, Msg("Churn trend", "流失趋势")),
        ),
    )


@pytest.mark.parametrize("reply", ["2", "the second one", "第二个", "option 2"])
def test_a_typed_number_picks_the_option_just_offered(reply):
    session = Session(demo=True)
    _offer(session)
    answer = engine.answer(reply, session, "offline")
    assert [r.tool for r in answer.runs] == ["churn_trend"]
    assert answer.runs[0].arguments.get("group_by") == "month"
    assert session.pending_clarify is None


def test_a_new_question_after_options_is_answered_as_a_question():
    session = Session(demo=True)
    _offer(session)
    answer = engine.answer("top 3 customers by revenue", session, "offline")
    assert answer.runs[0].tool == "customer_profitability" and len(answer.result.tables[0].frame) == 3


def test_pick_reads_only_short_replies_within_the_options():
    assert [pick(r, 3) for r in ("1", "3.", "#2", "选2", "第三项", "2nd")] == [1, 3, 2, 2, 3, 2]
    assert [pick(r, 3) for r in ("4", "0", "top 2 customers", "2024", "")] == [None] * 5


def test_clarify_json_and_pick_on_the_cli():
    """The CLI contract: a clarify object with tool null and exit 0, and ``--pick N`` answers it."""
    base = [sys.executable, "-m", "agent.cli", "ask", "churn risk by month", "--engine", "offline", "--json"]
    first = subprocess.run(base, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert out["tool"] is None and out["tool_calls"] == [] and out["facts"] == {}
    assert out["clarify"]["question"] == "Which of these did you mean?"
    assert [o["tool"] for o in out["clarify"]["options"]] == ["churn_risk", "churn_trend"]
    picked = subprocess.run([*base, "--pick", "2"], capture_output=True, text=True, timeout=300)
    assert picked.returncode == 0, picked.stderr
    answer = json.loads(picked.stdout)
    assert answer["tool"] == "churn_trend" and answer["arguments"] == {"group_by": "month"}
    assert answer["understood"] == "Understood: Churn over time · per month" and "clarify" not in answer
    wrong = subprocess.run([*base, "--pick", "7"], capture_output=True, text=True, timeout=300)
    assert wrong.returncode == 2 and json.loads(wrong.stdout)["error"]["code"] == "bad_arguments"


def test_two_zones_are_compared_and_each_count_matches_the_unfiltered_analysis(session: Session) -> None:
    answer = engine.answer("How many customers are in the safe zone vs the distress zone?", session, "offline")
    assert [r.arguments["filters"]["altman_zone"] for r in answer.runs] == [["safe"], ["distress"]]
    overall = engine.run_tool(session, "financial_health", {}, "en").result.facts  # reference: no filter
    counts = dict(zip(answer.combined.tables[0].frame["altman_zone"], answer.combined.tables[0].frame["customers"], strict=True))
    assert counts == {"safe": overall["safe_customers"], "distress": overall["distress_customers"]}
    assert "safe vs distress compared" in answer.understood
    zh = engine.answer("安全区和困境区的客户各有多少", session, "offline")
    assert [r.arguments["filters"]["altman_zone"] for r in zh.runs] == [["safe"], ["distress"]]


def test_a_comparison_keeps_the_stated_grouping(session: Session) -> None:
    answer = engine.answer("华东和华西的季度流失率比较一下", session, "offline")
    assert [(r.tool, r.arguments) for r in answer.runs] == [
        ("churn_trend", {"group_by": "quarter", "filters": {"region": ["East"]}}),
        ("churn_trend", {"group_by": "quarter", "filters": {"region": ["West"]}}),
    ]
    east = engine.run_tool(session, "churn_trend", {"group_by": "quarter", "filters": {"region": ["East"]}}, "zh")
    assert answer.runs[0].result.tables[0].frame.equals(east.result.tables[0].frame)
    assert "按季度" in answer.understood and "East 对比 West" in answer.understood


@pytest.mark.parametrize(
    ("question", "group_by"),
    [("线上渠道客户的季度流失率", "quarter"), ("Annual churn for 2023, 2024 and 2025", "year"), ("年度流失率", "year")],
)
def test_quarterly_and_annual_wording_groups_by_the_period(session: Session, question: str, group_by: str) -> None:
    answer = engine.answer(question, session, "offline")
    assert answer.runs[0].tool == "churn_trend" and answer.runs[0].arguments["group_by"] == group_by


@pytest.mark.parametrize(
    ("question", "grouped", "dropped"),
    [("revenue by region and by segment?", "region", "segment"), ("monthly revenue by region", "month", "region")],
)
def test_a_second_grouping_is_named_not_applied(session: Session, question: str, grouped: str, dropped: str) -> None:
    answer = engine.answer(question, session, "offline")
    assert answer.runs[0].arguments["group_by"] == grouped
    assert {"part": "group_by", "value": dropped, "reason": f"an analysis groups by one dimension at a time (here: {grouped})"} in answer.not_applied
    assert f"not applied: grouping = {dropped}" in answer.understood


def test_and_inside_a_full_question_does_not_make_it_a_follow_up(session: Session) -> None:
    first = engine.answer("how should we split the retention budget of 50k?", session, "offline")
    assert first.runs[0].arguments["actions"] == ["retention"]
    second = engine.answer("We have 100k and 80 hours of account managers: who gets what?", session, "offline")
    assert "actions" not in second.runs[0].arguments  # not inherited from the previous plan
    assert second.runs[0].arguments["budget"] == 100000
    engine.answer("top 5 customers by profit", session, "offline")
    followup = engine.answer("and by region?", session, "offline")
    assert followup.runs[0].arguments == {"n": 5, "group_by": "region"}
