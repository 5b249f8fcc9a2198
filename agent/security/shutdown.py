"""SIGTERM (and SIGINT) stop the server within seconds.

uvicorn's graceful shutdown waits, without a time limit, for open connections and running tasks, and
a worker thread busy with a hostile workbook kept the process alive for minutes. :func:`install` adds
to uvicorn's own handler (it must run after uvicorn installed it: from ``on_app_startup``): on the
first signal it kills the workbook workers at once, lets uvicorn shut down gracefully, and exits the
process ``grace`` seconds later if it is still running (in-flight uploads are removed first). Every
answer and upload the chat acknowledged is already stored (app.py stores replies before showing
them), so a forced exit loses nothing acknowledged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("custfin.security")

_installed = False
_started = threading.Event()


def install(grace: float, stop_workers: Callable[[], int], uploading: Path | None = None) -> None:
    """Chain a watchdog in front of the current SIGTERM/SIGINT handlers (main thread only)."""
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)

        def handler(signum: int, frame, _previous=previous) -> None:  # noqa: ANN001
            if not _started.is_set():
                _started.set()
                log.warning("custfin: signal %s, stopping (at most %.0f s)", signum, grace)
                with contextlib.suppress(Exception):
                    stop_workers()
                threading.Thread(target=_watchdog, args=(grace, uploading), daemon=True).start()
            if callable(_previous):
                _previous(signum, frame)
            elif _previous == signal.SIG_DFL:
                os._exit(128 + signum)

        signal.signal(sig, handler)
    _installed = True


def _watchdog(grace: float, uploading: Path | None) -> None:
    time.sleep(max(0.5, grace))
    log.warning("custfin: graceful shutdown took longer than %.0f s; exiting now", grace)
    if uploading is not None:
        shutil.rmtree(uploading, ignore_errors=True)
    logging.shutdown()
    os._exit(0)
