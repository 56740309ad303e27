"""Loading a validated batch (the seed or an import) through the one write pipeline, without undoing curators.

Every record keeps what it last received from a file (`SeedBaseline`). A load compares three ways per field:
the file's value, that baseline, and the record as it is now. A field nobody changed since the last load takes
the file's value (a release's corrections arrive); a field a curator changed keeps the curator's value. Where
the file changed that same field too, that is a conflict: it is reported and the curator's value stays, unless
`force` is given (then the file wins, and the report lists what was overwritten). A collection's
`curator_fields` (a municipality's policy) are never taken from a file for an existing record, not even with
`force`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import Revision, SeedBaseline
from api.services.curation import Collection, write_record

LOADERS = ("seed", "import")
"""Actors of the command-line loaders; every other actor is a curator's API key."""


class LoadedCollection(Collection, Protocol):
    """What a load needs of a collection besides the write pipeline's needs."""

    @property
    def input(self) -> Any:
        """The input schema (instance): dumps loaded values and records to input shape, loads them back."""

    @property
    def curator_fields(self) -> tuple[str, ...]:
        """Fields only curators write: a file never changes them on an existing record."""


@dataclass(frozen=True)
class FieldConflict:
    """A field that both a curator and the file changed since the last load."""

    collection: str
    record_id: str
    field: str

    def __str__(self) -> str:
        return f"{self.collection}/{self.record_id}: {self.field}"


@dataclass
class Report:
    """What a load did, per collection (created, updated, unchanged), and where it met curators' edits."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    kept: list[FieldConflict] = field(default_factory=list)
    """Conflicts where the curator's value stayed."""
    overwritten: list[FieldConflict] = field(default_factory=list)
    """Conflicts where `force` took the file's value."""
    curated: int = 0
    """Fields a curator changed that the file left alone: kept without a conflict."""

    def add(self, collection: str, outcome: str) -> None:
        """Count one outcome."""
        self.counts.setdefault(collection, Counter())[outcome] += 1

    def lines(self) -> list[str]:
        """One human line per collection."""
        return [
            f"{name}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for name, c in self.counts.items()
        ]


def write_all(session: Session, records: list[tuple[LoadedCollection, dict[str, Any]]],
              progress: Callable[[int], None] | None = None, actor: str = "seed", force: bool = False) -> Report:
    """Save every validated record, merged with curators' edits (the caller commits once); report what happened.

    Each write goes through `api.services.curation.write_record`, so it leaves a revision by `actor` (`seed` or
    `import`), a change-feed event and a search index entry, like a write through the API.
    """
    report = Report()
    for collection, data in records:
        merged = _merge(session, collection, data, report, force)
        revision = write_record(session, collection, merged, actor=actor).revision
        report.add(collection.name, "unchanged" if revision is None else
                   "created" if revision.action == "created" else "updated")
        if progress:
            progress(1)
    return report


def _merge(session: Session, collection: LoadedCollection, data: dict[str, Any], report: Report, force: bool
           ) -> dict[str, Any]:
    """The values to write: the file's, except where a curator's edit must stay; records the new baseline.

    A conflict keeps its old baseline, so it is reported again by every load until `force` or a curator settles it.
    """
    incoming: dict[str, Any] = collection.input.dump(data)
    stored = session.get(SeedBaseline, (collection.name, data["id"]))
    record = session.get(collection.model, data["id"])
    current: dict[str, Any] | None = collection.export(record) if record is not None else None
    if stored is not None:
        baseline: dict[str, Any] = stored.document
    else:
        touched = current is not None and _touched_by_curators(session, collection.name, data["id"])
        baseline = {} if touched else (current or {})  # {}: unknown, so a field that differs is the curator's
    merged, next_baseline = dict(incoming), dict(incoming)
    for name, value in incoming.items() if current is not None else ():
        mine = current.get(name)
        if name in collection.curator_fields:
            merged[name] = mine
        elif _same(mine, value) or (name in baseline and _same(mine, baseline[name])):
            continue  # nobody disagrees, or the curator did not touch it: the file's value
        elif name in baseline and _same(value, baseline[name]):
            merged[name] = mine  # only the curator changed it
            report.curated += 1
        elif force:
            report.overwritten.append(FieldConflict(collection.name, data["id"], name))
        else:
            merged[name] = mine
            report.kept.append(FieldConflict(collection.name, data["id"], name))
            next_baseline.pop(name)
            if name in baseline:
                next_baseline[name] = baseline[name]
    if stored is None:
        session.add(SeedBaseline(collection=collection.name, record_id=data["id"], document=next_baseline))
    else:
        stored.document = next_baseline
    return data if merged == incoming else collection.input.load(merged)  # type: ignore[no-any-return]


def _same(a: Any, b: Any) -> bool:
    """Equal as the catalogue stores them: lists compare as sets (the order of topics or synonyms is no edit)."""
    return _canonical(a) == _canonical(b)


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_canonical(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


def _touched_by_curators(session: Session, collection: str, record_id: str) -> bool:
    """Whether anyone but the loaders ever wrote the record (before baselines were kept)."""
    return session.scalar(
        select(Revision.id).where(Revision.collection == collection, Revision.record_id == record_id,
                                  Revision.actor.not_in(LOADERS)).limit(1)
    ) is not None
