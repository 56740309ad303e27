"""Reads of safety houses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload

from api.models import SafetyHouse, SafetyHouseCoverage, SafetyRegion
from api.queries.curated import curated_filters
from api.queries.paging import Page, get_one, list_page, load_in_order

SORT_COLUMNS = {"id": SafetyHouse.id, "name": SafetyHouse.name}
FILTERS = {
    **curated_filters(SafetyHouse),
    "safety_region": lambda s, v: s.where(SafetyHouse.safety_region_id.in_(v)),
    "police_unit": lambda s, v: s.where(
        SafetyHouse.safety_region_id.in_(select(SafetyRegion.id).where(SafetyRegion.police_unit_id.in_(v)))
    ),
    "serves": lambda s, v: s.where(
        SafetyHouse.id.in_(
            select(SafetyHouseCoverage.safety_house_id).where(SafetyHouseCoverage.municipality_id.in_(v))
        )
    ),
}


def _loaded() -> Select[Any]:
    return select(SafetyHouse).options(
        joinedload(SafetyHouse.safety_region).joinedload(SafetyRegion.police_unit),
        selectinload(SafetyHouse.coverage).selectinload(SafetyHouseCoverage.municipality),
    )


def list_safety_houses(session: Session, params: dict[str, Any]) -> Page[SafetyHouse]:
    """A page of safety houses."""
    return list_page(session, _loaded(), SafetyHouse, params, FILTERS, SORT_COLUMNS, "name", search_type="safety-house")


def get_safety_house(session: Session, house_id: str) -> SafetyHouse:
    """One safety house, or NotFound."""
    return get_one(session, _loaded(), SafetyHouse, house_id, "safety house")


def load_safety_houses(session: Session, ids: Sequence[str]) -> list[SafetyHouse]:
    """The safety houses with `ids`, in that order, loaded as a list loads them (every id must name one)."""
    return load_in_order(session, _loaded(), ids)
