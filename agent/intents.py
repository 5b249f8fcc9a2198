"""Offline question engine (English and Chinese): a question -> one registered tool and typed arguments.

Pipeline (all vocabulary is data in prompts/vocabulary.py; no regex is ever built from user text):

1. NFKC + lower case; a correction sentence ("treat 'sales' as quantity") short-circuits.
2. A named customer (ids and names from the session, shortened company names too) is taken out.
3. Chinese and English number words become digits in numeric context (前十 -> 前10, 两年 -> 2年).
4. Periods are resolved to ISO dates against ``Context.as_of`` (the latest event date) and taken out.
5. Dimensions ("by region", "按地区", "各行业", "每个月") are taken out when a grouping word marks them.
6. One longest-match pass over every other phrase scores tools and collects argument values.
7. The best tool wins unless it is a later, unregistered tool (then ``tool=None``: help, never a guess);
   a question without words naming a tool refines the previous call (``followup=True``).
8. Arguments are kept only where the tool's Params model has that field and allows that value.

Periods: "last quarter" is the (fiscal) quarter before the one holding the reference date, "this year"
runs from the fiscal year start to the reference date, "last 3 months"/"近三个月" is a rolling window
ending at it, an explicit "2024" is the calendar year, "Q3 2024" the third quarter of the fiscal year
starting in 2024 (calendar Q3 with the default January start).

>>> ctx = Context(as_of=date(2025, 12, 31))
>>> parse("利润最高的5个客户是谁？", ctx).arguments
{'metric': 'profit', 'order': 'top', 'n': 5}
>>> parse("Revenue by region last quarter", ctx).arguments
{'start': '2025-07-01', 'end': '2025-09-30', 'group_by': 'region', 'metric': 'revenue'}
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from core.text import Lang
from prompts import recommend as R
from prompts import vocabulary as V
from tools.registry import TOOLS

# ==================================================================================================
# Public API
# ==================================================================================================


@dataclass
class Context:
    """What the engine may know about the conversation and the loaded data."""

    last_tool: str | None = None
    last_arguments: dict[str, Any] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset()  # loaded table kinds
    customers: dict[str, str] = field(default_factory=dict)  # lower-case id or name -> customer_id
    values: dict[str, set[str]] = field(default_factory=dict)  # dimension -> known values
    as_of: date | None = None  # latest event date in the data: relative periods count from it
    fiscal_year_start_month: int = 1
    files: tuple[str, ...] = ()  # names of the uploaded files (for "delete orders.csv")


@dataclass
class Correction:
    """The user corrects ingestion in a plain sentence (a column mapping or a file's table kind)."""

    column: str | None = None
    canonical: str | None = None
    file: str | None = None
    kind: str | None = None


@dataclass
class Removal:
    """The user deletes uploaded files in a plain sentence ("delete the file orders.csv",
    "删除 orders.csv 这个文件", "remove all my files"): ``files`` as named, or ``everything``."""

    files: list[str] = field(default_factory=list)
    everything: bool = False


@dataclass
class Intent:
    """One tool call (or none: ``tool is None`` means answer with the help text)."""

    tool: str | None
    arguments: dict[str, Any]
    language: Lang
    followup: bool = False
    correction: Correction | None = None
    removal: Removal | None = None


def detect_language(text: str) -> Lang:
    """'zh' when the text holds any CJK ideograph, else 'en'.

    >>> detect_language("Top 5 客户"), detect_language("top 5 customers")
    ('zh', 'en')
    """
    return "zh" if _has_cjk(text) else "en"


def parse(question: str, context: Context) -> Intent:
    """Map a question to a registered tool and its arguments (JSON-ready), or to no tool."""
    language = detect_language(question)
    text = _normalise(question)
    correction = _parse_correction(text)
    if correction is not None:
        return Intent(None, {}, language, correction=correction)
    removal = parse_removal(question, context.files)
    if removal is not None:
        return Intent(None, {}, language, removal=removal)

    s = text.lower()
    s, customer = _take_customer(s, text, context.customers)
    s = _digits(s)
    change = _price_change(s)
    s = _PERCENT.sub(" percentx ", s)
    ref = context.as_of or date.today()  # today only as a last resort: no data, no reference date
    s, period = _take_period(s, ref, context.fiscal_year_start_month)
    views = _Views.of(s)
    original = _Views.of(s)
    found = _Found()
    found.group_by = _take_group_by(views, found)
    _scan(views, found)
    _combos(original, found)
    found.n, prefix_order = _take_count(views, language)
    args = _arguments(found, prefix_order, period, customer)
    if change is not None:
        args["price_change"] = change
    if "group_by" not in args:
        named = _value_dimension(original, context.values, args)
        if named is not None:
            dim, value = named
            args["group_by"] = dim
            args.setdefault(dim, value)  # kept only by tools that filter on it ("segment B" in pricing)
            found.add_hint("group_by")
    return _decide(found, args, context, language, _size(text.lower()))


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
    """A request for advice ("what should we do", "有什么建议"), from prompts/recommend.py."""
    return mentions(question, R.RECOMMEND_PHRASES)


def findings_named(question: str) -> list[str]:
    """Finding names a question mentions ("late payers" -> overdue_receivables), from prompts/recommend.py."""
    return [name for name, phrases in R.FINDING_PHRASES.items() if mentions(question, phrases)]


# ==================================================================================================
# Normalisation and matching
# ==================================================================================================

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u00b4": "'"})


_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def _has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def _normalise(text: str) -> str:
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
        elif _has_cjk(tok) or any(ch in ".?!;。？！；|§" for ch in tok):
            tokens.append("|")
    return " " + " ".join(tokens) + " "


def _phrase(text: str) -> tuple[str, bool]:
    """A vocabulary phrase in matching form and whether it is matched in the Chinese view."""
    text = _normalise(text).lower()
    if _has_cjk(text):
        return re.sub(r"\s+", "", text), True
    return _en_view(text).strip(), False


@dataclass
class _Views:
    """The question twice: stemmed latin words (for English phrases) and spaceless (for Chinese)."""

    en: str
    zh: str

    @classmethod
    def of(cls, text: str) -> _Views:
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


# ==================================================================================================
# Numbers
# ==================================================================================================

_CN_RUN = re.compile("[" + "".join([*V.CN_DIGITS, *V.CN_UNITS]) + "]+")
_CN_PERCENT = re.compile("百分之([" + "".join([*V.CN_DIGITS, *V.CN_UNITS]) + "]+|[0-9.]+)")
_EN_UNITS = {**{w: n for w, n in V.EN_NUMBERS.items() if n < 10}, "one": 1}
_EN_TENS = [w for w, n in V.EN_NUMBERS.items() if n in (20, 30, 40, 50, 60, 70, 80, 90)]
_EN_COMPOUND = re.compile(rf"\b({'|'.join(_EN_TENS)})[\s-]({'|'.join(_EN_UNITS)})\b")
_EN_WORD = re.compile(rf"\b(?:a\s+)?({'|'.join(sorted(V.EN_NUMBERS, key=len, reverse=True))})\b")
_EN_ONE = re.compile(rf"\b(?:one|a single)\s+(?=(?:{'|'.join(V.EN_ONE_BEFORE_UNITS)}))")
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b|pct\b)|百分之\s*\d+(?:\.\d+)?")
_PERCENT_VALUE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b|pct\b)")


