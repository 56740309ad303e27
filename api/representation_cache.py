"""The representation cache: every public GET of /api/v1 computed once per catalogue state.

The catalogue is read-mostly, so nearly every GET would recompute an answer that has not changed. This
layer wraps Flask's dispatch (the view call) and keeps the view's encoded answer — body, status, headers
and ETag — keyed by

- the catalogue generation: the stamp of table `search_state` (:func:`api.search.stamp`), which every
  write of the catalogue raises in its own transaction (curated writes, policies, seed, import, erasure);
- the caller's role (anonymous, reader, curator, admin): readers see personal data, curators drafts;
- the canonical request: base URL (links are absolute), path, and the query parameters sorted by name.

Only the view is skipped: the request hooks around it run on every request, so a bad key is still a 401,
the rate limit counts and answers 429 with its headers, and request ids, API-Version, security headers,
Vary, CORS and conditional requests (`If-None-Match` -> 304) behave exactly as without the cache.

Each worker holds its own cache, bounded by KENNISBANK_REPRESENTATION_CACHE_BYTES (least recently used out;
0 turns it off). A reader that sees a new stamp drops every entry: no TTL, no messages between workers or
instances, and a write through any of them is seen by the next request everywhere.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from operator import itemgetter
from threading import Lock
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import Counter, Gauge
from sqlalchemy.exc import DBAPIError

from api import search
from api.auth import applies
from api.sessions import database
from schemas.common import BASE_URL

CACHE_TOTAL = Counter(
    "kennisbank_representation_cache_total",
    "Public GETs answered from the per-worker representation cache (hit) or by running the view (miss).",
    ("result",),
)
CACHE_BYTES = Gauge(
    "kennisbank_representation_cache_bytes", "Bytes of encoded answers held by the representation caches.",
    multiprocess_mode="livesum",
)
NOT_CACHED = ("/api/v1/api-keys",)
"""Answers that change without a catalogue write (a key's last use), for admins only."""
ENTRY_OVERHEAD = 512
"""Bytes counted per entry on top of body and headers (key, tuples, bookkeeping)."""


@dataclass(frozen=True, slots=True)
class Stored:
    """One encoded answer of a view."""

    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]
    size: int
    key_required: bool = False
    """The view asked for a key (`api.access.require`): its answer is never stored by HTTP caches."""

    def response(self) -> Response:
        """A new Response for this request (the after-request hooks add their headers to it)."""
        return Response(self.body, self.status, list(self.headers))


class RepresentationCache:
    """A least-recently-used map bounded in bytes, emptied whenever the catalogue's stamp changes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self.stamp: Hashable = None
        self.entries: OrderedDict[Hashable, Stored] = OrderedDict()
        self.bytes = 0
        self._lock = Lock()

    def get(self, stamp: Hashable, key: Hashable) -> Stored | None:
        """The answer stored for `key` under `stamp`, or None."""
        with self._lock:
            if stamp != self.stamp:
                return None
            stored = self.entries.get(key)
            if stored is not None:
                self.entries.move_to_end(key)
            return stored

    def put(self, stamp: Hashable, key: Hashable, stored: Stored) -> None:
        """Keep `stored` for `key` under `stamp`; an answer bigger than the whole budget is not kept."""
        if stored.size > self.max_bytes:
            return
        with self._lock:
            before = self.bytes
            if stamp != self.stamp:
                self.stamp, self.entries, self.bytes = stamp, OrderedDict(), 0
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self.entries[key] = stored
            self.bytes += stored.size
            while self.bytes > self.max_bytes:
                self.bytes -= self.entries.popitem(last=False)[1].size
            CACHE_BYTES.inc(self.bytes - before)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            CACHE_BYTES.dec(self.bytes)
            self.stamp, self.entries, self.bytes = None, OrderedDict(), 0


def request_key() -> tuple[Any, ...] | None:
    """The cache key of this request, or None when its answer is not cached (writes, admin pages, non-API)."""
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path
    if not applies(path) or path.startswith(NOT_CACHED):
        return None
    role = getattr(g.get("viewer"), "role", None)
    query = tuple(sorted(request.args.items(multi=True), key=itemgetter(0)))  # stable: repeated values keep order
    return (role.value if role is not None else "", BASE_URL.get(), path, query)


def store(response: Response, key_required: bool = False) -> Stored | None:
    """The encoded answer to keep, with its ETag computed once; None for answers that are not kept."""
    if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return None
    response.add_etag()  # what the after-request hook would add; now done once per catalogue state
    body = response.get_data()
    headers = tuple(response.headers.items())
    return Stored(body, response.status_code, headers,
                  len(body) + sum(len(k) + len(v) for k, v in headers) + ENTRY_OVERHEAD, key_required)


def current_stamp() -> Hashable:
    """The catalogue's stamp, read on a pooled connection of its own: a hit needs no ORM session at all.

    Read before the view runs, so an answer is never older than the stamp it is stored under. The stamp engine
    does not ping its connections first: a connection the server closed (a restart) fails once and is discarded,
    and the read is tried again on a fresh one, through SQLAlchemy, whose errors become a 503 problem.
    """
    engine = database().stamp_engine
    try:
        return search.stamp_of(engine)
    except engine.dialect.loaded_dbapi.Error:
        pass
    try:
        with engine.connect() as connection:
            return search.stamp(connection)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    with engine.connect() as connection:
        return search.stamp(connection)


def request_stamp() -> Hashable:
    """The catalogue's stamp as this request first read it (`current_stamp`): its answer and the record dumps it
    uses (`api.record_dumps`) are kept under one stamp, read once."""
    if "catalogue_stamp" not in g:
        g.catalogue_stamp = current_stamp()
    return g.catalogue_stamp


def cache_of(app: Flask) -> RepresentationCache | None:
    """The app's representation cache (None when it is switched off)."""
    return app.extensions.get("kennisbank_representation_cache")


def init_app(app: Flask) -> None:
    """Answer public GETs from the cache, around the view call (after auth and the rate limit, before headers)."""
    max_bytes = int(app.config.get("KENNISBANK", {}).get("REPRESENTATION_CACHE_BYTES", "0") or 0)
    if max_bytes <= 0:
        return
    cache = app.extensions["kennisbank_representation_cache"] = RepresentationCache(max_bytes)
    dispatch: Callable[[], Any] = app.dispatch_request
    hit, miss = CACHE_TOTAL.labels("hit"), CACHE_TOTAL.labels("miss")

    def cached_dispatch() -> Any:
        if request.routing_exception is not None:
            return dispatch()  # 404/405: raised by dispatch as usual
        key = request_key()
        if key is None:
            return dispatch()
        stamp = request_stamp()
        stored = cache.get(stamp, key)
        if stored is not None:
            hit.inc()
            if stored.key_required:  # what the skipped view told the after-request hooks (Cache-Control)
                g.key_required = True
            return stored.response()
        miss.inc()
        response = app.make_response(dispatch())
        kept = store(response, bool(g.get("key_required")))
        if kept is not None:
            cache.put(stamp, key, kept)
        return response

    app.dispatch_request = cached_dispatch  # type: ignore[method-assign]
