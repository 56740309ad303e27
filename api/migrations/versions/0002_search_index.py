"""search index: FTS5 on SQLite, tsvector + GIN on PostgreSQL, and the shared metadata table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 09:05:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"

# Frozen DDL: this revision creates the tables as they were at 0002, whatever api/search does today.
META = """CREATE TABLE IF NOT EXISTS search_meta (
        doc_key TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        sort_name TEXT NOT NULL,
        name_keys TEXT NOT NULL,
        status TEXT NOT NULL,
        topics TEXT NOT NULL DEFAULT '',
        serves TEXT NOT NULL DEFAULT '',
        size_classes TEXT NOT NULL DEFAULT ''{own_columns}
    )"""
SQLITE = (
    META.format(own_columns=",\n        fts_rowid INTEGER NOT NULL UNIQUE"),
    "CREATE INDEX IF NOT EXISTS search_meta_status_name ON search_meta (status, sort_name, doc_key)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        doc_key UNINDEXED, name, aliases, summary, body,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
)
POSTGRESQL = (
    META.format(own_columns=""),
    "CREATE INDEX IF NOT EXISTS search_meta_status_name "
    'ON search_meta (status, sort_name COLLATE "C", doc_key COLLATE "C")',
    """CREATE TABLE IF NOT EXISTS search_documents (
        doc_key TEXT PRIMARY KEY REFERENCES search_meta (doc_key) ON DELETE CASCADE,
        tsv tsvector NOT NULL
    )""",
    "ALTER TABLE search_documents ALTER COLUMN tsv SET STORAGE MAIN",
    "CREATE INDEX IF NOT EXISTS search_documents_tsv ON search_documents USING GIN (tsv)",
)
CONTENT = (
    """CREATE TABLE IF NOT EXISTS search_content (
        doc_key TEXT PRIMARY KEY,
        snippet_text TEXT NOT NULL DEFAULT '',
        terms TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS search_terms (
        term TEXT PRIMARY KEY,
        ndoc INTEGER NOT NULL
    )""",
)
FULL_TEXT_TABLE = {"sqlite": "search_fts", "postgresql": "search_documents"}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in (*(SQLITE if dialect == "sqlite" else POSTGRESQL), *CONTENT):
        op.execute(statement)


def downgrade() -> None:
    full_text = FULL_TEXT_TABLE[op.get_bind().dialect.name]
    for table in ("search_terms", "search_content", full_text, "search_meta"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
