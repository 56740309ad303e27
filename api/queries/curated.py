"""Filters every curated collection shares: workflow status, last change and the demo mark."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.queries.paging import Filter


def curated_filters(model: Any) -> dict[str, Filter]:
    """status (OR), updatedSince and demo filters for a curated model."""
    return {
        "status": lambda s, v: s.where(model.status.in_(v)),
        "updated_since": lambda s, v: s.where(model.updated_at >= v),
        "demo": lambda s, v: s.where(model.demo.is_(v)),
    }


def unpublished_ids(session: Session, model: Any) -> set[str]:
    """Ids of the records of a curated model that are not published (drafts and archived ones)."""
    return set(session.scalars(select(model.id).where(model.status != "published")))
