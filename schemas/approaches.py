"""Approaches: ready-made trainings, learning networks, advice, toolkits and more."""

from marshmallow import fields, validate

from schemas.common import (
    ID_PATTERN,
    LANGUAGE_CODE,
    WebUrl,
    code_list,
    enum_list,
    id_rules,
    links_field,
    sort_field,
    summary_schema,
)
from schemas.curated import CuratedInputSchema, CuratedOutputSchema, CuratedQuerySchema
from schemas.names import APPROACHES, ORGANISATIONS, TOPICS

KINDS = ["training", "learning-network", "advice", "toolkit", "case-consultation", "information-programme",
         "funding", "helpline", "reporting-point", "knowledge-base", "guidance"]
FORMATS = ["online", "in-person", "hybrid"]
EVIDENCE_LEVELS = ["not-assessed", "well-described", "theoretically-sound", "effective-indications",
                   "proven-effective"]
SIZE_CLASSES = ["small", "medium", "large"]


class ApproachInputSchema(CuratedInputSchema):
    """An approach as a curator writes it."""

    name = fields.String(required=True, validate=validate.Length(1, 200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    summary = fields.String(load_default="", validate=validate.Length(max=500))
    description = fields.String(load_default="", validate=validate.Length(max=10_000))
    provider = fields.String(allow_none=True, load_default=None, validate=id_rules(),
                             attribute="provider_id")
    topics = fields.List(fields.String(validate=id_rules()), load_default=list,
                         attribute="topic_ids")
    audience = fields.List(fields.String(validate=validate.Length(1, 120)), load_default=list)
    size_classes = fields.List(fields.String(validate=validate.OneOf(SIZE_CLASSES)), data_key="sizeClasses",
                               required=True, validate=validate.Length(min=1))
    format = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(FORMATS))
    duration = fields.String(allow_none=True, load_default=None, validate=validate.Length(1, 120))
    cost = fields.String(allow_none=True, load_default=None, validate=validate.Length(1, 120))
    evidence_level = fields.String(data_key="evidenceLevel", load_default="not-assessed",
                                   validate=validate.OneOf(EVIDENCE_LEVELS))
    url = WebUrl(allow_none=True, load_default=None)
    language = fields.String(load_default="nl", validate=validate.Regexp(LANGUAGE_CODE))


class ApproachSchema(ApproachInputSchema, CuratedOutputSchema):
    """An approach."""

    provider = fields.Nested(summary_schema(ORGANISATIONS), allow_none=True, dump_only=True)
    topics = fields.List(fields.Nested(summary_schema(TOPICS)), dump_only=True)
    _links = links_field(APPROACHES)


class ApproachQuerySchema(CuratedQuerySchema):
    """Filters of the approach list."""

    SORT_FIELDS = ("id", "name", "updatedAt", "evidenceLevel")
    DEFAULT_SORT = "name"
    sort = sort_field(SORT_FIELDS)
    kind = enum_list(KINDS, "Kind of approach")
    topic = code_list(ID_PATTERN, "Topic id", references=TOPICS)
    size_class = enum_list(SIZE_CLASSES, "Size class it suits", "sizeClass")
    format = enum_list(FORMATS, "Delivery format")
    provider = code_list(ID_PATTERN, "Organisation id of the provider", references=ORGANISATIONS)
    evidence_level = enum_list(EVIDENCE_LEVELS, "Evidence level", "evidenceLevel")
    language = code_list(LANGUAGE_CODE, "ISO 639-1 language code")
