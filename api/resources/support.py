"""The support bundle: the one-call answer for a municipality, a route below its item."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Response
from flask_restx import Resource

from api.access import visible_statuses
from api.collections import APPROACHES, EXPERTS, MUNICIPALITIES, ORGANISATIONS, SAFETY_HOUSES, Collection
from api.docs import operation
from api.http import json_response, query_params
from api.queries.support import support_bundle
from api.queries.support_bundle import ServingExpert, ServingHouse
from api.record_dumps import dump_of, dumps_of
from api.resources.municipalities import ns
from api.sessions import db
from api.support_gaps import gaps_of
from api.visibility import check_filters, present_dumped
from schemas.support import ServesViaSchema, SupportBundleSchema, SupportQuerySchema, SupportSafetyHouseSchema

LISTED = ("safety_houses", "experts", "approaches", "national_organisations")
"""Fields holding records of a collection, shown from their kept dumps (`api.record_dumps`)."""
OUTER = SupportBundleSchema(exclude=LISTED)
ORDER = [field.data_key or name for name, field in SupportBundleSchema().fields.items()]
SERVES_VIA = ServesViaSchema()
HOUSE_KEYS = [field.data_key or name for name, field in SupportSafetyHouseSchema().fields.items()]
"""What the bundle shows of a house: its coverage of the municipality, the rest as the house's record shows it."""
QUERY = SupportQuerySchema()


@ns.route("/<string:municipality_id>/support")
class MunicipalitySupport(Resource):
    """Who can help a municipality, and with what."""

    @operation(query=SupportQuerySchema, response=SupportBundleSchema, errors=(404,), auth="optional")
    def get(self, municipality_id: str) -> Response:
        """Get the support bundle of a municipality: who can help it, and with what.

        One call for a municipality (CBS code, e.g. GM0363; find it by name or alias with
        `GET /municipalities?q=den bosch`): its Veiligheidshuizen (named in a source first, else those of its
        safety region), police unit and safety region; the experts that serve it, most local first, each with
        `servesVia` (the area through which it serves it); the approaches that suit its size class; nearby
        municipalities with an adopted policy they share (`distanceKm`); the national organisations; and `gaps`:
        what the answer lacks and what to do about it (Dutch). `topic` narrows the experts and approaches.
        Experts, approaches and peers are each capped at `limit` (default 10, at most 50): `totals` tells how many
        there are in all and `_links.experts` / `_links.approaches` lead to the full collections. A person's email
        and phone are shown to authenticated callers only.
        """
        params = query_params(QUERY)  # an unknown or malformed code is a 404, as on every item (support_bundle)
        check_filters(QUERY, params)
        bundle = support_bundle(
            db(), municipality_id, statuses=visible_statuses(None), topics=params.get("topic"), limit=params["limit"]
        )
        bundle.safety_houses = serving_houses(municipality_id)
        bundle.gaps = gaps_of(bundle)
        body = OUTER.dump(bundle)
        listed = {
            "safetyHouses": houses_shown(bundle.safety_houses),
            "experts": experts_shown(bundle.experts),
            "approaches": shown(APPROACHES, bundle.approaches),
            "nationalOrganisations": shown(ORGANISATIONS, bundle.national_organisations),
        }
        return json_response({key: listed[key] if key in listed else body[key] for key in ORDER})


def serving_houses(municipality_id: str) -> list[ServingHouse]:
    """The houses serving the municipality as its record shows them to this caller (visible ones, the surest kept:
    `Municipality.safety_houses` and the visibility rule)."""
    record = present_dumped(MUNICIPALITIES, dict(dump_of(MUNICIPALITIES, municipality_id).body))
    return [ServingHouse(house["id"], house["name"], house["coverage"]) for house in record["safetyHouses"]]


def shown(collection: Collection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The records with `ids` as their collection shows them to this caller (from their kept dumps): unpublished
    related summaries dropped, a person's contact data redacted (api/personal_data.redact_expert) for anonymous
    callers."""
    return [present_dumped(collection, dict(dumped.body)) for dumped in dumps_of(collection, ids)]


def experts_shown(experts: Sequence[ServingExpert]) -> list[dict[str, Any]]:
    """The experts as their collection shows them, each with the area through which it serves the municipality."""
    records = shown(EXPERTS, [expert.id for expert in experts])
    return [{**record, "servesVia": SERVES_VIA.dump(expert.serves_via)}
            for expert, record in zip(experts, records, strict=True)]


def houses_shown(houses: Sequence[ServingHouse]) -> list[dict[str, Any]]:
    """Each house's coverage of the municipality, and the rest of what the bundle shows of it as its record does."""
    dumps = dumps_of(SAFETY_HOUSES, [house.id for house in houses])
    return [{key: house.coverage if key == "coverage" else dumped.body[key] for key in HOUSE_KEYS}
            for house, dumped in zip(houses, dumps, strict=True)]
