"""Structured logs: JSON lines on stdout for the application, and one access line per request.

The access line carries the request id, method, route (the URL rule, not the raw path), status,
duration and the API key's id. It never carries headers, the query string, a body, a key or any
personal data; as a second line of defence every formatted line is scrubbed of bearer tokens,
`kb_` keys, e-mail addresses and Dutch phone numbers before it is written (of the access line, the
fields the caller chose: the request id and the method; the rest is the service's own).
"""

from __future__ import annotations

import logging
import re
import sys
from datetime import UTC, datetime
from typing import IO, Any

import orjson
from flask import Flask, request
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
    return None if rule is None else template_of(rule.rule)


def template_of(rule: str) -> str:
    """A werkzeug URL rule in OpenAPI form: `<id:unit_id>` becomes `{unit_id}`."""
    template = _templates.get(rule)
    if template is None:
        template = _templates[rule] = RULE_PARAMETER.sub(r"{\1}", rule)
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
            return self._access_line(record)
        return redact(super().format(record))

    def _plain_access_line(self, record: logging.LogRecord) -> bool:
        return (record.name == ACCESS.name and record.exc_info is None and record.stack_info is None
                and type(self) is JsonFormatter and not self.static_fields and record.args == ()
                and record.__dict__.keys() - self._skip_fields == ACCESS_EXTRAS)

    @staticmethod
    def _access_line(record: logging.LogRecord) -> str:
        """The line python-json-logger writes for an access record, without its generic per-field work (the
        access line is written once per request). Only the request id and the method come from the caller:
        they are scrubbed; every other field is the service's own (route template, status, numbers, key id)."""
        fields = {"level": record.levelname, "logger": record.name, "pid": record.process,
                  "message": record.getMessage()}
        fields.update((name, record.__dict__[name]) for name in ACCESS_FIELDS)
        for name in CALLERS_FIELDS:
            if isinstance(fields[name], str):
                fields[name] = redact(fields[name])
        fields["time"] = datetime.fromtimestamp(record.created, tz=UTC).isoformat()
        return orjson.dumps(fields).decode()


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
CALLERS_FIELDS = ("request_id", "method")
"""Fields of the access line whose text the caller chose."""


def log_access(request_id: str, method: str, route: str | None, status: int, seconds: float,
               key_id: str | None) -> None:
    """Write the access line of one answered request (called by `api.edge`, once per request)."""
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    extra = {"request_id": request_id, "method": method, "route": route, "status": status,
             "duration_ms": round(seconds * 1000, 2), "key_id": key_id}
    # made directly: Logger.info would walk the stack for a caller that no line shows
    ACCESS.handle(ACCESS.makeRecord(ACCESS.name, logging.INFO, __file__, 0, "request", (), None, extra=extra))


def init_app(app: Flask) -> None:
    """JSON logs for the process; `api.edge` writes one access line per request."""
    configure(app.config.get("KENNISBANK", {}).get("LOG_LEVEL", "INFO"))
