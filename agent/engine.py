"""One entry point: answer(question, session) -> Answer. Picks the offline engine or (later) the model."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal

from agent import compose, intents, ratelimit
from agent.session import Session
from prompts import answers as T
from prompts import recommend as R
from prompts import vocabulary as V
from tools import recommend as rec
from tools.errors import UserFacingError
from tools.registry import TOOLS, get_tool
from tools.results import Finding, ToolResult
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
    removed_files: list[str] = field(default_factory=list)  # uploads deleted by this turn (app persists)

    @property
    def result(self) -> ToolResult | None:
        return self.runs[-1].result if self.runs else None


def answer(
    question: str,
    session: Session,
    engine: EngineName = "auto",
    lang: Lang | None = None,
    on_token: Callable[[str], None] | None = None,
) -> Answer:
    """Answer one question with the registry's tools, offline unless a model is configured and chosen.

    ``on_token`` receives the model's streamed text (model path only; pseudonyms already restored).
    """
    language = lang or intents.detect_language(question[: session.settings.max_question_chars])
    if (
        getattr(session, "user_id", None) is not None
    ):  # per signed-in user: one user's flood never slows the others
        try:
            ratelimit.limiter(session.settings.rate_per_minute).check(str(session.user_id))
        except ratelimit.RateLimited as exc:
            return Answer(question[:200], language, exc.message(language), error=exc)
    limit = session.settings.max_question_chars
    warnings: list[Msg] = []
    if len(question) > limit:
        question = question[:limit]
        warnings.append(T.QUESTION_TRUNCATED.format(limit=limit))
    language = lang or intents.detect_language(question)
    session.language = language
    removal = intents.parse_removal(question, (f.filename for f in session.files))
    if removal is not None:  # deleting data is decided here, never by a model
        result = _remove(question, session, removal, language)
    elif engine in ("auto", "model") and session.settings.model_configured:
        from agent import llm

        stream = compose.InertStream(on_token) if on_token is not None else None
        result = llm.answer(question, session, language, warnings=warnings, on_token=stream)
    else:
        if engine == "model":
            warnings.append(T.MODEL_NOT_CONFIGURED)
        result = answer_offline(question, session, language, warnings)
    result.markdown = compose.inert_markdown(result.markdown)  # no image or link from data or a model
    return result


def answer_offline(
    question: str, session: Session, language: Lang, warnings: list[Msg] | None = None
) -> Answer:
    """The offline question engine's answer (also the fallback when a model endpoint fails)."""
    warnings = list(warnings or [])
    intent = intents.parse(question, session.context())
    if intent.correction is not None:
        return _correct(question, session, intent.correction, language)
    if intent.removal is not None:
        return _remove(question, session, intent.removal, language)
    if intent.tool != "recommend_actions" and mentions(question, R.RECOMMEND_PHRASES):
        return recommend_for_question(question, session, language, None, warnings)
    if intent.tool is None:
        notes = [w.get(language) for w in warnings]
        text = intents.help_text(language) + "".join(f"\n\n- ℹ️ {n}" for n in notes)
        return Answer(question, language, text, warnings=notes)
    if intent.tool == "recommend_actions":
        return recommend_for_question(question, session, language, intent.arguments, warnings)
    return run_tool(session, intent.tool, intent.arguments, language, question=question, warnings=warnings)


# --------------------------------------------------------------------------------------------------
# Recommendations: which findings a question is about, and running the tools that measure them
# --------------------------------------------------------------------------------------------------
DIAGNOSTIC_TOOLS = 3  # at most this many tools run on demand for a generic "what should we do?"


