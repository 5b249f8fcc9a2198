"""The app database: a SQLite file in the data directory by default, PostgreSQL when DATABASE_URL is set.

One schema serves both (agent/sql/NNNN_name.sql, portable SQL: TEXT, INT and BOOLEAN columns, JSON kept
as text), created and migrated at start and recorded in ``schema_version``. custfin's own code talks to
it through SQLAlchemy Core with bound parameters (``:name``; a list or tuple value expands for ``IN``);
Chainlit's data layer uses the async URL of the same database (agent/datalayer.py).
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, CursorResult, Engine, bindparam, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from agent.settings import Settings

SQL_DIR = Path(__file__).with_name("sql")
DB_NAME = "custfin.sqlite3"
POSTGRES_DRIVER = "postgresql+psycopg"  # psycopg 3 serves both the sync and the async engine
MIGRATION_LOCK = 0x637573_66696E  # pg_advisory_xact_lock key: one migrating process at a time
_MIGRATION_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_engines: dict[str, Engine] = {}
_migrated: set[str] = set()
_lock = threading.Lock()


class DatabaseUrlError(ValueError):
    """DATABASE_URL is not a PostgreSQL URL this app can use."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def sqlite_path(settings: Settings) -> Path:
    return settings.data_dir / DB_NAME


def _postgres_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"DATABASE_URL is not a database URL: {exc}") from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise DatabaseUrlError(
            f"DATABASE_URL must be a PostgreSQL URL (postgresql://user:password@host:5432/db), "
            f"not {url.get_backend_name()!r}; leave it unset for the built-in SQLite file."
        )
    return url.set(drivername=POSTGRES_DRIVER)


def is_postgres(settings: Settings) -> bool:
    return bool(settings.database_url)


def sync_url(settings: Settings) -> URL:
    if settings.database_url:
        return _postgres_url(settings.database_url)
    return URL.create("sqlite", database=str(sqlite_path(settings)))


def async_url(settings: Settings) -> URL:
    """The URL for Chainlit's async data layer (psycopg's async mode, or aiosqlite)."""
    if settings.database_url:
        return _postgres_url(settings.database_url)
    return URL.create("sqlite+aiosqlite", database=str(sqlite_path(settings)))


def describe(settings: Settings) -> str:
    """Where the database is, password hidden (for logs and the CLI)."""
    return sync_url(settings).render_as_string(hide_password=True)


def _sqlite_engine(url: URL) -> Engine:
    """pysqlite with SQLAlchemy's documented recipe for real transactions: the driver's own implicit
    BEGIN is off and every transaction starts with BEGIN IMMEDIATE (writers queue for up to 30 s)."""
    Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def engine(settings: Settings) -> Engine:
    """One engine (connection pool) per database per process."""
    url = sync_url(settings)
    key = url.render_as_string(hide_password=False)
    with _lock:
        if key not in _engines:
            if url.get_backend_name() == "sqlite":
                _engines[key] = _sqlite_engine(url)
            else:
                _engines[key] = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        return _engines[key]


def run(conn: Connection, sql: str, params: Mapping[str, Any] | None = None) -> CursorResult:
    """Execute one statement with bound parameters; list/tuple values expand (``IN :ids``)."""
    params = dict(params or {})
    statement = text(sql)
    expanding = [bindparam(k, expanding=True) for k, v in params.items() if isinstance(v, list | tuple)]
    if expanding:
        statement = statement.bindparams(*expanding)
    return conn.execute(statement, params)


@contextlib.contextmanager
def connect(settings: Settings) -> Iterator[Connection]:
    """A connection in a write transaction, committed on success and rolled back on error."""
    ensure_schema(settings)
    with engine(settings).begin() as conn:
        yield conn


def rows(settings: Settings, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of one query as dicts (a short transaction of its own)."""
    with connect(settings) as conn:
        return [dict(r) for r in run(conn, sql, params).mappings()]


# ----------------------------------------------------------------------------------------------------
# Schema


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every DDL file in agent/sql/, in version order."""
    found = []
    for path in sorted(SQL_DIR.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if match:
            found.append((int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    return found


def statements(sql: str) -> list[str]:
    """The DDL files hold one statement per ';'-terminated block (no triggers, no ';' in strings)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def migrate(settings: Settings) -> int:
    """Create or upgrade the schema; returns the schema version. Safe to run from several processes."""
    with engine(settings).begin() as conn:
        if conn.dialect.name == "postgresql":
            run(conn, "SELECT pg_advisory_xact_lock(:key)", {"key": MIGRATION_LOCK})
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = run(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_version").scalar_one()
        for version, name, sql in migrations():
            if version <= current:
                continue
            for statement in statements(sql):
                conn.exec_driver_sql(statement)
            run(
                conn,
                "INSERT INTO schema_version (version, name, applied_at) VALUES (:v, :n, :at)",
                {"v": version, "n": name, "at": now_iso()},
            )
            current = version
        return current


def ensure_schema(settings: Settings) -> None:
    """Migrate once per process and database; the data directory is made owner-only first
    (agent/security/files.py: umask 077, 0700 folders, 0600 files)."""
    key = sync_url(settings).render_as_string(hide_password=False)
    if key not in _migrated:
        from agent.security import files

        files.harden(settings.data_dir)
        migrate(settings)
        _migrated.add(key)
