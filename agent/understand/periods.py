"""Periods in questions resolved to ISO dates against the reference date (the latest event date), the
fiscal year start respected: named months, quarters, halves and years, relative and rolling periods,
open ends and ranges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from agent.understand.text import alternation, ends_with_word, has_cjk, word_char
from prompts import periods as VP

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
        body = re.escape(p) + ("s?" if plural and not has_cjk(p) else "")
        parts.append(body if has_cjk(p) else rf"\b{body}\b")
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

    MONTHS = alternation(VP.MONTH_NAMES)
    ORD = alternation(VP.ORDINALS)
    RELY = alternation(VP.RELATIVE_YEARS)
    FY = alternation(w for w in VP.FISCAL_WORDS if not has_cjk(w))
    FY_ZH = alternation(w for w in VP.FISCAL_WORDS if has_cjk(w))
    LEADS = alternation(VP.ROLLING_LEADS)
    LEADS_ZH = alternation(VP.ROLLING_LEADS_ZH)
    UNITS_EN = alternation(u for u in VP.UNITS if not has_cjk(u))
    UNITS_ZH = alternation(u for u in VP.UNITS if has_cjk(u))
    D, ND = r"(?<!\d)", r"(?!\d)"
    HALF_WORDS = alternation(k for k in VP.HALVES if not k.startswith("h"))
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
            (_word_pattern(VP.ROLLING_PHRASES, plural=True), "_rolling_phrase"),
            (_word_pattern(VP.RELATIVE_PERIODS), "_relative"),
            (rf"{D}((?:19|20)\d{{2}})\s*(?:年度|年)?{ND}", "_year"),
            (r"(?:第\s*)?([1-4])\s*季度", "_quarter_only"),
            (r"\bq([1-4])\b", "_quarter_only"),
            (rf"\b({ORD})\s+quarter\b", "_quarter_only"),
            (_word_pattern(VP.HALVES), "_half_only"),
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
        d = date(int(m.group(3)), VP.MONTH_NAMES[m.group(1)], int(m.group(2)))
        return d, d

    def _dmy(self, m: re.Match[str]) -> tuple[date, date]:
        d = date(int(m.group(3)), VP.MONTH_NAMES[m.group(2)], int(m.group(1)))
        return d, d

    def _month_range(self, m: re.Match[str]) -> tuple[date, date]:
        year, first, last = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _month(year, first)[0], _month(year + (last < first), last)[1]

    def _rel_year(self, word: str) -> int:
        return self.ref.year + VP.RELATIVE_YEARS[word]

    def _rel_half(self, m: re.Match[str]) -> tuple[date, date]:
        return self.half(self._rel_year(m.group(1)), VP.HALVES[m.group(2) + "半年"])

    def _rel_quarter(self, m: re.Match[str]) -> tuple[date, date]:
        return self.quarter(self._rel_year(m.group(1)), int(m.group(2)))

    def _rel_month(self, m: re.Match[str]) -> tuple[date, date]:
        return _month(self._rel_year(m.group(1)), int(m.group(2)))

    def _ym(self, m: re.Match[str]) -> tuple[date, date]:
        return _month(int(m.group(1)), int(m.group(2)))

    def _my(self, m: re.Match[str]) -> tuple[date, date]:
        return _month(int(m.group(2)), VP.MONTH_NAMES[m.group(1)])

    def _ym_name(self, m: re.Match[str]) -> tuple[date, date]:
        return _month(int(m.group(1)), VP.MONTH_NAMES[m.group(2)])

    def _yq(self, m: re.Match[str]) -> tuple[date, date]:
        return self.quarter(int(m.group(1)), int(m.group(2)))

    def _qy(self, m: re.Match[str]) -> tuple[date, date]:
        q = m.group(1)
        return self.quarter(int(m.group(2)), int(q) if q.isdigit() else VP.ORDINALS[q])

    def _yh(self, m: re.Match[str]) -> tuple[date, date]:
        h = m.group(2)
        return self.half(int(m.group(1)), int(h) if h.isdigit() else VP.HALVES[h + "半年"])

    def _hy(self, m: re.Match[str]) -> tuple[date, date]:
        h = m.group(1)
        return self.half(int(m.group(2)), int(h) if h.isdigit() else VP.HALVES[h])

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
        return self._window(number, VP.UNITS[m.group(2)]) if number > 0 else None

    def _rolling_phrase(self, m: re.Match[str]) -> tuple[date, date]:
        return self._window(*_lookup(VP.ROLLING_PHRASES, m.group(0)))

    def _relative(self, m: re.Match[str]) -> tuple[date, date]:
        unit, offset = _lookup(VP.RELATIVE_PERIODS, m.group(0))
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
        return self._yearless("quarter", int(q) if q.isdigit() else VP.ORDINALS[q])

    def _half_only(self, m: re.Match[str]) -> _Expr:
        return self._yearless("half", _lookup(VP.HALVES, m.group(0)))

    def _month_only(self, m: re.Match[str]) -> _Expr | None:
        month = int(m.group(1))
        return self._yearless("month", month) if 1 <= month <= 12 else None

    def _month_name_only(self, m: re.Match[str]) -> _Expr | None:
        word, before = m.group(1), m.string[: m.start()].split()
        if word in VP.AMBIGUOUS_MONTHS and not (before and before[-1] in VP.MONTH_LEADS):
            return None  # "may" the verb, "mar" the word
        return self._yearless("month", VP.MONTH_NAMES[word])

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




def _starts_with_word(text: str, words: Iterable[str]) -> str | None:
    text = text.lstrip()
    for w in sorted(words, key=len, reverse=True):
        rest = text[len(w) :]
        if text.startswith(w) and not rest[:1].isdigit() and (has_cjk(w) or not word_char(rest[:1])):
            return w
    return None


def take_period(s: str, ref: date, fy_month: int) -> tuple[str, dict[str, str]]:
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
        if gap in VP.RANGE_CONNECTORS:
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
        if ends_with_word(before, VP.PERIOD_AS_OF):
            return blanked, {"as_of": end.isoformat()}
        lead = ends_with_word(before, VP.PERIOD_START_BEFORE)
        trail = _starts_with_word(after, VP.PERIOD_START_AFTER)
        if lead or trail:
            exclusive = (lead or trail) in VP.PERIOD_EXCLUSIVE
            return blanked, {"start": (end + timedelta(days=1) if exclusive else start).isoformat()}
        lead = ends_with_word(before, VP.PERIOD_END_BEFORE)
        trail = _starts_with_word(after, VP.PERIOD_END_AFTER)
        if lead or trail:
            exclusive = (lead or trail) in VP.PERIOD_EXCLUSIVE
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
