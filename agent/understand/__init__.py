"""Offline question engine (English and Chinese): a question -> one registered tool and typed arguments,
what was recognised but not applied, and how sure the engine is.

Pipeline (all vocabulary is data in prompts/; each tool's words come with its declaration; no regex is
ever built from user text):

1. NFKC + lower case; a correction sentence ("treat 'sales' as quantity") or a deletion short-circuits.
2. A named customer (ids and names from the session, shortened company names too) is taken out.
3. Chinese and English number words become digits in numeric context (前十 -> 前10, 两年 -> 2年).
4. Signup cohorts ("customers who joined in 2024") and horizons ("over the next 2 years") are taken out;
   credit grades and Altman zones are found (agent/understand/levels.py).
5. Periods are resolved to ISO dates against ``Context.as_of`` (the latest event date) and taken out.
6. Dimensions ("by region", "按地区", "各行业", "每个月") are taken out when a grouping word marks them.
7. One longest-match pass over every other phrase scores tools and collects argument values; values of
   the data's attributes ("East", "华东", "B类") become filters, two or more of one attribute a
   comparison.
8. The tool is decided (a follow-up of the previous call, the best-scoring tool, or none) and the
   stated arguments are fitted to its Params: what it cannot take is listed in ``not_applied`` with the
   reason, never dropped silently.

Periods: "last quarter" is the (fiscal) quarter before the one holding the reference date, "this year"
runs from the fiscal year start to the reference date, "last 3 months"/"近三个月" is a rolling window
ending at it, an explicit "2024" is the calendar year, "Q3 2024" the third quarter of the fiscal year
starting in 2024 (calendar Q3 with the default January start).

>>> from datetime import date
>>> ctx = Context(as_of=date(2025, 12, 31))
>>> parse("利润最高的5个客户是谁？", ctx).arguments
{'metric': 'profit', 'order': 'top', 'n': 5}
>>> parse("Revenue by region last quarter", ctx).arguments
{'start': '2025-07-01', 'end': '2025-09-30', 'group_by': 'region', 'metric': 'revenue'}
"""

from __future__ import annotations

import re

from agent.understand import classifier
from agent.understand.analysis import analyse
from agent.understand.choose import ANSWER_AT, choose
from agent.understand.corrections import parse_correction
from agent.understand.decide import decide_intent
from agent.understand.evidence import evidence
from agent.understand.numbers import cn_number
from agent.understand.removal import parse_removal
from agent.understand.settings import chosen_words
from agent.understand.text import (
    Views,
    asks_for_recommendations,
    detect_language,
    findings_named,
    mentions,
    normalise,
    phrase_key,
)
from agent.understand.types import Clarification, Context, Correction, Intent, NotApplied, Option, Removal
from core.text import Msg
from prompts import arguments as VA
from prompts.recommend_actions import ACTION_TYPE_WORDS
from prompts.scope import OUT_OF_SCOPE_PATTERNS
from tools.registry import TOOLS

__all__ = [
    "ANSWER_AT",
    "Clarification",
    "Context",
    "Correction",
    "Intent",
    "NotApplied",
    "Option",
    "Removal",
    "asks_for_recommendations",
    "cn_number",
    "detect_language",
    "findings_named",
    "mentions",
    "parse",
    "parse_removal",
]


_OUT_OF_SCOPE = [re.compile(p) for p in OUT_OF_SCOPE_PATTERNS]
# Tools whose answer is itself the advice (ANSWERS_ADVICE in their words): "what should we do" stays theirs.
_ADVISORS = {name for name, spec in TOOLS.items() if getattr(spec.words, "ANSWERS_ADVICE", False)}


def out_of_scope_form(text: str) -> bool:
    """A request recognised as outside the analyses by its form (prompts/scope.py)."""
    s = text.lower().strip()
    return any(p.search(s) for p in _OUT_OF_SCOPE)


def recommendation_intent(question: str, measured: Intent, views: Views) -> Intent:
    """A request for advice: recommend_actions on the findings the question names (measured on demand
    by the tools that emit them), with a kind of action and a count when stated."""
    arguments: dict[str, object] = {}
    named = findings_named(question)
    if named:
        arguments["findings"] = named
    for action_type, words in ACTION_TYPE_WORDS.items():
        if any(views.has(*phrase_key(w)) for w in words):
            arguments["action_type"] = action_type
            break
    if "n" in measured.arguments:
        arguments["n"] = measured.arguments["n"]
    not_applied = list(measured.not_applied)
    reason = Msg("recommendations are not restricted to a group of customers", "建议不按客户群筛选")
    for attribute, values in (measured.arguments.get("filters") or {}).items():
        not_applied.append(NotApplied(attribute, values, reason))
    return Intent(
        "recommend_actions", arguments, measured.language, confidence=measured.confidence, not_applied=not_applied
    )


def parse(question: str, context: Context) -> Intent:
    """Map a question to a registered tool and its arguments (JSON-ready), to a clarifying question, or
    to nothing (out of scope, or help)."""
    language = detect_language(question)
    text = normalise(question)
    correction = parse_correction(text)
    if correction is not None:
        return Intent(None, {}, language, correction=correction)
    removal = parse_removal(question, context.files)
    if removal is not None:
        return Intent(None, {}, language, removal=removal)
    if out_of_scope_form(text):
        return Intent(None, {}, language, confidence=1.0, out_of_scope=True)
    analysis = analyse(question, text, context, language)
    ruled = decide_intent(analysis.found, analysis.args, context, language, analysis.size, analysis.compare)
    if ruled.followup:
        return with_chosen_words(_one_grouping(ruled, analysis.found.more_groupings), text)
    prediction = classifier.trained().predict(question, evidence(analysis.found, analysis.args))
    intent = choose(ruled, prediction, analysis, context, language)
    advice = analysis.found.advice and intent.tool not in _ADVISORS
    if intent.tool == "recommend_actions" or (intent.tool is not None and advice):
        intent = recommendation_intent(question, intent, analysis.views)
    return with_chosen_words(_one_grouping(intent, analysis.found.more_groupings), text)


def _one_grouping(intent: Intent, more: list[str]) -> Intent:
    """A second grouping ("by region and by segment") is named as not applied: a call groups by one."""
    grouped = intent.arguments.get("group_by")
    if intent.tool is not None and grouped is not None:
        intent.not_applied += [NotApplied("group_by", d, VA.ONE_GROUPING.format(first=grouped)) for d in more if d != grouped]
    return intent


def with_chosen_words(intent: Intent, text: str) -> Intent:
    """Add the arguments the chosen tool reads from words only once chosen (settings.chosen_words); a
    word read so is not also an attribute value ("self-service" is not the industry Services)."""
    if intent.tool is None:
        return intent
    stated, used = chosen_words(intent.tool, text.lower())
    if not stated:
        return intent
    arguments = {**intent.arguments, **stated}
    filters = {
        attribute: kept
        for attribute, values in (arguments.get("filters") or {}).items()
        if (kept := [v for v in values if not any(str(v).lower().removesuffix("s") in p for p in used)])
    }
    if "filters" in arguments:
        arguments["filters"] = filters
        if not filters:
            del arguments["filters"]
    intent.arguments = arguments
    return intent
