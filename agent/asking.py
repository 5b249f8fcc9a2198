"""Answers that ask back or decline instead of computing: the clarifying question (2-3 options, each
an analysis with its arguments, picked by a button, a typed number or ``--pick N``) and the answer to a
request outside what the product does (two sentences and three questions it can answer on the loaded
data). No number appears in either."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent import understood
from agent.answer import Answer, ToolRun
from agent.understand import Clarification
from core.text import Lang
from prompts import clarify as W
from tools.registry import TOOLS

if TYPE_CHECKING:
    from agent.session import Session

EXAMPLES = 3


def option_label(tool: str | None, arguments: dict, lang: Lang) -> str:
    """An option in words: the analysis and the arguments it would apply ("Churn risk · top 5")."""
    if tool is None:
        return W.SOMETHING_ELSE.get(lang)
    return understood.W.SEPARATOR.get(lang).join(understood.describe(ToolRun(tool, dict(arguments)), lang))


def clarify_payload(clarification: Clarification, lang: Lang) -> dict:
    """The CLI's ``clarify``: {"question", "options": [{"tool", "arguments", "label"}]}."""
    return {
        "question": clarification.question.get(lang),
        "options": [
            {"tool": o.tool, "arguments": dict(o.arguments), "label": option_label(o.tool, o.arguments, lang)}
            for o in clarification.options
        ],
    }


def numbered(payload: dict) -> list[str]:
    """The options of a ``clarify`` payload as "1. label" lines (a typed number picks one)."""
    return [f"{i}. {o['label']}" for i, o in enumerate(payload["options"], start=1)]


def clarify_answer(question: str, lang: Lang, clarification: Clarification) -> Answer:
    """"Which of these did you mean?" with the numbered options; ``answer.clarify`` carries them."""
    payload = clarify_payload(clarification, lang)
    answer = Answer(question, lang, "\n".join([payload["question"], "", *numbered(payload), "", W.PICK_HINT.get(lang)]))
    answer.clarify = payload
    return answer


def example_questions(session: Session, lang: Lang, count: int = EXAMPLES) -> list[str]:
    """One example question from each of the first ``count`` analyses the loaded data supports."""
    out = []
    for spec in TOOLS.values():
        examples = spec.words.HELP[1].get(lang) or []
        if examples and spec.reads(session.bundle) is not None:
            out.append(examples[0])
        if len(out) == count:
            break
    return out


def out_of_scope_answer(question: str, lang: Lang, session: Session) -> Answer:
    """Two sentences saying the request is outside what the product does, then three questions it can
    answer on the loaded data."""
    quote = ("“", "”") if lang == "zh" else ('"', '"')
    lines = [W.OUT_OF_SCOPE.get(lang), "", W.YOU_CAN_ASK.get(lang)]
    lines += [f"- {quote[0]}{q}{quote[1]}" for q in example_questions(session, lang)]
    return Answer(question, lang, "\n".join(lines))
