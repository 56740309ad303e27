"""Topics: the taxonomy that experts and approaches are tagged with."""

from api.collections import TOPICS
from api.resources.base import namespace
from api.resources.routes import Docs, route_collection
from schemas.topics import TopicQuerySchema

ns = namespace(TOPICS, "Topics with Dutch labels and search synonyms")
route_collection(ns, TOPICS, TopicQuerySchema, "topic_id", Docs(
    list="List topics.",
    get="Get a topic by id (e.g. right-wing-extremism).",
    create="""Create a topic (curators).

    `parent` must name an existing topic and may not make a cycle.
    """,
    replace="Replace a topic (curators; If-Match required).",
    patch="Change some fields of a topic (curators; JSON merge patch; If-Match required).",
    archive="Archive a topic (curators; If-Match required): it leaves public views, its history stays.",
))
