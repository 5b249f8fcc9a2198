"""The app on loopback for the integration and browser tests: the load test's server harness
(benchmarks/load.py ``Server``: its own data directory, stop or kill -9), Chromium settings, helpers."""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path

from benchmarks.load import Server, free_port

__all__ = ["ASSISTANT", "CHROMIUM", "CHROMIUM_ARGS", "Server", "free_port", "in_thread"]

# Debian's Chromium for the browser tests (Playwright's own download does not work offline)
CHROMIUM = Path(os.environ.get("CUSTFIN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ASSISTANT = '[data-step-type="assistant_message"]'


def in_thread(fn, *args):
    """Run ``fn`` in a fresh thread: asyncio.run and Playwright's sync API refuse to start inside the
    event loop that the session-scoped browser of tests/e2e leaves running in the main thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()
