"""The SQLite search backend: an FTS5 table ranked with bm25, next to the shared plain tables, and its renderer.

Every token is double-quoted in the MATCH expression, so nothing a user types becomes FTS5 syntax.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text

from api.search.base import Executor, SearchDocument
from api.search.query import COLUMNS, ParsedQuery, Term
from api.search.ranking import prepare
from api.search.sql import SqlSearchBackend
from api.search.tables import upsert_meta_sql

BM25_WEIGHTS = "0.0, 10.0, 6.0, 3.0, 1.0"
"""bm25 column weights: doc_key (unindexed), name, aliases, summary, body."""

DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        doc_key UNINDEXED, name, aliases, summary, body,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
)
"""Besides this, :mod:`api.search.tables` creates ``search_meta`` (with ``fts_rowid``) and the other plain tables."""

_FTS_ROWID = text("SELECT fts_rowid FROM search_meta WHERE doc_key = :k")


def to_fts5(parsed: ParsedQuery) -> str | None:
    """Render an FTS5 MATCH expression, every token double-quoted; None means "no text filter"."""
    if parsed.is_empty:
        return None
    expression = _fts5_positive(parsed)
    if parsed.excluded:
        expression = f"({expression}) NOT ({' OR '.join(fts5_term(t) for t in parsed.excluded)})"
    return expression


def to_fts5_within(parsed: ParsedQuery, columns: Sequence[str]) -> str | None:
    """Render the terms (without exclusions) for FTS5, matching only inside ``columns`` of :data:`COLUMNS`."""
    if parsed.is_empty:
        return None
    return _fts5_column_filter(columns) + "(" + _fts5_positive(parsed) + ")"


def _fts5_column_filter(columns: Sequence[str]) -> str:
    names = [c for c in COLUMNS if c in columns]
    return "" if len(names) == len(COLUMNS) else "{" + " ".join(names) + "} : "


def _fts5_positive(parsed: ParsedQuery) -> str:
    return (" OR " if parsed.match_any else " AND ").join(fts5_term(t) for t in parsed.terms)


def fts5_term(term: Term, columns: Sequence[str] = COLUMNS) -> str:
    """Render one term for FTS5: its alternatives OR'ed, the tokens of an alternative AND'ed.

    With ``columns`` other than all of :data:`COLUMNS`, the term only matches inside those.
    """
    alternatives = []
    for alt in term.alternatives:
        tokens = [f'"{tok.text}"' + ("*" if tok.prefix else "") for tok in alt]
        alternatives.append(tokens[0] if len(tokens) == 1 else "(" + " AND ".join(tokens) + ")")
    return _fts5_column_filter(columns) + "(" + " OR ".join(alternatives) + ")"


class SqliteSearchBackend(SqlSearchBackend):
    """Search on SQLite (>= 3.38: FTS5, JSON functions and MATERIALIZED common table expressions)."""

    dialect = "sqlite"
    contains_function = "instr"
    collate = ""
    meta_extra_ddl = ",\n        fts_rowid INTEGER NOT NULL UNIQUE"
    ddl = DDL
    tables = ("search_fts", "search_meta")
    aggregate = "group_concat"
    render = staticmethod(to_fts5)
    render_within = staticmethod(to_fts5_within)
    render_term = staticmethod(fts5_term)

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

    def matches(self, param: str) -> str:
        """The FTS5 row is among the rows matching ``:param`` (an uncorrelated subquery, run once)."""
        return f"search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH :{param})"

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
        """Count types and topics in SQL; topics are split by turning the column into a JSON array.

        That is safe because stored topic values never hold whitespace, quotes or backslashes.
        """
        sql = (
            f"WITH matched AS MATERIALIZED ({matched}) "
            "SELECT 'type' AS facet, type AS value, count(*) AS n FROM matched GROUP BY type "
            "UNION ALL "
            "SELECT 'topic' AS facet, j.value AS value, count(*) AS n FROM matched, "
            "json_each('[\"' || replace(matched.topics, ' ', '\",\"') || '\"]') AS j "
            "WHERE j.value <> '' GROUP BY j.value"
        )
        return connection.execute(prepare(sql, params, expanding), params).all()
