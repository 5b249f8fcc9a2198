"""The report in the chat: every analysis answered in a conversation is kept (the Answer, and the tool
calls that made it so a rebuilt session can compute it again from the stored data); "add to report"
picks analyses; "export a report" / "导出报告" writes the report of the picked ones (else of all) as
XLSX, HTML and PDF files attached to the answer. The phrases are decided here, before the question
engine, like deleting files."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from agent.answer import Analysis, Answer, Attachment
from agent.report import MEDIA_TYPES, build, company_name, render
from agent.report.pdf import PdfUnavailable
from core.text import Lang
from prompts import report as W

if TYPE_CHECKING:
    from agent.session import Session

log = logging.getLogger(__name__)

MAX_ANALYSES = 60  # kept per conversation (the oldest go first)

EXPORT_EN = re.compile(
    r"^\s*(?:please\s+)?(?:can you\s+|could you\s+)?(?:export|download|generate|create|make|build|write|"
    r"prepare|send me|give me)(?:\s+me)?(?:\s+(?:a|the|my|our|this|an))?(?:\s+(?:management|conversation|chat|"
    r"full|pdf|excel|xlsx|html|summary|final))*\s+report(?:\s+(?:of|for|on)\s+(?:this|the|our|my)\s+"
    r"(?:conversation|chat|analyses|analysis|session))?(?:\s+(?:as|in)\s+(?:pdf|excel|xlsx|html))?"
    r"(?:\s+please)?\s*[.!?]*\s*$",
    re.IGNORECASE,
)
EXPORT_ZH = re.compile(
    r"^\s*(?:请|麻烦)?(?:帮我|给我)?(?:导出|生成|下载|制作|做|输出)(?:一[份个下])?(?:本次|这次)?(?:对话|会话|管理|分析|完整)?"
    r"(?:的)?报告(?:吧)?\s*[。！!？?]*\s*$"
)


def is_export(question: str) -> bool:
    text = question.strip()
    return bool(EXPORT_EN.match(text) or EXPORT_ZH.match(text))


def record(session: Session, answer: Answer) -> None:
    """Keep an answer with a result as an analysis of the conversation (its number in
    ``answer.analysis_number`` for the "add to report" button)."""
    if answer.result is None or answer.error is not None or answer.internal_error or answer.clarify:
        return
    calls = [(r.tool, dict(r.arguments)) for r in answer.runs if r.result is not None]
    session.analyses.append(Analysis(answer.question, answer.language, calls, answer))
    if len(session.analyses) > MAX_ANALYSES:
        dropped = len(session.analyses) - MAX_ANALYSES
        del session.analyses[:dropped]
        session.report_marked = [n - dropped for n in session.report_marked if n - dropped >= 1]
    answer.analysis_number = len(session.analyses)


def mark(session: Session, number: int, lang: Lang) -> Answer:
    """The "add to report" button under the answer numbered ``number``."""
    if not 1 <= number <= len(session.analyses):
        return Answer(str(number), lang, W.ALREADY_ADDED.get(lang))
    if number in session.report_marked:
        text = W.ALREADY_ADDED.get(lang)
    else:
        session.report_marked.append(number)
        text = W.ADDED.format(count=len(session.report_marked)).get(lang)
    return Answer(W.ADD_TO_REPORT.get(lang), lang, text)


def chosen(session: Session) -> list[Analysis]:
    numbers = sorted(set(session.report_marked)) or list(range(1, len(session.analyses) + 1))
    return [session.analyses[n - 1] for n in numbers if 1 <= n <= len(session.analyses)]


def recompute(session: Session, analysis: Analysis) -> Answer | None:
    """The answer of an analysis kept only as its calls (a rebuilt session): the same tools on the same
    stored data give the same numbers."""
    from agent import compose, run
    from tools.registry import TOOLS

    if not all(tool in TOOLS for tool, _ in analysis.calls):  # a digest: its snapshots are not kept
        return None
    answer = None
    runs = []
    for tool, arguments in analysis.calls:
        done = run.run_tool(session, tool, arguments)
        runs.append(done)
        answer = compose.tool_answer(analysis.question, analysis.language, session, done)
    if answer is not None:
        answer.runs = runs
        analysis.answer = answer
    return answer


def answers_of(session: Session) -> list[Answer]:
    out = []
    for analysis in chosen(session):
        answer = analysis.answer or recompute(session, analysis)
        if answer is not None and answer.result is not None:
            out.append(answer)
    return out


def export_answer(question: str, lang: Lang, session: Session) -> Answer:
    """The report of the conversation as attached files (XLSX, HTML, and PDF when Chromium is here)."""
    answers = answers_of(session)
    understood = W.UNDERSTOOD_EXPORT.get(lang)
    if not answers:
        text = W.NO_ANALYSES.get(lang)
        return Answer(question, lang, f"{understood}\n\n{text}", understood=understood)
    company = company_name(lang, session.is_demo)
    report = build(answers, lang, company=company, data_period=session.event_period())
    stem = f"custfin-report-{report.generated:%Y%m%d-%H%M}"
    attachments = []
    notes = []
    for fmt in ("xlsx", "html", "pdf"):
        try:
            data = render(report, fmt)
        except PdfUnavailable as exc:
            notes.append(W.EXPORTED_NO_PDF.format(reason=exc.message(lang)).get(lang))
            continue
        attachments.append(Attachment(f"{stem}.{fmt}", data, MEDIA_TYPES[fmt]))
    text = W.EXPORTED.format(count=len(report.sections), company=report.company, period=report.period).get(lang)
    lines = [f"{i}. {s.title} — {s.question}" for i, s in enumerate(report.sections, start=1)]
    body = "\n".join([text, "", *lines] + ([""] + [f"- ℹ️ {n}" for n in notes] if notes else []))
    return Answer(question, lang, f"{understood}\n\n{body}", attachments=attachments, understood=understood)
