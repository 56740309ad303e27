"""Writes of approaches, their topics and the size classes they suit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Approach, ApproachSizeClass, ApproachTopic
from api.services.records import Outcome, upsert


def _set_topics(approach: Any, wanted: set[str]) -> None:
    approach.topic_links = [ApproachTopic(topic_id=t) for t in sorted(wanted)]


def _set_size_classes(approach: Any, wanted: set[str]) -> None:
    approach.size_class_links = [ApproachSizeClass(size_class=c) for c in sorted(wanted)]


def save_approach(session: Session, data: dict[str, Any]) -> tuple[Approach, Outcome]:
    """Create or update an approach from the values `ApproachInputSchema` loaded."""
    return upsert(session, Approach, data, {
        "topic_ids": (set(data["topic_ids"]), _set_topics, lambda a: set(a.topic_ids)),
        "size_classes": (set(data["size_classes"]), _set_size_classes, lambda a: set(a.size_classes)),
    })
