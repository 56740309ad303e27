"""Police units: the ten regional units of the Nationale Politie and the Landelijke Eenheid."""

from flask import Response
from flask_restx import Namespace, Resource

from api.docs import operation
from api.queries.police_units import get_police_unit, list_police_units
from api.resources.base import item_response, list_response
from api.sessions import db
from schemas.common import page_schema
from schemas.police_units import PoliceUnitQuerySchema, PoliceUnitSchema

ns = Namespace("police-units", description="Politie-eenheden (RE01..RE10, LE)", path="/police-units")
OUTPUT = PoliceUnitSchema()
QUERY = PoliceUnitQuerySchema()


@ns.route("")
class PoliceUnitList(Resource):
    """The collection of police units."""

    @operation(query=PoliceUnitQuerySchema, response=page_schema(PoliceUnitSchema, "PoliceUnitPage"))
    def get(self) -> Response:
        """List police units, with the safety regions and municipalities of their working area."""
        return list_response(QUERY, OUTPUT, lambda params: list_police_units(db(), params))


@ns.route("/<string:unit_id>")
class PoliceUnitItem(Resource):
    """One police unit."""

    @operation(response=PoliceUnitSchema, errors=(404,))
    def get(self, unit_id: str) -> Response:
        """Get a police unit by code (e.g. RE05, or LE for the Landelijke Eenheid)."""
        return item_response(get_police_unit(db(), unit_id), OUTPUT)
