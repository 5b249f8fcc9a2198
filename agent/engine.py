"""One entry point: answer(question, session) -> Answer, in one pass: understand -> run -> compose.

The question is understood once by the offline engine (agent/understand.py): deleting files and
correcting a mapping are decided there, never by a model. Otherwise the configured model (agent/llm.py)
or the offline understanding picks the tool calls; agent/run.py executes them; agent/compose.py writes
the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal

from agent import compose, ratelimit, run, understand
from agent.answer import Answer
from agent.session import Session
from core.text import Lang, Msg
from prompts import answers as T
from prompts import llm as P
from tools.errors import UserFacingError

log = logging.getLogger(__name__)

EngineName = Literal["auto", "offline", "model"]


def answer(
    question: str,
    session: Session,
    engine: EngineName = "auto",
    lang: Lang | None = None,
    on_token: Callable[[str], None] | None = None,
    model: Any = None,
) -> Answer:
    """Answer one question with the registry's tools, offline unless a model is configured and chosen.

    ``on_token`` receives the model's streamed text (model path only; pseudonyms already restored).
    ``model`` is a LangChain chat model to use instead of the configured endpoint (tests script one).
    """
    warnings: list[Msg] = []
    limit = session.settings.max_question_chars
    if len(question) > limit:
        question = question[:limit]
        warnings.append(T.QUESTION_TRUNCATED.format(limit=limit))
    language = lang or understand.detect_language(question)
    if session.user_id is not None:  # per signed-in user: one user's flood never slows the others
        try:
            ratelimit.limiter(session.settings.rate_per_minute).check(str(session.user_id))
        except ratelimit.RateLimited as exc:
            return Answer(question[:200], language, exc.message(language), error=exc)
    session.language = language
    intent = understand.parse(question, session.context())
    if intent.removal is not None:  # deleting data is decided here, never by a model
        result = _remove(question, session, intent.removal, language)
    elif intent.correction is not None:
        result = _correct(question, session, intent.correction, language)
    elif model is not None or (engine in ("auto", "model") and session.settings.model_configured):
        result = _answer_with_model(question, session, intent, language, warnings, on_token, model)
    else:
        if engine == "model":
            warnings.append(T.MODEL_NOT_CONFIGURED)
        result = _answer_offline(question, session, intent, language, warnings)
    result.markdown = compose.inert_markdown(result.markdown)  # no image or link from data or a model
    return result


def run_tool(session: Session, tool: str, arguments: dict[str, Any] | None, language: Lang) -> Answer:
    """Run one registered tool (``custfin tool``) and compose its answer."""
    return compose.tool_answer("", language, session, run.run_tool(session, tool, arguments))


def _answer_offline(
    question: str, session: Session, intent: understand.Intent, language: Lang, warnings: list[Msg]
) -> Answer:
    """The offline question engine's answer (also the fallback when a model endpoint fails)."""
    if intent.tool != "recommend_actions" and understand.asks_for_recommendations(question):
        runs = run.run_recommendations(question, session, understand.findings_named(question))
        return compose.recommendation_answer(question, language, session, runs, warnings)
    if intent.tool is None:
        return compose.help_answer(question, language, warnings)
    if intent.tool == "recommend_actions":
        runs = run.run_recommendations(question, session, understand.findings_named(question), intent.arguments)
        return compose.recommendation_answer(question, language, session, runs, warnings)
    done = run.run_tool(session, intent.tool, intent.arguments)
    return compose.tool_answer(question, language, session, done, warnings)


def _answer_with_model(
    question: str,
    session: Session,
    intent: understand.Intent,
    language: Lang,
    warnings: list[Msg],
    on_token: Callable[[str], None] | None,
    model: Any,
) -> Answer:
    """The model picks the tool calls (run by agent/run.py); on any endpoint failure the offline
    engine answers, with the reason on the first line."""
    from agent import llm

    stream = compose.InertStream(on_token) if on_token is not None else None
    try:
        turn = llm.answer(
            question,
            session,
            language,
            run_tool=lambda tool, arguments: run.run_tool(session, tool, arguments),
            model=model,
            on_token=stream,
        )
    except llm.ModelFailure as failure:
        log.warning("model path failed: %s", failure.reason)
        reason = P.REASONS[failure.reason].format(**failure.details).get(language)
        fallback = _answer_offline(question, session, intent, language, warnings)
        note = P.FALLBACK.format(reason=reason).get(language)
        fallback.markdown = f"{note}\n\n{fallback.markdown}"
        fallback.warnings.insert(0, note)
        return fallback
    notes = turn.notes + [w.get(language) for w in warnings]
    return compose.model_answer(question, language, session, turn.text, turn.runs, notes)


def _correct(question: str, session: Session, correction: understand.Correction, language: Lang) -> Answer:
    try:
        outcomes = session.correct(correction)
    except UserFacingError as exc:
        return Answer(question, language, exc.message(language), error=exc)
    return compose.correction_answer(question, language, outcomes)


def _remove(question: str, session: Session, removal: understand.Removal, language: Lang) -> Answer:
    """Delete uploaded files from the session (the app then deletes them from the database and disk)."""
    try:
        removed = session.remove_files(removal)
    except UserFacingError as exc:
        return Answer(question, language, exc.message(language), error=exc)
    names = list(dict.fromkeys(f.filename for f in removed))
    return compose.removal_answer(question, language, session, names)
