"""What the support bundle is made of: the records it gathers, each with why it is listed, and the totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from api.models import Municipality

T = TypeVar("T")



@dataclass(frozen=True)
class Area:
    """The area through which an expert serves the municipality: the reason it is listed."""

    level: str
    id: str
    name: str


@dataclass(frozen=True)
class ServingHouse:
    """A safety house and how sure it is that it serves the municipality (`named`, `region`, `same-safety-region`)."""

    id: str
    name: str
    coverage: str


@dataclass(frozen=True)
class ServingExpert:
    """An expert (its id) with the area through which it serves the municipality and how many asked topics it
    knows."""

    id: str
    serves_via: Area
    topic_matches: int = 0


@dataclass(frozen=True)
class Peer:
    """A municipality with public evidence of its approach or an adopted policy it shares, and how far away it is."""

    id: str
    name: str
    province: str
    population: int
    size_class: str
    policy: dict[str, Any]
    policy_evidence: list[Any]
    distance_km: float

    @classmethod
    def of(cls, row: Any, distance_km: float) -> Peer:
        """The peer of a row of municipality columns (those of `Municipality.policy` among them)."""
        policy = {"status": row.policy_status.value, "url": row.policy_url,
                  "shares_knowledge": row.policy_shares_knowledge, "updated_at": row.policy_updated_at}
        return cls(row.id, row.name, row.province, row.population, row.size_class, policy, row.policy_evidence,
                   distance_km)


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """The first items of a ranked list, and how many items the whole list has."""

    items: list[T]
    total: int


@dataclass(frozen=True)
class Totals:
    """How many experts, approaches and peers there are in all; the bundle lists at most `limit` of each."""

    experts: int
    approaches: int
    peers: int


@dataclass
class SupportBundle:
    """The one-call answer for a municipality. Experts, approaches and organisations are given by id: the HTTP
    layer shows them as their collections do (from the records' kept dumps, `api.record_dumps`)."""

    municipality: Municipality
    experts: list[ServingExpert]
    approaches: list[str]
    """Ids, best first."""
    peers: list[Peer]
    national_organisations: list[str]
    """Ids, by name."""
    totals: Totals
    topics: list[str] = field(default_factory=list)
    limit: int = 10
    safety_houses: list[ServingHouse] = field(default_factory=list)
    """The houses the municipality's record shows the caller, surest first, filled in where it is shown."""
    gaps: list[Any] = field(default_factory=list)
    """What the answer lacks (`api.support_gaps.gaps_of`), filled in where it is shown."""

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
