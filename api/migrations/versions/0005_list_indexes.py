"""list indexes: covering indexes for the filtered, counted and name-sorted lists of experts and approaches

The link-table indexes gain the record id, so a `topic` or `serves` filter reads its candidates from the index
alone; (status, id) lets a count check each candidate's status without reading the wide row; (status, name, id)
lets a page in name order walk the index and stop after the page instead of sorting every match.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 13:00:00
"""

from alembic import op

revision = "0005"
down_revision = "0004"

RECORDS = ("approaches", "experts")
# table -> (index replaced, its column, the covering index replacing it, its columns)
LINKS = (
    ("approach_topics", "ix_approach_topics_topic_id", "topic_id",
     "ix_approach_topics_topic_id_approach_id", ["topic_id", "approach_id"]),
    ("expert_topics", "ix_expert_topics_topic_id", "topic_id",
     "ix_expert_topics_topic_id_expert_id", ["topic_id", "expert_id"]),
    ("expert_areas", "ix_expert_areas_area_id", "area_id",
     "ix_expert_areas_area_id_expert_id", ["area_id", "expert_id"]),
)


def upgrade() -> None:
    for table in RECORDS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f"ix_{table}_status_name_id", ["status", "name", "id"], unique=False)
            batch_op.create_index(f"ix_{table}_status_id", ["status", "id"], unique=False)
    for table, old, _column, new, columns in LINKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(new, columns, unique=False)
            batch_op.drop_index(old)


def downgrade() -> None:
    for table, old, column, new, _columns in reversed(LINKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(old, [column], unique=False)
            batch_op.drop_index(new)
    for table in reversed(RECORDS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_status_id")
            batch_op.drop_index(f"ix_{table}_status_name_id")
