"""Attacks 7 and 5 (shutdown): the data directory is private whatever the umask, and SIGTERM stops the
server within seconds even while a hostile workbook is being read.

The server is started with umask 022 in a data directory an earlier run left world-readable (0755
folders, 0644 files): at start it must be repaired to 0700/0600, and everything written afterwards
(database, uploads, datasets, files) must be owner-only too.
"""

from __future__ import annotations

import asyncio
import os
import signal
import stat
import time

import httpx

from benchmarks.load import Server, create_users
from tests.security.conftest import PASSWORD, chat_user, run
from tests.security.test_ownership import ORDERS
from tests.security.test_uploads import XLSX, upload
from tests.security.workbooks import slow_workbook


def problems(data_dir) -> list[str]:
    """Paths readable, writable or listable by anyone but the owner."""
    found = []
    for path in [data_dir, *data_dir.rglob("*")]:
        if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & 0o077:
            found.append(f"{oct(stat.S_IMODE(path.lstat().st_mode))} {path}")
    return found


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return "zombie" not in open(f"/proc/{pid}/status").read().lower()
    except OSError:
        return False


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in os.listdir(f"/proc/{p}/task") if os.path.isdir(f"/proc/{p}/task") else []:
            try:
                kids = [int(c) for c in open(f"/proc/{p}/task/{task}/children").read().split()]
            except OSError:
                kids = []
            out += kids
            todo += kids
    return out


def test_private_files_whatever_the_umask(tmp_path):
    data_dir = tmp_path / "data"
    create_users(data_dir, ["owner"])
    (data_dir / "files").mkdir(exist_ok=True)
    stray = data_dir / "files" / "left-by-an-old-run.csv"
    stray.write_text("customer_id\nC1\n")
    for path in [data_dir, data_dir / "files", *data_dir.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    assert problems(data_dir)  # world-readable before the start

    old_umask = os.umask(0o022)
    try:
        server = Server(data_dir).start()
    finally:
        os.umask(old_umask)
    try:
        assert problems(data_dir) == [], "not repaired at start"
        assert _mode(data_dir) == 0o700 and _mode(stray) == 0o600

        async def chat() -> None:
            user = await chat_user(server.url, "owner")
            try:
                await user.upload(ORDERS)
                reply = await user.ask("Who are our 5 most profitable customers?", ORDERS.name)
                assert reply.error is None, reply.error
            finally:
                await user.aclose()

        run(chat())
        assert problems(data_dir) == [], "files written after the start are not owner-only"
        assert _mode(data_dir / "custfin.sqlite3") == 0o600
        assert any((data_dir / "datasets").rglob("*.parquet")) and any((data_dir / "files").rglob("*.csv"))
    finally:
        server.stop()


def test_sigterm_stops_the_server_within_seconds_while_workbooks_are_read(tmp_path):
    """The issue's case: six hostile workbooks being read at once (they used to fill the server's
    thread pool) and a sign-in waiting; SIGTERM must still stop the server within seconds, and leave
    no worker behind."""
    data_dir = tmp_path / "data"
    create_users(data_dir, ["owner"])
    slow = slow_workbook(rows=400_000)  # built before the chats open (it takes a while)
    server = Server(data_dir, CUSTFIN_XLSX_SECONDS="300", CUSTFIN_SHUTDOWN_SECONDS="5").start()
    try:

        async def uploads_then_sigterm() -> float:
            users = [await chat_user(server.url, "owner") for _ in range(6)]
            tasks = [asyncio.create_task(upload(u, f"slow{i}.xlsx", slow, XLSX)) for i, u in enumerate(users)]
            await asyncio.sleep(8.0)  # the uploads are in and being read
            client = httpx.AsyncClient(base_url=server.url, timeout=60)
            sign_in = asyncio.create_task(
                client.post("/login", data={"username": "owner", "password": PASSWORD})
            )
            await asyncio.sleep(1.0)
            t0 = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            while server.proc.poll() is None and time.monotonic() - t0 < 30:
                await asyncio.sleep(0.1)
            took = time.monotonic() - t0
            for task in [*tasks, sign_in]:
                task.cancel()
            for u in users:
                try:
                    await u.aclose()
                except Exception:  # the server is gone
                    pass
            await client.aclose()
            return took

        took = run(uploads_then_sigterm())
        assert server.proc.poll() is not None and took < 10.0, f"SIGTERM took {took:.1f} s"
        time.sleep(0.5)
        workers = [p for p in _all_pids() if "xlsx_worker" in _cmdline(p) and str(data_dir) in _environ(p)]
        assert not workers, "a workbook worker outlived the server"
        assert not (data_dir / "uploading").exists() or not any((data_dir / "uploading").iterdir())
    finally:
        server.stop()


def _workers(pid: int) -> list[int]:
    return [p for p in _descendants(pid) if "xlsx_worker" in _cmdline(p)]


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _environ(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/environ", "rb").read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _cmdline(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
    except OSError:
        return ""
