"""What is kept between runs, and where (all under ``settings.data_dir``):

- ``custfin.sqlite3``: Chainlit's tables (users, threads, steps, elements, feedbacks) plus custfin's
  (credentials, datasets, thread_state). The schema is created and migrated at start from the
  versioned DDL files in agent/sql/ (``NNNN_name.sql``), recorded in ``schema_version``.
- ``files/<user id>/<element id>/<name>``: message elements (uploads, tables, charts, CSV exports),
  written by Chainlit through agent/datalayer.py and served only to their owner at ``/custfin/files/``.
- ``datasets/<user id>/<thread id>/<row id>.parquet`` (+ ``.source``): each uploaded file's canonical
  frame and original bytes, recorded in the ``datasets`` table, so a resumed conversation has its data.

Every write that the chat acknowledges is durable first: files are written to a temporary name,
fsynced and renamed before their database row is committed (SQLite in WAL mode), so a kill -9 leaves
either the whole record or none of it (stray files are swept at the next start).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import os
import re
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from agent.session import LoadedFile
from agent.settings import Settings
from tools.bundle import Dataset, DroppedRows, IngestReport
from tools.text import Msg

log = logging.getLogger("custfin.persistence")

SQL_DIR = Path(__file__).with_name("sql")
DB_NAME = "custfin.sqlite3"
ORPHAN_GRACE = timedelta(hours=1)  # files younger than this may belong to a save in progress
_MIGRATION_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_migrated: set[Path] = set()
_migrate_lock = threading.Lock()


def db_path(settings: Settings) -> Path:
    return settings.data_dir / DB_NAME


def files_dir(settings: Settings) -> Path:
    return settings.data_dir / "files"


def datasets_dir(settings: Settings) -> Path:
    return settings.data_dir / "datasets"


def now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


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


def _statements(sql: str) -> list[str]:
    """The DDL files hold one statement per ';'-terminated block (no triggers, no ';' in strings)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def migrate(settings: Settings) -> int:
    """Create or upgrade the schema; returns the schema version. Safe to call from several processes."""
    path = db_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("BEGIN IMMEDIATE")  # one migrating process at a time
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            current = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
            for version, name, sql in migrations():
                if version <= current:
                    continue
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, now_iso()),
                )
                current = version
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return current
    finally:
        conn.close()


def ensure_schema(settings: Settings) -> None:
    """Migrate once per process and database file."""
    path = db_path(settings).resolve()
    with _migrate_lock:
        if path not in _migrated:
            migrate(settings)
            _migrated.add(path)


