"""Attack 3: sessions are revocable. An old token stops working, over HTTP and on the socket, after
logout, a password change, removing the user, and removing then re-adding the name for someone else;
a token never recreates a removed user; the automatic local user's token dies with the first password
user; forged, expired and other-secret tokens are refused."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
import socketio

from agent import auth
from agent.settings import Settings
from benchmarks.load import Server
from tests.security.conftest import PASSWORD, login, socket_connects, token_of, with_token
from tests.security.test_ownership import db_rows


def settings_for(server) -> Settings:
    return Settings(data_dir=server.data_dir)


def refused_everywhere(url: str, token: str) -> bool:
    client = with_token(url, token)
    statuses = [
        client.get("/user").status_code,
        client.post("/project/threads", json={"pagination": {"first": 5}, "filter": {}}).status_code,
    ]
    return statuses == [401, 401] and not socket_connects(url, token)


def test_logout_revokes_the_token(server):
    client = login(server.url, "carol")
    token = token_of(client)
    assert with_token(server.url, token).get("/user").status_code == 200 and socket_connects(
        server.url, token
    )
    assert client.post("/logout").status_code == 200
    assert refused_everywhere(server.url, token)
    assert login(server.url, "carol").get("/user").status_code == 200  # a new login works


def test_password_change_revokes_old_tokens(server):
    settings = settings_for(server)
    token = token_of(login(server.url, "dave"))
    auth.add_user(settings, "dave", "a brand new password")
    try:
        assert refused_everywhere(server.url, token)
        assert login(server.url, "dave", "a brand new password").get("/user").status_code == 200
    finally:
        auth.add_user(settings, "dave", PASSWORD)


def test_removed_user_is_not_recreated_and_a_new_namesake_is_safe(server):
    settings = settings_for(server)
    token = token_of(login(server.url, "erin"))
    old_id = with_token(server.url, token).get("/user").json()["id"]
    auth.remove_user(settings, "erin")
    assert refused_everywhere(server.url, token)
    assert db_rows(server.data_dir, "SELECT id FROM users WHERE identifier = 'erin'") == []  # not recreated
    # Someone else is given the name: the old token must not open the new erin's account.
    auth.add_user(settings, "erin", "the new erin's password")
    new = login(server.url, "erin", "the new erin's password")
    assert new.get("/user").json()["id"] != old_id
    assert refused_everywhere(server.url, token)


def test_a_revoked_chat_is_disconnected_at_its_next_event(server):
    client = login(server.url, "frank")
    token = token_of(client)
    events: list[str] = []
    sio = socketio.Client(reconnection=False)
    sio.on("disconnect", lambda *a: events.append("disconnect"))
    sio.connect(
        server.url,
        socketio_path="/ws/socket.io",
        transports=["websocket"],
        headers={"Cookie": f"access_token={token}"},
        auth={"sessionId": str(uuid.uuid4()), "clientType": "webapp", "userEnv": "{}", "threadId": None},
        wait_timeout=10,
    )
    try:
        client.post("/logout")
        sio.emit("chat_settings_change", {"engine": "offline"})
        deadline = time.monotonic() + 10
        while "disconnect" not in events and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "disconnect" in events
    finally:
        if sio.connected:
            sio.disconnect()


def test_forged_expired_and_foreign_tokens_are_refused(server):
    token = token_of(login(server.url, "grace"))
    secret = server.server.auth_secret  # the server's signing key: what an insider could sign with
    claims = jwt.decode(token, secret, algorithms=["HS256"])
    now = datetime.now(UTC)
    forged = jwt.encode({**claims, "identifier": "alice"}, "not the server's secret", algorithm="HS256")
    unsigned = jwt.encode({**claims, "identifier": "alice"}, None, algorithm="none")
    expired = jwt.encode({**claims, "exp": now - timedelta(minutes=1)}, secret, algorithm="HS256")
    no_version = jwt.encode({k: v for k, v in claims.items() if k != "sv"}, secret, algorithm="HS256")
    old_version = jwt.encode({**claims, "sv": claims["sv"] - 1}, secret, algorithm="HS256")
    for bad in (forged, unsigned, expired, no_version, old_version, "garbage"):
        assert refused_everywhere(server.url, bad)
    assert with_token(server.url, token).get("/user").status_code == 200  # the real one still works


@pytest.fixture
def local_server(tmp_path):
    srv = Server(tmp_path / "data").start()  # no users: the automatic local sign-in is on
    try:
        yield srv
    finally:
        srv.stop()


def test_local_user_token_dies_with_the_first_password_user(local_server, tmp_path):
    client = httpx.Client(base_url=local_server.url, timeout=30)
    assert client.post("/auth/header").status_code == 200
    token = token_of(client)
    assert with_token(local_server.url, token).get("/user").json()["identifier"] == "local"
    auth.add_user(Settings(data_dir=tmp_path / "data"), "owner", "the owner's password")
    assert refused_everywhere(local_server.url, token)
    assert httpx.post(local_server.url + "/auth/header", timeout=30).status_code != 200
