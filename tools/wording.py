"""Bilingual phrasing shared by the tools: fill answer templates, join lists, numbers as text."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from core.text import Lang, Msg
from prompts.customer_rows import ITEM
from tools.formatting import money, number, pct

LIST_SEPARATOR = Msg("; ", "；")
#: How many items a summary sentence of the customer value, CLV and churn tools lists before '…'.
MAX_SUMMARY_ITEMS = 10


def say(template: Msg, **values: object) -> Msg:
    """Fill a template; ``Msg`` values are taken in the matching language."""

    def pick(lang: Lang) -> dict[str, object]:
        return {k: (v.get(lang) if isinstance(v, Msg) else v) for k, v in values.items()}

    return Msg(template.en.format(**pick("en")), template.zh.format(**pick("zh")))


def join(items: list[Msg]) -> Msg:
    """Items as one list: 'a; b' / 'a；b'."""
    return Msg(LIST_SEPARATOR.en.join(i.en for i in items), LIST_SEPARATOR.zh.join(i.zh for i in items))


def items_text(labels: list[str], values: list[Msg], more: bool) -> Msg:
    """Labelled values as one list: 'a: 1; b: 2' / 'a：1；b：2', then '; …' / '；…' when ``more``.

    Pairs stop at the shorter of ``labels`` and ``values``.
    """
    items = join([say(ITEM, label=label, value=v) for label, v in zip(labels, values, strict=False)])
    return Msg(items.en + ("; …" if more else ""), items.zh + ("；…" if more else ""))


def sentences(items: list[Msg]) -> Msg:
    """Sentences as one paragraph (a space between English sentences, none between Chinese ones)."""
    return Msg(" ".join(i.en for i in items), "".join(i.zh for i in items))


def fact(value: object) -> float | int | None:
    """A python number for facts and formatting: numpy -> python; NaN, inf, None and non-numbers -> None."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_, int, np.integer)):
        return int(value)
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


def ratio(part: object, whole: object) -> float | None:
    """part / whole as a python float (a share or an average), None when either is missing or whole <= 0."""
    p, w = fact(part), fact(whole)
    if p is None or w is None or w <= 0:
        return None
    return p / w


def money_text(value: object) -> Msg:
    v = fact(value)
    return Msg(money(v, "en"), money(v, "zh"))


def pct_text(value: object, digits: int = 1) -> Msg:
    v = fact(value)
    return Msg(pct(v, "en", digits), pct(v, "zh", digits))


def num_text(value: object, digits: int = 1) -> Msg:
    v = fact(value)
    return Msg(number(v, "en", digits), number(v, "zh", digits))


def iso(value: object) -> str:
    """An ISO date, or 'n/a' for a missing one."""
    return "n/a" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()
