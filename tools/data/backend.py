"""Which engine runs the transaction pass: pandas, DuckDB (embedded) or Spark, and the connections.

Choice, first that is set: :func:`use_backend` (the CLI's ``--backend``), the ``CUSTFIN_BACKEND``
environment variable, else ``auto``. ``auto`` keeps an in-memory frame in pandas below
``AUTO_DUCKDB_ROWS`` rows (no conversion cost; the pandas path is as fast there) and hands larger ones to
DuckDB; a dataset that lives in a database or in Parquet files (a :class:`~tools.data.relation.Relation`)
always runs where it lives, whatever the choice.

Spark: ``CUSTFIN_SPARK_URL`` is a master URL (``local[2]``, ``spark://host:7077``, ``yarn``) or a Spark
Connect URL (``sc://host:15002``); default ``local[2]``. pyspark is imported only when Spark is used.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

from core.text import Msg
from tools.errors import ToolInputError

Backend = Literal["auto", "pandas", "duckdb", "spark"]
BACKENDS: tuple[str, ...] = ("auto", "pandas", "duckdb", "spark")
ENV = "CUSTFIN_BACKEND"
SPARK_ENV = "CUSTFIN_SPARK_URL"
#: Under ``auto``, in-memory frames with at least this many rows run on DuckDB instead of pandas.
AUTO_DUCKDB_ROWS = 2_000_000

_chosen: ContextVar[str | None] = ContextVar("custfin_backend", default=None)
_local = threading.local()
_spark_lock = threading.Lock()
_spark: dict[str, Any] = {}


def check(name: str) -> str:
    """``name`` if it is a backend, else ToolInputError (bad_arguments) naming the choices."""
    if name not in BACKENDS:
        raise ToolInputError(
            Msg(
                f"Unknown backend '{name}' (from --backend or {ENV}). Expected one of: {', '.join(BACKENDS)}.",
                f"未知的计算后端“{name}”（来自 --backend 或 {ENV}）。可选：{'、'.join(BACKENDS)}。",
            ),
            code="bad_arguments",
        )
    return name


def requested() -> str:
    """The backend asked for: :func:`use_backend`, else ``CUSTFIN_BACKEND``, else ``auto``."""
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    return check(os.environ.get(ENV, "").strip().lower() or "auto")


@contextmanager
def use_backend(name: str) -> Iterator[None]:
    """Run the enclosed tool calls on backend ``name`` (one of BACKENDS)."""
    token = _chosen.set(check(name))
    try:
        yield
    finally:
        _chosen.reset(token)


def for_frame(rows: int) -> str:
    """Where an in-memory frame of ``rows`` rows is aggregated: pandas, duckdb or spark."""
    name = requested()
    if name == "auto":
        return "pandas" if rows < AUTO_DUCKDB_ROWS else "duckdb"
    return name


def duckdb() -> Any:
    """This thread's in-process DuckDB connection (ibis), created on first use (DuckDB connections are
    not shared between threads)."""
    con = getattr(_local, "duckdb", None)
    if con is None:
        import ibis

        con = ibis.duckdb.connect()
        _local.duckdb = con
    return con


def spark() -> Any:
    """The process's Spark connection (ibis pyspark backend) from ``CUSTFIN_SPARK_URL`` (default local[2])."""
    url = os.environ.get(SPARK_ENV, "").strip() or "local[2]"
    with _spark_lock:
        con = _spark.get(url)
        if con is not None:
            return con
        try:
            import ibis
            from pyspark.sql import SparkSession
        except ImportError as exc:  # pyspark is an optional install
            raise ToolInputError(
                Msg(
                    "The Spark backend needs pyspark (pip install 'ibis-framework[pyspark]') and a Java runtime.",
                    "Spark 后端需要 pyspark（pip install 'ibis-framework[pyspark]'）和 Java 运行环境。",
                ),
                code="bad_arguments",
            ) from exc
        builder = SparkSession.builder.appName("custfin")
        if url.startswith("sc://"):
            builder = builder.remote(url)
        else:
            builder = builder.master(url).config("spark.ui.enabled", "false")
            builder = builder.config("spark.sql.session.timeZone", "UTC")
            builder = builder.config("spark.sql.shuffle.partitions", "4")
            builder = builder.config("spark.ui.showConsoleProgress", "false")
        session = builder.getOrCreate()
        if not url.startswith("sc://"):
            session.sparkContext.setLogLevel("ERROR")
        con = ibis.pyspark.connect(session)
        _spark[url] = con
        return con


def connection(name: str) -> Any:
    """The ibis connection that aggregates in-memory frames on backend ``name`` (duckdb or spark)."""
    return spark() if name == "spark" else duckdb()
