"""The line every answer starts with: the analysis and each argument it applied, in words and in the
question's language, then every part of the question that was recognised but not applied, with the
reason ("Understood: Customer profitability · top 5 by profit · region = 华东 · 2024-01-01 to
2024-12-31 · not applied: horizon 730 (…)"). The CLI JSON carries the same line (``understood``) and
the parts not applied (``not_applied``).

What a call applied is read from the call as it ran (validated arguments, the filters' Scope), so the
line cannot claim more than was computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from agent.answer import ToolRun
from agent.understand.types import NotApplied
from core.text import Lang, Msg
from prompts import understood as W
from prompts.columns import column_label
from prompts.findings import label as finding_label
from tools.registry import TOOLS

# Arguments with their own words in the line (the rest are settings, "name = value")
_RANKING = ("n", "order", "metric")
_PERIOD = ("start", "end", "as_of")
_NOT_SHOWN = frozenset({"question", "filters", "group_by", "customer", *_RANKING, *_PERIOD})


def title(tool: str) -> Msg:
    """The analysis' name (its help title)."""
    return TOOLS[tool].words.HELP[0]


def line(
    runs: Iterable[ToolRun],
    not_applied: Iterable[NotApplied],
    lang: Lang,
    *,
    stated: Mapping[str, Any] | None = None,
    compare: Mapping[str, list[str]] | None = None,
    heading: Msg | None = None,
    unsure: bool = False,
) -> str:
    """"Understood: <analysis · argument · …>[ · not applied: …]" for the calls that answered.

    ``stated`` are the arguments the question stated (shown even where they equal the tool's default,
    e.g. "top 10"); ``heading`` replaces the analyses when nothing ran (out of scope, asking back);
    ``unsure`` states the doubt (the engine answered below its confidence threshold).
    """
    parts: list[str] = []
    calls = list(runs)
    if heading is not None:
        parts.append(heading.get(lang))
    seen: set[tuple[str, str]] = set()
    for run in calls:
        described = W.SEPARATOR.get(lang).join(describe(run, lang, stated=stated, compare=compare))
        if (run.tool, described) not in seen:  # a comparison runs one tool once per value
            seen.add((run.tool, described))
            parts.append(described)
    if not parts:
        parts.append(W.NOTHING.get(lang))
    items = not_applied_parts(not_applied, calls, lang)
    if items:
        parts.append(W.NOT_APPLIED.get(lang).format(items=W.VALUES_JOIN.get(lang).join(items)))
    template = W.UNDERSTOOD_UNSURE if unsure else W.UNDERSTOOD
    return template.get(lang).format(parts=W.SEPARATOR.get(lang).join(parts))


def describe(
    run: ToolRun,
    lang: Lang,
    *,
    stated: Mapping[str, Any] | None = None,
    compare: Mapping[str, list[str]] | None = None,
) -> list[str]:
    """The analysis and its applied arguments in words (filters as the Scope applied them)."""
    spec = TOOLS[run.tool]
    args = dict(run.arguments)
    if stated:  # stated values that validated to the default ("top 10")
        for key in _RANKING:
            if key in stated and key not in args and key in spec.params.model_fields:
                args[key] = spec.params.model_fields[key].default
    out = [title(run.tool).get(lang)]
    ranking = _ranking(run.tool, args, lang)
    if ranking:
        out.append(ranking)
    applied = run.scope.applied if run.scope is not None else dict(args.get("filters") or {})
    group_by = args.get("group_by")
    if group_by and len(applied.get(group_by) or []) >= 2:  # "North vs South" as a split by region
        compare = {**(compare or {}), group_by: list(applied[group_by])}
    elif group_by:
        out.append(W.GROUP_BY.get(lang).format(dimension=_attribute(str(group_by), lang)))
    if args.get("customer"):
        out.append(W.CUSTOMER.get(lang).format(customer=args["customer"]))
    period = _period(args, lang)
    if period:
        out.append(period)
    out += _filters(applied, lang, compare)
    for key, value in args.items():
        if key in _NOT_SHOWN or value is None:
            continue
        out.append(W.SETTING.get(lang).format(name=_setting_name(key, lang), value=_value(run.tool, key, value, lang)))
    return out


def _ranking(tool: str, args: Mapping[str, Any], lang: Lang) -> str:
    words = []
    n, order = args.get("n"), args.get("order")
    if n is not None or order is not None:
        count = n if n is not None else TOOLS[tool].params.model_fields["n"].default
        words.append((W.BOTTOM if order == "bottom" else W.TOP).get(lang).format(n=count))
    if args.get("metric"):
        label = column_label(str(args["metric"]), TOOLS[tool].words)
        words.append(W.BY_METRIC.get(lang).format(metric=label.get(lang) if label else args["metric"]))
    return " ".join(words)


