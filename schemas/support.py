"""The support bundle of a municipality: who can help it, and with what (its `support` route)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from marshmallow import fields, validate

from schemas.approaches import ApproachSchema
from schemas.common import (
    ID_PATTERN,
    BaseSchema,
    Links,
    LinkSchema,
    UTCDateTime,
    code_list,
    href,
    links_field,
    summary_schema,
)
from schemas.experts import ExpertSchema
from schemas.municipalities import CERTAINTIES, SIZE_CLASSES, PolicyEvidenceSchema, PolicySchema
from schemas.names import APPROACHES, EXPERTS, MUNICIPALITIES, POLICE_UNITS, SAFETY_HOUSES, SAFETY_REGIONS, TOPICS
from schemas.organisations import OrganisationSchema
from schemas.safety_houses import HouseContactSchema
from schemas.storable import StrictSchema

LIMIT_DEFAULT = 10
LIMIT_MAX = 50
LEVELS = ["municipality", "safety-region", "police-unit", "national"]
GAP_CODES = ["safety-house-unconfirmed", "no-safety-house", "no-experts", "no-approaches", "peers-from-evidence",
             "no-peers"]


class SupportQuerySchema(StrictSchema):
    """Query parameters of a municipality's support bundle."""

    topic = code_list(
        ID_PATTERN,
        "Topic id(s), comma-separated (OR): narrows the experts and approaches and "
        "ranks them by how many of these topics they cover",
        references=TOPICS,
    )
    limit = fields.Integer(
        load_default=LIMIT_DEFAULT,
        validate=validate.Range(min=1, max=LIMIT_MAX),
        metadata={
            "description": f"Most experts, approaches and peer municipalities to list, each: 1..{LIMIT_MAX} (default "
            f"{LIMIT_DEFAULT}). `totals` tells how many there are in all; `_links` leads to the full collections"
        },
    )


class SupportMunicipalitySchema(BaseSchema):
    """The municipality the bundle is about."""

    id = fields.String(required=True, metadata={"example": "GM0363"})
    name = fields.String(required=True, metadata={"example": "Amsterdam"})
    province = fields.String(required=True, metadata={"example": "Noord-Holland"})
    population = fields.Integer(required=True, metadata={"example": 931298})
    size_class = fields.String(
        data_key="sizeClass",
        required=True,
        validate=validate.OneOf(SIZE_CLASSES),
        metadata={"description": "small < 50,000 <= medium < 100,000 <= large"},
    )
    policy = fields.Nested(PolicySchema, required=True)
    _links = links_field(MUNICIPALITIES)


class SupportSafetyHouseSchema(BaseSchema):
    """A (Zorg- en) Veiligheidshuis serving the municipality, how sure that is, and how to reach it."""

    id = fields.String(required=True, metadata={"example": "acvz-amsterdam"})
    name = fields.String(required=True)
    coverage = fields.String(
        required=True,
        validate=validate.OneOf(CERTAINTIES),
        metadata={
            "description": "How sure the assignment is. named: the house's source names the municipality; region: "
            "the source says the house works for the whole region; same-safety-region: the house lies in the same "
            "safety region and its source states no working area (unconfirmed: ask the house)"
        },
    )
    working_area = fields.String(data_key="workingArea", allow_none=True,
                                 metadata={"description": "The working area as the source words it (Dutch)"})
    contact = fields.Nested(HouseContactSchema, required=True)
    verified_at = UTCDateTime(data_key="verifiedAt", allow_none=True,
                              metadata={"description": "When a curator last checked the house against its sources"})
    seat = fields.String(allow_none=True, metadata={"description": "Seat, where a source states it"})
    address = fields.String(
        allow_none=True, metadata={"description": "Address or locations, where a source states them"}
    )
    _links = links_field(SAFETY_HOUSES)


class ServesViaSchema(BaseSchema):
    """The area through which an expert serves the municipality: the reason it is listed."""

    level = fields.String(
        required=True,
        validate=validate.OneOf(LEVELS),
        metadata={"description": "Most local level first: municipality, safety-region, police-unit, national"},
    )
    id = fields.String(required=True, metadata={"description": "Area code (NL = the whole country)", "example": "VR13"})
    name = fields.String(required=True, metadata={"example": "Amsterdam-Amstelland"})


class SupportExpertSchema(ExpertSchema):
    """An expert serving the municipality, with the reason it is listed."""

    serves_via = fields.Nested(ServesViaSchema, data_key="servesVia", required=True, dump_only=True)


class PeerSchema(BaseSchema):
    """A municipality with public evidence of its approach or an adopted policy it shares, and its distance."""

    id = fields.String(required=True, metadata={"example": "GM0362"})
    name = fields.String(required=True, metadata={"example": "Amstelveen"})
    province = fields.String(required=True)
    population = fields.Integer(required=True)
    size_class = fields.String(data_key="sizeClass", required=True, validate=validate.OneOf(SIZE_CLASSES))
    policy = fields.Nested(PolicySchema, required=True)
    policy_evidence = fields.List(fields.Nested(PolicyEvidenceSchema), data_key="policyEvidence", required=True,
                                  metadata={"description": "Public documents that show its approach, with sources"})
    distance_km = fields.Float(
        data_key="distanceKm",
        required=True,
        metadata={"description": "Great-circle distance between the centroids, km, 1 decimal", "example": 8.4},
    )
    _links = links_field(MUNICIPALITIES)


