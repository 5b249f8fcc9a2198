"""``python -m benchmarks.understanding [FILE ...] [--failures]``: how well the offline engine understands
questions written by people who never saw its vocabulary (issue 14 targets).

Each question set line (JSON) holds the expected tool (null = out of scope), the stated arguments in a
canonical form (``filters``, ``compare``, tool arguments by name) and optional ``also_ok`` tools. The
engine answers on the demo company (reference date 2025-12-31). Per language it reports:

- right tool: the tool matches (or is in also_ok), or the engine asked back offering it;
- arguments applied: labelled arguments the engine applies with the labelled value;
- silent drops: labelled arguments neither applied nor reported as not applied (target 0);
- out of scope without numbers: out-of-scope questions answered without running a tool;
- confident wrong: answered without asking, and the tool or an applied argument is wrong (target <= 2%);
- understanding time p95 (ms) for one question.

Blind sets (``tests/agent/*blind*.jsonl``) are reported once per round and never tuned on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = sorted((ROOT / "tests" / "agent").glob("external_dev*.jsonl"))
UNIT_DAYS = {"D": 1, "W": 7, "M": 30.4375}
# An engine argument that expresses a labelled filter: (tool, argument) -> filter attribute.
OWN_LEVELS = {"grade": "credit_grade", "zone": "altman_zone", "risk_level": "churn_risk_level"}


@dataclass
class Outcome:
    lang: str
    tool_ok: bool
    asked: bool
    out_of_scope_label: bool
    out_of_scope_ok: bool
    args_total: int = 0
    args_applied: int = 0
    args_reported: int = 0
    args_wrong: int = 0
    confident_wrong: bool = False
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _norm(values: Any) -> set[str]:
    items = values if isinstance(values, list) else [values]
    return {str(v).strip().casefold() for v in items}


def _effective(tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    from tools.registry import TOOLS

    if "findings" in arguments:  # names, as the engine passes them (the session fills in the rest)
        arguments = {**arguments, "findings": [{"name": f} if isinstance(f, str) else f for f in arguments["findings"]]}
    return TOOLS[tool].params.model_validate(arguments).model_dump(mode="json")


def _engine_filters(tool: str, effective: dict[str, Any]) -> dict[str, set[str]]:
    from tools.registry import TOOLS

    found: dict[str, set[str]] = {}
    for attribute, values in (effective.get("filters") or {}).items():
        if values:
            found[attribute] = _norm(values)
    for argument, attribute in (TOOLS[tool].levels or {}).items():
        column = attribute
        if effective.get(column) is not None:
            found[argument] = _norm(effective[column])
    if tool == "price_sensitivity":
        for key in ("segment", "product"):
            if effective.get(key):
                found[key] = _norm(effective[key])
    return found


def _score_argument(key: str, expected: Any, tool: str, effective: dict[str, Any], intent: Any) -> str:
    """'applied', 'wrong' (a different value applied) or 'missing'."""
    if key == "filters":
        raise AssertionError("filters are scored per attribute")
    if key in ("horizon", "time_unit"):
        return "applied"  # scored together by _score_horizon
    if key == "compare":
        ((dim, values),) = expected.items()
        filters = _engine_filters(tool, effective)
        if intent.compare and _norm(intent.compare.get(dim, [])) == _norm(values):
            return "applied"
        if effective.get("group_by") == dim and filters.get(dim) == _norm(values):
            return "applied"
        return "missing"
    if key == "findings":
        wanted = {f["name"] if isinstance(f, dict) else f for f in expected}
        got = {f["name"] if isinstance(f, dict) else f for f in effective.get("findings") or []}
        return "applied" if wanted <= got else "missing"
    if key == "freq" and effective.get("group_by") == expected:
        return "applied"  # churn_trend and cohort_retention: group_by month/quarter/year sets the period length
    if key not in effective:
        return "missing"
    got = effective[key]
    if isinstance(expected, float) or isinstance(got, float):
        try:
            return "applied" if abs(float(got) - float(expected)) <= 1e-6 + 1e-3 * abs(float(expected)) else "wrong"
        except (TypeError, ValueError):
            return "wrong"
    if isinstance(expected, list):
        return "applied" if _norm(got or []) == _norm(expected) else ("missing" if not got else "wrong")
    if got == expected or (isinstance(got, str) and isinstance(expected, str) and got.casefold() == expected.casefold()):
        return "applied"
    from tools.registry import TOOLS

    default = TOOLS[tool].params.model_fields[key].default if key in TOOLS[tool].params.model_fields else None
    return "missing" if got == default else "wrong"


def _score_horizon(expected: dict[str, Any], effective: dict[str, Any]) -> str:
    unit = expected.get("time_unit", effective.get("time_unit", "W"))
    want = float(expected["horizon"]) * UNIT_DAYS.get(unit, 7)
    got_unit = effective.get("time_unit") or "W"
    got = effective.get("horizon")
    if got is None:
        return "missing"
    return "applied" if abs(float(got) * UNIT_DAYS.get(got_unit, 7) - want) <= 0.1 * want else "wrong"


def evaluate(row: dict[str, Any], context: Any) -> Outcome:
    from agent.understand import parse

    start = time.perf_counter()
    intent = parse(row["q"], context)
    seconds = time.perf_counter() - start
    label = row["tool"]
    ok_tools = {label, *row.get("also_ok", [])}
    asked = intent.clarify is not None
    offered = {o.tool for o in intent.clarify.options} if asked else set()
    oos_label = label is None
    out = Outcome(row["lang"], False, asked, oos_label, False, seconds=seconds)
    if oos_label:
        out.tool_ok = intent.tool is None and (intent.out_of_scope or not asked)
        out.out_of_scope_ok = intent.tool is None
        out.confident_wrong = intent.tool is not None and not asked
        if not out.tool_ok:
            out.problems.append(f"expected out of scope, got {intent.tool}")
        return out
    out.tool_ok = intent.tool in ok_tools or bool(offered & ok_tools)
    if not out.tool_ok:
        out.problems.append(f"tool {intent.tool} (asked {sorted(t for t in offered if t)}) != {label}")
    chosen = intent.tool if intent.tool in ok_tools else None
    if chosen is None and asked:
        chosen = next((o.tool for o in intent.clarify.options if o.tool in ok_tools), None)
    arguments = intent.arguments
    if asked and chosen is not None:
        arguments = next(o.arguments for o in intent.clarify.options if o.tool == chosen)
    effective = _effective(chosen, arguments) if chosen else {}
    engine_filters = _engine_filters(chosen, effective) if chosen else {}
    reported = {n.key for n in intent.not_applied} | {
        a for n in intent.not_applied if n.key == "filters" for a in (n.value or {})
    }
    checks: list[tuple[str, str]] = []
    for key, expected in row.get("args", {}).items():
        if key == "filters":
            for attribute, values in expected.items():
                if attribute == "loss_making":
                    continue
                if chosen is None:
                    checks.append((f"filters.{attribute}", "missing"))
                elif attribute in engine_filters:
                    checks.append((f"filters.{attribute}", "applied" if engine_filters[attribute] >= _norm(values) else "wrong"))
                else:
                    checks.append((f"filters.{attribute}", "reported" if attribute in reported else "missing"))
            continue
        if key == "time_unit":
            continue
        if chosen is None:
            checks.append((key, "missing"))
            continue
        status = _score_horizon(row["args"], effective) if key == "horizon" else _score_argument(
            key, expected, chosen, effective, intent
        )
        if status == "missing" and key in reported:
            status = "reported"
        checks.append((key, status))
    for key, status in checks:
        out.args_total += 1
        out.args_applied += status == "applied"
        out.args_reported += status == "reported"
        out.args_wrong += status == "wrong"
        if status != "applied":
            out.problems.append(f"{key}: {status}")
    out.confident_wrong = not asked and intent.tool is not None and (not out.tool_ok or out.args_wrong > 0)
    return out


def demo_context() -> Any:
    """The demo company's context, with the two customers the question writers were told about."""
    from agent.session import Session

    context = Session(demo=True).context()
    context.customers = {**context.customers, "acme trading": "C00012", "上海星辰贸易有限公司": "C00031"}
    return context


