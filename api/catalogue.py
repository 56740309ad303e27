"""The catalogue as files: read seed folders and NDJSON exports, write an export.

What is read is validated by `api.validation` and written by `api.services.loading`; this module only knows
the file formats.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from api import reference_updates
from api.collections import BY_NAME, COLLECTIONS
from api.services.municipalities import retire_municipality
from api.validation import CatalogueInvalid, Raw, RecordError
from schemas.names import MUNICIPALITIES

__all__ = ["CatalogueInvalid", "Raw", "export_lines", "read_ndjson", "read_seed_dir", "retire_merged"]


def read_seed_dir(path: Path, include_demo: bool, today: date | None = None) -> list[Raw]:
    """Records of every `<collection>.json` in `path` (and `path/demo` when asked), in load order.

    With the overlays of `api.reference_updates` applied: the policy evidence, and the municipal changes in force
    on `today` (default: the current date).
    """
    folders = [path, path / "demo"] if include_demo else [path]
    raws: list[Raw] = []
    for collection in COLLECTIONS:
        for folder in folders:
            file = folder / f"{collection.name}.json"
            if not file.exists():
                continue
            try:
                document = json.loads(file.read_text(encoding="utf-8"))
            except json.JSONDecodeError as error:
                raise CatalogueInvalid([RecordError(str(file), "-", "file", f"not valid JSON: {error}")]) from None
            items = document.get("items") if isinstance(document, dict) else None
            if not isinstance(items, list):
                raise CatalogueInvalid([RecordError(str(file), "-", "items", "expected {\"items\": [...]}")])
            raws.extend(Raw(collection.name, str(file), i, item) for i, item in enumerate(items))
    return reference_updates.overlay(
        raws, path, today or date.today(),
        lambda i, data: Raw(MUNICIPALITIES, str(path / reference_updates.EVIDENCE_FILE), i, data),
    )


def read_ndjson(lines: Iterable[str], source: str) -> list[Raw]:
    """Records of an export file: one `{"collection", "record"}` object per line, in load order."""
    raws: list[Raw] = []
    errors: list[RecordError] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            raws.append(Raw(BY_NAME[entry["collection"]].name, f"{source}:{number}", number, entry["record"]))
        except (json.JSONDecodeError, KeyError, TypeError):
            errors.append(RecordError(f"{source}:{number}", "-", "line", "expected {\"collection\", \"record\"}"))
    if errors:
        raise CatalogueInvalid(errors)
    order = {c.name: i for i, c in enumerate(COLLECTIONS)}
    return sorted(raws, key=lambda r: (order[r.collection], r.position))


def export_lines(session: Session) -> Iterator[str]:
    """The whole catalogue (every status) in input shape as NDJSON lines, in load order and id order.

    Equal catalogues give equal files, and `kennisbank import` takes the file back. (`GET /export` is another
    thing: the published catalogue in output shape, for mirrors.)
    """
    for collection in COLLECTIONS:
        model = collection.model
        for record in session.scalars(select(model).order_by(model.id)):  # type: ignore[attr-defined]
            entry = {"collection": collection.name, "record": collection.export(record)}
            yield json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"


def retire_merged(session: Session, seed_dir: Path, today: date) -> list[str]:
    """Remove the municipalities that merged into another by `today` (per the seed folder); one line per removal."""
    lines = []
    for merger in reference_updates.due(reference_updates.read_mergers(seed_dir), today):
        for code in merger.absorbed:
            if retire_municipality(session, code, merger.into, MUNICIPALITIES):
                lines.append(f"{MUNICIPALITIES}: {code} merged into {merger.into} ({merger.id}), removed")
    return lines
