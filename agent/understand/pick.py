"""A reply that picks one of the options just offered ("2", "option 2", "the second one", "第二个",
"选2"): its 1-based number, else None (the reply is a new question)."""

from __future__ import annotations

import re

from agent.understand.numbers import cn_number
from prompts import clarify as W

_NUMBER = re.compile(
    r"^(?:(?:option|choice|number|no\.?|#|选项?|选择|第)\s*)?(\d{1,2}|[一二三四五六七八九十两]{1,2})"
    r"\s*(?:[.)、。:：]|个|项|条|号|st|nd|rd|th)?\s*(?:one|个|项)?\s*[.!。！]?$",
    re.IGNORECASE,
)


def pick(reply: str, count: int) -> int | None:
    """The option number a short reply names, when it is between 1 and ``count``.

    >>> pick("2", 3), pick("option 3", 3), pick("the second one", 3), pick("第二个", 3), pick("选1", 2)
    (2, 3, 2, 2, 1)
    >>> pick("top 2 customers", 3) is None, pick("5", 3) is None
    (True, True)
    """
    text = reply.strip().lower()
    text = re.sub(r"^(?:the|i mean|i meant|我要|要|就)\s*", "", text)
    for word, number in W.ORDINALS.items():
        if re.fullmatch(rf"{re.escape(word)}(?:\s+(?:one|option))?[.!。！]?", text):
            return number if number <= count else None
    m = _NUMBER.match(text)
    if m is None:
        return None
    raw = m.group(1)
    number = int(raw) if raw.isdigit() else cn_number(raw)
    return number if number is not None and 1 <= number <= count else None
