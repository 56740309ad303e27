"""Alembic environment: migrates the database named by the `url` option (set by `api.migrate`)."""

from alembic import context

from api.database import make_engine
from api.migrate import check_foreign_keys, foreign_keys_deferred_to_the_end
from api.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Run migrations online, in batch mode so SQLite can alter tables."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn, foreign_keys_deferred_to_the_end(conn):
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
        check_foreign_keys(connection)


run_migrations()
