"""Two password users against the running server: each sees only their own conversations, elements,
files and datasets, over Chainlit's HTTP endpoints, the file route and the resume socket."""

from __future__ import annotations

import asyncio
import uuid

import chainlit as cl
import httpx
import pytest
import socketio
from chainlit.context import init_http_context

from agent import auth, persistence
from agent.datalayer import CustfinDataLayer
from agent.session import Session
from tests.integration.server import Server, in_thread
from tests.integration.test_persistence import ORDERS

ON_BOTH_DATABASES = True  # tests/integration/conftest.py

pytestmark = pytest.mark.slow
PASSWORDS = {"alice": "alice password", "bob": "bob password"}


def seed(settings, user_id: str, name: str) -> tuple[str, str, bytes]:
    """One conversation of this user with a file element and a stored dataset: (thread, element, bytes)."""
    thread_id, step_id = str(uuid.uuid4()), str(uuid.uuid4())
    content = f"owner,{name}\n".encode()

    async def write() -> str:
        init_http_context()
        layer = CustfinDataLayer(settings)
        try:
            await layer.update_thread(thread_id, name=f"{name}'s analysis", user_id=user_id)
            await layer.create_step(
                {
                    "id": step_id,
                    "threadId": thread_id,
                    "name": name,
                    "type": "user_message",
                    "streaming": False,
                    "output": f"secret of {name}",
                    "createdAt": persistence.now_iso(),
                }
            )
            element = cl.File(name=f"{name}.csv", content=content, mime="text/csv", for_id=step_id)
            element.thread_id = thread_id
            await layer.create_element(element)
            return element.id
        finally:
            await layer.close()

    element_id = in_thread(asyncio.run, write())
    session = Session(demo=False)
    session.add_file(ORDERS.read_bytes(), ORDERS.name)
    persistence.save_thread_files(settings, user_id, name, thread_id, session.files)
    return thread_id, element_id, content


def login(url: str, name: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    response = client.post("/login", data={"username": name, "password": password})
    assert response.status_code == 200, response.text
    return client


def socket_connects(url: str, client: httpx.Client, thread_id: str) -> bool:
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    sio = socketio.Client(reconnection=False)
    try:
        sio.connect(
            url,
            socketio_path="/ws/socket.io",
            transports=["websocket"],
            headers={"Cookie": cookie},
            auth={
                "threadId": thread_id,
                "sessionId": str(uuid.uuid4()),
                "clientType": "webapp",
                "userEnv": "{}",
            },
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError:
        return False
    sio.disconnect()
    return True


def test_two_users_see_only_their_own_data(settings, tmp_path):
    for name, password in PASSWORDS.items():
        auth.add_user(settings, name, password)
    server = Server(settings.data_dir).start()
    try:
        url = server.url
        assert (
            httpx.post(url + "/login", data={"username": "alice", "password": "bob password"}).status_code
            == 401
        )
        assert httpx.post(url + "/auth/header").status_code != 200  # no automatic user once users exist
        anonymous = httpx.Client(base_url=url, timeout=30)
        assert (
            anonymous.post("/project/threads", json={"pagination": {"first": 20}, "filter": {}}).status_code
            == 401
        )

        clients = {name: login(url, name, pw) for name, pw in PASSWORDS.items()}
        ids = {name: c.get("/user").json()["id"] for name, c in clients.items()}
        data = {name: seed(settings, ids[name], name) for name in PASSWORDS}

        for me, other in (("alice", "bob"), ("bob", "alice")):
            client = clients[me]
            my_thread, my_element, my_bytes = data[me]
            their_thread, their_element, _ = data[other]
            listed = client.post("/project/threads", json={"pagination": {"first": 20}, "filter": {}}).json()
            assert [t["id"] for t in listed["data"]] == [my_thread]
            assert f"secret of {other}" not in str(listed)

            mine = client.get(f"/project/thread/{my_thread}")
            assert mine.status_code == 200 and mine.json()["userIdentifier"] == me
            assert client.get(f"/project/thread/{their_thread}").status_code == 404  # not even "exists"

            element = client.get(f"/project/thread/{my_thread}/element/{my_element}")
            assert element.status_code == 200
            assert client.get(f"/project/thread/{their_thread}/element/{their_element}").status_code == 404
            assert client.get(element.json()["url"]).content == my_bytes

            (their_file,) = clients[other].get(f"/project/thread/{their_thread}").json()["elements"]
            assert their_file["url"].startswith("/custfin/files/")
            assert client.get(their_file["url"]).status_code == 404
            assert anonymous.get(their_file["url"]).status_code in (401, 404)

            assert socket_connects(url, client, my_thread)
            assert not socket_connects(url, client, their_thread)  # resume refused
            assert persistence.load_thread_files(settings, ids[me], their_thread) == []

            refused = client.request("DELETE", "/project/thread", json={"threadId": their_thread})
            assert refused.status_code == 404

        # Deleting a conversation removes it from the database and the disk, datasets included.
        alice_thread = data["alice"][0]
        (alice_file,) = clients["alice"].get(f"/project/thread/{alice_thread}").json()["elements"]
        path = persistence.element_path(settings, alice_file["objectKey"])
        assert path.exists() and persistence.load_thread_files(settings, ids["alice"], alice_thread)
        deleted = clients["alice"].request("DELETE", "/project/thread", json={"threadId": alice_thread})
        assert deleted.status_code == 200
        assert not path.exists()
        assert persistence.load_thread_files(settings, ids["alice"], alice_thread) == []
        assert clients["bob"].get(f"/project/thread/{data['bob'][0]}").status_code == 200

        # Cross-origin requests from elsewhere get no CORS grant; the server's own origin does.
        evil = httpx.get(url + "/health", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in evil.headers
        own = httpx.get(url + "/health", headers={"Origin": url})
        assert own.headers.get("access-control-allow-origin") == url
        cookie = clients["alice"].post("/login", data={"username": "alice", "password": PASSWORDS["alice"]})
        assert "Max-Age=28800" in cookie.headers["set-cookie"]  # 8 hours, not Chainlit's 15 days
    except Exception:
        print(server.log())
        raise
    finally:
        server.stop()
