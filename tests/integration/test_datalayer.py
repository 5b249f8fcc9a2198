"""Chainlit's SQLAlchemy data layer on the app's schema (SQLite and PostgreSQL), with the local storage provider."""

from __future__ import annotations

import asyncio

import chainlit as cl
from chainlit.context import init_http_context
from chainlit.user import User

from agent import persistence
from agent.datalayer import CustfinDataLayer
from agent.session import Session
from tests.integration.server import in_thread
from tests.integration.test_persistence import ORDERS

ON_BOTH_DATABASES = True  # tests/integration/conftest.py


def test_threads_steps_elements_round_trip_and_delete(settings):
    async def scenario():
        init_http_context()
        layer = CustfinDataLayer(settings)
        try:
            user = await layer.create_user(User(identifier="alice", metadata={"provider": "password"}))
            await layer.update_thread("t1", name="Profit", user_id=user.id, metadata={"a": 1}, tags=["x"])
            await layer.create_step(
                {
                    "id": "s1",
                    "threadId": "t1",
                    "name": "alice",
                    "type": "user_message",
                    "streaming": False,
                    "output": "Who is most profitable?",
                    "createdAt": "2026-01-01T00:00:00Z",
                    "metadata": {},
                    "modes": {"mode": "chat"},
                }
            )
            element = cl.File(name="orders.csv", content=b"a,b\n1,2\n", mime="text/csv", for_id="s1")
            element.thread_id = "t1"
            await layer.create_element(element)
            thread = await layer.get_thread("t1")
            assert await layer.get_thread_author("t1") == "alice"
            (stored,) = thread["elements"]
            assert persistence.element_path(settings, stored["objectKey"]).read_bytes() == b"a,b\n1,2\n"

            session = Session(demo=False)
            session.add_file(ORDERS.read_bytes(), ORDERS.name)
            persistence.save_thread_files(settings, user.id, "alice", "t1", session.files)
            await layer.delete_thread("t1")
            return user, thread, await layer.get_thread("t1")
        finally:
            await layer.close()

    user, thread, after = in_thread(asyncio.run, scenario())
    assert thread["tags"] == ["x"] and thread["metadata"] == {"a": 1}
    assert [s["output"] for s in thread["steps"]] == ["Who is most profitable?"]
    (el,) = thread["elements"]
    assert el["objectKey"].startswith(f"{user.id}/") and el["url"].startswith("/custfin/files/")
    assert after is None
    assert not persistence.element_path(settings, el["objectKey"]).exists()
    assert persistence.load_thread_files(settings, user.id, "t1") == []
