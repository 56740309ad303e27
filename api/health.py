"""Health checks for orchestrators and load balancers, outside the versioned API, without auth.

- `/health/live`: the process answers HTTP. It touches no dependency, so a database outage never
  gets a healthy worker restarted.
- `/health/ready`: this instance can serve: the database answers within `TIMEOUT_S`, its schema is
  at the newest migration, and Redis answers when `KENNISBANK_REDIS_URL` is set. Otherwise a 503
  problem with `Retry-After`, naming the failed checks (never an error text or address).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from flask import Flask, Response, current_app
from sqlalchemy import text

from api.database import Database
from api.http import json_response
from api.problems import problem

TIMEOUT_S = 1.0
RETRY_AFTER = "5"
_executor: tuple[int, ThreadPoolExecutor] | None = None
_heads: frozenset[str] | None = None
_redis: dict[str, Any] = {}


def _pool() -> ThreadPoolExecutor:
    """A small per-process thread pool, so a check that hangs is abandoned after TIMEOUT_S."""
    global _executor
    if _executor is None or _executor[0] != os.getpid():
        _executor = (os.getpid(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="health"))
    return _executor[1]


def _migration_heads() -> frozenset[str]:
    global _heads
    if _heads is None:
        from api import migrate  # alembic is slow to import: only when first asked

        _heads = migrate.head_revisions()
    return _heads


def _check_database(database: Database, heads: frozenset[str]) -> str:
    from api import migrate  # imported by _migration_heads already

    with database.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        return "ok" if migrate.is_at_head(connection, heads) else "migrations-pending"


def _check_redis(url: str) -> str:
    import redis  # only needed when Redis is configured

    key = f"{os.getpid()}:{url}"
    client = _redis.get(key)
    if client is None:
        client = _redis[key] = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_S, socket_timeout=TIMEOUT_S)
    client.ping()
    return "ok"


def _run(check: Any, *args: Any) -> str:
    future = _pool().submit(check, *args)
    try:
        return future.result(timeout=TIMEOUT_S)
    except FutureTimeout:
        return "timeout"
    except Exception:  # any failure of a dependency means "not ready"
        return "unreachable"


def readiness(app: Flask) -> dict[str, str]:
    """Each check's outcome: `ok`, or why not."""
    heads = _migration_heads()  # read from the package once, outside the timed check
    checks = {"database": _run(_check_database, app.extensions["kennisbank_db"], heads)}
    redis_url = app.config.get("KENNISBANK", {}).get("REDIS_URL", "")
    checks["redis"] = _run(_check_redis, redis_url) if redis_url else "not-configured"
    return checks


def init_app(app: Flask) -> None:
    """Serve /health/live and /health/ready."""

    @app.get("/health/live")
    def health_live() -> Response:
        response = json_response({"status": "live"})
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/health/ready")
    def health_ready() -> Response:
        checks = readiness(current_app)
        failed = {name: outcome for name, outcome in checks.items() if outcome not in ("ok", "not-configured")}
        if failed:
            detail = "Not ready: " + ", ".join(f"{name} {outcome}" for name, outcome in failed.items()) + "."
            return problem(503, "Service Unavailable", detail, code="not-ready",
                           headers={"Retry-After": RETRY_AFTER, "Cache-Control": "no-store"})
        response = json_response({"status": "ready", "checks": checks})
        response.headers["Cache-Control"] = "no-store"
        return response
