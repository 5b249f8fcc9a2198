"""Integration tests: persistence, logins and isolation against real SQLite files and a real server."""

from __future__ import annotations

import pytest

from agent.settings import Settings


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.setenv("CUSTFIN_DATA_DIR", str(tmp_path / "data"))
    return Settings()
