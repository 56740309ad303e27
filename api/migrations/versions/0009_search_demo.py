"""search demo flag: search_meta.demo, so a fictional demo record never ranks above a real one

Existing documents of demo organisations, topics, experts and approaches are flagged from their records, and the
index generation goes up so every worker's cached results and answers are dropped.

Revision ID: 0009
Revises: 0006
"""

from alembic import op

revision, down_revision = "0009", "0006"
branch_labels = depends_on = None

CURATED = (("organisation", "organisations"), ("topic", "topics"), ("expert", "experts"), ("approach", "approaches"))


def upgrade() -> None:
    op.execute("ALTER TABLE search_meta ADD COLUMN demo INTEGER NOT NULL DEFAULT 0")
    for search_type, table in CURATED:
        op.execute(f"UPDATE search_meta SET demo = 1 WHERE type = '{search_type}' "
                   f"AND id IN (SELECT id FROM {table} WHERE demo)")
    op.execute("UPDATE search_state SET generation = generation + 1 WHERE id = 1")


def downgrade() -> None:
    op.execute("ALTER TABLE search_meta DROP COLUMN demo")
    op.execute("UPDATE search_state SET generation = generation + 1 WHERE id = 1")
