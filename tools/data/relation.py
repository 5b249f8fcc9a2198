"""A table the engine aggregates where it lives: an ibis table expression with its connection.

An in-memory pandas frame becomes a Relation on DuckDB or Spark (:func:`from_frame`, with a ``_row``
ordinal so groups keep the frame's first-appearance order); a database table or Parquet files become one
through :mod:`tools.data.sources` (read-only; groups come back sorted by key, since such tables have no
row order). Only the results of aggregations (one row per customer, group or cell) are executed back
into pandas.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from core.text import Msg
from tools.errors import ToolInputError

ROW = "_row"


@dataclass(frozen=True)
class Relation:
    """``table`` (ibis Table) on ``con`` (an ibis backend); ``label`` names the source for messages (never a
    password); ``order`` is the column giving first-appearance order, or None (then groups sort by key)."""

    table: Any
    con: Any
    label: str
    order: str | None = None
    #: aggregate per-customer groups in this many passes (hash of customer_id), to bound memory
    partitions: int = 1

    @property
    def columns(self) -> list[str]:
        return [c for c in self.table.columns if c != self.order]

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    def with_table(self, table: Any) -> Relation:
        return replace(self, table=table)

    def execute(self, expr: Any) -> pd.DataFrame:
        """Run an aggregation and bring its (small) result back as a pandas frame: through Arrow, whose
        buffers are released while the frame is built (one copy in memory, not two; at millions of
        customers that is the difference)."""
        try:
            table = self.con.to_pyarrow(expr)
        except Exception as exc:
            if type(exc).__name__ != "OutOfMemoryException":  # DuckDB's, at its memory cap
                raise
            raise ToolInputError(
                Msg(
                    f"{self.label} is too large for the memory the embedded DuckDB may use "
                    "(CUSTFIN_DUCKDB_MEMORY); ask an administrator to raise it.",
                    f"{self.label} 超出了内嵌 DuckDB 可用的内存（CUSTFIN_DUCKDB_MEMORY），请联系管理员调高。",
                ),
                code="too_large",
            ) from None
        return table.to_pandas(self_destruct=True, split_blocks=True)

    def grouped(self, make: Callable[[Any], tuple[list[Any], dict[str, Any]]]) -> pd.DataFrame:
        """Execute ``t.group_by(keys).aggregate(**aggs)`` with ``keys, aggs = make(t)``, t = the table.

        With several partitions and per-customer groups (a key named customer_id), one pass per
        partition of hash(customer_id): the groups of two partitions never overlap, so the passes are
        concatenated, and each pass holds a fraction of the hash tables.
        """
        table = self.table
        keys, aggs = make(table)
        per_customer = "customer_id" in table.columns and any(_names(k) == "customer_id" for k in keys)
        if self.partitions <= 1 or not per_customer:
            return self.execute(table.group_by(keys).aggregate(**aggs))
        n = self.partitions
        bucket = (table.customer_id.hash() % n + n) % n  # the hash may be signed: buckets 0..n-1
        frames = []
        for i in range(n):
            part = table.filter(bucket == i)
            keys, aggs = make(part)
            frames.append(self.execute(part.group_by(keys).aggregate(**aggs)))
        return pd.concat(frames, ignore_index=True)

    def scalar(self, expr: Any) -> Any:
        return self.con.execute(expr)

    def count(self) -> int:
        return int(self.scalar(self.table.count()))


def is_relation(obj: object) -> bool:
    return isinstance(obj, Relation)


def from_frame(frame: pd.DataFrame, con: Any, extra: Mapping[str, pd.Series] | None = None) -> Relation:
    """``frame`` (plus ``extra`` aligned Series as columns) as a Relation on ``con``, with a ``_row`` ordinal."""
    import ibis

    data = frame.reset_index(drop=True)
    if extra:
        data = data.assign(**{name: _values(series) for name, series in extra.items()})
    data = data.assign(**{ROW: np.arange(len(data), dtype=np.int64)})
    return Relation(ibis.memtable(data), con, "pandas frame", ROW)


def _values(series: pd.Series | Any) -> Any:
    """Positional values of an aligned key (a Series keeps its dtype: periods, categories)."""
    return series.reset_index(drop=True) if isinstance(series, pd.Series) else series


def _names(key: Any) -> str:
    return key if isinstance(key, str) else key.get_name()