def mentions(question: str, phrases: tuple[str, ...]) -> bool:
    """True when the question holds a phrase (CJK as a substring, others on word boundaries,
    a trailing plural "s" allowed)."""
    words = " " + " ".join(re.findall(r"[\w']+", question.lower())) + " "
    compact = re.sub(r"\s+", "", question)
    for phrase in phrases:
        if intents.detect_language(phrase) == "zh":
            if phrase in compact:
                return True
            continue
        p = " ".join(re.findall(r"[\w']+", phrase.lower()))
        if f" {p} " in words or f" {p}s " in words:
            return True
    return False


def findings_named(question: str) -> list[str]:
    """Finding names a question mentions ("late payers" -> overdue_receivables), from prompts/recommend.py."""
    return [name for name, phrases in R.FINDING_PHRASES.items() if mentions(question, phrases)]


def producers(finding: str, session: Session) -> list[str]:
    """Registered tools that emit ``finding`` and whose required tables are loaded."""
    return [
        name
        for name, spec in TOOLS.items()
        if finding in spec.findings and all(kind in session.bundle for kind in spec.requires)
    ]


def recommend_for_question(
    question: str,
    session: Session,
    language: Lang,
    arguments: dict[str, Any] | None = None,
    warnings: list[Msg] | None = None,
) -> Answer:
    """Answer "what should we do (about X)?": findings from the session, or measured on demand.

    1. Findings the question names (prompts/recommend.py FINDING_PHRASES); without any, every finding
       known in the session (from the tools already run).
    2. A named finding the session lacks is measured by running the first registered tool that emits
       it and has its data (ToolSpec.findings, ToolSpec.requires); with nothing named and nothing in
       the session, up to DIAGNOSTIC_TOOLS such tools run.
    3. recommend_actions runs on the collected findings; a named finding no tool measured is still
       passed by name, so its playbooks are retrieved (without targets).
    """
    warnings = list(warnings or [])
    runs: list[ToolRun] = []
    named = findings_named(question)
    known: dict[str, Finding] = dict(session.known_findings)
    wanted = named or list(known)
    if not wanted:  # nothing named, nothing measured yet: run the diagnostic tools available
        tools_run: list[str] = []
        for name, spec in TOOLS.items():
            if spec.findings and name not in tools_run and len(tools_run) < DIAGNOSTIC_TOOLS:
                if all(kind in session.bundle for kind in spec.requires):
                    tools_run.append(name)
        for tool in tools_run:
            runs.append(_run_quiet(session, tool, language))
        known = dict(session.known_findings)
        wanted = list(known)
    else:
        for finding in wanted:
            if finding in known:
                continue
            for tool in producers(finding, session)[:1]:
                if not any(r.tool == tool for r in runs):
                    runs.append(_run_quiet(session, tool, language))
                    known = dict(session.known_findings)
    for run in runs:
        if run.error is None:
            warnings.append(R.ON_DEMAND.format(tool=run.tool))
    for f in named:
        if f not in known:
            label = R.FINDING_LABELS.get(f, Msg(f, f))
            warnings.append(R.NOT_MEASURABLE.format(finding=label.get(language)))
    findings = [f for f in wanted if f in known] + [f for f in named if f not in known]
    args = {k: v for k, v in (arguments or {}).items() if k in ("action_type", "n")}
    args.update(findings=findings, question=question)
    final = run_tool(session, "recommend_actions", args, language, question=question, warnings=warnings)
    final.runs = runs + final.runs
    return final


def session_findings(session: Session, requested: Any) -> list[dict[str, Any]]:
    """Findings for a tool's ``findings`` argument: the session's Finding objects for the names
    requested (names or dicts), or every finding known in the session when none are requested."""
    if not requested:
        requested = list(session.known_findings)
    out = []
    for item in requested if isinstance(requested, list) else [requested]:
        entry = {"name": item} if isinstance(item, str) else dict(item) if isinstance(item, dict) else item
        name = entry.get("name") if isinstance(entry, dict) else None
        known = session.known_findings.get(name) if isinstance(name, str) else None
        if known is not None and set(entry) <= {"name"}:
            entry = rec.FindingArg.of(known).model_dump(mode="json")
        out.append(entry)
    return out


