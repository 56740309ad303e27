"""Writes of organisations."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Organisation
from api.services.records import Outcome, upsert


def save_organisation(session: Session, data: dict[str, Any]) -> tuple[Organisation, Outcome]:
    """Create or update a organisation from the values `OrganisationInputSchema` loaded."""
    return upsert(session, Organisation, data)
