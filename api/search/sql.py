"""What both SQL backends share: the plain tables, index maintenance, and one query plan.

Every backend keeps three plain tables next to its full-text index:

- ``search_meta``: narrow per-document values that filters, facets and name ordering scan;
- ``search_content``: the raw snippet text and the document's distinct index tokens, read only
  for the hits of one page and when a document is replaced;
- ``search_terms``: every index token with the number of documents holding it, kept exact on
  each upsert and delete, so typo correction can load the vocabulary without scanning the index.

A backend supplies only what differs per dialect: writing and removing its full-text row, how a
query matches and ranks, how facets are counted, and the collation that orders names the same
everywhere. The page is ranked on narrow rows and joined back for its display columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import bindparam, text
from sqlalchemy.sql.elements import TextClause

from api.search import text as textmod
from api.search.base import (
    DEFAULT_STATUSES,
    META_COLUMNS,
    Executor,
    Filters,
    Hit,
    SearchDocument,
    SearchResult,
    doc_key,
    index_columns,
    meta_row,
    snippet_text,
)
from api.search.query import ParsedQuery
from api.search.vocabulary import Vocabulary

MAX_LIMIT = 1000
SNIPPET_LENGTH = 160

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
)
CONTENT_DROP = ("DROP TABLE IF EXISTS search_terms", "DROP TABLE IF EXISTS search_content")

_UPSERT_CONTENT = text(
    "INSERT INTO search_content (doc_key, snippet_text, terms) VALUES (:doc_key, :snippet_text, :terms) "
    "ON CONFLICT (doc_key) DO UPDATE SET snippet_text = excluded.snippet_text, terms = excluded.terms"
)
_COUNT_TERM = text(
    "INSERT INTO search_terms (term, ndoc) VALUES (:term, :delta) "
    "ON CONFLICT (term) DO UPDATE SET ndoc = search_terms.ndoc + excluded.ndoc"
)
_DROP_TERM = text("DELETE FROM search_terms WHERE term = :term AND ndoc <= 0")


class FacetRow(NamedTuple):
    """One facet count: ``facet`` is "type" or "topic"."""

    facet: str
    value: str
    n: int


class SqlSearchBackend:
    """Index maintenance and search over ``search_meta m`` joined with a dialect's full-text table."""

    dialect = ""
    contains_function = "instr"
    collate = ""
    ddl: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()

    def create_schema(self, connection: Executor) -> None:
        """Create the search tables and indexes (idempotent)."""
        for statement in (*self.ddl, *CONTENT_DDL):
            connection.execute(text(statement))

    def drop_schema(self, connection: Executor) -> None:
        """Drop the search tables (idempotent)."""
        for statement in (*CONTENT_DROP, *self.drop):
            connection.execute(text(statement))

    def upsert(self, connection: Executor, doc: SearchDocument) -> None:
        """Index ``doc``, replacing an earlier version with the same type and id."""
        old_terms = self._terms_of(connection, doc.key)
        columns = index_columns(doc)
        terms = " ".join(sorted(set(" ".join(columns.values()).split())))
        self.write_index(connection, doc, meta_row(doc), columns)
        connection.execute(_UPSERT_CONTENT, {"doc_key": doc.key, "snippet_text": snippet_text(doc), "terms": terms})
        _count_terms(connection, old_terms, terms)

    def delete(self, connection: Executor, type: str, id: str) -> None:
        """Remove a document from the index (no error when absent)."""
        key = doc_key(type, id)
        old_terms = self._terms_of(connection, key)
        self.remove_index(connection, key)
        connection.execute(text("DELETE FROM search_content WHERE doc_key = :k"), {"k": key})
        _count_terms(connection, old_terms, "")

    def vocabulary(self, connection: Executor) -> Vocabulary:
        """Return every indexed token with the number of documents holding it."""
        rows = connection.execute(text("SELECT term, ndoc FROM search_terms WHERE ndoc > 0"))
        return Vocabulary({row.term: int(row.ndoc) for row in rows})

    @staticmethod
    def _terms_of(connection: Executor, key: str) -> str:
        terms = connection.execute(text("SELECT terms FROM search_content WHERE doc_key = :k"), {"k": key})
        return terms.scalar() or ""

    def write_index(
        self, connection: Executor, doc: SearchDocument, meta: dict[str, str], columns: dict[str, str]
    ) -> None:
        """Write the ``search_meta`` row and the full-text row of ``doc``."""
        raise NotImplementedError

    def remove_index(self, connection: Executor, key: str) -> None:
        """Remove the ``search_meta`` row and the full-text row of a document."""
        raise NotImplementedError

    def render(self, parsed: ParsedQuery) -> str | None:
        """Return the dialect's query string, or None for "no text filter"."""
        raise NotImplementedError

    def match(self) -> tuple[str, str, str]:
        """Return the FROM clause, the match condition and the relevance expression (``:match`` bound)."""
        raise NotImplementedError

    def facet_rows(
        self, connection: Executor, matched: str, params: dict[str, Any], expanding: Sequence[str]
    ) -> Iterable[Any]:
        """Return ``(facet, value, n)`` rows counting types and topics over the rows of ``matched`` SQL."""
        raise NotImplementedError

    def search(
        self,
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
        """Return the ranked page of documents matching ``parsed`` and the filters (see SearchBackend)."""
        filters = Filters(types, topics, serves, size_classes, statuses)
        conditions, params, expanding = filter_sql(filters, self.contains_function)
        rendered = self.render(parsed)
        source = "search_meta m"
        ranked_columns = "0.0 AS rel, 0 AS exact"
        ranking: list[str] = []
        if rendered is not None:
            source, condition, rel = self.match()
            conditions.insert(0, condition)
            exact = f"CASE WHEN {self.contains_function}(m.name_keys, :key) > 0 THEN 1 ELSE 0 END"
            ranked_columns = f"{rel} AS rel, {exact} AS exact"
            ranking = ["exact DESC", "rel DESC"]
            params.update(match=rendered, key=f"|{parsed.key}|")
        where = " AND ".join(conditions) or "1 = 1"
        names = [f"sort_name{self.collate}", f"doc_key{self.collate}"]
        inner_order = ", ".join([*ranking, *(f"m.{name}" for name in names)])
        outer_order = ", ".join(f"page.{term}" for term in [*ranking, *names])
        page_sql = (
            f"WITH page AS (SELECT m.doc_key, m.sort_name, {ranked_columns} FROM {source} WHERE {where} "
            f"ORDER BY {inner_order} LIMIT :limit OFFSET :offset) "
            "SELECT m.type, m.id, m.name, c.snippet_text, page.rel, page.exact FROM page "
            "JOIN search_meta m ON m.doc_key = page.doc_key "
            "LEFT JOIN search_content c ON c.doc_key = page.doc_key "
            f"ORDER BY {outer_order}"
        )
        page_params: dict[str, Any] = {
            **params,
            "limit": max(0, min(int(limit), MAX_LIMIT)),
            "offset": max(0, int(offset)),
        }
        rows = connection.execute(prepare(page_sql, page_params, expanding), page_params).all()
        facet_params = {k: v for k, v in params.items() if k != "key"}
        matched = f"SELECT m.type, m.topics FROM {source} WHERE {where}"
        facets, total = make_facets(self.facet_rows(connection, matched, facet_params, expanding))
        return SearchResult(make_hits(rows, parsed), total, facets)


def upsert_meta_sql(extra_columns: Sequence[str] = ()) -> TextClause:
    """Return the portable ``INSERT … ON CONFLICT`` statement for ``search_meta``."""
    columns = [*META_COLUMNS, *extra_columns]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "doc_key")
    return text(
        f"INSERT INTO search_meta ({', '.join(columns)}) "
        f"VALUES ({', '.join(':' + c for c in columns)}) "
        f"ON CONFLICT (doc_key) DO UPDATE SET {updates}"
    )


