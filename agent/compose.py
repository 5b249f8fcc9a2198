"""The compose stage: tool runs -> what the user sees. The answer's markdown in the user's language
(headline, method, warnings, recommendations, help), upload reports, CSV downloads and the CLI JSON.
Every answer text is assembled here."""

from __future__ import annotations

import io
import json
import logging
import math
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from agent.answer import VERSION, Answer, ToolRun
from agent.report.content import column_kinds, reader_frame
from agent.report.content import label as report_label
from core.text import Lang, Msg
from prompts import answers as T
from prompts import help as VH
from prompts import ingest as VI
from prompts import removal as VR
from tools import recommend as rec
from tools.formatting import display_column
from tools.registry import TOOLS, get_tool
from tools.results import Table, ToolResult
from tools.schemas import KIND_NAMES

if TYPE_CHECKING:
    from agent.run import RecommendationRuns
    from agent.session import FileOutcome, Session
    from tools.bundle import DroppedRows, IngestReport

log = logging.getLogger(__name__)

MAX_JSON_ROWS = 500
MAX_DISPLAY_ROWS = 500
FRACTION_COLUMN = re.compile(r"share|rate|margin|pct|prob|ratio|fraction|p_alive", re.IGNORECASE)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
MAX_LISTED_COLUMNS = 30  # a 1,000-column file lists this many unused columns, then a count


def kind_name(kind: str, lang: Lang) -> str:
    return KIND_NAMES.get(kind, Msg(kind, kind)).get(lang)


def data_summary(session: Session, lang: Lang) -> str:
    parts = [f"{kind_name(k, lang)} {ds.rows:,}" for k, ds in session.bundle.datasets.items()]
    return ("、" if lang == "zh" else ", ").join(parts) or ("nothing yet" if lang == "en" else "暂无数据")


def welcome(session: Session, lang: Lang) -> str:
    summary = data_summary(session, lang)
    line = (T.WELCOME_DEMO if session.is_demo else T.WELCOME_DATA).format(summary=summary).get(lang)
    return T.WELCOME.get(lang).format(data_line=line)


def render_file_outcome(outcome: FileOutcome, lang: Lang) -> str:
    """The ingestion report for one upload, per sheet read: kind, rows, every column's meaning (how it
    was decided, confidence, other likely meanings), what was computed, dropped rows, warnings."""
    if outcome.error is not None:
        return T.FILE_FAILED.get(lang).format(filename=outcome.filename, error=outcome.error.message(lang))
    reports = outcome.reports or ([outcome.report] if outcome.report is not None else [])
    appended = outcome.appended_each or [outcome.appended]
    parts = [
        _render_report(r, appended[i] if i < len(appended) else None, lang, several=len(reports) > 1)
        for i, r in enumerate(reports)
    ]
    parts.append(_correction_hint(reports, lang))
    return inert_markdown("\n\n".join(parts))


def _render_report(r: IngestReport, appended: DroppedRows | None, lang: Lang, several: bool) -> str:
    lines = [f"#### {VI.SHEET_TITLE.get(lang).format(sheet=_md(r.sheet))}", ""] if several and r.sheet else []
    lines += [
        T.FILE_OK.get(lang).format(
            filename=r.filename,
            kind=kind_name(r.kind, lang),
            rows_kept=f"{r.rows_kept:,}",
            rows_read=f"{r.rows_read:,}",
        ),
        T.FILE_DETAILS.get(lang).format(
            encoding=r.encoding or "-",
            delimiter=repr(r.delimiter) if r.delimiter else "-",
            sheet=r.sheet or "-",
            header_row=r.header_row,
        ),
        "",
        f"**{T.FILE_MAPPING.get(lang)}**",
        "",
        *_column_rows(r, lang),
        "",
    ]
    if r.derived:
        sep = "；" if lang == "zh" else "; "
        items = sep.join(f"{col} = {formula}" for col, formula in r.derived.items())
        lines.append(VI.DERIVED_LINE.get(lang).format(items=items))
    shown = {c.source for c in r.columns if c.canonical is not None or c.alternatives}
    unused = [u for u in r.unmapped if u not in shown and u.removesuffix(" (unmapped)") not in shown]
    if unused:
        listed = ", ".join(map(_md, unused[:MAX_LISTED_COLUMNS]))
        if len(unused) > MAX_LISTED_COLUMNS:
            more = len(unused) - MAX_LISTED_COLUMNS
            listed += f" … (+{more:,})" if lang == "en" else f" …（另 {more:,} 列）"
        lines.append(T.FILE_UNMAPPED.get(lang).format(columns=listed))
    for d in r.dropped:
        rows = (
            f" ({', '.join(map(str, d.rows[:20]))}{'…' if d.count > len(d.rows[:20]) else ''})"
            if d.rows
            else ""
        )
        lines.append(
            "- " + T.FILE_DROPPED.get(lang).format(count=d.count, reason=d.reason.get(lang), rows=rows)
        )
    for w in r.warnings:
        lines.append(f"- ⚠️ {w.get(lang)}")
    if appended is not None:
        lines.append(T.FILE_APPENDED.get(lang).format(kind=kind_name(r.kind, lang), count=appended.count))
    return "\n".join(lines)


