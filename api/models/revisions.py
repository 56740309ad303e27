"""The history: one revision per write of a catalogue record, with who, when and every changed field."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import ID, Base, enum_column, utcnow


class Action(enum.StrEnum):
    """What a write did to the record."""

    CREATED = "created"
    UPDATED = "updated"
    PUBLISHED = "published"
    ARCHIVED = "archived"
    ERASED = "erased"


class Revision(Base):
    """A write of one record: `changes` is `[{field, old, new}]` in the wire's field names (dotted for nesting).

    `actor` is the API key id of the writer, or `seed` / `import` for the command line loaders.
    """

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_record", "collection", "record_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    collection: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(ID)
    version: Mapped[int]
    action: Mapped[Action] = mapped_column(enum_column(Action, "revision_action"))
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[list[Any]] = mapped_column(default=list)
