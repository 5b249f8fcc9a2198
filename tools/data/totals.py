"""The transaction pass as ibis expressions: the same totals as ``tools.aggregate`` (see its docstring
for every output column), computed where the rows live (DuckDB, PostgreSQL, Spark, ...).

One ``group_by(keys).aggregate(...)`` per call; the result has one row per group and is the only thing
brought back to pandas, where its dtypes and order are made the same as the pandas path's:

- sums of revenue, cost and service_cost (a group whose values are all missing sums to 0, as in pandas);
- first_date / last_date: min / max of the date over purchase rows (revenue > 0);
- orders: distinct order_id over purchase rows (else distinct purchase days); purchase_days likewise;
- rows: rows in the group (purchases and refunds);
- order of groups: first appearance in the rows when the relation has a row ordinal, else by key.

Identifiers are column names of the canonical schema, quoted by ibis; no SQL text is written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from tools.data.relation import Relation

AMOUNTS = ("revenue", "cost", "service_cost")
_FIRST = "_first_row"


def period_filter(rel: Relation, start: date | None = None, end: date | None = None) -> Relation:
    """Rows with ``start <= date <= end`` (whole days, both inclusive); ``rel`` itself when unbounded."""
    if start is None and end is None:
        return rel
    t = rel.table
    cond = []
    if start is not None:
        cond.append(t.date >= pd.Timestamp(start).to_pydatetime())
    if end is not None:
        cond.append(t.date < (pd.Timestamp(end) + timedelta(days=1)).to_pydatetime())
    return rel.with_table(t.filter(cond))


def totals(
    rel: Relation,
    keys: Sequence[str],
    purchase_days: bool = False,
    like: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Totals grouped by the columns ``keys`` of ``rel`` (see the module docstring), indexed by ``keys``.

    ``like`` (the pandas frame the relation was made from, when it was) gives the dtypes to restore.
    """
    has_orders = "order_id" in rel.table.columns

    def make(t: Any) -> tuple[list[Any], dict[str, Any]]:
        purchase = t.revenue > 0
        aggs: dict[str, Any] = {c: t[c].sum() for c in AMOUNTS if c in t.columns}
        aggs |= {
            "first_date": t.date.min(where=purchase),
            "last_date": t.date.max(where=purchase),
            "rows": t.count(),
        }
        if has_orders:
            aggs["orders"] = t.order_id.nunique(where=purchase)
        if purchase_days or not has_orders:
            aggs["purchase_days"] = t.date.nunique(where=purchase)
        if rel.order is not None:
            aggs[_FIRST] = t[rel.order].min()
        return list(keys), aggs

    out = rel.grouped(make)
    out = _ordered(out, list(keys), rel.order is not None)
    for column in AMOUNTS:
        if column in out.columns:
            out[column] = out[column].astype("float64").fillna(0.0)
    for column in ("rows", "orders", "purchase_days"):
        if column in out.columns:
            out[column] = out[column].fillna(0).astype("int64")
    unit = _date_unit(like)
    for column in ("first_date", "last_date"):
        out[column] = pd.to_datetime(out[column]).astype(f"datetime64[{unit}]")
    if not has_orders:
        out["orders"] = out["purchase_days"]
    elif "purchase_days" in out.columns:
        out["orders"] = out["orders"].where(out["orders"] > 0, out["purchase_days"])
    spec = [c for c in (*AMOUNTS, "first_date", "last_date", "rows", "orders", "purchase_days") if c in out]
    return out[spec]


def pairs(rel: Relation, keys: Sequence[str], value: str = "revenue") -> pd.DataFrame:
    """Σ ``value`` per combination of ``keys`` (first-appearance or key order), as a frame with the keys as
    columns: the input of ``main_value`` (a customer's main product, channel, ...)."""

    def make(t: Any) -> tuple[list[Any], dict[str, Any]]:
        aggs: dict[str, Any] = {value: t[value].sum()}
        if rel.order is not None:
            aggs[_FIRST] = t[rel.order].min()
        return list(keys), aggs

    out = rel.grouped(make)
    out = _ordered(out, list(keys), rel.order is not None).reset_index()
    out[value] = out[value].astype("float64").fillna(0.0)
    return out