@contextlib.contextmanager
def connect(settings: Settings) -> Iterator[sqlite3.Connection]:
    """A connection with an open write transaction, committed on success, rolled back on error."""
    ensure_schema(settings)
    conn = sqlite3.connect(db_path(settings), timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()


# ----------------------------------------------------------------------------------------------------
# Files on disk


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def unlink_file(path: Path, root: Path) -> None:
    """Delete a file and the directories it leaves empty, up to ``root``."""
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def _safe_part(part: str) -> str:
    if not part or part in (".", "..") or "\x00" in part or "\\" in part:
        raise ValueError(f"unsafe path component: {part!r}")
    return part


def element_path(settings: Settings, object_key: str) -> Path:
    """Where the element file with this Chainlit object key lives (ValueError if it would escape)."""
    root = files_dir(settings).resolve()
    parts = [_safe_part(p) for p in object_key.split("/")]
    path = root.joinpath(*parts).resolve()
    if root not in path.parents:
        raise ValueError(f"object key outside the storage root: {object_key!r}")
    return path


# ----------------------------------------------------------------------------------------------------
# Datasets of a conversation


def _fingerprint(f: LoadedFile) -> str:
    assert f.dataset is not None
    key = json.dumps([f.filename, f.kind, sorted(f.mapping.items()), f.dataset.fingerprint])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _report_to_json(report: IngestReport) -> dict[str, Any]:
    return dataclasses.asdict(report)


def _report_from_json(raw: dict[str, Any]) -> IngestReport:
    raw = dict(raw)
    raw["dropped"] = [
        DroppedRows(Msg(**d["reason"]), d["count"], list(d.get("rows") or [])) for d in raw.get("dropped", [])
    ]
    raw["warnings"] = [Msg(**w) for w in raw.get("warnings", [])]
    known = {f.name for f in dataclasses.fields(IngestReport)}
    return IngestReport(**{k: v for k, v in raw.items() if k in known})


def _frame_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    return buffer.getvalue()


def _thread_dir(settings: Settings, user_id: str, thread_id: str) -> Path:
    return datasets_dir(settings) / _safe_part(user_id) / _safe_part(thread_id)


def save_thread_files(
    settings: Settings, user_id: str, user_identifier: str, thread_id: str, files: Sequence[LoadedFile]
) -> None:
    """Make the stored datasets of ``thread_id`` equal to ``files`` (unchanged files are not rewritten)."""
    files = [f for f in files if f.dataset is not None]
    with connect(settings) as conn:
        rows = conn.execute(
            "SELECT id, user_id, position, fingerprint, parquet_path, source_path FROM datasets "
            "WHERE thread_id = ?",
            (thread_id,),
        ).fetchall()
    if any(r["user_id"] != user_id for r in rows):
        raise PermissionError(f"thread {thread_id} belongs to another user")
    existing = {r["position"]: r for r in rows}
    stale: list[sqlite3.Row] = []
    folder = _thread_dir(settings, user_id, thread_id)
    for position, f in enumerate(files):
        fingerprint = _fingerprint(f)
        old = existing.get(position)
        if old is not None and old["fingerprint"] == fingerprint:
            continue
        row_id = uuid.uuid4().hex
        parquet, source = folder / f"{row_id}.parquet", folder / f"{row_id}.source"
        write_atomic(parquet, _frame_bytes(f.dataset.frame))
        write_atomic(source, f.data)
        with connect(settings) as conn:
            conn.execute("DELETE FROM datasets WHERE thread_id = ? AND position = ?", (thread_id, position))
            conn.execute(
                "INSERT INTO datasets (id, user_id, user_identifier, thread_id, position, filename, "
                "kind_override, mapping, dataset_kind, reports, fingerprint, parquet_path, source_path, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row_id,
                    user_id,
                    user_identifier,
                    thread_id,
                    position,
                    f.filename,
                    f.kind,
                    json.dumps(f.mapping),
                    f.dataset.kind,
                    json.dumps([_report_to_json(r) for r in f.dataset.reports], ensure_ascii=False),
                    fingerprint,
                    str(parquet.relative_to(settings.data_dir)),
                    str(source.relative_to(settings.data_dir)),
                    now_iso(),
                ),
            )
        if old is not None:
            stale.append(old)
    extra = [r for p, r in existing.items() if p >= len(files)]
    if extra:
        with connect(settings) as conn:
            conn.execute(
                "DELETE FROM datasets WHERE thread_id = ? AND position >= ?", (thread_id, len(files))
            )
        stale.extend(extra)
    _remove_dataset_files(settings, stale)


def load_thread_files(settings: Settings, user_id: str, thread_id: str) -> list[LoadedFile]:
    """The stored files of a conversation, in upload order (only the owner's rows are read)."""
    with connect(settings) as conn:
        rows = conn.execute(
            "SELECT * FROM datasets WHERE user_id = ? AND thread_id = ? ORDER BY position",
            (user_id, thread_id),
        ).fetchall()
    files = []
    for r in rows:
        try:
            frame = pd.read_parquet(settings.data_dir / r["parquet_path"])
            data = (settings.data_dir / r["source_path"]).read_bytes()
        except OSError:
            log.warning("custfin: dataset %s of thread %s is missing on disk", r["id"], thread_id)
            continue
        reports = [_report_from_json(x) for x in json.loads(r["reports"])]
        files.append(
            LoadedFile(
                filename=r["filename"],
                data=data,
                mapping=json.loads(r["mapping"]),
                kind=r["kind_override"],
                dataset=Dataset(r["dataset_kind"], frame, reports),
            )
        )
    return files


