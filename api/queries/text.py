"""Full-text matching for the `q` parameter of every collection."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.models.base import Base


def ranked_ids(session: Session, model: type[Base], q: str) -> list[str]:
    """Ids of `model` rows matching `q`, most relevant first."""
    pattern = f"%{q.strip().lower()}%"
    name = model.label if hasattr(model, "label") else model.name  # type: ignore[attr-defined]
    stmt = select(model.id).where(or_(name.ilike(pattern), model.id.ilike(pattern)))  # type: ignore[attr-defined]
    return list(session.scalars(stmt))
