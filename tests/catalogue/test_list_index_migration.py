"""Migration 0005 (the list indexes) downgrades and upgrades again on a database with the catalogue in it."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from api import models
from api.database import Database
from api.migrate import alembic_config

REVISION = "0005"
NEW = {
    "approaches": {"ix_approaches_status_name_id", "ix_approaches_status_id"},
    "experts": {"ix_experts_status_name_id", "ix_experts_status_id"},
    "approach_topics": {"ix_approach_topics_topic_id_approach_id"},
    "expert_topics": {"ix_expert_topics_topic_id_expert_id"},
    "expert_areas": {"ix_expert_areas_area_id_expert_id"},
}
REPLACED = {
    "approach_topics": {"ix_approach_topics_topic_id"},
    "expert_topics": {"ix_expert_topics_topic_id"},
    "expert_areas": {"ix_expert_areas_area_id"},
}


def indexes(url: str) -> dict[str, set[str]]:
    database = Database(url)
    inspector = inspect(database.engine)
    found = {table: {index["name"] for index in inspector.get_indexes(table)} for table in NEW}
    database.dispose()
    return found


def row_counts(url: str) -> dict[str, int]:
    database = Database(url)
    with database.session() as session:
        tables = (models.Approach, models.ApproachTopic, models.Expert, models.ExpertTopic, models.ExpertArea)
        counts = {m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0 for m in tables}
    database.dispose()
    return counts


def test_list_indexes_downgrade_and_upgrade_keep_the_data(fresh_url: str) -> None:
    before = row_counts(fresh_url)
    assert before["approaches"] and before["expert_areas"]
    at_head = indexes(fresh_url)
    for table, names in NEW.items():
        assert names <= at_head[table]
        assert not REPLACED.get(table, set()) & at_head[table]

    config = alembic_config(fresh_url)
    command.downgrade(config, ScriptDirectory.from_config(config).get_revision(REVISION).down_revision)
    downgraded = indexes(fresh_url)
    for table, names in NEW.items():
        assert not names & downgraded[table]
        assert REPLACED.get(table, set()) <= downgraded[table]
    assert row_counts(fresh_url) == before

    command.upgrade(config, "head")
    assert indexes(fresh_url) == at_head
    assert row_counts(fresh_url) == before
