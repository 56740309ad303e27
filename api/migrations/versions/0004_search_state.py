"""search state: an index generation that every change to the search index raises, for result caches

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 12:45:00
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("CREATE TABLE IF NOT EXISTS search_state (id INTEGER PRIMARY KEY, generation BIGINT NOT NULL)")
    op.execute("INSERT INTO search_state (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_state")
