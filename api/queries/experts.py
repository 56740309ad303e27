"""Reads of experts, including who serves a given municipality."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, literal, select, union_all
from sqlalchemy.orm import Session, selectinload

from api.models import Expert, ExpertArea, ExpertLanguage, ExpertTopic, Municipality
from api.models.experts import NATIONAL_AREA
from api.queries.curated import curated_filters
from api.queries.paging import Page, get_one, list_page

SORT_COLUMNS = {"id": Expert.id, "name": Expert.name, "updatedAt": Expert.updated_at}


def areas_of(municipality_ids: list[str]) -> Select[Any]:
    """Area codes that cover the municipalities: themselves, their region, their police unit, NL."""
    return union_all(
        select(Municipality.id).where(Municipality.id.in_(municipality_ids)),
        select(Municipality.safety_region_id).where(Municipality.id.in_(municipality_ids)),
        select(Municipality.police_unit_id).where(Municipality.id.in_(municipality_ids)),
        select(literal(NATIONAL_AREA)),
    )  # type: ignore[return-value]


FILTERS = {
    **curated_filters(Expert),
    "kind": lambda s, v: s.where(Expert.kind.in_(v)),
    "organisation": lambda s, v: s.where(Expert.organisation_id.in_(v)),
    "topic": lambda s, v: s.where(Expert.id.in_(select(ExpertTopic.expert_id).where(ExpertTopic.topic_id.in_(v)))),
    "language": lambda s, v: s.where(
        Expert.id.in_(select(ExpertLanguage.expert_id).where(ExpertLanguage.language.in_(v)))
    ),
    "serves": lambda s, v: s.where(
        Expert.id.in_(select(ExpertArea.expert_id).where(ExpertArea.area_id.in_(areas_of(v))))
    ),
}


def _loaded() -> Select[Any]:
    return select(Expert).options(selectinload(Expert.organisation))


def list_experts(session: Session, params: dict[str, Any]) -> Page[Expert]:
    """A page of experts."""
    return list_page(session, _loaded(), Expert, params, FILTERS, SORT_COLUMNS, "name")


def get_expert(session: Session, expert_id: str) -> Expert:
    """One expert, or NotFound."""
    return get_one(session, _loaded(), Expert, expert_id, "expert")
