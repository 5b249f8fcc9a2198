"""What is kept between runs, and where (files under ``settings.data_dir``):

- the app database (agent/database.py: ``custfin.sqlite3`` in the data directory, or PostgreSQL at
  DATABASE_URL): Chainlit's tables (users, threads, steps, elements, feedbacks) plus custfin's
  (credentials, datasets, thread_state), from the versioned DDL files in agent/sql/.
- ``files/<user id>/<element id>/<name>``: message elements (uploads, tables, charts, CSV exports),
  written by Chainlit through agent/datalayer.py and served only to their owner at ``/custfin/files/``.
- ``datasets/<user id>/<thread id>/<row id>.parquet`` (+ ``.source``): each uploaded file's canonical
  frame and original bytes, recorded in the ``datasets`` table, so a resumed conversation has its data
  (one row per sheet of a workbook).
- ``mapping_memory``: each user's mapping corrections by header signature (:class:`MappingMemoryStore`),
  applied and reported as "remembered" when a file with the same header is uploaded again.

Identical files of one user are stored once: each path is a hard link to a content-addressed blob in
``.blobs/<user id>/`` (agent/security/storage.py), removed with its last link.

Every write that the chat acknowledges is durable first: files are written to a temporary name,
fsynced and renamed before their database row is committed, so a kill -9 leaves
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
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from agent.database import connect, now_iso, run
from agent.security import storage
from agent.session import LoadedFile
from agent.settings import Settings
from core.text import Msg
from tools.bundle import ColumnDecision, Dataset, DroppedRows, IngestReport
from tools.ingest import Remembered

log = logging.getLogger("custfin.persistence")

ORPHAN_GRACE = timedelta(hours=1)  # files younger than this may belong to a save in progress


def files_dir(settings: Settings) -> Path:
    return settings.data_dir / "files"


def datasets_dir(settings: Settings) -> Path:
    return settings.data_dir / "datasets"


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
    """Delete a file (and its blob when nothing else links to it) and the directories it leaves empty,
    up to ``root``."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = None
    if relative is not None and len(relative.parts) > 1:
        storage.discard(path, storage.blob_root(root, relative))
    else:
        path.unlink(missing_ok=True)
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def write_shared(path: Path, data: bytes, root: Path) -> None:
    """``write_atomic``, de-duplicated: a hard link to the user's blob of this content (``root`` is
    files/ or datasets/; the first folder below it is the user's)."""
    storage.store(path, data, storage.blob_root(root.resolve(), path.resolve().relative_to(root.resolve())))


def _safe_part(part: str) -> str:
    if not part or part in (".", "..") or "\x00" in part or "\\" in part:
        raise ValueError(f"unsafe path component: {part!r}")
    return part


