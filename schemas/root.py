"""The API root document."""

from marshmallow import fields

from schemas.common import BaseSchema, LinkSchema
from schemas.names import COLLECTIONS

RootLinksSchema = BaseSchema.from_dict(
    {name: fields.Nested(LinkSchema, required=True) for name in ["self", *COLLECTIONS, "search", "docs", "openapi"]},
    name="RootLinksSchema",
)
"""Links of the API root: itself, every collection, search, the docs and the OpenAPI document."""


class RootSchema(BaseSchema):
    """Version and links to every collection, the docs and the OpenAPI document."""

    name = fields.String(required=True, metadata={"example": "Kennisbank API"})
    version = fields.String(required=True, metadata={"example": "1.1.0"})
    _links = fields.Nested(RootLinksSchema, data_key="_links", required=True)
