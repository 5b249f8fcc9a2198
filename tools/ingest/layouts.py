"""Export layouts whose headers do not say what the columns are, recognised by their whole header.

- Known layouts: a documented header set (e.g. the US bankruptcy panel whose statement lines are
  named X1..X18, meanings from its data dictionary) gives its mapping, reported as "layout".
- The wide marketing layout: one spend column per channel (``tv_S``, ``search_spend``, ``花费_抖音``)
  and no channel column is read as one row per period and channel (channel = the column's name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.ingest.common import Raw
from tools.ingest.values import to_number
from tools.schemas import TEXT_DTYPE, normalise_header


@dataclass(frozen=True)
class Layout:
    """A documented export layout: the normalised headers it must have and what they mean."""

    name: str
    source: str
    required: frozenset[str]
    mapping: dict[str, str]


_X = {f"x{i}" for i in range(1, 19)}
LAYOUTS = (
    Layout(
        "US bankruptcy panel (X1..X18)",
        "data dictionary of the 'american_bankruptcy' data set (X1 current assets ... X18 operating expenses)",
        frozenset(_X | {"status label"}),
        {
            "X1": "current_assets",
            "X5": "inventory",
            "X8": "market_value_equity",
            "X10": "total_assets",
            "X12": "ebit",
            "X14": "current_liabilities",
            "X15": "retained_earnings",
            "X16": "sales",
            "X17": "total_liabilities",
        },
    ),
)


def known_layout(columns: list[str]) -> Layout | None:
    """The known layout whose required headers are all in ``columns``, if any."""
    names = {normalise_header(c) for c in columns}
    return next((layout for layout in LAYOUTS if layout.required <= names), None)


def layout_mapping(layout: Layout, columns: list[str]) -> dict[str, str]:
    """The layout's mapping with the file's own spelling of each header."""
    by_norm = {normalise_header(c): c for c in columns}
    return {
        by_norm[normalise_header(k)]: v for k, v in layout.mapping.items() if normalise_header(k) in by_norm
    }


# --- the wide marketing layout ---------------------------------------------------------------------------

_SPEND_SUFFIX = re.compile(
    r"^(?P<channel>.+?)(?:_S|[ _-]+(?:spend|spent|cost)|[ _-]*(?:花费|投入|消耗))$", re.I
)
_SPEND_PREFIX = re.compile(r"^(?:spend|spent|花费|投入|消耗)[ _-]+(?P<channel>.+)$", re.I)
WIDE_CHANNEL, WIDE_SPEND = "channel", "spend"


def _spend_name(column: str) -> bool:
    """'tv_S' (Robyn's upper-case suffix), 'search spend', '花费_抖音'; not 'sales_s' in lower case."""
    if _SPEND_SUFFIX.match(column) is None and _SPEND_PREFIX.match(column) is None:
        return False
    return not column.endswith("_s")


def wide_spend_columns(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(column, channel) of the spend-per-channel columns, when there are at least two numeric ones."""
    found = []
    for col in map(str, frame.columns):
        if not _spend_name(col):
            continue
        values, bad = to_number(frame[col].iloc[:500])
        if values.notna().sum() and not bad.any():
            found.append((col, col))
    return found if len(found) >= 2 else []


def melt_wide(raw: Raw, spend: list[tuple[str, str]]) -> Raw:
    """One row per (source row, spend column): the other columns repeated, channel, spend."""
    columns = [c for c in raw.frame.columns if c not in {s for s, _ in spend}]
    n, k = len(raw.frame), len(spend)
    base = raw.frame[columns]
    frames = []
    for source, channel in spend:
        part = base.copy()
        part[WIDE_CHANNEL] = pd.Series([channel] * n, index=base.index, dtype=TEXT_DTYPE)
        part[WIDE_SPEND] = raw.frame[source]
        frames.append(part)
    frame = pd.concat(frames, ignore_index=True)
    line_of = raw.line_of

    def lines(positions: np.ndarray) -> np.ndarray:
        return line_of(np.asarray(positions) % max(n, 1))

    melted = Raw(frame, raw.header_row, lines, raw.encoding, raw.delimiter, raw.sheet, list(raw.warnings))
    melted.typed, melted.padded, melted.day_columns = raw.typed, True, raw.day_columns
    assert len(frame) == n * k
    return melted