def _cross_validated(rows: list[dict[str, Any]], context: Any, folds: int) -> list[tuple[dict, Outcome]]:
    """Each fold answered by an intent model trained without the fold's questions."""
    from agent.understand import classifier
    from tools.registry import TOOLS

    pairs = [(q, c) for q, c in classifier.examples() if c in TOOLS or c == classifier.OUT_OF_SCOPE]
    original = classifier.trained
    out = []
    try:
        for k in range(folds):
            fold = rows[k::folds]
            held = {r["q"] for r in fold}
            model = classifier.train([(q, c) for q, c in pairs if q not in held])
            classifier.trained = lambda model=model: model  # type: ignore[assignment]
            out += [(row, evaluate(row, context)) for row in fold]
    finally:
        classifier.trained = original  # type: ignore[assignment]
    return out


def report(files: list[Path], show_failures: bool = False, folds: int = 0) -> dict[str, dict[str, float]]:
    context = demo_context()
    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    if folds:
        outcomes = _cross_validated(rows, context, folds)
    else:
        outcomes = [(row, evaluate(row, context)) for row in rows]
    by_lang: dict[str, list[Outcome]] = defaultdict(list)
    for row, o in outcomes:
        by_lang[o.lang].append(o)
        by_lang["all"].append(o)
        if show_failures and o.problems:
            print(f"  {row['id']} {row['q']!r}: {'; '.join(o.problems)}")
    table: dict[str, dict[str, float]] = {}
    for lang, items in sorted(by_lang.items()):
        in_scope = [o for o in items if not o.out_of_scope_label]
        oos = [o for o in items if o.out_of_scope_label]
        args_total = sum(o.args_total for o in in_scope)
        times = sorted(o.seconds for o in items)
        table[lang] = {
            "questions": len(items),
            "right_tool": sum(o.tool_ok for o in items) / len(items),
            "args_applied": sum(o.args_applied for o in in_scope) / args_total if args_total else 1.0,
            "silent_drops": sum(o.args_total - o.args_applied - o.args_reported - o.args_wrong for o in in_scope),
            "out_of_scope_without_numbers": sum(o.out_of_scope_ok for o in oos) / len(oos) if oos else 1.0,
            "confident_wrong": sum(o.confident_wrong for o in items) / len(items),
            "asked_back": sum(o.asked for o in items) / len(items),
            "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
            "median_ms": 1000 * statistics.median(times),
        }
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--failures", action="store_true", help="print every question with a problem")
    parser.add_argument("--cv", type=int, default=0, help="k-fold: the intent model never sees the questions it answers")
    args = parser.parse_args(argv)
    table = report(args.files or DEFAULT_FILES, args.failures, args.cv)
    keys = ["questions", "right_tool", "args_applied", "silent_drops", "out_of_scope_without_numbers",
            "confident_wrong", "asked_back", "p95_ms"]  # fmt: skip
    print("lang  " + "  ".join(f"{k:>12}" for k in keys))
    for lang, row in table.items():
        cells = [f"{row[k]:>12.1%}" if isinstance(row[k], float) and k not in ("p95_ms",) else f"{row[k]:>12.1f}" if k == "p95_ms" else f"{row[k]:>12}" for k in keys]
        print(f"{lang:<5} " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
