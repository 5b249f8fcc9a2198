"""Attack tests on loopback (issue 11): a real server, several users, HTTP and Socket.IO clients.

One server is shared by the module-independent tests (``server``): password users alice, bob, carol,
dave, erin, frank, grace; a 20 MB upload limit; 6 uploads a minute; a 5 MB quota; workbooks stopped
after 4 s. Tests that need their own start (local user, umask, SIGTERM) start one of their own.
Everything is bounded: every HTTP call and socket wait has a timeout.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import socketio

from benchmarks.load import PASSWORD, Server, User, create_users, free_port  # noqa: F401 (re-export)
from tests.integration.server import in_thread

pytestmark = pytest.mark.slow

USERS = [
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "olivia",
    "peggy",
    "rupert",
    "sybil",
    "trent",
    "victor",
    "walter",
]
SERVER_ENV = {
    "CUSTFIN_MAX_UPLOAD_MB": "20",
    "CUSTFIN_UPLOADS_PER_MINUTE": "6",
    "CUSTFIN_QUOTA_MB": "5",
    "CUSTFIN_XLSX_SECONDS": "4",
    "CUSTFIN_RATE_PER_MINUTE": "200",
}
TIMEOUT = httpx.Timeout(60, connect=10)


@dataclass
class Running:
    server: Server
    data_dir: Path

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Running:
    data_dir = tmp_path_factory.mktemp("security") / "data"
    create_users(data_dir, USERS)
    srv = Server(data_dir, **SERVER_ENV).start()
    try:
        yield Running(srv, data_dir)
    finally:
        srv.stop()


def login(url: str, name: str, password: str = PASSWORD, local_address: str | None = None) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=local_address) if local_address else None
    client = httpx.Client(base_url=url, timeout=TIMEOUT, transport=transport)
    response = client.post("/login", data={"username": name, "password": password})
    assert response.status_code == 200, response.text
    return client


def token_of(client: httpx.Client) -> str:
    token = client.cookies.get("access_token")
    assert token
    return token


def with_token(url: str, token: str) -> httpx.Client:
    """A fresh client presenting this (possibly old) token, as a thief replaying it would."""
    return httpx.Client(base_url=url, timeout=TIMEOUT, cookies={"access_token": token})


def socket_connects(url: str, token: str, thread_id: str | None = None) -> bool:
    sio = socketio.Client(reconnection=False)
    try:
        sio.connect(
            url,
            socketio_path="/ws/socket.io",
            transports=["websocket"],
            headers={"Cookie": f"access_token={token}"},
            auth={
                "sessionId": str(uuid.uuid4()),
                "clientType": "webapp",
                "userEnv": "{}",
                "threadId": thread_id,
            },
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError:
        return False
    sio.disconnect()
    return True


def run(coro):
    """Run a client scenario (at most 5 minutes) in a thread of its own: the e2e tests' session-wide
    Playwright leaves an event loop running in the main thread (tests/integration/server.py in_thread)."""
    return in_thread(asyncio.run, asyncio.wait_for(coro, 300))


async def chat_user(url: str, name: str) -> User:
    """A signed-in user with an open chat (load-test client: login, socket, welcome)."""
    user = User(url, name, heavy=False, record=[])
    await user.login()
    await user.open_chat()
    return user
