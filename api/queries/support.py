"""The support bundle: everything a municipality needs to answer "who can help us, and with what?".

One read that gathers its safety houses, police unit, safety region, the experts that serve it (most local
first), the approaches that suit its size class, nearby peers with an adopted policy they share, and the
national organisations, plus the gaps in that answer with what to do about them (in Dutch).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from api.exceptions import NotFound
from api.models import (
    Approach,
    ApproachSizeClass,
    ApproachTopic,
    Expert,
    ExpertArea,
    ExpertTopic,
    Municipality,
    Organisation,
    PolicyStatus,
    SafetyHouse,
    SafetyHouseCoverage,
    SafetyRegion,
)
from api.models.approaches import EVIDENCE_RANK
from api.models.experts import NATIONAL_AREA, AreaKind
from api.models.organisations import Scope

EARTH_RADIUS_KM = 6371.0
"""Mean Earth radius used for the great-circle distance between centroids."""
LEVELS = (AreaKind.MUNICIPALITY, AreaKind.SAFETY_REGION, AreaKind.POLICE_UNIT, AreaKind.NATIONAL)
"""Levels through which an expert serves a municipality, most local first."""
NATIONAL_NAME = "Nederland"


@dataclass(frozen=True)
class Area:
    """The area through which an expert serves the municipality: the reason it is listed."""

    level: str
    id: str
    name: str


@dataclass(frozen=True)
class ServingHouse:
    """A safety house and why it is said to serve the municipality (`explicit` or `region`)."""

    house: SafetyHouse
    coverage: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.house, name)


@dataclass(frozen=True)
class ServingExpert:
    """An expert with the area through which it serves the municipality and how many asked topics it knows."""

    expert: Expert
    serves_via: Area
    topic_matches: int = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.expert, name)


@dataclass(frozen=True)
class Peer:
    """A municipality with an adopted policy that it shares, and how far away it is."""

    municipality: Municipality
    distance_km: float

    def __getattr__(self, name: str) -> Any:
        return getattr(self.municipality, name)


@dataclass(frozen=True)
class Gap:
    """Something the answer lacks, and what the municipality can do about it (Dutch)."""

    code: str
    message: str


@dataclass
class SupportBundle:
    """The one-call answer for a municipality."""

    municipality: Municipality
    safety_houses: list[ServingHouse]
    experts: list[ServingExpert]
    approaches: list[Approach]
    peers: list[Peer]
    national_organisations: list[Organisation]
    topics: list[str] = field(default_factory=list)
    limit: int = 10
    gaps: list[Gap] = field(default_factory=list)

    @property
    def police_unit(self) -> Any:
        """The municipality's police unit."""
        return self.municipality.police_unit

    @property
    def safety_region(self) -> Any:
        """The municipality's safety region."""
        return self.municipality.safety_region

    @property
    def id(self) -> str:
        """The municipality's code (the bundle lives under it)."""
        return self.municipality.id


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def support_bundle(
    session: Session,
    municipality_id: str,
    *,
    statuses: Sequence[str] = ("published",),
    topics: Sequence[str] | None = None,
    limit: int = 10,
) -> SupportBundle:
    """The support bundle of `municipality_id`; curated records limited to `statuses`, narrowed to `topics`.

    Raises NotFound for an unknown code.
    """
    municipality = session.scalars(
        select(Municipality)
        .where(Municipality.id == municipality_id)
        .options(
            joinedload(Municipality.police_unit),
            joinedload(Municipality.safety_region)
            .selectinload(SafetyRegion.safety_houses)
            .selectinload(SafetyHouse.coverage),
            selectinload(Municipality.coverage).selectinload(SafetyHouseCoverage.safety_house),
        )
    ).first()
    if municipality is None:
        raise NotFound(f"There is no municipality with id '{municipality_id}'.")
    asked = sorted(set(topics or []))
    houses = [ServingHouse(house, basis) for house, basis in municipality.serving_safety_houses()]
    organisations = national_organisations(session, statuses)  # first: providers found here are not fetched again
    bundle = SupportBundle(
        municipality=municipality,
        safety_houses=houses,
        experts=serving_experts(session, municipality, statuses, asked),
        approaches=suitable_approaches(session, municipality, statuses, asked),
        peers=nearest_peers(session, municipality, limit),
        national_organisations=organisations,
        topics=asked,
        limit=limit,
    )
    bundle.gaps = gaps_of(bundle)
    return bundle


def serving_experts(
    session: Session, municipality: Municipality, statuses: Sequence[str], topics: Sequence[str]
) -> list[ServingExpert]:
    """Experts serving the municipality, ranked by level (most local first), topic matches, then name.

    The same set as `GET /experts?serves=<id>[&topic=…]`: directly, through its safety region, its police
    unit or nationally.
    """
    areas = {
        municipality.id: Area(AreaKind.MUNICIPALITY.value, municipality.id, municipality.name),
        municipality.safety_region_id: Area(
            AreaKind.SAFETY_REGION.value, municipality.safety_region_id, municipality.safety_region.name
        ),
        municipality.police_unit_id: Area(
            AreaKind.POLICE_UNIT.value, municipality.police_unit_id, municipality.police_unit.name
        ),
        NATIONAL_AREA: Area(AreaKind.NATIONAL.value, NATIONAL_AREA, NATIONAL_NAME),
    }
    stmt = (
        select(Expert)
        .where(Expert.status.in_(statuses))
        .where(Expert.id.in_(select(ExpertArea.expert_id).where(ExpertArea.area_id.in_(list(areas)))))
        .options(selectinload(Expert.organisation))
    )
    if topics:
        stmt = stmt.where(Expert.id.in_(select(ExpertTopic.expert_id).where(ExpertTopic.topic_id.in_(topics))))
    rank = {level.value: index for index, level in enumerate(LEVELS)}
    found = []
    for expert in session.scalars(stmt).unique():
        via = min((areas[a.area_id] for a in expert.areas if a.area_id in areas), key=lambda area: rank[area.level])
        matches = len({link.topic_id for link in expert.topic_links} & set(topics))
        found.append(ServingExpert(expert, via, matches))
    return sorted(found, key=lambda e: (rank[e.serves_via.level], -e.topic_matches, e.expert.name.casefold(),
                                        e.expert.id))


