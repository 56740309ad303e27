"""Curator writes over HTTP: POST, PUT, PATCH (JSON merge patch, RFC 7396) and DELETE (archive).

Every handler checks, in this order: the role (401/403), the media type (415), that the record exists (404),
that If-Match is there (428), the body (400, every error at once, unknown references named by field), If-Match
against the ETag a GET returns (412 when stale), and then writes through `api.services.curation.write_record`, which
records the revision, the change-feed event and the search index entry in the same transaction.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from marshmallow import Schema, ValidationError

from api.access import Role, Viewer, require
from api.catalogue import BY_NAME, EXPORTERS, Collection, existing_ids, reference_errors
from api.exceptions import (
    InvalidInput,
    InvalidParam,
    PreconditionFailed,
    PreconditionRequired,
    UnsupportedMediaType,
)
from api.models import Topic
from api.problems import invalid_params_of
from api.resources.views import VIEWS, View
from api.services.curation import write_record
from api.sessions import db
from schemas.common import href
from schemas.patches import merge_patch_schema

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
MAX_TOPIC_DEPTH = 100


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
    """`document` loaded with the collection's input schema, references checked; every error at once."""
    try:
        data = collection.schema().load(document)
        errors: list[InvalidParam] = []
    except ValidationError as error:
        errors = invalid_params_of(error)
        data = error.valid_data if isinstance(error.valid_data, dict) else {}
    session = db()
    errors += [InvalidParam(name, "unknown-reference", reason)
               for name, reason in reference_errors(collection, data, lambda t, ids: existing_ids(session, t, ids))]
    if collection.name == "topics" and not errors:
        errors += _topic_cycle(data)
    if errors:
        raise InvalidInput(errors)
    return data


def _topic_cycle(data: dict[str, Any]) -> list[InvalidParam]:
    parent, hops = data.get("parent"), 0
    while parent is not None and hops < MAX_TOPIC_DEPTH:
        if parent == data["id"]:
            return [InvalidParam("parent", "cycle", "A topic cannot be its own parent or ancestor.")]
        topic = db().get(Topic, parent)
        parent, hops = (topic.parent_id if topic else None), hops + 1
    return []


def _same_id(document: dict[str, Any], record_id: str) -> dict[str, Any]:
    if document.get("id", record_id) != record_id:
        raise InvalidInput([InvalidParam("id", "immutable", "The id is the one in the URL; it cannot change.")])
    return {**document, "id": record_id}


def _write(name: str, data: dict[str, Any], who: Viewer, **kwargs: Any) -> None:
    write_record(db(), BY_NAME[name], EXPORTERS[name], data, actor=who.key_id or "unknown", **kwargs)
    db().commit()


def _answer(view: View, record_id: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    session = db()
    session.expire_all()  # reload relations (a changed organisation id, new topics) as stored
    return view.item_response(view.get(session, record_id), status, headers)


def create(name: str) -> Response:
    """POST: a new record (201 with Location and ETag); an existing id is a 409."""
    who = require(Role.CURATOR)
    require_media_type(JSON)
    data = validated(BY_NAME[name], json_object())
    _write(name, data, who, create=True)
    return _answer(VIEWS[name], data["id"], 201, {"Location": href(f"/{name}/{data['id']}")["href"]})


def _current(name: str, record_id: str) -> tuple[View, Any]:
    view = VIEWS[name]
    record = view.fetch(record_id)
    require_if_match()
    return view, record


def replace(name: str, record_id: str) -> Response:
    """PUT: the whole record in input shape (the id may be left out)."""
    who = require(Role.CURATOR)
    require_media_type(JSON)
    view, record = _current(name, record_id)
    data = validated(BY_NAME[name], _same_id(json_object(), record_id))
    check_if_match(view.etag(record))
    _write(name, data, who, expected_version=record.version)
    return _answer(view, record_id)


def patch(name: str, record_id: str) -> Response:
    """PATCH: a JSON merge patch onto the record in input shape (as PUT takes it), validated as a whole."""
    who = require(Role.CURATOR)
    require_media_type(MERGE_PATCH)
    view, record = _current(name, record_id)
    document = _same_id(merge_patch(EXPORTERS[name](record), json_object()), record_id)
    data = validated(BY_NAME[name], document)
    check_if_match(view.etag(record))
    _write(name, data, who, expected_version=record.version)
    return _answer(view, record_id)


def archive(name: str, record_id: str) -> Response:
    """DELETE: archive the record (it leaves public views, its history stays); 204."""
    who = require(Role.CURATOR)
    view, record = _current(name, record_id)
    check_if_match(view.etag(record))
    data = validated(BY_NAME[name], {**EXPORTERS[name](record), "status": "archived"})
    _write(name, data, who, expected_version=record.version)
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
