"""The catalogue as files: load seed files or NDJSON, validate every record with the API's schemas, write.

Validation happens here (with `schemas/`) so that the services below only ever see valid plain values.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import models
from api.problems import invalid_params_of
from api.services.approaches import save_approach
from api.services.curation import write_record
from api.services.experts import save_expert
from api.services.municipalities import save_municipality
from api.services.organisations import save_organisation
from api.services.police_units import save_police_unit
from api.services.safety_houses import save_safety_house
from api.services.safety_regions import save_safety_region
from api.services.topics import save_topic
from schemas.approaches import ApproachInputSchema
from schemas.experts import ExpertInputSchema
from schemas.municipalities import MunicipalityInputSchema
from schemas.organisations import OrganisationInputSchema
from schemas.police_units import PoliceUnitInputSchema
from schemas.safety_houses import SafetyHouseInputSchema
from schemas.safety_regions import SafetyRegionInputSchema
from schemas.topics import TopicInputSchema


@dataclass(frozen=True)
class Collection:
    """One collection of the catalogue: its file stem, input schema, model and save use case."""

    name: str
    schema: type[Schema]
    model: type[models.Base]
    save: Callable[[Session, dict[str, Any]], tuple[Any, str]]
    references: dict[str, str] = field(default_factory=dict)  # loaded field -> collection it points into


# Load order: every collection only refers to the ones before it (topics may refer to topics).
COLLECTIONS: tuple[Collection, ...] = (
    Collection("police-units", PoliceUnitInputSchema, models.PoliceUnit, save_police_unit),
    Collection("safety-regions", SafetyRegionInputSchema, models.SafetyRegion, save_safety_region,
               {"police_unit": "police-units"}),
    Collection("municipalities", MunicipalityInputSchema, models.Municipality, save_municipality,
               {"safety_region": "safety-regions", "police_unit": "police-units"}),
    Collection("safety-houses", SafetyHouseInputSchema, models.SafetyHouse, save_safety_house,
               {"safety_region": "safety-regions", "coverage[].municipality": "municipalities"}),
    Collection("topics", TopicInputSchema, models.Topic, save_topic, {"parent": "topics"}),
    Collection("organisations", OrganisationInputSchema, models.Organisation, save_organisation),
    Collection("experts", ExpertInputSchema, models.Expert, save_expert,
               {"organisation": "organisations", "topics[]": "topics", "serves[]": "areas"}),
    Collection("approaches", ApproachInputSchema, models.Approach, save_approach,
               {"provider": "organisations", "topics[]": "topics"}),
)
BY_NAME = {c.name: c for c in COLLECTIONS}


@dataclass(frozen=True)
class RecordError:
    """A problem with one record: where it is and what is wrong."""

    source: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: record {self.record}: {self.field}: {self.reason}"


class CatalogueInvalid(Exception):
    """Some records are invalid; nothing was written."""

    def __init__(self, errors: list[RecordError]) -> None:
        super().__init__(f"{len(errors)} invalid field(s); nothing was written")
        self.errors = errors


@dataclass
class Raw:
    """A record as read, with where it came from."""

    collection: str
    source: str
    position: int
    data: dict[str, Any]


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


def read_seed_dir(path: Path, include_demo: bool) -> list[Raw]:
    """Records of every `<collection>.json` in `path` (and `path/demo` when asked), in load order."""
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
    return raws


def read_ndjson(lines: Iterable[str], source: str) -> list[Raw]:
    """Records of an export file: one `{"collection", "record"}` object per line."""
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


def validate(session: Session, raws: list[Raw]) -> list[tuple[Collection, dict[str, Any]]]:
    """Every record loaded with its schema and its references checked; all errors at once."""
    errors: list[RecordError] = []
    loaded: list[tuple[Collection, Raw, dict[str, Any]]] = []
    seen: dict[str, set[str]] = {c.name: set() for c in COLLECTIONS}
    for raw in raws:
        collection = BY_NAME[raw.collection]
        label = str(raw.data.get("id", f"#{raw.position}")) if isinstance(raw.data, dict) else f"#{raw.position}"
        try:
            data = collection.schema().load(raw.data)
        except ValidationError as error:
            errors.extend(RecordError(raw.source, label, p.name, p.reason) for p in invalid_params_of(error))
            seen[collection.name].add(label)  # so records that refer to it do not report it missing too
            continue
        if data["id"] in seen[collection.name]:
            errors.append(RecordError(raw.source, label, "id", "duplicate id"))
        seen[collection.name].add(data["id"])
        loaded.append((collection, raw, data))
    known = {c.name: seen[c.name] | set(session.scalars(select(c.model.id))) for c in COLLECTIONS}
    known["areas"] = {"NL"} | known["police-units"] | known["safety-regions"] | known["municipalities"]
    for collection, raw, data in loaded:
        for name, reason in reference_errors(collection, data, lambda target, ids: ids & known[target]):
            errors.append(RecordError(raw.source, data["id"], name, reason))
    if errors:
        raise CatalogueInvalid(errors)
    order = {c.name: i for i, c in enumerate(COLLECTIONS)}
    depth = _topic_depths([data for c, _r, data in loaded if c.name == "topics"])
    loaded.sort(key=lambda item: (order[item[0].name], depth.get(item[2]["id"], 0) if item[0].name == "topics" else 0))
    return [(collection, data) for collection, _raw, data in loaded]


def reference_errors(
    collection: Collection, data: dict[str, Any], known: Callable[[str, set[str]], set[str]]
) -> list[tuple[str, str]]:
    """`(field, reason)` for every id in `data` that points nowhere; `known(target, ids)` says which ids exist.

    The seed loader answers `known` from the ids in the files and the database; an API write asks the database
    (`existing_ids`). `target` is a collection name or `areas` (NL, police units, safety regions, municipalities).
    """
    wanted = {path: [v for v in _values(data, path) if v is not None] for path in collection.references}
    errors: list[tuple[str, str]] = []
    for path, target in collection.references.items():
        found = known(target, set(wanted[path])) if wanted[path] else set()
        errors.extend((_wire_name(collection.schema, path), f"unknown {target} id '{value}'")
                      for value in wanted[path] if value not in found)
    return errors


def existing_ids(session: Session, target: str, ids: set[str]) -> set[str]:
    """Which of `ids` exist in collection `target` (or, for `areas`, are NL or an area code in the database)."""
    if target == "areas":
        found = {"NL"} & ids
        for name in ("police-units", "safety-regions", "municipalities"):
            found |= existing_ids(session, name, ids)
        return found
    model = BY_NAME[target].model
    return set(session.scalars(select(model.id).where(model.id.in_(ids))))  # type: ignore[attr-defined]


def _topic_depths(topics: list[dict[str, Any]]) -> dict[str, int]:
    """How deep each topic sits below a root, so parents are written before their children."""
    parent = {t["id"]: t.get("parent") for t in topics}
    depths: dict[str, int] = {}
    for topic_id in parent:
        depth, current, hops = 0, parent[topic_id], 0
        while current in parent and hops < len(parent):
            depth, current, hops = depth + 1, parent[current], hops + 1
        depths[topic_id] = depth
    return depths


def _wire_name(schema: type[Schema], path: str) -> str:
    """The field name as the file or request spells it (camelCase data key)."""
    root, _, rest = path.replace("[]", "").partition(".")
    field_ = schema().fields[root]
    return (field_.data_key or root) + (f".{rest}" if rest else "")


def _values(data: dict[str, Any], path: str) -> Iterator[Any]:
    if path.endswith("[]"):
        yield from data.get(path[:-2]) or []
    elif "[]." in path:
        outer, inner = path.split("[].")
        for item in data.get(outer) or []:
            yield item.get(inner)
    else:
        yield data.get(path)


def write(session: Session, records: list[tuple[Collection, dict[str, Any]]],
          progress: Callable[[int], None] | None = None, actor: str = "seed") -> Report:
    """Save every validated record (the caller commits once); count what changed.

    Each write goes through `api.services.curation.write_record`, so it leaves a revision by `actor` (`seed` or
    `import`), a change-feed event and a search index entry, like a write through the API.
    """
    report = Report()
    for collection, data in records:
        written = write_record(session, collection, EXPORTERS[collection.name], data, actor=actor)
        revision = written.revision
        report.add(collection.name, "unchanged" if revision is None else
                   "created" if revision.action == "created" else "updated")
        if progress:
            progress(1)
    return report


def _curated(record: Any) -> dict[str, Any]:
    verified = record.verified_at
    return {
        "status": record.status.value,
        "verifiedAt": verified.isoformat().replace("+00:00", "Z") if verified else None,
        "sources": record.sources,
        "demo": record.demo,
    }


EXPORTERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "police-units": lambda r: {"id": r.id, "name": r.name, "fullName": r.full_name, "kind": r.kind.value},
    "safety-regions": lambda r: {"id": r.id, "number": r.number, "name": r.name, "seat": r.seat,
                                 "province": r.province, "policeUnit": r.police_unit_id},
    "municipalities": lambda r: {
        "id": r.id, "name": r.name, "province": r.province, "population": r.population,
        "safetyRegion": r.safety_region_id, "policeUnit": r.police_unit_id,
        "location": {"lat": r.lat, "lon": r.lon}, "aliases": r.aliases,
        "policy": {"status": r.policy_status.value, "url": r.policy_url, "sharesKnowledge": r.policy_shares_knowledge},
    },
    "safety-houses": lambda r: {
        "id": r.id, "name": r.name, "safetyRegion": r.safety_region_id, "seat": r.seat, "address": r.address,
        "notes": r.notes, "coverage": [{"municipality": c.municipality_id, "basis": c.basis.value} for c in r.coverage],
        "sources": r.sources, "status": r.status.value,
    },
    "topics": lambda r: {"id": r.id, "label": r.label, "parent": r.parent_id, "description": r.description,
                         "synonyms": r.synonyms, **_curated(r)},
    "organisations": lambda r: {"id": r.id, "name": r.name, "abbreviation": r.abbreviation, "kind": r.kind.value,
                                "scope": r.scope.value, "url": r.url, "description": r.description, **_curated(r)},
    "experts": lambda r: {
        "id": r.id, "name": r.name, "kind": r.kind.value, "organisation": r.organisation_id,
        "topics": [t.id for t in r.topics], "languages": r.languages, "serves": r.serves,
        "description": r.description, "contact": {"email": r.contact_email, "phone": r.contact_phone,
                                                  "url": r.contact_url}, **_curated(r),
    },
    "approaches": lambda r: {
        "id": r.id, "name": r.name, "kind": r.kind.value, "summary": r.summary, "description": r.description,
        "provider": r.provider_id, "topics": [t.id for t in r.topics], "audience": r.audience,
        "sizeClasses": r.size_classes, "format": r.format.value if r.format else None, "duration": r.duration,
        "cost": r.cost, "evidenceLevel": r.evidence_level.value, "url": r.url, "language": r.language,
        **_curated(r),
    },
}


def export_lines(session: Session) -> Iterator[str]:
    """The whole catalogue as NDJSON lines, in load order and id order, so equal catalogues give equal files."""
    for collection in COLLECTIONS:
        for record in session.scalars(select(collection.model).order_by(collection.model.id)):
            entry = {"collection": collection.name, "record": EXPORTERS[collection.name](record)}
            yield json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