def _column_rows(r: IngestReport, lang: Lang) -> list[str]:
    """The mapping table: every mapped column and every column with another likely meaning (a report
    from before issue 13 has only its mapping)."""
    if not r.columns:
        return [T.FILE_MAPPING_HEADER.get(lang), *(f"| {_md(src)} | {dst} |" for src, dst in r.mapping.items())]
    rows = [VI.COLUMNS_HEADER.get(lang)]
    for c in r.columns:
        if c.canonical is None and not c.alternatives:
            continue
        how = VI.HOW.get(c.how)
        meaning = c.canonical or VI.UNUSED_MEANING.get(lang)
        others = ", ".join(f"{a} ({conf:.0%})" for a, conf in c.alternatives) or "-"
        if c.note is not None:
            others += f" — {c.note.get(lang)}"
        confidence = f"{c.confidence:.0%}" if c.canonical is not None else "-"
        rows.append(
            f"| {_md(c.source)} | {meaning} | {how.get(lang) if how else c.how} | {confidence} | {_md(others, 400)} |"
        )
    return rows


def _correction_hint(reports: list[IngestReport], lang: Lang) -> str:
    """A correction sentence for the most doubtful column, else the generic hint."""
    doubtful = next((c for r in reports for c in r.alternatives()), None)
    if doubtful is None:
        return T.FILE_CORRECT_HINT.get(lang)
    return VI.ALTERNATIVES_HINT.get(lang).format(column=_md(doubtful.source), canonical=doubtful.alternatives[0][0])


# --------------------------------------------------------------------------------------------------
# Answers
# --------------------------------------------------------------------------------------------------
def notes_markdown(warnings: list[Msg], lang: Lang) -> str:
    return "\n".join(f"- ℹ️ {w.get(lang)}" for w in warnings)


def tool_answer(
    question: str, lang: Lang, session: Session, run: ToolRun, warnings: list[Msg] | None = None
) -> Answer:
    """The answer for one tool run: its result (headline, method, warnings), the recommended next
    steps for its findings, and the notes; or the tool's user-facing error; or, for a bug, say so."""
    warnings = list(warnings or [])
    if run.internal_error is not None:
        text = T.INTERNAL_ERROR.format(error=run.internal_error).get(lang)
        return Answer(question, lang, text, [run], internal_error=True)
    if run.error is not None:
        return Answer(question, lang, run.error.message(lang), [run], error=run.error)
    result = run.result
    assert result is not None
    if run.tool == "recommend_actions":
        recommendations, extra = rec.recommendations_json(result, lang), ""
    else:
        extra, recommendations = recommendation_block(session, result, lang)
    if session.is_demo:
        warnings.append(T.DEMO_NOTE)
    markdown = render_result(result, lang)
    if extra:
        markdown += "\n\n" + extra
    if warnings:
        markdown += "\n\n" + notes_markdown(warnings, lang)
    return Answer(
        question,
        lang,
        markdown,
        [run],
        recommendations=recommendations,
        warnings=[w.get(lang) for w in result.warnings + warnings],
        data_fingerprint=session.bundle.fingerprint(_kinds_read(run.tool, session) or None),
    )


def _kinds_read(tool: str, session: Session) -> tuple[str, ...]:
    """The table kinds the tool read (ToolSpec.reads), else those it requires."""
    spec = get_tool(tool)
    return spec.reads(session.bundle) or spec.requires