def _price_change(s: str) -> float | None:
    """A stated relative price change: '5% price rise' -> 0.05, '降价10%' -> -0.1 (sign from PRICE_DOWN_WORDS)."""
    m = _PERCENT_VALUE.search(s)
    if m is None:
        return None
    value = float(m.group(1)) / 100
    down = any((w in s) if _has_cjk(w) else re.search(rf"\b{re.escape(w)}", s) for w in V.PRICE_DOWN_WORDS)
    return -value if down else value


def cn_number(run: str) -> int | None:
    """Value of a Chinese numeral: 十五 -> 15, 二十 -> 20, 两 -> 2, 一百零五 -> 105, 二零二四 -> 2024.

    >>> cn_number("十五"), cn_number("二十"), cn_number("两"), cn_number("二零二四")
    (15, 20, 2, 2024)
    """
    if not run or any(ch not in V.CN_DIGITS and ch not in V.CN_UNITS for ch in run):
        return None
    if not any(ch in V.CN_UNITS for ch in run):
        return int("".join(str(V.CN_DIGITS[ch]) for ch in run))
    total, digit = 0, 0
    for ch in run:
        if ch in V.CN_DIGITS:
            digit = V.CN_DIGITS[ch]
        else:
            total += (digit or 1) * V.CN_UNITS[ch]
            digit = 0
    return total + digit


def _digits(s: str) -> str:
    """Chinese numerals in numeric context and English number words become digits."""

    def chinese(m: re.Match[str]) -> str:
        run, before, after = m.group(), s[: m.start()], s[m.end() :]
        prev_ok = before.endswith(tuple(V.CN_NUMBER_BEFORE))
        next_ok = after.startswith(tuple(V.CN_NUMBER_AFTER))
        if run == "一" and after.startswith("个") and not prev_ok:
            return run  # 做一个分析, 每一个: not a count
        if prev_ok or next_ok or (len(run) > 1 and any(ch in V.CN_UNITS for ch in run)):
            value = cn_number(run)
            return run if value is None else str(value)
        return run

    s = _CN_PERCENT.sub(lambda m: f"{cn_number(m.group(1)) or m.group(1)}%", s)
    s = _CN_RUN.sub(chinese, s)
    s = _EN_COMPOUND.sub(lambda m: str(V.EN_NUMBERS[m.group(1)] + _EN_UNITS[m.group(2)]), s)
    s = _EN_ONE.sub("1 ", s)
    return _EN_WORD.sub(lambda m: str(V.EN_NUMBERS[m.group(1)]), s)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_RANK_ZH = re.compile(rf"({_alternation(V.RANK_PREFIXES)})(\d{{1,5}})(?!\d)")
_COUNT_ZH = re.compile(rf"(?<![\d.])(\d{{1,5}})(?:{_alternation(V.COUNT_CLASSIFIERS)})")


def _take_count(views: _Views, language: Lang) -> tuple[int | None, str | None]:
    """How many rows: 前十/后5/top 5/10个/五名, or (English) a lone number left in the question."""
    m = _RANK_ZH.search(views.zh)
    if m:
        return int(m.group(2)), V.RANK_PREFIXES[m.group(1)]
    m = _COUNT_ZH.search(views.zh)
    if m:
        return int(m.group(1)), None
    if language == "en":
        for tok in views.en.split():
            if tok.isdigit() and 0 < int(tok) <= 10_000:
                return int(tok), None
    return None, None


# ==================================================================================================
# Periods
# ==================================================================================================


def _add_months(d: date, months: int) -> date:
    year, month = divmod(d.month - 1 + months, 12)
    year, month = d.year + year, month + 1
    return date(year, month, min(d.day, _month_length(year, month)))


def _month_length(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, _month_length(year, month))


def _word_pattern(phrases: Iterable[str], plural: bool = False) -> str:
    """Whole-word alternation of vocabulary phrases (CJK phrases need no word boundary)."""
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        body = re.escape(p) + ("s?" if plural and not _has_cjk(p) else "")
        parts.append(body if _has_cjk(p) else rf"\b{body}\b")
    return "|".join(parts)


def _lookup(table: dict[str, Any], matched: str) -> Any:
    return table[matched] if matched in table else table[matched.rstrip("s")]


@dataclass
class _Expr:
    """One period expression found in the question, at s[a:b]."""

    a: int
    b: int
    start: date
    end: date
    unit: str = ""  # for expressions without a year: "month" | "quarter" | "half"
    number: int = 0
    yearless: bool = False


