"""Reads of approaches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session, joinedload

from api.models import Approach, ApproachSizeClass, ApproachTopic
from api.models.approaches import EVIDENCE_RANK
from api.queries.curated import curated_filters
from api.queries.paging import Linked, Page, get_one, list_page, load_in_order

SORT_COLUMNS = {
    "id": Approach.id,
    "name": Approach.name,
    "updatedAt": Approach.updated_at,
    "evidenceLevel": case({level.value: rank for level, rank in EVIDENCE_RANK.items()}, value=Approach.evidence_level),
}
FILTERS = {
    **curated_filters(Approach),
    "kind": lambda s, v: s.where(Approach.kind.in_(v)),
    "format": lambda s, v: s.where(Approach.format.in_(v)),
    "provider": lambda s, v: s.where(Approach.provider_id.in_(v)),
    "evidence_level": lambda s, v: s.where(Approach.evidence_level.in_(v)),
    "language": lambda s, v: s.where(Approach.language.in_(v)),
    "topic": Linked(Approach.id, ApproachTopic.approach_id, lambda v: ApproachTopic.topic_id.in_(v)),
    # Three classes, so one holds about a third of the approaches: probed, never the list to start from.
    "size_class": Linked(
        Approach.id, ApproachSizeClass.approach_id, lambda v: ApproachSizeClass.size_class.in_(v), selective=False
    ),
}
WALK_SORTS = ("name", "id")
"""Sorts served in order by ix_approaches_status_name_id and ix_approaches_status_id."""


def _loaded() -> Select[Any]:
    return select(Approach).options(joinedload(Approach.provider))


def list_approaches(session: Session, params: dict[str, Any]) -> Page[Approach]:
    """A page of approaches."""
    return list_page(session, _loaded(), Approach, params, FILTERS, SORT_COLUMNS, "name", WALK_SORTS,
                     search_type="approach")


def get_approach(session: Session, approach_id: str) -> Approach:
    """One approach, or NotFound."""
    return get_one(session, _loaded(), Approach, approach_id, "approach")


def load_approaches(session: Session, ids: Sequence[str]) -> list[Approach]:
    """The approaches with `ids`, in that order, loaded as a list loads them (every id must name one)."""
    return load_in_order(session, _loaded(), ids)
