"""Safety houses: the known (Zorg- en) Veiligheidshuizen and the municipalities they serve."""

from flask import Response
from flask_restx import Namespace, Resource

from api.docs import operation
from api.queries.safety_houses import list_safety_houses
from api.resources import writes
from api.resources.base import list_response
from api.resources.views import VIEWS
from api.sessions import db
from schemas.common import page_schema
from schemas.safety_houses import SafetyHouseInputSchema, SafetyHouseQuerySchema, SafetyHouseSchema

ns = Namespace("safety-houses", description="(Zorg- en) Veiligheidshuizen and their coverage",
               path="/safety-houses")
NAME = "safety-houses"
VIEW = VIEWS[NAME]
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
        return list_response(QUERY, VIEW.output, lambda params: list_safety_houses(db(), params), curated=True)


@ns.route("/<string:house_id>")
class SafetyHouseItem(Resource):
    """One safety house."""

    @operation(response=SafetyHouseSchema, errors=(404,), auth="optional", response_headers=writes.ETAG_HEADER)
    def get(self, house_id: str) -> Response:
        """Get a safety house by id, with its coverage (explicit or region) and sources."""
        return VIEW.item_response(VIEW.fetch(house_id))

    @operation(**writes.replace_doc(SafetyHouseInputSchema, SafetyHouseSchema))
    def put(self, house_id: str) -> Response:
        """Replace a safety house's details and coverage (curators; If-Match required).

        Every `coverage[].municipality` must be an existing municipality (else a 400 naming the field).
        """
        return writes.replace(NAME, house_id)

    @operation(**writes.patch_doc(SafetyHouseInputSchema, SafetyHouseSchema))
    def patch(self, house_id: str) -> Response:
        """Change some details of a safety house (curators; JSON merge patch; If-Match required).

        `coverage` is a list, so a patch that gives it replaces the whole coverage (RFC 7396).
        """
        return writes.patch(NAME, house_id)
