"""Police units: the ten regional units of the Nationale Politie and the Landelijke Eenheid."""

from flask import Response
from flask_restx import Resource

from api.collections import POLICE_UNITS
from api.docs import operation
from api.resources import views
from api.resources.base import namespace
from schemas.common import page_schema
from schemas.police_units import PoliceUnitQuerySchema, PoliceUnitSchema

ns = namespace(POLICE_UNITS, "Politie-eenheden (RE01..RE10, LE)")
QUERY = PoliceUnitQuerySchema()


@ns.route("")
class PoliceUnitList(Resource):
    """The collection of police units."""

    @operation(query=PoliceUnitQuerySchema, response=page_schema(PoliceUnitSchema, "PoliceUnitPage"))
    def get(self) -> Response:
        """List police units, with the safety regions and municipalities of their working area."""
        return views.list_response(POLICE_UNITS, QUERY)


@ns.route("/<string:unit_id>")
class PoliceUnitItem(Resource):
    """One police unit."""

    @operation(response=PoliceUnitSchema, errors=(404,))
    def get(self, unit_id: str) -> Response:
        """Get a police unit by code (e.g. RE05, or LE for the Landelijke Eenheid)."""
        return views.item_response(POLICE_UNITS, views.fetch(POLICE_UNITS, unit_id))
