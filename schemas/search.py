"""Cross-type search: the query (as query string or JSON body) and the ranked hits with facets."""

from marshmallow import fields, validate

from schemas.common import (
    ID_PATTERN,
    MUNICIPALITY_CODE,
    BaseSchema,
    LinkSchema,
    PageLinksSchema,
    code_list,
    enum_list,
    id_rules,
)
from schemas.names import MUNICIPALITIES, TOPICS
from schemas.storable import FreeText, StrictSchema

TYPES = ["municipality", "safety-region", "police-unit", "safety-house", "organisation", "expert", "approach",
         "topic"]
SIZE_CLASSES = ["small", "medium", "large"]
MAX_INPUT_LENGTH = 10_000
"""Longest `q` accepted (400 above); only the first 500 characters are searched."""


class SearchQuerySchema(StrictSchema):
    """Search parameters; the same as a query string (GET) or a JSON object (POST)."""

    q = FreeText(load_default="", validate=validate.Length(max=MAX_INPUT_LENGTH),
                 metadata={"description": "Any text; forgiving: word forms, prefixes, synonyms, aliases and "
                                          "typos. Up to 10,000 characters, of which the first 500 are used."})
    type = enum_list(TYPES, "Entity types to search (comma list)")
    topic = code_list(ID_PATTERN, "Topic id (comma list)", references=TOPICS)
    serves = code_list(MUNICIPALITY_CODE, "Municipality code: only what serves it (directly, via its region, "
                                          "police unit, or nationally)", references=MUNICIPALITIES)
    size_class = enum_list(SIZE_CLASSES, "Size class (approaches that suit it, municipalities of it)", "sizeClass")
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    page_size = fields.Integer(data_key="pageSize", load_default=20, validate=validate.Range(min=1, max=100))


class SearchBodySchema(SearchQuerySchema):
    """The JSON body of POST /search: the query stays out of URLs and logs."""

    type = fields.List(fields.String(validate=validate.OneOf(TYPES)))
    topic = fields.List(fields.String(validate=id_rules()))
    serves = fields.List(fields.String(validate=validate.Regexp(MUNICIPALITY_CODE)))
    size_class = fields.List(fields.String(validate=validate.OneOf(SIZE_CLASSES)), data_key="sizeClass")


class HitLinksSchema(BaseSchema):
    """Link to the hit's resource."""

    self = fields.Nested(LinkSchema, required=True)


class HitSchema(BaseSchema):
    """One ranked result."""

    type = fields.String(required=True, validate=validate.OneOf(TYPES), metadata={"example": "municipality"})
    id = fields.String(required=True, metadata={"example": "GM0796"})
    name = fields.String(required=True, metadata={"example": "'s-Hertogenbosch"})
    snippet = fields.String(required=True, metadata={"description": "HTML-escaped text with <mark> around matches"})
    score = fields.Float(required=True, metadata={"description": "Relevance; higher is better"})
    _links = fields.Nested(HitLinksSchema, data_key="_links", required=True)


class FacetsSchema(BaseSchema):
    """Counts over the whole result."""

    type = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    topic = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class SearchResultSchema(BaseSchema):
    """A page of hits, ranked by relevance."""

    items = fields.List(fields.Nested(HitSchema), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(data_key="pageSize", required=True)
    total = fields.Integer(required=True)
    facets = fields.Nested(FacetsSchema, required=True)
    did_you_mean = fields.String(data_key="didYouMean", allow_none=True,
                                 metadata={"description": "The corrected query, when a typo was corrected"})
    _links = fields.Nested(PageLinksSchema, data_key="_links", required=True)
