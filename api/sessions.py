"""One database session per request, closed when the request ends, discarded when its connection failed.

A connection can die under a request (the server restarts, fails over, or an administrator terminates the
backend). The session that used it is then discarded: its connection is invalidated instead of being rolled
back and returned to the pool, and the next `db()` (in this request or the next) gets a fresh one. The
teardown never raises: an exception there would escape Flask, and gunicorn would answer a bare 500 that
neither the access log nor the metrics see.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, has_app_context
from sqlalchemy.orm import Session

from api.database import Database

log = logging.getLogger("kennisbank.database")


def database() -> Database:
    """The app's Database."""
    return current_app.extensions["kennisbank_db"]


def db() -> Session:
    """The session of the current request; its searches use the app's search cache."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["kennisbank_search_cache"].attach(database().session())
    return g.db_session


def discard() -> None:
    """Drop the request's session after a database error: its connection is invalidated, never reused."""
    if not has_app_context():
        return
    session = g.pop("db_session", None)
    if session is not None:
        _invalidate(session)


def _invalidate(session: Session) -> None:
    try:
        session.invalidate()
    except Exception:  # the connection is already gone; all that matters is that the pool does not keep it
        log.warning("could not close a failed database connection", exc_info=False)


def _close(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()  # rolls back whatever is left: a ROLLBACK on a dead connection raises
    except Exception as error:
        log.warning("the database connection failed at the end of a request (%s); discarded", type(error).__name__)
        _invalidate(session)


def init_app(app: Flask, database_: Database) -> None:
    """Attach the Database and close each request's session at teardown."""
    app.extensions["kennisbank_db"] = database_
    app.teardown_appcontext(_close)
