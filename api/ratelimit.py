"""Rate limits with Flask-Limiter: per API key (higher) or per client address, shared through Redis.

- Anonymous callers (and callers whose key is refused) are counted per client address with
  KENNISBANK_RATE_LIMIT_ANONYMOUS; a valid key is counted per key with KENNISBANK_RATE_LIMIT_AUTHENTICATED.
  One counter per caller for the whole API (not per route).
- Counters live in Redis when KENNISBANK_REDIS_URL is set, so every instance and worker shares them; else in
  process memory (a warning at start-up when several workers would each count on their own).
- If Redis is configured but unreachable, requests are still served: the limiter falls back to in-memory
  counters and logs it, and goes back to Redis once it answers again.
- A breach is a 429 problem with Retry-After; every limited response carries X-RateLimit-Limit, -Remaining and
  -Reset. /health/* and /metrics (and everything outside /api/v1) are not limited.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from flask import Flask, Response, request
from flask_limiter import Limiter
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES

from api.auth import authenticate

log = logging.getLogger("kennisbank.ratelimit")
LIMITED_PREFIX = "/api/"
ERROR_STATUSES_WITH_RETRY_AFTER = (429, 503)


STRATEGY = "sliding-window-counter"


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


def client_key() -> str:
    """The counter of this request: the API key if it is valid, else the client's address."""
    try:
        viewer = authenticate().viewer
    except Exception:  # the database failed: count by address. authenticate() has discarded the failed session,
        viewer = None  # so the auth check asks again on a fresh connection (and answers 503 if that fails too)
    if viewer is not None and viewer.key_id is not None:
        return f"key:{viewer.key_id}"
    return f"addr:{request.remote_addr or 'unknown'}"


def _exempt() -> bool:
    return request.method == "OPTIONS" or not request.path.startswith(LIMITED_PREFIX)


def _workers() -> int:
    for name in ("WEB_CONCURRENCY", "KENNISBANK_WORKERS"):
        value = os.environ.get(name, "")
        if value.strip().isdigit():
            return int(value)
    return 1


def _retry_after_only_when_it_means_something(response: Response) -> Response:
    """Flask-Limiter sets Retry-After on every limited response; keep it where HTTP gives it a meaning."""
    if response.status_code not in ERROR_STATUSES_WITH_RETRY_AFTER:
        response.headers.pop("Retry-After", None)
    return response


def _skip_exempt_requests(app: Flask, limiter: Limiter) -> None:
    """Run the limiter's check and its header hook only where it can limit: for exempt requests (health checks,
    metrics, docs) Flask-Limiter would still resolve and evaluate its (empty) set of limits on every request."""
    hooks = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit
    for index, hook in enumerate(hooks):
        if hook == check:

            def check_unless_exempt() -> None:
                if not _exempt():
                    check()

            hooks[index] = check_unless_exempt
    after = app.after_request_funcs.setdefault(None, [])
    for index, hook in enumerate(after):
        if getattr(hook, "args", None) == (limiter,):  # partial(Limiter.__inject_headers, limiter)

            def inject_unless_exempt(response: Response, inject: Any = hook) -> Response:
                return response if _exempt() else inject(response)

            after[index] = inject_unless_exempt


def init_app(app: Flask) -> Limiter:
    """Limit every /api/ request by key or address. Call before `api.auth.init_app` so bad keys are counted too."""
    settings = app.config.get("KENNISBANK", {})
    anonymous = settings.get("RATE_LIMIT_ANONYMOUS", "300/minute")
    authenticated = settings.get("RATE_LIMIT_AUTHENTICATED", "3000/minute")
    redis_url = settings.get("REDIS_URL", "")
    prefix = settings.get("RATE_LIMIT_PREFIX", "kennisbank")

    def current_limit() -> str:
        return authenticated if client_key().startswith("key:") else anonymous

    app.after_request(_retry_after_only_when_it_means_something)  # runs after the limiter's own hook
    app.config.update(
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_SWALLOW_ERRORS=True,
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=bool(redis_url),
        RATELIMIT_IN_MEMORY_FALLBACK=current_limit if redis_url else None,
    )
    limiter = Limiter(
        client_key,
        application_limits=[current_limit],
        storage_uri=redis_url or "kennisbank-memory://",
        storage_options={"socket_connect_timeout": 0.5, "socket_timeout": 0.5} if redis_url else {},
        key_prefix=prefix,
        strategy=STRATEGY,
    )
    limiter.request_filter(_exempt)
    limiter.init_app(app)
    _skip_exempt_requests(app, limiter)
    if redis_url:  # the fallback for when Redis is down is a plain MemoryStorage: swap in the thread-safe one
        limiter._fallback_storage = ThreadSafeMemoryStorage()
        limiter._fallback_limiter = STRATEGIES[STRATEGY](limiter._fallback_storage)
    if not redis_url and _workers() > 1:
        log.warning("rate limits are counted in process memory by each of %d workers, so a caller gets up to %d "
                    "times the limit; set KENNISBANK_REDIS_URL to share the counters", _workers(), _workers())
    app.extensions["kennisbank_limiter"] = limiter
    return limiter
