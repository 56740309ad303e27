"""Experts: persons and teams who can help, and the areas they serve."""

from flask import Response
from flask_restx import Resource

from api.access import Role, require
from api.collections import EXPERTS
from api.docs import operation
from api.resources import views, writes
from api.resources.base import namespace
from api.services.curation import erase_personal_data
from api.sessions import db
from schemas.common import page_schema
from schemas.experts import ExpertInputSchema, ExpertQuerySchema, ExpertSchema

ns = namespace(EXPERTS, "Persons and teams who can help a municipality")
QUERY = ExpertQuerySchema()


@ns.route("")
class ExpertList(Resource):
    """The collection of experts."""

    @operation(query=ExpertQuerySchema, response=page_schema(ExpertSchema, "ExpertPage"), auth="optional")
    def get(self) -> Response:
        """List experts.

        `serves=GM0363` lists the experts serving that municipality directly or through its safety region,
        police unit or nationally. A person's email and phone are shown to authenticated callers only.
        """
        return views.list_response(EXPERTS, QUERY)

    @operation(**writes.create_doc(ExpertInputSchema, ExpertSchema))
    def post(self) -> Response:
        """Create an expert (curators).

        `organisation`, `topics` and `serves` must name existing records (else a 400 naming the field).
        """
        return writes.create(EXPERTS)


@ns.route("/<string:expert_id>")
class ExpertItem(Resource):
    """One expert."""

    @operation(response=ExpertSchema, errors=(404,), auth="optional", response_headers=writes.ETAG_HEADER)
    def get(self, expert_id: str) -> Response:
        """Get an expert by id.

        A person's email and phone are shown to authenticated callers only.
        """
        return views.item_response(EXPERTS, views.fetch(EXPERTS, expert_id))

    @operation(**writes.replace_doc(ExpertInputSchema, ExpertSchema))
    def put(self, expert_id: str) -> Response:
        """Replace an expert (curators; If-Match required)."""
        return writes.replace(EXPERTS, expert_id)

    @operation(**writes.patch_doc(ExpertInputSchema, ExpertSchema))
    def patch(self, expert_id: str) -> Response:
        """Change some fields of an expert (curators; JSON merge patch; If-Match required)."""
        return writes.patch(EXPERTS, expert_id)

    @operation(**writes.ARCHIVE_DOC)
    def delete(self, expert_id: str) -> Response:
        """Archive an expert (curators; If-Match required): it leaves public views, its history stays."""
        return writes.archive(EXPERTS, expert_id)


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
