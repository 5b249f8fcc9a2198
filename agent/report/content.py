"""What a report says, taken from the answers of a conversation: one Section per analysis (question, the
tool's statement, its facts, tables, charts, method and recommendations), the cover (company, period)
and the executive summary, written from the facts alone (no model). The writers (xlsx, html, pdf) only
lay this out: every number they show is a fact or a table cell of an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from agent.answer import VERSION, Answer
from core.text import Lang, Msg
from prompts import report as W
from prompts.columns import column_label
from tools.formatting import display, value_kind
from tools.registry import TOOLS
from tools.results import Chart, Method, Table

# Internal columns of a result table that a reader never needs (the language-specific copies are
# shown as one column in the reader's language).
INTERNAL_COLUMNS = {
    "title_en": ("title", "en"),
    "title_zh": ("title", "zh"),
    "why_en": ("why", "en"),
    "why_zh": ("why", "zh"),
}
KEY_FACTS = 6  # numbers per analysis on the summary sheet and in the executive summary
MAX_ACTIONS = 5  # priority actions in the executive summary


@dataclass
class Fact:
    name: str
    label: str
    value: Any
    kind: str  # money, share, count, number or text

    @property
    def shown(self) -> str:
        return display(self.value, self.kind) if self.kind != "text" else str(self.value)


@dataclass
class Section:
    """One analysis of the conversation."""

    number: int
    question: str
    tool: str
    title: str
    summary: str
    facts: list[Fact]
    tables: list[Table]
    charts: list[Chart]
    method: Method
    formula: str
    assumptions: list[str]
    fingerprint: str | None
    recommendations: list[dict[str, Any]]
    warnings: list[str]

    @property
    def key_facts(self) -> list[Fact]:
        return [f for f in self.facts if f.kind != "text"][:KEY_FACTS]

    @property
    def recommendation(self) -> str:
        if not self.recommendations:
            return ""
        return str(self.recommendations[0].get("title") or "")


@dataclass
class Report:
    lang: Lang
    company: str
    period: str
    generated: datetime
    sections: list[Section]
    actions: list[dict[str, Any]] = field(default_factory=list)  # priority actions, money at stake first

    @property
    def title(self) -> str:
        return W.TITLE.get(self.lang)

    def summary_lines(self) -> list[str]:
        """The executive summary: one line per analysis (its statement, from the facts)."""
        return [f"{s.title}: {first_sentences(s.summary)}" for s in self.sections]


def plain(text: str) -> str:
    """Markdown emphasis and code marks removed (the tool statements use **bold**)."""
    return re.sub(r"(\*\*|__|`)", "", text or "").strip()


def first_sentences(text: str, limit: int = 320) -> str:
    """At most ``limit`` characters, cut at a sentence end when there is one."""
    text = " ".join(plain(text).split())
    if len(text) <= limit:
        return text
    for marks in ((". ", "。"), ("; ", "；")):
        cut = max(text.rfind(mark, 0, limit) for mark in marks)
        if cut > limit // 3:
            return text[: cut + 1]
    return text[: limit - 1] + "…"


def tool_title(tool: str, lang: Lang) -> str:
    spec = TOOLS.get(tool)
    if spec is None:
        return W.TITLES[tool].get(lang) if tool in W.TITLES else tool
    help_ = getattr(spec.words, "HELP", None)
    return help_[0].get(lang) if help_ else tool


def label(name: str, tool: str | None, lang: Lang) -> str:
    words = TOOLS[tool].words if tool in TOOLS else None
    found = column_label(str(name), words) or W.LABELS.get(str(name))
    if found is None:
        for pattern, template in W.LABEL_PATTERNS.items():
            match = re.fullmatch(pattern, str(name))
            if match:
                found = template.format(n=match.group(1).upper() if len(match.group(1)) == 1 else match.group(1))
                break
    if found is not None:
        return found.get(lang)
    return str(name).replace("_", " ").capitalize() if lang == "en" else str(name)


STRONG_MONEY = {"revenue", "profit", "amount", "cost", "value", "clv", "spend", "sales", "exposure", "cac", "ltv"}


def fact_kind(name: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "text"
    kind = value_kind(name, value)
    if kind == "money" and isinstance(value, int) and not set(name.split("_")) & STRONG_MONEY:
        return "count"  # limit_reductions = 88: customers, not money
    return kind


def reader_frame(table: Table, lang: Lang) -> pd.DataFrame:
    """The table as a reader sees it: the internal language copies folded into one column in the
    reader's language; every other column and every value kept (full precision)."""
    frame = table.frame
    drop, rename = [], {}
    for col in frame.columns:
        if col in INTERNAL_COLUMNS:
            base, col_lang = INTERNAL_COLUMNS[col]
            if col_lang == lang and base not in frame.columns:
                rename[col] = base
            else:
                drop.append(col)
    return frame.drop(columns=drop).rename(columns=rename) if drop or rename else frame


