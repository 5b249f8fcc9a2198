"""The language-model path: a LangChain 1.x tool-calling agent (create_agent + ChatOpenAI) over the
same registry the offline engine uses, against any OpenAI-compatible endpoint.

What the model sees: the question, the conversation, the dataset schema (kinds, columns, row counts)
and, per tool call, the tool's summary, facts and finding names (``content_and_artifact``: the
ToolResult itself is the artifact, for the UI). Never table rows; free-text cells (names, notes,
complaint texts) are replaced before anything is sent; customer ids are pseudonymised by default
(``Pseudonymiser``; the mapping stays in the session and is undone in the answer, also across
streamed chunks). Numbers in the model's prose that no tool produced this turn are flagged.
Endpoint errors (timeout, 401, 429, bad tool calls, too many steps) give a clear message and the
offline engine's answer (agent/engine.py). This module never imports the engine: it receives the
function that runs a tool.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from agent.answer import ToolRun
from agent.model_asks import Asked, asking_tools
from agent.security import model_view
from agent.session import Session
from core.text import Lang
from prompts import llm as P
from tools.registry import TOOLS, ToolSpec
from tools.results import ToolResult

log = logging.getLogger(__name__)

PSEUDONYM_PREFIX = "CUST_"
PSEUDONYM = re.compile(r"CUST_\d{4,}")
# Columns whose values may be sent (categorical labels, ids are pseudonymised separately).
SAFE_TEXT_COLUMNS = {
    "customer_id",
    "segment",
    "region",
    "industry",
    "product",
    "channel",
    "acquisition_channel",
    "category",
    "store",
    "promotion",
    "currency",
    "period",
    "churned",
    "resolved",
    "written_off",
}
MAX_REDACT_VALUES = 50_000
MAX_BAD_TOOL_CALLS = 2  # invalid tool calls tolerated per turn (the model sees the error and may retry)


# ==================================================================================================
# Pseudonyms and free-text redaction
# ==================================================================================================
class Pseudonymiser:
    """Customer ids <-> stable pseudonyms (``CUST_0001``) kept in the session; free text redacted."""

    def __init__(self, session: Session, enabled: bool = True) -> None:
        self.session, self.enabled = session, enabled
        self.forward: dict[str, str] = session.pseudonyms
        self.ids: set[str] = set()
        self.names: dict[str, str] = {}  # name -> customer id
        self.free_text: list[str] = []
        for kind, ds in session.bundle.datasets.items():
            frame = ds.frame
            if "customer_id" in frame:
                self.ids.update(frame["customer_id"].dropna().astype(str).unique())
            if kind == "customers" and {"customer_id", "name"} <= set(frame.columns):
                named = frame[["customer_id", "name"]].dropna()
                self.names.update(
                    zip(named["name"].astype(str), named["customer_id"].astype(str), strict=True)
                )
            for col in frame.columns:
                if col in SAFE_TEXT_COLUMNS or col == "name":
                    continue
                if pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_datetime64_any_dtype(
                    frame[col]
                ):
                    continue
                values = frame[col].dropna().astype(str).unique()[:MAX_REDACT_VALUES]
                self.free_text.extend(v for v in values if len(v) >= 4)
        self.free_text.sort(key=len, reverse=True)
        self._names_sorted = sorted(self.names, key=len, reverse=True)

    @property
    def backward(self) -> dict[str, str]:
        return {v: k for k, v in self.forward.items()}

    def alias(self, cid: str) -> str:
        if not self.enabled:
            return cid
        if cid not in self.forward:
            self.forward[cid] = f"{PSEUDONYM_PREFIX}{len(self.forward) + 1:04d}"
        return self.forward[cid]

    def outbound(self, text: str) -> str:
        """Text safe to send: names -> pseudonym (or id), other free text -> [text], ids -> pseudonyms."""
        if not text:
            return text
        for value in self.free_text:
            if value in text:
                text = text.replace(value, "[text]")
        for name in self._names_sorted:
            if name in text:
                cid = self.names[name]
                who = self.alias(cid)
                text = text.replace(f"{name} ({cid})", who).replace(name, who)
        if not self.enabled:
            return text

        def swap(m: re.Match[str]) -> str:
            token = m.group(0)
            if token in self.ids and (not token.isdigit() or _in_parens(m)):
                return self.alias(token)
            return token

        return re.sub(r"[A-Za-z0-9][\w\-]*", swap, text)

    def inbound(self, value: Any) -> Any:
        """Undo pseudonyms in tool arguments chosen by the model (recursively)."""
        if isinstance(value, str):
            back = self.backward
            return PSEUDONYM.sub(lambda m: back.get(m.group(0), m.group(0)), value)
        if isinstance(value, list):
            return [self.inbound(v) for v in value]
        if isinstance(value, dict):
            return {k: self.inbound(v) for k, v in value.items()}
        return value

    def restore(self, text: str) -> str:
        back = self.backward
        return PSEUDONYM.sub(lambda m: back.get(m.group(0), m.group(0)), text)


def _in_parens(m: re.Match[str]) -> bool:
    s, a, b = m.string, m.start(), m.end()
    return a > 0 and b < len(s) and s[a - 1] == "(" and s[b] == ")"


class StreamRestorer:
    """Restores pseudonyms in streamed text, holding back a chunk tail that may be a split pseudonym."""

    def __init__(self, restore: Callable[[str], str]) -> None:
        self.restore, self.buffer = restore, ""

    def feed(self, chunk: str) -> str:
        self.buffer += chunk
        cut = len(self.buffer)
        tail = re.search(r"C(?:U(?:S(?:T(?:_\d*)?)?)?)?$", self.buffer)
        if tail:
            cut = tail.start()
        out, self.buffer = self.buffer[:cut], self.buffer[cut:]
        return self.restore(out)

    def flush(self) -> str:
        out, self.buffer = self.buffer, ""
        return self.restore(out)


# ==================================================================================================
# Number verification
# ==================================================================================================
_NUM = re.compile(
    r"(?<![\w.\-/])(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)(\s?(?:%|万|亿|[kKmM]\b|million\b|billion\b|bn\b))?"
)
_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_SCALE = {"万": 1e4, "亿": 1e8, "k": 1e3, "m": 1e6, "million": 1e6, "billion": 1e9, "bn": 1e9}


def numbers_in(text: str) -> list[tuple[re.Match[str], float, float]]:
    """(match, value, tolerance) for each number in ``text`` (percent as a fraction)."""
    out = []
    for m in _NUM.finditer(_DATE.sub(lambda d: "#" * len(d.group(0)), text)):
        raw, unit = m.group(1), (m.group(2) or "").strip().lower()
        value = float(raw.replace(",", ""))
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        tol = 0.5 * 10**-decimals + 1e-9
        if unit == "%":
            value, tol = value / 100, tol / 100
        elif unit in _SCALE:
            value, tol = value * _SCALE[unit], tol * _SCALE[unit]
        out.append((m, value, tol))
    return out


def _trivial(m: re.Match[str], value: float) -> bool:
    raw = m.group(1)
    if m.group(2):
        return False
    if value.is_integer() and (abs(value) <= 12 or 1900 <= value <= 2100):
        return True  # small counts, list numbers, months, years
    return "." not in raw and "," not in raw and len(raw) <= 2


@dataclass
class Verified:
    values: list[float] = field(default_factory=list)

    def add(self, value: Any) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, int | float) and math.isfinite(float(value)):
            self.values.append(float(value))
        elif isinstance(value, str):
            self.values.extend(v for _, v, _ in numbers_in(value))

    def add_result(self, result: ToolResult) -> None:
        for v in result.facts.values():
            self.add(v)
        for lang in ("en", "zh"):
            self.add(result.summary.get(lang))  # type: ignore[arg-type]
        for f in result.findings:
            self.add(f.value)
            self.add(f.threshold)
            self.add(f.detail.en)
        for table in result.tables:
            for col in table.frame.columns:
                series = table.frame[col].head(2000)
                if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
                    self.values.extend(float(x) for x in series.dropna().tolist() if math.isfinite(float(x)))

    def ok(self, value: float, tol: float) -> bool:
        for v in self.values:
            for candidate in (v, v * 100, -v):
                if abs(candidate - value) <= max(tol, 1e-9 * abs(v)):
                    return True
        return False


def flag_unverified(text: str, verified: Verified, lang: Lang) -> tuple[str, list[str]]:
    """Mark each number not backed by this turn's tool results; returns (text, flagged numbers)."""
    flagged: list[str] = []
    pieces, last = [], 0
    for m, value, tol in numbers_in(text):
        if _trivial(m, value) or verified.ok(value, tol):
            continue
        flagged.append(m.group(0).strip())
        pieces += [text[last : m.end()], P.UNVERIFIED_MARK.get(lang)]
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces), flagged


