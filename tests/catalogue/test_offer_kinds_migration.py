"""Migration 0007 (the offer kinds): before it a database refuses the new approach and organisation kinds and the
international scope, after it accepts them, and the recreated tables keep their indexes and foreign keys."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from api.database import Database
from api.migrate import alembic_config

REVISION = "0007"
ORGANISATION = ("INSERT INTO organisations (id, name, kind, scope, description, status, created_at, updated_at, "
                "sources, demo) VALUES (:id, 'Meldpunt', :kind, :scope, '', 'published', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, '[]', false)")
APPROACH = ("INSERT INTO approaches (id, name, kind, summary, description, provider_id, audience, evidence_level, "
            "language, status, created_at, updated_at, sources, demo) VALUES (:id, 'Hulplijn', :kind, '', '', "
            ":provider, '[]', 'not-assessed', 'nl', 'published', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '[]', false)")
NEW_ORGANISATIONS = [("reporting-point", "national"), ("implementing-organisation", "national"),
                     ("network", "international")]
NEW_APPROACH_KINDS = ["helpline", "reporting-point", "knowledge-base", "guidance"]


def insert(url: str, statement: str, **values: str) -> None:
    database = Database(url)
    try:
        with database.engine.begin() as connection:
            connection.execute(text(statement), values)
    finally:
        database.dispose()


def test_new_kinds_are_refused_before_0007_and_accepted_after(empty_url: str) -> None:
    config = alembic_config(empty_url)
    command.downgrade(config, ScriptDirectory.from_config(config).get_revision(REVISION).down_revision)
    for number, (kind, scope) in enumerate(NEW_ORGANISATIONS):
        with pytest.raises(IntegrityError):
            insert(empty_url, ORGANISATION, id=f"org-{number}", kind=kind, scope=scope)
    insert(empty_url, ORGANISATION, id="provider", kind="government", scope="national")
    for kind in NEW_APPROACH_KINDS:
        with pytest.raises(IntegrityError):
            insert(empty_url, APPROACH, id=f"old-{kind}", kind=kind, provider="provider")

    command.upgrade(config, "head")
    for number, (kind, scope) in enumerate(NEW_ORGANISATIONS):
        insert(empty_url, ORGANISATION, id=f"org-{number}", kind=kind, scope=scope)
    for kind in NEW_APPROACH_KINDS:
        insert(empty_url, APPROACH, id=f"new-{kind}", kind=kind, provider="org-0")
    with pytest.raises(IntegrityError):
        insert(empty_url, APPROACH, id="typo", kind="hulplijn", provider="org-0")
    with pytest.raises(IntegrityError):
        insert(empty_url, APPROACH, id="orphan", kind="helpline", provider="no-such-organisation")

    database = Database(empty_url)
    inspector = inspect(database.engine)
    indexes = {index["name"] for index in inspector.get_indexes("approaches")}
    assert {"ix_approaches_status_name_id", "ix_approaches_kind"} <= indexes
    assert [fk["referred_table"] for fk in inspector.get_foreign_keys("approaches")] == ["organisations"]
    database.dispose()


def test_downgrade_maps_the_new_kinds_onto_older_ones(empty_url: str) -> None:
    insert(empty_url, ORGANISATION, id="eu", kind="reporting-point", scope="international")
    insert(empty_url, APPROACH, id="hulplijn", kind="helpline", provider="eu")
    config = alembic_config(empty_url)
    command.downgrade(config, ScriptDirectory.from_config(config).get_revision(REVISION).down_revision)
    database = Database(empty_url)
    with database.engine.connect() as connection:
        organisation = connection.execute(text("SELECT kind, scope FROM organisations")).one()
        assert organisation == ("expertise-centre", "national")
        assert connection.execute(text("SELECT kind, provider_id FROM approaches")).one() == ("advice", "eu")
    database.dispose()
