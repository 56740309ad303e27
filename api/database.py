"""Engines and sessions: one engine per process, created lazily so it never crosses a fork."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


class Database:
    """Owns the engine and session factory for one database URL, per process."""

    def __init__(self, url: str, *, pool_size: int = 5, statement_timeout_ms: int = 5000) -> None:
        self.url = url
        self.pool_size = pool_size
        self.statement_timeout_ms = statement_timeout_ms
        self._engine: Engine | None = None
        self._stamp_engine: Engine | None = None
        self._pid: int | None = None
        self._factory: sessionmaker[Session] | None = None
        _INSTANCES.add(self)

    @property
    def engine(self) -> Engine:
        """The engine of this process; a forked child builds its own pool."""
        if self._engine is None or self._pid != os.getpid():
            for engine in (self._engine, self._stamp_engine):
                if engine is not None:
                    engine.dispose(close=False)
            self._engine = make_engine(self.url, self.pool_size, self.statement_timeout_ms)
            self._stamp_engine = None
            self._pid = os.getpid()
            self._factory = sessionmaker(self._engine, expire_on_commit=False)
        return self._engine

    @property
    def stamp_engine(self) -> Engine:
        """An engine for one-statement reads on every request (the catalogue's stamp): the fewest round trips.

        On PostgreSQL its connections run in autocommit (no BEGIN and ROLLBACK around the SELECT) and are not
        pinged on checkout (one round trip instead of four); a connection the server dropped fails the read, is
        discarded by the pool, and `api.representation_cache.current_stamp` tries once more. Its pool is sized like the
        main one, so a stamp read never waits for a connection where a request would not. SQLite has neither cost:
        the main engine.
        """
        engine = self.engine
        if engine.dialect.name == "sqlite":
            return engine
        if self._stamp_engine is None:
            self._stamp_engine = make_engine(self.url, self.pool_size, self.statement_timeout_ms,
                                             pre_ping=False, autocommit=True)
        return self._stamp_engine

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def session(self) -> Session:
        """A new session; the caller closes it."""
        self.engine  # noqa: B018 - builds the factory for this process
        assert self._factory is not None
        return self._factory()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end of the block, or rolled back on error."""
        with self.session() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close every pooled connection of this process."""
        if self._stamp_engine is not None:
            self._stamp_engine.dispose()
            self._stamp_engine = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


_INSTANCES: weakref.WeakSet[Database] = weakref.WeakSet()


def after_fork() -> None:
    """In a forked worker: drop every pool inherited from the parent without touching its sockets.

    gunicorn's post_fork hook calls this, so that even with preload_app on, no connection of the
    master is ever used by a worker (each Database builds its own pool on first use).
    """
    for database in list(_INSTANCES):
        if database._engine is not None and database._pid != os.getpid():
            database._engine.dispose(close=False)
            if database._stamp_engine is not None:
                database._stamp_engine.dispose(close=False)
            database._engine = None
            database._stamp_engine = None
            database._factory = None
            database._pid = None


def make_engine(url: str, pool_size: int = 5, statement_timeout_ms: int = 5000, *, pre_ping: bool = True,
                autocommit: bool = False) -> Engine:
    """An engine configured for the dialect: WAL and foreign keys on SQLite, timeouts on PostgreSQL.
    `autocommit` (PostgreSQL): every connection of the pool, raw DBAPI ones included, runs in autocommit."""
    if url.startswith("sqlite"):
        engine = create_engine(url, hide_parameters=True, connect_args={"timeout": 15, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        hide_parameters=True,  # errors and logs never quote the values of a statement (bodies, personal data)
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=pre_ping,
        pool_timeout=1,  # a full pool answers 503 within about a second instead of queueing
        **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}),
        connect_args={
            "connect_timeout": 2,  # libpq's minimum; a refused or closed server fails at once
            # JIT compiling costs ~30 ms on any query the planner thinks is large (a search matching a third of
            # 100,000 documents) and never pays off for queries that finish in well under a second.
            "options": f"-c statement_timeout={statement_timeout_ms} -c lock_timeout={statement_timeout_ms} -c jit=off",
        },
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()