def recommendation_answer(
    question: str, lang: Lang, session: Session, runs: RecommendationRuns, warnings: list[Msg] | None = None
) -> Answer:
    """The answer to "what should we do (about X)?": recommend_actions' answer, after the tools that
    measured the findings (each named in a note)."""
    assert runs.final is not None
    final = tool_answer(question, lang, session, runs.final, list(warnings or []) + runs.warnings)
    final.runs = runs.measured + final.runs
    return final


def recommendation_block(session: Session, result: ToolResult, lang: Lang, n: int = 3) -> tuple[str, list]:
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
    return rec.render(recs, lang, full=False), [r.to_json(lang) for r in recs]


def help_answer(question: str, lang: Lang, warnings: list[Msg] | None = None) -> Answer:
    """What can be asked (one line per registered tool, with example questions), plus any notes."""
    notes = [w.get(lang) for w in warnings or []]
    text = help_text(lang) + "".join(f"\n\n- ℹ️ {n}" for n in notes)
    return Answer(question, lang, text, warnings=notes)


def help_text(lang: Lang) -> str:
    """Markdown: what can be asked, with example questions (from prompts/)."""
    quote = ("“", "”") if lang == "zh" else ('"', '"')
    lines = [VH.HELP_INTRO.get(lang), ""]
    for spec in TOOLS.values():
        title, examples = spec.words.HELP
        heading = title.get(lang)
        sample = " · ".join(f"{quote[0]}{q}{quote[1]}" for q in examples.get(lang, []))
        colon = "：" if lang == "zh" else ": "
        line = f"- **{heading}**{colon}{spec.description.get(lang)}"
        space = "" if lang == "zh" else " "
        lines.append(f"{line}{space}{VH.HELP_EXAMPLES_LABEL.get(lang)} {sample}" if sample else line)
    lines += ["", VH.HELP_TIPS.get(lang)]
    return "\n".join(lines)


def correction_answer(question: str, lang: Lang, outcomes: list[FileOutcome]) -> Answer:
    text = "\n\n".join([T.CORRECTED.get(lang)] + [render_file_outcome(o, lang) for o in outcomes])
    return Answer(question, lang, text)


def removal_answer(question: str, lang: Lang, session: Session, names: list[str]) -> Answer:
    """Confirms the deleted uploads and lists what is still loaded (or that the demo is back)."""
    sep = "、" if lang == "zh" else ", "
    lines = [VR.REMOVED.format(files=sep.join(f"`{n}`" for n in names)).get(lang)]
    if session.is_demo:
        lines.append(VR.REMOVED_NOTHING_LEFT.get(lang))
    else:
        lines.append(VR.REMOVED_REMAINING.get(lang))
        for f in session.files:
            rows = f.dataset.rows if f.dataset is not None else 0
            kind = kind_name(f.dataset.kind, lang) if f.dataset is not None else "?"
            lines.append(
                "- " + VR.REMOVED_FILE_LINE.format(file=f"`{f.filename}`", kind=kind, rows=f"{rows:,}").get(lang)
            )
    return Answer(question, lang, "\n\n".join(lines[:2]) + "".join("\n" + x for x in lines[2:]), removed_files=names)


def model_answer(
    question: str, lang: Lang, session: Session, text: str, runs: list[ToolRun], notes: list[str]
) -> Answer:
    """The model path's answer: the model's (checked) prose, the recommendations of the tools it ran
    (recommend_actions' own, else the next steps for the last result with findings), the notes."""
    recommendations: list = []
    for run in reversed(runs):
        if run.result is None:
            continue
        if run.tool == "recommend_actions":
            recommendations = rec.recommendations_json(run.result, lang)
            break
        if run.result.findings:
            extra, recommendations = recommendation_block(session, run.result, lang)
            text += "\n\n" + extra if extra else ""
            break
    if notes:
        text += "\n\n" + "\n".join(f"- {n}" for n in notes)
    fingerprint = session.bundle.fingerprint() if runs else None
    return Answer(
        question, lang, text, runs, recommendations=recommendations, warnings=notes, data_fingerprint=fingerprint
    )


