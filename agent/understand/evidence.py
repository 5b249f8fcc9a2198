"""The rule lexicon's evidence about a question, as numbers for the intent model (classifier.py): each
analysis's keyword score (log-scaled) and which kinds of argument the question names."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from agent.understand.decide import best_scored
from agent.understand.lexicon import Found
from agent.understand.vocabulary import TOOL_KEYWORDS
from prompts import arguments as VA

ARGUMENT_KINDS = (
    "metric", "metric_hint", "order", "loss", "group_by", "customer", "rfm_segment", "model", "risk_level",
    "grade", "zone", "horizon", "filters", "compare", "period", "count", "price_change", "advice",
)  # fmt: skip
EVIDENCE_NAMES = (
    [f"score:{t}" for t in TOOL_KEYWORDS] + [f"names:{k}" for k in ARGUMENT_KINDS] + [f"pick:{t}" for t in TOOL_KEYWORDS]
)


def evidence(found: Found, args: dict[str, Any]) -> np.ndarray:
    """One row of rule features (same order as EVIDENCE_NAMES)."""
    scores = [math.log1p(max(found.scores.get(t, 0.0), 0.0)) for t in TOOL_KEYWORDS]
    named = set(found.hints)
    named |= {k for k in ("filters", "price_change") if k in args}
    if "start" in args or "end" in args or "as_of" in args:
        named.add("period")
    if found.n is not None:
        named.add("count")
    if found.metrics:
        named.add("metric")
    if found.orders or found.loss:
        named.add("order")
    if found.advice:
        named.add("advice")
    flags = [1.0 if k in named else 0.0 for k in ARGUMENT_KINDS]
    pick, score = best_scored(found)  # the rule lexicon's own verdict
    picks = [1.0 if pick == t and score >= VA.MIN_SCORE else 0.0 for t in TOOL_KEYWORDS]
    return np.asarray(scores + flags + picks, dtype=float)


def evidence_for(question: str) -> np.ndarray:
    """The evidence of a training question, read with a context holding the demo company's values."""
    from agent.understand.analysis import analyse
    from agent.understand.text import detect_language, normalise

    text = normalise(question)
    analysis = analyse(question, text, TRAINING_CONTEXT, detect_language(question))
    return evidence(analysis.found, analysis.args)


def _training_context() -> Any:
    from datetime import date

    from agent.understand.types import Context
    from tools.demo import assumptions as demo

    values = {
        "segment": set(demo.SEGMENTS),
        "region": set(demo.REGIONS),
        "industry": set(demo.INDUSTRIES),
        "acquisition_channel": set(demo.ACQUISITION_CHANNELS),
        "channel": set(demo.ORDER_CHANNELS),
        "product": {p[0] for p in demo.PRODUCTS},
    }
    return Context(kinds=frozenset(), values=values, as_of=date(2025, 12, 31))


TRAINING_CONTEXT = _training_context()