class GapSchema(BaseSchema):
    """Something the answer lacks, and what to do about it (Dutch)."""

    code = fields.String(required=True, validate=validate.OneOf(GAP_CODES), metadata={"example": "no-safety-house"})
    message = fields.String(required=True, metadata={"example": "Geen Veiligheidshuis gevonden voor Zaanstad. …"})


class SupportTotalsSchema(BaseSchema):
    """How many experts, approaches and peers there are in all; the bundle lists at most `limit` of each."""

    experts = fields.Integer(
        required=True,
        metadata={
            "description": "Experts serving the municipality (narrowed by `topic`): the `total` of the collection "
            "that `_links.experts` points to",
            "example": 11,
        },
    )
    approaches = fields.Integer(
        required=True,
        metadata={
            "description": "Approaches that suit its size class (narrowed by `topic`): the `total` of the "
            "collection that `_links.approaches` points to",
            "example": 24,
        },
    )
    peers = fields.Integer(
        required=True,
        metadata={"description": "Other municipalities with public evidence of their approach or an adopted policy "
                                 "that they share", "example": 3},
    )


def _bundle_links(bundle: Any) -> dict[str, dict[str, str]]:
    """self, the municipality, and the full collections of which the bundle lists the first `limit` items."""
    code = bundle.id
    topic = [("topic", ",".join(bundle.topics))] if bundle.topics else []
    own = topic + ([("limit", str(bundle.limit))] if bundle.limit != LIMIT_DEFAULT else [])
    size_class = bundle.municipality.size_class
    size_class = getattr(size_class, "value", size_class)
    return {
        "self": href(f"/{MUNICIPALITIES}/{code}/support" + (f"?{urlencode(own)}" if own else "")),
        "municipality": href(f"/{MUNICIPALITIES}/{code}"),
        "experts": href(f"/{EXPERTS}?{urlencode([('serves', code), *topic])}"),
        "approaches": href(f"/{APPROACHES}?{urlencode([('sizeClass', size_class), *topic])}"),
    }


class SupportBundleLinksSchema(BaseSchema):
    """Links of a support bundle: itself, the municipality and the full collections it lists the first of."""

    self = fields.Nested(LinkSchema, required=True)
    municipality = fields.Nested(LinkSchema, required=True)
    experts = fields.Nested(LinkSchema, required=True)
    approaches = fields.Nested(LinkSchema, required=True)


class SupportBundleSchema(BaseSchema):
    """Who can help a municipality, and with what: the one-call answer."""

    municipality = fields.Nested(SupportMunicipalitySchema, required=True)
    safety_houses = fields.List(
        fields.Nested(SupportSafetyHouseSchema),
        data_key="safetyHouses",
        required=True,
        metadata={
            "description": "Surest first: houses whose source names it (coverage: named), then those whose source "
            "says the whole region (region); where neither exists, the houses of its safety region whose source "
            "states no working area (same-safety-region, unconfirmed); empty when none is known (see gaps)"
        },
    )
    police_unit = fields.Nested(summary_schema(POLICE_UNITS), data_key="policeUnit", required=True)
    safety_region = fields.Nested(summary_schema(SAFETY_REGIONS), data_key="safetyRegion", required=True)
    experts = fields.List(
        fields.Nested(SupportExpertSchema),
        required=True,
        metadata={
            "description": "The first `limit` experts serving it, most local first (municipality, safety region, "
            f"police unit, national), then by topic match and name; of the same set as GET /{EXPERTS}?serves={{id}} "
            "(`totals.experts` in all, `_links.experts` lists them)"
        },
    )
    approaches = fields.List(
        fields.Nested(ApproachSchema),
        required=True,
        metadata={
            "description": "The first `limit` approaches that suit its size class, by topic match, evidence level "
            f"(strongest first) and name; of the same set as GET /{APPROACHES}?sizeClass={{its class}} "
            "(`totals.approaches` in all, `_links.approaches` lists them)"
        },
    )
    peers = fields.List(
        fields.Nested(PeerSchema),
        required=True,
        metadata={
            "description": "Up to `limit` municipalities with public evidence of their approach (policyEvidence) or "
            "an adopted policy that they share, nearest first (`totals.peers` in all)"
        },
    )
    totals = fields.Nested(
        SupportTotalsSchema,
        required=True,
        metadata={
            "description": "How many experts, approaches and peers there are in all (each list shows at most "
            "`limit`); the gaps are based on these"
        },
    )
    national_organisations = fields.List(
        fields.Nested(OrganisationSchema),
        data_key="nationalOrganisations",
        required=True,
        metadata={"description": "Organisations with a national scope, by name"},
    )
    gaps = fields.List(
        fields.Nested(GapSchema),
        required=True,
        metadata={"description": "What the answer lacks and what to do about it (Dutch)"},
    )
    _links = Links(
        _bundle_links,
        SupportBundleLinksSchema,
        "self, municipality, and the full experts and approaches collections (every status the caller may see, "
        "narrowed by `topic`) whose `total` equals `totals.experts` and `totals.approaches`",
    )
