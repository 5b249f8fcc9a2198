"""Dimensions (group_by), then every other phrase in one longest-match pass: tool scores and argument
values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from agent.understand.customers import MAX_NAME_CHARS, question_words
from agent.understand.text import Views, has_cjk, phrase_key
from agent.understand.vocabulary import COMBOS, TOOL_KEYWORDS
from prompts import arguments as VA
from prompts import dimensions as VD
from prompts import followups as VF
from prompts.churn_risk import RISK_LEVEL_WORDS
from prompts.customer_lifetime_value import MODELS
from prompts.rfm_segments import RFM_SEGMENT_WORDS

# ==================================================================================================
# Dimensions, then every other phrase in one longest-match pass
# ==================================================================================================


@dataclass
class Found:
    """What the phrase pass found: tool scores and argument values."""

    scores: dict[str, float] = field(default_factory=dict)
    strong: set[str] = field(default_factory=set)
    metrics: list[str] = field(default_factory=list)
    metric_hints: list[str] = field(default_factory=list)
    orders: set[str] = field(default_factory=set)
    loss: bool = False
    segments: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    risk_levels: list[str] = field(default_factory=list)
    followup_marker: bool = False
    more_groupings: list[str] = field(default_factory=list)  # groupings named after the first ("and by segment")
    all_time: bool = False
    trend: bool = False
    group_by: str | None = None  # "customer" = per customer (drops a grouping)
    n: int | None = None
    hints: set[str] = field(default_factory=set)  # argument kinds the question names (rule evidence)
    advice: bool = False  # asks what to do

    def add(self, tool: str, weight: float) -> None:
        self.scores[tool] = self.scores.get(tool, 0.0) + weight

    def add_hint(self, kind: str) -> None:
        self.hints.add(kind)
        for tool, weight in VA.ARGUMENT_HINTS.get(kind, {}).items():
            self.add(tool, weight)


@dataclass(frozen=True)
class _Entry:
    phrase: str
    zh: bool
    effects: tuple[tuple[str, Any, float], ...]  # (kind, value, weight)


def _build_lexicon() -> list[_Entry]:
    effects: dict[tuple[str, bool], list[tuple[str, Any, float]]] = {}

    def add(words: Iterable[str], kind: str, value: Any, weight: float = 0.0) -> None:
        for w in words:
            effects.setdefault(phrase_key(w), []).append((kind, value, weight))

    for tool, phrases in TOOL_KEYWORDS.items():
        for w, weight in phrases.items():
            add([w], "tool", tool, weight)
    for metric, words in VA.METRICS.items():
        add(words, "metric", metric)
    for metric, words in VA.METRIC_HINTS.items():
        add(words, "metric_hint", metric)
    for order, words in VA.ORDER_WORDS.items():
        add(words, "order", order)
    add(VA.LOSS_WORDS, "loss", True)
    for segment, words in RFM_SEGMENT_WORDS.items():
        add(words, "rfm_segment", segment)
    for model, words in MODELS.items():
        add(words, "model", model)
    for level, words in RISK_LEVEL_WORDS.items():
        add(words, "risk_level", level)
    add(VF.FOLLOWUP_MARKERS, "followup", True)
    add(VF.ALL_TIME, "all_time", True)
    add(VD.TREND_WORDS, "trend", True)
    entries = [_Entry(p, zh, tuple(e)) for (p, zh), e in effects.items() if p]
    return sorted(entries, key=lambda e: (-len(e.phrase), e.phrase))


def _build_dimensions() -> list[tuple[str, bool, str, bool]]:
    out = {}
    for dim, words in VD.DIMENSIONS.items():
        for w in words:
            out.setdefault(phrase_key(w), (dim, False))
    for dim, words in VD.GROUP_SELF.items():
        for w in words:
            out[phrase_key(w)] = (dim, True)
    rows = [(p, zh, dim, self_) for (p, zh), (dim, self_) in out.items()]
    return sorted(rows, key=lambda r: -len(r[0]))


_LEXICON = _build_lexicon()
_DIMENSIONS = _build_dimensions()
_GROUP_BEFORE_EN = [phrase_key(w)[0].split() for w in VD.GROUP_BEFORE if not has_cjk(w)]
_GROUP_BEFORE_ZH = [w for w in VD.GROUP_BEFORE if has_cjk(w)]
_GROUP_AFTER_EN = {phrase_key(w)[0] for w in VD.GROUP_AFTER if not has_cjk(w)}
_GROUP_AFTER_ZH = [w for w in VD.GROUP_AFTER if has_cjk(w)]
_FILLERS = {phrase_key(w)[0] for w in VD.GROUP_FILLERS}


def _grouping_word_around(views: Views, index: int, phrase: str, zh: bool) -> bool:
    if zh:
        before, after = views.zh[:index], views.zh[index + len(phrase) :]
        return before.endswith(tuple(_GROUP_BEFORE_ZH)) or after.startswith(tuple(_GROUP_AFTER_ZH))
    before_tokens = views.en[:index].split()
    while before_tokens and before_tokens[-1] in _FILLERS:
        before_tokens.pop()
    if any(before_tokens[-len(t) :] == t for t in _GROUP_BEFORE_EN if len(before_tokens) >= len(t)):
        return True
    after_tokens = views.en[index + len(phrase) + 2 :].split()
    return bool(after_tokens) and after_tokens[0] in _GROUP_AFTER_EN


def take_group_by(views: Views, found: Found) -> str | None:
    """The first dimension marked as a grouping ("by region", "按地区", "monthly"); taken out of views."""
    scratch = Views(views.en, views.zh)
    hits: list[tuple[int, str]] = []
    for phrase, zh, dim, self_grouping in _DIMENSIONS:
        index = scratch.find(phrase, zh)
        while index >= 0:
            if self_grouping or _grouping_word_around(scratch, index, phrase, zh):
                hits.append((index, dim))
                main = views.find(phrase, zh)
                if main >= 0:
                    views.mask_at(main, phrase, zh)
            scratch.mask_at(index, phrase, zh)
            index = scratch.find(phrase, zh)
    if not hits:
        return None
    found.add_hint("group_by")
    ordered = [dim for _, dim in sorted(hits)]
    found.more_groupings = [d for d in dict.fromkeys(ordered[1:]) if d != ordered[0]]
    return ordered[0]


def scan(views: Views, found: Found) -> None:
    """One longest-match pass: every phrase counts once and hides the shorter phrases inside it."""
    for entry in _LEXICON:
        index = views.find(entry.phrase, entry.zh)
        if index < 0:
            continue
        first = index
        while index >= 0:
            views.mask_at(index, entry.phrase, entry.zh)
            index = views.find(entry.phrase, entry.zh)
        for kind, value, weight in entry.effects:
            if kind == "tool":
                found.add(value, weight)
                if weight >= VA.STRONG:
                    found.strong.add(value)
                continue
            found.add_hint(kind)
            if kind == "metric":
                found.metrics.append(value)
            elif kind == "metric_hint":
                found.metric_hints.append(value)
            elif kind == "order":
                found.orders.add(value)
            elif kind == "loss":
                found.loss = True
            elif kind == "rfm_segment":
                found.segments.append(value)
                found.strong.add("rfm_segments")
            elif kind == "model":
                found.models.append(value)
            elif kind == "risk_level":
                found.risk_levels.append(value)
                found.add_hint("risk_level")
            elif kind == "followup":  # "and"/"then"/"now"/"also" mark a follow-up only as the first word
                found.followup_marker = found.followup_marker or entry.phrase not in VF.LEADING_ONLY or first == 0
            elif kind == "all_time":
                found.all_time = True
            elif kind == "trend":
                found.trend = True


def combos(views: Views, found: Found) -> None:
    for tool, phrases, weight in COMBOS:
        if all(views.has(*phrase_key(p)) for p in phrases):
            found.add(tool, weight)


def named_values(views: Views, values: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Known attribute values the question names, as (dimension, value) in the data's spelling: the value
    itself (a short one like "A" only next to its dimension word or a marker such as "类"/"tier"), or a
    common alias in the other language ("华东" for East)."""
    found: list[tuple[str, str]] = []
    for dim, known in sorted(values.items()):
        words = [phrase_key(w) for w in VD.DIMENSIONS.get(dim, []) + VD.VALUE_MARKERS.get(dim, [])]
        lowered = {str(v).strip().lower() for v in known}
        for value in sorted(known, key=len, reverse=True):
            text = str(value)
            if text.strip().lower() in question_words() or len(text) > MAX_NAME_CHARS:
                continue  # a value named like a question word ("Revenue") is not a filter
            aliases = [a for a in VD.VALUE_ALIASES.get(text, []) if a.lower() not in lowered]
            for candidate in [text, *aliases]:
                phrase, zh = phrase_key(candidate)
                if not phrase:
                    continue
                if (zh and len(phrase) >= 2) or (not zh and len(phrase) >= 3):
                    hit = views.has(phrase, zh)
                else:  # short values ("A") only next to their dimension word or a marker
                    hit = any(
                        views.has(f"{w} {phrase}" if not zh and not wz else w + phrase, zh or wz)
                        or views.has(f"{phrase} {w}" if not zh and not wz else phrase + w, zh or wz)
                        for w, wz in words
                    )
                if hit and not _negated(views, phrase, zh):
                    found.append((dim, text))
                    break
        _joined_short_values(views, dim, known, found)
    # in the question's order (a comparison lists its values as asked: "North vs South")
    return sorted(found, key=lambda item: _position(views, item[1]))


