"""Writes of topics."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Topic
from api.services.curated import curated_columns
from api.services.records import Outcome, upsert


def save_topic(session: Session, data: dict[str, Any]) -> tuple[Topic, Outcome]:
    """Create or update a topic from loaded values."""
    columns = {
        "label": data["label"],
        "parent_id": data.get("parent"),
        "description": data.get("description", ""),
        "synonyms": list(data.get("synonyms") or []),
        **curated_columns(data),
    }
    return upsert(session, Topic, data["id"], columns)  # type: ignore[return-value]