def step_text(run: ToolRun, lang: Lang) -> str:
    arguments = json.dumps(run.arguments, ensure_ascii=False, default=str)
    if run.error is not None:
        return T.STEP_FAILED.get(lang).format(
            tool=run.tool, arguments=arguments, error=run.error.message(lang)
        )
    return T.STEP.get(lang).format(
        tool=run.tool, arguments=arguments, rows=f"{run.rows_used:,}", seconds=run.seconds
    )


def render_result(result: ToolResult, lang: Lang, *, preview_rows: int = 0) -> str:
    """Headline, method (formula, assumptions, reference date, rows) and warnings as markdown."""
    m = result.method
    parts = [result.summary.get(lang), "", f"**{T.METHOD.get(lang)}**", ""]
    if m.formula.get(lang):
        parts.append(f"- {T.FORMULA.get(lang)}: {m.formula.get(lang)}")
    parts.extend(f"- {a.get(lang)}" for a in m.assumptions)
    if m.as_of is not None:
        parts.append(f"- {T.AS_OF.get(lang)}: {m.as_of.isoformat()}")
    parts.append(f"- {T.ROWS_USED.get(lang)}: {m.rows_used:,}")
    if result.warnings:
        parts += ["", f"**{T.WARNINGS.get(lang)}**", ""] + [f"- ⚠️ {w.get(lang)}" for w in result.warnings]
    if preview_rows and result.tables:
        frame = result.tables[0].frame.head(preview_rows)
        parts += ["", frame.to_markdown(index=False) if _has_tabulate() else frame.to_string(index=False)]
    elif result.tables:
        parts += ["", f"_{T.TABLE_BELOW.get(lang)}_"]
    return "\n".join(parts)


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def escape_cell(value: Any) -> Any:
    """Make spreadsheet formula text inert: '=HYPERLINK(..)' -> "'=HYPERLINK(..)" (OWASP CSV injection).

    Leading spaces do not protect a formula in every spreadsheet, so ' =1+1' is escaped too.
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def inert_markdown(text: str) -> str:
    """Markdown whose data-derived parts cannot load or link anything: images and inline links from
    uploaded text or a model's reply ('![x](http://evil/?leak)') are shown as plain text."""
    return text.replace("![", "!\\[").replace("](", "]\\(")


class InertStream:
    """``inert_markdown`` over a token stream (a '!' or ']' at a chunk's end waits for the next)."""

    def __init__(self, sink: Any) -> None:
        self.sink, self.pending = sink, ""

    def __call__(self, token: str) -> None:
        text, self.pending = self.pending + token, ""
        if token and text[-1:] in ("!", "]"):
            text, self.pending = text[:-1], text[-1]
        if text or not token:
            self.sink(inert_markdown(text))


def table_csv(table: Table) -> bytes:
    """The full table as UTF-8 CSV (with BOM, so Excel reads Chinese), formula-like text escaped."""
    frame = table.frame.copy()
    frame.columns = [escape_cell(str(c)) for c in frame.columns]
    for col in frame.columns:
        if not (
            pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_datetime64_any_dtype(frame[col])
        ):
            frame[col] = frame[col].map(escape_cell)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


def display_frame(table: Table, lang: Lang, tool: str | None = None) -> pd.DataFrame:
    """The first rows of a table as the reader sees it: only the reader's columns (the internal
    title_en/title_zh/why_en/why_zh copies folded into one column in their language), money with
    thousands separators and 2 decimals, shares as %, counts as whole numbers, ISO dates, and column
    labels in the reader's language (the tool's own, else shared ones). Downloads and JSON keep the
    canonical names and full precision."""
    frame = reader_frame(table, lang).head(MAX_DISPLAY_ROWS)
    kinds = column_kinds(frame)
    shown = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        kind, series = kinds[col], frame[col]
        if kind == "date":
            shown[col] = series.dt.strftime("%Y-%m-%d").fillna("")
        elif kind in ("money", "share", "count", "number"):
            shown[col] = display_column(series.tolist(), kind)
        elif col in VALUE_LABELLED:  # values that are column names themselves (ageing buckets)
            shown[col] = [report_label(str(v), tool, lang) if isinstance(v, str) else v for v in series]
        else:
            shown[col] = [v if not _missing(v) else "" for v in series]
    return shown.rename(columns=lambda c: report_label(str(c), tool, lang))


def _step_name(name: str, line: str) -> str:
    """"Details 1 · <title>": the collapsed step that holds a recommendation's details."""
    title = re.match(r"\*\*(.+?)\*\*", line)
    return f"{name} · {title.group(1)}" if title else name


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


FOLD_ITEM = re.compile(r"^(\d+)\.\s+(\*\*.+)$")
FOLD_SHORT = re.compile(r"^- (\*\*.+?)(\. Why: |。原因：)(.+)$")  # prompts/recommend_actions.py SHORT_ITEM
VALUE_LABELLED = {"bucket"}


def fold_recommendations(markdown: str, lang: Lang) -> tuple[str, list[tuple[str, str]]]:
    """The chat's recommendations: one line each (the numbered title), the details (targets, why,
    expected impact, first steps) folded into a collapsed step named on that line ("Details 1 ·
    <title>"). Returns the markdown and the (step name, details) of each; a text without detailed
    recommendations is unchanged."""
    lines = markdown.split("\n")
    out: list[str] = []
    folded: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        short = FOLD_SHORT.match(lines[i])
        if short:
            name = T.DETAILS_NAME.format(n=len(folded) + 1).get(lang)
            out.append(f"- {short.group(1)}{'.' if lang == 'en' else '。'} {name}")
            folded.append((_step_name(name, short.group(1)), lines[i][2:]))
            i += 1
            continue
        match = FOLD_ITEM.match(lines[i])
        details = []
        j = i + 1
        while match and j < len(lines) and lines[j].startswith("   - "):
            details.append(lines[j][3:])
            j += 1
        if match and details:
            name = T.DETAILS_NAME.format(n=len(folded) + 1).get(lang)
            out.append(f"{lines[i]} · {name}")
            folded.append((_step_name(name, match.group(2)), f"{lines[i]}\n\n" + "\n".join(details)))
            i = j
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out), folded


