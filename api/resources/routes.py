"""The standard routes of a collection, built from its registry entry: the list (and create) and the item (get,
and for curated collections replace, patch and archive).

Each collection's resource module gives the docs of its operations (`Docs`); they become the API docs like any
view docstring (first line the summary, the rest the description).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response
from flask_restx import Namespace, Resource
from marshmallow import Schema

from api.collections import Collection
from api.docs import operation
from api.resources import views, writes
from schemas.common import page_schema


@dataclass(frozen=True)
class Docs:
    """The docs of a collection's standard operations; an operation without docs is not routed."""

    list: str
    get: str
    create: str | None = None
    replace: str | None = None
    patch: str | None = None
    archive: str | None = None


def route_collection(ns: Namespace, collection: Collection, query: type[Schema], id_name: str, docs: Docs
                     ) -> tuple[type[Resource], type[Resource]]:
    """Route `/<collection>` and `/<collection>/<id_name>` on `ns`; returns the list and item resources."""
    entity = collection.output_schema.__name__.removesuffix("Schema")
    public = {"auth": "optional"} if collection.curated else {}
    query_schema = query()
    output, body = collection.output_schema, collection.input_schema

    def list_(self: Resource) -> Response:
        return views.list_response(collection, query_schema)

    def create(self: Resource) -> Response:
        return writes.create(collection)

    def get(self: Resource, **path: str) -> Response:
        return views.get_response(collection, path[id_name])

    def replace(self: Resource, **path: str) -> Response:
        return writes.replace(collection, path[id_name])

    def patch(self: Resource, **path: str) -> Response:
        return writes.patch(collection, path[id_name])

    def archive(self: Resource, **path: str) -> Response:
        return writes.archive(collection, path[id_name])

    item_headers = {"response_headers": writes.ETAG_HEADER} if collection.curated else {}
    listed = {"get": _documented(list_, docs.list, query=query, response=page_schema(output, f"{entity}Page"),
                                 **public)}
    if docs.create:
        listed["post"] = _documented(create, docs.create, **writes.create_doc(body, output))
    item = {"get": _documented(get, docs.get, response=output, errors=(404,), **public, **item_headers)}
    for method, view, text, meta in (("put", replace, docs.replace, writes.replace_doc(body, output)),
                                     ("patch", patch, docs.patch, writes.patch_doc(body, output)),
                                     ("delete", archive, docs.archive, writes.ARCHIVE_DOC)):
        if text:
            item[method] = _documented(view, text, **meta)
    list_resource: Any = type(f"{entity}List", (Resource,), {"__doc__": f"The collection of {collection.name}.",
                                                             **listed})
    item_resource: Any = type(f"{entity}Item", (Resource,), {"__doc__": f"One {collection.label}.", **item})
    ns.add_resource(list_resource, "")
    ns.add_resource(item_resource, f"/<string:{id_name}>")
    return list_resource, item_resource


def _documented(view: Callable[..., Response], doc: str, **meta: Any) -> Callable[..., Response]:
    view.__doc__ = doc
    return operation(**meta)(view)
