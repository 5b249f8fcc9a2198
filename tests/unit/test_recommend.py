"""recommend_actions: ranking per finding, targets, why, impact, citations; engine integration."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent import engine
from agent.compose import answer_to_json
from agent.retrieval import PlaybookStore, playbook_files
from agent.session import Session
from core.text import Msg
from tools.bundle import DatasetBundle
from tools.recommend import FindingArg, PlaybookHit, RecommendParams, recommend, recommend_actions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "playbooks"


class ListStore:
    """A tiny in-memory store (the tool depends only on the protocol)."""

    def __init__(self, hits: list[PlaybookHit]) -> None:
        self.hits, self.calls = hits, []

    def search(self, query, *, findings=(), action_type=None, k=3):
        self.calls.append((query, tuple(findings), action_type))
        return [h for h in self.hits if not findings or set(findings) & set(h.findings)][:k]


HITS = [
    PlaybookHit(
        "a-call", Msg("Call them", "致电"), "retention", ("at_risk",), (0.1, 0.2), True, Msg("team", "团队")
    ),
    PlaybookHit(
        "b-price", Msg("Reprice", "调价"), "pricing", ("loss",), (0.3, 0.5), False, Msg("study", "研究")
    ),
    PlaybookHit("c-both", Msg("Review", "复盘"), "retention", ("at_risk", "loss"), None),
]


def test_round_robin_by_value_with_targets_and_impact() -> None:
    findings = [
        FindingArg(name="loss", customers=["L1"], value=100.0, metric="profit", threshold=0.0),
        FindingArg(name="at_risk", customers=["A1", "A2"], value=1000.0),
    ]
    recs = recommend(DatasetBundle(), ListStore(HITS), findings, n=3)
    assert [r.playbook.id for r in recs] == ["a-call", "b-price", "c-both"]
    assert recs[0].impact == (100.0, 200.0) and recs[0].customers == ["A1", "A2"]
    assert recs[1].impact == (30.0, 50.0) and "threshold 0" in recs[1].why().en
    assert recs[2].impact is None  # no success range: not quantified


def test_tool_result_is_bilingual_and_cites(demo_bundle) -> None:
    ids = demo_bundle.get("customers")["customer_id"].astype(str).tolist()[:3]
    params = RecommendParams(findings=[FindingArg(name="at_risk", customers=ids, value=5000.0)], n=2)
    result = recommend_actions(demo_bundle, params, ListStore(HITS))
    assert "a-call" in result.summary.en and "a-call" in result.summary.zh
    assert "estimate" in result.summary.en and "估计" in result.summary.zh
    name = demo_bundle.get("customers")["name"].iloc[0]
    assert name in result.summary.en  # top customers named
    assert result.facts["impact_high"] == 1000.0 and result.facts["customers_targeted"] == 3


def test_no_findings_says_so() -> None:
    result = recommend_actions(DatasetBundle(), RecommendParams(), ListStore(HITS))
    assert result.facts["recommendations"] == 0 and "Run an analysis first" in result.summary.en


@pytest.fixture
def session(tmp_path: Path) -> Session:
    s = Session(demo=True)
    s.set_playbooks(PlaybookStore(FIXTURES, tmp_path / "chroma"))
    return s


@pytest.mark.parametrize(
    ("question", "tool_first", "playbook"),
    [
        ("What should we do about customers at risk?", "rfm_segments", "retention-vip-outreach"),
        (
            "What should we do about loss-making customers?",
            "customer_profitability",
            "cost-to-serve-repricing",
        ),
        ("亏损客户应该怎么办？", "customer_profitability", "cost-to-serve-repricing"),
    ],
)
def test_engine_runs_the_measuring_tool_on_demand(session, question, tool_first, playbook) -> None:
    answer = engine.answer(question, session, "offline")
    payload = answer_to_json(answer)
    assert [c["tool"] for c in payload["tool_calls"]] == [tool_first, "recommend_actions"]
    rec = payload["recommendations"][0]
    assert rec["playbook_id"] == playbook and rec["title"] and rec["why"]
    assert rec["customers"] > 0 and rec["impact_high"] > rec["impact_low"] > 0
    assert playbook in answer.markdown


def test_unmeasured_finding_still_gets_cited_playbooks(session) -> None:
    answer = engine.answer("对逾期客户应该怎么办？", session, "offline")
    payload = answer_to_json(answer)
    assert payload["tool"] == "recommend_actions"
    assert payload["recommendations"][0]["playbook_id"] == "collections-dunning-sequence"


def test_other_answers_end_with_recommendations_and_session_findings_are_used(session) -> None:
    first = engine.answer("top 5 customers by profit", session, "offline")
    assert first.recommendations and "cost-to-serve-repricing" in first.markdown
    assert {"playbook_id", "title", "why"} <= set(first.recommendations[0])
    follow = engine.answer("what should we do?", session, "offline")
    assert [r.tool for r in follow.runs] == ["recommend_actions"]  # no re-run: session findings
    assert follow.recommendations[0]["finding"] in {"loss_making_customers", "high_cost_to_serve"}


def test_acceptance_questions_cite_existing_playbooks(tmp_path: Path) -> None:
    s = Session(demo=True)
    s.set_playbooks(PlaybookStore(Path("playbooks"), tmp_path / "chroma"))
    known = {p.stem for p in playbook_files(Path("playbooks"))}
    for q in ("What should we do about customers at risk?", "对逾期客户应该怎么办？"):
        s.forget_last_call()
        recs = answer_to_json(engine.answer(q, s, "offline"))["recommendations"]
        assert recs and all(r["playbook_id"] in known for r in recs), q
