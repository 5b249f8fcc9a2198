"""Levels and spans a question names that are not periods or tool words: a signup cohort ("customers
who joined in 2024"), a forecast horizon ("over the next 2 years"), a credit grade ("grade D"), an
Altman zone ("the grey zone"). Cohorts and horizons are taken out of the text before the period
parser sees it, so "2024" there is a cohort and "next 2 years" a horizon, never a period or a count.
Patterns are data in prompts/ (never built from user text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.understand.text import Views, phrase_key
from prompts import arguments as VA
from prompts import credit_risk as CR
from prompts import financial_health as FH

_COHORT = [re.compile(p) for p in VA.COHORT_PATTERNS_EN + VA.COHORT_PATTERNS_ZH]
_HORIZON = [re.compile(p) for p in VA.HORIZON_PATTERNS_EN + VA.HORIZON_PATTERNS_ZH]
_HORIZON_PHRASES = sorted(VA.HORIZON_PHRASES, key=len, reverse=True)
_GRADE = [re.compile(p) for p in CR.GRADE_PATTERNS_EN + CR.GRADE_PATTERNS_ZH]


@dataclass
class Levels:
    cohorts: list[str] = field(default_factory=list)
    horizon_days: int | None = None
    grades: list[str] = field(default_factory=list)
    grade_explicit: bool = False  # named with a credit/grade word, not only "D级"
    zone: str | None = None
    zones: list[str] = field(default_factory=list)  # every zone named, in question order ("safe vs distress")
    parts: list[str] = field(default_factory=list)  # the text spans taken, as written


def _blank(s: str, m: re.Match[str]) -> str:
    return s[: m.start()] + " " * (m.end() - m.start()) + s[m.end() :]


def take_levels(s: str) -> tuple[str, Levels]:
    """Take cohorts and horizons out of ``s`` (lower case, numbers as digits); find grade and zone."""
    found = Levels()
    for pattern in _COHORT:
        for m in list(pattern.finditer(s)):
            found.cohorts.append(m.group(1))
            found.parts.append(m.group(0).strip())
            s = _blank(s, m)
    for pattern in _HORIZON:
        m = pattern.search(s)
        if m and found.horizon_days is None:
            found.horizon_days = int(m.group(1)) * VA.HORIZON_UNIT_DAYS[m.group(2)]
            found.parts.append(m.group(0).strip())
            s = _blank(s, m)
    if found.horizon_days is None:
        for phrase in _HORIZON_PHRASES:
            i = s.find(phrase)
            if i >= 0 and (not phrase.isascii() or re.search(rf"\b{re.escape(phrase)}\b", s)):
                found.horizon_days = VA.HORIZON_PHRASES[phrase]
                found.parts.append(phrase)
                s = s[:i] + " " * len(phrase) + s[i + len(phrase) :]
                break
    for pattern in _GRADE:
        m = pattern.search(s)
        if m:
            parts = re.split(r"\s*(?:,|and|or|&|/|、|和|或|及)\s*", m.group(1))
            found.grades = list(dict.fromkeys(p.strip().upper() for p in parts if p.strip()))
            found.grade_explicit = any(w in s for w in CR.CREDIT_WORDS) or "grade" in m.group(0)
            found.parts.append(m.group(0).strip())
            break
    if not found.grades:
        views = Views.of(s)
        for grade, words in CR.IMPLIED_GRADES.items():
            if any(views.has(*phrase_key(w)) for w in words):
                found.grades, found.grade_explicit = [grade], True
                break
    views = Views.of(s)
    named = {}
    for zone, words in FH.ZONE_WORDS.items():
        at = [s.find(w.lower()) for w in words if views.has(*phrase_key(w))]
        if at:
            named[zone] = min((i for i in at if i >= 0), default=len(s))
    found.zones = sorted(named, key=named.get)
    found.zone = next(iter(named), None)  # the first zone of the vocabulary's order, as before
    return s, found
