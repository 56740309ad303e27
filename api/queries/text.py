"""Full-text matching for the `q` parameter of every collection, with the same engine as /search."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api import models
from api.queries.search import run_search

MAX_RANKED = 1000
"""A collection's `q` ranks at most this many matches (then filters and pages them)."""
TYPE_OF_MODEL: dict[type, str] = {
    models.Municipality: "municipality",
    models.SafetyRegion: "safety-region",
    models.PoliceUnit: "police-unit",
    models.SafetyHouse: "safety-house",
    models.Organisation: "organisation",
    models.Expert: "expert",
    models.Approach: "approach",
    models.Topic: "topic",
}


def ranked_ids(session: Session, model: type[models.Base], q: str) -> list[str]:
    """Ids of `model` rows matching `q`, most relevant first (status is filtered by the caller)."""
    result = run_search(session, q, types=[TYPE_OF_MODEL[model]], statuses=("draft", "published", "archived"),
                        limit=MAX_RANKED, snippets=False)
    return [hit.id for hit in result.hits]
