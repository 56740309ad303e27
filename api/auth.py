"""Authentication: `Authorization: Bearer kb_…` becomes `g.viewer` (api/access.py) before every API request.

A request without the header is anonymous. A header that does not carry a usable key (malformed, unknown,
revoked, expired) is a 401 on every API route, public reads included: a caller who sends a bad key should
know. The key is looked up by its SHA-256 (only the hash is stored) and compared in constant time; its last
use is recorded at most once a minute, in its own short transaction.
"""

from __future__ import annotations

import hmac
import logging
import re
from dataclasses import dataclass

from flask import Flask, Response, g, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from api.access import ANONYMOUS, Viewer
from api.exceptions import Unauthorized
from api.models import ApiKey
from api.models.base import utcnow
from api.services.api_keys import PREFIX, hash_key, record_use
from api.sessions import database, db, discard

log = logging.getLogger("kennisbank.auth")
BEARER = re.compile(r"^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$", re.IGNORECASE)
UNAUTHENTICATED_PATHS = ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/changelog")
ENVIRON_KEY = "kennisbank.authentication"


@dataclass(frozen=True)
class Authentication:
    """The outcome for this request: the viewer, and why the key was refused (None when it was not)."""

    viewer: Viewer
    refusal: str | None = None


def applies(path: str) -> bool:
    """API keys matter on the versioned API only (not on the docs, the spec, health checks or metrics)."""
    return (path == "/api/v1" or path.startswith("/api/v1/")) and not path.startswith(UNAUTHENTICATED_PATHS)


def authenticate() -> Authentication:
    """Who sent this request, worked out once per request (the rate limiter asks before the view does).

    Kept in the WSGI environ, which lives exactly as long as the request (`g` may outlive it).
    A database error discards the request's session before it propagates, so whoever catches it (the rate
    limiter counts by address instead) leaves no failed session behind for the next query to trip over.
    """
    found = request.environ.get(ENVIRON_KEY)
    if found is None:
        try:
            found = _authenticate(request.headers.get("Authorization"))
        except SQLAlchemyError:
            discard()
            raise
        request.environ[ENVIRON_KEY] = found
    return found


def _authenticate(header: str | None) -> Authentication:
    if header is None or not applies(request.path):
        return Authentication(ANONYMOUS)
    match = BEARER.match(header)
    if match is None or not match[1].startswith(PREFIX):
        return Authentication(ANONYMOUS, "Send the API key as Authorization: Bearer kb_…")
    digest = hash_key(match[1])
    key = db().scalars(select(ApiKey).where(ApiKey.key_hash == digest)).first()
    if key is None or not hmac.compare_digest(key.key_hash, digest):
        return Authentication(ANONYMOUS, "This API key is not recognised.")
    now = utcnow()
    if key.revoked_at is not None:
        return Authentication(ANONYMOUS, "This API key has been revoked.")
    if key.expires_at is not None and key.expires_at <= now:
        return Authentication(ANONYMOUS, "This API key has expired.")
    _record_use(key)
    return Authentication(Viewer(key_id=key.id, role=key.role))


def _record_use(key: ApiKey) -> None:
    """Last use, in a transaction of its own so it never rides along with (or fails) the request's writes."""
    try:
        with database().transaction() as session:
            record_use(session, key)
    except Exception:  # bookkeeping must never fail a request (e.g. on a read-only replica)
        log.warning("could not record the last use of API key %s", key.id, exc_info=True)


def _before() -> None:
    g.viewer = ANONYMOUS
    if not applies(request.path):
        return
    result = authenticate()
    g.viewer = result.viewer
    if result.refusal is not None:
        raise Unauthorized(result.refusal)


def _vary(response: Response) -> Response:
    if applies(request.path):
        vary = response.headers.get("Vary")
        if not vary:  # the common case, without parsing the header into a set and writing it back
            response.headers["Vary"] = "Authorization"
        else:
            response.vary.add("Authorization")
    return response


def init_app(app: Flask) -> None:
    """Set `g.viewer` before every API request; answers vary by Authorization."""
    app.before_request(_before)
    app.after_request(_vary)
