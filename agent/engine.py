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

from agent import asking, comparison, compose, digest, plausibility, ratelimit, run, understand, understood
from agent.answer import Answer
from agent.report import conversation
from agent.session import Session
from agent.understand.pick import pick as picked
from core.text import Lang, Msg
from prompts import answers as T
from prompts import llm as P
from prompts import plausibility as G
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
    pending = session.pending_clarify
    session.pending_clarify = None
    if pending is not None:  # a reply to the options just offered ("2", "第二个")
        number = picked(question, len(pending.options))
        if number is not None:
            return pick(session, number, language, pending)
    if conversation.is_export(question):  # the report of this conversation, decided before any model
        return conversation.export_answer(question, language, session)
    if digest.is_digest(question):  # what changed between the last two exports
        return changes(question, session, language)
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
    result = _gated(result, session)
    result.markdown = compose.inert_markdown(result.markdown)  # no image or link from data or a model
    conversation.record(session, result)
    return result


def changes(question: str, session: Session, language: Lang) -> Answer:
    """The digest of changes between the last two exports of each kind (a question, or the upload of a
    newer export); kept as an analysis of the conversation (it goes in the report)."""
    result = digest.chat_answer(question, session, language)
    result.markdown = compose.inert_markdown(result.markdown)
    conversation.record(session, result)
    return result


def run_tool(session: Session, tool: str, arguments: dict[str, Any] | None, language: Lang) -> Answer:
    """Run one registered tool (``custfin tool``) and compose its answer."""
    done = run.run_tool(session, tool, arguments)
    return _gated(_understood(compose.tool_answer("", language, session, done), language), session)


def pick(
    session: Session, number: int, language: Lang, offered: understand.Clarification | None = None
) -> Answer:
    """Answer a clarifying question with its option ``number`` (1-based): a button, a typed reply, or
    the CLI's ``--pick N``; the options are the ones last offered unless ``offered`` is given."""
    offered = offered or session.pending_clarify
    session.pending_clarify = None
    if offered is None or not 1 <= number <= len(offered.options):
        count = len(offered.options) if offered else 0
        return Answer(str(number), language, T.NO_SUCH_OPTION.format(number=number, count=count).get(language))
    option = offered.options[number - 1]
    question = option.label.get(language)
    if option.tool is None:
        return _understood(compose.help_answer(question, language), language)
    intent = understand.Intent(option.tool, dict(option.arguments), language)
    answer = _gated(_answer_offline(question, session, intent, language, []), session)
    conversation.record(session, answer)
    return answer


def _gated(answer: Answer, session: Session) -> Answer:
    """The plausibility gates (agent/plausibility.py) on the answer's runs: each doubt is stated on the
    first line; mapping fixes become buttons (``answer.choices``), another call a clarifying option."""
    doubts = plausibility.check(answer.runs, session.bundle)
    if not doubts:
        return answer
    lang = answer.language
    answer.doubt_line = G.DOUBT_LINE.get(lang).format(doubts=G.JOIN.get(lang).join(d.message.get(lang) for d in doubts))
    answer.doubts = [{"gate": d.gate, "message": d.message.get(lang)} for d in doubts]
    answer.markdown = f"{answer.doubt_line}\n\n{answer.markdown}"
    answer.choices = [c for d in doubts for c in d.choices]
    options = tuple(o for d in doubts for o in d.options)
    if options and answer.clarify is None:
        fix = understand.Clarification(G.FIX_QUESTION, options)
        session.pending_clarify = fix
        answer.clarify = asking.clarify_payload(fix, lang)
        answer.markdown += "\n\n" + "\n".join([answer.clarify["question"], *asking.numbered(answer.clarify)])
    return answer


def _answer_offline(
    question: str, session: Session, intent: understand.Intent, language: Lang, warnings: list[Msg]
) -> Answer:
    """The offline question engine's answer (also the fallback when a model endpoint fails)."""
    if intent.out_of_scope:
        answer = _with_notes(asking.out_of_scope_answer(question, language, session), warnings)
        return _understood(answer, language, intent, heading=understood.W.OUT_OF_SCOPE)
    if intent.clarify is not None:
        session.pending_clarify = intent.clarify
        answer = _with_notes(asking.clarify_answer(question, language, intent.clarify), warnings)
        return _understood(answer, language, intent, heading=understood.W.UNSURE)
    if intent.tool is None:
        return _understood(compose.help_answer(question, language, warnings), language, intent)
    if intent.tool == "recommend_actions":
        named = list(intent.arguments.get("findings") or [])
        runs = run.run_recommendations(question, session, named, intent.arguments)
        answer = compose.recommendation_answer(question, language, session, runs, warnings)
        return _understood(answer, language, intent, shown=answer.runs[-1:])
    if intent.compare:
        (attribute, values), = intent.compare.items()
        runs = [run.run_tool(session, intent.tool, _one_value(intent.arguments, attribute, v)) for v in values]
        answer = comparison.comparison_answer(question, language, session, runs, attribute, values, warnings)
        return _understood(answer, language, intent)
    done = run.run_tool(session, intent.tool, intent.arguments)
    return _understood(compose.tool_answer(question, language, session, done, warnings), language, intent)


