"""agent/memory.py: release_memory works with and without glibc's malloc_trim; IdleReleaser coalesces
requests, runs after the last one and never in the requesting chat's context."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import gc
import sys
import types

import pytest

from agent import memory


@pytest.fixture
def unresolved(monkeypatch):
    """Forget the looked-up malloc_trim so a test can make the lookup fail."""
    monkeypatch.setattr(memory, "_malloc_trim", memory._UNRESOLVED)


def test_release_memory_runs_here():
    gc.disable()  # the 200 cycles below must be left for release_memory to find
    try:
        for _ in range(200):
            cycle: list = []
            cycle.append(cycle)
        del cycle
        done = memory.release_memory()
    finally:
        gc.enable()
    assert isinstance(done, memory.Released)
    assert done.collected >= 200 and done.seconds >= 0
    if sys.platform.startswith("linux"):
        assert done.rss_before and done.rss_after


class NoTrimLibc:
    """A C library without malloc_trim (musl): the attribute lookup fails as ctypes' does."""

    calls = 0

    def __init__(self, name):
        NoTrimLibc.calls += 1

    def __getattr__(self, name):
        raise AttributeError(name)


def test_no_malloc_trim_is_a_no_op(monkeypatch, unresolved):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(memory.ctypes, "CDLL", NoTrimLibc)
    NoTrimLibc.calls = 0
    first = memory.release_memory()
    second = memory.release_memory()
    assert not first.trimmed and not second.trimmed
    assert NoTrimLibc.calls == 1  # looked up once, the answer (none) remembered


def test_no_c_library_is_a_no_op(monkeypatch, unresolved):
    def fail(name):
        raise OSError("no libc")

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(memory.ctypes, "CDLL", fail)
    assert memory.release_memory().trimmed is False


def test_not_linux_does_not_load_a_c_library(monkeypatch, unresolved):
    def fail(name):
        raise AssertionError("CDLL must not be called")

    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(memory.ctypes, "CDLL", fail)
    assert memory.release_memory().trimmed is False


def test_malloc_trim_is_called_with_zero(monkeypatch, unresolved):
    calls = []

    def malloc_trim(pad):
        calls.append(pad)
        return 1  # memory was released

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda name: types.SimpleNamespace(malloc_trim=malloc_trim))
    assert memory.release_memory().trimmed is True
    assert calls == [0]


@pytest.mark.parametrize(("backend", "released"), [("system", 0), ("mimalloc", 1)])
def test_pyarrow_pool_released_only_when_not_malloc(monkeypatch, backend, released):
    pool = types.SimpleNamespace(backend_name=backend, calls=0)
    pool.release_unused = lambda: setattr(pool, "calls", pool.calls + 1)
    monkeypatch.setitem(sys.modules, "pyarrow", types.SimpleNamespace(default_memory_pool=lambda: pool))
    memory.release_memory()
    assert pool.calls == released


def run_async(main):
    """asyncio.run(main()) in a thread of its own: a test run that drove a browser before has an event
    loop running in this one (Playwright's sync API)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def run_releaser(script, delay=0.02, min_interval=0.1):
    """Run ``script(releaser)`` on an event loop with a release that records when and in what context
    it ran; return the recorded runs."""
    runs: list[str | None] = []

    def release():
        runs.append(CHAT.get())

    async def main():
        releaser = memory.IdleReleaser(delay=delay, min_interval=min_interval, release=release)
        await script(releaser)
        while releaser._task is not None and not releaser._task.done():
            await asyncio.sleep(0.01)

    run_async(main)
    return runs


CHAT: contextvars.ContextVar[str | None] = contextvars.ContextVar("chat", default=None)


def test_requests_while_waiting_share_one_run():
    async def script(releaser):
        for _ in range(5):
            releaser.request()
            await asyncio.sleep(0.001)

    assert len(run_releaser(script)) == 1


def test_a_request_after_a_run_gets_another_run():
    async def script(releaser):
        releaser.request()
        await asyncio.sleep(0.05)  # the first run is done
        assert releaser.runs == 1
        releaser.request()

    assert len(run_releaser(script)) == 2


def test_runs_in_a_clean_context():
    async def script(releaser):
        CHAT.set("chat 1")  # as Chainlit's context is set in on_chat_end
        releaser.request()

    assert run_releaser(script) == [None]


def test_a_failing_release_is_logged_and_the_next_request_still_runs(caplog):
    calls = []

    def release():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")

    async def main():
        releaser = memory.IdleReleaser(delay=0.01, min_interval=0.01, release=release)
        releaser.request()
        await asyncio.sleep(0.05)
        releaser.request()
        await asyncio.sleep(0.05)

    run_async(main)
    assert len(calls) == 2
    assert "memory release failed" in caplog.text
