"""Cross-type full-text search with one interface over SQLite FTS5 and PostgreSQL tsvector.

Text is normalised in Python (:mod:`api.search.text`) so both backends index the same tokens;
:mod:`api.search.query` turns any user text into a safe query; :func:`backend_for` picks the
implementation for a SQLAlchemy dialect. The module-level functions dispatch on the dialect of
the Connection or Session they are given, so callers rarely need a backend object.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from sqlalchemy.orm import Session

from api.search.base import (
    DEFAULT_STATUSES,
    Executor,
    Hit,
    SearchBackend,
    SearchDocument,
    SearchResult,
)
from api.search.postgresql import PostgresSearchBackend
from api.search.query import MAX_QUERY_LENGTH, MAX_TERMS, ParsedQuery, Synonyms, correct, parse
from api.search.sqlite import SqliteSearchBackend
from api.search.vocabulary import Vocabulary

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "Hit",
    "ParsedQuery",
    "SearchBackend",
    "SearchDocument",
    "SearchResult",
    "Vocabulary",
    "backend_for",
    "correct",
    "create_schema",
    "delete",
    "drop_schema",
    "parse",
    "search",
    "search_text",
    "upsert",
    "vocabulary",
]

_BACKENDS: dict[str, SearchBackend] = {
    "sqlite": SqliteSearchBackend(),
    "postgresql": PostgresSearchBackend(),
}


def backend_for(dialect_name: str) -> SearchBackend:
    """Return the search backend for a SQLAlchemy dialect name ("sqlite" or "postgresql")."""
    try:
        return _BACKENDS[dialect_name]
    except KeyError:
        raise ValueError(f"no search backend for the {dialect_name!r} dialect") from None


def _backend(connection: Executor) -> SearchBackend:
    bind = connection.get_bind() if isinstance(connection, Session) else connection
    return backend_for(bind.dialect.name)


def create_schema(connection: Executor) -> None:
    """Create the search tables for the connection's database (idempotent; for migrations)."""
    _backend(connection).create_schema(connection)


def drop_schema(connection: Executor) -> None:
    """Drop the search tables for the connection's database (idempotent; for migrations)."""
    _backend(connection).drop_schema(connection)


def upsert(connection: Executor, doc: SearchDocument) -> None:
    """Index ``doc`` inside the caller's transaction."""
    _backend(connection).upsert(connection, doc)


def delete(connection: Executor, type: str, id: str) -> None:
    """Remove a document from the index inside the caller's transaction."""
    _backend(connection).delete(connection, type, id)


def vocabulary(connection: Executor) -> Vocabulary:
    """Return all indexed tokens with document counts (see :meth:`SearchBackend.vocabulary`)."""
    return _backend(connection).vocabulary(connection)


def search(
    connection: Executor,
    parsed: ParsedQuery,
    *,
    types: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    serves: Sequence[str] | None = None,
    size_classes: Sequence[str] | None = None,
    statuses: Sequence[str] | None = DEFAULT_STATUSES,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Run ``parsed`` on the connection's backend (see :meth:`SearchBackend.search`)."""
    return _backend(connection).search(
        connection, parsed, types=types, topics=topics, serves=serves, size_classes=size_classes,
        statuses=statuses, limit=limit, offset=offset,
    )  # fmt: skip


def search_text(
    connection: Executor,
    text: str | None,
    *,
    synonyms: Synonyms | None = None,
    vocabulary_source: Callable[[], Collection[str]] | None = None,
    types: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    serves: Sequence[str] | None = None,
    size_classes: Sequence[str] | None = None,
    statuses: Sequence[str] | None = DEFAULT_STATUSES,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Parse and run a user's query, correcting typos only when the query as typed finds nothing.

    ``vocabulary_source`` returns the vocabulary (default: :func:`vocabulary` on ``connection``),
    e.g. a cached one. The corrected query is run with the same filters and offered as
    ``did_you_mean`` only when it finds something, so a suggestion never reveals words that only
    occur in documents the caller may not see.
    """

    def run(query: ParsedQuery) -> SearchResult:
        return search(
            connection, query, types=types, topics=topics, serves=serves, size_classes=size_classes,
            statuses=statuses, limit=limit, offset=offset,
        )  # fmt: skip

    parsed = parse(text, synonyms)
    result = run(parsed)
    if result.total or not any(term.correctable for term in parsed.terms):
        return result
    vocab = vocabulary_source() if vocabulary_source is not None else vocabulary(connection)
    corrected, did_you_mean = correct(parsed, vocab)
    if did_you_mean is None:
        return result
    retry = run(corrected)
    if not retry.total:
        return result
    retry.did_you_mean = did_you_mean
    return retry
