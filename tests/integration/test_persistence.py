"""Versioned schema, dataset persistence (Parquet + database rows), deletion and retention, on the SQLite
file and on PostgreSQL (tests/integration/postgres.py)."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy

from agent import database, engine, persistence
from agent.session import Session

ON_BOTH_DATABASES = True  # tests/integration/conftest.py

ORDERS = Path(__file__).resolve().parents[1] / "e2e" / "data" / "orders_en.csv"


def tables(settings) -> set[str]:
    with database.engine(settings).connect() as conn:
        return set(sqlalchemy.inspect(conn).get_table_names())


def test_schema_is_created_versioned_and_idempotent(settings):
    versions = [v for v, _, _ in database.migrations()]
    assert versions == sorted(versions) and versions[0] == 1
    assert database.migrate(settings) == versions[-1]
    assert database.migrate(settings) == versions[-1]
    assert {"users", "threads", "steps", "elements", "feedbacks", "credentials", "datasets"} <= tables(
        settings
    )
    applied = [
        r["version"] for r in database.rows(settings, "SELECT version FROM schema_version ORDER BY version")
    ]
    assert applied == versions
    if database.is_postgres(settings):
        assert not database.sqlite_path(settings).exists()  # nothing went to the SQLite file
    else:
        with sqlite3.connect(database.sqlite_path(settings)) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_database_is_upgraded(settings):
    first_version, first_name, first_sql = database.migrations()[0]
    with database.engine(settings).begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)"
        )
        for statement in database.statements(first_sql):
            conn.exec_driver_sql(statement)
        database.run(
            conn, "INSERT INTO schema_version VALUES (:v, :n, 'then')", {"v": first_version, "n": first_name}
        )
    assert "datasets" not in tables(settings)
    database.migrate(settings)
    assert "datasets" in tables(settings)


def loaded_session() -> Session:
    session = Session(demo=False)
    assert session.add_file(ORDERS.read_bytes(), ORDERS.name).ok
    return session


def test_datasets_round_trip_and_answer_follow_ups(settings):
    session = loaded_session()
    first = engine.answer("Who are our 5 most profitable customers?", session, "offline")
    assert "C104" in first.markdown
    persistence.save_thread_files(settings, "u1", "alice", "t1", session.files)
    persistence.save_thread_state(settings, "u1", "t1", session.follow_up_state())

    restored = Session(demo=True)
    restored.restore_files(persistence.load_thread_files(settings, "u1", "t1"))
    restored.restore_follow_up_state(persistence.load_thread_state(settings, "u1", "t1"))
    assert not restored.is_demo
    original, back = session.files[0].dataset, restored.files[0].dataset
    pd.testing.assert_frame_equal(back.frame, original.frame)
    assert back.reports == original.reports
    assert restored.files[0].data == ORDERS.read_bytes()
    assert restored.last_tool == session.last_tool
    answer = engine.answer("Who are our 5 most profitable customers?", restored, "offline")
    assert answer.markdown == first.markdown


def test_datasets_belong_to_their_owner(settings):
    session = loaded_session()
    persistence.save_thread_files(settings, "u1", "alice", "t1", session.files)
    assert persistence.load_thread_files(settings, "u2", "t1") == []
    assert persistence.load_thread_state(settings, "u2", "t1") is None
    with pytest.raises(PermissionError):
        persistence.save_thread_files(settings, "u2", "bob", "t1", session.files)


def dataset_files(settings) -> list[Path]:
    return sorted(p for p in persistence.datasets_dir(settings).rglob("*") if p.is_file())


def test_unchanged_files_are_not_rewritten_and_removed_files_are_deleted(settings):
    session = loaded_session()
    persistence.save_thread_files(settings, "u1", "alice", "t1", session.files)
    before = dataset_files(settings)
    assert [p.suffix for p in before] == [".parquet", ".source"]
    persistence.save_thread_files(settings, "u1", "alice", "t1", session.files)
    assert dataset_files(settings) == before
    persistence.save_thread_files(settings, "u1", "alice", "t1", [])
    assert dataset_files(settings) == []


def seed_thread(settings, thread_id: str, created: str, with_element: bool = True) -> Path:
    """A Chainlit thread with one step and one element file, plus a stored dataset."""
    key = f"u1/e-{thread_id}/table.csv"
    ids = {"user": "u1", "name": "alice", "at": created, "thread": thread_id, "step": f"s-{thread_id}"}
    with database.connect(settings) as conn:
        database.run(
            conn,
            "INSERT INTO users (id, identifier, metadata, \"createdAt\") VALUES (:user, :name, '{}', :at) "
            "ON CONFLICT DO NOTHING",
            ids,
        )
        database.run(
            conn,
            'INSERT INTO threads (id, "createdAt", "userId", "userIdentifier") VALUES (:thread, :at, :user, :name)',
            ids,
        )
        database.run(
            conn,
            'INSERT INTO steps (id, name, type, "threadId", streaming, "createdAt") '
            "VALUES (:step, :name, 'user_message', :thread, FALSE, :at)",
            ids,
        )
        if with_element:
            database.run(
                conn,
                'INSERT INTO elements (id, "threadId", name, "objectKey") VALUES (:id, :thread, \'table.csv\', :key)',
                {"id": f"e-{thread_id}", "thread": thread_id, "key": key},
            )
    path = persistence.element_path(settings, key)
    persistence.write_atomic(path, b"a,b\n1,2\n")
    persistence.save_thread_files(settings, "u1", "alice", thread_id, loaded_session().files)
    return path


def count(settings, table: str) -> int:
    return database.rows(settings, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]  # noqa: S608


def test_deleting_threads_removes_rows_and_files(settings):
    element = seed_thread(settings, "t1", "2026-01-01T00:00:00Z")
    persistence.delete_threads(settings, ["t1"])
    assert not element.exists()
    assert dataset_files(settings) == []
    for table in ("threads", "steps", "elements", "datasets"):
        assert count(settings, table) == 0


def test_retention_removes_only_old_conversations(settings, monkeypatch):
    now = datetime(2026, 6, 1, tzinfo=UTC)
    old = seed_thread(settings, "old", (now - timedelta(days=40)).isoformat())
    new = seed_thread(settings, "new", (now - timedelta(days=5)).isoformat())
    assert persistence.purge_expired(settings, now) == 0  # retention off by default
    monkeypatch.setenv("CUSTFIN_RETENTION_DAYS", "30")
    retained = type(settings)()
    assert persistence.purge_expired(retained, now) == 1
    assert not old.exists() and new.exists()
    assert [r["id"] for r in database.rows(settings, "SELECT id FROM threads")] == ["new"]
    assert {r["thread_id"] for r in database.rows(settings, "SELECT thread_id FROM datasets")} == {"new"}


def test_stray_files_from_a_crash_are_swept_after_a_grace_period(settings):
    kept = seed_thread(settings, "t1", "2026-01-01T00:00:00Z")
    stray = persistence.datasets_dir(settings) / "u1" / "t1" / "crashed.parquet"
    persistence.write_atomic(stray, b"partial")
    assert persistence.sweep_orphan_files(settings) == 0  # too recent: may be a save in progress
    old = time.time() - 2 * 3600
    os.utime(stray, (old, old))
    assert persistence.sweep_orphan_files(settings) == 1
    assert not stray.exists() and kept.exists() and len(dataset_files(settings)) == 2


@pytest.mark.parametrize("key", ["../x", "u1/../../x", "/etc/passwd", "u1//x", "u1/.."])
def test_element_keys_cannot_escape_the_storage_root(settings, key):
    with pytest.raises(ValueError):
        persistence.element_path(settings, key)
