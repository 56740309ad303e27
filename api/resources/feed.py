"""The published catalogue for mirrors: a change feed with a cursor, and a full NDJSON export.

`GET /changes?since=CURSOR` lists created/updated/deleted events in commit order (archiving or unpublishing a
record is `deleted`); `next` is the cursor to poll with. `GET /export` streams every published record, one JSON
object per line. Both show what an anonymous caller may see, and a person's contact data only with a key.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from itertools import chain
from typing import Any

from flask import Response, stream_with_context
from flask_restx import Namespace, Resource

from api.collections import BY_NAME, COLLECTIONS
from api.docs import operation
from api.exceptions import InvalidInput, InvalidParam
from api.http import json_response, query_params
from api.models import Change, Event
from api.queries.changes import changes_after
from api.resources import views
from api.sessions import db
from schemas.changes import ChangeFeedSchema, ChangesQuerySchema, ExportLineSchema
from schemas.common import API_PREFIX, BASE_URL, href
from schemas.storable import MAX_INTEGER

ns = Namespace("feed", description="The published catalogue for mirrors: change feed and export", path="/")
QUERY = ChangesQuerySchema()
OUTPUT = ChangeFeedSchema()
CURSOR_PREFIX = "kb1:"
EXPORT_PAGE = 100


def encode_cursor(seq: int) -> str:
    """An opaque cursor for feed position `seq`."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The feed position of a cursor; 400 for anything this API did not hand out."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        digits = text.removeprefix(CURSOR_PREFIX)
        if text.startswith(CURSOR_PREFIX) and digits.isascii() and digits.isdigit() and int(digits) <= MAX_INTEGER:
            return int(digits)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInput([InvalidParam("since", "invalid", "Not a cursor of this feed: pass `next` of an earlier page "
                                                         "or leave it out to start from the beginning.")])


def _feed_url(cursor: str | None, page_size: int) -> str:
    query = f"?since={cursor}&pageSize={page_size}" if cursor else f"?pageSize={page_size}"
    return f"{BASE_URL.get()}{API_PREFIX}/changes{query}"


def _records(changes: list[Change]) -> dict[tuple[str, str], dict[str, Any]]:
    """The records of the page's created/updated events that are published now, as shown; one query each."""
    wanted: dict[str, set[str]] = {}
    for change in changes:
        if change.event != Event.DELETED:
            wanted.setdefault(change.collection, set()).add(change.record_id)
    shown: dict[tuple[str, str], dict[str, Any]] = {}
    for collection, ids in wanted.items():
        registered = BY_NAME[collection]
        params: dict[str, Any] = {"page": 1, "page_size": len(ids), "ids": sorted(ids), "sort": ["id"]}
        if registered.curated:
            params["status"] = ["published"]
        for record in registered.list(db(), params).items:
            shown[(collection, record.id)] = views.present(registered, record, published_only=True)
    return shown


@ns.route("/changes")
class Changes(Resource):
    """The change feed."""

    @operation(query=ChangesQuerySchema, response=ChangeFeedSchema, auth="optional")
    def get(self) -> Response:
        """List changes to the published catalogue since a cursor, in commit order.

        For mirrors on municipal intranets: start without `since`, store `next`, and poll with it. Events are
        `created`, `updated` and `deleted` (archived or unpublished); `record` is the record as it is now. A
        person's email and phone are shown to authenticated callers only.
        """
        params = query_params(QUERY)
        since = params.get("since")
        position = decode_cursor(since) if since else 0
        changes = changes_after(db(), position, params["page_size"])
        records = _records(changes)
        items = [
            {
                "cursor": encode_cursor(change.seq),
                "collection": change.collection,
                "id": change.record_id,
                "event": change.event.value,
                "at": change.at,
                "record": records.get((change.collection, change.record_id)) if change.event != Event.DELETED
                else None,
                "_links": {"self": href(f"/{change.collection}/{change.record_id}")},
            }
            for change in changes
        ]
        following = items[-1]["cursor"] if items else encode_cursor(position)
        body = {"items": items, "next": following,
                "_links": {"self": {"href": _feed_url(since, params["page_size"])},
                           "next": {"href": _feed_url(following, params["page_size"])}}}
        return json_response(OUTPUT.dump(body))


def export_lines() -> Iterator[str]:
    """Every published record as `{collection, record}` lines, collection by collection, in id order."""
    for collection in COLLECTIONS:
        params: dict[str, Any] = {"page": 1, "page_size": EXPORT_PAGE, "sort": ["id"]}
        if collection.curated:
            params["status"] = ["published"]
        while True:
            page = collection.list(db(), params)
            for record in page.items:
                line = {"collection": collection.name, "record": views.present(collection, record, published_only=True)}
                yield json.dumps(line, ensure_ascii=False) + "\n"
            if params["page"] >= page.last_page:
                break
            params["page"] += 1


@ns.route("/export")
class Export(Resource):
    """The whole published catalogue."""

    @operation(response=ExportLineSchema, response_content_type="application/x-ndjson", auth="optional")
    def get(self) -> Response:
        """Export the published catalogue as NDJSON (one `{collection, record}` object per line).

        Records appear as their GET shows them, collection by collection; a person's email and phone only
        for authenticated callers. The response is streamed.
        """
        lines = export_lines()
        first = next(lines, "")  # the first query runs here, so a database outage is still a 503 problem
        return Response(stream_with_context(chain([first], lines)), mimetype="application/x-ndjson")
