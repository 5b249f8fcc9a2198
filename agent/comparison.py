"""The answer to a comparison the tool cannot group by ("compare churn risk in North vs South",
"华东和华南的客户终身价值"): the tool ran once per named value (agent/engine.py); this puts their
headline facts side by side, one row per value, with a bar chart of the first of them. Nothing is
computed here: every number is a fact of one of the runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from agent import compose
from agent.answer import Answer, ToolRun
from core.text import Lang, Msg
from prompts import understood as W
from prompts.columns import column_label
from tools.charts import bar_chart
from tools.registry import TOOLS
from tools.results import Method, Table, ToolResult

if TYPE_CHECKING:
    from agent.session import Session

MAX_FACTS = 8
CUSTOMERS = "customers"


def numeric_facts(result: ToolResult) -> dict[str, float]:
    return {
        k: float(v) for k, v in result.facts.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }


def combine(runs: list[ToolRun], attribute: str, values: list[str]) -> ToolResult | None:
    """One result: a table with a row per value (the attribute, customers kept, the facts every
    successful run has, in the first run's order), the runs' summaries, and their findings."""
    done = [(v, r) for v, r in zip(values, runs, strict=True) if r.result is not None]
    if not done:
        return None
    first = done[0][1].result
    assert first is not None
    shared = [k for k in numeric_facts(first) if all(k in numeric_facts(r.result) for _, r in done)][:MAX_FACTS]
    rows = []
    for value, run in done:
        facts = numeric_facts(run.result)
        row: dict[str, object] = {attribute: value}
        if run.scope is not None and run.scope.customers is not None:
            row[CUSTOMERS] = run.scope.customers
        row.update({k: facts[k] for k in shared})
        rows.append(row)
    frame = pd.DataFrame(rows)
    if CUSTOMERS in frame.columns:
        frame[CUSTOMERS] = frame[CUSTOMERS].astype("Int64")
    words = TOOLS[first.tool].words
    summary = Msg(
        "\n".join(f"- **{v}**: {r.result.summary.en}" for v, r in done),
        "\n".join(f"- **{v}**：{r.result.summary.zh}" for v, r in done),
    )
    charts = []
    if shared:
        label = column_label(shared[0], words) or Msg(shared[0], shared[0])
        name = W.ATTRIBUTE_NAMES.get(attribute) or Msg(attribute, attribute)
        title = Msg(f"{label.en} by {name.en}", f"按{name.zh}的{label.zh}")
        charts.append(bar_chart([str(v) for v, _ in done], frame[shared[0]], title))
    findings = list({f.name: f for _, r in done for f in r.result.findings}.values())
    method = Method(
        first.method.formula,
        {**first.method.parameters, "compare": {attribute: [v for v, _ in done]}},
        first.method.assumptions,
        first.method.as_of,
        sum(r.result.method.rows_used for _, r in done),
    )
    warnings = [w for _, r in done for w in r.result.warnings]
    return ToolResult(first.tool, summary, {}, [Table("comparison", frame)], charts, method, findings, warnings)


def comparison_answer(
    question: str,
    lang: Lang,
    session: Session,
    runs: list[ToolRun],
    attribute: str,
    values: list[str],
    warnings: list[Msg] | None = None,
) -> Answer:
    """The side-by-side answer; a value whose run failed is named with its error."""
    combined = combine(runs, attribute, values)
    failed = [(v, r) for v, r in zip(values, runs, strict=True) if r.result is None]
    if combined is None:
        return compose.tool_answer(question, lang, session, runs[-1], warnings)
    shown = ToolRun(combined.tool, {**runs[0].arguments, "compare": {attribute: values}}, combined)
    answer = compose.tool_answer(question, lang, session, shown, warnings)
    for value, run in failed:
        error = run.error.message(lang) if run.error else run.internal_error or ""
        answer.markdown += f"\n\n- ⚠️ **{value}**: {error}"
        answer.warnings.append(f"{value}: {error}")
    answer.runs = runs
    answer.combined = combined
    return answer
