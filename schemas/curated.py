"""Fields every curated record shares: workflow status, timestamps, sources and the demo mark."""

from marshmallow import fields, validate

from schemas.common import BaseSchema, ListQuerySchema, SourceSchema, UTCDateTime, enum_list, id_rules, updated_since

STATUSES = ["draft", "published", "archived"]


class CuratedInputSchema(BaseSchema):
    """Workflow and provenance fields a curator sets."""

    id = fields.String(required=True,
                       validate=id_rules(),
                       metadata={"example": "ess-advies-gemeenten"})
    status = fields.String(load_default="draft", validate=validate.OneOf(STATUSES),
                           metadata={"description": "draft, published or archived"})
    verified_at = UTCDateTime(data_key="verifiedAt", allow_none=True, load_default=None,
                              metadata={"description": "When a curator last checked the record"})
    sources = fields.List(fields.Nested(SourceSchema), load_default=list)
    demo = fields.Boolean(load_default=False, metadata={"description": "Fictional demo record"})


class CuratedOutputSchema(CuratedInputSchema):
    """Timestamps the service keeps."""

    created_at = UTCDateTime(data_key="createdAt", dump_only=True)
    updated_at = UTCDateTime(data_key="updatedAt", dump_only=True)


class CuratedQuerySchema(ListQuerySchema):
    """Filters every curated collection takes."""

    status = enum_list(STATUSES, "Workflow status (curators only; others always see published)")
    updated_since = updated_since()
    demo = fields.Boolean(metadata={"description": "true: only demo records; false: only real ones"})
