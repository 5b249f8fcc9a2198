"""Live sources an administrator offers in the chat: a settings file, per-user access, opening one.

The file is ``CUSTFIN_SOURCES_FILE`` (default ``sources.toml`` in the data directory), written by an
administrator, never by chat text::

    [[source]]
    name = "ERP orders"                                   # what users see in the chat settings
    url = "postgresql://analyst:${ERP_PASSWORD}@db.internal/erp?table=orders"
    users = ["alice", "bob"]                              # sign-in names; "*" = every signed-in user

``${NAME}`` in a URL is replaced by that environment variable (credentials stay in the environment; a
missing variable makes the source unavailable, with a message naming the variable, not its value). A
user sees and can open only the sources listing them; the name a browser sends back is looked up again
in the file for that user, so a client cannot open a source it was not offered.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from core.text import Msg
from tools.errors import UserFacingError

ENV = "CUSTFIN_SOURCES_FILE"
EVERYONE = "*"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SourceEntry:
    name: str
    url: str  # as written in the file (with ${VAR} placeholders, never expanded here)
    users: tuple[str, ...]

    def allows(self, user: str | None) -> bool:
        return user is not None and (EVERYONE in self.users or user in self.users)


class SourceError(UserFacingError):
    code = "database_unavailable"


def sources_file(data_dir: Path) -> Path:
    configured = os.environ.get(ENV, "").strip()
    return Path(configured) if configured else data_dir / "sources.toml"


def load(path: Path) -> list[SourceEntry]:
    """The sources in ``path`` (none when the file does not exist); a malformed file raises SourceError."""
    if not path.is_file():
        return []
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _bad_file(path, str(exc)) from None
    entries = []
    for i, item in enumerate(raw.get("source", []), start=1):
        if not isinstance(item, dict):
            raise _bad_file(path, f"entry {i} is not a table")
        name, url, users = item.get("name"), item.get("url"), item.get("users", [])
        if not isinstance(name, str) or not name.strip() or not isinstance(url, str) or not url.strip():
            raise _bad_file(path, f"entry {i} needs a name and a url")
        if not isinstance(users, list) or not all(isinstance(u, str) for u in users):
            raise _bad_file(path, f"entry {i}: users must be a list of names")
        entries.append(SourceEntry(name.strip(), url.strip(), tuple(users)))
    names = [e.name for e in entries]
    if len(set(names)) != len(names):
        raise _bad_file(path, "two sources have the same name")
    return entries


def visible_to(entries: list[SourceEntry], user: str | None) -> list[SourceEntry]:
    return [e for e in entries if e.allows(user)]


def resolve(entries: list[SourceEntry], user: str | None, name: str) -> str:
    """The URL (environment variables filled in) of source ``name`` for ``user``, or SourceError."""
    entry = next((e for e in entries if e.name == name), None)
    if entry is None or not entry.allows(user):  # the same answer: do not reveal what exists
        raise SourceError(
            Msg(f"No source named '{name}' is available to you.", f"没有名为“{name}”的可用数据源。"),
            code="bad_arguments",
        )
    missing = [v for v in _VAR.findall(entry.url) if v not in os.environ]
    if missing:
        raise SourceError(
            Msg(
                f"The source '{name}' is not configured on this server: the environment variable "
                f"{missing[0]} is not set. Ask an administrator.",
                f"数据源“{name}”在本服务器上未配置完整：环境变量 {missing[0]} 未设置。请联系管理员。",
            )
        )
    return _VAR.sub(lambda m: os.environ[m.group(1)], entry.url)


def _bad_file(path: Path, reason: str) -> SourceError:
    return SourceError(
        Msg(
            f"The sources file {path} cannot be used: {reason}.",
            f"数据源配置文件 {path} 无法使用：{reason}。",
        ),
        code="bad_arguments",
    )
