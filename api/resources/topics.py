"""Topics: the taxonomy that experts and approaches are tagged with."""

from flask import Response
from flask_restx import Resource

from api.collections import TOPICS
from api.docs import operation
from api.resources import views, writes
from api.resources.base import namespace
from schemas.common import page_schema
from schemas.topics import TopicInputSchema, TopicQuerySchema, TopicSchema

ns = namespace(TOPICS, "Topics with Dutch labels and search synonyms")
QUERY = TopicQuerySchema()


@ns.route("")
class TopicList(Resource):
    """The collection of topics."""

    @operation(query=TopicQuerySchema, response=page_schema(TopicSchema, "TopicPage"), auth="optional")
    def get(self) -> Response:
        """List topics."""
        return views.list_response(TOPICS, QUERY)

    @operation(**writes.create_doc(TopicInputSchema, TopicSchema))
    def post(self) -> Response:
        """Create a topic (curators).

        `parent` must name an existing topic and may not make a cycle.
        """
        return writes.create(TOPICS)


@ns.route("/<string:topic_id>")
class TopicItem(Resource):
    """One topic."""

    @operation(response=TopicSchema, errors=(404,), auth="optional", response_headers=writes.ETAG_HEADER)
    def get(self, topic_id: str) -> Response:
        """Get a topic by id (e.g. right-wing-extremism)."""
        return views.item_response(TOPICS, views.fetch(TOPICS, topic_id))

    @operation(**writes.replace_doc(TopicInputSchema, TopicSchema))
    def put(self, topic_id: str) -> Response:
        """Replace a topic (curators; If-Match required)."""
        return writes.replace(TOPICS, topic_id)

    @operation(**writes.patch_doc(TopicInputSchema, TopicSchema))
    def patch(self, topic_id: str) -> Response:
        """Change some fields of a topic (curators; JSON merge patch; If-Match required)."""
        return writes.patch(TOPICS, topic_id)

    @operation(**writes.ARCHIVE_DOC)
    def delete(self, topic_id: str) -> Response:
        """Archive a topic (curators; If-Match required): it leaves public views, its history stays."""
        return writes.archive(TOPICS, topic_id)
