"""One entry point: answer(question, session) -> Answer. Picks the offline engine or (later) the model."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal

from agent import compose, intents
from agent.session import Session
from prompts import answers as T
from tools.errors import UserFacingError
from tools.registry import get_tool
from tools.results import ToolResult
from tools.text import Lang, Msg

log = logging.getLogger(__name__)

try:
    VERSION = version("custfin")
except PackageNotFoundError:  # running from a source tree without install
    VERSION = "0.0.0+source"

EngineName = Literal["auto", "offline", "model"]


@dataclass
class ToolRun:
    """One tool call: what ran, with which arguments, and what came back (or the user-facing error)."""

    tool: str
    arguments: dict[str, Any]
    result: ToolResult | None = None
    error: UserFacingError | None = None
    seconds: float = 0.0

    @property
    def rows_used(self) -> int:
        return self.result.method.rows_used if self.result else 0


@dataclass
class Answer:
    question: str
    language: Lang
    markdown: str
    runs: list[ToolRun] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data_fingerprint: str | None = None
    error: UserFacingError | None = None
    internal_error: bool = False

    @property
    def result(self) -> ToolResult | None:
        return self.runs[-1].result if self.runs else None


def answer(question: str, session: Session, engine: EngineName = "auto", lang: Lang | None = None) -> Answer:
    """Answer one question with the registry's tools, offline unless a model is configured and chosen."""
    limit = session.settings.max_question_chars
    warnings: list[Msg] = []
    if len(question) > limit:
        question = question[:limit]
        warnings.append(T.QUESTION_TRUNCATED.format(limit=limit))
    language = lang or intents.detect_language(question)
    session.language = language
    if engine == "model":
        warnings.append(T.MODEL_NOT_CONFIGURED)
    intent = intents.parse(question, session.context())
    if intent.correction is not None:
        return _correct(question, session, intent.correction, language)
    if intent.tool is None:
        return Answer(
            question, language, intents.help_text(language), warnings=[w.get(language) for w in warnings]
        )
    return run_tool(session, intent.tool, intent.arguments, language, question=question, warnings=warnings)


def run_tool(
    session: Session,
    tool: str,
    arguments: dict[str, Any] | None,
    language: Lang,
    *,
    question: str = "",
    warnings: list[Msg] | None = None,
) -> Answer:
    """Run one registered tool on the session's data and compose the answer."""
    warnings = list(warnings or [])
    spec = get_tool(tool)
    run = ToolRun(tool, dict(arguments or {}))
    start = time.perf_counter()
    try:
        params = spec.parse(run.arguments)
        run.arguments = params.model_dump(mode="json", exclude_defaults=True)
        run.result = spec.fn(session.bundle, params)
    except UserFacingError as exc:
        run.error = exc
    except Exception as exc:  # a bug: say so plainly, keep the session
        log.exception("tool %s failed", tool)
        run.seconds = time.perf_counter() - start
        text = T.INTERNAL_ERROR.format(error=type(exc).__name__).get(language)
        return Answer(question, language, text, [run], internal_error=True)
    run.seconds = time.perf_counter() - start
    if run.error is not None:
        return Answer(question, language, run.error.message(language), [run], error=run.error)
    result = run.result
    assert result is not None
    session.remember(tool, run.arguments, result.findings)
    if session.is_demo:
        warnings.append(T.DEMO_NOTE)
    markdown = compose.render_result(result, language)
    if warnings:
        markdown += "\n\n" + "\n".join(f"- ℹ️ {w.get(language)}" for w in warnings)
    return Answer(
        question,
        language,
        markdown,
        [run],
        warnings=[w.get(language) for w in result.warnings + warnings],
        data_fingerprint=session.bundle.fingerprint(spec.requires or None),
    )


def _correct(question: str, session: Session, correction: intents.Correction, language: Lang) -> Answer:
    try:
        outcomes = session.correct(correction)
    except UserFacingError as exc:
        return Answer(question, language, exc.message(language), error=exc)
    text = "\n\n".join([T.CORRECTED.get(language)] + [o.markdown(language) for o in outcomes])
    return Answer(question, language, text)
