"""A topic of the small taxonomy, with Dutch label and search synonyms."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import ID, Base, CuratedMixin


class Topic(CuratedMixin, Base):
    """A topic such as right-wing extremism or key-figure networks."""

    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    label: Mapped[str] = mapped_column(String(120), unique=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("topics.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    synonyms: Mapped[list[Any]] = mapped_column(default=list)

    parent: Mapped[Topic | None] = relationship(remote_side="Topic.id")

    @property
    def name(self) -> str:
        """Topics are named by their Dutch label."""
        return self.label
