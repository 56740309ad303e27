"""The one path every write of a catalogue record takes: API writes, the seed and imports alike.

`write_record` checks and claims the version the writer read, saves with the collection's use case, and in the
same transaction records a revision (who, when, every changed field with old and new value), a change-feed event
when the published catalogue changed, and the search index entry. The caller commits once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import search
from api.exceptions import Conflict, NotFound, PreconditionFailed
from api.models import Action, Event, Expert, Revision
from api.models.base import Base, Status, utcnow
from api.search import SearchDocument
from api.services.changes import feed_event, record_change
from api.services.revisions import diff, erase_fields, record_revision
from api.services.search_index import index_record

PERSONAL_FIELDS = ("contact.email", "contact.phone")


class Collection(Protocol):
    """What the pipeline needs of a collection (`api.collections.Collection` is one)."""

    @property
    def name(self) -> str:
        """The collection's wire name, as revisions and feed events record it."""

    @property
    def model(self) -> type[Base]:
        """Its model."""

    @property
    def save(self) -> Callable[[Session, dict[str, Any]], tuple[Any, str]]:
        """Its create-or-update use case, taking the values its input schema loaded."""

    @property
    def document(self) -> Callable[[Any], SearchDocument]:
        """The builder of its search documents."""

    def export(self, record: Any) -> dict[str, Any]:
        """The record in input shape: the fields the history compares."""


@dataclass(frozen=True)
class Written:
    """The record after the write, and its revision (None when nothing changed)."""

    record: Any
    revision: Revision | None


def published(record: Any) -> bool:
    """Part of the published catalogue: reference records always, curated ones when their status says so."""
    if record is None:
        return False
    return Status(getattr(record, "status", Status.PUBLISHED)) == Status.PUBLISHED


def claim(session: Session, model: type[Base], record_id: str, version: int) -> None:
    """Lock the row if it is still at `version`, else 412.

    A conditional UPDATE that changes nothing: on PostgreSQL it takes the row lock (a concurrent writer waits,
    then finds the version moved on); on SQLite it takes the database write lock. Either way, of two writers
    that read the same version exactly one gets past this point.
    """
    result = session.execute(
        update(model)
        .where(model.id == record_id, model.version == version)  # type: ignore[attr-defined]
        .values(version=model.version)  # type: ignore[attr-defined]
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise PreconditionFailed("The record changed since you read it: GET it again and reapply your change.")


def lock(session: Session, model: type[Base], record_id: str) -> None:
    """Lock the row at whatever version it is, and forget what the session read, for a write under `If-Match: *`.

    The same conditional UPDATE as `claim` without the version: a concurrent writer's change commits first and
    the record read after this is the one stored now, so the write builds on it instead of failing with a 412
    the caller could not have avoided. A missing row locks nothing; reading it then answers the 404.
    """
    session.execute(
        update(model)
        .where(model.id == record_id)  # type: ignore[attr-defined]
        .values(version=model.version)  # type: ignore[attr-defined]
        .execution_options(synchronize_session=False)
    )
    session.expire_all()


def write_record(
    session: Session,
    collection: Collection,
    data: dict[str, Any],
    *,
    actor: str,
    expected_version: int | None = None,
    create: bool = False,
) -> Written:
    """Create or update one record from validated values, with its revision, feed event and index entry.

    `collection.export` gives a record's input-shape document (the fields the history compares). `create=True` makes an
    existing id a 409; `expected_version` makes a missing record a 404 and another version a 412.
    """
    model = collection.model
    record_id = data["id"]
    record = session.get(model, record_id)
    if record is None and expected_version is not None:
        raise NotFound(f"There is no record with id '{record_id}'.")
    if record is not None and create:
        raise Conflict(f"There is already a record with id '{record_id}' in {collection.name}.")
    before = collection.export(record) if record is not None else None
    was_published = published(record)
    version = record.version if record is not None else 0  # type: ignore[attr-defined]
    if record is not None:
        if expected_version is not None and expected_version != version:
            raise PreconditionFailed("The record changed since you read it: GET it again and reapply your change.")
        claim(session, model, record_id, version)
    saved, outcome = collection.save(session, data)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"There is already a record with id '{record_id}' in {collection.name}.") from None
    if outcome == "unchanged":
        return Written(saved, None)
    session.refresh(saved)  # values as stored (enums, children), as every reader will see them
    after = collection.export(saved)
    changes = diff(before, after)
    if not changes:
        return Written(saved, None)
    saved.version = version + 1
    action = _action(before is None, was_published, saved)
    revision = record_revision(session, collection.name, record_id, version + 1, action, actor, changes)
    event = feed_event(was_published, published(saved), changed=True)
    if event is not None:
        record_change(session, collection.name, record_id, event)
    index_record(session, collection.document, saved)
    session.flush()
    return Written(saved, revision)


def _action(created: bool, was_published: bool, record: Any) -> Action:
    if created:
        return Action.CREATED
    status = getattr(record, "status", None)
    if status is not None and Status(status) == Status.ARCHIVED:
        return Action.ARCHIVED
    if published(record) and not was_published:
        return Action.PUBLISHED
    return Action.UPDATED


def erase_personal_data(session: Session, experts: Collection, expert_id: str, actor: str) -> Written:
    """Erase an expert's email and phone, here and in every revision, keeping only that they changed."""
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise NotFound(f"There is no expert with id '{expert_id}'.")
    claim(session, Expert, expert_id, expert.version)
    had = [name for name, value in (("contact.email", expert.contact_email), ("contact.phone", expert.contact_phone))
           if value is not None]
    erase_fields(session, experts.name, expert_id, PERSONAL_FIELDS)
    if not had:
        search.touch(session)  # older revisions may still have changed: cached histories must go
        session.flush()
        return Written(expert, None)
    expert.contact_email = None
    expert.contact_phone = None
    expert.updated_at = utcnow()
    expert.version += 1
    changes = [{"field": name, "old": None, "new": None, "erased": True} for name in had]
    revision = record_revision(session, experts.name, expert_id, expert.version, Action.ERASED, actor, changes)
    if published(expert):
        record_change(session, experts.name, expert_id, Event.UPDATED)
    index_record(session, experts.document, expert)
    session.flush()
    return Written(expert, revision)
