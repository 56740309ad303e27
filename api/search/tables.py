"""The plain tables every SQL backend keeps next to its full-text index, and the statements that maintain them.

Every backend keeps four plain tables next to its full-text index:

- ``search_meta``: narrow per-document values that filters, facets and name ordering scan;
- ``search_content``: the raw snippet text and the document's distinct index tokens, read only
  for the hits of one page and when a document is replaced;
- ``search_terms``: every index token with the number of documents holding it, kept exact on
  each upsert and delete, so typo correction can load the vocabulary without scanning the index;
- ``search_state``: one row whose ``generation`` goes up with every change to the index, in the
  same transaction, so caches of search results (:mod:`api.search.cache`) know when they are stale.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause

from api.search.base import META_COLUMNS, Executor

META_DDL = """CREATE TABLE IF NOT EXISTS search_meta (
        doc_key TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        sort_name TEXT NOT NULL,
        name_keys TEXT NOT NULL,
        status TEXT NOT NULL,
        topics TEXT NOT NULL DEFAULT '',
        serves TEXT NOT NULL DEFAULT '',
        size_classes TEXT NOT NULL DEFAULT '',
        demo INTEGER NOT NULL DEFAULT 0{extra}
    )"""
"""``search_meta`` with :data:`~api.search.base.META_COLUMNS`; ``{extra}`` holds a backend's own columns."""
META_INDEX_DDL = (
    "CREATE INDEX IF NOT EXISTS search_meta_status_name ON search_meta (status, sort_name{collate}, doc_key{collate})"
)
CONTENT_DDL = (
    """CREATE TABLE IF NOT EXISTS search_content (
        doc_key TEXT PRIMARY KEY,
        snippet_text TEXT NOT NULL DEFAULT '',
        terms TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS search_terms (
        term TEXT PRIMARY KEY,
        ndoc INTEGER NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS search_state (id INTEGER PRIMARY KEY, generation BIGINT NOT NULL)",
    "INSERT INTO search_state (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
)
CONTENT_DROP = ("DROP TABLE IF EXISTS search_state", "DROP TABLE IF EXISTS search_terms",
                "DROP TABLE IF EXISTS search_content")
"""The current schema, for tests and tools that build an index without migrations (the migrations keep their own
copy: they are history, see api/migrations)."""

UPSERT_CONTENT = text(
    "INSERT INTO search_content (doc_key, snippet_text, terms) VALUES (:doc_key, :snippet_text, :terms) "
    "ON CONFLICT (doc_key) DO UPDATE SET snippet_text = excluded.snippet_text, terms = excluded.terms"
)
COUNT_TERM = text(
    "INSERT INTO search_terms (term, ndoc) VALUES (:term, :delta) "
    "ON CONFLICT (term) DO UPDATE SET ndoc = search_terms.ndoc + excluded.ndoc"
)
_DROP_TERM = text("DELETE FROM search_terms WHERE term = :term AND ndoc <= 0")
BUMP_GENERATION = text("UPDATE search_state SET generation = generation + 1 WHERE id = 1")



def upsert_meta_sql(extra_columns: Sequence[str] = ()) -> TextClause:
    """Return the portable ``INSERT … ON CONFLICT`` statement for ``search_meta``."""
    columns = [*META_COLUMNS, *extra_columns]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "doc_key")
    return text(
        f"INSERT INTO search_meta ({', '.join(columns)}) "
        f"VALUES ({', '.join(':' + c for c in columns)}) "
        f"ON CONFLICT (doc_key) DO UPDATE SET {updates}"
    )


def distinct_terms(columns: dict[str, str]) -> str:
    return " ".join(sorted(set(" ".join(columns.values()).split())))


def count_terms(connection: Executor, old: str, new: str) -> None:
    """Adjust ``search_terms`` for a document whose distinct tokens change from ``old`` to ``new``.

    Rows are touched in term order, so concurrent writers lock them in the same order.
    """
    before, after = set(old.split()), set(new.split())
    deltas = [{"term": t, "delta": 1} for t in after - before] + [{"term": t, "delta": -1} for t in before - after]
    if deltas:
        connection.execute(COUNT_TERM, sorted(deltas, key=lambda d: d["term"]))
    gone = sorted(before - after)
    if gone:
        connection.execute(_DROP_TERM, [{"term": t} for t in gone])


