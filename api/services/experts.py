"""Writes of experts, their topics, languages and the areas they serve."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Expert, ExpertArea, ExpertLanguage, ExpertTopic
from api.models.experts import area_kind_of
from api.services.records import Outcome, upsert


def _set_topics(expert: Any, wanted: set[str]) -> None:
    expert.topic_links = [ExpertTopic(topic_id=t) for t in sorted(wanted)]


def _set_languages(expert: Any, wanted: set[str]) -> None:
    expert.language_links = [ExpertLanguage(language=lang) for lang in sorted(wanted)]


def _set_areas(expert: Any, wanted: set[str]) -> None:
    expert.areas = [ExpertArea(area_id=a, area_kind=area_kind_of(a)) for a in sorted(wanted)]


def save_expert(session: Session, data: dict[str, Any]) -> tuple[Expert, Outcome]:
    """Create or update an expert from the values `ExpertInputSchema` loaded."""
    return upsert(session, Expert, data, {
        "topic_ids": (set(data["topic_ids"]), _set_topics, lambda e: set(e.topic_ids)),
        "languages": (set(data["languages"]), _set_languages, lambda e: set(e.languages)),
        "serves": (set(data["serves"]), _set_areas, lambda e: set(e.serves)),
    })
