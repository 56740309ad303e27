"""Reads of experts, including who serves a given municipality."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from api.models import Expert, ExpertArea, ExpertLanguage, ExpertTopic
from api.queries.areas import served_areas
from api.queries.curated import curated_filters
from api.queries.paging import Linked, Page, get_one, list_page, load_in_order

SORT_COLUMNS = {"id": Expert.id, "name": Expert.name, "updatedAt": Expert.updated_at}


FILTERS = {
    **curated_filters(Expert),
    "kind": lambda s, v: s.where(Expert.kind.in_(v)),
    "organisation": lambda s, v: s.where(Expert.organisation_id.in_(v)),
    "topic": Linked(Expert.id, ExpertTopic.expert_id, lambda v: ExpertTopic.topic_id.in_(v)),
    # A few languages, one of them spoken by nearly every expert: probed, never the list to start from.
    "language": Linked(Expert.id, ExpertLanguage.expert_id, lambda v: ExpertLanguage.language.in_(v), selective=False),
    # `serves` arrives as municipality ids and is turned into the area codes serving them first (see list_experts):
    # a database that sees the codes can tell how many experts serve them.
    "serves": Linked(Expert.id, ExpertArea.expert_id, lambda v: ExpertArea.area_id.in_(v)),
}
WALK_SORTS = ("name", "id")
"""Sorts served in order by ix_experts_status_name_id and ix_experts_status_id."""


def _loaded() -> Select[Any]:
    return select(Expert).options(joinedload(Expert.organisation))


def list_experts(session: Session, params: dict[str, Any]) -> Page[Expert]:
    """A page of experts."""
    if params.get("serves") is not None:
        params = {**params, "serves": served_areas(session, params["serves"])}
    return list_page(session, _loaded(), Expert, params, FILTERS, SORT_COLUMNS, "name", WALK_SORTS,
                     search_type="expert")


def get_expert(session: Session, expert_id: str) -> Expert:
    """One expert, or NotFound."""
    return get_one(session, _loaded(), Expert, expert_id, "expert")


def load_experts(session: Session, ids: Sequence[str]) -> list[Expert]:
    """The experts with `ids`, in that order, loaded as a list loads them (every id must name one)."""
    return load_in_order(session, _loaded(), ids)
