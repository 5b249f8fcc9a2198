"""Ownership on every Chainlit route that reads or changes a thread, step, element, feedback or file.

Chainlit 2.12 checks the thread's author on the thread routes, but ``PUT``/``DELETE /project/element``
check only that the *session* belongs to the caller (the element id, its thread and its type come
from the request body, so another user's element could be overwritten or deleted), ``PUT``/``DELETE
/feedback`` check nothing, and the share routes ignore ``allow_thread_sharing``. This module is the one
place that decides: :data:`RULES` maps each such route to a check run before Chainlit's own handler,
against the database rows (threads by user *id*, not by the reusable name). Anything not owned by the
caller answers 404, so ids of other users' rows cannot be probed. Routes custfin does not use
(``/auth/jwt``, which would mint a fresh cookie from any old token) answer 404 too.

``install(app)`` (agent/security/wiring.py) rebuilds those routes with the check in front; a test
(tests/security/test_ownership.py) fails if a route of Chainlit's that takes a thread, element,
feedback, session or file id is neither guarded nor listed as harmless in :data:`UNGUARDED`.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import HTTPException

log = logging.getLogger("custfin.security")

Check = Callable[[dict[str, Any]], Awaitable[None]]


def not_found() -> HTTPException:
    return HTTPException(status_code=404, detail="Not found")


def _user_id(kwargs: dict[str, Any]) -> str:
    from chainlit.user import PersistedUser

    user = kwargs.get("current_user")
    if not isinstance(user, PersistedUser):
        raise HTTPException(status_code=401, detail="Unauthorized")
    return user.id


async def _one(sql: str, params: dict[str, Any]) -> dict[str, Any] | None:
    from agent.security.tokens import TokenRejected, query_one

    try:
        return await query_one(sql, params)
    except TokenRejected:
        raise HTTPException(status_code=400, detail="Data persistence is not enabled") from None


async def thread_owner(thread_id: str | None) -> str | None:
    if not thread_id:
        return None
    row = await _one('SELECT "userId" AS owner FROM threads WHERE id = :id', {"id": str(thread_id)})
    return None if row is None else row["owner"]


async def require_thread(user_id: str, thread_id: str | None) -> None:
    if not thread_id or await thread_owner(thread_id) != user_id:
        raise not_found()


async def require_session(user_id: str, session_id: str | None) -> Any:
    """The caller's own websocket session (Chainlit checks it only for signed-in callers)."""
    from chainlit.session import WebsocketSession

    session = WebsocketSession.get_by_id(str(session_id)) if session_id else None
    owner = getattr(getattr(session, "user", None), "id", None)
    if session is None or owner != user_id:
        raise not_found()
    return session


# ----------------------------------------------------------------------------------------------------
# Checks per route


async def thread_in_path(kw: dict[str, Any]) -> None:
    await require_thread(_user_id(kw), kw.get("thread_id"))


async def thread_in_payload(kw: dict[str, Any]) -> None:
    await require_thread(_user_id(kw), getattr(kw.get("payload"), "threadId", None))


async def element_in_thread(kw: dict[str, Any]) -> None:
    user_id = _user_id(kw)
    await require_thread(user_id, kw.get("thread_id"))
    row = await _one(
        'SELECT "threadId" AS thread FROM elements WHERE id = :id', {"id": str(kw.get("element_id"))}
    )
    if row is None or row["thread"] != kw.get("thread_id"):
        raise not_found()


def sharing_enabled() -> bool:
    from chainlit.config import config

    return bool(getattr(config.features, "allow_thread_sharing", False))


async def share_view(kw: dict[str, Any]) -> None:
    if not sharing_enabled():
        raise not_found()


async def share_toggle(kw: dict[str, Any]) -> None:
    if not sharing_enabled():
        raise not_found()
    await thread_in_payload(kw)


async def feedback_upsert(kw: dict[str, Any]) -> None:
    """The feedback's message must be in one of the caller's threads (and an existing feedback too)."""
    user_id = _user_id(kw)
    feedback = getattr(kw.get("update"), "feedback", None)
    step = await _one(
        'SELECT s."threadId" AS thread, t."userId" AS owner FROM steps s JOIN threads t ON t.id = s."threadId" '
        "WHERE s.id = :id",
        {"id": str(getattr(feedback, "forId", ""))},
    )
    if feedback is None or step is None or step["owner"] != user_id:
        raise not_found()
    if feedback.threadId and feedback.threadId != step["thread"]:
        raise not_found()
    feedback.threadId = step["thread"]
    if feedback.id:
        existing = await _one(
            'SELECT f."forId" AS step, t."userId" AS owner FROM feedbacks f '
            'JOIN threads t ON t.id = f."threadId" WHERE f.id = :id',
            {"id": str(feedback.id)},
        )
        if existing is not None and (existing["owner"] != user_id or existing["step"] != feedback.forId):
            raise not_found()


async def feedback_delete(kw: dict[str, Any]) -> None:
    user_id = _user_id(kw)
    row = await _one(
        'SELECT t."userId" AS owner FROM feedbacks f JOIN threads t ON t.id = f."threadId" WHERE f.id = :id',
        {"id": str(getattr(kw.get("payload"), "feedbackId", ""))},
    )
    if row is None or row["owner"] != user_id:
        raise not_found()