class _Periods:
    """Finds and resolves period expressions relative to a reference date and fiscal year start."""

    MONTHS = _alternation(V.MONTH_NAMES)
    ORD = _alternation(V.ORDINALS)
    RELY = _alternation(V.RELATIVE_YEARS)
    FY = _alternation(w for w in V.FISCAL_WORDS if not _has_cjk(w))
    FY_ZH = _alternation(w for w in V.FISCAL_WORDS if _has_cjk(w))
    LEADS = _alternation(V.ROLLING_LEADS)
    LEADS_ZH = _alternation(V.ROLLING_LEADS_ZH)
    UNITS_EN = _alternation(u for u in V.UNITS if not _has_cjk(u))
    UNITS_ZH = _alternation(u for u in V.UNITS if _has_cjk(u))
    D, ND = r"(?<!\d)", r"(?!\d)"
    HALF_WORDS = _alternation(k for k in V.HALVES if not k.startswith("h"))
    # (pattern, handler), most specific first: a span one pattern takes is not seen by the later ones.
    PATTERNS: list[tuple[re.Pattern[str], str]] = [
        (re.compile(p), handler)
        for p, handler in [
            (rf"{D}(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){ND}", "_ymd"),
            (rf"{D}(\d{{4}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]?", "_ymd"),
            (rf"\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){ND}", "_mdy"),
            (rf"{D}(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})\.?,?\s+(\d{{4}}){ND}", "_dmy"),
            (
                rf"{D}(\d{{4}})\s*年\s*(\d{{1,2}})\s*月?份?\s*[-~至到]\s*(\d{{1,2}})\s*月份?",
                "_month_range",
            ),
            (rf"({RELY})\s*的?\s*(上|下)半年", "_rel_half"),
            (rf"({RELY})\s*的?\s*(?:第\s*)?([1-4])\s*季度?", "_rel_quarter"),
            (rf"({RELY})\s*的?\s*(\d{{1,2}})\s*月份?", "_rel_month"),
            (rf"{D}(\d{{4}})\s*年\s*(\d{{1,2}})\s*月份?", "_ym"),
            (rf"{D}(\d{{4}})[-/](\d{{1,2}}){ND}", "_ym"),
            (rf"\b({MONTHS})\.?,?\s+(?:of\s+)?(\d{{4}}){ND}", "_my"),
            (rf"{D}(\d{{4}})\s+({MONTHS})\b", "_ym_name"),
            (rf"{D}(\d{{4}})\s*年?\s*的?\s*(?:第\s*)?([1-4])\s*季度?", "_yq"),
            (rf"{D}(\d{{4}})\s*[-/]?\s*q([1-4])\b", "_yq"),
            (rf"\bq([1-4])\s*[-/,]?\s*(?:of\s+)?(?:fy\s*)?(\d{{4}}){ND}", "_qy"),
            (rf"\b({ORD})\s+quarter\s+(?:of\s+)?(\d{{4}}){ND}", "_qy"),
            (rf"{D}(\d{{4}})\s*年?\s*的?\s*(上|下)半年", "_yh"),
            (rf"\bh([12])\s*[-/]?\s*(\d{{4}}){ND}", "_hy"),
            (rf"{D}(\d{{4}})\s*[-/]?\s*h([12])\b", "_yh"),
            (rf"\b({HALF_WORDS})\s+(?:of\s+)?(\d{{4}}){ND}", "_hy"),
            (rf"\b(?:{FY})\s*'?(\d{{4}}|\d{{2}}){ND}", "_fy"),
            (rf"{D}(\d{{4}})\s*(?:{FY_ZH})", "_fy"),
            (rf"\b(?:{LEADS})\s+(\d{{1,4}})\s+({UNITS_EN})\b", "_rolling"),
            (rf"(?:{LEADS_ZH})\s*(\d{{1,4}})\s*({UNITS_ZH})", "_rolling"),
            (_word_pattern(V.ROLLING_PHRASES, plural=True), "_rolling_phrase"),
            (_word_pattern(V.RELATIVE_PERIODS), "_relative"),
            (rf"{D}((?:19|20)\d{{2}})\s*(?:年度|年)?{ND}", "_year"),
            (r"(?:第\s*)?([1-4])\s*季度", "_quarter_only"),
            (r"\bq([1-4])\b", "_quarter_only"),
            (rf"\b({ORD})\s+quarter\b", "_quarter_only"),
            (_word_pattern(V.HALVES), "_half_only"),
            (rf"{D}(\d{{1,2}})\s*月份?", "_month_only"),
            (rf"\b({MONTHS})\b", "_month_name_only"),
        ]
    ]

    def __init__(self, ref: date, fy_month: int) -> None:
        self.ref = ref
        self.m = fy_month if 1 <= fy_month <= 12 else 1

    # ---- calendar helpers
    def fiscal_year_of(self, d: date) -> int:
        return d.year if d.month >= self.m else d.year - 1

    def fiscal_year(self, year: int) -> tuple[date, date]:
        start = date(year, self.m, 1)
        return start, _add_months(start, 12) - timedelta(days=1)

    def quarter(self, year: int, q: int) -> tuple[date, date]:
        start = _add_months(date(year, self.m, 1), 3 * (q - 1))
        return start, _add_months(start, 3) - timedelta(days=1)

    def half(self, year: int, h: int) -> tuple[date, date]:
        start = _add_months(date(year, self.m, 1), 6 * (h - 1))
        return start, _add_months(start, 6) - timedelta(days=1)

    def resolve(self, unit: str, number: int, year: int | None) -> tuple[date, date]:
        """A month/quarter/half without a year: in ``year``, else the latest one starting by the reference."""
        if unit == "month":
            if year is None:
                year = self.ref.year if number <= self.ref.month else self.ref.year - 1
            return _month(year, number)
        get = self.quarter if unit == "quarter" else self.half
        if year is None:
            year = self.fiscal_year_of(self.ref)
            if get(year, number)[0] > self.ref:
                year -= 1
        return get(year, number)

    # ---- handlers: (match) -> (start, end) | _Expr | None
    def _ymd(self, m: re.Match[str]) -> tuple[date, date]:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d, d

    def _mdy(self, m: re.Match[str]) -> tuple[date, date]:
        d = date(int(m.group(3)), V.MONTH_NAMES[m.group(1)], int(m.group(2)))
        return d, d

    def _dmy(self, m: re.Match[str]) -> tuple[date, date]:
        d = date(int(m.group(3)), V.MONTH_NAMES[m.group(2)], int(m.group(1)))
        return d, d

    def _month_range(self, m: re.Match[str]) -> tuple[date, date]:
        year, first, last = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _month(year, first)[0], _month(year + (last < first), last)[1]

    def _rel_year(self, word: str) -> int:
        return self.ref.year + V.RELATIVE_YEARS[word]

    def _rel_half(self, m: re.Match[str]) -> tuple[date, date]:
        return self.half(self._rel_year(m.group(1)), V.HALVES[m.group(2) + "半年"])

    def _rel_quarter(self, m: re.Match[str]) -> tuple[date, date]:
        return self.quarter(self._rel_year(m.group(1)), int(m.group(2)))

    def _rel_month(self, m: re.Match[str]) -> tuple[date, date]:
        return _month(self._rel_year(m.group(1)), int(m.group(2)))

    def _ym(self, m: re.Match[str]) -> tuple[date, date]:
        return _month(int(m.group(1)), int(m.group(2)))

    def _my(self, m: re.Match[str]) -> tuple[date, date]:
        return _month(int(m.group(2)), V.MONTH_NAMES[m.group(1)])

    def _ym_name(self, m: re.Match[str]) -> tuple[date, date]:
        return _month(int(m.group(1)), V.MONTH_NAMES[m.group(2)])

    def _yq(self, m: re.Match[str]) -> tuple[date, date]:
        return self.quarter(int(m.group(1)), int(m.group(2)))

    def _qy(self, m: re.Match[str]) -> tuple[date, date]:
        q = m.group(1)
        return self.quarter(int(m.group(2)), int(q) if q.isdigit() else V.ORDINALS[q])

    def _yh(self, m: re.Match[str]) -> tuple[date, date]:
        h = m.group(2)
        return self.half(int(m.group(1)), int(h) if h.isdigit() else V.HALVES[h + "半年"])

    def _hy(self, m: re.Match[str]) -> tuple[date, date]:
        h = m.group(1)
        return self.half(int(m.group(2)), int(h) if h.isdigit() else V.HALVES[h])

    def _fy(self, m: re.Match[str]) -> tuple[date, date]:
        year = int(m.group(1))
        return self.fiscal_year(year + 2000 if year < 100 else year)

    def _window(self, number: int, unit: str) -> tuple[date, date]:
        ref = self.ref
        if unit == "day":
            return ref - timedelta(days=number - 1), ref
        if unit == "week":
            return ref - timedelta(days=7 * number - 1), ref
        months = {"month": 1, "quarter": 3, "year": 12}[unit] * number
        return _add_months(ref, -months) + timedelta(days=1), ref

    def _rolling(self, m: re.Match[str]) -> tuple[date, date] | None:
        number = int(m.group(1))
        return self._window(number, V.UNITS[m.group(2)]) if number > 0 else None

    def _rolling_phrase(self, m: re.Match[str]) -> tuple[date, date]:
        return self._window(*_lookup(V.ROLLING_PHRASES, m.group(0)))

    def _relative(self, m: re.Match[str]) -> tuple[date, date]:
        unit, offset = _lookup(V.RELATIVE_PERIODS, m.group(0))
        ref = self.ref
        if unit == "year":
            start, end = self.fiscal_year(self.fiscal_year_of(ref) + offset)
        elif unit == "quarter":
            fy_start = date(self.fiscal_year_of(ref), self.m, 1)
            months = (ref.year - fy_start.year) * 12 + ref.month - fy_start.month
            start = _add_months(fy_start, 3 * (months // 3 + offset))
            end = _add_months(start, 3) - timedelta(days=1)
        elif unit == "month":
            start = _add_months(date(ref.year, ref.month, 1), offset)
            end = _month(start.year, start.month)[1]
        else:  # week, Monday to Sunday
            start = ref - timedelta(days=ref.weekday() - 7 * offset)
            end = start + timedelta(days=6)
        return start, min(end, ref) if offset == 0 else end

    def _year(self, m: re.Match[str]) -> tuple[date, date]:
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31)

    def _yearless(self, unit: str, number: int) -> _Expr:
        start, end = self.resolve(unit, number, None)
        return _Expr(0, 0, start, end, unit, number, yearless=True)

    def _quarter_only(self, m: re.Match[str]) -> _Expr:
        q = m.group(1)
        return self._yearless("quarter", int(q) if q.isdigit() else V.ORDINALS[q])

    def _half_only(self, m: re.Match[str]) -> _Expr:
        return self._yearless("half", _lookup(V.HALVES, m.group(0)))

    def _month_only(self, m: re.Match[str]) -> _Expr | None:
        month = int(m.group(1))
        return self._yearless("month", month) if 1 <= month <= 12 else None

    def _month_name_only(self, m: re.Match[str]) -> _Expr | None:
        word, before = m.group(1), m.string[: m.start()].split()
        if word in V.AMBIGUOUS_MONTHS and not (before and before[-1] in V.MONTH_LEADS):
            return None  # "may" the verb, "mar" the word
        return self._yearless("month", V.MONTH_NAMES[word])

    # ---- driver
    def find(self, s: str) -> tuple[str, list[_Expr]]:
        """All expressions, most specific patterns first; each found span is blanked (same length)."""
        found: list[_Expr] = []
        for pattern, name in self.PATTERNS:
            handler = getattr(self, name)
            for m in list(pattern.finditer(s)):
                try:
                    got = handler(m)
                except (ValueError, KeyError):  # 2024-13, February 30th: not a date
                    continue
                if got is None:
                    continue
                expr = got if isinstance(got, _Expr) else _Expr(0, 0, *got)
                expr.a, expr.b = m.span()
                found.append(expr)
            for expr in found:
                s = s[: expr.a] + " " * (expr.b - expr.a) + s[expr.b :]
        return s, sorted(found, key=lambda e: e.a)


def _ends_with_word(text: str, words: Iterable[str]) -> str | None:
    text = text.rstrip()
    for w in sorted(words, key=len, reverse=True):
        if text.endswith(w) and (_has_cjk(w) or not _word_char(text[: len(text) - len(w)][-1:])):
            return w
    return None


def _starts_with_word(text: str, words: Iterable[str]) -> str | None:
    text = text.lstrip()
    for w in sorted(words, key=len, reverse=True):
        rest = text[len(w) :]
        if text.startswith(w) and not rest[:1].isdigit() and (_has_cjk(w) or not _word_char(rest[:1])):
            return w
    return None


def _take_period(s: str, ref: date, fy_month: int) -> tuple[str, dict[str, str]]:
    """Blank the period expressions out of ``s``; return {start, end} / {start} / {end} / {as_of}."""
    periods = _Periods(ref, fy_month)
    blanked, exprs = periods.find(s)
    if not exprs:
        return s, {}
    # Ranges: "between January and June 2025", "2023年3月到2024年2月": a yearless end takes its year
    # from the other end.
    groups: list[list[_Expr]] = [[exprs[0]]]
    for expr in exprs[1:]:
        gap = s[groups[-1][-1].b : expr.a].strip()
        if gap in V.RANGE_CONNECTORS:
            groups[-1].append(expr)
        else:
            groups.append([expr])
    for group in groups:
        _inherit_years(group, periods)
    start = min(e.start for e in exprs)
    end = max(e.end for e in exprs)
    if len(groups) == 1 and len(groups[0]) == 1:
        expr = groups[0][0]
        before, after = s[: expr.a], s[expr.b :]
        if _ends_with_word(before, V.PERIOD_AS_OF):
            return blanked, {"as_of": end.isoformat()}
        lead = _ends_with_word(before, V.PERIOD_START_BEFORE)
        trail = _starts_with_word(after, V.PERIOD_START_AFTER)
        if lead or trail:
            exclusive = (lead or trail) in V.PERIOD_EXCLUSIVE
            return blanked, {"start": (end + timedelta(days=1) if exclusive else start).isoformat()}
        lead = _ends_with_word(before, V.PERIOD_END_BEFORE)
        trail = _starts_with_word(after, V.PERIOD_END_AFTER)
        if lead or trail:
            exclusive = (lead or trail) in V.PERIOD_EXCLUSIVE
            return blanked, {"end": (start - timedelta(days=1) if exclusive else end).isoformat()}
    return blanked, {"start": start.isoformat(), "end": end.isoformat()}


def _inherit_years(group: list[_Expr], periods: _Periods) -> None:
    """In a range, an end without a year takes it from the other end (never from the calendar alone)."""
    for prev, expr in zip(group, group[1:], strict=False):
        if expr.yearless and not prev.yearless:
            start, end = periods.resolve(expr.unit, expr.number, prev.end.year)
            if end < prev.start:
                start, end = periods.resolve(expr.unit, expr.number, prev.end.year + 1)
            expr.start, expr.end, expr.yearless = start, end, False
    for expr, nxt in reversed(list(zip(group, group[1:], strict=False))):
        if expr.yearless:
            start, end = periods.resolve(expr.unit, expr.number, nxt.start.year)
            if start > nxt.start:
                start, end = periods.resolve(expr.unit, expr.number, nxt.start.year - 1)
            expr.start, expr.end, expr.yearless = start, end, False


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
    rf"(?<![a-z])(?:{_alternation(V.CUSTOMER_WORDS)})s?\s*(?:id|编号|号|代码)?\s*[:：#]?\s*"
    r"([a-z]{0,6}[-_]?\d[a-z0-9_-]*)(?![a-z0-9])"
)


