"""What both SQL backends share: the plain tables, index maintenance, and one query plan.

Every backend keeps three plain tables next to its full-text index:

- ``search_meta``: narrow per-document values that filters, facets and name ordering scan;
- ``search_content``: the raw snippet text and the document's distinct index tokens, read only
  for the hits of one page and when a document is replaced;
- ``search_terms``: every index token with the number of documents holding it, kept exact on
  each upsert and delete, so typo correction can load the vocabulary without scanning the index;
- ``search_state``: one row whose ``generation`` goes up with every change to the index, in the
  same transaction, so caches of search results (:mod:`api.search.cache`) know when they are stale.

A backend supplies only what differs per dialect: writing and removing its full-text row, how a
query matches and ranks, how facets are counted, and the collation that orders names the same
everywhere. The page is ranked on narrow rows and joined back for its display columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session
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
    is_plain_value,
    meta_row,
    snippet_text,
)
from api.search.query import COLUMNS, ParsedQuery, Term
from api.search.vocabulary import Vocabulary

MAX_LIMIT = 1000
SNIPPET_LENGTH = 160

TIERS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (4, ("name",)),
    (3, ("name", "aliases")),
    (2, ("name", "aliases", "summary")),
    (1, ("name", "aliases", "summary", "body")),
)
"""Column tiers, best first: a document whose name holds the whole query as typed ranks above one
that needs its aliases for it, and so on down to the description; tier 0 matches only through a
synonym. For a relaxed query the tier is that of the best column holding any term as typed."""

TITLE_COLUMNS = ("name", "aliases")
"""Where a query of several terms counts how many of its terms (as typed) a document holds."""

RARITY_SCALE = 1_000_000
"""Integer weight of a term held by one match (see :func:`_coverage_and_rarity`)."""

STATE_DDL = (
    "CREATE TABLE IF NOT EXISTS search_state (id INTEGER PRIMARY KEY, generation BIGINT NOT NULL)",
    "INSERT INTO search_state (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
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
    *STATE_DDL,
)
STATE_DROP = "DROP TABLE IF EXISTS search_state"
CONTENT_DROP = (STATE_DROP, "DROP TABLE IF EXISTS search_terms", "DROP TABLE IF EXISTS search_content")

_UPSERT_CONTENT = text(
    "INSERT INTO search_content (doc_key, snippet_text, terms) VALUES (:doc_key, :snippet_text, :terms) "
    "ON CONFLICT (doc_key) DO UPDATE SET snippet_text = excluded.snippet_text, terms = excluded.terms"
)
_COUNT_TERM = text(
    "INSERT INTO search_terms (term, ndoc) VALUES (:term, :delta) "
    "ON CONFLICT (term) DO UPDATE SET ndoc = search_terms.ndoc + excluded.ndoc"
)
_DROP_TERM = text("DELETE FROM search_terms WHERE term = :term AND ndoc <= 0")
_BUMP_GENERATION = text("UPDATE search_state SET generation = generation + 1 WHERE id = 1")


class SqlSearchBackend:
    """Index maintenance and search over ``search_meta m`` joined with a dialect's full-text table."""

    dialect = ""
    contains_function = "instr"
    collate = ""
    ddl: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    vocabulary_sql = ""

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
        terms = _distinct_terms(columns)
        self.write_index(connection, doc, meta_row(doc), columns)
        connection.execute(_UPSERT_CONTENT, {"doc_key": doc.key, "snippet_text": snippet_text(doc), "terms": terms})
        _count_terms(connection, old_terms, terms)
        connection.execute(_BUMP_GENERATION)

    def reindex(self, connection: Executor, documents: Iterable[SearchDocument]) -> int:
        """Replace the whole index with ``documents`` and return how many distinct documents were indexed.

        For bulk loads (``kennisbank reindex``, seeding): token counts are written once at the end
        instead of per document, which per-document upserts would make slow in one transaction.
        """
        for table in ("search_terms", "search_content", *self.tables):
            connection.execute(text(f"DELETE FROM {table}"))
        terms_by_key: dict[str, str] = {}
        for doc in documents:
            columns = index_columns(doc)
            terms = _distinct_terms(columns)
            self.write_index(connection, doc, meta_row(doc), columns)
            connection.execute(_UPSERT_CONTENT, {"doc_key": doc.key, "snippet_text": snippet_text(doc), "terms": terms})
            terms_by_key[doc.key] = terms
        counts = Counter(term for terms in terms_by_key.values() for term in terms.split())
        if counts:
            connection.execute(_COUNT_TERM, [{"term": t, "delta": n} for t, n in sorted(counts.items())])
        connection.execute(_BUMP_GENERATION)
        return len(terms_by_key)

    def delete(self, connection: Executor, type: str, id: str) -> None:
        """Remove a document from the index (no error when absent)."""
        key = doc_key(type, id)
        old_terms = self._terms_of(connection, key)
        self.remove_index(connection, key)
        connection.execute(text("DELETE FROM search_content WHERE doc_key = :k"), {"k": key})
        _count_terms(connection, old_terms, "")
        connection.execute(_BUMP_GENERATION)

    stamp_sql = "SELECT generation FROM search_state WHERE id = 1"

    def stamp(self, connection: Executor) -> tuple[Any, ...]:
        """Return a value that differs after every committed change to the index (see :mod:`api.search.cache`)."""
        raw = connection.connection() if isinstance(connection, Session) else connection
        return tuple(raw.exec_driver_sql(self.stamp_sql).one())  # no ORM or compile step: it runs per search

    def vocabulary(self, connection: Executor) -> Vocabulary:
        """Return every indexed token with the number of documents holding it.

        Fetched as one aggregated string: tens of thousands of result rows cost far more.
        """
        pairs = (connection.execute(text(self.vocabulary_sql)).scalar() or "").split()
        return Vocabulary(dict(zip(pairs[::2], map(int, pairs[1::2]), strict=True)))

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

    def render_within(self, parsed: ParsedQuery, columns: Sequence[str]) -> str | None:
        """Return the dialect's query string for the terms of ``parsed`` found inside ``columns`` only."""
        raise NotImplementedError

    def render_term(self, term: Term, columns: Sequence[str] = COLUMNS) -> str:
        """Return the dialect's query string for one term, found inside ``columns`` only."""
        raise NotImplementedError

    def matches(self, param: str) -> str:
        """Return a condition: the current row matches the query string bound to ``:param``.

        Used in the select list of the ranking query (next to the main match), so it must be cheap
        per row: the backends evaluate the query once, not once per row.
        """
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
        snippets: bool = True,
    ) -> SearchResult:
        """Return the ranked page of documents matching ``parsed`` and the filters (see SearchBackend).

        Matches are ordered by: the query is exactly the name or an alias; how many terms match (for
        a relaxed query, see :meth:`ParsedQuery.relaxed`); the best column tier that holds the whole
        query as typed (:data:`TIERS`); how many of its terms the name and aliases hold (queries of
        several terms); how rare the terms matched are (relaxed queries); the backend's relevance
        (bm25 or ts_rank_cd); then by name. All but the relevance is computed the same way on every
        backend, so the two rank alike wherever those keys decide.
        """
        filters = Filters(types, topics, serves, size_classes, statuses)
        conditions, params, expanding = filter_sql(filters, self.contains_function)
        rendered = self.render(parsed)
        source = "search_meta m"
        keys = ["rel", "exact", "tier", "title", "coverage", "rarity"]
        ranked_columns = "0.0 AS rel, 0 AS exact, 0 AS tier, 0 AS title, 1 AS coverage, 0 AS rarity"
        ranking: list[str] = []
        rank_params: dict[str, Any] = {}
        relaxed: list[str] = []
        if rendered is not None:
            source, condition, rel = self.match()
            conditions.insert(0, condition)
            params["match"] = rendered
            exact = f"CASE WHEN {self.contains_function}(m.name_keys, :key) > 0 THEN 1 ELSE 0 END"
            rank_params["key"] = f"|{parsed.key}|"
            literal = parsed.literally()
            tier = self._tier(parsed, literal, rank_params)
            title = "0"
            if len(parsed.terms) > 1:
                title = " + ".join(self._term_flags(literal.terms, TITLE_COLUMNS, "title", rank_params))
                if parsed.match_any:
                    relaxed = self._term_flags(parsed.terms, COLUMNS, "term", rank_params)
            ranked_columns = f"{rel} AS rel, {exact} AS exact, {tier} AS tier, ({title}) AS title"
            if not relaxed:
                ranked_columns += ", 1 AS coverage, 0 AS rarity"
            ranking = ["exact DESC", "coverage DESC", "tier DESC", "title DESC", "rarity DESC", "rel DESC"]
        where = " AND ".join(conditions) or "1 = 1"
        names = [f"sort_name{self.collate}", f"doc_key{self.collate}"]
        if relaxed:
            flags = ", ".join(f"{flag} AS t{n}" for n, flag in enumerate(relaxed))
            page = (
                f"matched AS (SELECT m.doc_key, m.sort_name, {ranked_columns}, {flags} FROM {source} WHERE {where}), "
                f"scored AS (SELECT doc_key, sort_name, rel, exact, tier, title, {_coverage_and_rarity(len(relaxed))} "
                "FROM matched), "
                f"page AS (SELECT * FROM scored ORDER BY {', '.join([*ranking, *names])} LIMIT :limit OFFSET :offset)"
            )
        else:
            inner_order = ", ".join([*ranking, *(f"m.{name}" for name in names)])
            page = (
                f"page AS (SELECT m.doc_key, m.sort_name, {ranked_columns} FROM {source} WHERE {where} "
                f"ORDER BY {inner_order} LIMIT :limit OFFSET :offset)"
            )
        outer_order = ", ".join(f"page.{term}" for term in [*ranking, *names])
        content = "LEFT JOIN search_content c ON c.doc_key = page.doc_key " if snippets else ""
        page_sql = (
            f"WITH {page} "
            f"SELECT m.type, m.id, m.name, {'c.snippet_text' if snippets else 'NULL AS snippet_text'}, "
            f"{', '.join(f'page.{key}' for key in keys)} FROM page "
            f"JOIN search_meta m ON m.doc_key = page.doc_key {content}"
            f"ORDER BY {outer_order}"
        )
        page_params: dict[str, Any] = {
            **params,
            **rank_params,
            "limit": max(0, min(int(limit), MAX_LIMIT)),
            "offset": max(0, int(offset)),
        }
        rows = connection.execute(prepare(page_sql, page_params, expanding), page_params).all()
        matched = f"SELECT m.type, m.topics FROM {source} WHERE {where}"
        facets, total = make_facets(self.facet_rows(connection, matched, dict(params), expanding))
        return SearchResult(make_hits(rows, parsed, snippets), total, facets)

    def _tier(self, parsed: ParsedQuery, literal: ParsedQuery, params: dict[str, Any]) -> str:
        """SQL for the row's column tier (see :data:`TIERS`), binding ``:tierN``."""
        whens, otherwise = [], 0
        for level, columns in TIERS:
            if set(columns) >= set(COLUMNS) and literal.terms == parsed.terms:
                otherwise = level  # without synonyms every match holds the query as typed
                break
            params[f"tier{level}"] = self.render_within(literal, columns)
            whens.append(f"WHEN {self.matches(f'tier{level}')} THEN {level}")
        return f"CASE {' '.join(whens)} ELSE {otherwise} END" if whens else str(otherwise)

    def _term_flags(
        self, terms: Sequence[Term], columns: Sequence[str], prefix: str, params: dict[str, Any]
    ) -> list[str]:
        """SQL per term, 1 when the row holds it inside ``columns`` and 0 otherwise (binds ``:{prefix}N``)."""
        flags = []
        for n, term in enumerate(terms):
            params[f"{prefix}{n}"] = self.render_term(term, columns)
            flags.append(f"CASE WHEN {self.matches(f'{prefix}{n}')} THEN 1 ELSE 0 END")
        return flags


