"""The edge of every request: one WSGI layer around Flask for what every request gets, whatever it asks.

- a request id: the caller's X-Request-ID when it is a sane token, else a new UUID, kept in the WSGI environ
  (`REQUEST_ID_KEY`) for problems and logs;
- the headers every response carries: API-Version, X-Request-ID, and the security headers a view did not
  set itself (the docs and the widget set their own Content-Security-Policy and X-Frame-Options);
- the request's metrics (count and latency per route and status, requests in progress) and its access line.

Why a WSGI layer and not Flask hooks and signals: these run for every request, health checks and probes
included, and here they cost a list append and a few dictionary lookups, where Flask's signals, context-local
proxies and werkzeug's header objects cost several times that (README, Benchmarks: the request pipeline).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, request

from api import logging_setup, metrics
from api.auth import ENVIRON_KEY as AUTHENTICATION_KEY
from api.config import API_VERSION

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
REQUEST_ID_KEY = "kennisbank.request_id"
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Resource-Policy", "same-site"),
)
OURS = frozenset({"api-version", "x-request-id"})
"""Headers only the edge sets: a value a view set is replaced."""
ROUTE_KEY = "kennisbank.route"
"""The matched URL rule in OpenAPI form, kept in the environ as the request ends (Flask drops its request then)."""

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def request_id_of(environ: dict[str, Any]) -> str:
    """The id of the request of `environ`, made (and kept) on first use."""
    found = environ.get(REQUEST_ID_KEY)
    if found is None:
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        found = environ[REQUEST_ID_KEY] = incoming if REQUEST_ID.match(incoming) else str(uuid.uuid4())
    return str(found)


def common_headers(headers: list[tuple[str, str]], request_id: str) -> list[tuple[str, str]]:
    """`headers` plus API-Version, X-Request-ID and every security header not set already."""
    present = set()
    kept = []
    for name, value in headers:
        lower = name.lower()
        if lower not in OURS:
            present.add(lower)
            kept.append((name, value))
    kept.append(("API-Version", API_VERSION))
    kept.append(("X-Request-ID", request_id))
    kept.extend(header for header in SECURITY_HEADERS if header[0].lower() not in present)
    return kept


class Edge:
    """WSGI middleware: request id, common headers, metrics and the access line of every request of `app`."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        request_id = request_id_of(environ)
        answered: list[int] = []

        def edge_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answered.append(int(status[:3]))
            return start_response(status, common_headers(headers, request_id), exc_info)

        metrics.IN_PROGRESS.inc()
        try:
            body = self.app(environ, edge_start_response)
        except BaseException:
            answered.append(500)
            raise
        finally:
            metrics.IN_PROGRESS.dec()
            self._record(environ, request_id, answered[-1] if answered else 500, time.perf_counter() - started)
        return body

    @staticmethod
    def _record(environ: dict[str, Any], request_id: str, status: int, seconds: float) -> None:
        route = environ.get(ROUTE_KEY)
        method = environ.get("REQUEST_METHOD", "")
        metrics.record(method, route, status, seconds)
        authentication = environ.get(AUTHENTICATION_KEY)
        key_id = authentication.viewer.key_id if authentication is not None else None
        logging_setup.log_access(request_id, method, route, status, seconds, key_id)


def _keep_route(_error: BaseException | None) -> None:
    rule = request.url_rule
    if rule is not None:
        request.environ[ROUTE_KEY] = logging_setup.template_of(rule.rule)


def init_app(app: Flask) -> None:
    """Put the edge around `app`'s WSGI callable (call last: nothing may wrap Flask inside it)."""
    app.teardown_request(_keep_route)
    app.wsgi_app = Edge(app.wsgi_app)  # type: ignore[method-assign]
