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
    """Create or update a safety house and its coverage from the values `SafetyHouseInputSchema` loaded."""
    coverage = {(c["municipality_id"], c["basis"]) for c in data["coverage"]}
    return upsert(session, SafetyHouse, data, {"coverage": (coverage, _set_coverage, _get_coverage)})
