"""A municipality's policy on radicalisation: public to read, recorded by curators (PUT / PATCH, If-Match).

The policy is a sub-resource rather than a PATCH on the municipality: a municipality's other fields are
reference data from the seed, and a curator editing the policy should not need (or be able) to touch them.
Its writes go through the same pipeline as every other write (revision `policy.*` fields, feed event).
"""

from typing import Any

from flask import Response
from flask_restx import Resource
from marshmallow import ValidationError

from api.access import Role, require
from api.collections import MUNICIPALITIES
from api.docs import operation
from api.exceptions import InvalidInput
from api.http import json_response
from api.problems import invalid_params_of
from api.resources import views, writes
from api.resources.municipalities import ns
from api.resources.views import representation_etag
from api.services.curation import write_record
from api.sessions import db
from schemas.municipalities import MunicipalityPolicySchema, PolicyInputSchema, PolicySchema

OUTPUT = MunicipalityPolicySchema()
POLICY = PolicyInputSchema()


def _body(municipality: Any) -> dict[str, Any]:
    return OUTPUT.dump({**municipality.policy, "municipality": municipality.id})


def _response(municipality: Any) -> Response:
    body = _body(municipality)
    return json_response(body, headers={"ETag": representation_etag(municipality.version, body)})


def _current(municipality_id: str) -> Any:
    writes.lock_if_any_version(MUNICIPALITIES, municipality_id)
    municipality = views.fetch(MUNICIPALITIES, municipality_id)
    writes.require_if_match()
    return municipality


def _record(municipality: Any, policy: dict[str, Any], actor: str) -> Response:
    try:
        POLICY.load(policy)
    except ValidationError as error:
        raise InvalidInput(invalid_params_of(error)) from None
    data = writes.validated(MUNICIPALITIES, {**MUNICIPALITIES.export(municipality), "policy": policy})
    writes.check_if_match(representation_etag(municipality.version, _body(municipality)))
    write_record(db(), MUNICIPALITIES, data, actor=actor, expected_version=municipality.version)
    session = db()
    session.commit()
    session.expire_all()
    return _response(MUNICIPALITIES.get(session, municipality.id))


@ns.route("/<string:municipality_id>/policy")
class MunicipalityPolicyItem(Resource):
    """The policy of one municipality."""

    @operation(response=MunicipalityPolicySchema, errors=(404,), auth="optional", response_headers=writes.ETAG_HEADER)
    def get(self, municipality_id: str) -> Response:
        """Get a municipality's policy on radicalisation.

        `unknown` until a curator records what the municipality has; the seed never guesses.
        """
        return _response(views.fetch(MUNICIPALITIES, municipality_id))

    @operation(**writes.replace_doc(PolicySchema, MunicipalityPolicySchema))
    def put(self, municipality_id: str) -> Response:
        """Record a municipality's policy (curators; If-Match required).

        `updatedAt` is set by the service whenever the policy changes.
        """
        who = require(Role.CURATOR)
        writes.require_media_type(writes.JSON)
        municipality = _current(municipality_id)
        return _record(municipality, writes.json_object(), who.key_id or "unknown")

    @operation(**writes.patch_doc(PolicySchema, MunicipalityPolicySchema))
    def patch(self, municipality_id: str) -> Response:
        """Change part of a municipality's policy (curators; JSON merge patch; If-Match required)."""
        who = require(Role.CURATOR)
        writes.require_media_type(writes.MERGE_PATCH)
        municipality = _current(municipality_id)
        policy = writes.merge_patch(MUNICIPALITIES.export(municipality)["policy"], writes.json_object())
        return _record(municipality, policy, who.key_id or "unknown")
