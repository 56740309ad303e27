"""Safety regions: the 25 veiligheidsregio's."""

from flask import Response
from flask_restx import Namespace, Resource

from api.docs import operation
from api.queries.safety_regions import list_safety_regions
from api.resources.base import list_response
from api.resources.views import VIEWS
from api.sessions import db
from schemas.common import page_schema
from schemas.safety_regions import SafetyRegionQuerySchema, SafetyRegionSchema

ns = Namespace("safety-regions", description="Veiligheidsregio's (VR01..VR25)", path="/safety-regions")
VIEW = VIEWS["safety-regions"]
OUTPUT = VIEW.output
QUERY = SafetyRegionQuerySchema()


@ns.route("")
class SafetyRegionList(Resource):
    """The collection of safety regions."""

    @operation(query=SafetyRegionQuerySchema, response=page_schema(SafetyRegionSchema, "SafetyRegionPage"))
    def get(self) -> Response:
        """List safety regions, with their police unit, member municipalities and safety houses."""
        return list_response(QUERY, OUTPUT, lambda params: list_safety_regions(db(), params),
                             transform=VIEW.present_dumped)


@ns.route("/<string:region_id>")
class SafetyRegionItem(Resource):
    """One safety region."""

    @operation(response=SafetyRegionSchema, errors=(404,))
    def get(self, region_id: str) -> Response:
        """Get a safety region by code (e.g. VR13)."""
        return VIEW.item_response(VIEW.fetch(region_id))
