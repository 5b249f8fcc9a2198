"""Puts agent/security into the running Chainlit server (imported by app.py only: it imports Chainlit).

``install`` replaces, in Chainlit 2.12 (checked against chainlit/server.py, auth/ and socket.py):

- the user dependency of every HTTP route (``app.dependency_overrides[chainlit.auth.get_current_user]``),
  the socket's connect check (``chainlit.socket.get_current_user``) and every other socket event (a
  wrapper around ``sio.handlers``) with the revocable-token check of tokens.py;
- ``chainlit.server._authenticate_user`` (every sign-in ends there) and ``create_jwt`` (which it calls)
  with tokens.issue: the token carries the session version (read asynchronously) and a token id;
- the routes of ownership.RULES with their ownership checks, ``POST /login`` with the throttled login,
  and the catch-all UI route with the offline page;
- and adds the http.Guard middleware (body limits, upload admission, security headers).
"""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from agent.security import files, http, login, ownership, tokens, uploads

log = logging.getLogger("custfin.security")


@dataclass
class Security:
    settings: Any
    authenticator: tokens.Authenticator
    throttle: login.Throttle
    verifier: login.Verifier
    upload_limiter: uploads.UploadLimiter
    missing_routes: list[str] = field(default_factory=list)

    async def verify_password(self, fn: Any, *args: Any) -> Any:
        """A password check on the login thread (never asyncio's default executor)."""
        return await self.verifier.run(fn, *args)

    async def authenticate(self, token: str | None) -> Any:
        return await self.authenticator.authenticate(token)

    async def logout(self, request: Any) -> None:
        """Revoke the token this request carries (logout)."""
        import asyncio

        from chainlit.auth.cookie import get_token_from_cookies

        token = get_token_from_cookies(request.cookies)
        if not token:
            auth = request.headers.get("Authorization") or ""
            token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        try:
            claims = tokens.decode(token, verify_exp=False)
        except tokens.TokenRejected:
            return
        expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
        await asyncio.to_thread(tokens.revoke, self.settings, claims[tokens.CLAIM_ID], expires)


def install(settings: Any, *, local_allowed: bool, oauth_enabled: bool) -> Security:
    import chainlit.auth as cl_auth
    import chainlit.server as cl_server
    import chainlit.socket as cl_socket
    from chainlit.auth import require_login, reuseable_oauth
    from chainlit.config import config
    from fastapi import Depends, HTTPException

    files.harden(settings.data_dir)
    uploads.configure(settings)

    policy = tokens.Policy(local_allowed=local_allowed, oauth_enabled=oauth_enabled)
    security = Security(
        settings=settings,
        authenticator=tokens.Authenticator(policy),
        throttle=login.Throttle(free=settings.login_free_attempts),
        verifier=login.Verifier(),
        upload_limiter=uploads.UploadLimiter(settings.uploads_per_minute),
    )
    app = cl_server.app
    root = config.run.root_path or ""

    async def current_user(token: str = Depends(reuseable_oauth)) -> Any:  # noqa: B008 (FastAPI)
        if not require_login():
            return None
        try:
            return await security.authenticate(token)
        except tokens.TokenRejected as exc:
            log.info("custfin: token refused (%s)", exc)
            raise HTTPException(status_code=401, detail="Invalid authentication token") from None

    async def socket_user(token: str | None = None) -> Any:
        try:
            return await security.authenticate(token)
        except tokens.TokenRejected as exc:
            log.info("custfin: socket token refused (%s)", exc)
            return None

    # Every sign-in (password, local user, OAuth) ends in Chainlit's _authenticate_user, which creates
    # the user row and then calls create_jwt (sync): the session version is read before, asynchronously.
    original_authenticate_user = cl_server._authenticate_user
    issuing: contextvars.ContextVar[int] = contextvars.ContextVar("custfin_session_version")

    async def authenticate_user(request: Any, user: Any, redirect_to_callback: bool = False) -> Any:
        if user:
            issuing.set(await tokens.current_version(user.identifier))
        return await original_authenticate_user(request, user, redirect_to_callback)

    def create_jwt(user: Any) -> str:
        version = issuing.get(None)
        if version is None:  # a sign-in path that skipped authenticate_user: no token
            raise RuntimeError("custfin: token requested outside a sign-in")
        return tokens.issue(user.to_dict(), version, int(config.project.user_session_timeout))

    app.dependency_overrides[cl_auth.get_current_user] = current_user
    cl_socket.get_current_user = socket_user
    cl_server._authenticate_user = authenticate_user
    cl_server.create_jwt = create_jwt

    security.missing_routes = ownership.install(app, root)
    if not ownership.replace_route(
        app, "POST", root + "/login", lambda ep: http.login_endpoint(ep, security.throttle, security.verifier)
    ):
        security.missing_routes.append("POST /login")
    if not ownership.replace_route(app, "GET", root + "/{full_path:path}", http.page_endpoint):
        security.missing_routes.append("GET /{full_path:path}")
    guard_socket_events(cl_server.sio, security, require_login)
    app.add_middleware(
        http.Guard,
        settings=settings,
        authenticate=security.authenticate,
        upload_limiter=security.upload_limiter,
        root_path=root,
    )
    return security


def guard_socket_events(sio: Any, security: Security, require_login: Any) -> None:
    """Every socket event of a signed-in chat re-checks its token: a chat whose login was revoked
    (logout elsewhere, password change, user removed) is disconnected at its next event."""
    from chainlit.session import WebsocketSession

    handlers = sio.handlers.get("/", {})
    for event, handler in list(handlers.items()):
        if event in ("connect", "disconnect") or getattr(handler, "__custfin_guard__", False):
            continue

        async def guarded(sid: str, *args: Any, _handler: Any = handler, _event: str = event) -> Any:
            if require_login():
                session = WebsocketSession.get(sid)
                try:
                    await security.authenticate(getattr(session, "token", None))
                except tokens.TokenRejected as exc:
                    log.info("custfin: socket event %s refused (%s); disconnecting", _event, exc)
                    await sio.disconnect(sid)
                    return None
            return await _handler(sid, *args)

        guarded.__custfin_guard__ = True  # type: ignore[attr-defined]
        handlers[event] = guarded
