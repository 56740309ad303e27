"""Municipalities (gemeenten) and their policy on radicalisation."""

from marshmallow import fields, validate

from schemas.common import (
    MUNICIPALITY_CODE,
    BaseSchema,
    Links,
    LinkSchema,
    ListQuerySchema,
    UTCDateTime,
    WebUrl,
    code_list,
    enum_list,
    href,
    links_field,
    sort_field,
    summary_schema,
    text_list,
)
from schemas.names import MUNICIPALITIES, POLICE_UNITS, SAFETY_HOUSES, SAFETY_REGIONS

SIZE_CLASSES = ["small", "medium", "large"]
POLICY_STATUSES = ["unknown", "none", "in-development", "adopted"]


class LocationSchema(BaseSchema):
    """Centroid of the municipality (WGS84)."""

    lat = fields.Float(required=True, validate=validate.Range(50.0, 54.0), metadata={"example": 52.37})
    lon = fields.Float(required=True, validate=validate.Range(3.0, 8.0), metadata={"example": 4.9})


class PolicyInputSchema(BaseSchema):
    """The municipality's policy on radicalisation, as a curator records it."""

    status = fields.String(required=True, validate=validate.OneOf(POLICY_STATUSES), metadata={"example": "unknown"})
    url = WebUrl(allow_none=True, load_default=None)
    shares_knowledge = fields.Boolean(data_key="sharesKnowledge", load_default=False,
                                      metadata={"description": "Willing to share its policy with peers"})


class PolicySchema(PolicyInputSchema):
    """The municipality's policy on radicalisation, as a curator recorded it, and when."""

    updated_at = UTCDateTime(data_key="updatedAt", dump_only=True, allow_none=True)


EVIDENCE_KINDS = ["versterkingsgelden", "policy-document", "budget-document", "regional-framework"]
CERTAINTIES = ["named", "region", "same-safety-region"]


class PolicyEvidenceSchema(BaseSchema):
    """A public document that shows a municipality's approach to radicalisation (a fact with its source)."""

    kind = fields.String(required=True, validate=validate.OneOf(EVIDENCE_KINDS), metadata={
        "description": "versterkingsgelden: an NCTV allocation names it; policy-document: a published policy or action "
                       "plan; budget-document: a budget or report section on the approach; regional-framework: a "
                       "regional approach it takes part in", "example": "versterkingsgelden"})
    title = fields.String(required=True, validate=validate.Length(1, 300),
                          metadata={"description": "What the source states, in Dutch",
                                    "example": "Versterkingsgelden 2022 toegekend (regio Flevoland)"})
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100), metadata={"example": 2022})
    url = fields.Url(required=True, validate=validate.Length(max=500))
    vintage = fields.String(required=True, validate=validate.Length(1, 120),
                            metadata={"description": "Date or vintage of the source", "example": "2021-12-21"})


class MunicipalityInputSchema(BaseSchema):
    """A municipality as the catalogue loads it (reference data)."""

    id = fields.String(required=True, validate=validate.Regexp(MUNICIPALITY_CODE), metadata={"example": "GM0363"})
    name = fields.String(required=True, validate=validate.Length(1, 120), metadata={"example": "Amsterdam"})
    province = fields.String(required=True, validate=validate.Length(1, 60), metadata={"example": "Noord-Holland"})
    population = fields.Integer(required=True, validate=validate.Range(min=0), metadata={"example": 931298})
    safety_region = fields.String(data_key="safetyRegion", required=True, validate=validate.Regexp(r"^VR\d{2}$"),
                                  attribute="safety_region_id")
    police_unit = fields.String(data_key="policeUnit", required=True, validate=validate.Regexp(r"^RE\d{2}$"),
                                attribute="police_unit_id")
    location = fields.Nested(LocationSchema, required=True)
    aliases = fields.List(fields.String(validate=validate.Length(1, 120)), load_default=list)
    policy = fields.Nested(PolicyInputSchema,
                           load_default=lambda: {"status": "unknown", "url": None, "sharesKnowledge": False})
    policy_evidence = fields.List(fields.Nested(PolicyEvidenceSchema), data_key="policyEvidence", load_default=list,
                                  metadata={"description": "Public documents that show its approach, each with its "
                                                           "source; never turned into a policy status"})


class ServingSafetyHouseSchema(BaseSchema):
    """A safety house serving a municipality, and how sure that is."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    coverage = fields.String(required=True, validate=validate.OneOf(CERTAINTIES),
                             metadata={"description": "named: the house's source names the municipality; region: the "
                                                      "source says the house works for the whole region; "
                                                      "same-safety-region: only lies in the same safety region and "
                                                      "states no working area (unconfirmed)"})
    _links = links_field(SAFETY_HOUSES)


class MunicipalitySchema(MunicipalityInputSchema):
    """A municipality with its size class, safety region, police unit and safety houses."""

    size_class = fields.String(data_key="sizeClass", dump_only=True, validate=validate.OneOf(SIZE_CLASSES),
                               metadata={"description": "small < 50,000 <= medium < 100,000 <= large"})
    safety_region = fields.Nested(summary_schema(SAFETY_REGIONS), data_key="safetyRegion", dump_only=True)
    police_unit = fields.Nested(summary_schema(POLICE_UNITS), data_key="policeUnit", dump_only=True)
    safety_houses = fields.List(fields.Nested(ServingSafetyHouseSchema), data_key="safetyHouses", dump_only=True)
    policy = fields.Nested(PolicySchema)
    updated_at = UTCDateTime(data_key="updatedAt", dump_only=True)
    _links = links_field(MUNICIPALITIES)


class MunicipalityQuerySchema(ListQuerySchema):
    """Filters of the municipality list."""

    SORT_FIELDS = ("id", "name", "population", "province")
    DEFAULT_SORT = "name"
    sort = sort_field(SORT_FIELDS)
    province = text_list("Province name, e.g. Noord-Brabant")
    safety_region = code_list(r"^VR\d{2}$", "Safety region code, e.g. VR13", "safetyRegion",
                              references=SAFETY_REGIONS)
    police_unit = code_list(r"^(RE\d{2}|LE)$", "Police unit code, e.g. RE05", "policeUnit",
                            references=POLICE_UNITS)
    size_class = enum_list(SIZE_CLASSES, "small, medium or large", "sizeClass")
    policy_status = enum_list(POLICY_STATUSES, "Policy status", "policyStatus")


class MunicipalityPolicyLinksSchema(BaseSchema):
    """Links of a municipality's policy."""

    self = fields.Nested(LinkSchema, required=True)
    municipality = fields.Nested(LinkSchema, required=True)


class MunicipalityPolicySchema(PolicySchema):
    """A municipality's policy as a resource of its own: curators record it with PUT or PATCH (If-Match)."""

    _links = Links(
        lambda obj: {"self": href(f"/{MUNICIPALITIES}/{obj['municipality']}/policy"),
                     "municipality": href(f"/{MUNICIPALITIES}/{obj['municipality']}")},
        MunicipalityPolicyLinksSchema,
    )
