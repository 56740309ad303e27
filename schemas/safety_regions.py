"""Safety regions (veiligheidsregio's)."""

from marshmallow import fields, validate

from schemas.common import BaseSchema, ListQuerySchema, code_list, links_field, sort_field, summary_schema, text_list
from schemas.names import MUNICIPALITIES, POLICE_UNITS, SAFETY_HOUSES, SAFETY_REGIONS


class SafetyRegionInputSchema(BaseSchema):
    """A safety region as the catalogue loads it."""

    id = fields.String(required=True, validate=validate.Regexp(r"^VR\d{2}$"), metadata={"example": "VR13"})
    number = fields.Integer(required=True, validate=validate.Range(1, 99))
    name = fields.String(required=True, validate=validate.Length(1, 120), metadata={"example": "Amsterdam-Amstelland"})
    seat = fields.String(allow_none=True, load_default=None, validate=validate.Length(1, 120))
    province = fields.String(required=True, validate=validate.Length(1, 60))
    police_unit = fields.String(data_key="policeUnit", required=True, validate=validate.Regexp(r"^RE\d{2}$"),
                                attribute="police_unit_id")


class SafetyRegionSchema(SafetyRegionInputSchema):
    """A safety region with its police unit, member municipalities and safety houses."""

    police_unit = fields.Nested(summary_schema(POLICE_UNITS), data_key="policeUnit", dump_only=True)
    municipalities = fields.List(fields.Nested(summary_schema(MUNICIPALITIES)), dump_only=True)
    safety_houses = fields.List(fields.Nested(summary_schema(SAFETY_HOUSES)), data_key="safetyHouses",
                                dump_only=True)
    _links = links_field(SAFETY_REGIONS)


class SafetyRegionQuerySchema(ListQuerySchema):
    """Filters of the safety region list."""

    SORT_FIELDS = ("id", "number", "name")
    sort = sort_field(SORT_FIELDS)
    province = text_list("Province name")
    police_unit = code_list(r"^(RE\d{2}|LE)$", "Police unit code", "policeUnit", references=POLICE_UNITS)
