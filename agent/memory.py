"""Give memory freed after chats back to the operating system.

Why: uploads, tool runs and answers allocate and free hundreds of MiB (DataFrames, Arrow strings, table
CSVs, charts). Once freed, glibc's malloc keeps the pages in its arenas for reuse instead of returning
them, so the server's RSS stays near its peak long after the last user left (benchmarks/load.py, 20
users: 1,087 MiB a minute after the run against 793 MiB after the warm-up, with several hundred MiB
free inside glibc's arenas). ``malloc_trim(0)`` returns those free pages (497 MiB in that run). It is
glibc-only; elsewhere (musl, macOS, Windows) this is a garbage collection and nothing more.

:func:`release_memory` runs ``gc.collect()`` (cyclic garbage first, so its pages can go too), then
``malloc_trim(0)``, and asks pyarrow to release its pool when pyarrow uses its own allocator
(``ARROW_DEFAULT_MEMORY_POOL=system``, as ``make run`` sets, puts it on malloc). The full collection
holds the GIL for a few tenths of a second and memory handed back costs page faults when it is needed
again, so the app does not run it per answer: :class:`IdleReleaser` runs it in a worker thread a few
seconds after chats end, once for all the chats that ended meanwhile and at most every
``min_interval`` seconds.
"""

from __future__ import annotations

import asyncio
import contextvars
import ctypes
import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("custfin.memory")

_UNRESOLVED: Any = object()
_malloc_trim: Any = _UNRESOLVED  # the C function once looked up; None where there is none


def _trim_function() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` from the C library this interpreter runs on, or None (not glibc)."""
    global _malloc_trim
    if _malloc_trim is _UNRESOLVED:
        _malloc_trim = None
        if sys.platform.startswith("linux"):
            try:
                trim = ctypes.CDLL(None).malloc_trim  # dlopen(NULL): the process's own libc
                trim.argtypes = [ctypes.c_size_t]
                trim.restype = ctypes.c_int
                _malloc_trim = trim
            except (OSError, AttributeError):  # musl and other libcs have no malloc_trim
                pass
    return _malloc_trim


def rss_bytes() -> int | None:
    """Resident memory of this process (Linux /proc), or None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class Released:
    """What one :func:`release_memory` call did."""

    collected: int  # unreachable objects gc found
    trimmed: bool  # malloc_trim ran and returned memory
    seconds: float
    rss_before: int | None
    rss_after: int | None


def release_memory() -> Released:
    """Collect garbage and hand free heap pages back to the OS (glibc); never raises for lack of support."""
    t0 = time.monotonic()
    before = rss_bytes()
    collected = gc.collect()
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        try:
            pool = arrow.default_memory_pool()
            if pool.backend_name != "system":  # the system pool is malloc: malloc_trim covers it
                pool.release_unused()
        except Exception:  # an optional extra; the trim below still runs
            log.debug("custfin: pyarrow release_unused failed", exc_info=True)
    trim = _trim_function()
    trimmed = bool(trim(0)) if trim is not None else False
    return Released(collected, trimmed, time.monotonic() - t0, before, rss_bytes())


class IdleReleaser:
    """Runs :func:`release_memory` off the event loop after chats end, coalesced and rate-limited.

    :meth:`request` (on the event loop, e.g. from ``on_chat_end``) schedules one run ``delay`` seconds
    later, and no sooner than ``min_interval`` after the previous run; requests made while one is
    scheduled join it, and a request made while a run is in progress gets a run after it (that chat's
    memory may have been freed too late for the first one). So every request is followed by a run
    within about ``max(delay, min_interval)`` seconds.
    """

    def __init__(
        self,
        delay: float = 5.0,
        min_interval: float = 20.0,
        release: Callable[[], Any] = release_memory,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.delay = delay
        self.min_interval = min_interval
        self.release = release
        self.clock = clock
        self.runs = 0
        self._last = float("-inf")
        self._wanted = False
        self._task: asyncio.Task | None = None

    def request(self) -> None:
        self._wanted = True
        if self._task is None or self._task.done():
            # an empty context: the task must not keep the requesting chat's Chainlit context alive
            self._task = asyncio.get_running_loop().create_task(self._run(), context=contextvars.Context())

    async def _run(self) -> None:
        while self._wanted:
            await asyncio.sleep(max(self.delay, self._last + self.min_interval - self.clock()))
            self._wanted = False
            try:
                done = await asyncio.to_thread(self.release)
            except Exception:  # a failed release must not break chat teardown; the next one retries
                log.exception("custfin: memory release failed")
            else:
                if isinstance(done, Released) and done.rss_before and done.rss_after:
                    log.info(
                        "custfin: released memory in %.2f s (%d objects collected): RSS %d -> %d MiB",
                        done.seconds,
                        done.collected,
                        done.rss_before >> 20,
                        done.rss_after >> 20,
                    )
            self._last = self.clock()
            self.runs += 1
