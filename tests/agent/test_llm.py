"""The language-model path without network: a scripted chat model, and a scripted OpenAI-compatible
HTTP endpoint on 127.0.0.1 (tests/agent/fake_openai_server.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, ToolMessage

from agent import engine, llm
from agent.compose import answer_to_json
from agent.retrieval import PlaybookStore
from agent.session import Session
from tests.agent.fake_chat import ScriptedChatModel
from tests.agent.fake_openai_server import FakeOpenAIServer
from tools.registry import TOOLS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "playbooks"
PLANTED = "987,654"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("CUSTFIN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CUSTFIN_PLAYBOOKS_DIR", str(FIXTURES))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CUSTFIN_PSEUDONYMISE", "CUSTFIN_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def session(env) -> Session:
    s = Session(demo=True)
    s.set_playbooks(PlaybookStore(FIXTURES, env / "chroma"))
    return s


def _secrets(session: Session) -> tuple[list[str], list[str], list[str]]:
    """Customer names, ids and free-text cells of the demo data (none may reach the model)."""
    customers = session.bundle.get("customers")
    feedback = session.bundle.get("feedback")
    names = customers["name"].astype(str).tolist()
    ids = customers["customer_id"].astype(str).tolist()
    texts = [t for t in feedback["text"].dropna().astype(str).unique() if len(t) > 12][:200]
    return names, ids, texts


def test_scripted_model_drives_tools_to_a_checked_answer(session: Session) -> None:
    model = ScriptedChatModel(
        messages=iter(
            [
                AIMessage("", tool_calls=[{"name": "customer_profitability", "args": {"n": 3}, "id": "c1"}]),
                AIMessage(f"CUST_0001 is the most profitable (388,973); total profit 3,443,516; {PLANTED}."),
            ]
        ),
        seen=[],
    )
    tokens: list[str] = []
    answer = engine.answer("top 3 customers by profit", session, "model", "en", tokens.append, model=model)
    assert [r.tool for r in answer.runs] == ["customer_profitability"]
    assert answer.result is not None and answer.result.tables  # the artifact reaches the UI
    top = answer.result.tables[0].frame["customer_id"].iloc[0]
    assert f"{top} is the most profitable" in answer.markdown  # pseudonym restored
    assert f"{top} is" in "".join(tokens)  # also when streamed in 4-character pieces
    assert "CUST_" not in answer.markdown and "CUST_" not in "".join(tokens)
    assert f"{PLANTED} ⚠️" in answer.markdown and PLANTED in answer.warnings[0]
    assert "388,973 ⚠️" not in answer.markdown and "3,443,516 ⚠️" not in answer.markdown
    assert answer.recommendations and answer.recommendations[0]["playbook_id"]
    tool_messages = [m for x in model.seen for m in x.get("messages", []) if isinstance(m, ToolMessage)]
    assert tool_messages and "Facts:" in tool_messages[0].content
    names, ids, _ = _secrets(session)
    sent = " ".join(str(m.content) for x in model.seen for m in x.get("messages", []))
    assert not [n for n in names if n in sent]
    assert top not in sent


def test_recursion_limit_falls_back_to_offline(session: Session) -> None:
    loop = AIMessage("", tool_calls=[{"name": "dataset_overview", "args": {}, "id": "c"}])
    model = ScriptedChatModel(messages=iter([loop] * 100), seen=[])
    answer = engine.answer("top 5 customers by profit", session, "model", "en", model=model)
    assert "too many steps" in answer.markdown
    assert answer.runs and answer.runs[-1].tool == "customer_profitability"  # the offline answer


def test_pseudonyms_split_across_chunks_are_restored() -> None:
    restorer = llm.StreamRestorer(lambda t: t.replace("CUST_0012", "C00099"))
    out = "".join(restorer.feed(p) for p in ["see C", "UST_", "00", "12 now"]) + restorer.flush()
    assert out == "see C00099 now"


def test_number_check_accepts_rounded_and_scaled_forms() -> None:
    v = llm.Verified([1262433.17, 0.466, 7031.79])
    text, flagged = llm.flag_unverified(
        "1,262,433; 1.26 million; 126.2万; 46.6%; 7,032; 2024; 55,555", v, "en"
    )
    assert flagged == ["55,555"], flagged
    assert text.endswith("55,555 ⚠️(unverified)")


# --------------------------------------------------------------------------------------------------
# HTTP level
# --------------------------------------------------------------------------------------------------
@pytest.fixture
def server():
    servers: list[FakeOpenAIServer] = []

    def start(script: list[dict]) -> FakeOpenAIServer:
        srv = FakeOpenAIServer(script).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.stop()


def _configure(monkeypatch, srv: FakeOpenAIServer, **extra: str) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("CUSTFIN_MODEL", "fake-model")
    for k, v in extra.items():
        monkeypatch.setenv(k, v)


def test_http_endpoint_request_and_answer(env, server, monkeypatch) -> None:
    srv = server(
        [
            {"tool_calls": [{"name": "customer_profitability", "arguments": {"n": 3}}]},
            {"content": "Top customer is CUST_0001 with 388,973 profit; margin 38.1%; also " + PLANTED + "."},
        ]
    )
    _configure(monkeypatch, srv)
    session = Session(demo=True)
    answer = engine.answer("who are our 3 most profitable customers?", session, "auto")
    assert len(srv.requests) == 2
    first, second = srv.requests
    assert first["model"] == "fake-model" and first.get("stream") is True
    assert {t["function"]["name"] for t in first["tools"]} == set(TOOLS) | {"ask_user", "out_of_scope"}
    for t in first["tools"]:
        assert t["function"]["parameters"]["type"] == "object"
    sent = json.dumps(second, ensure_ascii=False)
    names, ids, texts = _secrets(session)
    assert not [n for n in names if n in sent], "customer names reached the model"
    assert not [i for i in ids if i in sent], "raw customer ids reached the model"
    assert not [t for t in texts if t in sent], "free-text cells reached the model"
    assert "CUST_0001" in sent  # pseudonyms instead
    tool_msg = next(m for m in second["messages"] if m["role"] == "tool")
    assert "Facts:" in tool_msg["content"] and "customer_id" not in tool_msg["content"]  # no rows
    top = answer.result.tables[0].frame["customer_id"].iloc[0]
    assert f"Top customer is {top}" in answer.markdown
    assert f"{PLANTED} ⚠️" in answer.markdown
    assert "388,973 ⚠️" not in answer.markdown and "38.1% ⚠️" not in answer.markdown
    payload = answer_to_json(answer)
    assert payload["tool"] == "customer_profitability" and payload["recommendations"]


def test_http_pseudonymisation_can_be_turned_off(env, server, monkeypatch) -> None:
    srv = server(
        [{"tool_calls": [{"name": "customer_profitability", "arguments": {"n": 1}}]}, {"content": "Done."}]
    )
    _configure(monkeypatch, srv, CUSTFIN_PSEUDONYMISE="0")
    session = Session(demo=True)
    answer = engine.answer("most profitable customer", session, "model")
    top = answer.result.tables[0].frame["customer_id"].iloc[0]
    sent = json.dumps(srv.requests[-1], ensure_ascii=False)
    assert top in sent and "CUST_0001" not in sent
    names, _, _ = _secrets(session)
    assert not [n for n in names if n in sent]  # names stay out even then


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ([{"status": 401}], "401"),
        ([{"status": 429}], "429"),
        ([{"raw_tool_call": '{"n": "lots", "bogus": 1}'}], "invalid tool call"),
        ([{"raw_tool_call": "{}", "name": "no_such_tool"}], "invalid tool call"),
    ],
)
def test_http_errors_fall_back_to_offline(env, server, monkeypatch, script, reason) -> None:
    srv = server(script)
    _configure(monkeypatch, srv)
    answer = engine.answer("top 5 customers by profit", Session(demo=True), "auto")
    assert reason in answer.markdown
    assert answer.runs and answer.runs[-1].tool == "customer_profitability"
    assert answer.error is None and not answer.internal_error


def test_http_timeout_falls_back(env, server, monkeypatch) -> None:
    srv = server([{"sleep": 3, "content": "late"}])
    _configure(monkeypatch, srv, CUSTFIN_MODEL_TIMEOUT="1")
    answer = engine.answer("top 5 customers by profit", Session(demo=True), "auto")
    assert "timed out" in answer.markdown
    assert answer.runs[-1].tool == "customer_profitability"


def test_offline_engine_never_touches_the_endpoint(env, server, monkeypatch) -> None:
    srv = server([{"content": "x"}])
    _configure(monkeypatch, srv)
    answer = engine.answer("top 5 customers by profit", Session(demo=True), "offline")
    assert srv.requests == [] and answer.runs[-1].tool == "customer_profitability"


# The model path keeps the offline contract (issue 14 item 6): out of scope, asking back, the
# understood line and stated filters never dropped silently.
def _script(*messages) -> ScriptedChatModel:
    return ScriptedChatModel(messages=iter(list(messages)), seen=[])


def test_model_out_of_scope_gets_the_offline_reply_and_no_numbers(session: Session) -> None:
    model = _script(
        AIMessage("", tool_calls=[{"name": "out_of_scope", "args": {}, "id": "o1"}]),
        AIMessage("That is not something I can look up."),
    )
    answer = engine.answer("What's Apple's stock price today?", session, "model", "en", model=model)
    offline = engine.answer("What's Apple's stock price today?", Session(demo=True), "offline", "en")
    assert answer.runs == [] and answer.clarify is None
    assert answer.markdown == offline.markdown  # same two sentences and example questions
    assert answer.understood == "Understood: a request outside the analysis of the loaded data"
    assert not any(ch.isdigit() for ch in answer.body.split("\n\n")[0])


def test_model_ask_user_offers_buttons_and_a_pick_runs_the_option(session: Session) -> None:
    options = [{"tool": "churn_risk", "arguments": {"n": 5}}, {"tool": "churn_trend", "arguments": {"group_by": "month"}}]
    model = _script(
        AIMessage("", tool_calls=[{"name": "ask_user", "args": {"options": options}, "id": "a1"}]),
        AIMessage("Which one?"),
    )
    answer = engine.answer("churn by month?", session, "model", "en", model=model)
    assert answer.runs == []
    assert [o["tool"] for o in answer.clarify["options"]] == ["churn_risk", "churn_trend"]
    assert answer.clarify["options"][1]["arguments"] == {"group_by": "month"}
    assert "1. " in answer.body and "2. " in answer.body
    picked = engine.pick(session, 2, "en")
    assert [r.tool for r in picked.runs] == ["churn_trend"] and picked.runs[0].arguments["group_by"] == "month"
    trend = picked.result.tables[0].frame
    reference = engine.run_tool(Session(demo=True), "churn_trend", {"group_by": "month"}, "en").result.tables[0].frame
    assert trend.equals(reference)


def test_model_options_with_invalid_arguments_are_not_offered(session: Session) -> None:
    options = [{"tool": "churn_risk", "arguments": {"n": -4}}, {"tool": "churn_trend", "arguments": {}}]
    model = _script(
        AIMessage("", tool_calls=[{"name": "ask_user", "args": {"options": options}, "id": "a1"}]),
        AIMessage("", tool_calls=[{"name": "churn_trend", "args": {}, "id": "c1"}]),
        AIMessage("Churn by month is shown."),
    )
    answer = engine.answer("churn?", session, "model", "en", model=model)
    assert answer.clarify is None and [r.tool for r in answer.runs] == ["churn_trend"]
    refused = [m for x in model.seen for m in x.get("messages", []) if isinstance(m, ToolMessage)][0]
    assert "churn_risk did not" in refused.content.replace("['", "").replace("']", "")


def test_model_call_without_a_stated_region_names_it_not_applied(session: Session) -> None:
    model = _script(
        AIMessage("", tool_calls=[{"name": "customer_profitability", "args": {"n": 5}, "id": "c1"}]),
        AIMessage("The five most profitable customers are shown."),
    )
    answer = engine.answer("华东区利润最高的5个客户", session, "model", "zh", model=model)
    assert answer.understood.startswith("理解为：客户盈利能力 · 前5名")
    assert [(i["part"], i["value"]) for i in answer.not_applied] == [("region", ["East"])]
    assert "未应用" in answer.understood and "模型的工具调用没有应用这一条件" in answer.not_applied[0]["reason"]
    applied = _script(
        AIMessage("", tool_calls=[{"name": "customer_profitability", "args": {"n": 5, "filters": {"region": ["East"]}}, "id": "c1"}]),
        AIMessage("The five most profitable customers in the East are shown."),
    )
    answer = engine.answer("华东区利润最高的5个客户", session, "model", "zh", model=applied)
    assert answer.not_applied == [] and "East" in answer.understood
