"""The change feed: created/updated/deleted events of the published catalogue, numbered in commit order."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import ID, Base, enum_column, utcnow


class Event(enum.StrEnum):
    """What happened to the record in the published catalogue (archiving or unpublishing is `deleted`)."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"


class Change(Base):
    """One event; `seq` only grows (AUTOINCREMENT on SQLite; writers of events are serialised on PostgreSQL)."""

    __tablename__ = "changes"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    collection: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(ID)
    event: Mapped[Event] = mapped_column(enum_column(Event, "change_event"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
