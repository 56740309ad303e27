"""Safety houses: the known (Zorg- en) Veiligheidshuizen and the municipalities they serve."""

from flask import Response
from flask_restx import Resource

from api.collections import SAFETY_HOUSES
from api.docs import operation
from api.resources import views, writes
from api.resources.base import namespace
from schemas.common import page_schema
from schemas.safety_houses import SafetyHouseInputSchema, SafetyHouseQuerySchema, SafetyHouseSchema

ns = namespace(SAFETY_HOUSES, "(Zorg- en) Veiligheidshuizen and their coverage")
QUERY = SafetyHouseQuerySchema()


@ns.route("")
class SafetyHouseList(Resource):
    """The collection of safety houses."""

    @operation(query=SafetyHouseQuerySchema, response=page_schema(SafetyHouseSchema, "SafetyHousePage"),
               auth="optional")
    def get(self) -> Response:
        """List safety houses.

        The list is known to be incomplete (about 30 houses exist); each house cites its sources.
        `serves=GM0014` lists the houses whose coverage names that municipality.
        """
        return views.list_response(SAFETY_HOUSES, QUERY)


@ns.route("/<string:house_id>")
class SafetyHouseItem(Resource):
    """One safety house."""

    @operation(response=SafetyHouseSchema, errors=(404,), auth="optional", response_headers=writes.ETAG_HEADER)
    def get(self, house_id: str) -> Response:
        """Get a safety house by id, with its contact, working area, coverage and sources.

        Coverage basis `named`: the source names the municipality; `region`: the source says the whole region.
        """
        return views.item_response(SAFETY_HOUSES, views.fetch(SAFETY_HOUSES, house_id))

    @operation(**writes.replace_doc(SafetyHouseInputSchema, SafetyHouseSchema))
    def put(self, house_id: str) -> Response:
        """Replace a safety house's details and coverage (curators; If-Match required).

        Every `coverage[].municipality` must be an existing municipality (else a 400 naming the field).
        """
        return writes.replace(SAFETY_HOUSES, house_id)

    @operation(**writes.patch_doc(SafetyHouseInputSchema, SafetyHouseSchema))
    def patch(self, house_id: str) -> Response:
        """Change some details of a safety house (curators; JSON merge patch; If-Match required).

        `coverage` is a list, so a patch that gives it replaces the whole coverage (RFC 7396).
        """
        return writes.patch(SAFETY_HOUSES, house_id)
