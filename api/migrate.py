"""Schema migrations with Alembic: upgrade to head, and tell whether a database is at head."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config for `url`, without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration that has not run yet."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection, foreign_keys_deferred_to_the_end(connection), connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        check_foreign_keys(connection)


@contextmanager
def foreign_keys_deferred_to_the_end(connection: Connection) -> Iterator[None]:
    """On SQLite, switch foreign-key enforcement off around a migration run, and on again after it.

    A batch migration recreates a table (copy, drop, rename); dropping a table that others refer to fails while
    SQLite enforces foreign keys, and the pragma cannot change inside a transaction. So it is switched off before
    the run's transaction begins, `check_foreign_keys` verifies every reference at the end of the run, and the
    connection gets enforcement back before it returns to the pool. Other databases are left alone.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def check_foreign_keys(connection: Connection) -> None:
    """Fail the migration run if a row on SQLite refers to a missing row (enforcement was off during the run)."""
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left rows referring to missing rows: {broken[:5]}")


def head_revisions() -> frozenset[str]:
    """The newest revision(s) in api/migrations."""
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def is_at_head(connection: Connection, heads: frozenset[str]) -> bool:
    """True when the database on `connection` has every migration in `heads` (see `head_revisions`) applied."""
    return set(MigrationContext.configure(connection).get_current_heads()) == heads
