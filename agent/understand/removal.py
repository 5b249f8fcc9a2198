"""Deleting uploaded files in a sentence: "delete the file orders.csv", "删除 orders.csv 这个文件",
"remove all my files" (a plain sentence only: otherwise it stays a question).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.understand.corrections import Q_CLOSE, Q_OPEN, QUOTED
from agent.understand.text import alternation, normalise
from agent.understand.types import Removal
from prompts import corrections as VK
from prompts import removal as VR

# ==================================================================================================
# Deleting uploaded files
# ==================================================================================================

_REMOVE_EN = re.compile(rf"\b(?:{alternation(VR.REMOVE_VERBS_EN)})\b", re.IGNORECASE)
_REMOVE_ALL_EN = re.compile(rf"\b(?:{alternation(VR.REMOVE_ALL_EN)})\b", re.IGNORECASE)
_REMOVE_ZH = re.compile(alternation(VR.REMOVE_VERBS_ZH))
_REMOVE_ALL_ZH = re.compile(alternation(VR.REMOVE_ALL_ZH))
_NAMED_FILE = re.compile(
    rf"{QUOTED}|(?P<f>[^\s{Q_OPEN}{Q_CLOSE},，、;；:：()（）]+?(?:{alternation(VK.FILE_EXTENSIONS)}))(?![a-z0-9])",
    re.IGNORECASE,
)
_ZH_PREFIX = re.compile(rf"^(?:{alternation(VR.REMOVE_VERBS_ZH + VR.REMOVE_FILLERS_ZH)})+")
_REMOVE_NOISE_ZH = re.compile(alternation(VR.REMOVE_VERBS_ZH + VR.REMOVE_FILLERS_ZH + VR.REMOVE_ALL_ZH))
_REMOVE_NOISE_EN = frozenset(w for p in VR.REMOVE_VERBS_EN + VR.REMOVE_ALL_EN for w in p.split()) | frozenset(
    VR.REMOVE_FILLERS_EN
)
_REMOVE_WORDS = re.compile(r"[a-z0-9']+|[\u3400-\u9fff]")


def parse_removal(question: str, files: Iterable[str] = ()) -> Removal | None:
    """A plain sentence deleting uploaded files: a deletion verb plus file names (the uploaded files'
    names found in it, else names that look like files) or an "all files" phrase, and little else
    (``VR.REMOVE_MAX_OTHER_WORDS``), so a question that merely says "remove" deletes nothing.

    >>> parse_removal("delete the file orders.csv", ["orders.csv"])
    Removal(files=['orders.csv'], everything=False)
    >>> parse_removal("删除订单.csv这个文件", ["订单.csv", "customers.xlsx"])
    Removal(files=['订单.csv'], everything=False)
    >>> parse_removal("remove refunds from orders.csv and show the top customers", ["orders.csv"]) is None
    True
    """
    text = normalise(question)
    if not (_REMOVE_EN.search(text) or _REMOVE_ZH.search(text)):
        return None
    rest = text.lower()
    named: list[str] = []
    for name in sorted({f for f in files if f}, key=len, reverse=True):  # longest first: a.csv in aa.csv
        key = normalise(name).lower()
        if key and key in rest:
            named.append(name)
            rest = rest.replace(key, " ")
    for m in _NAMED_FILE.finditer(rest):
        candidate = _ZH_PREFIX.sub("", (m.group("q") or m.group("f") or "").strip()).strip()
        if candidate.endswith(tuple(VK.FILE_EXTENSIONS)) and candidate not in named:
            named.append(candidate)
    everything = not named and bool(_REMOVE_ALL_EN.search(text) or _REMOVE_ALL_ZH.search(text))
    if not named and not everything:
        return None
    for name in named:
        rest = rest.replace(name.lower(), " ")
    rest = _REMOVE_NOISE_ZH.sub(" ", rest)
    others = [w for w in _REMOVE_WORDS.findall(rest) if w not in _REMOVE_NOISE_EN]
    if len(others) > VR.REMOVE_MAX_OTHER_WORDS:
        return None
    return Removal(files=named, everything=everything)
