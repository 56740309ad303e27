"""Writes of safety regions (reference data)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import SafetyRegion
from api.services.records import Outcome, upsert


def save_safety_region(session: Session, data: dict[str, Any]) -> tuple[SafetyRegion, Outcome]:
    """Create or update a safety region from the values `SafetyRegionInputSchema` loaded."""
    return upsert(session, SafetyRegion, data)
