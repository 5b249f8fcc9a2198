"""Live, read-only sources: a database table or Parquet files as a canonical dataset, queried in place.

Accepted (``--source``):

- ``postgresql://user[:password]@host[:port]/database?table=orders[&schema=sales]`` (also
  ``postgres://``); the password may instead come from the environment (``PGPASSWORD``, ``~/.pgpass``:
  libpq reads them). The session is opened with ``default_transaction_read_only=on``.
- ``duckdb:///path/to/file.duckdb?table=orders`` (opened ``read_only``).
- a Parquet file, a directory of Parquet files or a glob (``data/orders/*.parquet``): read by DuckDB,
  or by Spark when the backend is ``spark`` (``CUSTFIN_SPARK_URL``: a cluster reads the same path).

Columns are mapped exactly as an upload's: the first ``SAMPLE_ROWS`` rows go through the ingestion
mapping (``tools.ingest.read_table``: the same report, corrections ``--map`` and remembered mappings),
and the mapping becomes an ibis projection (rename and cast; computed columns cost = revenue − profit,
unit_price = revenue ÷ quantity, revenue = quantity × unit_price). Table and column names are used as
identifiers quoted by ibis, never pasted into SQL text. Rows are not cleaned one by one as an upload's are
(the report says so): a value the cast cannot read fails the query with a message naming the source.
"""

from __future__ import annotations

import atexit
import glob
import hashlib
import math
import os
import re
import shutil
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pandas as pd

from core.text import Msg
from tools.bundle import Dataset, IngestReport
from tools.data import backend
from tools.data.relation import Relation
from tools.errors import IngestError, ToolInputError

#: Rows read to decide the mapping (the ingestion report's sample).
SAMPLE_ROWS = 2_000
#: Customers per aggregation pass on an embedded DuckDB (about 0.8 GB of hash tables per pass).
GROUPS_PER_PARTITION = 2_000_000
_DERIVED = {
    "cost": ("revenue", "profit", "sub"),
    "unit_price": ("revenue", "quantity", "div"),
    "revenue": ("quantity", "unit_price", "mul"),
}


def _unavailable(label: str, reason: str) -> IngestError:
    return IngestError(
        Msg(f"Cannot read the source {label}: {reason}", f"无法读取数据源 {label}：{reason}"),
        code="database_unavailable",
    )


def connect(url: str) -> tuple[Relation, str]:
    """The source's table as a Relation (source column names) and a short name for reports."""
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return _postgres(parts)
    if scheme == "duckdb":
        return _duckdb_file(parts)
    if scheme in ("", "file") or len(scheme) == 1:  # a path (a Windows drive letter parses as a scheme)
        return _parquet(unquote(parts.path) if scheme == "file" else text)
    raise IngestError(
        Msg(
            f"Unsupported source '{scheme}://'. Use postgresql://user@host/db?table=NAME, "
            "duckdb:///file.duckdb?table=NAME, or a Parquet file, directory or glob.",
            f"不支持的数据源“{scheme}://”。请使用 postgresql://user@host/db?table=表名、"
            "duckdb:///file.duckdb?table=表名，或 Parquet 文件、目录或通配路径。",
        ),
        code="unsupported_format",
    )


def _table_param(parts: Any, label: str) -> tuple[str, str | None]:
    query = parse_qs(parts.query)
    table = (query.get("table") or [""])[0].strip()
    if not table:
        raise IngestError(
            Msg(
                f"The source {label} names no table: add ?table=NAME to the URL.",
                f"数据源 {label} 未指定表：请在地址后加上 ?table=表名。",
            ),
            code="bad_arguments",
        )
    schema = (query.get("schema") or [None])[0]
    return table, schema


def _open_table(con: Any, table: str, schema: str | None, label: str) -> Any:
    try:
        names = con.list_tables(database=schema) if schema else con.list_tables()
    except Exception as exc:
        raise _unavailable(
            label, str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        ) from None
    if table not in names:
        known = ", ".join(sorted(names)[:20]) or "—"
        raise IngestError(
            Msg(
                f"The source {label} has no table '{table}'. Tables: {known}.",
                f"数据源 {label} 中没有表“{table}”。已有的表：{known}。",
            ),
            code="file_unreadable",
        )
    return con.table(table, database=schema) if schema else con.table(table)


def _postgres(parts: Any) -> tuple[Relation, str]:
    import ibis

    user = unquote(parts.username) if parts.username else os.environ.get("PGUSER")
    host = parts.hostname or os.environ.get("PGHOST", "localhost")
    port = parts.port or int(os.environ.get("PGPORT", "5432"))
    database = unquote(parts.path.lstrip("/")) or os.environ.get("PGDATABASE")
    base = f"postgresql://{user + '@' if user else ''}{host}:{port}/{database or ''}"
    table, schema = _table_param(parts, base)
    label = f"{base}?table={table}"
    password = unquote(parts.password) if parts.password else None
    try:
        con = ibis.postgres.connect(
            host=host,
            port=port,
            user=user,
            password=password,
            database=database,
            options="-c default_transaction_read_only=on",
            connect_timeout=10,
        )
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _unavailable(label, reason.replace(password or "\x00", "***")) from None
    return Relation(_open_table(con, table, schema, label), con, label), table


