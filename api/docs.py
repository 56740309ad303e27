"""API documentation derived from the marshmallow schemas: OpenAPI 3 document and Swagger UI."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, Response, render_template, url_for
from flask_restx import Api
from marshmallow import Schema

from api.config import API_VERSION
from schemas.common import BASE_URL, ProblemSchema

F = TypeVar("F", bound=Callable[..., Any])
ERROR_TITLES = {
    400: "Invalid input: every error is listed in invalidParams",
    401: "No valid API key",
    403: "The key's role may not do this",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "If-Match does not match the current version",
    413: "Body too large",
    415: "Unsupported content type",
    428: "If-Match is required",
    429: "Rate limit exceeded",
    500: "Internal error",
    503: "A dependency is unavailable; retry after Retry-After seconds",
}


@dataclass
class Operation:
    """What the docs need to know about one view method."""

    query: type[Schema] | None = None
    body: type[Schema] | None = None
    body_content_types: tuple[str, ...] = ("application/json",)
    response: type[Schema] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    auth: str | None = None
    response_content_type: str = "application/json"
    response_headers: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    request_headers: dict[str, str] = field(default_factory=dict)  # request headers: name -> meaning (the API
    # answers a missing one itself, e.g. 428 for If-Match, so they are not marked required in the schema)


def operation(**kwargs: Any) -> Callable[[F], F]:
    """Attach OpenAPI metadata to a view method; the docstring becomes its summary and description."""

    def decorate(fn: F) -> F:
        fn._kb_operation = Operation(**kwargs)  # type: ignore[attr-defined]
        return fn

    return decorate


def _schema_name(schema: Any) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__
    return name[:-6] if name.endswith("Schema") and len(name) > 6 else name


def build_openapi(api: Api, server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document of every documented restx resource."""
    spec = APISpec(
        title="Kennisbank API",
        version=API_VERSION,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)],
        info={
            "description": "Who can help a Dutch municipality against radicalisation, and with what: "
            "Veiligheidshuizen, police units, safety regions, experts, ready-made approaches and peers. "
            "Field names are English; the content is Dutch.",
            "contact": {"name": "Kennisbank beheer", "url": "https://example.org/kennisbank",
                        "email": "kennisbank@example.org"},
            "license": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
        },
        servers=[{"url": server_url, "description": "This server"}],
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    spec.components.header("API-Version", {
        "description": "Semantic version of the API", "schema": {"type": "string", "example": API_VERSION},
    })
    spec.components.security_scheme("apiKey", {
        "type": "http", "scheme": "bearer", "description": "API key: Authorization: Bearer kb_…",
    })
    spec.tag({"name": "root", "description": "Entry point of the API"})
    for ns in api.namespaces:
        if ns.name != "default":
            spec.tag({"name": ns.name, "description": ns.description or ns.name})
    for ns in api.namespaces:
        for resource, urls, _route_doc, _kwargs in ns.resources:
            for url in api.ns_urls(ns, urls):
                operations = {}
                for method in ("get", "post", "put", "patch", "delete"):
                    fn = getattr(resource, method, None)
                    meta: Operation | None = getattr(fn, "_kb_operation", None)
                    if fn is not None and meta is not None:
                        operations[method] = _operation(fn, meta, resource, method, ns, url)
                if operations:
                    path = re.sub(r"<(?:[a-z]+:)?([A-Za-z_]+)>", r"{\1}", url).rstrip("/")
                    spec.path(path=path or "/", operations=operations)  # relative to servers[0].url
    document = spec.to_dict()
    root = document["paths"].pop("/", None)
    if root is not None:
        # The root is /api/v1 itself: as "/" it would be called as /api/v1/ (a 404, no trailing slashes), so it
        # is documented as /v1 under the unversioned base.
        root["servers"] = [{"url": server_url.removesuffix("/v1"), "description": "This server, unversioned"}]
        document["paths"] = {"/v1": root, **document["paths"]}
    return document


def _operation(
    fn: Callable[..., Any], meta: Operation, resource: type, method: str, ns: Any, url: str
) -> dict[str, Any]:
    doc = (fn.__doc__ or "").strip()
    summary, _, description = doc.partition("\n")
    op: dict[str, Any] = {
        "operationId": f"{method}{resource.__name__}",
        "summary": summary.strip(),
        "tags": list(meta.tags) or [ns.name if ns.name != "default" else "root"],
        "parameters": [],
        "responses": {},
    }
    if description.strip():
        op["description"] = re.sub(r"\n\s+", "\n", description.strip())
    for name in re.findall(r"<(?:[a-z]+:)?([A-Za-z_]+)>", url):
        op["parameters"].append({"in": "path", "name": name, "required": True, "schema": {"type": "string"}})
    if meta.query is not None:
        op["parameters"].append({"in": "query", "schema": meta.query})
    for name, meaning in meta.request_headers.items():
        op["parameters"].append({"in": "header", "name": name, "required": False, "description": meaning,
                                 "schema": {"type": "string"}})
    if meta.body is not None:
        op["requestBody"] = {"required": True, "content": {ct: {"schema": meta.body} for ct in meta.body_content_types}}
    headers = {"API-Version": {"$ref": "#/components/headers/API-Version"}}
    headers.update({k: {"description": v, "schema": {"type": "string"}} for k, v in meta.response_headers.items()})
    ok: dict[str, Any] = {"description": "OK" if meta.status == 200 else "Done", "headers": headers}
    if meta.response is not None:
        ok["content"] = {meta.response_content_type: {"schema": meta.response}}
    op["responses"][str(meta.status)] = ok
    if method == "get":
        op["responses"]["304"] = {"description": "Not modified (If-None-Match matched the ETag)", "headers": headers}
    for status in sorted({400, 429, 500, 503, *meta.errors}):
        op["responses"][str(status)] = {
            "description": ERROR_TITLES[status],
            "headers": headers,
            "content": {"application/problem+json": {"schema": "Problem"}},
        }
    if meta.auth:
        op["security"] = [{"apiKey": []}, {}] if meta.auth == "optional" else [{"apiKey": []}]
    return op


def init_app(app: Flask, api: Api) -> None:
    """Serve the OpenAPI document and the Swagger UI (restx's bundled, offline assets)."""

    @app.get("/api/v1/openapi.json")
    def openapi_json() -> Response:
        server = f"{BASE_URL.get()}{url_for('openapi_json').rsplit('/openapi.json', 1)[0]}"  # never the raw Host
        document = json.dumps(build_openapi(api, server), ensure_ascii=False, indent=1)
        response = Response(document, mimetype="application/json")
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    @app.get("/api/v1/docs")
    def swagger_ui() -> Response:
        response = Response(render_template("swagger-ui.html", spec_url=url_for("openapi_json")))
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
        )
        return response