# ==================================================================================================
# Tools for the model
# ==================================================================================================
RunTool = Callable[[str, dict[str, Any]], ToolRun]


@dataclass
class Turn:
    """What happened in one model turn: the tool runs and the numbers they produced."""

    runs: list[ToolRun] = field(default_factory=list)
    verified: Verified = field(default_factory=Verified)
    asked: Asked = field(default_factory=Asked)


@dataclass
class ModelTurn:
    """The model's checked prose, the tool runs behind it and notes (numbers no tool produced)."""

    text: str
    runs: list[ToolRun]
    notes: list[str] = field(default_factory=list)
    asked: Asked = field(default_factory=Asked)  # a clarifying question or out of scope, instead of numbers


def tool_content(result: ToolResult, pseudo: Pseudonymiser) -> str:
    """What the model sees of a result: summary, facts and finding names (no tables, no free text)."""
    return model_view.tool_content(result, pseudo)  # ids, names, numbers only (agent/security)


def make_tools(run_tool: RunTool, turn: Turn, pseudo: Pseudonymiser) -> list:
    """One StructuredTool per registered tool (args_schema = its Params, content_and_artifact), and the
    two ways of not computing (agent/model_asks.py: ask_user, out_of_scope)."""
    from langchain_core.tools import StructuredTool

    def bind(spec: ToolSpec) -> Callable[..., tuple[str, ToolResult | None]]:
        def call(**kwargs: Any) -> tuple[str, ToolResult | None]:
            arguments = pseudo.inbound(
                {k: v.model_dump(mode="json") if hasattr(v, "model_dump") else v for k, v in kwargs.items()}
            )
            arguments = {k: v for k, v in arguments.items() if v is not None}
            done = run_tool(spec.name, arguments)
            turn.runs.append(done)
            if done.result is None:
                return model_view.tool_error(done.error, pseudo), None
            turn.verified.add_result(done.result)
            return tool_content(done.result, pseudo), done.result

        return call

    return [
        StructuredTool.from_function(
            func=bind(spec),
            name=spec.name,
            description=f"{spec.description.en} / {spec.description.zh}",
            args_schema=spec.params,
            response_format="content_and_artifact",
        )
        for spec in TOOLS.values()
    ] + asking_tools(turn.asked, pseudo.inbound)


