"""Cross-type search over the index, with the catalogue's synonyms and area hierarchy."""

from __future__ import annotations

import time
from collections.abc import Sequence
from threading import Lock

from sqlalchemy import select
from sqlalchemy.orm import Session

from api import search
from api.models import Municipality, Topic
from api.models.experts import NATIONAL_AREA
from api.search import SearchResult, Vocabulary

VOCABULARY_TTL_SECONDS = 60.0
_vocabulary_cache: dict[str, tuple[float, Vocabulary]] = {}
_vocabulary_lock = Lock()


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
    """Each topic synonym mapped to its Dutch label, for query expansion ("extreemrechts" -> "Rechts-extremisme")."""
    return search.query.synonym_map({t.label: t.synonyms for t in session.scalars(select(Topic))})


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
    """Ranked hits for `q` with the filters; typos are corrected only when the query as typed finds nothing."""
    return search.search_text(
        session,
        q,
        synonyms=synonym_map(session),
        vocabulary_source=lambda: cached_vocabulary(session),
        types=types,
        topics=topics,
        serves=areas_serving(session, serves) if serves else None,
        size_classes=size_classes,
        statuses=statuses,
        limit=limit,
        offset=offset,
    )
