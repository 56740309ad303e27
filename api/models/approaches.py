"""A ready-made approach: a training, learning network, advice, toolkit and so on."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.models.base import ID, Base, CuratedMixin, SizeClass, enum_column
from api.models.organisations import Organisation
from api.models.topics import Topic


class ApproachKind(enum.StrEnum):
    """What sort of help the approach is."""

    TRAINING = "training"
    LEARNING_NETWORK = "learning-network"
    ADVICE = "advice"
    TOOLKIT = "toolkit"
    CASE_CONSULTATION = "case-consultation"
    INFORMATION_PROGRAMME = "information-programme"
    FUNDING = "funding"
    HELPLINE = "helpline"
    REPORTING_POINT = "reporting-point"
    KNOWLEDGE_BASE = "knowledge-base"
    GUIDANCE = "guidance"


class ApproachFormat(enum.StrEnum):
    """How the approach is delivered."""

    ONLINE = "online"
    IN_PERSON = "in-person"
    HYBRID = "hybrid"


class EvidenceLevel(enum.StrEnum):
    """The Movisie-style ladder of evidence, lowest first."""

    NOT_ASSESSED = "not-assessed"
    WELL_DESCRIBED = "well-described"
    THEORETICALLY_SOUND = "theoretically-sound"
    EFFECTIVE_INDICATIONS = "effective-indications"
    PROVEN_EFFECTIVE = "proven-effective"


EVIDENCE_RANK = {level: rank for rank, level in enumerate(EvidenceLevel)}


class Approach(CuratedMixin, Base):
    """A curated approach a municipality can use instead of building its own."""

    __tablename__ = "approaches"
    __table_args__ = (
        # A page in name order walks this index and stops after the page (see api/queries/paging.py).
        Index("ix_approaches_status_name_id", "status", "name", "id"),
        # Counting a filtered list checks each candidate's status without reading the (wide) row.
        Index("ix_approaches_status_id", "status", "id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ApproachKind] = mapped_column(enum_column(ApproachKind, "approach_kind"), index=True)
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    provider_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    audience: Mapped[list[Any]] = mapped_column(default=list)
    format: Mapped[ApproachFormat | None] = mapped_column(enum_column(ApproachFormat, "approach_format"))
    duration: Mapped[str | None] = mapped_column(String(120))
    cost: Mapped[str | None] = mapped_column(String(120))
    evidence_level: Mapped[EvidenceLevel] = mapped_column(
        enum_column(EvidenceLevel, "evidence_level"), default=EvidenceLevel.NOT_ASSESSED
    )
    url: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(2), default="nl")

    provider: Mapped[Organisation | None] = relationship()
    topic_links: Mapped[list[ApproachTopic]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    size_class_links: Mapped[list[ApproachSizeClass]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def topics(self) -> list[Topic]:
        """The topics, in id order."""
        return sorted((link.topic for link in self.topic_links), key=lambda t: t.id)

    @property
    def topic_ids(self) -> list[str]:
        """Ids of the topics, sorted."""
        return sorted(link.topic_id for link in self.topic_links)

    @property
    def size_classes(self) -> list[str]:
        """Size classes it suits, small to large."""
        order = list(SizeClass)
        return [c.value for c in sorted((link.size_class for link in self.size_class_links), key=order.index)]


class ApproachTopic(Base):
    """Approach is about topic."""

    __tablename__ = "approach_topics"
    # Covering: the approaches of a topic without reading the table (the `topic` filter drives list queries).
    __table_args__ = (Index("ix_approach_topics_topic_id_approach_id", "topic_id", "approach_id"),)

    approach_id: Mapped[str] = mapped_column(ForeignKey("approaches.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"), primary_key=True)
    topic: Mapped[Topic] = relationship(lazy="joined")


class ApproachSizeClass(Base):
    """Approach suits municipalities of a size class."""

    __tablename__ = "approach_size_classes"

    approach_id: Mapped[str] = mapped_column(ForeignKey("approaches.id", ondelete="CASCADE"), primary_key=True)
    size_class: Mapped[SizeClass] = mapped_column(enum_column(SizeClass, "size_class"), primary_key=True)
