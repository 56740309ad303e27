"""Organisations that offer support: ROR, ESS, NCTV, VNG, networks and institutes."""

from marshmallow import fields, validate

from schemas.common import WebUrl, enum_list, links_field, sort_field
from schemas.curated import CuratedInputSchema, CuratedOutputSchema, CuratedQuerySchema
from schemas.names import ORGANISATIONS

KINDS = ["government", "training-institute", "expertise-centre", "knowledge-institute", "association", "network",
         "partnership", "implementing-organisation", "reporting-point"]
SCOPES = ["national", "police-unit", "safety-region", "municipality", "international"]


class OrganisationInputSchema(CuratedInputSchema):
    """An organisation as a curator writes it."""

    name = fields.String(required=True, validate=validate.Length(1, 200),
                         metadata={"example": "Expertise-unit Sociale Stabiliteit"})
    abbreviation = fields.String(allow_none=True, load_default=None, validate=validate.Length(1, 40),
                                 metadata={"example": "ESS"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    url = WebUrl(allow_none=True, load_default=None)
    description = fields.String(load_default="", validate=validate.Length(max=10_000))


class OrganisationSchema(OrganisationInputSchema, CuratedOutputSchema):
    """An organisation."""

    _links = links_field(ORGANISATIONS)


class OrganisationQuerySchema(CuratedQuerySchema):
    """Filters of the organisation list."""

    SORT_FIELDS = ("id", "name", "updatedAt")
    DEFAULT_SORT = "name"
    sort = sort_field(SORT_FIELDS)
    kind = enum_list(KINDS, "Kind of organisation")
    scope = enum_list(SCOPES, "Area it works for")