def _position(views: Views, value: str) -> int:
    phrase, zh = phrase_key(value)
    index = views.find(phrase, zh)
    if index < 0:
        for alias in VD.VALUE_ALIASES.get(value, []):
            index = views.find(*phrase_key(alias))
            if index >= 0:
                break
    return index if index >= 0 else 10**6


def _joined_short_values(views: Views, dim: str, known: set[str], found: list[tuple[str, str]]) -> None:
    """A short value joined to one already found of the same attribute ("segment A vs B", "A和C类"):
    found too, so a comparison never loses its second value."""
    named = [v for d, v in found if d == dim]
    if not named:
        return
    for value in sorted(known, key=len):
        text = str(value)
        if text in named:
            continue
        phrase, zh = phrase_key(text)
        if not phrase or (zh and len(phrase) >= 2) or (not zh and len(phrase) >= 3):
            continue  # long values are found on their own
        for other in named:
            o_phrase, o_zh = phrase_key(other)
            if zh or o_zh or has_cjk(views.zh):
                joined = any(views.has(f"{a}{j}{b}", True) for j in VA.VALUE_JOINERS_ZH
                             for a, b in ((o_phrase, phrase), (phrase, o_phrase)))
            else:
                joined = any(views.has(f"{a} {j} {b}", False) for j in VA.VALUE_JOINERS_EN
                             for a, b in ((o_phrase, phrase), (phrase, o_phrase)))
            if joined and not _negated(views, phrase, zh):
                found.append((dim, text))
                named.append(text)
                break


_NEGATIONS = [phrase_key(w) for w in VA.NEGATION_BEFORE]


def _negated(views: Views, phrase: str, zh: bool) -> bool:
    """The value is named right after a negation ("non-manufacturing", "除了华东")."""
    view = views.zh if zh else views.en
    index = views.find(phrase, zh)
    before = view[max(0, index - 14) : index]
    return any(before.rstrip().endswith(w) for w, w_zh in _NEGATIONS if w and w_zh == zh or (zh and w_zh))
