"""Arguments and the decision: the best tool, a follow-up of the previous call, or none; arguments kept
only where the tool's Params has that field and allows that value.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from agent.understand.lexicon import Found
from agent.understand.text import CJK
from agent.understand.types import Context, Intent
from agent.understand.vocabulary import QUESTION_DEFAULTS, TOOL_KEYWORDS
from core.text import Lang
from prompts import arguments as VA
from prompts import dimensions as VD
from tools.registry import TOOLS

# ==================================================================================================
# Arguments and the decision
# ==================================================================================================


def arguments(
    found: Found, prefix_order: str | None, period: dict[str, str], customer: str | None
) -> dict[str, Any]:
    """Everything the question states, before fitting to one tool's Params."""
    args: dict[str, Any] = dict(period)
    if found.all_time:
        args.update(start=None, end=None)
    if found.group_by is not None:
        args["group_by"] = None if found.group_by == "customer" else found.group_by
    elif found.trend:
        args["group_by"] = VD.TREND_DIMENSION
    order_by_metric = VA.METRICS.keys()
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


def _best(found: Found) -> tuple[str | None, float]:
    if not found.scores:
        return None, 0.0
    order = list(TOOL_KEYWORDS)
    # Ties go to the unregistered tool: better the help text than a guess.
    tool = max(
        found.scores,
        key=lambda t: (found.scores[t], t not in TOOLS, -order.index(t) if t in order else 0),
    )
    return tool, found.scores[tool]


def size(text: str) -> float:
    """Question length in words (a Chinese character counts as half a word)."""
    return len(re.findall(r"[a-z0-9]+", text)) + len(CJK.findall(text)) / 2


def decide_intent(found: Found, args: dict[str, Any], context: Context, language: Lang, size: float) -> Intent:
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
        reads_as_followup = found.followup_marker or size <= VA.FOLLOWUP_MAX_WORDS or score < VA.MIN_SCORE
        params = TOOLS[last].params
        if reads_as_followup and any(_accepts(params, k, v) for k, v in args.items()):
            merged = _merge(context.last_arguments, args)
            return Intent(last, _fit(last, merged), language, followup=True)
    if best is None or score < VA.MIN_SCORE or best not in TOOLS:
        return Intent(None, {}, language)
    defaults = QUESTION_DEFAULTS.get(best, {})
    arguments = _fit(best, {**defaults, **args})
    for key, value in _fit(best, defaults).items():  # a value the tool does not allow falls back
        arguments.setdefault(key, value)
    return Intent(best, arguments, language)
