"""Chainlit's side of persistence: the SQLAlchemy data layer on the app database (SQLite file or
PostgreSQL, agent/database.py) and a local-disk storage provider for elements. Imported by app.py only (importing chainlit writes config files into
the working directory, which the `custfin` command must not do). Storage layout: agent/persistence.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.storage_clients.base import BaseStorageClient

from agent import database, persistence
from agent.security.uploads import safe_filename
from agent.settings import Settings

FILES_ROUTE = "/custfin/files"
# Columns Chainlit's own DDL makes JSONB / TEXT[]; the portable schema keeps JSON text, decoded when read.
# "props" stays text: Chainlit's get_element parses it itself.
JSON_COLUMNS = frozenset({"metadata", "tags", "thread_metadata", "thread_tags", "step_metadata", "step_tags"})


class LocalStorageClient(BaseStorageClient):
    """Element files under ``data_dir/files``. Chainlit's object keys are ``<user id>/<element id>/<name>``;
    the first part is what the file route checks against the signed-in user."""

    def __init__(self, settings: Settings, url_prefix: str = FILES_ROUTE) -> None:
        self.settings = settings
        self.root = persistence.files_dir(settings).resolve()
        self.url_prefix = url_prefix

    def path_for(self, object_key: str) -> Path:
        return persistence.element_path(self.settings, object_key)

    @staticmethod
    def safe_key(object_key: str) -> str:
        """``<user id>/<element id>/<name>`` with the name made safe to store (an upload named
        ``../x``, ``a/b.csv`` or with NUL or control characters used to fail the write, losing the
        attachment record)."""
        parts = object_key.split("/")
        head, name = parts[:2], "_".join(p for p in parts[2:] if p)
        safe = [persistence.safe_part_or(p, "unknown") for p in head]
        return "/".join([*safe, safe_filename(name, "file")] if len(parts) > 2 else safe)

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        object_key = self.safe_key(object_key)
        path = self.path_for(object_key)
        if not overwrite and path.exists():
            raise FileExistsError(object_key)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        await asyncio.to_thread(persistence.write_shared, path, payload, self.root)
        return {"object_key": object_key, "url": await self.get_read_url(object_key)}

    async def delete_file(self, object_key: str) -> bool:
        try:
            path = self.path_for(object_key)
        except ValueError:
            return False
        existed = path.exists()
        await asyncio.to_thread(persistence.unlink_file, path, self.root)
        return existed

    async def get_read_url(self, object_key: str) -> str:
        return f"{self.url_prefix}/{quote(object_key, safe='/')}"

    async def close(self) -> None:
        return None


class CustfinDataLayer(SQLAlchemyDataLayer):
    """Chainlit's SQLAlchemy data layer on the app database, with local element storage.

    The schema is one for SQLite and PostgreSQL, without JSON or array columns: lists and dicts are
    written as JSON text and the JSON columns decoded when read. Deleting a thread also deletes its
    datasets and follow-up state.
    """

    def __init__(self, settings: Settings) -> None:
        database.ensure_schema(settings)
        self.settings = settings
        super().__init__(
            conninfo=database.async_url(settings).render_as_string(hide_password=False),
            connect_args=None if database.is_postgres(settings) else {"timeout": 30},
            storage_provider=LocalStorageClient(settings),
        )

    async def execute_sql(self, query: str, parameters: dict) -> list[dict[str, Any]] | int | None:
        encoded = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in parameters.items()}
        result = await super().execute_sql(query, encoded)
        if isinstance(result, list):
            for row in result:
                for key in JSON_COLUMNS.intersection(row):
                    value = row[key]
                    if isinstance(value, str) and value[:1] in ("[", "{"):
                        with contextlib.suppress(ValueError):
                            row[key] = json.loads(value)
        return result

    async def _get_user_id_by_thread(self, thread_id: str) -> str | None:
        """The owner of a thread; for the thread of the chat being written that is not stored yet
        (the first upload of a new chat races Chainlit's thread creation), the chat's signed-in user,
        so the file is stored under its owner and not under ``unknown/``."""
        owner = await super()._get_user_id_by_thread(thread_id)
        if owner is not None:
            return owner
        from chainlit.context import context
        from chainlit.user import PersistedUser

        try:
            session = context.session
        except Exception:  # no chat context (a background write): Chainlit's own fallback
            return None
        user = getattr(session, "user", None)
        if isinstance(user, PersistedUser) and getattr(session, "thread_id", None) == thread_id:
            return user.id
        return None

    async def delete_thread(self, thread_id: str) -> None:
        await super().delete_thread(thread_id)
        await asyncio.to_thread(persistence.delete_thread_data, self.settings, [thread_id])
