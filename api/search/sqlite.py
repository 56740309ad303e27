"""The SQLite search backend: an FTS5 table ranked with bm25, next to the shared plain tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text

from api.search.base import Executor, SearchDocument
from api.search.query import ParsedQuery, to_fts5
from api.search.sql import FacetRow, SqlSearchBackend, prepare, upsert_meta_sql

BM25_WEIGHTS = "0.0, 10.0, 6.0, 3.0, 1.0"
"""bm25 column weights: doc_key (unindexed), name, aliases, summary, body."""

DDL = (
    """CREATE TABLE IF NOT EXISTS search_meta (
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
        fts_rowid INTEGER NOT NULL UNIQUE
    )""",
    "CREATE INDEX IF NOT EXISTS search_meta_status_name ON search_meta (status, sort_name, doc_key)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        doc_key UNINDEXED, name, aliases, summary, body,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
)
"""Besides these, :data:`api.search.sql.CONTENT_DDL` creates ``search_content`` and ``search_terms``."""

DROP = ("DROP TABLE IF EXISTS search_fts", "DROP TABLE IF EXISTS search_meta")

_FTS_ROWID = text("SELECT fts_rowid FROM search_meta WHERE doc_key = :k")


class SqliteSearchBackend(SqlSearchBackend):
    """Search on SQLite (>= 3.35, with FTS5)."""

    dialect = "sqlite"
    contains_function = "instr"
    collate = ""
    ddl = DDL
    drop = DROP

    def write_index(
        self, connection: Executor, doc: SearchDocument, meta: dict[str, str], columns: dict[str, str]
    ) -> None:
        """Replace the FTS5 row (reusing its rowid) and the ``search_meta`` row that points at it."""
        old = connection.execute(_FTS_ROWID, {"k": doc.key}).scalar()
        if old is not None:
            connection.execute(text("DELETE FROM search_fts WHERE rowid = :r"), {"r": old})
        connection.execute(
            text(
                "INSERT INTO search_fts (rowid, doc_key, name, aliases, summary, body) "
                "VALUES (:rowid, :doc_key, :name, :aliases, :summary, :body)"
            ),
            {"rowid": old, "doc_key": doc.key, **columns},
        )
        rowid = old if old is not None else connection.execute(text("SELECT last_insert_rowid()")).scalar()
        connection.execute(upsert_meta_sql(["fts_rowid"]), {**meta, "fts_rowid": rowid})

    def remove_index(self, connection: Executor, key: str) -> None:
        """Delete the FTS5 row and the ``search_meta`` row."""
        old = connection.execute(_FTS_ROWID, {"k": key}).scalar()
        if old is not None:
            connection.execute(text("DELETE FROM search_fts WHERE rowid = :r"), {"r": old})
            connection.execute(text("DELETE FROM search_meta WHERE doc_key = :k"), {"k": key})

    def render(self, parsed: ParsedQuery) -> str | None:
        """Return the FTS5 MATCH expression for ``parsed``."""
        return to_fts5(parsed)

    def match(self) -> tuple[str, str, str]:
        """FTS5 match joined to ``search_meta``; relevance is the negated (so higher-is-better) bm25.

        CROSS JOIN keeps the FTS5 scan as the outer loop: otherwise SQLite may walk ``search_meta``
        by its status index and evaluate the MATCH once per row (seconds instead of milliseconds).
        """
        return (
            "search_fts CROSS JOIN search_meta m",
            "search_fts MATCH :match AND m.fts_rowid = search_fts.rowid",
            f"-bm25(search_fts, {BM25_WEIGHTS})",
        )

    def facet_rows(
        self, connection: Executor, matched: str, params: dict[str, Any], expanding: Sequence[str]
    ) -> Iterable[Any]:
        """Count types and topics in Python: SQLite can only split a column with a slow recursive CTE."""
        types: Counter[str] = Counter()
        topics: Counter[str] = Counter()
        for type_, joined_topics in connection.execute(prepare(matched, params, expanding), params).all():
            types[type_] += 1
            topics.update(joined_topics.split())
        return [
            *(FacetRow("type", value, n) for value, n in types.items()),
            *(FacetRow("topic", value, n) for value, n in topics.items()),
        ]
