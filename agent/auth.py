"""Logins: password users (argon2id hashes in the app database), the automatic local user, the JWT secret.

Adding a user, changing a password and removing a user bump the name's session version
(agent/security/tokens.py), which invalidates every login token issued for that name before.

Login is required as soon as any password user exists or the server listens on a non-loopback
address. Otherwise (``make run`` on 127.0.0.1 with no users) the browser is signed in automatically as
the local user, so history and resume work without a password.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from agent import persistence
from agent.database import connect, now_iso, run
from agent.security import tokens
from agent.settings import Settings

LOCAL_USER = "local"
SIGNING_KEY_FILE = "auth_secret"
MIN_PASSWORD_CHARS = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
_hasher = PasswordHasher()
# Verifying an unknown name costs as much as a known one, so timing does not reveal which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class UserError(ValueError):
    """A user-management request that cannot be done (bad name, short password, unknown user)."""


def validate_name(name: str) -> str:
    if not _NAME.match(name or ""):
        raise UserError("A user name is 1-64 letters, digits or . _ @ - and starts with a letter or digit.")
    if name.lower() == LOCAL_USER:
        raise UserError(f"'{LOCAL_USER}' is reserved for the automatic local sign-in.")
    return name


def add_user(settings: Settings, name: str, password: str) -> None:
    """Create a password user, or set a new password for an existing one."""
    validate_name(name)
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserError(f"A password has at least {MIN_PASSWORD_CHARS} characters.")
    hashed = _hasher.hash(password)
    with connect(settings) as conn:
        metadata = run(conn, "SELECT metadata FROM users WHERE identifier = :name", {"name": name}).scalar()
        provider = json.loads(metadata or "{}").get("provider", "password")
        if provider != "password":  # Chainlit matches accounts by name: the password would open theirs
            raise UserError(
                f"'{name}' already signs in through {provider}; "
                f"`custfin users remove {name}` first if this is meant to be a new user."
            )
        run(
            conn,
            "INSERT INTO credentials (identifier, password_hash, created_at) VALUES (:name, :hash, :at) "
            "ON CONFLICT (identifier) DO UPDATE SET password_hash = excluded.password_hash",
            {"name": name, "hash": hashed, "at": now_iso()},
        )
    # A new password (or a new person given a name used before) signs out every earlier login.
    tokens.bump(settings, name)


def list_users(settings: Settings) -> list[tuple[str, str]]:
    """(name, created at) of every password user, by name."""
    with connect(settings) as conn:
        rows = run(conn, "SELECT identifier, created_at FROM credentials ORDER BY identifier").all()
    return [(name, created) for name, created in rows]


def list_oauth_users(settings: Settings) -> list[tuple[str, str, str]]:
    """(name, provider, first sign-in) of every user who signed in through OAuth, by name."""
    with connect(settings) as conn:
        rows = run(conn, 'SELECT identifier, metadata, "createdAt" FROM users ORDER BY identifier').all()
    found = []
    for name, metadata, created in rows:
        provider = json.loads(metadata or "{}").get("provider")
        if provider not in (None, "password", "local"):
            found.append((name, str(provider), created or ""))
    return found


def remove_user(settings: Settings, name: str) -> int:
    """Remove a user (password or OAuth) and everything they stored; returns the conversations deleted."""
    with connect(settings) as conn:
        deleted = run(conn, "DELETE FROM credentials WHERE identifier = :name", {"name": name}).rowcount
        known = run(conn, "SELECT 1 FROM users WHERE identifier = :name", {"name": name}).first()
    if not deleted and known is None:
        raise UserError(f"No user named '{name}'.")
    tokens.bump(settings, name)  # every token of this name is refused from now on, also after a re-add
    return persistence.delete_user_data(settings, name)


def has_users(settings: Settings) -> bool:
    with connect(settings) as conn:
        return run(conn, "SELECT 1 FROM credentials LIMIT 1").first() is not None


def verify_password(settings: Settings, name: str, password: str, equalise: bool = True) -> bool:
    """``equalise``: an unknown name costs a (dummy) hash check too, so timing does not tell which names
    exist. The server passes False: every failed sign-in is answered after the same fixed delay there
    (agent/security/login.py), so a flood of made-up names costs it no argon2 work."""
    with connect(settings) as conn:
        stored = run(
            conn, "SELECT password_hash FROM credentials WHERE identifier = :name", {"name": name}
        ).scalar()
    if stored is None and not equalise:
        return False
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def local_login_allowed(settings: Settings, host: str | None) -> bool:
    """The automatic local user: only on a loopback address and only while no password user exists."""
    return is_loopback(host) and not has_users(settings)


def ensure_auth_secret(settings: Settings) -> None:
    """CHAINLIT_AUTH_SECRET signs the login cookies. Without one in the environment (``make run`` writes
    it into .env), a random secret is kept in data_dir/auth_secret (owner-only) and reused."""
    if os.environ.get("CHAINLIT_AUTH_SECRET"):
        return
    path = settings.data_dir / SIGNING_KEY_FILE
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    os.environ["CHAINLIT_AUTH_SECRET"] = path.read_text().strip()
