"""Approaches: ready-made trainings, learning networks, advice and toolkits."""

from flask import Response
from flask_restx import Resource

from api.collections import APPROACHES
from api.docs import operation
from api.resources import views, writes
from api.resources.base import namespace
from schemas.approaches import ApproachInputSchema, ApproachQuerySchema, ApproachSchema
from schemas.common import page_schema

ns = namespace(APPROACHES, "Ready-made approaches a municipality can use")
QUERY = ApproachQuerySchema()


@ns.route("")
class ApproachList(Resource):
    """The collection of approaches."""

    @operation(query=ApproachQuerySchema, response=page_schema(ApproachSchema, "ApproachPage"), auth="optional")
    def get(self) -> Response:
        """List approaches.

        `sizeClass=small` lists the approaches that suit small municipalities; `topic` and `kind` narrow it.
        """
        return views.list_response(APPROACHES, QUERY)

    @operation(**writes.create_doc(ApproachInputSchema, ApproachSchema))
    def post(self) -> Response:
        """Create an approach (curators).

        `provider` and `topics` must name existing records (else a 400 naming the field).
        """
        return writes.create(APPROACHES)


@ns.route("/<string:approach_id>")
class ApproachItem(Resource):
    """One approach."""

    @operation(response=ApproachSchema, errors=(404,), auth="optional", response_headers=writes.ETAG_HEADER)
    def get(self, approach_id: str) -> Response:
        """Get an approach by id."""
        return views.item_response(APPROACHES, views.fetch(APPROACHES, approach_id))

    @operation(**writes.replace_doc(ApproachInputSchema, ApproachSchema))
    def put(self, approach_id: str) -> Response:
        """Replace an approach (curators; If-Match required)."""
        return writes.replace(APPROACHES, approach_id)

    @operation(**writes.patch_doc(ApproachInputSchema, ApproachSchema))
    def patch(self, approach_id: str) -> Response:
        """Change some fields of an approach (curators; JSON merge patch; If-Match required)."""
        return writes.patch(APPROACHES, approach_id)

    @operation(**writes.ARCHIVE_DOC)
    def delete(self, approach_id: str) -> Response:
        """Archive an approach (curators; If-Match required): it leaves public views, its history stays."""
        return writes.archive(APPROACHES, approach_id)
