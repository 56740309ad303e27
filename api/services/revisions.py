"""Writes of the history: what changed in a record, recorded as one revision per write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from api.models import Action, Revision


def flatten(document: Mapping[str, Any] | None, prefix: str = "") -> dict[str, Any]:
    """`{"contact": {"email": x}}` as `{"contact.email": x}`; lists are values, not expanded."""
    flat: dict[str, Any] = {}
    for key, value in (document or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every field whose value differs, as `{field, old, new}`, in the order of `after`."""
    old, new = flatten(before), flatten(after)
    fields = list(new) + [name for name in old if name not in new]
    return [{"field": name, "old": old.get(name), "new": new.get(name)}
            for name in fields if old.get(name) != new.get(name)]


def record_revision(
    session: Session,
    collection: str,
    record_id: str,
    version: int,
    action: Action | str,
    actor: str,
    changes: list[dict[str, Any]],
) -> Revision:
    """Add one revision to the session (the caller's transaction commits it with the write)."""
    revision = Revision(collection=collection, record_id=record_id, version=version, action=Action(action),
                        actor=actor, changes=changes)
    session.add(revision)
    return revision


def erase_fields(session: Session, collection: str, record_id: str, fields: Iterable[str]) -> int:
    """Blank the old and new values of `fields` in every revision of the record, keeping that they changed.

    Returns the number of revisions touched.
    """
    names = set(fields)
    touched = 0
    stmt = select(Revision).where(Revision.collection == collection, Revision.record_id == record_id)
    for revision in session.scalars(stmt):
        changes = []
        dirty = False
        for change in revision.changes:
            if change.get("field") in names and (change.get("old") is not None or change.get("new") is not None):
                change = {"field": change["field"], "old": None, "new": None, "erased": True}
                dirty = True
            changes.append(change)
        if dirty:
            revision.changes = changes
            flag_modified(revision, "changes")
            touched += 1
    return touched
