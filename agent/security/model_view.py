"""What a language model may see of the data: pseudonymised ids, tool names, arguments and numbers.

Pure functions; agent/llm.py calls them where text leaves for the endpoint (the system prompt's
description of the loaded data, each tool result, each tool error). Text from uploaded files never
passes: not customer names, not free-text cells (a cell saying "IGNORE PREVIOUS INSTRUCTIONS ..."),
not labels such as product or region values, not column headers, not file names, and not a tool's
prose summary (it quotes all of those). What passes:

- numbers, booleans, nulls and ISO dates;
- customer ids present in the data, as the session's pseudonyms (``CUST_0001``; real ids only when
  ``CUSTFIN_PSEUDONYMISE=0``);
- names fixed by the code: tool names, table kinds, canonical column names, finding names, the
  ``top``/``bottom`` order words;
- anything else becomes ``[text]``.

``CUSTFIN_MODEL_SEES_TEXT=1`` opts in to the earlier, wordier view (the pseudonymised summary and the
data's column headers) for deployments that trust their model endpoint with it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any, Protocol

from tools.schemas import CANONICAL, KINDS

WITHHELD = "[text]"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)?$|^\d{4}-?Q[1-4]$")
_PSEUDONYM = re.compile(r"^CUST_\d{4,}$")
_TOKEN = re.compile(r"^[a-z][a-z0-9_]{0,47}$|^[A-Z]$")  # code words: snake_case names, 'W'/'M' units
MAX_TEXT_VALUES = 20_000  # distinct text values per column looked at


def _canonical_columns() -> frozenset[str]:
    names: set[str] = set()
    for spec in CANONICAL.values():
        for group in spec.values():
            names.update(group.split() if isinstance(group, str) else group)
    return frozenset(names)


CANONICAL_COLUMNS = _canonical_columns()
FIXED_WORDS = frozenset({"top", "bottom", *KINDS})


class Aliases(Protocol):
    """The session's pseudonymiser (agent/llm.py ``Pseudonymiser``): ids seen in the data, alias()."""

    ids: set[str]
    enabled: bool

    def alias(self, cid: str) -> str: ...

    def outbound(self, text: str) -> str: ...


def data_texts(frames: Iterable[Any]) -> frozenset[str]:
    """Lower-cased text values and column headers of these frames: a word the code would let through
    (``profit``, ``bgnbd``) is withheld anyway when the data contains it, so a cell or header that
    happens to look like a code word never reaches the model."""
    import pandas as pd

    found: set[str] = set()
    for frame in frames:
        found.update(str(c).strip().lower() for c in frame.columns)
        for col in frame.columns:
            series = frame[col]
            if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
                continue
            values = series.dropna().unique()[:MAX_TEXT_VALUES]
            found.update(str(v).strip().lower() for v in values)
    return frozenset(found - CANONICAL_COLUMNS - FIXED_WORDS)


_cache: dict[tuple, frozenset[str]] = {}


def session_texts(aliases: Any) -> frozenset[str]:
    """:func:`data_texts` of the session behind ``aliases`` (cached per set of loaded frames)."""
    session = getattr(aliases, "session", None)
    bundle = getattr(session, "bundle", None)
    if bundle is None:
        return frozenset()
    frames = [ds.frame for ds in bundle.datasets.values()]
    key = tuple((id(f), len(f), len(f.columns)) for f in frames)
    if key not in _cache:
        if len(_cache) > 16:
            _cache.clear()
        _cache[key] = data_texts(frames)
    return _cache[key]


def _tool_names() -> frozenset[str]:
    try:
        from tools.registry import TOOLS

        return frozenset(TOOLS)
    except Exception:  # the registry is optional for this module's own tests
        return frozenset()


def _word(text: str, data: frozenset[str]) -> bool:
    """A word fixed by the code (tool, kind, canonical column, enum value) that is not data text."""
    if text in CANONICAL_COLUMNS or text in FIXED_WORDS or text in _tool_names():
        return True
    return bool(_TOKEN.match(text)) and text.lower() not in data


