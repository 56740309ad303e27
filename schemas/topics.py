"""The topic taxonomy: Dutch labels, a parent, and search synonyms."""

from marshmallow import fields, validate

from schemas.common import ID_PATTERN, code_list, id_rules, links_field, sort_field, summary_schema
from schemas.curated import CuratedInputSchema, CuratedOutputSchema, CuratedQuerySchema
from schemas.names import TOPICS


class TopicInputSchema(CuratedInputSchema):
    """A topic as a curator writes it."""

    label = fields.String(required=True, validate=validate.Length(1, 120), metadata={"example": "Rechts-extremisme"})
    parent = fields.String(allow_none=True, load_default=None, validate=id_rules(),
                            attribute="parent_id")
    description = fields.String(load_default="", validate=validate.Length(max=2_000))
    synonyms = fields.List(fields.String(validate=validate.Length(1, 120)), load_default=list,
                           metadata={"description": "Words people search with, e.g. extreemrechts"})


class TopicSchema(TopicInputSchema, CuratedOutputSchema):
    """A topic."""

    name = fields.String(dump_only=True, metadata={"description": "Same as label"})
    parent = fields.Nested(summary_schema(TOPICS), allow_none=True, dump_only=True)
    _links = links_field(TOPICS)


class TopicQuerySchema(CuratedQuerySchema):
    """Filters of the topic list."""

    SORT_FIELDS = ("id", "label")
    DEFAULT_SORT = "label"
    sort = sort_field(SORT_FIELDS)
    parent = code_list(ID_PATTERN, "Parent topic id", references=TOPICS)
