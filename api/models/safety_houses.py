"""A (Zorg- en) Veiligheidshuis and the municipalities it serves."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import CODE, ID, Base, CuratedMixin, enum_column

if TYPE_CHECKING:
    from api.models.municipalities import Municipality
    from api.models.safety_regions import SafetyRegion


class CoverageBasis(enum.StrEnum):
    """Why a house is said to serve a municipality: its source names the municipality, or says the whole region."""

    NAMED = "named"
    REGION = "region"


class SafetyHouse(CuratedMixin, Base):
    """A Veiligheidshuis, id = slug of the reference data.

    `working_area` is the working area as its source words it; the contact fields are the organisation's own
    (website, general phone number, general e-mail address), never a person's.
    """

    __tablename__ = "safety_houses"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    safety_region_id: Mapped[str] = mapped_column(ForeignKey("safety_regions.id"), index=True)
    seat: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    working_area: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))

    safety_region: Mapped[SafetyRegion] = relationship(back_populates="safety_houses")

    @property
    def contact(self) -> dict[str, str | None]:
        """The organisation's website, general phone and e-mail as one value."""
        return {"website": self.website, "phone": self.phone, "email": self.email}

    @contact.setter
    def contact(self, value: dict[str, str | None]) -> None:
        self.website, self.phone, self.email = value["website"], value["phone"], value["email"]
    coverage: Mapped[list[SafetyHouseCoverage]] = relationship(
        back_populates="safety_house",
        cascade="all, delete-orphan",
        order_by="SafetyHouseCoverage.municipality_id",
    )


class SafetyHouseCoverage(Base):
    """One municipality served by one house, and on what basis."""

    __tablename__ = "safety_house_coverage"

    safety_house_id: Mapped[str] = mapped_column(
        ForeignKey("safety_houses.id", ondelete="CASCADE"), primary_key=True
    )
    municipality_id: Mapped[str] = mapped_column(CODE, ForeignKey("municipalities.id"), primary_key=True, index=True)
    basis: Mapped[CoverageBasis] = mapped_column(enum_column(CoverageBasis, "coverage_basis"))

    safety_house: Mapped[SafetyHouse] = relationship(back_populates="coverage")
    municipality: Mapped[Municipality] = relationship(back_populates="coverage")
