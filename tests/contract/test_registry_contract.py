"""Conventions every registered tool must follow (scikit-learn style: executable conventions).

Parametrized over tools.registry.TOOLS, so a new tool is checked the moment it is registered.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from agent.compose import answer_to_json
from agent.engine import run_tool
from agent.session import Session
from tools.bundle import DatasetBundle
from tools.errors import ToolInputError
from tools.registry import TOOLS
from tools.results import ToolResult

ROOT = Path(__file__).resolve().parents[2]
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_CHART = {"dataset_overview", "recommend_actions"}  # a listing of files / of playbooks: nothing to plot
FORBIDDEN_IN_TOOLS = (
    "chainlit",
    "langchain",
    "langgraph",
    "openai",
    "chromadb",
    "httpx",
    "requests",
    "agent",
    "urllib",
)


@pytest.mark.parametrize("name", TOOLS)
def test_schema_is_described(name: str) -> None:
    spec = TOOLS[name]
    assert spec.description.en and spec.description.zh
    schema = spec.params.model_json_schema()
    for field, info in schema.get("properties", {}).items():
        assert info.get("description"), (
            f"{name}.{field} has no description (it becomes the LLM schema and CLI help)"
        )


@pytest.mark.parametrize("name", TOOLS)
def test_result_on_demo_data_is_complete_and_json_serialisable(name: str, demo_session) -> None:
    answer = run_tool(demo_session, name, {}, "en")
    assert answer.error is None and not answer.internal_error, answer.markdown
    result = answer.result
    assert isinstance(result, ToolResult) and result.tool == name
    assert result.summary.en and result.summary.zh
    assert result.method.formula.en and result.method.formula.zh
    assert all(SNAKE.match(k) for k in result.facts), result.facts.keys()
    for table in result.tables:
        assert all(SNAKE.match(str(c)) for c in table.frame.columns), table.frame.columns
    for finding in result.findings:
        assert SNAKE.match(finding.name) and finding.name in spec_findings(name), finding.name
    if name not in NO_CHART:
        assert result.tables and result.charts, f"{name} must answer with a table and a chart"
    payload = json.dumps(answer_to_json(answer), allow_nan=False)
    assert json.loads(payload)["tool"] == name
    answer.language = "zh"
    zh = answer_to_json(answer)
    assert CJK.search(result.summary.zh) and zh["language"] == "zh"
    assert [c["title"] for c in zh["charts"]] == [c.title.zh for c in result.charts]


def spec_findings(name: str) -> tuple[str, ...]:
    return TOOLS[name].findings


@pytest.mark.parametrize("name", [n for n, s in TOOLS.items() if s.requires])
def test_missing_data_raises_tool_input_error(name: str) -> None:
    spec = TOOLS[name]
    deps = {d: Session(demo=False).dependency(d) for d in spec.deps}  # the services, no data
    with pytest.raises(ToolInputError) as info:
        spec.run(DatasetBundle(), {}, **deps)
    for kind in spec.requires:
        assert kind in info.value.msg.en or kind.rstrip("s") in info.value.msg.en
    assert info.value.msg.zh


def test_tools_package_has_no_ui_llm_or_network_imports() -> None:
    for path in sorted((ROOT / "tools").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for n in names:
                assert n.split(".")[0] not in FORBIDDEN_IN_TOOLS, f"{path.name} imports {n}"
