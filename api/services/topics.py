"""Writes of topics."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Topic
from api.services.records import Outcome, upsert


def save_topic(session: Session, data: dict[str, Any]) -> tuple[Topic, Outcome]:
    """Create or update a topic from the values `TopicInputSchema` loaded."""
    return upsert(session, Topic, data)
