"""Correcting how a file was read, in a sentence: "treat 'sales' as quantity", "把'sales'当作数量",
"treat orders.csv as invoices".
"""

from __future__ import annotations

import re

from agent.understand.text import Views, alternation, phrase_key
from agent.understand.types import Correction
from agent.understand.vocabulary import COLUMN_WORDS_BY_CANONICAL
from prompts import corrections as VK
from tools.schemas import KIND_WORDS

# ==================================================================================================
# Corrections
# ==================================================================================================

Q_OPEN, Q_CLOSE = "'\"“‘「『`", "'\"”’」』`"
QUOTED = rf"[{Q_OPEN}](?P<q>[^{Q_OPEN}{Q_CLOSE}]{{1,80}})[{Q_CLOSE}]"
_FILE = rf"(?P<f>[^\s{Q_OPEN}{Q_CLOSE}]+?(?:{alternation(VK.FILE_EXTENSIONS)}))(?![a-z0-9])"
_COLUMN_WORD = alternation(VK.COLUMN_WORDS + VK.FILE_WORDS)
_ARTICLE = r"(?:(?:the|a|an)\s+)?"
_DST = r"(?P<dst>[^.?!。？！,，;；]+)"
_CORRECTIONS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # treat 'sales' as quantity / treat orders.csv as invoices / map the sales column to quantity
        rf"\b(?:{alternation(VK.CORRECTION_VERBS_EN)})\s+{_ARTICLE}(?:(?:{_COLUMN_WORD})\s+)?"
        rf"(?:{QUOTED}|{_FILE}|(?P<w>[a-z_][\w-]*))(?:\s+(?:{_COLUMN_WORD}))?\s+"
        rf"(?:{alternation(VK.CORRECTION_AS_EN)})\s+{_ARTICLE}{_DST}",
        # 'sales' is the quantity column / orders.csv is an invoices file
        rf"(?:{QUOTED}|{_FILE})(?:\s+(?:{_COLUMN_WORD}))?\s+(?:{alternation(VK.CORRECTION_IS_EN)})\s+"
        rf"{_ARTICLE}{_DST}",
        # the sales column is quantity
        rf"\b{_ARTICLE}(?P<w>[a-z_][\w-]*)\s+(?:{alternation(VK.COLUMN_WORDS)})\s+"
        rf"(?:{alternation(VK.CORRECTION_IS_EN)})\s+{_ARTICLE}{_DST}",
        # 把'sales'当作数量 / 把“销量”列当作数量 / 将 orders.csv 视为发票表 / 把销量列当作数量
        rf"(?:{alternation(VK.CORRECTION_LEADS_ZH)})\s*(?:{QUOTED}|{_FILE}|(?P<w>[^\s{Q_OPEN}{Q_CLOSE}]+?))\s*"
        rf"(?:{_COLUMN_WORD})?\s*(?:{alternation(VK.CORRECTION_AS_ZH)})\s*{_DST}",
        # “金额”列是收入 / orders.csv 是发票
        rf"(?:{QUOTED}|{_FILE})\s*(?:{_COLUMN_WORD})?\s*(?:{alternation(VK.CORRECTION_IS_ZH)})\s*{_DST}",
        # sales=quantity (as on the command line: --map sales=quantity)
        r"^\s*(?:--map\s+)?(?P<w>[^\s=]+)\s*=\s*(?P<dst>[a-z_]+)\s*$",
    )
]
_DST_NOISE = re.compile(
    rf"^(?:{_ARTICLE})|(?:\s*(?:{_COLUMN_WORD}|please|instead|吧|了|呢))+\s*$", re.IGNORECASE
)


def _resolve(dst: str, table: dict[str, list[str]]) -> str | None:
    """Canonical name for what the user called it: exact synonym first, else the longest one inside."""
    text = _DST_NOISE.sub("", dst.strip()).strip()
    candidates = [text, dst.strip()]
    best: tuple[int, str] | None = None
    for canonical, words in table.items():
        for w in [canonical, canonical.replace("_", " "), *words]:
            phrase, zh = phrase_key(w)
            for c in candidates:
                cp, _ = phrase_key(c)
                if cp == phrase:
                    return canonical
                view = Views.of(c.lower())
                if view.has(phrase, zh) and (best is None or len(phrase) > best[0]):
                    best = (len(phrase), canonical)
    return best[1] if best else None


def parse_correction(text: str) -> Correction | None:
    for pattern in _CORRECTIONS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        source = groups.get("q") or groups.get("f") or groups.get("w")
        dst = groups.get("dst") or ""
        if not source:
            continue
        source = source.strip()
        is_file = source.lower().endswith(tuple(VK.FILE_EXTENSIONS))
        if is_file:
            kind = _resolve(dst, KIND_WORDS)
            if kind:
                return Correction(file=source, kind=kind)
            continue
        canonical = _resolve(dst, COLUMN_WORDS_BY_CANONICAL)
        if canonical and phrase_key(source)[0] != phrase_key(canonical)[0]:
            return Correction(column=source, canonical=canonical)
    return None
