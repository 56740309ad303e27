"""Topics: the taxonomy that experts and approaches are tagged with."""

from flask import Response
from flask_restx import Namespace, Resource

from api.access import ensure_visible
from api.docs import operation
from api.queries.topics import get_topic, list_topics
from api.resources.base import item_response, list_response
from api.sessions import db
from schemas.common import page_schema
from schemas.topics import Topic, TopicQuery

ns = Namespace("topics", description="Topics with Dutch labels and search synonyms", path="/topics")
OUTPUT = Topic()
QUERY = TopicQuery()


@ns.route("")
class TopicList(Resource):
    """The collection of topics."""

    @operation(query=TopicQuery, response=page_schema(Topic, "TopicPage"))
    def get(self) -> Response:
        """List topics."""
        return list_response(QUERY, OUTPUT, lambda params: list_topics(db(), params), curated=True)


@ns.route("/<string:topic_id>")
class TopicItem(Resource):
    """One topic."""

    @operation(response=Topic, errors=(404,))
    def get(self, topic_id: str) -> Response:
        """Get a topic by id (e.g. right-wing-extremism)."""
        topic = get_topic(db(), topic_id)
        ensure_visible(topic.status.value, "topic")
        return item_response(topic, OUTPUT)
