"""Cross-type search over the index, with the catalogue's synonyms and area hierarchy."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import search
from api.models import Municipality, Topic
from api.models.experts import NATIONAL_AREA
from api.search import SearchResult, Vocabulary
from api.search.query import SynonymTable, compile_synonyms
from api.search.text import tokenize

VOCABULARY_TTL_SECONDS = 60.0
_vocabulary_cache: dict[str, tuple[float, Vocabulary]] = {}
_vocabulary_lock = Lock()
_synonym_cache: dict[str, tuple[tuple[Any, ...], SynonymTable]] = {}
_synonym_lock = Lock()


def cached_vocabulary(session: Session) -> Vocabulary:
    """The index vocabulary, cached per database for a minute: it only feeds "did you mean"."""
    key = str(session.get_bind().url)
    now = time.monotonic()
    with _vocabulary_lock:
        cached = _vocabulary_cache.get(key)
        if cached and now - cached[0] < VOCABULARY_TTL_SECONDS:
            return cached[1]
    vocabulary = search.vocabulary(session)
    with _vocabulary_lock:
        _vocabulary_cache[key] = (now, vocabulary)
    return vocabulary


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


def synonym_table(session: Session) -> SynonymTable:
    """The compiled :func:`synonym_map`, cached per database until topics or municipalities change.

    Compiling costs milliseconds, so it is redone only when the signature (row count and latest
    ``updated_at`` of both tables, one cheap query) differs from the cached one.
    """
    key = str(session.get_bind().url)
    signature = tuple(
        session.execute(
            select(
                select(func.count()).select_from(Topic).scalar_subquery(),
                select(func.max(Topic.updated_at)).scalar_subquery(),
                select(func.count()).select_from(Municipality).scalar_subquery(),
                select(func.max(Municipality.updated_at)).scalar_subquery(),
            )
        ).one()
    )
    with _synonym_lock:
        cached = _synonym_cache.get(key)
    if cached and cached[0] == signature:
        return cached[1]
    table = compile_synonyms(synonym_map(session))
    with _synonym_lock:
        _synonym_cache[key] = (signature, table)
    return table


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
) -> SearchResult:
    """Ranked hits for `q` with the filters; when it finds nothing: typos corrected, then any of its terms."""
    return search.search_text(
        session,
        q,
        synonyms=synonym_table(session),
        vocabulary_source=lambda: cached_vocabulary(session),
        types=types,
        topics=topics,
        serves=areas_serving(session, serves) if serves else None,
        size_classes=size_classes,
        statuses=statuses,
        limit=limit,
        offset=offset,
    )
