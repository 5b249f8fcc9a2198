"""Integration tests: persistence, logins and isolation against a real database and a real server.

The ``settings`` fixture uses the SQLite file by default; in a module that sets ``ON_BOTH_DATABASES = True``
every test taking ``settings`` runs on the SQLite file and on PostgreSQL (a throwaway server).
"""

from __future__ import annotations

import pytest

from agent.settings import Settings
from tests.integration.postgres import PostgresServer, binaries

DATABASES = ["sqlite", "postgresql"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "settings" in metafunc.fixturenames and getattr(metafunc.module, "ON_BOTH_DATABASES", False):
        metafunc.parametrize("settings", DATABASES, indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    bin_dir = binaries()
    if bin_dir is None:
        pytest.fail(
            "PostgreSQL server binaries not found: run scripts/provision-test-deps.sh "
            "(apt-get install -y postgresql)"
        )
    server = PostgresServer(bin_dir).start()
    yield server
    server.stop()


@pytest.fixture
def settings(request, tmp_path, monkeypatch) -> Settings:
    monkeypatch.setenv("CUSTFIN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    if getattr(request, "param", "sqlite") == "postgresql":
        server = request.getfixturevalue("postgres_server")
        monkeypatch.setenv("DATABASE_URL", server.new_database())
    return Settings()
