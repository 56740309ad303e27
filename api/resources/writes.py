"""Curator writes over HTTP: POST, PUT, PATCH (JSON merge patch, RFC 7396) and DELETE (archive).

Every handler checks, in this order: the role (401/403), the media type (415), that the record exists (404),
that If-Match is there (428), the body (400, every error at once, unknown references named by field), If-Match
against the ETag a GET returns (412 when stale), and then writes through `api.services.curation.write_record`, which
records the revision, the change-feed event and the search index entry in the same transaction.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from marshmallow import Schema

from api.access import Role, Viewer, require
from api.collections import Collection
from api.exceptions import (
    InvalidInput,
    InvalidParam,
    PreconditionFailed,
    PreconditionRequired,
    UnsupportedMediaType,
)
from api.resources import views
from api.services.curation import lock, write_record
from api.sessions import db
from api.validation import database_known, load, stored_parent
from schemas.common import href
from schemas.patches import merge_patch_schema

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"


def require_media_type(*accepted: str) -> None:
    """415 unless the body is one of `accepted` (parameters such as charset are fine)."""
    if request.mimetype not in accepted:
        headers = {"Accept-Patch": MERGE_PATCH} if MERGE_PATCH in accepted else {}
        raise UnsupportedMediaType(f"Send the body as {' or '.join(accepted)}.", **headers)


def json_object() -> dict[str, Any]:
    """The body as a JSON object (400 otherwise); a body over KENNISBANK_MAX_BODY_BYTES is a 413 here."""
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise InvalidInput([InvalidParam("body", "invalid-json", "Send one JSON object.")])
    return data


def require_if_match() -> None:
    """428 without If-Match."""
    if not request.headers.get("If-Match", "").strip():
        raise PreconditionRequired("Send If-Match with the ETag of your last GET of this resource, so that you "
                                   "do not overwrite a change you have not seen.")


def check_if_match(current_etag: str) -> None:
    """412 unless If-Match lists `current_etag` (or is `*`); call `require_if_match` first.

    Weak tags (W/"…", as some proxies rewrite them) compare by their value: the tag is a hash of the JSON the
    caller saw, so weak and strong mean the same here.
    """
    require_if_match()
    if request.if_match.star_tag:
        return
    if not request.if_match.contains_weak(current_etag.strip('"')):
        raise PreconditionFailed("The resource changed since you read it (If-Match does not match its ETag): "
                                 "GET it again and reapply your change.")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge member by member, null removes a member, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def validated(collection: Collection, document: dict[str, Any]) -> dict[str, Any]:
    """`document` loaded with the collection's input schema and checked by `api.validation`; every error at once."""
    session = db()
    self_references = [p for p, t in collection.references.items() if t == collection.name and "[]" not in p]
    parent_of = stored_parent(session, collection, self_references[0]) if self_references else (lambda _id: None)
    data, errors = load(collection, document, database_known(session), parent_of)
    if errors:
        raise InvalidInput(errors)
    return data


def _same_id(document: dict[str, Any], record_id: str) -> dict[str, Any]:
    if document.get("id", record_id) != record_id:
        raise InvalidInput([InvalidParam("id", "immutable", "The id is the one in the URL; it cannot change.")])
    return {**document, "id": record_id}


def _write(collection: Collection, data: dict[str, Any], who: Viewer, **kwargs: Any) -> None:
    write_record(db(), collection, data, actor=who.key_id or "unknown", **kwargs)
    db().commit()


def _answer(collection: Collection, record_id: str, status: int = 200, headers: dict[str, str] | None = None
            ) -> Response:
    session = db()
    session.expire_all()  # reload relations (a changed organisation id, new topics) as stored
    return views.item_response(collection, collection.get(session, record_id), status, headers)


def create(collection: Collection) -> Response:
    """POST: a new record (201 with Location and ETag); an existing id is a 409."""
    who = require(Role.CURATOR)
    require_media_type(JSON)
    data = validated(collection, json_object())
    _write(collection, data, who, create=True)
    location = href(f"/{collection.name}/{data['id']}")["href"]
    return _answer(collection, data["id"], 201, {"Location": location})


def lock_if_any_version(collection: Collection, record_id: str) -> None:
    """Under `If-Match: *` lock the row before reading it: concurrent writers then take turns, each on top of the
    last, instead of all but one failing the version check with a 412."""
    if request.if_match.star_tag:
        lock(db(), collection.model, record_id)


def _current(collection: Collection, record_id: str) -> Any:
    lock_if_any_version(collection, record_id)
    record = views.fetch(collection, record_id)
    require_if_match()
    return record


def replace(collection: Collection, record_id: str) -> Response:
    """PUT: the whole record in input shape (the id may be left out)."""
    who = require(Role.CURATOR)
    require_media_type(JSON)
    record = _current(collection, record_id)
    data = validated(collection, _same_id(json_object(), record_id))
    check_if_match(views.etag(collection, record))
    _write(collection, data, who, expected_version=record.version)
    return _answer(collection, record_id)


def patch(collection: Collection, record_id: str) -> Response:
    """PATCH: a JSON merge patch onto the record in input shape (as PUT takes it), validated as a whole."""
    who = require(Role.CURATOR)
    require_media_type(MERGE_PATCH)
    record = _current(collection, record_id)
    document = _same_id(merge_patch(collection.export(record), json_object()), record_id)
    data = validated(collection, document)
    check_if_match(views.etag(collection, record))
    _write(collection, data, who, expected_version=record.version)
    return _answer(collection, record_id)


def archive(collection: Collection, record_id: str) -> Response:
    """DELETE: archive the record (it leaves public views, its history stays); 204."""
    who = require(Role.CURATOR)
    record = _current(collection, record_id)
    check_if_match(views.etag(collection, record))
    data = validated(collection, {**collection.export(record), "status": "archived"})
    _write(collection, data, who, expected_version=record.version)
    return Response(status=204)


# What the API docs say about each kind of write (pass to `api.docs.operation(**...)`).
ETAG_HEADER = {"ETag": "The version you now hold: send it as If-Match with your next change"}
IF_MATCH = {"If-Match": "Required: the ETag of your last GET of this resource (or *); without it 428, stale 412"}
UPDATE_ERRORS = (401, 403, 404, 412, 413, 415, 428)


def create_doc(body: type[Schema], response: type[Schema]) -> dict[str, Any]:
    """Docs of a POST."""
    return {"body": body, "response": response, "status": 201, "errors": (401, 403, 409, 413, 415),
            "auth": "required", "response_headers": {"Location": "URL of the new record", **ETAG_HEADER}}


def replace_doc(body: type[Schema], response: type[Schema]) -> dict[str, Any]:
    """Docs of a PUT."""
    return {"body": body, "response": response, "errors": UPDATE_ERRORS, "auth": "required",
            "response_headers": ETAG_HEADER, "request_headers": IF_MATCH}


def patch_doc(body: type[Schema], response: type[Schema]) -> dict[str, Any]:
    """Docs of a PATCH (JSON merge patch)."""
    return {"body": merge_patch_schema(body), "body_content_types": (MERGE_PATCH,), "response": response,
            "errors": UPDATE_ERRORS, "auth": "required", "response_headers": ETAG_HEADER, "request_headers": IF_MATCH}


ARCHIVE_DOC: dict[str, Any] = {"status": 204, "errors": (401, 403, 404, 412, 428), "auth": "required",
                               "request_headers": IF_MATCH}