def _with_notes(answer: Answer, warnings: list[Msg]) -> Answer:
    if warnings:
        answer.markdown += "\n\n" + compose.notes_markdown(warnings, answer.language)
        answer.warnings += [w.get(answer.language) for w in warnings]
    return answer


def _one_value(arguments: dict[str, Any], attribute: str, value: str) -> dict[str, Any]:
    """The call's arguments restricted to one value of the compared attribute."""
    filters = dict(arguments.get("filters") or {})
    filters[attribute] = [value]
    return {**arguments, "filters": filters}


def _understood(
    answer: Answer,
    language: Lang,
    intent: understand.Intent | None = None,
    *,
    heading: Msg | None = None,
    shown: list | None = None,
    items: list[understand.NotApplied] | None = None,
) -> Answer:
    """Start the answer with what was understood and computed, and what was not applied (the
    contract: a stated part is never dropped silently); the same in ``answer.understood`` and
    ``answer.not_applied`` for the CLI JSON."""
    runs = answer.runs if shown is None else shown
    items = (intent.not_applied if intent is not None else []) + (items or [])
    stated = intent.arguments if intent is not None else None
    compare = intent.compare if intent is not None else None
    unsure = intent is not None and intent.tool is not None and intent.confidence < understand.ANSWER_AT
    answer.understood = understood.line(
        runs, items, language, stated=stated, compare=compare, heading=heading, unsure=unsure
    )
    answer.not_applied = understood.not_applied_json(items, runs, language)
    answer.markdown = f"{answer.understood}\n\n{answer.markdown}" if answer.markdown else answer.understood
    return answer


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
        rest = fallback.markdown.removeprefix(fallback.understood).lstrip("\n")
        fallback.markdown = f"{fallback.understood}\n\n{note}\n\n{rest}"
        fallback.warnings.insert(0, note)
        return fallback
    if turn.asked.out_of_scope and not turn.runs:  # the same reply as the offline engine's
        answer = _with_notes(asking.out_of_scope_answer(question, language, session), warnings)
        return _understood(answer, language, heading=understood.W.OUT_OF_SCOPE)
    if turn.asked.clarification is not None and not turn.runs:
        session.pending_clarify = turn.asked.clarification
        answer = _with_notes(asking.clarify_answer(question, language, turn.asked.clarification), warnings)
        return _understood(answer, language, heading=understood.W.UNSURE)
    notes = turn.notes + [w.get(language) for w in warnings]
    answer = compose.model_answer(question, language, session, turn.text, turn.runs, notes)
    return _understood(answer, language, items=model_dropped(intent, turn.runs))


def model_dropped(intent: understand.Intent, runs: list) -> list[understand.NotApplied]:
    """Filters the question states (as the offline engine reads them) that none of the model's calls
    applied: named as not applied, so the model path never drops a stated filter silently either."""
    stated = intent.arguments.get("filters") or {}
    applied = {key for r in runs for key in (r.arguments.get("filters") or {})}
    return [
        understand.NotApplied(key, values, P.MODEL_DROPPED) for key, values in stated.items() if key not in applied
    ]


def _correct(question: str, session: Session, correction: understand.Correction, language: Lang) -> Answer:
    try:
        outcomes = session.correct(correction)
    except UserFacingError as exc:
        return Answer(question, language, exc.message(language), error=exc)
    heading = understood.W.CORRECTION.format(file=correction.file or "-")
    return _understood(compose.correction_answer(question, language, outcomes), language, heading=heading)


def _remove(question: str, session: Session, removal: understand.Removal, language: Lang) -> Answer:
    """Delete uploaded files from the session (the app then deletes them from the database and disk)."""
    try:
        removed = session.remove_files(removal)
    except UserFacingError as exc:
        return Answer(question, language, exc.message(language), error=exc)
    names = list(dict.fromkeys(f.filename for f in removed))
    answer = compose.removal_answer(question, language, session, names)
    return _understood(answer, language, heading=understood.W.REMOVAL)
