"""recommend_actions: findings of the tools already run -> ranked, explained, cited playbook actions.

Pure: the playbook store is an injected dependency (any object following ``PlaybookStore``; the
Chroma implementation lives in agent/retrieval.py). Each recommendation names the targeted customers
(count, the top ones with their revenue), why (the finding, its metric and threshold), the expected
impact in money (value at stake x the playbook's success range, labelled as an estimate where the
playbook says so) and the playbook id and title.

Findings: none (it acts on the other tools' findings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

import pandas as pd
from pydantic import Field

from core.text import Lang, Msg
from prompts import recommend_actions as W
from prompts.findings import label as finding_label
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.data import ops
from tools.data.relation import is_relation
from tools.formatting import money, pct
from tools.params import ToolParams
from tools.results import Finding, Method, Table, ToolResult
from tools.spec import ToolSpec

ActionType = Literal[
    "retention",
    "win-back",
    "upsell",
    "pricing",
    "discount policy",
    "credit terms",
    "collections",
    "service recovery",
    "cost-to-serve reduction",
    "marketing mix",
    "loyalty",
]
TOP_CUSTOMERS = 5


# ----------------------------------------------------------------------------------------------
# The injected dependency
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlaybookHit:
    """One retrieved playbook with what a recommendation needs from it."""

    id: str
    title: Msg
    action_type: str
    findings: tuple[str, ...] = ()
    success_range: tuple[float, float] | None = None
    estimate: bool = True
    basis: Msg = Msg("", "")
    steps: tuple[Msg, ...] = ()
    sources: tuple[str, ...] = ()
    score: float = 0.0


@runtime_checkable
class PlaybookStore(Protocol):
    """What recommend_actions needs from a playbook library (agent/retrieval.py implements it)."""

    def search(
        self,
        query: str,
        *,
        findings: Sequence[str] = (),
        action_type: str | None = None,
        k: int = 3,
    ) -> list[PlaybookHit]:
        """Playbooks addressing any of ``findings`` (all when empty), most similar to ``query`` first."""
        ...


# ----------------------------------------------------------------------------------------------
# Params and results
# ----------------------------------------------------------------------------------------------
class FindingArg(ToolParams):
    """A finding to act on (as produced by a tool; the session fills in customers and value)."""

    name: str = Field(description="Finding name in snake_case, e.g. loss_making_customers.", max_length=80)
    customers: list[str] = Field(
        default_factory=list,
        description="Targeted customer ids, most valuable first (filled in by the session).",
    )
    value: float | None = Field(None, description="Money at stake measured by the finding.")
    metric: str | None = Field(None, description="Metric that triggered the finding.")
    threshold: float | None = Field(None, description="Threshold the metric crossed.")
    detail_en: str | None = Field(None, description="The finding in words (English).")
    detail_zh: str | None = Field(None, description="The finding in words (Chinese).")

    @classmethod
    def of(cls, finding: Finding) -> FindingArg:
        return cls(
            name=finding.name,
            customers=[str(c) for c in finding.customers],
            value=finding.value,
            metric=finding.metric,
            threshold=finding.threshold,
            detail_en=finding.detail.en,
            detail_zh=finding.detail.zh,
        )


class RecommendParams(ToolParams):
    findings: list[FindingArg] = Field(
        default_factory=list,
        description="Findings to act on (names of findings from the tools already run in this conversation).",
    )
    question: str = Field("", max_length=2000, description="The user's question, used to rank playbooks.")
    action_type: ActionType | None = Field(None, description="Only playbooks of this action type.")
    n: int = Field(3, ge=1, le=10, description="How many recommendations to list.")


@dataclass
class Recommendation:
    """One explained, cited action."""

    playbook: PlaybookHit
    finding: FindingArg | None
    customers: list[str] = field(default_factory=list)
    top: list[tuple[str, str | None, float | None]] = field(default_factory=list)  # id, name, revenue
    value_at_stake: float | None = None
    impact: tuple[float, float] | None = None

    def why(self) -> Msg:
        f = self.finding
        if f is None:
            return Msg("matches your question", "与您的问题相符")
        label = finding_label(f.name)
        en, zh = f.detail_en or label.en, f.detail_zh or label.zh
        if f.metric is not None and f.threshold is not None:
            trig = W.TRIGGER.format(metric=f.metric, threshold=_num(f.threshold))
            en, zh = f"{en} {trig.en}", f"{zh}{trig.zh}"
        return Msg(en, zh)

    def to_json(self, lang: Lang) -> dict:
        """The CLI JSON entry: playbook_id, title, why, plus targets and impact."""
        return {
            "playbook_id": self.playbook.id,
            "title": self.playbook.title.get(lang),
            "why": self.why().get(lang),
            "action_type": self.playbook.action_type,
            "finding": self.finding.name if self.finding else None,
            "customers": len(self.customers),
            "top_customers": [c for c, _, _ in self.top],
            "value_at_stake": self.value_at_stake,
            "impact_low": self.impact[0] if self.impact else None,
            "impact_high": self.impact[1] if self.impact else None,
            "estimate": self.playbook.estimate,
        }


# ----------------------------------------------------------------------------------------------
# Ranking
# ----------------------------------------------------------------------------------------------
def recommend(
    data: DatasetBundle,
    store: PlaybookStore,
    findings: Sequence[FindingArg],
    question: str = "",
    action_type: str | None = None,
    n: int = 3,
) -> list[Recommendation]:
    """Rank playbooks for ``findings`` (money at stake first), one per finding in turn, no repeats.

    For each finding the store is filtered on the finding and ranked by similarity to the question
    plus the finding's description; without findings, playbooks are matched to the question alone.
    """
    ordered = sorted(findings, key=lambda f: -(f.value or 0.0))
    per_finding: list[list[tuple[PlaybookHit, FindingArg | None]]] = []
    for f in ordered:
        label = finding_label(f.name)
        query = " ".join(x for x in (question, label.en, label.zh, f.detail_en or "") if x)
        hits = store.search(query, findings=[f.name], action_type=action_type, k=max(n, 3))
        per_finding.append([(h, f) for h in hits])
    if not findings and question.strip():
        per_finding.append([(h, None) for h in store.search(question, action_type=action_type, k=n)])
    chosen: list[tuple[PlaybookHit, FindingArg | None]] = []
    seen: set[str] = set()
    depth = max((len(x) for x in per_finding), default=0)
    for i in range(depth):  # round-robin: the best playbook of every finding before any second one
        for hits in per_finding:
            if i < len(hits) and hits[i][0].id not in seen and len(chosen) < n:
                seen.add(hits[i][0].id)
                chosen.append(hits[i])
    revenue = _customer_revenue(data)
    names = _customer_names(data)
    return [_explain(hit, f, revenue, names) for hit, f in chosen]


def alternatives(recs: Sequence[Recommendation]) -> list[list[Recommendation]]:
    """Groups of two or more recommendations aimed at the same customers (at least half of the smaller
    list in common): alternatives for the same money at stake, whose impacts must not be added."""
    groups: list[list[Recommendation]] = []
    for r in recs:
        if not r.customers:
            continue
        mine = set(r.customers)
        for group in groups:
            theirs = set(group[0].customers)
            if len(mine & theirs) * 2 >= min(len(mine), len(theirs)):
                group.append(r)
                break
        else:
            groups.append([r])
    return [g for g in groups if len(g) > 1]


def _alternatives_text(recs: Sequence[Recommendation], lang: Lang) -> list[str]:
    """Per group of alternatives one line, then the offer of the plan (empty when there is none)."""
    lines = []
    for group in alternatives(recs):
        ids = ", ".join(f"[{r.playbook.id}]" for r in group)
        stake = max((r.value_at_stake for r in group if r.value_at_stake is not None), default=None)
        count = len(set().union(*(r.customers for r in group)))
        tpl = W.ALTERNATIVES if stake is not None else W.ALTERNATIVES_NO_VALUE
        lines.append(tpl.format(playbooks=ids, count=count, value=money(stake, lang)).get(lang))
    if lines:
        lines.append(W.OFFER_PLAN.format(question=W.PLAN_QUESTION.get(lang)).get(lang))
    return lines


def _explain(
    hit: PlaybookHit, f: FindingArg | None, revenue: pd.Series | None, names: dict[str, str]
) -> Recommendation:
    rec = Recommendation(hit, f)
    if f is None:
        return rec
    rec.customers = list(dict.fromkeys(f.customers))
    for cid in rec.customers[:TOP_CUSTOMERS]:
        value = float(revenue[cid]) if revenue is not None and cid in revenue.index else None
        rec.top.append((cid, names.get(cid), value))
    rec.value_at_stake = abs(f.value) if f.value is not None else None
    if rec.value_at_stake is not None and hit.success_range is not None:
        lo, hi = hit.success_range
        rec.impact = (rec.value_at_stake * lo, rec.value_at_stake * hi)
    return rec


def _customer_revenue(data: DatasetBundle) -> pd.Series | None:
    frame = data.rows("transactions") if "transactions" in data else None  # a frame or a Relation
    if frame is None or not {"customer_id", "revenue"} <= set(frame.columns):
        return None
    if is_relation(frame):  # rows in a database or Parquet files: summed there
        revenue = aggregate.customer_totals(frame)["revenue"]
        revenue.index = revenue.index.astype(str)
        return revenue
    return frame.groupby(frame["customer_id"].astype(str))["revenue"].sum()


def _customer_names(data: DatasetBundle) -> dict[str, str]:
    frame = data.get("customers")
    if frame is None or not {"customer_id", "name"} <= set(frame.columns):
        return {}
    named = frame[["customer_id", "name"]].dropna()
    return dict(zip(named["customer_id"].astype(str), named["name"].astype(str), strict=True))


# ----------------------------------------------------------------------------------------------
# The tool
# ----------------------------------------------------------------------------------------------
def recommend_actions(data: DatasetBundle, params: RecommendParams, playbooks: PlaybookStore) -> ToolResult:
    """Recommend cited playbook actions for the findings in ``params`` (see module docstring).

    Examples
    --------
    >>> class Store:
    ...     def search(self, query, *, findings=(), action_type=None, k=3):
    ...         return [PlaybookHit("p-1", Msg("Call them", "致电"), "retention", ("x",), (0.1, 0.2))]
    >>> p = RecommendParams(findings=[FindingArg(name="x", customers=["C1"], value=1000.0)])
    >>> recommend_actions(DatasetBundle(), p, Store()).facts["impact_high"]
    200.0
    """
    recs = recommend(data, playbooks, params.findings, params.question, params.action_type, params.n)
    method = Method(W.FORMULA, {"n": params.n, "action_type": params.action_type}, [W.ASSUMPTION_VALUE])
    transactions = data.rows("transactions") if "transactions" in data else None
    method.rows_used = 0 if transactions is None else ops.count(transactions)
    if any(r.playbook.estimate for r in recs):
        method.assumptions.append(W.ASSUMPTION_ESTIMATE)
    if not recs:
        if params.findings:
            names = ", ".join(f.name for f in params.findings)
            summary = W.NO_PLAYBOOKS.format(findings=names)
        else:
            summary = W.NO_FINDINGS
        return ToolResult("recommend_actions", summary, {"recommendations": 0}, method=method)
    targeted = {c for r in recs for c in r.customers}
    stakes = {r.finding.name: r.value_at_stake for r in recs if r.finding and r.value_at_stake is not None}
    impacts = [r.impact for r in recs if r.impact]
    facts = {
        "recommendations": len(recs),
        "findings_addressed": len({r.finding.name for r in recs if r.finding}),
        "customers_targeted": len(targeted),
        "value_at_stake": float(sum(stakes.values())) if stakes else None,
        "impact_low": float(max(i[0] for i in impacts)) if impacts else None,
        "impact_high": float(max(i[1] for i in impacts)) if impacts else None,
    }
    groups = alternatives(recs)
    alt = {r.playbook.id: [o.playbook.id for o in g if o is not r] for g in groups for r in g}
    facts["alternatives"] = sum(len(g) for g in groups)
    summary = Msg(render(recs, "en", full=True, findings=len(params.findings)), "")
    summary = Msg(summary.en, render(recs, "zh", full=True, findings=len(params.findings)))
    table = pd.DataFrame(
        [
            {
                "rank": i + 1,
                "playbook_id": r.playbook.id,
                "title_en": r.playbook.title.en,
                "title_zh": r.playbook.title.zh,
                "action_type": r.playbook.action_type,
                "finding": r.finding.name if r.finding else None,
                "why_en": r.why().en,
                "why_zh": r.why().zh,
                "customers": len(r.customers),
                "top_customers": ", ".join(c for c, _, _ in r.top),
                "value_at_stake": r.value_at_stake,
                "impact_low": r.impact[0] if r.impact else None,
                "impact_high": r.impact[1] if r.impact else None,
                "estimate": r.playbook.estimate,
                "sources": ", ".join(r.playbook.sources),
                "alternative_to": ", ".join(alt.get(r.playbook.id, [])),
            }
            for i, r in enumerate(recs)
        ]
    )
    return ToolResult(
        "recommend_actions", summary, facts, [Table("recommendations", table, W.TITLE)], method=method
    )


def recommendations_json(result: ToolResult, lang: Lang) -> list[dict]:
    """Answer.recommendations / CLI JSON entries from a recommend_actions result's table."""
    table = next((t.frame for t in result.tables if t.name == "recommendations"), None)
    if table is None:
        return []
    out = []
    for row in table.to_dict("records"):
        out.append(
            {
                "playbook_id": row["playbook_id"],
                "title": row[f"title_{lang}"],
                "why": row[f"why_{lang}"],
                "action_type": row["action_type"],
                "finding": row["finding"],
                "customers": int(row["customers"]),
                "top_customers": [c for c in str(row["top_customers"]).split(", ") if c],
                "value_at_stake": _opt(row["value_at_stake"]),
                "impact_low": _opt(row["impact_low"]),
                "impact_high": _opt(row["impact_high"]),
                "estimate": bool(row["estimate"]),
                "alternative_to": [c for c in str(row.get("alternative_to") or "").split(", ") if c],
            }
        )
    return out


