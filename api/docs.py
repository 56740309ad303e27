"""API documentation derived from the marshmallow schemas: OpenAPI 3 document and Swagger UI.

The document is built once per app (the first time it is asked for) and served from memory with its ETag.
`api.openapi_contract` then shapes it for code generators: typed links, nullable references and enums,
exact `required`, every response header, and an example per error status.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, Response, current_app, render_template, request, url_for
from flask_restx import Api
from marshmallow import Schema

from api import openapi_contract
from api.config import API_VERSION
from schemas.common import Links, ProblemSchema

F = TypeVar("F", bound=Callable[..., Any])
API_PREFIX = "/api/v1"
CHANGELOG_PATH = "/changelog"


@dataclass
class Operation:
    """What the docs need to know about one view method; `query=None` means it takes no query parameters."""

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
    request_headers: dict[str, str] = field(default_factory=dict)  # name -> meaning; If-Match is required
    paged: bool = False  # answers the paging envelope, with Link and X-Total-Count


def operation(**kwargs: Any) -> Callable[[F], F]:
    """Attach OpenAPI metadata to a view method; the docstring becomes its summary and description."""

    def decorate(fn: F) -> F:
        fn._kb_operation = Operation(**kwargs)  # type: ignore[attr-defined]
        return fn

    return decorate


def operation_of(view_class: Any, method: str) -> Operation | None:
    """The metadata of `method` on a restx resource class, if it is documented."""
    return getattr(getattr(view_class, method.lower(), None), "_kb_operation", None)


def schema_name(schema: Any) -> str:
    """Component name of a schema: its class name without a `Schema` suffix, so names stay stable."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__
    return name[:-6] if name.endswith("Schema") and len(name) > 6 else name


def build_openapi(api: Api, server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document of every documented restx resource."""
    plugin = MarshmallowPlugin(schema_name_resolver=schema_name)
    spec = APISpec(
        title="Kennisbank API",
        version=API_VERSION,
        openapi_version="3.0.3",
        plugins=[plugin],
        info={
            "description": "Who can help a Dutch municipality against radicalisation, and with what: "
            "Veiligheidshuizen, police units, safety regions, experts, ready-made approaches and peers. "
            "Field names are English; the content is Dutch.\n\n"
            f"Changes between versions: [changelog]({server_url}{CHANGELOG_PATH}).",
            "contact": {"name": "Kennisbank beheer", "url": "https://example.org/kennisbank",
                        "email": "kennisbank@example.org"},
            "license": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
            "x-changelog": f"{server_url}{CHANGELOG_PATH}",
        },
        servers=[{"url": server_url, "description": "This server"}],
    )
    assert plugin.converter is not None
    converter = plugin.converter

    def links_shape(_converter: Any, field_obj: Any, **_kwargs: Any) -> dict[str, Any]:
        if not isinstance(field_obj, Links):
            return {}
        return {"allOf": [converter.resolve_nested_schema(field_obj.shape)]}

    converter.add_attribute_function(links_shape)
    spec.components.schema("Problem", schema=ProblemSchema)
    openapi_contract.add_components(spec)
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
                    meta = operation_of(resource, method)
                    if fn is not None and meta is not None:
                        operations[method] = _operation(fn, meta, resource, method, ns, url)
                if operations:
                    path = re.sub(r"<(?:[a-z]+:)?([A-Za-z_]+)>", r"{\1}", url).rstrip("/")
                    # The root is the server URL itself: "/" (the API also answers /api/v1/ there).
                    spec.path(path=path or "/", operations=operations)
    return openapi_contract.shape(spec.to_dict())


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
        op["parameters"].append({"in": "header", "name": name, "required": name == "If-Match",
                                 "description": meaning, "schema": {"type": "string"}})
    if meta.body is not None:
        op["requestBody"] = {"required": True, "content": {ct: {"schema": meta.body} for ct in meta.body_content_types}}
    openapi_contract.responses(op, meta, method)
    if meta.auth == "required":
        op["security"] = [{"apiKey": []}]
    return op


def openapi_document(app: Flask, api: Api, server_url: str) -> tuple[bytes, str]:
    """The serialised document and its ETag, built once per app and server URL."""
    cache: dict[str, tuple[bytes, str]] = app.extensions.setdefault("kennisbank_openapi", {})
    if server_url not in cache:
        body = json.dumps(build_openapi(api, server_url), ensure_ascii=False, indent=1).encode("utf-8")
        cache[server_url] = (body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
    return cache[server_url]


def init_app(app: Flask, api: Api) -> None:
    """Serve the OpenAPI document, the API changelog and the Swagger UI (restx's bundled, offline assets)."""
    base_url = app.config.get("KENNISBANK", {}).get("BASE_URL", "").rstrip("/")
    # Without a configured base URL the server is relative (RFC 3986: resolved against the document's own URL),
    # so the document does not depend on the Host header and is built once.
    server_url = f"{base_url}{API_PREFIX}"

    @app.get(f"{API_PREFIX}/openapi.json")
    def openapi_json() -> Response:
        body, etag = openapi_document(current_app, api, server_url)
        response = Response(body, mimetype="application/json")
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.set_etag(etag.strip('"'))
        return response.make_conditional(request)

    @app.get(f"{API_PREFIX}{CHANGELOG_PATH}")
    def api_changelog() -> Response:
        return Response(openapi_contract.changelog(), mimetype="text/markdown")

    @app.get(f"{API_PREFIX}/docs")
    def swagger_ui() -> Response:
        response = Response(render_template("swagger-ui.html", spec_url=url_for("openapi_json")))
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
        )
        return response
