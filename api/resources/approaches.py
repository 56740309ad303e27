"""Approaches: ready-made trainings, learning networks, advice and toolkits."""

from flask import Response
from flask_restx import Namespace, Resource

from api.docs import operation
from api.queries.approaches import list_approaches
from api.resources import writes
from api.resources.base import list_response
from api.resources.views import VIEWS
from api.sessions import db
from schemas.approaches import ApproachInputSchema, ApproachQuerySchema, ApproachSchema
from schemas.common import page_schema

ns = Namespace("approaches", description="Ready-made approaches a municipality can use", path="/approaches")
NAME = "approaches"
VIEW = VIEWS[NAME]
QUERY = ApproachQuerySchema()


@ns.route("")
class ApproachList(Resource):
    """The collection of approaches."""

    @operation(query=ApproachQuerySchema, response=page_schema(ApproachSchema, "ApproachPage"), auth="optional")
    def get(self) -> Response:
        """List approaches.

        `sizeClass=small` lists the approaches that suit small municipalities; `topic` and `kind` narrow it.
        """
        return list_response(QUERY, VIEW.output, lambda params: list_approaches(db(), params), curated=True,
                             transform=VIEW.present_dumped)

    @operation(**writes.create_doc(ApproachInputSchema, ApproachSchema))
    def post(self) -> Response:
        """Create an approach (curators).

        `provider` and `topics` must name existing records (else a 400 naming the field).
        """
        return writes.create(NAME)


@ns.route("/<string:approach_id>")
class ApproachItem(Resource):
    """One approach."""

    @operation(response=ApproachSchema, errors=(404,), auth="optional", response_headers=writes.ETAG_HEADER)
    def get(self, approach_id: str) -> Response:
        """Get an approach by id."""
        return VIEW.item_response(VIEW.fetch(approach_id))

    @operation(**writes.replace_doc(ApproachInputSchema, ApproachSchema))
    def put(self, approach_id: str) -> Response:
        """Replace an approach (curators; If-Match required)."""
        return writes.replace(NAME, approach_id)

    @operation(**writes.patch_doc(ApproachInputSchema, ApproachSchema))
    def patch(self, approach_id: str) -> Response:
        """Change some fields of an approach (curators; JSON merge patch; If-Match required)."""
        return writes.patch(NAME, approach_id)

    @operation(**writes.ARCHIVE_DOC)
    def delete(self, approach_id: str) -> Response:
        """Archive an approach (curators; If-Match required): it leaves public views, its history stays."""
        return writes.archive(NAME, approach_id)
