"""Shapes the generated OpenAPI document for code generators (openapi-python-client, openapi-typescript, Redocly).

apispec writes what marshmallow says; these steps add what generators need to type every call:
- a nullable reference or enum is one named type or null (`anyOf: [$ref, {nullable, enum: [null]}]`), not `anyOf`
  with an untyped object or an enum listing `null` (which generators turn into junk or duplicate classes);
- a schema used only in responses lists every property the server always sends as `required`, without the input
  defaults it inherits (a response that lacked `status` must not look like a draft); an object schema that requests
  and responses share gets a request copy (`ContactInput`), so its response side is exact too;
- every response carries the headers the server sends, every operation the 401 of a bad key, every GET the 304
  of `If-None-Match`, and every error status an example of its own;
- authentication is optional (`security: [{}, {apiKey: []}]` at the root) except where an operation requires it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from functools import cache
from pathlib import Path
from typing import Any

from apispec import APISpec

from api.config import API_VERSION

CHANGELOG = Path(__file__).with_name("CHANGELOG.md")
REF = "#/components/schemas/"
NDJSON = "application/x-ndjson"
HEADERS: dict[str, tuple[str, dict[str, Any]]] = {
    "API-Version": ("Semantic version of the API", {"type": "string", "example": API_VERSION}),
    "X-Request-ID": ("Id of this request in the server's logs (the caller's own X-Request-ID when it sent a valid one)",
                     {"type": "string"}),
    "X-RateLimit-Limit": ("Requests allowed in the current window", {"type": "integer"}),
    "X-RateLimit-Remaining": ("Requests left in the current window", {"type": "integer"}),
    "X-RateLimit-Reset": ("When the window resets (Unix time, seconds)", {"type": "integer"}),
    "ETag": ("Version of this representation: send it as If-None-Match (304) or If-Match (writes)",
             {"type": "string", "example": '"3-5f2a0c9d1e7b4a6c8d2e"'}),
    "Link": ("RFC 8288 links: self, first, prev, next and last pages", {"type": "string"}),
    "X-Total-Count": ("Number of items in all pages", {"type": "integer"}),
    "Retry-After": ("Seconds to wait before trying again", {"type": "integer"}),
    "Location": ("URL of the new record", {"type": "string", "format": "uri"}),
    "WWW-Authenticate": ("How to authenticate: Bearer", {"type": "string"}),
}
ALWAYS = ("API-Version", "X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
ERROR_TITLES = {
    400: ("Bad Request", "invalid-input", "The query has 1 invalid parameter.",
          "Invalid input: every error is listed in invalidParams"),
    401: ("Unauthorized", "unauthorized", "The API key is unknown, expired or revoked.",
          "No valid API key (a key that is sent must be valid, on reads too)"),
    403: ("Forbidden", "forbidden", "This key's role may not do this.", "The key's role may not do this"),
    404: ("Not Found", "not-found", "There is no expert with id 'nope'.", "Not found"),
    409: ("Conflict", "conflict", "The record is referenced by another record.", "Conflict"),
    412: ("Precondition Failed", "precondition-failed", "The resource changed since you read it.",
          "If-Match does not match the current version"),
    413: ("Content Too Large", "payload-too-large", "The request body is too large.", "Body too large"),
    415: ("Unsupported Media Type", "unsupported-media-type", "Send the body as application/json.",
          "Unsupported content type"),
    428: ("Precondition Required", "precondition-required", "Send If-Match with the ETag of your last GET.",
          "If-Match is required"),
    429: ("Too Many Requests", "too-many-requests", "Too many requests; retry after Retry-After seconds.",
          "Rate limit exceeded"),
    500: ("Internal Server Error", "internal-error", "Something went wrong on our side; it has been logged.",
          "Internal error"),
    503: ("Service Unavailable", "unavailable", "The database cannot be reached; try again in a few seconds.",
          "A dependency is unavailable; retry after Retry-After seconds"),
}
# Properties of response-only schemas that the server leaves out of some answers.
SOMETIMES_ABSENT = {"PageLinks": {"prev", "next"}, "Problem": {"invalidParams", "invalidParamsOmitted"},
                    "FieldChange": {"erased"}}


@cache
def changelog() -> str:
    """The API changelog (Markdown), served next to the document."""
    return CHANGELOG.read_text(encoding="utf-8")


def add_components(spec: APISpec) -> None:
    """Response headers and the security scheme that operations refer to."""
    for name, (description, schema) in HEADERS.items():
        spec.components.header(name, {"description": description, "schema": schema})
    spec.components.security_scheme("apiKey", {
        "type": "http", "scheme": "bearer",
        "description": "API key: `Authorization: Bearer kb_…` (optional on reads: it shows contact data of "
                       "persons; curators and admins get theirs with `kennisbank keys create`)",
    })


def _headers(*names: str) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in (*ALWAYS, *names)}


def _is_page(schema: Any) -> bool:
    declared = getattr(schema, "_declared_fields", {})
    return {"items", "page", "pageSize", "total"} <= set(declared)


def responses(op: dict[str, Any], meta: Any, method: str) -> None:
    """The responses of one operation: success with its headers, 304 on GETs, and every error it can answer."""
    extra = [name for name in meta.response_headers if name in HEADERS]
    if method == "get" and meta.response_content_type == "application/json":
        extra.append("ETag")
    if _is_page(meta.response):
        extra += ["Link", "X-Total-Count"]
    headers = _headers(*dict.fromkeys(extra))
    for name, meaning in meta.response_headers.items():
        if name not in HEADERS:
            headers[name] = {"description": meaning, "schema": {"type": "string"}}
    ok: dict[str, Any] = {"description": "OK" if meta.status == 200 else "Done", "headers": headers}
    if meta.response is not None:
        ok["content"] = {meta.response_content_type: {"schema": meta.response}}
    op["responses"][str(meta.status)] = ok
    if method == "get" and meta.response_content_type == "application/json":
        op["parameters"].append({"in": "header", "name": "If-None-Match", "required": False,
                                 "description": "An ETag of an earlier answer: 304 without a body while it is current",
                                 "schema": {"type": "string"}})
        op["responses"]["304"] = {"description": "Not modified (If-None-Match matched the ETag)",
                                  "headers": _headers("ETag")}
    for status in sorted({400, 401, 429, 500, 503, *meta.errors}):
        title, code, detail, description = ERROR_TITLES[status]
        example: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail,
                                   "instance": "urn:uuid:4b7c2c52-9a5e-4a1a-9e3c-8c9b0f7f1a00", "code": code}
        if status == 400:
            example["invalidParams"] = [{"name": "pageSize", "code": "invalid",
                                         "reason": "Must be greater than or equal to 1 and less than or equal to 100."}]
        named = {429: ("Retry-After",), 503: ("Retry-After",), 401: ("WWW-Authenticate",)}.get(status, ())
        op["responses"][str(status)] = {
            "description": description,
            "headers": _headers(*named),
            "content": {"application/problem+json": {"schema": "Problem", "example": example}},
        }
    if method == "get":  # answered by gunicorn, before the app, when the request line outgrows what it reads
        op["responses"]["414"] = {"description": "URI too long: the request line (path and query) is over 8,190 "
                                                 "bytes; the HTTP server answers before the API (no API headers)"}


def shape(document: dict[str, Any]) -> dict[str, Any]:
    """The apispec document, made generator-friendly (see the module docstring)."""
    schemas = document["components"]["schemas"]
    enums: dict[tuple[str, ...], str] = {}
    for name in list(schemas):
        for prop_name, prop in schemas[name].get("properties", {}).items():
            _nullable(prop, _stem(name) + prop_name[:1].upper() + prop_name[1:], schemas, enums)
    for schema in _walk(document):
        if schema.get("format") == "url":
            schema["format"] = "uri"
    _split_shared(document)
    requested, answered = referenced(document, "requestBody", "parameters"), referenced(document, "responses")
    for name in answered - requested:
        _require_all(name, schemas[name])
    for item in document["paths"].values():
        for op in item.values():
            for response in op.get("responses", {}).values():
                ndjson = response.get("content", {}).get(NDJSON)
                if ndjson is not None:
                    line = ndjson["schema"]["$ref"].removeprefix(REF)
                    ndjson["schema"] = {"type": "string", "format": "binary",
                                        "description": f"Newline-delimited JSON: one `{line}` object per line"}
    for schema in _walk(document["paths"]):
        values = schema.get("enum")
        if isinstance(values, list) and any(isinstance(v, str) and v.startswith("-") for v in values):
            # Sort values: "-name" would be an unnamed VALUE_3 in generated code; name it NAME_DESC.
            schema["x-enum-varnames"] = [_constant(v.removeprefix("-")) + ("_DESC" if v.startswith("-") else "")
                                         for v in values]
    document["security"] = [{}, {"apiKey": []}]
    return document


def _constant(value: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", value).replace("-", "_").upper()


def _stem(name: str) -> str:
    for suffix in ("Input", "Patch"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def _nullable(prop: dict[str, Any], enum_name: str, schemas: dict[str, Any], enums: dict[tuple[str, ...], str]) -> None:
    """One named type or null: `anyOf: [$ref, {nullable, enum: [null]}]`, which generators type as `X | None`."""
    any_of = prop.get("anyOf")
    if any_of and len(any_of) == 2 and any(o.get("nullable") for o in any_of) and any("$ref" in o for o in any_of):
        ref = next(o for o in any_of if "$ref" in o)
        prop["anyOf"] = [ref, {"type": "object", "nullable": True, "enum": [None]}]
    elif prop.get("nullable") and None in prop.get("enum", ()):
        values = tuple(v for v in prop.pop("enum") if v is not None)
        kind = prop.pop("type", "string")
        name = enums.setdefault(values, enum_name)
        schemas.setdefault(name, {"type": kind, "enum": list(values)})
        del prop["nullable"]
        prop["anyOf"] = [{"$ref": f"{REF}{name}"}, {"type": kind, "nullable": True, "enum": [None]}]
        if prop.get("default", "") is None:
            del prop["default"]
    elif prop.get("nullable") and not ({"type", "allOf", "anyOf", "$ref"} & prop.keys()):
        del prop["nullable"]  # a typeless schema already allows null; nullable needs a type beside it
    elif prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        _nullable(prop["items"], enum_name, schemas, enums)


def _split_shared(document: dict[str, Any]) -> None:
    """Give each object schema that requests and responses share a request copy, `{name}Input`.

    A request may leave out what a response always carries (a contact's phone, a source's vintage): one schema
    for both would type every answered field as optional. Requests refer to the copy; the original becomes
    response-only, so `_require_all` makes it exact.
    """
    schemas = document["components"]["schemas"]
    requested, answered = referenced(document, "requestBody", "parameters"), referenced(document, "responses")
    shared = sorted(name for name in requested & answered if schemas[name].get("properties"))
    for name in shared:
        schemas[f"{name}Input"] = deepcopy(schemas[name])
    renamed = {f"{REF}{name}": f"{REF}{name}Input" for name in shared}
    request_sides = [op.get(key) for item in document["paths"].values() for op in item.values()
                     for key in ("requestBody", "parameters")]
    request_sides += [schemas[name] for name in requested - answered] + [schemas[f"{name}Input"] for name in shared]
    for node in _walk(request_sides):
        if node.get("$ref") in renamed:
            node["$ref"] = renamed[node["$ref"]]


def _require_all(name: str, schema: dict[str, Any]) -> None:
    properties = schema.get("properties", {})
    absent = SOMETIMES_ABSENT.get(name, set())
    schema["required"] = [p for p in properties if p not in absent]
    for prop in properties.values():
        prop.pop("default", None)
    if not schema["required"]:
        del schema["required"]


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def referenced(document: dict[str, Any], *keys: str) -> set[str]:
    """Component schemas reachable from the given parts of the operations (transitively)."""
    schemas = document["components"]["schemas"]
    todo = [op.get(key) for item in document["paths"].values() for op in item.values() for key in keys]
    seen: set[str] = set()
    while todo:
        for node in _walk(todo.pop()):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF) and ref.removeprefix(REF) not in seen:
                seen.add(ref.removeprefix(REF))
                todo.append(schemas.get(ref.removeprefix(REF)))
    return seen