def json_value(value: Any) -> Any:
    """A JSON-safe scalar: numbers stay numbers, NaN/NaT -> None, dates -> ISO, numpy -> python."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_value(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def table_json(table: Table, full: bool = False) -> dict[str, Any]:
    frame = table.frame if full else table.frame.head(MAX_JSON_ROWS)
    rows = [[json_value(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return {
        "name": table.name,
        "columns": [str(c) for c in table.frame.columns],
        "rows": rows,
        "total_rows": len(table.frame),
    }


def chart_json(chart: Any, lang: Lang) -> dict[str, Any]:
    return {"title": chart.title.get(lang), "figure": json.loads(chart.figure.to_json())}


def answer_to_json(answer: Answer, full: bool = False) -> dict[str, Any]:
    """The CLI JSON object (ARCHITECTURE.md "CLI contract")."""
    lang = answer.language
    result = answer.result
    last = answer.runs[-1] if answer.runs else None
    out: dict[str, Any] = {
        "tool": last.tool if last else None,
        "tool_calls": [{"tool": r.tool, "arguments": json_value(r.arguments)} for r in answer.runs],
        "arguments": json_value(last.arguments) if last else {},
        "language": lang,
        "answer": answer.markdown,
        "facts": {},
        "tables": [],
        "charts": [],
        "method": None,
        "recommendations": answer.recommendations,
        "warnings": answer.warnings,
        "understood": answer.understood,
        "not_applied": answer.not_applied,
    }
    if answer.clarify is not None:
        out["clarify"] = answer.clarify
    if answer.doubts:
        out["doubts"] = answer.doubts
    if result is not None:
        m = result.method
        out["facts"] = {k: json_value(v) for k, v in result.facts.items()}
        out["tables"] = [table_json(t, full) for t in result.tables]
        out["charts"] = [chart_json(c, lang) for c in result.charts]
        out["method"] = {
            "formula": m.formula.get(lang),
            "parameters": json_value(m.parameters),
            "as_of": m.as_of.isoformat() if m.as_of else None,
            "rows_used": int(m.rows_used),
            "data_fingerprint": answer.data_fingerprint,
            "version": VERSION,
        }
    return out


def _md(text: object, limit: int = 200) -> str:
    """Escape a data-derived string for a markdown table cell (one line, at most ``limit`` characters)."""
    text = str(text)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
