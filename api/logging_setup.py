"""Structured logs: JSON lines on stdout for the application, and one access line per request.

The access line carries the request id, method, route (the URL rule, not the raw path), status,
duration and the API key's id. It never carries headers, the query string, a body, a key or any
personal data; as a second line of defence every formatted line is scrubbed of bearer tokens,
`kb_` keys, e-mail addresses and Dutch phone numbers before it is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime
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


MAYBE_REDACTED = re.compile(r"(?i)bearer|kb_|@|\d(?:[\s\-]?\d){8}")
"""Matches wherever one of REDACTIONS could (a word, `@`, or nine digits in a row): most lines have none of them."""


RULE_PARAMETER = re.compile(r"<(?:[^:>]+:)?([^>]+)>")
_templates: dict[str, str] = {}


def route_template() -> str | None:
    """The matched URL rule in OpenAPI form (`/api/v1/police-units/{unit_id}`); None if none matched."""
    rule = request.url_rule
    if rule is None:
        return None
    template = _templates.get(rule.rule)
    if template is None:
        template = _templates[rule.rule] = RULE_PARAMETER.sub(r"{\1}", rule.rule)
    return template


def redact(text: str) -> str:
    """`text` without bearer tokens, API keys, e-mail addresses or phone numbers."""
    if MAYBE_REDACTED.search(text) is None:
        return text
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
        if self._plain_access_line(record):
            return redact(self._access_line(record))
        return redact(super().format(record))

    def _plain_access_line(self, record: logging.LogRecord) -> bool:
        return (record.name == ACCESS.name and record.exc_info is None and record.stack_info is None
                and type(self) is JsonFormatter and not self.static_fields and record.args == ()
                and record.__dict__.keys() - self._skip_fields == ACCESS_EXTRAS)

    @staticmethod
    def _access_line(record: logging.LogRecord) -> str:
        """The same line python-json-logger writes for an access record, without its generic per-field work
        (the access line is written once per request)."""
        fields = {"level": record.levelname, "logger": record.name, "pid": record.process,
                  "message": record.getMessage()}
        fields.update((name, record.__dict__[name]) for name in ACCESS_FIELDS)
        fields["time"] = datetime.fromtimestamp(record.created, tz=UTC).isoformat()
        return json.dumps(fields)


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


ACCESS_FIELDS = ("request_id", "method", "route", "status", "duration_ms", "key_id")
ACCESS_EXTRAS = frozenset(ACCESS_FIELDS)


def _started(_app: Flask, **_extra: Any) -> None:
    g.log_started = time.perf_counter()


def _finished(_app: Flask, response: Response, **_extra: Any) -> None:
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    started = g.get("log_started")
    viewer = g.get("viewer")
    extra = {
        "request_id": g.get("request_id") or response.headers.get("X-Request-ID"),
        "method": request.method,
        "route": route_template(),
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
        "key_id": getattr(viewer, "key_id", None),
    }
    # made directly: Logger.info would walk the stack for a caller that no line shows
    ACCESS.handle(ACCESS.makeRecord(ACCESS.name, logging.INFO, __file__, 0, "request", (), None, extra=extra))


def init_app(app: Flask) -> None:
    """JSON logs for the process and one access line per request of `app`."""
    configure(app.config.get("KENNISBANK", {}).get("LOG_LEVEL", "INFO"))
    request_started.connect(_started, app)
    request_finished.connect(_finished, app)
