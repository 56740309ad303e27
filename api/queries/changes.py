"""Reads of the change feed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import Change


def changes_after(session: Session, seq: int, limit: int) -> list[Change]:
    """Up to `limit` events after position `seq`, in commit order."""
    return list(session.scalars(select(Change).where(Change.seq > seq).order_by(Change.seq).limit(limit)))
