"""CORS for browsers on the origins in KENNISBANK_CORS_ORIGINS (an allowlist; none by default).

The OpenAPI document is open to every origin: its view sets `Access-Control-Allow-Origin: *` itself, and
Flask-CORS leaves a response that already has the header alone.
"""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

EXPOSED = ["API-Version", "ETag", "Link", "Location", "X-Total-Count", "X-Request-ID", "X-RateLimit-Limit",
           "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"]
ALLOWED_HEADERS = ["Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Request-ID"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def origins(setting: str) -> list[str]:
    """The allowlist of a comma list of origins (trailing slashes ignored)."""
    return [origin.strip().rstrip("/") for origin in setting.split(",") if origin.strip()]


def init_app(app: Flask) -> None:
    """Answer CORS requests (and preflights) under /api/ from allowed origins only."""
    allowed = origins(app.config.get("KENNISBANK", {}).get("CORS_ORIGINS", ""))
    if not allowed:
        return
    CORS(app, resources={r"/api/*": {"origins": allowed}}, expose_headers=EXPOSED, allow_headers=ALLOWED_HEADERS,
         methods=METHODS, max_age=600, supports_credentials=False, vary_header=True)