def safe_part_or(part: str, fallback: str) -> str:
    """``part`` when it is a safe path component, else ``fallback``."""
    try:
        return _safe_part(part) if "/" not in part else fallback
    except ValueError:
        return fallback


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
    raw["columns"] = [
        ColumnDecision(
            c["source"],
            c.get("canonical"),
            c.get("how", "name"),
            float(c.get("confidence", 1.0)),
            [(str(a), float(b)) for a, b in c.get("alternatives") or []],
            Msg(**c["note"]) if c.get("note") else None,
        )
        for c in raw.get("columns", [])
    ]
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
        rows = (
            run(
                conn,
                "SELECT id, user_id, position, fingerprint, parquet_path, source_path FROM datasets "
                "WHERE thread_id = :thread",
                {"thread": thread_id},
            )
            .mappings()
            .all()
        )
    if any(r["user_id"] != user_id for r in rows):
        raise PermissionError(f"thread {thread_id} belongs to another user")
    existing = {r["position"]: r for r in rows}
    stale: list[Mapping[str, Any]] = []
    folder = _thread_dir(settings, user_id, thread_id)
    for position, f in enumerate(files):
        fingerprint = _fingerprint(f)
        old = existing.get(position)
        if old is not None and old["fingerprint"] == fingerprint:
            continue
        row_id = uuid.uuid4().hex
        parquet, source = folder / f"{row_id}.parquet", folder / f"{row_id}.source"
        write_shared(parquet, _frame_bytes(f.dataset.frame), datasets_dir(settings))
        write_shared(source, f.data, datasets_dir(settings))
        with connect(settings) as conn:
            run(
                conn,
                "DELETE FROM datasets WHERE thread_id = :thread AND position = :position",
                {"thread": thread_id, "position": position},
            )
            run(
                conn,
                "INSERT INTO datasets (id, user_id, user_identifier, thread_id, position, filename, "
                "kind_override, mapping, dataset_kind, reports, fingerprint, parquet_path, source_path, "
                "created_at) VALUES (:id, :user_id, :user_identifier, :thread_id, :position, :filename, "
                ":kind_override, :mapping, :dataset_kind, :reports, :fingerprint, :parquet_path, "
                ":source_path, :created_at)",
                {
                    "id": row_id,
                    "user_id": user_id,
                    "user_identifier": user_identifier,
                    "thread_id": thread_id,
                    "position": position,
                    "filename": f.filename,
                    "kind_override": f.kind,
                    "mapping": json.dumps(f.mapping),
                    "dataset_kind": f.dataset.kind,
                    "reports": json.dumps(
                        [_report_to_json(r) for r in f.dataset.reports], ensure_ascii=False
                    ),
                    "fingerprint": fingerprint,
                    "parquet_path": str(parquet.relative_to(settings.data_dir)),
                    "source_path": str(source.relative_to(settings.data_dir)),
                    "created_at": now_iso(),
                },
            )
        if old is not None:
            stale.append(old)
    extra = [r for p, r in existing.items() if p >= len(files)]
    if extra:
        with connect(settings) as conn:
            run(
                conn,
                "DELETE FROM datasets WHERE thread_id = :thread AND position >= :n",
                {"thread": thread_id, "n": len(files)},
            )
        stale.extend(extra)
    _remove_dataset_files(settings, stale)


def load_thread_files(settings: Settings, user_id: str, thread_id: str) -> list[LoadedFile]:
    """The stored files of a conversation, in upload order (only the owner's rows are read)."""
    with connect(settings) as conn:
        rows = (
            run(
                conn,
                "SELECT * FROM datasets WHERE user_id = :user AND thread_id = :thread ORDER BY position",
                {"user": user_id, "thread": thread_id},
            )
            .mappings()
            .all()
        )
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
                sheet=reports[0].sheet if reports else None,
            )
        )
    return files


