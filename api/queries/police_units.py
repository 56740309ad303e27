"""Reads of police units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from api.models import PoliceUnit
from api.queries.paging import Page, get_one, list_page, load_in_order

SORT_COLUMNS = {"id": PoliceUnit.id, "name": PoliceUnit.name}
FILTERS = {"kind": lambda s, v: s.where(PoliceUnit.kind.in_(v))}


def _loaded() -> Select[Any]:
    return select(PoliceUnit).options(
        selectinload(PoliceUnit.safety_regions), selectinload(PoliceUnit.municipalities)
    )


def list_police_units(session: Session, params: dict[str, Any]) -> Page[PoliceUnit]:
    """A page of police units."""
    return list_page(session, _loaded(), PoliceUnit, params, FILTERS, SORT_COLUMNS, "id", search_type="police-unit")


def get_police_unit(session: Session, unit_id: str) -> PoliceUnit:
    """One police unit, or NotFound."""
    return get_one(session, _loaded(), PoliceUnit, unit_id, "police unit")


def load_police_units(session: Session, ids: Sequence[str]) -> list[PoliceUnit]:
    """The police units with `ids`, in that order, loaded as a list loads them (every id must name one)."""
    return load_in_order(session, _loaded(), ids)