def _count_terms(connection: Executor, old: str, new: str) -> None:
    """Adjust ``search_terms`` for a document whose distinct tokens change from ``old`` to ``new``.

    Rows are touched in term order, so concurrent writers lock them in the same order.
    """
    before, after = set(old.split()), set(new.split())
    deltas = [{"term": t, "delta": 1} for t in after - before] + [{"term": t, "delta": -1} for t in before - after]
    if deltas:
        connection.execute(_COUNT_TERM, sorted(deltas, key=lambda d: d["term"]))
    gone = sorted(before - after)
    if gone:
        connection.execute(_DROP_TERM, [{"term": t} for t in gone])


def filter_sql(filters: Filters, contains: str) -> tuple[list[str], dict[str, Any], list[str]]:
    """Return WHERE conditions on ``search_meta m``, their parameters, and the expanding ones.

    ``contains`` is the dialect's "position of substring" function (``instr`` or ``strpos``).
    """
    conditions: list[str] = []
    params: dict[str, Any] = {}
    expanding: list[str] = []
    for column, values in (("type", filters.types), ("status", filters.statuses)):
        if values is not None:
            conditions.append(f"m.{column} IN :f_{column}" if values else "1 = 0")
            if values:
                params[f"f_{column}"] = list(values)
                expanding.append(f"f_{column}")
    for column, values in (
        ("topics", filters.topics),
        ("serves", filters.serves),
        ("size_classes", filters.size_classes),
    ):
        if values is None:
            continue
        usable = [v for v in values if v and not any(c.isspace() for c in v)]
        alternatives = []
        for n, value in enumerate(usable):
            params[f"f_{column}_{n}"] = f" {value} "
            alternatives.append(f"{contains}(' ' || m.{column} || ' ', :f_{column}_{n}) > 0")
        conditions.append("(" + " OR ".join(alternatives) + ")" if alternatives else "1 = 0")
    return conditions, params, expanding


def prepare(sql: str, params: dict[str, Any], expanding: Sequence[str]) -> TextClause:
    """Return ``sql`` as a text clause with its list-valued parameters marked as expanding."""
    clause = text(sql)
    present = [name for name in expanding if name in params]
    return clause.bindparams(*(bindparam(name, expanding=True) for name in present)) if present else clause


def make_hits(rows: Iterable[Any], parsed: ParsedQuery) -> list[Hit]:
    """Turn ``(type, id, name, snippet_text, rel, exact)`` rows into hits with snippets and scores.

    The score is ``exact + rel / (1 + rel)``: order-preserving, in [0, 2), higher is better.
    """
    terms = parsed.highlight_terms()
    hits = []
    for row in rows:
        rel = max(float(row.rel or 0.0), 0.0)
        source = row.snippet_text or row.name
        score = round(float(row.exact or 0) + rel / (1.0 + rel), 6)
        hits.append(Hit(row.type, row.id, row.name, textmod.snippet(source, terms, SNIPPET_LENGTH), score))
    return hits


def make_facets(rows: Iterable[Any]) -> tuple[dict[str, dict[str, int]], int]:
    """Turn ``(facet, value, n)`` rows into the facet dict and the total (the sum of type counts)."""
    facets: dict[str, dict[str, int]] = {"type": {}, "topic": {}}
    for row in rows:
        facets[row.facet][row.value] = int(row.n)
    for name, counts in facets.items():
        facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return facets, sum(facets["type"].values())
