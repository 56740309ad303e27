"""A safety region (veiligheidsregio)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import CODE, Base, Versioned

if TYPE_CHECKING:
    from api.models.municipalities import Municipality
    from api.models.police_units import PoliceUnit
    from api.models.safety_houses import SafetyHouse


class SafetyRegion(Versioned, Base):
    """One of the 25 safety regions, id VR01..VR25."""

    __tablename__ = "safety_regions"

    id: Mapped[str] = mapped_column(CODE, primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    seat: Mapped[str | None] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(60))
    police_unit_id: Mapped[str] = mapped_column(ForeignKey("police_units.id"), index=True)

    police_unit: Mapped[PoliceUnit] = relationship(back_populates="safety_regions")
    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="safety_region", order_by="Municipality.name"
    )
    safety_houses: Mapped[list[SafetyHouse]] = relationship(
        back_populates="safety_region", order_by="SafetyHouse.name"
    )
