"""The digest of changes between two snapshots of a company's data (issue 17, item 2).

The existing tools run on each snapshot (customer_profitability, churn_risk, receivables_aging,
credit_risk, every customer listed) and their tables are compared customer by customer: customers newly
at high churn risk, newly overdue or in a worse ageing bucket, credit grade changes, the biggest profit
movers up and down, new and lost customers; each with the money involved (a number from one of those
tables) and the recommended action (the playbook the tool's findings lead to), all ranked by money at
stake. Customers are matched by id; when the ids changed format between the exports (C00123 -> 123)
they are matched by their digits and the digest says so. Nothing is computed here but differences of
the tools' own numbers.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from agent.answer import Answer, ToolRun
from agent.compose import json_value
from core.text import Lang, Msg
from prompts import digest as W
from tools.bundle import DatasetBundle
from tools.formatting import money as fmt_money
from tools.registry import get_tool

if TYPE_CHECKING:
    from agent.session import Session

log = logging.getLogger(__name__)

ALL = 10_000  # the tools' row limit: every customer up to it
TOOLS = {  # tool -> the per-customer table compared
    "customer_profitability": "customer_profitability",
    "churn_risk": "churn_risk",
    "receivables_aging": "customer_aging",
    "credit_risk": "credit_scorecard",
}
BUCKETS = ("days_1_30", "days_31_60", "days_61_90", "days_90_plus")
GRADES = "ABCDE"
MOVERS = 5  # profit movers listed each way
WORSE = ("new_high_churn", "newly_overdue", "worse_ageing", "grade_worse", "profit_down", "lost_customer")
CATEGORIES = (*WORSE[:4], "grade_better", "profit_up", "profit_down", "new_customer", "lost_customer")
FINDINGS = {  # category -> the findings whose playbook is the recommended action
    "new_high_churn": ("at_risk_valuable_customers", "high_churn_risk", "revenue_at_risk"),
    "newly_overdue": ("overdue_receivables",),
    "worse_ageing": ("overdue_receivables",),
    "grade_worse": ("high_credit_risk", "deteriorating_payer"),
    "profit_down": ("loss_making_customers", "high_cost_to_serve"),
}


@dataclass
class Snapshot:
    """The tools' runs on one snapshot, and each per-customer table indexed by the matching key."""

    label: str
    files: list[str]
    runs: dict[str, ToolRun] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    notes: list[Msg] = field(default_factory=list)

    def table(self, tool: str) -> pd.DataFrame | None:
        run = self.runs.get(tool)
        if run is None or run.result is None:
            return None
        found = next((t.frame for t in run.result.tables if t.name == TOOLS[tool]), None)
        if found is None or "customer_id" not in found:
            return None
        frame = found.copy()
        frame["customer_id"] = frame["customer_id"].astype(str)
        return frame.drop_duplicates("customer_id").set_index("customer_id", drop=False)

    def as_of(self) -> date | None:
        dates = [r.result.method.as_of for r in self.runs.values() if r.result is not None and r.result.method.as_of]
        return max(dates) if dates else None

    def ids(self) -> set[str]:
        out: set[str] = set()
        for tool in TOOLS:
            frame = self.table(tool)
            if frame is not None:
                out |= set(frame.index)
        return out


@dataclass
class Change:
    category: str
    customer_id: str
    name: str
    before: Any
    after: Any
    money: float
    basis: str  # the table column the money comes from
    tool: str
    before_id: str | None = None
    action: str = ""

    def to_json(self, names: bool = True) -> dict[str, Any]:
        out = {
            "category": self.category,
            "customer_id": self.customer_id,
            "before_id": self.before_id,
            "name": self.name if names else None,
            "before": json_value(self.before),
            "after": json_value(self.after),
            "money": json_value(self.money),
            "money_basis": self.basis,
            "tool": self.tool,
            "action": self.action,
        }
        return out