def suitable_approaches(
    session: Session, municipality: Municipality, statuses: Sequence[str], topics: Sequence[str]
) -> list[Approach]:
    """Approaches that suit its size class, ranked by topic matches, evidence level (strongest first), name.

    The same set as `GET /approaches?sizeClass=<its class>[&topic=…]`.
    """
    stmt = (
        select(Approach)
        .where(Approach.status.in_(statuses))
        .where(Approach.id.in_(select(ApproachSizeClass.approach_id).where(
            ApproachSizeClass.size_class == municipality.size_class)))
        .options(selectinload(Approach.provider))
    )
    if topics:
        stmt = stmt.where(
            Approach.id.in_(select(ApproachTopic.approach_id).where(ApproachTopic.topic_id.in_(topics)))
        )
    asked = set(topics)

    def key(approach: Approach) -> tuple[Any, ...]:
        matches = len({link.topic_id for link in approach.topic_links} & asked)
        return (-matches, -EVIDENCE_RANK[approach.evidence_level], approach.name.casefold(), approach.id)

    return sorted(session.scalars(stmt).unique(), key=key)


def nearest_peers(session: Session, municipality: Municipality, limit: int) -> list[Peer]:
    """Up to `limit` other municipalities with an adopted policy they share, nearest first."""
    candidates = session.scalars(
        select(Municipality)
        .where(Municipality.policy_status == PolicyStatus.ADOPTED)
        .where(Municipality.policy_shares_knowledge.is_(True))
        .where(Municipality.id != municipality.id)
    )
    measured = [
        (haversine_km(municipality.lat, municipality.lon, other.lat, other.lon), other) for other in candidates
    ]
    measured.sort(key=lambda pair: (pair[0], pair[1].name.casefold(), pair[1].id))
    return [Peer(other, round(distance, 1)) for distance, other in measured[:limit]]


def national_organisations(session: Session, statuses: Sequence[str]) -> list[Organisation]:
    """Organisations with a national scope, by name."""
    found = session.scalars(
        select(Organisation).where(Organisation.scope == Scope.NATIONAL).where(Organisation.status.in_(statuses))
    )
    return sorted(found, key=lambda o: (o.name.casefold(), o.id))


def gaps_of(bundle: SupportBundle) -> list[Gap]:
    """What the bundle lacks, each with what the municipality can do about it (Dutch)."""
    m = bundle.municipality
    region, unit = m.safety_region.name, m.police_unit.name
    gaps: list[Gap] = []
    if not bundle.safety_houses:
        others = [h.name for h in m.safety_region.safety_houses if h.status.value == "published"]
        why = (
            f"De bronnen van {', '.join(others)} noemen {m.name} niet in het werkgebied."
            if others
            else f"Voor veiligheidsregio {region} is in de Kennisbank nog geen Veiligheidshuis bekend."
        )
        gaps.append(Gap(
            "no-safety-house",
            f"Geen Veiligheidshuis gevonden voor {m.name}. {why} Vraag veiligheidsregio {region} of "
            f"politie-eenheid {unit} welk (Zorg- en) Veiligheidshuis voor uw gemeente werkt; het landelijk "
            "netwerk van Zorg- en Veiligheidshuizen kan u ook verder helpen.",
        ))
    topic_note = " over de gekozen onderwerpen" if bundle.topics else ""
    if not bundle.experts:
        gaps.append(Gap(
            "no-experts",
            f"Geen experts gevonden{topic_note} die {m.name} bedienen. Vraag de adviseurs van de Expertise-unit "
            "Sociale Stabiliteit (ESS) of uw Veiligheidshuis wie u kan helpen"
            + ("; of zoek zonder onderwerp." if bundle.topics else "."),
        ))
    if not bundle.approaches:
        gaps.append(Gap(
            "no-approaches",
            f"Geen kant-en-klare aanpakken gevonden{topic_note} die passen bij een gemeente van deze omvang. "
            "Vraag de ESS om advies op maat" + ("; of zoek zonder onderwerp." if bundle.topics else "."),
        ))
    if not bundle.peers:
        ask = f"veiligheidsregio {region}"
        if bundle.safety_houses:
            ask = f"uw Veiligheidshuis of {ask}"
        gaps.append(Gap(
            "no-peers",
            "Nog geen gemeente in de Kennisbank heeft een vastgesteld beleid dat zij wil delen. "
            f"Vraag {ask} welke gemeenten in de buurt al een aanpak hebben.",
        ))
    return gaps