def _run_quiet(session: Session, tool: str, language: Lang) -> ToolRun:
    """Run ``tool`` with default arguments to measure its findings (remembered by the session)."""
    spec = get_tool(tool)
    run = ToolRun(tool, {})
    start = time.perf_counter()
    try:
        run.result = spec.run(session.bundle, {}, **{d: session.dependency(d) for d in spec.deps})
        session.known_findings.update({f.name: f for f in run.result.findings})
    except UserFacingError as exc:
        run.error = exc
    except Exception:  # a bug in one diagnostic tool must not stop the recommendation
        log.exception("tool %s failed", tool)
    run.seconds = time.perf_counter() - start
    return run


def recommendations_for(session: Session, result: ToolResult, language: Lang, n: int = 3) -> tuple[str, list]:
    """The short "recommended next steps" for a result with findings: (markdown, JSON entries)."""
    if not result.findings:
        return "", []
    try:
        store = session.dependency("playbooks")
        findings = [rec.FindingArg.of(f) for f in result.findings]
        recs = rec.recommend(session.bundle, store, findings, n=n)
    except Exception:  # the playbook library must never break an analysis answer
        log.exception("recommendations failed")
        return "", []
    if not recs:
        return "", []
    return rec.render(recs, language, full=False), [r.to_json(language) for r in recs]


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
        full = dict(run.arguments)
        if "findings" in spec.params.model_fields:
            full["findings"] = session_findings(session, run.arguments.get("findings"))
        params = spec.parse(full)
        run.arguments = params.model_dump(mode="json", exclude_defaults=True)
        if "findings" in run.arguments:  # shown and replayed by name; the session fills in the rest
            run.arguments["findings"] = [f["name"] for f in run.arguments["findings"]]
        deps = {name: session.dependency(name) for name in spec.deps}
        run.result = spec.fn(session.bundle, params, **deps)
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
    if tool == "recommend_actions":  # acting on findings does not replace them
        session.last_tool, session.last_arguments = tool, run.arguments
        recommendations = rec.recommendations_json(result, language)
        extra = ""
    else:
        session.remember(tool, run.arguments, result.findings)
        extra, recommendations = recommendations_for(session, result, language)
    if session.is_demo:
        warnings.append(T.DEMO_NOTE)
    markdown = compose.render_result(result, language)
    if extra:
        markdown += "\n\n" + extra
    if warnings:
        markdown += "\n\n" + "\n".join(f"- ℹ️ {w.get(language)}" for w in warnings)
    return Answer(
        question,
        language,
        markdown,
        [run],
        recommendations=recommendations,
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


def _remove(question: str, session: Session, removal: intents.Removal, language: Lang) -> Answer:
    """Delete uploaded files from the session (the app then deletes them from the database and disk)
    and confirm, listing what is still loaded."""
    try:
        removed = session.remove_files(removal)
    except UserFacingError as exc:
        return Answer(question, language, exc.message(language), error=exc)
    names = list(dict.fromkeys(f.filename for f in removed))
    sep = "、" if language == "zh" else ", "
    lines = [V.REMOVED.format(files=sep.join(f"`{n}`" for n in names)).get(language)]
    if session.is_demo:
        lines.append(V.REMOVED_NOTHING_LEFT.get(language))
    else:
        lines.append(V.REMOVED_REMAINING.get(language))
        for f in session.files:
            rows = len(f.dataset.frame) if f.dataset is not None else 0
            kind = compose.kind_name(f.dataset.kind, language) if f.dataset is not None else "?"
            lines.append(
                "- "
                + V.REMOVED_FILE_LINE.format(file=f"`{f.filename}`", kind=kind, rows=f"{rows:,}").get(
                    language
                )
            )
    return Answer(
        question, language, "\n\n".join(lines[:2]) + "".join("\n" + x for x in lines[2:]), removed_files=names
    )
