"""The HTTP edge: bodies bounded before they are read, uploads checked before they are read, security
headers on every response, the UI page without outside resources, and the throttled login route.

:class:`Guard` is a plain ASGI middleware, outermost in the app (in front of Chainlit's GZip and CORS):

- A request whose ``Content-Length`` is over the limit for its path is answered 413 at once; a body
  sent without a length (chunked) is counted as it streams and cut off at the limit, so nothing over
  the limit is spooled or held in memory (an upload: ``CUSTFIN_MAX_UPLOAD_MB`` plus 1 MiB for the
  multipart envelope; the login form 64 KiB; anything else 1 MiB).
- ``POST /project/file`` is authenticated from the login cookie (revocation included) and its chat
  session checked to be the caller's before a byte of the body is read (an anonymous 300 MB POST used
  to be spooled to disk before its 401), then rate-limited per user (``CUSTFIN_UPLOADS_PER_MINUTE``), limited to two at a time per user, and checked
  against the user's storage quota (``CUSTFIN_QUOTA_MB``).
- Every response carries a Content-Security-Policy (scripts, styles, images, fonts and connections
  from this server only; no framing), X-Frame-Options DENY, Referrer-Policy no-referrer,
  X-Content-Type-Options nosniff and a Permissions-Policy. The UI page's own inline scripts are
  allowed by their hashes.

:func:`offline_page` is Chainlit's index page without its Google Fonts and jsDelivr KaTeX links
(the UI falls back to the system font; LaTeX is off in .chainlit/config.toml).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any

from agent.security import login as login_mod
from agent.security import uploads
from agent.security.tokens import TokenRejected
from core.text import Msg

log = logging.getLogger("custfin.security")

KB, MB = 1024, 1024 * 1024
DEFAULT_LIMIT = 1 * MB
LOGIN_LIMIT = 64 * KB
MULTIPART_SLACK = 1 * MB
UPLOADS_AT_ONCE = 2  # per user

CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'{hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
STATIC_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def csp(script_hashes: list[str] | None = None) -> str:
    hashes = "".join(f" 'sha256-{h}'" for h in script_hashes or [])
    return "; ".join(CSP_DIRECTIVES).format(hashes=hashes)


DRAIN_LIMIT = 1 * MB  # a refused upload smaller than this is read (and dropped) before the answer


async def drain(receive: Any) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


class BodyTooLarge(Exception):
    """The request body went over its limit while it was being read."""


def _header(scope: dict[str, Any], name: bytes) -> bytes | None:
    for k, v in scope.get("headers") or []:
        if k.lower() == name:
            return v
    return None


def token_from_scope(scope: dict[str, Any]) -> str | None:
    """The login token as Chainlit reads it: the access_token cookie (or its chunks), else a Bearer header."""
    from chainlit.auth.cookie import get_token_from_cookies

    raw = _header(scope, b"cookie")
    if raw:
        jar = SimpleCookie()
        try:
            jar.load(raw.decode("latin-1"))
        except Exception:  # a malformed cookie header: no token
            jar = SimpleCookie()
        token = get_token_from_cookies({k: m.value for k, m in jar.items()})
        if token:
            return token
    auth = _header(scope, b"authorization")
    if auth and auth[:7].lower() == b"bearer ":
        return auth[7:].decode("latin-1").strip()
    return None


def bilingual(msg: Msg) -> str:
    return f"{msg.en}\n{msg.zh}"


async def respond(
    send: Callable[..., Awaitable[None]], status: int, body: dict[str, Any], headers=()
) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(data)).encode()),
                (b"connection", b"close"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


class Guard:
    """ASGI middleware: body limits, upload admission, security headers (see the module docstring)."""

    def __init__(
        self,
        app: Any,
        settings: Any,
        authenticate: Callable[[str | None], Awaitable[Any]],
        upload_limiter: uploads.UploadLimiter,
        root_path: str = "",
    ) -> None:
        self.app = app
        self.settings = settings
        self.authenticate = authenticate
        self.limiter = upload_limiter
        self.root = root_path.rstrip("/")
        self.upload_limit = int(settings.max_upload_mb) * MB + MULTIPART_SLACK
        self.inflight: dict[str, int] = {}
        self.default_csp = csp().encode()

    def limit_for(self, path: str) -> int:
        if path == self.root + "/project/file":
            return self.upload_limit
        if path == self.root + "/login":
            return LOGIN_LIMIT
        return DEFAULT_LIMIT

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        overflow = False  # the body went over the limit: whatever the app answers, the client gets 413

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if overflow:
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._too_large(send_with_headers_raw, limit)
                return  # the app's own reply (FastAPI turns the cut-off body into a 400) is dropped
            if message["type"] == "http.response.start":
                started = True
            await send_with_headers_raw(message)

        async def send_with_headers_raw(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", self.default_csp))
                headers.extend((k, v) for k, v in STATIC_HEADERS if k not in present)
                message = {**message, "headers": headers}
            await send(message)

        path = scope.get("path", "")
        limit = self.limit_for(path)
        raw_length = _header(scope, b"content-length")
        length: int | None = None
        if raw_length is not None:
            try:
                length = int(raw_length)
            except ValueError:
                await respond(send_with_headers_raw, 400, {"detail": "Bad Content-Length"})
                return
        if length is not None and length > limit:
            await self._too_large(send_with_headers_raw, limit)
            return
        user_key = None
        if scope.get("method") == "POST" and path == self.root + "/project/file":
            refusal, user_key = await self.admit_upload(scope, length)
            if refusal is not None:
                status, body, headers = refusal
                # The body is read and dropped (never stored) when it is small, or when the caller is
                # signed in (and it is within the upload limit): then the browser shows the answer
                # instead of a broken upload. An anonymous large body is never read.
                if length is not None and (length <= DRAIN_LIMIT or status != 401):
                    await drain(receive)
                await respond(send_with_headers_raw, status, body, headers)
                return
        received = 0

        async def counted_receive() -> dict[str, Any]:
            nonlocal received, overflow
            if overflow:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body") or b"")
                if received > limit:
                    overflow = True
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except BodyTooLarge:
            pass
        finally:
            if user_key is not None:
                self.inflight[user_key] = self.inflight.get(user_key, 1) - 1
                if self.inflight[user_key] <= 0:
                    self.inflight.pop(user_key, None)
        if overflow and not started:
            await self._too_large(send_with_headers_raw, limit)

    async def _too_large(self, send: Any, limit: int) -> None:
        msg = uploads.TOO_BIG.format(limit=f"{limit / MB:,.0f}")
        await respond(send, 413, {"detail": bilingual(msg), "message": msg.to_json()})

    @staticmethod
    def owns_session(scope: dict[str, Any], user_id: str) -> bool:
        """The upload's ``session_id`` is a chat of this user (checked before the body is read)."""
        from urllib.parse import parse_qs

        from chainlit.session import WebsocketSession

        query = parse_qs((scope.get("query_string") or b"").decode("latin-1"))
        session_id = (query.get("session_id") or [""])[0]
        session = WebsocketSession.get_by_id(session_id) if session_id else None
        return session is not None and str(getattr(getattr(session, "user", None), "id", "")) == user_id

    async def admit_upload(self, scope: dict[str, Any], length: int | None) -> tuple[Any, str | None]:
        """(refusal, user id): refusal is (status, body, headers) or None when the upload may proceed."""
        try:
            user = await self.authenticate(token_from_scope(scope))
        except TokenRejected:
            return (401, {"detail": "Unauthorized"}, ()), None
        user_id = str(getattr(user, "id", "") or getattr(user, "identifier", ""))
        if not self.owns_session(scope, user_id):
            return (404, {"detail": "Session not found"}, ()), None
        wait = self.limiter.acquire(user_id)
        if wait is not None:
            msg = self.limiter.refusal(wait)
            retry = str(login_mod.retry_after(wait)).encode()
            return (
                429,
                {"detail": bilingual(msg), "message": msg.to_json()},
                ((b"retry-after", retry),),
            ), None
        if self.inflight.get(user_id, 0) >= UPLOADS_AT_ONCE:
            msg = self.limiter.refusal(2.0)
            return (
                429,
                {"detail": bilingual(msg), "message": msg.to_json()},
                ((b"retry-after", b"2"),),
            ), None
        self.inflight[user_id] = self.inflight.get(user_id, 0) + 1
        try:
            refusal = await uploads.in_upload_thread(
                uploads.quota_refusal, self.settings, user_id, length or 0
            )
        except Exception:  # the quota could not be measured: let the upload through, the log says why
            log.exception("custfin: could not measure the storage of %s", user_id)
            refusal = None
        if refusal is not None:
            self.inflight[user_id] -= 1
            return (413, {"detail": bilingual(refusal), "message": refusal.to_json()}, ()), None
        return None, user_id


