"""Offline question engine (English and Chinese): a question -> one registered tool and typed arguments.

Pipeline (all vocabulary is data in prompts/; each tool's words come with its declaration; no regex is ever
built from user text):

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
{'start': '2025-07-01', 'end': '2025-09-30', 'group_by': 'region', 'metric': 'revenu
"""

from __future__ import annotations

from datetime import date

from agent.understand.corrections import parse_correction
from agent.understand.customers import take_customer
from agent.understand.decide import arguments, decide_intent, size
from agent.understand.lexicon import Found, combos, scan, take_group_by, value_dimension
from agent.understand.numbers import PERCENT, cn_number, digits, price_change, take_count
from agent.understand.periods import take_period
from agent.understand.removal import parse_removal
from agent.understand.text import (
    Views,
    asks_for_recommendations,
    detect_language,
    findings_named,
    mentions,
    normalise,
)
from agent.understand.types import Context, Correction, Intent, Removal

__all__ = ["Context", "Correction", "Intent", "Removal", "asks_for_recommendations", "cn_number", "detect_language", "findings_named", "mentions", "parse", "parse_removal"]


def parse(question: str, context: Context) -> Intent:
    """Map a question to a registered tool and its arguments (JSON-ready), or to no tool."""
    language = detect_language(question)
    text = normalise(question)
    correction = parse_correction(text)
    if correction is not None:
        return Intent(None, {}, language, correction=correction)
    removal = parse_removal(question, context.files)
    if removal is not None:
        return Intent(None, {}, language, removal=removal)

    s = text.lower()
    s, customer = take_customer(s, text, context.customers)
    s = digits(s)
    change = price_change(s)
    s = PERCENT.sub(" percentx ", s)
    ref = context.as_of or date.today()  # today only as a last resort: no data, no reference date
    s, period = take_period(s, ref, context.fiscal_year_start_month)
    views = Views.of(s)
    original = Views.of(s)
    found = Found()
    found.group_by = take_group_by(views, found)
    scan(views, found)
    combos(original, found)
    found.n, prefix_order = take_count(views, language)
    args = arguments(found, prefix_order, period, customer)
    if change is not None:
        args["price_change"] = change
    if "group_by" not in args:
        named = value_dimension(original, context.values, args)
        if named is not None:
            dim, value = named
            args["group_by"] = dim
            args.setdefault(dim, value)  # kept only by tools that filter on it ("segment B" in pricing)
            found.add_hint("group_by")
    return decide_intent(found, args, context, language, size(text.lower()))