def _duckdb_file(parts: Any) -> tuple[Relation, str]:
    import ibis

    path = unquote(parts.netloc + parts.path)
    table, schema = _table_param(parts, f"duckdb://{path}")
    label = f"duckdb://{path}?table={table}"
    if not os.path.isfile(path):
        raise _unavailable(label, "no such file")
    try:
        con = ibis.duckdb.connect(path, read_only=True)
    except Exception as exc:
        raise _unavailable(label, str(exc).strip().splitlines()[0]) from None
    return Relation(_open_table(con, table, schema, label), con, label), table


def _parquet(path: str) -> tuple[Relation, str]:

    pattern = os.path.join(path, "**", "*.parquet") if os.path.isdir(path) else path
    files = sorted(glob.glob(pattern, recursive=True))
    if not files:
        raise IngestError(
            Msg(f"No Parquet file matches {path}.", f"没有与 {path} 匹配的 Parquet 文件。"),
            code="file_unreadable",
        )
    spark = backend.requested() == "spark"  # --backend spark: Spark reads the files itself
    con = backend.spark() if spark else _bounded_duckdb()
    try:
        table = con.read_parquet(files if len(files) > 1 and not spark else path if spark else files[0])
    except Exception as exc:
        raise _unavailable(path, str(exc).strip().splitlines()[0]) from None
    name = (
        os.path.splitext(os.path.basename(files[0]))[0]
        if len(files) == 1
        else os.path.basename(path.rstrip("/"))
    )
    return Relation(table, con, path), name or "parquet"


def _bounded_duckdb() -> Any:
    """An in-process DuckDB for Parquet sources, its memory capped (``CUSTFIN_DUCKDB_MEMORY``, default
    1GB) and spilling to a private temporary directory beyond that; with customer partitions (``_partitions``)
    the per-customer hash tables of a 100M-row file fit in it."""
    import tempfile

    import ibis

    limit = os.environ.get("CUSTFIN_DUCKDB_MEMORY", "").strip().upper() or "1GB"
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB)", limit):
        raise ToolInputError(
            Msg(
                f"CUSTFIN_DUCKDB_MEMORY must look like 2GB or 512MB, got '{limit}'.",
                f"CUSTFIN_DUCKDB_MEMORY 应形如 2GB 或 512MB，收到“{limit}”。",
            ),
            code="bad_arguments",
        )
    spill = tempfile.mkdtemp(prefix="custfin-duckdb-")
    atexit.register(shutil.rmtree, spill, True)
    return ibis.duckdb.connect(memory_limit=limit, temp_directory=spill, preserve_insertion_order=False)


def _partitions(relation: Relation) -> int:
    """How many customer partitions DuckDB aggregates one after the other: one per GROUPS_PER_PARTITION
    customers (estimated), so the per-customer hash tables fit CUSTFIN_DUCKDB_MEMORY at any size."""
    customers = int(relation.scalar(relation.table.customer_id.approx_nunique()) or 0)
    return max(1, math.ceil(customers / GROUPS_PER_PARTITION))


class SourceDataset(Dataset):
    """A canonical dataset whose rows stay in the source: ``relation`` is queried in place by the tools
    that go through the engine boundary; ``frame`` reads the canonical columns into memory on first use
    (for the tools that still work on frames), at most ``max_rows`` rows."""

    def __init__(self, kind: str, relation: Relation, reports: list[IngestReport], max_rows: int, rows: int):
        self.relation = relation
        self.max_rows = max_rows
        self.source_rows = rows
        self._frame: pd.DataFrame | None = None
        super().__init__(kind, None, reports)  # type: ignore[arg-type]

    @property  # type: ignore[override]
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = self._materialise()
        return self._frame

    @frame.setter
    def frame(self, value: pd.DataFrame | None) -> None:
        self._frame = value

    def _materialise(self) -> pd.DataFrame:
        label = self.relation.label
        if self.source_rows > self.max_rows:
            raise ToolInputError(
                Msg(
                    f"This analysis reads its rows into memory, and {label} has {self.source_rows:,} rows, "
                    f"above the limit of {self.max_rows:,} (CUSTFIN_MAX_ROWS). Questions about profitability, "
                    "RFM segments, concentration, historical lifetime value, churn trends, cohort retention and "
                    "receivables ageing run inside the source at any size.",
                    f"该分析需要把数据读入内存，而 {label} 有 {self.source_rows:,} 行，超过 {self.max_rows:,} 行的"
                    "上限（CUSTFIN_MAX_ROWS）。利润、RFM 分群、集中度、历史客户终身价值、"
                    "流失趋势、同期群留存和应收账龄问题可在数据源内按任意规模计算。",
                ),
                code="too_large",
            )
        frame = self.relation.execute(self.relation.table)
        return _like_ingest(frame)

    @property
    def rows(self) -> int:
        return self.source_rows

    def __repr__(self) -> str:  # the dataclass repr would read every row
        return f"SourceDataset(kind={self.kind!r}, source={self.relation.label!r}, rows={self.source_rows})"

    __eq__ = object.__eq__  # the same source object, not the same values (that would read every row)
    __hash__ = object.__hash__

    @property
    def fingerprint(self) -> str:
        """sha256 of the source's label, kind, canonical columns and row count (not of every value: the
        rows stay in the source)."""
        text = "\x00".join([self.relation.label, self.kind, *self.relation.columns, str(self.source_rows)])
        return hashlib.sha256(text.encode()).hexdigest()


