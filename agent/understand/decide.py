"""Arguments and the decision: the best tool, a follow-up of the previous call, or none; arguments kept
only where the tool's Params has that field and allows that value.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from agent.understand.levels import Levels
from agent.understand.lexicon import Found
from agent.understand.text import CJK
from agent.understand.types import Context, Intent, NotApplied
from agent.understand.vocabulary import QUESTION_DEFAULTS, TOOL_KEYWORDS
from core.text import Lang, Msg
from prompts import arguments as VA
from prompts import dimensions as VD
from tools.filters import LEVEL_ATTRIBUTES
from tools.registry import TOOLS
from tools.wording import say

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
        args["rfm_segment"] = list(dict.fromkeys(found.segments))
    if found.models:
        args["model"] = found.models[0]
    if found.risk_levels:
        args["churn_risk_level"] = list(dict.fromkeys(found.risk_levels))
    if customer is not None:
        args["customer"] = customer
        found.add_hint("customer")
    return args


def add_levels_and_values(
    args: dict[str, Any],
    levels: Levels,
    values: list[tuple[str, str]],
    context: Context,
    found: Found,
) -> dict[str, list[str]] | None:
    """Put cohorts, horizon, grade, zone and the named attribute values into ``args`` (filters); return
    a comparison ({attribute: values}) when two or more values of one attribute are named."""
    by_dim: dict[str, list[str]] = {}
    for dim, value in values:
        by_dim.setdefault(dim, []).append(value)
    grades = levels.grades
    segments = {str(v).upper() for v in context.values.get("segment", set())}
    if grades and not levels.grade_explicit and set(grades) <= segments:
        grades = []  # "B级客户" with a segment called B is the segment
    if grades and levels.grade_explicit and set(by_dim.get("segment", [])) <= set(grades):
        by_dim.pop("segment", None)  # "grade B" is the credit grade, not segment B
    filters: dict[str, list[str]] = {}
    compare: dict[str, list[str]] | None = None
    for dim, named in by_dim.items():
        if len(named) >= 2 and compare is None:
            compare = {dim: named}
        else:
            filters[dim] = named  # a second attribute with several values keeps them all (any of them)
    if levels.cohorts:
        filters["cohort"] = list(dict.fromkeys(levels.cohorts))
    if filters:
        args["filters"] = filters
        found.add_hint("group_by")
    if compare:
        found.add_hint("group_by")
    if levels.horizon_days is not None:
        args["horizon_days"] = levels.horizon_days
        found.add_hint("horizon")
    if grades:
        args["credit_grade"] = grades
        found.add_hint("grade")
    if len(levels.zones) >= 2 and compare is None:  # "safe zone vs distress zone": one run per zone
        compare = {"altman_zone": levels.zones}
        found.add_hint("zone")
    elif levels.zone is not None:
        args["altman_zone"] = levels.zone
        found.add_hint("zone")
    return compare


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


def _title(tool: str) -> Msg:
    return TOOLS[tool].words.HELP[0]


def fit_stated(tool: str, stated: dict[str, Any]) -> tuple[dict[str, Any], list[NotApplied]]:
    """The stated arguments ``tool`` takes (validated), and what it does not take, with the reason.

    Cross-tool forms are translated first: ``horizon_days`` becomes the tool's own horizon (CLV in
    weeks, churn_risk's prediction_days, the planner's months); ``filters`` stay a dict of attribute ->
    values for tools with a ``filters`` argument.
    """
    params = TOOLS[tool].params
    fields = params.model_fields
    title = _title(tool)
    args = dict(stated)
    dropped: list[NotApplied] = []
    days = args.pop("horizon_days", None)
    if days is not None:
        if "horizon" in fields:  # in the stated time unit, else the tool's default (the week)
            unit_days = {"D": 1, "W": 7, "M": 365.25 / 12}[args.get("time_unit") or "W"]
            args["horizon"] = max(1, round(days / unit_days))
        elif "prediction_days" in fields:
            args["prediction_days"] = min(max(days, 30), 730)
        elif "horizon_months" in fields:
            args["horizon_months"] = max(1, round(days / 30))
        else:
            dropped.append(NotApplied("horizon", days, say(VA.NO_HORIZON, analysis=title)))
    elif "horizon_months" in fields and "start" not in fields and args.get("start") and args.get("end"):
        # a planner reads a stated period ("this quarter") as its horizon, in months
        span = date.fromisoformat(args.pop("end")) - date.fromisoformat(args.pop("start"))
        args.setdefault("horizon_months", max(1, round((span.days + 1) / 30)))
    for key, value in getattr(TOOLS[tool].words, "INHERENT", {}).items():
        if key not in fields and args.get(key) == value:  # "how concentrated is our profit?": it is profit
            args.pop(key)
    filters = dict(args.pop("filters", None) or {})
    own_levels = TOOLS[tool].levels or {}
    if tool == "churn_risk" and args.get("rfm_segment") == ["At risk"]:
        args.pop("rfm_segment")  # "customers at risk" in a churn question is the churn risk itself
    for attribute in LEVEL_ATTRIBUTES:
        if attribute not in args:
            continue
        values = args.pop(attribute)
        values = values if isinstance(values, list) else [values]
        if attribute in own_levels and len(values) == 1:  # the defining tool lists one with its own argument
            args[own_levels[attribute]] = values[0]
        else:
            filters[attribute] = values
    if filters and getattr(TOOLS[tool].words, "COHORT_AS_PERIOD", False) and filters.get("cohort"):
        years = sorted(filters.pop("cohort"))
        args.setdefault("start", f"{years[0]}-01-01")
        args.setdefault("end", f"{years[-1]}-12-31")
    if filters:
        if "filters" in fields:
            args["filters"] = filters
        else:
            dropped += [NotApplied(k, v, say(VA.NO_FILTERS, analysis=title)) for k, v in filters.items()]
    if "as_of" in fields and "start" not in fields and "end" in args:
        args.setdefault("as_of", args["end"])  # a point-in-time tool: the period's end is the reference date
        args.pop("start", None)
        args.pop("end", None)
    kept = _fit(tool, args)
    for key, value in args.items():
        if value is None or key in kept or (key == "as_of" and "end" in kept):
            continue
        if key == "n" and key in fields and isinstance(value, int) and value > 0:
            reason = VA.COUNT_CAPPED.format(cap=_max_count(fields["n"]), default=fields["n"].default)
        else:
            reason = say(VA.NOT_TAKEN if key not in fields else VA.VALUE_NOT_OFFERED, analysis=title, value=value)
        dropped.append(NotApplied(key, value, reason))
    return kept, dropped


def _max_count(field: Any) -> int:
    """The upper bound of a tool's ``n`` (its Field's ``le``)."""
    return next((int(m.le) for m in field.metadata if getattr(m, "le", None) is not None), 10_000)


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


def best_scored(found: Found) -> tuple[str | None, float]:
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


def decide_intent(
    found: Found,
    args: dict[str, Any],
    context: Context,
    language: Lang,
    size: float,
    compare: dict[str, list[str]] | None = None,
) -> Intent:
    """Follow-up, fresh tool call, or no tool.

    A question refines the previous call when it names no other tool, states something the previous
    tool takes, and reads as a follow-up: a marker ("and", "instead", "呢", "只看", "换成"), a short
    fragment ("by month", "2024"), or nothing else to go on. A full question that only names
    arguments ("top 10 customers by revenue") starts afresh.
    """
    best, score = best_scored(found)
    last = context.last_tool if context.last_tool in TOOLS else None
    same_tool = not found.strong or (found.strong == {last} and found.followup_marker)
    if last is not None and same_tool:
        reads_as_followup = found.followup_marker or size <= VA.FOLLOWUP_MAX_WORDS or score < VA.MIN_SCORE
        stated = dict(args)
        if reads_as_followup and (compare or _takes_any(last, stated)):
            merged = _merge(context.last_arguments, stated)
            kept, dropped = fit_stated(last, merged)
            intent = Intent(last, kept, language, followup=True, not_applied=dropped)
            return _with_comparison(intent, compare)
    if best is None or score < VA.MIN_SCORE or best not in TOOLS:
        return Intent(None, {}, language, confidence=0.0)
    return intent_for(best, args, compare, language)


def intent_for(tool: str, args: dict[str, Any], compare: dict[str, list[str]] | None, language: Lang) -> Intent:
    """The call of ``tool`` with the stated arguments it takes (its question defaults added) and what it
    does not take, with the reason."""
    defaults = dict(QUESTION_DEFAULTS.get(tool, {}))
    if "horizon_days" in args:
        defaults.pop("model", None)  # a stated horizon asks for a forecast: the tool's predictive default
    kept, dropped = fit_stated(tool, {**defaults, **args})
    for key, value in _fit(tool, defaults).items():  # a value the tool does not allow falls back
        kept.setdefault(key, value)
    dropped = [d for d in dropped if d.key not in defaults or d.key in args]
    return _with_comparison(Intent(tool, kept, language, not_applied=dropped), compare)


def _takes_any(tool: str, stated: dict[str, Any]) -> bool:
    """Whether ``tool`` takes anything the question states (after fit_stated's translations)."""
    fields = TOOLS[tool].params.model_fields
    if any(v is None and k in fields for k, v in stated.items()):  # "按客户呢": drops a setting
        return True
    kept, _ = fit_stated(tool, stated)
    return bool(kept)


def _with_comparison(intent: Intent, compare: dict[str, list[str]] | None) -> Intent:
    """A comparison becomes a group_by restricted to the named values where the tool can group by the
    attribute; else the engine runs the tool once per value (``intent.compare``)."""
    if not compare or intent.tool is None:
        return intent
    (dim, values), = compare.items()
    params = TOOLS[intent.tool].params
    if "filters" not in params.model_fields:
        title = _title(intent.tool)
        intent.not_applied.append(
            NotApplied(dim, values, say(VA.NO_COMPARISON, analysis=title, attribute=dim))
        )
        return intent
    filters = dict(intent.arguments.get("filters") or {})
    filters[dim] = values
    grouped = intent.arguments.get("group_by")
    if _accepts(params, "group_by", dim) and grouped in (None, dim):
        intent.arguments = {**intent.arguments, "filters": filters, "group_by": dim}
    else:  # one run per value, each keeping the grouping stated ("华东和华西的季度流失率": by quarter)
        intent.compare = {dim: values}
    return intent
