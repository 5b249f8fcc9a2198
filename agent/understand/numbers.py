"""Numbers in questions: Chinese numerals and English number words become digits in numeric context
(前十 -> 前10, 两年 -> 2年), counts (top 10, 五个客户) and percentages (price changes).
"""

from __future__ import annotations

import re

from agent.understand.text import Views, alternation, has_cjk
from core.text import Lang
from prompts import arguments as VA
from prompts import numbers as VN
from prompts.price_sensitivity import PRICE_DOWN_WORDS

# ==================================================================================================
# Numbers
# ==================================================================================================

_CN_RUN = re.compile("[" + "".join([*VN.CN_DIGITS, *VN.CN_UNITS]) + "]+")
_CN_PERCENT = re.compile("百分之([" + "".join([*VN.CN_DIGITS, *VN.CN_UNITS]) + "]+|[0-9.]+)")
_EN_UNITS = {**{w: n for w, n in VN.EN_NUMBERS.items() if n < 10}, "one": 1}
_EN_TENS = [w for w, n in VN.EN_NUMBERS.items() if n in (20, 30, 40, 50, 60, 70, 80, 90)]
_EN_COMPOUND = re.compile(rf"\b({'|'.join(_EN_TENS)})[\s-]({'|'.join(_EN_UNITS)})\b")
_EN_WORD = re.compile(rf"\b(?:a\s+)?({'|'.join(sorted(VN.EN_NUMBERS, key=len, reverse=True))})\b")
_EN_ONE = re.compile(rf"\b(?:one|a single)\s+(?=(?:{'|'.join(VN.EN_ONE_BEFORE_UNITS)}))")
PERCENT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b|pct\b)|百分之\s*\d+(?:\.\d+)?")
_PERCENT_VALUE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b|pct\b)")


def price_change(s: str) -> float | None:
    """A stated relative price change: '5% price rise' -> 0.05, '降价10%' -> -0.1 (sign from PRICE_DOWN_WORDS)."""
    m = _PERCENT_VALUE.search(s)
    if m is None:
        return None
    value = float(m.group(1)) / 100
    down = any((w in s) if has_cjk(w) else re.search(rf"\b{re.escape(w)}", s) for w in PRICE_DOWN_WORDS)
    return -value if down else value


def cn_number(run: str) -> int | None:
    """Value of a Chinese numeral: 十五 -> 15, 二十 -> 20, 两 -> 2, 一百零五 -> 105, 二零二四 -> 2024.

    >>> cn_number("十五"), cn_number("二十"), cn_number("两"), cn_number("二零二四")
    (15, 20, 2, 2024)
    """
    if not run or any(ch not in VN.CN_DIGITS and ch not in VN.CN_UNITS for ch in run):
        return None
    if not any(ch in VN.CN_UNITS for ch in run):
        return int("".join(str(VN.CN_DIGITS[ch]) for ch in run))
    total, digit = 0, 0
    for ch in run:
        if ch in VN.CN_DIGITS:
            digit = VN.CN_DIGITS[ch]
        else:
            total += (digit or 1) * VN.CN_UNITS[ch]
            digit = 0
    return total + digit


def digits(s: str) -> str:
    """Chinese numerals in numeric context and English number words become digits."""

    def chinese(m: re.Match[str]) -> str:
        run, before, after = m.group(), s[: m.start()], s[m.end() :]
        prev_ok = before.endswith(tuple(VN.CN_NUMBER_BEFORE))
        next_ok = after.startswith(tuple(VN.CN_NUMBER_AFTER))
        if run == "一" and after.startswith("个") and not prev_ok:
            return run  # 做一个分析, 每一个: not a count
        if prev_ok or next_ok or (len(run) > 1 and any(ch in VN.CN_UNITS for ch in run)):
            value = cn_number(run)
            return run if value is None else str(value)
        return run

    s = _CN_PERCENT.sub(lambda m: f"{cn_number(m.group(1)) or m.group(1)}%", s)
    s = _CN_RUN.sub(chinese, s)
    s = _EN_COMPOUND.sub(lambda m: str(VN.EN_NUMBERS[m.group(1)] + _EN_UNITS[m.group(2)]), s)
    s = _EN_ONE.sub("1 ", s)
    return _EN_WORD.sub(lambda m: str(VN.EN_NUMBERS[m.group(1)]), s)




_RANK_ZH = re.compile(rf"({alternation(VA.RANK_PREFIXES)})(\d{{1,12}})(?!\d)")
_COUNT_ZH = re.compile(rf"(?<![\d.])(\d{{1,12}})(?:{alternation(VA.COUNT_CLASSIFIERS)})")
# An English count above the tools' cap is still taken when the question frames it as a count, so the
# answer can say it was not applied ("top 100000000 customers").
_BIG_COUNT_EN = re.compile(
    r"\b(?:top|bottom|first|last|best|worst|largest|biggest|smallest)\s+(\d{5,12})\b"
    r"|\b(\d{5,12})\s+(?:customers?|clients?|accounts?|rows?)\b"
)


def take_count(views: Views, language: Lang) -> tuple[int | None, str | None]:
    """How many rows: 前十/后5/top 5/10个/五名, or (English) a lone number left in the question."""
    m = _RANK_ZH.search(views.zh)
    if m:
        return int(m.group(2)), VA.RANK_PREFIXES[m.group(1)]
    m = _COUNT_ZH.search(views.zh)
    if m:
        return int(m.group(1)), None
    if language == "en":
        m = _BIG_COUNT_EN.search(views.en)
        if m and int(m.group(1) or m.group(2)) > 10_000:
            return int(m.group(1) or m.group(2)), None
        for tok in views.en.split():
            if tok.isdigit() and 0 < int(tok) <= 10_000:
                return int(tok), None
    return None, None
