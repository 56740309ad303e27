"""Organisations: national and regional providers of support."""

from api.collections import ORGANISATIONS
from api.resources.base import namespace
from api.resources.routes import Docs, route_collection
from schemas.organisations import OrganisationQuerySchema

ns = namespace(ORGANISATIONS, "ROR, ESS, NCTV, VNG and other providers of support")
route_collection(ns, ORGANISATIONS, OrganisationQuerySchema, "organisation_id", Docs(
    list="List organisations (published ones; curators may filter by status).",
    get="Get an organisation by id (e.g. ess).",
    create="""Create an organisation (curators).

    The record starts as a `draft` unless `status` says otherwise; an existing id is a 409.
    """,
    replace="Replace an organisation (curators; If-Match required).",
    patch="Change some fields of an organisation (curators; JSON merge patch; If-Match required).",
    archive="Archive an organisation (curators; If-Match required): it leaves public views, its history stays.",
))
