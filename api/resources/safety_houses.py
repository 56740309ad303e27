"""Safety houses: the known (Zorg- en) Veiligheidshuizen and the municipalities they serve."""

from flask import Response
from flask_restx import Namespace, Resource

from api.access import ensure_visible
from api.docs import operation
from api.queries.safety_houses import get_safety_house, list_safety_houses
from api.resources.base import item_response, list_response
from api.sessions import db
from schemas.common import page_schema
from schemas.safety_houses import SafetyHouse, SafetyHouseQuery

ns = Namespace("safety-houses", description="(Zorg- en) Veiligheidshuizen and their coverage",
               path="/safety-houses")
OUTPUT = SafetyHouse()
QUERY = SafetyHouseQuery()


@ns.route("")
class SafetyHouseList(Resource):
    """The collection of safety houses."""

    @operation(query=SafetyHouseQuery, response=page_schema(SafetyHouse, "SafetyHousePage"))
    def get(self) -> Response:
        """List safety houses.

        The list is known to be incomplete (about 30 houses exist); each house cites its sources.
        `serves=GM0014` lists the houses whose coverage names that municipality.
        """
        return list_response(QUERY, OUTPUT, lambda params: list_safety_houses(db(), params), curated=True)


@ns.route("/<string:house_id>")
class SafetyHouseItem(Resource):
    """One safety house."""

    @operation(response=SafetyHouse, errors=(404,))
    def get(self, house_id: str) -> Response:
        """Get a safety house by id, with its coverage (explicit or region) and sources."""
        house = get_safety_house(db(), house_id)
        ensure_visible(house.status.value, "safety house")
        return item_response(house, OUTPUT)
