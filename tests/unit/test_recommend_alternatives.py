"""recommend_actions (issue 15, item 5): playbooks aimed at the same customers are alternatives for the
same money at stake; the answer says so, does not add their impacts, and offers the plan as a question
that the offline engine sends to plan_resources."""

from __future__ import annotations

from agent.understand import Context, parse
from core.text import Msg
from prompts import recommend_actions as W
from tools.bundle import DatasetBundle
from tools.recommend import (
    FindingArg,
    PlaybookHit,
    RecommendParams,
    alternatives,
    recommend,
    recommend_actions,
    render,
)


class ListStore:
    def __init__(self, hits: list[PlaybookHit]) -> None:
        self.hits = hits

    def search(self, query, *, findings=(), action_type=None, k=3):
        return [h for h in self.hits if not findings or set(findings) & set(h.findings)][:k]


# Three playbooks for the finding "loss" (customers L1-L4, 1,000 at stake) and one for "risk" (R1, R2).
HITS = [
    PlaybookHit("p-exit", Msg("Exit", "退出"), "pricing", ("loss",), (0.5, 0.9)),
    PlaybookHit("p-mix", Msg("Mix", "组合"), "upsell", ("loss",), (0.15, 0.4)),
    PlaybookHit("p-abc", Msg("Review", "复盘"), "pricing", ("loss",), (0.2, 0.5)),
    PlaybookHit("p-call", Msg("Call", "致电"), "retention", ("risk",), (0.1, 0.2)),
]
FINDINGS = [
    FindingArg(name="loss", customers=["L1", "L2", "L3", "L4"], value=1000.0),
    FindingArg(name="risk", customers=["R1", "R2"], value=500.0),
]


def test_same_customers_are_grouped_as_alternatives() -> None:
    recs = recommend(DatasetBundle(), ListStore(HITS), FINDINGS, n=4)
    groups = alternatives(recs)
    assert [[r.playbook.id for r in g] for g in groups] == [
        ["p-exit", "p-mix", "p-abc"]
    ]  # p-call stands alone


def test_answer_says_alternatives_and_does_not_add_impacts() -> None:
    result = recommend_actions(DatasetBundle(), RecommendParams(findings=FINDINGS, n=4), ListStore(HITS))
    en, zh = result.summary.en, result.summary.zh
    assert (
        "Alternatives, not additive" in en and "[p-exit], [p-mix], [p-abc]" in en and "same 4 customers" in en
    )
    assert "互为替代" in zh and "不能相加" in zh
    assert W.PLAN_QUESTION.en in en and W.PLAN_QUESTION.zh in zh
    # value at stake counted once per finding: 1,000 + 500; the best impact, not a sum: 1,000 x 0.9
    assert result.facts["value_at_stake"] == 1500.0 and result.facts["impact_high"] == 900.0
    assert result.facts["alternatives"] == 3
    table = result.tables[0].frame.set_index("playbook_id")
    assert (
        table.loc["p-exit", "alternative_to"] == "p-mix, p-abc"
        and table.loc["p-call", "alternative_to"] == ""
    )
    short = render(recommend(DatasetBundle(), ListStore(HITS), FINDINGS, n=4), "en", full=False)
    assert "Alternatives, not additive" in short and W.PLAN_QUESTION.en in short


def test_distinct_customers_get_no_alternatives_line() -> None:
    one = [FINDINGS[1]]
    result = recommend_actions(DatasetBundle(), RecommendParams(findings=one, n=2), ListStore(HITS))
    assert "Alternatives" not in result.summary.en and result.facts["alternatives"] == 0


def test_the_offered_question_asks_for_the_plan() -> None:
    context = Context(kinds=frozenset({"transactions", "customers"}))
    for lang in ("en", "zh"):
        assert parse(W.PLAN_QUESTION.get(lang), context).tool == "plan_resources"
