"""A customer named in a question (by id, by name, or by a shortened company name) taken out of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.understand.text import alternation, ends_with_word, has_cjk, normalise, phrase_key, word_char
from agent.understand.vocabulary import TOOL_KEYWORDS
from prompts import arguments as VA
from prompts import customers as VC
from prompts import dimensions as VD
from prompts.rfm_segments import RFM_SEGMENT_WORDS

# ==================================================================================================
# Customers
# ==================================================================================================


@dataclass
class _CustomerIndex:
    source: dict[str, str]
    size: int
    keys: dict[str, str]  # lower-case id, name or unambiguous short name -> customer_id
    longest: int
    guarded: frozenset[str] = frozenset()  # names that are question words: only after "customer"


MAX_NAME_CHARS = 120  # a longer id or name is nobody's way of naming a customer (and bounds the scan)


_INDEX: list[_CustomerIndex] = []
_CUSTOMER_ID = re.compile(
    rf"(?<![a-z])(?:{alternation(VC.CUSTOMER_WORDS)})s?\s*(?:id|编号|号|代码)?\s*[:：#]?\s*"
    r"([a-z]{0,6}[-_]?\d[a-z0-9_-]*)(?![a-z0-9])"
)


def question_words() -> frozenset[str]:
    """Vocabulary words as typed, lower case, with and without a plural "s": a customer or value named
    like this ("Revenue", "top customers") must not change what a question asks (hostile data)."""
    if not _QUESTION_WORDS:
        words: set[str] = set()
        for table in (TOOL_KEYWORDS, VA.METRICS, VD.DIMENSIONS, RFM_SEGMENT_WORDS, VA.ORDER_WORDS):
            for phrases in table.values():
                for w in phrases:
                    w = normalise(w).lower()
                    words.update((w, w + "s", w.removesuffix("s")))
        words.update(w.lower() for w in VC.CUSTOMER_WORDS)
        _QUESTION_WORDS.append(frozenset(words))
    return _QUESTION_WORDS[0]


_QUESTION_WORDS: list[frozenset[str]] = []


def _vocabulary_phrases() -> set[str]:
    words: set[str] = set()
    for table in (TOOL_KEYWORDS,):
        for phrases in table.values():
            words.update(phrases)
    for table2 in (VA.METRICS, VD.DIMENSIONS, RFM_SEGMENT_WORDS, VA.ORDER_WORDS):
        for phrases2 in table2.values():
            words.update(phrases2)
    return {phrase_key(w)[0] for w in words}


_SUFFIX = re.compile(rf"[\s,.]*(?:{alternation(VC.COMPANY_SUFFIXES)})$")
_PLACE = re.compile(rf"^(?:{alternation(VC.PLACE_PREFIXES)})")
_SUFFIXES, _PLACES = tuple(VC.COMPANY_SUFFIXES), tuple(VC.PLACE_PREFIXES)


def _aliases(name: str) -> set[str]:
    """Shorter forms a manager uses: without the legal suffix, without a leading city."""
    out = set()
    base = name
    while base.endswith(_SUFFIXES):
        shorter = _SUFFIX.sub("", base)
        if shorter == base:
            break
        base = shorter
        out.add(base)
    m = _PLACE.match(base) if base.startswith(_PLACES) else None
    if m:
        out.add(base[m.end() :])
    return {a for a in out if a and a != name and (len(a) >= 3 if has_cjk(a) else len(a) >= 4)}


def _customer_index(customers: dict[str, str]) -> _CustomerIndex:
    """Ids, names and short names (built once per customers dict; the session caches its Context)."""
    if _INDEX and _INDEX[0].source is customers and _INDEX[0].size == len(customers):
        return _INDEX[0]
    exact = {
        (k if k.isascii() else normalise(k)).lower(): v
        for k, v in customers.items()
        if k and len(k) <= MAX_NAME_CHARS
    }
    owners: dict[str, set[str]] = {}
    reserved = _vocabulary_phrases()
    for key, cid in exact.items():
        for alias in _aliases(key):
            if alias not in exact and alias not in reserved:
                owners.setdefault(alias, set()).add(cid)
    keys = dict(exact)
    keys.update({a: next(iter(ids)) for a, ids in owners.items() if len(ids) == 1})
    words = question_words()
    guarded = frozenset(k for k in keys if k in words)
    index = _CustomerIndex(customers, len(customers), keys, max(map(len, keys), default=0), guarded)
    _INDEX[:] = [index]
    return index


_CUSTOMER_MARK = (
    " § "  # where a customer was named: a boundary, so "from Acme this year" is no "from this year"
)




def _after_customer_word(s: str, index: int) -> bool:
    return ends_with_word(s[:index].rstrip(" :：#"), VC.CUSTOMER_WORDS) is not None


def take_customer(s: str, text: str, customers: dict[str, str]) -> tuple[str, str | None]:
    """Find one customer (id, name or short name) in the lower-cased question and blank it out.

    The longest known name inside the question wins; latin names must stand as whole words, and
    numeric or very short ids only count right after a word like "customer"/"客户".
    """
    index = _customer_index(customers) if customers else None
    for length in range(min(index.longest, len(s)) if index else 0, 0, -1):
        for start in range(len(s) - length + 1):
            key = s[start : start + length]
            cid = index.keys.get(key) if index else None
            if cid is None:
                continue
            end = start + length
            latin = not has_cjk(key)
            bounded = not latin or (
                not (word_char(key[0]) and word_char(s[start - 1 : start]))
                and not (word_char(key[-1]) and word_char(s[end : end + 1]))
            )
            short = (latin and (key.isdigit() or len(key) < 3)) or key in index.guarded
            if bounded and (not short or _after_customer_word(s, start)):
                return s[:start] + _CUSTOMER_MARK + s[end:], cid
    m = _CUSTOMER_ID.search(s)
    if m and (len(m.group(1)) >= 3):
        written = text[m.start(1) : m.end(1)] if len(text) == len(s) else m.group(1).upper()
        return s[: m.start(1)] + _CUSTOMER_MARK + s[m.end(1) :], written
    return s, None