class MappingMemoryStore:
    """One user's remembered mapping corrections, in the app database (SQLite or PostgreSQL).

    Injected into the Session by the app (``session.mapping_memory = MappingMemoryStore(SETTINGS, user)``);
    the CLI has no user and no memory.
    """

    def __init__(self, settings: Settings, user_id: str) -> None:
        self.settings, self.user_id = settings, user_id

    def recall(self, signature: str) -> Remembered | None:
        with connect(self.settings) as conn:
            row = (
                run(
                    conn,
                    "SELECT mapping, kind FROM mapping_memory WHERE user_id = :user AND header_signature = :sig",
                    {"user": self.user_id, "sig": signature},
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        return Remembered(dict(json.loads(row["mapping"])), row["kind"])

    def recalled(self) -> dict[str, Remembered]:
        with connect(self.settings) as conn:
            rows = (
                run(conn, "SELECT header_signature, mapping, kind FROM mapping_memory WHERE user_id = :user",
                    {"user": self.user_id})
                .mappings()
                .all()
            )
        return {row["header_signature"]: Remembered(dict(json.loads(row["mapping"])), row["kind"]) for row in rows}

    def remember(self, signature: str, remembered: Remembered) -> None:
        with connect(self.settings) as conn:
            run(
                conn,
                "INSERT INTO mapping_memory (user_id, header_signature, mapping, kind, updated_at) "
                "VALUES (:user, :sig, :mapping, :kind, :at) "
                "ON CONFLICT (user_id, header_signature) DO UPDATE SET mapping = excluded.mapping, "
                "kind = excluded.kind, updated_at = excluded.updated_at",
                {
                    "user": self.user_id,
                    "sig": signature,
                    "mapping": json.dumps(remembered.mapping, ensure_ascii=False),
                    "kind": remembered.kind,
                    "at": now_iso(),
                },
            )


def save_thread_state(settings: Settings, user_id: str, thread_id: str, state: dict[str, Any]) -> None:
    with connect(settings) as conn:
        run(
            conn,
            "INSERT INTO thread_state (thread_id, user_id, state, updated_at) "
            "VALUES (:thread, :user, :state, :at) "
            "ON CONFLICT (thread_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at "
            "WHERE thread_state.user_id = excluded.user_id",
            {
                "thread": thread_id,
                "user": user_id,
                "state": json.dumps(state, ensure_ascii=False, default=str),
                "at": now_iso(),
            },
        )


def load_thread_state(settings: Settings, user_id: str, thread_id: str) -> dict[str, Any] | None:
    with connect(settings) as conn:
        state = run(
            conn,
            "SELECT state FROM thread_state WHERE user_id = :user AND thread_id = :thread",
            {"user": user_id, "thread": thread_id},
        ).scalar()
    return json.loads(state) if state is not None else None


# ----------------------------------------------------------------------------------------------------
# Deletion and retention


def _remove_dataset_files(settings: Settings, rows: Iterable[Mapping[str, Any]]) -> None:
    root = datasets_dir(settings).resolve()
    for r in rows:
        for key in ("parquet_path", "source_path"):
            unlink_file((settings.data_dir / r[key]).resolve(), root)


def _remove_element_files(settings: Settings, object_keys: Iterable[str | None]) -> None:
    root = files_dir(settings).resolve()
    for key in object_keys:
        if key:
            with contextlib.suppress(ValueError):
                unlink_file(element_path(settings, key), root)


def delete_thread_datasets(settings: Settings, user_id: str, thread_id: str, filenames: Sequence[str]) -> int:
    """Delete the named uploads of one of this user's conversations: their dataset rows, Parquet and
    source files, and the attachment elements (database row and file) of the messages that uploaded
    them. The remaining datasets keep their order. Returns the number of dataset rows deleted."""
    if not filenames:
        return 0
    names = list(filenames)
    owner = {"user": user_id, "thread": thread_id}
    with connect(settings) as conn:
        rows = (
            run(
                conn,
                "SELECT id, parquet_path, source_path FROM datasets WHERE user_id = :user "
                "AND thread_id = :thread AND filename IN :names",
                {**owner, "names": names},
            )
            .mappings()
            .all()
        )
        if rows:
            run(conn, "DELETE FROM datasets WHERE id IN :ids", {"ids": [r["id"] for r in rows]})
        kept = (
            run(
                conn,
                "SELECT id FROM datasets WHERE user_id = :user AND thread_id = :thread ORDER BY position",
                owner,
            )
            .scalars()
            .all()
        )
        for position, row_id in enumerate(kept):  # ascending: each target position is already free
            run(conn, "UPDATE datasets SET position = :p WHERE id = :id", {"p": position, "id": row_id})
        owned = run(conn, 'SELECT 1 FROM threads WHERE id = :thread AND "userId" = :user', owner).first()
        elements = []
        if owned is not None:
            elements = (
                run(
                    conn,
                    'SELECT e.id, e."objectKey" FROM elements e JOIN steps s ON s.id = e."forId" '
                    "WHERE e.\"threadId\" = :thread AND s.type = 'user_message' AND e.name IN :names",
                    {"thread": thread_id, "names": names},
                )
                .mappings()
                .all()
            )
            if elements:
                run(conn, "DELETE FROM elements WHERE id IN :ids", {"ids": [e["id"] for e in elements]})
    _remove_dataset_files(settings, rows)
    _remove_element_files(settings, [e["objectKey"] for e in elements])
    return len(rows)


def delete_thread_data(settings: Settings, thread_ids: Sequence[str]) -> None:
    """Delete the datasets (rows and files) and follow-up state of these conversations."""
    if not thread_ids:
        return
    ids = {"ids": list(thread_ids)}
    with connect(settings) as conn:
        rows = (
            run(conn, "SELECT parquet_path, source_path FROM datasets WHERE thread_id IN :ids", ids)
            .mappings()
            .all()
        )
        run(conn, "DELETE FROM datasets WHERE thread_id IN :ids", ids)
        run(conn, "DELETE FROM thread_state WHERE thread_id IN :ids", ids)
    _remove_dataset_files(settings, rows)


def delete_threads(settings: Settings, thread_ids: Sequence[str]) -> None:
    """Delete whole conversations: Chainlit's rows, element files, datasets and state."""
    if not thread_ids:
        return
    ids = {"ids": list(thread_ids)}
    with connect(settings) as conn:
        keys = (
            run(
                conn,
                'SELECT "objectKey" FROM elements WHERE "threadId" IN :ids AND "objectKey" IS NOT NULL',
                ids,
            )
            .scalars()
            .all()
        )
        run(conn, 'DELETE FROM feedbacks WHERE "threadId" IN :ids', ids)
        run(conn, 'DELETE FROM elements WHERE "threadId" IN :ids', ids)
        run(conn, 'DELETE FROM steps WHERE "threadId" IN :ids', ids)
        run(conn, 'DELETE FROM threads WHERE "id" IN :ids', ids)
    _remove_element_files(settings, keys)
    delete_thread_data(settings, thread_ids)


def delete_user_data(settings: Settings, identifier: str) -> int:
    """Delete everything of one user (conversations, files, datasets, Chainlit user row).

    Returns the number of conversations deleted. Thread ownership is by identifier in Chainlit, so a
    later user with the same name must not inherit anything.
    """
    with connect(settings) as conn:
        user_id = run(conn, "SELECT id FROM users WHERE identifier = :name", {"name": identifier}).scalar()
        threads = (
            run(
                conn,
                'SELECT id FROM threads WHERE "userIdentifier" = :name OR "userId" = :id',
                {"name": identifier, "id": user_id},
            )
            .scalars()
            .all()
        )
    delete_threads(settings, threads)
    who = {"name": identifier, "id": user_id}
    with connect(settings) as conn:
        rows = (
            run(
                conn,
                "SELECT parquet_path, source_path FROM datasets WHERE user_identifier = :name OR user_id = :id",
                who,
            )
            .mappings()
            .all()
        )
        run(conn, "DELETE FROM datasets WHERE user_identifier = :name OR user_id = :id", who)
        run(conn, "DELETE FROM thread_state WHERE user_id = :id", who)
        run(conn, "DELETE FROM mapping_memory WHERE user_id = :name OR user_id = :id", who)
        run(conn, "DELETE FROM users WHERE identifier = :name", who)
    _remove_dataset_files(settings, rows)
    return len(threads)


def purge_expired(settings: Settings, now: datetime | None = None) -> int:
    """Delete conversations whose last activity is older than ``settings.retention_days`` (0: never)."""
    if settings.retention_days <= 0:
        return 0
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=settings.retention_days)).isoformat()
    with connect(settings) as conn:
        threads = (
            run(
                conn,
                'SELECT t.id FROM threads t LEFT JOIN steps s ON s."threadId" = t.id GROUP BY t.id '
                'HAVING COALESCE(MAX(s."createdAt"), MAX(t."createdAt"), \'\') < :cutoff',
                {"cutoff": cutoff},
            )
            .scalars()
            .all()
        )
        orphans = (
            run(
                conn,
                "SELECT DISTINCT thread_id FROM datasets WHERE created_at < :cutoff "
                "AND thread_id NOT IN (SELECT id FROM threads)",
                {"cutoff": cutoff},
            )
            .scalars()
            .all()
        )
    delete_threads(settings, threads)
    delete_thread_data(settings, orphans)
    return len(threads) + len(orphans)


def sweep_orphan_files(settings: Settings, now: datetime | None = None) -> int:
    """Remove dataset and element files that no database row references (left by a crash mid-save)."""
    with connect(settings) as conn:
        paths = run(conn, "SELECT parquet_path, source_path FROM datasets").all()
        keys = run(conn, 'SELECT "objectKey" FROM elements WHERE "objectKey" IS NOT NULL').scalars().all()
    known = {settings.data_dir / p for pair in paths for p in pair}
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
            if storage.BLOBS in path.relative_to(root).parts:
                continue  # blobs go with their last link (below)
            if path.is_file() and path.resolve() not in known and path.stat().st_mtime < limit:
                unlink_file(path, root)
                removed += 1
    blobs = (settings.data_dir / storage.BLOBS).resolve()
    for blob in storage.unlinked_blobs(settings.data_dir.resolve()):
        if blob.stat().st_mtime < limit:
            unlink_file(blob, blobs)
            removed += 1
    return removed
