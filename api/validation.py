"""The one set of rules every write of a catalogue record passes: HTTP writes, the seed and imports alike.

A record is loaded with its collection's input schema (shape, types, defaults), then its references are checked
(every id it names exists), and a record that refers to its own collection (a topic's parent) may not make a
cycle. A batch (seed or import) also rejects duplicate ids. Every error is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.collections import AREA_COLLECTIONS, AREAS, BY_NAME, COLLECTIONS, Collection
from api.exceptions import InvalidParam
from api.problems import invalid_params_of

MAX_DEPTH = 100
"""Longest parent chain followed when looking for a cycle."""
Known = Callable[[str, set[str]], set[str]]
"""`known(target, ids)`: which of `ids` exist in collection `target` (or, for `areas`, are area codes)."""


@dataclass(frozen=True)
class RecordError:
    """A problem with one record of a batch: where it is and what is wrong."""

    source: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: record {self.record}: {self.field}: {self.reason}"


class CatalogueInvalid(Exception):
    """Some records of a batch are invalid; nothing was written."""

    def __init__(self, errors: list[RecordError]) -> None:
        super().__init__(f"{len(errors)} invalid field(s); nothing was written")
        self.errors = errors


@dataclass
class Raw:
    """A record as read from a file, with where it came from."""

    collection: str
    source: str
    position: int
    data: dict[str, Any]


def load(collection: Collection, document: Any, known: Known, parent_of: Callable[[str], str | None]
         ) -> tuple[dict[str, Any], list[InvalidParam]]:
    """`document` loaded with the collection's input schema, plus every error: shape, references and cycles.

    `parent_of(id)` answers the stored parent of a record of the same collection (for the cycle rule).
    """
    try:
        data = collection.input.load(document)
        errors: list[InvalidParam] = []
    except ValidationError as error:
        errors = invalid_params_of(error)
        data = error.valid_data if isinstance(error.valid_data, dict) else {}
    errors += [InvalidParam(name, "unknown-reference", reason)
               for name, reason in reference_errors(collection, data, known)]
    if not errors:
        errors += cycle_errors(collection, data, parent_of)
    return data, errors


def reference_errors(collection: Collection, data: dict[str, Any], known: Known) -> list[tuple[str, str]]:
    """`(field, reason)` for every id in loaded `data` that points nowhere."""
    errors: list[tuple[str, str]] = []
    for path, target in collection.references.items():
        wanted = [v for v in _values(data, _attribute_path(collection.input, path)) if v is not None]
        found = known(target, set(wanted)) if wanted else set()
        errors.extend((path.replace("[]", ""), f"unknown {target} id '{value}'") for value in wanted
                      if value not in found)
    return errors


def cycle_errors(collection: Collection, data: dict[str, Any], parent_of: Callable[[str], str | None]
                 ) -> list[InvalidParam]:
    """A record whose reference into its own collection leads back to itself (a topic its own ancestor)."""
    errors: list[InvalidParam] = []
    for path, target in collection.references.items():
        if target != collection.name or "[]" in path:
            continue
        parent, hops = data.get(_attribute_path(collection.input, path)), 0
        while parent is not None and hops < MAX_DEPTH:
            if parent == data.get("id"):
                reason = f"A {collection.label} cannot be its own {path} or ancestor."
                errors.append(InvalidParam(path, "cycle", reason))
                break
            parent, hops = parent_of(parent), hops + 1
    return errors


def database_known(session: Session) -> Known:
    """`known` answered from the database."""
    return lambda target, ids: existing_ids(session, target, ids)


def existing_ids(session: Session, target: str, ids: set[str]) -> set[str]:
    """Which of `ids` exist in collection `target` (or, for `areas`, are NL or an area code in the database)."""
    if target == AREAS:
        found = {"NL"} & ids
        for name in AREA_COLLECTIONS:
            found |= existing_ids(session, name, ids)
        return found
    model: Any = BY_NAME[target].model
    return set(session.scalars(select(model.id).where(model.id.in_(ids))))


def stored_parent(session: Session, collection: Collection, path: str) -> Callable[[str], str | None]:
    """`parent_of` answered from the database for the self-reference `path` of `collection`."""
    attribute = _attribute_path(collection.input, path)

    def parent_of(record_id: str) -> str | None:
        record = session.get(collection.model, record_id)
        return getattr(record, attribute) if record is not None else None

    return parent_of


def validate_batch(session: Session, raws: list[Raw]) -> list[tuple[Collection, dict[str, Any]]]:
    """Every record of a seed or import loaded and checked, in write order; all errors at once.

    References may point at records of the batch or of the database; ids may not repeat within a collection.
    """
    errors: list[RecordError] = []
    loaded: list[tuple[Collection, Raw, dict[str, Any]]] = []
    seen: dict[str, set[str]] = {c.name: set() for c in COLLECTIONS}
    parents: dict[str, dict[str, str | None]] = {c.name: {} for c in COLLECTIONS}
    for raw in raws:
        collection = BY_NAME[raw.collection]
        label = str(raw.data.get("id", f"#{raw.position}")) if isinstance(raw.data, dict) else f"#{raw.position}"
        try:
            data = collection.input.load(raw.data)
        except ValidationError as error:
            errors.extend(RecordError(raw.source, label, p.name, p.reason) for p in invalid_params_of(error))
            seen[collection.name].add(label)  # so records that refer to it do not report it missing too
            continue
        if data["id"] in seen[collection.name]:
            errors.append(RecordError(raw.source, label, "id", "duplicate id"))
        seen[collection.name].add(data["id"])
        for path, target in collection.references.items():
            if target == collection.name and "[]" not in path:
                parents[collection.name][data["id"]] = data.get(_attribute_path(collection.input, path))
        loaded.append((collection, raw, data))
    known = {c.name: seen[c.name] | set(session.scalars(select(c.model.id))) for c in COLLECTIONS}  # type: ignore
    known[AREAS] = {"NL"}.union(*(known[name] for name in AREA_COLLECTIONS))
    for collection, raw, data in loaded:
        for name, reason in reference_errors(collection, data, lambda target, ids: ids & known[target]):
            errors.append(RecordError(raw.source, data["id"], name, reason))
        for path in _self_references(collection):
            parent_of = _batch_then_stored(parents[collection.name], stored_parent(session, collection, path))
            for problem in cycle_errors(collection, data, parent_of):
                errors.append(RecordError(raw.source, data["id"], problem.name, problem.reason))
    if errors:
        raise CatalogueInvalid(errors)
    order = {c.name: i for i, c in enumerate(COLLECTIONS)}
    loaded.sort(key=lambda item: (order[item[0].name], _depth(item[2]["id"], parents[item[0].name])))
    return [(collection, data) for collection, _raw, data in loaded]


def _batch_then_stored(batch: dict[str, str | None], stored: Callable[[str], str | None]
                       ) -> Callable[[str], str | None]:
    return lambda record_id: batch[record_id] if record_id in batch else stored(record_id)


def _self_references(collection: Collection) -> list[str]:
    return [p for p, t in collection.references.items() if t == collection.name and "[]" not in p]


def _depth(record_id: str, parents: dict[str, str | None]) -> int:
    """How deep a record sits below a root of its batch, so parents are written before their children."""
    depth, current = 0, parents.get(record_id)
    while current in parents and depth < MAX_DEPTH:
        depth, current = depth + 1, parents[current]
    return depth


def _attribute_path(schema: Schema, path: str) -> str:
    """The loaded-data path of a wire path: `coverage[].municipality` -> `coverage[].municipality_id`."""
    root, _, rest = path.partition(".")
    suffix = "[]" if root.endswith("[]") else ""
    field_ = _field_by_wire_name(schema, root.removesuffix("[]"))
    attribute = (field_.attribute or field_.name) + suffix
    if not rest:
        return attribute
    inner = field_.inner.nested if hasattr(field_, "inner") else field_.nested  # type: ignore[attr-defined]
    inner_schema = inner() if isinstance(inner, type) else inner
    return f"{attribute}.{_attribute_path(inner_schema, rest)}"


def _field_by_wire_name(schema: Schema, wire_name: str) -> Any:
    for name, field_ in schema.fields.items():
        if (field_.data_key or name) == wire_name:
            return field_
    raise KeyError(f"{type(schema).__name__} has no field {wire_name!r}")


def _values(data: dict[str, Any], path: str) -> Iterator[Any]:
    if path.endswith("[]"):
        yield from data.get(path[:-2]) or []
    elif "[]." in path:
        outer, inner = path.split("[].")
        for item in data.get(outer) or []:
            yield item.get(inner)
    else:
        yield data.get(path)
