"""Schema migrations with Alembic: upgrade to head, and tell whether a database is at head."""

from __future__ import annotations

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
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def head_revisions() -> frozenset[str]:
    """The newest revision(s) in api/migrations."""
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def is_at_head(connection: Connection, heads: frozenset[str]) -> bool:
    """True when the database on `connection` has every migration in `heads` (see `head_revisions`) applied."""
    return set(MigrationContext.configure(connection).get_current_heads()) == heads