def _question_words() -> frozenset[str]:
    """Vocabulary words as typed, lower case, with and without a plural "s": a customer or value named
    like this ("Revenue", "top customers") must not change what a question asks (hostile data)."""
    if not _QUESTION_WORDS:
        words: set[str] = set()
        for table in (V.TOOL_KEYWORDS, V.METRICS, V.DIMENSIONS, V.RFM_SEGMENTS, V.ORDER_WORDS):
            for phrases in table.values():
                for w in phrases:
                    w = _normalise(w).lower()
                    words.update((w, w + "s", w.removesuffix("s")))
        words.update(w.lower() for w in V.CUSTOMER_WORDS)
        _QUESTION_WORDS.append(frozenset(words))
    return _QUESTION_WORDS[0]


_QUESTION_WORDS: list[frozenset[str]] = []


def _vocabulary_phrases() -> set[str]:
    words: set[str] = set()
    for table in (V.TOOL_KEYWORDS,):
        for phrases in table.values():
            words.update(phrases)
    for table2 in (V.METRICS, V.DIMENSIONS, V.RFM_SEGMENTS, V.ORDER_WORDS):
        for phrases2 in table2.values():
            words.update(phrases2)
    return {_phrase(w)[0] for w in words}


_SUFFIX = re.compile(rf"[\s,.]*(?:{_alternation(V.COMPANY_SUFFIXES)})$")
_PLACE = re.compile(rf"^(?:{_alternation(V.PLACE_PREFIXES)})")
_SUFFIXES, _PLACES = tuple(V.COMPANY_SUFFIXES), tuple(V.PLACE_PREFIXES)


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
    return {a for a in out if a and a != name and (len(a) >= 3 if _has_cjk(a) else len(a) >= 4)}


