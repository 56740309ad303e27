"""Keeping the search index in step with the catalogue, inside the same transaction as every write."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import models, search
from api.search import SearchDocument


def municipality_document(m: models.Municipality) -> SearchDocument:
    return SearchDocument(
        type="municipality", id=m.id, name=m.name, aliases=list(m.aliases),
        summary=f"Gemeente in {m.province}, veiligheidsregio {m.safety_region.name}, "
                f"politie-eenheid {m.police_unit.name}",
        serves=[m.id], size_classes=[m.size_class.value],
    )


# Regions, units and houses serve by area code: a `serves=GM…` search expands the municipality to its own
# code, its safety region, its police unit and NL, so these documents need not list member municipalities
# (and do not go stale when a municipality changes).
def safety_region_document(r: models.SafetyRegion) -> SearchDocument:
    return SearchDocument(
        type="safety-region", id=r.id, name=r.name, aliases=[f"Veiligheidsregio {r.name}", r.id],
        summary=f"Veiligheidsregio in {r.province}" + (f", zetel {r.seat}" if r.seat else ""), serves=[r.id],
    )


def police_unit_document(u: models.PoliceUnit) -> SearchDocument:
    return SearchDocument(
        type="police-unit", id=u.id, name=u.name, aliases=[u.full_name, f"Politie {u.name}"],
        summary=f"Politie-eenheid {u.full_name}", serves=[u.id],
    )


def safety_house_document(h: models.SafetyHouse) -> SearchDocument:
    covered = [c.municipality_id for c in h.coverage]
    return SearchDocument(
        type="safety-house", id=h.id, name=h.name, related=["Veiligheidshuis", "Zorg- en Veiligheidshuis"],
        summary=" ".join(filter(None, [h.seat, h.safety_region.name])), body=h.notes or "",
        serves=[h.safety_region_id, *covered], status=h.status.value,
    )


def organisation_document(o: models.Organisation) -> SearchDocument:
    return SearchDocument(
        type="organisation", id=o.id, name=o.name, aliases=[o.abbreviation] if o.abbreviation else [],
        body=o.description, serves=["NL"] if o.scope.value == "national" else [], status=o.status.value,
        demo=o.demo,
    )


def _published(record: Any) -> bool:
    return record is not None and record.status == models.Status.PUBLISHED


def expert_document(e: models.Expert) -> SearchDocument:
    """An expert as searched: its organisation's names and its topics' labels, if those are published."""
    organisation = e.organisation if _published(e.organisation) else None
    topics = [t for t in e.topics if _published(t)]
    return SearchDocument(
        type="expert", id=e.id, name=e.name,
        related=[a for a in (organisation.name, organisation.abbreviation) if a] if organisation else [],
        summary=" ".join(t.label for t in topics), body=e.description,
        topics=[t.id for t in topics], serves=e.serves, status=e.status.value, demo=e.demo,
    )


SIZE_CLASS_WORDS = {"small": "kleine gemeenten", "medium": "middelgrote gemeenten", "large": "grote gemeenten"}
"""How an approach's size classes read in its description, so "training kleine gemeente" finds those that suit."""


def approach_document(a: models.Approach) -> SearchDocument:
    """An approach as searched: its provider's names and its topics' labels, if those are published."""
    provider = a.provider if _published(a.provider) else None
    topics = [t for t in a.topics if _published(t)]
    suits = ", ".join(SIZE_CLASS_WORDS[c] for c in a.size_classes if c in SIZE_CLASS_WORDS)
    return SearchDocument(
        type="approach", id=a.id, name=a.name,
        related=[x for x in (provider.name, provider.abbreviation) if x] if provider else [],
        summary=a.summary,
        body=" ".join([a.description, *a.audience, *(t.label for t in topics), f"Voor {suits}." if suits else ""]),
        topics=[t.id for t in topics], size_classes=a.size_classes, status=a.status.value, demo=a.demo,
    )


def topic_document(t: models.Topic) -> SearchDocument:
    return SearchDocument(
        type="topic", id=t.id, name=t.label, aliases=list(t.synonyms), body=t.description,
        topics=[t.id], status=t.status.value, demo=t.demo,
    )


def _dependents(session: Session, record: Any) -> list[SearchDocument]:
    """Documents that embed this organisation's name or this topic's label (and its status decides whether)."""
    if isinstance(record, models.Organisation):
        experts = session.scalars(select(models.Expert).where(models.Expert.organisation_id == record.id))
        approaches = session.scalars(select(models.Approach).where(models.Approach.provider_id == record.id))
    elif isinstance(record, models.Topic):
        experts = session.scalars(select(models.Expert).join(models.ExpertTopic).where(
            models.ExpertTopic.topic_id == record.id))
        approaches = session.scalars(select(models.Approach).join(models.ApproachTopic).where(
            models.ApproachTopic.topic_id == record.id))
    else:
        return []
    return [*map(expert_document, experts), *map(approach_document, approaches)]


def index_record(session: Session, document: Callable[[Any], SearchDocument], record: Any) -> None:
    """(Re)index one record with its `document` builder, and the records whose documents embed it.

    Call inside the writing transaction: every write of the catalogue (API, seed, import, erasure) does.
    """
    session.flush()
    search.upsert(session, document(record))
    for dependent in _dependents(session, record):
        search.upsert(session, dependent)


Indexed = tuple[type[models.Base], Callable[[Any], SearchDocument]]
"""A model and the builder of its search documents."""


def reindex_all(session: Session, indexed: Iterable[Indexed], progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the catalogue in one bulk load (for `kennisbank reindex`); returns the count."""

    def documents() -> Iterator[SearchDocument]:
        for model, document in indexed:
            for record in session.scalars(select(model)):
                yield document(record)
                if progress:
                    progress(1)

    return search.reindex(session, documents())


def count_records(session: Session, indexed: Iterable[Indexed]) -> int:
    """How many records a full reindex will visit."""
    return sum(session.scalar(select(func.count()).select_from(model)) or 0 for model, _document in indexed)
