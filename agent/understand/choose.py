"""The decision: answer (the intent model and the rules agree, or the model is sure), ask back with the
likely analyses as options, or decline a request that is out of scope.

Thresholds are the engine's calibration (benchmarks/understanding.py measures how often an answer given
without asking is wrong): answer when the most probable analysis has at least ANSWER_AT; decline when
out of scope is the most probable class with at least OUT_OF_SCOPE_AT; otherwise offer the analyses
with at least OPTION_AT (two or three) as a clarifying question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.understand.classifier import OUT_OF_SCOPE, Prediction
from agent.understand.decide import intent_for
from agent.understand.types import Clarification, Context, Intent, Option
from core.text import Lang
from prompts import clarify as W
from tools.registry import TOOLS

if TYPE_CHECKING:
    from agent.understand.analysis import Analysis

ANSWER_AT = 0.7  # calibrated on the external dev sets, 5-fold: see README "Question understanding"
OUT_OF_SCOPE_AT = 0.5
OPTION_AT = 0.12
SURE_AT = 0.9  # above, the analysis is kept even when a runner-up could apply more of the question
GUESS_AT = 0.4  # a lone candidate below ANSWER_AT is still answered from here; below, the help text
MAX_OPTIONS = 3


def choose(ruled: Intent, prediction: Prediction, analysis: Analysis, context: Context, language: Lang) -> Intent:
    top, p = prediction.top
    tools = [(c, q) for c, q in prediction.ranked if c in TOOLS]
    if top == OUT_OF_SCOPE and p >= OUT_OF_SCOPE_AT or not tools:
        return Intent(None, {}, language, confidence=p, out_of_scope=True)
    best, q = tools[0]
    intent = ruled if ruled.tool == best else intent_for(best, analysis.args, analysis.compare, language)
    intent.confidence = q
    if intent.not_applied and q < SURE_AT:
        fitter = _fitter(intent, tools[1:MAX_OPTIONS], analysis, language)
        if fitter is not None:  # ask: the likelier analysis, or the one that applies what was stated
            offered = tuple(Option(i.tool, i.arguments, TOOLS[i.tool].words.HELP[0]) for i in (intent, fitter))
            return Intent(None, {}, language, confidence=q, clarify=Clarification(W.WHICH, offered))
    if q >= ANSWER_AT:
        return intent
    options = [c for c, q in tools[:MAX_OPTIONS] if q >= OPTION_AT]
    if len(options) < 2:
        if top == OUT_OF_SCOPE:
            return Intent(None, {}, language, confidence=p, out_of_scope=True)
        return intent if q >= GUESS_AT else Intent(None, {}, language, confidence=q)
    offered = []
    for tool in options:
        candidate = intent if tool == best else intent_for(tool, analysis.args, analysis.compare, language)
        offered.append(Option(tool, candidate.arguments, TOOLS[tool].words.HELP[0]))
    return Intent(
        None, {}, language, confidence=q, clarify=Clarification(W.WHICH, tuple(offered)),
        not_applied=intent.not_applied,
    )  # fmt: skip


def _fitter(intent: Intent, others: list[tuple[str, float]], analysis: Analysis, language: Lang) -> Intent | None:
    """A likely runner-up (at least OPTION_AT) that applies more of what the question states than the
    most probable analysis ("哪个月流失的客户最多" states a month: churn_trend takes it, churn_risk
    cannot); None when there is none."""
    for tool, q in others:
        if q < OPTION_AT:
            break
        candidate = intent_for(tool, analysis.args, analysis.compare, language)
        if len(candidate.not_applied) < len(intent.not_applied):
            candidate.confidence = q
            return candidate
    return None