def period_columns(rel: Relation, freq: str, column: str = "date") -> tuple[Relation, list[str]]:
    """``rel`` with integer period parts of ``column`` (year; plus month or quarter) for grouping."""
    t = rel.table
    parts = {"_year": t[column].year()}
    if freq == "month":
        parts["_month"] = t[column].month()
    elif freq == "quarter":
        parts["_quarter"] = t[column].quarter()
    return rel.with_table(t.mutate(**parts)), list(parts)


def period_code_column(rel: Relation, freq: str, name: str, column: str = "date") -> Relation:
    """``rel`` with the integer period code of ``column`` as ``name``: year*12 + month - 1 (month),
    year*4 + quarter - 1 (quarter) or year, as ``tools.retention.events.period_codes``."""
    t = rel.table
    year = t[column].year().cast("int64")
    if freq == "month":
        code = year * 12 + t[column].month().cast("int64") - 1
    elif freq == "quarter":
        code = year * 4 + t[column].quarter().cast("int64") - 1
    else:
        code = year
    return rel.with_table(t.mutate(**{name: code}))


def period_labels(frame: pd.DataFrame, freq: str) -> pd.Series:
    """'2024-03', '2024Q1' or '2024' from the integer parts added by :func:`period_columns`."""
    years = frame["_year"].astype("int64").astype(str)
    if freq == "month":
        return years + "-" + frame["_month"].astype("int64").map("{:02d}".format)
    if freq == "quarter":
        return years + "Q" + frame["_quarter"].astype("int64").astype(str)
    return years


def stats(rel: Relation, columns: Sequence[str] = ()) -> dict[str, Any]:
    """rows, first and last date, and missing values of ``columns``, in one query."""
    t = rel.table
    aggs: dict[str, Any] = {"rows": t.count(), "first": t.date.min(), "last": t.date.max()}
    aggs |= {f"missing_{c}": t[c].isnull().sum() for c in columns}
    row = rel.execute(t.aggregate(**aggs)).iloc[0]
    out = {k: row[k] for k in aggs}
    out["rows"] = int(out["rows"])
    for c in columns:
        out[f"missing_{c}"] = int(out[f"missing_{c}"] or 0)
    for k in ("first", "last"):
        out[k] = pd.Timestamp(out[k]) if out[k] is not None and not pd.isna(out[k]) else pd.NaT
    return out


def value_counts(rel: Relation, column: str) -> pd.Series:
    """Rows per value of ``column`` (missing included), most common first, ties by value."""
    t = rel.table
    out = rel.execute(t.group_by(column).aggregate(_n=t.count()))
    out = out.sort_values(["_n", column], ascending=[False, True], kind="stable", na_position="last")
    return pd.Series(out["_n"].astype("int64").to_numpy(), index=pd.Index(out[column], name=column))


def distinct(rel: Relation, column: str) -> pd.Series:
    """The distinct values of ``column`` (sorted)."""
    t = rel.table
    out = rel.execute(t.select(column).distinct())
    return out[column].sort_values(kind="stable").reset_index(drop=True)


def _ordered(out: pd.DataFrame, keys: list[str], by_row: bool) -> pd.DataFrame:
    if by_row:
        out = out.sort_values(_FIRST, kind="stable").drop(columns=_FIRST)
    else:
        out = out.sort_values(keys, kind="stable", na_position="last")
    return out.set_index(keys if len(keys) > 1 else keys[0])


def _date_unit(like: pd.DataFrame | None) -> str:
    if like is not None and "date" in like.columns:
        dtype = like["date"].dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "M":
            return np.datetime_data(dtype)[0]
    return "us"
