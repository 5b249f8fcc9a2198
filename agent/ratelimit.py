"""Per-user rate limit for questions: a token bucket per user (CUSTFIN_RATE_PER_MINUTE, default 20).

Each user has a bucket holding up to ``per_minute`` tokens, refilled continuously at ``per_minute``
tokens a minute; a question takes one token. A burst of ``per_minute`` questions is allowed, then one
every ``60 / per_minute`` seconds. Buckets are per user, so one user's flood never slows another user.
``per_minute = 0`` turns the limit off.

>>> clock = iter([0.0, 0.0, 0.0, 30.0]).__next__
>>> limiter = RateLimiter(2, clock=clock)
>>> limiter.acquire("ann"), limiter.acquire("ann"), round(limiter.acquire("ann")), limiter.acquire("ann")
(None, None, 30, None)
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.text import Msg
from tools.errors import UserFacingError

RATE_LIMITED = Msg(
    "You are asking questions faster than this server allows ({rate} a minute per user). "
    "Please wait {seconds} seconds and ask again; your data and conversation are kept.",
    "提问过于频繁：每位用户每分钟最多 {rate} 个问题。请等待 {seconds} 秒后再问，您的数据和对话都已保留。",
)
MAX_BUCKETS = 10_000  # idle (full) buckets are dropped beyond this many users


class RateLimited(UserFacingError):
    """A user asked more questions than the rate limit allows (bilingual, with the wait)."""

    code = "rate_limited"

    def __init__(self, rate: int, retry_after: float) -> None:
        self.retry_after = retry_after
        seconds = max(1, math.ceil(retry_after))
        super().__init__(RATE_LIMITED.format(rate=rate, seconds=seconds), code="rate_limited")


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by user; thread-safe (questions are answered in worker threads)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0  # tokens per second
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, user: str) -> float | None:
        """Take one token for ``user``: None when allowed, else the seconds until one is available."""
        if self.per_minute <= 0:
            return None
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(user)
            if bucket is None:
                if len(self._buckets) >= MAX_BUCKETS:
                    self._prune(now)
                bucket = self._buckets[user] = _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.refill)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return None
            return (1.0 - bucket.tokens) / self.refill

    def check(self, user: str) -> None:
        """Raise :class:`RateLimited` when ``user`` has no token left."""
        wait = self.acquire(user)
        if wait is not None:
            raise RateLimited(self.per_minute, wait)

    def _prune(self, now: float) -> None:
        full = [
            u for u, b in self._buckets.items() if b.tokens + (now - b.updated) * self.refill >= self.capacity
        ]
        for u in full:
            del self._buckets[u]


_LIMITERS: dict[int, RateLimiter] = {}
_GLOBAL_LOCK = threading.Lock()


def limiter(per_minute: int) -> RateLimiter:
    """The process-wide limiter for this rate (one per configured rate, shared by all sessions)."""
    with _GLOBAL_LOCK:
        found = _LIMITERS.get(per_minute)
        if found is None:
            found = _LIMITERS[per_minute] = RateLimiter(per_minute)
        return found


def reset() -> None:
    """Forget every bucket (tests)."""
    with _GLOBAL_LOCK:
        _LIMITERS.clear()
