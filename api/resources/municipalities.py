"""Municipalities: the 342 gemeenten, their region, police unit, safety houses and policy."""

from flask import Response
from flask_restx import Resource

from api.collections import MUNICIPALITIES
from api.docs import operation
from api.resources import views
from api.resources.base import namespace
from schemas.common import page_schema
from schemas.municipalities import MunicipalityQuerySchema, MunicipalitySchema

ns = namespace(MUNICIPALITIES, "Gemeenten (CBS codes), with their safety region, police unit, "
               "Veiligheidshuizen and policy")
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
        return views.list_response(MUNICIPALITIES, QUERY)


@ns.route("/<string:municipality_id>")
class MunicipalityItem(Resource):
    """One municipality."""

    @operation(response=MunicipalitySchema, errors=(404,))
    def get(self, municipality_id: str) -> Response:
        """Get a municipality by CBS code (e.g. GM0363).

        Its Veiligheidshuizen, surest first: those whose source names it (`coverage: named`), those whose source
        says they work for the whole region (`region`), or, where neither is known, the houses of its safety region
        whose source states no working area (`same-safety-region`, unconfirmed). `policyEvidence` lists public
        documents that show its approach; `policy` is what curators recorded.
        """
        return views.item_response(MUNICIPALITIES, views.fetch(MUNICIPALITIES, municipality_id))
