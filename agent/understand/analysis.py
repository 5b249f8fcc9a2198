"""Steps 2-7 of the question pipeline (agent/understand/__init__.py): what the rules read in a question:
customer, numbers, settings, levels, period, dimensions, phrases and named values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from agent.understand.customers import take_customer
from agent.understand.decide import add_levels_and_values, arguments, size
from agent.understand.levels import take_levels
from agent.understand.lexicon import Found, combos, named_values, scan, take_group_by
from agent.understand.numbers import PERCENT, digits, price_change, take_count
from agent.understand.periods import take_period
from agent.understand.settings import take_settings
from agent.understand.text import Views, asks_for_recommendations
from agent.understand.types import Context
from core.text import Lang
from prompts.customer_lifetime_value import CALIBRATION_WORDS


@dataclass
class Analysis:
    """What the rules read in a question: tool scores, stated arguments, a comparison, the text views."""

    found: Found
    args: dict[str, Any]
    compare: dict[str, list[str]] | None
    views: Views
    size: float


def analyse(question: str, text: str, context: Context, language: Lang) -> Analysis:
    """Steps 2-7 of the pipeline: customer, numbers, levels, period, dimensions, phrases, values."""
    s = text.lower()
    s, customer = take_customer(s, text, context.customers)
    s = digits(s)
    s, settings = take_settings(s)
    change = price_change(s)
    s = PERCENT.sub(" percentx ", s)
    s, levels = take_levels(s)
    ref = context.as_of or date.today()  # today only as a last resort: no data, no reference date
    s, period = take_period(s, ref, context.fiscal_year_start_month)
    views = Views.of(s)
    original = Views.of(s)
    found = Found()
    found.group_by = take_group_by(views, found)
    scan(views, found)
    combos(original, found)
    found.n, prefix_order = take_count(views, language)
    for tool, weight in settings.tools.items():
        found.add(tool, weight)
    args = arguments(found, prefix_order, period, customer)
    args.update(settings.values)
    if change is not None:
        args["price_change"] = change
    if "end" in period and any(w in text.lower() for w in CALIBRATION_WORDS):
        args["calibration_end"] = period["end"]  # "fit on data up to June 2025": the calibration end
        args.pop("start", None)
        args.pop("end", None)
    compare = add_levels_and_values(args, levels, named_values(original, context.values), context, found)
    found.advice = asks_for_recommendations(question)
    return Analysis(found, args, compare, original, size(text.lower()))


