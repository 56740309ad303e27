"""Loading a validated batch (the seed or an import) through the one write pipeline, counting what changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from api.services.curation import Collection, write_record


@dataclass
class Report:
    """What a load did, per collection: created, updated, unchanged."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, collection: str, outcome: str) -> None:
        """Count one outcome."""
        self.counts.setdefault(collection, Counter())[outcome] += 1

    def lines(self) -> list[str]:
        """One human line per collection."""
        return [
            f"{name}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for name, c in self.counts.items()
        ]


def write_all(session: Session, records: list[tuple[Collection, dict[str, Any]]],
              progress: Callable[[int], None] | None = None, actor: str = "seed") -> Report:
    """Save every validated record (the caller commits once); count what changed.

    Each write goes through `api.services.curation.write_record`, so it leaves a revision by `actor` (`seed` or
    `import`), a change-feed event and a search index entry, like a write through the API.
    """
    report = Report()
    for collection, data in records:
        revision = write_record(session, collection, data, actor=actor).revision
        report.add(collection.name, "unchanged" if revision is None else
                   "created" if revision.action == "created" else "updated")
        if progress:
            progress(1)
    return report
