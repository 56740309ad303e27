"""Real test databases: a SQLite file, or a PostgreSQL database created and dropped per test run."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from tests.required import require_service

PG_HOST = os.environ.get("KENNISBANK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")


def postgres_reachable() -> str | None:
    """None when the server answers, else why not."""
    try:
        with psycopg.connect(PG_HOST, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]


def skip_or_fail_without_postgres() -> None:
    """Skip PostgreSQL tests when no server runs, except on CI, where that is a failure."""
    problem = postgres_reachable()
    require_service(f"PostgreSQL at {PG_HOST}", problem and f"not reachable ({problem}); start it to run the "
                    "PostgreSQL half")


@contextmanager
def temporary_database(backend: str, folder: Path) -> Iterator[str]:
    """A SQLAlchemy URL of an empty database that is removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'kb-{uuid.uuid4().hex[:8]}.db'}"
        return
    skip_or_fail_without_postgres()
    name = f"kb_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_HOST, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_HOST.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    finally:
        with psycopg.connect(PG_HOST, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def copied_database(backend: str, source_url: str, folder: Path) -> Iterator[str]:
    """A copy of the database at `source_url` (nobody may be connected to it), removed afterwards."""
    if backend == "sqlite":
        target = folder / f"kb-{uuid.uuid4().hex[:8]}.db"
        with sqlite3.connect(source_url.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        source.close()
        copy.close()
        yield f"sqlite:///{target}"
        return
    skip_or_fail_without_postgres()
    name = f"kb_test_{uuid.uuid4().hex[:12]}"
    template = source_url.rsplit("/", 1)[1]
    with psycopg.connect(PG_HOST, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield source_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_HOST, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
