"""Every facet of every registered tool, parametrized over the registry (issue 12: one tool, one place).

A tool is its declaration (tools/<...>.py ToolSpec) plus its words (prompts/<tool>.py). These tests
check that nothing a tool needs is missing or has drifted: words in both languages, findings with a
label, phrases and a playbook, every output column labelled, required kinds declared in the schemas.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import yaml

from agent.compose import help_text
from agent.run import run_tool
from agent.understand import Context, parse
from prompts.columns import column_label
from prompts.findings import FINDINGS
from tools.registry import TOOLS
from tools.schemas import KINDS

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
PLAYBOOK_FINDINGS: dict[str, set[str]] = {}
for path in sorted((ROOT / "playbooks").glob("*.md")):
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        front = yaml.safe_load(text.split("---", 2)[1])
        PLAYBOOK_FINDINGS[front["id"]] = set(front.get("findings") or [])
EMITTED = {f for spec in TOOLS.values() for f in spec.findings}


def _bilingual(msg) -> bool:
    return bool(msg.en.strip()) and bool(CJK.search(msg.zh))


@pytest.mark.parametrize("name", TOOLS)
def test_words_module_has_every_facet_in_both_languages(name: str) -> None:
    words = TOOLS[name].words
    assert words.__name__ == f"prompts.{name}", "a tool's words live in prompts/<tool name>.py"
    assert _bilingual(words.DESCRIPTION)
    keywords = words.KEYWORDS
    assert any(CJK.search(k) for k in keywords) and any(not CJK.search(k) for k in keywords), (
        f"{name}: question keywords in both languages"
    )
    title, examples = words.HELP
    assert _bilingual(title)
    assert examples["en"] and examples["zh"] and all(CJK.search(q) for q in examples["zh"])


@pytest.mark.parametrize("name", TOOLS)
def test_help_examples_are_answered_by_their_tool(name: str) -> None:
    context = Context(kinds=frozenset(KINDS))
    for lang in ("en", "zh"):
        for question in TOOLS[name].words.HELP[1][lang]:
            assert parse(question, context).tool == name, question
        assert TOOLS[name].words.HELP[0].get(lang) in help_text(lang)


@pytest.mark.parametrize("name", TOOLS)
def test_requirements_are_declared_table_kinds(name: str) -> None:
    assert set(TOOLS[name].requires) <= set(KINDS)


@pytest.mark.parametrize("name", TOOLS)
def test_each_emitted_finding_has_words_and_a_playbook(name: str) -> None:
    for finding in TOOLS[name].findings:
        assert finding in FINDINGS, f"{name} emits {finding}, which has no label or phrases in prompts/"
        term = FINDINGS[finding]
        assert _bilingual(term.label) and term.phrases, finding
        assert any(finding in f for f in PLAYBOOK_FINDINGS.values()), f"no playbook addresses {finding}"


def test_every_named_finding_is_emitted_by_some_tool() -> None:
    assert set(FINDINGS) <= EMITTED, set(FINDINGS) - EMITTED
    for playbook, findings in PLAYBOOK_FINDINGS.items():
        assert findings <= EMITTED, f"playbooks/{playbook}.md names {findings - EMITTED}, which no tool emits"


def _argument_sets(name: str) -> list[dict]:
    """Default arguments, then every group_by value the tool's Params allow (each gives other columns)."""
    sets: list[dict] = [{}]
    field = TOOLS[name].params.model_fields.get("group_by")
    if field is not None:
        values = [a for arg in typing.get_args(field.annotation) for a in (typing.get_args(arg) or [arg])]
        # churn_risk fits its supervised model once; the groupings reuse the fast recency rule
        extra = {"method": "recency_rule"} if name == "churn_risk" else {}
        sets += [{"group_by": v, **extra} for v in values if isinstance(v, str)]
    return sets


@pytest.mark.parametrize("name", TOOLS)
def test_every_output_column_has_an_english_and_a_chinese_label(name: str, demo_session) -> None:
    words = TOOLS[name].words
    columns: set[str] = set()
    if name == "recommend_actions":  # it acts on the findings of the tools already run
        run_tool(demo_session, "customer_profitability", {})
    for arguments in _argument_sets(name):
        done = run_tool(demo_session, name, arguments)
        if done.result is not None:
            columns |= {str(c) for t in done.result.tables for c in t.frame.columns}
    assert columns, f"{name} produced no table on the demo company"
    missing = sorted(c for c in columns if column_label(c, words) is None)
    assert not missing, f"{name}: columns without a label in prompts/{name}.py or prompts/columns.py: {missing}"
    for c in columns:
        label = column_label(c, words)
        assert label.en.strip() and CJK.search(label.zh), c
