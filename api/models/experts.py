"""An expert: a person or a team, the topics they know and the areas they serve."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import CODE, ID, Base, CuratedMixin, enum_column
from api.models.organisations import Organisation
from api.models.topics import Topic


class ExpertKind(enum.StrEnum):
    """A named person or a team."""

    PERSON = "person"
    TEAM = "team"


class AreaKind(enum.StrEnum):
    """The level of an area an expert serves."""

    NATIONAL = "national"
    POLICE_UNIT = "police-unit"
    SAFETY_REGION = "safety-region"
    MUNICIPALITY = "municipality"


NATIONAL_AREA = "NL"


def area_kind_of(area_id: str) -> AreaKind:
    """The level of an area code: NL, RE01/LE, VR01 or GM0363."""
    if area_id == NATIONAL_AREA:
        return AreaKind.NATIONAL
    if area_id.startswith("GM"):
        return AreaKind.MUNICIPALITY
    if area_id.startswith("VR"):
        return AreaKind.SAFETY_REGION
    return AreaKind.POLICE_UNIT


class Expert(CuratedMixin, Base):
    """A curated expert record; email and phone of a person are personal data."""

    __tablename__ = "experts"
    __table_args__ = (
        # A page in name order walks this index and stops after the page (see api/queries/paging.py).
        Index("ix_experts_status_name_id", "status", "name", "id"),
        # Counting a filtered list checks each candidate's status without reading the (wide) row.
        Index("ix_experts_status_id", "status", "id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ExpertKind] = mapped_column(enum_column(ExpertKind, "expert_kind"))
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_url: Mapped[str | None] = mapped_column(String(500))

    organisation: Mapped[Organisation | None] = relationship()
    topic_links: Mapped[list[ExpertTopic]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    language_links: Mapped[list[ExpertLanguage]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    areas: Mapped[list[ExpertArea]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def topics(self) -> list[Topic]:
        """The topics, in id order."""
        return sorted((link.topic for link in self.topic_links), key=lambda t: t.id)

    @property
    def topic_ids(self) -> list[str]:
        """Ids of the topics, sorted."""
        return sorted(link.topic_id for link in self.topic_links)

    @property
    def languages(self) -> list[str]:
        """ISO 639-1 codes, sorted."""
        return sorted(link.language for link in self.language_links)

    @property
    def contact(self) -> dict[str, str | None]:
        """Contact details as one value."""
        return {"email": self.contact_email, "phone": self.contact_phone, "url": self.contact_url}

    @contact.setter
    def contact(self, value: dict[str, str | None]) -> None:
        self.contact_email, self.contact_phone, self.contact_url = value["email"], value["phone"], value["url"]

    @property
    def served_areas(self) -> list[dict[str, str]]:
        """Areas served as `{id, kind}`, national first, then by code."""
        order = list(AreaKind)
        return [
            {"id": a.area_id, "kind": a.area_kind.value}
            for a in sorted(self.areas, key=lambda a: (order.index(a.area_kind), a.area_id))
        ]

    @property
    def serves(self) -> list[str]:
        """Area codes served (NL = the whole country), sorted."""
        return sorted(area.area_id for area in self.areas)


class ExpertTopic(Base):
    """Expert knows topic."""

    __tablename__ = "expert_topics"
    # Covering: the experts of a topic without reading the table (the `topic` filter drives list queries).
    __table_args__ = (Index("ix_expert_topics_topic_id_expert_id", "topic_id", "expert_id"),)

    expert_id: Mapped[str] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"), primary_key=True)
    topic: Mapped[Topic] = relationship(lazy="joined")


class ExpertLanguage(Base):
    """Expert works in language (ISO 639-1)."""

    __tablename__ = "expert_languages"

    expert_id: Mapped[str] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)


class ExpertArea(Base):
    """Expert serves an area: the country, a police unit, a safety region or a municipality."""

    __tablename__ = "expert_areas"
    # Covering: the experts serving an area without reading the table (the `serves` filter drives list queries).
    __table_args__ = (Index("ix_expert_areas_area_id_expert_id", "area_id", "expert_id"),)

    expert_id: Mapped[str] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True)
    area_id: Mapped[str] = mapped_column(CODE, primary_key=True)
    area_kind: Mapped[AreaKind] = mapped_column(enum_column(AreaKind, "area_kind"))
