"""search index: FTS5 on SQLite, tsvector + GIN on PostgreSQL, and the shared metadata table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 09:05:00
"""

from alembic import op

from api import search

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.create_schema(op.get_bind())


def downgrade() -> None:
    search.drop_schema(op.get_bind())
