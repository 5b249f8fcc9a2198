"""A chat whose socket closes lets its data go (app.py on_chat_end: Chainlit would keep it for its
hour-long reconnect window) and gets it back from storage when the socket reconnects: the answers stay
over the uploaded file, not the demo company. Socket client: benchmarks/load.py."""

from __future__ import annotations

import asyncio

import pytest

from agent import auth
from benchmarks import load
from tests.integration.server import Server, in_thread
from tests.integration.test_persistence import ORDERS

pytestmark = pytest.mark.slow


async def scenario(url: str) -> tuple[str, str]:
    user = load.User(url, "alice", heavy=False, record=[])
    try:
        await user.login()
        await user.open_chat()
        await user.upload(ORDERS)
        first = await user.ask("Who are our 5 most profitable customers?", ORDERS.name)
        await user.reconnect()
        await asyncio.sleep(0.5)
        again = await user.ask("Who are our 3 most profitable customers?", ORDERS.name)
        assert first.error is None and again.error is None, (first.error, again.error)
        return first.answer, again.answer
    finally:
        await user.aclose()


def test_a_reconnected_chat_answers_from_its_stored_data(settings):
    auth.add_user(settings, "alice", load.PASSWORD)
    server = Server(settings.data_dir).start()
    try:
        first, again = in_thread(lambda: asyncio.run(scenario(server.url)))
    except Exception:
        print(server.log())
        raise
    finally:
        server.stop()
    assert "C104" in first  # the uploaded file's top customer (the demo company has no such id)
    assert "C104" in again
    assert "rebuilt from storage (1 files)" in server.log()
