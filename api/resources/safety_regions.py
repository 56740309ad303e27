"""Safety regions: the 25 veiligheidsregio's."""

from api.collections import SAFETY_REGIONS
from api.resources.base import namespace
from api.resources.routes import Docs, route_collection
from schemas.safety_regions import SafetyRegionQuerySchema

ns = namespace(SAFETY_REGIONS, "Veiligheidsregio's (VR01..VR25)")
route_collection(ns, SAFETY_REGIONS, SafetyRegionQuerySchema, "region_id", Docs(
    list="List safety regions, with their police unit, member municipalities and safety houses.",
    get="Get a safety region by code (e.g. VR13).",
))