def value(v: Any, aliases: Aliases, data: frozenset[str] = frozenset()) -> Any:
    """One fact value as the model may see it (recursively for lists and dicts)."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int | float):
        f = float(v)
        if not math.isfinite(f):
            return None
        return round(f, 6) if isinstance(v, float) else v
    if isinstance(v, dict):
        return {key(k, data): value(x, aliases, data) for k, x in list(v.items())[:200]}
    if isinstance(v, list | tuple | set):
        return [value(x, aliases, data) for x in list(v)[:200]]
    if hasattr(v, "isoformat"):
        return str(v.isoformat())
    text = str(v).strip()
    if _ISO_DATE.match(text):
        return text
    if text in aliases.ids:
        return aliases.alias(text)
    if aliases.enabled and _PSEUDONYM.match(text):
        return text
    return text if _word(text, data) else WITHHELD


def key(k: Any, data: frozenset[str] = frozenset()) -> str:
    """A fact or dict key: names fixed by the code pass, keys made from data do not."""
    text = str(k)
    return text if _word(text, data) else WITHHELD


def tool_content(result: Any, aliases: Aliases, see_text: bool | None = None) -> str:
    """What the model sees of one ToolResult: facts and findings (names, counts, numbers); no prose,
    tables or labels from the data. With ``see_text`` (default: the session's
    CUSTFIN_MODEL_SEES_TEXT) also the pseudonymised summary."""
    if see_text is None:
        see_text = bool(
            getattr(getattr(getattr(aliases, "session", None), "settings", None), "model_sees_text", False)
        )
    data = session_texts(aliases)
    findings = [
        {
            "name": key(f.name, data),
            "customers": len(f.customers or []),
            "value": value(f.value, aliases, data),
            "metric": key(f.metric, data) if f.metric else None,
            "threshold": value(f.threshold, aliases, data),
        }
        for f in result.findings
    ]
    facts = {key(k, data): value(v, aliases, data) for k, v in result.facts.items()}
    tables = [table_view(t, aliases, data) for t in result.tables]
    lines = [
        f"Tool {key(result.tool)} ran. Names, labels and other text from the data are withheld "
        f"(shown as {WITHHELD}); the user sees the full tables.",
        f"Facts: {json.dumps(facts, ensure_ascii=False, default=str)}",
        f"Findings: {json.dumps(findings, ensure_ascii=False, default=str) if findings else 'none'}",
        f"Tables: {json.dumps(tables)}",
    ]
    if see_text:
        lines.insert(1, aliases.outbound(result.summary.en))
    return "\n".join(lines)


IDS_SHOWN = 10


def table_view(table: Any, aliases: Aliases, data: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A table as the model may see it: its size and, when it lists customers, the pseudonyms of the
    first ones in table order (so the model can name the top customers; no rows, no names)."""
    frame = table.frame
    out: dict[str, Any] = {"name": key(getattr(table, "name", "table"), data), "rows": int(len(frame))}
    if "customer_id" in frame.columns:
        ids = frame["customer_id"].head(IDS_SHOWN).tolist()
        out["first_customers"] = [value(str(i), aliases, data) for i in ids if i is not None]
    return out


def tool_error(error: Any, aliases: Aliases, see_text: bool | None = None) -> str:
    """A failed tool call as the model may see it: the error code only (the message is the user's to
    read: it may quote file names, columns or values)."""
    if see_text is None:
        see_text = bool(
            getattr(getattr(getattr(aliases, "session", None), "settings", None), "model_sees_text", False)
        )
    code = str(getattr(error, "code", "") or "error")
    code = code if _TOKEN.match(code) else "error"
    text = f"The tool could not run (error code: {code}). Check the arguments, or ask the user."
    if see_text and error is not None and hasattr(error, "message"):
        text += " " + aliases.outbound(error.message("en"))
    return text


def schema(aliases: Aliases, see_text: bool | None = None) -> str:
    """The loaded data for the system prompt: kinds, row counts and canonical columns; other column
    headers are counted, not named (unless ``see_text``)."""
    session = getattr(aliases, "session", None)
    if see_text is None:
        see_text = bool(getattr(getattr(session, "settings", None), "model_sees_text", False))
    bundle = getattr(session, "bundle", None)
    datasets = [(kind, ds.frame) for kind, ds in (bundle.datasets.items() if bundle is not None else [])]
    lines = []
    for kind, frame in datasets:
        columns = [str(c) for c in frame.columns]
        known = [c for c in columns if c in CANONICAL_COLUMNS]
        others = [c for c in columns if c not in CANONICAL_COLUMNS]
        kind_text = kind if kind in KINDS else WITHHELD
        line = f"- {kind_text}: {len(frame):,} rows; columns {', '.join(known) or 'none'}"
        if others and see_text:
            quoted = ", ".join(json.dumps(c[:60], ensure_ascii=False) for c in others[:80])
            line += f"; other columns (quoted data) {aliases.outbound(quoted)}"
        elif others:
            line += f"; {len(others)} other column(s), names withheld"
        lines.append(line)
    return "\n".join(lines) or "- nothing loaded"