def _coverage_and_rarity(terms: int) -> str:
    """SQL over the per-term flags ``t0``… of all matches: how many terms a row holds, and how rare they are.

    ``rarity`` is the per-mille share of the query's weight the row holds, a term weighing
    1 / (the number of matches holding it), like an inverse document frequency. It is computed in
    integers (the same on every backend), so that where the keys before it tie, rows holding the
    rarer terms come first: for "eindhoven polarisatie", the few documents that mention Eindhoven in
    passing before the many that mention polarisation in passing.
    """
    weights = [f"CASE WHEN sum(t{n}) OVER () > 0 THEN {RARITY_SCALE} / sum(t{n}) OVER () ELSE 0 END"
               for n in range(terms)]
    coverage = " + ".join(f"t{n}" for n in range(terms))
    held = " + ".join(f"t{n} * {weight}" for n, weight in enumerate(weights))
    return f"{coverage} AS coverage, 1000 * ({held}) / ({' + '.join(weights)}) AS rarity"


def upsert_meta_sql(extra_columns: Sequence[str] = ()) -> TextClause:
    """Return the portable ``INSERT … ON CONFLICT`` statement for ``search_meta``."""
    columns = [*META_COLUMNS, *extra_columns]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "doc_key")
    return text(
        f"INSERT INTO search_meta ({', '.join(columns)}) "
        f"VALUES ({', '.join(':' + c for c in columns)}) "
        f"ON CONFLICT (doc_key) DO UPDATE SET {updates}"
    )


