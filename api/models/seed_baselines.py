"""What each record last received from the seed files (or an import), so a release never undoes a curator's edit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import ID, Base


class SeedBaseline(Base):
    """The record as the last seed or import file gave it, in input shape (the base of the three-way merge)."""

    __tablename__ = "seed_baselines"

    collection: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    document: Mapped[dict[str, Any]]
