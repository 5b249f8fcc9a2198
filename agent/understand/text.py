"""Normalisation and phrase matching: NFKC, lower case, light English stemming; CJK phrases match as
substrings of the question without spaces, others on whole words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from core.text import Lang
from prompts import advice as A
from prompts.findings import FINDINGS


def detect_language(text: str) -> Lang:
    """'zh' when the text holds any CJK ideograph, else 'en'.

    >>> detect_language("Top 5 客户"), detect_language("top 5 customers")
    ('zh', 'en')
    """
    return "zh" if has_cjk(text) else "en"



def mentions(question: str, phrases: tuple[str, ...]) -> bool:
    """True when the question holds a phrase (CJK as a substring, others on word boundaries,
    a trailing plural "s" allowed)."""
    words = " " + " ".join(re.findall(r"[\w']+", question.lower())) + " "
    compact = re.sub(r"\s+", "", question)
    for phrase in phrases:
        if detect_language(phrase) == "zh":
            if phrase in compact:
                return True
            continue
        p = " ".join(re.findall(r"[\w']+", phrase.lower()))
        if f" {p} " in words or f" {p}s " in words:
            return True
    return False


def asks_for_recommendations(question: str) -> bool:
    """A request for advice ("what should we do", "有什么建议"), from prompts/advice.py."""
    return mentions(question, A.RECOMMEND_PHRASES)


def findings_named(question: str) -> list[str]:
    """Finding names a question mentions ("late payers" -> overdue_receivables): the FINDINGS phrases of prompts/."""
    return [name for name, term in FINDINGS.items() if mentions(question, term.phrases)]



# ==================================================================================================
# Normalisation and matching
# ==================================================================================================

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u00b4": "'"})


CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def has_cjk(text: str) -> bool:
    return CJK.search(text) is not None


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).strip()


_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[^\sa-z0-9]+")


def _stem(token: str) -> str:
    """A light plural/possessive strip so 'customers', "customer's" and 'customer' match alike."""
    if token.endswith("'s"):
        token = token[:-2]
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _en_view(text: str) -> str:
    """' tok tok ': latin words stemmed; CJK and sentence ends are a '|' boundary, other marks vanish."""
    tokens = []
    for tok in _TOKEN.findall(text.replace("&", " and ").replace("-", " ").replace("_", " ")):
        if tok[0].isascii() and tok[0].isalnum():
            tokens.append(_stem(tok))
        elif has_cjk(tok) or any(ch in ".?!;。？！；|§" for ch in tok):
            tokens.append("|")
    return " " + " ".join(tokens) + " "


def phrase_key(text: str) -> tuple[str, bool]:
    """A vocabulary phrase in matching form and whether it is matched in the Chinese view."""
    text = normalise(text).lower()
    if has_cjk(text):
        return re.sub(r"\s+", "", text), True
    return _en_view(text).strip(), False


@dataclass
class Views:
    """The question twice: stemmed latin words (for English phrases) and spaceless (for Chinese)."""

    en: str
    zh: str

    @classmethod
    def of(cls, text: str) -> Views:
        return cls(_en_view(text), re.sub(r"\s+", "", text))

    def find(self, phrase: str, zh: bool, start: int = 0) -> int:
        if not phrase:
            return -1
        return self.zh.find(phrase, start) if zh else self.en.find(f" {phrase} ", start)

    def has(self, phrase: str, zh: bool) -> bool:
        return self.find(phrase, zh) >= 0

    def mask_at(self, index: int, phrase: str, zh: bool) -> None:
        if zh:
            self.zh = self.zh[:index] + "|" + self.zh[index + len(phrase) :]
        else:
            self.en = self.en[:index] + " | " + self.en[index + len(phrase) + 2 :]


def word_char(ch: str) -> bool:
    return len(ch) == 1 and ch.isascii() and ch.isalnum()


def ends_with_word(text: str, words: Iterable[str]) -> str | None:
    text = text.rstrip()
    for w in sorted(words, key=len, reverse=True):
        if text.endswith(w) and (has_cjk(w) or not word_char(text[: len(text) - len(w)][-1:])):
            return w
    return None


def alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
