"""Which table kind a file is and what each column means, with how each meaning was decided.

For every kind, each source column gets its possible meanings (tools/schemas.py ``name_hits``: exact
name, synonym, qualified synonym), weighed by what its values look like (tools/ingest/profile.py: a
'date' whose values are not dates counts for little); corrections come first (the user's, then the
remembered ones for files with the same header, then a known export layout); required columns that no
name gives are inferred from the content (dates, ids, amounts, small categorical sets, yes/no flags).
One meaning per column and one column per meaning, the most confident first. The kind whose required
columns are covered, by the most confident mapping, wins.

>>> import pandas as pd
>>> frame = pd.DataFrame({"Customer ID": ["C1", "C2"], "Order Date": ["2024-01-05", "2024-01-06"],
...                       "Sales": ["10.5", "3"], "Profit": ["2", "-1"]})
>>> d = decide(frame)
>>> d.kind, d.mapping["Profit"], [(c.source, c.how) for c in d.columns][:2]
('transactions', 'profit', [('Customer ID', 'name'), ('Order Date', 'synonym')])
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from core.text import Msg
from tools.bundle import ColumnDecision
from tools.ingest.profile import (
    EMPTY,
    Profile,
    categorical,
    fits,
    id_like,
    money_header,
    money_like,
    profile,
)
from tools.schemas import (
    CANONICAL,
    ID_COLUMNS,
    KINDS,
    SYNONYMS,
    NameHit,
    assign,
    column_type,
    covered_columns,
    is_complete,
    kind_columns,
    missing_required,
    name_hits,
    normalise_header,
    resolve_overrides,
)

USER, REMEMBERED, LAYOUT, CONTENT = 1.0, 1.0, 0.95, 0.55
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
MAX_PROFILED = 300  # columns profiled at most (a 1,000-column export is mapped by name beyond that)
MAX_ALTERNATIVES = 3


@dataclass(frozen=True)
class Remembered:
    """A correction kept for a user's files with the same header signature."""

    mapping: dict[str, str] = field(default_factory=dict)
    kind: str | None = None


#: header signature -> what the user corrected last time for that header (None: nothing)
Recall = Callable[[str], Remembered | None]


@dataclass
class Decision:
    """The chosen kind, its mapping {source: canonical} and the decision behind every source column."""

    kind: str
    mapping: dict[str, str]
    columns: list[ColumnDecision]
    ranked: list[tuple[str, dict[str, str]]]  # every kind with its mapping, most plausible first

    def ranked_mapping(self, kind: str) -> set[str]:
        """The canonical columns ``kind`` would map (empty when it was not considered)."""
        return set(next((m for k, m in self.ranked if k == kind), {}).values())


def header_signature(columns: list[str]) -> str:
    """sha256 of the normalised header list (order kept): files exported the same way share it."""
    names = [normalise_header(c) for c in columns]
    return hashlib.sha256(json.dumps(names, ensure_ascii=False).encode("utf-8")).hexdigest()


class _Profiles:
    """Column profiles computed once, on first use."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.cache: dict[str, Profile] = {}
        self.allowed = set(list(frame.columns)[:MAX_PROFILED])

    def __call__(self, column: str) -> Profile:
        if column not in self.cache:
            self.cache[column] = profile(self.frame[column]) if column in self.allowed else EMPTY
        return self.cache[column]


def _weighed(column: str, kind: str, profiles: _Profiles) -> list[NameHit]:
    """Name hits of ``column`` in ``kind``, each confidence times how well the values fit it."""
    hits = name_hits(column, kind)
    if not hits:
        return []
    p = profiles(column)
    weighed = [h._replace(confidence=round(h.confidence * fits(h.canonical, p), 3)) for h in hits]
    if any(h.canonical == "margin" for h in weighed) and "profit" in kind_columns(kind) and p.ratio < 0.95:
        weighed.append(NameHit("profit", 0.8, "synonym", 50))  # 'Margin' holding amounts is a profit
    return sorted(weighed, key=lambda h: (-h.confidence, h.rank))


def _content_hits(target: str, kind: str, column: str, p: Profile) -> NameHit | None:
    """A meaning for an unnamed column, from its values alone (``CONTENT`` confidence or less)."""
    ctype = column_type(target)
    if ctype == "date" and p.date >= 0.9:
        return NameHit(target, CONTENT, "content", 2000)
    if ctype == "id" and id_like(p, unique=kind == "customers"):
        return NameHit(target, round(CONTENT * (0.9 if p.numeric >= 0.95 else 1.0), 3), "content", 2000)
    if target in ("revenue", "amount", "spend") and money_like(p):
        return NameHit(target, CONTENT + (0.1 if money_header(column) else 0.0), "content", 2000)
    if target == "quantity" and p.numeric >= 0.95 and p.integer >= 0.95 and p.year_like < 0.5:
        return NameHit(target, 0.45, "content", 2000)
    if target == "unit_price" and money_like(p):
        return NameHit(target, 0.45, "content", 2000)
    if ctype == "bool" and p.flag >= 0.95 and p.n >= 10:
        return NameHit(target, 0.5, "content", 2000)
    if target in ("channel", "segment", "category", "product") and categorical(p):
        hint = 0.2 if _word_of(column, target) else 0.0  # 'xyz_campaign_id' speaks of a campaign
        return NameHit(target, round(0.45 + hint - p.distinct / 1000, 3), "content", 2000 + p.distinct)
    return None


def _word_of(column: str, target: str) -> bool:
    """One of the header's words is a one-word synonym of ``target`` ('campaign' in 'xyz_campaign_id')."""
    words = set(normalise_header(_CAMEL.sub(" ", column)).split())
    return any(" " not in w and w in words for w in [target, *SYNONYMS.get(target, [])])


