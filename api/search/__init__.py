"""Cross-type full-text search with one interface over SQLite FTS5 and PostgreSQL tsvector.

Text is normalised in Python (:mod:`api.search.text`) so both backends index the same tokens;
:mod:`api.search.parser` turns any user text into a safe :class:`ParsedQuery`; the interface is
:class:`~api.search.sql.SqlSearchBackend`, and :func:`backend_for` picks its implementation for a
SQLAlchemy dialect. The module-level functions dispatch on the dialect of the Connection or Session
they are given, so callers rarely need a backend object.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.search.base import Executor, Filters, Hit, Page, SearchDocument, SearchResult
from api.search.parser import correct, parse
from api.search.postgresql import PostgresSearchBackend
from api.search.query import MAX_QUERY_LENGTH, MAX_TERMS, ParsedQuery, Synonyms, synonym_map
from api.search.sql import SqlSearchBackend
from api.search.sqlite import SqliteSearchBackend
from api.search.vocabulary import Vocabulary

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "Filters",
    "Hit",
    "Page",
    "ParsedQuery",
    "SearchDocument",
    "SearchResult",
    "SqlSearchBackend",
    "Vocabulary",
    "backend_for",
    "correct",
    "create_schema",
    "delete",
    "drop_schema",
    "parse",
    "reindex",
    "search",
    "search_text",
    "stamp",
    "synonym_map",
    "touch",
    "upsert",
    "vocabulary",
]

_BACKENDS: dict[str, SqlSearchBackend] = {
    "sqlite": SqliteSearchBackend(),
    "postgresql": PostgresSearchBackend(),
}


def backend_for(dialect_name: str) -> SqlSearchBackend:
    """Return the search backend for a SQLAlchemy dialect name ("sqlite" or "postgresql")."""
    try:
        return _BACKENDS[dialect_name]
    except KeyError:
        raise ValueError(f"no search backend for the {dialect_name!r} dialect") from None


def _backend(connection: Executor) -> SqlSearchBackend:
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


def reindex(connection: Executor, documents: Iterable[SearchDocument]) -> int:
    """Replace the whole index with ``documents`` inside the caller's transaction (bulk loads)."""
    return _backend(connection).reindex(connection, documents)


def delete(connection: Executor, type: str, id: str) -> None:
    """Remove a document from the index inside the caller's transaction."""
    _backend(connection).delete(connection, type, id)


def vocabulary(connection: Executor) -> Vocabulary:
    """Return all indexed tokens with document counts (see :meth:`SqlSearchBackend.vocabulary`)."""
    return _backend(connection).vocabulary(connection)


def stamp(connection: Executor) -> tuple[object, ...]:
    """Return a value that differs after every committed change to the index (see :mod:`api.search.cache`)."""
    return _backend(connection).stamp(connection)


def stamp_of(engine: Engine) -> tuple[object, ...]:
    """The stamp, read on a pooled DBAPI connection of `engine` without SQLAlchemy's statement and result
    machinery (it runs on every cached GET). A driver error invalidates the connection and is raised as the
    driver's own: the caller falls back to :func:`stamp`, whose errors SQLAlchemy wraps."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(backend_for(engine.dialect.name).stamp_sql)
        row = cursor.fetchone()
        cursor.close()
    except engine.dialect.loaded_dbapi.Error:
        raw.invalidate()
        raise
    finally:
        raw.close()
    return tuple(row)


def touch(connection: Executor) -> None:
    """Change the stamp in the connection's transaction, so every cache keyed by it starts over."""
    _backend(connection).touch(connection)


def search(
    connection: Executor, parsed: ParsedQuery, filters: Filters = Filters(), page: Page = Page()
) -> SearchResult:
    """Run ``parsed`` on the connection's backend (see :meth:`SqlSearchBackend.search`)."""
    return _backend(connection).search(connection, parsed, filters, page)


def search_text(
    connection: Executor,
    text: str | None,
    filters: Filters = Filters(),
    page: Page = Page(),
    *,
    synonyms: Synonyms | None = None,
    vocabulary_source: Callable[[], Collection[str]] | None = None,
) -> SearchResult:
    """Parse and run a user's query; when it finds nothing, correct typos, then relax it.

    1. The query as typed: every term must match.
    2. If that finds nothing: words that match no indexed token are replaced by the nearest one
       ("eindhovn" -> "eindhoven") and the corrected query is run, offered as ``did_you_mean``.
    3. If that finds nothing either and the query has several terms: the (corrected) query is run
       relaxed, so a document needs only one term, ranked by how many terms it matches
       ("extreemrechts jongeren" finds what is about either, both first).

    ``vocabulary_source`` returns the vocabulary (default: :func:`vocabulary` on ``connection``),
    e.g. a cached one. A correction is offered as ``did_you_mean`` only when each replacement finds
    a document with the same filters, so a suggestion never reveals words that only occur in
    documents the caller may not see.
    """

    def run(query: ParsedQuery, slice_: Page = page) -> SearchResult:
        return search(connection, query, filters, slice_)

    parsed = parse(text, synonyms)
    result = run(parsed)
    if result.total or parsed.is_empty:
        return result
    corrected, did_you_mean = parsed, None
    if any(term.correctable for term in parsed.terms):
        vocab = vocabulary_source() if vocabulary_source is not None else vocabulary(connection)
        corrected, did_you_mean = correct(parsed, vocab)
        if did_you_mean is not None:
            retry = run(corrected)
            if retry.total:
                retry.did_you_mean = did_you_mean
                return retry
    if len(corrected.terms) < 2:
        return result
    relaxed = run(corrected.relaxed())
    if not relaxed.total:
        return result
    if did_you_mean is not None:
        replaced = [new for old, new in zip(parsed.terms, corrected.terms, strict=True) if new != old]
        if all(run(ParsedQuery(terms=(term,)), Page(limit=0)).total for term in replaced):
            relaxed.did_you_mean = did_you_mean
    return relaxed
