"""Rate limits with the `limits` library: per API key (higher) or per client address, shared through Redis.

- Anonymous callers (and callers whose key is refused) are counted per client address with
  KENNISBANK_RATE_LIMIT_ANONYMOUS; a valid key is counted per key with KENNISBANK_RATE_LIMIT_AUTHENTICATED.
  One counter per caller for the whole API (not per route), a sliding-window counter.
- Counters live in Redis when KENNISBANK_REDIS_URL is set, so every instance and worker shares them; else in
  process memory (a warning at start-up when several workers would each count on their own).
- If Redis is configured but unreachable, requests are still served: the limits are counted in process memory
  and that is logged; Redis is asked again every `RECHECK_S` seconds, and used again once it answers.
- A breach is a 429 problem with Retry-After; every limited response carries X-RateLimit-Limit, -Remaining and
  -Reset. /health/*, /metrics and everything outside /api/ are not limited.

Why not Flask-Limiter, which wraps this same library: for one application-wide limit it resolved, filtered and
evaluated its limit sets on every request and asked the storage three times; that was a third of the cost of
a cached answer (README, Benchmarks). Here a request costs one counted hit and one read of the window.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from api.auth import authenticate
from api.exceptions import TooManyRequests

log = logging.getLogger("kennisbank.ratelimit")
LIMITED_PREFIX = "/api/"
RECHECK_S = 5.0
"""While Redis is unreachable, how often a request asks it again (the other requests count in memory)."""


class ThreadSafeMemoryStorage(MemoryStorage):
    """The `limits` library's in-process counters, with their clean-up timer started under a lock, once a second.

    limits 5.8 restarts the timer that drops expired counters without a lock, so two threads of one gthread
    worker can start the same Timer twice (upstream limits pull request 352). Under load that crashed workers
    with a segmentation fault (seen with `python -m bench.load`). It also restarts the timer 10 ms after the
    last run, a new thread a hundred times a second under load; counters are checked for expiry whenever they
    are read, so the timer only frees memory and once a second is plenty.
    """

    STORAGE_SCHEME = ["kennisbank-memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        self._timer_lock = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    # The parent calls its private `__schedule_expiry`, name-mangled to this name: overriding it replaces it.
    def _MemoryStorage__schedule_expiry(self) -> None:
        with self._timer_lock:
            if not self.timer.is_alive():
                self.timer = threading.Timer(self.SWEEP_SECONDS, self._MemoryStorage__expire_events)  # type: ignore[attr-defined]
                self.timer.daemon = True
                self.timer.start()


@dataclass(frozen=True, slots=True)
class Counted:
    """What the rate limit says of one request: its limit, what is left, and when the window resets."""

    limit: int
    remaining: int
    reset_at: int
    allowed: bool


class RateLimits:
    """The two limits (anonymous, with a key) counted in Redis or in process memory, with the memory fallback."""

    def __init__(self, anonymous: str, authenticated: str, redis_url: str, prefix: str,
                 recheck_s: float = RECHECK_S) -> None:
        self.recheck_s = recheck_s
        self.items = {False: parse(anonymous), True: parse(authenticated)}
        self.prefix = prefix
        self.memory = SlidingWindowCounterRateLimiter(ThreadSafeMemoryStorage())
        self.shared: SlidingWindowCounterRateLimiter | None = None
        self.storage: Storage | None = None
        if redis_url:
            self.storage = storage_from_string(redis_url, socket_connect_timeout=0.5, socket_timeout=0.5)
            self.shared = SlidingWindowCounterRateLimiter(self.storage)
        self._dead_since: float | None = None
        self._lock = threading.Lock()

    def count(self, caller: str, authenticated: bool) -> Counted:
        """Count one request of `caller` and say whether it is within its limit."""
        item = self.items[authenticated]
        strategy = self._strategy()
        try:
            return self._count(strategy, item, caller)
        except Exception:  # Redis went away: count in memory until it answers again
            if strategy is self.memory:
                raise
            with self._lock:
                if self._dead_since is None:
                    log.warning("rate limit storage unreachable: counting in process memory until it answers")
                self._dead_since = time.monotonic()
            return self._count(self.memory, item, caller)

    @property
    def counting_in_memory(self) -> bool:
        """True while Redis is configured but unreachable."""
        return self.shared is not None and self._dead_since is not None

    def _count(self, strategy: SlidingWindowCounterRateLimiter, item: RateLimitItem, caller: str) -> Counted:
        allowed = strategy.hit(item, self.prefix, caller)
        stats = strategy.get_window_stats(item, self.prefix, caller)
        return Counted(item.amount, max(0, stats.remaining), int(stats.reset_time + 1), allowed)

    def _strategy(self) -> SlidingWindowCounterRateLimiter:
        if self.shared is None:
            return self.memory
        if self._dead_since is None:
            return self.shared
        with self._lock:
            due = self._dead_since is not None and time.monotonic() - self._dead_since >= self.recheck_s
            if due:
                self._dead_since = time.monotonic()  # one request asks; the others go on in memory meanwhile
        if due and self.storage is not None and self._answers(self.storage):
            with self._lock:
                self._dead_since = None
            log.info("rate limit storage recovered")
            return self.shared
        return self.shared if self._dead_since is None else self.memory

    @staticmethod
    def _answers(storage: Storage) -> bool:
        try:
            return bool(storage.check())
        except Exception:
            return False


def client_key() -> tuple[str, bool]:
    """The counter of this request, and whether it is a key's: the valid API key, else the client's address."""
    try:
        viewer = authenticate().viewer
    except Exception:  # the database failed: count by address. authenticate() has discarded the failed session,
        viewer = None  # so the auth check asks again on a fresh connection (and answers 503 if that fails too)
    if viewer is not None and viewer.key_id is not None:
        return f"key:{viewer.key_id}", True
    return f"addr:{request.remote_addr or 'unknown'}", False


def _exempt() -> bool:
    return request.method == "OPTIONS" or not request.path.startswith(LIMITED_PREFIX)


def _workers() -> int:
    for name in ("WEB_CONCURRENCY", "KENNISBANK_WORKERS"):
        value = os.environ.get(name, "")
        if value.strip().isdigit():
            return int(value)
    return 1


def _headers(response: Response) -> Response:
    counted: Counted | None = g.get("rate_limit")
    if counted is None:
        return response
    response.headers.extend((
        ("X-RateLimit-Limit", str(counted.limit)),
        ("X-RateLimit-Remaining", str(counted.remaining)),
        ("X-RateLimit-Reset", str(counted.reset_at)),
    ))
    return response


def init_app(app: Flask) -> RateLimits:
    """Limit every /api/ request by key or address. Call before `api.auth.init_app` so bad keys are counted too."""
    settings = app.config.get("KENNISBANK", {})
    redis_url = settings.get("REDIS_URL", "")
    limits = RateLimits(settings.get("RATE_LIMIT_ANONYMOUS", "300/minute"),
                        settings.get("RATE_LIMIT_AUTHENTICATED", "3000/minute"),
                        redis_url, settings.get("RATE_LIMIT_PREFIX", "kennisbank"))

    def check() -> None:
        if _exempt():
            return
        try:
            counted = g.rate_limit = limits.count(*client_key())
        except Exception:  # counting must never fail a request
            log.warning("could not count this request against its rate limit", exc_info=True)
            return
        if not counted.allowed:
            retry_after = max(1, counted.reset_at - int(time.time()))
            raise TooManyRequests(f"Too many requests; retry after {retry_after} seconds.",
                                  **{"Retry-After": retry_after})

    app.before_request(check)
    app.after_request(_headers)
    if not redis_url and _workers() > 1:
        log.warning("rate limits are counted in process memory by each of %d workers, so a caller gets up to %d "
                    "times the limit; set KENNISBANK_REDIS_URL to share the counters", _workers(), _workers())
    app.extensions["kennisbank_rate_limits"] = limits
    return limits
