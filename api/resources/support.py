"""The support bundle: the one-call answer for a municipality, a route below its item."""

from __future__ import annotations

from flask import Response
from flask_restx import Resource

from api.access import visible_statuses
from api.collections import APPROACHES, EXPERTS, MUNICIPALITIES, ORGANISATIONS, SAFETY_HOUSES
from api.docs import operation
from api.http import json_response, query_params
from api.queries.support import support_bundle
from api.queries.support_bundle import ServingHouse
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
        # Its houses as the municipality's record shows them to this caller (visible ones, the surest kept)
        shown = present_dumped(MUNICIPALITIES, dict(dump_of(MUNICIPALITIES, municipality_id).body))["safetyHouses"]
        bundle.safety_houses = [ServingHouse(house["id"], house["name"], house["coverage"]) for house in shown]
        bundle.gaps = gaps_of(bundle)
        body = OUTER.dump(bundle)
        # The records as their collections show them (from their kept dumps): unpublished related summaries are
        # dropped, a person's contact data redacted (api/personal_data.redact_expert) for anonymous callers.
        listed = {
            "safetyHouses": [{key: serving.coverage if key == "coverage" else dumped.body[key] for key in HOUSE_KEYS}
                             for serving, dumped in zip(bundle.safety_houses, dumps_of(
                                 SAFETY_HOUSES, [house.id for house in bundle.safety_houses]), strict=True)],
            "experts": [{**present_dumped(EXPERTS, dict(dumped.body)), "servesVia": SERVES_VIA.dump(serving.serves_via)}
                        for serving, dumped in zip(bundle.experts, dumps_of(EXPERTS, [e.id for e in bundle.experts]),
                                                   strict=True)],
            "approaches": [present_dumped(APPROACHES, dict(dumped.body))
                           for dumped in dumps_of(APPROACHES, bundle.approaches)],
            "nationalOrganisations": [present_dumped(ORGANISATIONS, dict(dumped.body))
                                      for dumped in dumps_of(ORGANISATIONS, bundle.national_organisations)],
        }
        return json_response({key: listed[key] if key in listed else body[key] for key in ORDER})
