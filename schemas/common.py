"""Shared pieces of the wire contract: links, summaries, timestamps, paging and problems."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, datetime
from functools import cache
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from schemas.storable import MAX_ID_LENGTH, FreeText, StrictSchema

BASE_URL: ContextVar[str] = ContextVar("BASE_URL", default="http://127.0.0.1:8000")
"""Absolute origin of the API (scheme://host[:port]); set per request by the web layer."""

API_PREFIX = "/api/v1"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
"""A record id: lowercase kebab-case; `id_rules` adds the length (at most 64 characters, as the columns hold)."""
MUNICIPALITY_CODE = r"^GM\d{4}$"
AREA_CODE = r"^(NL|LE|RE\d{2}|VR\d{2}|GM\d{4})$"
LANGUAGE_CODE = r"^[a-z]{2}$"


def href(path: str) -> dict[str, str]:
    """A link object `{href}` for an API path such as `/police-units/RE05`."""
    return {"href": f"{BASE_URL.get()}{API_PREFIX}{path}"}


class UTCDateTime(fields.DateTime):
    """RFC 3339 timestamp in UTC with a `Z` suffix; naive input is taken as UTC."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)


class CommaList(fields.List):
    """A query parameter that takes several values, comma-separated or repeated (OR'ed); at most 25."""

    MAX_VALUES = 25

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(max=self.MAX_VALUES))
        super().__init__(*args, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[Any]:
        raw = value if isinstance(value, list) else [value]
        parts = [p.strip() for item in raw for p in str(item).split(",") if p.strip()]
        if not parts:
            raise ValidationError("Give at least one value.")
        return super()._deserialize(parts, attr, data, **kwargs)


class BaseSchema(StrictSchema):
    """Output and input schemas: ignore nothing silently on load, refuse what cannot be stored, keep field order."""

    class Meta(StrictSchema.Meta):
        ordered = True


class WebUrl(fields.Url):
    """An absolute http(s) URL (no `javascript:`, `data:` or `ftp:`), at most 500 characters."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(max=500))
        super().__init__(schemes={"http", "https"}, **kwargs)


class LinkSchema(BaseSchema):
    """A hyperlink."""

    href = fields.Url(required=True, metadata={"description": "Absolute URL", "example": "https://kennisbank.example.org/api/v1"})


class SelfLinksSchema(BaseSchema):
    """Links of a resource."""

    self = fields.Nested(LinkSchema, required=True)


class Links(fields.Function):
    """A computed `_links` field; `shape` is the schema of its links, which the OpenAPI document shows."""

    def __init__(self, serialize: Any, shape: type[Schema], description: str = "Hypermedia links") -> None:
        super().__init__(serialize, data_key="_links", dump_only=True, metadata={"description": description})
        self.shape = shape


def links_field(collection: str, key: str = "id") -> Links:
    """The `_links` field of a resource in `collection`, pointing at its item URL."""
    return Links(lambda obj: {"self": href(f"/{collection}/{_get(obj, key)}")}, SelfLinksSchema)


def _get(obj: Any, key: str) -> Any:
    return obj[key] if isinstance(obj, dict) else getattr(obj, key)


@cache
def summary_schema(collection: str, name_attr: str = "name") -> type[Schema]:
    """A `{id, name, _links}` summary of a related resource in `collection`."""
    return Schema.from_dict(
        {
            "id": fields.String(required=True, dump_only=True),
            "name": fields.String(attribute=name_attr, required=True, dump_only=True),
            "_links": links_field(collection),
        },
        name=f"{_pascal(collection)}Summary",
    )


def _pascal(collection: str) -> str:
    return "".join(part.capitalize() for part in collection.split("-"))


class SourceSchema(BaseSchema):
    """Where a fact comes from."""

    url = WebUrl(required=True, metadata={"example": "https://www.nctv.nl"})
    vintage = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "Date or period of the source, as the source gives it", "example": "2022-12-08"},
    )


class ListQuerySchema(StrictSchema):
    """Query parameters every collection takes."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000),
                          metadata={"description": "Page number, from 1"})
    page_size = fields.Integer(data_key="pageSize", load_default=20, validate=validate.Range(min=1, max=100),
                               metadata={"description": "Items per page, 1..100"})
    q = FreeText(validate=validate.Length(min=1, max=500),
                      metadata={"description": "Full-text search within the collection (forgiving Dutch search)"})
    SORT_FIELDS: tuple[str, ...] = ("id",)
    DEFAULT_SORT = "id"


def sort_field(fields_allowed: tuple[str, ...]) -> CommaList:
    """A `sort` parameter: comma list of fields, `-` for descending."""
    allowed = [*fields_allowed, *(f"-{f}" for f in fields_allowed)]
    return CommaList(
        fields.String(validate=validate.OneOf(allowed, error=f"Sort by one of {', '.join(fields_allowed)}, "
                                                           "with - for descending.")),
        metadata={"description": f"Comma list of {', '.join(fields_allowed)}; prefix - for descending"},
    )


def id_rules(error: str = "Use lowercase kebab-case, at most 64 characters.") -> list[validate.Validator]:
    """The validators of a record id (or a reference to one): kebab-case, 1 to MAX_ID_LENGTH characters."""
    return [validate.Length(1, MAX_ID_LENGTH, error=error), validate.Regexp(ID_PATTERN, error=error)]


def code_list(pattern: str, description: str, data_key: str | None = None, references: str | None = None
              ) -> CommaList:
    """A filter of codes matching `pattern`; several values are OR'ed.

    `references` names the collection (or `areas`) the codes are ids of: a value that names no record the caller
    may see is a 400 (`api.visibility.check_filters`).
    """
    metadata: dict[str, str] = {"description": description}
    if references:
        metadata["references"] = references
    rules = id_rules("Not a valid id.") if pattern == ID_PATTERN else [validate.Regexp(pattern,
                                                                                        error="Not a valid code.")]
    return CommaList(
        fields.String(validate=rules),
        data_key=data_key,
        metadata=metadata,
    )


def enum_list(values: list[str], description: str, data_key: str | None = None) -> CommaList:
    """A filter on an enumerated field; several values are OR'ed."""
    return CommaList(
        fields.String(validate=validate.OneOf(values)), data_key=data_key, metadata={"description": description}
    )


def text_list(description: str, data_key: str | None = None) -> CommaList:
    """A filter on a free-text field such as a province name; several values are OR'ed."""
    return CommaList(
        fields.String(validate=validate.Length(1, 60)), data_key=data_key, metadata={"description": description}
    )


def updated_since() -> UTCDateTime:
    """The `updatedSince` filter: only records changed at or after this moment."""
    return UTCDateTime(
        data_key="updatedSince", metadata={"description": "RFC 3339 timestamp, e.g. 2026-01-01T00:00:00Z"}
    )


class PageLinksSchema(BaseSchema):
    """Navigation links of a page."""

    self = fields.Nested(LinkSchema, required=True)
    first = fields.Nested(LinkSchema, required=True)
    prev = fields.Nested(LinkSchema)
    next = fields.Nested(LinkSchema)
    last = fields.Nested(LinkSchema, required=True)


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """The paging envelope `{items, page, pageSize, total, _links}` around `item_schema`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "page": fields.Integer(required=True),
            "pageSize": fields.Integer(required=True),
            "total": fields.Integer(required=True),
            "_links": fields.Nested(PageLinksSchema, required=True),
        },
        name=name,
    )


class InvalidParamSchema(BaseSchema):
    """One invalid input field."""

    name = fields.String(required=True, metadata={"example": "pageSize"})
    code = fields.String(required=True, metadata={"example": "invalid"})
    reason = fields.String(required=True, metadata={"example": "Must be greater than or equal to 1 and less "
                                                              "than or equal to 100."})


class ProblemSchema(BaseSchema):
    """RFC 9457 problem details."""

    class Meta:
        unknown = EXCLUDE

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Bad Request"})
    status = fields.Integer(required=True, metadata={"example": 400})
    detail = fields.String(required=True, metadata={"example": "The query has 1 invalid parameter."})
    instance = fields.String(required=True, metadata={
        "description": "The request's id: its X-Request-ID header (yours, or a generated one), also in the logs",
        "example": "4b7c2c52-9a5e-4a1a-9e3c-8c9b0f7f1a00"})
    code = fields.String(required=True, metadata={"example": "invalid-input"})
    invalid_params = fields.List(fields.Nested(InvalidParamSchema), data_key="invalidParams",
                                 metadata={"description": "Every invalid field, at most 50"})
    invalid_params_omitted = fields.Integer(data_key="invalidParamsOmitted", metadata={
        "description": "How many more invalid fields there are than `invalidParams` lists", "example": 12})
