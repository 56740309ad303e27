"""Prometheus metrics at /metrics: requests and latency per route (the URL rule) and status.

Under gunicorn, `gunicorn.conf.py` points PROMETHEUS_MULTIPROC_DIR at a fresh folder before any
worker starts, so every worker writes its samples there and /metrics, answered by any worker,
adds up all of them; gunicorn's child_exit hook marks dead workers. Without that variable (tests,
`flask run`) the metrics of the one process are served.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Response
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _multiprocess

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
REQUESTS = Counter(
    "kennisbank_http_requests_total", "HTTP requests answered, by method, route and status.",
    ("method", "route", "status"),
)
LATENCY = Histogram(
    "kennisbank_http_request_duration_seconds", "Time to answer an HTTP request, by method, route and status.",
    ("method", "route", "status"),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
IN_PROGRESS = Gauge(
    "kennisbank_http_requests_in_progress", "HTTP requests being answered right now.",
    multiprocess_mode="livesum",
)


def multiprocess_dir() -> str | None:
    """The folder shared by gunicorn's workers, when the process runs under gunicorn.conf.py."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition() -> bytes:
    """The metrics of every worker (multiprocess mode) or of this process, in Prometheus text format."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
"""The counter and histogram of each (method, route, status): `labels()` costs a lookup under a lock each time."""


def record(method: str, route: str | None, status: int, seconds: float) -> None:
    """Count one answered request and its latency (`route` None: no route matched)."""
    key = (method if method in METHODS else "other", route or UNMATCHED, status)
    children = _children.get(key)
    if children is None:
        labels = (key[0], key[1], str(status))
        children = _children[key] = (REQUESTS.labels(*labels), LATENCY.labels(*labels))
    children[0].inc()
    children[1].observe(seconds)


def init_app(app: Flask) -> None:
    """Serve /metrics (no auth, outside the versioned API); `api.edge` counts and times every request."""

    @app.get("/metrics")
    def metrics() -> Response:
        response = Response(exposition(), mimetype=None, content_type=CONTENT_TYPE_PLAIN_0_0_4)
        response.headers["Cache-Control"] = "no-store"
        return response
