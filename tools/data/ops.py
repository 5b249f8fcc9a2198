"""Small row-level questions the tools ask of their rows, answered the same on a pandas frame and on a
:class:`~tools.data.relation.Relation` (where the relation lives: one aggregate query each, small results).

Every function takes ``rows`` (a frame or a Relation) and returns plain values, small Series or frames,
or rows of the same type as it was given (filters).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from tools.data import totals as expr
from tools.data.relation import Relation, is_relation

Rows = pd.DataFrame | Relation


def columns(rows: Rows) -> list[str]:
    return list(rows.columns) if is_relation(rows) else [str(c) for c in rows.columns]


def count(rows: Rows) -> int:
    return rows.count() if is_relation(rows) else len(rows)


def min_max(rows: Rows, column: str = "date") -> tuple[Any, Any]:
    """(min, max) of ``column`` (NaT/None when there are no values)."""
    if not is_relation(rows):
        return rows[column].min(), rows[column].max()
    t = rows.table
    out = rows.execute(t.aggregate(lo=t[column].min(), hi=t[column].max())).iloc[0]
    return _ts(out["lo"]), _ts(out["hi"])


def missing(rows: Rows, column: str) -> int:
    if not is_relation(rows):
        return int(rows[column].isna().sum())
    t = rows.table
    return int(rows.scalar(t[column].isnull().sum()) or 0)


def on_or_before(rows: Rows, column: str, when: pd.Timestamp) -> Rows:
    if not is_relation(rows):
        return rows.loc[(rows[column] <= when).to_numpy()]
    t = rows.table
    return rows.with_table(t.filter(t[column] <= pd.Timestamp(when).to_pydatetime()))


def equal(rows: Rows, column: str, value: Any) -> Rows:
    """Rows whose ``column`` equals ``value`` (None: the missing ones)."""
    if not is_relation(rows):
        return rows.loc[rows[column].isna()] if value is None else rows.loc[rows[column] == value]
    t = rows.table
    return rows.with_table(t.filter(t[column].isnull() if value is None else t[column] == value))


def isin(rows: Rows, column: str, values: Iterable[Any]) -> Rows:
    wanted = list(values)
    if not is_relation(rows):
        return rows.loc[rows[column].isin(wanted)]
    t = rows.table
    return rows.with_table(t.filter(t[column].isin(wanted)))


def value_counts(rows: Rows, column: str) -> pd.Series:
    """Rows per value (missing included), most common first."""
    if not is_relation(rows):
        return rows[column].value_counts(dropna=False)
    return expr.value_counts(rows, column)


def unique(rows: Rows, column: str, limit: int | None = None) -> pd.Series:
    """Distinct non-missing values of ``column`` (at most ``limit`` when given; order unspecified)."""
    if not is_relation(rows):
        values = pd.Series(rows[column].dropna().unique())
        return values if limit is None else values.head(limit)
    t = rows.table
    query = t.select(column).filter(t[column].notnull()).distinct()
    if limit is not None:
        query = query.limit(limit)
    return rows.execute(query)[column]


def distinct_pairs(rows: Rows, first: str, second: str) -> pd.DataFrame:
    """The distinct (first, second) rows, first-appearance order on a frame."""
    if not is_relation(rows):
        return rows[[first, second]].drop_duplicates()
    return rows.execute(rows.table.select(first, second).distinct())


def _ts(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return pd.NaT
    return pd.Timestamp(value)


def nunique(rows: Rows, column: str) -> int:
    """Distinct non-missing values of ``column``."""
    if not is_relation(rows):
        return int(rows[column].nunique())
    return int(rows.scalar(rows.table[column].nunique()))


def count_below(rows: Rows, column: str, value: float) -> int:
    """Rows with ``column < value``."""
    if not is_relation(rows):
        return int((rows[column] < value).sum())
    t = rows.table
    return int(rows.scalar(t.filter(t[column] < value).count()))


def is_datetime(rows: Rows, column: str) -> bool:
    if not is_relation(rows):
        return pd.api.types.is_datetime64_any_dtype(rows[column])
    return rows.table[column].type().is_timestamp() or rows.table[column].type().is_date()
