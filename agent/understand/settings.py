"""Tool settings a question states in words: each tool declares them in its words (prompts/<tool>.py)
as SETTING_PATTERNS (argument -> regexes whose first group is a number; SETTING_PERCENT names the
percentages, read as fractions) and SETTING_WORDS (argument -> value -> phrases). "assume a 35% margin"
-> margin 0.35, "countback" -> dso_method countback, "90 days without an order" -> inactivity_days 90.

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
def _declared() -> tuple[list[tuple[str, str, re.Pattern[str], bool]], list[tuple[str, str, str, str]]]:
    patterns, words = [], []
    for name, spec in TOOLS.items():
        percent = getattr(spec.words, "SETTING_PERCENT", set())
        for arg, regexes in getattr(spec.words, "SETTING_PATTERNS", {}).items():
            patterns += [(name, arg, re.compile(r), arg in percent) for r in regexes]
        for arg, choices in getattr(spec.words, "SETTING_WORDS", {}).items():
            words += [(name, arg, value, phrase) for value, phrases in choices.items() for phrase in phrases]
    return patterns, words


def take_settings(s: str) -> tuple[str, Settings]:
    """Take stated settings out of ``s`` (lower case, numbers as digits)."""
    found = Settings()
    patterns, words = _declared()
    spans: list[tuple[int, int]] = []
    for tool, arg, pattern, percent in patterns:
        m = pattern.search(s)
        if m is None:
            continue
        if arg not in found.values:
            number = float(m.group(1))
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
