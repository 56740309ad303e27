"""Search: one forgiving Dutch search over every type in the catalogue."""

from typing import Any

from flask import Response, request
from flask_restx import Namespace, Resource

from api.access import Role, viewer
from api.collections import BY_TYPE
from api.docs import operation
from api.exceptions import UnsupportedMediaType
from api.http import json_body, json_response, page_links, query_params
from api.queries.search import run_search
from api.representation_cache import request_stamp
from api.sessions import db
from api.visibility import check_filters
from schemas.common import href
from schemas.search import SearchBodySchema, SearchQuerySchema, SearchResultSchema

ns = Namespace("search", description="Cross-type search with facets", path="/search")
QUERY = SearchQuerySchema()
BODY = SearchBodySchema()
OUTPUT = SearchResultSchema()


def _answer(params: dict[str, Any], with_query_links: bool) -> Response:
    page, page_size = params["page"], params["page_size"]
    statuses = ("draft", "published", "archived") if viewer().at_least(Role.CURATOR) else ("published",)
    check_filters(QUERY, params)
    result = run_search(
        db(), params.get("q") or "", types=params.get("type"), topics=params.get("topic"),
        serves=params.get("serves"), size_classes=params.get("size_class"), statuses=statuses,
        limit=page_size, offset=(page - 1) * page_size, stamp=request_stamp(),
    )  # the stamp as this request read it: a cached result needs no connection of the session
    links = page_links(page, page_size, result.total, keep_query=with_query_links)
    body = {
        "items": [
            {"type": hit.type, "id": hit.id, "name": hit.name, "snippet": hit.snippet, "score": round(hit.score, 4),
             "_links": {"self": href(f"/{BY_TYPE[hit.type].name}/{hit.id}")}}
            for hit in result.hits
        ],
        "page": page, "page_size": page_size, "total": result.total, "facets": result.facets,
        "did_you_mean": result.did_you_mean, "_links": links,
    }
    return json_response(OUTPUT.dump(body), headers={"X-Total-Count": str(result.total)})


@ns.route("")
class Search(Resource):
    """Search the whole catalogue."""

    @operation(query=SearchQuerySchema, response=SearchResultSchema)
    def get(self) -> Response:
        """Search municipalities, regions, police units, safety houses, organisations, experts, approaches, topics.

        Case and diacritics do not matter; Dutch word forms, prefixes ("radicali"), synonyms ("extreemrechts"),
        aliases ("den bosch") and one typo in a longer word ("eindhovn", then `didYouMean` says so) are
        understood. Operators and quotes are just text. Facets count the whole result per type and topic.
        """
        return _answer(query_params(QUERY), with_query_links=True)

    @operation(body=SearchBodySchema, response=SearchResultSchema, errors=(415,))
    def post(self) -> Response:
        """Search with the parameters in a JSON body, so the query stays out of URLs and logs."""
        if request.mimetype != "application/json":
            raise UnsupportedMediaType("Send the search as application/json.")
        return _answer(json_body(BODY), with_query_links=False)
