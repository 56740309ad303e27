"""Experts: persons and teams who can help, and the areas they serve."""

from flask import Response
from flask_restx import Resource

from api.access import Role, require
from api.collections import EXPERTS
from api.docs import operation
from api.resources.base import namespace
from api.resources.routes import Docs, route_collection
from api.services.curation import erase_personal_data
from api.sessions import db
from schemas.experts import ExpertQuerySchema

ns = namespace(EXPERTS, "Persons and teams who can help a municipality")
route_collection(ns, EXPERTS, ExpertQuerySchema, "expert_id", Docs(
    list="""List experts.

    `serves=GM0363` lists the experts serving that municipality directly or through its safety region,
    police unit or nationally. A person's email and phone are shown to authenticated callers only.
    """,
    get="""Get an expert by id.

    A person's email and phone are shown to authenticated callers only.
    """,
    create="""Create an expert (curators).

    `organisation`, `topics` and `serves` must name existing records (else a 400 naming the field).
    """,
    replace="Replace an expert (curators; If-Match required).",
    patch="Change some fields of an expert (curators; JSON merge patch; If-Match required).",
    archive="Archive an expert (curators; If-Match required): it leaves public views, its history stays.",
))


@ns.route("/<string:expert_id>/personal-data")
class ExpertPersonalData(Resource):
    """The personal data (email and phone) of an expert."""

    @operation(status=204, errors=(401, 403, 404), auth="required")
    def delete(self, expert_id: str) -> Response:
        """Erase an expert's email and phone everywhere (admins).

        The record and every old revision lose the values; the history keeps only that these fields changed
        (`erased: true`). No If-Match: an erasure request is carried out whatever the record's version.
        """
        who = require(Role.ADMIN)
        erase_personal_data(db(), EXPERTS, expert_id, actor=who.key_id or "unknown")
        db().commit()
        return Response(status=204)