@dataclass
class Digest:
    lang: Lang
    before: Snapshot
    after: Snapshot
    changes: list[Change]
    id_note: Msg | None = None
    notes: list[Msg] = field(default_factory=list)

    @property
    def ranked(self) -> list[Change]:
        return sorted(self.changes, key=lambda c: (-abs(c.money or 0.0), CATEGORIES.index(c.category), c.customer_id))

    def count(self, category: str) -> int:
        return sum(1 for c in self.changes if c.category == category)

    def money(self, category: str) -> float:
        return float(sum(abs(c.money or 0.0) for c in self.changes if c.category == category))

    @property
    def worse(self) -> bool:
        """Something got worse (cron's exit code 3)."""
        return any(c.category in WORSE for c in self.changes)

    def to_json(self, names: bool = True) -> dict[str, Any]:
        return {
            "before": {"files": self.before.files, "as_of": _iso(self.before.as_of())},
            "after": {"files": self.after.files, "as_of": _iso(self.after.as_of())},
            "id_format_changed": self.id_note.get(self.lang) if self.id_note else None,
            "summary": {c: {"count": self.count(c), "money": self.money(c)} for c in CATEGORIES},
            "changes": [c.to_json(names) for c in self.ranked],
            "notes": [n.get(self.lang) for n in self.before.notes + self.after.notes + self.notes],
            "worse": self.worse,
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# --------------------------------------------------------------------------------------------------
# Snapshots
# --------------------------------------------------------------------------------------------------
def snapshot(session: Session, label: str, files: list[str] | None = None) -> Snapshot:
    """Run the compared tools on ``session``'s data (those whose tables are loaded)."""
    from agent import compose, run

    snap = Snapshot(label, files if files is not None else [f.filename for f in session.files] or ["demo"])
    for tool in TOOLS:
        spec = get_tool(tool)
        if not _loaded(spec, session.bundle):
            continue
        done = run.run_tool(session, tool, {"n": ALL})
        if done.result is None:
            reason = done.error.message(session.language) if done.error else done.internal_error or "?"
            snap.notes.append(W.TOOL_SKIPPED.format(tool=tool, snapshot=label, reason=reason))
            continue
        snap.runs[tool] = done
        try:
            snap.answers[tool] = compose.tool_answer("", session.language, session, done)
        except Exception:  # recommendations are optional; the numbers are not
            log.exception("digest: composing %s failed", tool)
    return snap


def _loaded(spec: Any, bundle: DatasetBundle) -> bool:
    if all(k in bundle for k in spec.requires):
        return True
    alternative = getattr(spec, "or_requires", ()) or ()
    return bool(alternative) and all(k in bundle for k in alternative)


def session_of(bundle: DatasetBundle, like: Session) -> Session:
    """A session over ``bundle`` with ``like``'s settings, language and playbooks (a chat snapshot)."""
    from agent.session import Session

    s = Session(demo=False, settings=like.settings)
    s.bundle = bundle
    s.language = like.language
    try:
        s.set_playbooks(like.dependency("playbooks"))
    except Exception:  # recommendations are optional
        log.exception("digest: no playbooks")
    return s


# --------------------------------------------------------------------------------------------------
# Matching customers
# --------------------------------------------------------------------------------------------------
def id_key(value: str) -> str:
    """The digits of an id without leading zeros ('C00123', 'CUST-123', '123' -> '123'); an id without
    digits keeps its letters, lower case."""
    digits = re.sub(r"\D", "", value)
    return digits.lstrip("0") or ("0" if digits else value.strip().lower())


def matcher(before: set[str], after: set[str]) -> tuple[dict[str, str], dict[str, str], Msg | None, bool]:
    """(before id -> key, after id -> key, note, whether ids match): identity unless the ids changed
    format; when even their digits do not match, the note says so and new/lost customers are not told."""
    same = {i: i for i in before}, {i: i for i in after}
    if not before or not after:
        return *same, None, True
    overlap = len(before & after) / min(len(before), len(after))
    if overlap >= 0.5:
        return *same, None, True
    kb, ka = {i: id_key(i) for i in before}, {i: id_key(i) for i in after}
    keyed = len(set(kb.values()) & set(ka.values())) / min(len(before), len(after))
    if keyed >= 0.5 and len(set(kb.values())) == len(kb) and len(set(ka.values())) == len(ka):
        example_b = next(i for i in sorted(before) if kb[i] in set(ka.values()))
        example_a = next(i for i in sorted(after) if ka[i] == kb[example_b])
        note = W.IDS_CHANGED.format(before=example_b, after=example_a, share=f"{keyed:.0%}")
        return kb, ka, note, True
    return *same, W.IDS_DIFFER.format(share=f"{overlap:.0%}"), False


def _rekey(frame: pd.DataFrame | None, keys: dict[str, str]) -> pd.DataFrame | None:
    if frame is None:
        return None
    out = frame.copy()
    out.index = [keys.get(i, i) for i in out.index]
    return out


# --------------------------------------------------------------------------------------------------
# The comparisons
# --------------------------------------------------------------------------------------------------
def _money_column(frame: pd.DataFrame, preferred: tuple[str, ...]) -> str | None:
    return next((c for c in preferred if c in frame.columns), None)


def _num(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if pd.isna(v) else v


def _worst_bucket(row: pd.Series) -> int:
    """Index of the oldest ageing bucket with an amount due (-1: nothing overdue)."""
    worst = -1
    for i, b in enumerate(BUCKETS):
        if b in row and _num(row[b]) > 0.005:
            worst = i
    return worst


def compare(before: Snapshot, after: Snapshot, lang: Lang) -> Digest:
    ids_before, ids_after = before.ids(), after.ids()
    kb, ka, note, matched = matcher(ids_before, ids_after)
    back = {k: i for i, k in kb.items()}  # key -> before id
    shown = {k: i for i, k in ka.items()}  # key -> after id
    tb = {t: _rekey(before.table(t), kb) for t in TOOLS}
    ta = {t: _rekey(after.table(t), ka) for t in TOOLS}
    changes: list[Change] = []

    def name_of(key: str) -> str:
        for frames in (ta, tb):
            for frame in frames.values():
                if frame is not None and key in frame.index and "name" in frame:
                    value = frame.at[key, "name"]
                    if isinstance(value, str) and value:
                        return value
        return ""

    def add(category: str, key: str, b: Any, a: Any, money: float, basis: str, tool: str) -> None:
        cid = shown.get(key) or back.get(key) or key
        before_id = back.get(key)
        changes.append(
            Change(category, cid, name_of(key), b, a, money, basis, tool, before_id if before_id != cid else None)
        )

    # churn: newly at high risk (scored high now, not high before)
    b, a = tb["churn_risk"], ta["churn_risk"]
    if a is not None and "risk_level" in a:
        basis = _money_column(a, ("trailing_12m_revenue", "trailing_12m_gross_profit", "revenue", "monthly_charges"))
        known = set(back)
        for key, row in a[a["risk_level"] == "high"].iterrows():
            previous = b.at[key, "risk_level"] if b is not None and key in b.index else None
            if previous == "high" or key not in known:
                continue
            money, basis_used = _num(row[basis]) if basis else 0.0, basis or ""
            profit = ta["customer_profitability"]
            if money <= 0 and profit is not None and key in profit.index and "revenue" in profit:
                money, basis_used = _num(profit.at[key, "revenue"]), "revenue"  # stopped buying a year ago
            add("new_high_churn", key, previous or "not_scored", "high", money, basis_used, "churn_risk")

    # receivables: newly overdue, or overdue in an older bucket than before
    b, a = tb["receivables_aging"], ta["receivables_aging"]
    if a is not None and "overdue_amount" in a:
        for key, row in a[a["overdue_amount"] > 0.005].iterrows():
            was = b.loc[key] if b is not None and key in b.index else None
            was_overdue = _num(was["overdue_amount"]) if was is not None else 0.0
            now, then = _worst_bucket(row), (_worst_bucket(was) if was is not None else -1)
            if was_overdue <= 0.005:
                add("newly_overdue", key, 0.0, BUCKETS[now] if now >= 0 else "overdue", _num(row["overdue_amount"]),
                    "overdue_amount", "receivables_aging")  # fmt: skip
            elif now > then:
                add("worse_ageing", key, BUCKETS[then] if then >= 0 else "current", BUCKETS[now],
                    _num(row["overdue_amount"]), "overdue_amount", "receivables_aging")  # fmt: skip

    # credit grades
    b, a = tb["credit_risk"], ta["credit_risk"]
    if a is not None and b is not None and "grade" in a and "grade" in b:
        for key in a.index.intersection(b.index):
            g_then, g_now = str(b.at[key, "grade"]), str(a.at[key, "grade"])
            if g_then == g_now or g_then not in GRADES or g_now not in GRADES:
                continue
            category = "grade_worse" if GRADES.index(g_now) > GRADES.index(g_then) else "grade_better"
            add(category, key, g_then, g_now, _num(a.at[key, "open_amount"]), "open_amount", "credit_risk")

    # profit movers, new and lost customers
    b, a = tb["customer_profitability"], ta["customer_profitability"]
    if a is not None and b is not None:
        col = _money_column(a, ("profit", "net_profit", "gross_profit"))
        if col and col in b:
            both = a.index.intersection(b.index)
            delta = (a.loc[both, col].astype(float) - b.loc[both, col].astype(float)).sort_values()
            for key in [k for k, d in delta.items() if d < 0][:MOVERS]:
                add("profit_down", key, float(b.at[key, col]), float(a.at[key, col]), float(delta[key]), f"{col}_change",
                    "customer_profitability")  # fmt: skip
            for key in [k for k, d in delta[::-1].items() if d > 0][:MOVERS]:
                add("profit_up", key, float(b.at[key, col]), float(a.at[key, col]), float(delta[key]), f"{col}_change",
                    "customer_profitability")  # fmt: skip
    new_keys = set(shown) - set(back)
    lost_keys = set(back) - set(shown)
    if matched:
        for key in sorted(new_keys):
            money, basis, tool = _customer_money(ta, key)
            add("new_customer", key, None, "new", money, basis, tool)
        for key in sorted(lost_keys):
            money, basis, tool = _customer_money(tb, key)
            add("lost_customer", key, "known", None, money, basis, tool)
    digest = Digest(lang, before, after, changes, note)
    _actions(digest)
    return digest


def _customer_money(frames: dict[str, pd.DataFrame | None], key: str) -> tuple[float, str, str]:
    """A customer's revenue (profitability table), else open receivables: the money a new or lost
    customer brings or takes."""
    for tool, column in (("customer_profitability", "revenue"), ("receivables_aging", "open_amount"),
                         ("credit_risk", "open_amount")):  # fmt: skip
        frame = frames.get(tool)
        if frame is not None and key in frame.index and column in frame:
            return _num(frame.at[key, column]), column, tool
    return 0.0, "", ""


def _actions(digest: Digest) -> None:
    """The recommended action of each change: the playbook the after-snapshot's findings lead to (the
    tool's own answer), else the category's standing action."""
    lang = digest.lang
    for change in digest.changes:
        answer = digest.after.answers.get(change.tool) or digest.before.answers.get(change.tool)
        title = ""
        if answer is not None and change.category in FINDINGS:
            wanted = FINDINGS[change.category]
            recs = sorted(answer.recommendations, key=lambda r: wanted.index(r["finding"]) if r.get("finding") in wanted else 99)
            if recs and recs[0].get("finding") in wanted:
                title = str(recs[0].get("title") or "")
        change.action = title or W.ACTIONS[change.category].get(lang)


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------
def digest(before: Session, after: Session, lang: Lang, before_files: list[str] | None = None,
           after_files: list[str] | None = None) -> Digest:  # fmt: skip
    b = snapshot(before, W.BEFORE.get(lang), before_files)
    a = snapshot(after, W.AFTER.get(lang), after_files)
    result = compare(b, a, lang)
    if not b.runs or not a.runs:
        result.notes.append(W.NOTHING_COMPARED)
    return result


def chat_snapshots(session: Session) -> tuple[DatasetBundle, DatasetBundle, list[str], list[str]] | None:
    """The last two exports of each kind uploaded twice or more in this conversation: (before, after,
    their file names); other kinds are in both. None when no kind was uploaded twice."""
    by_kind: dict[str, list[Any]] = {}
    for f in session.files:
        if f.dataset is not None:
            by_kind.setdefault(f.dataset.kind, []).append(f)
    if not any(len(files) > 1 for files in by_kind.values()):
        return None
    before, after, names_b, names_a = DatasetBundle(), DatasetBundle(), [], []
    for files in by_kind.values():
        b, a = (files[-2], files[-1]) if len(files) > 1 else (None, None)
        for f in files if b is None else [b]:
            before.add(f.dataset)
            names_b.append(f.filename)
        for f in files if a is None else [a]:
            after.add(f.dataset)
            names_a.append(f.filename)
    return before, after, list(dict.fromkeys(names_b)), list(dict.fromkeys(names_a))


PHRASE_EN = re.compile(
    r"^\s*(?:so\s+|and\s+)?(?:what(?:'s|\s+has|\s+have|\s+is)?\s+changed|what\s+are\s+the\s+changes|"
    r"(?:show|give)(?:\s+me)?\s+(?:the\s+)?(?:digest|changes))"
    r"(?:\s+(?:since|from|compared\s+(?:to|with)|versus|vs\.?)\s+(?:the\s+)?(?:last|previous|prior|earlier)\s+"
    r"(?:month|week|quarter|year|export|upload|file|snapshot|time|one))?\s*[?.!]*\s*$"
    r"|\bchanges?\s+since\s+(?:the\s+)?(?:last|previous|prior)\s+(?:month|week|quarter|export|upload|file|snapshot)\b",
    re.IGNORECASE,
)
PHRASE_ZH = re.compile(
    r"(?:和|与|跟|同|比)?(?:上个?月|上次|上一次|上期|上周|上季度?|上一版|上一份)(?:相比|比较|比)?.{0,6}(?:有)?(?:什么|哪些)"
    r"(?:变化|不同|变动)|^\s*(?:变化摘要|有什么变化|有哪些变化)\s*[？?。]*\s*$"
)


def is_digest(question: str) -> bool:
    """"what changed since last month?" / "和上个月相比有什么变化？" (decided before the question engine)."""
    return bool(PHRASE_EN.search(question) or PHRASE_ZH.search(question))


def uploaded_again(session: Session, filename: str) -> bool:
    """Whether ``filename`` is a newer export of a kind uploaded before in this conversation."""
    kinds = {f.dataset.kind for f in session.files if f.filename == filename and f.dataset is not None}
    return any(sum(1 for f in session.files if f.dataset is not None and f.dataset.kind == k) > 1 for k in kinds)


def chat_answer(question: str, session: Session, lang: Lang) -> Answer:
    """The chat's digest: the last two exports of each kind uploaded twice, else how to get one."""
    pair = chat_snapshots(session)
    if pair is None:
        text = f"{W.UNDERSTOOD.get(lang)}\n\n{W.ASK_BACK.get(lang)}"
        return Answer(question, lang, text, understood=W.UNDERSTOOD.get(lang))
    before, after, names_b, names_a = pair
    saved = session.language
    session.language = lang
    try:
        result = digest(session_of(before, session), session_of(after, session), lang, names_b, names_a)
    finally:
        session.language = saved
    result.notes.append(W.APPENDED_NOTE)
    return answer(question, result)


# --------------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------------
def describe(change: Change, lang: Lang, names: bool = True) -> str:
    who = f"{change.name} ({change.customer_id})" if names and change.name else change.customer_id
    if change.before_id:
        who += f" ← {change.before_id}"
    what = W.CHANGE[change.category]
    values = {"before": _shown(change.before, lang), "after": _shown(change.after, lang)}
    money = fmt_money(change.money, lang)
    basis = W.BASIS.get(change.basis, Msg(change.basis, change.basis)).get(lang) if change.basis else ""
    return W.LINE.format(who=who, what=what.format(**values).get(lang), money=money, basis=basis,
                         action=change.action).get(lang)  # fmt: skip


def _shown(value: Any, lang: Lang) -> str:
    if isinstance(value, float):
        return fmt_money(value, lang)
    if value is None:
        return "-"
    label = W.VALUES.get(str(value))
    return label.get(lang) if label else str(value)


def markdown(d: Digest, limit: int = 15, names: bool = True, lang: Lang | None = None) -> str:
    lang = lang or d.lang
    lines = [W.HEADING.format(before=", ".join(d.before.files), after=", ".join(d.after.files),
                              as_of_before=_iso(d.before.as_of()) or "-",
                              as_of_after=_iso(d.after.as_of()) or "-").get(lang), ""]  # fmt: skip
    if d.id_note is not None:
        lines += [f"- ⚠️ {d.id_note.get(lang)}", ""]
    counts = [
        W.COUNT.format(label=W.CATEGORY[c].get(lang), count=d.count(c), money=fmt_money(d.money(c), lang)).get(lang)
        for c in CATEGORIES
        if d.count(c)
    ]
    if not counts:
        lines.append(W.NO_CHANGES.get(lang))
    else:
        lines += [f"**{W.SUMMARY.get(lang)}**", "", *(f"- {c}" for c in counts), ""]
        lines += [f"**{W.RANKED.format(n=min(limit, len(d.changes))).get(lang)}**", ""]
        lines += [f"{i}. {describe(c, lang, names)}" for i, c in enumerate(d.ranked[:limit], start=1)]
    notes = d.before.notes + d.after.notes + d.notes
    if notes:
        lines += [""] + [f"- ℹ️ {n.get(lang)}" for n in notes]
    return "\n".join(lines)


def answer(question: str, d: Digest, names: bool = True) -> Answer:
    """The digest as an answer: its markdown, and a result (facts per category, the ranked table, a chart
    of the money per category) that the chat shows and a report lays out like any analysis."""
    import plotly.graph_objects as go

    from tools.results import Chart, Method, Table, ToolResult

    lang = d.lang
    facts: dict[str, Any] = {}
    for c in CATEGORIES:
        facts[f"{c}_customers"] = d.count(c)
        facts[f"{c}_money"] = d.money(c)
    shown = [c for c in CATEGORIES if d.count(c)]
    figure = go.Figure(go.Bar(x=[W.CATEGORY[c].get(lang) for c in shown], y=[d.money(c) for c in shown]))
    rows_used = sum(r.rows_used for snap in (d.before, d.after) for r in snap.runs.values())
    result = ToolResult(
        tool="change_digest",
        summary=Msg(markdown(d, names=names, lang="en"), markdown(d, names=names, lang="zh")),
        facts=facts,
        tables=[Table("changes", table(d, names), W.TABLE_TITLE)],
        charts=[Chart(W.CHART_TITLE, figure)] if shown else [],
        method=Method(
            W.FORMULA,
            {"before": d.before.files, "after": d.after.files, "tools": list(TOOLS)},
            as_of=d.after.as_of(),
            rows_used=rows_used,
        ),
    )
    run = ToolRun("change_digest", {"before": d.before.files, "after": d.after.files}, result)
    text = f"{W.UNDERSTOOD.get(lang)}\n\n{markdown(d, names=names)}"
    return Answer(question, lang, text, [run], understood=W.UNDERSTOOD.get(lang))


def table(d: Digest, names: bool = True) -> pd.DataFrame:
    """Every change, ranked (the chat's table and CSV)."""
    rows = [c.to_json(names) for c in d.ranked]
    columns = ["category", "customer_id", "before_id", "name", "before", "after", "money", "money_basis", "action"]
    frame = pd.DataFrame(rows, columns=[*columns, "tool"])[columns]
    return frame if names else frame.drop(columns=["name"])
