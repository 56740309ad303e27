"""Cross-type search over the index, with the catalogue's synonyms and area hierarchy."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from prometheus_client import Counter
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import config, search
from api.models import Municipality, Topic
from api.models.experts import NATIONAL_AREA
from api.search import SearchResult, Vocabulary
from api.search.cache import GenerationCache
from api.search.query import SynonymTable, compile_synonyms
from api.search.text import tokenize

SEARCH_CACHE_HITS = Counter(
    "kennisbank_search_cache_total", "Searches answered from the per-worker result cache (hit) or the index (miss).",
    ("result",),
)
_results: GenerationCache[SearchResult] = GenerationCache(int(config.read("SEARCH_CACHE_SIZE")))
"""This process's search results; `create_app` sizes it from its settings with :func:`configure_cache`."""
_derived: GenerationCache[Any] = GenerationCache(max_entries=4)
"""The synonym table and the vocabulary per database: rebuilt after a change to the index."""


def results_cache() -> GenerationCache[SearchResult]:
    """The cache of search results, KENNISBANK_SEARCH_CACHE_SIZE entries (0 turns it off)."""
    return _results


def configure_cache(max_entries: int) -> None:
    """Size this process's result cache; empties it."""
    global _results
    _results = GenerationCache(max_entries)


def clear_caches() -> None:
    """Forget every cached result, synonym table and vocabulary of this process."""
    _results.clear()
    _derived.clear()


def _database(session: Session) -> str:
    return str(session.get_bind().url)


def cached_vocabulary(session: Session, stamp: Hashable) -> Vocabulary:
    """The index vocabulary (for "did you mean"), loaded once per index `stamp`."""
    return _derived.get_or_compute(_database(session), stamp, "vocabulary", lambda: search.vocabulary(session))[0]


def synonym_map(session: Session) -> dict[str, list[str]]:
    """The query expansions of the catalogue, one direction (variant -> canonical phrase).

    Each topic synonym maps to its Dutch label ("extreemrechts" -> "Rechts-extremisme"), and each
    municipality alias that shares no word with the name maps to the name ("Den Bosch" ->
    "'s-Hertogenbosch", "Ljouwert" -> "Leeuwarden"), so "veiligheidshuis den bosch" also finds
    documents that only use the official name. Aliases that repeat the name ("Bergen NH",
    "Sittard Geleen") are left out: the name's own words already match.
    """
    table = search.query.synonym_map({t.label: t.synonyms for t in session.scalars(select(Topic))})
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

    return _derived.get_or_compute(_database(session), stamp, "synonyms", compile_table)[0]


def areas_serving(session: Session, municipality_ids: Sequence[str]) -> list[str]:
    """The municipalities, their safety regions and police units, and NL: every area code that serves them."""
    rows = session.execute(
        select(Municipality.id, Municipality.safety_region_id, Municipality.police_unit_id).where(
            Municipality.id.in_(municipality_ids))
    ).all()
    return sorted({code for row in rows for code in row} | {NATIONAL_AREA})


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
) -> SearchResult:
    """Ranked hits for `q` with the filters; when it finds nothing: typos corrected, then any of its terms.

    Results come from the per-worker cache while the index is unchanged (one indexed lookup of its
    stamp per call); treat them as read-only.
    """
    stamp = search.stamp(session)

    def compute() -> SearchResult:
        return search.search_text(
            session,
            q,
            synonyms=synonym_table(session, stamp),
            vocabulary_source=lambda: cached_vocabulary(session, stamp),
            types=types,
            topics=topics,
            serves=areas_serving(session, serves) if serves else None,
            size_classes=size_classes,
            statuses=statuses,
            limit=limit,
            offset=offset,
            snippets=snippets,
        )

    key = (q, _frozen(types), _frozen(topics), _frozen(serves), _frozen(size_classes), _frozen(statuses),
           limit, offset, snippets)  # fmt: skip
    result, hit = _results.get_or_compute(_database(session), stamp, key, compute)
    SEARCH_CACHE_HITS.labels("hit" if hit else "miss").inc()
    return result


def _frozen(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)
