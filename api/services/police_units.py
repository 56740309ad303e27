"""Writes of police units (reference data)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import PoliceUnit
from api.services.records import Outcome, upsert


def save_police_unit(session: Session, data: dict[str, Any]) -> tuple[PoliceUnit, Outcome]:
    """Create or update a police unit from the values `PoliceUnitInputSchema` loaded."""
    return upsert(session, PoliceUnit, data)
