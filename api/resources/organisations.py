"""Organisations: national and regional providers of support."""

from flask import Response
from flask_restx import Resource

from api.collections import ORGANISATIONS
from api.docs import operation
from api.resources import views, writes
from api.resources.base import namespace
from schemas.common import page_schema
from schemas.organisations import OrganisationInputSchema, OrganisationQuerySchema, OrganisationSchema

ns = namespace(ORGANISATIONS, "ROR, ESS, NCTV, VNG and other providers of support")
QUERY = OrganisationQuerySchema()


@ns.route("")
class OrganisationList(Resource):
    """The collection of organisations."""

    @operation(query=OrganisationQuerySchema, response=page_schema(OrganisationSchema, "OrganisationPage"),
               auth="optional")
    def get(self) -> Response:
        """List organisations (published ones; curators may filter by status)."""
        return views.list_response(ORGANISATIONS, QUERY)

    @operation(**writes.create_doc(OrganisationInputSchema, OrganisationSchema))
    def post(self) -> Response:
        """Create an organisation (curators).

        The record starts as a `draft` unless `status` says otherwise; an existing id is a 409.
        """
        return writes.create(ORGANISATIONS)


@ns.route("/<string:organisation_id>")
class OrganisationItem(Resource):
    """One organisation."""

    @operation(response=OrganisationSchema, errors=(404,), auth="optional", response_headers=writes.ETAG_HEADER)
    def get(self, organisation_id: str) -> Response:
        """Get an organisation by id (e.g. ess)."""
        return views.item_response(ORGANISATIONS, views.fetch(ORGANISATIONS, organisation_id))

    @operation(**writes.replace_doc(OrganisationInputSchema, OrganisationSchema))
    def put(self, organisation_id: str) -> Response:
        """Replace an organisation (curators; If-Match required)."""
        return writes.replace(ORGANISATIONS, organisation_id)

    @operation(**writes.patch_doc(OrganisationInputSchema, OrganisationSchema))
    def patch(self, organisation_id: str) -> Response:
        """Change some fields of an organisation (curators; JSON merge patch; If-Match required)."""
        return writes.patch(ORGANISATIONS, organisation_id)

    @operation(**writes.ARCHIVE_DOC)
    def delete(self, organisation_id: str) -> Response:
        """Archive an organisation (curators; If-Match required): it leaves public views, its history stays."""
        return writes.archive(ORGANISATIONS, organisation_id)
