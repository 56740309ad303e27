"""Approaches: ready-made trainings, learning networks, advice and toolkits."""

from api.collections import APPROACHES
from api.resources.base import namespace
from api.resources.routes import Docs, route_collection
from schemas.approaches import ApproachQuerySchema

ns = namespace(APPROACHES, "Ready-made approaches a municipality can use")
route_collection(ns, APPROACHES, ApproachQuerySchema, "approach_id", Docs(
    list="""List approaches.

    `sizeClass=small` lists the approaches that suit small municipalities; `topic` and `kind` narrow it.
    """,
    get="Get an approach by id.",
    create="""Create an approach (curators).

    `provider` and `topics` must name existing records (else a 400 naming the field).
    """,
    replace="Replace an approach (curators; If-Match required).",
    patch="Change some fields of an approach (curators; JSON merge patch; If-Match required).",
    archive="Archive an approach (curators; If-Match required): it leaves public views, its history stays.",
))
