"""API keys: what an admin sends to create one, and what the API shows of it (never the secret, except once)."""

from datetime import UTC, datetime

from marshmallow import ValidationError, fields, validate, validates

from schemas.common import BaseSchema, ListQuerySchema, UTCDateTime, enum_list, links_field, sort_field
from schemas.storable import FreeText

ROLES = ["reader", "curator", "admin"]


class ApiKeyInputSchema(BaseSchema):
    """A key to create: a name that says whose it is, one role, and an optional expiry."""

    name = fields.String(required=True, validate=validate.Length(1, 120),
                         metadata={"example": "Intranet gemeente Utrecht"})
    role = fields.String(required=True, validate=validate.OneOf(ROLES),
                         metadata={"description": "reader: sees contact data; curator: also edits, publishes, "
                                                  "archives, sees drafts and history; admin: also manages keys "
                                                  "and erases personal data"})
    expires_at = UTCDateTime(data_key="expiresAt", allow_none=True, load_default=None,
                             metadata={"description": "When the key stops working (RFC 3339); none = never"})

    @validates("expires_at")
    def _in_the_future(self, value: datetime | None, **_kwargs: object) -> None:
        if value is not None and value <= datetime.now(UTC):
            raise ValidationError("Give a moment in the future.")


class ApiKeySchema(BaseSchema):
    """An API key as admins see it: who it is for, its role and its life; the secret is never shown again."""

    id = fields.String(required=True, dump_only=True, metadata={"example": "key-3f9a1c2b7d4e"})
    name = fields.String(required=True, dump_only=True)
    role = fields.String(required=True, dump_only=True, validate=validate.OneOf(ROLES))
    active = fields.Boolean(required=True, dump_only=True, metadata={"description": "Neither revoked nor expired"})
    created_at = UTCDateTime(data_key="createdAt", dump_only=True)
    created_by = fields.String(data_key="createdBy", dump_only=True, allow_none=True,
                               metadata={"description": "Id of the admin key that created it (none: the CLI)"})
    expires_at = UTCDateTime(data_key="expiresAt", dump_only=True, allow_none=True)
    revoked_at = UTCDateTime(data_key="revokedAt", dump_only=True, allow_none=True)
    last_used_at = UTCDateTime(data_key="lastUsedAt", dump_only=True, allow_none=True,
                               metadata={"description": "Last request with this key (to the minute)"})
    _links = links_field("api-keys")


class ApiKeyCreatedSchema(ApiKeySchema):
    """A key just created, with its secret: store it now, it is shown only in this response."""

    key = fields.String(required=True, dump_only=True,
                        metadata={"description": "The secret: send it as Authorization: Bearer <key>",
                                  "example": "kb_3q2-7wEXAMPLEONLYq8zZbXo1bXl0aW5nLWtleS1oZXJl"})


class ApiKeyQuerySchema(ListQuerySchema):
    """Filters of GET /api-keys."""

    SORT_FIELDS = ("id", "name", "createdAt", "lastUsedAt")
    DEFAULT_SORT = "name"
    q = FreeText(validate=validate.Length(min=1, max=120),
                 metadata={"description": "Part of the key's name or id (any case)"})
    sort = sort_field(SORT_FIELDS)
    role = enum_list(ROLES, "Role of the key")
    active = fields.Boolean(metadata={"description": "true: keys that work now; false: revoked or expired ones"})
