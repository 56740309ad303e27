"""Topics: the taxonomy that experts and approaches are tagged with."""

from flask import Response
from flask_restx import Namespace, Resource

from api.docs import operation
from api.queries.topics import list_topics
from api.resources import writes
from api.resources.base import list_response
from api.resources.views import VIEWS
from api.sessions import db
from schemas.common import page_schema
from schemas.topics import TopicInputSchema, TopicQuerySchema, TopicSchema

ns = Namespace("topics", description="Topics with Dutch labels and search synonyms", path="/topics")
NAME = "topics"
VIEW = VIEWS[NAME]
QUERY = TopicQuerySchema()


@ns.route("")
class TopicList(Resource):
    """The collection of topics."""

    @operation(query=TopicQuerySchema, response=page_schema(TopicSchema, "TopicPage"), auth="optional")
    def get(self) -> Response:
        """List topics."""
        return list_response(QUERY, VIEW.output, lambda params: list_topics(db(), params), curated=True,
                             transform=VIEW.present_dumped)

    @operation(**writes.create_doc(TopicInputSchema, TopicSchema))
    def post(self) -> Response:
        """Create a topic (curators).

        `parent` must name an existing topic and may not make a cycle.
        """
        return writes.create(NAME)


@ns.route("/<string:topic_id>")
class TopicItem(Resource):
    """One topic."""

    @operation(response=TopicSchema, errors=(404,), auth="optional", response_headers=writes.ETAG_HEADER)
    def get(self, topic_id: str) -> Response:
        """Get a topic by id (e.g. right-wing-extremism)."""
        return VIEW.item_response(VIEW.fetch(topic_id))

    @operation(**writes.replace_doc(TopicInputSchema, TopicSchema))
    def put(self, topic_id: str) -> Response:
        """Replace a topic (curators; If-Match required)."""
        return writes.replace(NAME, topic_id)

    @operation(**writes.patch_doc(TopicInputSchema, TopicSchema))
    def patch(self, topic_id: str) -> Response:
        """Change some fields of a topic (curators; JSON merge patch; If-Match required)."""
        return writes.patch(NAME, topic_id)

    @operation(**writes.ARCHIVE_DOC)
    def delete(self, topic_id: str) -> Response:
        """Archive a topic (curators; If-Match required): it leaves public views, its history stays."""
        return writes.archive(NAME, topic_id)
