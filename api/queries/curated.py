"""Filters every curated collection shares: workflow status, last change and the demo mark."""

from __future__ import annotations

from typing import Any

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from api.queries.paging import Filter


def curated_filters(model: Any) -> dict[str, Filter]:
    """status (OR), updatedSince and demo filters for a curated model."""
    return {
        "status": lambda s, v: s.where(model.status.in_(v)),
        "updated_since": lambda s, v: s.where(model.updated_at >= v),
        "demo": lambda s, v: s.where(model.demo.is_(v)),
    }


def unpublished_ids_by_collection(session: Session, models: dict[str, Any]) -> dict[str, set[str]]:
    """Ids of the records that are not published (drafts, archived) of each curated model (collection -> model),
    in one statement."""
    found: dict[str, set[str]] = {collection: set() for collection in models}
    if not models:
        return found
    parts = [select(literal(collection).label("collection"), model.id.label("id")).where(model.status != "published")
             for collection, model in models.items()]
    for collection, record_id in session.execute(union_all(*parts)):
        found[collection].add(record_id)
    return found
