"""The run stage: execute the tool calls an understood question (or a model) asks for.

No text is composed here: each call gives a ToolRun (result, or the user-facing error, or the name of
the bug), and the session remembers what ran (follow-ups) and the findings measured (recommendations).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from agent.answer import ToolRun
from agent.session import Session
from core.text import Msg
from prompts import advice as A
from prompts.findings import label as finding_label
from tools import recommend as rec
from tools.errors import UserFacingError
from tools.registry import TOOLS, get_tool
from tools.results import Finding

log = logging.getLogger(__name__)

DIAGNOSTIC_TOOLS = 3  # at most this many tools run on demand for a generic "what should we do?"


def run_tool(session: Session, tool: str, arguments: dict[str, Any] | None) -> ToolRun:
    """Run one registered tool on the session's data (unknown names raise a bilingual unknown_tool).

    The arguments are validated by the tool's Params (``run.arguments`` becomes the validated,
    non-default ones); services the tool declares are injected from the session; a tool that takes
    ``findings`` receives the session's measured findings for the names given.
    """
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
    except Exception as exc:  # a bug: reported plainly by compose, the session keeps working
        log.exception("tool %s failed", tool)
        run.internal_error = type(exc).__name__
    run.seconds = time.perf_counter() - start
    if run.result is not None:
        if tool == "recommend_actions":  # acting on findings does not replace them
            session.last_tool, session.last_arguments = tool, run.arguments
        else:
            session.remember(tool, run.arguments, run.result.findings)
    return run


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


def producers(finding: str, session: Session) -> list[str]:
    """Registered tools that emit ``finding`` and whose required tables are loaded."""
    return [
        name
        for name, spec in TOOLS.items()
        if finding in spec.findings and all(kind in session.bundle for kind in spec.requires)
    ]


def _measure(session: Session, tool: str) -> ToolRun:
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


@dataclass
class RecommendationRuns:
    """What answering "what should we do (about X)?" ran: the measuring tools, then recommend_actions."""

    measured: list[ToolRun] = field(default_factory=list)
    final: ToolRun | None = None
    warnings: list[Msg] = field(default_factory=list)


def run_recommendations(
    question: str, session: Session, named: list[str], arguments: dict[str, Any] | None = None
) -> RecommendationRuns:
    """Findings for a recommendation question, measured on demand, then recommend_actions on them.

    1. The findings the question names (``named``); without any, every finding known in the session
       (from the tools already run).
    2. A named finding the session lacks is measured by running the first registered tool that emits
       it and has its data (ToolSpec.findings, ToolSpec.requires); with nothing named and nothing in
       the session, up to DIAGNOSTIC_TOOLS such tools run.
    3. recommend_actions runs on the collected findings; a named finding no tool measured is still
       passed by name, so its playbooks are retrieved (without targets).
    """
    out = RecommendationRuns()
    known: dict[str, Finding] = dict(session.known_findings)
    wanted = named or list(known)
    if not wanted:  # nothing named, nothing measured yet: run the diagnostic tools available
        tools_run: list[str] = []
        for name, spec in TOOLS.items():
            if spec.findings and name not in tools_run and len(tools_run) < DIAGNOSTIC_TOOLS:
                if all(kind in session.bundle for kind in spec.requires):
                    tools_run.append(name)
        for tool in tools_run:
            out.measured.append(_measure(session, tool))
        known = dict(session.known_findings)
        wanted = list(known)
    else:
        for finding in wanted:
            if finding in known:
                continue
            for tool in producers(finding, session)[:1]:
                if not any(r.tool == tool for r in out.measured):
                    out.measured.append(_measure(session, tool))
                    known = dict(session.known_findings)
    for run in out.measured:
        if run.error is None:
            out.warnings.append(A.ON_DEMAND.format(tool=run.tool))
    for f in named:
        if f not in known:
            label = finding_label(f)
            out.warnings.append(
                Msg(A.NOT_MEASURABLE.en.format(finding=label.en), A.NOT_MEASURABLE.zh.format(finding=label.zh))
            )
    findings = [f for f in wanted if f in known] + [f for f in named if f not in known]
    args = {k: v for k, v in (arguments or {}).items() if k in ("action_type", "n")}
    args.update(findings=findings, question=question)
    out.final = run_tool(session, "recommend_actions", args)
    return out
