"""Prometheus metrics at /metrics: requests and latency per route (the URL rule) and status.

Under gunicorn, `gunicorn.conf.py` points PROMETHEUS_MULTIPROC_DIR at a fresh folder before any
worker starts, so every worker writes its samples there and /metrics, answered by any worker,
adds up all of them; gunicorn's child_exit hook marks dead workers. Without that variable (tests,
`flask run`) the metrics of the one process are served.
"""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask, Response, g, request, request_finished, request_started
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

from api.logging_setup import route_template

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


def _labels() -> tuple[str, str]:
    method = request.method if request.method in METHODS else "other"
    route = route_template() or UNMATCHED
    return method, route


def _started(_app: Flask, **_extra: Any) -> None:
    g.metrics_started = time.perf_counter()
    IN_PROGRESS.inc()


_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
"""The counter and histogram of each (method, route, status): `labels()` costs a lookup under a lock each time."""


def _finished(_app: Flask, response: Response, **_extra: Any) -> None:
    started = g.get("metrics_started")
    method, route = _labels()
    key = (method, route, response.status_code)
    children = _children.get(key)
    if children is None:
        status = str(response.status_code)
        children = _children[key] = (REQUESTS.labels(method, route, status), LATENCY.labels(method, route, status))
    children[0].inc()
    if started is not None:
        children[1].observe(time.perf_counter() - started)


def _teardown(_exc: BaseException | None) -> None:
    if g.pop("metrics_started", None) is not None:
        IN_PROGRESS.dec()


def init_app(app: Flask) -> None:
    """Count and time every request of `app`, and serve /metrics (no auth, outside the versioned API)."""
    request_started.connect(_started, app)
    request_finished.connect(_finished, app)
    app.teardown_request(_teardown)

    @app.get("/metrics")
    def metrics() -> Response:
        response = Response(exposition(), mimetype=None, content_type=CONTENT_TYPE_PLAIN_0_0_4)
        response.headers["Cache-Control"] = "no-store"
        return response
