"""(Zorg- en) Veiligheidshuizen and the municipalities they serve."""

from marshmallow import fields, validate

from schemas.common import (
    MUNICIPALITY_CODE,
    BaseSchema,
    ListQuerySchema,
    SourceSchema,
    UTCDateTime,
    code_list,
    id_rules,
    links_field,
    sort_field,
    summary_schema,
)
from schemas.names import MUNICIPALITIES, POLICE_UNITS, SAFETY_HOUSES, SAFETY_REGIONS

STATUSES = ["draft", "published", "archived"]


COVERAGE_BASES = ["named", "region"]


class CoverageInputSchema(BaseSchema):
    """One municipality a house serves."""

    municipality = fields.String(required=True, validate=validate.Regexp(MUNICIPALITY_CODE),
                                 attribute="municipality_id")
    basis = fields.String(required=True, validate=validate.OneOf(COVERAGE_BASES),
                          metadata={"description": "named: the source names the municipality; region: the source "
                                                   "says the house works for the whole region"})


class HouseContactSchema(BaseSchema):
    """How to reach the house as an organisation (never a person): website, general phone and e-mail."""

    website = fields.Url(allow_none=True, load_default=None, validate=validate.Length(max=500),
                         metadata={"example": "https://veiligheidshuiszeeland.nl/"})
    phone = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(r"^[0-9+()\- ]{6,40}$"),
                          metadata={"description": "General phone number of the organisation",
                                    "example": "046-4778700"})
    email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=200),
                         metadata={"description": "General e-mail address of the organisation"})


class SafetyHouseInputSchema(BaseSchema):
    """A safety house as the catalogue loads it."""

    id = fields.String(required=True, validate=id_rules(), metadata={"example": "zvh-fryslan"})
    name = fields.String(required=True, validate=validate.Length(1, 200))
    safety_region = fields.String(data_key="safetyRegion", required=True, validate=validate.Regexp(r"^VR\d{2}$"),
                                  attribute="safety_region_id")
    seat = fields.String(allow_none=True, load_default=None, validate=validate.Length(1, 120))
    address = fields.String(allow_none=True, load_default=None, validate=validate.Length(1, 300))
    notes = fields.String(allow_none=True, load_default=None)
    working_area = fields.String(data_key="workingArea", allow_none=True, load_default=None,
                                 metadata={"description": "The working area as the source words it (Dutch); a house "
                                                          "whose source states one never serves other municipalities "
                                                          "of its safety region by assumption"})
    contact = fields.Nested(HouseContactSchema, load_default=lambda: {"website": None, "phone": None, "email": None})
    coverage = fields.List(fields.Nested(CoverageInputSchema), load_default=list)
    sources = fields.List(fields.Nested(SourceSchema), load_default=list)
    verified_at = UTCDateTime(data_key="verifiedAt", allow_none=True, load_default=None,
                              metadata={"description": "When a curator last checked the record against its sources"})
    status = fields.String(load_default="published", validate=validate.OneOf(STATUSES))


class CoverageSchema(BaseSchema):
    """A municipality served by the house."""

    municipality = fields.Nested(summary_schema(MUNICIPALITIES), required=True)
    basis = fields.String(required=True)


class SafetyHouseSchema(SafetyHouseInputSchema):
    """A safety house with its region, police unit and coverage."""

    safety_region = fields.Nested(summary_schema(SAFETY_REGIONS), data_key="safetyRegion", dump_only=True)
    police_unit = fields.Nested(summary_schema(POLICE_UNITS), data_key="policeUnit", dump_only=True,
                                attribute="safety_region.police_unit")
    coverage = fields.List(fields.Nested(CoverageSchema), dump_only=True)
    updated_at = UTCDateTime(data_key="updatedAt", dump_only=True)
    _links = links_field(SAFETY_HOUSES)


class SafetyHouseQuerySchema(ListQuerySchema):
    """Filters of the safety house list."""

    SORT_FIELDS = ("id", "name")
    DEFAULT_SORT = "name"
    sort = sort_field(SORT_FIELDS)
    safety_region = code_list(r"^VR\d{2}$", "Safety region code", "safetyRegion", references=SAFETY_REGIONS)
    police_unit = code_list(r"^(RE\d{2}|LE)$", "Police unit code", "policeUnit", references=POLICE_UNITS)
    serves = code_list(MUNICIPALITY_CODE, "Municipality code the house explicitly covers",
                       references=MUNICIPALITIES)
