"""CORS for browsers on the origins in KENNISBANK_CORS_ORIGINS (an allowlist; none by default).

Each entry is an exact origin, `scheme://host[:port]` (`https://intranet.gemeente.nl`), or a subdomain
wildcard `scheme://*.host[:port]` (`https://*.gemeente.nl`: any subdomain of gemeente.nl at any depth, not
gemeente.nl itself) — the syntax KENNISBANK_FRAME_ANCESTORS takes. Nothing else is a pattern: entries are
matched whole, never as regular expressions or prefixes, and an entry that is not an origin stops the start.

The OpenAPI document is open to every origin: its view sets `Access-Control-Allow-Origin: *` itself, and
Flask-CORS leaves a response that already has the header alone.
"""

from __future__ import annotations

import re

from flask import Flask
from flask_cors import CORS

EXPOSED = ["API-Version", "ETag", "Link", "Location", "X-Total-Count", "X-Request-ID", "X-RateLimit-Limit",
           "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"]
ALLOWED_HEADERS = ["Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Request-ID"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
ORIGIN = re.compile(r"^(https?://)(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?)$", re.IGNORECASE)
SUBDOMAINS = r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\."


def origins(setting: str) -> list[str]:
    """The allowlist of a comma list of origins (trailing slashes ignored)."""
    return [origin.strip().rstrip("/") for origin in setting.split(",") if origin.strip()]


def origin_pattern(entry: str) -> re.Pattern[str]:
    """The whole-string, case-insensitive matcher of one allowlist entry; ValueError if it is not an origin."""
    match = ORIGIN.match(entry)
    if match is None:
        raise ValueError(f"KENNISBANK_CORS_ORIGINS: not an origin: {entry!r} (use scheme://host[:port] or "
                         "scheme://*.host[:port], comma-separated)")
    scheme, wildcard, host = match.groups()
    return re.compile(re.escape(scheme) + (SUBDOMAINS if wildcard else "") + re.escape(host) + r"\Z", re.IGNORECASE)


def init_app(app: Flask) -> None:
    """Answer CORS requests (and preflights) under /api/ from allowed origins only."""
    allowed = [origin_pattern(entry) for entry in origins(app.config.get("KENNISBANK", {}).get("CORS_ORIGINS", ""))]
    if not allowed:
        return
    CORS(app, resources={r"/api/*": {"origins": allowed}}, expose_headers=EXPOSED, allow_headers=ALLOWED_HEADERS,
         methods=METHODS, max_age=600, supports_credentials=False, vary_header=True)
