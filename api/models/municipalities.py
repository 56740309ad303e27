"""A municipality (gemeente) and its policy on radicalisation."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import CODE, Base, SizeClass, Versioned, enum_column, utcnow

if TYPE_CHECKING:
    from api.models.police_units import PoliceUnit
    from api.models.safety_houses import SafetyHouse, SafetyHouseCoverage
    from api.models.safety_regions import SafetyRegion


class PolicyStatus(enum.StrEnum):
    """How far a municipality is with a policy on radicalisation."""

    UNKNOWN = "unknown"
    NONE = "none"
    IN_DEVELOPMENT = "in-development"
    ADOPTED = "adopted"


SAME_SAFETY_REGION = "same-safety-region"
CERTAINTY = ("named", "region", SAME_SAFETY_REGION)
"""How sure a house's assignment to a municipality is, surest first."""
T = TypeVar("T")


class Municipality(Versioned, Base):
    """A gemeente, id = CBS code (GM0363)."""

    __tablename__ = "municipalities"
    __table_args__ = (
        CheckConstraint("population >= 0", name="population_not_negative"),
        CheckConstraint("lat BETWEEN 50 AND 54 AND lon BETWEEN 3 AND 8", name="location_in_nl"),
    )

    id: Mapped[str] = mapped_column(CODE, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    province: Mapped[str] = mapped_column(String(60), index=True)
    population: Mapped[int]
    size_class: Mapped[SizeClass] = mapped_column(enum_column(SizeClass, "size_class"), index=True)
    safety_region_id: Mapped[str] = mapped_column(ForeignKey("safety_regions.id"), index=True)
    police_unit_id: Mapped[str] = mapped_column(ForeignKey("police_units.id"), index=True)
    lat: Mapped[float]
    lon: Mapped[float]
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    policy_status: Mapped[PolicyStatus] = mapped_column(
        enum_column(PolicyStatus, "policy_status"), default=PolicyStatus.UNKNOWN, index=True
    )
    policy_url: Mapped[str | None] = mapped_column(String(500))
    policy_shares_knowledge: Mapped[bool] = mapped_column(default=False)
    policy_updated_at: Mapped[datetime | None]
    policy_evidence: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    safety_region: Mapped[SafetyRegion] = relationship(back_populates="municipalities")
    police_unit: Mapped[PoliceUnit] = relationship(back_populates="municipalities")
    coverage: Mapped[list[SafetyHouseCoverage]] = relationship(back_populates="municipality")

    @property
    def location(self) -> dict[str, float]:
        """Centroid as `{lat, lon}`."""
        return {"lat": self.lat, "lon": self.lon}

    @location.setter
    def location(self, value: dict[str, float]) -> None:
        self.lat, self.lon = value["lat"], value["lon"]

    @property
    def policy(self) -> dict[str, Any]:
        """The policy record as one value."""
        return {
            "status": self.policy_status.value,
            "url": self.policy_url,
            "shares_knowledge": self.policy_shares_knowledge,
            "updated_at": self.policy_updated_at,
        }

    def candidate_houses(self) -> list[tuple[SafetyHouse, str]]:
        """Every house that may serve it, whatever its status, with its basis, surest first (then name, id).

        The houses whose coverage lists it, and the unconfirmed fallback: houses of its safety region that state
        no working area and do not list it.
        """
        listed = [(c.safety_house, c.basis.value) for c in self.coverage]
        ids = {house.id for house, _basis in listed}
        fallback = [(h, SAME_SAFETY_REGION) for h in self.safety_region.safety_houses
                    if not h.coverage and not h.working_area and h.id not in ids]
        return sorted(listed + fallback,
                      key=lambda pair: (CERTAINTY.index(pair[1]), pair[0].name.casefold(), pair[0].id))

    @property
    def safety_houses(self) -> list[dict[str, str]]:
        """`candidate_houses` as `{id, name, coverage}`, still to be narrowed to what the caller may see and then
        by `keep_surest` (the municipalities' `narrow` in the registry: `api.queries.municipalities`): the houses
        serving it, surest first. The municipality's record and its support bundle both show them so.

        `named`: the house's source names the municipality; `region`: the source says the house works for the
        whole region. Where no visible house is named, also the visible houses of its safety region whose source
        states no working area at all, as `same-safety-region` (unconfirmed; e.g. a region-wide house for one task
        next to a local house that states nothing). A house whose source states another working area (listed or
        only described) never serves it by that fallback. Which houses a caller may see is the caller's to say
        (`api.visibility`): the fallback depends on it, as a draft house naming the municipality must not take the
        published fallback away from anonymous callers.
        """
        return [{"id": h.id, "name": h.name, "coverage": basis} for h, basis in self.candidate_houses()]


def keep_surest(houses: list[T], basis: Callable[[T], str]) -> list[T]:
    """`houses` (in order) without the unconfirmed fallback where one of them names the municipality."""
    if not any(basis(house) == "named" for house in houses):
        return houses
    return [house for house in houses if basis(house) != SAME_SAFETY_REGION]