def schema_text(session: Session) -> str:
    lines = []
    for kind, ds in session.bundle.datasets.items():
        columns = ", ".join(json.dumps(str(c)[:60], ensure_ascii=False) for c in ds.frame.columns[:80])
        more = f" (+{len(ds.frame.columns) - 80} more)" if len(ds.frame.columns) > 80 else ""
        lines.append(f"- {kind}: {len(ds.frame):,} rows; columns (quoted data) {columns}{more}")
    return "\n".join(lines) or "- nothing loaded"


def make_chat_model(session: Session) -> Any:
    """ChatOpenAI for the configured OpenAI-compatible endpoint (streaming, bounded)."""
    from langchain_openai import ChatOpenAI

    s = session.settings
    return ChatOpenAI(
        model=session.model_name or s.model,
        base_url=s.openai_base_url,
        api_key=s.openai_api_key or "not-needed",
        timeout=s.model_timeout,
        max_retries=1,
        max_tokens=s.model_max_tokens,
        streaming=True,
    )


# ==================================================================================================
# One turn
# ==================================================================================================
class ModelFailure(Exception):
    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.reason, self.details = reason, details


def classify(exc: BaseException) -> ModelFailure:
    """Map an endpoint/agent exception to a ModelFailure reason (prompts/llm.py REASONS)."""
    import openai
    from langgraph.errors import GraphRecursionError

    if isinstance(exc, ModelFailure):
        return exc
    if isinstance(exc, openai.APITimeoutError | TimeoutError):
        return ModelFailure("timeout")
    if isinstance(exc, openai.AuthenticationError):
        return ModelFailure("auth")
    if isinstance(exc, openai.RateLimitError):
        return ModelFailure("rate_limit")
    if isinstance(exc, openai.APIConnectionError):
        return ModelFailure("connection")
    if isinstance(exc, openai.APIStatusError):
        return ModelFailure("status", status=exc.status_code)
    if isinstance(exc, GraphRecursionError):
        return ModelFailure("steps")
    return ModelFailure("other", error=type(exc).__name__)


