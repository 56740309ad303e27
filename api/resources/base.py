"""Shared pieces of the HTTP resources: the restx Api whose errors are problems, and list/item helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from flask_restx import Api, Namespace
from marshmallow import Schema

from api.collections import Collection
from api.docs import operation_of
from api.exceptions import InvalidInput, InvalidParam
from api.http import page_response, query_params
from api.problems import from_exception
from api.queries.paging import Page


class KennisbankApi(Api):
    """flask-restx Api whose every error is answered as problem+json by `api.problems`."""

    def handle_error(self, e: Exception) -> Response:
        """Every error inside the API becomes problem+json."""
        return from_exception(e)

    # The one private override left (flask-restx is pinned in pyproject.toml; tests/api/test_restx_pin.py fails
    # when the library changes underneath it). `init_app(..., add_specs=False)` and `doc=False` turn off restx's
    # Swagger 2.0 document and doc page through public options, but `_register_doc` always adds a rule of its own at the
    # prefix that answers 404 (`render_root`), under the endpoint name "root": the API root resource could
    # neither be routed there nor named "root". Upstream: python-restx/flask-restx#319 (open), #523.
    def _register_doc(self, app_or_blueprint: Any) -> None:
        """No restx root page: the API root is a resource (`resources/root.py`) and the docs live in `api.docs`."""


def reject_unknown_parameters() -> None:
    """An operation without query parameters takes none: any is a 400 naming it, as on the lists (whose schemas
    reject unknown ones), so a typo such as `?fields=name` never passes silently."""
    view = current_app.view_functions.get(request.endpoint or "")
    method = "get" if request.method == "HEAD" else request.method
    meta = operation_of(getattr(view, "view_class", None), method)
    if meta is not None and meta.query is None and request.args:
        raise InvalidInput([InvalidParam(key, "unknown-parameter", "Unknown field.") for key in request.args])


def namespace(collection: Collection, description: str) -> Namespace:
    """The restx namespace of a collection, at `/<collection name>`; the history routes join it."""
    ns = Namespace(collection.name, description=description, path=f"/{collection.name}")
    NAMESPACES[collection.name] = ns
    return ns


NAMESPACES: dict[str, Namespace] = {}
"""Each collection's namespace, by collection name (filled as the resource modules are imported)."""


def list_response(query_schema: Schema, output: Schema, fetch: Callable[[dict[str, Any]], Page[Any]]) -> Response:
    """Load the query string, fetch one page and answer it with the paging envelope (lists of non-catalogue
    records; the catalogue's collections use `api.resources.views.list_response`)."""
    return page_response(fetch(query_params(query_schema)), output)
