"""An organisation that offers support: ROR, ESS, NCTV, VNG, knowledge institutes, networks."""

from __future__ import annotations

import enum

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import ID, Base, CuratedMixin, enum_column


class OrganisationKind(enum.StrEnum):
    """What sort of organisation it is."""

    GOVERNMENT = "government"
    TRAINING_INSTITUTE = "training-institute"
    EXPERTISE_CENTRE = "expertise-centre"
    KNOWLEDGE_INSTITUTE = "knowledge-institute"
    ASSOCIATION = "association"
    NETWORK = "network"
    PARTNERSHIP = "partnership"
    IMPLEMENTING_ORGANISATION = "implementing-organisation"
    REPORTING_POINT = "reporting-point"


class Scope(enum.StrEnum):
    """The area an organisation works for."""

    NATIONAL = "national"
    POLICE_UNIT = "police-unit"
    SAFETY_REGION = "safety-region"
    MUNICIPALITY = "municipality"
    INTERNATIONAL = "international"


class Organisation(CuratedMixin, Base):
    """A curated organisation record."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    abbreviation: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind, "organisation_kind"))
    scope: Mapped[Scope] = mapped_column(enum_column(Scope, "scope"))
    url: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
