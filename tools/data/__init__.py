"""The engine boundary: row-level work written once against ibis, run on pandas, DuckDB, Spark or a database.

``tools.aggregate`` (the one pass over transaction rows) calls in here; the tools above it only ever see
small per-customer, per-group or per-period frames.

- :mod:`backend`: which engine runs (``--backend`` / ``CUSTFIN_BACKEND``: auto, pandas, duckdb, spark)
  and the connections;
- :mod:`relation`: a table where it lives (ibis expression + connection);
- :mod:`totals`: the totals as ibis expressions;
- :mod:`sources`: read-only database tables and Parquet files as canonical datasets (``--source``).

An in-memory frame on a non-pandas backend is handed over as an ibis memtable with a row ordinal, so its
groups come back in the same first-appearance order the pandas path gives.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from tools.data import backend
from tools.data import totals as expr
from tools.data.relation import Relation, from_frame, is_relation

__all__ = [
    "Relation",
    "as_relation",
    "is_relation",
    "main_value_pairs",
    "period_pairs",
    "runs_elsewhere",
    "totals",
]

Rows = pd.DataFrame | Relation


def runs_elsewhere(tx: Rows) -> bool:
    """Whether ``tx`` is aggregated by ibis (a Relation, or a frame the chosen backend takes) or by pandas."""
    return is_relation(tx) or backend.for_frame(len(tx)) != "pandas"


def as_relation(tx: Rows, columns: Sequence[str] | None = None) -> Relation:
    """``tx`` itself, or the frame (only ``columns`` when given) on the chosen backend's connection."""
    if is_relation(tx):
        return tx
    frame = tx if columns is None else tx[list(dict.fromkeys(c for c in columns if c in tx.columns))]
    return from_frame(frame, backend.connection(backend.for_frame(len(tx))))


def totals(tx: Rows, keys: Sequence[str | pd.Series], purchase_days: bool = False) -> pd.DataFrame:
    """``tools.aggregate.totals`` through ibis: keys are column names, or (for frames) aligned Series.

    The result's index has the keys' names and dtypes as the pandas path gives them (periods included).
    """
    if is_relation(tx):
        return expr.totals(tx, [str(k) for k in keys], purchase_days)
    names: list[str] = []
    extra: dict[str, pd.Series] = {}
    levels: list[tuple[object, object]] = []  # (index name, original dtype) per key
    for i, key in enumerate(keys):
        if isinstance(key, str):
            names.append(key)
            levels.append((key, tx[key].dtype))
            continue
        column = f"_key{i}"
        values = key
        if isinstance(key.dtype, pd.PeriodDtype):
            values = pd.Series(key.array.asi8, index=key.index)  # ordinals; rebuilt below
        extra[column] = values
        names.append(column)
        levels.append((key.name, key.dtype))
    used = [*(k for k in keys if isinstance(k, str)), "date", "revenue", "order_id", *expr.AMOUNTS]
    frame = tx[list(dict.fromkeys(c for c in used if c in tx.columns))]
    rel = from_frame(frame, backend.connection(backend.for_frame(len(tx))), extra)
    out = expr.totals(rel, names, purchase_days, like=tx)
    out.index = _restore_index(out.index, levels)
    return out


def main_value_pairs(tx: Rows, column: str) -> pd.DataFrame:
    """Σ revenue per (customer_id, ``column``) in first-appearance (or key) order, as columns."""
    rel = as_relation(tx, ["customer_id", column, "revenue"])
    out = expr.pairs(rel, ["customer_id", column]).dropna(subset=["customer_id", column])
    if not is_relation(tx):
        for key in ("customer_id", column):
            out[key] = out[key].astype(tx[key].dtype)
    return out


def period_pairs(tx: Rows, freq: str) -> tuple[pd.DataFrame, pd.Series]:
    """Totals per (period, customer) and the period label of each row ('2024-03', '2024Q1', '2024')."""
    used = ["customer_id", "date", "revenue", "order_id", *expr.AMOUNTS]
    rel = as_relation(tx, used)
    with_parts, parts = expr.period_columns(rel, freq)
    out = expr.totals(with_parts, [*parts, "customer_id"], like=None if is_relation(tx) else tx)
    index = out.index.to_frame(index=False)
    labels = expr.period_labels(index, freq).rename(freq)
    ids = index["customer_id"]
    if not is_relation(tx):
        ids = ids.astype(tx["customer_id"].dtype)
    out.index = pd.MultiIndex.from_arrays([labels, ids], names=[freq, "customer_id"])
    return out, labels


def _restore_index(index: pd.Index, levels: list[tuple[object, object]]) -> pd.Index:
    arrays = [index.get_level_values(i) for i in range(index.nlevels)]
    restored = []
    for values, (name, dtype) in zip(arrays, levels, strict=True):
        if isinstance(dtype, pd.PeriodDtype):
            values = pd.PeriodIndex.from_ordinals(values.astype("int64"), freq=dtype.freq)
        else:
            values = pd.Index(values).astype(dtype)
        restored.append(pd.Index(values, name=name))
    if len(restored) == 1:
        return restored[0]
    return pd.MultiIndex.from_arrays(restored, names=[lv.name for lv in restored])
