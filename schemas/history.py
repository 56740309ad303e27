"""The history of a record: one revision per write, with who, when and every changed field."""

from marshmallow import fields, validate

from schemas.common import BaseSchema, UTCDateTime
from schemas.names import EXPERTS
from schemas.storable import StrictSchema

ACTIONS = ["created", "updated", "published", "archived", "erased"]


class FieldChangeSchema(BaseSchema):
    """One changed field: its name as the API spells it (dotted for nested fields), old and new value."""

    field = fields.String(required=True, metadata={"example": "contact.url"})
    old = fields.Raw(allow_none=True, metadata={"description": "Value before the write (any JSON value)"})
    new = fields.Raw(allow_none=True, metadata={"description": "Value after the write (any JSON value)"})
    erased = fields.Boolean(metadata={"description": "The values were personal data and have been erased; only "
                                                     "the fact that the field changed is kept"})


class RevisionSchema(BaseSchema):
    """One write of a record."""

    id = fields.Integer(required=True, metadata={"description": "Number of the revision, increasing"})
    collection = fields.String(required=True, metadata={"example": EXPERTS})
    record_id = fields.String(data_key="recordId", required=True, metadata={"example": "ess-advies-gemeenten"})
    version = fields.Integer(required=True, metadata={"description": "Version of the record after this write"})
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    actor = fields.String(required=True, metadata={"description": "Id of the API key that wrote, or seed / import "
                                                                  "for the command line loaders",
                                                   "example": "key-3f9a1c2b7d4e"})
    at = UTCDateTime(required=True)
    changes = fields.List(fields.Nested(FieldChangeSchema), required=True)


class HistoryQuerySchema(StrictSchema):
    """Paging of a history, newest revision first."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000),
                          metadata={"description": "Page number, from 1"})
    page_size = fields.Integer(data_key="pageSize", load_default=20, validate=validate.Range(min=1, max=100),
                               metadata={"description": "Revisions per page, 1..100"})
