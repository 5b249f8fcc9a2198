"""Tool settings a question states in words: each tool declares them in its words (prompts/<tool>.py)
as SETTING_PATTERNS (argument -> regexes whose first group is a number; SETTING_PERCENT names the
percentages, read as fractions) and SETTING_WORDS (argument -> value -> phrases). "assume a 35% margin"
-> margin 0.35, "countback" -> dso_method countback, "90 days without an order" -> inactivity_days 90.

A number (the group named ``value``, else the first group) may carry a multiplier: a group ``unit``
whose text SETTING_UNITS maps to a factor ("20万" -> 200000, "200k" -> 200000), a count ``each``
("2 account managers with 80 hours each" -> 160); a group ``times`` marks a multiple ("2x") that is
not divided as a percentage; thousands separators are dropped ("200,000").

Words a tool reads only once it is chosen (CHOSEN_WORDS: argument -> value -> phrases; arguments in
CHOSEN_LISTS collect every value named) do not count toward any tool ("retention" names the planner's
action family only when the question is a plan): ``chosen_words``.

A setting counts toward the tool that declares it (the tool score gets SETTING_WEIGHT), and a number read
as a setting is taken out of the text, so "35%" is not also a price change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from agent.understand.text import Views, phrase_key
from tools.registry import TOOLS

SETTING_WEIGHT = 1.5
_PLAIN = re.compile(r"^[\w\s\u3400-\u9fff]+$")


@dataclass
class Settings:
    values: dict[str, object] = field(default_factory=dict)
    tools: dict[str, float] = field(default_factory=dict)  # tool -> evidence weight


@lru_cache(maxsize=1)
def _declared() -> tuple[list[tuple[str, str, re.Pattern[str], bool, dict[str, float]]], list[tuple[str, str, str, str]]]:
    patterns, words = [], []
    for name, spec in TOOLS.items():
        percent = getattr(spec.words, "SETTING_PERCENT", set())
        units = getattr(spec.words, "SETTING_UNITS", {})
        for arg, regexes in getattr(spec.words, "SETTING_PATTERNS", {}).items():
            patterns += [(name, arg, re.compile(r), arg in percent, units) for r in regexes]
        for arg, choices in getattr(spec.words, "SETTING_WORDS", {}).items():
            words += [(name, arg, value, phrase) for value, phrases in choices.items() for phrase in phrases]
    return patterns, words


def take_settings(s: str) -> tuple[str, Settings]:
    """Take stated settings out of ``s`` (lower case, numbers as digits)."""
    found = Settings()
    patterns, words = _declared()
    spans: list[tuple[int, int]] = []
    for tool, arg, pattern, percent, units in patterns:
        m = pattern.search(s)
        if m is None:
            continue
        if arg not in found.values:
            groups = m.groupdict()
            number = float((groups.get("value") or m.group(1)).replace(",", ""))  # thousands separators
            number *= units.get(groups.get("unit") or "", 1)  # a multiplier: 20万, 200k
            number *= float(groups.get("each") or 1)  # "2 account managers with 80 hours each"
            if groups.get("times") is not None:  # a multiple ("2x return"), not a percentage
                found.values[arg] = number
            else:
                found.values[arg] = number / 100 if percent else int(number)
        found.tools[tool] = found.tools.get(tool, 0.0) + SETTING_WEIGHT
        spans.append(m.span())
    for a, b in spans:
        s = s[:a] + " " * (b - a) + s[b:]
    views = Views.of(s)
    for tool, arg, value, phrase in words:
        if arg in found.values:
            continue
        hit = views.has(*phrase_key(phrase)) if _PLAIN.match(phrase) else phrase in s
        if hit:
            found.values[arg] = value
            found.tools[tool] = found.tools.get(tool, 0.0) + SETTING_WEIGHT
            i = s.find(phrase)
            if i >= 0:  # the words are taken out ("monthly time unit" is not also a monthly breakdown)
                s = s[:i] + " " * len(phrase) + s[i + len(phrase) :]
    return s, found


def chosen_words(tool: str, s: str) -> tuple[dict[str, object], list[str]]:
    """The arguments ``tool`` reads from words in ``s`` (lower case) once it is chosen (module
    docstring), and the phrases read."""
    words = TOOLS[tool].words
    lists = getattr(words, "CHOSEN_LISTS", set())
    views = Views.of(s)
    out: dict[str, object] = {}
    used: list[str] = []
    for arg, choices in getattr(words, "CHOSEN_WORDS", {}).items():
        named = []
        for value, phrases in choices.items():
            hits = [p for p in phrases if (views.has(*phrase_key(p)) if _PLAIN.match(p) else p in s)]
            if hits:
                named.append(value)
                used += hits
        if named:
            out[arg] = named if arg in lists else named[0]
    return out, used