def save_thread_state(settings: Settings, user_id: str, thread_id: str, state: dict[str, Any]) -> None:
    with connect(settings) as conn:
        conn.execute(
            "INSERT INTO thread_state (thread_id, user_id, state, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (thread_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at "
            "WHERE thread_state.user_id = excluded.user_id",
            (thread_id, user_id, json.dumps(state, ensure_ascii=False, default=str), now_iso()),
        )


def load_thread_state(settings: Settings, user_id: str, thread_id: str) -> dict[str, Any] | None:
    with connect(settings) as conn:
        row = conn.execute(
            "SELECT state FROM thread_state WHERE user_id = ? AND thread_id = ?", (user_id, thread_id)
        ).fetchone()
    return json.loads(row["state"]) if row else None


# ----------------------------------------------------------------------------------------------------
# Deletion and retention


def _remove_dataset_files(settings: Settings, rows: Iterable[sqlite3.Row]) -> None:
    root = datasets_dir(settings).resolve()
    for r in rows:
        for key in ("parquet_path", "source_path"):
            unlink_file((settings.data_dir / r[key]).resolve(), root)


def delete_thread_datasets(settings: Settings, user_id: str, thread_id: str, filenames: Sequence[str]) -> int:
    """Delete the named uploads of one of this user's conversations: their dataset rows, Parquet and
    source files, and the attachment elements (database row and file) of the messages that uploaded
    them. The remaining datasets keep their order. Returns the number of dataset rows deleted."""
    if not filenames:
        return 0
    marks = ",".join("?" * len(filenames))
    names = list(filenames)
    with connect(settings) as conn:
        rows = conn.execute(
            f"SELECT id, parquet_path, source_path FROM datasets WHERE user_id = ? AND thread_id = ? "  # noqa: S608
            f"AND filename IN ({marks})",
            [user_id, thread_id, *names],
        ).fetchall()
        for r in rows:
            conn.execute("DELETE FROM datasets WHERE id = ?", (r["id"],))
        kept = conn.execute(
            "SELECT id FROM datasets WHERE user_id = ? AND thread_id = ? ORDER BY position",
            (user_id, thread_id),
        ).fetchall()
        for position, r in enumerate(kept):  # ascending: each target position is already free
            conn.execute("UPDATE datasets SET position = ? WHERE id = ?", (position, r["id"]))
        owned = conn.execute(
            'SELECT 1 FROM threads WHERE id = ? AND "userId" = ?', (thread_id, user_id)
        ).fetchone()
        elements = []
        if owned is not None:
            elements = conn.execute(
                f'SELECT e.id, e."objectKey" FROM elements e JOIN steps s ON s.id = e."forId" '  # noqa: S608
                f"WHERE e.\"threadId\" = ? AND s.type = 'user_message' AND e.name IN ({marks})",
                [thread_id, *names],
            ).fetchall()
            for e in elements:
                conn.execute("DELETE FROM elements WHERE id = ?", (e["id"],))
    _remove_dataset_files(settings, rows)
    root = files_dir(settings).resolve()
    for e in elements:
        if e["objectKey"]:
            with contextlib.suppress(ValueError):
                unlink_file(element_path(settings, e["objectKey"]), root)
    return len(rows)


def delete_thread_data(settings: Settings, thread_ids: Sequence[str]) -> None:
    """Delete the datasets (rows and files) and follow-up state of these conversations."""
    if not thread_ids:
        return
    marks = ",".join("?" * len(thread_ids))
    with connect(settings) as conn:
        rows = conn.execute(
            f"SELECT parquet_path, source_path FROM datasets WHERE thread_id IN ({marks})",  # noqa: S608
            list(thread_ids),
        ).fetchall()
        conn.execute(f"DELETE FROM datasets WHERE thread_id IN ({marks})", list(thread_ids))  # noqa: S608
        conn.execute(f"DELETE FROM thread_state WHERE thread_id IN ({marks})", list(thread_ids))  # noqa: S608
    _remove_dataset_files(settings, rows)


