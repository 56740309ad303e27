"""Reads of municipalities."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload

from api.models import Municipality, SafetyHouse, SafetyHouseCoverage, SafetyRegion
from api.models.municipalities import keep_surest
from api.queries.paging import Page, get_one, list_page, load_in_order

SORT_COLUMNS = {
    "id": Municipality.id,
    "name": Municipality.name,
    "population": Municipality.population,
    "province": Municipality.province,
}

FILTERS = {
    "province": lambda s, v: s.where(Municipality.province.in_(v)),
    "safety_region": lambda s, v: s.where(Municipality.safety_region_id.in_(v)),
    "police_unit": lambda s, v: s.where(Municipality.police_unit_id.in_(v)),
    "size_class": lambda s, v: s.where(Municipality.size_class.in_(v)),
    "policy_status": lambda s, v: s.where(Municipality.policy_status.in_(v)),
}


def _loaded() -> Select[Any]:
    return select(Municipality).options(
        joinedload(Municipality.safety_region).selectinload(SafetyRegion.safety_houses)
        .selectinload(SafetyHouse.coverage),
        joinedload(Municipality.police_unit),
        selectinload(Municipality.coverage).joinedload(SafetyHouseCoverage.safety_house),
    )


def list_municipalities(session: Session, params: dict[str, Any]) -> Page[Municipality]:
    """A page of municipalities matching the filters and text query."""
    return list_page(session, _loaded(), Municipality, params, FILTERS, SORT_COLUMNS, "name",
                     search_type="municipality")


def get_municipality(session: Session, municipality_id: str) -> Municipality:
    """One municipality by CBS code, or NotFound."""
    return get_one(session, _loaded(), Municipality, municipality_id, "municipality")


def keep_surest_houses(item: dict[str, Any]) -> dict[str, Any]:
    """A dumped municipality whose `safetyHouses` the caller may all see: the fallback only where none is named."""
    item["safetyHouses"] = keep_surest(item.get("safetyHouses") or [], basis=itemgetter("coverage"))
    return item


def load_municipalities(session: Session, ids: Sequence[str]) -> list[Municipality]:
    """The municipalities with `ids`, in that order, loaded as a list loads them (every id must name one)."""
    return load_in_order(session, _loaded(), ids)
