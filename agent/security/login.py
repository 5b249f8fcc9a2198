"""Login throttling and password verification off the request pool.

**Back-off.** Failures are counted per user name and per client address. After ``free`` failures of a
key, each further attempt with that key must wait ``base * 2**(failures - free)`` seconds (capped at
``cap``); a key is forgotten ``cap`` seconds after its last failure, and a success clears the name
and the address. At most one attempt per name and ``per_address`` attempts per address are verified
at a time (a further one waits up to ``QUEUE_S`` for its turn), so a burst of concurrent guesses
cannot all slip in before the first failure is counted.
A refused attempt gets 429 with ``Retry-After`` and a bilingual message; refused and failed attempts
are answered no sooner than a second after they arrived (the *tarpit*: a flooding client waits, at no
cost to the server, instead of making it answer thousands of refusals a second).

**Verification.** Argon2 costs a tenth of a second and 64 MiB per check. A name that has no password
is refused without one (the fixed delay hides which names exist). It runs on its own thread
(``VERIFY_WORKERS``, at a lower CPU priority) with a bounded queue; beyond it a login is refused with
429 "busy". The threads that answer questions (asyncio's default executor) never wait for a login.

>>> clock = [0.0]
>>> t = Throttle(free=2, base=1.0, cap=60, clock=lambda: clock[0])
>>> keys = t.keys("alice", "10.0.0.1")
>>> [t.failed(keys) for _ in range(4)][-1], t.wait(keys)
(None, 4.0)
>>> clock[0] = 4.0; t.wait(keys)
0.0
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from core.text import Msg

TOO_MANY = Msg(
    "Too many sign-in attempts for this name or from this address. Wait {seconds} seconds and try "
    "again; repeated failures make the wait longer.",
    "该用户名或该地址的登录尝试过多。请等待 {seconds} 秒后再试；连续失败会使等待时间变长。",
)
BUSY = Msg(
    "The server is checking many sign-ins right now. Try again in a few seconds.",
    "服务器正在处理大量登录请求，请几秒后再试。",
)
# The login page shows the translation of ``detail`` (auth.login.errors.<detail>, .chainlit/translations)
DETAIL_THROTTLED = "toomanyattempts"
DETAIL_BUSY = "loginbusy"
MAX_KEYS = 100_000
VERIFY_WORKERS = 1
MAX_PENDING = 4  # verifications queued or running at once
TARPIT_S = 1.0  # a refused or failed attempt is answered after at least this long
LOGIN_NICE = 10
QUEUE_S = 10.0  # how long a sign-in waits for another one with the same name or address to finish


@dataclass
class _State:
    failures: int = 0
    last: float = 0.0
    blocked_until: float = 0.0
    inflight: int = 0


class Throttle:
    """Exponential back-off per key (``("name", ...)`` and ``("addr", ...)``), thread-safe."""

    def __init__(
        self,
        free: int = 3,
        base: float = 1.0,
        cap: float = 900.0,
        per_address: int = 2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.base, self.cap, self.per_address = max(0, free), base, cap, per_address
        self.clock = clock
        self._states: OrderedDict[tuple[str, str], _State] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def keys(name: str, address: str | None) -> tuple[tuple[str, str], ...]:
        return (("name", (name or "").strip().lower()[:128]), ("addr", address or "?"))

    def _state(self, key: tuple[str, str], now: float) -> _State:
        state = self._states.get(key)
        if state is not None and not state.inflight and now - state.last > self.cap:
            state = None  # forgotten
        if state is None:
            if len(self._states) >= MAX_KEYS:
                self._prune(now)
            state = self._states[key] = _State(last=now)
        self._states.move_to_end(key)
        return state

    def _prune(self, now: float) -> None:
        stale = [k for k, s in self._states.items() if not s.inflight and now - s.last > self.cap]
        for k in stale:
            del self._states[k]
        while len(self._states) >= MAX_KEYS:
            self._states.popitem(last=False)

    def wait(self, keys: Iterable[tuple[str, str]]) -> float:
        """Seconds until an attempt with these keys is allowed (0 when it is)."""
        now = self.clock()
        with self._lock:
            return max((max(0.0, self._state(k, now).blocked_until - now) for k in keys), default=0.0)

    def begin(self, keys: tuple[tuple[str, str], ...]) -> tuple[float, bool]:
        """Reserve an attempt: ``(0, False)`` when allowed (call ``end`` afterwards); else the seconds
        to wait and whether only another attempt in progress with the same name or address is in the way."""
        now = self.clock()
        with self._lock:
            states = [self._state(k, now) for k in keys]
            wait = max(max(0.0, s.blocked_until - now) for s in states)
            if wait > 0:
                return wait, False
            for (kind, _), s in zip(keys, states, strict=True):
                if s.inflight >= (1 if kind == "name" else self.per_address):
                    return max(1.0, self.base), True
            for s in states:
                s.inflight += 1
            return 0.0, False

    def end(self, keys: Iterable[tuple[str, str]]) -> None:
        now = self.clock()
        with self._lock:
            for k in keys:
                s = self._state(k, now)
                s.inflight = max(0, s.inflight - 1)

    def failed(self, keys: Iterable[tuple[str, str]]) -> None:
        now = self.clock()
        with self._lock:
            for k in keys:
                s = self._state(k, now)
                s.failures += 1
                s.last = now
                if s.failures >= self.free:
                    delay = min(self.cap, self.base * 2 ** (s.failures - self.free))
                    s.blocked_until = max(s.blocked_until, now + delay)

    def succeeded(self, keys: Iterable[tuple[str, str]]) -> None:
        now = self.clock()
        with self._lock:
            for k in keys:
                s = self._state(k, now)
                s.failures, s.blocked_until, s.last = 0, 0.0, now


class Verifier:
    """Runs password checks on a dedicated thread; refuses beyond ``max_pending`` at once."""

    def __init__(self, workers: int = VERIFY_WORKERS, max_pending: int = MAX_PENDING) -> None:
        self.executor = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="custfin-login", initializer=lower_priority
        )
        self.max_pending = max_pending
        self.pending = 0
        self._lock = threading.Lock()

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` on the login thread; raises :class:`Busy` when the queue is full."""
        with self._lock:
            if self.pending >= self.max_pending:
                raise Busy()
            self.pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)
        finally:
            with self._lock:
                self.pending -= 1


def lower_priority(nice: int = LOGIN_NICE) -> None:
    """This thread yields the CPU to the threads answering signed-in users (Linux: per-thread nice)."""
    import os

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError):
        pass


class Busy(Exception):
    """Too many sign-ins are being verified at once."""


def retry_after(seconds: float) -> int:
    return max(1, math.ceil(seconds))


def refusal(seconds: float, busy: bool = False) -> dict[str, Any]:
    """The JSON body of a 429: the UI's translation key plus the message in both languages."""
    wait = retry_after(seconds)
    message = BUSY if busy else TOO_MANY.format(seconds=wait)
    return {
        "detail": DETAIL_BUSY if busy else DETAIL_THROTTLED,
        "message": {"en": message.en, "zh": message.zh},
        "retry_after": wait,
    }
