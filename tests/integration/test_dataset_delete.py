"""Deleting an uploaded dataset in a sentence ("delete the file orders.csv", "删除 orders.csv 这个文件"):
gone from the session, the datasets table, the Parquet and source files, and the upload's attachment
element (row and file); the other datasets of the conversation stay, in order, and still answer."""

from __future__ import annotations

import asyncio
import uuid

import chainlit as cl
from chainlit.context import init_http_context

from agent import engine, persistence
from agent.datalayer import CustfinDataLayer
from agent.session import Session
from tests.integration.server import in_thread
from tests.integration.stored import stored
from tests.integration.test_persistence import ORDERS

ON_BOTH_DATABASES = True  # tests/integration/conftest.py

# The same orders under a second name, minus the top customer C104 (so answers tell the files apart).
OTHER = "other orders.csv"
OTHER_BYTES = b"\n".join(line for line in ORDERS.read_bytes().splitlines() if b",C104," not in line)


def upload_message(settings, user_name: str, thread_id: str, filename: str, content: bytes) -> str:
    """A user message with the file attached, stored by Chainlit's data layer; returns the element id."""
    step_id = str(uuid.uuid4())

    async def write() -> str:
        init_http_context()
        layer = CustfinDataLayer(settings)
        try:
            user = await layer.get_user(user_name) or await layer.create_user(cl.User(identifier=user_name))
            await layer.update_thread(thread_id, name="analysis", user_id=user.id)
            await layer.create_step(
                {
                    "id": step_id,
                    "threadId": thread_id,
                    "name": user_name,
                    "type": "user_message",
                    "streaming": False,
                    "output": "",
                    "createdAt": persistence.now_iso(),
                }
            )
            element = cl.File(name=filename, content=content, mime="text/csv", for_id=step_id)
            element.thread_id = thread_id
            await layer.create_element(element)
            return element.id
        finally:
            await layer.close()

    return in_thread(asyncio.run, write())


def user_id(settings, name: str) -> str:
    return stored(settings, "SELECT id FROM users WHERE identifier = :name", name=name)[0][0]


def test_deleting_a_dataset_removes_it_from_the_database_and_the_disk(settings):
    thread_id = str(uuid.uuid4())
    first_element = upload_message(settings, "alice", thread_id, ORDERS.name, ORDERS.read_bytes())
    second_element = upload_message(settings, "alice", thread_id, OTHER, OTHER_BYTES)
    uid = user_id(settings, "alice")
    session = Session(demo=True)
    assert session.add_file(ORDERS.read_bytes(), ORDERS.name).ok
    assert session.add_file(OTHER_BYTES, OTHER).ok
    persistence.save_thread_files(settings, uid, "alice", thread_id, session.files)
    saved = stored(
        settings, "SELECT filename, parquet_path, source_path, position FROM datasets ORDER BY position"
    )
    assert [(f, p) for f, _, _, p in saved] == [(ORDERS.name, 0), (OTHER, 1)]
    first_files = [settings.data_dir / saved[0][1], settings.data_dir / saved[0][2]]
    assert all(p.is_file() for p in first_files)
    element_keys = dict(stored(settings, 'SELECT id, "objectKey" FROM elements'))
    first_upload = persistence.element_path(settings, element_keys[first_element])
    assert first_upload.is_file()

    # The sentence goes through the engine like any question; the app then persists the deletion.
    answer = engine.answer(f"delete the file {ORDERS.name}", session, "offline")
    assert answer.removed_files == [ORDERS.name]
    assert [f.filename for f in session.files] == [OTHER]
    assert answer.body.startswith(f"Deleted `{ORDERS.name}`") and f"`{OTHER}`" in answer.markdown
    deleted = persistence.delete_thread_datasets(settings, uid, thread_id, answer.removed_files)
    persistence.save_thread_files(settings, uid, "alice", thread_id, session.files)  # the app's save hook

    assert deleted == 1
    remaining = stored(settings, "SELECT filename, position, parquet_path FROM datasets")
    assert [(f, p) for f, p, _ in remaining] == [(OTHER, 0)]
    assert remaining[0][2] == saved[1][1], "the other dataset was not rewritten"
    assert not any(p.exists() for p in first_files)
    assert (settings.data_dir / saved[1][1]).is_file()
    # The upload's attachment is gone too; the other upload's stays.
    assert [r[0] for r in stored(settings, "SELECT id FROM elements")] == [second_element]
    assert not first_upload.exists()
    assert persistence.element_path(settings, element_keys[second_element]).is_file()

    # A resumed conversation has only the other file, and answers from it.
    resumed = Session(demo=True)
    resumed.restore_files(persistence.load_thread_files(settings, uid, thread_id))
    assert [f.filename for f in resumed.files] == [OTHER]
    top = engine.answer("Who are our 5 most profitable customers?", resumed, "offline")
    assert "C102" in top.markdown and "C104" not in top.markdown


def test_deleting_the_last_dataset_in_chinese_falls_back_to_the_demo(settings):
    thread_id = str(uuid.uuid4())
    upload_message(settings, "bob", thread_id, ORDERS.name, ORDERS.read_bytes())
    uid = user_id(settings, "bob")
    session = Session(demo=True)
    assert session.add_file(ORDERS.read_bytes(), ORDERS.name).ok
    persistence.save_thread_files(settings, uid, "bob", thread_id, session.files)
    (parquet,) = [settings.data_dir / r[0] for r in stored(settings, "SELECT parquet_path FROM datasets")]

    answer = engine.answer(f"删除 {ORDERS.name} 这个文件", session, "offline")
    assert answer.language == "zh" and "已删除" in answer.markdown and "演示" in answer.markdown
    assert session.is_demo and session.files == []
    persistence.delete_thread_datasets(settings, uid, thread_id, answer.removed_files)

    assert stored(settings, "SELECT * FROM datasets") == []
    assert stored(settings, "SELECT * FROM elements") == []
    assert not parquet.exists()
    assert persistence.load_thread_files(settings, uid, thread_id) == []


def test_another_users_datasets_are_never_deleted(settings):
    thread_id = str(uuid.uuid4())
    upload_message(settings, "alice", thread_id, ORDERS.name, ORDERS.read_bytes())
    alice = user_id(settings, "alice")
    session = Session(demo=True)
    assert session.add_file(ORDERS.read_bytes(), ORDERS.name).ok
    persistence.save_thread_files(settings, alice, "alice", thread_id, session.files)

    assert persistence.delete_thread_datasets(settings, "someone-else", thread_id, [ORDERS.name]) == 0
    assert len(stored(settings, "SELECT * FROM datasets")) == 1
    assert len(stored(settings, "SELECT * FROM elements")) == 1
