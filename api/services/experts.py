"""Writes of experts, their topics, languages and the areas they serve."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.models import Expert, ExpertArea, ExpertLanguage, ExpertTopic
from api.models.experts import area_kind_of
from api.services.curated import curated_columns
from api.services.records import Outcome, upsert


def _set_topics(expert: Any, wanted: set[str]) -> None:
    expert.topic_links = [ExpertTopic(topic_id=t) for t in sorted(wanted)]


def _set_languages(expert: Any, wanted: set[str]) -> None:
    expert.language_links = [ExpertLanguage(language=lang) for lang in sorted(wanted)]


def _set_areas(expert: Any, wanted: set[str]) -> None:
    expert.areas = [ExpertArea(area_id=a, area_kind=area_kind_of(a)) for a in sorted(wanted)]


def save_expert(session: Session, data: dict[str, Any]) -> tuple[Expert, Outcome]:
    """Create or update an expert from loaded values."""
    contact = data.get("contact") or {}
    columns = {
        "name": data["name"],
        "kind": data["kind"],
        "organisation_id": data.get("organisation"),
        "description": data.get("description", ""),
        "contact_email": contact.get("email"),
        "contact_phone": contact.get("phone"),
        "contact_url": contact.get("url"),
        **curated_columns(data),
    }
    children = {
        "topics": (set(data.get("topics") or []), _set_topics, lambda e: {t.topic_id for t in e.topic_links}),
        "languages": (set(data.get("languages") or []), _set_languages, lambda e: set(e.languages)),
        "areas": (set(data.get("serves") or []), _set_areas, lambda e: set(e.serves)),
    }
    return upsert(session, Expert, data["id"], columns, children)  # type: ignore[return-value]
