"""search state: an index generation that every change to the search index raises, for result caches

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 12:45:00
"""

from alembic import op

from api.search.sql import STATE_DDL, STATE_DROP

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in STATE_DDL:
        op.execute(statement)


def downgrade() -> None:
    op.execute(STATE_DROP)
