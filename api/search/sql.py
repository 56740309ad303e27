"""What both SQL backends share: index maintenance and one query plan (the plain tables: :mod:`api.search.tables`).

A backend supplies only what differs per dialect: writing and removing its full-text row, how a
query matches and ranks, how facets are counted, and the collation that orders names the same
everywhere. The page is ranked on narrow rows and joined back for its display columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from api.search.base import (
    Executor,
    Filters,
    Page,
    SearchDocument,
    SearchResult,
    doc_key,
    index_columns,
    meta_row,
    snippet_text,
)
from api.search.query import COLUMNS, ParsedQuery, Term
from api.search.ranking import (
    TIERS,
    TITLE_COLUMNS,
    coverage_and_rarity,
    filter_sql,
    make_facets,
    make_hits,
    prepare,
)
from api.search.tables import (
    BUMP_GENERATION,
    CONTENT_DDL,
    CONTENT_DROP,
    COUNT_TERM,
    META_DDL,
    META_INDEX_DDL,
    UPSERT_CONTENT,
    count_terms,
    distinct_terms,
)
from api.search.vocabulary import Vocabulary

MAX_LIMIT = 1000

@dataclass
class Ranking:
    """The ranking part of a search: the select list, the ORDER BY keys, per-term flags and their parameters."""

    columns: str = "0.0 AS rel, 0 AS exact, 0 AS tier, 0 AS title, 1 AS coverage, 0 AS rarity"
    order: list[str] = field(default_factory=list)
    relaxed: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)


class SqlSearchBackend:
    """The search interface: index maintenance and search over ``search_meta m`` joined with a full-text table.

    A backend subclasses it for one dialect and supplies the methods that raise NotImplementedError.
    """

    dialect = ""
    contains_function = "instr"
    collate = ""
    meta_extra_ddl = ""
    ddl: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    """The backend's own tables, dropped in this order."""
    aggregate = "group_concat"
    """The dialect's string aggregate (group_concat or string_agg)."""

    def create_schema(self, connection: Executor) -> None:
        """Create the search tables and indexes of the current version (idempotent)."""
        meta = (META_DDL.format(extra=self.meta_extra_ddl), META_INDEX_DDL.format(collate=self.collate))
        for statement in (*meta, *self.ddl, *CONTENT_DDL):
            connection.execute(text(statement))

    def drop_schema(self, connection: Executor) -> None:
        """Drop the search tables (idempotent)."""
        for statement in (*CONTENT_DROP, *(f"DROP TABLE IF EXISTS {table}" for table in self.tables)):
            connection.execute(text(statement))

    def upsert(self, connection: Executor, doc: SearchDocument) -> None:
        """Index ``doc``, replacing an earlier version with the same type and id."""
        old_terms = self._terms_of(connection, doc.key)
        columns = index_columns(doc)
        terms = distinct_terms(columns)
        self.write_index(connection, doc, meta_row(doc), columns)
        connection.execute(UPSERT_CONTENT, {"doc_key": doc.key, "snippet_text": snippet_text(doc), "terms": terms})
        count_terms(connection, old_terms, terms)
        connection.execute(BUMP_GENERATION)

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
            terms = distinct_terms(columns)
            self.write_index(connection, doc, meta_row(doc), columns)
            connection.execute(UPSERT_CONTENT, {"doc_key": doc.key, "snippet_text": snippet_text(doc), "terms": terms})
            terms_by_key[doc.key] = terms
        counts = Counter(term for terms in terms_by_key.values() for term in terms.split())
        if counts:
            connection.execute(COUNT_TERM, [{"term": t, "delta": n} for t, n in sorted(counts.items())])
        connection.execute(BUMP_GENERATION)
        return len(terms_by_key)

    def delete(self, connection: Executor, type: str, id: str) -> None:
        """Remove a document from the index (no error when absent)."""
        key = doc_key(type, id)
        old_terms = self._terms_of(connection, key)
        self.remove_index(connection, key)
        connection.execute(text("DELETE FROM search_content WHERE doc_key = :k"), {"k": key})
        count_terms(connection, old_terms, "")
        connection.execute(BUMP_GENERATION)

    def touch(self, connection: Executor) -> None:
        """Raise the generation: a change outside the index (history erasure) still invalidates every cache."""
        connection.execute(BUMP_GENERATION)

    stamp_sql = "SELECT generation FROM search_state WHERE id = 1"

    def stamp(self, connection: Executor) -> tuple[Any, ...]:
        """Return a value that differs after every committed change to the index (see :mod:`api.search.cache`)."""
        raw = connection.connection() if isinstance(connection, Session) else connection
        return tuple(raw.exec_driver_sql(self.stamp_sql).one())  # no ORM or compile step: it runs per search

    def vocabulary(self, connection: Executor) -> Vocabulary:
        """Return every indexed token with the number of documents holding it.

        Fetched as one aggregated string: tens of thousands of result rows cost far more.
        """
        sql = f"SELECT {self.aggregate}(term || ' ' || ndoc, ' ') FROM search_terms WHERE ndoc > 0"
        pairs = (connection.execute(text(sql)).scalar() or "").split()
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
        self, connection: Executor, parsed: ParsedQuery, filters: Filters = Filters(), page: Page = Page()
    ) -> SearchResult:
        """Return the ranked page of documents matching ``parsed`` and the ``filters``.

        A filter of ``None`` does not restrict; the values of one filter are OR'ed, filters AND'ed.
        A query without text (``parsed.is_empty``) returns every document, ordered by name. A
        relaxed query (``parsed.match_any``) matches documents holding any of its terms, those
        holding more of them first. Without ``page.snippets`` the hits' snippets are empty.

        Matches are ordered by: the query is exactly the name or an alias; how many terms match (for
        a relaxed query, see :meth:`ParsedQuery.relaxed`); the best column tier that holds the whole
        query as typed (:data:`TIERS`); how many of its terms the name and aliases hold (queries of
        several terms); how rare the terms matched are (relaxed queries); the backend's relevance
        (bm25 or ts_rank_cd); then by name.
        """
        conditions, params, expanding = filter_sql(filters, self.contains_function)
        rendered = self.render(parsed)
        source, ranking = "search_meta m", Ranking()
        if rendered is not None:
            source, condition, rel = self.match()
            conditions.insert(0, condition)
            params["match"] = rendered
            ranking = self._rank_sql(parsed, rel)
        where = " AND ".join(conditions) or "1 = 1"
        page_params: dict[str, Any] = {
            **params,
            **ranking.params,
            "limit": max(0, min(int(page.limit), MAX_LIMIT)),
            "offset": max(0, int(page.offset)),
        }
        page_sql = self._page_sql(source, where, ranking, page.snippets)
        rows = connection.execute(prepare(page_sql, page_params, expanding), page_params).all()
        matched = f"SELECT m.type, m.topics FROM {source} WHERE {where}"
        facets, total = make_facets(self.facet_rows(connection, matched, dict(params), expanding))
        return SearchResult(make_hits(rows, parsed, page.snippets), total, facets)

    def _rank_sql(self, parsed: ParsedQuery, rel: str) -> Ranking:
        """The ranking keys of a text query (``rel`` is the backend's relevance expression)."""
        ranking = Ranking(order=["exact DESC", "coverage DESC", "tier DESC", "title DESC", "rarity DESC", "rel DESC"])
        exact = f"CASE WHEN {self.contains_function}(m.name_keys, :key) > 0 THEN 1 ELSE 0 END"
        ranking.params["key"] = f"|{parsed.key}|"
        literal = parsed.literally()
        tier = self._tier(parsed, literal, ranking.params)
        title = "0"
        if len(parsed.terms) > 1:
            title = " + ".join(self._term_flags(literal.terms, TITLE_COLUMNS, "title", ranking.params))
            if parsed.match_any:
                ranking.relaxed = self._term_flags(parsed.terms, COLUMNS, "term", ranking.params)
        ranking.columns = f"{rel} AS rel, {exact} AS exact, {tier} AS tier, ({title}) AS title"
        if not ranking.relaxed:
            ranking.columns += ", 1 AS coverage, 0 AS rarity"
        return ranking

    def _page_sql(self, source: str, where: str, ranking: Ranking, snippets: bool) -> str:
        """The statement returning one ranked page of hits, with their display columns."""
        names = [f"sort_name{self.collate}", f"doc_key{self.collate}"]
        order = ["demo", *ranking.order]  # a demo record never ranks above a real one
        if ranking.relaxed:
            flags = ", ".join(f"{flag} AS t{n}" for n, flag in enumerate(ranking.relaxed))
            page = (
                f"matched AS (SELECT m.doc_key, m.sort_name, m.demo, {ranking.columns}, {flags} "
                f"FROM {source} WHERE {where}), "
                f"scored AS (SELECT doc_key, sort_name, demo, rel, exact, tier, title, "
                f"{coverage_and_rarity(len(ranking.relaxed))} FROM matched), "
                f"page AS (SELECT * FROM scored ORDER BY {', '.join([*order, *names])} "
                "LIMIT :limit OFFSET :offset)"
            )
        else:
            inner_order = ", ".join(["m.demo", *ranking.order, *(f"m.{name}" for name in names)])
            page = (
                f"page AS (SELECT m.doc_key, m.sort_name, m.demo, {ranking.columns} FROM {source} WHERE {where} "
                f"ORDER BY {inner_order} LIMIT :limit OFFSET :offset)"
            )
        outer_order = ", ".join(f"page.{term}" for term in [*order, *names])
        content = "LEFT JOIN search_content c ON c.doc_key = page.doc_key " if snippets else ""
        keys = ["rel", "exact", "tier", "title", "coverage", "rarity"]
        return (
            f"WITH {page} "
            f"SELECT m.type, m.id, m.name, {'c.snippet_text' if snippets else 'NULL AS snippet_text'}, "
            f"{', '.join(f'page.{key}' for key in keys)} FROM page "
            f"JOIN search_meta m ON m.doc_key = page.doc_key {content}"
            f"ORDER BY {outer_order}"
        )

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
