"""Writes of approaches, their topics and the size classes they suit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Approach, ApproachSizeClass, ApproachTopic
from api.services.curated import curated_columns
from api.services.records import Outcome, upsert


def _set_topics(approach: Any, wanted: set[str]) -> None:
    approach.topic_links = [ApproachTopic(topic_id=t) for t in sorted(wanted)]


def _set_size_classes(approach: Any, wanted: set[str]) -> None:
    approach.size_class_links = [ApproachSizeClass(size_class=c) for c in sorted(wanted)]


def save_approach(session: Session, data: dict[str, Any]) -> tuple[Approach, Outcome]:
    """Create or update an approach from loaded values."""
    columns = {
        "name": data["name"],
        "kind": data["kind"],
        "summary": data.get("summary", ""),
        "description": data.get("description", ""),
        "provider_id": data.get("provider"),
        "audience": list(data.get("audience") or []),
        "format": data.get("format"),
        "duration": data.get("duration"),
        "cost": data.get("cost"),
        "evidence_level": data.get("evidence_level", "not-assessed"),
        "url": data.get("url"),
        "language": data.get("language", "nl"),
        **curated_columns(data),
    }
    children = {
        "topics": (set(data.get("topics") or []), _set_topics, lambda a: {t.topic_id for t in a.topic_links}),
        "size_classes": (set(data.get("size_classes") or []), _set_size_classes, lambda a: set(a.size_classes)),
    }
    return upsert(session, Approach, data["id"], columns, children)  # type: ignore[return-value]
