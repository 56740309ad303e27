"""Police units: the ten regional units and the Landelijke Eenheid."""

from marshmallow import fields, validate

from schemas.common import BaseSchema, ListQuerySchema, enum_list, links_field, sort_field, summary_schema
from schemas.names import MUNICIPALITIES, POLICE_UNITS, SAFETY_REGIONS

KINDS = ["regional", "national"]


class PoliceUnitInputSchema(BaseSchema):
    """A police unit as the catalogue loads it."""

    id = fields.String(required=True, validate=validate.Regexp(r"^(RE\d{2}|LE)$"), metadata={"example": "RE05"})
    name = fields.String(required=True, validate=validate.Length(1, 120), metadata={"example": "Amsterdam"})
    full_name = fields.String(data_key="fullName", required=True, validate=validate.Length(1, 160))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


class PoliceUnitSchema(PoliceUnitInputSchema):
    """A police unit, with the safety regions and municipalities of its working area."""

    safety_regions = fields.List(fields.Nested(summary_schema(SAFETY_REGIONS)), data_key="safetyRegions",
                                 dump_only=True)
    municipalities = fields.List(fields.Nested(summary_schema(MUNICIPALITIES)), dump_only=True)
    _links = links_field(POLICE_UNITS)


class PoliceUnitQuerySchema(ListQuerySchema):
    """Filters of the police unit list."""

    SORT_FIELDS = ("id", "name")
    sort = sort_field(SORT_FIELDS)
    kind = enum_list(KINDS, "Regional or national unit")