def _like_ingest(frame: pd.DataFrame) -> pd.DataFrame:
    """Dtypes as an upload's: text as pandas' str, timestamps in microseconds."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            values = values.astype("str").where(values.notna())
        elif values.dtype.kind == "M":
            values = values.astype("datetime64[us]")
        out[column] = values
    return pd.DataFrame(out)


def _cast(column: Any, dtype: Any) -> Any:
    kind = getattr(dtype, "kind", "O")
    if kind == "M":
        return column.cast("timestamp")
    if kind == "f":
        return column.cast("float64")
    if kind in "iu":
        return column.cast("int64")
    if kind == "b":
        return column.cast("boolean")
    return column.cast("string")


def open_source(
    url: str,
    *,
    mapping: dict[str, str] | None = None,
    kind: str | None = None,
    recall: Any = None,
    max_rows: int = 5_000_000,
) -> SourceDataset:
    """The source at ``url`` as a canonical :class:`SourceDataset` (see the module docstring).

    Raises IngestError (database_unavailable, file_unreadable, missing_columns, ...) with a bilingual
    message naming the source.
    """
    from tools.ingest import read_table

    raw, name = connect(url)
    label = raw.label
    try:
        sample = raw.execute(raw.table.limit(SAMPLE_ROWS))
        rows = raw.count()
    except Exception as exc:
        raise _unavailable(label, str(exc).strip().splitlines()[0]) from None
    if sample.empty:
        raise IngestError(
            Msg(f"The source {label} has no rows.", f"数据源 {label} 没有数据行。"), code="file_unreadable"
        )
    decided = read_table(
        sample.to_csv(index=False).encode(), f"{name}.csv", mapping=mapping, kind=kind, recall=recall
    )
    report = decided.reports[0]
    t = raw.table
    columns: dict[str, Any] = {}
    for source, canonical in report.mapping.items():
        if canonical in decided.frame.columns and source in t.columns and canonical not in columns:
            columns[canonical] = _cast(t[source], decided.frame[canonical].dtype)
    warnings = list(report.warnings)
    for canonical in report.derived:
        recipe = _DERIVED.get(canonical)
        if recipe is not None and recipe[0] in columns and recipe[1] in columns and canonical not in columns:
            a, b = columns[recipe[0]], columns[recipe[1]]
            columns[canonical] = a - b if recipe[2] == "sub" else a / b if recipe[2] == "div" else a * b
        elif canonical not in columns:
            warnings.append(
                Msg(
                    f"{canonical} ({report.derived[canonical]}) is not computed for a live source.",
                    f"实时数据源不计算 {canonical}（{report.derived[canonical]}）。",
                )
            )
    ordered = [c for c in decided.frame.columns if c in columns]
    relation = Relation(t.select(**{c: columns[c] for c in ordered}), raw.con, label)
    if getattr(raw.con, "name", "") == "duckdb" and "customer_id" in relation.columns:
        relation = replace(relation, partitions=_partitions(relation))
    warnings.append(
        Msg(
            f"Read in place, read-only: {rows:,} rows. The mapping was decided on the first "
            f"{min(rows, SAMPLE_ROWS):,} rows; rows are not checked one by one as an upload's are.",
            f"在数据源内只读查询：{rows:,} 行。列的含义按前 {min(rows, SAMPLE_ROWS):,} 行判断；"
            "不像上传文件那样逐行检查。",
        )
    )
    report.filename = label
    report.rows_read = report.rows_kept = rows
    report.dropped = []
    report.warnings = warnings
    report.encoding = report.delimiter = None
    return SourceDataset(decided.kind, relation, [report], max_rows, rows)
