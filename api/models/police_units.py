"""A police unit: one of the ten regional units or the Landelijke Eenheid."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import CODE, Base, Versioned, enum_column

if TYPE_CHECKING:
    from api.models.municipalities import Municipality
    from api.models.safety_regions import SafetyRegion


class PoliceUnitKind(enum.StrEnum):
    """Regional unit (with territory) or national unit (without)."""

    REGIONAL = "regional"
    NATIONAL = "national"


class PoliceUnit(Versioned, Base):
    """A unit of the Nationale Politie, id RE01..RE10 or LE."""

    __tablename__ = "police_units"

    id: Mapped[str] = mapped_column(CODE, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[PoliceUnitKind] = mapped_column(enum_column(PoliceUnitKind, "police_unit_kind"))

    safety_regions: Mapped[list[SafetyRegion]] = relationship(
        back_populates="police_unit", order_by="SafetyRegion.id"
    )
    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="police_unit", order_by="Municipality.name"
    )