def answer(
    question: str,
    session: Session,
    language: Lang,
    *,
    run_tool: RunTool,
    model: Any = None,
    on_token: Callable[[str], None] | None = None,
) -> ModelTurn:
    """One model turn: the model picks tool calls (run through ``run_tool``) and writes the reply.

    Raises ModelFailure (timeout, auth, rate limit, bad tool calls, too many steps, ...) for the engine
    to fall back to the offline answer.
    """
    pseudo = Pseudonymiser(session, session.settings.pseudonymise)
    turn = Turn()
    try:
        text = _run_agent(question, session, language, pseudo, turn, run_tool, model, on_token)
    except Exception as exc:  # every endpoint/agent failure becomes a ModelFailure
        raise classify(exc) from exc
    text = pseudo.restore(text)
    turn.verified.add(question)
    text, flagged = flag_unverified(text, turn.verified, language)
    notes = [P.UNVERIFIED_NOTE.format(numbers=", ".join(flagged)).get(language)] if flagged else []
    session.llm_history += [("user", pseudo.outbound(question)), ("assistant", pseudo.outbound(text))]
    return ModelTurn(text, turn.runs, notes, turn.asked)


def _run_agent(
    question: str,
    session: Session,
    language: Lang,
    pseudo: Pseudonymiser,
    turn: Turn,
    run_tool: RunTool,
    model: Any,
    on_token: Callable[[str], None] | None,
) -> str:
    from langchain.agents import create_agent
    from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage

    settings = session.settings
    chat = model if model is not None else make_chat_model(session)
    system = P.SYSTEM.format(
        pseudonym_example=f"{PSEUDONYM_PREFIX}0001" if pseudo.enabled else "C00001",
        language=P.LANGUAGE[language],
        schema=model_view.schema(pseudo),
    )
    agent = create_agent(chat, make_tools(run_tool, turn, pseudo), system_prompt=system)
    messages: list[Any] = []
    for role, text in session.llm_history[-12:]:
        messages.append(HumanMessage(text) if role == "user" else AIMessage(text))
    messages.append(HumanMessage(pseudo.outbound(question)))
    config = {"recursion_limit": 2 * settings.model_max_steps + 1}
    deadline = time.monotonic() + settings.model_timeout * 2
    restorer = StreamRestorer(pseudo.restore)
    final: Any = None
    last_bad: Any = None
    bad_calls = 0
    for mode, data in agent.stream({"messages": messages}, config, stream_mode=["messages", "values"]):
        if time.monotonic() > deadline:
            raise ModelFailure("timeout")
        if mode == "messages":
            chunk, meta = data
            if on_token and isinstance(chunk, AIMessageChunk) and isinstance(chunk.content, str):
                if chunk.content and not chunk.tool_call_chunks:
                    on_token(restorer.feed(chunk.content))
        else:
            final = data["messages"][-1] if data.get("messages") else None
            if _is_bad_call(final) and final is not last_bad:
                last_bad, bad_calls = final, bad_calls + 1
                if bad_calls >= MAX_BAD_TOOL_CALLS:
                    raise ModelFailure("bad_tool_call")
    if on_token:
        on_token(restorer.flush())
    if not isinstance(final, AIMessage):
        raise ModelFailure("empty")
    if final.invalid_tool_calls:
        raise ModelFailure("bad_tool_call")
    content = final.content if isinstance(final.content, str) else _text_of(final.content)
    if not content.strip():
        raise ModelFailure("empty")
    return content


def _is_bad_call(message: Any) -> bool:
    """An unparseable tool call from the model, or a tool message reporting invalid arguments."""
    from langchain_core.messages import AIMessage, ToolMessage

    if isinstance(message, AIMessage):
        return bool(message.invalid_tool_calls)
    return isinstance(message, ToolMessage) and message.status == "error"


def _text_of(content: list) -> str:
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
