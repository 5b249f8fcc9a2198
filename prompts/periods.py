"""Words periods are built from (months, ordinals, relative and rolling periods, halves, fiscal years, open ends, ranges), English and Chinese. The patterns live in agent/understand/periods.py."""

from __future__ import annotations

MONTH_NAMES: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

# Month names that are also ordinary words: a period only after one of MONTH_LEADS or before a year.
AMBIGUOUS_MONTHS: list[str] = [
    "may",
    "mar",
    "jan",
    "dec",
    "sep",
    "oct",
    "jun",
    "jul",
    "aug",
    "apr",
    "nov",
    "feb",
]

MONTH_LEADS: list[str] = [
    "in",
    "since",
    "from",
    "during",
    "for",
    "until",
    "till",
    "through",
    "before",
    "after",
    "of",
    "between",
    "and",
    "to",
]

ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}

# Relative calendar periods: phrase -> (unit, offset from the unit containing the reference date).
# year and quarter follow the fiscal year (setting); offset 0 means "to date" (ends at the reference date).
RELATIVE_PERIODS: dict[str, tuple[str, int]] = {
    "this year": ("year", 0),
    "current year": ("year", 0),
    "year to date": ("year", 0),
    "ytd": ("year", 0),
    "last year": ("year", -1),
    "previous year": ("year", -1),
    "prior year": ("year", -1),
    "the year before last": ("year", -2),
    "this quarter": ("quarter", 0),
    "current quarter": ("quarter", 0),
    "quarter to date": ("quarter", 0),
    "last quarter": ("quarter", -1),
    "previous quarter": ("quarter", -1),
    "prior quarter": ("quarter", -1),
    "this month": ("month", 0),
    "current month": ("month", 0),
    "month to date": ("month", 0),
    "mtd": ("month", 0),
    "last month": ("month", -1),
    "previous month": ("month", -1),
    "prior month": ("month", -1),
    "this week": ("week", 0),
    "last week": ("week", -1),
    "previous week": ("week", -1),
    "今年以来": ("year", 0),
    "年初至今": ("year", 0),
    "今年": ("year", 0),
    "本年度": ("year", 0),
    "本年": ("year", 0),
    "去年": ("year", -1),
    "上一年": ("year", -1),
    "上年": ("year", -1),
    "前年": ("year", -2),
    "本季度": ("quarter", 0),
    "这个季度": ("quarter", 0),
    "这季度": ("quarter", 0),
    "本季": ("quarter", 0),
    "当季": ("quarter", 0),
    "上个季度": ("quarter", -1),
    "上一季度": ("quarter", -1),
    "上一个季度": ("quarter", -1),
    "上季度": ("quarter", -1),
    "上季": ("quarter", -1),
    "本月": ("month", 0),
    "这个月": ("month", 0),
    "当月": ("month", 0),
    "上个月": ("month", -1),
    "上一个月": ("month", -1),
    "上月": ("month", -1),
    "本周": ("week", 0),
    "这周": ("week", 0),
    "上周": ("week", -1),
    "上星期": ("week", -1),
    "上个星期": ("week", -1),
}

# Years named relative to the reference date, for "去年上半年", "今年第三季度", "去年3月".
RELATIVE_YEARS: dict[str, int] = {"今年": 0, "本年": 0, "去年": -1, "上一年": -1, "前年": -2}

# Rolling windows ending at the reference date: "last 3 months", "近三个月", "过去两年".
ROLLING_LEADS: list[str] = ["last", "past", "previous", "recent", "trailing", "the last", "the past"]

ROLLING_LEADS_ZH: list[str] = ["最近", "近", "过去", "过去的"]

UNITS: dict[str, str] = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "quarter": "quarter",
    "quarters": "quarter",
    "year": "year",
    "years": "year",
    "天": "day",
    "日": "day",
    "周": "week",
    "星期": "week",
    "个星期": "week",
    "个月": "month",
    "月": "month",
    "个季度": "quarter",
    "季度": "quarter",
    "年": "year",
}

# Rolling windows without a number.
ROLLING_PHRASES: dict[str, tuple[int, str]] = {
    "past year": (1, "year"),
    "ttm": (12, "month"),
    "past half year": (6, "month"),
    "last half year": (6, "month"),
    "近半年": (6, "month"),
    "最近半年": (6, "month"),
    "过去半年": (6, "month"),
    "半年来": (6, "month"),
    "近一年": (1, "year"),
    "最近一年": (1, "year"),
    "过去一年": (1, "year"),
}

HALVES: dict[str, int] = {"上半年": 1, "下半年": 2, "first half": 1, "second half": 2, "h1": 1, "h2": 2}

FISCAL_WORDS: list[str] = ["fiscal year", "fiscal", "fy", "财年", "财年度", "会计年度"]

# Words around a period that make it open-ended or a reference date.
# ("from" alone is not here: "revenue from last year" means in last year; "from X to Y" is a range.)
PERIOD_START_BEFORE: list[str] = ["since", "starting", "starting from", "after", "从", "自", "自从"]

PERIOD_START_AFTER: list[str] = ["以来", "开始", "起", "以后", "之后", "onward", "onwards"]

PERIOD_END_BEFORE: list[str] = ["until", "till", "through", "up to", "before", "直到", "到"]

PERIOD_END_AFTER: list[str] = ["为止", "之前", "以前", "前"]

PERIOD_EXCLUSIVE: list[str] = ["before", "after", "之前", "以前", "之后", "前"]

PERIOD_AS_OF: list[str] = ["as of", "as at", "截至", "截止", "截止到", "截至到"]

RANGE_CONNECTORS: list[str] = [
    "to",
    "until",
    "till",
    "through",
    "thru",
    "and",
    "-",
    "–",
    "—",
    "~",
    "至",
    "到",
    "和",
    "与",
]
