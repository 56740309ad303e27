"""The PostgreSQL search backend: a weighted ``tsvector`` with a GIN index ranked with ts_rank_cd, and its renderer.

Rendered queries hold only ``[a-z0-9]`` tokens, ``:*`` prefixes, weights and the operators it adds itself.
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

RANK_WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"
"""ts_rank_cd weights for D (body), C (summary), B (aliases), A (name)."""

RANK_NORMALIZATION = 1
"""ts_rank_cd normalisation: divide by 1 + log(document length), as bm25 also corrects for length."""

DDL = (
    """CREATE TABLE IF NOT EXISTS search_documents (
        doc_key TEXT PRIMARY KEY REFERENCES search_meta (doc_key) ON DELETE CASCADE,
        tsv tsvector NOT NULL
    )""",
    "ALTER TABLE search_documents ALTER COLUMN tsv SET STORAGE MAIN",
    "CREATE INDEX IF NOT EXISTS search_documents_tsv ON search_documents USING GIN (tsv)",
)
"""Besides these, :mod:`api.search.tables` creates ``search_meta`` and the other plain tables.

``tsv`` is stored compressed in the row (STORAGE MAIN): kept out of line (TOAST), a sequential
scan looks cheap to the planner, which then skips the GIN index (measured over 10,000 documents:
120 ms instead of 2 ms for a selective query)."""


_TSV = (
    "setweight(to_tsvector('simple', :name), 'A') || setweight(to_tsvector('simple', :aliases), 'B') || "
    "setweight(to_tsvector('simple', :summary), 'C') || setweight(to_tsvector('simple', :body), 'D')"
)


_WEIGHT_OF = dict(zip(COLUMNS, "ABCD", strict=True))


def to_tsquery(parsed: ParsedQuery) -> str | None:
    """Render input for ``to_tsquery('simple', …)``: ``tok:*`` prefixes, ``|`` and ``&``; None if empty."""
    if parsed.is_empty:
        return None
    expression = _tsquery_positive(parsed, "")
    if parsed.excluded:
        expression = f"({expression}) & !(" + " | ".join(tsquery_term(t) for t in parsed.excluded) + ")"
    return expression


def to_tsquery_within(parsed: ParsedQuery, columns: Sequence[str]) -> str | None:
    """Render the terms (without exclusions) as a tsquery whose tokens only match the weights of ``columns``."""
    if parsed.is_empty:
        return None
    return _tsquery_positive(parsed, weights(columns))


def weights(columns: Sequence[str]) -> str:
    """The tsvector weight labels of ``columns`` ("AB" for name and aliases); "" for all columns (no restriction)."""
    labels = "".join(_WEIGHT_OF[c] for c in COLUMNS if c in columns)
    return "" if len(labels) == len(COLUMNS) else labels


def _tsquery_positive(parsed: ParsedQuery, weights: str) -> str:
    return (" | " if parsed.match_any else " & ").join(tsquery_term(t, weights) for t in parsed.terms)


def tsquery_term(term: Term, weights: str = "") -> str:
    """Render one term as a tsquery; ``weights`` (e.g. "AB") restricts its tokens to those weights."""
    alternatives = []
    for alt in term.alternatives:
        tokens = [tok.text + _tsquery_label(tok.prefix, weights) for tok in alt]
        alternatives.append(tokens[0] if len(tokens) == 1 else "(" + " & ".join(tokens) + ")")
    return "(" + " | ".join(alternatives) + ")"


def _tsquery_label(prefix: bool, weights: str) -> str:
    if not prefix and not weights:
        return ""
    return ":" + ("*" if prefix else "") + weights


def tsquery_term_within(term: Term, columns: Sequence[str] = COLUMNS) -> str:
    """Render one term as a tsquery matching only inside ``columns`` (all columns: no restriction)."""
    return tsquery_term(term, weights(columns))


class PostgresSearchBackend(SqlSearchBackend):
    """Search on PostgreSQL (>= 12) with the 'simple' text search configuration."""

    dialect = "postgresql"
    contains_function = "strpos"
    collate = ' COLLATE "C"'
    ddl = DDL
    tables = ("search_documents", "search_meta")
    aggregate = "string_agg"
    render = staticmethod(to_tsquery)
    render_within = staticmethod(to_tsquery_within)
    render_term = staticmethod(tsquery_term_within)

    def write_index(
        self, connection: Executor, doc: SearchDocument, meta: dict[str, str], columns: dict[str, str]
    ) -> None:
        """Upsert the ``search_meta`` row and the weighted tsvector built from the index terms."""
        connection.execute(upsert_meta_sql(), meta)
        connection.execute(
            text(
                f"INSERT INTO search_documents (doc_key, tsv) VALUES (:doc_key, {_TSV}) "
                "ON CONFLICT (doc_key) DO UPDATE SET tsv = excluded.tsv"
            ),
            {"doc_key": doc.key, **columns},
        )

    def remove_index(self, connection: Executor, key: str) -> None:
        """Delete the ``search_meta`` row; its tsvector row goes with it (ON DELETE CASCADE)."""
        connection.execute(text("DELETE FROM search_meta WHERE doc_key = :k"), {"k": key})

    stamp_sql = (
        "SELECT generation, (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "FROM search_state WHERE id = 1"
    )
    """The generation and the database's oid: a database dropped and created again under its name is another."""

    def matches(self, param: str) -> str:
        """The row's tsvector matches ``:param`` (parsed once, as an InitPlan)."""
        return f"d.tsv @@ (SELECT to_tsquery('simple', :{param}))"

    def match(self) -> tuple[str, str, str]:
        """tsquery match joined to ``search_meta``; relevance is the weighted cover density.

        The ``OFFSET 0`` fence makes PostgreSQL look up the metadata of each match by key: it
        guesses ~100 matches for any prefix query and would otherwise hash-join a full scan of
        ``search_meta`` (measured over 10,000 documents: 4.7 ms instead of 0.07 ms for one match,
        at the price of ~10% on queries matching most documents).
        """
        return (
            "search_documents d CROSS JOIN to_tsquery('simple', :match) AS q "
            "CROSS JOIN LATERAL (SELECT * FROM search_meta WHERE search_meta.doc_key = d.doc_key OFFSET 0) AS m",
            "d.tsv @@ q",
            f"ts_rank_cd(CAST('{RANK_WEIGHTS}' AS float4[]), d.tsv, q, {RANK_NORMALIZATION})",
        )

    def facet_rows(
        self, connection: Executor, matched: str, params: dict[str, Any], expanding: Sequence[str]
    ) -> Iterable[Any]:
        """Count types and topics in SQL, splitting topics with ``unnest(string_to_array(…))``."""
        sql = (
            f"WITH matched AS ({matched}) "
            "SELECT 'type' AS facet, type AS value, count(*) AS n FROM matched GROUP BY type "
            "UNION ALL "
            "SELECT 'topic' AS facet, t.topic AS value, count(*) AS n "
            "FROM matched CROSS JOIN LATERAL unnest(string_to_array(matched.topics, ' ')) AS t (topic) "
            "WHERE t.topic <> '' GROUP BY t.topic"
        )
        return connection.execute(prepare(sql, params, expanding), params).all()
