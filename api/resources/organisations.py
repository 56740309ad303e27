"""Organisations: national and regional providers of support."""

from flask import Response
from flask_restx import Namespace, Resource

from api.access import ensure_visible
from api.docs import operation
from api.queries.organisations import get_organisation, list_organisations
from api.resources.base import item_response, list_response
from api.sessions import db
from schemas.common import page_schema
from schemas.organisations import Organisation, OrganisationQuery

ns = Namespace("organisations", description="ROR, ESS, NCTV, VNG and other providers of support",
               path="/organisations")
OUTPUT = Organisation()
QUERY = OrganisationQuery()


@ns.route("")
class OrganisationList(Resource):
    """The collection of organisations."""

    @operation(query=OrganisationQuery, response=page_schema(Organisation, "OrganisationPage"))
    def get(self) -> Response:
        """List organisations (published ones; curators may filter by status)."""
        return list_response(QUERY, OUTPUT, lambda params: list_organisations(db(), params), curated=True)


@ns.route("/<string:organisation_id>")
class OrganisationItem(Resource):
    """One organisation."""

    @operation(response=Organisation, errors=(404,))
    def get(self, organisation_id: str) -> Response:
        """Get an organisation by id (e.g. ess)."""
        organisation = get_organisation(db(), organisation_id)
        ensure_visible(organisation.status.value, "organisation")
        return item_response(organisation, OUTPUT)
