"""Revocable login tokens: a per-user session version and a token id, checked on every request.

Chainlit signs a JWT with the user's name and metadata and, on every request, decodes it and *creates
the user again* when the name is missing from the database. That made tokens irrevocable: logout,
a password change and ``custfin users remove`` left them valid until they expired, and an old token
recreated a removed user or opened the data of a new user given the same name.

Here every token also carries ``sv`` (the user's session version, ``session_versions`` table) and
``jti`` (a random token id). A token is accepted only when, in the database *now*:

- its user exists (it is never created from a token; logins create users, see Chainlit's
  ``_authenticate_user``),
- ``sv`` equals the user's current version: adding a user, changing a password and removing a user
  bump it, and the row outlives the user, so a re-created name never accepts an old token,
- ``jti`` is not revoked (logout revokes the token it is called with),
- a password user still has a password, and the automatic local user is still allowed (no password
  user exists and the server listens on loopback).

The sync functions (``bump``, ``revoke``, ``version``) serve agent/auth.py and the CLI; ``authenticate``
is the async check the server runs (agent/security/wiring.py installs it for every HTTP route,
the socket connect and every socket event).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from agent.database import connect, now_iso, run
from agent.settings import Settings

CLAIM_VERSION = "sv"
CLAIM_ID = "jti"
ALGORITHM = "HS256"


class TokenRejected(Exception):
    """The token is missing, forged, expired, revoked or outdated, or its user is gone."""


# ----------------------------------------------------------------------------------------------------
# Sync side: versions and revocations (auth.py, CLI, logout)


def version(settings: Settings, identifier: str) -> int:
    with connect(settings) as conn:
        found = run(
            conn, "SELECT version FROM session_versions WHERE identifier = :name", {"name": identifier}
        ).scalar()
    return int(found or 0)


def bump(settings: Settings, identifier: str) -> int:
    """Invalidate every token issued to ``identifier`` so far; returns the new version."""
    with connect(settings) as conn:
        run(
            conn,
            "INSERT INTO session_versions (identifier, version, updated_at) VALUES (:name, 1, :at) "
            "ON CONFLICT (identifier) DO UPDATE SET version = session_versions.version + 1, "
            "updated_at = excluded.updated_at",
            {"name": identifier, "at": now_iso()},
        )
        return int(
            run(
                conn, "SELECT version FROM session_versions WHERE identifier = :name", {"name": identifier}
            ).scalar_one()
        )


def revoke(settings: Settings, jti: str, expires_at: datetime) -> None:
    """Refuse this one token from now on (kept until it would have expired anyway)."""
    with connect(settings) as conn:
        run(conn, "DELETE FROM revoked_tokens WHERE expires_at < :now", {"now": now_iso()})
        run(
            conn,
            "INSERT INTO revoked_tokens (jti, expires_at) VALUES (:jti, :exp) ON CONFLICT (jti) DO NOTHING",
            {"jti": jti, "exp": expires_at.astimezone(UTC).isoformat().replace("+00:00", "Z")},
        )


# ----------------------------------------------------------------------------------------------------
# Issuing and decoding


def secret() -> str:
    import os

    value = os.environ.get("CHAINLIT_AUTH_SECRET")
    if not value:
        raise TokenRejected("no signing secret")
    return value


def issue(claims: dict[str, Any], session_version: int, lifetime_s: int) -> str:
    """A signed token for ``claims`` (Chainlit's user dict) with this session version and a new id."""
    import jwt

    now = datetime.now(UTC)
    payload = dict(claims)
    payload.update(
        {
            "exp": now + timedelta(seconds=lifetime_s),
            "iat": now,
            CLAIM_VERSION: int(session_version),
            CLAIM_ID: secrets.token_hex(16),
        }
    )
    return jwt.encode(payload, secret(), algorithm=ALGORITHM)


def decode(token: str | None, verify_exp: bool = True) -> dict[str, Any]:
    """The claims of a token signed with this server's secret (TokenRejected otherwise)."""
    import jwt

    if not token:
        raise TokenRejected("no token")
    try:
        claims = jwt.decode(
            token,
            secret(),
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", CLAIM_VERSION, CLAIM_ID], "verify_exp": verify_exp},
        )
    except jwt.InvalidTokenError as exc:
        raise TokenRejected(type(exc).__name__) from None
    if not isinstance(claims.get("identifier"), str) or not isinstance(claims.get(CLAIM_VERSION), int):
        raise TokenRejected("malformed claims")
    return claims


# ----------------------------------------------------------------------------------------------------
# Async check (the server)


@dataclass(frozen=True)
class Policy:
    """What the server allows beyond the database rows: the automatic local user, OAuth providers."""

    local_user: str = "local"
    local_allowed: bool = False  # loopback address and the automatic user registered at start
    oauth_enabled: bool = False


CHECK_SQL = (
    'SELECT u.id AS id, u.identifier AS identifier, u.metadata AS metadata, u."createdAt" AS created, '
    "(SELECT version FROM session_versions v WHERE v.identifier = u.identifier) AS sv, "
    "(SELECT 1 FROM revoked_tokens r WHERE r.jti = :jti) AS revoked, "
    "(SELECT 1 FROM credentials c WHERE c.identifier = u.identifier) AS has_password, "
    "(SELECT 1 FROM credentials LIMIT 1) AS any_password "
    "FROM users u WHERE u.identifier = :name"
)


def judge(claims: dict[str, Any], row: dict[str, Any] | None, policy: Policy) -> None:
    """Raise TokenRejected unless the database row (``CHECK_SQL``) accepts these claims (pure)."""
    if row is None:
        raise TokenRejected("no such user")  # never recreated from a token
    if row.get("revoked"):
        raise TokenRejected("revoked")
    if int(row.get("sv") or 0) != claims[CLAIM_VERSION]:
        raise TokenRejected("outdated session")
    metadata = claims.get("metadata") if isinstance(claims.get("metadata"), dict) else {}
    provider = metadata.get("provider")
    if claims["identifier"] == policy.local_user or provider == "local":
        if not policy.local_allowed or row.get("any_password"):
            raise TokenRejected("automatic user is off")
    elif provider == "password":
        if not row.get("has_password"):
            raise TokenRejected("password removed")
    elif not policy.oauth_enabled:
        raise TokenRejected("sign-in method not available")


async def query_one(sql: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """One row through the data layer's async engine (never a blocking call on the event loop: a sync
    SQLite call there would wait for a write lock held by an async transaction that needs the loop)."""
    from chainlit.data import get_data_layer
    from sqlalchemy import text

    engine = getattr(get_data_layer(), "engine", None)
    if engine is None:
        raise TokenRejected("no database")
    async with engine.connect() as conn:
        found = (await conn.execute(text(sql), params)).mappings().first()
    return dict(found) if found is not None else None


async def current_version(identifier: str) -> int:
    row = await query_one(
        "SELECT version FROM session_versions WHERE identifier = :name", {"name": identifier}
    )
    return int(row["version"]) if row else 0


class Authenticator:
    """Checks tokens against the data layer's async engine (one indexed query per check)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    async def row(self, identifier: str, jti: str) -> dict[str, Any] | None:
        try:
            return await query_one(CHECK_SQL, {"name": identifier, "jti": jti})
        except TokenRejected:
            raise
        except Exception as exc:  # the database is down: refuse (fail closed), the log says why
            raise TokenRejected(f"database error: {type(exc).__name__}") from exc

    async def authenticate(self, token: str | None) -> Any:
        """The PersistedUser of a valid token; TokenRejected otherwise."""
        from chainlit.user import PersistedUser

        claims = decode(token)
        row = await self.row(claims["identifier"], claims[CLAIM_ID])
        judge(claims, row, self.policy)
        assert row is not None
        metadata = row.get("metadata")
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                metadata = {}
        user = PersistedUser(
            id=str(row["id"]),
            identifier=str(row["identifier"]),
            createdAt=str(row.get("created") or ""),
            metadata=metadata if isinstance(metadata, dict) else {},
        )
        if claims.get("display_name"):
            user.display_name = claims["display_name"]
        return user
