"""The API root: version and links to every collection, the docs and the OpenAPI document."""

from flask import Response
from flask_restx import Resource

from api.collections import COLLECTIONS
from api.config import API_VERSION
from api.docs import operation
from api.http import json_response
from schemas.common import href
from schemas.root import RootSchema

OUTPUT = RootSchema()


class ApiRoot(Resource):
    """The entry point."""

    @operation(response=RootSchema)
    def get(self) -> Response:
        """Where to start: the API version and links to every collection, the docs and the spec."""
        links = {"self": href(""), **{c.name: href(f"/{c.name}") for c in COLLECTIONS},
                 "search": href("/search"),
                 "docs": href("/docs"), "openapi": href("/openapi.json")}
        return json_response(OUTPUT.dump({"name": "Kennisbank API", "version": API_VERSION, "_links": links}))