def delete_threads(settings: Settings, thread_ids: Sequence[str]) -> None:
    """Delete whole conversations: Chainlit's rows, element files, datasets and state."""
    if not thread_ids:
        return
    marks = ",".join("?" * len(thread_ids))
    ids = list(thread_ids)
    with connect(settings) as conn:
        keys = [
            r[0]
            for r in conn.execute(
                f'SELECT "objectKey" FROM elements WHERE "threadId" IN ({marks}) AND "objectKey" IS NOT NULL',  # noqa: S608
                ids,
            )
        ]
        conn.execute(f'DELETE FROM feedbacks WHERE "threadId" IN ({marks})', ids)  # noqa: S608
        conn.execute(f'DELETE FROM elements WHERE "threadId" IN ({marks})', ids)  # noqa: S608
        conn.execute(f'DELETE FROM steps WHERE "threadId" IN ({marks})', ids)  # noqa: S608
        conn.execute(f'DELETE FROM threads WHERE "id" IN ({marks})', ids)  # noqa: S608
    root = files_dir(settings).resolve()
    for key in keys:
        with contextlib.suppress(ValueError):
            unlink_file(element_path(settings, key), root)
    delete_thread_data(settings, ids)


def delete_user_data(settings: Settings, identifier: str) -> int:
    """Delete everything of one user (conversations, files, datasets, Chainlit user row).

    Returns the number of conversations deleted. Thread ownership is by identifier in Chainlit, so a
    later user with the same name must not inherit anything.
    """
    with connect(settings) as conn:
        user = conn.execute("SELECT id FROM users WHERE identifier = ?", (identifier,)).fetchone()
        user_id = user["id"] if user else None
        threads = [
            r[0]
            for r in conn.execute(
                'SELECT id FROM threads WHERE "userIdentifier" = ? OR "userId" = ?', (identifier, user_id)
            )
        ]
    delete_threads(settings, threads)
    with connect(settings) as conn:
        rows = conn.execute(
            "SELECT parquet_path, source_path FROM datasets WHERE user_identifier = ? OR user_id = ?",
            (identifier, user_id),
        ).fetchall()
        conn.execute("DELETE FROM datasets WHERE user_identifier = ? OR user_id = ?", (identifier, user_id))
        conn.execute("DELETE FROM thread_state WHERE user_id = ?", (user_id,))
        conn.execute("DELETE FROM users WHERE identifier = ?", (identifier,))
    _remove_dataset_files(settings, rows)
    return len(threads)


def purge_expired(settings: Settings, now: datetime | None = None) -> int:
    """Delete conversations whose last activity is older than ``settings.retention_days`` (0: never)."""
    if settings.retention_days <= 0:
        return 0
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=settings.retention_days)).isoformat()
    with connect(settings) as conn:
        threads = [
            r[0]
            for r in conn.execute(
                'SELECT t.id FROM threads t LEFT JOIN steps s ON s."threadId" = t.id GROUP BY t.id '
                'HAVING COALESCE(MAX(s."createdAt"), t."createdAt", \'\') < ?',
                (cutoff,),
            )
        ]
        orphans = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT thread_id FROM datasets WHERE created_at < ? "
                "AND thread_id NOT IN (SELECT id FROM threads)",
                (cutoff,),
            )
        ]
    delete_threads(settings, threads)
    delete_thread_data(settings, orphans)
    return len(threads) + len(orphans)


def sweep_orphan_files(settings: Settings, now: datetime | None = None) -> int:
    """Remove dataset and element files that no database row references (left by a crash mid-save)."""
    ensure_schema(settings)
    with connect(settings) as conn:
        known = {settings.data_dir / r[0] for r in conn.execute("SELECT parquet_path FROM datasets")}
        known |= {settings.data_dir / r[0] for r in conn.execute("SELECT source_path FROM datasets")}
        keys = [r[0] for r in conn.execute('SELECT "objectKey" FROM elements WHERE "objectKey" IS NOT NULL')]
    for key in keys:
        with contextlib.suppress(ValueError):
            known.add(element_path(settings, key))
    known = {p.resolve() for p in known}
    limit = ((now or datetime.now(UTC)) - ORPHAN_GRACE).timestamp()
    removed = 0
    for root in (datasets_dir(settings).resolve(), files_dir(settings).resolve()):
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if path.is_file() and path.resolve() not in known and path.stat().st_mtime < limit:
                unlink_file(path, root)
                removed += 1
    return removed
