"""Experts: persons and teams, what they know and whom they serve."""

from marshmallow import fields, validate

from schemas.common import (
    AREA_CODE,
    ID_PATTERN,
    LANGUAGE_CODE,
    MUNICIPALITY_CODE,
    BaseSchema,
    WebUrl,
    code_list,
    enum_list,
    id_rules,
    links_field,
    sort_field,
    summary_schema,
)
from schemas.curated import CuratedInputSchema, CuratedOutputSchema, CuratedQuerySchema
from schemas.names import EXPERTS, MUNICIPALITIES, ORGANISATIONS, TOPICS

KINDS = ["person", "team"]


class ContactSchema(BaseSchema):
    """How to reach the expert. A person's email and phone are shown to authenticated callers only."""

    email = fields.Email(allow_none=True, load_default=None, metadata={"example": "team@example.org"})
    phone = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(r"^\+?[0-9 ()-]{6,40}$"))
    url = WebUrl(allow_none=True, load_default=None)


class ExpertInputSchema(CuratedInputSchema):
    """An expert as a curator writes it."""

    name = fields.String(required=True, validate=validate.Length(1, 200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    organisation = fields.String(allow_none=True, load_default=None, validate=id_rules(),
                                 attribute="organisation_id")
    topics = fields.List(fields.String(validate=id_rules()), load_default=list,
                         attribute="topic_ids")
    languages = fields.List(fields.String(validate=validate.Regexp(LANGUAGE_CODE)), load_default=lambda: ["nl"],
                            metadata={"description": "ISO 639-1 codes"})
    serves = fields.List(fields.String(validate=validate.Regexp(AREA_CODE)), required=True,
                         validate=validate.Length(min=1),
                         metadata={"description": "NL for the whole country, or police unit, safety region and "
                                                  "municipality codes"})
    description = fields.String(load_default="", validate=validate.Length(max=10_000))
    contact = fields.Nested(ContactSchema, load_default=lambda: {"email": None, "phone": None, "url": None})


class ServedAreaSchema(BaseSchema):
    """An area an expert serves."""

    id = fields.String(required=True, metadata={"example": "VR13"})
    kind = fields.String(required=True, validate=validate.OneOf(["national", "police-unit", "safety-region",
                                                                 "municipality"]))


class ExpertSchema(ExpertInputSchema, CuratedOutputSchema):
    """An expert."""

    organisation = fields.Nested(summary_schema(ORGANISATIONS), allow_none=True, dump_only=True)
    topics = fields.List(fields.Nested(summary_schema(TOPICS)), dump_only=True)
    serves = fields.List(fields.Nested(ServedAreaSchema), dump_only=True, attribute="served_areas")
    _links = links_field(EXPERTS)


class ExpertQuerySchema(CuratedQuerySchema):
    """Filters of the expert list."""

    SORT_FIELDS = ("id", "name", "updatedAt")
    DEFAULT_SORT = "name"
    sort = sort_field(SORT_FIELDS)
    kind = enum_list(KINDS, "person or team")
    topic = code_list(ID_PATTERN, "Topic id", references=TOPICS)
    language = code_list(LANGUAGE_CODE, "ISO 639-1 language code")
    organisation = code_list(ID_PATTERN, "Organisation id", references=ORGANISATIONS)
    serves = code_list(MUNICIPALITY_CODE, "Municipality code: experts serving it, directly or through its safety "
                                          "region, police unit or nationally", references=MUNICIPALITIES)