def column_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """money/share/count/number for numeric columns, date for dates, text otherwise."""
    kinds = {}
    for col in frame.columns:
        series = frame[col]
        if pd.api.types.is_bool_dtype(series):
            kinds[col] = "text"
        elif pd.api.types.is_numeric_dtype(series):
            values = series.dropna()
            sample = float(values.abs().max()) if len(values) else None
            kinds[col] = value_kind(str(col), sample)
        elif pd.api.types.is_datetime64_any_dtype(series):
            kinds[col] = "date"
        else:
            kinds[col] = "text"
    return kinds


def section(number: int, answer: Answer, lang: Lang | None = None) -> Section | None:
    """The answer as a report section in ``lang`` (default: the answer's); None for an answer without
    a result (help, errors, questions asked back)."""
    result = answer.result
    if result is None or answer.error is not None or answer.internal_error:
        return None
    lang = lang or answer.language
    tool = result.tool
    facts = [Fact(k, label(k, tool, lang), v, fact_kind(k, v)) for k, v in result.facts.items() if v is not None]
    m = result.method
    return Section(
        number=number,
        question=answer.question,
        tool=tool,
        title=tool_title(tool, lang),
        summary=plain(result.summary.get(lang)),
        facts=facts,
        tables=[t for t in result.tables if len(t.frame.columns)],
        charts=list(result.charts),
        method=m,
        formula=m.formula.get(lang),
        assumptions=[a.get(lang) for a in m.assumptions],
        fingerprint=answer.data_fingerprint,
        recommendations=list(answer.recommendations),
        warnings=list(answer.warnings),
    )


def priority_actions(sections: list[Section]) -> list[dict[str, Any]]:
    """Every recommendation of the conversation once (by playbook), most money at stake first."""
    seen: dict[str, dict[str, Any]] = {}
    for s in sections:
        for r in s.recommendations:
            key = str(r.get("playbook_id") or r.get("title"))
            value = r.get("value_at_stake") or 0
            if key not in seen or value > (seen[key].get("value_at_stake") or 0):
                seen[key] = {**r, "analysis": s.number}
    return sorted(seen.values(), key=lambda r: -(r.get("value_at_stake") or 0))[:MAX_ACTIONS]


def build(
    answers: list[Answer],
    lang: Lang,
    company: str | None = None,
    period: str | None = None,
    data_period: tuple[date, date] | None = None,
) -> Report:
    """The report of ``answers`` (those without a result are left out)."""
    sections: list[Section] = []
    for answer in answers:
        s = section(len(sections) + 1, answer, lang)
        if s is not None:
            sections.append(s)
    if period is None:
        if data_period is not None:
            period = f"{data_period[0].isoformat()} – {data_period[1].isoformat()}"
        else:
            dates = sorted({s.method.as_of for s in sections if s.method.as_of is not None})
            period = W.AS_OF_PERIOD.format(date=dates[-1].isoformat()).get(lang) if dates else "-"
    return Report(
        lang=lang,
        company=company or W.COMPANY_UNNAMED.get(lang),
        period=period,
        generated=datetime.now().replace(microsecond=0),
        sections=sections,
        actions=priority_actions(sections),
    )


def version() -> str:
    return VERSION


def msg(m: Msg, lang: Lang, **kw: Any) -> str:
    return m.format(**kw).get(lang) if kw else m.get(lang)