# ----------------------------------------------------------------------------------------------------
# The UI page


_EXTERNAL_LINK = re.compile(r"<link\b[^>]*?\bhref=\"(?:https?:)?//[^\"]*\"[^>]*?>\s*", re.DOTALL | re.I)
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*?\bsrc=\"(?:https?:)?//[^\"]*\"[^>]*>\s*</script>\s*", re.I)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL | re.I)


def offline_html(html: str) -> tuple[str, list[str]]:
    """Chainlit's page without links to other hosts, and the hashes of its inline scripts."""
    html = _EXTERNAL_LINK.sub("", html)
    html = _EXTERNAL_SCRIPT.sub("", html)
    hashes = [
        base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode()
        for m in _INLINE_SCRIPT.finditer(html)
    ]
    return html, hashes


def page_endpoint(original: Callable[..., Any]) -> Callable[..., Any]:
    """The catch-all UI route: Chainlit's page made offline, with a CSP that allows its inline scripts."""
    import inspect

    from fastapi.responses import HTMLResponse

    async def serve(request: Any) -> Any:
        response = await original(request)
        body = bytes(response.body).decode("utf-8")
        html, hashes = offline_html(body)
        return HTMLResponse(
            html, status_code=response.status_code, headers={"Content-Security-Policy": csp(hashes)}
        )

    serve.__signature__ = inspect.signature(original)  # type: ignore[attr-defined]
    serve.__custfin_guard__ = True  # type: ignore[attr-defined]
    return serve


