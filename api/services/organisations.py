"""Writes of organisations."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Organisation
from api.services.curated import curated_columns
from api.services.records import Outcome, upsert


def save_organisation(session: Session, data: dict[str, Any]) -> tuple[Organisation, Outcome]:
    """Create or update an organisation from loaded values."""
    columns = {
        "name": data["name"],
        "abbreviation": data.get("abbreviation"),
        "kind": data["kind"],
        "scope": data["scope"],
        "url": data.get("url"),
        "description": data.get("description", ""),
        **curated_columns(data),
    }
    return upsert(session, Organisation, data["id"], columns)  # type: ignore[return-value]
