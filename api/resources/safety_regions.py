"""Safety regions: the 25 veiligheidsregio's."""

from flask import Response
from flask_restx import Resource

from api.collections import SAFETY_REGIONS
from api.docs import operation
from api.resources import views
from api.resources.base import namespace
from schemas.common import page_schema
from schemas.safety_regions import SafetyRegionQuerySchema, SafetyRegionSchema

ns = namespace(SAFETY_REGIONS, "Veiligheidsregio's (VR01..VR25)")
QUERY = SafetyRegionQuerySchema()


@ns.route("")
class SafetyRegionList(Resource):
    """The collection of safety regions."""

    @operation(query=SafetyRegionQuerySchema, response=page_schema(SafetyRegionSchema, "SafetyRegionPage"))
    def get(self) -> Response:
        """List safety regions, with their police unit, member municipalities and safety houses."""
        return views.list_response(SAFETY_REGIONS, QUERY)


@ns.route("/<string:region_id>")
class SafetyRegionItem(Resource):
    """One safety region."""

    @operation(response=SafetyRegionSchema, errors=(404,))
    def get(self, region_id: str) -> Response:
        """Get a safety region by code (e.g. VR13)."""
        return views.item_response(SAFETY_REGIONS, views.fetch(SAFETY_REGIONS, region_id))
