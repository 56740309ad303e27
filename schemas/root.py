"""The API root document."""

from marshmallow import fields

from schemas.common import BaseSchema, LinkSchema


class RootSchema(BaseSchema):
    """Version and links to every collection, the docs and the OpenAPI document."""

    name = fields.String(required=True, metadata={"example": "Kennisbank API"})
    version = fields.String(required=True, metadata={"example": "1.0.0"})
    _links = fields.Dict(keys=fields.String(), values=fields.Nested(LinkSchema), data_key="_links", required=True)
