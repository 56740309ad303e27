"""The change feed and the export: the published catalogue for mirrors."""

from marshmallow import fields, validate

from schemas.common import BaseSchema, LinkSchema, SelfLinksSchema, UTCDateTime
from schemas.names import COLLECTIONS
from schemas.storable import StrictSchema

EVENTS = ["created", "updated", "deleted"]


class ChangeSchema(BaseSchema):
    """One event of the published catalogue. `deleted` also means archived or unpublished."""

    cursor = fields.String(required=True, metadata={"description": "Position of this event; `since=<cursor>` "
                                                                   "continues after it"})
    collection = fields.String(required=True, validate=validate.OneOf(COLLECTIONS))
    id = fields.String(required=True, metadata={"description": "Id of the record"})
    event = fields.String(required=True, validate=validate.OneOf(EVENTS))
    at = UTCDateTime(required=True)
    record = fields.Dict(allow_none=True, metadata={
        "description": "The record as it is now, as GET /{collection}/{id} shows it; null when it has left the "
                       "published catalogue since (a later deleted event follows) or for a deleted event"})
    _links = fields.Nested(SelfLinksSchema, data_key="_links", required=True)


class ChangeFeedLinksSchema(BaseSchema):
    """Where to continue."""

    self = fields.Nested(LinkSchema, required=True)
    next = fields.Nested(LinkSchema, required=True)


class ChangeFeedSchema(BaseSchema):
    """A page of events in commit order; poll `next` (also when `items` is empty) for what comes later."""

    items = fields.List(fields.Nested(ChangeSchema), required=True)
    next = fields.String(required=True, metadata={"description": "Cursor to pass as `since` next time"})
    _links = fields.Nested(ChangeFeedLinksSchema, data_key="_links", required=True)


class ChangesQuerySchema(StrictSchema):
    """Where to start reading the feed."""

    since = fields.String(validate=validate.Length(1, 100),
                          metadata={"description": "A cursor from an earlier page (`next`) or event; "
                                                   "leave out to read from the beginning"})
    page_size = fields.Integer(data_key="pageSize", load_default=100, validate=validate.Range(min=1, max=500),
                               metadata={"description": "Events per page, 1..500"})


class ExportLineSchema(BaseSchema):
    """One line of the NDJSON export."""

    collection = fields.String(required=True, validate=validate.OneOf(COLLECTIONS))
    record = fields.Dict(required=True, metadata={"description": "The record as GET /{collection}/{id} shows it"})
