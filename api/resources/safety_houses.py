"""Safety houses: the known (Zorg- en) Veiligheidshuizen and the municipalities they serve."""

from api.collections import SAFETY_HOUSES
from api.resources.base import namespace
from api.resources.routes import Docs, route_collection
from schemas.safety_houses import SafetyHouseQuerySchema

ns = namespace(SAFETY_HOUSES, "(Zorg- en) Veiligheidshuizen and their coverage")
route_collection(ns, SAFETY_HOUSES, SafetyHouseQuerySchema, "house_id", Docs(
    list="""List safety houses.

    The list is known to be incomplete (about 30 houses exist); each house cites its sources.
    `serves=GM0014` lists the houses whose coverage names that municipality.
    """,
    get="""Get a safety house by id, with its contact, working area, coverage and sources.

    Coverage basis `named`: the source names the municipality; `region`: the source says the whole region.
    """,
    replace="""Replace a safety house's details and coverage (curators; If-Match required).

    Every `coverage[].municipality` must be an existing municipality (else a 400 naming the field).
    """,
    patch="""Change some details of a safety house (curators; JSON merge patch; If-Match required).

    `coverage` is a list, so a patch that gives it replaces the whole coverage (RFC 7396).
    """,
))
