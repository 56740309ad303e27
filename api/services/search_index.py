"""Keeping the search index in step with the catalogue, inside the same transaction as every write."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import models, search
from api.search import SearchDocument

TYPE_OF = {
    "municipalities": "municipality",
    "safety-regions": "safety-region",
    "police-units": "police-unit",
    "safety-houses": "safety-house",
    "organisations": "organisation",
    "experts": "expert",
    "approaches": "approach",
    "topics": "topic",
}
MODEL_OF: dict[str, type[models.Base]] = {
    "municipalities": models.Municipality,
    "safety-regions": models.SafetyRegion,
    "police-units": models.PoliceUnit,
    "safety-houses": models.SafetyHouse,
    "organisations": models.Organisation,
    "experts": models.Expert,
    "approaches": models.Approach,
    "topics": models.Topic,
}


def _municipality(m: models.Municipality) -> SearchDocument:
    return SearchDocument(
        type="municipality", id=m.id, name=m.name, aliases=list(m.aliases),
        summary=f"Gemeente in {m.province}, veiligheidsregio {m.safety_region.name}, "
                f"politie-eenheid {m.police_unit.name}",
        serves=[m.id], size_classes=[m.size_class.value],
    )


# Regions, units and houses serve by area code: a `serves=GM…` search expands the municipality to its own
# code, its safety region, its police unit and NL, so these documents need not list member municipalities
# (and do not go stale when a municipality changes).
def _safety_region(r: models.SafetyRegion) -> SearchDocument:
    return SearchDocument(
        type="safety-region", id=r.id, name=r.name, aliases=[f"Veiligheidsregio {r.name}", r.id],
        summary=f"Veiligheidsregio in {r.province}" + (f", zetel {r.seat}" if r.seat else ""), serves=[r.id],
    )


def _police_unit(u: models.PoliceUnit) -> SearchDocument:
    return SearchDocument(
        type="police-unit", id=u.id, name=u.name, aliases=[u.full_name, f"Politie {u.name}"],
        summary=f"Politie-eenheid {u.full_name}", serves=[u.id],
    )


def _safety_house(h: models.SafetyHouse) -> SearchDocument:
    covered = [c.municipality_id for c in h.coverage]
    return SearchDocument(
        type="safety-house", id=h.id, name=h.name, related=["Veiligheidshuis", "Zorg- en Veiligheidshuis"],
        summary=" ".join(filter(None, [h.seat, h.safety_region.name])), body=h.notes or "",
        serves=[h.safety_region_id, *covered], status=h.status.value,
    )


def _organisation(o: models.Organisation) -> SearchDocument:
    return SearchDocument(
        type="organisation", id=o.id, name=o.name, aliases=[o.abbreviation] if o.abbreviation else [],
        body=o.description, serves=["NL"] if o.scope.value == "national" else [], status=o.status.value,
    )


def _expert(e: models.Expert) -> SearchDocument:
    organisation = e.organisation
    return SearchDocument(
        type="expert", id=e.id, name=e.name,
        related=[a for a in (organisation.name, organisation.abbreviation) if a] if organisation else [],
        summary=" ".join(t.label for t in e.topics), body=e.description,
        topics=[t.id for t in e.topics], serves=e.serves, status=e.status.value,
    )


SIZE_CLASS_WORDS = {"small": "kleine gemeenten", "medium": "middelgrote gemeenten", "large": "grote gemeenten"}
"""How an approach's size classes read in its description, so "training kleine gemeente" finds those that suit."""


def _approach(a: models.Approach) -> SearchDocument:
    provider = a.provider
    suits = ", ".join(SIZE_CLASS_WORDS[c] for c in a.size_classes if c in SIZE_CLASS_WORDS)
    return SearchDocument(
        type="approach", id=a.id, name=a.name,
        related=[x for x in (provider.name, provider.abbreviation) if x] if provider else [],
        summary=a.summary,
        body=" ".join([a.description, *a.audience, *(t.label for t in a.topics), f"Voor {suits}." if suits else ""]),
        topics=[t.id for t in a.topics], size_classes=a.size_classes, status=a.status.value,
    )


def _topic(t: models.Topic) -> SearchDocument:
    return SearchDocument(
        type="topic", id=t.id, name=t.label, aliases=list(t.synonyms), body=t.description,
        topics=[t.id], status=t.status.value,
    )


DOCUMENT: dict[str, Callable[[Any], SearchDocument]] = {
    "municipalities": _municipality,
    "safety-regions": _safety_region,
    "police-units": _police_unit,
    "safety-houses": _safety_house,
    "organisations": _organisation,
    "experts": _expert,
    "approaches": _approach,
    "topics": _topic,
}


def _dependents(session: Session, collection: str, record_id: str) -> list[tuple[str, Any]]:
    """Records whose search document embeds this organisation's name or this topic's label."""
    if collection == "organisations":
        return [("experts", e) for e in session.scalars(select(models.Expert).where(
            models.Expert.organisation_id == record_id))] + [("approaches", a) for a in session.scalars(
                select(models.Approach).where(models.Approach.provider_id == record_id))]
    if collection == "topics":
        return [("experts", e) for e in session.scalars(select(models.Expert).join(models.ExpertTopic).where(
            models.ExpertTopic.topic_id == record_id))] + [("approaches", a) for a in session.scalars(
                select(models.Approach).join(models.ApproachTopic).where(models.ApproachTopic.topic_id == record_id))]
    return []


def index_record(session: Session, collection: str, record: Any) -> None:
    """(Re)index one record, and the records whose documents embed it; call inside the writing transaction."""
    session.flush()
    search.upsert(session, DOCUMENT[collection](record))
    for dependent_collection, dependent in _dependents(session, collection, record.id):
        search.upsert(session, DOCUMENT[dependent_collection](dependent))


def remove_record(session: Session, collection: str, record_id: str) -> None:
    """Drop one record from the index; call inside the transaction that removed it."""
    search.delete(session, TYPE_OF[collection], record_id)


def reindex_all(session: Session, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the catalogue in one bulk load (for `kennisbank reindex`); returns the count."""

    def documents() -> Iterator[SearchDocument]:
        for collection, model in MODEL_OF.items():
            for record in session.scalars(select(model)):
                yield DOCUMENT[collection](record)
                if progress:
                    progress(1)

    return search.reindex(session, documents())


def count_records(session: Session) -> int:
    """How many records a full reindex will visit."""
    return sum(session.scalar(select(func.count()).select_from(model)) or 0 for model in MODEL_OF.values())