def _infer(
    kind: str,
    columns: list[str],
    chosen: dict[str, NameHit],
    hits: dict[str, list[NameHit]],
    profiles: _Profiles,
) -> dict[str, list[NameHit]]:
    """Content hits for the one required column names did not give, a price panel's lone yes/no
    promotion flag, and the ids of columns whose names argue against their values."""
    mapped = {h.canonical for h in chosen.values()}
    missing = [c for req in missing_required(kind, covered_columns(kind, mapped)) for c in req.split("|")[:1]]
    if len(missing) > 1 or len(missing) == len(CANONICAL[kind]["required"]):
        return {}  # more than one (or every) required column unnamed: content would only invent this kind
    # a lone unnamed yes/no column of a price panel is its promotion flag (a churn or write-off flag is
    # never guessed: 'Active' yes means the opposite of churned)
    flags = ["promotion"] if kind == "sales" and "promotion" not in mapped else []
    targets = missing + flags
    free = [c for c in columns if c not in chosen and all(h.confidence <= 0.35 for h in hits.get(c, []))]
    # a name whose values argue against it ('Name' holding '#1001') leaves the column to its content
    weak = [c for c in columns if hits.get(c) and max(h.confidence for h in hits[c]) <= 0.35]
    contradicted = [c for c in weak if c in chosen and chosen[c].how not in ("user", "remembered", "layout")]
    ids = [c for c in ID_COLUMNS if c in kind_columns(kind) and c not in mapped]
    found: dict[str, list[NameHit]] = {}
    pool = free + contradicted
    for target in dict.fromkeys(targets + (ids if weak else [])):
        candidates = [(c, h) for c in pool if (h := _content_hits(target, kind, c, profiles(c))) is not None]
        if column_type(target) == "bool" and len(candidates) != 1:
            continue  # several unnamed yes/no columns: which one is the flag is a guess
        share = 1.0 if len(candidates) <= 1 else 0.85  # several candidates: less sure of each
        for c, h in candidates:
            found.setdefault(c, []).append(h._replace(confidence=round(h.confidence * share, 3)))
    return found


def _kind_mapping(
    kind: str,
    columns: list[str],
    profiles: _Profiles,
    fixed: dict[str, tuple[str, str, float]],
    blocked: set[str],
) -> tuple[dict[str, NameHit], dict[str, list[NameHit]]]:
    """(chosen hit per column, every hit per column) for one kind."""
    own = set(kind_columns(kind))
    pinned = {c: NameHit(canon, conf, how, 0) for c, (canon, how, conf) in fixed.items() if canon in own}
    hits = {c: _weighed(c, kind, profiles) for c in columns if c not in pinned and c not in blocked}
    chosen = assign(columns, hits, {c: h.canonical for c, h in pinned.items()})
    extra = _infer(kind, [c for c in columns if c not in blocked], {**pinned, **chosen}, hits, profiles)
    if extra:
        for c, found in extra.items():
            hits[c] = hits.get(c, []) + found
        chosen = assign(columns, hits, {c: h.canonical for c, h in pinned.items()})
    chosen.update(pinned)
    for c, h in pinned.items():
        hits[c] = [h]
    return {c: chosen[c] for c in columns if c in chosen}, hits


