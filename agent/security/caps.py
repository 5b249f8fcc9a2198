"""Caps stated in the answer: a question asking for more rows than a tool lists says so.

The question engine (agent/understand/) ignores an English count above the tools' limit
(``n`` ≤ 10,000, tools/params.py), so "top 100000000 customers" was answered with the default 10 and
no word about it. :func:`cap_note` finds the count the user asked for and, when the tool ran with a
smaller ``n``, returns a bilingual line saying what was shown and why. app.py appends it to chat
answers; the CLI needs the same call where agent/engine.py builds an Answer (see the README).
"""

from __future__ import annotations

import re
from typing import Any

from core.text import Msg

MAX_N = 10_000  # tools/params.py: n <= 10,000
DEFAULT_N = 10  # tools/params.py: the default n
_COUNT = re.compile(
    r"(?i)(?:\btop|\bbottom|\bfirst|\blast|\bbest|\bworst|\blargest|\bsmallest|前|后|最后)\s*"
    r"(\d[\d,_ ]{0,20}\d|\d)|(\d[\d,_ ]{0,20}\d|\d)\s*(?:customers?|rows?|个|名|位|家)"
)

CAPPED = Msg(
    "You asked for {asked:,} rows, but an answer lists at most {cap:,}, so that number was not used and "
    "{used:,} are shown. Ask for {cap:,} or fewer to choose how many are listed.",
    "您要求列出 {asked:,} 行，但每次回答最多列出 {cap:,} 行，因此未采用该数字，显示了 {used:,} 行。"
    "如需指定列出的数量，请使用不超过 {cap:,} 的数字。",
)


def asked_count(question: str) -> int | None:
    """The largest row count named in the question ("top 100000000", "前100000000个"), if any."""
    found = []
    for m in _COUNT.finditer(question or ""):
        raw = (m.group(1) or m.group(2) or "").replace(",", "").replace("_", "").replace(" ", "")
        if raw.isdigit():
            found.append(int(raw))
    return max(found) if found else None


def used_count(runs: list[Any]) -> int | None:
    for run in reversed(runs or []):
        n = (getattr(run, "arguments", None) or {}).get("n")
        if isinstance(n, int):
            return n
    return None


def cap_note(question: str, answer: Any) -> Msg | None:
    """A note when the question asked for more than the cap and the tool listed fewer; else None."""
    asked = asked_count(question)
    if asked is None or asked <= MAX_N:
        return None
    result = getattr(answer, "result", None)
    used = used_count(getattr(answer, "runs", []))
    if used is None and result is not None and result.tables:
        used = min(len(result.tables[0].frame), MAX_N)
    if used is None:
        used = DEFAULT_N
    if used >= asked:
        return None
    return CAPPED.format(asked=asked, cap=MAX_N, used=used)
