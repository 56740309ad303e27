"""Municipalities: the 342 gemeenten, their region, police unit, safety houses and policy."""

from flask import Response
from flask_restx import Namespace, Resource

from api.docs import operation
from api.queries.municipalities import list_municipalities
from api.resources.base import list_response
from api.resources.views import VIEWS
from api.sessions import db
from schemas.common import page_schema
from schemas.municipalities import MunicipalityQuerySchema, MunicipalitySchema

ns = Namespace("municipalities", description="Gemeenten (CBS codes), with their safety region, police unit, "
               "Veiligheidshuizen and policy", path="/municipalities")
VIEW = VIEWS["municipalities"]
OUTPUT = VIEW.output
QUERY = MunicipalityQuerySchema()


@ns.route("")
class MunicipalityList(Resource):
    """The collection of municipalities."""

    @operation(query=MunicipalityQuerySchema, response=page_schema(MunicipalitySchema, "MunicipalityPage"))
    def get(self) -> Response:
        """List municipalities.

        Filter by province, safety region, police unit, size class or policy status; `q` finds names and
        aliases ("den bosch", "Sudwest Fryslan"). Sorted by name unless `sort` says otherwise.
        """
        return list_response(QUERY, OUTPUT, lambda params: list_municipalities(db(), params),
                             transform=VIEW.present_dumped)


@ns.route("/<string:municipality_id>")
class MunicipalityItem(Resource):
    """One municipality."""

    @operation(response=MunicipalitySchema, errors=(404,))
    def get(self, municipality_id: str) -> Response:
        """Get a municipality by CBS code (e.g. GM0363).

        Its Veiligheidshuizen are those a source names it for (`coverage: explicit`) or, where none is known,
        the houses of its safety region (`coverage: region`).
        """
        return VIEW.item_response(VIEW.fetch(municipality_id))
