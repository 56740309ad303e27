"""Structured logs: JSON lines on stdout for the application, and one access line per request.

The access line carries the request id, method, route (the URL rule, not the raw path), status,
duration and the API key's id. It never carries headers, the query string, a body, a key or any
personal data; as a second line of defence every formatted line is scrubbed of bearer tokens,
`kb_` keys, e-mail addresses and Dutch phone numbers before it is written.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import IO, Any

from flask import Flask, Response, g, request, request_finished, request_started
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

ACCESS = logging.getLogger("kennisbank.access")
REDACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\bbearer\s+[^\s\"',;]+"), "Bearer [redacted]"),
    (re.compile(r"\bkb_[A-Za-z0-9_\-]{6,}"), "kb_[redacted]"),
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"), "[email]"),
    (re.compile(r"(?<![\w.:+-])(?:\+31|0031|0)[\s\-]?(?:\d[\s\-]?){8}\d(?![\w.:])"), "[phone]"),
)


RULE_PARAMETER = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def route_template() -> str | None:
    """The matched URL rule in OpenAPI form (`/api/v1/municipalities/{municipality_id}`); None if none matched."""
    rule = request.url_rule
    return RULE_PARAMETER.sub(r"{\1}", rule.rule) if rule is not None else None


def redact(text: str) -> str:
    """`text` without bearer tokens, API keys, e-mail addresses or phone numbers."""
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object per line: time (UTC), level, logger, pid, message, and the record's extra fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "process": "pid"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(*args or ("%(levelname)s %(name)s %(process)d %(message)s",), **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        """The JSON line, scrubbed of secrets and personal data."""
        return redact(super().format(record))


def configure(level: str = "INFO", stream: IO[str] | None = None) -> logging.Handler:
    """Send every log record of the process as JSON to stdout (idempotent: one handler at most)."""
    root = logging.getLogger()
    for logger in (root, logging.getLogger("gunicorn.error")):  # gunicorn's JSON handlers get our scrubbing
        for existing in logger.handlers:
            if isinstance(existing.formatter, _BaseJsonFormatter) and not isinstance(existing.formatter, JsonFormatter):
                existing.setFormatter(JsonFormatter())
    handler = next((h for h in root.handlers if isinstance(h.formatter, JsonFormatter)), None)
    if handler is None:
        handler = logging.StreamHandler(stream or sys.stdout)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level.upper())
    return handler


def _started(_app: Flask, **_extra: Any) -> None:
    g.log_started = time.perf_counter()


def _finished(_app: Flask, response: Response, **_extra: Any) -> None:
    started = g.get("log_started")
    viewer = g.get("viewer")
    ACCESS.info(
        "request",
        extra={
            "request_id": g.get("request_id") or response.headers.get("X-Request-ID"),
            "method": request.method,
            "route": route_template(),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
            "key_id": getattr(viewer, "key_id", None),
        },
    )


def init_app(app: Flask) -> None:
    """JSON logs for the process and one access line per request of `app`."""
    configure(app.config.get("KENNISBANK", {}).get("LOG_LEVEL", "INFO"))
    request_started.connect(_started, app)
    request_finished.connect(_finished, app)
