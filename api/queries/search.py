"""Cross-type search over the index, with the catalogue's synonyms and area hierarchy."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from prometheus_client import Counter
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import search
from api.models import Municipality, Topic
from api.queries.areas import served_areas
from api.search import Filters, Page, SearchResult, Vocabulary
from api.search.cache import GenerationCache
from api.search.query import SynonymTable, compile_synonyms
from api.search.text import tokenize

SEARCH_CACHE_HITS = Counter(
    "kennisbank_search_cache_total", "Searches answered from the per-worker result cache (hit) or the index (miss).",
    ("result",),
)


class SearchCache:
    """A worker's search caches, made by `create_app` (``app.extensions["kennisbank_search_cache"]``).

    ``results`` holds KENNISBANK_SEARCH_CACHE_SIZE results (0 turns caching off); ``derived`` holds
    the synonym table and the vocabulary per database. Both are rebuilt after a change to the index.
    A request's session carries its app's cache in ``session.info`` (see :mod:`api.sessions`); a
    session without one (the CLI, scripts) searches uncached.
    """

    def __init__(self, max_entries: int, derived_entries: int = 4) -> None:
        self.results: GenerationCache[SearchResult] = GenerationCache(max_entries)
        self.derived: GenerationCache[Any] = GenerationCache(derived_entries)

    def clear(self) -> None:
        """Forget every cached result, synonym table and vocabulary."""
        self.results.clear()
        self.derived.clear()

    def attach(self, session: Session) -> Session:
        """Let searches through ``session`` use this cache; returns the session."""
        session.info[_CACHE_KEY] = self
        return session


_CACHE_KEY = "kennisbank_search_cache"
_UNCACHED = SearchCache(0, derived_entries=0)


def cache_of(session: Session) -> SearchCache:
    """The search cache attached to ``session``, or one that caches nothing."""
    cache: SearchCache = session.info.get(_CACHE_KEY, _UNCACHED)
    return cache


def _database(session: Session) -> str:
    return str(session.get_bind().url)


def cached_vocabulary(session: Session, stamp: Hashable) -> Vocabulary:
    """The index vocabulary (for "did you mean"), loaded once per index `stamp`."""
    derived = cache_of(session).derived
    return derived.get_or_compute(_database(session), stamp, "vocabulary", lambda: search.vocabulary(session))[0]


def synonym_map(session: Session) -> dict[str, list[str]]:
    """The query expansions of the catalogue, one direction (variant -> canonical phrase).

    Each topic synonym maps to its Dutch label ("extreemrechts" -> "Rechts-extremisme"), and each
    municipality alias that shares no word with the name maps to the name ("Den Bosch" ->
    "'s-Hertogenbosch", "Ljouwert" -> "Leeuwarden"), so "veiligheidshuis den bosch" also finds
    documents that only use the official name. Aliases that repeat the name ("Bergen NH",
    "Sittard Geleen") are left out: the name's own words already match.
    """
    table = search.synonym_map({t.label: t.synonyms for t in session.scalars(select(Topic))})
    for variant, names in alias_synonyms(session.execute(select(Municipality.name, Municipality.aliases))).items():
        table.setdefault(variant, []).extend(names)
    return table


def alias_synonyms(names_and_aliases: Iterable[tuple[str, Sequence[str]]]) -> dict[str, list[str]]:
    """Map each alias that shares no word with its name to that name."""
    table: dict[str, list[str]] = {}
    for name, aliases in names_and_aliases:
        name_words = set(tokenize(name)) | set(tokenize(name.replace("-", " ")))
        for alias in aliases or ():
            words = set(tokenize(alias)) | set(tokenize(alias.replace("-", " ")))
            if words and not words & name_words:
                table.setdefault(alias, []).append(name)
    return table


def synonym_table(session: Session, stamp: Hashable) -> SynonymTable:
    """The compiled :func:`synonym_map`, rebuilt once per index `stamp`.

    Topics and municipalities are indexed, so every change to their synonyms or aliases changes the
    index stamp too.
    """

    def compile_table() -> SynonymTable:
        return compile_synonyms(synonym_map(session))

    return cache_of(session).derived.get_or_compute(_database(session), stamp, "synonyms", compile_table)[0]


def run_search(
    session: Session,
    q: str,
    *,
    types: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    serves: Sequence[str] | None = None,
    size_classes: Sequence[str] | None = None,
    statuses: Sequence[str] = ("published",),
    limit: int = 20,
    offset: int = 0,
    snippets: bool = True,
    stamp: Hashable | None = None,
) -> SearchResult:
    """Ranked hits for `q` with the filters; when it finds nothing: typos corrected, then any of its terms.

    `serves` holds municipality ids, searched as every area code serving them. Results come from
    the session's cache (see :class:`SearchCache`) while the index is unchanged (one indexed lookup
    of its stamp per call, unless the caller read it for this request: `stamp`); treat them as read-only.
    """
    filters = Filters(_frozen(types), _frozen(topics), _frozen(serves), _frozen(size_classes), _frozen(statuses))
    page = Page(limit, offset, snippets)
    if stamp is None:
        stamp = search.stamp(session)

    def compute() -> SearchResult:
        expanded = replace(filters, serves=served_areas(session, serves)) if serves else filters
        return search.search_text(
            session, q, expanded, page, synonyms=synonym_table(session, stamp),
            vocabulary_source=lambda: cached_vocabulary(session, stamp),
        )  # fmt: skip

    result, hit = cache_of(session).results.get_or_compute(_database(session), stamp, (q, filters, page), compute)
    SEARCH_CACHE_HITS.labels("hit" if hit else "miss").inc()
    return result


def _frozen(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)