def _score(kind: str, chosen: dict[str, NameHit], repeated_ids: bool) -> tuple[float, ...]:
    """Complete kinds first, then the evidence: the summed confidence of every column it maps (a kind
    with more required columns is not preferred for that alone), then the required columns covered.

    Repeated customer ids argue against a customers table (one row per customer).
    """
    mapped = {h.canonical for h in chosen.values()}
    covered = len(CANONICAL[kind]["required"]) - len(missing_required(kind, covered_columns(kind, mapped)))
    confidence = round(sum(h.confidence for h in chosen.values()), 3)
    unlikely = kind == "customers" and repeated_ids
    return (is_complete(kind, mapped), not unlikely, confidence, covered, -KINDS.index(kind))


def _fixed(
    columns: list[str],
    overrides: dict[str, str] | None,
    remembered: Remembered | None,
    layout: dict[str, str] | None,
    kind: str,
) -> dict[str, tuple[str, str, float]]:
    """Pinned meanings for ``kind``: the user's corrections, then remembered ones, then a known layout."""
    fixed: dict[str, tuple[str, str, float]] = {}
    for source, how, conf in (
        (layout, "layout", LAYOUT),
        (remembered.mapping if remembered else None, "remembered", REMEMBERED),
        (overrides, "user", USER),
    ):
        for col, canon in resolve_overrides(columns, source, kind).items():
            for other in [c for c, v in fixed.items() if v[0] == canon and c != col]:
                del fixed[other]  # a later correction takes the column from an earlier one
            fixed[col] = (canon, how, conf)
    return fixed


def decide(
    frame: pd.DataFrame,
    overrides: dict[str, str] | None = None,
    forced: str | None = None,
    remembered: Remembered | None = None,
    layout: dict[str, str] | None = None,
    blocked: set[str] | frozenset[str] = frozenset(),
) -> Decision:
    """The kind of ``frame`` (source columns, raw values) and what each column means.

    ``blocked`` columns are never mapped (a per-period total in a wide marketing layout).
    """
    columns = [str(c) for c in frame.columns]
    profiles = _Profiles(frame)
    kind_forced = forced or (remembered.kind if remembered else None)
    kinds = [kind_forced] if kind_forced else list(KINDS)
    results = {
        k: _kind_mapping(
            k, columns, profiles, _fixed(columns, overrides, remembered, layout, k), set(blocked)
        )
        for k in kinds
    }

    def repeated(kind: str) -> bool:
        col = next((c for c, h in results[kind][0].items() if h.canonical == "customer_id"), None)
        return col is not None and profiles(col).repeated

    order = sorted(kinds, key=lambda k: _score(k, results[k][0], repeated(k)), reverse=True)
    kind = order[0]
    chosen, hits = results[kind]
    ranked = [(k, {c: h.canonical for c, h in results[k][0].items()}) for k in order]
    return Decision(
        kind, {c: h.canonical for c, h in chosen.items()}, _decisions(columns, chosen, hits), ranked
    )


def _decisions(
    columns: list[str], chosen: dict[str, NameHit], hits: dict[str, list[NameHit]]
) -> list[ColumnDecision]:
    """One ColumnDecision per source column: its meaning (or None), how, confidence, alternatives."""
    used_by = {h.canonical: c for c, h in chosen.items()}
    out = []
    for col in columns:
        hit = chosen.get(col)
        others: dict[str, float] = {}
        for h in hits.get(col, []):
            if (hit is None or h.canonical != hit.canonical) and h.confidence >= 0.3:
                others[h.canonical] = max(others.get(h.canonical, 0.0), h.confidence)
        alternatives = sorted(others.items(), key=lambda a: -a[1])[:MAX_ALTERNATIVES]
        note = None
        if hit is None and alternatives and alternatives[0][0] in used_by:
            canon = alternatives[0][0]
            note = Msg(
                f"also looks like {canon}; '{used_by[canon]}' is used as {canon}, this one is kept as an attribute",
                f"也像 {canon}；已用“{used_by[canon]}”作为 {canon}，此列作为属性保留",
            )
        if hit is None:
            out.append(ColumnDecision(col, None, "unused", 0.0, alternatives, note))
        else:
            out.append(ColumnDecision(col, hit.canonical, hit.how, round(hit.confidence, 3), alternatives))
    return out
