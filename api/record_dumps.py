"""Record dumps computed once per catalogue state: what a representation-cache miss costs most.

An answer the representation cache does not hold (another page or filter, a support bundle with other topics,
every GET right after a write, or any GET with that cache off) shows records that other answers showed before.
Loading a record with its relations and dumping it through its output schema costs about a millisecond each;
this per-worker map keeps each record's dump instead, so an item GET, a page or a support bundle runs the
statements that choose its records (ids, ranks, totals) and fetches only the records it has not dumped yet, in
one batch.

What is kept is the output schema's dump, before the viewer's presentation (`api.visibility.present_dumped`: the
hidden summaries, the personal-data rule), so one entry serves every role; presenting works on a shallow copy
(presentation replaces top-level fields and never edits nested ones). Keys are like the representation cache's:
the catalogue stamp (every write raises it: a reader that sees a new stamp drops every entry), the base URL
(links are absolute), the collection and the id, in the `GenerationCache` the search caches use too. Bounded
in records (KENNISBANK_RECORD_CACHE_SIZE, least recently used out; 0 turns it off).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from flask import Flask, current_app, request
from prometheus_client import Counter

from api.collections import Collection
from api.queries.paging import Page
from api.representation_cache import request_stamp
from api.search.cache import GenerationCache
from api.sessions import db
from schemas.common import BASE_URL

DUMPS_TOTAL = Counter(
    "kennisbank_record_dumps_total",
    "Records shown from the per-worker record dumps (hit) or loaded and dumped (miss).",
    ("result",),
)
HIT, MISS = DUMPS_TOTAL.labels("hit"), DUMPS_TOTAL.labels("miss")
T = TypeVar("T")
CATALOGUE = "catalogue"
"""The one shelf of the app's `GenerationCache` (an app serves one database)."""


@dataclass(frozen=True, slots=True)
class Dumped:
    """A record's dump (never edited: present a copy), with what the HTTP layer needs besides it."""

    body: dict[str, Any]
    version: int
    status: str | None
    """The workflow status of a curated record (None for reference records)."""

    @classmethod
    def of(cls, collection: Collection, record: Any) -> Dumped:
        """The dump of `record`, a record of `collection`."""
        status = record.status.value if collection.curated else None
        return cls(collection.output.dump(record), record.version, status)


def dumps_of(collection: Collection, ids: Sequence[str]) -> list[Dumped]:
    """The dumps of the records of `collection` with `ids`, in that order; those not kept yet are loaded in one
    batch (`load_records`). Every id must name a record (the ids come from a query of this request)."""
    cache = cache_of(current_app)
    if cache is None:
        return [Dumped.of(collection, record) for record in load_records(collection, ids)]
    stamp, base = request_stamp(), BASE_URL.get()
    kept = {record_id: cache.lookup(CATALOGUE, stamp, (base, collection.name, record_id)) for record_id in ids}
    missing = [record_id for record_id, (found, _dumped) in kept.items() if not found]
    HIT.inc(len(kept) - len(missing))
    dumps = {record_id: dumped for record_id, (found, dumped) in kept.items() if found}
    if missing:
        MISS.inc(len(missing))
        for record_id, record in zip(missing, load_records(collection, missing), strict=True):
            dumps[record_id] = Dumped.of(collection, record)
            cache.store(CATALOGUE, stamp, (base, collection.name, record_id), dumps[record_id])
    return [dumps[record_id] for record_id in ids]


def page_of(collection: Collection, params: dict[str, Any]) -> Page[Dumped]:
    """One page of `collection`'s list query (`params`), as dumps: the page's ids, then their kept dumps; with
    nothing kept, the records as the page's own statement loads them."""
    if cache_of(current_app) is None:
        page = collection.list(db(), params)
        return replace(page, items=[Dumped.of(collection, record) for record in page.items])
    page = collection.list(db(), {**params, "ids_only": True})
    return replace(page, items=dumps_of(collection, page.items))


def dump_of(collection: Collection, record_id: str) -> Dumped:
    """The dump of one record of `collection`; NotFound (404) when there is none with this id."""
    cache = cache_of(current_app)
    if cache is None:
        return Dumped.of(collection, collection.get(db(), record_id))
    key = (BASE_URL.get(), collection.name, record_id)
    dumped, hit = cache.get_or_compute(CATALOGUE, request_stamp(), key,
                                       lambda: Dumped.of(collection, collection.get(db(), record_id)))
    (HIT if hit else MISS).inc()
    return dumped


def per_state(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per catalogue state, for values that only a write changes (which records are unpublished).

    For GETs only: a write request may compute before its own commit, and must not keep what it saw.
    """
    cache = cache_of(current_app)
    if cache is None or request.method not in ("GET", "HEAD"):
        return compute()
    return cache.get_or_compute(CATALOGUE, request_stamp(), key, compute)[0]  # type: ignore[no-any-return]


def load_records(collection: Collection, ids: Sequence[str]) -> list[Any]:
    """The records of `collection` with `ids`, in that order, with the relations their dumps show."""
    return collection.load(db(), ids) if ids else []


def cache_of(app: Flask) -> GenerationCache[Any] | None:
    """The app's record dumps (None when they are switched off)."""
    return app.extensions.get("kennisbank_record_dumps")


def init_app(app: Flask) -> None:
    """Keep record dumps when KENNISBANK_RECORD_CACHE_SIZE is above 0."""
    size = int(app.config.get("KENNISBANK", {}).get("RECORD_CACHE_SIZE", "0") or 0)
    if size > 0:
        app.extensions["kennisbank_record_dumps"] = GenerationCache[Any](size)
