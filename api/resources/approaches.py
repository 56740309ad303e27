"""Approaches: ready-made trainings, learning networks, advice and toolkits."""

from flask import Response
from flask_restx import Namespace, Resource

from api.access import ensure_visible
from api.docs import operation
from api.queries.approaches import get_approach, list_approaches
from api.resources.base import item_response, list_response
from api.sessions import db
from schemas.approaches import Approach, ApproachQuery
from schemas.common import page_schema

ns = Namespace("approaches", description="Ready-made approaches a municipality can use", path="/approaches")
OUTPUT = Approach()
QUERY = ApproachQuery()


@ns.route("")
class ApproachList(Resource):
    """The collection of approaches."""

    @operation(query=ApproachQuery, response=page_schema(Approach, "ApproachPage"))
    def get(self) -> Response:
        """List approaches.

        `sizeClass=small` lists the approaches that suit small municipalities; `topic` and `kind` narrow it.
        """
        return list_response(QUERY, OUTPUT, lambda params: list_approaches(db(), params), curated=True)


@ns.route("/<string:approach_id>")
class ApproachItem(Resource):
    """One approach."""

    @operation(response=Approach, errors=(404,))
    def get(self, approach_id: str) -> Response:
        """Get an approach by id."""
        approach = get_approach(db(), approach_id)
        ensure_visible(approach.status.value, "approach")
        return item_response(approach, OUTPUT)