def _distinct_terms(columns: dict[str, str]) -> str:
    return " ".join(sorted(set(" ".join(columns.values()).split())))


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
        usable = [v for v in values if is_plain_value(v)]
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


def make_hits(rows: Iterable[Any], parsed: ParsedQuery, snippets: bool = True) -> list[Hit]:
    """Turn ``(type, id, name, snippet_text, rel, exact, tier, title, coverage, rarity)`` rows into hits.

    Without ``snippets`` every hit's snippet is empty (for callers that only need the ranking).

    The score follows the ranking, in [0, 2), higher is better: ``exact`` plus, nested so that each
    key outweighs the ones after it, the share of terms matched (relaxed queries), the column tier,
    the number of terms in name and aliases, the rarity of the terms matched (relaxed queries) and
    ``rel / (1 + rel)``.
    """
    excerpt = textmod.Snippets(parsed.highlight_terms(), SNIPPET_LENGTH) if snippets else None
    terms = max(len(parsed.terms), 1)
    relaxed = parsed.match_any and terms > 1  # then the share of terms matched leads
    hits = []
    for row in rows:
        rel = max(float(row.rel or 0.0), 0.0)
        last = rel / (1.0 + rel)
        if relaxed:
            last = (_bounded(row.rarity, 0, 1000) + last) / 1001
        title = (_bounded(row.title, 0, terms) + last) / (terms + 1)
        quality = (_bounded(row.tier, 0, len(TIERS)) + title) / (len(TIERS) + 1)
        if relaxed:
            quality = (_bounded(row.coverage, 1, terms) - 1 + quality) / terms
        score = round(float(row.exact or 0) + quality, 6)
        snippet = excerpt(row.snippet_text or row.name) if excerpt is not None else ""
        hits.append(Hit(row.type, row.id, row.name, snippet, score))
    return hits


def _bounded(value: Any, low: int, high: int) -> int:
    return min(max(int(value or 0), low), high)


def make_facets(rows: Iterable[Any]) -> tuple[dict[str, dict[str, int]], int]:
    """Turn ``(facet, value, n)`` rows into the facet dict and the total (the sum of type counts)."""
    facets: dict[str, dict[str, int]] = {"type": {}, "topic": {}}
    for row in rows:
        facets[row.facet][row.value] = int(row.n)
    for name, counts in facets.items():
        facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return facets, sum(facets["type"].values())
