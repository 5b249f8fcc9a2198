"""Words that make a question a follow-up of the previous one, or drop its period."""

from __future__ import annotations

Phrases = dict[str, float]

FOLLOWUP_MARKERS: list[str] = [
    "and",
    "what about",
    "how about",
    "instead",
    "only",
    "just",
    "same",
    "also",
    "then",
    "now",
    "again",
    "呢",
    "那",
    "那么",
    "只看",
    "换成",
    "改成",
    "改为",
    "换",
    "再",
    "同样",
    "也",
    "只要",
]

# Markers that make a follow-up only when the question starts with them ("and by region?"); inside a
# full question ("we have 100k and 80 hours") they join its parts.
LEADING_ONLY: frozenset[str] = frozenset({"and", "then", "now", "also"})

# Phrases that drop the period of the previous call in a follow-up.
ALL_TIME: list[str] = [
    "all time",
    "whole period",
    "entire period",
    "全部时间",
    "所有时间",
    "不限时间",
    "整个期间",
    "全部期间",
]
