"""Password users (argon2 hashes), the automatic local user rule, the cookie secret, `custfin users`."""

from __future__ import annotations

import io
import stat

import pytest

from agent import auth, cli, database
from tests.integration.stored import stored as stored_rows

ON_BOTH_DATABASES = True  # tests/integration/conftest.py


def test_passwords_are_hashed_and_verified(settings):
    auth.add_user(settings, "alice", "correct horse")
    ((stored,),) = stored_rows(settings, "SELECT password_hash FROM credentials")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert auth.verify_password(settings, "alice", "correct horse")
    assert not auth.verify_password(settings, "alice", "wrong horse")
    assert not auth.verify_password(settings, "bob", "correct horse")
    auth.add_user(settings, "alice", "new password")  # same name: a new password
    assert auth.verify_password(settings, "alice", "new password")
    assert not auth.verify_password(settings, "alice", "correct horse")
    assert [name for name, _ in auth.list_users(settings)] == ["alice"]


@pytest.mark.parametrize("name", ["", "local", "LOCAL", "a b", "../x", "x" * 65])
def test_bad_names_are_refused(settings, name):
    with pytest.raises(auth.UserError):
        auth.add_user(settings, name, "long enough")


def test_short_passwords_are_refused(settings):
    with pytest.raises(auth.UserError):
        auth.add_user(settings, "alice", "short")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.com", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_addresses(host, loopback):
    assert auth.is_loopback(host) is loopback


def test_local_user_only_on_loopback_without_users(settings):
    assert auth.local_login_allowed(settings, "127.0.0.1")
    assert not auth.local_login_allowed(settings, "0.0.0.0")
    auth.add_user(settings, "alice", "correct horse")
    assert not auth.local_login_allowed(settings, "127.0.0.1")
    auth.remove_user(settings, "alice")
    assert auth.local_login_allowed(settings, "127.0.0.1")


def test_cookie_secret_is_generated_once_and_private(settings, monkeypatch):
    monkeypatch.delenv("CHAINLIT_AUTH_SECRET", raising=False)
    auth.ensure_auth_secret(settings)
    first = auth.os.environ["CHAINLIT_AUTH_SECRET"]
    path = settings.data_dir / auth.SIGNING_KEY_FILE
    assert len(first) >= 40 and stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.delenv("CHAINLIT_AUTH_SECRET")
    auth.ensure_auth_secret(settings)
    assert auth.os.environ["CHAINLIT_AUTH_SECRET"] == first
    monkeypatch.setenv("CHAINLIT_AUTH_SECRET", "from-env")
    auth.ensure_auth_secret(settings)
    assert auth.os.environ["CHAINLIT_AUTH_SECRET"] == "from-env"


def run_cli(monkeypatch, capsys, args, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_users_command(settings, monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, ["users", "add", "alice"], "correct horse\n")
    assert code == 0 and "alice" in out
    assert auth.verify_password(settings, "alice", "correct horse")
    code, out, _ = run_cli(monkeypatch, capsys, ["users", "list"])
    assert code == 0 and out.split("\t")[0] == "alice" and out.rstrip("\n").split("\t")[2] == "password"
    code, _, err = run_cli(monkeypatch, capsys, ["users", "add", "bob"], "short\n")
    assert code == 2 and "8 characters" in err
    code, out, _ = run_cli(monkeypatch, capsys, ["users", "remove", "alice"])
    assert code == 0 and not auth.has_users(settings)
    code, _, err = run_cli(monkeypatch, capsys, ["users", "remove", "alice"])
    assert code == 2 and "No user" in err


def test_removing_a_user_deletes_their_conversations(settings):
    auth.add_user(settings, "alice", "correct horse")
    with database.connect(settings) as conn:
        conn.exec_driver_sql("INSERT INTO users (id, identifier, metadata) VALUES ('u1', 'alice', '{}')")
        conn.exec_driver_sql("INSERT INTO users (id, identifier, metadata) VALUES ('u2', 'bob', '{}')")
        conn.exec_driver_sql(
            "INSERT INTO threads (id, \"userId\", \"userIdentifier\") VALUES ('t1', 'u1', 'alice')"
        )
        conn.exec_driver_sql(
            "INSERT INTO threads (id, \"userId\", \"userIdentifier\") VALUES ('t2', 'u2', 'bob')"
        )
    assert auth.remove_user(settings, "alice") == 1
    assert stored_rows(settings, "SELECT id FROM threads") == [("t2",)]
    assert stored_rows(settings, "SELECT identifier FROM users") == [("bob",)]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root@localhost/custfin", "must be a PostgreSQL URL"),
        ("not a url", "not a database URL"),
        # A closed port on loopback: refused at once, no network needed.
        ("postgresql://someone:secret@127.0.0.1:1/custfin", "Cannot reach the database"),
    ],
)
def test_a_bad_database_url_is_a_clear_error(monkeypatch, capsys, tmp_path, url, expected):
    monkeypatch.setenv("CUSTFIN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    code, out, err = run_cli(monkeypatch, capsys, ["users", "list"])
    assert code == 2 and out == "" and expected in err
    assert "secret" not in err  # the password is never printed
    assert "Traceback" not in err


def test_an_oauth_user_keeps_their_name_and_can_be_removed(settings, monkeypatch, capsys):
    """Chainlit matches accounts by name: a password for an OAuth user's name would open their history."""
    with database.connect(settings) as conn:
        conn.exec_driver_sql(
            "INSERT INTO users (id, identifier, metadata) VALUES ('u9', 'ann@company.example', '{\"provider\": \"github\"}')"
        )
        conn.exec_driver_sql(
            "INSERT INTO threads (id, \"userId\", \"userIdentifier\") VALUES ('t9', 'u9', 'ann@company.example')"
        )
    with pytest.raises(auth.UserError, match="signs in through github"):
        auth.add_user(settings, "ann@company.example", "correct horse")
    assert not auth.has_users(settings)
    assert [(n, p) for n, p, _ in auth.list_oauth_users(settings)] == [("ann@company.example", "github")]
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["users", "list"]) == 0
    assert capsys.readouterr().out.split("\t")[::2] == ["ann@company.example", "github\n"]
    assert auth.remove_user(settings, "ann@company.example") == 1  # not a password user, still removable
    assert stored_rows(settings, "SELECT id FROM threads") == []
    with pytest.raises(auth.UserError, match="No user"):
        auth.remove_user(settings, "ann@company.example")
