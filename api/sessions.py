"""One database session per request, closed when the request ends."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from api.database import Database


def database() -> Database:
    """The app's Database."""
    return current_app.extensions["kennisbank_db"]


def db() -> Session:
    """The session of the current request; its searches use the app's search cache."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["kennisbank_search_cache"].attach(database().session())
    return g.db_session


def _close(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask, database_: Database) -> None:
    """Attach the Database and close each request's session at teardown."""
    app.extensions["kennisbank_db"] = database_
    app.teardown_appcontext(_close)
