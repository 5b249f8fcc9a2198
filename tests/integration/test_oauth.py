"""OAuth sign-in against the running server: Chainlit's generic provider pointed at a fake OAuth2
provider on loopback (authorize -> redirect back with a code, token endpoint, userinfo endpoint).

The test client plays the browser through Chainlit's /auth/oauth/{provider} routes (state cookie
included). An allowed e-mail is signed in and lists its own conversations over Chainlit's HTTP API; an
e-mail not on CUSTFIN_OAUTH_ALLOWED, or one the provider marks unverified, is refused; the automatic
local user is off while OAuth is configured."""

from __future__ import annotations

import json
import secrets
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.integration.server import Server
from tests.integration.test_http_isolation import seed

pytestmark = pytest.mark.slow
CLIENT_ID, CLIENT_SECRET = "custfin-test", "fake-provider-secret"
THREADS = {"pagination": {"first": 20}, "filter": {}}


class FakeProvider(ThreadingHTTPServer):
    """A minimal OAuth2 authorization-code provider. Who signs in is chosen by the test: the extra
    ``as`` (e-mail) and ``verified`` parameters on the authorize URL stand in for the login form."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.codes: dict[str, tuple[dict, str]] = {}  # code -> (user info, redirect_uri)
        self.tokens: dict[str, dict] = {}  # access token -> user info
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: FakeProvider

    def log_message(self, format: str, *args) -> None:  # keep the test output quiet
        pass

    def reply(self, status: int, body: dict | None = None, location: str | None = None) -> None:
        data = json.dumps(body or {}).encode()
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/authorize":
            if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                return self.reply(400, {"error": "invalid_request"})
            user = {"sub": query["as"], "email": query["as"], "email_verified": query.get("verified") != "0"}
            code = secrets.token_urlsafe(16)
            with self.server.lock:
                self.server.codes[code] = (user, query["redirect_uri"])
            back = urllib.parse.urlencode({"code": code, "state": query["state"]})
            return self.reply(302, location=f"{query['redirect_uri']}?{back}")
        if url.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            with self.server.lock:
                user = self.server.tokens.get(token)
            return self.reply(200, user) if user else self.reply(401, {"error": "invalid_token"})
        self.reply(404)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if urllib.parse.urlsplit(self.path).path != "/token":
            return self.reply(404)
        with self.server.lock:
            user, redirect_uri = self.server.codes.pop(form.get("code", ""), (None, None))
        ok = (
            user is not None
            and form.get("client_id") == CLIENT_ID
            and form.get("client_secret") == CLIENT_SECRET
            and form.get("grant_type") == "authorization_code"
            and form.get("redirect_uri") == redirect_uri
        )
        if not ok:
            return self.reply(400, {"error": "invalid_grant"})
        token = secrets.token_urlsafe(16)
        with self.server.lock:
            self.server.tokens[token] = user
        self.reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 600})


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    fake = FakeProvider()
    thread = threading.Thread(target=fake.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.shutdown()
        fake.server_close()
        thread.join(timeout=5)


def oauth_sign_in(
    url: str, provider: FakeProvider, email: str, verified: bool = True
) -> tuple[httpx.Client, str]:
    """The browser's round trip: Chainlit -> provider -> Chainlit's callback: (client, where it lands)."""
    client = httpx.Client(base_url=url, timeout=30, follow_redirects=False)
    start = client.get("/auth/oauth/generic")
    assert start.status_code in (302, 307), start.text
    assert "oauth_state" in client.cookies
    authorize = start.headers["location"]
    assert authorize.startswith(provider.url + "/authorize?")
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
    assert params["redirect_uri"] == f"{url}/auth/oauth/generic/callback"
    extra = urllib.parse.urlencode({"as": email, "verified": "1" if verified else "0"})
    login = httpx.get(f"{authorize}&{extra}", timeout=10, follow_redirects=False)
    assert login.status_code == 302, login.text
    callback = login.headers["location"]
    assert callback.startswith(f"{url}/auth/oauth/generic/callback?")
    done = client.get(callback)
    assert done.status_code == 302, done.text
    return client, done.headers["location"]


def oauth_server(settings, provider, allowed: str) -> Server:
    """The app with Chainlit's generic OAuth provider pointed at the fake one, and this allow-list."""
    return Server(
        settings.data_dir,
        OAUTH_GENERIC_CLIENT_ID=CLIENT_ID,
        OAUTH_GENERIC_CLIENT_SECRET=CLIENT_SECRET,
        OAUTH_GENERIC_AUTH_URL=provider.url + "/authorize",
        OAUTH_GENERIC_TOKEN_URL=provider.url + "/token",
        OAUTH_GENERIC_USER_INFO_URL=provider.url + "/userinfo",
        OAUTH_GENERIC_SCOPES="openid email",
        CUSTFIN_OAUTH_ALLOWED=allowed,
    ).start()


def test_oauth_sign_in_is_limited_to_the_allow_list(settings, provider):
    server = oauth_server(settings, provider, "Ann@Company.example, @partner.example")
    try:
        url = server.url
        config = httpx.get(url + "/auth/config", timeout=10).json()
        assert config["requireLogin"] and config["oauthProviders"] == ["generic"]
        # No password user and a loopback address, yet no automatic local user while OAuth is configured.
        assert not config["headerAuth"]
        assert httpx.post(url + "/auth/header", timeout=10).status_code != 200

        ann, landed = oauth_sign_in(url, provider, "ann@company.example")
        assert landed.startswith("/login/callback")
        assert "access_token" in ann.cookies and "oauth_state" not in ann.cookies
        me = ann.get("/user").json()
        assert me["identifier"] == "ann@company.example"
        assert me["metadata"]["provider"] == "generic"
        thread_id, _, _ = seed(settings, me["id"], "ann")
        listed = ann.post("/project/threads", json=THREADS)
        assert listed.status_code == 200
        assert [t["id"] for t in listed.json()["data"]] == [thread_id]

        zoe, _ = oauth_sign_in(url, provider, "zoe@partner.example")  # an allowed domain
        assert zoe.get("/user").json()["identifier"] == "zoe@partner.example"
        assert zoe.post("/project/threads", json=THREADS).json()["data"] == []  # not Ann's

        for email, verified in (
            ("mallory@gmail.example", True),
            ("bob@company.example", True),  # Ann's address is listed, not her domain
            ("ann@company.example", False),  # the provider does not vouch for it
        ):
            refused, landed = oauth_sign_in(url, provider, email, verified)
            assert landed.endswith("/login?error=oauthSignin"), email
            assert "access_token" not in refused.cookies
            assert refused.get("/user").status_code == 401
            assert refused.post("/project/threads", json=THREADS).status_code == 401
        assert "OAuth sign-in refused for 'mallory@gmail.example'" in server.log()
    except Exception:
        print(server.log())
        raise
    finally:
        server.stop()


def test_oauth_without_an_allow_list_admits_nobody(settings, provider):
    server = oauth_server(settings, provider, "")
    try:
        assert "CUSTFIN_OAUTH_ALLOWED is empty: nobody can sign in through OAuth" in server.log()
        refused, landed = oauth_sign_in(server.url, provider, "ann@company.example")
        assert landed.endswith("/login?error=oauthSignin")
        assert refused.get("/user").status_code == 401
        assert httpx.post(server.url + "/auth/header", timeout=10).status_code != 200
    except Exception:
        print(server.log())
        raise
    finally:
        server.stop()
