"""Experts: persons and teams who can help, and the areas they serve."""

from flask import Response
from flask_restx import Namespace, Resource

from api.access import ensure_visible
from api.docs import operation
from api.http import json_response
from api.personal_data import redact_expert
from api.queries.experts import get_expert, list_experts
from api.resources.base import list_response
from api.sessions import db
from schemas.common import page_schema
from schemas.experts import Expert, ExpertQuery

ns = Namespace("experts", description="Persons and teams who can help a municipality", path="/experts")
OUTPUT = Expert()
QUERY = ExpertQuery()


@ns.route("")
class ExpertList(Resource):
    """The collection of experts."""

    @operation(query=ExpertQuery, response=page_schema(Expert, "ExpertPage"), auth="optional")
    def get(self) -> Response:
        """List experts.

        `serves=GM0363` lists the experts serving that municipality directly or through its safety region,
        police unit or nationally. A person's email and phone are shown to authenticated callers only.
        """
        return list_response(
            QUERY, OUTPUT, lambda params: list_experts(db(), params), curated=True, transform=redact_expert
        )


@ns.route("/<string:expert_id>")
class ExpertItem(Resource):
    """One expert."""

    @operation(response=Expert, errors=(404,), auth="optional")
    def get(self, expert_id: str) -> Response:
        """Get an expert by id."""
        expert = get_expert(db(), expert_id)
        ensure_visible(expert.status.value, "expert")
        return json_response(redact_expert(OUTPUT.dump(expert)))
