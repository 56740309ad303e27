"""Writes of safety houses and their coverage."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import SafetyHouse, SafetyHouseCoverage
from api.services.records import Outcome, upsert


def _set_coverage(house: Any, wanted: set[tuple[str, str]]) -> None:
    house.coverage = [SafetyHouseCoverage(municipality_id=m, basis=b) for m, b in sorted(wanted)]


def _get_coverage(house: Any) -> set[tuple[str, str]]:
    return {(c.municipality_id, c.basis.value) for c in house.coverage}


def save_safety_house(session: Session, data: dict[str, Any]) -> tuple[SafetyHouse, Outcome]:
    """Create or update a safety house and its coverage from loaded values."""
    columns = {
        "name": data["name"],
        "safety_region_id": data["safety_region"],
        "seat": data.get("seat"),
        "address": data.get("address"),
        "notes": data.get("notes"),
        "sources": data.get("sources") or [],
        "status": data.get("status", "published"),
    }
    coverage = {(c["municipality"], c["basis"]) for c in data.get("coverage") or []}
    return upsert(  # type: ignore[return-value]
        session, SafetyHouse, data["id"], columns, {"coverage": (coverage, _set_coverage, _get_coverage)}
    )
