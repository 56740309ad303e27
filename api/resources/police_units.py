"""Police units: the ten regional units of the Nationale Politie and the Landelijke Eenheid."""

from api.collections import POLICE_UNITS
from api.resources.base import namespace
from api.resources.routes import Docs, route_collection
from schemas.police_units import PoliceUnitQuerySchema

ns = namespace(POLICE_UNITS, "Politie-eenheden (RE01..RE10, LE)")
route_collection(ns, POLICE_UNITS, PoliceUnitQuerySchema, "unit_id", Docs(
    list="List police units, with the safety regions and municipalities of their working area.",
    get="Get a police unit by code (e.g. RE05, or LE for the Landelijke Eenheid).",
))
