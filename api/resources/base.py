"""Shared pieces of the HTTP resources: the restx Api whose errors are problems, and list/item helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from flask_restx import Api
from marshmallow import Schema

from api.access import visible_statuses
from api.http import json_response, page_response, query_params
from api.problems import from_exception
from api.queries.paging import Page


class KennisbankApi(Api):
    """flask-restx Api whose every error is answered as problem+json by `api.problems`."""

    def handle_error(self, e: Exception) -> Response:
        """Every error inside the API becomes problem+json."""
        return from_exception(e)

    def _register_specs(self, app_or_blueprint: Any) -> None:
        """No Swagger 2.0 document: the OpenAPI 3 document of `api.docs` is the only spec."""

    def _register_doc(self, app_or_blueprint: Any) -> None:
        """No restx root or doc page: the API root is a resource and the docs live in `api.docs`."""


def list_response(
    query_schema: Schema,
    output: Schema,
    fetch: Callable[[dict[str, Any]], Page[Any]],
    *,
    curated: bool = False,
    transform: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Response:
    """Load the query string, fetch one page and answer it with the paging envelope."""
    params = query_params(query_schema)
    if curated:
        params["status"] = visible_statuses(params.get("status"))
    return page_response(fetch(params), output, transform)


def item_response(item: Any, output: Schema) -> Response:
    """One resource as JSON."""
    return json_response(output.dump(item))
