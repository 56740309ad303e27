"""History: GET /{collection}/{id}/history lists the revisions of a record, newest first (curators)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_restx import Namespace, Resource

from api.access import Role, require
from api.docs import operation
from api.http import page_response, query_params
from api.personal_data import redact_revision
from api.queries.revisions import list_revisions
from api.resources import (
    approaches,
    experts,
    municipalities,
    organisations,
    police_units,
    safety_houses,
    safety_regions,
    topics,
)
from api.resources.views import VIEWS
from api.sessions import db
from schemas.common import page_schema
from schemas.history import HistoryQuerySchema, RevisionSchema

QUERY = HistoryQuerySchema()
OUTPUT = RevisionSchema()
NAMESPACES: dict[str, Namespace] = {
    "municipalities": municipalities.ns, "safety-regions": safety_regions.ns, "police-units": police_units.ns,
    "safety-houses": safety_houses.ns, "organisations": organisations.ns, "experts": experts.ns,
    "approaches": approaches.ns, "topics": topics.ns,
}
RevisionPage = page_schema(RevisionSchema, "RevisionPage")


class History(Resource):
    """The revisions of one record."""

    collection = ""

    @operation(query=HistoryQuerySchema, response=RevisionPage, errors=(401, 403, 404), auth="required")
    def get(self, record_id: str) -> Response:
        """List the revisions of a record, newest first (curators).

        Each revision says who wrote (API key id, or `seed` / `import`), when, the action and every changed
        field with its old and new value. Erased personal data shows as `erased: true` without values.
        """
        require(Role.CURATOR)
        params = query_params(QUERY)
        VIEWS[self.collection].fetch(record_id)  # 404 for an unknown record
        page = list_revisions(db(), self.collection, record_id, params)
        return page_response(page, OUTPUT, transform=lambda item: redact_revision(self.collection, item))


def _register(collection: str, namespace: Namespace) -> None:
    name = "".join(part.capitalize() for part in collection.split("-")) + "History"
    resource: Any = type(name, (History,), {"collection": collection, "__doc__": f"History of one of {collection}"})
    namespace.add_resource(resource, "/<string:record_id>/history")


for _collection, _namespace in NAMESPACES.items():
    _register(_collection, _namespace)
