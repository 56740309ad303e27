"""Live gunicorn servers and dedicated PostgreSQL databases for the production-readiness tests."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg

from api.database import Database
from api.services.api_keys import create_key as create
from tests.conftest import load_catalogue
from tests.databases import PG_HOST, skip_or_fail_without_postgres
from tests.live import LiveServer


class Gunicorn(LiveServer):
    """`gunicorn` started in the repository root, so it reads gunicorn.conf.py like `make run` does.

    Started when `ready_path` answers below 500 (/health/ready: the database answers and is migrated);
    `output()` is everything the server wrote (JSON log lines).
    """

    def __init__(self, database_url: str, settings: dict[str, str] | None = None, *, workers: int = 2,
                 start_timeout: float = 60.0, ready_path: str = "/health/ready") -> None:
        super().__init__(database_url, settings, mode="gunicorn", workers=workers, start_timeout=start_timeout,
                         ready_path=ready_path)

    def output(self) -> str:
        """All the server has written to stdout and stderr so far."""
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def records(self) -> list[dict[str, Any]]:
        """The JSON log records written so far (a line that is not JSON fails the test)."""
        lines = [line for line in self.output().splitlines() if line.strip()]
        return [json.loads(line) for line in lines]


@dataclass(frozen=True)
class DedicatedDatabase:
    """A PostgreSQL database owned by its own login role, as an app would have in production."""

    name: str
    url: str

    def admin(self, *statements: str) -> None:
        """Run statements as the superuser, outside the dedicated database."""
        with psycopg.connect(PG_HOST, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def outage(self) -> None:
        """The database goes away for the app: no new connections, every open one cut."""
        self.admin(
            f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false',
            f'ALTER ROLE "{self.name}" NOLOGIN',
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.name}' "
            "AND pid <> pg_backend_pid()",
        )

    def restore(self) -> None:
        """The database is back."""
        self.admin(f'ALTER ROLE "{self.name}" LOGIN', f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')


@contextmanager
def dedicated_database(seed: bool = True) -> Iterator[DedicatedDatabase]:
    """A seeded database with its own login role on the test server, dropped afterwards."""
    skip_or_fail_without_postgres()
    name = f"kb_ops_{uuid.uuid4().hex[:10]}"
    server = PG_HOST.rsplit("/", 1)[0].split("://", 1)[1].split("@", 1)[-1]
    database = DedicatedDatabase(name, f"postgresql+psycopg://{name}@{server}/{name}")
    database.admin(f'CREATE ROLE "{name}" LOGIN', f'CREATE DATABASE "{name}" OWNER "{name}"')
    try:
        if seed:
            load_catalogue(database.url)
        yield database
    finally:
        database.restore()
        database.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'DROP ROLE IF EXISTS "{name}"')


def create_key(database_url: str, role: str, name: str = "ops-test") -> tuple[str, str]:
    """(key id, secret) of a new API key with `role`."""
    database = Database(database_url)
    try:
        with database.transaction() as session:
            key, secret = create(session, name, role)
            return key.id, secret
    finally:
        database.dispose()
