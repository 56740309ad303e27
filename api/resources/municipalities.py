"""Municipalities: the 342 gemeenten, their region, police unit, safety houses and policy."""

from api.collections import MUNICIPALITIES
from api.resources.base import namespace
from api.resources.routes import Docs, route_collection
from schemas.municipalities import MunicipalityQuerySchema

ns = namespace(MUNICIPALITIES, "Gemeenten (CBS codes), with their safety region, police unit, "
               "Veiligheidshuizen and policy")
route_collection(ns, MUNICIPALITIES, MunicipalityQuerySchema, "municipality_id", Docs(
    list="""List municipalities.

    Filter by province, safety region, police unit, size class or policy status; `q` finds names and
    aliases ("den bosch", "Sudwest Fryslan"). Sorted by name unless `sort` says otherwise.
    """,
    get="""Get a municipality by CBS code (e.g. GM0363).

    Its Veiligheidshuizen, surest first: those whose source names it (`coverage: named`), those whose source
    says they work for the whole region (`region`), or, where neither is known, the houses of its safety region
    whose source states no working area (`same-safety-region`, unconfirmed). `policyEvidence` lists public
    documents that show its approach; `policy` is what curators recorded.
    """,
))