def _opt(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------
# Rendering (used for the tool's summary and for the short list ending other answers)
# ----------------------------------------------------------------------------------------------
def render(recs: Sequence[Recommendation], lang: Lang, *, full: bool, findings: int = 0) -> str:
    """Markdown for recommendations: the full explanation (``full``) or one line each."""
    if not full:
        lines = [f"**{W.NEXT_STEPS.get(lang)}**", ""]
        for r in recs:
            value = (
                W.SHORT_VALUE.format(value=money(r.value_at_stake, lang)) if r.value_at_stake else Msg("", "")
            )
            if r.impact:
                tag = W.ESTIMATE_TAG if r.playbook.estimate else Msg("", "")
                impact = W.SHORT_IMPACT.format(
                    low=money(r.impact[0], lang), high=money(r.impact[1], lang), estimate=tag.get(lang)
                )
            else:
                impact = W.SHORT_IMPACT_UNKNOWN
            lines.append(
                W.SHORT_ITEM.format(
                    title=r.playbook.title.get(lang),
                    playbook_id=r.playbook.id,
                    count=len(r.customers),
                    value=value.get(lang),
                    impact=impact.get(lang),
                    why=r.why().get(lang),
                ).get(lang)
            )
        lines.append("")
        for line in _alternatives_text(recs, lang):  # same customers: alternatives, and the plan offered
            lines += [line, ""]
        lines.append(W.SHORT_HINT.get(lang))
        return "\n".join(lines)
    n_findings = len({r.finding.name for r in recs if r.finding}) or findings
    lines = [f"**{W.TITLE.get(lang)}**", ""]
    if n_findings:
        lines += [W.SUMMARY_HEAD.format(count=len(recs), findings=n_findings).get(lang), ""]
    else:
        lines += [W.GENERAL_ONLY.get(lang), ""]
    for i, r in enumerate(recs, 1):
        hit = r.playbook
        lines.append(
            W.ITEM.format(
                rank=i,
                title=hit.title.get(lang),
                playbook_id=hit.id,
                action_type=W.ACTION_TYPES.get(hit.action_type, Msg(hit.action_type, hit.action_type)).get(
                    lang
                ),
            ).get(lang)
        )
        if r.customers:
            top = ", ".join(_who(c, name, value, lang) for c, name, value in r.top)
            tpl = W.TARGETS if r.value_at_stake is not None else W.TARGETS_NO_VALUE
            text = tpl.format(count=len(r.customers), top=top, value=money(r.value_at_stake, lang))
            lines.append(f"   - {text.get(lang)}")
        if r.finding is not None:
            lines.append(f"   - {W.WHY.format(why=r.why().get(lang)).get(lang)}")
            if r.impact and hit.success_range:
                label = (W.IMPACT_ESTIMATE if hit.estimate else W.IMPACT_SOURCED).format(
                    basis=hit.basis.get(lang).rstrip(" .。") or "-"
                )
                impact = W.IMPACT.format(
                    low=money(r.impact[0], lang),
                    high=money(r.impact[1], lang),
                    lo_pct=pct(hit.success_range[0], lang, 0),
                    hi_pct=pct(hit.success_range[1], lang, 0),
                    label=label.get(lang),
                )
                lines.append(f"   - {impact.get(lang)}")
            else:
                lines.append(f"   - {W.IMPACT_UNKNOWN.get(lang)}")
        steps = [s.get(lang).rstrip(" .。") for s in hit.steps[:3] if s.get(lang)]
        if steps:
            sep = "；" if lang == "zh" else "; "
            lines.append(f"   - {W.FIRST_STEPS.format(steps=sep.join(steps)).get(lang)}")
        lines.append(f"   - {W.CITE.format(playbook_id=hit.id, title=hit.title.get(lang)).get(lang)}")
    for line in _alternatives_text(recs, lang):
        lines += ["", line]
    return "\n".join(lines)


def _who(cid: str, name: str | None, value: float | None, lang: Lang) -> str:
    who = f"{name} ({cid})" if name else cid
    return f"{who} {money(value, lang)}" if value is not None else who


def _num(x: float) -> str:
    return f"{x:g}"


SPEC = ToolSpec(
    "recommend_actions",
    RecommendParams,
    recommend_actions,
    requires=(),
    findings=(),
    words=W,
    order=900,
    deps=('playbooks',),
)
