"""Numbers in words: Chinese numerals and English number words, and where a lone numeral counts."""

from __future__ import annotations

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

CN_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}

# A lone Chinese numeral becomes a number only next to these (so 看一下, 统一, 十分 stay words).
CN_NUMBER_BEFORE: list[str] = ["前", "后", "近", "第", "倒数", "过去", "最近", "头", "列出", "排名"]

CN_NUMBER_AFTER: list[str] = [
    "个",
    "名",
    "位",
    "家",
    "大",
    "户",
    "年",
    "月",
    "季",
    "周",
    "星期",
    "天",
    "日",
    "号",
    "条",
    "笔",
]

EN_NUMBERS: dict[str, int] = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}

# "one" is a number only before a unit ("one year"), never in "which one".
EN_ONE_BEFORE_UNITS: list[str] = ["day", "week", "month", "quarter", "year"]