def _customer_index(customers: dict[str, str]) -> _CustomerIndex:
    """Ids, names and short names (built once per customers dict; the session caches its Context)."""
    if _INDEX and _INDEX[0].source is customers and _INDEX[0].size == len(customers):
        return _INDEX[0]
    exact = {
        (k if k.isascii() else _normalise(k)).lower(): v
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
    words = _question_words()
    guarded = frozenset(k for k in keys if k in words)
    index = _CustomerIndex(customers, len(customers), keys, max(map(len, keys), default=0), guarded)
    _INDEX[:] = [index]
    return index


_CUSTOMER_MARK = (
    " § "  # where a customer was named: a boundary, so "from Acme this year" is no "from this year"
)


def _word_char(ch: str) -> bool:
    return len(ch) == 1 and ch.isascii() and ch.isalnum()


def _after_customer_word(s: str, index: int) -> bool:
    return _ends_with_word(s[:index].rstrip(" :：#"), V.CUSTOMER_WORDS) is not None


def _take_customer(s: str, text: str, customers: dict[str, str]) -> tuple[str, str | None]:
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
            latin = not _has_cjk(key)
            bounded = not latin or (
                not (_word_char(key[0]) and _word_char(s[start - 1 : start]))
                and not (_word_char(key[-1]) and _word_char(s[end : end + 1]))
            )
            short = (latin and (key.isdigit() or len(key) < 3)) or key in index.guarded
            if bounded and (not short or _after_customer_word(s, start)):
                return s[:start] + _CUSTOMER_MARK + s[end:], cid
    m = _CUSTOMER_ID.search(s)
    if m and (len(m.group(1)) >= 3):
        written = text[m.start(1) : m.end(1)] if len(text) == len(s) else m.group(1).upper()
        return s[: m.start(1)] + _CUSTOMER_MARK + s[m.end(1) :], written
    return s, None


# ==================================================================================================
# Dimensions, then every other phrase in one longest-match pass
# ==================================================================================================


@dataclass
class _Found:
    """What the phrase pass found: tool scores and argument values."""

    scores: dict[str, float] = field(default_factory=dict)
    strong: set[str] = field(default_factory=set)
    metrics: list[str] = field(default_factory=list)
    metric_hints: list[str] = field(default_factory=list)
    orders: set[str] = field(default_factory=set)
    loss: bool = False
    segments: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    risk_levels: list[str] = field(default_factory=list)
    followup_marker: bool = False
    all_time: bool = False
    trend: bool = False
    group_by: str | None = None  # "customer" = per customer (drops a grouping)
    n: int | None = None

    def add(self, tool: str, weight: float) -> None:
        self.scores[tool] = self.scores.get(tool, 0.0) + weight

    def add_hint(self, kind: str) -> None:
        for tool, weight in V.ARGUMENT_HINTS.get(kind, {}).items():
            self.add(tool, weight)


@dataclass(frozen=True)
class _Entry:
    phrase: str
    zh: bool
    effects: tuple[tuple[str, Any, float], ...]  # (kind, value, weight)


def _build_lexicon() -> list[_Entry]:
    effects: dict[tuple[str, bool], list[tuple[str, Any, float]]] = {}

    def add(words: Iterable[str], kind: str, value: Any, weight: float = 0.0) -> None:
        for w in words:
            effects.setdefault(_phrase(w), []).append((kind, value, weight))

    for tool, phrases in V.TOOL_KEYWORDS.items():
        for w, weight in phrases.items():
            add([w], "tool", tool, weight)
    for metric, words in V.METRICS.items():
        add(words, "metric", metric)
    for metric, words in V.METRIC_HINTS.items():
        add(words, "metric_hint", metric)
    for order, words in V.ORDER_WORDS.items():
        add(words, "order", order)
    add(V.LOSS_WORDS, "loss", True)
    for segment, words in V.RFM_SEGMENTS.items():
        add(words, "rfm_segment", segment)
    for model, words in V.MODELS.items():
        add(words, "model", model)
    for level, words in V.RISK_LEVELS.items():
        add(words, "risk_level", level)
    add(V.FOLLOWUP_MARKERS, "followup", True)
    add(V.ALL_TIME, "all_time", True)
    add(V.TREND_WORDS, "trend", True)
    entries = [_Entry(p, zh, tuple(e)) for (p, zh), e in effects.items() if p]
    return sorted(entries, key=lambda e: (-len(e.phrase), e.phrase))


def _build_dimensions() -> list[tuple[str, bool, str, bool]]:
    out = {}
    for dim, words in V.DIMENSIONS.items():
        for w in words:
            out.setdefault(_phrase(w), (dim, False))
    for dim, words in V.GROUP_SELF.items():
        for w in words:
            out[_phrase(w)] = (dim, True)
    rows = [(p, zh, dim, self_) for (p, zh), (dim, self_) in out.items()]
    return sorted(rows, key=lambda r: -len(r[0]))


_LEXICON = _build_lexicon()
_DIMENSIONS = _build_dimensions()
_GROUP_BEFORE_EN = [_phrase(w)[0].split() for w in V.GROUP_BEFORE if not _has_cjk(w)]
_GROUP_BEFORE_ZH = [w for w in V.GROUP_BEFORE if _has_cjk(w)]
_GROUP_AFTER_EN = {_phrase(w)[0] for w in V.GROUP_AFTER if not _has_cjk(w)}
_GROUP_AFTER_ZH = [w for w in V.GROUP_AFTER if _has_cjk(w)]
_FILLERS = {_phrase(w)[0] for w in V.GROUP_FILLERS}


def _grouping_word_around(views: _Views, index: int, phrase: str, zh: bool) -> bool:
    if zh:
        before, after = views.zh[:index], views.zh[index + len(phrase) :]
        return before.endswith(tuple(_GROUP_BEFORE_ZH)) or after.startswith(tuple(_GROUP_AFTER_ZH))
    before_tokens = views.en[:index].split()
    while before_tokens and before_tokens[-1] in _FILLERS:
        before_tokens.pop()
    if any(before_tokens[-len(t) :] == t for t in _GROUP_BEFORE_EN if len(before_tokens) >= len(t)):
        return True
    after_tokens = views.en[index + len(phrase) + 2 :].split()
    return bool(after_tokens) and after_tokens[0] in _GROUP_AFTER_EN


def _take_group_by(views: _Views, found: _Found) -> str | None:
    """The first dimension marked as a grouping ("by region", "按地区", "monthly"); taken out of views."""
    scratch = _Views(views.en, views.zh)
    hits: list[tuple[int, str]] = []
    for phrase, zh, dim, self_grouping in _DIMENSIONS:
        index = scratch.find(phrase, zh)
        while index >= 0:
            if self_grouping or _grouping_word_around(scratch, index, phrase, zh):
                hits.append((index, dim))
                main = views.find(phrase, zh)
                if main >= 0:
                    views.mask_at(main, phrase, zh)
            scratch.mask_at(index, phrase, zh)
            index = scratch.find(phrase, zh)
    if not hits:
        return None
    found.add_hint("group_by")
    return min(hits)[1]


def _scan(views: _Views, found: _Found) -> None:
    """One longest-match pass: every phrase counts once and hides the shorter phrases inside it."""
    for entry in _LEXICON:
        index = views.find(entry.phrase, entry.zh)
        if index < 0:
            continue
        while index >= 0:
            views.mask_at(index, entry.phrase, entry.zh)
            index = views.find(entry.phrase, entry.zh)
        for kind, value, weight in entry.effects:
            if kind == "tool":
                found.add(value, weight)
                if weight >= V.STRONG:
                    found.strong.add(value)
                continue
            found.add_hint(kind)
            if kind == "metric":
                found.metrics.append(value)
            elif kind == "metric_hint":
                found.metric_hints.append(value)
            elif kind == "order":
                found.orders.add(value)
            elif kind == "loss":
                found.loss = True
            elif kind == "rfm_segment":
                found.segments.append(value)
                found.strong.add("rfm_segments")
            elif kind == "model":
                found.models.append(value)
            elif kind == "risk_level":
                found.risk_levels.append(value)
                found.add_hint("risk_level")
            elif kind == "followup":
                found.followup_marker = True
            elif kind == "all_time":
                found.all_time = True
            elif kind == "trend":
                found.trend = True


def _combos(views: _Views, found: _Found) -> None:
    for tool, phrases, weight in V.COMBOS:
        if all(views.has(*_phrase(p)) for p in phrases):
            found.add(tool, weight)


def _value_dimension(
    views: _Views, values: dict[str, set[str]], args: dict[str, Any]
) -> tuple[str, str] | None:
    """A known value ("North", "华东") named without a ranking: (dimension, value), answered with that
    dimension's breakdown (and, by a tool that filters on the dimension, for that value only)."""
    if any(k in args for k in ("n", "order", "customer")):
        return None
    for dim, known in sorted(values.items()):
        words = [_phrase(w) for w in V.DIMENSIONS.get(dim, [])]
        for value in sorted(known, key=len, reverse=True):
            if str(value).strip().lower() in _question_words() or len(str(value)) > MAX_NAME_CHARS:
                continue  # a value named like a question word ("Revenue") never adds a breakdown
            phrase, zh = _phrase(str(value))
            if not phrase:
                continue
            if (zh and len(phrase) >= 2) or (not zh and len(phrase) >= 3):
                if views.has(phrase, zh):
                    return dim, str(value)
                continue
            for word, word_zh in words:  # short values ("A") only next to their dimension word
                if word_zh == zh and (
                    views.has(f"{word} {phrase}" if not zh else word + phrase, zh)
                    or views.has(f"{phrase} {word}" if not zh else phrase + word, zh)
                ):
                    return dim, str(value)
    return None


# ==================================================================================================
# Arguments and the decision
# ==================================================================================================


def _arguments(
    found: _Found, prefix_order: str | None, period: dict[str, str], customer: str | None
) -> dict[str, Any]:
    """Everything the question states, before fitting to one tool's Params."""
    args: dict[str, Any] = dict(period)
    if found.all_time:
        args.update(start=None, end=None)
    if found.group_by is not None:
        args["group_by"] = None if found.group_by == "customer" else found.group_by
    elif found.trend:
        args["group_by"] = V.TREND_DIMENSION
    order_by_metric = V.METRICS.keys()
    metrics = sorted(set(found.metrics), key=list(order_by_metric).index)
    if metrics:
        args["metric"] = metrics[0]
    elif found.loss:
        args["metric"] = "profit"
    elif found.metric_hints:
        args["metric"] = found.metric_hints[0]
    if found.loss or "bottom" in found.orders or prefix_order == "bottom":
        args["order"] = "bottom"
    elif "top" in found.orders or prefix_order == "top":
        args["order"] = "top"
    if found.n is not None:
        args["n"] = found.n
    if found.segments:
        args["segment"] = found.segments[0]
    if found.models:
        args["model"] = found.models[0]
    if found.risk_levels:
        args["risk_level"] = found.risk_levels[0]
    if customer is not None:
        args["customer"] = customer
        found.add_hint("customer")
    return args


def _literal_values(annotation: Any) -> set[Any] | None:
    """The values a Literal (or Optional Literal) field allows; None for other types."""
    origin = get_origin(annotation)
    if origin is Literal:
        return set(get_args(annotation))
    if origin is Union or (origin is not None and type(None) in get_args(annotation)):
        out: set[Any] = set()
        for arg in get_args(annotation):
            if arg is not type(None):
                values = _literal_values(arg)
                if values is None:
                    return None
                out |= values
        return out
    if type(annotation).__name__ == "UnionType":
        return _literal_values(Union[get_args(annotation)])  # noqa: UP007
    return None


def _accepts(params: type[BaseModel], key: str, value: Any) -> bool:
    fields = params.model_fields
    if key not in fields:
        return False
    if value is None:
        return True
    allowed = _literal_values(fields[key].annotation)
    return allowed is None or value in allowed


def _fit(tool: str, args: dict[str, Any]) -> dict[str, Any]:
    """Only the arguments ``tool`` takes, with allowed values, that validate; None values dropped."""
    params = TOOLS[tool].params
    args = dict(args)
    if "as_of" in args and "as_of" not in params.model_fields:
        args.setdefault("end", args.pop("as_of"))
    out = {k: v for k, v in args.items() if v is not None and _accepts(params, k, v)}
    for _ in range(len(out) + 1):
        try:
            params.model_validate(out)
            break
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            if not bad & out.keys():
                return {}
            out = {k: v for k, v in out.items() if k not in bad}
    return out


def _merge(previous: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Follow-up: the new arguments override; a new period replaces the old one entirely."""
    merged = dict(previous)
    if any(k in new for k in ("start", "end", "as_of")):
        for k in ("start", "end", "as_of"):
            merged.pop(k, None)
    for key, value in new.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _best(found: _Found) -> tuple[str | None, float]:
    if not found.scores:
        return None, 0.0
    order = list(V.TOOL_KEYWORDS)
    # Ties go to the unregistered tool: better the help text than a guess.
    tool = max(
        found.scores,
        key=lambda t: (found.scores[t], t not in TOOLS, -order.index(t) if t in order else 0),
    )
    return tool, found.scores[tool]


def _size(text: str) -> float:
    """Question length in words (a Chinese character counts as half a word)."""
    return len(re.findall(r"[a-z0-9]+", text)) + len(_CJK.findall(text)) / 2


def _decide(found: _Found, args: dict[str, Any], context: Context, language: Lang, size: float) -> Intent:
    """Follow-up, fresh tool call, or no tool.

    A question refines the previous call when it names no other tool, states something the previous
    tool takes, and reads as a follow-up: a marker ("and", "instead", "呢", "只看", "换成"), a short
    fragment ("by month", "2024"), or nothing else to go on. A full question that only names
    arguments ("top 10 customers by revenue") starts afresh.
    """
    best, score = _best(found)
    last = context.last_tool if context.last_tool in TOOLS else None
    same_tool = not found.strong or (found.strong == {last} and found.followup_marker)
    if last is not None and same_tool:
        reads_as_followup = found.followup_marker or size <= V.FOLLOWUP_MAX_WORDS or score < V.MIN_SCORE
        params = TOOLS[last].params
        if reads_as_followup and any(_accepts(params, k, v) for k, v in args.items()):
            merged = _merge(context.last_arguments, args)
            return Intent(last, _fit(last, merged), language, followup=True)
    if best is None or score < V.MIN_SCORE or best not in TOOLS:
        return Intent(None, {}, language)
    defaults = V.DEFAULT_ARGUMENTS.get(best, {})
    arguments = _fit(best, {**defaults, **args})
    for key, value in _fit(best, defaults).items():  # a value the tool does not allow falls back
        arguments.setdefault(key, value)
    return Intent(best, arguments, language)


# ==================================================================================================
# Corrections
# ==================================================================================================

_Q_OPEN, _Q_CLOSE = "'\"“‘「『`", "'\"”’」』`"
_QUOTED = rf"[{_Q_OPEN}](?P<q>[^{_Q_OPEN}{_Q_CLOSE}]{{1,80}})[{_Q_CLOSE}]"
_FILE = rf"(?P<f>[^\s{_Q_OPEN}{_Q_CLOSE}]+?(?:{_alternation(V.FILE_EXTENSIONS)}))(?![a-z0-9])"
_COLUMN_WORD = _alternation(V.COLUMN_WORDS + V.FILE_WORDS)
_ARTICLE = r"(?:(?:the|a|an)\s+)?"
_DST = r"(?P<dst>[^.?!。？！,，;；]+)"
_CORRECTIONS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # treat 'sales' as quantity / treat orders.csv as invoices / map the sales column to quantity
        rf"\b(?:{_alternation(V.CORRECTION_VERBS_EN)})\s+{_ARTICLE}(?:(?:{_COLUMN_WORD})\s+)?"
        rf"(?:{_QUOTED}|{_FILE}|(?P<w>[a-z_][\w-]*))(?:\s+(?:{_COLUMN_WORD}))?\s+"
        rf"(?:{_alternation(V.CORRECTION_AS_EN)})\s+{_ARTICLE}{_DST}",
        # 'sales' is the quantity column / orders.csv is an invoices file
        rf"(?:{_QUOTED}|{_FILE})(?:\s+(?:{_COLUMN_WORD}))?\s+(?:{_alternation(V.CORRECTION_IS_EN)})\s+"
        rf"{_ARTICLE}{_DST}",
        # the sales column is quantity
        rf"\b{_ARTICLE}(?P<w>[a-z_][\w-]*)\s+(?:{_alternation(V.COLUMN_WORDS)})\s+"
        rf"(?:{_alternation(V.CORRECTION_IS_EN)})\s+{_ARTICLE}{_DST}",
        # 把'sales'当作数量 / 把“销量”列当作数量 / 将 orders.csv 视为发票表 / 把销量列当作数量
        rf"(?:{_alternation(V.CORRECTION_LEADS_ZH)})\s*(?:{_QUOTED}|{_FILE}|(?P<w>[^\s{_Q_OPEN}{_Q_CLOSE}]+?))\s*"
        rf"(?:{_COLUMN_WORD})?\s*(?:{_alternation(V.CORRECTION_AS_ZH)})\s*{_DST}",
        # “金额”列是收入 / orders.csv 是发票
        rf"(?:{_QUOTED}|{_FILE})\s*(?:{_COLUMN_WORD})?\s*(?:{_alternation(V.CORRECTION_IS_ZH)})\s*{_DST}",
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
            phrase, zh = _phrase(w)
            for c in candidates:
                cp, _ = _phrase(c)
                if cp == phrase:
                    return canonical
                view = _Views.of(c.lower())
                if view.has(phrase, zh) and (best is None or len(phrase) > best[0]):
                    best = (len(phrase), canonical)
    return best[1] if best else None


def _parse_correction(text: str) -> Correction | None:
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
        is_file = source.lower().endswith(tuple(V.FILE_EXTENSIONS))
        if is_file:
            kind = _resolve(dst, V.TABLE_KINDS)
            if kind:
                return Correction(file=source, kind=kind)
            continue
        canonical = _resolve(dst, V.CANONICAL_COLUMNS)
        if canonical and _phrase(source)[0] != _phrase(canonical)[0]:
            return Correction(column=source, canonical=canonical)
    return None


# ==================================================================================================
# Deleting uploaded files
# ==================================================================================================

_REMOVE_EN = re.compile(rf"\b(?:{_alternation(V.REMOVE_VERBS_EN)})\b", re.IGNORECASE)
_REMOVE_ALL_EN = re.compile(rf"\b(?:{_alternation(V.REMOVE_ALL_EN)})\b", re.IGNORECASE)
_REMOVE_ZH = re.compile(_alternation(V.REMOVE_VERBS_ZH))
_REMOVE_ALL_ZH = re.compile(_alternation(V.REMOVE_ALL_ZH))
_NAMED_FILE = re.compile(
    rf"{_QUOTED}|(?P<f>[^\s{_Q_OPEN}{_Q_CLOSE},，、;；:：()（）]+?(?:{_alternation(V.FILE_EXTENSIONS)}))(?![a-z0-9])",
    re.IGNORECASE,
)
_ZH_PREFIX = re.compile(rf"^(?:{_alternation(V.REMOVE_VERBS_ZH + V.REMOVE_FILLERS_ZH)})+")
_REMOVE_NOISE_ZH = re.compile(_alternation(V.REMOVE_VERBS_ZH + V.REMOVE_FILLERS_ZH + V.REMOVE_ALL_ZH))
_REMOVE_NOISE_EN = frozenset(w for p in V.REMOVE_VERBS_EN + V.REMOVE_ALL_EN for w in p.split()) | frozenset(
    V.REMOVE_FILLERS_EN
)
_REMOVE_WORDS = re.compile(r"[a-z0-9']+|[\u3400-\u9fff]")


def parse_removal(question: str, files: Iterable[str] = ()) -> Removal | None:
    """A plain sentence deleting uploaded files: a deletion verb plus file names (the uploaded files'
    names found in it, else names that look like files) or an "all files" phrase, and little else
    (``V.REMOVE_MAX_OTHER_WORDS``), so a question that merely says "remove" deletes nothing.

    >>> parse_removal("delete the file orders.csv", ["orders.csv"])
    Removal(files=['orders.csv'], everything=False)
    >>> parse_removal("删除订单.csv这个文件", ["订单.csv", "customers.xlsx"])
    Removal(files=['订单.csv'], everything=False)
    >>> parse_removal("remove refunds from orders.csv and show the top customers", ["orders.csv"]) is None
    True
    """
    text = _normalise(question)
    if not (_REMOVE_EN.search(text) or _REMOVE_ZH.search(text)):
        return None
    rest = text.lower()
    named: list[str] = []
    for name in sorted({f for f in files if f}, key=len, reverse=True):  # longest first: a.csv in aa.csv
        key = _normalise(name).lower()
        if key and key in rest:
            named.append(name)
            rest = rest.replace(key, " ")
    for m in _NAMED_FILE.finditer(rest):
        candidate = _ZH_PREFIX.sub("", (m.group("q") or m.group("f") or "").strip()).strip()
        if candidate.endswith(tuple(V.FILE_EXTENSIONS)) and candidate not in named:
            named.append(candidate)
    everything = not named and bool(_REMOVE_ALL_EN.search(text) or _REMOVE_ALL_ZH.search(text))
    if not named and not everything:
        return None
    for name in named:
        rest = rest.replace(name.lower(), " ")
    rest = _REMOVE_NOISE_ZH.sub(" ", rest)
    others = [w for w in _REMOVE_WORDS.findall(rest) if w not in _REMOVE_NOISE_EN]
    if len(others) > V.REMOVE_MAX_OTHER_WORDS:
        return None
    return Removal(files=named, everything=everything)
