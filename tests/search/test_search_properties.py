"""Any text is a valid query: parsing never raises, and both renderings execute on a real database."""

from __future__ import annotations

import re
from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, create_engine, text

import api.search as search
from api.search import Filters
from api.search.parser import parse
from api.search.postgresql import to_tsquery, to_tsquery_within, tsquery_term
from api.search.query import MAX_QUERY_LENGTH, MAX_TERMS, ParsedQuery
from api.search.ranking import TIERS, TITLE_COLUMNS
from api.search.sqlite import fts5_term, to_fts5, to_fts5_within
from api.search.text import MAX_TOKEN_LENGTH
from tests.databases import PG_HOST, skip_or_fail_without_postgres
from tests.search.conftest import CORPUS, SYNONYMS

TOKEN = re.compile(r"[a-z0-9]+")
FRAGMENTS = [
    '"', "'", "-", "*", ":", "^", "+", "(", ")", "{", "}", "[", "]", "NEAR", "NEAR/3", "AND", "OR", "NOT",
    " ", "\t", "\n", "\x00", "\x1b", "\u200b", "\ufeff", "😀", "👩‍👩‍👧", "é", "ß", "İ", "\u0301", "ﬁ", "²", "㎯" * 300,
    "den bosch", "extreemrechts", "radicali", "rechts-extremisme", "'s-Hertogenbosch", "gm0363",
    "'; DROP TABLE search_meta; --", "%", "_", "\\", "|", "&", "!", "<->", ":*", "a" * 600,
]  # fmt: skip

QUERIES = st.one_of(
    st.text(max_size=10_000),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60).map("".join),
)

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def sqlite_connection() -> Iterator[Connection]:
    """An in-memory SQLite database with the real FTS5 search table and the test corpus."""
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        search.create_schema(connection)
        for document in CORPUS:
            search.upsert(connection, document)
        yield connection
    engine.dispose()


@pytest.fixture(scope="module")
def pg_connection() -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """One PostgreSQL connection for all examples (skipped off CI when no server runs)."""
    skip_or_fail_without_postgres()
    with psycopg.connect(PG_HOST, autocommit=True) as connection:
        yield connection


def fts5_expressions(parsed: ParsedQuery) -> list[str]:
    """Every FTS5 expression a search can run for ``parsed``: whole, relaxed, per column tier, per term."""
    literal = parsed.literally()
    whole = [to_fts5(parsed), to_fts5(parsed.relaxed()), *(to_fts5_within(literal, c) for _, c in TIERS)]
    terms = [fts5_term(t) for t in parsed.terms] + [fts5_term(t, TITLE_COLUMNS) for t in literal.terms]
    return [e for e in whole if e is not None] + terms


def tsquery_expressions(parsed: ParsedQuery) -> list[str]:
    """Every tsquery a search can run for ``parsed``: whole, relaxed, per column tier, per term."""
    literal = parsed.literally()
    whole = [to_tsquery(parsed), to_tsquery(parsed.relaxed()), *(to_tsquery_within(literal, c) for _, c in TIERS)]
    terms = [tsquery_term(t) for t in parsed.terms] + [tsquery_term(t, "AB") for t in literal.terms]
    return [e for e in whole if e is not None] + terms


@SETTINGS
@given(QUERIES)
def test_parse_never_raises_and_stays_bounded(query: str) -> None:
    parsed = parse(query, SYNONYMS)
    assert len(parsed.terms) + len(parsed.excluded) <= MAX_TERMS
    tokens = [tok.text for term in parsed.terms + parsed.excluded for alt in term.alternatives for tok in alt]
    assert all(TOKEN.fullmatch(token) and len(token) <= MAX_TOKEN_LENGTH for token in tokens)
    assert len(parsed.words) <= MAX_QUERY_LENGTH
    assert (to_fts5(parsed) is None) == (to_tsquery(parsed) is None) == parsed.is_empty
    literal = {tok for term in parsed.literally().terms for alt in term.alternatives for tok in alt}
    assert literal <= {tok for term in parsed.terms for alt in term.alternatives for tok in alt}
    assert len(fts5_expressions(parsed)) == len(tsquery_expressions(parsed))


@SETTINGS
@given(QUERIES)
def test_fts5_expression_executes(sqlite_connection: Connection, query: str) -> None:
    parsed = parse(query, SYNONYMS)
    for expression in fts5_expressions(parsed):
        sqlite_connection.execute(
            text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q"), {"q": expression}
        ).scalar_one()
    search.search(sqlite_connection, parsed, Filters(statuses=None))
    search.search(sqlite_connection, parsed.relaxed(), Filters(statuses=None))


@SETTINGS
@given(QUERIES)
def test_tsquery_executes(pg_connection: psycopg.Connection[tuple[object, ...]], query: str) -> None:
    for expression in tsquery_expressions(parse(query, SYNONYMS)):
        pg_connection.execute(
            "SELECT to_tsvector('simple', 'rechts extremisme') @@ to_tsquery('simple', %s)", (expression,)
        ).fetchone()
