"""Read what the app stored, on either database: rows of a query as tuples (``:name`` parameters)."""

from __future__ import annotations

from typing import Any

from agent import database
from agent.settings import Settings


def stored(settings: Settings, sql: str, **params: Any) -> list[tuple]:
    with database.connect(settings) as conn:
        return [tuple(r) for r in database.run(conn, sql, params)]
