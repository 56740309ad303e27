"""API keys: admins list, create and revoke them. A key's secret is shown once, in the answer to its POST."""

from flask import Response
from flask_restx import Namespace, Resource

from api.access import Role, require
from api.docs import operation
from api.http import json_body, json_response
from api.queries.api_keys import get_key, list_keys
from api.resources.base import list_response
from api.resources.writes import JSON, require_media_type
from api.services.api_keys import create_key, revoke_key
from api.sessions import db
from schemas.api_keys import ApiKeyCreatedSchema, ApiKeyInputSchema, ApiKeyQuerySchema, ApiKeySchema
from schemas.common import href, page_schema

ns = Namespace("api-keys", description="API keys and their roles (admins)", path="/api-keys")
OUTPUT = ApiKeySchema()
CREATED = ApiKeyCreatedSchema()
QUERY = ApiKeyQuerySchema()


@ns.route("")
class ApiKeyList(Resource):
    """The API keys."""

    @operation(query=ApiKeyQuerySchema, response=page_schema(ApiKeySchema, "ApiKeyPage"), errors=(401, 403),
               auth="required")
    def get(self) -> Response:
        """List API keys (admins): names, roles, expiry, revocation and last use; never the secrets."""
        require(Role.ADMIN)
        return list_response(QUERY, OUTPUT, lambda params: list_keys(db(), params))

    @operation(body=ApiKeyInputSchema, response=ApiKeyCreatedSchema, status=201, errors=(401, 403, 413, 415),
               auth="required",
               response_headers={"Location": "URL of the new key"})
    def post(self) -> Response:
        """Create an API key (admins); the answer holds the secret `key`, shown this once only.

        Only a hash of the secret is stored: a lost key cannot be recovered, only revoked and replaced.
        """
        who = require(Role.ADMIN)
        require_media_type(JSON)
        data = json_body(ApiKeyInputSchema())
        key, secret = create_key(db(), data["name"], data["role"], data.get("expires_at"), created_by=who.key_id)
        db().commit()
        body = {**CREATED.dump(key), "key": secret}
        return json_response(body, 201, {"Location": href(f"/api-keys/{key.id}")["href"]})


@ns.route("/<string:key_id>")
class ApiKeyItem(Resource):
    """One API key."""

    @operation(response=ApiKeySchema, errors=(401, 403, 404), auth="required")
    def get(self, key_id: str) -> Response:
        """Get an API key (admins), without its secret."""
        require(Role.ADMIN)
        return json_response(OUTPUT.dump(get_key(db(), key_id)))

    @operation(status=204, errors=(401, 403, 404), auth="required")
    def delete(self, key_id: str) -> Response:
        """Revoke an API key (admins): it stops working at once. Revoking twice is harmless."""
        require(Role.ADMIN)
        revoke_key(db(), key_id)
        db().commit()
        return Response(status=204)
