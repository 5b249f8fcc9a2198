"""Shared fixtures: the demo company (small and deterministic) as a bundle and a session."""

from __future__ import annotations

import pytest

from agent.session import Session
from tools.bundle import DatasetBundle


@pytest.fixture(scope="session")
def demo_session_factory():
    def make() -> Session:
        return Session(demo=True)

    return make


@pytest.fixture
def demo_session(demo_session_factory) -> Session:
    return demo_session_factory()


@pytest.fixture
def demo_bundle(demo_session: Session) -> DatasetBundle:
    return demo_session.bundle


@pytest.fixture(autouse=True)
def no_outside_database(monkeypatch) -> None:
    """Tests never touch a database named in the developer's environment (integration tests that want
    PostgreSQL start their own: tests/integration/conftest.py)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
