"""Headers that span two rows: a group label above its sub-columns ('销售' over '金额' and '成本', often a
merged cell) or names split over two lines. The two rows are joined per column ('销售金额', '销售成本').

>>> names, used = two_line_header([["客户编号", "日期", "销售", None], [None, None, "金额", "成本"],
...                               ["C1", "2024-01-05", "10", "6"]], 0)
>>> names, used
(['客户编号', '日期', '销售金额', '销售成本'], 1)
"""

from __future__ import annotations

import re

from tools.schemas import is_known_header

Cell = str | None
_DATA_LIKE = re.compile(r"^[-+(]?[\d.,%¥$€]+\)?$|^\d{1,4}[-/.年]\d{1,2}")


def _blank(cell: Cell) -> bool:
    return cell is None or not str(cell).strip()


def _header_like(row: list[Cell]) -> bool:
    """Text cells only (no numbers, no dates): a row of names, not of data."""
    cells = [str(c).strip() for c in row if not _blank(c)]
    return bool(cells) and not any(_DATA_LIKE.match(c) for c in cells)


def _filled(row: list[Cell], width: int, spans: list[tuple[int, int]]) -> list[Cell]:
    """The row padded to ``width``, each merged range's value copied across it."""
    out = [*row[:width], *[None] * (width - len(row))]
    for first, last in spans:
        for j in range(first + 1, min(last, width - 1) + 1):
            out[j] = out[first]
    return out


def _joined(top: list[Cell], bottom: list[Cell]) -> list[Cell]:
    names: list[Cell] = []
    for a, b in zip(top, bottom, strict=True):
        a_text, b_text = ("" if _blank(a) else str(a).strip()), ("" if _blank(b) else str(b).strip())
        names.append(a_text + b_text if a_text and b_text and a_text != b_text else a_text or b_text or None)
    return names


def _known(names: list[Cell]) -> int:
    return sum(1 for n in names if not _blank(n) and is_known_header(str(n)))


def two_line_header(
    rows: list[list[Cell]], index: int, merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None
) -> tuple[list[Cell], int]:
    """(header names, index of the last header row): ``rows[index]`` alone, or joined with the row below
    or above it when the two make one header.

    Two rows make one header when the second is names only, the two complement each other (a group
    label whose sub-columns are below it, a name above an empty cell) and the joined names are read at
    least as well as either row alone. ``merged``: ((row, col), (row, col)) ranges, 0-based, inclusive.
    """
    width = max((len(r) for r in rows[max(index - 1, 0) : index + 2]), default=0)
    spans: dict[int, list[tuple[int, int]]] = {}
    for (r0, c0), (r1, c1) in merged or []:
        if r0 == r1 and c1 > c0:
            spans.setdefault(r0, []).append((c0, c1))
    for top_i, bottom_i in ((index, index + 1), (index - 1, index)):
        if top_i < 0 or bottom_i >= len(rows) or not _header_like(rows[bottom_i]):
            continue
        top = _filled(rows[top_i], width, spans.get(top_i, []))
        bottom = _filled(rows[bottom_i], width, [])
        if sum(not _blank(c) for c in top) < 2:
            continue  # a title above the header, not a group row
        grouped = any(
            not _blank(bottom[j]) for first, last in spans.get(top_i, []) for j in range(first, last + 1)
        )
        below_gaps = any(
            _blank(a) and not _blank(b) for a, b in zip(rows[top_i] + [None] * width, bottom, strict=False)
        )
        above_only = any(not _blank(a) and _blank(b) for a, b in zip(top, bottom, strict=False))
        if not (grouped or (below_gaps and above_only)):
            continue
        if not merged:  # no merge information (CSV): a group label is blank over its later sub-columns
            top = _carry_right(top, bottom)
        names = _joined(top, bottom)
        if _known(names) >= max(_known(top), _known(bottom)) and _known(names) > 0:
            return names, bottom_i
    return list(rows[index]), index


def _carry_right(top: list[Cell], bottom: list[Cell]) -> list[Cell]:
    """A group label left of blank top cells whose bottom cells are filled covers them (CSV of merged cells)."""
    out = list(top)
    for j in range(1, len(out)):
        if _blank(out[j]) and not _blank(bottom[j]) and not _blank(bottom[j - 1]) and not _blank(out[j - 1]):
            out[j] = out[j - 1]
    return out
