"""Writes of the change feed: one event per change to the published catalogue, in commit order."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from api.models import Change, Event

# Any constant: the key of the PostgreSQL advisory lock that serialises writers of feed events.
FEED_LOCK = 0x6B620001


def feed_event(was_published: bool, is_published: bool, changed: bool) -> Event | None:
    """The event a write makes in the published catalogue: leaving it (archive, unpublish) is `deleted`."""
    if is_published and not was_published:
        return Event.CREATED
    if was_published and not is_published:
        return Event.DELETED
    if is_published and changed:
        return Event.UPDATED
    return None


def record_change(session: Session, collection: str, record_id: str, event: Event) -> Change:
    """Add an event; its `seq` is taken while holding a lock kept until commit, so seq order is commit order.

    Without the lock, PostgreSQL could commit seq 8 before seq 7 and a reader at cursor 8 would never see 7.
    SQLite has one writer at a time, so it needs nothing extra.
    """
    transaction = session.get_transaction()
    if session.get_bind().dialect.name == "postgresql" and session.info.get("feed_locked_in") is not transaction:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK})
        session.info["feed_locked_in"] = transaction  # held until this transaction ends; once is enough
    change = Change(collection=collection, record_id=record_id, event=event)
    session.add(change)
    return change
