"""What a column's values look like, from a sample: the evidence behind content inference and the check
of a name-based mapping against the data (a 'date' column whose values are not dates, an id that is
money, a 'Name' holding order numbers such as '#1001').

>>> import pandas as pd
>>> p = profile(pd.Series(["2024-03-05", "2024/3/6", None, "2024-03-07"]))
>>> (p.n, round(p.date, 2), p.flag)
(3, 1.0, 0.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.ingest.values import is_text, to_bool, to_date, to_number
from tools.schemas import TEXT_DTYPE, column_type

SAMPLE_ROWS = 1000
_DATE_LIKE = re.compile(
    r"\d{1,4}\s*[-/.年]\s*\d{1,2}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2}[-/ ][A-Za-z]{3}"
)
_ID_LIKE = re.compile(r"^#?[A-Za-z]{0,4}[-_ ]?\d{3,}[-_A-Za-z0-9]*$|^[A-Za-z0-9]{2,}[-_][A-Za-z0-9-]{2,}$")
_LETTERS = re.compile(r"[^\W\d_]")
MONEY_COLUMNS = ("revenue", "amount", "spend", "cost", "profit", "paid_amount", "unit_price", "service_cost")
CATEGORY_COLUMNS = (
    "region", "segment", "channel", "store", "category", "industry", "acquisition_channel",
)  # fmt: skip


@dataclass(frozen=True)
class Profile:
    """Shares are over the non-missing sample values (``n``)."""

    n: int
    distinct: int
    filled: float  # non-missing share of the sample rows
    numeric: float
    integer: float  # whole numbers among the numbers
    ratio: float  # numbers within [-1, 1] (or written as percentages)
    date: float
    flag: float  # yes/no values, at most two of them
    letters: float  # values with letters in them
    id_like: float  # codes such as 'ME-17320', '#1001', '0001', '7590-VHVEG'
    year_like: float  # whole numbers 1900-2100
    sequence: float = 0.0  # consecutive whole numbers (a row number: 1, 2, 3 ...)

    @property
    def repeated(self) -> bool:
        return self.distinct < self.n

    @property
    def unique_share(self) -> float:
        return self.distinct / self.n if self.n else 0.0


EMPTY = Profile(0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
_MONEY_WORDS = re.compile(
    r"(?i)(?:^|[^a-z])(?:usd|eur|cny|rmb|gbp|jpy|amount|amt|value|total|price|paid|net|gross)(?:$|[^a-z])|金额|元|价"
)


def money_header(name: str) -> bool:
    """A header that speaks of money without being a synonym ('converted_usd', 'Net value')."""
    return bool(_MONEY_WORDS.search(name))


def profile(values: pd.Series) -> Profile:
    """The :class:`Profile` of (a sample of) one source column."""
    s = values.iloc[:SAMPLE_ROWS]
    rows = len(s)
    s = s.dropna()
    if is_text(s):
        s = s.astype(TEXT_DTYPE).str.strip()
        s = s[s != ""]
    n = len(s)
    if n == 0:
        return EMPTY
    distinct = int(s.nunique())
    if pd.api.types.is_datetime64_any_dtype(s):
        return Profile(n, distinct, n / rows, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)
    if pd.api.types.is_bool_dtype(s):
        return Profile(n, distinct, n / rows, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0)
    if pd.api.types.is_numeric_dtype(s):  # typed by pyarrow already: no text to look at
        return _numbers_profile(s.to_numpy(dtype=float), n, distinct, rows)
    number, bad = to_number(s)
    numbers = number[~bad].dropna().to_numpy(dtype=float)
    numeric = len(numbers) / n
    whole = np.abs(numbers - np.round(numbers)) < 1e-3 if len(numbers) else np.zeros(0, bool)
    integer = float(whole.mean()) if len(numbers) else 0.0
    text = s.astype(TEXT_DTYPE)
    percent = float(text.str.contains("%", regex=False).mean())
    ratio = max(float((np.abs(numbers) <= 1).mean()) if len(numbers) else 0.0, percent)
    year_like = float((whole & (numbers >= 1900) & (numbers <= 2100)).mean()) if len(numbers) else 0.0
    date = 0.0
    looks_dated = text.str.contains(_DATE_LIKE)
    if looks_dated.mean() >= 0.5:
        try:
            parsed, unreadable = to_date(text[looks_dated], "dmy")
            date = float((parsed.notna() & ~unreadable).sum()) / n
        except (ValueError, OverflowError):  # out-of-range 'dates' (pandas' OutOfBoundsDatetime)
            date = 0.0
    flags = 0.0
    if distinct <= 2:
        truth, unknown = to_bool(text)
        flags = float((truth.notna() & ~unknown).mean())
    letters = float(text.str.contains(_LETTERS).mean())
    id_like = float(text.str.match(_ID_LIKE).mean())
    steps = np.diff(numbers) if numeric == 1.0 and len(numbers) > 2 else np.zeros(0)
    sequence = float((steps == 1).mean()) if len(steps) else 0.0
    return Profile(
        n, distinct, n / rows, numeric, integer, ratio, date, flags, letters, id_like, year_like, sequence
    )


def _numbers_profile(numbers: np.ndarray, n: int, distinct: int, rows: int) -> Profile:
    """The profile of a column of numbers (no dates, letters or codes in it)."""
    whole = np.abs(numbers - np.round(numbers)) < 1e-3
    flag = 1.0 if distinct <= 2 and np.isin(numbers, (0.0, 1.0)).all() else 0.0
    steps = np.diff(numbers) if len(numbers) > 2 else np.zeros(0)
    return Profile(
        n,
        distinct,
        n / rows,
        1.0,
        float(whole.mean()),
        float((np.abs(numbers) <= 1).mean()),
        0.0,
        flag,
        0.0,
        0.0,
        float((whole & (numbers >= 1900) & (numbers <= 2100)).mean()),
        float((steps == 1).mean()) if len(steps) else 0.0,
    )


def fits(canonical: str, p: Profile) -> float:
    """How well values with profile ``p`` fit ``canonical`` (1: nothing against it; lower: the values
    argue against the name). An empty column has nothing against it."""
    if p.n == 0:
        return 1.0
    kind = column_type(canonical)
    if kind == "date":
        return 1.0 if p.date >= 0.8 else 0.6 if p.date >= 0.5 else 0.2
    if kind == "bool":
        return 1.0 if p.flag >= 0.95 else 0.3
    if kind == "number":
        base = 1.0 if p.numeric >= 0.9 else 0.7 if p.numeric >= 0.5 else 0.2
        if canonical in ("quantity", "days_late", "leads", "new_customers") and p.integer < 0.9:
            base *= 0.75
        if canonical == "margin" and p.ratio < 0.95:
            base *= 0.3  # not a ratio: a margin amount is a profit
        return base
    if kind == "id":
        if p.date >= 0.9 or (p.numeric >= 0.95 and p.integer < 0.5):
            return 0.3  # dates or money are not identifiers
        return 1.0
    if canonical == "name" and p.letters < 0.5:
        return 0.3  # '#1001' is an order number, not a name
    if canonical in CATEGORY_COLUMNS and p.n >= 20 and p.unique_share > 0.6:
        return 0.5  # nearly every value different: addresses or notes rather than a category
    return 1.0


def money_like(p: Profile) -> bool:
    """Amounts: numbers in most rows, not whole numbers only (or large), not years, not codes."""
    return (
        p.numeric >= 0.95
        and p.filled >= 0.5
        and p.year_like < 0.5
        and p.id_like < 0.5
        and (p.integer < 0.9 or p.distinct >= 10)
        and p.ratio < 0.9
        and p.sequence < 0.9
    )


def id_like(p: Profile, unique: bool) -> bool:
    """Identifiers: codes or whole numbers, not dates, many distinct values, repeated (``unique``: once
    each, as in a customer list)."""
    if p.n < 10 or p.date >= 0.5 or (p.numeric >= 0.95 and p.integer < 0.9) or p.year_like >= 0.5:
        return False
    if p.sequence >= 0.9:  # a row number
        return False
    if p.distinct < 5 or p.flag >= 0.95:
        return False
    return p.unique_share >= 0.98 if unique else (p.repeated and p.unique_share >= 0.02)


def categorical(p: Profile) -> bool:
    """A small set of repeated values (a channel, a campaign code, a segment)."""
    return p.n >= 10 and 2 <= p.distinct <= max(3, min(50, p.n // 5)) and p.date < 0.5 and p.flag < 0.95
