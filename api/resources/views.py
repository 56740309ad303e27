"""How a collection's records are read and shown over HTTP: fetch, present, ETag, item and list responses.

Item GETs, lists, writes, the history, the change feed and the export all render a record through these
functions, so a record looks the same (and carries the same ETag) wherever it appears, and every path applies
the one visibility rule of `api.visibility`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from flask import Response
from marshmallow import Schema

from api import record_dumps
from api.access import ensure_visible, visible_statuses
from api.collections import Collection
from api.http import json_response, page_response, query_params
from api.sessions import db
from api.visibility import check_filters, present_dumped
from schemas.common import BASE_URL


def representation_etag(version: int, body: Any) -> str:
    """A strong ETag of what the caller sees: the record's version and a hash of the body.

    The hash covers related summaries too (a renamed organisation changes its experts' ETags), and leaves
    out this server's base URL, so the tag a GET returns through one host name is accepted through another.
    """
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).replace(BASE_URL.get(), "")
    return f'"{version}-{hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]}"'


def fetch(collection: Collection, record_id: str) -> Any:
    """The record, if this viewer may see it (else 404)."""
    record = collection.get(db(), record_id)
    if collection.curated:
        ensure_visible(record.status.value, collection.label)
    return record


def present(collection: Collection, record: Any, *, published_only: bool = False) -> dict[str, Any]:
    """The record dumped as this viewer may see it."""
    return present_dumped(collection, collection.output.dump(record), published_only=published_only)


def etag(collection: Collection, record: Any) -> str:
    """The ETag of the record as this viewer sees it; the one If-Match must carry."""
    return representation_etag(record.version, present(collection, record))


def item_response(collection: Collection, record: Any, status: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    """The record as JSON with its version ETag."""
    body = present(collection, record)
    return json_response(body, status, {"ETag": representation_etag(record.version, body), **(headers or {})})


def get_response(collection: Collection, record_id: str) -> Response:
    """GET of one record: its kept dump (`api.record_dumps`) as this viewer may see it, with its version ETag;
    404 for an unknown id and, for callers below curator, an unpublished record."""
    dumped = record_dumps.dump_of(collection, record_id)
    if dumped.status is not None:
        ensure_visible(dumped.status, collection.label)
    body = present_dumped(collection, dict(dumped.body))
    return json_response(body, 200, {"ETag": representation_etag(dumped.version, body)})


def list_response(collection: Collection, query: Schema) -> Response:
    """One page of the collection as this viewer may see it, filtered by the query string: the page's ids from
    the collection's query, the records from their kept dumps (`api.record_dumps`)."""
    params = query_params(query)
    if collection.curated:
        params["status"] = visible_statuses(params.get("status"))
    check_filters(query, params)
    page = record_dumps.page_of(collection, params)
    return page_response(replace(page, items=[present_dumped(collection, dict(dumped.body)) for dumped in page.items]))
