"""Reads of safety regions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload

from api.models import SafetyRegion
from api.queries.paging import Page, get_one, list_page, load_in_order

SORT_COLUMNS = {"id": SafetyRegion.id, "number": SafetyRegion.number, "name": SafetyRegion.name}
FILTERS = {
    "province": lambda s, v: s.where(SafetyRegion.province.in_(v)),
    "police_unit": lambda s, v: s.where(SafetyRegion.police_unit_id.in_(v)),
}


def _loaded() -> Select[Any]:
    return select(SafetyRegion).options(
        joinedload(SafetyRegion.police_unit),
        selectinload(SafetyRegion.municipalities),
        selectinload(SafetyRegion.safety_houses),
    )


def list_safety_regions(session: Session, params: dict[str, Any]) -> Page[SafetyRegion]:
    """A page of safety regions."""
    return list_page(session, _loaded(), SafetyRegion, params, FILTERS, SORT_COLUMNS, "id", search_type="safety-region")


def get_safety_region(session: Session, region_id: str) -> SafetyRegion:
    """One safety region, or NotFound."""
    return get_one(session, _loaded(), SafetyRegion, region_id, "safety region")


def load_safety_regions(session: Session, ids: Sequence[str]) -> list[SafetyRegion]:
    """The safety regions with `ids`, in that order, loaded as a list loads them (every id must name one)."""
    return load_in_order(session, _loaded(), ids)