def _period(args: Mapping[str, Any], lang: Lang) -> str:
    start, end = args.get("start"), args.get("end")
    if start and end:
        return W.PERIOD.get(lang).format(start=start, end=end)
    if start:
        return W.SINCE.get(lang).format(start=start)
    if end:
        return W.UNTIL.get(lang).format(end=end)
    if args.get("as_of"):
        return W.AS_OF.get(lang).format(as_of=args["as_of"])
    return ""


def _filters(applied: Mapping[str, Any], lang: Lang, compare: Mapping[str, list[str]] | None) -> list[str]:
    """Filters as applied (the Scope; as asked when the tool did not get to apply them), then the
    comparison."""
    out = []
    for attribute, values in applied.items():
        if compare and attribute in compare:
            continue
        if values is True:
            out.append(_attribute(attribute, lang))
            continue
        shown = W.VALUES_JOIN.get(lang).join(str(v) for v in (values if isinstance(values, list) else [values]))
        out.append(W.FILTER.get(lang).format(attribute=_attribute(attribute, lang), values=shown))
    for attribute, values in (compare or {}).items():
        shown = W.VERSUS.get(lang).join(str(v) for v in values)
        out.append(W.COMPARE.get(lang).format(attribute=_attribute(attribute, lang), values=shown))
    return out


def not_applied_parts(items: Iterable[NotApplied], runs: Iterable[ToolRun], lang: Lang) -> list[str]:
    """Each part not applied as "part (reason)": the understanding's, then the filters the data could
    not apply (Scope.not_applied), each named once."""
    out: list[str] = []
    for item in all_not_applied(items, runs):
        part = _part(item, lang)
        text = W.NOT_APPLIED_ITEM.get(lang).format(part=part, reason=item.reason.get(lang))
        if text not in out:
            out.append(text)
    return out


def all_not_applied(items: Iterable[NotApplied], runs: Iterable[ToolRun]) -> list[NotApplied]:
    found = list(items)
    for run in runs:
        if run.scope is None:
            continue
        asked = dict(run.arguments.get("filters") or {})
        found += [NotApplied(a, asked.get(a), reason) for a, reason in run.scope.not_applied.items()]
    return found


def not_applied_json(items: Iterable[NotApplied], runs: Iterable[ToolRun], lang: Lang) -> list[dict[str, Any]]:
    """The CLI's ``not_applied``: [{"part", "value", "reason"}] (part: the argument or filter name)."""
    out: list[dict[str, Any]] = []
    for item in all_not_applied(items, runs):
        entry = {"part": item.key, "value": _json(item.value), "reason": item.reason.get(lang)}
        if entry not in out:
            out.append(entry)
    return out


def _part(item: NotApplied, lang: Lang) -> str:
    name = _attribute(item.key, lang) if item.key in W.ATTRIBUTE_NAMES else _setting_name(item.key, lang)
    if item.value is None or item.value is True:
        return name
    values = item.value if isinstance(item.value, list) else [item.value]
    return W.FILTER.get(lang).format(attribute=name, values=W.VALUES_JOIN.get(lang).join(str(v) for v in values))


def _attribute(name: str, lang: Lang) -> str:
    label = W.ATTRIBUTE_NAMES.get(name) or column_label(name)
    return label.get(lang) if label else name


def _setting_name(key: str, lang: Lang) -> str:
    label = W.SETTING_NAMES.get(key) or W.ATTRIBUTE_NAMES.get(key) or column_label(key)
    return label.get(lang) if label else key


def _value(tool: str, key: str, value: Any, lang: Lang) -> str:
    if key == "findings":
        return W.VALUES_JOIN.get(lang).join(finding_label(str(v)).get(lang) for v in value)
    if key in W.PERCENT_SETTINGS and isinstance(value, int | float):
        return f"{value:+.0%}" if key == "price_change" else f"{value:.0%}"
    words = TOOLS[tool].words
    phrases = (getattr(words, "SETTING_WORDS", {}).get(key) or getattr(words, "VALUE_WORDS", {}).get(key) or {}).get(str(value))
    if phrases:
        wanted = [p for p in phrases if _is_zh(p) == (lang == "zh")]
        return (wanted or phrases)[0]
    if isinstance(value, list):
        return W.VALUES_JOIN.get(lang).join(_value(tool, key, v, lang) for v in value)
    if isinstance(value, dict):  # role_hours: {"account_manager": 80}
        return W.VALUES_JOIN.get(lang).join(f"{_value(tool, key, k, lang)} {_value(tool, key, v, lang)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _is_zh(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _json(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return [_json(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