async def custom_element(kw: dict[str, Any]) -> None:
    """``PUT``/``DELETE /project/element``: only the caller's own *custom* elements, in the thread of
    the caller's own session. A stored element of another type (file, table, chart) is never changed
    through this route, whatever type the request claims."""
    user_id = _user_id(kw)
    payload = kw.get("payload")
    session = await require_session(user_id, getattr(payload, "sessionId", None))
    element = getattr(payload, "element", None)
    if not isinstance(element, dict) or not element.get("id"):
        raise not_found()
    row = await _one(
        'SELECT e."threadId" AS thread, e.type AS type, t."userId" AS owner FROM elements e '
        'LEFT JOIN threads t ON t.id = e."threadId" WHERE e.id = :id',
        {"id": str(element["id"])},
    )
    claimed = element.get("threadId") or None
    if row is not None:
        if row["owner"] != user_id or row["type"] != "custom" or (claimed and claimed != row["thread"]):
            raise not_found()
        return
    if kw.get("_method") == "DELETE":
        raise not_found()
    if claimed != session.thread_id:
        raise not_found()
    owner = await thread_owner(claimed)
    if owner is not None and owner != user_id:
        raise not_found()


async def session_in_payload(kw: dict[str, Any]) -> None:
    await require_session(_user_id(kw), getattr(kw.get("payload"), "sessionId", None))


async def session_in_query(kw: dict[str, Any]) -> None:
    await require_session(_user_id(kw), kw.get("session_id"))


async def signed_in(kw: dict[str, Any]) -> None:
    _user_id(kw)


async def disabled(kw: dict[str, Any]) -> None:
    raise not_found()


# (method, path) -> check. Paths are Chainlit 2.12's (server.py), without the root path prefix.
RULES: dict[tuple[str, str], Check] = {
    ("GET", "/project/thread/{thread_id}"): thread_in_path,
    ("GET", "/project/thread/{thread_id}/element/{element_id}"): element_in_thread,
    ("PUT", "/project/thread"): thread_in_payload,
    ("DELETE", "/project/thread"): thread_in_payload,
    ("PUT", "/project/thread/share"): share_toggle,
    ("GET", "/project/share/{thread_id}"): share_view,
    ("POST", "/project/threads"): signed_in,
    ("PUT", "/feedback"): feedback_upsert,
    ("DELETE", "/feedback"): feedback_delete,
    ("PUT", "/project/element"): custom_element,
    ("DELETE", "/project/element"): custom_element,
    ("POST", "/project/action"): session_in_payload,
    ("POST", "/project/file"): session_in_query,
    ("GET", "/project/file/{file_id}"): session_in_query,
    ("POST", "/mcp"): session_in_payload,
    ("DELETE", "/mcp"): session_in_payload,
    ("POST", "/auth/jwt"): disabled,
}
# Routes that take no thread, step, element, feedback, session or file of anybody (checked by a test).
UNGUARDED = frozenset(
    {
        "/public/{filename:path}",
        "/assets/{filename:path}",
        "/copilot/{filename:path}",
        "/auth/config",
        "/login",
        "/logout",
        "/auth/header",
        "/auth/oauth/{provider_id}",
        "/auth/oauth/{provider_id}/callback",
        "/auth/oauth/azure-ad-hybrid/callback",
        "/user",
        "/set-session-cookie",
        "/project/translations",
        "/project/settings",
        "/favicon",
        "/logo",
        "/avatars/{avatar_id:str}",
        "/",
        "/health",
        "/{full_path:path}",
    }
)


def guarded(endpoint: Callable[..., Any], check: Check, method: str) -> Callable[..., Any]:
    """``endpoint`` with ``check(kwargs)`` in front; FastAPI sees the original signature."""

    async def guarded_endpoint(*args: Any, **kwargs: Any) -> Any:
        await check({**kwargs, "_method": method})
        result = endpoint(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    guarded_endpoint.__signature__ = inspect.signature(endpoint)  # type: ignore[attr-defined]
    guarded_endpoint.__name__ = getattr(endpoint, "__name__", "endpoint")
    guarded_endpoint.__doc__ = endpoint.__doc__
    guarded_endpoint.__custfin_guard__ = check  # type: ignore[attr-defined]
    return guarded_endpoint


def _routers(router: Any) -> list[Any]:
    """``router`` and every router included in it (FastAPI >= 0.16x keeps included routers as
    ``_IncludedRouter`` entries pointing at the original router; older releases copy their routes)."""
    found, todo, seen = [], [router], set()
    while todo:
        r = todo.pop()
        if id(r) in seen:
            continue
        seen.add(id(r))
        found.append(r)
        for route in getattr(r, "routes", []):
            inner = getattr(route, "original_router", None)
            if inner is not None:
                todo.append(inner)
    return found


def replace_route(
    app: Any, method: str, path: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> bool:
    """Rebuild the route ``method path`` (in the app or a router it includes) with
    ``make(original endpoint)``; False when there is no such route."""
    from fastapi.routing import APIRoute

    for router in _routers(app.router):
        routes = router.routes
        for i, route in enumerate(routes):
            if isinstance(route, APIRoute) and route.path == path and method in route.methods:
                if getattr(route.endpoint, "__custfin_guard__", None) is not None:
                    return True  # already installed (a second import of the app)
                routes[i] = APIRoute(
                    route.path,
                    make(route.endpoint),
                    methods=list(route.methods),
                    name=route.name,
                    response_class=route.response_class,
                    dependencies=list(route.dependencies),
                    include_in_schema=False,
                    dependency_overrides_provider=route.dependency_overrides_provider,
                )
                mark = getattr(router, "_mark_routes_changed", None)
                if callable(mark):
                    mark()
                return True
    return False


def install(app: Any, root_path: str = "") -> list[str]:
    """Put every check of :data:`RULES` in front of its route; returns the routes not found."""
    missing = []
    for (method, path), check in RULES.items():
        ok = replace_route(app, method, root_path + path, lambda ep, c=check, m=method: guarded(ep, c, m))
        if not ok:
            missing.append(f"{method} {path}")
    if missing:
        log.warning("custfin: routes to guard not found (Chainlit changed?): %s", ", ".join(missing))
    return missing