# ----------------------------------------------------------------------------------------------------
# The login route


def client_address(request: Any) -> str:
    client = getattr(request, "client", None)
    return str(getattr(client, "host", None) or "?")


def login_endpoint(
    original: Callable[..., Any], throttle: login_mod.Throttle, verifier: login_mod.Verifier
) -> Callable[..., Any]:
    """Chainlit's ``POST /login`` behind the back-off and the verification queue."""
    import inspect

    from fastapi import HTTPException
    from fastapi.responses import JSONResponse

    def refused(wait: float, busy: bool = False) -> Any:
        body = login_mod.refusal(wait, busy)
        return JSONResponse(body, status_code=429, headers={"Retry-After": str(body["retry_after"])})

    async def tarpit(since: float) -> None:
        """A refused or failed attempt is answered no sooner than TARPIT_S after it came in."""
        remaining = login_mod.TARPIT_S - (loop_time() - since)
        if remaining > 0:
            await asyncio.sleep(remaining)

    def loop_time() -> float:
        return asyncio.get_running_loop().time()

    turns: list[asyncio.Condition] = []  # created in the server's loop at the first sign-in

    async def wait_turn(keys: Any, arrived: float) -> tuple[float, bool]:
        """Wait (up to QUEUE_S) while another sign-in with this name or address is being checked."""
        if not turns:
            turns.append(asyncio.Condition())
        wait, queued = throttle.begin(keys)
        async with turns[0]:
            while queued and (remaining := login_mod.QUEUE_S - (loop_time() - arrived)) > 0:
                try:
                    await asyncio.wait_for(turns[0].wait(), remaining)
                except TimeoutError:
                    pass
                wait, queued = throttle.begin(keys)
        return wait, queued

    async def release(keys: Any) -> None:
        throttle.end(keys)
        if turns:
            async with turns[0]:
                turns[0].notify_all()

    async def endpoint(request: Any, response: Any, form_data: Any) -> Any:
        arrived = loop_time()
        keys = throttle.keys(getattr(form_data, "username", ""), client_address(request))
        wait, _ = await wait_turn(keys, arrived)
        if wait > 0:
            await tarpit(arrived)
            return refused(wait)
        try:
            if verifier.pending >= verifier.max_pending:
                await tarpit(arrived)
                return refused(2.0, busy=True)
            try:
                result = await original(request=request, response=response, form_data=form_data)
            except HTTPException as exc:
                if exc.status_code == 401:
                    await tarpit(arrived)
                    throttle.failed(keys)  # the wait runs from the answer the client gets
                raise
        finally:
            await release(keys)
        throttle.succeeded(keys)
        return result

    endpoint.__signature__ = inspect.signature(original)  # type: ignore[attr-defined]
    endpoint.__custfin_guard__ = True  # type: ignore[attr-defined]
    return endpoint
