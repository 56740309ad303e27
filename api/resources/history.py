"""History: GET /{collection}/{id}/history lists the revisions of a record, newest first (curators)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_restx import Namespace, Resource

from api.access import Role, require
from api.collections import COLLECTIONS, Collection
from api.docs import operation
from api.http import page_response, query_params
from api.personal_data import redact_revision
from api.queries.revisions import list_revisions
from api.resources import views
from api.resources.base import NAMESPACES
from api.sessions import db
from schemas.common import page_schema
from schemas.history import HistoryQuerySchema, RevisionSchema

QUERY = HistoryQuerySchema()
OUTPUT = RevisionSchema()
RevisionPage = page_schema(RevisionSchema, "RevisionPage")


class History(Resource):
    """The revisions of one record."""

    collection: Collection

    @operation(query=HistoryQuerySchema, response=RevisionPage, errors=(401, 403, 404), auth="required")
    def get(self, record_id: str) -> Response:
        """List the revisions of a record, newest first (curators).

        Each revision says who wrote (API key id, or `seed` / `import`), when, the action and every changed
        field with its old and new value. Erased personal data shows as `erased: true` without values.
        """
        require(Role.CURATOR)
        params = query_params(QUERY)
        views.fetch(self.collection, record_id)  # 404 for an unknown record
        page = list_revisions(db(), self.collection.name, record_id, params)
        if self.collection.redact is None:
            return page_response(page, OUTPUT)
        return page_response(page, OUTPUT, transform=redact_revision)


def register(collection: Collection, namespace: Namespace) -> None:
    """Route GET /{collection}/{id}/history on the collection's namespace."""
    name = "".join(part.capitalize() for part in collection.name.split("-")) + "History"
    resource: Any = type(name, (History,), {"collection": collection,
                                            "__doc__": f"History of one of {collection.name}"})
    namespace.add_resource(resource, "/<string:record_id>/history")


def register_all() -> None:
    """History routes for every collection of the registry (each collection's resource module is imported)."""
    unrouted = [c.name for c in COLLECTIONS if c.name not in NAMESPACES]
    if unrouted:
        raise RuntimeError(f"collections without a resource module (api/resources): {unrouted}")
    for collection in COLLECTIONS:
        register(collection, NAMESPACES[collection.name])
